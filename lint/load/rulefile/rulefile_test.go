package rulefile

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/prometheus/prometheus/promql/parser"

	"github.com/driftlint/driftlint/lint"
)

// selectors lists "line:col name" for every vector selector of every loaded rule.
func selectors(res *Result) []string {
	var out []string
	for _, r := range res.Rules {
		if r.Query.Expr == nil {
			out = append(out, fmt.Sprintf("%s: parse error: %v", r.Name, r.Query.Err))
			continue
		}
		parser.Inspect(r.Query.Expr, func(n parser.Node, _ []parser.Node) error {
			if vs, ok := n.(*parser.VectorSelector); ok {
				p := r.Query.NodePos(vs)
				out = append(out, fmt.Sprintf("%d:%d %s", p.Line, p.Col, lint.MetricName(vs)))
			}
			return nil
		})
	}
	return out
}

func problems(res *Result) []string {
	var out []string
	for _, p := range res.Problems {
		out = append(out, fmt.Sprintf("%d:%d %s", p.At.Line, p.At.Col, p.Message))
	}
	return out
}

func TestLoadPositions(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string
	}{
		{
			name: "maps a plain scalar",
			src: `groups:
  - name: kafka
    rules:
      - alert: A
        expr: sum(rate(kafka_producer_errors_total[5m])) > 0
`,
			want: []string{"5:24 kafka_producer_errors_total"},
		},
		{
			name: "maps a literal block over two lines",
			src: `groups:
  - name: kafka
    rules:
      - alert: A
        expr: |
          sum(rate(errors_total[5m]))
            /
          sum(rate(requests_total[5m]))
`,
			want: []string{"6:20 errors_total", "8:20 requests_total"},
		},
		{
			name: "maps a double-quoted scalar with escaped quotes",
			src: `groups:
  - name: g
    rules:
      - alert: A
        expr: "up{job=\"kafka\"} == 0 and on() absent(foo_total)"
`,
			want: []string{"5:16 up", "5:55 foo_total"},
		},
		{
			name: "maps a double-quoted scalar after a newline escape",
			src: `groups:
  - name: g
    rules:
      - alert: A
        expr: "up\n == 0 or bar_total"
`,
			want: []string{"5:16 up", "5:29 bar_total"},
		},
		{
			name: "maps a folded block",
			src: `groups:
  - name: g
    rules:
      - record: job:x:rate5m
        expr: >
          sum by (job)
          (rate(x_total[5m]))
`,
			want: []string{"7:17 x_total"},
		},
		{
			name: "counts bytes, not runes, after non-ASCII text",
			src: `groups:
  - name: g
    rules:
      - {alert: "Überlast", expr: foo_total > 1}
`,
			want: []string{"4:36 foo_total"},
		},
		{
			name: "reads a PrometheusRule custom resource",
			src: `apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata:
  name: x
spec:
  groups:
    - name: g
      rules:
        - alert: A
          expr: up == 0
`,
			want: []string{"10:17 up"},
		},
		{
			name: "reads every document of a multi-document file",
			src: `groups:
  - name: a
    rules:
      - alert: A
        expr: up == 0
---
groups:
  - name: b
    rules:
      - alert: B
        expr: down == 0
`,
			want: []string{"5:15 up", "11:15 down"},
		},
		{
			name: "maps rules embedded in a ConfigMap into the outer file",
			src: `apiVersion: v1
kind: ConfigMap
data:
  alert_rules.yml: |
    groups:
      - name: a
        rules:
          - alert: A
            expr: rate(x_total[5m]) > 0
`,
			want: []string{"9:24 x_total"},
		},
		{
			name: "keeps a PromQL comment with a want out of the query",
			src: `groups:
  - name: a
    rules:
      - alert: A
        expr: |
          up == 0 # want "x"
          or down == 1
`,
			want: []string{"6:11 up", "7:14 down"},
		},
		{
			name: "reads names given by __name__",
			src: `groups:
  - name: a
    rules:
      - record: r
        expr: '{__name__="quoted_total"}'
`,
			want: []string{"5:16 quoted_total"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := Load(lint.NewSourceFile("rules.yml", []byte(tt.src)))
			if len(res.Problems) > 0 {
				t.Errorf("unexpected problems: %v", problems(res))
			}
			if diff := cmp.Diff(tt.want, selectors(res)); diff != "" {
				t.Errorf("selectors (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLoadFields(t *testing.T) {
	src := `groups:
  - name: kafka
    rules:
      - alert: KafkaLag
        expr: lag > 5
        for: 10m
        keep_firing_for: 5m
        labels:
          severity: critical
        annotations:
          summary: "lag on {{ $labels.topic }}"
          runbook_url: docs/RUNBOOK.md#kafkalag
`
	res := Load(lint.NewSourceFile("r.yml", []byte(src)))
	if len(res.Rules) != 1 {
		t.Fatalf("got %d rules", len(res.Rules))
	}
	r := res.Rules[0]
	got := []string{
		line(r.Kind == lint.AlertRule, r.Name, r.NameAt, r.Group),
		line(r.For, r.ForAt, r.KeepFiringFor, r.KeepFiringAt),
		line(r.Label("severity").Value.Value, r.Label("severity").Value.StartPos()),
		line(r.Annotation("summary").Value.Value, r.Annotation("summary").Value.Pos(11)),
		line(r.Annotation("runbook_url").KeyAt),
	}
	want := []string{
		"true KafkaLag r.yml:4:16 kafka",
		"10m r.yml:6:14 5m r.yml:7:26",
		"critical r.yml:9:21",
		"lag on {{ $labels.topic }} r.yml:11:32",
		"r.yml:12:11",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestLoadProblems(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string
	}{
		{name: "accepts an empty file", src: "", want: nil},
		{name: "accepts a comment-only file", src: "# nothing yet\n", want: nil},
		{
			name: "reports a YAML syntax error at its line",
			src:  "groups:\n  - name: a\n    rules:\n      - alert: A\n        expr: up\n       for: 5m\n",
			want: []string{"3:1 did not find expected '-' indicator"},
		},
		{
			name: "reports a bad duration from rulefmt at the rule",
			src:  "groups:\n  - name: a\n    rules:\n      - alert: A\n        expr: up == 0\n        for: 5 minutes\n",
			want: []string{`6:14 bad for duration: unknown unit " minutes" in duration "5 minutes"`},
		},
		{
			name: "reports an unknown rule key with a suggestion",
			src:  "groups:\n  - name: a\n    rules:\n      - alert: A\n        expr: up == 0\n        anotations: {}\n",
			want: []string{`6:9 unknown key "anotations" in rule (did you mean "annotations"?)`},
		},
		{
			name: "reports a bad annotation template",
			src:  "groups:\n  - name: a\n    rules:\n      - alert: A\n        expr: up == 0\n        annotations:\n          summary: '{{ $labels.x '\n",
			want: []string{`4:16 annotation "summary": template: __alert_A:1: unclosed action`},
		},
		{
			name: "reports a rule without a name",
			src:  "groups:\n  - name: a\n    rules:\n      - expr: up == 0\n",
			want: []string{"4:9 a rule needs an alert or a record name"},
		},
		{
			name: "leaves PromQL errors to promql/syntax",
			src:  "groups:\n  - name: a\n    rules:\n      - alert: A\n        expr: sum(up\n",
			want: nil,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := Load(lint.NewSourceFile("rules.yml", []byte(tt.src)))
			if diff := cmp.Diff(tt.want, problems(res)); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
		})
	}
}

func line(args ...any) string { return strings.TrimSpace(fmt.Sprintln(args...)) }

func TestLoadBoundsAliasExpansion(t *testing.T) {
	bomb := func(n int) string {
		refs := func(a string) string { return strings.TrimSuffix(strings.Repeat("*"+a+", ", n), ", ") }
		return "r: &r {alert: A, expr: up}\ng: &g {name: g, rules: [" + refs("r") + "]}\ngroups: [" + refs("g") + "]\n"
	}
	tests := []struct {
		name      string
		src       string
		wantRules int
		wantProbs []string
	}{
		{name: "follows a few aliases", src: bomb(3), wantRules: 9},
		{
			name: "stops a quadratic alias bomb of 24 kB after a thousand reused rules and groups", src: bomb(3000), wantRules: 1001,
			wantProbs: []string{"1:4 the document contains excessive aliasing: rules and groups are reused more than 1000 times; the rest is skipped"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := Load(lint.NewSourceFile("r.yml", []byte(tt.src)))
			if len(res.Rules) != tt.wantRules {
				t.Errorf("got %d rules, want %d", len(res.Rules), tt.wantRules)
			}
			var got []string
			for _, p := range problems(res) {
				if strings.Contains(p, "aliasing") {
					got = append(got, p)
				}
			}
			if diff := cmp.Diff(tt.wantProbs, got); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
		})
	}
}

func TestOtherRulers(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string
	}{
		{
			name: "counts LogQL rules of a Loki ruler instead of parsing them",
			src: `groups:
  - name: loki
    rules:
      - alert: LokiErrors
        expr: sum by (job) (count_over_time({app="loki"} |= "level=error" [5m])) > 10
      - record: job:log_lines:rate1m
        expr: |
          sum by (job) (rate({app="loki"} | json | status >= 500 [1m]))
      - alert: Promql
        expr: rate(up{job=~"a|b"}[5m]) != 0
`,
			want: []string{
				"rule Promql",
				"foreign logql @5:15 LokiErrors",
				"foreign logql @7:15 job:log_lines:rate1m",
			},
		},
		{
			name: "accepts the group keys of Thanos, Cortex, Mimir and Loki rulers",
			src: `groups:
  - name: thanos
    partial_response_strategy: warn
    interval: 1m
    query_offset: 30s
    limit: 10
    labels:
      team: a
    source_tenants: [a, b]
    evaluation_delay: 1m
    align_evaluation_time_on_interval: true
    rules:
      - alert: A
        expr: up == 0
`,
			want: []string{"rule A"},
		},
		{
			name: "still reports an unknown group key",
			src: `groups:
  - name: g
    evaluation_dalay: 1m
    rules:
      - alert: A
        expr: up == 0
`,
			want: []string{"rule A", `problem 3:5 unknown key "evaluation_dalay" in rule group (did you mean "evaluation_delay"?)`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := Load(lint.NewSourceFile("r.yaml", []byte(tt.src)))
			var got []string
			for _, r := range res.Rules {
				got = append(got, "rule "+r.Name)
			}
			for _, p := range res.Problems {
				got = append(got, fmt.Sprintf("problem %d:%d %s", p.At.Line, p.At.Col, p.Message))
			}
			for _, f := range res.Foreign {
				got = append(got, fmt.Sprintf("foreign %s @%d:%d %s", f.Language, f.At.Line, f.At.Col, f.Owner))
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Load (-want +got):\n%s", diff)
			}
		})
	}
}
