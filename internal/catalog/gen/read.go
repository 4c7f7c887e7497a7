package main

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strconv"
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
	unres      []unresolved
	excuses    []string // sorted unique unresolved patterns (set by finishExcuses)
	unresolved int      // unresolved definitions
	files      int      // files read
	problems   int      // files that did not parse
	skipped    int      // files over maxFileSize
	why        []string // each unresolved definition: "file:line: pattern (reason)"
}

// FamilyShape is one family as one version defines it.
type FamilyShape struct {
	Type, Help    string
	Labels        []string
	LabelsUnknown bool
}

// defaultSkip are globs never read: vendored code, test data and tests.
var defaultSkip = []string{
	"**/vendor/**", "vendor/**", "**/testdata/**", "testdata/**", "**/*_test.go",
	"**/test/**", "test/**", "**/tests/**", "tests/**", "**/e2e/**", "**/testutil/**",
}

// wanted reports whether a tree path is read for an exporter's code.
func wanted(paths, skip []string, p string) bool {
	if source.Lang(p) == "" && path.Base(p) != "go.mod" {
		return false
	}
	return matched(paths, skip, p)
}

// matched reports whether a tree path matches paths (all when empty) and no skip glob.
func matched(paths, skip []string, p string) bool {
	for _, g := range slices.Concat(defaultSkip, skip) {
		if ok, _ := doublestar.Match(g, p); ok {
			return false
		}
	}
	if len(paths) == 0 {
		return true
	}
	for _, g := range paths {
		if ok, _ := doublestar.Match(g, p); ok {
			return true
		}
	}
	return false
}

// gitTree reads the files an exporter wants from a mirror at a commit (those of its repo,
// then those of each tree in v.Also, their paths under @owner+name/). It fails when a
// mirror lacks the commit or the ref does not name it.
func gitTree(mirrors string, e *ManifestExporter, v ManifestVersion) ([]*lint.SourceFile, int, error) {
	paths := e.Paths
	if len(v.Paths) > 0 {
		paths = v.Paths
	}
	want := func(p string) bool { return wanted(paths, e.Skip, p) }
	if e.Reader != readerGit {
		want = func(p string) bool { return matched(paths, e.Skip, p) }
	}
	files, skipped, err := gitFiles(mirrors, e, e.Repo, v, want)
	if err != nil {
		return nil, 0, err
	}
	for _, a := range v.Also {
		fs, n, err := gitFiles(mirrors, e, a.Repo, ManifestVersion{Name: v.Name, Ref: a.Ref, Commit: a.Commit}, func(p string) bool { return wanted(a.Paths, nil, p) })
		if err != nil {
			return nil, 0, err
		}
		if len(fs) == 0 {
			return nil, 0, fmt.Errorf("%s %s: no file of %s matches %v", e.Name, v.Name, a.Repo, a.Paths)
		}
		for i, f := range fs {
			fs[i] = lint.NewSourceFile("@"+strings.Replace(a.Repo, "/", "+", 1)+"/"+f.Path, f.Src)
		}
		files = append(files, fs...)
		skipped += n
	}
	return files, skipped, nil
}

func gitFiles(mirrors string, e *ManifestExporter, repo string, v ManifestVersion, want func(string) bool) ([]*lint.SourceFile, int, error) {
	gitDir := filepath.Join(mirrors, strings.Replace(repo, "/", "+", 1), "repo")
	if _, err := os.Stat(gitDir); err != nil {
		return nil, 0, fmt.Errorf("%s: no mirror of %s at %s (fetch github:%s)", e.Name, repo, gitDir, repo)
	}
	if out, err := exec.Command("git", "--git-dir="+gitDir, "cat-file", "-e", v.Commit+"^{commit}").CombinedOutput(); err != nil {
		return nil, 0, fmt.Errorf("%s %s: mirror %s lacks the pinned commit %s: %w %s", e.Name, v.Name, gitDir, v.Commit, err, bytes.TrimSpace(out))
	}
	out, err := exec.Command("git", "--git-dir="+gitDir, "rev-parse", "--verify", "--quiet", v.Ref+"^{commit}").Output()
	if err != nil {
		return nil, 0, fmt.Errorf("%s %s: mirror %s has no ref %s", e.Name, v.Name, gitDir, v.Ref)
	}
	if got := strings.TrimSpace(string(out)); got != v.Commit {
		return nil, 0, fmt.Errorf("%s %s: ref %s is commit %s, the manifest pins %s", e.Name, v.Name, v.Ref, got, v.Commit)
	}
	// List the tree and read only the blobs wanted: a mirror may lack its largest blobs.
	out, err = exec.Command("git", "--git-dir="+gitDir, "ls-tree", "-r", "-l", "-z", "--full-tree", v.Commit).Output()
	if err != nil {
		return nil, 0, fmt.Errorf("%s %s: git ls-tree: %w", e.Name, v.Name, err)
	}
	var paths, ids []string
	skipped := 0
	for entry := range strings.SplitSeq(strings.TrimSuffix(string(out), "\x00"), "\x00") {
		// <mode> SP <type> SP <object> SP+ <size> TAB <path>
		meta, p, ok := strings.Cut(entry, "\t")
		fs := strings.Fields(meta)
		if !ok || len(fs) != 4 || fs[1] != "blob" || !want(p) {
			continue
		}
		if size, err := strconv.ParseInt(fs[3], 10, 64); err != nil || size > maxFileSize {
			skipped++
			continue
		}
		paths = append(paths, p)
		ids = append(ids, fs[2])
	}
	cmd := exec.Command("git", "--git-dir="+gitDir, "cat-file", "--batch")
	cmd.Stdin = strings.NewReader(strings.Join(ids, "\n") + "\n")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	blobs, err := cmd.Output()
	if err != nil {
		return nil, 0, fmt.Errorf("%s %s: git cat-file: %w %s", e.Name, v.Name, err, bytes.TrimSpace(stderr.Bytes()))
	}
	files := make([]*lint.SourceFile, 0, len(paths))
	for i, p := range paths {
		// <object> SP blob SP <size> LF <contents> LF, or <object> SP missing LF
		header, rest, _ := bytes.Cut(blobs, []byte("\n"))
		fs := strings.Fields(string(header))
		if len(fs) != 3 || fs[0] != ids[i] {
			return nil, 0, fmt.Errorf("%s %s: the mirror lacks %s (%s): %q", e.Name, v.Name, p, ids[i], header)
		}
		size, err := strconv.Atoi(fs[2])
		if err != nil || size+1 > len(rest) {
			return nil, 0, fmt.Errorf("%s %s: git cat-file: bad header %q", e.Name, v.Name, header)
		}
		files = append(files, lint.NewSourceFile(p, rest[:size:size]))
		blobs = rest[size+1:]
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

// openModZip opens the zip of a module version in the module cache and returns the prefix
// its file names start with (module@version/). It fails when the cache lacks it: the
// generator never downloads.
func openModZip(modCache string, e *ManifestExporter, version string) (*zip.ReadCloser, string, error) {
	esc, err := module.EscapePath(e.Module)
	if err != nil {
		return nil, "", err
	}
	escV, err := module.EscapeVersion(version)
	if err != nil {
		return nil, "", err
	}
	zipPath := filepath.Join(modCache, "cache", "download", filepath.FromSlash(esc), "@v", escV+".zip")
	zr, err := zip.OpenReader(zipPath)
	if err != nil {
		return nil, "", fmt.Errorf("%s: module %s@%s is not in the module cache (%w); run go mod download in driftlint's module", e.Name, e.Module, version, err)
	}
	return zr, e.Module + "@" + version + "/", nil
}

// modTree reads the files an exporter wants from a module's zip in the module cache. It
// fails when the cache lacks it: the generator never downloads.
func modTree(modCache string, e *ManifestExporter, version string) ([]*lint.SourceFile, int, error) {
	zr, prefix, err := openModZip(modCache, e, version)
	if err != nil {
		return nil, 0, err
	}
	defer zr.Close()
	var files []*lint.SourceFile
	skipped := 0
	for _, zf := range zr.File {
		name, ok := strings.CutPrefix(zf.Name, prefix)
		if !ok || zf.FileInfo().IsDir() || !wanted(e.Paths, e.Skip, name) {
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

// unresolved is one definition whose name the reader could not work out.
type unresolved struct {
	file, pattern string
}

// finishExcuses sets the excuse globs from the unresolved definitions left.
func (s *snapshot) finishExcuses() {
	var ex []string
	for _, u := range s.unres {
		ex = append(ex, u.pattern)
	}
	slices.Sort(ex)
	s.excuses = slices.Compact(ex)
}

// rewrite applies an exporter's rewrites to the files read; a rewrite that changes no file
// is an error (the manifest is stale).
func rewrite(e *ManifestExporter, files []*lint.SourceFile) ([]*lint.SourceFile, error) {
	for _, r := range e.Rewrite {
		n := 0
		for i, f := range files {
			if strings.Contains(f.Text(), r.From) {
				files[i] = lint.NewSourceFile(f.Path, []byte(strings.ReplaceAll(f.Text(), r.From, r.To)))
				n++
			}
		}
		if n == 0 {
			return nil, fmt.Errorf("%s: rewrite %q matches no file", e.Name, r.From)
		}
	}
	return files, nil
}

// readCode reads the metric definitions of a tree with driftlint's source readers.
func readCode(files []*lint.SourceFile) *snapshot {
	expos, probs := source.LoadFiles(files)
	s := &snapshot{fams: map[string]*FamilyShape{}, files: len(files), problems: len(probs)}
	for _, x := range expos {
		for _, name := range x.Order {
			f := x.Families[name]
			mergeFamily(s.fams, name, f.Type, f.Help, f.Labels)
			if x.Code != nil && x.Code.Defs[name] != nil && x.Code.Defs[name].LabelsUnknown {
				s.fams[name].LabelsUnknown = true
			}
		}
		if x.Code != nil {
			for _, u := range x.Code.Unresolved {
				s.unresolved++
				s.unres = append(s.unres, unresolved{u.At.File, u.Pattern})
				s.why = append(s.why, fmt.Sprintf("%s: %s (%s)", u.At, u.Pattern, u.Reason))
			}
		}
	}
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
