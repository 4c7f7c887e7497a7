package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/driftlint/driftlint/lint"
	"github.com/driftlint/driftlint/rules"
)

func runCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(args, &out, &errb)
	return code, out.String(), errb.String()
}

func tree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	writeTree(t, dir, files)
	return dir
}

func writeTree(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// edit replaces old with new in a file, once; old must be there.
func edit(t *testing.T, path, old, new string) {
	t.Helper()
	s := readFile(t, path)
	if !strings.Contains(s, old) {
		t.Fatalf("%s does not contain %q", path, old)
	}
	if err := os.WriteFile(path, []byte(strings.Replace(s, old, new, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
}

const (
	cleanConfig = "rules: [rules.yml]\nexposition:\n  - file: m.prom\n"
	cleanRules  = "groups:\n  - name: g\n    rules:\n      - alert: Up\n        expr: app_up == 0\n"
	expo        = "# HELP app_up Whether the app is up.\n# TYPE app_up gauge\napp_up 1\n"
	// twoFindings has two metric/unknown errors: app_upp (did you mean app_up) and app_gone.
	twoFindings = "groups:\n  - name: g\n    rules:\n      - alert: Up\n        expr: app_upp == 0\n      - alert: Gone\n        expr: app_gone > 0\n"
	findingUpp  = "rules.yml:5:15: error: metric \"app_upp\" used by alert Up is not exported by any exposition or recorded by any rule (did you mean \"app_up\"?) (metric/unknown)\n    m.prom:1:1: \"app_up\" is defined here\n"
)

func TestCheckExitCodes(t *testing.T) {
	clean := map[string]string{".driftlint.yaml": cleanConfig, "rules.yml": cleanRules, "m.prom": expo}
	broken := map[string]string{
		".driftlint.yaml": cleanConfig,
		"rules.yml":       "groups:\n  - name: g\n    rules:\n      - alert: Up\n        expr: app_upp == 0\n",
		"m.prom":          expo,
	}
	tests := []struct {
		name   string
		files  map[string]string
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{name: "exits 0 on a clean project", files: clean, args: []string{"check", "--no-color"}, code: 0, stdout: "0 findings (0 errors, 0 warnings, 0 info) in 2 files\n"},
		{
			name: "exits 1 on findings and prints them positioned", files: broken, args: []string{"check", "--no-color"}, code: 1,
			stdout: findingUpp + "1 finding (1 error, 0 warnings, 0 info) in 2 files\n",
		},
		{name: "exits 0 with --fail-on never", files: broken, args: []string{"check", "--fail-on", "never", "-q"}, code: 0, stdout: findingUpp},
		{name: "exits 0 when the rule is disabled", files: broken, args: []string{"check", "--disable", "metric/unknown", "-q"}, code: 0},
		{name: "exits 2 with one line on a config error", files: map[string]string{".driftlint.yaml": "rulez: [x]\n"}, args: []string{"check"}, code: 2, stderr: "driftlint: .driftlint.yaml:1:1: unknown key \"rulez\" in the config (did you mean \"rules\"?)\n"},
		{name: "exits 2 on an unknown rule in the config", files: map[string]string{".driftlint.yaml": "checks:\n  disable: [metric/unknwn]\n"}, args: []string{"check"}, code: 2, stderr: "driftlint: .driftlint.yaml:2:13: unknown rule \"metric/unknwn\" (did you mean \"metric/unknown\"?)\n"},
		{name: "exits 2 on an unknown rule in --disable", files: clean, args: []string{"check", "--disable", "metric/unknwn"}, code: 2, stderr: "driftlint: --disable: unknown rule \"metric/unknwn\" (did you mean \"metric/unknown\"?)\n"},
		{name: "exits 2 on a bad --fail-on", files: clean, args: []string{"check", "--fail-on", "fatal"}, code: 2, stderr: "driftlint: --fail-on: unknown severity \"fatal\" (want error, warning or info)\n"},
		{name: "exits 2 on a bad format", files: clean, args: []string{"check", "--format", "yaml"}, code: 2, stderr: "driftlint: --format: unknown format \"yaml\" (want one of text, json, sarif, github, markdown, checkstyle, codequality)\n"},
		{name: "exits 2 on an unknown flag", files: clean, args: []string{"check", "--nope"}, code: 2, stderr: "driftlint: unknown flag: --nope\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := tree(t, tt.files)
			t.Chdir(dir) // text shows paths relative to the working directory
			args := append(slices.Clone(tt.args), dir)
			code, stdout, stderr := runCLI(t, args...)
			stderr = strings.ReplaceAll(stderr, dir, "DIR")
			if code != tt.code {
				t.Errorf("exit %d, want %d (stderr %q)", code, tt.code, stderr)
			}
			if stdout != tt.stdout {
				t.Errorf("stdout:\n%s\nwant:\n%s", stdout, tt.stdout)
			}
			if stderr != tt.stderr {
				t.Errorf("stderr %q, want %q", stderr, tt.stderr)
			}
		})
	}
}

func TestCheckMissingDir(t *testing.T) {
	code, _, stderr := runCLI(t, "check", filepath.Join(t.TempDir(), "nope"))
	if code != 2 || !strings.Contains(stderr, "no such file or directory") || strings.Count(stderr, "\n") != 1 {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

func TestCheckJSONShape(t *testing.T) {
	dir := tree(t, map[string]string{".driftlint.yaml": cleanConfig, "rules.yml": twoFindings, "m.prom": expo})
	t.Chdir(filepath.Dir(dir))
	code, stdout, _ := runCLI(t, "check", "--format", "json", dir)
	if code != 1 {
		t.Fatalf("exit %d", code)
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
		t.Fatal(err)
	}
	keys := func(m map[string]any) string {
		var ks []string
		for k := range m {
			ks = append(ks, k)
		}
		slices.Sort(ks)
		return strings.Join(ks, ",")
	}
	if got := keys(doc); got != "findings,root,summary,version" {
		t.Errorf("top-level keys %s", got)
	}
	// file is relative to the project root, and root is that folder as seen from the
	// working directory: root/file opens the file from where driftlint ran.
	if doc["root"] != filepath.Base(dir) {
		t.Errorf("root %v, want %s", doc["root"], filepath.Base(dir))
	}
	f := doc["findings"].([]any)[0].(map[string]any)
	if got := keys(f); got != "column,file,fingerprint,line,message,related,rule,severity,subject" {
		t.Errorf("finding keys %s", got)
	}
	if got := keys(f["related"].([]any)[0].(map[string]any)); got != "column,file,line,message" {
		t.Errorf("related keys %s", got)
	}
	if got := keys(doc["summary"].(map[string]any)); got != "error,files,findings,info,unverified_metrics,warning" {
		t.Errorf("summary keys %s", got)
	}
	if f["file"] != "rules.yml" || f["line"] != 5.0 || f["column"] != 15.0 || f["subject"].(map[string]any)["metric"] != "app_upp" {
		t.Errorf("finding %v", f)
	}
}

func TestCheckFormats(t *testing.T) {
	dir := tree(t, map[string]string{".driftlint.yaml": cleanConfig, "rules.yml": twoFindings, "m.prom": expo})
	t.Chdir(dir) // outside git, every format shows paths relative to the working directory
	tests := []struct {
		format string
		want   []string // substrings of stdout
	}{
		{format: "text", want: []string{findingUpp, "2 findings (2 errors, 0 warnings, 0 info) in 2 files\n"}},
		{format: "json", want: []string{`"rule": "metric/unknown"`, `"findings": 2`}},
		// SARIF lists the whole registry and names the tool's version.
		{format: "sarif", want: []string{`"version": "2.1.0"`, `"id": "promql/syntax"`, `"ruleId": "metric/unknown"`, `"startLine": 5`}},
		{format: "github", want: []string{"::error file=rules.yml,line=5,col=15,title=metric/unknown::metric \"app_upp\""}},
		// The Markdown report shows an excerpt of the line, read from the loaded file.
		{format: "markdown", want: []string{"# driftlint report", "expr: app_upp == 0", "# HELP app_up Whether the app is up."}},
		{format: "checkstyle", want: []string{"<checkstyle", `<file name="rules.yml">`, `source="driftlint.metric/unknown"`}},
	}
	for _, tt := range tests {
		t.Run("prints "+tt.format, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, "check", "--format", tt.format, dir)
			if code != 1 || stderr != "" {
				t.Errorf("exit %d, stderr %q", code, stderr)
			}
			for _, w := range tt.want {
				if !strings.Contains(stdout, w) {
					t.Errorf("output lacks %q:\n%s", w, stdout)
				}
			}
		})
	}
	t.Run("writes --output and never colours it", func(t *testing.T) {
		out := filepath.Join(t.TempDir(), "report.txt")
		code, stdout, _ := runCLI(t, "check", "--output", out, dir)
		if got := readFile(t, out); code != 1 || stdout != "" || !strings.HasPrefix(got, findingUpp) {
			t.Errorf("exit %d, stdout %q, file %q", code, stdout, got)
		}
	})
}

func TestCheckVerbose(t *testing.T) {
	dir := tree(t, map[string]string{".driftlint.yaml": cleanConfig, "rules.yml": cleanRules, "m.prom": expo})
	code, stdout, stderr := runCLI(t, "check", "--verbose", dir)
	if code != 0 || stdout != "0 findings (0 errors, 0 warnings, 0 info) in 2 files\n" {
		t.Errorf("exit %d, stdout %q", code, stdout)
	}
	// Durations vary: compare the shape.
	stderr = regexp.MustCompile(`[0-9.]+(ns|µs|ms|s)\b`).ReplaceAllString(stderr, "T")
	for _, w := range []string{
		"config: " + filepath.Join(dir, ".driftlint.yaml") + "\n",
		"inputs:\n",
		"  rule files      1  (1 alert, 0 recording rules)\n",
		"skipped for missing inputs",
		"  skipped   runbook/missing",
		"needs runbooks\n",
		"time: load T, rules T, report T, total T\n",
	} {
		if !strings.Contains(stderr, w) {
			t.Errorf("--verbose lacks %q:\n%s", w, stderr)
		}
	}
}

// TestCheckInterrupted cancels the run while a live scrape hangs: the scrape stops at once
// and the run exits 2 saying so.
func TestCheckInterrupted(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
	}))
	defer srv.Close()
	dir := tree(t, map[string]string{".driftlint.yaml": "exposition:\n  - url: " + srv.URL + "/metrics\n    timeout: 1m\n"})
	t.Setenv("DRIFTLINT_ALLOW_NET", "127.0.0.1")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var out, errb bytes.Buffer
	code := runContext(ctx, []string{"check", dir}, &out, &errb)
	if code != 2 || errb.String() != "driftlint: scrape "+srv.URL+"/metrics: interrupted\n" {
		t.Errorf("exit %d, stderr %q", code, errb.String())
	}
}

func TestBaselineRoundTrip(t *testing.T) {
	dir := tree(t, map[string]string{".driftlint.yaml": cleanConfig, "rules.yml": twoFindings, "m.prom": expo})
	t.Chdir(dir)
	file := filepath.Join(dir, lint.BaselineFile)

	code, stdout, stderr := runCLI(t, "baseline", dir)
	if code != 0 || stdout != "" || stderr != "wrote 2 findings to "+lint.BaselineFile+"\n" {
		t.Fatalf("baseline: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	b, err := lint.ReadBaseline(file)
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Findings) != 2 || b.Findings[0].Fingerprint > b.Findings[1].Fingerprint || b.Findings[0].Rule != "metric/unknown" || b.Findings[0].Line != 0 {
		t.Errorf("baseline %+v", b)
	}
	first := readFile(t, file)
	if code, _, _ := runCLI(t, "baseline", dir); code != 0 || readFile(t, file) != first {
		t.Errorf("a second baseline differs:\n%s\n%s", first, readFile(t, file))
	}

	code, stdout, stderr = runCLI(t, "check", "--baseline", file, dir)
	if code != 0 || stdout != "0 findings (0 errors, 0 warnings, 0 info) in 2 files\n" || stderr != "baseline "+file+": 2 findings hidden\n" {
		t.Errorf("check --baseline: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}

	// Fix app_gone; move the other alert down.
	writeTree(t, dir, map[string]string{"rules.yml": "groups:\n  - name: g\n    rules:\n      - alert: Fine\n        expr: app_up == 0\n      - alert: Up\n        expr: app_upp == 0\n"})
	code, stdout, stderr = runCLI(t, "check", "--baseline", file, dir)
	if code != 0 || stdout != "0 findings (0 errors, 0 warnings, 0 info) in 2 files\n" ||
		stderr != "baseline "+file+": 1 finding hidden; 1 baselined finding fixed (no longer found), update it with driftlint baseline\n" {
		t.Errorf("after a fix: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}

	// A new finding is reported; -q leaves out the baseline line.
	writeTree(t, dir, map[string]string{"rules.yml": "groups:\n  - name: g\n    rules:\n      - alert: New\n        expr: app_new > 0\n      - alert: Up\n        expr: app_upp == 0\n"})
	code, stdout, stderr = runCLI(t, "check", "-q", "--baseline", file, dir)
	if code != 1 || !strings.HasPrefix(stdout, "rules.yml:5:15: error: metric \"app_new\"") || strings.Count(stdout, "\n") != 1 || stderr != "" {
		t.Errorf("a new finding: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
}

// TestBaselineSurvivesEditsOfTheDashStreamProject moves lines and edits other lines of every
// kind of file of the audited project: the baseline still hides every finding.
func TestBaselineSurvivesEditsOfTheDashStreamProject(t *testing.T) {
	dir := copyTree(t, "../../fixtures/dashstream/broken")
	base := filepath.Join(t.TempDir(), "baseline.json")
	if code, _, stderr := runCLI(t, "baseline", "--output", base, dir); code != 0 {
		t.Fatalf("baseline: exit %d: %s", code, stderr)
	}
	b, err := lint.ReadBaseline(base)
	if err != nil || len(b.Findings) < 20 {
		t.Fatalf("baseline of %d findings, %v", len(b.Findings), err)
	}
	// Lines move: new lines at the top of the rule file, the runbook and the dashboard; other
	// lines are edited.
	rulesFile := filepath.Join(dir, "monitoring", "alert_rules.yml")
	edit(t, rulesFile, "groups:", "# Reviewed in the 2026 re-audit.\n# Owner: streaming team.\n\ngroups:")
	runbook := filepath.Join(dir, "docs", "OBSERVABILITY_RUNBOOK.md")
	s := readFile(t, runbook)
	i := strings.Index(s, "\n## ")
	if i < 0 {
		t.Fatal("no section in the runbook")
	}
	writeTree(t, dir, map[string]string{"docs/OBSERVABILITY_RUNBOOK.md": s[:i] + "\n\nPage the streaming on-call first.\nThen read on.\n" + s[i:]})
	dash := filepath.Join(dir, "grafana", "dashboards", "grafana_quality_dashboard.json")
	edit(t, dash, "{", "{\n  \"description\": \"Quality of the stream\",\n  \"editable\": true,")
	edit(t, filepath.Join(dir, "docs", "OBSERVABILITY_INFRASTRUCTURE.md"), "\n", "\n\nMoved down by two lines.\n")

	code, stdout, stderr := runCLI(t, "check", "--baseline", base, dir)
	if code != 0 || !strings.HasPrefix(stdout, "0 findings") || strings.Contains(stderr, "fixed") {
		t.Errorf("exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
}

func TestBaselineErrors(t *testing.T) {
	dir := tree(t, map[string]string{".driftlint.yaml": cleanConfig, "rules.yml": twoFindings, "m.prom": expo})
	bad := filepath.Join(dir, "bad.json")
	writeTree(t, dir, map[string]string{"bad.json": `{"runs": []}`})
	tests := []struct {
		name   string
		args   []string
		stderr string
	}{
		{name: "a missing baseline file", args: []string{"check", "--baseline", "DIR/nope.json", "DIR"}, stderr: "driftlint: --baseline: open DIR/nope.json: no such file or directory\n"},
		{name: "a file that is not a baseline", args: []string{"check", "--baseline", bad, "DIR"}, stderr: "driftlint: --baseline: DIR/bad.json: not a driftlint baseline or JSON report (want the output of driftlint baseline or check --format json)\n"},
		{name: "a baseline of a missing folder", args: []string{"baseline", "DIR/nope"}, stderr: "driftlint: DIR/nope: no such file or directory\n"},
		{name: "an extra argument", args: []string{"baseline", "DIR", "DIR"}, stderr: "driftlint: accepts at most 1 arg(s), received 2\n"},
	}
	for _, tt := range tests {
		t.Run("exits 2 on "+tt.name, func(t *testing.T) {
			var args []string
			for _, a := range tt.args {
				args = append(args, strings.ReplaceAll(a, "DIR", dir))
			}
			code, _, stderr := runCLI(t, args...)
			if code != 2 || strings.ReplaceAll(stderr, dir, "DIR") != tt.stderr {
				t.Errorf("exit %d, stderr %q, want %q", code, stderr, tt.stderr)
			}
		})
	}
}

// TestReportAgainstTheDashStreamAudit is the re-audit of issue #7: the broken project's JSON
// report against the fixed project lists every finding as fixed.
func TestReportAgainstTheDashStreamAudit(t *testing.T) {
	code, oldJSON, stderr := runCLI(t, "check", "--format", "json", "../../fixtures/dashstream/broken")
	if code != 1 {
		t.Fatalf("check broken: exit %d: %s", code, stderr)
	}
	old := filepath.Join(t.TempDir(), "old.json")
	writeTree(t, filepath.Dir(old), map[string]string{"old.json": oldJSON})
	b, err := lint.ReadBaseline(old)
	if err != nil {
		t.Fatal(err)
	}
	n := len(b.Findings)
	if n < 20 {
		t.Fatalf("only %d findings in the broken project", n)
	}
	fixed := "../../fixtures/dashstream/fixed"

	t.Run("text", func(t *testing.T) {
		code, stdout, stderr := runCLI(t, "report", "--against", old, fixed)
		if code != 0 || stderr != "" {
			t.Fatalf("exit %d, stderr %q", code, stderr)
		}
		if !strings.HasPrefix(stdout, "fixed ("+strconv.Itoa(n)+"):\n") || !strings.Contains(stdout, "\nstill open (0):\n\nnew (0):\n\n") ||
			!strings.HasSuffix(stdout, strconv.Itoa(n)+" fixed, 0 still open, 0 new against "+old+"; now 0 findings (0 errors, 0 warnings, 0 info) in 8 files\n") {
			t.Errorf("stdout:\n%s", stdout)
		}
		for _, f := range b.Findings {
			if !strings.Contains(stdout, f.Message) {
				t.Errorf("not listed as fixed: %s", f.Message)
			}
		}
	})
	t.Run("json", func(t *testing.T) {
		code, stdout, _ := runCLI(t, "report", "--against", old, "--format", "json", fixed)
		var doc struct {
			Fixed     []map[string]any `json:"fixed"`
			StillOpen []map[string]any `json:"still_open"`
			New       []map[string]any `json:"new"`
			Summary   map[string]int   `json:"summary"`
		}
		if err := json.Unmarshal([]byte(stdout), &doc); err != nil || code != 0 {
			t.Fatalf("exit %d, %v:\n%s", code, err, stdout)
		}
		var got, want []string
		for _, f := range doc.Fixed {
			got = append(got, f["fingerprint"].(string))
		}
		for _, f := range b.Findings {
			want = append(want, f.Fingerprint)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("fixed fingerprints (-want +got):\n%s", diff)
		}
		if doc.StillOpen == nil || doc.New == nil || len(doc.StillOpen)+len(doc.New) != 0 || doc.Summary["fixed"] != n || doc.Summary["findings"] != 0 {
			t.Errorf("still open %v, new %v, summary %v", doc.StillOpen, doc.New, doc.Summary)
		}
	})
	t.Run("markdown", func(t *testing.T) {
		code, stdout, _ := runCLI(t, "report", "--against", old, "--format", "markdown", fixed)
		for _, w := range []string{"# driftlint re-audit\n", "**" + strconv.Itoa(n) + " fixed**, **0 still open**, **0 new**", "## Fixed (" + strconv.Itoa(n) + ")", "## Still open (0)\n\nNone.\n", "| `promql/ratio-aggregation` | 2 | 0 | 0 |"} {
			if code != 0 || !strings.Contains(stdout, w) {
				t.Errorf("exit %d, markdown lacks %q:\n%s", code, w, stdout)
			}
		}
	})
	t.Run("sarif prints the still open and new findings: none", func(t *testing.T) {
		code, stdout, _ := runCLI(t, "report", "--against", old, "--format", "sarif", fixed)
		if code != 0 || !strings.Contains(stdout, `"results": []`) {
			t.Errorf("exit %d:\n%s", code, stdout)
		}
	})
}

func TestReportFixedStillOpenAndNew(t *testing.T) {
	dir := tree(t, map[string]string{".driftlint.yaml": cleanConfig, "rules.yml": twoFindings, "m.prom": expo})
	old := filepath.Join(t.TempDir(), "old.json")
	if code, _, _ := runCLI(t, "baseline", "--output", old, dir); code != 0 {
		t.Fatal("baseline failed")
	}
	// app_gone is fixed, app_upp still open, app_new is new.
	writeTree(t, dir, map[string]string{"rules.yml": "groups:\n  - name: g\n    rules:\n      - alert: Up\n        expr: app_upp == 0\n      - alert: New\n        expr: app_new > 0\n"})
	tests := []struct {
		name string
		args []string
		code int
		want []string
	}{
		{
			name: "lists the three groups in text, the fixed one from a baseline without its line",
			args: []string{"--no-color"}, code: 0,
			want: []string{
				"fixed (1):\nrules.yml: error: metric \"app_gone\" used by alert Gone",
				"\n\nstill open (1):\n" + findingUpp,
				"\nnew (1):\nrules.yml:7:15: error: metric \"app_new\"",
				"\n1 fixed, 1 still open, 1 new against " + old + "; now 2 findings (2 errors, 0 warnings, 0 info) in 2 files\n",
			},
		},
		{name: "prints only the still open and new findings as GitHub commands", args: []string{"--format", "github"}, want: []string{"::error file=rules.yml,line=5,col=15,", "::error file=rules.yml,line=7,col=15,"}},
		{name: "prints the three arrays in JSON", args: []string{"--format", "json"}, want: []string{`"fixed": [`, `"still_open": [`, `"new": [`, `"fixed": 1,`, `"still_open": 1,`, `"new": 1,`}},
		{name: "exits 1 on a new finding with --fail-on error", args: []string{"--fail-on", "error", "-q"}, code: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append(append([]string{"report", "--against", old}, tt.args...), dir)
			code, stdout, stderr := runCLI(t, args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d: %s", code, tt.code, stderr)
			}
			for _, w := range tt.want {
				if !strings.Contains(stdout, w) {
					t.Errorf("output lacks %q:\n%s", w, stdout)
				}
			}
			if tt.args[0] == "--format" && tt.args[1] == "github" && strings.Contains(stdout, "app_gone") {
				t.Errorf("the fixed finding is printed:\n%s", stdout)
			}
		})
	}
	t.Run("exits 2 without --against", func(t *testing.T) {
		code, _, stderr := runCLI(t, "report", dir)
		if code != 2 || stderr != "driftlint: required flag(s) \"against\" not set\n" {
			t.Errorf("exit %d, stderr %q", code, stderr)
		}
	})
}

func TestSuppressions(t *testing.T) {
	unusedRegistered := rules.ByID(lint.UnusedIgnoreID) != nil
	tests := []struct {
		name       string
		rules      string
		args       []string
		code       int
		stdout     string
		registered bool // needs driftlint/unused-ignore in the registry
	}{
		{
			name:  "hides a finding with a reasoned comment",
			rules: "groups:\n  - name: g\n    rules:\n      - alert: Up\n        # driftlint:ignore metric/unknown exported by the sidecar\n        expr: app_upp == 0\n",
			code:  0, stdout: "0 findings (0 errors, 0 warnings, 0 info) in 2 files\n",
		},
		{
			name:  "keeps the finding of a comment without a reason and says why",
			rules: "groups:\n  - name: g\n    rules:\n      - alert: Up\n        expr: app_upp == 0  # driftlint:ignore metric/unknown\n",
			code:  1, registered: true,
			stdout: findingUpp + "rules.yml:5:48: warning: suppression of metric/unknown needs a reason; without one it hides nothing (driftlint/unused-ignore)\n",
		},
		{
			name:  "reports an unused comment as a warning",
			rules: "groups:\n  - name: g\n    rules:\n      - alert: Up\n        expr: app_up == 0  # driftlint:ignore metric/unknown renamed soon\n",
			code:  0, registered: true,
			stdout: "rules.yml:5:47: warning: suppression of metric/unknown matched no finding (driftlint/unused-ignore)\n",
		},
		{
			name:  "fails on an unused comment with --fail-on warning",
			rules: "groups:\n  - name: g\n    rules:\n      - alert: Up\n        expr: app_up == 0  # driftlint:ignore metric/unknown renamed soon\n",
			args:  []string{"--fail-on", "warning"}, code: 1, registered: true,
			stdout: "rules.yml:5:47: warning: suppression of metric/unknown matched no finding (driftlint/unused-ignore)\n",
		},
		{
			name:  "does not report a comment for a disabled rule",
			rules: "groups:\n  - name: g\n    rules:\n      - alert: Up\n        expr: app_up == 0  # driftlint:ignore metric/unknown renamed soon\n",
			args:  []string{"--disable", "metric/unknown"}, code: 0,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.registered && !unusedRegistered {
				t.Skip("driftlint/unused-ignore is not in rules.All yet")
			}
			dir := tree(t, map[string]string{".driftlint.yaml": cleanConfig, "rules.yml": tt.rules, "m.prom": expo})
			t.Chdir(dir)
			args := append(append([]string{"check", "-q"}, tt.args...), dir)
			code, stdout, stderr := runCLI(t, args...)
			want := strings.TrimSuffix(tt.stdout, "0 findings (0 errors, 0 warnings, 0 info) in 2 files\n")
			if code != tt.code || stdout != want {
				t.Errorf("exit %d, want %d (stderr %q)\nstdout:\n%s\nwant:\n%s", code, tt.code, stderr, stdout, want)
			}
		})
	}
	t.Run("counts suppressed findings in --verbose", func(t *testing.T) {
		dir := tree(t, map[string]string{".driftlint.yaml": cleanConfig, "rules.yml": tests[0].rules, "m.prom": expo})
		code, _, stderr := runCLI(t, "check", "-v", dir)
		if code != 0 || !strings.Contains(stderr, "suppressed: 1 finding by driftlint:ignore comments, suppress entries and ignore paths\n") {
			t.Errorf("exit %d, stderr:\n%s", code, stderr)
		}
	})
}

// gitRepo makes a git repository of files with one commit, isolated from the user's config.
func gitRepo(t *testing.T, files map[string]string) string {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not on PATH")
	}
	for k, v := range map[string]string{
		"GIT_CONFIG_GLOBAL": os.DevNull, "GIT_CONFIG_NOSYSTEM": "1",
		"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com",
	} {
		t.Setenv(k, v)
	}
	dir := tree(t, files)
	gitRun(t, dir, "init", "-q", "-b", "main")
	gitRun(t, dir, "add", "-A")
	gitRun(t, dir, "commit", "-q", "-m", "first")
	return dir
}

func gitRun(t *testing.T, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
}

func TestCheckChangedSince(t *testing.T) {
	dash := `{"title": "D", "panels": [{"title": "P", "targets": [{"expr": "rate(app_old_total[5m])"}]}]}`
	files := map[string]string{
		"svc/.driftlint.yaml":   "rules: [rules.yml]\ndashboards: [dash.json]\nexposition:\n  - file: m.prom\n",
		"svc/rules.yml":         cleanRules,
		"svc/dash.json":         dash,
		"svc/m.prom":            expo + "# HELP app_old_total Old.\n# TYPE app_old_total counter\napp_old_total 1\n",
		"svc/other/unrelated.x": "x\n",
	}
	repo := gitRepo(t, files)
	dir := filepath.Join(repo, "svc")
	t.Chdir(dir)

	// Unchanged: nothing to report, though the project is clean anyway.
	if code, stdout, stderr := runCLI(t, "check", "-q", "--changed-since", "HEAD", dir); code != 0 || stdout != "" || stderr != "" {
		t.Errorf("unchanged: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}

	// The exposition renames app_old_total (the dashboard, unchanged, still uses the old
	// name) and the rule file, uncommitted, gets a typo; an untracked rule file is listed too.
	writeTree(t, repo, map[string]string{
		"svc/m.prom":    expo + "# HELP app_older_total Old.\n# TYPE app_older_total counter\napp_older_total 1\n",
		"svc/rules.yml": strings.Replace(cleanRules, "app_up", "app_upp", 1),
	})
	code, stdout, stderr := runCLI(t, "check", "-q", "--no-color", "--changed-since", "main", dir)
	want := "dash.json:1:69: error: metric \"app_old_total\" used by dashboard target \"P\" is not exported by any exposition or recorded by any rule (did you mean \"app_older_total\"?) (metric/unknown)\n" +
		"    m.prom:4:1: \"app_older_total\" is defined here\n" + findingUpp
	if code != 1 || stdout != want || stderr != "" {
		t.Errorf("exit %d, stderr %q\nstdout:\n%s\nwant:\n%s", code, stderr, stdout, want)
	}

	// Once that is committed, a change to the rule file alone leaves out the dashboard's
	// finding, and --verbose says so.
	gitRun(t, repo, "commit", "-q", "-am", "rename")
	edit(t, filepath.Join(dir, "rules.yml"), "groups:", "# Alerts of the app.\ngroups:")
	code, stdout, stderr = runCLI(t, "check", "-v", "--changed-since", "HEAD", dir)
	if code != 1 || !strings.HasPrefix(stdout, "rules.yml:6:15: error: metric \"app_upp\"") || strings.Contains(stdout, "dash.json") ||
		!strings.Contains(stderr, "changed since HEAD: 1 file; 1 finding in, or about, other files left out\n") {
		t.Errorf("exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}

	tests := []struct {
		name, dir, ref, stderr string
	}{
		{name: "outside a git repository", dir: t.TempDir(), ref: "main", stderr: "driftlint: --changed-since: DIR is not in a git repository\n"},
		{name: "for an unknown ref", dir: dir, ref: "nope", stderr: "driftlint: --changed-since: unknown git ref \"nope\"\n"},
	}
	for _, tt := range tests {
		t.Run("exits 2 with one line "+tt.name, func(t *testing.T) {
			code, _, stderr := runCLI(t, "check", "--changed-since", tt.ref, tt.dir)
			if code != 2 || strings.ReplaceAll(stderr, tt.dir, "DIR") != tt.stderr {
				t.Errorf("exit %d, stderr %q, want %q", code, stderr, tt.stderr)
			}
		})
	}
}

func TestDocsFix(t *testing.T) {
	golden := "../../fixtures/docs-fix/golden"
	t.Run("--diff prints a unified diff, writes nothing and exits 1", func(t *testing.T) {
		dir := copyTree(t, "../../fixtures/docs-fix/project")
		before := readFile(t, filepath.Join(dir, "docs", "METRICS.md"))
		code, stdout, stderr := runCLI(t, "docs", "fix", "--diff", dir)
		if code != 1 || stderr != "" || !strings.HasPrefix(stdout, "--- a/docs/") || !strings.Contains(stdout, "\n+++ b/docs/METRICS.md\n") {
			t.Errorf("exit %d, stderr %q\n%s", code, stderr, stdout)
		}
		if readFile(t, filepath.Join(dir, "docs", "METRICS.md")) != before {
			t.Error("--diff wrote the file")
		}
	})
	t.Run("the --diff output applied by patch gives the golden files", func(t *testing.T) {
		patch, err := exec.LookPath("patch")
		if err != nil {
			t.Skip("patch is not installed")
		}
		dir := copyTree(t, "../../fixtures/docs-fix/project")
		code, stdout, _ := runCLI(t, "docs", "fix", "--diff", dir)
		if code != 1 {
			t.Fatalf("exit %d", code)
		}
		cmd := exec.Command(patch, "-p1", "--batch", "--no-backup-if-mismatch")
		cmd.Dir = dir
		cmd.Stdin = strings.NewReader(stdout)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("patch: %v\n%s", err, out)
		}
		for _, name := range []string{"CONSUMER.md", "METRICS.md"} {
			if diff := cmp.Diff(readFile(t, filepath.Join(golden, "docs", name)), readFile(t, filepath.Join(dir, "docs", name))); diff != "" {
				t.Errorf("%s (-golden +patched):\n%s", name, diff)
			}
		}
	})
	t.Run("rewrites the docs as the golden files, then has nothing to fix", func(t *testing.T) {
		dir := copyTree(t, "../../fixtures/docs-fix/project")
		code, stdout, stderr := runCLI(t, "docs", "fix", dir)
		if code != 0 || stdout != "" || !regexp.MustCompile(`^(fixed docs/[A-Z]+\.md: \d+ lines? removed, \d+ added\n)+$`).MatchString(stderr) {
			t.Errorf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
		}
		for _, name := range []string{"CONSUMER.md", "METRICS.md"} {
			if diff := cmp.Diff(readFile(t, filepath.Join(golden, "docs", name)), readFile(t, filepath.Join(dir, "docs", name))); diff != "" {
				t.Errorf("%s (-golden +fixed):\n%s", name, diff)
			}
		}
		entries, _ := os.ReadDir(filepath.Join(dir, "docs"))
		if len(entries) != 2 {
			t.Errorf("temporary files left behind: %v", entries)
		}
		code, _, stderr = runCLI(t, "docs", "fix", dir)
		if code != 0 || stderr != "nothing to fix: the metrics docs agree with the expositions\n" {
			t.Errorf("second run: exit %d, stderr %q", code, stderr)
		}
		code, stdout, stderr = runCLI(t, "docs", "fix", "--diff", dir)
		if code != 0 || stdout != "" || stderr != "nothing to fix: the metrics docs agree with the expositions\n" {
			t.Errorf("--diff with nothing to fix: exit %d, stdout %q, stderr %q", code, stdout, stderr)
		}
	})
	t.Run("prints help without a subcommand and exits 2 on an unknown one", func(t *testing.T) {
		if code, stdout, _ := runCLI(t, "docs"); code != 0 || !strings.Contains(stdout, "fix") {
			t.Errorf("docs: exit %d, stdout %q", code, stdout)
		}
		if code, _, stderr := runCLI(t, "docs", "fixx"); code != 2 || stderr != "driftlint: unknown command \"fixx\" for \"driftlint docs\"\n" {
			t.Errorf("docs fixx: exit %d, stderr %q", code, stderr)
		}
	})
	t.Run("exits 2 on a missing folder", func(t *testing.T) {
		code, _, stderr := runCLI(t, "docs", "fix", filepath.Join(t.TempDir(), "nope"))
		if code != 2 || !strings.HasSuffix(stderr, "nope: no such file or directory\n") {
			t.Errorf("exit %d, stderr %q", code, stderr)
		}
	})
}

func TestRulesAndExplain(t *testing.T) {
	code, stdout, _ := runCLI(t, "rules")
	if code != 0 {
		t.Fatalf("rules exit %d", code)
	}
	for _, r := range rules.All() {
		if !strings.Contains(stdout, r.ID) {
			t.Errorf("rules output lacks %s", r.ID)
		}
	}
	code, stdout, _ = runCLI(t, "explain", "promql/syntax")
	if code != 0 || !strings.Contains(stdout, "Bad") || !strings.Contains(stdout, "Good") {
		t.Errorf("explain exit %d:\n%s", code, stdout)
	}
	code, _, stderr := runCLI(t, "explain", "promql/syntx")
	if code != 2 || !strings.Contains(stderr, `did you mean "promql/syntax"`) {
		t.Errorf("explain unknown: exit %d %q", code, stderr)
	}
	code, stdout, _ = runCLI(t, "version")
	if code != 0 || !strings.HasPrefix(stdout, "driftlint ") {
		t.Errorf("version: exit %d %q", code, stdout)
	}
}

func TestWriteFix(t *testing.T) {
	tests := []struct {
		name           string
		disk, loaded   string
		fixed, want    string
		wantErr        string
		mode, wantMode os.FileMode
	}{
		{name: "replaces the file and keeps its permissions", disk: "a\n", loaded: "a\n", fixed: "b\n", want: "b\n", mode: 0o600, wantMode: 0o600},
		{name: "puts a byte-order mark back", disk: "\xEF\xBB\xBFa\n", loaded: "   a\n", fixed: "   b\n", want: "\xEF\xBB\xBFb\n", mode: 0o644, wantMode: 0o644},
		{name: "refuses a file that changed since it was loaded", disk: "c\n", loaded: "a\n", fixed: "b\n", want: "c\n", wantErr: "the file changed while driftlint ran; run docs fix again", mode: 0o644, wantMode: 0o644},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "METRICS.md")
			if err := os.WriteFile(path, []byte(tt.disk), tt.mode); err != nil {
				t.Fatal(err)
			}
			err := writeFix(dir, "METRICS.md", []byte(tt.loaded), []byte(tt.fixed))
			if (err == nil) != (tt.wantErr == "") || err != nil && err.Error() != tt.wantErr {
				t.Errorf("error %v, want %q", err, tt.wantErr)
			}
			if got := readFile(t, path); got != tt.want {
				t.Errorf("file %q, want %q", got, tt.want)
			}
			if st, _ := os.Stat(path); st.Mode().Perm() != tt.wantMode {
				t.Errorf("mode %v, want %v", st.Mode().Perm(), tt.wantMode)
			}
			if entries, _ := os.ReadDir(dir); len(entries) != 1 {
				t.Errorf("files left behind: %v", entries)
			}
		})
	}
	t.Run("writes through a link that stays inside the root", func(t *testing.T) {
		dir := t.TempDir()
		real := filepath.Join(dir, "real.md")
		link := filepath.Join(dir, "link.md")
		writeTree(t, dir, map[string]string{"real.md": "a\n"})
		if err := os.Symlink("real.md", link); err != nil {
			t.Skip(err)
		}
		if err := writeFix(dir, "link.md", []byte("a\n"), []byte("b\n")); err != nil {
			t.Fatal(err)
		}
		if st, err := os.Lstat(link); err != nil || st.Mode()&os.ModeSymlink == 0 || readFile(t, real) != "b\n" {
			t.Errorf("link replaced or target not written: %v %v", st, err)
		}
	})
	t.Run("refuses a link that leads out of the root", func(t *testing.T) {
		outside := filepath.Join(t.TempDir(), "bashrc")
		writeTree(t, filepath.Dir(outside), map[string]string{"bashrc": "a\n"})
		dir := t.TempDir()
		if err := os.Symlink(outside, filepath.Join(dir, "link.md")); err != nil {
			t.Skip(err)
		}
		err := writeFix(dir, "link.md", []byte("a\n"), []byte("b\n"))
		if err == nil || !strings.Contains(err.Error(), "leaves the project root") {
			t.Errorf("error %v, want a refusal", err)
		}
		if readFile(t, outside) != "a\n" {
			t.Errorf("the file outside the root was written")
		}
	})
}

func TestMaxFileSize(t *testing.T) {
	dir := tree(t, map[string]string{
		".driftlint.yaml": "rules: [rules.yml]\n",
		"rules.yml":       "groups:\n  - name: g\n    rules:\n      - alert: Up\n        expr: up == 0\n",
	})
	code, stdout, _ := runCLI(t, "check", "--no-color", "-q", "--max-file-size", "10", dir)
	if code != 1 || !strings.Contains(stdout, "rules.yml: error: file is 71 bytes, larger than the 10-byte limit; not read (input/parse)") {
		t.Errorf("exit %d:\n%s", code, stdout)
	}
	if code, _, _ := runCLI(t, "check", "-q", dir); code != 0 {
		t.Errorf("default limit: exit %d", code)
	}
}

// TestUnresolvedSummary runs check on code with names computed at run time: the summary
// line counts the definitions not read and names the spaces they leave unchecked, and JSON's
// summary carries both.
func TestUnresolvedSummary(t *testing.T) {
	t.Chdir("../../fixtures/source-never-dark")
	_, stdout, _ := runCLI(t, "check", "--no-color")
	if !strings.HasSuffix(stdout, "; 4 metric definitions in the sources not read, leaving *_stage_total, app_pool_*, app_queue_* unchecked\n") {
		t.Errorf("summary line:\n%s", stdout)
	}
	_, stdout, _ = runCLI(t, "check", "--format", "json")
	var doc struct {
		Summary struct {
			Unresolved int      `json:"unresolved_definitions"`
			Unchecked  []string `json:"unchecked_spaces"`
		} `json:"summary"`
	}
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Summary.Unresolved != 4 || strings.Join(doc.Summary.Unchecked, " ") != "*_stage_total app_pool_* app_queue_*" {
		t.Errorf("summary %+v", doc.Summary)
	}
}
