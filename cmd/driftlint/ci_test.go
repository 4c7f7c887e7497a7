package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"go.yaml.in/yaml/v3"
)

// The packaging files cannot run here (goreleaser, GitLab, GitHub): these tests check their
// structure against what the code and the action expect.

// ldflagVars returns the NAMEs of the -X main.NAME=… flags in ldflags.
func ldflagVars(ldflags string) []string {
	var out []string
	for _, m := range regexp.MustCompile(`-X main\.(\w+)=`).FindAllStringSubmatch(ldflags, -1) {
		out = append(out, m[1])
	}
	slices.Sort(out)
	return out
}

// mainStringVars returns the package-level string variables of package main in this folder,
// the only ones -X can set (the linker silently ignores any other name).
func mainStringVars(t *testing.T) []string {
	t.Helper()
	fset := token.NewFileSet()
	var out []string
	files, _ := os.ReadDir(".")
	for _, f := range files {
		if !strings.HasSuffix(f.Name(), ".go") || strings.HasSuffix(f.Name(), "_test.go") {
			continue
		}
		af, err := parser.ParseFile(fset, f.Name(), nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range af.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok || gd.Tok != token.VAR {
				continue
			}
			for _, spec := range gd.Specs {
				vs := spec.(*ast.ValueSpec)
				if id, ok := vs.Type.(*ast.Ident); ok && id.Name == "string" && len(vs.Values) == 0 {
					for _, n := range vs.Names {
						out = append(out, n.Name)
					}
				}
			}
		}
	}
	return out
}

func TestGoreleaserConfig(t *testing.T) {
	var cfg struct {
		Version int `yaml:"version"`
		Builds  []struct {
			Main    string   `yaml:"main"`
			Binary  string   `yaml:"binary"`
			Env     []string `yaml:"env"`
			Ldflags []string `yaml:"ldflags"`
			Goos    []string `yaml:"goos"`
			Goarch  []string `yaml:"goarch"`
		} `yaml:"builds"`
		Archives []struct {
			NameTemplate    string   `yaml:"name_template"`
			Formats         []string `yaml:"formats"`
			FormatOverrides []struct {
				Goos    string   `yaml:"goos"`
				Formats []string `yaml:"formats"`
			} `yaml:"format_overrides"`
		} `yaml:"archives"`
		Checksum struct {
			NameTemplate string `yaml:"name_template"`
			Algorithm    string `yaml:"algorithm"`
		} `yaml:"checksum"`
	}
	readYAML(t, "../../.goreleaser.yaml", &cfg)
	if cfg.Version != 2 || len(cfg.Builds) != 1 || len(cfg.Archives) != 1 {
		t.Fatalf("want version 2 with one build and one archive, got %+v", cfg)
	}
	b := cfg.Builds[0]
	if b.Main != "./cmd/driftlint" || b.Binary != "driftlint" {
		t.Errorf("build main %q binary %q", b.Main, b.Binary)
	}
	if !slices.Contains(b.Env, "CGO_ENABLED=0") {
		t.Errorf("build env %v lacks CGO_ENABLED=0", b.Env)
	}
	if d := cmp.Diff([]string{"darwin", "linux", "windows"}, slices.Sorted(slices.Values(b.Goos))); d != "" {
		t.Errorf("goos (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]string{"amd64", "arm64"}, slices.Sorted(slices.Values(b.Goarch))); d != "" {
		t.Errorf("goarch (-want +got):\n%s", d)
	}
	ldflags := strings.Join(b.Ldflags, " ")
	for _, want := range []string{"-s -w", "main.version={{.Version}}", "main.commit={{.Commit}}", "main.date={{.Date}}"} {
		if !strings.Contains(ldflags, want) {
			t.Errorf("ldflags %q lack %q", ldflags, want)
		}
	}
	vars := mainStringVars(t)
	for _, name := range ldflagVars(ldflags) {
		if !slices.Contains(vars, name) {
			t.Errorf("ldflags set main.%s, which is no string variable of package main (%v)", name, vars)
		}
	}
	// What scripts/action.sh downloads: driftlint_VERSION_OS_ARCH.tar.gz, .zip on Windows,
	// listed in checksums.txt.
	a := cfg.Archives[0]
	if a.NameTemplate != "{{ .ProjectName }}_{{ .Version }}_{{ .Os }}_{{ .Arch }}" || !slices.Equal(a.Formats, []string{"tar.gz"}) ||
		len(a.FormatOverrides) != 1 || a.FormatOverrides[0].Goos != "windows" || !slices.Equal(a.FormatOverrides[0].Formats, []string{"zip"}) {
		t.Errorf("archives %+v", a)
	}
	if cfg.Checksum.NameTemplate != "checksums.txt" || cfg.Checksum.Algorithm != "sha256" {
		t.Errorf("checksum %+v", cfg.Checksum)
	}
}

func TestLdflagVarsAreCheckedAgainstMain(t *testing.T) {
	vars := mainStringVars(t)
	for _, want := range []string{"version", "commit", "date"} {
		if !slices.Contains(vars, want) {
			t.Errorf("package main has no string variable %s: %v", want, vars)
		}
	}
	if got := ldflagVars("-s -w -X main.Version=1 -X main.commit=2"); !slices.Equal(got, []string{"Version", "commit"}) {
		t.Errorf("ldflagVars: %v", got)
	}
	if slices.Contains(vars, "Version") {
		t.Error("a misspelt ldflags name would pass")
	}
}

func TestPreCommitHook(t *testing.T) {
	var hooks []struct {
		ID            string `yaml:"id"`
		Entry         string `yaml:"entry"`
		Language      string `yaml:"language"`
		PassFilenames bool   `yaml:"pass_filenames"`
		RequireSerial bool   `yaml:"require_serial"`
		Files         string `yaml:"files"`
	}
	readYAML(t, "../../.pre-commit-hooks.yaml", &hooks)
	if len(hooks) != 1 {
		t.Fatalf("%d hooks, want 1", len(hooks))
	}
	h := hooks[0]
	if h.ID != "driftlint" || h.Entry != "driftlint check" || h.Language != "golang" || !h.PassFilenames || !h.RequireSerial {
		t.Errorf("hook %+v", h)
	}
	// pre-commit matches with Python's re.search; this pattern means the same in RE2.
	re := regexp.MustCompile(h.Files)
	tests := []struct {
		path string
		want bool
	}{
		{"monitoring/alert_rules.yml", true},
		{"deploy/rules.yaml", true},
		{"prometheus/app.rules", true},
		{"docs/RUNBOOK.md", true},
		{"docs/metrics.markdown", true},
		{"site/docs/metrics.mdx", true},
		{"grafana/dashboards/app.json", true},
		{"scrape/metrics-1.prom", true},
		{"scrape/worker.openmetrics", true},
		{"scrape/metrics.txt", true},
		{"scrape/metrics-2.txt", true},
		{"monitoring/known-metrics.txt", true},
		{"internal/metrics/metrics.go", true},
		{"crates/server/src/metrics.rs", true},
		{"app/metrics.py", true},
		{".driftlint.yaml", true},
		{"svc/.driftlint.yaml", true},
		{"README.txt", false},
		{"requirements.txt", false},
		{"logo.png", false},
		{"Makefile", false},
		{"docs/md/file.c", false},
	}
	for _, tt := range tests {
		if got := re.MatchString(tt.path); got != tt.want {
			t.Errorf("files %q matches %s: %v, want %v", h.Files, tt.path, got, tt.want)
		}
	}
}

// yamlBlocks returns the ```yaml blocks of the README.
func yamlBlocks(t *testing.T) []string {
	t.Helper()
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, m := range regexp.MustCompile("(?ms)^```yaml\n(.*?)^```").FindAllStringSubmatch(string(b), -1) {
		out = append(out, m[1])
	}
	return out
}

func TestReadmeGitLabExample(t *testing.T) {
	var found int
	for _, block := range yamlBlocks(t) {
		if !strings.Contains(block, "codequality:") {
			continue
		}
		found++
		var jobs map[string]struct {
			Image struct {
				Name       string   `yaml:"name"`
				Entrypoint []string `yaml:"entrypoint"`
			} `yaml:"image"`
			Script    []string `yaml:"script"`
			Artifacts struct {
				When    string `yaml:"when"`
				Reports struct {
					Codequality string `yaml:"codequality"`
				} `yaml:"reports"`
			} `yaml:"artifacts"`
		}
		dec := yaml.NewDecoder(strings.NewReader(block))
		dec.KnownFields(true) // a misspelt GitLab key fails here
		if err := dec.Decode(&jobs); err != nil {
			t.Fatalf("GitLab example: %v\n%s", err, block)
		}
		job, ok := jobs["driftlint"]
		if !ok || len(jobs) != 1 {
			t.Fatalf("want one job named driftlint: %v", jobs)
		}
		if !strings.HasPrefix(job.Image.Name, "ghcr.io/driftlint/driftlint:") || !slices.Equal(job.Image.Entrypoint, []string{""}) {
			t.Errorf("image %+v: the image's entrypoint is driftlint; GitLab needs it cleared to run script:", job.Image)
		}
		if job.Artifacts.When != "always" {
			t.Errorf("artifacts.when %q: the report must be kept when the job fails", job.Artifacts.When)
		}
		report := job.Artifacts.Reports.Codequality
		var writes, gates bool
		for _, line := range job.Script {
			args := strings.Fields(line)
			if len(args) < 2 || args[0] != "driftlint" || args[1] != "check" {
				t.Errorf("script line %q is not a driftlint check", line)
				continue
			}
			cmd := newRootCmd()
			check, rest, err := cmd.Find(args[1:])
			if err != nil || check.Name() != "check" {
				t.Fatalf("%q: %v", line, err)
			}
			if err := check.ParseFlags(rest); err != nil {
				t.Errorf("%q does not parse as driftlint check flags: %v", line, err)
				continue
			}
			format, _ := check.Flags().GetString("format")
			output, _ := check.Flags().GetString("output")
			failOn, _ := check.Flags().GetString("fail-on")
			if format == "codequality" && output == report && report != "" && failOn == "never" {
				writes = true
			}
			if format == "text" && failOn != "never" {
				gates = true
			}
		}
		if !writes || !gates {
			t.Errorf("the script should write the codequality report %q (fail-on never) and gate with a text run: %v", report, job.Script)
		}
	}
	if found != 1 {
		t.Errorf("%d GitLab examples in README.md, want 1", found)
	}
}

func TestReadmeActionExamples(t *testing.T) {
	var act struct {
		Inputs map[string]any `yaml:"inputs"`
	}
	readYAML(t, "../../action.yml", &act)
	pinned := regexp.MustCompile(`^[\w.-]+/[\w./-]+@[0-9a-f]{40}$`)
	examples := 0
	for _, block := range yamlBlocks(t) {
		if !strings.Contains(block, "runs-on:") {
			continue
		}
		examples++
		var wf struct {
			On   any `yaml:"on"`
			Jobs map[string]struct {
				Steps []struct {
					Uses string         `yaml:"uses"`
					With map[string]any `yaml:"with"`
				} `yaml:"steps"`
			} `yaml:"jobs"`
		}
		if err := yaml.Unmarshal([]byte(block), &wf); err != nil {
			t.Fatalf("workflow example: %v\n%s", err, block)
		}
		if strings.Contains(block, "pull_request_target") {
			t.Errorf("an example uses pull_request_target:\n%s", block)
		}
		for _, job := range wf.Jobs {
			for _, st := range job.Steps {
				switch {
				case st.Uses == "":
				case strings.HasPrefix(st.Uses, "driftlint/driftlint@"):
					for k := range st.With {
						if _, ok := act.Inputs[k]; !ok {
							t.Errorf("an example passes %q, which action.yml has no input for", k)
						}
					}
				case !pinned.MatchString(st.Uses):
					t.Errorf("an example uses %s, not pinned by commit SHA", st.Uses)
				}
			}
		}
	}
	if examples != 3 {
		t.Errorf("%d workflow examples in README.md, want 3 (PR gate, nightly audit, forks)", examples)
	}
}

// TestActionDefinition checks action.yml against what scripts/action.sh and the README
// promise; scripts/test-action.sh runs its steps.
func TestActionDefinition(t *testing.T) {
	var action struct {
		Name   string `yaml:"name"`
		Inputs map[string]struct {
			Description string  `yaml:"description"`
			Default     *string `yaml:"default"`
		} `yaml:"inputs"`
		Runs struct {
			Using string `yaml:"using"`
			Steps []struct {
				Name            string            `yaml:"name"`
				If              string            `yaml:"if"`
				Uses            string            `yaml:"uses"`
				Run             string            `yaml:"run"`
				Shell           string            `yaml:"shell"`
				Env             map[string]string `yaml:"env"`
				ContinueOnError string            `yaml:"continue-on-error"`
			} `yaml:"steps"`
		} `yaml:"runs"`
	}
	readYAML(t, "../../action.yml", &action)
	if action.Name == "" || action.Runs.Using != "composite" {
		t.Errorf("name %q, runs.using %q; want a name and composite", action.Name, action.Runs.Using)
	}
	var inputs []string
	for name, in := range action.Inputs {
		inputs = append(inputs, name)
		if in.Description == "" || in.Default == nil {
			t.Errorf("input %s needs a description and a default", name)
		}
	}
	slices.Sort(inputs)
	want := []string{"args", "baseline", "config", "fail-on", "only-new", "path", "sarif-category", "token", "upload-sarif", "version"}
	if d := cmp.Diff(want, inputs); d != "" {
		t.Errorf("inputs (-want +got):\n%s", d)
	}
	pinned := regexp.MustCompile(`^[\w.-]+/[\w./-]+@[0-9a-f]{40}$`)
	var runs []string
	for _, s := range action.Runs.Steps {
		switch {
		case s.Uses != "":
			if !pinned.MatchString(s.Uses) {
				t.Errorf("step %q uses %s, not pinned by commit SHA", s.Name, s.Uses)
			}
			if strings.Contains(s.Uses, "setup-go") {
				t.Errorf("step %q sets up Go: the action installs the release binary", s.Name)
			}
			if !strings.Contains(s.If, "always()") || s.ContinueOnError == "" {
				t.Errorf("step %q: if %q, continue-on-error %q; want always() and a continue-on-error", s.Name, s.If, s.ContinueOnError)
			}
		case s.Shell != "bash":
			t.Errorf("step %q runs with shell %q, want bash", s.Name, s.Shell)
		default:
			runs = append(runs, strings.TrimSpace(s.Run))
			for k, v := range s.Env {
				if strings.HasPrefix(k, "INPUT_") && !strings.Contains(v, "inputs.") {
					t.Errorf("step %q: %s=%q is no input", s.Name, k, v)
				}
			}
		}
	}
	wantRuns := []string{
		`bash "$GITHUB_ACTION_PATH/scripts/action.sh" install`,
		`bash "$GITHUB_ACTION_PATH/scripts/action.sh" check`,
		`bash "$GITHUB_ACTION_PATH/scripts/action.sh" gate`,
	}
	if d := cmp.Diff(wantRuns, runs); d != "" {
		t.Errorf("run: steps (-want +got):\n%s", d)
	}
	if last := action.Runs.Steps[len(action.Runs.Steps)-1]; !strings.HasSuffix(last.Run, " gate") {
		t.Errorf("the last step %q is not the gate: the uploads come before the job fails", last.Name)
	}
	src, err := os.ReadFile("../../action.yml")
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(src), "# driftlint-release-version"); n != 1 {
		t.Errorf("%d lines marked driftlint-release-version, want 1 (scripts/set-action-version.sh writes there)", n)
	}
}
