package source

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestLoadPython(t *testing.T) {
	runLoadCases(t, []loadCase{
		{
			name: "names metrics as prometheus_client does, from positional or keyword arguments",
			files: map[string]string{"app/m.py": `from prometheus_client import Counter, Gauge, Histogram, Summary, Info, Enum

A = Counter("orders", "Orders.", ["status"], "shop")
B = Counter("refunds_total", "Refunds.", namespace="shop", subsystem="pay")
C = Gauge(name="temp", documentation="Temp.", labelnames=("room",), unit="celsius")
D = Histogram("latency_seconds", "Latency.", unit="seconds")
E = Summary("shop_rpc", "RPC.", labelnames=["method"])
F = Info("shop_build", "Build.")
G = Enum("shop_state", "State.", states=["up", "down"])
H = Counter("shop_bytes", "Bytes.", unit="bytes")
`},
			want: []string{
				"app/m.py:3:13 shop_orders_total counter [status] prometheus_client.Counter",
				"app/m.py:4:13 shop_pay_refunds_total counter [] prometheus_client.Counter",
				"app/m.py:5:16 temp_celsius gauge [room] prometheus_client.Gauge",
				"app/m.py:6:15 latency_seconds histogram [] prometheus_client.Histogram",
				"app/m.py:7:13 shop_rpc summary [method] prometheus_client.Summary",
				"app/m.py:8:10 shop_build_info info [] ?labels prometheus_client.Info",
				"app/m.py:9:10 shop_state stateset [shop_state] prometheus_client.Enum",
				"app/m.py:10:13 shop_bytes_total counter [] prometheus_client.Counter",
			},
		},
		{
			name: "follows aliases and module imports, and leaves collections.Counter alone",
			files: map[string]string{"app/m.py": `from collections import Counter
import prometheus_client as prom
import prometheus_client
from prometheus_client import Gauge as G

words = Counter("a b".split())
A = prom.Counter("shop_a", "A.")
B = prometheus_client.Gauge("shop_b", "B.")
C = G("shop_c", "C.")
D = other.Gauge("not_prometheus", "x")
`},
			want: []string{
				"app/m.py:7:18 shop_a_total counter [] prometheus_client.Counter",
				"app/m.py:8:29 shop_b gauge [] prometheus_client.Gauge",
				"app/m.py:9:7 shop_c gauge [] prometheus_client.Gauge",
			},
		},
		{
			name: "resolves module constants assigned once, and reports the others",
			files: map[string]string{"app/m.py": `from prometheus_client import Counter, Gauge
import os

NS = "shop"
SUB: str = NS + "_cart"
LABELS = ("a", "b")
PREFIX = "x"
PREFIX = "y"
ENV = os.environ.get("ENV", "dev")
if ENV == "prod":
    MODE = "p"
else:
    MODE = "d"

A = Gauge(SUB + "_items", "Items.", LABELS)
B = Gauge(f"{NS}_open_carts", "Open carts.")
C = Gauge(PREFIX + "_x", "X.")
D = Gauge(f"{NS}_{ENV}_y", "Y.")
E = Gauge(MODE + "_z", "Z.")
F = Gauge("shop_%s" % ENV, "F.")
G = Gauge("shop_{}".format(ENV), "G.")
H = Gauge("shop_" "implicit", "H.", labelnames=LABELS_FROM_ELSEWHERE)


def make(kind):
    NS = "local"
    return Counter("jobs_" + kind, "Jobs.")


I = [Counter(f"shop_{s}", "S.") for s in ["p", "q"]]
`},
			want: []string{
				"app/m.py:15:11 shop_cart_items gauge [a b] prometheus_client.Gauge",
				"app/m.py:16:11 shop_open_carts gauge [] prometheus_client.Gauge",
				"app/m.py:22:11 shop_implicit gauge [] ?labels prometheus_client.Gauge",
				"app/m.py:17:11 unresolved *_x gauge: the name comes from PREFIX, which is not a module constant",
				"app/m.py:18:11 unresolved shop_*_y gauge: the name comes from ENV, whose value is computed at run time",
				"app/m.py:19:11 unresolved *_z gauge: the name comes from MODE, which is not a module constant",
				"app/m.py:20:11 unresolved shop_* gauge: the name is built with %",
				"app/m.py:21:11 unresolved shop_* gauge: the name is built by str.format",
				"app/m.py:27:20 unresolved jobs_*_total counter: the name comes from the parameter kind",
				"app/m.py:30:14 unresolved shop_*_total counter: the name comes from the loop variable s",
			},
		},
		{
			name: "reads custom collector families and marks them and conditional metrics as possibly absent",
			files: map[string]string{"app/c.py": `from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, HistogramMetricFamily
from prometheus_client import Gauge

class C:
    def collect(self):
        yield GaugeMetricFamily("shop_up", "Up.", value=1)
        c = CounterMetricFamily("shop_errors_total", "Errors.", labels=["kind"])
        yield HistogramMetricFamily("shop_size", "Size.", None, None, ["route"], unit="bytes")

if FLAG:
    REPLAY = Gauge("shop_replay", "Replay.")
try:
    T = Gauge("shop_try", "Try.")
except ImportError:
    pass
`},
			want: []string{
				"app/c.py:6:33 shop_up gauge [] absent prometheus_client.GaugeMetricFamily",
				"app/c.py:7:33 shop_errors_total counter [kind] absent prometheus_client.CounterMetricFamily",
				"app/c.py:8:37 shop_size_bytes histogram [route] absent prometheus_client.HistogramMetricFamily",
				"app/c.py:11:20 shop_replay gauge [] absent prometheus_client.Gauge",
				"app/c.py:13:15 shop_try gauge [] prometheus_client.Gauge",
			},
		},
		{
			name: "reads hand-written text in triple-quoted, adjacent and formatted strings",
			files: map[string]string{"app/h.py": `def metrics(v, n):
    head = """# HELP shop_build_info Build.
# TYPE shop_build_info gauge
"""
    line = f'shop_build_info{{version="{v}"}} 1\n'
    more = ("# TYPE shop_hand_total counter\n"
            'shop_hand_total{code="%s"} 1\n' % n)
    dyn = "# TYPE {} gauge\n".format(n)
    return head + line + more + dyn
`},
			want: []string{
				"app/h.py:2:22 shop_build_info gauge [version] # TYPE line",
				"app/h.py:6:21 shop_hand_total counter [code] # TYPE line",
				"app/h.py:8:19 unresolved * gauge: the name in a # TYPE line is filled in at run time",
			},
		},
		{
			name:     "reports an unterminated string and keeps what came before",
			files:    map[string]string{"app/m.py": "from prometheus_client import Gauge\nA = Gauge('shop_ok', 'Ok.')\nB = Gauge('open\n"},
			want:     []string{"app/m.py:2:11 shop_ok gauge [] prometheus_client.Gauge"},
			problems: []string{"app/m.py:3:11: python: unterminated string literal"},
		},
		{
			name: "skips test modules",
			files: map[string]string{
				"app/test_m.py":   "from prometheus_client import Gauge\nA = Gauge('t', 'T.')\n",
				"app/m_test.py":   "from prometheus_client import Gauge\nA = Gauge('t', 'T.')\n",
				"app/conftest.py": "from prometheus_client import Gauge\nA = Gauge('t', 'T.')\n",
			},
		},
	})
}

func TestTokenizePython(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string
	}{
		{"ends logical lines outside brackets only", "a = f(1,\n  2)\nb", []string{"a", "=", "f", "(", "1", ",", "2", ")", "\\n", "b", "\\n"}},
		{"joins lines with a backslash and drops comments", "a = 1 + \\\n  2  # c\n", []string{"a", "=", "1", "+", "2", "\\n"}},
		{"reads prefixed and triple-quoted strings", `rb'\d' F"x{y}" '''a'b'''`, []string{`rb'\d'`, `F"x{y}"`, `'''a'b'''`, "\\n"}},
		{"reads an f-string with quotes inside a field", `f"{d["k"]}" x`, []string{`f"{d["k"]}"`, "x", "\\n"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			toks, err := tokenizePython([]byte(tt.src))
			if err != nil {
				t.Fatalf("error at %d: %s", err.off, err.msg)
			}
			var got []string
			for _, tk := range toks {
				if tk.kind == tokNewline {
					got = append(got, "\\n")
					continue
				}
				got = append(got, tk.text)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("tokens (-want +got):\n%s", diff)
			}
		})
	}
}
