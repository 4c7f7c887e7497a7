package report

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/driftlint/driftlint/lint"
)

// manyFindings makes n findings spread over every sample rule and over n/10 files, with long
// messages and related positions, and a source that gives every line an excerpt.
func manyFindings(n int) (*lint.Result, Options) {
	fs := make([]lint.Finding, 0, n)
	var s lint.Summary
	for i := range n {
		r := sampleRules[i%len(sampleRules)]
		f := lint.Finding{
			Rule: r.ID, Severity: r.Severity,
			Pos:         lint.Pos{File: fmt.Sprintf("dir/file-%04d.yml", i/10), Line: i%10 + 1, Col: 3},
			Message:     fmt.Sprintf("finding %d: metric %q <is> & not | exported ", i, "m_"+strconv.Itoa(i)) + strings.Repeat("x", 200),
			Related:     []lint.Related{{Pos: lint.Pos{File: "scrape/m.prom", Line: i + 1, Col: 1}, Message: "defined here"}},
			Fingerprint: fmt.Sprintf("%016x", i),
		}
		fs = append(fs, f)
		switch f.Severity {
		case lint.Error:
			s.Error++
		case lint.Warning:
			s.Warning++
		case lint.Info:
			s.Info++
		}
	}
	s.Findings, s.Files = n, n/10+1
	opts := Options{Rules: sampleRules, Source: func(path string, line int) string {
		return "        expr: rate(" + path + "_" + strconv.Itoa(line) + "[5m]) > 0"
	}}
	return &lint.Result{Findings: lint.SortFindings(fs), Summary: s}, opts
}

var (
	findingHeading = regexp.MustCompile(`(?m)^### \d+\. `)
	notShownRow    = regexp.MustCompile("(?m)^\\| `([^`]+)` \\| (\\d+) \\|$")
	notShownTotal  = regexp.MustCompile(`<summary>(\d+) more findings? not shown</summary>`)
)

// checkMarkdownCounts checks that the shown findings and the counted ones add up to all, and
// that the count table sums to the total it states.
func checkMarkdownCounts(t *testing.T, out string, all int) (shown, omitted int) {
	t.Helper()
	shown = len(findingHeading.FindAllString(out, -1))
	if m := notShownTotal.FindStringSubmatch(out); m != nil {
		omitted, _ = strconv.Atoi(m[1])
	}
	sum := 0
	for _, m := range notShownRow.FindAllStringSubmatch(out, -1) {
		n, _ := strconv.Atoi(m[2])
		sum += n
	}
	if sum != omitted {
		t.Errorf("the rows of the not-shown table sum to %d, the summary says %d", sum, omitted)
	}
	if shown+omitted != all {
		t.Errorf("%d shown + %d counted = %d, want %d", shown, omitted, shown+omitted, all)
	}
	return shown, omitted
}

func TestMarkdownFitsAPullRequestComment(t *testing.T) {
	res, opts := manyFindings(5000)
	var buf bytes.Buffer
	if err := Markdown(&buf, res, opts); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if buf.Len() >= 65536 || buf.Len() > MarkdownLimit {
		t.Fatalf("%d bytes, want at most %d", buf.Len(), MarkdownLimit)
	}
	checkSafeOutput(t, "markdown", buf.Bytes())
	shown, omitted := checkMarkdownCounts(t, out, 5000)
	if shown == 0 || omitted == 0 {
		t.Errorf("%d shown, %d counted: want some of each", shown, omitted)
	}
	if buf.Len() < MarkdownLimit*3/4 {
		t.Errorf("only %d bytes: the budget is not used", buf.Len())
	}
	for _, r := range sampleRules {
		if !strings.Contains(out, "| [`"+r.ID+"`](#") {
			t.Errorf("the summary table does not name rule %s", r.ID)
		}
	}
	if !strings.Contains(out, "| File | Errors | Warnings | Info | Total |") || !strings.Contains(out, "| 480 more files |") {
		t.Errorf("no table by file, cut after %d rows:\n%s", markdownFileRows, out[:min(len(out), 4000)])
	}
	// Rule by rule: the shown findings are the first ones of the first rules.
	first := groupByRule(res.Findings)[0]
	if !strings.Contains(out, "\n## `"+first.rule+"`\n") {
		t.Errorf("the first rule %s has no section", first.rule)
	}
}

func TestMarkdownUnderTheBudgetShowsEverything(t *testing.T) {
	res, opts := manyFindings(20)
	var buf bytes.Buffer
	if err := Markdown(&buf, res, opts); err != nil {
		t.Fatal(err)
	}
	if shown, omitted := checkMarkdownCounts(t, buf.String(), 20); shown != 20 || omitted != 0 || strings.Contains(buf.String(), "<details>") {
		t.Errorf("%d shown, %d counted, want all 20 shown and no <details>", shown, omitted)
	}
}

// TestMaxFindings caps every format that takes --max-findings and leaves SARIF, Code Quality
// and the summaries alone.
func TestMaxFindings(t *testing.T) {
	res, opts := manyFindings(50)
	opts.MaxFindings = 7
	print := func(format string, o Options) string {
		var buf bytes.Buffer
		if err := Print(&buf, format, res, o); err != nil {
			t.Fatal(err)
		}
		return buf.String()
	}
	t.Run("text prints N findings, says how many it left out and counts all", func(t *testing.T) {
		out := print("text", opts)
		if n := strings.Count(out, ": error: ") + strings.Count(out, ": warning: ") + strings.Count(out, ": info: "); n != 7 {
			t.Errorf("%d findings printed, want 7", n)
		}
		if !strings.Contains(out, "\n43 more findings not shown (--max-findings 7)\n50 findings (") {
			t.Errorf("no count of the rest before the summary:\n%s", out)
		}
		q := opts
		q.Quiet = true
		if out := print("text", q); !strings.HasSuffix(out, "\n43 more findings not shown (--max-findings 7)\n") {
			t.Errorf("quiet output does not end with the count of the rest:\n%s", out)
		}
	})
	t.Run("text prints everything without a cap", func(t *testing.T) {
		o := opts
		o.MaxFindings = 0
		if out := print("text", o); strings.Contains(out, "not shown") || strings.Count(out, "\n    scrape/m.prom") != 50 {
			t.Errorf("a cap without --max-findings:\n%s", out)
		}
	})
	t.Run("json lists N findings, counts the rest in omitted and keeps the summary", func(t *testing.T) {
		var doc struct {
			Findings []jsonFinding `json:"findings"`
			Summary  lint.Summary  `json:"summary"`
			Omitted  *int          `json:"omitted"`
		}
		if err := json.Unmarshal([]byte(print("json", opts)), &doc); err != nil {
			t.Fatal(err)
		}
		if len(doc.Findings) != 7 || doc.Omitted == nil || *doc.Omitted != 43 || !reflect.DeepEqual(doc.Summary, res.Summary) {
			t.Errorf("%d findings, omitted %v, summary %+v", len(doc.Findings), doc.Omitted, doc.Summary)
		}
		o := opts
		o.MaxFindings = 100
		if out := print("json", o); strings.Contains(out, `"omitted"`) {
			t.Errorf("omitted printed though nothing was left out")
		}
	})
	t.Run("github prints N commands and a notice", func(t *testing.T) {
		lines := strings.Split(strings.TrimSuffix(print("github", opts), "\n"), "\n")
		if len(lines) != 8 || lines[7] != "::notice title=driftlint::43 more findings not shown (--max-findings 7)" {
			t.Errorf("%d lines, last %q", len(lines), lines[len(lines)-1])
		}
	})
	t.Run("checkstyle prints N errors and a comment", func(t *testing.T) {
		out := print("checkstyle", opts)
		var v any
		if err := xml.Unmarshal([]byte(out), &v); err != nil {
			t.Fatal(err)
		}
		if n := strings.Count(out, "<error "); n != 7 || !strings.Contains(out, "<!-- 43 more findings not shown (max-findings 7) -->") {
			t.Errorf("%d errors:\n%s", n, out)
		}
	})
	t.Run("markdown shows N findings and counts the rest", func(t *testing.T) {
		out := print("markdown", opts)
		if shown, omitted := checkMarkdownCounts(t, out, 50); shown != 7 || omitted != 43 {
			t.Errorf("%d shown, %d counted, want 7 and 43", shown, omitted)
		}
		if !strings.Contains(out, "**50 findings**") {
			t.Errorf("the totals do not count every finding")
		}
	})
	t.Run("sarif and codequality print every finding", func(t *testing.T) {
		var sarif struct {
			Runs []struct{ Results []json.RawMessage } `json:"runs"`
		}
		if err := json.Unmarshal([]byte(print("sarif", opts)), &sarif); err != nil || len(sarif.Runs[0].Results) != 50 {
			t.Errorf("sarif: %v, want 50 results", err)
		}
		var cq []codeQualityIssue
		if err := json.Unmarshal([]byte(print("codequality", opts)), &cq); err != nil || len(cq) != 50 {
			t.Errorf("codequality: %v, %d issues, want 50", err, len(cq))
		}
	})
}

func TestReauditMarkdownFitsAndCaps(t *testing.T) {
	res, opts := manyFindings(5000)
	c := lint.Comparison{Open: res.Findings[:2500], New: res.Findings[2500:]}
	var buf bytes.Buffer
	if err := Reaudit(&buf, "markdown", "old.json", c, res, opts); err != nil {
		t.Fatal(err)
	}
	if buf.Len() > MarkdownLimit {
		t.Errorf("%d bytes, want at most %d", buf.Len(), MarkdownLimit)
	}
	out := buf.String()
	for _, want := range []string{"## Still open (2500)", "## New (2500)", "more findings not shown."} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q", want)
		}
	}
	opts.MaxFindings = 3
	buf.Reset()
	if err := Reaudit(&buf, "markdown", "old.json", c, res, opts); err != nil {
		t.Fatal(err)
	}
	if got := strings.Count(buf.String(), "\n- `dir/"); got != 6 || strings.Count(buf.String(), "2497 more findings not shown.") != 2 {
		t.Errorf("%d findings listed, want 3 per group:\n%s", got, buf.String())
	}
}
