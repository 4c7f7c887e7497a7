package source

import "testing"

// TestLoadGoHeldRegisterer covers the registerers the field re-run of issue 14 found read
// wrong in Thanos (docs/field-results.md, misses G3 and G7).
func TestLoadGoHeldRegisterer(t *testing.T) {
	runLoadCases(t, []loadCase{
		{
			name: "reads a project wrapper that holds its registerer, in a field or embedded, as that registerer",
			files: map[string]string{"shop/m.go": goHeader + `
type unRegisterer struct {
	inner prometheus.Registerer
	seen  []prometheus.Collector
}

type tracker struct{ prometheus.Registerer }

func newUnRegisterer(r prometheus.Registerer) *unRegisterer { return &unRegisterer{inner: r} }

func newTracker(r prometheus.Registerer) tracker { return tracker{Registerer: r} }

func tenant(id string, base prometheus.Registerer) {
	reg := prometheus.WrapRegistererWith(prometheus.Labels{"tenant": id}, base)
	unreg := newUnRegisterer(reg)
	reg = unreg
	promauto.With(prometheus.WrapRegistererWithPrefix("shop_", reg)).NewCounter(prometheus.CounterOpts{Name: "hits_total"})
}

func tracked(base prometheus.Registerer) {
	reg := prometheus.WrapRegistererWithPrefix("shop_", base)
	reg = newTracker(reg)
	promauto.With(reg).NewGauge(prometheus.GaugeOpts{Name: "tracked"})
}

func rewrapped(base prometheus.Registerer) {
	reg := prometheus.WrapRegistererWithPrefix("shop_", base)
	reg = newUnRegisterer(prometheus.WrapRegistererWithPrefix("again_", reg))
	promauto.With(reg).NewGauge(prometheus.GaugeOpts{Name: "rewrapped"})
}
`},
			want: []string{
				"shop/m.go:27:107 shop_hits_total counter [tenant] promauto.With(…).NewCounter",
				"shop/m.go:33:57 shop_tracked gauge [] promauto.With(…).NewGauge",
				"shop/m.go:39:57 unresolved *rewrapped gauge: the registerer reg is assigned more than once",
			},
		},
		{
			name: "reads a registerer set under a condition in a helper evaluated at its call site",
			files: map[string]string{
				"go.mod": resolveMod,
				"app/recv/recv.go": `package recv

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
)

type Options struct{ Registry *prometheus.Registry }

func NewHandler(o *Options) prometheus.Counter {
	var registerer prometheus.Registerer = nil
	if o.Registry != nil {
		registerer = o.Registry
	}
	if o.Registry != nil {
		instrument(o.Registry)
	}
	return promauto.With(registerer).NewCounter(prometheus.CounterOpts{Name: "recv_forward_requests_total"})
}

func NewPrefixed(o *Options, other prometheus.Registerer) prometheus.Counter {
	registerer := other
	if o.Registry != nil {
		registerer = prometheus.WrapRegistererWithPrefix("x_", o.Registry)
	}
	instrument(other)
	return promauto.With(registerer).NewCounter(prometheus.CounterOpts{Name: "recv_prefixed_total"})
}

func instrument(reg prometheus.Registerer) {
	promauto.With(reg).NewCounter(prometheus.CounterOpts{Name: "recv_http_requests_total"})
}
`,
				"app/main.go": `package main

import (
	"github.com/prometheus/client_golang/prometheus"

	"example.com/app/recv"
)

func main() {
	reg := prometheus.NewRegistry()
	recv.NewHandler(&recv.Options{Registry: reg})
	recv.NewPrefixed(&recv.Options{Registry: reg}, reg)
}
`,
			},
			want: []string{
				"app/recv/recv.go:18:75 recv_forward_requests_total counter [] promauto.With(…).NewCounter",
				"app/recv/recv.go:31:61 recv_http_requests_total counter [] promauto.With(…).NewCounter",
				"app/recv/recv.go:27:75 unresolved *recv_prefixed_total counter: the registerer registerer is assigned more than once",
			},
		},
		{
			name: "prefixes the metrics a collector holds with the registerer the collector is registered on",
			files: map[string]string{"shop/m.go": goHeader + `
type tx struct {
	current *prometheus.GaugeVec
	made    func() *prometheus.GaugeVec
	own     prometheus.Counter
}

func newTx(reg prometheus.Registerer, opts prometheus.GaugeOpts) *tx {
	f := func() *prometheus.GaugeVec {
		g := promauto.With(nil).NewGaugeVec(opts, []string{"addr"})
		return g
	}
	t := &tx{current: f(), made: f, own: promauto.With(reg).NewCounter(prometheus.CounterOpts{Name: "own_total"})}
	reg.MustRegister(t)
	return t
}

func setup(reg prometheus.Registerer) {
	newTx(prometheus.WrapRegistererWithPrefix("shop_query_", reg), prometheus.GaugeOpts{Name: "results"})
	direct := &tx{current: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "direct"}, nil)}
	prometheus.WrapRegistererWithPrefix("shop_", reg).MustRegister(direct)
}
`},
			want: []string{
				// registered where it is made, on the wrapped registerer: prefixed once
				"shop/m.go:29:2 shop_query_own_total counter [] promauto.With(…).NewCounter",
				"shop/m.go:29:65 shop_query_results gauge [addr] absent promauto.With(…).NewGaugeVec",
				"shop/m.go:30:75 shop_direct gauge [] absent prometheus.NewGaugeVec",
			},
		},
	})
}

// TestLoadGoLongHelperChain checks that a chain of helpers as deep as the bound is read at its
// call site whatever order the resolver's maps are walked in (the helpers were found in a
// bounded number of sweeps over a map, so a long chain was found or not by chance).
func TestLoadGoLongHelperChain(t *testing.T) {
	runLoadCases(t, []loadCase{{
		name: "reads a chain of ten helpers at its call site",
		files: map[string]string{"shop/m.go": goHeader + `
func setup() { h1("shop_chained") }

func h1(name string) { h2(name) }
func h2(name string) { h3(name) }
func h3(name string) { h4(name) }
func h4(name string) { h5(name) }
func h5(name string) { h6(name) }
func h6(name string) { h7(name) }
func h7(name string) { h8(name) }
func h8(name string) { h9(name) }
func h9(name string) { h10(name) }
func h10(name string) { promauto.NewGauge(prometheus.GaugeOpts{Name: name}) }
`},
		want: []string{"shop/m.go:12:19 shop_chained gauge [] promauto.NewGauge"},
	}})
}
