// Package catalog is driftlint's built-in catalogue of well-known exporters: the metric
// families each one exports, by version, read from the exporter's own upstream code (or
// docs) at pinned commits by the generator in internal/catalog/gen and embedded here as
// data. A project that names an exporter in its config gets its families as definitions.
//
// The data is two kinds of file under data/: index.json lists the exporters (name,
// aliases, repository, source kind, catalogued versions with ref and commit), and one text
// file per exporter (format.go) holds its families (name, type, help, sorted label names, the versions that
// export them as since/until, the new name of a renamed family) and, per version, the
// excuse globs of the definitions whose names the reader could not work out. Decoding is
// lazy: the index once, an exporter's families on first use.
//
// Versions: each catalogued version has a name ("1.8", usually the release's major.minor)
// and a ref ("v1.8.2"). A requested version matches a catalogued one by name, by ref (with or
// without a leading v), or, for a requested X.Y.Z, by the name X.Y; anything else is unknown.
package catalog

//go:generate go run ../../internal/catalog/gen -mirrors /work/.mirror

import (
	"embed"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"unsafe"
)

//go:embed data/index.json data/*.tsv
var data embed.FS

// Family is one metric family an exporter exports in a range of its catalogued versions.
type Family struct {
	Name, Type, Help string   // Type as the exposition format spells it: counter, gauge, histogram, summary, untyped, info, stateset
	Labels           []string // sorted label names (no le/quantile)
	Since, Until     string   // catalogued version names; Since "" = in the first catalogued version; Until "" = still exported in the latest
	RenamedTo        string   // for a family that was renamed (Until set): the new name, from the hand corrections data
	// LabelsUnknown is set when the exporter's code builds label names at run time (a
	// label slice in a variable): Labels then holds only the names the code spells out, and
	// another label name is not wrong.
	LabelsUnknown bool
}

// Version is one catalogued version of an exporter.
type Version struct {
	Name   string // "1.8"
	Ref    string // the tag read: "v1.8.2"
	Commit string // the 40-hex commit read; "" when Module is set
	// Module is set for a version read from the Go module cache (a module go.mod pins, whose
	// proxy zip carries no commit): "github.com/prometheus/prometheus@v0.316.0 h1:…".
	Module string
}

// Exporter is one catalogued exporter.
type Exporter struct {
	Name    string              // config name: "node-exporter", "kube-state-metrics", "kubernetes", "client-golang", …
	Aliases map[string][]string // alias → the name prefixes it selects ("kubelet" → ["kubelet_"], …); nil for most
	// OwnsNames is set for a client library's defaults (client-golang, go-runtime,
	// client-java, client-python): go_, jvm_ and process_ are shared with other libraries,
	// so the exporter owns its names only, not their name spaces.
	OwnsNames  bool
	Repo       string    // "prometheus/node_exporter"
	SourceKind string    // "code", "docs", "test-exposition", "kubernetes-documentation-list"
	Versions   []Version // ascending; the last is the latest

	file   string
	once   sync.Once
	fams   []Family
	spans  [][2]int // per family: index of Since and Until in Versions (Until len(Versions) when "")
	excuse map[string][]string
	err    error
}

// indexFile is data/index.json.
type indexFile struct {
	Exporters []struct {
		Name       string              `json:"name"`
		Aliases    map[string][]string `json:"aliases,omitempty"`
		OwnsNames  bool                `json:"owns_names_only,omitempty"`
		Repo       string              `json:"repo"`
		SourceKind string              `json:"source_kind"`
		Versions   []struct {
			Name   string `json:"name"`
			Ref    string `json:"ref"`
			Commit string `json:"commit,omitempty"`
			Module string `json:"module,omitempty"`
		} `json:"versions"`
		Data string `json:"data"`
	} `json:"exporters"`
}

type index struct {
	list   []*Exporter
	byName map[string]*Exporter
	alias  map[string]aliasOf
	err    error
}

type aliasOf struct {
	e        *Exporter
	prefixes []string
}

var loadIndex = sync.OnceValue(loadIndexOnce)

func loadIndexOnce() *index {
	ix := &index{byName: map[string]*Exporter{}, alias: map[string]aliasOf{}}
	b, err := data.ReadFile("data/index.json")
	if err != nil {
		ix.err = err
		return ix
	}
	var f indexFile
	if err := json.Unmarshal(b, &f); err != nil {
		ix.err = fmt.Errorf("catalog index: %w", err)
		return ix
	}
	for _, x := range f.Exporters {
		e := &Exporter{Name: x.Name, Aliases: x.Aliases, OwnsNames: x.OwnsNames, Repo: x.Repo, SourceKind: x.SourceKind, file: x.Data}
		for _, v := range x.Versions {
			e.Versions = append(e.Versions, Version(v))
		}
		ix.list = append(ix.list, e)
		ix.byName[e.Name] = e
		for a, ps := range e.Aliases {
			ix.alias[a] = aliasOf{e, ps}
		}
	}
	slices.SortFunc(ix.list, func(a, b *Exporter) int { return strings.Compare(a.Name, b.Name) })
	return ix
}

// Exporters returns every catalogued exporter, sorted by name. It decodes only the index.
func Exporters() []*Exporter { return slices.Clone(loadIndex().list) }

// Selects reports whether an alias' name prefixes (from Lookup) select a family name; no
// prefixes select every name.
func Selects(prefixes []string, name string) bool {
	return len(prefixes) == 0 || slices.ContainsFunc(prefixes, func(p string) bool { return strings.HasPrefix(name, p) })
}

// Lookup finds an exporter by its config name or by an alias; for an alias, prefixes are
// the name prefixes it selects.
func Lookup(name string) (e *Exporter, prefixes []string, ok bool) {
	ix := loadIndex()
	if e := ix.byName[name]; e != nil {
		return e, nil, true
	}
	if a, ok := ix.alias[name]; ok {
		return a.e, slices.Clone(a.prefixes), true
	}
	return nil, nil, false
}

// decode reads the exporter's data file once.
func (e *Exporter) decode() error {
	e.once.Do(func() {
		b, err := data.ReadFile("data/" + e.file)
		if err != nil {
			e.err = fmt.Errorf("catalog %s: %w", e.Name, err)
			return
		}
		// ReadFile returns a copy nobody else holds: the families' strings share it.
		d, err := DecodeData(unsafe.String(unsafe.SliceData(b), len(b)))
		if err != nil {
			e.err = fmt.Errorf("catalog %s: %w", e.Name, err)
			return
		}
		e.excuse = d.Excuses
		e.fams = d.Families
		e.spans = make([][2]int, len(d.Families))
		for i, f := range d.Families {
			since, until := 0, len(e.Versions)
			if f.Since != "" {
				since = e.versionIndex(f.Since)
			}
			if f.Until != "" {
				until = e.versionIndex(f.Until)
			}
			if since < 0 || until < 0 {
				e.err = fmt.Errorf("catalog %s: family %s names a version not catalogued (%q, %q)", e.Name, f.Name, f.Since, f.Until)
				return
			}
			e.spans[i] = [2]int{since, until}
		}
	})
	return e.err
}

// versionIndex returns the index of the catalogued version named name, or -1.
func (e *Exporter) versionIndex(name string) int {
	return slices.IndexFunc(e.Versions, func(v Version) bool { return v.Name == name })
}

// Resolve returns the index in Versions of a requested version: "" is the latest; a name,
// a ref with or without its leading v, or X.Y.Z for the version named X.Y. An unknown
// version is an error listing the known ones.
func (e *Exporter) Resolve(version string) (int, error) {
	if version == "" {
		return len(e.Versions) - 1, nil
	}
	want := strings.TrimPrefix(version, "v")
	for i, v := range e.Versions {
		if v.Name == version || v.Name == want || strings.TrimPrefix(v.Ref, "v") == want {
			return i, nil
		}
	}
	if parts := strings.Split(want, "."); len(parts) == 3 {
		if i := e.versionIndex(parts[0] + "." + parts[1]); i >= 0 {
			return i, nil
		}
	}
	names := make([]string, len(e.Versions))
	for i, v := range e.Versions {
		names[i] = v.Name
	}
	return -1, fmt.Errorf("%s has no catalogued version %q; known: %s", e.Name, version, strings.Join(names, ", "))
}

// Families returns the families the exporter exports in a version (Since ≤ version <
// Until), sorted by name; "" is the latest. See Resolve for how versions match.
func (e *Exporter) Families(version string) ([]Family, error) {
	vi, err := e.Resolve(version)
	if err != nil {
		return nil, err
	}
	if err := e.decode(); err != nil {
		return nil, err
	}
	var out []Family
	for i, f := range e.fams {
		if s := e.spans[i]; s[0] <= vi && vi < s[1] {
			out = append(out, f)
		}
	}
	return out, nil
}

// AllFamilies returns every family of any catalogued version, sorted by name (a name whose
// type or labels changed between versions appears once per range). A name that existed in
// any version is defined. It returns nil when the data cannot be decoded (the integrity test
// guards against that).
func (e *Exporter) AllFamilies() []Family {
	if e.decode() != nil {
		return nil
	}
	return slices.Clone(e.fams)
}

// Excuses returns the excuse globs of a version ("" = the latest): the name patterns of the
// definitions whose names the generator's reader could not work out, so that a name one of
// them matches is unverifiable rather than unknown. Nil for an unknown version.
func (e *Exporter) Excuses(version string) []string {
	vi, err := e.Resolve(version)
	if err != nil || e.decode() != nil {
		return nil
	}
	return slices.Clone(e.excuse[e.Versions[vi].Name])
}
