package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// TestMaxFindings runs check and report with --max-findings over a project with two errors:
// one is printed, the other counted, and the exit code and summary still count both.
func TestMaxFindings(t *testing.T) {
	files := map[string]string{".driftlint.yaml": cleanConfig, "rules.yml": twoFindings, "m.prom": expo}
	dir := tree(t, files)
	t.Chdir(dir)

	code, stdout, _ := runCLI(t, "check", "--no-color", "--max-findings", "1", dir)
	if code != 1 {
		t.Errorf("exit %d, want 1 as without --max-findings", code)
	}
	want := findingUpp + "1 more finding not shown (--max-findings 1)\n2 findings (2 errors, 0 warnings, 0 info) in 2 files\n"
	if stdout != want {
		t.Errorf("stdout:\n%s\nwant:\n%s", stdout, want)
	}

	code, stdout, _ = runCLI(t, "check", "--format", "json", "--max-findings", "1", dir)
	var doc struct {
		Findings []json.RawMessage `json:"findings"`
		Omitted  int               `json:"omitted"`
		Summary  struct {
			Findings int `json:"findings"`
		} `json:"summary"`
	}
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
		t.Fatal(err)
	}
	if code != 1 || len(doc.Findings) != 1 || doc.Omitted != 1 || doc.Summary.Findings != 2 {
		t.Errorf("exit %d, %d findings, omitted %d, summary %d; want 1, 1, 1, 2", code, len(doc.Findings), doc.Omitted, doc.Summary.Findings)
	}

	// A capped JSON report is refused as the earlier run; a full one is not.
	cut := filepath.Join(t.TempDir(), "cut.json")
	if code, _, _ := runCLI(t, "check", "--format", "json", "--max-findings", "1", "-o", cut, dir); code != 1 {
		t.Fatalf("exit %d writing the capped report", code)
	}
	if code, _, stderr := runCLI(t, "report", "--against", cut, dir); code != 2 || !strings.Contains(stderr, "cut by --max-findings") {
		t.Errorf("report --against a capped report: exit %d, stderr %q", code, stderr)
	}
	full := filepath.Join(t.TempDir(), "full.json")
	if code, _, _ := runCLI(t, "check", "--format", "json", "-o", full, dir); code != 1 {
		t.Fatalf("exit %d writing the report", code)
	}
	code, stdout, _ = runCLI(t, "report", "--against", full, "--no-color", "--max-findings", "1", "--fail-on", "error", dir)
	if code != 0 || !strings.Contains(stdout, "still open (2):\n") || !strings.Contains(stdout, "1 more finding not shown (--max-findings 1)\n") {
		t.Errorf("report: exit %d, stdout:\n%s", code, stdout)
	}

	if code, _, stderr := runCLI(t, "check", "--max-findings", "-1", dir); code != 2 || !strings.Contains(stderr, "--max-findings: -1 is negative") {
		t.Errorf("a negative --max-findings: exit %d, stderr %q", code, stderr)
	}
}
