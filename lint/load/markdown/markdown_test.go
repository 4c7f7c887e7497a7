package markdown

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/prometheus/prometheus/promql/parser"

	"github.com/driftlint/driftlint/lint"
)

func load(src string, runbook, metricsDoc bool) *Result {
	return Load(lint.NewSourceFile("doc.md", []byte(src)), runbook, metricsDoc)
}

// lc formats a position as line:col.
func lc(p lint.Pos) string {
	if !p.IsValid() {
		return "-"
	}
	return fmt.Sprintf("%d:%d", p.Line, p.Col)
}

// checkSpan fails when a span's bytes are not the file's bytes at the offsets it claims
// (a decoded span may differ only where it says so: escapes, entities, padding).
func checkSpan(t *testing.T, s lint.Span) {
	t.Helper()
	for i := range len(s.Value) {
		off := s.Offset(i)
		if off < 0 || off >= len(s.File.Src) {
			t.Errorf("span %q: byte %d maps to offset %d outside the file", s.Value, i, off)
			return
		}
		if c := s.File.Src[off]; c != s.Value[i] && !strings.ContainsRune(" |\"", rune(s.Value[i])) {
			t.Errorf("span %q: byte %d %q maps to %q at %s", s.Value, i, s.Value[i], c, lc(s.Pos(i)))
			return
		}
	}
}

func problems(r *Result) []string {
	var out []string
	for _, p := range r.Problems {
		out = append(out, lc(p.At)+" "+p.Message)
	}
	return out
}

func TestSlug(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Kafka Producer: Errors!", "kafka-producer-errors"},
		{"`kafka_lag` > 5m (v2.1)", "kafka_lag--5m-v21"},
		{"Ünïcode Ök", "ünïcode-ök"},
		{"KubePodCrashLooping", "kubepodcrashlooping"},
		{"Errors & Warnings", "errors--warnings"},
		{"already-dashed_name", "already-dashed_name"},
		{"日本語 見出し", "日本語-見出し"},
		{"Step 1. Check the $LAG / 100%", "step-1-check-the-lag--100"},
		{"Tab\tseparated", "tabseparated"},
		{"???", ""},
		{"", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := Slug(tt.in); got != tt.want {
				t.Errorf("Slug(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestHeadings(t *testing.T) {
	tests := []struct {
		name    string
		src     string
		want    []string // line:col level "text" #anchor
		anchors []string // every anchor with its position, sorted
	}{
		{
			name:    "numbers duplicate headings like GitHub",
			src:     "# Errors\n\n## Errors\n\n### Errors\n\n## Errors-1\n",
			want:    []string{`1:1 h1 "Errors" #errors`, `3:1 h2 "Errors" #errors-1`, `5:1 h3 "Errors" #errors-2`, `7:1 h2 "Errors-1" #errors-1-1`},
			anchors: []string{"errors 1:1", "errors-1 3:1", "errors-1-1 7:1", "errors-2 5:1"},
		},
		{
			name:    "takes plain text from code spans, emphasis, links and escapes",
			src:     "## `kafka_lag` > 5m (v2.1)\n\n## **Bold** [link](#x) \\_under\\_ &amp; co\n",
			want:    []string{`1:1 h2 "kafka_lag > 5m (v2.1)" #kafka_lag--5m-v21`, `3:1 h2 "Bold link _under_ & co" #bold-link-_under_--co`},
			anchors: []string{"bold-link-_under_--co 3:1", "kafka_lag--5m-v21 1:1"},
		},
		{
			name:    "lets an explicit id win and keeps its slug free for others",
			src:     "## Producer errors {#custom}\n\n## Custom\n\n## Custom\n",
			want:    []string{`1:1 h2 "Producer errors" #custom`, `3:1 h2 "Custom" #custom-1`, `5:1 h2 "Custom" #custom-2`},
			anchors: []string{"custom 1:1", "custom-1 3:1", "custom-2 5:1"},
		},
		{
			name:    "adds anchors of a name and id attributes in HTML anywhere",
			src:     "<a name=\"top\"></a>\n\n# Title <a id='t2'></a>\n\nText <a name=kafka-lag>here</a>.\n\n<div id=\"box\">\n</div>\n",
			want:    []string{`3:1 h1 "Title" #title`},
			anchors: []string{"box 7:10", "kafka-lag 5:14", "t2 3:16", "title 3:1", "top 1:10"},
		},
		{
			name:    "reads setext, indented and nested headings",
			src:     "Overview\n========\n\n   ## Indented\n\n> ### Quoted\n\n- #### In a list\n",
			want:    []string{`1:1 h1 "Overview" #overview`, `4:4 h2 "Indented" #indented`, `6:3 h3 "Quoted" #quoted`, `8:3 h4 "In a list" #in-a-list`},
			anchors: []string{"in-a-list 8:3", "indented 4:4", "overview 1:1", "quoted 6:3"},
		},
		{
			name:    "keeps non-ASCII letters",
			src:     "# Ünïcode Ök\n",
			want:    []string{`1:1 h1 "Ünïcode Ök" #ünïcode-ök`},
			anchors: []string{"ünïcode-ök 1:1"},
		},
		{
			name:    "ignores headings and anchors inside code",
			src:     "```\n# not a heading\n<a name=\"no\"></a>\n```\n\n    # indented code\n",
			anchors: []string{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := load(tt.src, true, false)
			var got []string
			for _, h := range r.Markdown.Headings {
				got = append(got, fmt.Sprintf("%s h%d %q #%s", lc(h.At), h.Level, h.Text, h.Anchor))
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("headings (-want +got):\n%s", diff)
			}
			anchors := []string{}
			for a, p := range r.Markdown.Anchors {
				anchors = append(anchors, a+" "+lc(p))
			}
			sort.Strings(anchors)
			if diff := cmp.Diff(tt.anchors, anchors); diff != "" {
				t.Errorf("anchors (-want +got):\n%s", diff)
			}
		})
	}
}

func TestFences(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string // fence line:col, lang, body start line:col, body, owner
		byte string   // a piece of the last body whose first byte must map to at
		at   string
	}{
		{
			name: "reads language, body and owner of plain fences",
			src:  "# Lag\n\n```PromQL title=\"x\"\nsum(lag)\n```\n\n~~~bash\ncurl x\n~~~\n",
			want: []string{`3:1 promql 4:1 "sum(lag)\n" owner="Lag"`, `7:1 bash 8:1 "curl x\n" owner="Lag"`},
			byte: "x", at: "8:6",
		},
		{
			name: "maps every byte of an indented fence whose indentation goldmark removed",
			src:  "## Check\n\n1. Step:\n\n   ```promql\n   rate(a[5m])\n     / rate(b[5m])\n   ```\n",
			want: []string{`5:4 promql 6:4 "rate(a[5m])\n  / rate(b[5m])\n" owner="Check"`},
			byte: "/", at: "7:6",
		},
		{
			name: "gives an empty block a position after the fence",
			src:  "```yaml\n```\ntext\n",
			want: []string{`1:1 yaml 2:1 "" owner=""`},
		},
		{
			name: "reads an unclosed fence to the end of the file",
			src:  "```sh\necho hi\n",
			want: []string{`1:1 sh 2:1 "echo hi\n" owner=""`},
			byte: "hi", at: "2:6",
		},
		{
			name: "takes the first word of the info string as language",
			src:  "```{.PromQL}\nup\n```\n\n```yaml,title=x\na: b\n```\n",
			want: []string{`1:1 promql 2:1 "up\n" owner=""`, `5:1 yaml 6:1 "a: b\n" owner=""`},
		},
		{
			name: "keeps a fence without info string",
			src:  "# A\n## B\n```\nx\n```\n",
			want: []string{`3:1  4:1 "x\n" owner="B"`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := load(tt.src, false, false)
			var got []string
			for _, b := range r.Markdown.Blocks {
				got = append(got, fmt.Sprintf("%s %s %s %q owner=%q", lc(b.At), b.Lang, lc(b.Body.StartPos()), b.Body.Value, b.Owner))
				checkSpan(t, b.Body)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("blocks (-want +got):\n%s", diff)
			}
			if tt.byte != "" {
				body := r.Markdown.Blocks[len(r.Markdown.Blocks)-1].Body
				i := strings.Index(body.Value, tt.byte)
				if got := lc(body.Pos(i)); got != tt.at {
					t.Errorf("%q at %s, want %s", tt.byte, got, tt.at)
				}
			}
		})
	}
}

// selectors lists the metric selectors of a query with their file positions.
func selectors(q *lint.Query) []string {
	var out []string
	if q.Expr == nil {
		return nil
	}
	parser.Inspect(q.Expr, func(n parser.Node, _ []parser.Node) error {
		if vs, ok := n.(*parser.VectorSelector); ok {
			out = append(out, vs.Name+"@"+lc(q.NodePos(vs)))
		}
		return nil
	})
	return out
}

func describeQueries(qs []*lint.Query) []string {
	var out []string
	for _, q := range qs {
		s := fmt.Sprintf("%s %s owner=%q", lc(q.Pos(0)), q.Origin, q.Owner)
		if q.Err != nil {
			s += " error"
		}
		if sel := selectors(q); len(sel) > 0 {
			s += " " + strings.Join(sel, " ")
		}
		out = append(out, s)
	}
	return out
}

func TestPromQLBlocks(t *testing.T) {
	tests := []struct {
		name    string
		src     string
		runbook bool
		want    []string
	}{
		{
			name:    "parses a block as one query in a runbook",
			src:     "# KafkaLag\n\n```promql\nsum(rate(kafka_errors_total[5m]))\n  / sum(rate(kafka_total[5m]))\n```\n",
			runbook: true,
			want:    []string{`4:1 runbook query owner="KafkaLag" kafka_errors_total@4:10 kafka_total@5:14`},
		},
		{
			name: "marks queries of a metrics doc as docs examples",
			src:  "```promql\nup\n```\n",
			want: []string{`2:1 docs example owner="" up@2:1`},
		},
		{
			name:    "splits a block of several queries at blank lines",
			src:     "## Lag\n\n```promql\n# consumer lag\nmax(kafka_lag)\n\n\nrate(kafka_in_total[5m])\n# trailing comment\n```\n",
			runbook: true,
			want:    []string{`4:1 runbook query owner="Lag" kafka_lag@5:5`, `8:1 runbook query owner="Lag" kafka_in_total@8:6`},
		},
		{
			name:    "keeps a query split by a blank line when the whole block parses",
			src:     "```promql\nsum(a)\n\n/ sum(b)\n```\n",
			runbook: true,
			want:    []string{`2:1 runbook query owner="" a@2:5 b@4:7`},
		},
		{
			name:    "gives a broken chunk an error and keeps the others",
			src:     "```promql\nrate(a[5m]\n\nrate(b[5m])\n```\n",
			runbook: true,
			want:    []string{`2:1 runbook query owner="" error`, `4:1 runbook query owner="" b@4:6`},
		},
		{
			name:    "gives a broken single query an error without a problem",
			src:     "```promql\nsum(rate(x[5m]) by (job)\n```\n",
			runbook: true,
			want:    []string{`2:1 runbook query owner="" error`},
		},
		{
			name:    "maps positions inside an indented fence",
			src:     "- Check:\n\n  ```promql\n  sum by (job) (up{job=\"api\"})\n  ```\n",
			runbook: true,
			want:    []string{`4:3 runbook query owner="" up@4:17`},
		},
		{
			name:    "skips blocks of only comments and other languages",
			src:     "```promql\n# nothing here\n\n```\n\n```text\nup\n```\n",
			runbook: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := load(tt.src, tt.runbook, !tt.runbook)
			if diff := cmp.Diff(tt.want, describeQueries(r.Queries)); diff != "" {
				t.Errorf("queries (-want +got):\n%s", diff)
			}
			if len(r.Problems) > 0 {
				t.Errorf("unexpected problems %v", problems(r))
			}
		})
	}
}

func TestYAMLBlocks(t *testing.T) {
	tests := []struct {
		name     string
		src      string
		runbook  bool
		alerts   []string
		queries  []string
		problems []string
	}{
		{
			name:    "reads an alert copied into a runbook",
			src:     "# KafkaErrors\n\n```yaml\n- alert: KafkaErrors\n  expr: |\n    sum(rate(kafka_errors_total[5m])) > 0\n  for: 5m\n```\n",
			runbook: true,
			alerts:  []string{"4:10 KafkaErrors"},
			queries: []string{`6:5 runbook alert copy owner="KafkaErrors" kafka_errors_total@6:14`},
		},
		{
			name:    "reads a rule file in an indented fence",
			src:     "- Rule:\n\n  ```yml\n  groups:\n  - name: g\n    rules:\n    - record: job:up:sum\n      expr: sum by (job) (up)\n  ```\n",
			runbook: true,
			alerts:  []string{"7:15 job:up:sum"},
			queries: []string{`8:13 runbook alert copy owner="job:up:sum" up@8:27`},
		},
		{
			name:     "reports invalid YAML at its line",
			src:      "# A\n\n```yaml\n- alert: X\n  expr: up\n  for: 5m: x\n```\n",
			runbook:  true,
			problems: []string{"6:1 yaml code block: mapping values are not allowed in this context"},
		},
		{
			name:    "ignores YAML that holds no rule",
			src:     "```yaml\napiVersion: v1\nkind: Service\n```\n",
			runbook: true,
		},
		{
			name: "ignores yaml blocks outside runbooks",
			src:  "```yaml\n- alert: X\n  expr: up\n```\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := load(tt.src, tt.runbook, false)
			var alerts []string
			for _, a := range r.Alerts {
				alerts = append(alerts, lc(a.NameAt)+" "+a.Name)
			}
			if diff := cmp.Diff(tt.alerts, alerts); diff != "" {
				t.Errorf("alerts (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.queries, describeQueries(r.Queries)); diff != "" {
				t.Errorf("queries (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.problems, problems(r)); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
		})
	}
}

func TestJQ(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string // line:col "program" [error]
	}{
		{
			name: "reads a single-quoted program after curl",
			src:  "# Health\n\n```bash\ncurl -s localhost:3002/health | jq '.kafka.status'\n```\n",
			want: []string{`4:37 ".kafka.status" owner="Health"`},
		},
		{
			name: "skips flags before the program",
			src:  "```sh\ncurl -s http://x/health | jq -r --arg k v -c '.consumers[0].lag'\n```\n",
			want: []string{`2:47 ".consumers[0].lag" owner=""`},
		},
		{
			name: "decodes a double-quoted program and maps its escapes",
			src:  "```shell\ncurl -s x | jq \".[\\\"kafka-consumer\\\"].lag\"\n```\n",
			want: []string{`2:17 ".[\"kafka-consumer\"].lag" owner=""`},
		},
		{
			name: "reads an unquoted program",
			src:  "```console\n$ curl -s x | jq .status\nok\n```\n",
			want: []string{`2:18 ".status" owner=""`},
		},
		{
			name: "follows line continuations and a multi-line program",
			src:  "```zsh\ncurl -s \\\n  http://x/health \\\n  | jq '.a\n    | .b'\n```\n",
			want: []string{`4:9 ".a\n    | .b" owner=""`},
		},
		{
			name: "reads a program in inline code",
			src:  "## Check\n\nRun `curl -s x/health | jq -r '.kafka_producer'` first.\n",
			want: []string{`3:32 ".kafka_producer" owner="Check"`},
		},
		{
			name: "keeps a program that does not parse, with its error",
			src:  "```bash\ncurl x | jq '.a |'\n```\n",
			want: []string{`2:14 ".a |" owner="" error`},
		},
		{
			name: "reads several pipelines and wget",
			src:  "```bash\nwget -qO- x | jq .a; curl x | jq '.b' > out.json\nSTATUS=$(curl -s x | jq -r .c)\n```\n",
			want: []string{`2:18 ".a" owner=""`, `2:35 ".b" owner=""`, `3:28 ".c" owner=""`},
		},
		{
			name: "ignores jq that does not read an HTTP response",
			src:  "```bash\nkubectl get pod -ojson | jq '.items'\njq '.a' file.json\ncurl x > f; jq .b f\ncurl x | jq -f prog.jq\n```\n\n```yaml\nx: curl x | jq .a\n```\n",
		},
		{
			name: "reads a fence indented in a list",
			src:  "1. Look:\n   ```bash\n   curl x |\n     jq '.ok'\n   ```\n",
			want: []string{`4:10 ".ok" owner=""`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := load(tt.src, true, false)
			var got []string
			for _, j := range r.Markdown.JQ {
				s := fmt.Sprintf("%s %q owner=%q", lc(j.Program.StartPos()), j.Program.Value, j.Owner)
				if j.Err != nil {
					s += " error"
					if j.Query != nil {
						t.Errorf("program %q has both an error and a query", j.Program.Value)
					}
				} else if j.Query == nil {
					t.Errorf("program %q has no query", j.Program.Value)
				}
				got = append(got, s)
				checkSpan(t, j.Program)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("jq programs (-want +got):\n%s", diff)
			}
		})
	}
}

func TestJQEscapePositions(t *testing.T) {
	r := load("```bash\ncurl x | jq \"\\\"a\\\"\"\n```\n", true, false)
	if len(r.Markdown.JQ) != 1 {
		t.Fatalf("got %d programs, want 1", len(r.Markdown.JQ))
	}
	p := r.Markdown.JQ[0].Program
	var got []string
	for i := range len(p.Value) {
		got = append(got, fmt.Sprintf("%c@%s", p.Value[i], lc(p.Pos(i))))
	}
	want := []string{`"@2:15`, "a@2:16", `"@2:18`}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("byte positions (-want +got):\n%s", diff)
	}
}

func TestLinks(t *testing.T) {
	src := "# T [in heading](#t)\n\n" +
		"See [the runbook](runbooks/kafka.md#lag) and ![img](img.png \"title\").\n" +
		"Also [ref][r], <https://example.com/a> and https://example.com/b or www.example.org.\n\n" +
		"[r]: ../docs/x.md#frag \"t\"\n" +
		"[unused]:\n  <other.md>\n"
	want := []string{
		"1:18 #t",
		"3:19 runbooks/kafka.md#lag",
		"3:53 img.png",
		"4:17 https://example.com/a",
		"4:44 https://example.com/b",
		"4:69 http://www.example.org",
		"6:6 ../docs/x.md#frag",
		"8:4 other.md",
	}
	r := load(src, true, false)
	var got []string
	for _, l := range r.Markdown.Links {
		got = append(got, lc(l.At)+" "+l.Target)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("links (-want +got):\n%s", diff)
	}
}

func describeDocs(es []*lint.DocEntry) []string {
	var out []string
	for _, e := range es {
		s := fmt.Sprintf("%s %s", lc(e.At), e.Name)
		if e.TypeAt.IsValid() {
			s += fmt.Sprintf(" type=%q@%s", e.Type, lc(e.TypeAt))
		}
		if e.HasLabels {
			s += fmt.Sprintf(" labels=%s@%s", strings.Join(e.Labels, ","), lc(e.LabelsAt))
		}
		out = append(out, s)
	}
	return out
}

func TestMetricTables(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string
	}{
		{
			name: "reads names, types and labels with exact positions",
			src: "| Metric | Type | Labels | Description |\n" +
				"|--------|------|--------|-------------|\n" +
				"| `kafka_messages_total` | Counter | `topic`, `partition` | Messages |\n" +
				"|  kafka_lag_seconds  | `gauge` | topic | Lag |\n",
			want: []string{
				`3:4 kafka_messages_total type="counter"@3:28 labels=topic,partition@3:38`,
				`4:4 kafka_lag_seconds type="gauge"@4:26 labels=topic@4:35`,
			},
		},
		{
			name: "reads kube-state-metrics style label cells",
			src: "| Metric name | Metric type | Labels/tags |\n| --- | --- | --- |\n" +
				"| kube_pv_status_phase | Gauge | `persistentvolume`=&lt;pv-name&gt; <br>`phase`=&lt;Bound\\|Failed\\|Pending&gt; |\n" +
				"| kube_pv_claim_ref | Gauge | `persistentvolume`=&lt;pv-name&gt; <br>`claim_namespace`=`<namespace>`; <br>`name`=`<name>`; |\n" +
				"| kube_pv_info | Gauge | `access_mode`=&lt;ReadWriteOnce \\| ReadOnlyMany&gt; <br/> `mode` |\n" +
				"| kube_ingress_info | Gauge | `ingress`=&lt;ingress-name&gt; <br> `ingressclass`=&lt;ingress-class&gt; or `_default` if not set |\n",
			want: []string{
				`3:3 kube_pv_status_phase type="gauge"@3:26 labels=persistentvolume,phase@3:34`,
				`4:3 kube_pv_claim_ref type="gauge"@4:23 labels=persistentvolume,claim_namespace,name@4:31`,
				`5:3 kube_pv_info type="gauge"@5:18 labels=access_mode,mode@5:26`,
				`6:3 kube_ingress_info type="gauge"@6:23 labels=ingress,ingressclass@6:31`,
			},
		},
		{
			name: "reads label=value forms without code and empty-label spellings",
			src: "| Name | Labels |\n|---|---|\n" +
				"| a_total | method=\"GET\", code=<code>, le=0.1\\|1 |\n" +
				"| b_total | - |\n" +
				"| c_total | — |\n" +
				"| d_total | none |\n" +
				"| e_total | |\n" +
				"| f_total | {job, instance} |\n",
			want: []string{
				`3:3 a_total labels=method,code,le@3:13`,
				`4:3 b_total labels=@4:13`,
				`5:3 c_total labels=@5:13`,
				`6:3 d_total labels=@6:13`,
				`7:3 e_total labels=@7:12`,
				`8:3 f_total labels=job,instance@8:13`,
			},
		},
		{
			name: "strips links, notes and escapes around names",
			src: "| Metric | Type |\n|---|---|\n" +
				"| [`kafka_up`](#kafka_up) | Gauge |\n" +
				"| **Deprecated:** `old_total` | Counter |\n" +
				"| http_requests_total{code} | CounterVec |\n" +
				"| job:errors:rate5m (recorded) | gauge |\n" +
				"| kafka_lag_seconds — the lag | Gauge |\n" +
				"| not a metric name | Gauge |\n" +
				"| kafka.consumer.lag | Gauge |\n" +
				"| `a\\|b` | Gauge |\n",
			want: []string{
				`3:5 kafka_up type="gauge"@3:29`,
				`4:20 old_total type="counter"@4:33`,
				`5:3 http_requests_total type="counter"@5:31`,
				`6:3 job:errors:rate5m type="gauge"@6:34`,
				`7:3 kafka_lag_seconds type="gauge"@7:35`,
			},
		},
		{
			name: "normalizes client-library type words",
			src: "| metric | kind |\n|---|---|\n" +
				"| a_x | IntCounterVec |\n| b_x | prometheus.GaugeVec |\n| c_x | IntGauge |\n| d_x | HistogramVec |\n" +
				"| e_x | SummaryVec |\n| f_x | Info |\n| g_x | StateSet |\n| h_x | Untyped |\n| i_x | unknown |\n" +
				"| j_x | Timer |\n| k_x | |\n| l_x | `counter` (monotonic) |\n",
			want: []string{
				`3:3 a_x type="counter"@3:9`, `4:3 b_x type="gauge"@4:20`, `5:3 c_x type="gauge"@5:9`,
				`6:3 d_x type="histogram"@6:9`, `7:3 e_x type="summary"@7:9`, `8:3 f_x type="info"@8:9`,
				`9:3 g_x type="stateset"@9:9`, `10:3 h_x type="untyped"@10:9`, `11:3 i_x type="untyped"@11:9`,
				`12:3 j_x type=""@12:9`, `13:3 k_x type=""@13:8`, `14:3 l_x type="counter"@14:10`,
			},
		},
		{
			name: "reads tables without leading pipes and rows with missing or extra cells",
			src: "Series | Type | Labels\n--- | --- | ---\n" +
				"up_total | counter | job\n" +
				"lag_seconds | gauge\n" +
				"x_total | counter | a | extra | cells\n",
			want: []string{
				`3:1 up_total type="counter"@3:12 labels=job@3:22`,
				`4:1 lag_seconds type="gauge"@4:15 labels=@4:1`,
				`5:1 x_total type="counter"@5:11 labels=a@5:21`,
			},
		},
		{
			name: "reads the names of a table headed Metric with no type or labels column",
			src: "| Metric | Description |\n|---|---|\n| `kafka_up` | up |\n| `kafka_lag_seconds` (per topic) | lag |\n\n" +
				"Metric name | Since\n--- | ---\nhttp_requests_total | v1\nnot a metric | v2\ngrpc_server_handled_total | v3\n",
			want: []string{`3:4 kafka_up`, `4:4 kafka_lag_seconds`, `8:1 http_requests_total`, `10:1 grpc_server_handled_total`},
		},
		{
			name: "reads a Name column alone when every cell holds a metric name with _ or :",
			src:  "| Name | Exposed informations |\n|---|---|\n| `kafka_brokers` | brokers |\n| kafka_broker_info | info |\n| `job:up:sum` | recorded |\n",
			want: []string{`3:4 kafka_brokers`, `4:3 kafka_broker_info`, `5:4 job:up:sum`},
		},
		{
			name: "ignores a table that is not about metrics",
			src: "| Field | Type | Description |\n|---|---|---|\n| status | string | ok |\n\n" +
				"| Name | Type | Default |\n|---|---|---|\n| log_level | string | info |\n| port | int | 80 |\n\n" +
				"| Name | Description |\n|---|---|\n| `topic` | a Name column alone must hold names with _ or : |\n| `kafka_up` | x |\n\n" +
				"| Series | Description |\n|---|---|\n| `kafka_up` | every cell, not most |\n| `kafka_lag_seconds` | x |\n| see below | y |\n\n" +
				"| Metric | Description |\n|---|---|\n| see below | prose, not names |\n| the pod | x |\n| `x_total` | y |\n\n" +
				"| Metric | Labels |\n|---|---|\n| see below | a |\n| the pod | b |\n| `x_total` | c |\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := load(tt.src, false, true)
			if diff := cmp.Diff(tt.want, describeDocs(r.DocEntries)); diff != "" {
				t.Errorf("doc entries (-want +got):\n%s", diff)
			}
			for _, e := range r.DocEntries {
				if e.Doc != r.Markdown {
					t.Errorf("%s: Doc does not point at the file's Markdown", e.Name)
				}
			}
		})
	}
}

func TestMetricTablesOnlyInMetricsDocs(t *testing.T) {
	r := load("| Metric | Type |\n|---|---|\n| up | gauge |\n\n- `kafka_up_total` up\n", true, false)
	if len(r.DocEntries) != 0 {
		t.Errorf("a runbook that is no metrics doc gave doc entries %v", describeDocs(r.DocEntries))
	}
}

func TestListedNames(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string
	}{
		{
			name: "reads names leading bullet list items",
			src:  "## WebSocket\n\n- `websocket_messages_total` — messages sent\n* **`websocket_lag_seconds`**: lag\n  - `websocket_errors_total{kind}` nested\n",
			want: []string{"3:4 websocket_messages_total", "4:6 websocket_lag_seconds", "5:6 websocket_errors_total"},
		},
		{
			name: "reads a heading that is a metric name",
			src:  "### `kafka_lag_seconds`\n\nThe lag.\n",
			want: []string{"1:6 kafka_lag_seconds"},
		},
		{
			name: "ignores prose, ordered lists and names without underscores",
			src: "- Check `kafka_lag_seconds` in Grafana\n- `up`\n- `kafka lag`\n- `kafka_lag_seconds > 5`\n\n" +
				"1. `ordered_total`\n\nSee `inline_total`.\n\n```\n- `in_code_total`\n```\n",
		},
		{
			name: "drops names a table documents and repeated names",
			src:  "- `a_total`\n- `b_total`\n- `b_total`\n\n| Metric | Type |\n|---|---|\n| a_total | counter |\n",
			want: []string{"2:4 b_total", `7:3 a_total type="counter"@7:13`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := load(tt.src, false, true)
			if diff := cmp.Diff(tt.want, describeDocs(r.DocEntries)); diff != "" {
				t.Errorf("doc entries (-want +got):\n%s", diff)
			}
		})
	}
}

func TestBadInput(t *testing.T) {
	tests := []struct {
		name     string
		src      string
		problems []string
		headings int
	}{
		{name: "gives an empty file an empty result", src: ""},
		{name: "rejects binary content", src: "# x\n\x00\x01", problems: []string{"1:1 not a text file"}},
		{name: "rejects invalid UTF-8 naming the line", src: "# a\n\nb\xff\n", problems: []string{"1:1 invalid UTF-8 at line 3"}},
		{name: "reads a file with a byte-order mark", src: "\uFEFF# Title\n", headings: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := load(tt.src, true, true)
			if r.Markdown == nil || r.Markdown.Anchors == nil {
				t.Fatal("no Markdown with an anchor map")
			}
			if diff := cmp.Diff(tt.problems, problems(r)); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
			if len(r.Markdown.Headings) != tt.headings {
				t.Errorf("got %d headings, want %d", len(r.Markdown.Headings), tt.headings)
			}
		})
	}
}

func TestByteOrderMarkPositions(t *testing.T) {
	r := load("\uFEFF# Title\n\n| Metric | Type |\n|---|---|\n| up | gauge |\n", false, true)
	if got := lc(r.Markdown.Headings[0].At); got != "1:4" {
		t.Errorf("heading at %s, want 1:4 (after the 3-byte mark)", got)
	}
	if diff := cmp.Diff([]string{`5:3 up type="gauge"@5:8`}, describeDocs(r.DocEntries)); diff != "" {
		t.Errorf("doc entries (-want +got):\n%s", diff)
	}
}

func TestLooksLike(t *testing.T) {
	tests := []struct {
		name             string
		file, src        string
		runbook, metrics bool
	}{
		{name: "a promql fence alone does not make a runbook", file: "docs/references/query-sharding.md", src: "# Query sharding\n\n```promql\nsum(rate(up[5m]))\n```\n"},
		{name: "a promql fence in a runbook folder does", file: "ops/runbooks/api.md", src: "# API down\n\n```promql\nup\n```\n", runbook: true},
		{name: "an alert in a yaml fence makes a runbook", src: "# x\n\n```yaml\n- alert: X\n```\n", runbook: true},
		{name: "the word runbook in a heading makes a runbook", src: "# Kafka RUNBOOK\n", runbook: true},
		{name: "the word runbook in a front-matter title makes a runbook", src: "---\ntitle: Ingester runbook\n---\nSteps.\n", runbook: true},
		{name: "the word runbook in the path makes a runbook", file: "docs/runbooks/kafka.md", src: "# Kafka\n\nRestart it.\n", runbook: true},
		{name: "the word runbook in prose is not enough", file: "docs/developer-guide/development-cycle.md", src: "# The Development Cycle\n\nCongrats on making it to the end of this runbook!\n"},
		{name: "a heading in a code block is not a heading", src: "```bash\n# run the runbook script\n```\n"},
		{name: "alert outside a yaml fence is not enough", src: "alert: X\n\n```bash\nalert: x\n```\n"},
		{name: "a metric table makes a metrics doc", src: "| Metric name | Metric type |\n|---|---|\n| up | gauge |\n", metrics: true},
		{name: "a table without leading pipes counts", src: "Name | Labels/tags\n--- | ---\napp_up | job\n", metrics: true},
		{name: "a generic name column needs a metric-like first row", src: "Name | Labels/tags\n--- | ---\nup | job\n"},
		{name: "a table without type or labels does not count", src: "| Metric | Description |\n|---|---|\n"},
		{name: "a field table does not count", src: "| Field | Type |\n|---|---|\n"},
		{name: "a name column of labels does not count", src: "| name | type | cardinality |\n| --- | --- | --- |\n| instance | fixed | 1 |\n"},
		{name: "a name column of metrics counts", src: "| Name | Type |\n|---|---|\n| `app_up` | gauge |\n", metrics: true},
		{name: "exposition text in code blocks makes a metrics doc", src: "# Metrics\n\n```text\n# HELP app_up Up.\n# TYPE app_up gauge\napp_up 1\n# TYPE app_jobs_total counter\napp_jobs_total 3\n# TYPE app_queue_depth gauge\n```\n\n```\n# TYPE app_a_total counter\n# TYPE app_b_seconds histogram\n```\n", metrics: true},
		{name: "a sample scrape of four families does not", src: "```\n# TYPE app_up gauge\n# TYPE app_jobs_total counter\n# TYPE app_a gauge\n# TYPE app_b gauge\n```\n"},
		{name: "TYPE lines outside a code block do not", src: "# TYPE app_up gauge\n# TYPE app_a gauge\n# TYPE app_b gauge\n# TYPE app_c gauge\n# TYPE app_d gauge\n"},
		{name: "plain prose is neither", src: "# Readme\n\nHello.\n---\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := LooksLikeRunbook(tt.file, []byte(tt.src)); got != tt.runbook {
				t.Errorf("LooksLikeRunbook = %v, want %v", got, tt.runbook)
			}
			if got := LooksLikeMetricsDoc([]byte(tt.src)); got != tt.metrics {
				t.Errorf("LooksLikeMetricsDoc = %v, want %v", got, tt.metrics)
			}
		})
	}
}

func FuzzLoad(f *testing.F) {
	seeds := []string{
		"# Title {#id}\n\n## Title\n<a name=\"x\"></a>\n",
		"```promql\nsum(rate(a[5m]))\n\nrate(b[5m]\n```\n",
		"```yaml\n- alert: X\n  expr: up\n```\n```yaml\nbad: [\n```\n",
		"```bash\ncurl -s x | jq -r \".a\\\"\" | jq '.b\n```\n`curl x | jq .c`\n",
		"| Metric | Type | Labels |\n|---|---|---|\n| `a_total` | Counter | `x`=&lt;y\\|z&gt; <br> b |\n| c |\n",
		"- `a_total` x\n\n[r]: <u> \"t\"\n[x][r] <https://a> http://b\n",
		"\uFEFF  ```\n\tx\n  ```\n",
	}
	for _, s := range seeds {
		f.Add(s, true, true)
	}
	f.Fuzz(func(t *testing.T, src string, runbook, metricsDoc bool) {
		r := Load(lint.NewSourceFile("fuzz.md", []byte(src)), runbook, metricsDoc)
		if r == nil || r.Markdown == nil {
			t.Fatal("nil result")
		}
	})
}

func TestLoadBlanksRowsOfThousandsOfCells(t *testing.T) {
	src := "# Queue metrics\n\n| Metric | Type | Labels |" + strings.Repeat(" x |", 5000) + "\n|---|---|---|\n| `queue_depth` | gauge | `queue` |\n\n## Consumers {#consumers}\n"
	res := Load(lint.NewSourceFile("wide.md", []byte(src)), true, true)
	if len(res.Problems) != 1 || res.Problems[0].At.Line != 3 || res.Problems[0].At.Col != 1 || !strings.Contains(res.Problems[0].Message, "5004 | characters (more than 1000 table cells)") {
		t.Errorf("problems %v", res.Problems)
	}
	// The rest of the file is read, at its own offsets.
	if at, ok := res.Markdown.Anchors["consumers"]; !ok || at.Line != 7 {
		t.Errorf("anchors %v", res.Markdown.Anchors)
	}
	// A table of ordinary width is not touched.
	ok := "| Metric | Type |" + strings.Repeat(" c |", 40) + "\n|---|---|" + strings.Repeat("---|", 40) + "\n| `a_total` | counter |\n"
	if res := Load(lint.NewSourceFile("ok.md", []byte(ok)), true, true); len(res.Problems) != 0 || len(res.DocEntries) != 1 {
		t.Errorf("problems %v, entries %d", res.Problems, len(res.DocEntries))
	}
}

func TestLoadRefusesBracketBombs(t *testing.T) {
	src := "# Title\n\nsome text\n\n" + strings.Repeat("[", 100000) + strings.Repeat("]", 100000) + "\n"
	res := Load(lint.NewSourceFile("bomb.md", []byte(src)), true, true)
	if len(res.Problems) != 1 || res.Problems[0].At.Line != 5 || !strings.Contains(res.Problems[0].Message, "100000 brackets") {
		t.Errorf("problems %v", res.Problems)
	}
	// Ordinary link-heavy prose stays well under the bound.
	ok := strings.Repeat("see [a](#a) and [b][c]. ", 500)
	if res := Load(lint.NewSourceFile("ok.md", []byte(ok)), true, true); len(res.Problems) != 0 {
		t.Errorf("problems %v", res.Problems)
	}
}

func TestEmptyCellPositionInIndentedTable(t *testing.T) {
	src := "   | Metric | Type | Labels |\n   |---|---|---|\n   | `c_total` | Counter | |\n"
	res := Load(lint.NewSourceFile("m.md", []byte(src)), false, true)
	if len(res.DocEntries) != 1 || res.DocEntries[0].LabelsAt.String() != "m.md:3:27" {
		t.Errorf("entries %+v", res.DocEntries)
	}
}

func TestIgnoresInTables(t *testing.T) {
	tests := []struct {
		name, src string
		want      []lint.Pos
	}{
		{name: "finds an own-line comment between two rows", src: "| a | b |\n|---|---|\n| 1 | 2 |\n<!-- driftlint:ignore x/y why -->\n| 3 | 4 |\n", want: []lint.Pos{{File: "d.md", Line: 4, Col: 6}}},
		{name: "finds one right below the delimiter row", src: "| a | b |\n|---|---|\n  <!-- driftlint:ignore x/y why -->\n| 3 | 4 |\n", want: []lint.Pos{{File: "d.md", Line: 3, Col: 8}}},
		{name: "ignores a comment at the end of a row", src: "| a | b |\n|---|---|\n| 1 | 2 | <!-- driftlint:ignore x/y why -->\n| 3 | 4 |\n"},
		{name: "ignores a comment below the last row", src: "| a | b |\n|---|---|\n| 1 | 2 |\n<!-- driftlint:ignore x/y why -->\nText.\n"},
		{name: "ignores a comment after a blank line", src: "| a | b |\n|---|---|\n| 1 | 2 |\n\n<!-- driftlint:ignore x/y why -->\n| 3 | 4 |\n"},
		{name: "ignores other comments inside a table", src: "| a | b |\n|---|---|\n| 1 | 2 |\n<!-- a note -->\n| 3 | 4 |\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := Load(lint.NewSourceFile("d.md", []byte(tt.src)), false, true)
			if diff := cmp.Diff(tt.want, res.Markdown.IgnoresInTables); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// A generated table that splits the name into Name and Subsystem columns, with the namespace
// in a sentence (external-dns' docs/monitoring/metrics.md), or in a Namespace column.
func TestSubsystemColumns(t *testing.T) {
	src := "> Full metric name is constructed as follows:\n> `external_dns_<subsystem>_<name>`\n\n" +
		"| Name | Metric Type | Subsystem | Labels |\n|:--|:--|:--|:--|\n" +
		"| build_info | Gauge | | arch, version |\n" +
		"| errors_total | Counter | registry | |\n" +
		"| request_duration_seconds | Summaryvec | http | handler |\n"
	r := load(src, false, true)
	want := []string{
		`6:3 external_dns_build_info type="gauge"@6:16 labels=arch,version@6:26`,
		`7:3 external_dns_registry_errors_total type="counter"@7:18 labels=@7:38`,
		`8:3 external_dns_http_request_duration_seconds type="summary"@8:30 labels=handler@8:50`,
	}
	if diff := cmp.Diff(want, describeDocs(r.DocEntries)); diff != "" {
		t.Errorf("doc entries (-want +got):\n%s", diff)
	}
	r = load("| Namespace | Subsystem | Name | Type |\n|--|--|--|--|\n| app | queue | depth | gauge |\n| | | `app_up` | gauge |\n", false, true)
	if diff := cmp.Diff([]string{`3:17 app_queue_depth type="gauge"@3:25`, `4:8 app_up type="gauge"@4:18`}, describeDocs(r.DocEntries)); diff != "" {
		t.Errorf("namespace column (-want +got):\n%s", diff)
	}
}

// A Loki ruler rule quoted in a runbook is not read as PromQL, and is counted as a rule
// file's LogQL rules are.
func TestRunbookLogQLCopyCounted(t *testing.T) {
	src := "# Loki\n\n## NoLogs\n\n```yaml\n- alert: NoLogs\n  expr: sum(count_over_time({app=\"x\"} |= \"err\" [5m])) > 10\n- alert: Up\n  expr: up == 0\n```\n"
	r := load(src, true, false)
	if len(r.Foreign) != 1 || r.Foreign[0].Language != "logql" || r.Foreign[0].Owner != "NoLogs" {
		t.Fatalf("foreign = %+v, want the NoLogs alert as logql", r.Foreign)
	}
	if got := lc(r.Foreign[0].At); got != "7:9" {
		t.Errorf("foreign at %s, want 7:9", got)
	}
	if len(r.Alerts) != 1 || r.Alerts[0].Name != "Up" {
		t.Errorf("alerts = %d, want the PromQL one (Up) only", len(r.Alerts))
	}
}
