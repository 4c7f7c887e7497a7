package source

import (
	"strings"
	"testing"

	"github.com/driftlint/driftlint/lint"
)

const goHeader = `package shop

import (
	"fmt"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
)

var _ = fmt.Sprintf
`

func TestLoadGo(t *testing.T) {
	runLoadCases(t, []loadCase{
		{
			name: "joins namespace, subsystem and name as BuildFQName does, and reads the Vec labels",
			files: map[string]string{"shop/m.go": goHeader + `
var orders = promauto.NewCounterVec(prometheus.CounterOpts{
	Namespace: "shop",
	Subsystem: "checkout",
	Name:      "orders_total",
	Help:      "Orders.",
}, []string{"status", "method"})

var lag = prometheus.NewGauge(prometheus.GaugeOpts{Subsystem: "kafka", Name: "lag"})
`},
			want: []string{
				"shop/m.go:15:13 shop_checkout_orders_total counter [method status] absent promauto.NewCounterVec",
				"shop/m.go:19:78 kafka_lag gauge [] prometheus.NewGauge",
			},
		},
		{
			name: "resolves constants of the package from its other files, and skips test files",
			files: map[string]string{
				"shop/consts.go": "package shop\n\nconst (\n\tns  = \"shop\"\n\tsub = ns + \"_cart\"\n)\n",
				"shop/m.go": goHeader + `
var items = promauto.NewGauge(prometheus.GaugeOpts{Name: sub + "_items", Help: "Items."})
var size = promauto.NewHistogram(prometheus.HistogramOpts{Name: prometheus.BuildFQName(ns, "", "size_bytes")})
`,
				"shop/m_test.go": goHeader + `
var testOnly = promauto.NewGauge(prometheus.GaugeOpts{Name: "shop_test_only"})
`,
				"other/o.go": "package other\n\nimport \"github.com/prometheus/client_golang/prometheus\"\n\nvar x = prometheus.NewGauge(prometheus.GaugeOpts{Name: ns + \"_x\"})\n",
			},
			want: []string{
				"other/o.go:5:56 unresolved *_x gauge: the name comes from ns, which is not a constant of the package",
				"shop/m.go:12:58 shop_cart_items gauge [] promauto.NewGauge",
				"shop/m.go:13:65 shop_size_bytes histogram [] promauto.NewHistogram",
			},
		},
		{
			name: "reads promauto.With, a promauto.Factory, V2 options and constant labels",
			files: map[string]string{"shop/m.go": goHeader + `
func newMetrics(reg prometheus.Registerer) {
	f := promauto.With(reg)
	f.NewCounter(prometheus.CounterOpts{Name: "shop_a_total", ConstLabels: prometheus.Labels{"region": "eu"}})
	promauto.With(reg).NewSummaryVec(prometheus.SummaryOpts{Name: "shop_b_seconds"}, labels)
	prometheus.V2.NewCounterVec(prometheus.CounterVecOpts{
		CounterOpts:    prometheus.CounterOpts{Name: "shop_c_total"},
		VariableLabels: prometheus.UnconstrainedLabels{"code"},
	})
	prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "shop_d", ConstLabels: constLabels()}, []string{"x"})
}

var labels = []string{"route"}
`},
			want: []string{
				"shop/m.go:14:44 shop_a_total counter [region] promauto.With(…).NewCounter",
				"shop/m.go:15:64 shop_b_seconds summary [route] absent promauto.With(…).NewSummaryVec",
				"shop/m.go:17:48 shop_c_total counter [code] absent prometheus.V2.NewCounterVec",
				"shop/m.go:20:52 shop_d gauge [x] ?labels absent prometheus.NewGaugeVec",
			},
		},
		{
			name: "types a descriptor from the call that sends it, and leaves a lone one untyped",
			files: map[string]string{"shop/c.go": goHeader + `
var upDesc = prometheus.NewDesc("shop_up", "Up.", nil, nil)

type collector struct{ errs, lone *prometheus.Desc }

func newCollector() *collector {
	return &collector{
		errs: prometheus.NewDesc(prometheus.BuildFQName("shop", "", "errors_total"), "Errors.", []string{"kind"}, prometheus.Labels{"svc": "a"}),
		lone: prometheus.NewDesc("shop_lone", "Lone.", nil, nil),
	}
}

func (c *collector) Collect(ch chan<- prometheus.Metric) {
	ch <- prometheus.MustNewConstMetric(c.errs, prometheus.CounterValue, 1, "io")
	ch <- prometheus.MustNewConstMetric(upDesc, prometheus.GaugeValue, 1)
	ch <- prometheus.MustNewConstHistogram(prometheus.NewDesc("shop_inline_seconds", "Inline.", nil, nil), 1, 1, nil)
}
`},
			want: []string{
				"shop/c.go:12:33 shop_up gauge [] absent prometheus.NewDesc",
				"shop/c.go:18:28 shop_errors_total counter [kind svc] absent prometheus.NewDesc",
				"shop/c.go:19:28 shop_lone untyped [] absent prometheus.NewDesc",
				"shop/c.go:26:60 shop_inline_seconds histogram [] absent prometheus.NewDesc",
			},
		},
		{
			name: "reports names from loop variables, parameters and run-time Sprintf, and works out constant ones",
			files: map[string]string{"shop/m.go": goHeader + `
const ns = "shop"

func register(queue string) {
	for _, s := range []string{"a", "b"} {
		promauto.NewCounter(prometheus.CounterOpts{Name: ns + "_" + s + "_total"})
	}
	promauto.NewGauge(prometheus.GaugeOpts{Name: fmt.Sprintf("%s_queue_%s", ns, queue)})
	promauto.NewGauge(prometheus.GaugeOpts{Name: fmt.Sprintf("%s_%s", ns, "busy")})
	promauto.NewGauge(prometheus.GaugeOpts{Name: names[0]})
	promauto.NewGauge(prometheus.GaugeOpts{Name: cfg.Name})
	promauto.NewGauge(prometheus.GaugeOpts{Name: fmt.Sprint + "_x"})
}

var names = []string{"shop_x"}
`},
			want: []string{
				"shop/m.go:19:47 shop_busy gauge [] promauto.NewGauge",
				"shop/m.go:16:52 unresolved shop_*_total counter: the name comes from the loop variable s",
				"shop/m.go:18:47 unresolved shop_queue_* gauge: the name comes from the parameter queue",
				"shop/m.go:20:47 unresolved * gauge: the name is an element of a slice or map",
				"shop/m.go:21:47 unresolved * gauge: the name comes from the field Name",
				"shop/m.go:22:47 unresolved *_x gauge: the name comes from fmt.Sprint of another package",
			},
		},
		{
			name: "marks labelled families and definitions under a condition as possibly absent",
			files: map[string]string{"shop/m.go": goHeader + `
var enabled bool

func init() {
	if enabled {
		promauto.NewGauge(prometheus.GaugeOpts{Name: "shop_replay"})
	}
	switch {
	default:
		promauto.NewCounterVec(prometheus.CounterOpts{Name: "shop_retries_total"}, []string{"why"})
	}
}
`},
			want: []string{
				"shop/m.go:16:48 shop_replay gauge [] absent promauto.NewGauge",
				"shop/m.go:20:55 shop_retries_total counter [why] absent promauto.NewCounterVec",
			},
		},
		{
			name: "ignores constructors of other packages and calls without options",
			files: map[string]string{"shop/m.go": `package shop

import (
	metrics "github.com/rcrowley/go-metrics"
	"github.com/prometheus/client_golang/prometheus"
)

func NewCounter(o prometheus.CounterOpts) {}

var a = metrics.NewCounter()
var b = NewCounter(prometheus.CounterOpts{Name: "local_func_total"})
var c = prometheus.NewCounter(prometheus.CounterOpts{Help: "no name"})
var d = prometheus.NewCounter(opts())
`},
			want: []string{"shop/m.go:13:31 unresolved * counter: the options are not a literal the code shows"},
		},
		{
			name: "reads hand-written exposition text with its sample labels",
			files: map[string]string{"shop/h.go": goHeader + `
func handler(w io.Writer, v string) {
	fmt.Fprintf(w, "# HELP shop_build_info Build.\n# TYPE shop_build_info gauge\nshop_build_info{version=%q,commit=\"x\"} 1\n", v)
	io.WriteString(w, "# TYPE shop_hand_total counter\n")
	io.WriteString(w, "shop_hand_total{code=\""+code+"\"} 1\n")
	io.WriteString(w, "# TYPE "+name+" gauge\n")
	io.WriteString(w, "# TYPE shop_declared gauge\n")
}
`},
			want: []string{
				"shop/h.go:13:25 shop_build_info gauge [commit version] # TYPE line",
				"shop/h.go:14:28 shop_hand_total counter [code] # TYPE line",
				"shop/h.go:17:28 shop_declared gauge [] ?labels # TYPE line",
				"shop/h.go:16:30 unresolved * gauge: the name in a # TYPE line is filled in at run time",
			},
		},
		{
			name: "reports a syntax error and keeps what parses",
			files: map[string]string{"shop/m.go": goHeader + `
var a = promauto.NewGauge(prometheus.GaugeOpts{Name: "shop_a"})

func broken( {
`},
			want:     []string{"shop/m.go:12:54 shop_a gauge [] promauto.NewGauge"},
			problems: []string{"shop/m.go:14:14: go: expected ')', found '{'"},
		},
	})
}

const resolveMod = "module example.com/app\n\ngo 1.26\n"

func TestLoadGoResolve(t *testing.T) { runLoadCases(t, goResolveCases) }

// goResolveCases are the patterns the resolver reads across packages, helpers and
// registerers.
var goResolveCases = []loadCase{
	{
		name: "resolves a package variable set once and a constant of another package through go.mod",
		files: map[string]string{
			"go.mod":                   resolveMod,
			"internal/consts/c.go":     "package consts\n\nconst App = \"app\"\n\nconst Sub = App + \"_http\"\n",
			"internal/metrics/vars.go": "package metrics\n\nvar namespace = \"app\"\n\nvar changed = \"x\"\n\nfunc init() { changed = \"y\" }\n",
			"internal/metrics/m.go": `package metrics

import (
	"example.com/app/internal/consts"
	"github.com/prometheus/client_golang/prometheus"
)

var a = prometheus.NewCounter(prometheus.CounterOpts{Namespace: namespace, Name: "a_total"})
var b = prometheus.NewGauge(prometheus.GaugeOpts{Namespace: consts.App, Subsystem: "db", Name: "open"})
var c = prometheus.NewGauge(prometheus.GaugeOpts{Name: consts.Sub + "_inflight"})
var d = prometheus.NewGauge(prometheus.GaugeOpts{Namespace: changed, Name: "d"})
`,
		},
		want: []string{
			"internal/metrics/m.go:8:82 app_a_total counter [] prometheus.NewCounter",
			"internal/metrics/m.go:9:96 app_db_open gauge [] prometheus.NewGauge",
			"internal/metrics/m.go:10:56 app_http_inflight gauge [] prometheus.NewGauge",
			"internal/metrics/m.go:11:76 unresolved *d gauge: the name comes from the variable changed",
		},
	},
	{
		name: "matches an import path by the directory's suffix when there is no go.mod",
		files: map[string]string{
			"svc/names/n.go": "package names\n\nconst Prefix = \"svc\"\n",
			"svc/m/m.go": `package m

import (
	"github.com/other/svc/names"
	"github.com/prometheus/client_golang/prometheus"
)

var x = prometheus.NewGauge(prometheus.GaugeOpts{Name: names.Prefix + "_x"})
`,
		},
		want: []string{"svc/m/m.go:8:56 svc_x gauge [] prometheus.NewGauge"},
	},
	{
		name: "reads label slices from append and literals of resolved values, and names joined by strings.Join",
		files: map[string]string{"shop/m.go": `package shop

import (
	"strings"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
)

const destLabel = "dest_server"

var defaultLabels = []string{"name", "namespace"}

var syncs = promauto.NewCounterVec(prometheus.CounterOpts{Name: strings.Join([]string{"shop", "sync", "total"}, "_")},
	append(defaultLabels, destLabel, "phase"))
var more = promauto.NewGaugeVec(prometheus.GaugeOpts{Name: "shop_more"}, append(defaultLabels, extra...))
var extra = []string{"zone"}
var grown = []string{"a"}

func init() { grown = append(grown, "b") }

var unknownLabels = promauto.NewGaugeVec(prometheus.GaugeOpts{Name: "shop_grown"}, grown)
`},
		want: []string{
			"shop/m.go:14:65 shop_sync_total counter [dest_server name namespace phase] absent promauto.NewCounterVec",
			"shop/m.go:16:60 shop_more gauge [name namespace zone] absent promauto.NewGaugeVec",
			"shop/m.go:22:69 shop_grown gauge [] ?labels absent promauto.NewGaugeVec",
		},
	},
	{
		name: "evaluates a helper at each call site, through a second helper and a closure, with Sprintf names",
		files: map[string]string{"shop/m.go": goHeader + `
const namespace = "shop"

func newCounter(name, help string, labels ...string) *prometheus.CounterVec {
	return promauto.NewCounterVec(prometheus.CounterOpts{Namespace: namespace, Name: name, Help: help}, labels)
}

func newDuration(op string) prometheus.Histogram {
	return newHist(fmt.Sprintf("gate_%s_duration_seconds", op))
}

func newHist(name string) prometheus.Histogram {
	return promauto.NewHistogram(prometheus.HistogramOpts{Namespace: namespace, Name: name})
}

func setup(dynamic string) {
	newCounter("orders_total", "Orders.")
	newCounter("refunds_total", "Refunds.")
	newDuration("open")
	newDuration(dynamic)
	gauge := func(n string) { promauto.NewGauge(prometheus.GaugeOpts{Name: "shop_" + n}) }
	gauge("queue")
}
`},
		want: []string{
			"shop/m.go:27:13 shop_orders_total counter [] ?labels absent promauto.NewCounterVec",
			"shop/m.go:28:13 shop_refunds_total counter [] ?labels absent promauto.NewCounterVec",
			"shop/m.go:29:2 shop_gate_open_duration_seconds histogram [] promauto.NewHistogram",
			"shop/m.go:32:2 shop_queue gauge [] promauto.NewGauge",
			"shop/m.go:30:2 unresolved shop_gate_*_duration_seconds histogram: the name comes from the parameter dynamic",
		},
	},
	{
		name: "reads the name through a registerer assigned twice with the same prefix and other labels, its labels unknown",
		files: map[string]string{"sched/m.go": goHeader + `
func New(reg prometheus.Registerer, compartments bool) {
	r := reg
	if compartments {
		r = prometheus.WrapRegistererWith(prometheus.Labels{"write_compartment": "0"}, reg)
	}
	promauto.With(r).NewGaugeVec(prometheus.GaugeOpts{Name: "app_sched_partition_end_offset", Help: "h"}, []string{"partition"})
}
`},
		want: []string{
			"sched/m.go:17:58 app_sched_partition_end_offset gauge [partition] ?labels absent promauto.With(…).NewGaugeVec",
		},
	},
	{
		name: "reads a parameter the body appends to before using it, and not one it changes otherwise",
		files: map[string]string{"pool/m.go": goHeader + `
const namespace = "cnpg"

func newLists(subsystem string) prometheus.Gauge {
	subsystem += "_lists"
	return prometheus.NewGauge(prometheus.GaugeOpts{Namespace: namespace, Subsystem: subsystem, Name: "databases"})
}

func newPools(subsystem string) prometheus.Gauge {
	g := prometheus.NewGauge(prometheus.GaugeOpts{Namespace: namespace, Subsystem: subsystem, Name: "pools"})
	subsystem += "_late"
	_ = subsystem
	return g
}

func newStats(subsystem string, detailed bool) prometheus.Gauge {
	if detailed {
		subsystem = "detailed"
	}
	return prometheus.NewGauge(prometheus.GaugeOpts{Namespace: namespace, Subsystem: subsystem, Name: "queries"})
}

func setup() {
	prometheus.MustRegister(newLists("pgbouncer"), newPools("pgbouncer"), newStats("pgbouncer", true))
}
`},
		want: []string{
			"pool/m.go:34:26 cnpg_pgbouncer_lists_databases gauge [] prometheus.NewGauge",
			"pool/m.go:20:98 unresolved cnpg_*pools gauge: the name comes from the parameter subsystem",
			"pool/m.go:30:100 unresolved cnpg_*queries gauge: the name comes from the parameter subsystem",
		},
	},
	{
		name: "reads options returned by a function variable, at each call with its arguments, and not one reassigned",
		files: map[string]string{"shop/m.go": goHeader + `
type Op string

const Queries Op = "queries"

var (
	durationOpts = func(op Op) prometheus.HistogramOpts {
		return prometheus.HistogramOpts{
			Name:        fmt.Sprintf("gate_%s_duration_seconds", op),
			ConstLabels: prometheus.Labels{"gate": string(op)},
		}
	}
	maxOpts = func(op Op) prometheus.GaugeOpts { return prometheus.GaugeOpts{Name: "gate_" + string(op) + "_max"} }
	swapped = func() prometheus.GaugeOpts { return prometheus.GaugeOpts{Name: "shop_swapped"} }
)

func newGate(reg prometheus.Registerer, op Op) {
	promauto.With(reg).NewHistogramVec(durationOpts(op), []string{"tenant"})
	promauto.With(reg).NewGauge(maxOpts(op))
}

func setup(reg prometheus.Registerer) {
	newGate(prometheus.WrapRegistererWithPrefix("shop_", reg), Queries)
	promauto.NewGauge(maxOpts("selects"))
	swapped = nil
	promauto.NewGauge(swapped())
}
`},
		want: []string{
			"shop/m.go:33:2 shop_gate_queries_duration_seconds histogram [gate tenant] absent promauto.With(…).NewHistogramVec",
			"shop/m.go:33:2 shop_gate_queries_max gauge [] promauto.With(…).NewGauge",
			"shop/m.go:34:20 gate_selects_max gauge [] promauto.NewGauge",
			"shop/m.go:36:20 unresolved * gauge: the options are not a literal the code shows",
		},
	},
	{
		name: "keeps a helper nobody calls as unresolved, reads recursion to the bound, and reports a chain past it",
		files: map[string]string{"shop/m.go": goHeader + `
func lonely(name string) { promauto.NewGauge(prometheus.GaugeOpts{Name: name}) }

func deep(n int, name string) {
	if n > 0 {
		deep(n-1, name)
	}
	promauto.NewGauge(prometheus.GaugeOpts{Name: name})
}

func h1(n string) { h2(n) }
func h2(n string) { h3(n) }
func h3(n string) { h4(n) }
func h4(n string) { h5(n) }
func h5(n string) { h6(n) }
func h6(n string) { h7(n) }
func h7(n string) { h8(n) }
func h8(n string) { h9(n) }
func h9(n string) { h10(n) }
func h10(n string) { h11(n) }
func h11(n string) { h12(n) }
func h12(n string) { promauto.NewGauge(prometheus.GaugeOpts{Name: n}) }

func start() {
	deep(3, "shop_deep")
	h1("shop_far")
}
`},
		want: []string{
			"shop/m.go:35:10 shop_deep gauge [] promauto.NewGauge",
			"shop/m.go:12:73 unresolved * gauge: the name comes from the parameter name",
			"shop/m.go:36:2 unresolved * untyped: the helper calls nest deeper than 10, the bound of the resolver, and this one's names depend on its caller",
		},
	},
	{
		name: "prefixes names registered through WrapRegistererWithPrefix and adds WrapRegistererWith labels",
		files: map[string]string{"shop/m.go": goHeader + `
type walMetrics struct{ corruptions, repairs prometheus.Counter }

func newWALMetrics(reg prometheus.Registerer) *walMetrics {
	m := &walMetrics{
		corruptions: prometheus.NewCounter(prometheus.CounterOpts{Name: "corruptions_total"}),
		repairs:     prometheus.NewCounter(prometheus.CounterOpts{Name: "repairs_total"}),
	}
	if reg != nil {
		reg.MustRegister(m.corruptions, m.repairs)
	}
	return m
}

func newRuler(reg prometheus.Registerer) {
	f := promauto.With(prometheus.WrapRegistererWith(prometheus.Labels{"tenant": "t"}, reg))
	f.NewGauge(prometheus.GaugeOpts{Name: "rules_loaded"})
	newWALMetrics(prometheus.WrapRegistererWithPrefix("app_ruler_wal_", reg))
	promauto.With(prometheus.WrapRegistererWithPrefix("app_", reg)).NewCounter(prometheus.CounterOpts{Name: "evals_total"})
	prometheus.WrapRegistererWithPrefix("app_x_", reg).MustRegister(prometheus.NewGauge(prometheus.GaugeOpts{Name: "inline"}))
}
`},
		want: []string{
			"shop/m.go:27:40 rules_loaded gauge [tenant] promauto.With(…).NewGauge",
			"shop/m.go:28:2 app_ruler_wal_corruptions_total counter [] prometheus.NewCounter",
			"shop/m.go:28:2 app_ruler_wal_repairs_total counter [] prometheus.NewCounter",
			"shop/m.go:29:106 app_evals_total counter [] promauto.With(…).NewCounter",
			"shop/m.go:30:113 app_x_inline gauge [] prometheus.NewGauge",
		},
	},
	{
		name: "follows the project's functions that return a wrapped registerer, with or without a nil check",
		files: map[string]string{"shop/m.go": goHeader + `
func withPrefix(prefix string, reg prometheus.Registerer) prometheus.Registerer {
	if reg == nil {
		return nil
	}
	return prometheus.WrapRegistererWithPrefix(prefix, reg)
}

func withTenant(reg prometheus.Registerer) prometheus.Registerer {
	return prometheus.WrapRegistererWith(prometheus.Labels{"tenant": "t"}, reg)
}

func either(reg prometheus.Registerer, a bool) prometheus.Registerer {
	if a {
		return prometheus.WrapRegistererWithPrefix("a_", reg)
	}
	return prometheus.WrapRegistererWithPrefix("b_", reg)
}

func newProvider(reg prometheus.Registerer) {
	promauto.With(reg).NewCounterVec(prometheus.CounterOpts{Name: "dns_lookups_total"}, []string{"host"})
}

func setup(reg prometheus.Registerer) {
	newProvider(withPrefix("shop_query_", reg))
	newProvider(withTenant(withPrefix("shop_rule_", reg)))
	promauto.With(withPrefix("shop_", reg)).NewGauge(prometheus.GaugeOpts{Name: "up"})
	newProvider(either(reg, true))
}
`},
		want: []string{
			"shop/m.go:35:2 shop_query_dns_lookups_total counter [host] absent promauto.With(…).NewCounterVec",
			"shop/m.go:36:2 shop_rule_dns_lookups_total counter [host tenant] absent promauto.With(…).NewCounterVec",
			"shop/m.go:37:78 shop_up gauge [] promauto.With(…).NewGauge",
			"shop/m.go:38:2 unresolved *dns_lookups_total counter: either returns registerers that wrap differently",
		},
	},
	{
		name: "defines each alternative of a local variable assigned only constants, up to the bound, and reports past it once",
		files: map[string]string{"shop/m.go": goHeader + `
func newWL(reg prometheus.Registerer, ooo bool) {
	prefix := "shop_wal_"
	if ooo {
		prefix = "shop_wbl_"
	}
	promauto.With(prometheus.WrapRegistererWithPrefix(prefix, reg)).NewCounterVec(prometheus.CounterOpts{Name: "writes_total"}, []string{"kind"})
}

func named(kind int) {
	name := "shop_small"
	switch kind {
	case 1:
		name = "shop_large"
	case 2:
		name = "shop_small"
	}
	promauto.NewGauge(prometheus.GaugeOpts{Name: name})
}

func many(reg prometheus.Registerer, k int) {
	v := "shop_a_"
	switch k {
	case 1:
		v = "shop_b_"
	case 2:
		v = "shop_c_"
	case 3:
		v = "shop_d_"
	case 4:
		v = "shop_e_"
	case 5:
		v = "shop_f_"
	case 6:
		v = "shop_g_"
	case 7:
		v = "shop_h_"
	case 8:
		v = "shop_i_"
	}
	promauto.With(prometheus.WrapRegistererWithPrefix(v, reg)).NewGauge(prometheus.GaugeOpts{Name: "many"})
}

func grown(reg prometheus.Registerer) {
	p := "shop_"
	p += "grown_"
	promauto.With(prometheus.WrapRegistererWithPrefix(p, reg)).NewGauge(prometheus.GaugeOpts{Name: "x"})
}

func setup(reg prometheus.Registerer) {
	newWL(reg, false)
	newWL(prometheus.WrapRegistererWithPrefix("app_", reg), true)
	many(reg, 1)
	many(reg, 2)
	grown(reg)
}
`},
		want: []string{
			"shop/m.go:28:47 shop_small gauge [] promauto.NewGauge",
			"shop/m.go:28:47 shop_large gauge [] promauto.NewGauge",
			"shop/m.go:61:2 shop_wal_writes_total counter [kind] absent promauto.With(…).NewCounterVec",
			"shop/m.go:61:2 shop_wbl_writes_total counter [kind] absent promauto.With(…).NewCounterVec",
			"shop/m.go:62:2 app_shop_wal_writes_total counter [kind] absent promauto.With(…).NewCounterVec",
			"shop/m.go:62:2 app_shop_wbl_writes_total counter [kind] absent promauto.With(…).NewCounterVec",
			"shop/m.go:51:97 unresolved *many gauge: the name comes from the variable v, which takes more values than the 8 alternatives the resolver follows",
			"shop/m.go:65:2 unresolved *x gauge: the name comes from the variable p",
		},
	},
	{
		name: "follows a registerer that wraps itself, and leaves a registerer set twice unknown",
		files: map[string]string{"shop/m.go": goHeader + `
func setup(reg, other prometheus.Registerer, cond bool) {
	reg = prometheus.WrapRegistererWithPrefix("shop_", reg)
	promauto.With(reg).NewGauge(prometheus.GaugeOpts{Name: "ready"})
	if cond {
		other = prometheus.DefaultRegisterer
	}
	promauto.With(other).NewGauge(prometheus.GaugeOpts{Name: "other"})
}
`},
		want: []string{
			"shop/m.go:14:57 shop_ready gauge [] promauto.With(…).NewGauge",
			"shop/m.go:18:59 unresolved *other gauge: the registerer other is assigned more than once",
		},
	},
	{
		name: "resolves names in function bodies by scope: locals shadow, local constants, method helpers",
		files: map[string]string{"shop/m.go": goHeader + `
const ns = "shop"

type m struct{}

func (m) gauge(name string) { promauto.NewGauge(prometheus.GaugeOpts{Namespace: ns, Name: name}) }

func setup(x m) {
	const sub = "cart"
	promauto.NewGauge(prometheus.GaugeOpts{Namespace: ns, Subsystem: sub, Name: "items"})
	{
		ns := "local"
		promauto.NewGauge(prometheus.GaugeOpts{Namespace: ns, Name: "shadowed"})
	}
	x.gauge("by_method")
	switch v := any(1).(type) {
	default:
		promauto.NewGauge(prometheus.GaugeOpts{Name: fmt.Sprint(v)})
	}
}
`},
		want: []string{
			"shop/m.go:20:78 shop_cart_items gauge [] promauto.NewGauge",
			"shop/m.go:23:63 local_shadowed gauge [] promauto.NewGauge",
			"shop/m.go:25:10 shop_by_method gauge [] promauto.NewGauge",
			"shop/m.go:28:48 unresolved * gauge: the name is the result of Sprint()",
		},
	},
	{
		name: "keeps a helper's definitions where they are written when the call changes nothing in them",
		files: map[string]string{
			"shop/metrics.go": goHeader + `
func newMetrics(reg prometheus.Registerer, sub string) {
	promauto.With(reg).NewGauge(prometheus.GaugeOpts{Name: "shop_up"})
	promauto.With(reg).NewGauge(prometheus.GaugeOpts{Name: "shop_" + sub + "_ready"})
}
`,
			"shop/main.go": "package shop\n\nimport \"github.com/prometheus/client_golang/prometheus\"\n\nfunc run() {\n\tnewMetrics(prometheus.NewRegistry(), \"a\")\n\tnewMetrics(prometheus.DefaultRegisterer, \"b\")\n}\n",
		},
		want: []string{
			"shop/main.go:6:2 shop_a_ready gauge [] promauto.With(…).NewGauge",
			"shop/main.go:7:2 shop_b_ready gauge [] promauto.With(…).NewGauge",
			"shop/metrics.go:13:57 shop_up gauge [] promauto.With(…).NewGauge",
		},
	},
	{
		name: "never drops a constructor it cannot read",
		files: map[string]string{"shop/m.go": goHeader + `
func build(opts prometheus.GaugeOpts) {
	prometheus.NewGauge()
	prometheus.NewGauge(opts)
	promauto.NewGauge(makeOpts())
}
`},
		want: []string{
			"shop/m.go:13:2 unresolved * gauge: the constructor has no options",
			"shop/m.go:14:22 unresolved * gauge: the options are not a literal the code shows",
			"shop/m.go:15:20 unresolved * gauge: the options are not a literal the code shows",
		},
	},
	{
		name: "checks again for an OS only the packages whose names differ and their importers, and joins the names",
		files: map[string]string{
			"go.mod":                     resolveMod,
			"internal/osname/linux.go":   "//go:build linux\n\npackage osname\n\nconst Name = \"linux\"\n",
			"internal/osname/other.go":   "//go:build !linux\n\npackage osname\n\nconst Name = \"other\"\n",
			"internal/fileutil/f.go":     "package fileutil\n\nfunc Sync() error { return nil }\n",
			"internal/fileutil/f_win.go": "//go:build windows\n\npackage fileutil\n\nvar max int64 = 1 << 30\n",
			"internal/metrics/m.go": `package metrics

import (
	"example.com/app/internal/fileutil"
	"example.com/app/internal/osname"
	"github.com/prometheus/client_golang/prometheus"
)

var a = prometheus.NewGauge(prometheus.GaugeOpts{Namespace: osname.Name, Name: "a"})
var _ = fileutil.Sync
`,
		},
		want: []string{
			"internal/metrics/m.go:9:80 linux_a gauge [] prometheus.NewGauge",
			"internal/metrics/m.go:9:80 other_a gauge [] prometheus.NewGauge",
		},
	},
	{
		name: "skips files no OS builds and joins definitions that differ by OS",
		files: map[string]string{
			"shop/m.go":          goHeader + "\nvar a = promauto.NewGauge(prometheus.GaugeOpts{Name: \"shop_\" + osName})\n",
			"shop/os_linux.go":   "package shop\n\nconst osName = \"linux\"\n",
			"shop/os_windows.go": "//go:build windows\n\npackage shop\n\nconst osName = \"windows\"\n",
			"shop/os_other.go":   "//go:build !linux && !windows\n\npackage shop\n\nconst osName = \"other\"\n",
			"shop/ignored.go":    "//go:build ignore\n\npackage shop\n\nimport \"github.com/prometheus/client_golang/prometheus\"\n\nvar b = prometheus.NewGauge(prometheus.GaugeOpts{Name: \"shop_ignored\"})\n",
		},
		want: []string{
			"shop/m.go:12:54 shop_linux gauge [] promauto.NewGauge",
			"shop/m.go:12:54 shop_other gauge [] promauto.NewGauge",
			"shop/m.go:12:54 shop_windows gauge [] promauto.NewGauge",
		},
	},
}

// FuzzLoadGoSet checks that no Go file read with the rest of its set (another package, a
// go.mod) makes the resolver crash, and that positions stay inside the file.
func FuzzLoadGoSet(f *testing.F) {
	for _, c := range goResolveCases {
		for p, src := range c.files {
			if strings.HasSuffix(p, ".go") {
				f.Add(src)
			}
		}
	}
	f.Fuzz(func(t *testing.T, src string) {
		m := lint.NewSourceFile("app/m/m.go", []byte(src))
		files := []*lint.SourceFile{
			lint.NewSourceFile("go.mod", []byte(resolveMod)),
			lint.NewSourceFile("app/c/c.go", []byte("package c\n\nconst App = \"app\"\n\nvar Name = App + \"_x\"\n")),
			m,
		}
		expos, probs := LoadFiles(files)
		for _, pr := range probs {
			if strings.Contains(pr.Message, "could not read the metric definitions") {
				t.Errorf("the loader crashed: %s", pr.Message)
			}
		}
		for _, e := range expos {
			for _, fam := range e.Families {
				if at := fam.At(); at.Line < 1 || at.Line > m.LineCount() || at.Col < 1 {
					t.Errorf("position %s outside the file", at)
				}
			}
			for _, u := range e.Code.Unresolved {
				if u.At.Line < 1 || u.At.Line > m.LineCount() || u.At.Col < 1 {
					t.Errorf("position %s outside the file", u.At)
				}
			}
		}
	})
}
