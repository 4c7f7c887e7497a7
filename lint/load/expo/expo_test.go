package expo

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/driftlint/driftlint/lint"
)

// fam is a family reduced to what the tests compare; positions are "line" or "".
type fam struct {
	Name, Type, Help      string
	Labels                []string
	HelpAt, TypeAt, First string
	Samples               []string // `series{k="v"} value @line`
	Redeclared, Reopened  []string
}

func lineOf(p lint.Pos) string {
	if !p.IsValid() {
		return ""
	}
	if p.Col != 1 {
		return fmt.Sprintf("%d:%d", p.Line, p.Col)
	}
	return strconv.Itoa(p.Line)
}

func lines(ps []lint.Pos) []string {
	var out []string
	for _, p := range ps {
		out = append(out, lineOf(p))
	}
	return out
}

func summarize(e *lint.Exposition) []fam {
	var out []fam
	for _, name := range e.Order {
		f := e.Families[name]
		s := fam{
			Name: f.Name, Type: f.Type, Help: f.Help, Labels: f.Labels,
			HelpAt: lineOf(f.HelpAt), TypeAt: lineOf(f.TypeAt), First: lineOf(f.FirstAt),
			Redeclared: lines(f.Redeclared), Reopened: lines(f.Reopened),
		}
		for _, smp := range f.Samples {
			var kv []string
			for k, v := range smp.Labels {
				kv = append(kv, fmt.Sprintf("%s=%q", k, v))
			}
			slices.Sort(kv)
			lbl := ""
			if len(kv) > 0 {
				lbl = "{" + strings.Join(kv, ",") + "}"
			}
			s.Samples = append(s.Samples, fmt.Sprintf("%s%s %g @%s", smp.Name, lbl, smp.Value, lineOf(smp.At)))
		}
		out = append(out, s)
	}
	return out
}

func problems(ps []lint.ParseProblem) []string {
	var out []string
	for _, p := range ps {
		out = append(out, lineOf(p.At)+" "+p.Message)
	}
	return out
}

func TestLoad(t *testing.T) {
	tests := []struct {
		name     string
		path     string // default scrape.prom
		input    string
		want     []fam
		problems []string
	}{
		{
			name: "reads a gauge with its help, type, labels and positions",
			input: `# HELP kafka_lag Consumer lag in messages.
# TYPE kafka_lag gauge
kafka_lag{topic="a",group="g"} 5
kafka_lag{topic="b"} 7.5
`,
			want: []fam{{
				Name: "kafka_lag", Type: "gauge", Help: "Consumer lag in messages.", Labels: []string{"group", "topic"},
				HelpAt: "1", TypeAt: "2", First: "3",
				Samples: []string{`kafka_lag{group="g",topic="a"} 5 @3`, `kafka_lag{topic="b"} 7.5 @4`},
			}},
		},
		{
			name: "names a text-format counter as its TYPE line does",
			input: `# TYPE http_requests_total counter
http_requests_total{code="200"} 10
`,
			want: []fam{{
				Name: "http_requests_total", Type: "counter", Labels: []string{"code"}, TypeAt: "1", First: "2",
				Samples: []string{`http_requests_total{code="200"} 10 @2`},
			}},
		},
		{
			name: "folds histogram buckets, sum and count onto the family without le",
			input: `# HELP rpc_seconds RPC latency.
# TYPE rpc_seconds histogram
rpc_seconds_bucket{method="get",le="0.1"} 1
rpc_seconds_bucket{method="get",le="+Inf"} 3
rpc_seconds_sum{method="get"} 0.7
rpc_seconds_count{method="get"} 3
`,
			want: []fam{{
				Name: "rpc_seconds", Type: "histogram", Help: "RPC latency.", Labels: []string{"method"},
				HelpAt: "1", TypeAt: "2", First: "3",
				Samples: []string{
					`rpc_seconds_bucket{le="0.1",method="get"} 1 @3`,
					`rpc_seconds_bucket{le="+Inf",method="get"} 3 @4`,
					`rpc_seconds_sum{method="get"} 0.7 @5`,
					`rpc_seconds_count{method="get"} 3 @6`,
				},
			}},
		},
		{
			name: "folds summary quantiles, sum and count onto the family without quantile",
			input: `# TYPE gc_seconds summary
gc_seconds{quantile="0.5"} 0.01
gc_seconds_sum 2
gc_seconds_count 100
`,
			want: []fam{{
				Name: "gc_seconds", Type: "summary", TypeAt: "1", First: "2",
				Samples: []string{`gc_seconds{quantile="0.5"} 0.01 @2`, `gc_seconds_sum 2 @3`, `gc_seconds_count 100 @4`},
			}},
		},
		{
			name: "does not fold _bucket series without a histogram TYPE",
			input: `lat_bucket{le="1"} 2
lat_sum 3
`,
			want: []fam{
				{Name: "lat_bucket", Type: "untyped", Labels: []string{"le"}, First: "1", Samples: []string{`lat_bucket{le="1"} 2 @1`}},
				{Name: "lat_sum", Type: "untyped", First: "2", Samples: []string{`lat_sum 3 @2`}},
			},
		},
		{
			name: "reads quoted UTF-8 names in declarations and samples",
			input: `# HELP "kafka.consumer.lag" Lag per "group".
# TYPE "kafka.consumer.lag" gauge
{"kafka.consumer.lag","consumer.group"="billing"} 42
`,
			want: []fam{{
				Name: "kafka.consumer.lag", Type: "gauge", Help: `Lag per "group".`, Labels: []string{"consumer.group"},
				HelpAt: "1", TypeAt: "2", First: "3",
				Samples: []string{`kafka.consumer.lag{consumer.group="billing"} 42 @3`},
			}},
		},
		{
			name: "keeps families declared without samples",
			input: `# HELP kube_pod_labels Kubernetes labels.
# TYPE kube_pod_labels gauge
# HELP up_total Ups.
# TYPE up_total counter
up_total 1
`,
			want: []fam{
				{Name: "kube_pod_labels", Type: "gauge", Help: "Kubernetes labels.", HelpAt: "1", TypeAt: "2"},
				{Name: "up_total", Type: "counter", Help: "Ups.", HelpAt: "3", TypeAt: "4", First: "5", Samples: []string{"up_total 1 @5"}},
			},
		},
		{
			name: "treats want lines and other comments as comments",
			input: `# want +1 "untyped"
x 1
#TYPE y gauge
# HELP
y 2
`,
			want: []fam{
				{Name: "x", Type: "untyped", First: "2", Samples: []string{"x 1 @2"}},
				{Name: "y", Type: "gauge", TypeAt: "3", First: "5", Samples: []string{"y 2 @5"}},
			},
		},
		{
			name: "accepts sample timestamps, special values and escaped help",
			input: `# HELP t A\\B\nC
t{a="x\"y"} +Inf 1700000000000
t NaN
`,
			want: []fam{{
				Name: "t", Type: "untyped", Help: "A\\B\nC", Labels: []string{"a"}, HelpAt: "1", First: "2",
				Samples: []string{`t{a="x\"y"} +Inf @2`, "t NaN @3"},
			}},
		},
		{
			name:  "tolerates a raw byte-order mark",
			input: "\uFEFF# TYPE up gauge\nup 1\n",
			want:  []fam{{Name: "up", Type: "gauge", TypeAt: "1", First: "2", Samples: []string{"up 1 @2"}}},
		},
		{
			name:  "tolerates a byte-order mark replaced by spaces",
			input: "   # TYPE up gauge\nup 1\n",
			want:  []fam{{Name: "up", Type: "gauge", TypeAt: "1", First: "2", Samples: []string{"up 1 @2"}}},
		},
		{
			name:  "tolerates CRLF line ends and a missing final newline",
			input: "# TYPE up gauge\r\nup 1\r\nup{a=\"b\"} 2",
			want: []fam{{
				Name: "up", Type: "gauge", Labels: []string{"a"}, TypeAt: "1", First: "2",
				Samples: []string{"up 1 @2", `up{a="b"} 2 @3`},
			}},
		},
		{
			name:  "keeps identical series twice",
			input: "# TYPE up gauge\nup{a=\"b\"} 1\nup{a=\"b\"} 2\n",
			want: []fam{{
				Name: "up", Type: "gauge", Labels: []string{"a"}, TypeAt: "1", First: "2",
				Samples: []string{`up{a="b"} 1 @2`, `up{a="b"} 2 @3`},
			}},
		},
		{
			name: "reports a parse error at its line and keeps the families before and after it",
			input: `# TYPE a gauge
a 1
# TYPE b gauge
b{x="1} 2
b{x="2"} 3
# TYPE c gauge
c 4
`,
			want: []fam{
				{Name: "a", Type: "gauge", TypeAt: "1", First: "2", Samples: []string{"a 1 @2"}},
				{Name: "b", Type: "gauge", Labels: []string{"x"}, TypeAt: "3", First: "5", Samples: []string{`b{x="2"} 3 @5`}},
				{Name: "c", Type: "gauge", TypeAt: "6", First: "7", Samples: []string{"c 4 @7"}},
			},
			problems: []string{`4 label value "1} 2" contains unescaped new-line`},
		},
		{
			name: "reports a bad value and an unknown type",
			input: `# TYPE a gauge
a one
# TYPE b gauges
b 1
`,
			want: []fam{
				{Name: "a", Type: "gauge", TypeAt: "1"},
				{Name: "b", Type: "untyped", First: "4", Samples: []string{"b 1 @4"}},
			},
			problems: []string{`2 expected float as value, got "one"`, `3 unknown metric type "gauges"`},
		},
		{
			name: "records a second declaration instead of failing",
			input: `# HELP a First.
# TYPE a gauge
a 1
# HELP a Second.
# TYPE a counter
`,
			want: []fam{{
				Name: "a", Type: "gauge", Help: "First.", HelpAt: "1", TypeAt: "2", First: "3",
				Samples: []string{"a 1 @3"}, Redeclared: []string{"4", "5"},
			}},
		},
		{
			name: "reports a TYPE line after the family's samples",
			input: `a 1
# TYPE a gauge
`,
			want:     []fam{{Name: "a", Type: "untyped", First: "1", Samples: []string{"a 1 @1"}}},
			problems: []string{`2 second TYPE line for metric name "a", or TYPE reported after samples`},
		},
		{
			name: "records samples outside their family's block",
			input: `# TYPE a gauge
a 1
# TYPE h histogram
h_bucket{le="1"} 1
# TYPE b gauge
b 1
a 2
h_count 1
`,
			want: []fam{
				{Name: "a", Type: "gauge", TypeAt: "1", First: "2", Samples: []string{"a 1 @2", "a 2 @7"}, Reopened: []string{"7"}},
				{Name: "h", Type: "histogram", TypeAt: "3", First: "4", Samples: []string{`h_bucket{le="1"} 1 @4`, "h_count 1 @8"}, Reopened: []string{"8"}},
				{Name: "b", Type: "gauge", TypeAt: "5", First: "6", Samples: []string{"b 1 @6"}},
			},
		},
		{
			name: "reads an OpenMetrics counter with _total and _created",
			path: "scrape.txt",
			input: `# HELP requests Requests served.
# TYPE requests counter
requests_total{code="200"} 10 # {trace_id="abc"} 1 1700000000.5
requests_created{code="200"} 1.7e9
# EOF
`,
			want: []fam{{
				Name: "requests", Type: "counter", Help: "Requests served.", Labels: []string{"code"},
				HelpAt: "1", TypeAt: "2", First: "3",
				Samples: []string{`requests_total{code="200"} 10 @3`, `requests_created{code="200"} 1.7e+09 @4`},
			}},
		},
		{
			name: "reads OpenMetrics info, stateset, gauge histogram, units and timestamps",
			path: "worker.om",
			input: `# TYPE build info
build_info{version="1.2"} 1
# TYPE state stateset
state{state="up"} 1 1700000000.250
state{state="down"} 0
# TYPE queue_bytes gaugehistogram
# UNIT queue_bytes bytes
queue_bytes_bucket{le="+Inf"} 4
queue_bytes_gcount 4
queue_bytes_gsum 10
# TYPE odd unknown
odd 1
`,
			want: []fam{
				{Name: "build", Type: "info", Labels: []string{"version"}, TypeAt: "1", First: "2", Samples: []string{`build_info{version="1.2"} 1 @2`}},
				{Name: "state", Type: "stateset", Labels: []string{"state"}, TypeAt: "3", First: "4", Samples: []string{`state{state="up"} 1 @4`, `state{state="down"} 0 @5`}},
				{
					Name: "queue_bytes", Type: "gaugehistogram", TypeAt: "6", First: "8",
					Samples: []string{`queue_bytes_bucket{le="+Inf"} 4 @8`, "queue_bytes_gcount 4 @9", "queue_bytes_gsum 10 @10"},
				},
				{Name: "odd", Type: "unknown", TypeAt: "11", First: "12", Samples: []string{"odd 1 @12"}},
			},
			problems: []string{"13 openmetrics exposition does not end with # EOF"},
		},
		{
			name: "reports OpenMetrics content after # EOF and a sample without its counter suffix",
			input: `# TYPE c counter
c 1
c_total 2
# EOF
late 1
`,
			want: []fam{{Name: "c", Type: "counter", TypeAt: "1", First: "3", Samples: []string{"c_total 2 @3"}}},
			problems: []string{
				`2 sample "c" missing required suffix for type counter`,
				"5 unexpected content after # EOF",
			},
		},
		{
			name: "names OpenMetrics families without TYPE unknown",
			input: `# UNIT x_seconds seconds
x_seconds 1
# EOF
`,
			want: []fam{{Name: "x_seconds", Type: "unknown", First: "2", Samples: []string{"x_seconds 1 @2"}}},
		},
		{
			name:  "reads nothing from an empty file",
			input: "",
		},
		{
			name:  "reads nothing from blank lines and comments",
			input: "\n  \n# nothing here\n",
		},
		{
			name:     "reports binary garbage without panicking",
			input:    "\x00\x01\x02\xff\xfe{\"\n",
			problems: []string{`1 invalid metric name`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := cmpOr(tt.path, "scrape.prom")
			e, probs := Load(lint.NewSourceFile(p, []byte(tt.input)))
			if e.File == nil || e.File.Path != p {
				t.Fatalf("exposition file not set")
			}
			if diff := cmp.Diff(tt.want, summarize(e)); diff != "" {
				t.Errorf("families (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.problems, problems(probs)); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
			for _, name := range e.Order {
				if e.Families[name].Expo != e {
					t.Errorf("family %s: Expo not set", name)
				}
			}
		})
	}
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func TestLoadGivesUpAfterTooManyErrors(t *testing.T) {
	var b strings.Builder
	b.WriteString("# TYPE a gauge\na 1\n")
	for range 30 {
		b.WriteString("a{ 1\n")
	}
	b.WriteString("# TYPE z gauge\nz 1\n")
	e, probs := Load(lint.NewSourceFile("x.prom", []byte(b.String())))
	if len(probs) != maxRecoveries {
		t.Fatalf("got %d problems, want %d: %v", len(probs), maxRecoveries, problems(probs))
	}
	last := probs[len(probs)-1]
	if last.At.Line != maxRecoveries+2 || !strings.HasSuffix(last.Message, "; the rest of the file is ignored") {
		t.Errorf("last problem = %v %q", last.At, last.Message)
	}
	if diff := cmp.Diff([]string{"a"}, e.Order); diff != "" {
		t.Errorf("families (-want +got):\n%s", diff)
	}
}

func TestLoadAsOpenMetrics(t *testing.T) {
	// A response body: no file name to go by, and no # EOF line to detect OpenMetrics by.
	src := "# TYPE jobs counter\njobs_total 3 1700000000.5\n"
	f := lint.NewSourceFile("https://app/metrics#1", []byte(src))
	e, probs := LoadAs(f, true)
	if len(probs) != 1 || probs[0].Message != "openmetrics exposition does not end with # EOF" {
		t.Errorf("problems: %v", problems(probs))
	}
	fam := e.Families["jobs"]
	if fam == nil || fam.Type != "counter" || len(fam.Samples) != 1 || fam.Samples[0].Name != "jobs_total" || fam.Samples[0].Value != 3 {
		t.Errorf("jobs = %+v", fam)
	}
	if _, probs := Load(f); len(probs) == 0 {
		t.Error("Load without the hint read it as OpenMetrics too: the test shows nothing")
	}
}

func TestLooksLikeExposition(t *testing.T) {
	tests := []struct {
		name, file, input string
		want              bool
	}{
		{"accepts TYPE lines", "a.txt", "# HELP x y\n# TYPE x gauge\nx 1\n", true},
		{"accepts bare sample lines", "metrics.txt", "x 1\ny{a=\"b\"} 2 1700000000000\n", true},
		{"accepts OpenMetrics samples with exemplars", "m.txt", "x_total 1 # {a=\"b\"} 1\n# EOF\n", true},
		{"accepts an empty file named .prom", "scrape.prom", "", true},
		{"rejects an empty file named .txt", "notes.txt", "", false},
		{"rejects Markdown", "README.md", "# Metrics\n\nThis documents `x`.\n\n# TYPE x gauge\n", false},
		{"rejects YAML rules", "rules.yml", "groups:\n- name: a\n", false},
		{"rejects JSON", "d.json", "{\"panels\": []}\n", false},
		{"rejects prose after a sample", "a.txt", "x 1\nhello world\n", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := LooksLikeExposition(tt.file, []byte(tt.input)); got != tt.want {
				t.Errorf("LooksLikeExposition(%q) = %v, want %v", tt.input, got, tt.want)
			}
		})
	}
}

// TestLoadCorpora loads the real expositions in shared/corpora (skipped when absent).
func TestLoadCorpora(t *testing.T) {
	root := filepath.Join("..", "..", "..", "..", "shared", "corpora")
	if _, err := os.Stat(root); err != nil {
		t.Skip("shared/corpora is absent")
	}
	var files []string
	nodeGlob, err := filepath.Glob(filepath.Join(root, "prometheus__node_exporter", "collector", "fixtures", "e2e-output*.txt"))
	if err != nil {
		t.Fatal(err)
	}
	files = append(files, nodeGlob...)
	for _, dir := range []string{"kubernetes__kube-state-metrics/derived", "danielqsj__kafka_exporter/derived"} {
		err := filepath.WalkDir(filepath.Join(root, dir), func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() && (strings.HasSuffix(p, ".prom") || strings.HasSuffix(p, ".txt")) {
				files = append(files, p)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if len(files) < 10 {
		t.Fatalf("found only %d corpus files", len(files))
	}
	for _, p := range files {
		t.Run(filepath.Base(p), func(t *testing.T) {
			src, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			if !LooksLikeExposition(p, src) {
				t.Errorf("LooksLikeExposition = false")
			}
			e, probs := Load(lint.NewSourceFile(p, src))
			if len(probs) > 0 {
				t.Errorf("problems: %v", problems(probs))
			}
			types := strings.Count(string(src), "\n# TYPE ")
			if strings.HasPrefix(strings.TrimPrefix(string(src), bom), "# TYPE ") {
				types++
			}
			if len(e.Order) < types || len(e.Order) == 0 || len(e.Order) != len(e.Families) {
				t.Errorf("got %d families (%d in Order) for %d TYPE lines", len(e.Families), len(e.Order), types)
			}
			for _, name := range e.Order {
				f := e.Families[name]
				if !f.At().IsValid() || len(f.Redeclared) > 0 {
					t.Errorf("family %s: position %v, redeclared %v", name, f.At(), f.Redeclared)
				}
				for _, s := range f.Samples {
					if got := strings.TrimLeft(e.File.Line(s.At.Line), " \t"); !strings.Contains(got, s.Name) && !strings.HasPrefix(got, "{") {
						t.Errorf("sample %s at %v is on line %q", s.Name, s.At, got)
					}
				}
			}
			switch filepath.Base(p) {
			case "e2e-output.txt":
				if len(e.Order) != 1228 {
					t.Errorf("got %d families, want 1228", len(e.Order))
				}
			case "internal_store_tests.prom":
				empty, untyped, samples := 0, 0, 0
				for _, f := range e.Families {
					if len(f.Samples) == 0 {
						empty++
					}
					if !f.TypeAt.IsValid() {
						untyped++
					}
					samples += len(f.Samples)
				}
				if got, want := []int{len(e.Order), empty, untyped, samples}, []int{323, 25, 3, 999}; !slices.Equal(got, want) {
					t.Errorf("families, empty, untyped, samples = %v, want %v (derived/README.md)", got, want)
				}
			}
		})
	}
}

func BenchmarkLoadNodeExporter(b *testing.B) {
	p := filepath.Join("..", "..", "..", "..", "shared", "corpora", "prometheus__node_exporter", "collector", "fixtures", "e2e-output.txt")
	src, err := os.ReadFile(p)
	if err != nil {
		b.Skip("shared/corpora is absent")
	}
	f := lint.NewSourceFile(p, src)
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		Load(f)
	}
}

func FuzzLoad(f *testing.F) {
	for _, s := range []string{
		"# HELP a b\n# TYPE a histogram\na_bucket{le=\"1\"} 1\na_sum 1\na_count 1\n",
		"# TYPE c counter\nc_total 1 # {t=\"x\"} 1 1.5\nc_created 2\n# EOF\n",
		"{\"a.b\",\"c d\"=\"e\"} 1 2\n",
		"\uFEFF# TYPE x gauge\r\nx 1\r\n",
		"# TYPE i info\n# UNIT i x\ni_info 1\n# EOF\nlate\n",
		"a{ 1\n# TYPE a gauge\n# TYPE a gauge\n",
		"\x00\xff",
	} {
		f.Add("x.prom", s)
		f.Add("x.om", s)
	}
	f.Fuzz(func(t *testing.T, name, src string) {
		sf := lint.NewSourceFile(name, []byte(src))
		e, probs := Load(sf)
		LooksLikeExposition(name, []byte(src))
		if len(e.Order) != len(e.Families) {
			t.Fatalf("order %d, families %d", len(e.Order), len(e.Families))
		}
		n := sf.LineCount()
		for _, p := range probs {
			if p.At.Line < 0 || p.At.Line > n {
				t.Fatalf("problem line %d of %d", p.At.Line, n)
			}
		}
		for _, fam := range e.Families {
			for _, s := range fam.Samples {
				if s.At.Line < 1 || s.At.Line > n {
					t.Fatalf("sample line %d of %d", s.At.Line, n)
				}
			}
		}
	})
}

func TestLoadLimitsLabelsPerSample(t *testing.T) {
	labels := func(n int) string {
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, "l%d=\"v\",", i)
		}
		return strings.TrimSuffix(b.String(), ",")
	}
	tests := []struct {
		name     string
		input    string
		samples  int
		problems []string
	}{
		{name: "reads a sample with as many labels as the limit", input: "x{" + labels(maxLabels) + "} 1\n", samples: 1},
		{
			name: "skips a sample with more labels and reads the next line", input: "x{" + labels(maxLabels+1) + "} 1\nx{a=\"b\"} 2\n", samples: 1,
			problems: []string{"1 the sample has 129 labels, more than the limit of 128, and was not read"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, probs := Load(lint.NewSourceFile("x.prom", []byte(tt.input)))
			if diff := cmp.Diff(tt.problems, problems(probs)); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
			n := 0
			for _, f := range e.Families {
				n += len(f.Samples)
			}
			if n != tt.samples {
				t.Errorf("got %d samples, want %d", n, tt.samples)
			}
		})
	}
}
