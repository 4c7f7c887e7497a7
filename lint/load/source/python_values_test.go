package source

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestPythonLabelValues(t *testing.T) {
	tests := []struct {
		name    string
		files   map[string]string
		want    []string
		growing []string
	}{
		{
			name: "reads positional and keyword .labels() of constants across modules as a complete set",
			files: map[string]string{
				"app/__init__.py": "",
				"app/metrics.py": `from prometheus_client import Counter
ROUTE = "/b"
REQS = Counter("app_reqs", "R.", ["route", "code"])
`,
				"app/server.py": `from app import metrics
from app.metrics import REQS, ROUTE

def f(code):
    REQS.labels("/a", code).inc()
    metrics.REQS.labels(route=ROUTE, code="200").inc()
    child = REQS.labels("/c", "500")
`,
			},
			want: []string{"app_reqs_total code=200,500", "app_reqs_total route=/a,/b,/c complete"},
		},
		{
			name: "gives no complete set for **kwargs, a wrong argument count, or a holder passed on",
			files: map[string]string{"app/m.py": `from prometheus_client import Counter
KW = Counter("app_kw", "K.", ["k"])
BAD = Counter("app_bad", "B.", ["k"])
PASSED = Counter("app_passed", "P.", ["k"])

def f(extra):
    KW.labels(k="x").inc()
    KW.labels(**extra).inc()
    BAD.labels("x").inc()
    BAD.labels("x", "y").inc()
    PASSED.labels("x").inc()
    register(PASSED)
`},
			want: []string{"app_bad_total k=x", "app_kw_total k=x", "app_passed_total k=x"},
		},
		{
			name: "marks a gauge only incremented as growing, not one decremented, set or tracked",
			files: map[string]string{"app/m.py": `from prometheus_client import Gauge
HITS = Gauge("app_hits", "H.")
DEPTH = Gauge("app_depth", "D.")
LAST = Gauge("app_last", "L.")
BUSY = Gauge("app_busy", "B.")

def f():
    HITS.inc()
    HITS.inc(3)
    DEPTH.inc()
    DEPTH.dec()
    LAST.set_function(lambda: 1)
    with BUSY.track_inprogress():
        pass
`},
			growing: []string{"app_hits"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, loadValues(tt.files)); diff != "" {
				t.Errorf("values (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.growing, loadGrowing(tt.files)); diff != "" {
				t.Errorf("growing (-want +got):\n%s", diff)
			}
		})
	}
}
