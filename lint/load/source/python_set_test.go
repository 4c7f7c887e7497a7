package source

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/driftlint/driftlint/lint"
)

func TestLoadPythonAcrossModules(t *testing.T) {
	runLoadCases(t, []loadCase{
		{
			name: "resolves constants imported by name, by module alias, relatively and through a package",
			files: map[string]string{
				"src/app/__init__.py": "",
				"src/app/consts.py":   "NS = 'shop'\nSUB = NS + '_cart'\nLABELS = ['route']\n",
				"src/app/metrics/__init__.py": `from .base import Histogram, SERVER_LABEL
from ..consts import NS as NAMESPACE
`,
				"src/app/metrics/base.py": `from prometheus_client import Histogram
SERVER_LABEL = "server"
`,
				"src/app/web.py": `import app.consts as c
import app.consts
from app.consts import SUB, LABELS
from app.metrics import Histogram, SERVER_LABEL, NAMESPACE
from . import consts
from prometheus_client import Gauge

A = Gauge(c.NS + "_a", "A.", [SERVER_LABEL])
B = Gauge(SUB + "_items", "B.", LABELS)
C = Histogram("latency_seconds", "C.", namespace=NAMESPACE)
D = Gauge(app.consts.NS + "_d", "D.")
E = Gauge(consts.NS + "_e", "E.")
F = Gauge(c.MISSING + "_f", "F.")
`,
			},
			want: []string{
				"src/app/web.py:8:11 shop_a gauge [server] prometheus_client.Gauge",
				"src/app/web.py:9:11 shop_cart_items gauge [route] prometheus_client.Gauge",
				"src/app/web.py:10:15 shop_latency_seconds histogram [] prometheus_client.Histogram",
				"src/app/web.py:11:11 shop_d gauge [] prometheus_client.Gauge",
				"src/app/web.py:12:11 shop_e gauge [] prometheus_client.Gauge",
				"src/app/web.py:13:11 unresolved *_f gauge: the name comes from c.MISSING, which is not a constant",
			},
		},
		{
			name: "calls re-exported and aliased classes, and leaves names of unread modules unresolved",
			files: map[string]string{
				"app/__init__.py": "from prometheus_client import Counter as C\n",
				"app/jobs.py": `from app import C
from vendor.names import PREFIX
import app

A = C("jobs_done", "Done.")
B = app.C("jobs_failed", "Failed.")
D = C(PREFIX + "_x", "X.")
`,
				"app/star.py": `from app import *
from collections import *

A = C("jobs_star", "Star.")
`,
			},
			want: []string{
				"app/jobs.py:5:7 jobs_done_total counter [] prometheus_client.Counter",
				"app/jobs.py:6:11 jobs_failed_total counter [] prometheus_client.Counter",
				"app/jobs.py:7:7 unresolved *_x_total counter: the name comes from PREFIX, imported from vendor.names, which is not a constant of the files read",
				"app/star.py:4:7 jobs_star_total counter [] prometheus_client.Counter",
			},
		},
		{
			name: "calls class attributes and self attributes that alias the client's classes",
			files: map[string]string{"app/m.py": `import prometheus_client
from prometheus_client import Gauge, Counter


class Metrics:
    gauge_cls = Gauge
    counter_cls = prometheus_client.Counter

    def __init__(self):
        self._hist_cls = prometheus_client.Histogram
        self.up = self.gauge_cls(name="app_up", documentation="Up.")
        self.reqs = self.counter_cls("app_requests", "Requests.", ["code"])
        self.lat = self._hist_cls(name="app_latency_seconds", documentation="Latency.", labelnames=["route"])
        self.other = self.unknown_cls("app_other", "Other.")
`},
			want: []string{
				"app/m.py:11:39 app_up gauge [] prometheus_client.Gauge",
				"app/m.py:12:38 app_requests_total counter [code] prometheus_client.Counter",
				"app/m.py:13:40 app_latency_seconds histogram [route] prometheus_client.Histogram",
			},
		},
		{
			name: "concatenates label lists and tuples, unpacks them, and keeps what is known",
			files: map[string]string{
				"app/labels.py": "BASE = ['model']\nEXTRA = ('engine',)\n",
				"app/m.py": `from prometheus_client import Gauge
from app.labels import BASE, EXTRA

A = Gauge("app_a", "A.", labelnames=BASE + ["engine"])
B = Gauge("app_b", "B.", EXTRA + ("gpu",))
C = Gauge("app_c", "C.", [*BASE, "x"])
D = Gauge("app_d", "D.", list(EXTRA))
E = Gauge("app_e", "E.", BASE + dynamic())
`,
			},
			want: []string{
				"app/m.py:4:11 app_a gauge [engine model] prometheus_client.Gauge",
				"app/m.py:5:11 app_b gauge [engine gpu] prometheus_client.Gauge",
				"app/m.py:6:11 app_c gauge [model x] prometheus_client.Gauge",
				"app/m.py:7:11 app_d gauge [engine] prometheus_client.Gauge",
				"app/m.py:8:11 app_e gauge [model] ?labels prometheus_client.Gauge",
			},
		},
		{
			name: "evaluates wrapper functions and classes at each call site, two deep and through **kwargs",
			files: map[string]string{
				"app/__init__.py": "",
				"app/wrap.py": `from prometheus_client import Counter, Histogram

PREFIX = "app_"


def counter(name, doc, labels=(), namespace="app"):
    return Counter(name, doc, labels, namespace=namespace)


def timed(name, doc, **kwargs):
    return counter(name + "_calls", doc, **kwargs)


class Timer:
    def __init__(self, name, documentation, labelnames=None, **kwargs):
        self._h = Histogram(PREFIX + name, documentation, labelnames=labelnames or [], **kwargs)


class RouteTimer(Timer):
    pass
`,
				"app/use.py": `from app.wrap import counter, timed, Timer, RouteTimer
from app import wrap

A = counter("orders", "Orders.", ["status"])
B = timed("login", "Logins.", labels=["ok"], namespace="auth")
C = Timer("render_seconds", "Render.", labelnames=["page"], unit="seconds")
D = RouteTimer(name="route_seconds", documentation="Route.")
E = wrap.counter(name="refunds", doc="Refunds.")


def make(kind):
    return counter(kind, "Jobs.")
`,
			},
			want: []string{
				"app/use.py:4:13 app_orders_total counter [status] prometheus_client.Counter",
				"app/use.py:5:11 auth_login_calls_total counter [ok] prometheus_client.Counter",
				"app/use.py:6:11 app_render_seconds histogram [] ?labels prometheus_client.Histogram",
				"app/use.py:7:21 app_route_seconds histogram [] ?labels prometheus_client.Histogram",
				"app/use.py:8:23 app_refunds_total counter [] prometheus_client.Counter",
				"app/use.py:12:20 unresolved app_*_total counter: the name comes from the parameter kind",
			},
		},
		{
			name: "keeps a wrapper's own definition when no call site is read",
			files: map[string]string{"app/wrap.py": `from prometheus_client import Gauge


def gauge(name):
    return Gauge("app_" + name, "Doc.")
`},
			want: []string{"app/wrap.py:5:18 unresolved app_* gauge: the name comes from the parameter name"},
		},
		{
			name: "reads colon names as given",
			files: map[string]string{"app/m.py": `from prometheus_client import Counter, Gauge
A = Gauge("vllm:num_requests_running", "Running.", ["model_name"])
B = Counter("app:requests", "Requests.")
`},
			want: []string{
				"app/m.py:2:11 vllm:num_requests_running gauge [model_name] prometheus_client.Gauge",
				"app/m.py:3:13 app:requests_total counter [] prometheus_client.Counter",
			},
		},
		{
			name: "makes an unreadable constructor call unresolved instead of dropping it",
			files: map[string]string{"app/m.py": `from prometheus_client import Gauge
A = Gauge("", "Empty.")
B = Gauge(*ARGS)
`},
			want: []string{
				"app/m.py:2:11 unresolved * gauge: the name is empty",
				"app/m.py:3:5 unresolved * gauge: the name is not among the visible arguments",
			},
		},
	})
}

func TestLoadPythonWrapperBounds(t *testing.T) {
	t.Run("reports wrappers nested deeper than the bound", func(t *testing.T) {
		var b strings.Builder
		b.WriteString("from prometheus_client import Gauge\n\ndef w0(n):\n    return Gauge(n, 'x')\n")
		for i := 1; i <= pyMaxDepth+1; i++ {
			b.WriteString(strings.NewReplacer("I", string(rune('0'+i%10))+strings.Repeat("x", i/10), "J", string(rune('0'+(i-1)%10))+strings.Repeat("x", (i-1)/10)).Replace("\ndef wI(n):\n    return wJ(n)\n"))
		}
		last := string(rune('0'+(pyMaxDepth+1)%10)) + strings.Repeat("x", (pyMaxDepth+1)/10)
		b.WriteString("\nA = w" + last + "('app_deep')\n")
		got, _ := load(map[string]string{"app/m.py": b.String()})
		want := "unresolved * untyped: the name is passed through more than 8 wrapper calls"
		if len(got) != 1 || !strings.HasSuffix(got[0], want) {
			t.Errorf("got %q, want one %q", got, want)
		}
	})
	t.Run("reports wrapper calls past the bound of the set", func(t *testing.T) {
		var b strings.Builder
		b.WriteString("from prometheus_client import Gauge\n\ndef g(n):\n    return Gauge(n, 'x')\n\n")
		for i := range pyMaxExpansions + 2 {
			b.WriteString("g('app_m" + strings.Repeat("x", i%7) + string(rune('a'+i%26)) + "')\n")
		}
		got, _ := load(map[string]string{"app/m.py": b.String()})
		n := 0
		for _, s := range got {
			if strings.Contains(s, "more than 4096 times") {
				n++
			}
		}
		if n != 2 {
			t.Errorf("got %d calls past the bound, want 2", n)
		}
	})
}

func TestPyModuleName(t *testing.T) {
	inits := map[string]bool{"src/app": true, "src/app/metrics": true}
	tests := []struct{ path, mod, pkg string }{
		{"src/app/consts.py", "app.consts", "app"},
		{"src/app/__init__.py", "app", "app"},
		{"src/app/metrics/__init__.py", "app.metrics", "app.metrics"},
		{"src/app/metrics/base.py", "app.metrics.base", "app.metrics"},
		{"scripts/run.py", "run", ""},
	}
	for _, tt := range tests {
		mod, pkg := pyModuleName(tt.path, inits)
		if diff := cmp.Diff([]string{tt.mod, tt.pkg}, []string{mod, pkg}); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.path, diff)
		}
	}
}

func TestLoadPythonSetNeverPanics(t *testing.T) {
	srcs := []string{
		"from prometheus_client import Gauge\nclass A(A):\n    pass\nA()\n",
		"from prometheus_client import Gauge\nL = L + L\nGauge('x', 'y', L)\n",
		"from prometheus_client import Gauge\nfrom .m import X\nGauge(X, 'y')\n",
		"from prometheus_client import Gauge\ndef f(n):\n    return f(n) or Gauge(n, 'x')\nf('app_x')\n",
		"from prometheus_client import Gauge\nself.g = self.g\nself.g('x')\n",
		"from prometheus_client import Gauge\ndef f(\n",
	}
	for _, src := range srcs {
		var fs []*lint.SourceFile
		fs = append(fs, lint.NewSourceFile("app/m.py", []byte(src)), lint.NewSourceFile("app/__init__.py", []byte("from .m import *\nfrom .m import X\n")))
		LoadFiles(fs)
	}
}

// FuzzLoadPythonSet checks that no pair of modules that import each other makes the Python
// loader panic or run away.
func FuzzLoadPythonSet(f *testing.F) {
	f.Add("from prometheus_client import Gauge\nfrom .b import N, w\nclass K(K):\n    g = Gauge\n    def __init__(self, n, **kw):\n        self.g(n + N, 'x', **kw)\nK('a', labelnames=L + ['x'])\nw(N)\n",
		"from .a import K\nimport app.a as a\nN = a.N\ndef w(n, *a, **k):\n    return K(n, *a, **k) or w(n)\n")
	f.Fuzz(func(t *testing.T, a, b string) {
		fs := []*lint.SourceFile{
			lint.NewSourceFile("app/__init__.py", nil),
			lint.NewSourceFile("app/a.py", []byte(a)),
			lint.NewSourceFile("app/b.py", []byte(b)),
		}
		_, probs := LoadFiles(fs)
		for _, pr := range probs {
			if strings.Contains(pr.Message, "could not read the metric definitions") {
				t.Errorf("the loader crashed: %s", pr.Message)
			}
		}
	})
}
