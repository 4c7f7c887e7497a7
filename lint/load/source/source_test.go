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
		want  map[string][]string // file → Covers (nil: the prefixes of its families)
	}{
		{
			name: "covers the prefixes of its families when every name is known",
			files: map[string]string{
				"a.py": "from prometheus_client import Gauge\nA = Gauge('shop_a', 'A.')\n",
			},
			want: map[string][]string{"a.py": nil},
		},
		{
			name: "covers only the exact names in the prefixes that a run-time name of any file can reach",
			files: map[string]string{
				"a.go": "package a\n\nimport \"github.com/prometheus/client_golang/prometheus\"\n\nfunc f(n string) {\n\tprometheus.NewGauge(prometheus.GaugeOpts{Name: \"shop_\" + n})\n}\n",
				"b.py": "from prometheus_client import Gauge, Histogram\nA = Gauge('shop_b', 'B.')\nB = Gauge('other_c', 'C.')\nC = Histogram('shop_h', 'H.')\n",
			},
			want: map[string][]string{
				"a.go": {},
				"b.py": {"shop_b", "other", "other_*", "shop_h", "shop_h_bucket", "shop_h_sum", "shop_h_count", "shop_h_created", "shop_h_gsum", "shop_h_gcount"},
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

func TestPatternReaches(t *testing.T) {
	tests := []struct {
		name, pattern, prefix string
		want                  bool
	}{
		{"a constant name reaches its own prefix", "shop_a", "shop", true},
		{"a constant name reaches no other prefix", "shop_a", "cart", false},
		{"a literal start fixes the prefix", "shop_*_total", "shop", true},
		{"a literal start rules out other prefixes", "shop_*_total", "shopping", false},
		{"a short literal start reaches longer prefixes", "sh*", "shop", true},
		{"a leading hole reaches every prefix", "*_total", "cart", true},
		{"a hole right after the prefix may extend it", "shop*", "shopping", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := patternReaches(tt.pattern, tt.prefix); got != tt.want {
				t.Errorf("patternReaches(%q, %q) = %v, want %v", tt.pattern, tt.prefix, got, tt.want)
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
