package main

import (
	"errors"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rogpeppe/go-internal/testscript"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"go.yaml.in/yaml/v3"

	"github.com/driftlint/driftlint/lint"
	"github.com/driftlint/driftlint/lint/load"
)

var updateScripts = flag.Bool("update-scripts", false, "rewrite the cmp files of failing testdata/script/*.txtar scripts")

// TestMain lets the test binary act as the driftlint command inside scripts: testscript
// puts it on the scripts' PATH under that name.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){"driftlint": main})
}

// TestScripts runs the end-to-end scripts in testdata/script: each holds a small project
// inline and runs the real command line on it.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 filepath.Join("testdata", "script"),
		RequireExplicitExec: true,
		RequireUniqueNames:  true,
		UpdateScripts:       *updateScripts,
		Setup: func(env *testscript.Env) error {
			env.Setenv("NO_COLOR", "1")
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"exits": cmdExits,
		},
	})
}

// cmdExits is the script command "exits CODE PROGRAM [ARGS...]": it runs the program like
// exec and checks its exact exit code, keeping stdout and stderr for the next commands.
func cmdExits(ts *testscript.TestScript, neg bool, args []string) {
	if neg {
		ts.Fatalf("unsupported: ! exits")
	}
	if len(args) < 2 {
		ts.Fatalf("usage: exits CODE PROGRAM [ARGS...]")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("exits: bad exit code %q", args[0])
	}
	got := 0
	if err := ts.Exec(args[1], args[2:]...); err != nil {
		ee, ok := errors.AsType[*exec.ExitError](err)
		if !ok {
			ts.Fatalf("exits: %v", err)
		}
		got = ee.ExitCode()
	}
	if got != want {
		ts.Fatalf("%s exited with %d, want %d", args[1], got, want)
	}
}

// writeFiles writes a project into a new temporary folder.
func writeFiles(t *testing.T, files map[string]string) string {
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

// copyTree copies the files of src into a new temporary folder, leaving out skip.
func copyTree(t *testing.T, src string, skip ...string) string {
	t.Helper()
	dst := t.TempDir()
	err := filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		if d.IsDir() || slices.Contains(skip, filepath.ToSlash(rel)) {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		out := filepath.Join(dst, rel)
		if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
			return err
		}
		return os.WriteFile(out, b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

// roles describes how a loaded project reads each file, for comparing two loads.
func roles(t *testing.T, cfg *lint.Config) []string {
	t.Helper()
	p, err := load.Project(cfg, load.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	add := func(kind, file string) { out = append(out, kind+" "+file) }
	for _, f := range p.Files {
		add("file", f.Path)
	}
	for _, r := range p.Rules {
		add("rule", r.NameAt.String())
	}
	for _, m := range p.Markdown {
		add("markdown runbook="+strconv.FormatBool(m.Runbook)+" doc="+strconv.FormatBool(m.MetricsDoc), m.File.Path)
	}
	for _, d := range p.Dashboards {
		add("dashboard "+d.Title, d.File.Path)
	}
	for _, e := range p.Expositions {
		add("exposition scrape "+strconv.Itoa(e.Index), e.File.Path)
	}
	for _, h := range p.Health {
		add("health", h.File.Path)
	}
	slices.Sort(out)
	return out
}

func TestInitWritesAConfigThatLoadsAsDiscoveryDoes(t *testing.T) {
	tests := []struct {
		name  string
		dir   func(t *testing.T) string
		lists map[string]int // config key → entries written
	}{
		{
			name:  "the dashstream project",
			dir:   func(t *testing.T) string { return copyTree(t, "../../fixtures/dashstream/broken", lint.ConfigFile) },
			lists: map[string]int{"rules": 1, "runbooks": 1, "metrics_docs": 1, "dashboards": 1, "exposition": 2, "health": 1},
		},
		{
			name: "odd file names, files listed one by one, and scrapes of two targets",
			dir: func(t *testing.T) string {
				rule := "groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up == 0\n"
				runbook := "# Runbook\n\n## A\n\n```promql\nup == 0\n```\n"
				return writeFiles(t, map[string]string{
					"rules/a.yml":          rule,
					"rules/b.yml":          rule,
					"rules/notes.yml":      "just: yaml\n",
					"docs/*star [1].md":    runbook,
					"docs/.hidden.md":      runbook,
					"docs/#hash: x.md":     runbook,
					"docs/notes.md":        "Just notes.\n",
					"-dash.json":           `{"title": "D", "panels": [{"title": "P", "targets": [{"expr": "up"}]}]}`,
					"scrape/web/a.prom":    "# TYPE up gauge\nup 1\n",
					"scrape/web/b.prom":    "# TYPE up gauge\nup 1\n",
					"scrape/worker/w.prom": "# TYPE up gauge\nup 0\n",
					"health.schema.json":   `{"type": "object", "properties": {"status": {"type": "string"}}}`,
				})
			},
			lists: map[string]int{"rules": 2, "runbooks": 3, "dashboards": 1, "exposition": 3, "health": 1},
		},
		{
			name:  "an empty folder",
			dir:   func(t *testing.T) string { return t.TempDir() },
			lists: map[string]int{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := tt.dir(t)
			var out, errb strings.Builder
			if code := run([]string{"init", dir}, &out, &errb); code != 0 {
				t.Fatalf("init exited %d: %s", code, errb.String())
			}
			file := filepath.Join(dir, lint.ConfigFile)
			cfg, err := lint.LoadConfig(file, lint.ConfigOptions{})
			if err != nil {
				t.Fatalf("the written config does not load: %v", err)
			}
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			var doc map[string][]any
			if err := yaml.Unmarshal(src, &doc); err != nil {
				t.Fatal(err)
			}
			got := map[string]int{}
			for k, v := range doc {
				got[k] = len(v)
			}
			if diff := cmp.Diff(tt.lists, got); diff != "" {
				t.Errorf("entries per key (-want +got):\n%s\n%s", diff, src)
			}
			var generic any
			if err := yaml.Unmarshal(src, &generic); err != nil {
				t.Fatal(err)
			}
			if generic != nil {
				if err := configSchema(t).Validate(generic); err != nil {
					t.Errorf("the schema rejects the written config: %v\n%s", err, src)
				}
			}
			abs, err := filepath.Abs(dir)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(roles(t, lint.DefaultConfig(abs)), roles(t, cfg)); diff != "" {
				t.Errorf("the config loads other inputs than discovery (-discovery +config):\n%s\n%s", diff, src)
			}
		})
	}
}

// configSchema compiles schema/driftlint.schema.json.
func configSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open("../../schema/driftlint.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource(schemaURL, doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile(schemaURL)
	if err != nil {
		t.Fatal(err)
	}
	return sch
}

func TestInitNeverOverwritesWithoutForce(t *testing.T) {
	dir := writeFiles(t, map[string]string{lint.ConfigFile: "rules: [mine.yml]\n"})
	var out, errb strings.Builder
	code := run([]string{"init", dir}, &out, &errb)
	want := "driftlint: init: " + filepath.Join(dir, lint.ConfigFile) + " already exists; pass --force to overwrite it, or --dry-run to print the config\n"
	if code != 2 || errb.String() != want {
		t.Errorf("exit %d, stderr %q; want exit 2, %q", code, errb.String(), want)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, lint.ConfigFile)); string(b) != "rules: [mine.yml]\n" {
		t.Errorf("the config was changed to %q", b)
	}
	if code := run([]string{"init", "--force", dir}, &out, &errb); code != 0 {
		t.Errorf("init --force exited %d", code)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, lint.ConfigFile)); !strings.Contains(string(b), "written by \"driftlint init\"") {
		t.Errorf("init --force did not rewrite the config:\n%s", b)
	}
}

func TestYAMLString(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{name: "keeps a plain path plain", in: "docs/RUNBOOK.md", want: "docs/RUNBOOK.md"},
		{name: "keeps a glob inside a path plain", in: "docs/*.md", want: "docs/*.md"},
		{name: "quotes a leading star, which YAML reads as an alias", in: "*.md", want: `"*.md"`},
		{name: "quotes a comment sign", in: "a #b.md", want: `"a #b.md"`},
		{name: "quotes a colon and space", in: "a: b.md", want: `"a: b.md"`},
		{name: "quotes a name YAML reads as a boolean", in: "true", want: `"true"`},
		{name: "quotes a name YAML reads as a number", in: "1.5", want: `"1.5"`},
		{name: "quotes a leading dash", in: "-x.json", want: `"-x.json"`},
		{name: "escapes quotes and backslashes", in: `a"b\c`, want: `"a\"b\\c"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := yamlString(tt.in)
			if got != tt.want {
				t.Errorf("yamlString(%q) = %s, want %s", tt.in, got, tt.want)
			}
			var back map[string]string
			if err := yaml.Unmarshal([]byte("v: "+got), &back); err != nil || back["v"] != tt.in {
				t.Errorf("%s reads back as %q (%v), want %q", got, back["v"], err, tt.in)
			}
		})
	}
}

func readYAML(t *testing.T, file string, v any) {
	t.Helper()
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(src, v); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
}
