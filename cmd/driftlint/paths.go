package main

import (
	"context"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/driftlint/driftlint/lint"
)

// view maps a project's paths (relative to its root, as findings and fingerprints name
// them) to the paths a format shows: text relative to the working directory, the formats
// that CI systems read relative to the repository's top folder.
type view struct {
	cwdRoot string // the project root relative to the working directory, slash-separated
	wd      string // the working directory and the project root, absolute, links resolved
	root    string
	topRoot string // the project root relative to the repository's top folder
	top     string // that top folder: the git top level, else the working directory
	// cfgPath is the config file as given on the command line when it lies outside the
	// root (--root with a trusted config from elsewhere): positions in it name it so.
	cfgPath string
	cfgTop  string // that config file relative to top
}

// newView computes the paths of a project rooted at cfg.Dir.
func newView(ctx context.Context, cfg *lint.Config) view {
	wd, err := os.Getwd()
	if err != nil {
		wd = "."
	}
	wd = realPath(wd)
	root := realPath(cfg.Dir)
	repoTop := gitTop(ctx, root)
	top := repoTop
	if top == "" {
		top = wd
	}
	v := view{wd: wd, root: root, cwdRoot: cwdRoot(ctx, wd, root, repoTop), topRoot: relSlash(top, root), top: top}
	if cfg.Path != "" {
		if pos := cfg.ProjectPos(lint.Pos{File: cfg.Path}); pos.File == cfg.Path {
			v.cfgPath = cfg.Path
			abs, _ := filepath.Abs(cfg.Path)
			v.cfgTop = relSlash(top, realPath(abs))
		}
	}
	return v
}

// cwdRoot is the project root as text shows it: relative to the working directory when
// it lies below it, or in the same repository; else absolute, as a path that climbs out of
// the user's repository into another folder reads worse than the folder itself.
func cwdRoot(ctx context.Context, wd, root, top string) string {
	rel := relSlash(wd, root)
	if rel != ".." && !strings.HasPrefix(rel, "../") {
		return rel
	}
	if top != "" && gitTop(ctx, wd) == top {
		return rel
	}
	return filepath.ToSlash(root)
}

func realPath(p string) string {
	abs, err := filepath.Abs(p)
	if err != nil {
		return p
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		return real
	}
	return abs
}

// relSlash is target relative to base, slash-separated; the absolute target when it cannot
// be made relative.
func relSlash(base, target string) string {
	rel, err := filepath.Rel(base, target)
	if err != nil {
		return filepath.ToSlash(target)
	}
	return filepath.ToSlash(rel)
}

// cwd is a project path as text shows it.
func (v view) cwd(file string) string {
	if file == "" || strings.Contains(file, "://") || file == v.cfgPath {
		return file
	}
	if path.IsAbs(v.cwdRoot) || path.IsAbs(file) {
		return join(v.cwdRoot, file)
	}
	return relSlash(v.wd, filepath.Join(v.root, filepath.FromSlash(file)))
}

// repo is a project path as the CI formats show it.
func (v view) repo(file string) string {
	switch {
	case file == "" || strings.Contains(file, "://"):
		return file
	case file == v.cfgPath && v.cfgPath != "":
		return v.cfgTop
	}
	return join(v.topRoot, file)
}

func join(dir, file string) string {
	if dir == "." || dir == "" || path.IsAbs(file) {
		return file
	}
	return path.Join(dir, file)
}

// rebase returns the findings with every position mapped by f.
func rebase(fs []lint.Finding, f func(string) string) []lint.Finding {
	out := make([]lint.Finding, len(fs))
	for i, x := range fs {
		x.Pos.File = f(x.Pos.File)
		if len(x.Related) > 0 {
			rel := make([]lint.Related, len(x.Related))
			for j, r := range x.Related {
				r.Pos.File = f(r.Pos.File)
				rel[j] = r
			}
			x.Related = rel
		}
		out[i] = x
	}
	return out
}
