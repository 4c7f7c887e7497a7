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
	"strings"

	"github.com/driftlint/driftlint/lint"
)

// Changed returns the files under root that changed since ref, as slash-separated paths
// relative to root (the project root): what changed between the merge base of ref and HEAD
// and the working tree (committed on this branch, staged or not), plus untracked files that
// .gitignore does not exclude. Deleted files are included. Errors are one line: root is not
// in a git repository, ref is unknown, git is missing.
func Changed(ctx context.Context, root, ref string) (map[string]bool, error) {
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
	if _, err := git(ctx, top, "rev-parse", "--verify", "--quiet", ref+"^{commit}"); err != nil {
		return nil, fmt.Errorf("unknown git ref %q", ref)
	}
	base := ref
	if mb, err := git(ctx, top, "merge-base", ref, "HEAD"); err == nil {
		base = strings.TrimSpace(mb)
	} // without a merge base (unrelated histories, or no commit yet on HEAD), diff against ref
	diff, err := git(ctx, top, "diff", "--name-only", "-z", "--no-renames", "--no-ext-diff", base, "--")
	if err != nil {
		return nil, fmt.Errorf("git diff %s: %w", ref, err)
	}
	untracked, err := git(ctx, top, "ls-files", "--others", "--exclude-standard", "-z")
	if err != nil {
		return nil, fmt.Errorf("git ls-files: %w", err)
	}
	prefix, err := rootPrefix(top, root)
	if err != nil {
		return nil, err
	}
	out := map[string]bool{}
	for _, list := range []string{diff, untracked} {
		for p := range strings.SplitSeq(list, "\x00") {
			if p == "" {
				continue
			}
			if rel, ok := strings.CutPrefix(p, prefix); ok {
				out[rel] = true
			}
		}
	}
	return out, nil
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
