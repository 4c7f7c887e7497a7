package source

import "testing"

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
				"shop/m.go:14:44 shop_a_total counter [region] prometheus.NewCounter",
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
