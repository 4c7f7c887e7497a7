// Command gen generates driftlint's exporters catalogue (lint/catalog/data) from the
// exporters' upstream code at the commits manifest.yaml pins, read with driftlint's own
// source readers, plus the hand corrections of corrections.yaml. See docs/catalog.md.
//
//	go run ./internal/catalog/gen -mirrors /work/.mirror [-only node-exporter,etcd]
//
// Mirrors are bare git repositories at MIRRORS/owner+name/repo; a mirror that lacks a
// pinned commit is an error, as is a module go.mod pins that the module cache lacks. The
// output is deterministic: a second run writes the same bytes.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"

	"github.com/driftlint/driftlint/lint/catalog"
)

type options struct {
	mirrors  string
	modCache string // GOMODCACHE, for reader gomod
	goMod    string // driftlint's go.mod, for reader gomod
	only     []string
	log      io.Writer
	verbose  bool // log each unresolved definition
}

// indexEntry is one exporter of data/index.json.
type indexEntry struct {
	Name       string              `json:"name"`
	Aliases    map[string][]string `json:"aliases,omitempty"`
	OwnsNames  bool                `json:"owns_names_only,omitempty"`
	Repo       string              `json:"repo"`
	SourceKind string              `json:"source_kind"`
	Versions   []indexVersion      `json:"versions"`
	Data       string              `json:"data"`
}

type indexVersion struct {
	Name   string `json:"name"`
	Ref    string `json:"ref"`
	Commit string `json:"commit,omitempty"`
	Module string `json:"module,omitempty"`
}

// generate reads every exporter of the manifest (or those of o.only) and returns the data
// files by name: index.json and one file per exporter read.
func generate(m *Manifest, corr []Correction, o options) (map[string][]byte, error) {
	if err := checkCorrectionVersions(m, corr); err != nil {
		return nil, err
	}
	for _, n := range o.only {
		if !slices.ContainsFunc(m.Exporters, func(e *ManifestExporter) bool { return e.Name == n }) {
			return nil, fmt.Errorf("-only %s: not in the manifest", n)
		}
	}
	out := map[string][]byte{}
	var index []indexEntry
	for _, e := range m.Exporters {
		ie := indexEntry{Name: e.Name, Aliases: e.Aliases, OwnsNames: e.OwnsNames != "", Repo: e.Repo, SourceKind: e.Kind, Data: dataFile(e.Name)}
		versions := slices.Clone(e.Versions)
		var module string
		mod := -1 // the version go.mod pins (reader gomod: the one without a commit)
		if e.Reader == readerGomod || e.Reader == readerClientGo || e.Reader == readerGoRun {
			mod = slices.IndexFunc(versions, func(v ManifestVersion) bool { return v.Commit == "" })
			v, sum, err := gomodVersion(o.goMod, e.Module)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", e.Name, err)
			}
			versions[mod].Ref = v
			module = e.Module + "@" + v + " " + sum
			if e.Reader == readerGoRun { // every version is a file of the one module version
				for i := range versions {
					versions[i].Ref = v
				}
			}
		}
		for i, v := range versions {
			iv := indexVersion{Name: v.Name, Ref: v.Ref, Commit: v.Commit}
			if i == mod || e.Reader == readerGoRun {
				iv.Module = module
			}
			ie.Versions = append(ie.Versions, iv)
		}
		index = append(index, ie)
		if len(o.only) > 0 && !slices.Contains(o.only, e.Name) {
			continue
		}
		d, err := readExporter(e, versions, corr, o)
		if err != nil {
			return nil, err
		}
		b, err := d.Encode(names(versions))
		if err != nil {
			return nil, err
		}
		out[ie.Data] = b
	}
	slices.SortFunc(index, func(a, b indexEntry) int { return strings.Compare(a.Name, b.Name) })
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", " ")
	if err := enc.Encode(map[string]any{"exporters": index}); err != nil {
		return nil, err
	}
	out["index.json"] = b.Bytes()
	return out, nil
}

// readExporter reads every version of an exporter and builds its data.
func readExporter(e *ManifestExporter, versions []ManifestVersion, corr []Correction, o options) (*catalog.ExporterData, error) {
	d := &catalog.ExporterData{Excuses: map[string][]string{}}
	var names []string
	var snaps []*snapshot
	for _, v := range versions {
		var s *snapshot
		switch e.Reader {
		case readerClientGo:
			var err error
			if s, err = clientGoDefaults(e.Go); err != nil {
				return nil, err
			}
		case readerGomod:
			if v.Commit != "" { // an older version, read from the mirror
				files, skipped, err := gitTree(o.mirrors, e, v)
				if err != nil {
					return nil, err
				}
				s = readCode(files)
				s.skipped = skipped
				break
			}
			files, skipped, err := modTree(o.modCache, e, v.Ref)
			if err != nil {
				return nil, err
			}
			s = readCode(files)
			s.skipped = skipped
		case readerK8sList:
			var err error
			if s, err = readK8sList(o.mirrors, e, v); err != nil {
				return nil, err
			}
		case readerGoRun:
			var err error
			if s, err = readGoRuntime(o.modCache, e, v.Ref, v); err != nil {
				return nil, err
			}
		default:
			files, skipped, err := gitTree(o.mirrors, e, v)
			if err != nil {
				return nil, err
			}
			if files, err = rewrite(e, files); err != nil {
				return nil, err
			}
			if e.Reader == readerGit {
				s = readCode(files)
			} else if s, err = readDocs(e, files); err != nil {
				return nil, err
			}
			s.skipped = skipped
		}
		if err := applyVersionCorrections(e, v.Name, s, corr); err != nil {
			return nil, err
		}
		if e.Golden != nil {
			if err := readGolden(o.mirrors, e, v, s); err != nil {
				return nil, err
			}
		}
		if len(s.excuses) > 0 {
			d.Excuses[v.Name] = s.excuses
		}
		if o.log != nil {
			fmt.Fprintf(o.log, "%s %s (%s): %d files, %d families, %d unresolved definitions (%d excuse globs), %d parse problems or reader warnings, %d files too large\n",
				e.Name, v.Name, v.Ref, s.files, len(s.fams), s.unresolved, len(s.excuses), s.problems, s.skipped)
		}
		if o.verbose && o.log != nil {
			for _, w := range s.why {
				fmt.Fprintf(o.log, "  %s\n", w)
			}
		}
		if len(s.fams) == 0 {
			return nil, fmt.Errorf("%s %s: no families read: check the manifest's paths", e.Name, v.Name)
		}
		names = append(names, v.Name)
		snaps = append(snaps, s)
	}
	d.Families = ranges(names, snaps)
	if err := applyRenames(e.Name, names, d.Families, corr); err != nil {
		return nil, err
	}
	return d, nil
}

func names(vs []ManifestVersion) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = v.Name
	}
	return out
}

// moduleRoot finds driftlint's module root from the working directory.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if b, err := os.ReadFile(filepath.Join(dir, "go.mod")); err == nil && bytes.Contains(b, []byte("module github.com/driftlint/driftlint\n")) {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("not inside the driftlint module")
		}
		dir = parent
	}
}

func main() {
	if err := run(os.Args[1:], os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(args []string, log io.Writer) error {
	root, err := moduleRoot()
	if err != nil {
		return err
	}
	fs := flag.NewFlagSet("gen", flag.ContinueOnError)
	mirrors := fs.String("mirrors", "", "folder of bare mirrors, MIRRORS/owner+name/repo (required)")
	manifest := fs.String("manifest", filepath.Join(root, "internal/catalog/gen/manifest.yaml"), "manifest file")
	corrections := fs.String("corrections", filepath.Join(root, "internal/catalog/gen/corrections.yaml"), "hand corrections file")
	outDir := fs.String("out", filepath.Join(root, "lint/catalog/data"), "output folder")
	only := fs.String("only", "", "comma-separated exporters to regenerate (the others' data files are kept)")
	verbose := fs.Bool("v", false, "log each unresolved definition")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *mirrors == "" {
		return errors.New("-mirrors is required")
	}
	m, err := readManifest(*manifest)
	if err != nil {
		return err
	}
	corr, err := readCorrections(*corrections)
	if err != nil {
		return err
	}
	modCache, err := exec.Command("go", "env", "GOMODCACHE").Output()
	if err != nil {
		return fmt.Errorf("go env GOMODCACHE: %w", err)
	}
	o := options{mirrors: *mirrors, modCache: strings.TrimSpace(string(modCache)), goMod: filepath.Join(root, "go.mod"), log: log, verbose: *verbose}
	if *only != "" {
		o.only = strings.Split(*only, ",")
	}
	files, err := generate(m, corr, o)
	if err != nil {
		return err
	}
	return writeData(*outDir, files, len(o.only) == 0)
}

// writeData writes the data files; with prune, it removes the .tsv files no exporter
// wrote.
func writeData(dir string, files map[string][]byte, prune bool) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if prune {
		old, err := filepath.Glob(filepath.Join(dir, "*.tsv"))
		if err != nil {
			return err
		}
		for _, f := range old {
			if _, ok := files[filepath.Base(f)]; !ok {
				if err := os.Remove(f); err != nil {
					return err
				}
			}
		}
	}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			return err
		}
	}
	return nil
}
