// Package runbook resolves runbook links onto the project's files: relative paths, published
// runbook sites mapped onto a local folder (runbook_urls), folder index pages, and heading
// anchors. Rules use it to check runbook_url annotations and links inside runbooks without
// doing I/O: the list of files on disk is read once by the loader (ListFiles) and kept in
// lint.Project.KnownPaths.
package runbook

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/driftlint/driftlint/lint"
)

// MaxFiles bounds the files ListFiles records; a larger tree is an error.
const MaxFiles = 1_000_000

// ListFiles returns every regular file under root as a slash-separated path relative to
// root, leaving out paths that match an ignore glob (as the config's ignore: matches them:
// the glob itself or anything below it) and .git folders. Symbolic links whose target is
// inside root are followed, folders once (a link that leads back into a folder being walked
// is skipped); links that lead out of root are not: nothing outside the project is listed.
func ListFiles(root string, ignore []string) (map[string]bool, error) {
	top, err := filepath.EvalSymlinks(root)
	if err != nil {
		return nil, fmt.Errorf("list files: %w", err)
	}
	w := &walker{top: top, ignore: ignore, out: map[string]bool{}, active: map[string]bool{}}
	if err := w.walk(top, ""); err != nil {
		return nil, err
	}
	return w.out, nil
}

type walker struct {
	top    string // the root, links resolved: links that lead out of it are not followed
	ignore []string
	out    map[string]bool
	active map[string]bool // real paths of the folders being walked, against link cycles
}

var errTooMany = fmt.Errorf("list files: more than %d files", MaxFiles)

// walk lists the folder dir (a real path) whose project-relative path is rel.
func (w *walker) walk(dir, rel string) error {
	if w.active[dir] {
		return nil
	}
	w.active[dir] = true
	defer delete(w.active, dir)
	entries, err := os.ReadDir(dir)
	if err != nil {
		if rel == "" {
			return fmt.Errorf("list files: %w", err)
		}
		return nil // an unreadable sub-folder is simply not listed
	}
	for _, e := range entries {
		name := e.Name()
		p := name
		if rel != "" {
			p = rel + "/" + name
		}
		if lint.IgnoredPath(w.ignore, p) {
			continue
		}
		abs := filepath.Join(dir, name)
		mode := e.Type()
		if mode&fs.ModeSymlink != 0 {
			target, err := filepath.EvalSymlinks(abs)
			if err != nil || !inside(w.top, target) {
				continue // a dangling link, or one that leads out of the project root
			}
			st, err := os.Stat(target)
			if err != nil {
				continue
			}
			if st.IsDir() {
				if err := w.dir(target, p, name); err != nil {
					return err
				}
			} else if st.Mode().IsRegular() {
				if err := w.file(p); err != nil {
					return err
				}
			}
			continue
		}
		switch {
		case mode.IsDir():
			if err := w.dir(abs, p, name); err != nil {
				return err
			}
		case mode.IsRegular():
			if err := w.file(p); err != nil {
				return err
			}
		}
	}
	return nil
}

func (w *walker) dir(abs, rel, name string) error {
	if name == ".git" {
		return nil
	}
	return w.walk(abs, rel)
}

func (w *walker) file(rel string) error {
	if len(w.out) >= MaxFiles {
		return errTooMany
	}
	w.out[rel] = true
	return nil
}

// inside reports whether the real path p is dir or below it.
func inside(dir, p string) bool {
	rel, err := filepath.Rel(dir, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}
