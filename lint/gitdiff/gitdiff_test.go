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

func TestChangedLines(t *testing.T) {
	rules := "groups:\n  - name: app\n    rules:\n      - alert: A\n        expr: a == 0\n      - alert: B\n        expr: b == 0\n"
	dir := repo(t, map[string]string{
		"svc/rules.yml":     rules,
		"svc/m.prom":        "x 1\ny 2\nz 3\n",
		"svc/gone.yml":      "g\n",
		"svc/with space.md": "one\ntwo\n",
		"svc/héllo.md":      "one\ntwo\n",
		"top.yml":           "t\n",
	})
	run(t, dir, "checkout", "-q", "-b", "feature")
	// Committed on the branch: line 5 changes; in the working tree: a line added after 7.
	write(t, dir, map[string]string{"svc/rules.yml": strings.Replace(rules, "a == 0", "a == 1", 1)})
	run(t, dir, "commit", "-q", "-am", "change A")
	write(t, dir, map[string]string{
		"svc/rules.yml":     strings.Replace(rules, "a == 0", "a == 1", 1) + "      - alert: C\n",
		"svc/m.prom":        "x 1\nz 3\n", // a deletion only
		"svc/with space.md": "one\n+++ b/two\n",
		"svc/héllo.md":      "one\nzwei\n",
		"svc/new.yml":       "n\nn\n",
		"top.yml":           "t2\n",
	})
	if err := os.Remove(filepath.Join(dir, "svc", "gone.yml")); err != nil {
		t.Fatal(err)
	}
	got, err := ChangedLines(context.Background(), filepath.Join(dir, "svc"), "main")
	if err != nil {
		t.Fatal(err)
	}
	want := Lines{
		"rules.yml":     {Ranges: [][2]int{{5, 5}, {8, 8}}},
		"m.prom":        {},
		"with space.md": {Ranges: [][2]int{{2, 2}}},
		"héllo.md":      {Ranges: [][2]int{{2, 2}}},
		"new.yml":       {All: true},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("changed lines (-want +got):\n%s", diff)
	}

	// Since HEAD, the commit on the branch is not a change: only the working tree's line 8.
	got, err = ChangedLines(context.Background(), filepath.Join(dir, "svc"), "HEAD")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(&FileLines{Ranges: [][2]int{{8, 8}}}, got["rules.yml"]); diff != "" {
		t.Errorf("rules.yml since HEAD (-want +got):\n%s", diff)
	}
}

func TestFilterLines(t *testing.T) {
	lines := Lines{"rules.yml": {Ranges: [][2]int{{5, 5}, {8, 9}}}, "m.prom": {}, "new.yml": {All: true}}
	at := func(file string, line int) lint.Pos { return lint.Pos{File: file, Line: line, Col: 1} }
	fs := []lint.Finding{
		{Message: "on a changed line", Pos: at("rules.yml", 5)},
		{Message: "on the last line of a run", Pos: at("rules.yml", 9)},
		{Message: "on an unchanged line of a changed file", Pos: at("rules.yml", 7)},
		{Message: "with a related position on a changed line", Pos: at("dash.json", 3), Related: []lint.Related{{Pos: at("rules.yml", 8)}}},
		{Message: "with a related position on an unchanged line", Pos: at("dash.json", 4), Related: []lint.Related{{Pos: at("rules.yml", 6)}}},
		{Message: "in a file with only deletions", Pos: at("m.prom", 1)},
		{Message: "about a whole file with only deletions", Pos: at("m.prom", 0)},
		{Message: "in an untracked file", Pos: at("new.yml", 40)},
		{Message: "at a URL", Pos: lint.Pos{File: "http://localhost:9100/metrics", Line: 3, Col: 1}},
		{Message: "at a URL, about a changed line", Pos: lint.Pos{File: "http://localhost:9100/metrics", Line: 3, Col: 1}, Related: []lint.Related{{Pos: at("new.yml", 1)}}},
	}
	var got []string
	for _, f := range FilterLines(fs, lines) {
		got = append(got, f.Message)
	}
	want := []string{"on a changed line", "on the last line of a run", "with a related position on a changed line", "about a whole file with only deletions", "in an untracked file", "at a URL, about a changed line"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("kept (-want +got):\n%s", diff)
	}
}

func TestParseDiff(t *testing.T) {
	diff := "diff --git a/a.yml b/a.yml\n--- a/a.yml\n+++ b/a.yml\n@@ -1 +1 @@\n-x\n+y\n@@ -3,0 +4,2 @@\n+++ b/fake.yml\n+@@ -1 +99 @@\n" +
		"diff --git a/d.yml b/d.yml\ndeleted file mode 100644\n--- a/d.yml\n+++ /dev/null\n@@ -1,2 +0,0 @@\n-a\n-b\n" +
		"diff --git a/n.yml b/n.yml\n--- a/n.yml\n+++ b/n.yml\n@@ -1 +1 @@\n-a\n\\ No newline at end of file\n+b\n\\ No newline at end of file\n" +
		"diff --git \"a/t\\tab.yml\" \"b/t\\tab.yml\"\n--- \"a/t\\tab.yml\"\n+++ \"b/t\\tab.yml\"\n@@ -2,3 +2,0 @@\n-a\n-b\n-c\n"
	want := map[string][][2]int{"a.yml": {{1, 1}, {4, 5}}, "n.yml": {{1, 1}}, "t\tab.yml": nil}
	if diff := cmp.Diff(want, parseDiff(diff)); diff != "" {
		t.Errorf("parseDiff (-want +got):\n%s", diff)
	}
}

func TestShallowClone(t *testing.T) {
	dir := repo(t, map[string]string{"svc/rules.yml": "a\n"})
	write(t, dir, map[string]string{"svc/rules.yml": "b\n"})
	run(t, dir, "commit", "-q", "-am", "second")
	run(t, dir, "branch", "old", "HEAD~1")
	clone := filepath.Join(t.TempDir(), "clone")
	run(t, dir, "clone", "-q", "--depth", "1", "--no-local", "file://"+filepath.ToSlash(dir), clone)
	tests := []struct{ name, ref, want string }{
		{name: "says to fetch more history when the ref is missing", ref: "origin/old", want: `unknown git ref "origin/old" in this shallow clone: ` + fetchMore},
		{name: "says to fetch more history when the merge base is missing", ref: "FETCH_HEAD", want: "the merge base of FETCH_HEAD and HEAD is not in this shallow clone: " + fetchMore},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.ref == "FETCH_HEAD" {
				// The ref's commit is present but not its history: fetched shallowly too.
				run(t, clone, "fetch", "-q", "--depth", "1", "origin", "old")
			}
			_, err := ChangedLines(context.Background(), filepath.Join(clone, "svc"), tt.ref)
			if err == nil || err.Error() != tt.want {
				t.Errorf("error %v, want %q", err, tt.want)
			}
		})
	}
}
