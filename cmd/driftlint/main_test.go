package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

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
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestCheckExitCodes(t *testing.T) {
	clean := map[string]string{
		".driftlint.yaml": "rules: [rules.yml]\nexposition:\n  - file: m.prom\n",
		"rules.yml":       "groups:\n  - name: g\n    rules:\n      - alert: Up\n        expr: app_up == 0\n",
		"m.prom":          "# HELP app_up Whether the app is up.\n# TYPE app_up gauge\napp_up 1\n",
	}
	broken := map[string]string{
		".driftlint.yaml": clean[".driftlint.yaml"],
		"rules.yml":       "groups:\n  - name: g\n    rules:\n      - alert: Up\n        expr: app_upp == 0\n",
		"m.prom":          clean["m.prom"],
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
			stdout: "rules.yml:5:15: error: metric \"app_upp\" used by alert Up is not exported by any exposition or recorded by any rule (did you mean \"app_up\"?) (metric/unknown)\n    m.prom:1:1: \"app_up\" is defined here\n1 finding (1 error, 0 warnings, 0 info) in 2 files\n",
		},
		{name: "exits 0 with --fail-on never", files: broken, args: []string{"check", "--fail-on", "never", "-q"}, code: 0, stdout: "rules.yml:5:15: error: metric \"app_upp\" used by alert Up is not exported by any exposition or recorded by any rule (did you mean \"app_up\"?) (metric/unknown)\n    m.prom:1:1: \"app_up\" is defined here\n"},
		{name: "exits 0 when the rule is disabled", files: broken, args: []string{"check", "--disable", "metric/unknown", "-q"}, code: 0},
		{name: "exits 2 with one line on a config error", files: map[string]string{".driftlint.yaml": "rulez: [x]\n"}, args: []string{"check"}, code: 2, stderr: "driftlint: DIR/.driftlint.yaml:1:1: unknown key \"rulez\" in the config (did you mean \"rules\"?)\n"},
		{name: "exits 2 on an unknown rule in the config", files: map[string]string{".driftlint.yaml": "checks:\n  disable: [metric/unknwn]\n"}, args: []string{"check"}, code: 2, stderr: "driftlint: DIR/.driftlint.yaml:2:13: unknown rule \"metric/unknwn\" (did you mean \"metric/unknown\"?)\n"},
		{name: "exits 2 on a bad --fail-on", files: clean, args: []string{"check", "--fail-on", "fatal"}, code: 2, stderr: "driftlint: --fail-on: unknown severity \"fatal\" (want error, warning or info)\n"},
		{name: "exits 2 on a bad format", files: clean, args: []string{"check", "--format", "yaml"}, code: 2, stderr: "driftlint: --format: unknown format \"yaml\" (want one of text, json)\n"},
		{name: "exits 2 on an unknown flag", files: clean, args: []string{"check", "--nope"}, code: 2, stderr: "driftlint: unknown flag: --nope\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := tree(t, tt.files)
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
	dir := tree(t, map[string]string{
		".driftlint.yaml": "rules: [rules.yml]\nexposition:\n  - file: m.prom\n",
		"rules.yml":       "groups:\n  - name: g\n    rules:\n      - alert: Up\n        expr: app_upp == 0\n",
		"m.prom":          "# HELP app_up Whether the app is up.\n# TYPE app_up gauge\napp_up 1\n",
	})
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
	if got := keys(doc); got != "findings,summary,version" {
		t.Errorf("top-level keys %s", got)
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
