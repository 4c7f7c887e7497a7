package source

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/driftlint/driftlint/lint"
)

// summary describes an exposition's facts one line each, for comparisons:
//
//	3:9 name type [labels] ?labels absent via
//	5:2 unresolved pattern type: reason
func summary(e *lint.Exposition) []string {
	if e == nil {
		return nil
	}
	var out []string
	for _, n := range e.Order {
		f := e.Families[n]
		d := e.Code.Defs[n]
		s := fmt.Sprintf("%d:%d %s %s [%s]", f.At().Line, f.At().Col, n, f.Type, strings.Join(f.Labels, " "))
		if d.LabelsUnknown {
			s += " ?labels"
		}
		if d.MayBeAbsent != "" {
			s += " absent"
		}
		out = append(out, s+" "+d.Via)
	}
	for _, u := range e.Code.Unresolved {
		out = append(out, fmt.Sprintf("%d:%d unresolved %s %s: %s", u.At.Line, u.At.Col, u.Pattern, u.Type, u.Reason))
	}
	return out
}

// load runs LoadFiles over files given as path → source and summarizes every exposition.
func load(files map[string]string) ([]string, []string) {
	var fs []*lint.SourceFile
	for p, src := range files {
		fs = append(fs, lint.NewSourceFile(p, []byte(src)))
	}
	slices.SortFunc(fs, func(a, b *lint.SourceFile) int { return strings.Compare(a.Path, b.Path) })
	expos, probs := LoadFiles(fs)
	var got []string
	for _, e := range expos {
		for _, s := range summary(e) {
			got = append(got, e.File.Path+":"+s)
		}
	}
	var problems []string
	for _, p := range probs {
		problems = append(problems, p.At.String()+": "+p.Message)
	}
	return got, problems
}

type loadCase struct {
	name     string
	files    map[string]string
	want     []string
	problems []string
}

func runLoadCases(t *testing.T, cases []loadCase) {
	t.Helper()
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			got, problems := load(tt.files)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("facts (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.problems, problems); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCovers(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  map[string][]string // file → Covers
	}{
		{
			name: "owns the first two words of each name, and a short name alone",
			files: map[string]string{
				"a.py": "from prometheus_client import Gauge, Histogram\nA = Gauge('shop_cart_items', 'A.')\nB = Gauge('shop_a', 'B.')\nC = Histogram('shop_cart_latency_seconds', 'C.')\n",
			},
			want: map[string][]string{"a.py": {"shop_cart_*", "shop_a"}},
		},
		{
			name: "a run-time name of another file narrows nothing: the project excuses what it may produce",
			files: map[string]string{
				"a.go": "package a\n\nimport \"github.com/prometheus/client_golang/prometheus\"\n\nfunc f(n string) {\n\tprometheus.NewGauge(prometheus.GaugeOpts{Name: \"shop_\" + n})\n}\n",
				"b.py": "from prometheus_client import Gauge, Histogram\nA = Gauge('shop_b', 'B.')\nB = Gauge('other_c_d', 'C.')\nC = Histogram('shop_h', 'H.')\n",
			},
			want: map[string][]string{
				"a.go": {},
				"b.py": {"shop_b", "other_c_*", "shop_h", "shop_h_bucket", "shop_h_sum", "shop_h_count", "shop_h_created", "shop_h_gsum", "shop_h_gcount"},
			},
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
			got := map[string][]string{}
			for _, e := range expos {
				got[e.File.Path] = e.Covers
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("covers (-want +got):\n%s", diff)
			}
		})
	}
}

func TestOwnedSpace(t *testing.T) {
	tests := []struct {
		name, metric, space string
		owns                bool
	}{
		{"a literal name owns its first two words", "thanos_compact_blocks_marked_total", "thanos_compact", true},
		{"namespace and subsystem", "app_http_requests_total", "app_http", true},
		{"a namespace and a name of several words", "loki_distributor_appends_total", "loki_distributor", true},
		{"a library's first word is not owned whole", "grpc_foo_total", "grpc_foo", true},
		{"a two-word name owns only itself", "app_up", "", false},
		{"a one-word name owns only itself", "up", "", false},
		{"a colon name owns only itself", "job:app_requests:rate5m", "", false},
		{"a trailing underscore is no third word", "app_http_", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, ok := OwnedSpace(tt.metric); got != tt.space || ok != tt.owns {
				t.Errorf("OwnedSpace(%q) = %q, %v, want %q, %v", tt.metric, got, ok, tt.space, tt.owns)
			}
		})
	}
}

func TestHelpAndPositions(t *testing.T) {
	files := map[string]string{
		"m.go": "package m\n\nimport \"github.com/prometheus/client_golang/prometheus\"\n\nvar a = prometheus.NewGauge(prometheus.GaugeOpts{Name: \"go_app_a\", Help: \"Go \" + \"help.\"})\n",
		"m.rs": "use metrics::{counter, describe_counter};\nfn f() {\n    describe_counter!(\"rs.app\", metrics::Unit::Count, \"Rust help.\");\n    counter!(\"rs.app\").increment(1);\n}\n",
		"m.py": "from prometheus_client import Gauge\nA = Gauge('py_app', documentation='Python help.')\n",
		"h.go": "package m\n\nconst text = \"# HELP \\u0068and_x Hand \\\"help\\\".\\n\"\n",
	}
	var fs []*lint.SourceFile
	for p, src := range files {
		fs = append(fs, lint.NewSourceFile(p, []byte(src)))
	}
	expos, _ := LoadFiles(fs)
	got := map[string]string{}
	for _, e := range expos {
		for _, n := range e.Order {
			f := e.Families[n]
			got[n] = fmt.Sprintf("%s %s %q", f.At(), f.TypeAt, f.Help)
		}
	}
	want := map[string]string{
		"go_app_a": `m.go:5:56 m.go:5:56 "Go help."`,
		"rs_app":   `m.rs:4:14 m.rs:4:14 "Rust help."`,
		"py_app":   `m.py:2:11 m.py:2:11 "Python help."`,
		"hand_x":   `h.go:3:22  "Hand \"help\"."`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("families (-want +got):\n%s", diff)
	}
}

func TestFormats(t *testing.T) {
	tests := []struct {
		name, format string
		find         func(string) []span
		want         string
	}{
		{"fills %s and %v and keeps %%", "%s_%v_100%%_%d", printfVerbs, "a_b_100%_\x00"},
		{"fills {} fields and unescapes braces", "{}_{{x}}_{:?}", braceFields, "a_{x}_\x00"},
		{"reads a Python mapping key as one verb", "%(name)s_x", printfVerbs, "a_x"},
	}
	fill := func(i int, spec string) value {
		if strings.Contains(spec, "d") || strings.Contains(spec, "?") {
			return unknown("")
		}
		return known(string(rune('a' + i)))
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := fillFormat(tt.format, tt.find, fill, "why")
			if diff := cmp.Diff(tt.want, got.s); diff != "" {
				t.Errorf("value (-want +got):\n%s", diff)
			}
		})
	}
}

// FuzzLoad checks that no input makes a loader panic, and that every position it gives is
// inside the file.
func FuzzLoad(f *testing.F) {
	seeds := []string{
		goHeader + "var a = promauto.NewCounterVec(prometheus.CounterOpts{Name: \"x\"}, []string{\"a\"})\n",
		"use prometheus::*;\nlazy_static! { static ref A: IntCounter = register_int_counter!(\"a\", \"b\").unwrap(); }\nfn f() { let s = r#\"# TYPE x counter\"#; }\n",
		"from prometheus_client import Counter\nA = Counter(f'{X}_a', 'b', ['c'])\nt = '''# TYPE y gauge\ny{a=\"1\"} 2'''\n",
		"prometheus metrics \"# TYPE",
		"'\\", "r#\"", "f'{", "/* /*",
	}
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		for _, p := range []string{"a/m.go", "a/m.rs", "a/m.py"} {
			sf := lint.NewSourceFile(p, []byte(src))
			r := Load(sf)
			check := func(at lint.Pos) {
				if at.Line < 1 || at.Line > sf.LineCount() || at.Col < 1 {
					t.Errorf("%s: position %s outside the file", p, at)
				}
			}
			for _, pr := range r.Problems {
				if strings.Contains(pr.Message, "could not read the metric definitions") {
					t.Errorf("%s: the loader crashed: %s", p, pr.Message)
				}
			}
			if r.Exposition == nil {
				continue
			}
			for _, fam := range r.Exposition.Families {
				check(fam.At())
			}
			for _, u := range r.Exposition.Code.Unresolved {
				check(u.At)
			}
		}
	})
}
