package main

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/bmatcuk/doublestar/v4"
	"golang.org/x/mod/modfile"
	"golang.org/x/mod/module"

	"github.com/driftlint/driftlint/lint"
	"github.com/driftlint/driftlint/lint/load/source"
)

// maxFileSize bounds one file read from a tree; larger files (generated tables, fixtures)
// are skipped and counted.
const maxFileSize = 4 << 20

// snapshot is what one version of an exporter exports.
type snapshot struct {
	fams       map[string]*FamilyShape
	excuses    []string // sorted unique unresolved patterns
	unresolved int      // unresolved definitions
	files      int      // files read
	problems   int      // files that did not parse
	skipped    int      // files over maxFileSize
	why        []string // each unresolved definition: "file:line: pattern (reason)"
}

// FamilyShape is one family as one version defines it.
type FamilyShape struct {
	Type, Help string
	Labels     []string
}

// defaultSkip are globs never read: vendored code, test data and tests.
var defaultSkip = []string{
	"**/vendor/**", "vendor/**", "**/testdata/**", "testdata/**", "**/*_test.go",
	"**/test/**", "test/**", "**/tests/**", "tests/**", "**/e2e/**", "**/testutil/**",
}

// wanted reports whether a tree path is read for an exporter.
func wanted(e *ManifestExporter, p string) bool {
	if source.Lang(p) == "" && path.Base(p) != "go.mod" {
		return false
	}
	for _, g := range slices.Concat(defaultSkip, e.Skip) {
		if ok, _ := doublestar.Match(g, p); ok {
			return false
		}
	}
	if len(e.Paths) == 0 {
		return true
	}
	for _, g := range e.Paths {
		if ok, _ := doublestar.Match(g, p); ok {
			return true
		}
	}
	return false
}

// gitTree reads the files an exporter wants from a mirror at a commit. It fails when the
// mirror lacks the commit or the ref does not name it.
func gitTree(mirrors string, e *ManifestExporter, v ManifestVersion) ([]*lint.SourceFile, int, error) {
	gitDir := filepath.Join(mirrors, strings.Replace(e.Repo, "/", "+", 1), "repo")
	if _, err := os.Stat(gitDir); err != nil {
		return nil, 0, fmt.Errorf("%s: no mirror of %s at %s (fetch github:%s)", e.Name, e.Repo, gitDir, e.Repo)
	}
	if out, err := exec.Command("git", "--git-dir="+gitDir, "cat-file", "-e", v.Commit+"^{commit}").CombinedOutput(); err != nil {
		return nil, 0, fmt.Errorf("%s %s: mirror %s lacks the pinned commit %s: %v %s", e.Name, v.Name, gitDir, v.Commit, err, bytes.TrimSpace(out))
	}
	out, err := exec.Command("git", "--git-dir="+gitDir, "rev-parse", "--verify", "--quiet", v.Ref+"^{commit}").Output()
	if err != nil {
		return nil, 0, fmt.Errorf("%s %s: mirror %s has no ref %s", e.Name, v.Name, gitDir, v.Ref)
	}
	if got := strings.TrimSpace(string(out)); got != v.Commit {
		return nil, 0, fmt.Errorf("%s %s: ref %s is commit %s, the manifest pins %s", e.Name, v.Name, v.Ref, got, v.Commit)
	}
	cmd := exec.Command("git", "--git-dir="+gitDir, "archive", "--format=tar", v.Commit)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, 0, err
	}
	if err := cmd.Start(); err != nil {
		return nil, 0, err
	}
	var files []*lint.SourceFile
	skipped := 0
	tr := tar.NewReader(stdout)
	var readErr error
	for {
		h, err := tr.Next()
		if err != nil {
			if !errors.Is(err, io.EOF) {
				readErr = err
			}
			break
		}
		if h.Typeflag != tar.TypeReg || !wanted(e, h.Name) {
			continue
		}
		if h.Size > maxFileSize {
			skipped++
			continue
		}
		b, err := io.ReadAll(tr)
		if err != nil {
			readErr = err
			break
		}
		files = append(files, lint.NewSourceFile(h.Name, b))
	}
	_, _ = io.Copy(io.Discard, stdout)
	if err := cmd.Wait(); err != nil {
		return nil, 0, fmt.Errorf("%s %s: git archive: %v %s", e.Name, v.Name, err, bytes.TrimSpace(stderr.Bytes()))
	}
	if readErr != nil {
		return nil, 0, fmt.Errorf("%s %s: reading git archive: %w", e.Name, v.Name, readErr)
	}
	return files, skipped, nil
}

// gomodVersion returns the version of a module the main module's go.mod requires, and its
// go.sum line hash.
func gomodVersion(goMod, mod string) (version, sum string, err error) {
	b, err := os.ReadFile(goMod)
	if err != nil {
		return "", "", err
	}
	f, err := modfile.Parse(goMod, b, nil)
	if err != nil {
		return "", "", err
	}
	for _, r := range f.Require {
		if r.Mod.Path == mod {
			version = r.Mod.Version
		}
	}
	if version == "" {
		return "", "", fmt.Errorf("%s does not require %s", goMod, mod)
	}
	sums, err := os.ReadFile(filepath.Join(filepath.Dir(goMod), "go.sum"))
	if err != nil {
		return "", "", err
	}
	for line := range strings.Lines(string(sums)) {
		if fs := strings.Fields(line); len(fs) == 3 && fs[0] == mod && fs[1] == version {
			sum = fs[2]
		}
	}
	if sum == "" {
		return "", "", fmt.Errorf("go.sum has no line for %s %s", mod, version)
	}
	return version, sum, nil
}

// modTree reads the files an exporter wants from a module's zip in the module cache. It
// fails when the cache lacks it: the generator never downloads.
func modTree(modCache string, e *ManifestExporter, version string) ([]*lint.SourceFile, int, error) {
	esc, err := module.EscapePath(e.Module)
	if err != nil {
		return nil, 0, err
	}
	escV, err := module.EscapeVersion(version)
	if err != nil {
		return nil, 0, err
	}
	zipPath := filepath.Join(modCache, "cache", "download", filepath.FromSlash(esc), "@v", escV+".zip")
	zr, err := zip.OpenReader(zipPath)
	if err != nil {
		return nil, 0, fmt.Errorf("%s: module %s@%s is not in the module cache (%v); run go mod download in driftlint's module", e.Name, e.Module, version, err)
	}
	defer zr.Close()
	prefix := e.Module + "@" + version + "/"
	var files []*lint.SourceFile
	skipped := 0
	for _, zf := range zr.File {
		name, ok := strings.CutPrefix(zf.Name, prefix)
		if !ok || zf.FileInfo().IsDir() || !wanted(e, name) {
			continue
		}
		if zf.UncompressedSize64 > maxFileSize {
			skipped++
			continue
		}
		rc, err := zf.Open()
		if err != nil {
			return nil, 0, err
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			return nil, 0, fmt.Errorf("%s: %s: %w", e.Name, zf.Name, err)
		}
		files = append(files, lint.NewSourceFile(name, b))
	}
	slices.SortFunc(files, func(a, b *lint.SourceFile) int { return strings.Compare(a.Path, b.Path) })
	return files, skipped, nil
}

// readCode reads the metric definitions of a tree with driftlint's source readers.
func readCode(files []*lint.SourceFile) *snapshot {
	expos, probs := source.LoadFiles(files)
	s := &snapshot{fams: map[string]*FamilyShape{}, files: len(files), problems: len(probs)}
	var excuses []string
	for _, x := range expos {
		for _, name := range x.Order {
			f := x.Families[name]
			mergeFamily(s.fams, name, f.Type, f.Help, f.Labels)
		}
		if x.Code != nil {
			for _, u := range x.Code.Unresolved {
				s.unresolved++
				excuses = append(excuses, u.Pattern)
				s.why = append(s.why, fmt.Sprintf("%s: %s (%s)", u.At, u.Pattern, u.Reason))
			}
		}
	}
	slices.Sort(excuses)
	s.excuses = slices.Compact(excuses)
	return s
}

// mergeFamily adds a definition to a version's families: a name defined in several files
// (one per OS) keeps the first typed type and non-empty help, with every label.
func mergeFamily(fams map[string]*FamilyShape, name, typ, help string, labels []string) {
	f := fams[name]
	if f == nil {
		fams[name] = &FamilyShape{Type: typ, Help: help, Labels: sortedUnique(labels)}
		return
	}
	if f.Type == "untyped" && typ != "untyped" {
		f.Type = typ
	}
	if f.Help == "" {
		f.Help = help
	}
	f.Labels = sortedUnique(append(slices.Clone(f.Labels), labels...))
}

func sortedUnique(ls []string) []string {
	ls = slices.DeleteFunc(slices.Clone(ls), func(l string) bool { return l == "le" || l == "quantile" })
	slices.Sort(ls)
	return slices.Compact(ls)
}
