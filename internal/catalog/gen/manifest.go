package main

import (
	"errors"
	"fmt"
	"os"
	"regexp"
	"slices"

	"go.yaml.in/yaml/v3"
)

// Manifest is manifest.yaml: what the generator reads.
type Manifest struct {
	Exporters []*ManifestExporter `yaml:"exporters"`
	// Pending names exporters another reader supplies (docs tables, test expositions, the
	// Kubernetes list) that are not generated yet: corrections for them are kept, not
	// applied, instead of failing.
	Pending []string `yaml:"pending"`
}

// ManifestExporter is one exporter of the manifest.
type ManifestExporter struct {
	Name    string              `yaml:"name"`
	Repo    string              `yaml:"repo"` // owner/name; the mirror is MIRRORS/owner+name/repo
	Kind    string              `yaml:"kind"` // source kind recorded: code, docs, test-exposition, kubernetes-documentation-list
	Reader  string              `yaml:"reader"`
	Aliases map[string][]string `yaml:"aliases"`
	// OwnsNames is set for a client library's defaults (go_, jvm_, process_ families): the
	// name spaces are shared with other libraries, so the exporter owns only its names, with
	// the reason.
	OwnsNames string `yaml:"owns_names_only"`
	// Module is the Go module path for reader "gomod": the version go.mod pins (the
	// last, with no ref or commit) is read from the module cache, older versions from
	// the mirror at their commits.
	Module string `yaml:"module"`
	// Go is the Go toolchain reader client-go must run on (go1.26.8): the Go collector's
	// families are the linked runtime's.
	Go string `yaml:"go"`
	// Paths are doublestar globs of the files to read (default: every file); Skip globs
	// are left out on top of the defaults (vendor, testdata, tests).
	Paths []string `yaml:"paths"`
	Skip  []string `yaml:"skip"`
	// LabelsUnknown marks every family as having label names the source does not list
	// (cAdvisor's metrics table has no label column).
	LabelsUnknown bool `yaml:"labels_unknown"`
	// Golden names golden test output in the text exposition format in the tree (reader
	// git only), read with docread.Exposition as a second source and merged with the
	// code read (goldenMerge): Paths are doublestar globs of the files, Names globs of the
	// family names taken (the exporter's own, not the client library's or fixture data).
	Golden *struct {
		Paths  []string `yaml:"paths"`
		Names  []string `yaml:"names"`
		Reason string   `yaml:"reason"`
	} `yaml:"golden"`
	Versions []ManifestVersion `yaml:"versions"`
	// Rewrite are literal text replacements made in every file read, each with a reason:
	// a library's own files import it relatively (from .metrics_core import …), which
	// the readers do not take for the library a user imports.
	Rewrite []struct {
		From   string `yaml:"from"`
		To     string `yaml:"to"`
		Reason string `yaml:"reason"`
	} `yaml:"rewrite"`
}

// ManifestVersion is one pinned version.
type ManifestVersion struct {
	Name   string `yaml:"name"`
	Ref    string `yaml:"ref"`
	Commit string `yaml:"commit"`
	// Paths replaces the exporter's paths for this version (docs moved between versions).
	Paths []string `yaml:"paths"`
	// File and SHA256 name the saved file reader kubernetes-list reads
	// (MIRRORS/owner+name/FILE, with FILE.source recording the commit it was read at).
	File   string `yaml:"file"`
	SHA256 string `yaml:"sha256"`
	// Also are other repositories' trees read with this version: the code of a library
	// the exporter links that registers metrics with the exporter's registry (the version
	// its go.mod requires), with the reason.
	Also []struct {
		Repo   string   `yaml:"repo"`
		Ref    string   `yaml:"ref"`
		Commit string   `yaml:"commit"`
		Paths  []string `yaml:"paths"`
		Reason string   `yaml:"reason"`
	} `yaml:"also"`
}

// Readers.
const (
	readerGit      = "git"             // the mirror's tree at the pinned commit, read by lint/load/source
	readerGomod    = "gomod"           // the module go.mod pins, from the module cache, read by lint/load/source
	readerClientGo = "client-go"       // the client_golang linked into the generator: its default collectors
	readerGoRun    = "go-runtime"      // client_golang's per-Go-version runtime metric lists, in the module go.mod pins
	readerMarkdown = "docs-markdown"   // metric tables of Markdown docs in the mirror's tree (docread.Markdown)
	readerExpo     = "exposition"      // golden text expositions in the mirror's tree (docread.Exposition)
	readerExpoMD   = "docs-exposition" // exposition text in Markdown docs' fenced code blocks (docread.ExpositionBlocks)
	readerK8sList  = "kubernetes-list" // Kubernetes' documentation-list.yaml saved beside the mirrors (docread.KubernetesList)
)

var (
	exporterNameRE = regexp.MustCompile(`^[a-z][a-z0-9-]*$`)
	commitRE       = regexp.MustCompile(`^[0-9a-f]{40}$`)
	repoRE         = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]*/[A-Za-z0-9][A-Za-z0-9_.-]*$`)
)

var sourceKinds = []string{"code", "docs", "test-exposition", "kubernetes-documentation-list"}

// readManifest reads and checks a manifest file.
func readManifest(file string) (*Manifest, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	var m Manifest
	if err := yaml.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	if err := m.check(); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	return &m, nil
}

func (m *Manifest) check() error {
	var errs []error
	seen := map[string]bool{}
	for _, e := range m.Exporters {
		bad := func(format string, args ...any) {
			errs = append(errs, fmt.Errorf("exporter %q: "+format, append([]any{e.Name}, args...)...))
		}
		if !exporterNameRE.MatchString(e.Name) {
			bad("name must be lower-case kebab-case")
		}
		if seen[e.Name] {
			bad("listed twice")
		}
		seen[e.Name] = true
		if !repoRE.MatchString(e.Repo) {
			bad("repo %q is not owner/name", e.Repo)
		}
		if !slices.Contains(sourceKinds, e.Kind) {
			bad("kind %q is not one of %v", e.Kind, sourceKinds)
		}
		switch e.Reader {
		case "", readerGit, readerMarkdown, readerExpo, readerExpoMD:
			if e.Reader == "" {
				e.Reader = readerGit
			}
			if e.Reader != readerGit && len(e.Paths) == 0 && slices.ContainsFunc(e.Versions, func(v ManifestVersion) bool { return len(v.Paths) == 0 }) {
				bad("reader %s needs paths", e.Reader)
			}
			if len(e.Versions) == 0 {
				bad("no versions")
			}
			for _, v := range e.Versions {
				if v.Name == "" || v.Ref == "" || !commitRE.MatchString(v.Commit) {
					bad("version %+v needs a name, a ref and a 40-hex commit", v)
				}
				for _, a := range v.Also {
					if !repoRE.MatchString(a.Repo) || a.Ref == "" || !commitRE.MatchString(a.Commit) || len(a.Paths) == 0 || a.Reason == "" {
						bad("version %s: also %+v needs a repo, a ref, a 40-hex commit, paths and a reason", v.Name, a)
					}
				}
			}
		case readerGomod:
			// The last version is the one go.mod pins (a name; the ref comes from go.mod);
			// older ones are read from the mirror at a pinned commit.
			last := len(e.Versions) - 1
			if e.Module == "" || last < 0 || e.Versions[last].Name == "" || e.Versions[last].Ref != "" || e.Versions[last].Commit != "" {
				bad("reader gomod needs a module and a last version with a name only (the ref comes from go.mod)")
			}
			for _, v := range e.Versions[:max(last, 0)] {
				if v.Name == "" || v.Ref == "" || !commitRE.MatchString(v.Commit) {
					bad("version %+v before the go.mod one needs a name, a ref and a 40-hex commit", v)
				}
			}
		case readerK8sList:
			for _, v := range e.Versions {
				if v.Name == "" || v.Ref == "" || !commitRE.MatchString(v.Commit) || v.File == "" || len(v.SHA256) != 64 {
					bad("version %+v needs a name, a ref, a 40-hex commit, a file and its sha256", v)
				}
			}
		case readerClientGo:
			if e.Module == "" || e.Go == "" || len(e.Versions) != 1 || e.Versions[0].Name == "" {
				bad("reader client-go needs a module, a go version and one version with a name")
			}
		case readerGoRun:
			for _, v := range e.Versions {
				if e.Module == "" || v.Name == "" || v.Ref != "" || v.Commit != "" || len(v.Paths) != 1 {
					bad("reader go-runtime needs a module and versions of a name and one path each (the module version comes from go.mod)")
				}
			}
		default:
			bad("unknown reader %q", e.Reader)
		}
		if g := e.Golden; g != nil && (e.Reader != readerGit || len(g.Paths) == 0 || len(g.Names) == 0 || g.Reason == "") {
			bad("golden needs reader git, paths, names and a reason")
		}
		for _, r := range e.Rewrite {
			if r.From == "" || r.Reason == "" {
				bad("a rewrite needs from and a reason")
			}
		}
		names := map[string]bool{}
		for _, v := range e.Versions {
			if names[v.Name] {
				bad("version %q listed twice", v.Name)
			}
			names[v.Name] = true
		}
	}
	for _, p := range m.Pending {
		if seen[p] {
			errs = append(errs, fmt.Errorf("exporter %q is both generated and pending", p))
		}
	}
	return errors.Join(errs...)
}
