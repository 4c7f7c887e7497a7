// Package gitdiff finds the files changed since a git ref, for check --changed-since, with
// the git command on PATH. It does no linting: Filter keeps the findings that are in, or
// about, a changed file.
package gitdiff

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/driftlint/driftlint/lint"
)

// Changed returns the files under root that changed since ref, as slash-separated paths
// relative to root (the project root): what changed between the merge base of ref and HEAD
// and the working tree (committed on this branch, staged or not), plus untracked files that
// .gitignore does not exclude. Deleted files are included. Errors are one line: root is not
// in a git repository, ref is unknown, git is missing, a shallow clone lacks ref or the merge
// base.
func Changed(ctx context.Context, root, ref string) (map[string]bool, error) {
	r, err := open(ctx, root, ref)
	if err != nil {
		return nil, err
	}
	diff, err := git(ctx, r.top, "diff", "--name-only", "-z", "--no-renames", "--no-ext-diff", r.base, "--")
	if err != nil {
		return nil, fmt.Errorf("git diff %s: %w", ref, err)
	}
	untracked, err := r.untracked(ctx)
	if err != nil {
		return nil, err
	}
	out := map[string]bool{}
	for p := range strings.SplitSeq(diff, "\x00") {
		if rel, ok := r.rel(p); ok {
			out[rel] = true
		}
	}
	for _, p := range untracked {
		out[p] = true
	}
	return out, nil
}

// checkout is a project root inside a git repository, with the commit to diff against.
type checkout struct {
	top    string // the repository's top folder
	base   string // the merge base of the ref and HEAD (the ref itself without one)
	prefix string // the root relative to top, with a final slash; "" when they are one
}

// open finds the repository that holds root and resolves ref and its merge base with HEAD.
func open(ctx context.Context, root, ref string) (*checkout, error) {
	if _, err := exec.LookPath("git"); err != nil {
		return nil, errors.New("git is not on PATH")
	}
	top, err := git(ctx, root, "rev-parse", "--show-toplevel")
	if err != nil {
		return nil, fmt.Errorf("%s is not in a git repository", root)
	}
	top = strings.TrimSpace(top)
	if strings.HasPrefix(ref, "-") || ref == "" {
		return nil, fmt.Errorf("unknown git ref %q", ref)
	}
	shallow := func() bool {
		out, err := git(ctx, top, "rev-parse", "--is-shallow-repository")
		return err == nil && strings.TrimSpace(out) == "true"
	}
	if _, err := git(ctx, top, "rev-parse", "--verify", "--quiet", ref+"^{commit}"); err != nil {
		if shallow() {
			return nil, fmt.Errorf("unknown git ref %q in this shallow clone: %s", ref, fetchMore)
		}
		return nil, fmt.Errorf("unknown git ref %q", ref)
	}
	base := ref
	if mb, err := git(ctx, top, "merge-base", ref, "HEAD"); err == nil {
		base = strings.TrimSpace(mb)
	} else if shallow() {
		return nil, fmt.Errorf("the merge base of %s and HEAD is not in this shallow clone: %s", ref, fetchMore)
	} // without a merge base (unrelated histories, or no commit yet on HEAD), diff against ref
	prefix, err := rootPrefix(top, root)
	if err != nil {
		return nil, err
	}
	return &checkout{top: top, base: base, prefix: prefix}, nil
}

// fetchMore says how to get the history a shallow clone lacks.
const fetchMore = "fetch more history (git fetch --unshallow, or fetch-depth: 0 on actions/checkout)"

// rel turns a path relative to the top folder into one relative to the root; ok is false
// for a path outside the root.
func (r *checkout) rel(p string) (string, bool) {
	if p == "" {
		return "", false
	}
	return strings.CutPrefix(p, r.prefix)
}

// untracked lists the untracked files under the root that .gitignore does not exclude,
// relative to the root.
func (r *checkout) untracked(ctx context.Context) ([]string, error) {
	out, err := git(ctx, r.top, "ls-files", "--others", "--exclude-standard", "-z")
	if err != nil {
		return nil, fmt.Errorf("git ls-files: %w", err)
	}
	var files []string
	for p := range strings.SplitSeq(out, "\x00") {
		if rel, ok := r.rel(p); ok {
			files = append(files, rel)
		}
	}
	return files, nil
}

// rootPrefix is root's path relative to the repository's top folder, with a final slash
// ("" when root is the top): git prints paths from the top.
func rootPrefix(top, root string) (string, error) {
	absRoot, err := filepath.Abs(root)
	if err != nil {
		return "", err
	}
	// git prints the top with symbolic links resolved; resolve the root the same way.
	if r, err := filepath.EvalSymlinks(absRoot); err == nil {
		absRoot = r
	}
	if t, err := filepath.EvalSymlinks(top); err == nil {
		top = t
	}
	rel, err := filepath.Rel(top, absRoot)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", fmt.Errorf("%s is not inside the git repository at %s", root, top)
	}
	if rel == "." {
		return "", nil
	}
	return filepath.ToSlash(rel) + "/", nil
}

// git runs git in dir and returns its standard output; an error carries git's first line
// of standard error.
func git(ctx context.Context, dir string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, "git", args...)
	cmd.Dir = dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		if msg, _, _ := strings.Cut(strings.TrimSpace(stderr.String()), "\n"); msg != "" {
			return "", errors.New(msg)
		}
		return "", err
	}
	return stdout.String(), nil
}

// Touches reports whether a finding is in a changed file, or has a related position in one:
// the other side of a cross-file drift changed (an exposition renamed a metric that a
// dashboard still uses).
func Touches(f lint.Finding, changed map[string]bool) bool {
	if changed[f.Pos.File] {
		return true
	}
	for _, r := range f.Related {
		if changed[r.Pos.File] {
			return true
		}
	}
	return false
}

// Filter keeps the findings that touch a changed file, in order.
func Filter(fs []lint.Finding, changed map[string]bool) []lint.Finding {
	var out []lint.Finding
	for _, f := range fs {
		if Touches(f, changed) {
			out = append(out, f)
		}
	}
	return out
}

// Lines are the changed lines of the changed files under a project root, by slash-separated
// path relative to the root, for check --new-from-rev.
type Lines map[string]*FileLines

// FileLines are one file's changed lines.
type FileLines struct {
	All    bool     // the file is untracked: every line is new
	Ranges [][2]int // first and last line of each run of added or changed lines, in order
}

// ChangedLines returns the lines under root that changed since the merge base of ref and
// HEAD, as golangci-lint's --new-from-rev reads them: the hunks of git diff -U0 between the
// merge base and the working tree (new and changed lines; a deletion changes no line that is
// left), plus every line of the untracked files that .gitignore does not exclude. A file with
// only deletions is present without ranges. Errors are Changed's.
func ChangedLines(ctx context.Context, root, ref string) (Lines, error) {
	r, err := open(ctx, root, ref)
	if err != nil {
		return nil, err
	}
	diff, err := git(ctx, r.top, "-c", "core.quotePath=false", "diff", "-U0", "--no-color", "--no-textconv", "--no-ext-diff", "--no-renames",
		"--src-prefix=a/", "--dst-prefix=b/", r.base, "--")
	if err != nil {
		return nil, fmt.Errorf("git diff %s: %w", ref, err)
	}
	untracked, err := r.untracked(ctx)
	if err != nil {
		return nil, err
	}
	out := Lines{}
	for p, ranges := range parseDiff(diff) {
		if rel, ok := r.rel(p); ok {
			out[rel] = &FileLines{Ranges: ranges}
		}
	}
	for _, p := range untracked {
		out[p] = &FileLines{All: true}
	}
	return out, nil
}

// parseDiff reads the new side of a unified diff with no context lines: for each file that
// is not deleted, the runs of lines its hunks add, by path relative to the top folder.
func parseDiff(diff string) map[string][][2]int {
	out := map[string][][2]int{}
	file := ""
	skip := 0 // lines of the current hunk's body still to skip
	for line := range strings.SplitSeq(diff, "\n") {
		if skip > 0 {
			if !strings.HasPrefix(line, "\\") { // "\ No newline at end of file" is not counted
				skip--
			}
			continue
		}
		switch {
		case strings.HasPrefix(line, "diff --git "):
			file = ""
		case strings.HasPrefix(line, "+++ "):
			file = diffPath(line[len("+++ "):])
			if _, seen := out[file]; file != "" && !seen {
				out[file] = nil // a file with only deletions is changed, on no line
			}
		case strings.HasPrefix(line, "@@ "):
			oldN, newStart, newN, ok := hunkHeader(line)
			if !ok {
				continue
			}
			skip = oldN + newN
			if file != "" && newN > 0 {
				out[file] = append(out[file], [2]int{newStart, newStart + newN - 1})
			}
		}
	}
	return out
}

// diffPath is the path of a +++ line without its b/ prefix, unquoted; "" for /dev/null.
func diffPath(s string) string {
	if strings.HasPrefix(s, `"`) {
		if u, err := strconv.Unquote(s); err == nil {
			s = u
		}
	} else {
		s = strings.TrimSuffix(s, "\t") // git ends names with a space in them with a tab
	}
	p, ok := strings.CutPrefix(s, "b/")
	if !ok {
		return ""
	}
	return p
}

// hunkHeader reads "@@ -a[,b] +c[,d] @@…": the old side's line count b, and the new side's
// first line c and count d (a count left out is 1).
func hunkHeader(line string) (oldN, newStart, newN int, ok bool) {
	fields := strings.Fields(line)
	if len(fields) < 3 || !strings.HasPrefix(fields[1], "-") || !strings.HasPrefix(fields[2], "+") {
		return 0, 0, 0, false
	}
	span := func(s string) (start, n int, ok bool) {
		a, b, has := strings.Cut(s, ",")
		start, err := strconv.Atoi(a)
		if err != nil {
			return 0, 0, false
		}
		n = 1
		if has {
			if n, err = strconv.Atoi(b); err != nil {
				return 0, 0, false
			}
		}
		return start, n, true
	}
	_, oldN, ok1 := span(fields[1][1:])
	newStart, newN, ok2 := span(fields[2][1:])
	return oldN, newStart, newN, ok1 && ok2
}

// Has reports whether pos is on a changed line. A whole-file position (line 0) is changed
// when its file is; a URL position (a live scrape) never is.
func (l Lines) Has(pos lint.Pos) bool {
	fl := l[pos.File]
	if fl == nil || strings.Contains(pos.File, "://") {
		return false
	}
	if fl.All || pos.Line == 0 {
		return true
	}
	for _, r := range fl.Ranges {
		if pos.Line >= r[0] && pos.Line <= r[1] {
			return true
		}
	}
	return false
}

// Touches reports whether a finding is on a changed line, or has a related position on one:
// the other side of the drift changed.
func (l Lines) Touches(f lint.Finding) bool {
	if l.Has(f.Pos) {
		return true
	}
	for _, r := range f.Related {
		if l.Has(r.Pos) {
			return true
		}
	}
	return false
}

// FilterLines keeps the findings that touch a changed line, in order.
func FilterLines(fs []lint.Finding, l Lines) []lint.Finding {
	var out []lint.Finding
	for _, f := range fs {
		if l.Touches(f) {
			out = append(out, f)
		}
	}
	return out
}
