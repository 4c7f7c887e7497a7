package gitdiff

import (
	"context"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/driftlint/driftlint/lint"
)

// repo makes a git repository with one commit of files, isolated from the user's git config.
func repo(t *testing.T, files map[string]string) string {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not on PATH")
	}
	t.Setenv("GIT_CONFIG_GLOBAL", os.DevNull)
	t.Setenv("GIT_CONFIG_NOSYSTEM", "1")
	t.Setenv("GIT_AUTHOR_NAME", "t")
	t.Setenv("GIT_AUTHOR_EMAIL", "t@example.com")
	t.Setenv("GIT_COMMITTER_NAME", "t")
	t.Setenv("GIT_COMMITTER_EMAIL", "t@example.com")
	dir := t.TempDir()
	write(t, dir, files)
	run(t, dir, "init", "-q", "-b", "main")
	run(t, dir, "add", "-A")
	run(t, dir, "commit", "-q", "-m", "first")
	return dir
}

func write(t *testing.T, dir string, files map[string]string) {
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

func run(t *testing.T, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

func TestChanged(t *testing.T) {
	dir := repo(t, map[string]string{
		".gitignore":            "*.orig\n",
		"README.md":             "top\n",
		"svc/rules.yml":         "a\n",
		"svc/docs/RUNBOOK.md":   "b\n",
		"svc/scrape/m.prom":     "c\n",
		"svc/grafana/dash.json": "d\n",
		"svc/old.yml":           "e\n",
	})
	run(t, dir, "checkout", "-q", "-b", "feature")
	write(t, dir, map[string]string{"svc/scrape/m.prom": "c2\n"})
	run(t, dir, "commit", "-q", "-am", "committed on the branch")
	write(t, dir, map[string]string{
		"svc/rules.yml":       "a2\n",    // unstaged
		"svc/docs/RUNBOOK.md": "b2\n",    // staged below
		"svc/new.yml":         "new\n",   // untracked
		"svc/rules.yml.orig":  "junk\n",  // ignored
		"README.md":           "top2\n",  // outside the project root
		"svc/grafana/x.json":  "{}\n",    // untracked in a tracked folder
		"other/y.yml":         "other\n", // untracked, outside the root
	})
	run(t, dir, "add", "svc/docs/RUNBOOK.md")
	if err := os.Remove(filepath.Join(dir, "svc", "old.yml")); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name string
		root string
		ref  string
		want []string
	}{
		{
			name: "lists committed, staged, unstaged, untracked and deleted files relative to the project root",
			root: filepath.Join(dir, "svc"), ref: "main",
			want: []string{"docs/RUNBOOK.md", "grafana/x.json", "new.yml", "old.yml", "rules.yml", "scrape/m.prom"},
		},
		{
			name: "leaves out what was committed before the ref",
			root: filepath.Join(dir, "svc"), ref: "HEAD",
			want: []string{"docs/RUNBOOK.md", "grafana/x.json", "new.yml", "old.yml", "rules.yml"},
		},
		{
			name: "gives paths from the top when the root is the top",
			root: dir, ref: "HEAD",
			want: []string{"README.md", "other/y.yml", "svc/docs/RUNBOOK.md", "svc/grafana/x.json", "svc/new.yml", "svc/old.yml", "svc/rules.yml"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Changed(context.Background(), tt.root, tt.ref)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, slices.Sorted(maps.Keys(got))); diff != "" {
				t.Errorf("changed (-want +got):\n%s", diff)
			}
		})
	}

	t.Run("resolves a root reached through a symbolic link", func(t *testing.T) {
		link := filepath.Join(t.TempDir(), "link")
		if err := os.Symlink(filepath.Join(dir, "svc"), link); err != nil {
			t.Skip(err)
		}
		got, err := Changed(context.Background(), link, "HEAD")
		if err != nil {
			t.Fatal(err)
		}
		if !got["rules.yml"] || got["svc/rules.yml"] {
			t.Errorf("changed %v", slices.Sorted(maps.Keys(got)))
		}
	})
}

func TestChangedErrors(t *testing.T) {
	dir := repo(t, map[string]string{"a.yml": "a\n"})
	outside := t.TempDir()
	tests := []struct {
		name, root, ref, want string
	}{
		{name: "says when the root is not in a git repository", root: outside, ref: "main", want: outside + " is not in a git repository"},
		{name: "says when the ref is unknown", root: dir, ref: "nope", want: `unknown git ref "nope"`},
		{name: "rejects a ref that looks like an option", root: dir, ref: "--output=x", want: `unknown git ref "--output=x"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Changed(context.Background(), tt.root, tt.ref)
			if err == nil || err.Error() != tt.want {
				t.Errorf("error %v, want %q", err, tt.want)
			}
		})
	}
}

func TestFilter(t *testing.T) {
	at := func(file string) lint.Pos { return lint.Pos{File: file, Line: 1, Col: 1} }
	fs := []lint.Finding{
		{Message: "in a changed file", Pos: at("a.yml")},
		{Message: "about a changed file", Pos: at("dash.json"), Related: []lint.Related{{Pos: at("m.prom"), Message: "exported here"}}},
		{Message: "elsewhere", Pos: at("b.yml"), Related: []lint.Related{{Pos: at("c.yml")}}},
	}
	var got []string
	for _, f := range Filter(fs, map[string]bool{"a.yml": true, "m.prom": true}) {
		got = append(got, f.Message)
	}
	if diff := cmp.Diff([]string{"in a changed file", "about a changed file"}, got); diff != "" {
		t.Errorf("kept (-want +got):\n%s", diff)
	}
}
