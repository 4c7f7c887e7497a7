package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"

	"github.com/driftlint/driftlint/lint"
)

// target is one project to run, found from the command line's paths.
type target struct {
	dir    string   // the folder whose config is used (or that is discovered): absolute
	config string   // the config file, "" for discovery
	keep   []string // absolute paths whose findings are kept; nil keeps every finding
	args   []string // the paths as given, for messages
}

// gitTop returns the top folder of the git work tree that holds dir, or "" outside git (or
// without git).
func gitTop(ctx context.Context, dir string) string {
	out, err := exec.CommandContext(ctx, "git", "-C", dir, "rev-parse", "--show-toplevel").Output()
	if err != nil {
		return ""
	}
	top := strings.TrimSpace(string(out))
	if real, err := filepath.EvalSymlinks(top); err == nil {
		top = real
	}
	return top
}

// findConfigUp looks for the config in dir and its parents up to the git top level (not
// beyond it); outside git only dir is looked at. It returns the config file and its
// folder, or "" when there is none.
func findConfigUp(ctx context.Context, dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		abs = real
	}
	top := gitTop(ctx, abs)
	for d := abs; ; {
		p := filepath.Join(d, lint.ConfigFile)
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			return p, nil
		} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return "", fmt.Errorf("config %s: %w", p, err)
		}
		if top == "" || d == top {
			return "", nil
		}
		parent := filepath.Dir(d)
		if parent == d || !strings.HasPrefix(d, top) {
			return "", nil
		}
		d = parent
	}
}

// groupArgs turns check's paths into projects. A folder holding a config is a project,
// checked whole. A file, or a folder inside a project, selects the project whose config is
// found upward and keeps the findings in it (or with a related position in it), unless it
// is the config, a saved scrape or a known_metrics file, which change findings everywhere.
// A folder with no config up to the git top level is discovered as today; a file that
// belongs to no project is left out, and said so in notes. With --config every path belongs
// to that one project.
func groupArgs(ctx context.Context, args []string, explicit string) (targets []*target, notes []string, err error) {
	if len(args) == 0 {
		args = []string{"."}
	}
	byConfig := map[string]*target{}
	var orphans []string
	for _, a := range args {
		st, err := os.Stat(a)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", a, unwrapPath(err))
		}
		abs, err := filepath.Abs(a)
		if err != nil {
			return nil, nil, err
		}
		if real, err := filepath.EvalSymlinks(abs); err == nil {
			abs = real
		}
		cfg := explicit
		dir := abs
		if !st.IsDir() {
			dir = filepath.Dir(abs)
		}
		if cfg == "" {
			if cfg, err = findConfigUp(ctx, dir); err != nil {
				return nil, nil, err
			}
			cfg = displayPath(cfg)
		}
		if cfg == "" && !st.IsDir() {
			orphans = append(orphans, a)
			continue
		}
		key := cfg
		projectDir, _ := filepath.Abs(filepath.Dir(cfg))
		if cfg == "" {
			key, projectDir = "discover:"+abs, abs
		} else if explicit != "" {
			projectDir = dir
			if st.IsDir() {
				projectDir = abs
			}
		}
		t := byConfig[key]
		if t == nil {
			t = &target{dir: projectDir, config: cfg, keep: []string{}}
			byConfig[key] = t
			targets = append(targets, t)
		}
		t.args = append(t.args, a)
		whole := cfg == "" || (st.IsDir() && filepath.Join(abs, lint.ConfigFile) == cfg) || (explicit != "" && st.IsDir() && len(args) == 1)
		if !st.IsDir() && sameFile(abs, cfg) {
			whole = true
		}
		if whole {
			t.keep = nil
		} else if t.keep != nil {
			t.keep = append(t.keep, abs)
		}
	}
	if len(orphans) > 0 {
		verb, their := "belong", "their"
		if len(orphans) == 1 {
			verb, their = "belongs", "its"
		}
		notes = append(notes, fmt.Sprintf("skipped %d %s that %s to no project (no %s in %s folder or above it, up to the git top level): %s",
			len(orphans), plural(len(orphans), "file"), verb, lint.ConfigFile, their, strings.Join(orphans, ", ")))
	}
	return targets, notes, nil
}

func sameFile(a, b string) bool {
	if b == "" {
		return false
	}
	sa, err1 := os.Stat(a)
	sb, err2 := os.Stat(b)
	return err1 == nil && err2 == nil && os.SameFile(sa, sb)
}

func unwrapPath(err error) error {
	if pe, ok := errors.AsType[*fs.PathError](err); ok {
		return pe.Err
	}
	return err
}

// keepFilter returns the project-relative paths (files and folders) of t.keep inside root,
// and whether the project must not be filtered because one of them is an input that
// changes findings everywhere (a saved scrape or a known_metrics file).
func (t *target) keepFilter(cfg *lint.Config) (keep []string, whole bool) {
	if t.keep == nil {
		return nil, true
	}
	for _, k := range t.keep {
		rel, err := filepath.Rel(cfg.Dir, k)
		if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			if real, err2 := filepath.EvalSymlinks(cfg.Dir); err2 == nil {
				rel, err = filepath.Rel(real, k)
			}
			if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
				continue // outside the root: nothing of the project is in it
			}
		}
		rel = filepath.ToSlash(rel)
		if rel == "." {
			return nil, true
		}
		if globalInput(cfg, rel) {
			return nil, true
		}
		keep = append(keep, rel)
	}
	slices.Sort(keep)
	return keep, false
}

// globalInput reports whether rel is an input whose change can move findings in any file:
// a saved scrape, a health sample or schema, or a known_metrics file.
func globalInput(cfg *lint.Config, rel string) bool {
	for _, e := range cfg.Exposition {
		if e.File == rel {
			return true
		}
	}
	for _, h := range cfg.Health {
		if h.File == rel || h.Schema == rel {
			return true
		}
	}
	for _, g := range cfg.KnownMetrics {
		if ok, _ := filepath.Match(g, rel); ok || g == rel {
			return true
		}
	}
	return false
}

// inKeep reports whether the project-relative file is one of keep or below one of them.
func inKeep(keep []string, file string) bool {
	for _, k := range keep {
		if file == k || strings.HasPrefix(file, k+"/") {
			return true
		}
	}
	return false
}

// keepFindings keeps the findings in the kept paths, or with a related position in them.
func keepFindings(fs []lint.Finding, keep []string) []lint.Finding {
	var out []lint.Finding
	for _, f := range fs {
		ok := inKeep(keep, f.Pos.File)
		for _, r := range f.Related {
			ok = ok || inKeep(keep, r.Pos.File)
		}
		if ok {
			out = append(out, f)
		}
	}
	return out
}
