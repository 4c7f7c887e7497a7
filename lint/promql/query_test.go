package promql

import (
	"strings"
	"testing"

	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/promql/parser"

	"github.com/driftlint/driftlint/lint"
)

func TestSubstitute(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"leaves queries without variables alone", `rate(x[5m])`, `rate(x[5m])`},
		{"turns a range macro into a duration", `rate(x[$__rate_interval])`, `rate(x[5m])`},
		{"turns a braced range macro into a duration", `rate(x[${__rate_interval}])`, `rate(x[5m])`},
		{"turns a user variable in a range into a duration", `rate(x[$window:1m])`, `rate(x[5m:1m])`},
		{"turns a variable in a regex matcher into a stand-in literal", `x{job=~"$job", env !~ "${env:regex}|[[tier]]"}`, `x{job=~"__gv_job", env !~ "__gv_env|__gv_tier"}`},
		{"keeps variables inside other strings", `label_replace(x{a="${a:regex}"}, "dst", "$1", "src", "$x(.*)")`, `label_replace(x{a="${a:regex}"}, "dst", "$1", "src", "$x(.*)")`},
		{"turns a grouping variable into a stand-in label", `sum by ($group) (x)`, `sum by (__gv_group) (x)`},
		{"turns a topk count into a number", `topk($n, x)`, `topk(1, x)`},
		{"turns a clamp bound into a number", `clamp_min(x, $min)`, `clamp_min(x, 1)`},
		{"turns a quantile expression operand into a number", `histogram_quantile($q/100, sum by (le) (rate(x_bucket[$__rate_interval])))`, `histogram_quantile(1/100, sum by (le) (rate(x_bucket[5m])))`},
		{"turns @ $__to into a number", `x @ $__to`, `x @ 1`},
		{"turns a negative offset variable into a duration", `x offset -$off`, `x offset -5m`},
		{"turns a metric variable into a stand-in metric", `rate($metric[5m])`, `rate(__gv_metric[5m])`},
		{"reads old-style [[var]]", `x{job="[[job]]"} > [[threshold]]`, `x{job="[[job]]"} > __gv_threshold`},
		{"leaves comments alone", "x # $not a var\n", "x # $not a var\n"},
		{"reads a backslash at the end of a raw string as text", "rate(x{path=`C:\\`}[$__rate_interval])", "rate(x{path=`C:\\`}[5m])"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _, _ := Substitute(tt.in)
			if got != tt.want {
				t.Errorf("Substitute(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if _, err := lint.PromQLParser.ParseExpr(got); err != nil {
				t.Errorf("stand-in text does not parse: %v", err)
			}
		})
	}
}

func TestSubstituteWithMatcherLists(t *testing.T) {
	values := map[string]string{
		"m":    `job=~"a|b"`,
		"esc":  `cluster=~"$cluster"\, job=~"a"`,
		"nest": `$m`,
		"num":  `-1`,
	}
	tests := []struct {
		name, in, want string
	}{
		{"replaces a variable that is the whole list by its value", `up{$m}`, `up{job=~"a|b"}`},
		{"replaces a variable first in a list", `up{$m, instance="x"}`, `up{job=~"a|b", instance="x"}`},
		{"replaces a variable last in a list", `up{instance="x", ${m}}`, `up{instance="x", job=~"a|b"}`},
		{"unescapes commas and substitutes the value's own variables", `up{$esc}`, `up{cluster=~"__gv_cluster", job=~"a"}`},
		{"gives a selector without a name the value too", `count({[[m]]})`, `count({job=~"a|b"})`},
		{"makes a value that is not a matcher list a stand-in matcher", `up{$num}`, `up{__gv_num!=""}`},
		{"makes a variable without a value a stand-in matcher", `{$other}`, `{__gv_other!=""}`},
		{"expands values one level deep only", `up{$nest}`, `up{__gv_nest!=""}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, idx, _ := SubstituteWith(tt.in, values)
			if got != tt.want {
				t.Errorf("SubstituteWith(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if len(idx) != len(got) {
				t.Errorf("%d indexes for %d bytes", len(idx), len(got))
			}
			if _, err := lint.PromQLParser.ParseExpr(got); err != nil {
				t.Errorf("stand-in text does not parse: %v", err)
			}
		})
	}
}

func TestGrafanaQueryPositions(t *testing.T) {
	src := `{"expr": "sum by ($group) (rate(kafka_x_total{job=~\"$job\"}[$__rate_interval]))"}`
	f := lint.NewSourceFile("d.json", []byte(src))
	// The JSON string's value starts after `{"expr": "` with no escapes before the metric.
	start := len(`{"expr": "`)
	val := `sum by ($group) (rate(kafka_x_total{job=~"$job"}[$__rate_interval]))`
	offs := make([]int32, len(val)+1)
	j := start
	for i := range len(val) {
		if src[j] == '\\' {
			j++
		}
		offs[i] = int32(j)
		j++
	}
	offs[len(val)] = int32(j)
	q := NewGrafanaQuery(lint.Span{Value: val, File: f, Offs: offs, Start: start}, lint.OriginDashboard, "p")
	if q.Err != nil {
		t.Fatal(q.Err)
	}
	uses := (&lint.Project{Queries: []*lint.Query{q}}).MetricUses()
	if len(uses) != 1 || uses[0].At.String() != "d.json:1:33" {
		t.Errorf("uses %v", uses)
	}
}

func TestNewQueryLimitsLength(t *testing.T) {
	l := lint.DefaultLimits
	l.PromQLBytes, l.PromQLDepth = 1000, 8
	defer lint.SetLimits(lint.SetLimits(l))
	tests := []struct {
		name    string
		text    string
		wantErr string
	}{
		{name: "parses a query at the limit", text: "up" + strings.Repeat(" ", 998)},
		{
			name: "does not parse a longer query", text: "up" + strings.Repeat(" ", 999),
			wantErr: "1:1001: parse error: the expression is 1001 bytes long, more than the limit of 1000 (promql_bytes); the config cannot raise it; --limit promql_bytes=VALUE on the command line can; not parsed",
		},
		{name: "parses a query nested to the limit", text: strings.Repeat("(", 7) + "up[5m]" + strings.Repeat(")", 7)},
		{
			name: "does not parse a query nested deeper", text: strings.Repeat("(", 8) + "up[5m]" + strings.Repeat(")", 8),
			wantErr: "1:11: parse error: the expression nests (, [ and { deeper here, more than the limit of 8 (promql_depth); the config cannot raise it; --limit promql_depth=VALUE on the command line can; not parsed",
		},
		{name: "does not count brackets in strings and comments", text: `up{a="((((((((("} # [[[[[[[[[` + "\n+ " + strings.Repeat("(", 6) + "up" + strings.Repeat(")", 6)},
		{name: "parses a query with many operators under the length limit", text: strings.Repeat("up + ", 160) + "up"},
		{name: "does not count operators in strings and comments", text: `up{a="+-*/"} # + - * /` + "\n" + strings.Repeat(" and up", 100)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := lint.NewSourceFile("q", []byte(tt.text))
			q := NewQuery(lint.VerbatimSpan(f, 0, len(tt.text)), lint.OriginAlert, "A")
			got := ""
			if q.Err != nil {
				got = q.Err.Error()
			}
			if got != tt.wantErr || (got == "") != (q.Expr != nil) {
				t.Errorf("err %q (expr %v), want %q", got, q.Expr != nil, tt.wantErr)
			}
		})
	}
}

func TestShareMatchers(t *testing.T) {
	src := `sum(rate(a_total{job=~"$job",code="500"}[5m])) / sum(rate(b_total{job=~"$job",code="500"}[5m]))` + "\n" + `up{job=~"$job"} and up{job!~"x|y",code="500"}` + "\n" + `up{job!~"x|y"}`
	f := lint.NewSourceFile("d.json", []byte(src))
	var queries []*lint.Query
	start := 0
	for i := 0; i <= len(src); i++ {
		if i == len(src) || src[i] == '\n' {
			queries = append(queries, NewGrafanaQuery(lint.VerbatimSpan(f, start, i), lint.OriginDashboard, "p"))
			start = i + 1
		}
	}
	ShareMatchers(queries)
	byText := map[string][]*labels.Matcher{}
	for _, q := range queries {
		parser.Inspect(q.Expr, func(n parser.Node, _ []parser.Node) error {
			if vs, ok := n.(*parser.VectorSelector); ok {
				for _, m := range vs.LabelMatchers {
					if m.Name != "__name__" {
						byText[m.String()] = append(byText[m.String()], m)
					}
				}
			}
			return nil
		})
	}
	tests := []struct {
		name    string
		matcher string
		uses    int
		shared  bool
	}{
		{name: "shares a regex matcher between queries", matcher: `job=~"__gv_job"`, uses: 3, shared: true},
		{name: "shares a negative regex matcher", matcher: `job!~"x|y"`, uses: 2, shared: true},
		{name: "leaves equality matchers alone", matcher: `code="500"`, uses: 3, shared: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ms := byText[tt.matcher]
			if len(ms) != tt.uses {
				t.Fatalf("%d uses of %s, want %d", len(ms), tt.matcher, tt.uses)
			}
			same := true
			for _, m := range ms[1:] {
				same = same && m == ms[0]
			}
			if same != tt.shared {
				t.Errorf("one matcher shared = %v, want %v", same, tt.shared)
			}
		})
	}
}

func TestNewQueryLimitsOperators(t *testing.T) {
	tests := []struct {
		name    string
		text    string
		wantErr string
	}{
		{name: "parses a query with a thousand operators", text: "up" + strings.Repeat(" + up", MaxQueryOperators)},
		{
			name: "does not parse a query with more operators", text: "up" + strings.Repeat(" or up", MaxQueryOperators+1),
			wantErr: "the query has about 1001 binary operators, more than the limit of 1000, and was not parsed",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := lint.NewSourceFile("q", []byte(tt.text))
			q := NewQuery(lint.VerbatimSpan(f, 0, len(tt.text)), lint.OriginAlert, "A")
			got := ""
			if q.Err != nil {
				got = q.Err.Error()
			}
			if got != tt.wantErr || (got == "") != (q.Expr != nil) {
				t.Errorf("err %q (expr %v), want %q", got, q.Expr != nil, tt.wantErr)
			}
		})
	}
}
