package docsfix_test

import (
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/driftlint/driftlint/lint"
	"github.com/driftlint/driftlint/lint/docsfix"
	"github.com/driftlint/driftlint/lint/linttest"
	"github.com/driftlint/driftlint/rules"
)

var update = flag.Bool("update", false, "rewrite the golden files of fixtures/docs-fix")

const (
	fixProject = "../../fixtures/docs-fix/project"
	fixGolden  = "../../fixtures/docs-fix/golden"
)

// docRules are the rules whose findings Fix repairs.
var docRules = []*lint.Rule{rules.DocsStaleMetric, rules.DocsUndocumentedMetric, rules.DocsLabelsMismatch, rules.DocsTypeMismatch}

func TestFixRewritesTheFixtureAsTheGoldenFilesSay(t *testing.T) {
	got, err := docsfix.Fix(linttest.Load(t, fixProject))
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.RemoveAll(fixGolden); err != nil {
			t.Fatal(err)
		}
		for rel, b := range got {
			path := filepath.Join(fixGolden, filepath.FromSlash(rel))
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	want := map[string]string{}
	err = filepath.WalkDir(fixGolden, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(fixGolden, p)
		want[filepath.ToSlash(rel)] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	gotS := map[string]string{}
	for k, v := range got {
		gotS[k] = string(v)
	}
	if d := cmp.Diff(want, gotS); d != "" {
		t.Errorf("Fix (-golden +got):\n%s", d)
	}
}

// writeTree copies the fixture project into dir, replacing the files Fix rewrote.
func writeTree(t *testing.T, dir string, fixed map[string][]byte) {
	t.Helper()
	err := filepath.WalkDir(fixProject, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(fixProject, p)
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if nb, ok := fixed[filepath.ToSlash(rel)]; ok {
			b = nb
		}
		dst := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		return os.WriteFile(dst, b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func messages(fs []lint.Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Pos.String()+": "+f.Rule+": "+f.Message)
	}
	return out
}

func TestFixLeavesNothingForTheDocRulesToReport(t *testing.T) {
	before := lint.Run(linttest.Load(t, fixProject), docRules, lint.RunOptions{})
	if len(before.Findings) < 8 {
		t.Fatalf("the fixture should start with drift for every kind of repair, got:\n%s", strings.Join(messages(before.Findings), "\n"))
	}
	fixed, err := docsfix.Fix(linttest.Load(t, fixProject))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	writeTree(t, dir, fixed)
	p := linttest.Load(t, dir)
	after := lint.Run(p, docRules, lint.RunOptions{})
	if len(after.Findings) > 0 {
		t.Errorf("after Fix the doc rules still report:\n%s", strings.Join(messages(after.Findings), "\n"))
	}
	again, err := docsfix.Fix(p)
	if err != nil {
		t.Fatal(err)
	}
	if len(again) > 0 {
		t.Errorf("a second Fix still changes %v", slices.Sorted(mapsKeys(again)))
	}
}

func mapsKeys(m map[string][]byte) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}
