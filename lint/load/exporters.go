package load

import (
	"slices"
	"strings"

	"github.com/driftlint/driftlint/lint"
	"github.com/driftlint/driftlint/lint/catalog"
	"github.com/driftlint/driftlint/lint/load/source"
)

// exporters turns the config's exporters: entries into definitions from the catalogue. The
// config parser has checked every name and version, so a failure here is the catalogue's
// data failing to decode, which its integrity test rules out; it is reported, not hidden.
func exporters(cfg *lint.Config, p *lint.Project) {
	for _, ref := range cfg.Exporters {
		// Findings name the entry relative to the project root, as every position is (the
		// config's own name is as the command line gave it: project/.driftlint.yaml from
		// outside, which the report would prefix with the root again).
		ref.At = cfg.ProjectPos(ref.At)
		x, problem := exporterDefs(ref)
		if problem != nil {
			p.ParseProblems = append(p.ParseProblems, *problem)
			continue
		}
		p.Exporters = append(p.Exporters, x)
	}
	wrapperLabels(p)
}

// wrapperLabels adds, to the catalogued families whose names start with the prefix of a
// registerer the code hands to a library (lint.CodeFacts.Libraries), the labels that
// registerer's wrapper adds: Mimir hands WrapRegistererWithPrefix("thanos_",
// WrapRegistererWith(Labels{"component": c}, reg)) to thanos-io/objstore, whose
// thanos_objstore_* the thanos catalogue has without component (111 false label/unknown).
// A wrapper whose labels are not spelled out leaves those families' labels unknown.
func wrapperLabels(p *lint.Project) {
	for _, e := range p.Expositions {
		if e.Code == nil {
			continue
		}
		for _, l := range e.Code.Libraries {
			if len(l.Labels) == 0 && !l.LabelsUnknown {
				continue
			}
			for _, x := range p.Exporters {
				for _, fam := range slices.Concat(x.Expo.InOrder(), x.Older) {
					if strings.HasPrefix(fam.Name, l.Prefix) {
						fam.AddLabels(l.Labels, l.LabelsUnknown)
					}
				}
			}
		}
	}
}

// exporterDefs builds one entry's definitions: the selected version's families as a
// source-like exposition (labels known unless the exporter builds them at run time), the
// families only other versions export, renames, and the name spaces the exporter owns in
// any version (the first two words of a name with three or more, else the name itself).
func exporterDefs(ref lint.ExporterRef) (*lint.ExporterDefs, *lint.ParseProblem) {
	e, _, ok := catalog.Lookup(ref.Exporter)
	if !ok {
		return nil, &lint.ParseProblem{At: ref.At, Message: "exporters: " + ref.Exporter + " is not in the catalogue"}
	}
	fams, err := e.Families(ref.Version)
	if err != nil {
		return nil, &lint.ParseProblem{At: ref.At, Message: "exporters: " + err.Error()}
	}
	selected := func(name string) bool { return catalog.Selects(ref.Prefixes, name) }
	expo := &lint.Exposition{
		Source:   true,
		Target:   "exporter " + ref.Name,
		Families: make(map[string]*lint.Family, len(fams)),
		Order:    make([]string, 0, len(fams)),
		Code:     &lint.CodeFacts{Lang: "catalog", Defs: make(map[string]*lint.CodeDef, len(fams))},
		Catalog:  ref.Name + " " + ref.Version,
	}
	x := &lint.ExporterDefs{Ref: ref, Expo: expo, RenamedTo: map[string]string{}, RenamedIn: map[string]string{}, OlderIn: map[string]string{}}
	family := func(f catalog.Family) *lint.Family {
		return &lint.Family{Name: f.Name, Type: f.Type, Help: f.Help, Labels: f.Labels, HelpAt: ref.At, TypeAt: ref.At, Expo: expo}
	}
	for _, f := range fams {
		if !selected(f.Name) || expo.Families[f.Name] != nil {
			continue
		}
		expo.Families[f.Name] = family(f)
		expo.Order = append(expo.Order, f.Name)
		expo.Code.Defs[f.Name] = &lint.CodeDef{Via: "the catalogue of " + e.Name, LabelsUnknown: f.LabelsUnknown}
	}
	older := map[string]bool{}
	for _, f := range e.AllFamilies() {
		if !selected(f.Name) || expo.Families[f.Name] != nil || older[f.Name] {
			continue
		}
		older[f.Name] = true
		x.Older = append(x.Older, family(f))
		since, until := f.Since, f.Until
		if since == "" {
			since = e.Versions[0].Name
		}
		if until == "" {
			x.OlderIn[f.Name] = since + " and later"
		} else {
			x.OlderIn[f.Name] = since + " until " + until
		}
		if f.RenamedTo != "" {
			x.RenamedTo[f.Name] = f.RenamedTo
			x.RenamedIn[f.Name] = f.Until
		}
	}
	// The exporter owns the names of every catalogued version, sorted: the data's order.
	expo.Covers = slices.Sorted(slices.Values(source.Covers(slices.Concat(expo.InOrder(), x.Older), !e.OwnsNames)))
	// A catalogue lists every family an exporter can export, not what one scrape of one
	// target shows: that one family carries namespace (prometheus-operator's spec_replicas)
	// says nothing of another's, which the scrape gives the target's namespace. And an
	// exporter with aliases stands for several targets (the kubelet, the API server, …).
	expo.Lumped = true
	for _, g := range e.Excuses(ref.Version) {
		if selected(strings.TrimRight(g, "*")) {
			x.Excuses = append(x.Excuses, g)
		}
	}
	if !e.OwnsNames {
		x.ExcusesWithin = expo.Covers
	}
	return x, nil
}
