package catalog

import (
	"regexp"
	"slices"
	"strings"
	"testing"
)

var (
	commitRE = regexp.MustCompile(`^[0-9a-f]{40}$`)
	nameRE   = regexp.MustCompile(`^[a-zA-Z_:][a-zA-Z0-9_:]*$`)
	types    = []string{"counter", "gauge", "histogram", "summary", "untyped", "info", "stateset"}
	kinds    = []string{"code", "docs", "test-exposition", "kubernetes-documentation-list"}
)

// TestIntegrity checks the embedded data: every exporter has a repository, a source kind
// and pinned versions; every family a valid name and type, sorted labels, known versions;
// each version's families are sorted with unique names.
func TestIntegrity(t *testing.T) {
	if err := loadIndex().err; err != nil {
		t.Fatal(err)
	}
	es := Exporters()
	if len(es) == 0 {
		t.Fatal("the catalogue is empty")
	}
	if !slices.IsSortedFunc(es, func(a, b *Exporter) int { return strings.Compare(a.Name, b.Name) }) {
		t.Error("Exporters() is not sorted by name")
	}
	aliases := map[string]string{}
	for _, e := range es {
		if e.Repo == "" || !strings.Contains(e.Repo, "/") {
			t.Errorf("%s: repo %q", e.Name, e.Repo)
		}
		if !slices.Contains(kinds, e.SourceKind) {
			t.Errorf("%s: source kind %q", e.Name, e.SourceKind)
		}
		if len(e.Versions) == 0 {
			t.Errorf("%s: no versions", e.Name)
		}
		seenV := map[string]bool{}
		for _, v := range e.Versions {
			if v.Name == "" || v.Ref == "" || seenV[v.Name] {
				t.Errorf("%s: version %+v: empty or repeated name, or no ref", e.Name, v)
			}
			seenV[v.Name] = true
			// A version read from a git mirror has its commit; one read from the module
			// cache (pinned by go.mod, whose proxy zip has no commit) its module and sum.
			if !commitRE.MatchString(v.Commit) && (v.Commit != "" || !strings.Contains(v.Module, "@"+v.Ref+" h1:")) {
				t.Errorf("%s %s: commit %q, module %q: want a 40-hex commit or a module@ref h1: sum", e.Name, v.Name, v.Commit, v.Module)
			}
		}
		for a := range e.Aliases {
			if other, ok := aliases[a]; ok {
				t.Errorf("alias %s of both %s and %s", a, other, e.Name)
			}
			aliases[a] = e.Name
			if got, prefixes, ok := Lookup(a); !ok || got != e || len(prefixes) == 0 {
				t.Errorf("Lookup(%q) = %v, %v, %v", a, got, prefixes, ok)
			}
		}
		if got, prefixes, ok := Lookup(e.Name); !ok || got != e || prefixes != nil {
			t.Errorf("Lookup(%q) = %v, %v, %v", e.Name, got, prefixes, ok)
		}
		all := e.AllFamilies()
		if len(all) == 0 {
			t.Errorf("%s: no families (or undecodable data: %v)", e.Name, e.decode())
		}
		if !slices.IsSortedFunc(all, func(a, b Family) int { return strings.Compare(a.Name, b.Name) }) {
			t.Errorf("%s: families not sorted by name", e.Name)
		}
		for _, f := range all {
			if !nameRE.MatchString(f.Name) {
				t.Errorf("%s: family name %q", e.Name, f.Name)
			}
			if !slices.Contains(types, f.Type) {
				t.Errorf("%s: %s: type %q", e.Name, f.Name, f.Type)
			}
			if !slices.IsSorted(f.Labels) || len(slices.Compact(slices.Clone(f.Labels))) != len(f.Labels) ||
				slices.Contains(f.Labels, "le") || slices.Contains(f.Labels, "quantile") {
				t.Errorf("%s: %s: labels %v not sorted, unique, without le and quantile", e.Name, f.Name, f.Labels)
			}
			if f.RenamedTo != "" && f.Until == "" {
				t.Errorf("%s: %s renamed to %s but still exported", e.Name, f.Name, f.RenamedTo)
			}
			if (f.Since != "" && !seenV[f.Since]) || (f.Until != "" && !seenV[f.Until]) {
				t.Errorf("%s: %s: since %q until %q: not catalogued versions", e.Name, f.Name, f.Since, f.Until)
			}
		}
		for _, v := range e.Versions {
			fams, err := e.Families(v.Name)
			if err != nil {
				t.Fatal(err)
			}
			names := make([]string, len(fams))
			for i, f := range fams {
				names[i] = f.Name
			}
			if !slices.IsSorted(names) || len(slices.Compact(slices.Clone(names))) != len(names) {
				t.Errorf("%s %s: family names not sorted and unique", e.Name, v.Name)
			}
			ex := e.Excuses(v.Name)
			if !slices.IsSorted(ex) || len(slices.Compact(slices.Clone(ex))) != len(ex) {
				t.Errorf("%s %s: excuses not sorted and unique", e.Name, v.Name)
			}
		}
	}
}

func TestFamiliesVersions(t *testing.T) {
	ne, _, ok := Lookup("node-exporter")
	if !ok {
		t.Skip("no node-exporter in the catalogue")
	}
	has := func(version, name string) bool {
		t.Helper()
		fams, err := ne.Families(version)
		if err != nil {
			t.Fatal(err)
		}
		return slices.ContainsFunc(fams, func(f Family) bool { return f.Name == name })
	}
	tests := []struct {
		name, version, family string
		want                  bool
	}{
		{"the old name is exported before the 0.16 renames", "0.15", "node_cpu", true},
		{"the old name is gone in 0.16", "0.16", "node_cpu", false},
		{"the new name is not exported before 0.16", "0.15", "node_cpu_seconds_total", false},
		{"the new name is exported from 0.16", "0.16", "node_cpu_seconds_total", true},
		{"the latest is the default", "", "node_cpu_seconds_total", true},
		{"a patch release selects its minor", "0.16.0", "node_cpu_seconds_total", true},
		{"a ref with its v selects the version", "v0.15.2", "node_cpu", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := has(tt.version, tt.family); got != tt.want {
				t.Errorf("%s in %q = %v, want %v", tt.family, tt.version, got, tt.want)
			}
		})
	}
	i := slices.IndexFunc(ne.AllFamilies(), func(f Family) bool { return f.Name == "node_cpu" })
	if i < 0 {
		t.Fatal("AllFamilies lacks node_cpu, a name of an older version")
	}
	if got := ne.AllFamilies()[i].RenamedTo; got != "node_cpu_seconds_total" {
		t.Errorf("node_cpu renamed to %q, want node_cpu_seconds_total (corrections.yaml)", got)
	}
	_, err := ne.Families("0.9")
	if err == nil || !strings.Contains(err.Error(), "known: 0.15, 0.16") {
		t.Errorf("unknown version: err = %v, want one listing the known versions", err)
	}
	if ne.Excuses("0.9") != nil {
		t.Error("Excuses of an unknown version is not nil")
	}
}

func TestLookupUnknown(t *testing.T) {
	if e, p, ok := Lookup("no-such-exporter"); ok || e != nil || p != nil {
		t.Errorf("Lookup(no-such-exporter) = %v, %v, %v", e, p, ok)
	}
}

// BenchmarkFamiliesAll decodes every exporter's data cold (as a run naming them all does).
func BenchmarkFamiliesAll(b *testing.B) {
	for b.Loop() {
		for _, e := range Exporters() {
			fresh := &Exporter{Name: e.Name, Versions: e.Versions, file: e.file}
			if _, err := fresh.Families(""); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkIndex decodes the index cold (as a run naming no exporter that still loads the
// config's exporters list does).
func BenchmarkIndex(b *testing.B) {
	for b.Loop() {
		if ix := loadIndexOnce(); ix.err != nil || len(ix.list) == 0 {
			b.Fatal(ix.err)
		}
	}
}
