package dashboard

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/prometheus/common/model"
	"github.com/prometheus/prometheus/promql/parser"

	"github.com/driftlint/driftlint/lint"
)

// lc formats a position as line:col.
func lc(p lint.Pos) string { return fmt.Sprintf("%d:%d", p.Line, p.Col) }

// selectors lists the vector selectors of a query with their positions, or its parse error.
func selectors(q *lint.Query) string {
	if q.Err != nil {
		return " err: " + q.Err.Error()
	}
	var b strings.Builder
	parser.Inspect(q.Expr, func(n parser.Node, _ []parser.Node) error {
		if vs, ok := n.(*parser.VectorSelector); ok {
			name := ""
			for _, m := range vs.LabelMatchers {
				if m.Name == model.MetricNameLabel {
					name = m.Value
				}
			}
			fmt.Fprintf(&b, " %s@%s", name, lc(q.NodePos(vs)))
		}
		return nil
	})
	return b.String()
}

// summarize describes a result in one line per dashboard, target, variable and problem.
func summarize(res *Result) []string {
	var out []string
	for _, d := range res.Dashboards {
		out = append(out, fmt.Sprintf("dashboard %q", d.Title))
		for _, tg := range d.Targets {
			s := fmt.Sprintf("target %q @%s%s", tg.Panel, lc(tg.Query.Pos(0)), selectors(tg.Query))
			if tg.Legend.Value != "" {
				s += fmt.Sprintf(" legend %q@%s", tg.Legend.Value, lc(tg.Legend.StartPos()))
			}
			out = append(out, s)
		}
		for _, v := range d.Variables {
			s := fmt.Sprintf("var %s %s raw@%s", v.Name, v.Kind, lc(v.Raw.StartPos()))
			if v.Query != nil {
				s += fmt.Sprintf(" query %q@%s selector=%v%s", v.Query.Text.Value, lc(v.Query.Pos(0)), v.Query.Selector, selectors(v.Query))
			}
			if v.Label.Value != "" {
				s += fmt.Sprintf(" label %q@%s", v.Label.Value, lc(v.Label.StartPos()))
			}
			out = append(out, s)
		}
	}
	for _, p := range res.Problems {
		out = append(out, fmt.Sprintf("problem %s: %s", lc(p.At), p.Message))
	}
	for _, f := range res.Foreign {
		out = append(out, fmt.Sprintf("foreign %s @%s %s", f.Language, lc(f.At), f.Owner))
	}
	return out
}

// checkQueries checks that Result.Queries holds exactly the dashboards' queries, in file
// order, and that every span maps byte for byte into the file.
func checkQueries(t *testing.T, res *Result) {
	t.Helper()
	var want []*lint.Query
	for _, d := range res.Dashboards {
		for _, tg := range d.Targets {
			want = append(want, tg.Query)
			checkOffsets(t, tg.Query.Text, tg.Query.Vars)
			checkOffsets(t, tg.Legend, false)
		}
		for _, v := range d.Variables {
			if v.Query != nil {
				want = append(want, v.Query)
				checkOffsets(t, v.Query.Text, v.Query.Vars)
			}
			checkOffsets(t, v.Raw, false)
			checkOffsets(t, v.Label, false)
		}
	}
	if len(want) != len(res.Queries) {
		t.Errorf("Result.Queries has %d queries, the dashboards %d", len(res.Queries), len(want))
	}
	seen := map[*lint.Query]bool{}
	for _, q := range want {
		seen[q] = true
	}
	for i, q := range res.Queries {
		if !seen[q] {
			t.Errorf("Result.Queries[%d] %q is not in a dashboard", i, q.Text.Value)
		}
		if i > 0 && q.Text.Offset(0) < res.Queries[i-1].Text.Offset(0) {
			t.Errorf("Result.Queries[%d] %q comes before the query ahead of it", i, q.Text.Value)
		}
	}
}

func TestLoadJSON(t *testing.T) {
	tests := []struct {
		name  string
		input string
		want  []string
	}{
		{
			name: "maps selectors inside an expr with escapes to their exact line and column",
			input: `{
  "title": "Escapes",
  "panels": [
    {"title": "Errors", "type": "timeseries",
     "targets": [{"expr": "sum(rate(kafka_errors_total{topic=\"a\\\\b\",x=\"\u00e9\ud83d\ude00\"}[5m]))\n/\tsum(rate(kafka_requests_total{job=~\"$job\"}[$__rate_interval]))", "legendFormat": "{{topic}} \"q\""}]}
  ]
}`,
			want: []string{
				`dashboard "Escapes"`,
				`target "Errors" @5:28 kafka_errors_total@5:37 kafka_requests_total@5:118 legend "{{topic}} \"q\""@5:193`,
			},
		},
		{
			name: "finds panels inside collapsed rows and nested panels",
			input: `{"title": "Rows", "panels": [
  {"type": "row", "collapsed": true, "title": "Collapsed", "panels": [
    {"title": "Inner", "targets": [{"expr": "inner_metric"}]}
  ]},
  {"type": "row", "collapsed": false, "title": "Open", "panels": []},
  {"title": "Top", "targets": [{"expr": "top_metric", "legendFormat": "{{job}}"}]}
]}`,
			want: []string{
				`dashboard "Rows"`,
				`target "Inner" @3:46 inner_metric@3:46`,
				`target "Top" @6:42 top_metric@6:42 legend "{{job}}"@6:72`,
			},
		},
		{
			name: "reads rows[].panels of the old schema",
			input: `{"title": "Old", "rows": [
  {"title": "R1", "panels": [{"title": "A", "targets": [{"expr": "a_total"}]}]},
  {"title": "R2", "panels": [{"id": 7, "targets": [{"expr": "b_total"}]}]}
]}`,
			want: []string{
				`dashboard "Old"`,
				`target "A" @2:67 a_total@2:67`,
				`target "panel 7" @3:62 b_total@3:62`,
			},
		},
		{
			name: "skips and counts targets of other datasources, skips empty exprs, reads hidden targets",
			input: `{"title": "DS", "panels": [
  {"title": "Loki", "datasource": {"type": "loki", "uid": "l"}, "targets": [
    {"expr": "{app=\"x\"} |= \"err\""},
    {"expr": "kept_override", "datasource": {"type": "prometheus", "uid": "p"}}]},
  {"title": "Mixed", "datasource": {"type": "datasource", "uid": "-- Mixed --"}, "targets": [
    {"expr": "{app=\"y\"}", "datasource": {"type": "loki", "uid": "l"}},
    {"expr": "kept_mixed", "datasource": {"type": "prometheus", "uid": "${datasource}"}},
    {"expr": "kept_no_ds"}]},
  {"title": "Strings", "datasource": "$datasource", "targets": [
    {"expr": "kept_var"},
    {"expr": "kept_uid", "datasource": {"uid": "abc"}},
    {"expr": "kept_typed", "datasource": {"type": "grafana-amazonprometheus-datasource"}},
    {"expr": "x", "datasource": {"type": "grafana-testdata-datasource"}},
    {"expr": "x", "datasource": {"type": "__expr__", "uid": "__expr__"}},
    {"expr": "x", "datasource": {"type": "elasticsearch"}},
    {"expr": "x", "datasource": {"type": "tempo"}},
    {"expr": "x", "datasource": "-- Grafana --"},
    {"expr": "hidden", "hide": true},
    {"expr": "  "},
    {"expr": null},
    {"refId": "B"}]}
]}`,
			want: []string{
				`dashboard "DS"`,
				`target "Loki" @4:15 kept_override@4:15`,
				`target "Mixed" @7:15 kept_mixed@7:15`,
				`target "Mixed" @8:15 kept_no_ds@8:15`,
				`target "Strings" @10:15 kept_var@10:15`,
				`target "Strings" @11:15 kept_uid@11:15`,
				`target "Strings" @12:15 kept_typed@12:15`,
				`target "Strings" @18:15 hidden@18:15`,
				"foreign logql @3:15 Loki",
				"foreign logql @6:15 Mixed",
				"foreign grafana-testdata-datasource @13:15 Strings",
				"foreign grafana expression @14:15 Strings",
				"foreign elasticsearch @15:15 Strings",
				"foreign tempo @16:15 Strings",
				"foreign grafana @17:15 Strings",
			},
		},
		{
			name: "recognizes every kind of variable query",
			input: `{"title": "Vars", "templating": {"list": [
  {"name": "job", "type": "query", "query": "label_values(job)"},
  {"name": "inst", "type": "query", "query": " label_values(up{job=\"a\", x=~\"$job\"} ,  instance ) "},
  {"name": "top", "type": "query", "query": {"query": "query_result(topk(5, sum by (pod) (rate(x_total[$__range]))))", "refId": "A"}},
  {"name": "m", "type": "query", "query": "metrics(node_.*)"},
  {"name": "ln", "type": "query", "query": "label_names()"},
  {"name": "plain", "type": "query", "query": "up{job=\"b\"}"},
  {"name": "def", "type": "query", "query": "", "definition": "label_values(kube_pod_info, namespace)"},
  {"name": "obj", "type": "query", "query": {"qryType": 1, "query": "label_values(up,job)"}},
  {"name": "custom", "type": "custom", "query": "a,b,c"},
  {"name": "logs", "type": "query", "datasource": {"type": "loki"}, "query": "label_values(app)"},
  {"name": "none", "type": "query", "query": ""}
]}}`,
			want: []string{
				`dashboard "Vars"`,
				`var job label_values raw@2:46 label "job"@2:59`,
				`var inst label_values raw@3:47 query "up{job=\"a\", x=~\"__gv_job\"}"@3:61 selector=true up@3:61 label "instance"@3:91`,
				`var top query_result raw@4:56 query "topk(5, sum by (pod) (rate(x_total[5m])))"@4:69 selector=false x_total@4:96`,
				`var m metrics raw@5:44`,
				`var ln label_names raw@6:45`,
				`var plain query raw@7:48 query "up{job=\"b\"}"@7:48 selector=false up@7:48`,
				`var def label_values raw@8:64 query "kube_pod_info"@8:77 selector=true kube_pod_info@8:77 label "namespace"@8:92`,
				`var obj label_values raw@9:70 query "up"@9:83 selector=true up@9:83 label "job"@9:86`,
				"foreign logql @11:79 variable logs",
			},
		},
		{
			name:  "unwraps the Grafana API form and tolerates a byte-order mark",
			input: "\ufeff" + `{"meta": {"slug": "x"}, "dashboard": {"title": "API", "panels": [{"title": "P", "targets": [{"expr": "up"}]}]}}`,
			want: []string{
				`dashboard "API"`,
				`target "P" @1:106 up@1:106`,
			},
		},
		{
			name: "reads inline library panel models once",
			input: `{"title": "Lib", "panels": [
  {"id": 3, "libraryPanel": {"uid": "u1", "name": "Shared", "model": {"title": "Shared", "targets": [{"expr": "lib_metric"}]}}},
  {"id": 4, "libraryPanel": {"uid": "u1", "name": "Shared"}}
],
"__elements": {
  "u1": {"name": "Shared", "model": {"title": "Shared", "targets": [{"expr": "lib_metric"}]}},
  "u2": {"name": "Other", "model": {"targets": [{"expr": "other_metric"}]}}
}}`,
			want: []string{
				`dashboard "Lib"`,
				`target "Shared" @2:112 lib_metric@2:112`,
				`target "Other" @7:59 other_metric@7:59`,
			},
		},
		{
			name:  "keeps a query that does not parse, with its error",
			input: `{"panels": [{"title": "Bad", "targets": [{"expr": "sum(rate(x[5m])"}]}]}`,
			want: []string{
				`dashboard ""`,
				`target "Bad" @1:52 err: 1:16: parse error: unclosed left parenthesis`,
			},
		},
		{
			name:  "reports a truncated file at its end",
			input: "{\"panels\": [\n  {\"title\": \"x\"",
			want:  []string{`problem 2:16: unexpected end of JSON input`},
		},
		{
			name:  "reports garbage at the offending byte",
			input: "{\n  \"panels\": [nope]\n}",
			want:  []string{`problem 2:15: invalid character 'o' in literal null (expecting 'u')`},
		},
		{
			name:  "reports a value after the dashboard",
			input: "{\"panels\": []}\n{}",
			want:  []string{`problem 2:1: invalid character '{' after top-level value`},
		},
		{
			name:  "reports a root that is not an object",
			input: "\n [1, 2]",
			want:  []string{`problem 2:2: a grafana dashboard must be a json object, got an array`},
		},
		{
			name:  "reports an empty file",
			input: "",
			want:  []string{`problem 1:1: unexpected end of JSON input`},
		},
		{
			name:  "rejects nesting deeper than json_depth before decoding",
			input: strings.Repeat("[", 100000) + strings.Repeat("]", 100000),
			want:  []string{`problem 1:513: the JSON nests [ and { deeper here, more than the limit of 512 (json_depth); the config cannot raise it; --limit json_depth=VALUE on the command line can; not read`},
		},
		{
			name:  "does not count brackets in strings",
			input: `{"title": "Deep", "x": "` + strings.Repeat("[", 1000) + `"}`,
			want:  []string{`dashboard "Deep"`},
		},
		{
			name:  "accepts nesting of exactly json_depth",
			input: `{"title": "Deep", "x":` + strings.Repeat("[", 511) + "1" + strings.Repeat("]", 511) + "}",
			want:  []string{`dashboard "Deep"`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := LoadJSON(lint.NewSourceFile("d.json", []byte(tt.input)))
			if diff := cmp.Diff(tt.want, summarize(res)); diff != "" {
				t.Errorf("LoadJSON (-want +got):\n%s", diff)
			}
			checkQueries(t, res)
		})
	}
}

func TestLoadConfigMap(t *testing.T) {
	tests := []struct {
		name  string
		input string
		want  []string
	}{
		{
			name: "maps positions through a literal block scalar",
			input: `apiVersion: v1
kind: ConfigMap
metadata:
  name: dashboards
data:
  kafka.json: |
    {
      "title": "Kafka",
      "panels": [{"title": "Lag", "targets": [
        {"expr": "sum by (topic) (kafka_lag{topic=~\"$topic\"})", "legendFormat": "{{topic}}"}]}],
      "templating": {"list": [{"name": "topic", "type": "query", "query": "label_values(kafka_lag, topic)"}]}
    }
  other.conf: |
    not a dashboard
`,
			want: []string{
				`dashboard "Kafka"`,
				`target "Lag" @10:19 kafka_lag@10:35 legend "{{topic}}"@10:84`,
				`var topic label_values raw@11:76 query "kafka_lag"@11:89 selector=true kafka_lag@11:89 label "topic"@11:100`,
			},
		},
		{
			name: "reads every ConfigMap of a List and of later documents",
			input: `apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: ConfigMap
  data:
    a.json: |-
      {"title": "A", "panels": [{"title": "PA", "targets": [{"expr": "a_metric"}]}]}
- apiVersion: v1
  kind: ConfigMap
  data:
    b.json: '{"title": "B", "panels": [{"title": "PB", "targets": [{"expr": "b_metric"}]}]}'
---
apiVersion: v1
kind: ConfigMap
data:
  c.json: "{\"title\": \"C\", \"panels\": [{\"title\": \"PC\", \"targets\": [{\"expr\": \"c_metric\"}]}]}"
`,
			want: []string{
				`dashboard "A"`,
				`target "PA" @8:71 a_metric@8:71`,
				`dashboard "B"`,
				`target "PB" @12:78 b_metric@12:78`,
				`dashboard "C"`,
				`target "PC" @17:91 c_metric@17:91`,
			},
		},
		{
			name: "reads a GrafanaDashboard resource",
			input: `apiVersion: grafana.integreatly.org/v1beta1
kind: GrafanaDashboard
spec:
  json: >
    {"title": "G", "panels": [{"title": "PG", "targets": [{"expr": "g_metric"}]}]}
`,
			want: []string{
				`dashboard "G"`,
				`target "PG" @5:69 g_metric@5:69`,
			},
		},
		{
			name: "reports bad JSON inside the block scalar at its YAML position",
			input: `kind: ConfigMap
data:
  x.json: |
    {"title": "X",
      "panels": [}
`,
			want: []string{`problem 5:18: invalid character '}' looking for beginning of value`},
		},
		{
			name:  "reports a YAML syntax error",
			input: "kind: ConfigMap\ndata:\n  x.json: [\n",
			want:  []string{`problem 3:1: did not find expected node content`},
		},
		{
			name:  "ignores YAML that holds no dashboard",
			input: "kind: ConfigMap\ndata:\n  a: b\n",
			want:  nil,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := LoadConfigMap(lint.NewSourceFile("cm.yaml", []byte(tt.input)))
			if diff := cmp.Diff(tt.want, summarize(res)); diff != "" {
				t.Errorf("LoadConfigMap (-want +got):\n%s", diff)
			}
			checkQueries(t, res)
		})
	}
}

func TestDecodeStringOffsets(t *testing.T) {
	tests := []struct {
		name  string
		input string // a JSON string literal
		value string
		offs  []int32 // nil when verbatim
	}{
		{name: "leaves a string without escapes verbatim", input: `"abc"`, value: "abc"},
		{name: "maps simple escapes to their backslash", input: `"a\"b\\c\nd\te\/"`, value: "a\"b\\c\nd\te/", offs: []int32{1, 2, 4, 5, 7, 8, 10, 11, 13, 14, 16}},
		{name: "maps every byte of a \\u escape to its backslash", input: `"\u00e9x"`, value: "éx", offs: []int32{1, 1, 7, 8}},
		{name: "decodes a surrogate pair into one rune", input: `"\ud83d\ude00!"`, value: "😀!", offs: []int32{1, 1, 1, 1, 13, 14}},
		{name: "turns a lone surrogate into the replacement character", input: `"\ud83dx"`, value: "\ufffdx", offs: []int32{1, 1, 1, 7, 8}},
		{name: "keeps raw UTF-8 bytes in place", input: `"é\n"`, value: "é\n", offs: []int32{1, 2, 3, 5}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			value, offs := decodeStringOffsets(tt.input, 0, len(tt.input), true)
			if diff := cmp.Diff(tt.value, value); diff != "" {
				t.Errorf("value (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.offs, offs); diff != "" {
				t.Errorf("offsets (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLooksLike(t *testing.T) {
	tests := []struct {
		name      string
		input     string
		json      bool
		configMap bool
	}{
		{name: "accepts a dashboard with panels", input: `{"panels": []}`, json: true},
		{name: "accepts a dashboard after a byte-order mark and blanks", input: "\ufeff\n {\"schemaVersion\" : 39}", json: true},
		{name: "accepts an old dashboard with rows and templating", input: `{"rows": [], "templating": {}}`, json: true},
		{name: "rejects a health sample", input: `{"status": "ok", "rows": 3, "panels_note": "x"}`},
		{name: "rejects a panels word that is not a key", input: `{"note": "panels"}`},
		{name: "rejects a JSON array", input: `[{"panels": []}]`},
		{name: "accepts a ConfigMap holding a dashboard", input: "kind: ConfigMap\ndata:\n  d.json: |\n    {\"panels\": []}\n", configMap: true},
		{name: "rejects a ConfigMap holding something else", input: "kind: ConfigMap\ndata:\n  a: b\n"},
		{name: "rejects a rule file", input: "groups:\n- name: x\n  rules: []\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := LooksLikeDashboardJSON([]byte(tt.input)); got != tt.json {
				t.Errorf("LooksLikeDashboardJSON = %v, want %v", got, tt.json)
			}
			if got := LooksLikeDashboardConfigMap([]byte(tt.input)); got != tt.configMap {
				t.Errorf("LooksLikeDashboardConfigMap = %v, want %v", got, tt.configMap)
			}
		})
	}
}

func FuzzLoadJSON(f *testing.F) {
	for _, s := range []string{
		`{"title": "t", "panels": [{"title": "p", "targets": [{"expr": "rate(x{a=\"\\u00e9\"}[$__rate_interval])", "legendFormat": "{{a}}"}]}]}`,
		`{"rows": [{"panels": [{"type": "row", "collapsed": true, "panels": [{"targets": [{"expr": "up"}]}]}]}]}`,
		`{"templating": {"list": [{"type": "query", "query": "label_values(up{job=\"$job\"}, instance)"}, {"type": "query", "query": {"query": "query_result(x)"}}]}}`,
		`{"dashboard": {"panels": [{"libraryPanel": {"uid": "u", "model": {"targets": [{"expr": "\ud83d"}]}}}]}, "__elements": {"u": {"model": {}}}}`,
		`{"panels": [`,
		"\ufeff[[[]]]",
		`{"panels": [{"targets": [{"expr": "x\u0000\\"}]}]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(_ *testing.T, src []byte) {
		LoadJSON(lint.NewSourceFile("f.json", src))
	})
}

func FuzzLoadConfigMap(f *testing.F) {
	for _, s := range []string{
		"kind: ConfigMap\ndata:\n  d.json: |\n    {\"panels\": [{\"targets\": [{\"expr\": \"up\"}]}]}\n",
		"kind: List\nitems:\n- kind: ConfigMap\n  data:\n    d.json: \"{\\\"panels\\\": [\\u0041]}\"\n---\nkind: GrafanaDashboard\nspec:\n  json: '{\"panels\": ['\n",
		"a: &x {data: *x}\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(_ *testing.T, src []byte) {
		LoadConfigMap(lint.NewSourceFile("f.yaml", src))
	})
}

// FuzzDecodeString checks the string decoder against encoding/json on valid JSON string
// literals, and that every decoded byte maps to its own source byte or to a backslash.
func FuzzDecodeString(f *testing.F) {
	for _, s := range []string{`"a\"b"`, `"\u00e9\ud83d\ude00"`, `"\ud800\u0041"`, `"x\/\b\f\r"`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, lit string) {
		var want string
		b := builder{s: lit}
		if end, ok := b.stringEnd(0); len(lit) < 2 || lit[0] != '"' || !ok || end != len(lit) ||
			!utf8.ValidString(lit) || json.Unmarshal([]byte(lit), &want) != nil {
			return
		}
		got, offs := decodeStringOffsets(lit, 0, len(lit), true)
		if got != want {
			t.Fatalf("decode %s = %q, encoding/json gives %q", lit, got, want)
		}
		if offs == nil {
			if got != lit[1:len(lit)-1] {
				t.Fatalf("decode %s: no offsets but the value is not verbatim", lit)
			}
			return
		}
		if len(offs) != len(got)+1 || int(offs[len(got)]) != len(lit)-1 {
			t.Fatalf("decode %s: %d offsets for %d bytes, last %d", lit, len(offs), len(got), offs[len(offs)-1])
		}
		for i := range len(got) {
			if c := lit[offs[i]]; c != got[i] && c != '\\' || i > 0 && offs[i] < offs[i-1] {
				t.Fatalf("decode %s: byte %d (%q) maps to %d (%q)", lit, i, got[i], offs[i], c)
			}
		}
	})
}

func TestDatasources(t *testing.T) {
	tests := []struct {
		name  string
		input string
		want  []string
	}{
		{
			name: "resolves datasource inputs of an export",
			input: `{"title": "Export",
"__inputs": [
  {"name": "DS_PROM", "type": "datasource", "pluginId": "prometheus"},
  {"name": "DS_LOKI", "type": "datasource", "pluginId": "loki"}],
"panels": [
  {"title": "Logs", "datasource": "${DS_LOKI}", "targets": [{"expr": "sum(count_over_time({job=\"a\"}[5m]))"}]},
  {"title": "Typed", "datasource": {"type": "loki", "uid": "${DS_LOKI}"}, "targets": [{"expr": "x"}]},
  {"title": "Metrics", "datasource": "${DS_PROM}", "targets": [{"expr": "up"}]},
  {"title": "Object", "datasource": {"uid": "${DS_PROM}"}, "targets": [{"expr": "rate(a_total[5m])"}]}
]}`,
			want: []string{
				`dashboard "Export"`,
				`target "Metrics" @8:74 up@8:74`,
				`target "Object" @9:82 a_total@9:87`,
				"foreign logql @6:71 Logs",
				"foreign logql @7:97 Typed",
			},
		},
		{
			name: "resolves datasource variables by their query, the plugin type",
			input: `{"title": "Vars",
"templating": {"list": [
  {"name": "loki_datasource", "type": "datasource", "query": "loki"},
  {"name": "prom", "type": "datasource", "query": "prometheus"},
  {"name": "job", "type": "query", "datasource": "$loki_datasource", "query": "label_values(job)"},
  {"name": "ns", "type": "query", "datasource": {"type": "prometheus", "uid": "$prom"}, "query": "label_values(kube_pod_info, namespace)"}
]},
"panels": [
  {"title": "Logs", "datasource": "$loki_datasource", "targets": [{"expr": "{ns=\"x\"}"}]},
  {"title": "Braced", "datasource": {"uid": "${loki_datasource}"}, "targets": [{"expr": "{ns=\"x\"}"}]},
  {"title": "Metrics", "datasource": "[[prom]]", "targets": [{"expr": "up"}]}
]}`,
			want: []string{
				`dashboard "Vars"`,
				`target "Metrics" @11:72 up@11:72`,
				`var ns label_values raw@6:99 query "kube_pod_info"@6:112 selector=true kube_pod_info@6:112 label "namespace"@6:127`,
				"foreign logql @5:80 variable job",
				"foreign logql @9:77 Logs",
				"foreign logql @10:90 Braced",
			},
		},
		{
			name: "takes the dashboard default from its one datasource type",
			input: `{"title": "Default",
"templating": {"list": [{"name": "ds", "type": "datasource", "query": "loki"}]},
"panels": [
  {"title": "No datasource", "targets": [{"expr": "sum by (job) (rate({job=\"a\"}[1m]))"}]},
  {"title": "Own", "targets": [{"expr": "up", "datasource": {"type": "prometheus"}}]}
]}`,
			want: []string{
				`dashboard "Default"`,
				`target "Own" @5:42 up@5:42`,
				"foreign logql @4:52 No datasource",
			},
		},
		{
			name: "has no default when datasource types disagree",
			input: `{"title": "Two",
"templating": {"list": [{"name": "a", "type": "datasource", "query": "loki"}, {"name": "b", "type": "datasource", "query": "prometheus"}]},
"panels": [{"title": "P", "targets": [{"expr": "up"}]}]
}`,
			want: []string{`dashboard "Two"`, `target "P" @3:49 up@3:49`},
		},
		{
			name: "reads mixed panels target by target",
			input: `{"title": "Mixed", "panels": [
  {"title": "M", "datasource": {"type": "datasource", "uid": "-- Mixed --"}, "targets": [
    {"expr": "up", "datasource": {"type": "prometheus", "uid": "p"}},
    {"expr": "{app=\"a\"}", "datasource": {"type": "loki", "uid": "l"}},
    {"expression": "$A / $B", "datasource": {"type": "__expr__", "uid": "__expr__"}},
    {"expr": "$A", "datasource": {"uid": "__expr__"}},
    {"expr": "$A + 1", "datasource": "__expr__"}]}
]}`,
			want: []string{
				`dashboard "Mixed"`,
				`target "M" @3:15 up@3:15`,
				"foreign logql @4:15 M",
				"foreign grafana expression @6:15 M",
				"foreign grafana expression @7:15 M",
			},
		},
		{
			name: "reads an unknown type as PromQL unless the expression has a log pipeline",
			input: `{"title": "Unknown", "panels": [
  {"title": "U", "datasource": "$undeclared", "targets": [
    {"expr": "{namespace=\"x\"} |= \"err\""},
    {"expr": "sum(rate({app=\"a\"} | json | status >= 500 [5m]))", "datasource": {"uid": "abc"}},
    {"expr": "rate(errors_total{code!~\"5..\"}[5m]) != 0"},
    {"expr": "up{job=~\"a|b\"}", "datasource": {"uid": "abc"}}]},
  {"title": "Same uid", "datasource": {"type": "loki", "uid": "l1"}, "targets": [
    {"expr": "{app=\"a\"}", "datasource": {"uid": "l1"}},
    {"expr": "kept_other_uid", "datasource": {"uid": "p1"}}]},
  {"title": "Named", "datasource": "Loki", "targets": [{"expr": "{app=\"a\"}"}]},
  {"title": "Named prom", "datasource": "Prometheus", "targets": [{"expr": "kept_named"}]}
]}`,
			want: []string{
				`dashboard "Unknown"`,
				`target "U" @5:15 errors_total@5:20`,
				`target "U" @6:15 up@6:15`,
				`target "Same uid" @9:15 kept_other_uid@9:15`,
				`target "Named prom" @11:77 kept_named@11:77`,
				"foreign logql @3:15 U",
				"foreign logql @4:15 U",
				"foreign logql @8:15 Same uid",
				"foreign logql @10:66 Named",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := LoadJSON(lint.NewSourceFile("d.json", []byte(tt.input)))
			if diff := cmp.Diff(tt.want, summarize(res)); diff != "" {
				t.Errorf("LoadJSON (-want +got):\n%s", diff)
			}
			checkQueries(t, res)
		})
	}
}
