package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing/fstest"

	"github.com/driftlint/driftlint/internal/catalog/gen/docread"
	"github.com/driftlint/driftlint/lint"
)

// readDocs reads a version's docs or golden expositions with the docread readers.
func readDocs(e *ManifestExporter, files []*lint.SourceFile) (*snapshot, error) {
	fsys := fstest.MapFS{}
	paths := make([]string, len(files))
	for i, f := range files {
		fsys[f.Path] = &fstest.MapFile{Data: f.Src}
		paths[i] = f.Path
	}
	var fams []docread.Family
	var warns []string
	var err error
	switch e.Reader {
	case readerMarkdown:
		fams, warns, err = docread.Markdown(fsys, paths)
	case readerExpo:
		fams, warns, err = docread.Exposition(fsys, paths)
	case readerExpoMD:
		fams, warns, err = docread.ExpositionBlocks(fsys, paths)
	default:
		return nil, fmt.Errorf("%s: reader %s reads no tree", e.Name, e.Reader)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", e.Name, err)
	}
	s := docSnapshot(e, fams, warns)
	s.files = len(files)
	return s, nil
}

// readK8sList reads Kubernetes' documentation list saved at MIRRORS/owner+name/FILE, after
// checking its sha256 and that FILE.source records the pinned commit.
func readK8sList(mirrors string, e *ManifestExporter, v ManifestVersion) (*snapshot, error) {
	file := filepath.Join(mirrors, strings.Replace(e.Repo, "/", "+", 1), v.File)
	src, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", e.Name, v.Name, err)
	}
	if sum := sha256.Sum256(src); hex.EncodeToString(sum[:]) != v.SHA256 {
		return nil, fmt.Errorf("%s %s: %s has sha256 %x, the manifest pins %s", e.Name, v.Name, file, sum, v.SHA256)
	}
	meta, err := os.ReadFile(file + ".source")
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w (it records the commit the file was read at)", e.Name, v.Name, err)
	}
	if !bytes.Contains(meta, []byte("commit: "+v.Commit+"\n")) {
		return nil, fmt.Errorf("%s %s: %s.source does not record the pinned commit %s", e.Name, v.Name, file, v.Commit)
	}
	fams, warns, err := docread.KubernetesList(src)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", e.Name, v.Name, err)
	}
	s := docSnapshot(e, fams, warns)
	s.files = 1
	return s, nil
}

// docSnapshot turns docread's families into a version's families. A type the source does
// not give (a custom collector) is untyped; a label written with an upper-case placeholder
// (label_POD_LABEL) stands for names built at run time, so the family's labels are unknown.
func docSnapshot(e *ManifestExporter, fams []docread.Family, warns []string) *snapshot {
	s := &snapshot{fams: map[string]*FamilyShape{}, problems: len(warns), why: warns}
	for _, f := range fams {
		typ := f.Type
		switch typ {
		case "", "gaugehistogram":
			typ = "untyped"
		}
		mergeFamily(s.fams, f.Name, typ, f.Help, f.Labels)
		if e.LabelsUnknown || strings.ContainsFunc(strings.Join(f.Labels, ""), func(r rune) bool { return r >= 'A' && r <= 'Z' }) {
			s.fams[f.Name].LabelsUnknown = true
		}
	}
	return s
}

// readGolden reads a version's golden expositions (the manifest's golden paths) and merges
// their families named by the golden names into s, after the corrections: a golden file
// is the exporter's real output, so its names are families, its type replaces an untyped
// one and its label names join the code's. A version none of whose files match is an
// error, so that a moved fixture is noticed.
func readGolden(mirrors string, e *ManifestExporter, v ManifestVersion, s *snapshot) error {
	g := e.Golden
	files, _, err := gitFiles(mirrors, e, e.Repo, v, func(p string) bool { return matched(g.Paths, nil, p) })
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return fmt.Errorf("%s %s: no golden file matches %v", e.Name, v.Name, g.Paths)
	}
	fsys := fstest.MapFS{}
	paths := make([]string, len(files))
	for i, f := range files {
		fsys[f.Path] = &fstest.MapFile{Data: f.Src}
		paths[i] = f.Path
	}
	fams, warns, err := docread.Exposition(fsys, paths)
	if err != nil {
		return fmt.Errorf("%s %s: %w", e.Name, v.Name, err)
	}
	s.problems += len(warns)
	s.why = append(s.why, warns...)
	s.files += len(files)
	goldenMerge(s.fams, fams, g.Names)
	return nil
}

// goldenMerge merges golden families whose names match one of the globs names into fams.
func goldenMerge(fams map[string]*FamilyShape, golden []docread.Family, names []string) {
	for _, f := range golden {
		if !slices.ContainsFunc(names, func(glob string) bool { ok, _ := path.Match(glob, f.Name); return ok }) {
			continue
		}
		typ := f.Type
		if typ == "" || typ == "gaugehistogram" {
			typ = "untyped"
		}
		mergeFamily(fams, f.Name, typ, f.Help, f.Labels)
	}
}
