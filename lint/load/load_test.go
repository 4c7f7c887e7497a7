package load

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/driftlint/driftlint/lint"
)

// badInputs are hostile or broken files, one per case, fed to every loader.
func badInputs() map[string][]byte {
	deepJSON := strings.Repeat("[", 100000) + strings.Repeat("]", 100000)
	var bomb strings.Builder
	bomb.WriteString("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n")
	prev := "a"
	for _, n := range []string{"b", "c", "d", "e", "f", "g", "h", "i"} {
		fmt.Fprintf(&bomb, "%s: &%s [*%s,*%s,*%s,*%s,*%s,*%s,*%s,*%s,*%s]\n", n, n, prev, prev, prev, prev, prev, prev, prev, prev, prev)
		prev = n
	}
	fmt.Fprintf(&bomb, "groups: *%s\n", prev)
	return map[string][]byte{
		"empty":          {},
		"invalid-utf8":   []byte("groups:\n  - name: \xff\xfe\n    rules: []\n"),
		"binary":         {0x00, 0x01, 0x02, 0xff, 0xfe, 0x7f, 0x00, 0x10, 0x80, 0x81},
		"truncated-yaml": []byte("groups:\n  - name: kafka\n    rules:\n      - alert: A\n        expr: \"up == 0\n"),
		"truncated-json": []byte(`{"panels": [{"targets": [{"expr": "up`),
		"deep-json":      []byte(deepJSON),
		"alias-bomb":     []byte(bomb.String()),
	}
}

func TestBadInputNeverPanics(t *testing.T) {
	kinds := []struct {
		ext  string
		conf string // %[1]s is the bad file
	}{
		{".yml", "rules: ['%[1]s', 'good/*.yml']"},
		{".md", "runbooks: ['%[1]s']\nmetrics_docs: ['%[1]s']\nrules: ['good/*.yml']"},
		{".json", "dashboards: ['%[1]s']\nrules: ['good/*.yml']"},
		{".prom", "exposition:\n  - file: %[1]s\nrules: ['good/*.yml']"},
		{".health.json", "health:\n  - file: %[1]s\nrules: ['good/*.yml']"},
	}
	for _, k := range kinds {
		for name, body := range badInputs() {
			t.Run(k.ext+"/"+name, func(t *testing.T) {
				dir := t.TempDir()
				bad := "bad/" + name + k.ext
				write(t, dir, bad, body)
				write(t, dir, "good/rules.yml", []byte("groups:\n  - name: g\n    rules:\n      - alert: Good\n        expr: sum(up\n"))
				write(t, dir, ".driftlint.yaml", []byte(fmt.Sprintf(k.conf, bad)))
				cfg, err := lint.LoadConfig(filepath.Join(dir, ".driftlint.yaml"), lint.ConfigOptions{})
				if err != nil {
					t.Fatal(err)
				}
				done := make(chan *lint.Project, 1)
				go func() {
					p, err := Project(cfg, Options{})
					if err != nil {
						t.Error(err)
					}
					done <- p
				}()
				var p *lint.Project
				select {
				case p = <-done:
				case <-time.After(20 * time.Second):
					t.Fatal("loading hung")
				}
				if p == nil {
					return
				}
				// The good file is still loaded: its broken expr is a query with an error.
				found := false
				for _, q := range p.Queries {
					if q.Owner == "Good" && q.Err != nil {
						found = true
					}
				}
				if !found {
					t.Error("the good rule file was not loaded alongside the bad file")
				}
				var badProblems int
				for _, pr := range p.ParseProblems {
					if strings.HasPrefix(pr.At.File, "bad/") {
						badProblems++
						if pr.Message == "" {
							t.Error("empty problem message")
						}
					}
				}
				// An empty YAML, Markdown or exposition file is valid; empty JSON is not.
				if name == "empty" && !strings.HasSuffix(k.ext, ".json") && badProblems != 0 {
					t.Errorf("an empty file is valid, got %v", p.ParseProblems)
				}
				// Markdown accepts any text; everything else must say what is wrong.
				textMarkdown := k.ext == ".md" && name != "binary" && name != "invalid-utf8"
				if name != "empty" && !textMarkdown && badProblems == 0 {
					t.Errorf("no input/parse problem for %s", name)
				}
			})
		}
	}
}

func TestLargeFileIsAProblem(t *testing.T) {
	dir := t.TempDir()
	big := make([]byte, 50<<20)
	for i := range big {
		big[i] = 'x'
	}
	write(t, dir, "rules/big.yml", big)
	write(t, dir, ".driftlint.yaml", []byte("rules: ['rules/*.yml']\n"))
	cfg, err := lint.LoadConfig(filepath.Join(dir, ".driftlint.yaml"), lint.ConfigOptions{})
	if err != nil {
		t.Fatal(err)
	}
	p, err := Project(cfg, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.ParseProblems) != 1 || !strings.Contains(p.ParseProblems[0].Message, "larger than") {
		t.Errorf("got %v", p.ParseProblems)
	}
}

func write(t *testing.T, dir, rel string, body []byte) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, body, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestConfigPathsWithDotSegments(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "scrape/m.prom", []byte("# TYPE jobs_total counter\njobs_total 3\n"))
	write(t, dir, "health.json", []byte(`{"status": "ok"}`))
	write(t, dir, ".driftlint.yaml", []byte("exposition:\n  - file: ./scrape/../scrape/m.prom\nhealth:\n  - file: ./health.json\n"))
	cfg, err := lint.LoadConfig(filepath.Join(dir, ".driftlint.yaml"), lint.ConfigOptions{})
	if err != nil {
		t.Fatal(err)
	}
	p, err := Project(cfg, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Expositions) != 1 || p.Expositions[0].Families["jobs_total"] == nil {
		t.Errorf("expositions %v: ./scrape/../scrape/m.prom was not read as scrape/m.prom", p.Expositions)
	}
	if len(p.Health) != 1 || p.Health[0].File == nil || p.Health[0].File.Path != "health.json" {
		t.Errorf("health %v: ./health.json was not read as health.json", p.Health)
	}
}

// Discovery reads a file whose keys look like a rule file's as one before taking it: a test
// case that quotes an API error about a rule group is not a rule file (Argo CD's
// resource_customizations/coralogix.com/RecordingRuleGroupSet/health_test.yaml), a file that
// does not parse is kept for input/parse to report.
func TestHoldsRules(t *testing.T) {
	for _, tt := range []struct {
		src  string
		want bool
	}{
		{"groups:\n  - name: a\n    rules:\n      - alert: A\n        expr: up == 0\n", true},
		{"groups: [] # alert: none yet\n", true},
		{"apiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\nspec:\n  groups:\n    - name: a\n      rules:\n        - alert: A\n          expr: up == 0\n", true},
		{"kind: ConfigMap\ndata:\n  a.rules: |\n    groups:\n      - name: a\n        rules:\n          - record: a:b\n            expr: up\n", true},
		{"groups:\n  - name: a\n    rules:\n      - alert: A\n        expr: [up\n", true},
		{"- alert: A\n  expr: up == 0\n", false}, // no groups key: not a candidate
		{"tests:\n- healthStatus:\n    status: Degraded\n    message: >-\n      error: {\n        \"groups\": {\"0\": {\"rules\": {\"0\": {\"record\": []}}}}\n  inputPath: testdata/degraded.yaml\n", false},
		{"kind: ConfigMap\ndata:\n  notes.txt: 'groups: and alert: are words here'\n", false},
	} {
		if got := HoldsRules("x.yaml", []byte(tt.src)); got != tt.want {
			t.Errorf("HoldsRules(%q) = %v, want %v", tt.src, got, tt.want)
		}
	}
}

// Discovery knows a rule file by its keys, plain or quoted as jsonnet renders a mixin
// (Tempo's operations/tempo-mixin-compiled/alerts.yaml: "groups":, "alert":).
func TestLooksLikeRules(t *testing.T) {
	for _, tt := range []struct {
		src  string
		want bool
	}{
		{"groups:\n  - name: a\n    rules:\n      - alert: A\n        expr: up == 0\n", true},
		{"\"groups\":\n- \"name\": \"a\"\n  \"rules\":\n  - \"alert\": \"A\"\n    \"expr\": up == 0\n", true},
		{"spec:\n  groups:\n    - name: a\n      rules:\n        - record: a:b\n          expr: up\n", true},
		{"{groups: [{name: a, rules: [{record: a:b, expr: up}]}]}\n", true},
		{"subgroups:\n  - alert: x\n", false},
		{"groups:\n  - name: a\n    members: [x]\n", false},
		{"severity_alert: x\nusergroups: y\n", false},
	} {
		if got := LooksLikeRules([]byte(tt.src)); got != tt.want {
			t.Errorf("LooksLikeRules(%q) = %v, want %v", tt.src, got, tt.want)
		}
	}
}
