package report

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"

	"github.com/driftlint/driftlint/lint"
	"github.com/driftlint/driftlint/lint/load/markdown"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// sources are the project files the sample findings point into.
var sources = map[string]string{
	"dashboards/api v2,prod:1.json": strings.Repeat("\n", 11) + `      "expr": "rate(http_errors_total[5m]) / rate(http_requests_total[5m])",` + "\n",
	"docs/METRICS.md":               "# Metrics\n\n| metric | type | labels |\n|---|---|---|\n| `dashstream_lag` | gauge | — |\n\n| `websocket_e2e_latency_ms` | histogram | — |\n",
	"monitoring/rules.yml":          "groups:\n  # driftlint:ignore metric/unknown renamed soon\n  - name: app\n    rules:\n      - alert: ÜberLag\n        expr: rate(dashstream_lagg[5m]) > 0\n",
	"runbooks/RUNBOOK.md":           "# Runbook\n\n## 🚨 Überlast `ConsumerLag`\n\n```yaml\nexpr: dashstream_lag > 100\n```\n",
	"scrape/metrics-1.prom":         "# HELP http_errors_total Errors.\n# TYPE http_errors_total counter\nhttp_errors_total{code=\"500\"} 3\nhttp_requests_total 10\ndashstream_lag_messages 4\nwebsocket_e2e_latency_ms_bucket{stage=\"decode\",le=\"+Inf\"} 2\n",
	"scrape/metrics-2.prom":         "http_requests_total{ 10\n",
}

func sampleSource(path string, line int) string {
	src, ok := sources[path]
	if !ok {
		return ""
	}
	return lint.NewSourceFile(path, []byte(src)).Line(line)
}

// sampleRules is a registry: one rule has no findings, and one rule with findings
// (driftlint/unused-ignore) is missing from it.
var sampleRules = []*lint.Rule{
	{
		ID: "docs/labels-mismatch", Summary: "documented labels differ from the exported labels", Severity: lint.Error,
		Doc: "A metrics doc that lists the wrong labels sends readers to write queries that match nothing.\n\nBad (the scrape has a stage label):\n\n    | `websocket_e2e_latency_ms` | histogram | — |\n\nGood:\n\n    | `websocket_e2e_latency_ms` | histogram | `stage` |",
	},
	{
		ID: "docs/undocumented-metric", Summary: "an exported metric that no metrics doc documents", Severity: lint.Info,
		Doc: "Every exported metric should be documented.\n\n  - a *list* item with_underscores_inside and _leading ones\n    continued here",
	},
	{ID: "health/invariant", Summary: "a configured jq assertion false on a health sample", Severity: lint.Error},
	{ID: "input/parse", Summary: "an input file that does not parse", Severity: lint.Error},
	{
		ID: "metric/unknown", Summary: "a metric used anywhere that is neither exported nor recorded", Severity: lint.Error,
		Doc: "A metric read by an alert must be exported.\n\nBad:\n\n    expr: rate(websocket_kafka_message_total[5m]) > 0\n\nGood:\n\n    expr: rate(websocket_kafka_messages_total[5m]) > 0",
	},
	{
		ID: "promql/ratio-aggregation", Summary: "ratio of rates | with a side not aggregated", Severity: lint.Warning,
		Doc: "rate(a) / rate(b) matches series label by label.",
	},
	{ID: "runbook/alert-drift", Summary: "the runbook's copy of an alert differs from the rule", Severity: lint.Warning},
}

// sampleResult holds findings of every severity, related positions (one without a file),
// a whole-file finding, a rule missing from the registry, and messages with characters that
// need escaping in some format: % , : newline | < & quotes [ ] _ * # $ and backticks.
func sampleResult() *lint.Result {
	fs := []lint.Finding{
		{
			Rule: "promql/ratio-aggregation", Severity: lint.Warning,
			Pos:         lint.Pos{File: "dashboards/api v2,prod:1.json", Line: 12, Col: 17},
			Message:     `ratio "rate(http_errors_total[5m]) / rate(http_requests_total[5m])" divides <unaggregated> series & drops those | unmatched; use sum() on both sides`,
			Subject:     lint.Subject{Metric: "http_errors_total"},
			Related:     []lint.Related{{Pos: lint.Pos{File: "scrape/metrics-1.prom", Line: 3, Col: 1}, Message: "http_errors_total is exported with labels code"}},
			Fingerprint: "0a1b2c3d4e5f6071",
		},
		{
			Rule: "docs/undocumented-metric", Severity: lint.Info,
			Pos:         lint.Pos{File: "docs/METRICS.md"},
			Message:     "the metrics doc documents none of the 2 exported families: *_total, _created",
			Fingerprint: "1111111111111111",
		},
		{
			Rule: "docs/labels-mismatch", Severity: lint.Error,
			Pos:     lint.Pos{File: "docs/METRICS.md", Line: 7, Col: 3},
			Message: "websocket_e2e_latency_ms is documented with no labels, 100% wrong:\n# exported labels: stage\n- see `stage`",
			Subject: lint.Subject{Metric: "websocket_e2e_latency_ms", Label: "stage"},
			Related: []lint.Related{
				{Pos: lint.Pos{File: "scrape/metrics-1.prom", Line: 6, Col: 1}, Message: "exported here with labels stage"},
				{Pos: lint.Pos{File: "docs/METRICS.md", Line: 7, Col: 1}, Message: "the row"},
				{Pos: lint.Pos{File: "scrape/metrics-1.prom", Line: 6, Col: 33}, Message: "the stage label"},
			},
			Fingerprint: "2222222222222222",
		},
		{
			Rule: "driftlint/unused-ignore", Severity: lint.Warning,
			Pos:         lint.Pos{File: "monitoring/rules.yml", Line: 2, Col: 3},
			Message:     "unused driftlint:ignore for metric/unknown, reason \"renamed soon\"",
			Fingerprint: "3333333333333333",
		},
		{
			Rule: "metric/unknown", Severity: lint.Error,
			Pos:         lint.Pos{File: "monitoring/rules.yml", Line: 6, Col: 20},
			Message:     `metric "dashstream_lagg" [sic] used by alert ÜberLag is not exported by any exposition (did you mean "dashstream_lag_messages"?) $labels`,
			Subject:     lint.Subject{Metric: "dashstream_lagg", Alert: "ÜberLag"},
			Related:     []lint.Related{{Pos: lint.Pos{File: "scrape/metrics-1.prom", Line: 5, Col: 1}, Message: `"dashstream_lag_messages" is defined here`}},
			Fingerprint: "4444444444444444",
		},
		{
			Rule: "runbook/alert-drift", Severity: lint.Warning,
			Pos:         lint.Pos{File: "runbooks/RUNBOOK.md", Line: 3, Col: 20},
			Message:     "the runbook's copy of alert ConsumerLag differs from the rule: for 5m ≠ 10m",
			Related:     []lint.Related{{Pos: lint.Pos{File: "monitoring/rules.yml", Line: 5, Col: 16}, Message: "the rule"}},
			Fingerprint: "5555555555555555",
		},
		{
			Rule: "input/parse", Severity: lint.Error,
			Pos:         lint.Pos{File: "scrape/metrics-2.prom", Line: 1, Col: 21},
			Message:     "exposition: text format parsing error in line 1: unexpected end of label name",
			Related:     []lint.Related{{Message: "fetched from http://localhost:3002/metrics?a=1&b=2"}},
			Fingerprint: "6666666666666666",
		},
	}
	return &lint.Result{
		Findings: lint.SortFindings(fs),
		Summary:  lint.Summary{Files: 6, Findings: 7, Error: 3, Warning: 3, Info: 1, UnverifiedMetrics: 2},
	}
}

// oddResult has a finding without a file, with a related position without a message.
func oddResult() *lint.Result {
	return &lint.Result{
		Findings: []lint.Finding{{
			Rule: "x/y", Severity: lint.Error, Message: "config-wide problem",
			Related: []lint.Related{{Pos: lint.Pos{File: "a.yml", Line: 2, Col: 1}}},
		}},
		Summary: lint.Summary{Files: 1, Findings: 1, Error: 1},
	}
}

func sampleOptions() Options {
	return Options{
		Rules:   sampleRules,
		Version: "v0.1.0-test",
		Root:    "/home/ci/work/shop",
		Source:  sampleSource,
	}
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./lint/report -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s differs from the golden file (-want +got):\n%s", name, diff)
	}
}

func TestPrintMatchesGoldenFiles(t *testing.T) {
	tests := []struct {
		name   string
		format string
		res    *lint.Result
		opts   Options
		golden string
	}{
		{name: "text lists findings with related positions and a summary", format: "text", res: sampleResult(), opts: sampleOptions(), golden: "text.golden"},
		{name: "json keeps the version 1 contract", format: "json", res: sampleResult(), opts: sampleOptions(), golden: "json.golden"},
		{name: "sarif describes every rule and links related locations", format: "sarif", res: sampleResult(), opts: sampleOptions(), golden: "sarif.golden"},
		{name: "sarif without options still lists the rules findings name", format: "sarif", res: sampleResult(), golden: "sarif-bare.golden"},
		{name: "sarif of a clean run has an empty results list", format: "sarif", res: &lint.Result{}, opts: sampleOptions(), golden: "sarif-empty.golden"},
		{name: "github prints escaped workflow commands", format: "github", res: sampleResult(), opts: sampleOptions(), golden: "github.golden"},
		{name: "markdown groups findings by rule with excerpts of both sides", format: "markdown", res: sampleResult(), opts: sampleOptions(), golden: "markdown.golden"},
		{name: "markdown links positions when given a link base", format: "markdown", res: sampleResult(), opts: Options{Rules: sampleRules, Source: sampleSource, LinkBase: "https://github.com/acme/shop/blob/abc123/"}, golden: "markdown-links.golden"},
		{name: "markdown of a clean run says so", format: "markdown", res: &lint.Result{Summary: lint.Summary{Files: 4, UnverifiedMetrics: 1}}, opts: sampleOptions(), golden: "markdown-empty.golden"},
		{name: "checkstyle groups errors by sorted file", format: "checkstyle", res: sampleResult(), opts: sampleOptions(), golden: "checkstyle.golden"},
		{name: "checkstyle of a clean run has no files", format: "checkstyle", res: &lint.Result{}, golden: "checkstyle-empty.golden"},
		{name: "codequality lists every finding for GitLab", format: "codequality", res: sampleResult(), opts: sampleOptions(), golden: "codequality.golden"},
		{name: "codequality of a clean run is an empty list", format: "codequality", res: &lint.Result{}, golden: "codequality-empty.golden"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := Print(&buf, tt.format, tt.res, tt.opts); err != nil {
				t.Fatal(err)
			}
			golden(t, tt.golden, buf.Bytes())
		})
	}
}

func TestEveryFormatIsDeterministic(t *testing.T) {
	for _, format := range Formats {
		t.Run(format+" prints the same bytes twice", func(t *testing.T) {
			var a, b bytes.Buffer
			if err := Print(&a, format, sampleResult(), sampleOptions()); err != nil {
				t.Fatal(err)
			}
			if err := Print(&b, format, sampleResult(), sampleOptions()); err != nil {
				t.Fatal(err)
			}
			if a.Len() == 0 {
				t.Fatal("no output")
			}
			if diff := cmp.Diff(a.String(), b.String()); diff != "" {
				t.Errorf("second run differs (-first +second):\n%s", diff)
			}
		})
	}
}

func TestPrintHandlesOddFindings(t *testing.T) {
	tests := []struct {
		format string
		want   []string // lines the output must contain
	}{
		{format: "text", want: []string{"x/y"}},
		{format: "json", want: []string{`"file": "",`}},
		{format: "sarif", want: []string{`"locations": [],`, `"text": "config-wide problem\n[a.yml:2:1](1)"`}},
		{format: "github", want: []string{"::error title=x/y::config-wide problem%0Aa.yml:2:1"}},
		{format: "markdown", want: []string{"### 1. (no file) (error)", "- `a.yml:2:1`"}},
		{format: "checkstyle", want: []string{`  <file name="">`, `    <error line="1" severity="error" message="config-wide problem&#xA;a.yml:2:1" source="driftlint.x/y"/>`}},
	}
	for _, tt := range tests {
		t.Run(tt.format+" prints a finding without a file", func(t *testing.T) {
			var buf bytes.Buffer
			if err := Print(&buf, tt.format, oddResult(), Options{}); err != nil {
				t.Fatal(err)
			}
			lines := strings.Split(buf.String(), "\n")
			for _, w := range tt.want {
				if !slices.ContainsFunc(lines, func(l string) bool { return strings.Contains(l, w) }) {
					t.Errorf("no line contains %q in:\n%s", w, buf.String())
				}
			}
		})
		t.Run(tt.format+" prints a nil result as a clean run", func(t *testing.T) {
			var nilRes, empty bytes.Buffer
			if err := Print(&nilRes, tt.format, nil, Options{}); err != nil {
				t.Fatal(err)
			}
			if err := Print(&empty, tt.format, &lint.Result{}, Options{}); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(empty.String(), nilRes.String()); diff != "" {
				t.Errorf("(-empty +nil):\n%s", diff)
			}
		})
	}
}

func TestPrintRejectsAnUnknownFormat(t *testing.T) {
	err := Print(&bytes.Buffer{}, "yaml", sampleResult(), Options{})
	want := `unknown format "yaml" (want one of text, json, sarif, github, markdown, checkstyle, codequality)`
	if err == nil || err.Error() != want {
		t.Errorf("got %v, want %q", err, want)
	}
}

// sarifSchema is the official SARIF 2.1.0 schema, kept outside the module (its license does
// not clearly allow redistribution); the test skips when it is absent.
const sarifSchema = "../../../shared/schemas/sarif-schema-2.1.0.json"

func compileSARIFSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open(sarifSchema)
	if err != nil {
		t.Skipf("SARIF schema not available: %v", err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	const url = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
	if err := c.AddResource(url, doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile(url)
	if err != nil {
		t.Fatal(err)
	}
	return sch
}

func TestSARIFValidatesAgainstTheSchema(t *testing.T) {
	sch := compileSARIFSchema(t)
	tests := []struct {
		name    string
		res     *lint.Result
		opts    Options
		corrupt func(map[string]any) // nil: the document must be valid
	}{
		{name: "the sample run is valid", res: sampleResult(), opts: sampleOptions()},
		{name: "a run without options is valid", res: sampleResult()},
		{name: "a clean run is valid", res: &lint.Result{}, opts: sampleOptions()},
		{name: "a finding without a file is valid", res: oddResult()},
		{
			name: "a start column of 0 is rejected, so the validator really checks", res: sampleResult(), opts: sampleOptions(),
			corrupt: func(doc map[string]any) {
				loc := doc["runs"].([]any)[0].(map[string]any)["results"].([]any)[0].(map[string]any)["locations"].([]any)[0].(map[string]any)
				loc["physicalLocation"].(map[string]any)["region"].(map[string]any)["startColumn"] = 0
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := SARIF(&buf, tt.res, tt.opts); err != nil {
				t.Fatal(err)
			}
			inst, err := jsonschema.UnmarshalJSON(&buf)
			if err != nil {
				t.Fatal(err)
			}
			if tt.corrupt != nil {
				tt.corrupt(inst.(map[string]any))
			}
			err = sch.Validate(inst)
			if tt.corrupt == nil && err != nil {
				t.Errorf("invalid SARIF: %v", err)
			}
			if tt.corrupt != nil && err == nil {
				t.Error("the broken document validated")
			}
		})
	}
}

func TestSARIFResultsPointAtTheirRules(t *testing.T) {
	var buf bytes.Buffer
	if err := SARIF(&buf, sampleResult(), sampleOptions()); err != nil {
		t.Fatal(err)
	}
	var log sarifLog
	if err := json.Unmarshal(buf.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	run := log.Runs[0]
	var got []string
	for _, r := range run.Results {
		rule := run.Tool.Driver.Rules[r.RuleIndex]
		if rule.ID != r.RuleID {
			t.Errorf("result %s has ruleIndex %d, which is %s", r.RuleID, r.RuleIndex, rule.ID)
		}
		loc := r.Locations[0].PhysicalLocation
		got = append(got, r.RuleID+" "+r.Level+" "+loc.ArtifactLocation.URI+" "+strconv.Itoa(loc.Region.StartLine)+":"+strconv.Itoa(loc.Region.StartColumn))
	}
	want := []string{
		"promql/ratio-aggregation warning dashboards/api%20v2,prod:1.json 12:17",
		"docs/undocumented-metric note docs/METRICS.md 1:0",
		"docs/labels-mismatch error docs/METRICS.md 7:3",
		"driftlint/unused-ignore warning monitoring/rules.yml 2:3",
		"metric/unknown error monitoring/rules.yml 6:20",
		"runbook/alert-drift warning runbooks/RUNBOOK.md 3:17", // 🚨 and Ü: byte 20 is UTF-16 unit 17
		"input/parse error scrape/metrics-2.prom 1:21",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("results (-want +got):\n%s", diff)
	}
}

func TestCheckstyleRoundTripsThroughAnXMLParser(t *testing.T) {
	var buf bytes.Buffer
	if err := Checkstyle(&buf, sampleResult(), Options{}); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Version string `xml:"version,attr"`
		Files   []struct {
			Name   string `xml:"name,attr"`
			Errors []struct {
				Line     int    `xml:"line,attr"`
				Column   int    `xml:"column,attr"`
				Severity string `xml:"severity,attr"`
				Message  string `xml:"message,attr"`
				Source   string `xml:"source,attr"`
			} `xml:"error"`
		} `xml:"file"`
	}
	if err := xml.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	res := sampleResult()
	var got, want []string
	for _, f := range doc.Files {
		for _, e := range f.Errors {
			got = append(got, f.Name+"|"+e.Severity+"|"+e.Source+"|"+e.Message)
		}
	}
	for _, f := range res.Findings {
		var msg strings.Builder
		msg.WriteString(Escape(f.Message)) // a line break in a message is written \n
		for _, r := range f.Related {
			if r.Pos.File != "" {
				fmt.Fprintf(&msg, "\n%s: %s", r.Pos, r.Message)
			} else {
				fmt.Fprintf(&msg, "\n%s", r.Message)
			}
		}
		want = append(want, f.Pos.File+"|"+f.Severity.String()+"|driftlint."+f.Rule+"|"+msg.String())
	}
	if doc.Version != "4.3" {
		t.Errorf("version %q, want 4.3", doc.Version)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("parsed errors (-want +got):\n%s", diff)
	}
}

func TestGitHubEscaping(t *testing.T) {
	tests := []struct {
		name, in, data, prop string
	}{
		{name: "leaves plain text alone", in: "metric x is unknown", data: "metric x is unknown", prop: "metric x is unknown"},
		{name: "escapes percent first", in: "100%0A", data: "100%250A", prop: "100%250A"},
		{name: "escapes line breaks", in: "a\r\nb\nc", data: "a%0D%0Ab%0Ac", prop: "a%0D%0Ab%0Ac"},
		{name: "escapes colons and commas in properties only", in: "a,b:c", data: "a,b:c", prop: "a%2Cb%3Ac"},
		{name: "keeps double colons from ending the command", in: "x::y", data: "x::y", prop: "x%3A%3Ay"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := escapeGitHubData(tt.in); got != tt.data {
				t.Errorf("data: got %q, want %q", got, tt.data)
			}
			if got := escapeGitHubProperty(tt.in); got != tt.prop {
				t.Errorf("property: got %q, want %q", got, tt.prop)
			}
		})
	}
}

func TestMarkdownEscaping(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{name: "leaves identifiers with inner underscores alone", in: `metric "http_errors_total" is unknown`, want: `metric "http_errors_total" is unknown`},
		{name: "escapes underscores that could start emphasis", in: "_created and x_", want: `\_created and x\_`},
		{name: "escapes pipes for table cells", in: "a | b", want: `a \| b`},
		{name: "escapes html and entities", in: "<b> & &amp;", want: `\<b\> \& \&amp;`},
		{name: "escapes inline markup", in: "*x* `y` [z](u) ~w~ $labels", want: "\\*x\\* \\`y\\` \\[z\\](u) \\~w\\~ \\$labels"},
		{name: "escapes backslashes", in: `a\.b`, want: `a\\.b`},
		{name: "defuses block starts on every line", in: "# h\n- item\n+ x\n1. one\n=== \n2) two", want: "\\# h\\\n\\- item\\\n\\+ x\\\n1\\. one\\\n\\=== \\\n2\\) two"},
		{name: "does not touch minus or dots inside a line", in: "v1.2 - ok", want: "v1.2 - ok"},
		{name: "drops leading spaces that would make code", in: "a\n     indented", want: "a\\\nindented"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := escapeMarkdown(tt.in); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestMarkdownHelpers(t *testing.T) {
	tests := []struct {
		name, got, want string
	}{
		{name: "a code span fences backticks inside", got: codeSpan("a`b", false), want: "``a`b``"},
		{name: "a code span pads a leading backtick", got: codeSpan("`x", false), want: "`` `x ``"},
		{name: "a code span in a table cell escapes pipes", got: codeSpan("a|b", true), want: "`a\\|b`"},
		{name: "a fence outgrows the backticks of its text", got: fenced("```x```", "yaml", ""), want: "````yaml\n```x```\n````\n"},
		{name: "a fence in a list item is indented", got: fenced("a\n\nb", "", "  "), want: "  ```\n  a\n\n  b\n  ```\n"},
		{name: "a slug drops punctuation and keeps dashes", got: markdown.Slug("promql/ratio-aggregation"), want: "promqlratio-aggregation"},
		{name: "a slug keeps underscores and letters", got: markdown.Slug("Über_lag 2"), want: "über_lag-2"},
		{name: "yaml files are highlighted as yaml", got: fenceLang("a/b.YML"), want: "yaml"},
		{name: "expositions are plain text", got: fenceLang("scrape/m.prom"), want: "text"},
		{name: "a position links to its line", got: mdPos(lint.Pos{File: "a b/(c).yml", Line: 3, Col: 2}, "https://x/blob/s/"), want: "[`a b/(c).yml:3:2`](https://x/blob/s/a%20b/%28c%29.yml#L3)"},
		{name: "a whole-file position links to the file", got: mdPos(lint.Pos{File: "d.md"}, "https://x/"), want: "[`d.md`](https://x/d.md)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("got %q, want %q", tt.got, tt.want)
			}
		})
	}
}

func TestExcerpt(t *testing.T) {
	long := strings.Repeat("a", 300) + "XY" + strings.Repeat("é", 200)
	src := func(_ string, line int) string {
		switch line {
		case 1:
			return "  expr: up == 0   "
		case 2:
			return long
		case 3:
			return "   "
		}
		return ""
	}
	tests := []struct {
		name string
		pos  lint.Pos
		want string
	}{
		{name: "shows the line without trailing spaces", pos: lint.Pos{File: "r.yml", Line: 1, Col: 9}, want: "  expr: up == 0"},
		{name: "cuts a long line around the column on rune boundaries", pos: lint.Pos{File: "r.yml", Line: 2, Col: 301}, want: "…" + strings.Repeat("a", 80) + "XY" + strings.Repeat("é", 79) + "…"},
		{name: "shows nothing for a blank line", pos: lint.Pos{File: "r.yml", Line: 3, Col: 1}},
		{name: "shows nothing for a whole-file position", pos: lint.Pos{File: "r.yml"}},
		{name: "shows nothing for an unknown line", pos: lint.Pos{File: "r.yml", Line: 9, Col: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := excerpt(tt.pos, src); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestSARIFHelpers(t *testing.T) {
	line := "## 🚨 Überlast `x`"
	src := func(string, int) string { return line }
	tests := []struct {
		name string
		got  any
		want any
	}{
		{name: "a column after an emoji and an umlaut counts UTF-16 units", got: utf16Column(lint.Pos{File: "f", Line: 1, Col: strings.Index(line, "`") + 1}, src), want: 16},
		{name: "a column without a source stays in bytes", got: utf16Column(lint.Pos{File: "f", Line: 1, Col: 19}, nil), want: 19},
		{name: "a column past the line stays in bytes", got: utf16Column(lint.Pos{File: "f", Line: 1, Col: 99}, src), want: 99},
		{name: "a rule name is CamelCase", got: ruleName("promql/ratio-aggregation"), want: "PromqlRatioAggregation"},
		{name: "rule tags name the category", got: ruleTags("docs/type-mismatch"), want: []string{"driftlint", "docs"}},
		{name: "brackets are escaped in linked messages", got: escapeSARIFLinkText(`x [sic] a\.b`), want: `x \[sic\] a\.b`},
		{name: "the root is a file URI with a trailing slash", got: rootLocation("/home/ci/my repo").URI, want: "file:///home/ci/my%20repo/"},
		{name: "a Windows root gets a leading slash", got: rootLocation(`C:/work/repo/`).URI, want: "file:///C:/work/repo/"},
		{name: "a relative path is a URI reference", got: relativeURI("a b/c#d.yml"), want: "a%20b/c%23d.yml"},
		{name: "the first doc paragraph is one line", got: firstParagraph("a\nb  c\n\nd"), want: "a b c"},
		{name: "info findings are notes", got: sarifLevel(lint.Info), want: "note"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, tt.got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestDocMarkdown(t *testing.T) {
	doc := "Why it *matters*:\n\n  - a side_by_side item\n    continued\n\nBad:\n\n    expr: a | b\n      indented more\n\nGood."
	want := "Why it \\*matters\\*:\n\n  - a side_by_side item\n    continued\n\nBad:\n\n```\nexpr: a | b\n  indented more\n```\n\nGood."
	if diff := cmp.Diff(want, docMarkdown(doc)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestVerboseMatchesGoldenFile(t *testing.T) {
	info := VerboseInfo{
		Config: ".driftlint.yaml",
		Inputs: []InputCount{
			{Kind: "files", Count: 12},
			{Kind: "rule files", Count: 2, Detail: "14 alerts, 3 recording rules"},
			{Kind: "health samples", Count: 0},
			{Kind: "queries", Count: 104},
		},
		Timings: []lint.RuleTiming{
			{Rule: "docs/undocumented-metric", Disabled: true},
			{Rule: "health/invariant", Skipped: true},
			{Rule: "metric/unknown", Elapsed: 3 * time.Millisecond},
			{Rule: "scrape/counter-decrease", Skipped: true},
			{Rule: "input/parse"},
		},
		Missing: map[string]lint.Needs{"health/invariant": lint.NeedHealth, "scrape/counter-decrease": lint.NeedExpositions},
		Load:    41234567 * time.Nanosecond, Rules: 12345 * time.Microsecond, Report: 987654 * time.Nanosecond,
	}
	var buf bytes.Buffer
	if err := Verbose(&buf, info); err != nil {
		t.Fatal(err)
	}
	golden(t, "verbose.golden", buf.Bytes())

	buf.Reset()
	if err := Verbose(&buf, VerboseInfo{}); err != nil {
		t.Fatal(err)
	}
	want := "config: none (inputs discovered)\ninputs:\nrules: 0 ran, 0 skipped for missing inputs, 0 disabled\ntime: load 0s, rules 0s, report 0s, total 0s\n"
	if diff := cmp.Diff(want, buf.String()); diff != "" {
		t.Errorf("empty info (-want +got):\n%s", diff)
	}
}

func TestNewVerboseInfo(t *testing.T) {
	rf := lint.NewSourceFile("rules.yml", []byte("groups: []\n"))
	rb := lint.NewSourceFile("RUNBOOK.md", []byte("# r\n"))
	p := &lint.Project{
		Config: &lint.Config{Path: "cfg/.driftlint.yaml"},
		Files:  []*lint.SourceFile{rf, rb},
		Rules: []*lint.RuleEntry{
			{Kind: lint.AlertRule, File: rf}, {Kind: lint.AlertRule, File: rf}, {Kind: lint.RecordingRule, File: rf},
		},
		Markdown:      []*lint.Markdown{{File: rb, Runbook: true}},
		Queries:       []*lint.Query{{}, {}},
		ParseProblems: []lint.ParseProblem{{Message: "bad"}},
	}
	rules := []*lint.Rule{
		{ID: "a/ran", Needs: lint.NeedRules},
		{ID: "b/skipped", Needs: lint.NeedRunbooks | lint.NeedExpositions | lint.NeedHealth},
		{ID: "c/disabled", Needs: lint.NeedDashboards},
	}
	res := &lint.Result{Timings: []lint.RuleTiming{{Rule: "a/ran"}, {Rule: "b/skipped", Skipped: true}, {Rule: "c/disabled", Disabled: true}}}
	got := NewVerboseInfo(p, res, rules)
	want := VerboseInfo{
		Config: "cfg/.driftlint.yaml",
		Inputs: []InputCount{
			{Kind: "files", Count: 2},
			{Kind: "rule files", Count: 1, Detail: "2 alerts, 1 recording rule"},
			{Kind: "runbooks", Count: 1, Detail: "0 alert copies"},
			{Kind: "metrics docs", Count: 0, Detail: "0 documented metrics"},
			{Kind: "dashboards", Count: 0, Detail: "0 targets, 0 variables"},
			{Kind: "scrapes", Count: 0, Detail: "0 targets, 0 families"},
			{Kind: "health samples", Count: 0},
			{Kind: "queries", Count: 2},
			{Kind: "parse problems", Count: 1},
		},
		Timings: res.Timings,
		Missing: map[string]lint.Needs{"b/skipped": lint.NeedExpositions | lint.NeedHealth},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// TestEscapedMarkdownRendersAsWritten renders escaped messages with goldmark (GFM tables and
// strikethrough) and checks that the text comes out exactly as written, line breaks kept.
func TestEscapedMarkdownRendersAsWritten(t *testing.T) {
	md := goldmark.New(goldmark.WithExtensions(extension.Table, extension.Strikethrough))
	htmlText := strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace
	tests := []struct {
		name, msg string
	}{
		{name: "markup characters stay literal", msg: `*a* _b_ __c__ ~~d~~ [e](f) ![g](h) <i> &amp; a\.b ` + "`j`"},
		{name: "a table pipe stays literal", msg: "a | b || c"},
		{name: "block starts stay text", msg: "# not a heading\n- not a list\n> not a quote\n1. not ordered\n---\n===\n    not code"},
		{name: "identifiers keep their underscores", msg: `metric "http_errors_total" _created x_ *_total`},
		{name: "quotes and dollars stay", msg: `'single' "double" $labels.job $1`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			if err := md.Convert([]byte(escapeMarkdown(tt.msg)), &out); err != nil {
				t.Fatal(err)
			}
			var lines []string
			for l := range strings.SplitSeq(tt.msg, "\n") {
				lines = append(lines, htmlText(strings.TrimLeft(l, " ")))
			}
			want := "<p>" + strings.Join(lines, "<br>\n") + "</p>\n"
			if diff := cmp.Diff(want, out.String()); diff != "" {
				t.Errorf("rendered (-want +got):\n%s", diff)
			}
		})
	}
	t.Run("a summary with a pipe stays in one table cell", func(t *testing.T) {
		src := "| a | b |\n| --- | --- |\n| " + codeSpan("x|y", true) + " | " + escapeMarkdown("c | d") + " |\n"
		var out bytes.Buffer
		if err := md.Convert([]byte(src), &out); err != nil {
			t.Fatal(err)
		}
		if got := strings.Count(out.String(), "<td>"); got != 2 {
			t.Errorf("%d cells, want 2:\n%s", got, out.String())
		}
		if !strings.Contains(out.String(), "<td><code>x|y</code></td>\n<td>c | d</td>") {
			t.Errorf("cells lost their text:\n%s", out.String())
		}
	})
}

func TestFirstParagraphIsShortenedForGitHub(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{name: "keeps a paragraph at the limit", in: strings.Repeat("é", maxDescriptionCh), want: strings.Repeat("é", maxDescriptionCh)},
		{name: "cuts a longer one with an ellipsis", in: strings.Repeat("é", maxDescriptionCh+1), want: strings.Repeat("é", maxDescriptionCh-1) + "…"},
		{name: "is empty for no doc", in: "", want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := firstParagraph(tt.in); got != tt.want {
				t.Errorf("got %d runes, want %d", utf8.RuneCountInString(got), utf8.RuneCountInString(tt.want))
			}
		})
	}
}

// TestTextFoldsRepeats: one finding repeated in one file (the same rule and message on other
// lines) prints once with "and N more"; another file's copy and the other formats keep theirs,
// and the summary counts every one.
func TestTextFoldsRepeats(t *testing.T) {
	f := func(file string, line int, msg string) lint.Finding {
		return lint.Finding{Rule: "metric/unknown", Severity: lint.Error, Pos: lint.Pos{File: file, Line: line, Col: 3}, Message: msg}
	}
	fs := []lint.Finding{
		f("dash.json", 3, `metric "x" is unknown`),
		f("dash.json", 9, `metric "x" is unknown`),
		f("dash.json", 12, `metric "y" is unknown`),
		f("dash.json", 20, `metric "x" is unknown`),
		f("rules.yml", 5, `metric "x" is unknown`),
	}
	res := &lint.Result{Findings: fs, Summary: lint.Summary{Files: 2, Findings: 5, Error: 5}}
	var b bytes.Buffer
	if err := Text(&b, res, Options{}); err != nil {
		t.Fatal(err)
	}
	want := `dash.json:3:3: error: metric "x" is unknown (and 2 more in this file) (metric/unknown)
dash.json:12:3: error: metric "y" is unknown (metric/unknown)
rules.yml:5:3: error: metric "x" is unknown (metric/unknown)
5 findings (5 errors, 0 warnings, 0 info) in 2 files
`
	if b.String() != want {
		t.Errorf("text:\n%s\nwant:\n%s", b.String(), want)
	}
	b.Reset()
	if err := JSON(&b, res, Options{}); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(b.String(), `"rule": "metric/unknown"`); n != 5 {
		t.Errorf("JSON holds %d findings, want all 5", n)
	}
}
