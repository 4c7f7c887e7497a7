package lint

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestBaselineMarshalIsSortedAndStable(t *testing.T) {
	fs := []Finding{
		{Rule: "b/rule", Severity: Warning, Pos: Pos{File: "z.yml", Line: 9, Col: 2}, Message: "second", Subject: Subject{Metric: "m"}, Fingerprint: "bbbb"},
		{
			Rule: "a/rule", Severity: Error, Pos: Pos{File: "a.yml", Line: 1, Col: 1}, Message: "first", Fingerprint: "aaaa",
			Related: []Related{{Pos: Pos{File: "x", Line: 1, Col: 1}, Message: "here"}},
		},
	}
	got, err := NewBaseline(fs).Marshal()
	if err != nil {
		t.Fatal(err)
	}
	want := `{
  "version": 1,
  "findings": [
    {
      "fingerprint": "aaaa",
      "rule": "a/rule",
      "severity": "error",
      "file": "a.yml",
      "subject": {},
      "message": "first"
    },
    {
      "fingerprint": "bbbb",
      "rule": "b/rule",
      "severity": "warning",
      "file": "z.yml",
      "subject": {
        "metric": "m"
      },
      "message": "second"
    }
  ]
}
`
	if diff := cmp.Diff(want, string(got)); diff != "" {
		t.Errorf("baseline (-want +got):\n%s", diff)
	}
	again, _ := NewBaseline([]Finding{fs[1], fs[0]}).Marshal()
	if string(again) != string(got) {
		t.Error("the order of findings changes the file")
	}
	empty, _ := NewBaseline(nil).Marshal()
	if string(empty) != "{\n  \"version\": 1,\n  \"findings\": []\n}\n" {
		t.Errorf("empty baseline %q", empty)
	}
}

func TestParseBaseline(t *testing.T) {
	tests := []struct {
		name    string
		data    string
		want    []BaselineEntry
		wantErr string
	}{
		{
			name: "reads a baseline file",
			data: `{"version": 1, "findings": [{"fingerprint": "aaaa", "rule": "a/rule", "severity": "error", "file": "a.yml", "subject": {"metric": "m"}, "message": "first"}]}`,
			want: []BaselineEntry{{Fingerprint: "aaaa", Rule: "a/rule", Severity: "error", File: "a.yml", Subject: Subject{Metric: "m"}, Message: "first"}},
		},
		{
			name: "reads a JSON report with positions and related positions",
			data: `{"version": 1, "findings": [{"rule": "a/rule", "severity": "warning", "file": "a.yml", "line": 3, "column": 4, "message": "m",
				"subject": {}, "related": [{"file": "b", "line": 1, "column": 2, "message": "here"}], "fingerprint": "ffff"}],
				"summary": {"files": 1, "findings": 1, "error": 0, "warning": 1, "info": 0, "unverified_metrics": 0}}`,
			want: []BaselineEntry{{
				Fingerprint: "ffff", Rule: "a/rule", Severity: "warning", File: "a.yml", Line: 3, Column: 4, Message: "m",
				Related: []BaselineRelated{{File: "b", Line: 1, Column: 2, Message: "here"}},
			}},
		},
		{name: "reads an empty report", data: `{"version": 1, "findings": []}`, want: []BaselineEntry{}},
		{name: "rejects text that is not JSON", data: "a.yml:1:1: error: x (a/rule)\n", wantErr: "old.json: not JSON: invalid character 'a' looking for beginning of value at byte 1"},
		{name: "rejects other JSON", data: `{"runs": []}`, wantErr: "old.json: not a driftlint baseline or JSON report (want the output of driftlint baseline or check --format json)"},
		{name: "rejects another version", data: `{"version": 2, "findings": []}`, wantErr: "old.json: version 2 is not supported (want 1)"},
		{name: "rejects a report cut by --max-findings", data: `{"version": 1, "findings": [{"fingerprint": "a"}], "omitted": 3}`, wantErr: "old.json: a report cut by --max-findings (3 findings left out) cannot serve as the earlier run; write it without --max-findings, or use driftlint baseline"},
		{name: "reads a report that omitted nothing", data: `{"version": 1, "findings": [], "omitted": 0}`, want: []BaselineEntry{}},
		{name: "rejects an entry without fingerprint", data: `{"version": 1, "findings": [{"rule": "a/rule"}]}`, wantErr: "old.json: finding 1 has no fingerprint"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := ParseBaseline("old.json", []byte(tt.data))
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("error %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, b.Findings); diff != "" {
				t.Errorf("entries (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCompare(t *testing.T) {
	entry := func(fp string) BaselineEntry { return BaselineEntry{Fingerprint: fp, Message: fp} }
	finding := func(fp string) Finding { return Finding{Fingerprint: fp, Message: fp} }
	msgs := func(fs []Finding) []string {
		var out []string
		for _, f := range fs {
			out = append(out, f.Message)
		}
		return out
	}
	tests := []struct {
		name              string
		earlier           []BaselineEntry
		now               []Finding
		fixed, open, news []string
	}{
		{name: "splits fixed, still open and new", earlier: []BaselineEntry{entry("a"), entry("b")}, now: []Finding{finding("b"), finding("c")}, fixed: []string{"a"}, open: []string{"b"}, news: []string{"c"}},
		{name: "matches duplicates one for one", earlier: []BaselineEntry{entry("a")}, now: []Finding{finding("a"), finding("a")}, open: []string{"a"}, news: []string{"a"}},
		{name: "reports a fixed duplicate once", earlier: []BaselineEntry{entry("a"), entry("a")}, now: []Finding{finding("a")}, fixed: []string{"a"}, open: []string{"a"}},
		{name: "lists everything as fixed when nothing is found", earlier: []BaselineEntry{entry("a"), entry("b")}, fixed: []string{"a", "b"}},
		{name: "lists everything as new without earlier findings", now: []Finding{finding("a")}, news: []string{"a"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Compare(tt.earlier, tt.now)
			var fixed []string
			for _, e := range c.Fixed {
				fixed = append(fixed, e.Message)
			}
			if diff := cmp.Diff(tt.fixed, fixed); diff != "" {
				t.Errorf("fixed (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.open, msgs(c.Open)); diff != "" {
				t.Errorf("open (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.news, msgs(c.New)); diff != "" {
				t.Errorf("new (-want +got):\n%s", diff)
			}
		})
	}
}

// TestBaselineSurvivesEdits moves the finding's line, edits and adds other lines and
// re-indents the finding's own line: the baseline still hides it.
func TestBaselineSurvivesEdits(t *testing.T) {
	rules := []*Rule{lineReporter("metric/unknown", "BAD"), lineReporter("promql/syntax", "UGLY")}
	before := "groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: BAD > 0\n      - alert: B\n        expr: UGLY\n"
	after := "# a new comment\ngroups:\n  - name: g\n    rules:\n      - alert: C\n        expr: ok > 1\n      - alert: B\n        expr:   UGLY\n      - alert: A\n        expr: BAD > 0\n"
	run := func(src string) *Result {
		return Run(&Project{Files: []*SourceFile{NewSourceFile("r.yml", []byte(src))}}, rules, RunOptions{})
	}
	b := NewBaseline(run(before).Findings)
	c := Compare(b.Findings, run(after).Findings)
	if len(c.Open) != 2 || len(c.New) != 0 || len(c.Fixed) != 0 {
		t.Errorf("open %v, new %v, fixed %v", c.Open, c.New, c.Fixed)
	}
	// Editing the finding's own line makes it another finding.
	c = Compare(b.Findings, run(strings.Replace(after, "BAD > 0", "BAD > 5", 1)).Findings)
	if len(c.Open) != 1 || len(c.New) != 1 || len(c.Fixed) != 1 {
		t.Errorf("after editing the line: open %v, new %v, fixed %v", c.Open, c.New, c.Fixed)
	}
}

func TestBaselineEntryFinding(t *testing.T) {
	e := BaselineEntry{
		Fingerprint: "f", Rule: "a/rule", Severity: "warning", File: "a.yml", Line: 2, Column: 3, Message: "m",
		Related: []BaselineRelated{{File: "b", Line: 1, Column: 1, Message: "here"}},
	}
	want := Finding{
		Rule: "a/rule", Severity: Warning, Pos: Pos{File: "a.yml", Line: 2, Col: 3}, Message: "m", Fingerprint: "f",
		Related: []Related{{Pos: Pos{File: "b", Line: 1, Col: 1}, Message: "here"}},
	}
	if diff := cmp.Diff(want, e.Finding()); diff != "" {
		t.Errorf("finding (-want +got):\n%s", diff)
	}
}

// TestFingerprintOfALongLine edits a minified JSON line far from the finding: the
// fingerprint stays; an edit next to the finding changes it.
func TestFingerprintOfALongLine(t *testing.T) {
	pad := strings.Repeat(`{"title": "panel", "type": "stat"}, `, 20)
	before := `{"panels": [` + pad + `{"targets": [{"expr": "rate(BAD[5m])"}]}]}`
	tests := []struct {
		name  string
		after string
		same  bool
	}{
		{name: "keeps it when the line changes far before the finding", after: strings.Replace(before, `"panel"`, `"another panel"`, 1), same: true},
		{name: "keeps it when the line changes far after the finding", after: before + strings.Repeat(" ", 300) + `{"x": 1}`, same: true},
		{name: "changes it when the text at the finding changes", after: strings.Replace(before, "rate(BAD[5m])", "rate(BAD[1m])", 1)},
	}
	rule := lineReporter("metric/unknown", "BAD")
	fp := func(src string) string {
		res := Run(&Project{Files: []*SourceFile{NewSourceFile("d.json", []byte(src))}}, []*Rule{rule}, RunOptions{})
		return res.Findings[0].Fingerprint
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := fp(before) == fp(tt.after); got != tt.same {
				t.Errorf("same fingerprint %v, want %v", got, tt.same)
			}
		})
	}
}
