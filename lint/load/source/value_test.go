package source

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/driftlint/driftlint/lint"
)

func TestNamespaceFromPrefix(t *testing.T) {
	tests := []struct {
		name   string
		files  map[string]string
		prefix string
		want   []string // family names, then "? pattern" for each definition left unresolved
	}{
		{
			name: "takes an unknown Python namespace= from the entry's prefix",
			files: map[string]string{"hub/m.py": `import os
from prometheus_client import Counter, Gauge, Histogram
ns = os.getenv("NS", "hub")
A = Histogram("request_duration_seconds", "A.", ["code"], namespace=ns)
B = Counter("csp_reports_total", "B.", namespace=ns, subsystem="web")
C = Gauge("temp", "C.", namespace=ns, unit="celsius")
D = Gauge("up", "D.", namespace="fixed")
E = Gauge(os.getenv("N"), "E.", namespace=ns)
F = Gauge("x", "F.", namespace=ns, subsystem=os.getenv("S"))
`},
			prefix: "hub_",
			want: []string{
				"hub_request_duration_seconds", "hub_web_csp_reports_total", "hub_temp_celsius", "hub_fixed_up",
				"? hub_*", "? hub_*x",
			},
		},
		{
			name:  "leaves the namespace unresolved without a prefix",
			files: map[string]string{"hub/m.py": "import os\nfrom prometheus_client import Counter\nB = Counter('csp_reports', 'B.', namespace=os.getenv('NS'))\n"},
			want:  []string{"? *csp_reports_total"},
		},
		{
			name: "takes an unknown Rust .namespace() and Go Namespace: from the prefix",
			files: map[string]string{
				"app/src/lib.rs": `use prometheus::{IntCounter, Opts};
pub fn new() {
    let ns = std::env::var("NS").unwrap();
    let c = IntCounter::with_opts(Opts::new("events_total", "E.").namespace(ns)).unwrap();
}
`,
				"app/m.go": `package app

import (
	"os"

	"github.com/prometheus/client_golang/prometheus"
)

var G = prometheus.NewGauge(prometheus.GaugeOpts{Namespace: os.Getenv("NS"), Subsystem: "pool", Name: "size"})
`,
			},
			prefix: "app_",
			want:   []string{"app_pool_size", "app_events_total"}, // by path: app/m.go first
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var fs []*lint.SourceFile
			for p, src := range tt.files {
				fs = append(fs, lint.NewSourceFile(p, []byte(src)))
			}
			expos, probs := LoadFiles(fs)
			if len(probs) > 0 {
				t.Fatalf("problems: %v", probs)
			}
			if tt.prefix != "" {
				ApplyOptions(expos, []lint.SourceOpt{{Glob: "**", Prefix: tt.prefix}})
			}
			var got []string
			for _, e := range expos {
				got = append(got, e.Order...)
				for _, u := range e.Code.Unresolved {
					got = append(got, "? "+u.Pattern)
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("names (-want +got):\n%s", diff)
			}
		})
	}
}

func TestNamespaceFromPrefixKeepsFileOrder(t *testing.T) {
	f := lint.NewSourceFile("m.py", []byte("import os\nfrom prometheus_client import Gauge\nA = Gauge('a', 'A.', namespace=os.getenv('N'))\nB = Gauge('b', 'B.')\n"))
	expos, _ := LoadFiles([]*lint.SourceFile{f})
	ApplyOptions(expos, []lint.SourceOpt{{Glob: "*.py", Prefix: "p_"}})
	if got := expos[0].Order; !slices.Equal(got, []string{"p_a", "p_b"}) {
		t.Errorf("order = %v, want [p_a p_b]", got)
	}
	if d := expos[0].Code.Defs["p_a"]; d == nil || d.Via != "prometheus_client.Gauge" {
		t.Errorf("code def of p_a = %+v", d)
	}
}
