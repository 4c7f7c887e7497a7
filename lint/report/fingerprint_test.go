package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/driftlint/driftlint/lint"
)

// copiesResult runs a rule that flags every line holding BAD over a file with three identical
// such lines: three findings that once shared one fingerprint.
func copiesResult() *lint.Result {
	rule := &lint.Rule{ID: "metric/unknown", Severity: lint.Error, Run: func(p *lint.Pass) error {
		for _, f := range p.Project.Files {
			for n := 1; n <= f.LineCount(); n++ {
				if i := strings.Index(f.Line(n), "BAD"); i >= 0 {
					p.Reportf(lint.Pos{File: f.Path, Line: n, Col: i + 1}, lint.Subject{Metric: "BAD"}, "BAD here")
				}
			}
		}
		return nil
	}}
	src := "groups:\n  - name: g\n    rules:\n      - expr: BAD > 0\n      - expr: BAD > 0\n      - expr: BAD > 0\n"
	p := &lint.Project{Files: []*lint.SourceFile{lint.NewSourceFile("r.yml", []byte(src))}}
	return lint.Run(p, []*lint.Rule{rule}, lint.RunOptions{})
}

// TestFingerprintsAreUniqueInEveryMachineFormat checks that JSON, SARIF (both keys) and
// GitLab Code Quality carry each copy's own fingerprint: the first plain, the later numbered.
func TestFingerprintsAreUniqueInEveryMachineFormat(t *testing.T) {
	res := copiesResult()
	if len(res.Findings) != 3 {
		t.Fatalf("%d findings, want 3", len(res.Findings))
	}
	h := res.Findings[0].Fingerprint
	want := []string{h, h + ":2", h + ":3"}
	print := func(format string) []byte {
		var buf bytes.Buffer
		if err := Print(&buf, format, res, Options{}); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}

	var cq []codeQualityIssue
	if err := json.Unmarshal(print("codequality"), &cq); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, i := range cq {
		got = append(got, i.Fingerprint)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("codequality fingerprints (-want +got):\n%s", diff)
	}

	var doc struct{ Findings []jsonFinding }
	if err := json.Unmarshal(print("json"), &doc); err != nil {
		t.Fatal(err)
	}
	got = nil
	for _, f := range doc.Findings {
		got = append(got, f.Fingerprint)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("json fingerprints (-want +got):\n%s", diff)
	}

	var sarif struct {
		Runs []struct {
			Results []struct {
				PartialFingerprints map[string]string `json:"partialFingerprints"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(print("sarif"), &sarif); err != nil {
		t.Fatal(err)
	}
	for i, r := range sarif.Runs[0].Results {
		wantFP := map[string]string{FingerprintKey: want[i], "primaryLocationLineHash": want[i]}
		if diff := cmp.Diff(wantFP, r.PartialFingerprints); diff != "" {
			t.Errorf("sarif result %d partialFingerprints (-want +got):\n%s", i, diff)
		}
	}
	b := lint.NewBaseline(res.Findings)
	got = nil
	for _, e := range b.Findings {
		got = append(got, e.Fingerprint)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("baseline fingerprints (-want +got):\n%s", diff)
	}
}
