package main

import (
	"bytes"
	"errors"
	"fmt"
	"maps"
	"os"
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/bmatcuk/doublestar/v4"
	"go.yaml.in/yaml/v3"

	"github.com/driftlint/driftlint/lint/catalog"
)

// Correction is one entry of corrections.yaml: a hand correction to what the readers see,
// with the reason (an upstream CHANGELOG line, the code that builds names in a loop).
type Correction struct {
	Exporter string `yaml:"exporter"`
	Reason   string `yaml:"reason"`
	// Rename marks the families named From that end in version In as renamed to To (which
	// must begin in In). A * in From stands for any text and is repeated in To
	// (node_memory_* → node_memory_*_bytes).
	Rename *struct {
		From string `yaml:"from"`
		To   string `yaml:"to"`
		In   string `yaml:"in"`
	} `yaml:"rename"`
	// Add adds families the reader cannot see (Name, or each of Names) to Versions (all
	// when empty).
	Add *struct {
		Name   string   `yaml:"name"`
		Names  []string `yaml:"names"`
		Type   string   `yaml:"type"`
		Help   string   `yaml:"help"`
		Labels []string `yaml:"labels"`
	} `yaml:"add"`
	// Remove drops a family the reader sees but the exporter does not export.
	Remove string `yaml:"remove"`
	// Prefix replaces families the reader sees without the prefix a registerer adds at
	// run time by one family per prefix, and drops the excuses *NAME of those names.
	Prefix *struct {
		Names []string `yaml:"names"`
		With  []string `yaml:"with"`
	} `yaml:"prefix"`
	// Narrow replaces the excuse glob From of the unresolved definitions in File (a
	// doublestar glob) by the globs To, which say what the code there can name (the
	// subsystem a field holds, the table a loop runs over).
	Narrow *struct {
		File string   `yaml:"file"`
		From string   `yaml:"from"`
		To   []string `yaml:"to"`
	} `yaml:"narrow"`
	// Labels adds the label names Add to the families Names: const labels a wrapping
	// registerer adds at run time (prometheus.WrapRegistererWith), which the reader does
	// not follow through every call.
	Labels *struct {
		Names []string `yaml:"names"`
		Add   []string `yaml:"add"`
	} `yaml:"labels"`
	Versions []string `yaml:"versions"`
}

var labelNameRE = regexp.MustCompile(`^[a-zA-Z_][a-zA-Z0-9_]*$`)

var validTypes = []string{"counter", "gauge", "histogram", "summary", "untyped", "info", "stateset"}

func readCorrections(file string) ([]Correction, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	var doc struct {
		Corrections []Correction `yaml:"corrections"`
	}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	var errs []error
	for i, c := range doc.Corrections {
		n := 0
		for _, set := range []bool{c.Rename != nil, c.Add != nil, c.Remove != "", c.Prefix != nil, c.Narrow != nil, c.Labels != nil} {
			if set {
				n++
			}
		}
		switch {
		case c.Exporter == "":
			errs = append(errs, fmt.Errorf("%s: correction %d: no exporter", file, i+1))
		case strings.TrimSpace(c.Reason) == "":
			errs = append(errs, fmt.Errorf("%s: correction %d (%s): no reason", file, i+1, c.Exporter))
		case n != 1:
			errs = append(errs, fmt.Errorf("%s: correction %d (%s): needs exactly one of rename, add, remove, prefix, narrow, labels", file, i+1, c.Exporter))
		case c.Prefix != nil && (len(c.Prefix.Names) == 0 || len(c.Prefix.With) == 0):
			errs = append(errs, fmt.Errorf("%s: correction %d (%s): prefix needs names and with", file, i+1, c.Exporter))
		case c.Labels != nil && (len(c.Labels.Names) == 0 || len(c.Labels.Add) == 0 || slices.ContainsFunc(c.Labels.Add, func(l string) bool { return !labelNameRE.MatchString(l) })):
			errs = append(errs, fmt.Errorf("%s: correction %d (%s): labels needs names and add, label names to add", file, i+1, c.Exporter))
		case c.Narrow != nil && (c.Narrow.File == "" || c.Narrow.From == "" || len(c.Narrow.To) == 0):
			errs = append(errs, fmt.Errorf("%s: correction %d (%s): narrow needs file, from and to", file, i+1, c.Exporter))
		case c.Rename != nil && (c.Rename.From == "" || c.Rename.To == "" || c.Rename.In == "" ||
			strings.Count(c.Rename.From, "*") != strings.Count(c.Rename.To, "*") || strings.Count(c.Rename.From, "*") > 1):
			errs = append(errs, fmt.Errorf("%s: correction %d (%s): rename needs from, to and in, with at most one * in each", file, i+1, c.Exporter))
		case c.Add != nil && ((c.Add.Name == "") == (len(c.Add.Names) == 0) || !slices.Contains(validTypes, c.Add.Type)):
			errs = append(errs, fmt.Errorf("%s: correction %d (%s): add needs a name or names, and a type of %v", file, i+1, c.Exporter, validTypes))
		}
	}
	return doc.Corrections, errors.Join(errs...)
}

// applyVersionCorrections adds and removes families of one version.
func applyVersionCorrections(e *ManifestExporter, version string, s *snapshot, corr []Correction) error {
	for _, c := range corr {
		if c.Exporter != e.Name || (len(c.Versions) > 0 && !slices.Contains(c.Versions, version)) {
			continue
		}
		switch {
		case c.Add != nil:
			for _, n := range append(slices.Clone(c.Add.Names), c.Add.Name) {
				if n == "" {
					continue
				}
				if _, ok := s.fams[n]; ok {
					return fmt.Errorf("%s %s: correction adds %s, which the reader already sees: drop the correction", e.Name, version, n)
				}
				mergeFamily(s.fams, n, c.Add.Type, c.Add.Help, c.Add.Labels)
			}
		case c.Remove != "":
			if _, ok := s.fams[c.Remove]; !ok {
				return fmt.Errorf("%s %s: correction removes %s, which the reader does not see", e.Name, version, c.Remove)
			}
			delete(s.fams, c.Remove)
		case c.Prefix != nil:
			for _, n := range c.Prefix.Names {
				f, ok := s.fams[n]
				if !ok {
					return fmt.Errorf("%s %s: correction prefixes %s, which the reader does not see", e.Name, version, n)
				}
				delete(s.fams, n)
				for _, p := range c.Prefix.With {
					mergeFamily(s.fams, p+n, f.Type, f.Help, f.Labels)
					s.fams[p+n].LabelsUnknown = f.LabelsUnknown
				}
				s.unres = slices.DeleteFunc(s.unres, func(u unresolved) bool { return u.pattern == "*"+n })
			}
		case c.Labels != nil:
			for _, n := range c.Labels.Names {
				f, ok := s.fams[n]
				if !ok {
					return fmt.Errorf("%s %s: correction adds labels to %s, which the reader does not see", e.Name, version, n)
				}
				for _, l := range c.Labels.Add {
					if slices.Contains(f.Labels, l) {
						return fmt.Errorf("%s %s: correction adds label %s to %s, which the reader already sees: drop it from the correction", e.Name, version, l, n)
					}
				}
				f.Labels = sortedUnique(append(slices.Clone(f.Labels), c.Labels.Add...))
			}
		case c.Narrow != nil:
			var keep, narrowed []unresolved
			for _, u := range s.unres {
				if ok, _ := doublestar.Match(c.Narrow.File, u.file); ok && u.pattern == c.Narrow.From {
					for _, to := range c.Narrow.To {
						narrowed = append(narrowed, unresolved{u.file, to})
					}
					continue
				}
				keep = append(keep, u)
			}
			if len(narrowed) == 0 {
				return fmt.Errorf("%s %s: correction narrows %s in %s, which no unresolved definition there has", e.Name, version, c.Narrow.From, c.Narrow.File)
			}
			keep = append(keep, narrowed...)
			s.unres = keep
		}
	}
	s.finishExcuses()
	return nil
}

// checkCorrectionVersions fails on corrections naming versions the exporter does not have.
func checkCorrectionVersions(m *Manifest, corr []Correction) error {
	var errs []error
	for _, c := range corr {
		i := slices.IndexFunc(m.Exporters, func(e *ManifestExporter) bool { return e.Name == c.Exporter })
		if i < 0 {
			if !slices.Contains(m.Pending, c.Exporter) {
				errs = append(errs, fmt.Errorf("correction for unknown exporter %q (neither generated nor pending)", c.Exporter))
			}
			continue
		}
		vs := slices.Concat(c.Versions)
		if c.Rename != nil {
			vs = append(vs, c.Rename.In)
		}
		for _, v := range vs {
			if !slices.ContainsFunc(m.Exporters[i].Versions, func(mv ManifestVersion) bool { return mv.Name == v }) {
				errs = append(errs, fmt.Errorf("correction for %s names version %q, not in the manifest", c.Exporter, v))
			}
		}
	}
	return errors.Join(errs...)
}

// ranges turns each version's families into catalogue families with since/until: one
// entry per run of consecutive versions in which a name keeps its type and labels (help is
// the latest of the run's).
func ranges(versions []string, snaps []*snapshot) []catalog.Family {
	names := map[string]bool{}
	for _, s := range snaps {
		for n := range s.fams {
			names[n] = true
		}
	}
	var out []catalog.Family
	for _, n := range slices.Sorted(maps.Keys(names)) {
		var cur *catalog.Family
		var shape *FamilyShape
		flush := func(end int) {
			if cur == nil {
				return
			}
			if end < len(versions) {
				cur.Until = versions[end]
			}
			out = append(out, *cur)
			cur, shape = nil, nil
		}
		for i, s := range snaps {
			f := s.fams[n]
			if f == nil {
				flush(i)
				continue
			}
			if cur != nil && (f.Type != shape.Type || !slices.Equal(f.Labels, shape.Labels) || f.LabelsUnknown != shape.LabelsUnknown) {
				flush(i)
			}
			if cur == nil {
				cur = &catalog.Family{Name: n}
				if i > 0 {
					cur.Since = versions[i]
				}
			}
			shape = f
			cur.Type, cur.Help, cur.Labels, cur.LabelsUnknown = f.Type, f.Help, f.Labels, f.LabelsUnknown
		}
		flush(len(versions))
	}
	return out
}

// applyRenames sets RenamedTo on the families a rename correction names.
func applyRenames(name string, versions []string, fams []catalog.Family, corr []Correction) error {
	for _, c := range corr {
		if c.Exporter != name || c.Rename == nil {
			continue
		}
		r := c.Rename
		matched := 0
		for i := range fams {
			f := &fams[i]
			if f.Until != r.In {
				continue
			}
			to, ok := renameTarget(r.From, r.To, f.Name)
			if !ok {
				continue
			}
			if !slices.ContainsFunc(fams, func(g catalog.Family) bool { return g.Name == to && exportedIn(versions, g, r.In) }) {
				if !strings.Contains(r.From, "*") {
					return fmt.Errorf("%s: rename %s → %s in %s: %s is not exported in %s", name, r.From, r.To, r.In, to, r.In)
				}
				continue
			}
			f.RenamedTo = to
			matched++
		}
		if matched == 0 {
			return fmt.Errorf("%s: rename %s → %s in %s matches no family that ends in %s", name, r.From, r.To, r.In, r.In)
		}
	}
	return nil
}

// exportedIn reports whether a family's range holds a version.
func exportedIn(versions []string, f catalog.Family, v string) bool {
	i := slices.Index(versions, v)
	since, until := 0, len(versions)
	if f.Since != "" {
		since = slices.Index(versions, f.Since)
	}
	if f.Until != "" {
		until = slices.Index(versions, f.Until)
	}
	return since <= i && i < until
}

// renameTarget maps a name through a rename's from/to patterns.
func renameTarget(from, to, name string) (string, bool) {
	pre, suf, glob := strings.Cut(from, "*")
	if !glob {
		return to, name == from
	}
	if len(name) < len(pre)+len(suf) || !strings.HasPrefix(name, pre) || !strings.HasSuffix(name, suf) {
		return "", false
	}
	mid := name[len(pre) : len(name)-len(suf)]
	tp, ts, _ := strings.Cut(to, "*")
	return tp + mid + ts, true
}

// dataFile is the data file name of an exporter.
func dataFile(name string) string { return path.Clean(name) + ".tsv" }
