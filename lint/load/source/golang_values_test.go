package source

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/driftlint/driftlint/lint"
)

// loadValues loads Go files and returns, per family with label values, "label=v1,v2" with
// " complete" when the set is complete.
func loadValues(files map[string]string) []string {
	var fs []*lint.SourceFile
	for p, src := range files {
		fs = append(fs, lint.NewSourceFile(p, []byte(src)))
	}
	slices.SortFunc(fs, func(a, b *lint.SourceFile) int { return strings.Compare(a.Path, b.Path) })
	expos, _ := LoadFiles(fs)
	var got []string
	for _, e := range expos {
		if e.Code == nil {
			continue
		}
		for name, d := range e.Code.Defs {
			for l, vs := range d.LabelValues {
				s := fmt.Sprintf("%s %s=%s", name, l, strings.Join(vs, ","))
				if d.ValuesComplete[l] {
					s += " complete"
				}
				got = append(got, s)
			}
		}
	}
	slices.Sort(got)
	return got
}

func TestGoLabelValues(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  []string
	}{
		{
			name: "reads WithLabelValues and With(Labels) of an unexported variable as a complete set",
			files: map[string]string{"shop/m.go": goHeader + `
const routeSearch = "/indexes/{index_uid}/search"

var requests = promauto.NewCounterVec(prometheus.CounterOpts{Name: "shop_requests_total"}, []string{"route", "code"})

func handle(ok bool) {
	requests.WithLabelValues(routeSearch, "200").Inc()
	requests.With(prometheus.Labels{"route": "/health", "code": "500"}).Inc()
	requests.Reset()
}

func init() { prometheus.MustRegister(requests) }
`},
			want: []string{
				"shop_requests_total code=200,500 complete",
				"shop_requests_total route=/health,/indexes/{index_uid}/search complete",
			},
		},
		{
			name: "a value computed at run time leaves that label incomplete, the others complete",
			files: map[string]string{"shop/m.go": goHeader + `
type metrics struct{ reqs *prometheus.CounterVec }

func newMetrics() *metrics {
	return &metrics{reqs: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "shop_calls_total"}, []string{"method", "code"})}
}

func (m *metrics) observe(code int) {
	m.reqs.WithLabelValues("get", fmt.Sprint(code)).Inc()
	m.reqs.WithLabelValues("put", "200").Inc()
}
`},
			want: []string{
				"shop_calls_total code=200",
				"shop_calls_total method=get,put complete",
			},
		},
		{
			name: "a holder that escapes, is exported or is curried gives values but no complete set",
			files: map[string]string{"shop/m.go": goHeader + `
var passed = promauto.NewCounterVec(prometheus.CounterOpts{Name: "shop_passed_total"}, []string{"kind"})
var Exported = promauto.NewCounterVec(prometheus.CounterOpts{Name: "shop_exported_total"}, []string{"kind"})
var curried = promauto.NewCounterVec(prometheus.CounterOpts{Name: "shop_curried_total"}, []string{"kind", "code"})

func use(c *prometheus.CounterVec) {}

func f() {
	passed.WithLabelValues("a").Inc()
	use(passed)
	Exported.WithLabelValues("b").Inc()
	curried.WithLabelValues("c", "1").Inc()
	curried.MustCurryWith(prometheus.Labels{"kind": "d"})
}
`},
			want: []string{
				"shop_curried_total code=1",
				"shop_curried_total kind=c",
				"shop_exported_total kind=b",
				"shop_passed_total kind=a",
			},
		},
		{
			name: "reads a field set in a helper that is read at each call site, and a parameter value leaves its label open",
			files: map[string]string{"cache/client.go": goHeader + `
type client struct{ failures *prometheus.CounterVec }

const (
	opGet         = "get"
	reasonTimeout = "timeout"
)

func newClient(name string) *client {
	c := &client{}
	c.failures = promauto.NewCounterVec(prometheus.CounterOpts{Name: name}, []string{"op", "reason"})
	c.failures.WithLabelValues(opGet, reasonTimeout)
	return c
}

var _ = newClient("cache_failures_total")

func (c *client) track(op string) { c.failures.WithLabelValues(op, "other").Inc() }
`},
			want: []string{
				"cache_failures_total op=get",
				"cache_failures_total reason=other,timeout complete",
			},
		},
		{
			name: "reads a helper of another file of the package",
			files: map[string]string{
				"pool/metrics.go": goHeader + `
type poolMetrics struct{ gets *prometheus.CounterVec }

func newPoolMetrics(reg prometheus.Registerer) *poolMetrics {
	return &poolMetrics{gets: promauto.With(reg).NewCounterVec(prometheus.CounterOpts{Name: "pool_gets_total"}, []string{"result"})}
}
`,
				"pool/pool.go": goHeader + `
type pool struct{ m *poolMetrics }

func newPool(reg prometheus.Registerer) *pool { return &pool{m: newPoolMetrics(reg)} }

func (p *pool) get(ok bool) {
	if ok {
		p.m.gets.WithLabelValues("hit").Inc()
		return
	}
	p.m.gets.WithLabelValues("miss").Inc()
}
`,
			},
			want: []string{"pool_gets_total result=hit,miss complete"},
		},
		{
			name: "a spread argument or a label map in a variable says nothing of any label",
			files: map[string]string{"shop/m.go": goHeader + `
var spread = promauto.NewGaugeVec(prometheus.GaugeOpts{Name: "shop_spread"}, []string{"a", "b"})

func f(vals []string, ls prometheus.Labels) {
	spread.WithLabelValues("x", "y").Set(1)
	spread.WithLabelValues(vals...).Set(1)
	spread.With(ls).Set(1)
}
`},
			want: []string{"shop_spread a=x", "shop_spread b=y"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, loadValues(tt.files)); diff != "" {
				t.Errorf("values (-want +got):\n%s", diff)
			}
		})
	}
}
