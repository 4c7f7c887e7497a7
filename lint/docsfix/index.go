package docsfix

import (
	"slices"
	"strings"

	"github.com/driftlint/driftlint/lint"
)

// Family is what the expositions say about one exported metric family, merged over every
// exposition (every scrape of every target) that has a family of that name.
type Family struct {
	Name string
	// First is the family in the first exposition that has it: where it is "exported here".
	First *lint.Family
	// Type is the first type other than untyped/unknown any exposition gives, else the type
	// of First; TypeFrom is the family that gave it.
	Type     string
	TypeFrom *lint.Family
	// Labels is the sorted union of the label names of every exposition's samples (without
	// the le of histograms and the quantile of summaries); LabelsFrom is the first family
	// that has samples. LabelsKnown is false when no exposition has a sample of the family
	// (declared by # HELP/# TYPE only): its labels are then unknown, not empty.
	Labels      []string
	LabelsFrom  *lint.Family
	LabelsKnown bool
	// Documented is true when some metrics doc entry names the family or one of its series.
	Documented bool
}

// Index is the documentation view of a project: exported families merged over the
// expositions, and which of them the metrics docs document. The docs/* rules and Fix share
// it, so that what the rules report is exactly what Fix repairs.
type Index struct {
	p        *lint.Project
	families map[string]*Family
	order    []*Family // in order of first appearance over the expositions
	names    []string  // suggestion candidates: spellings of the undocumented families
	docKeys  map[string]bool
}

// For returns the project's index, built once per project (Project.Memo).
func For(p *lint.Project) *Index {
	return p.Memo("docsfix.index", func() any { return build(p) }).(*Index)
}

func build(p *lint.Project) *Index {
	ix := &Index{p: p, families: map[string]*Family{}, docKeys: map[string]bool{}}
	for _, e := range p.Expositions {
		for _, name := range e.Order {
			fam := e.Families[name]
			if fam == nil {
				continue
			}
			f := ix.families[name]
			if f == nil {
				f = &Family{Name: name, First: fam, Type: fam.Type, TypeFrom: fam}
				ix.families[name] = f
				ix.order = append(ix.order, f)
			}
			if !typed(f.Type) && typed(fam.Type) {
				f.Type, f.TypeFrom = fam.Type, fam
			}
			if fam.LabelsKnown() {
				if !f.LabelsKnown {
					f.LabelsKnown, f.LabelsFrom = true, fam
				}
				f.Labels = union(f.Labels, fam.Labels)
			}
		}
	}
	for _, e := range p.DocEntries {
		ix.docKeys[seriesKey(e.Name)] = true
		if f, _ := ix.Resolve(e.Name); f != nil {
			f.Documented = true
		}
	}
	seen := map[string]bool{}
	for _, f := range ix.order {
		if f.Documented {
			continue
		}
		for _, n := range spellings(f) {
			if !seen[n] {
				seen[n] = true
				ix.names = append(ix.names, n)
			}
		}
	}
	slices.Sort(ix.names)
	return ix
}

// spellings are the names a doc may document a family by, for suggestions: the family
// name, and for a counter both x and x_total.
func spellings(f *Family) []string {
	if f.Type != "counter" {
		return []string{f.Name}
	}
	base := strings.TrimSuffix(f.Name, "_total")
	return []string{f.Name, base, base + "_total"}
}

// typed reports whether a type says something (untyped and unknown do not).
func typed(t string) bool { return t != "" && t != "untyped" && t != "unknown" }

// union merges two sorted label lists.
func union(a, b []string) []string {
	if len(a) == 0 {
		return slices.Clone(b)
	}
	out := slices.Clone(a)
	for _, l := range b {
		if _, found := slices.BinarySearch(out, l); !found {
			out = append(out, l)
			slices.Sort(out)
		}
	}
	return out
}

// Resolve finds the exported family a documented (or used) name stands for: a family name,
// one of its series (x_bucket, x_sum, x_count of a histogram or summary; x_total of an
// OpenMetrics counter x), or the base name x of a counter exported as x_total. When the name
// is not exported it returns nil and how else the name is defined (lint.DefRecorded,
// lint.DefSynthetic), or 0.
func (ix *Index) Resolve(name string) (*Family, lint.DefKind) {
	if d, ok := ix.p.Lookup(name); ok {
		if d.Kind == lint.DefExported && d.Family != nil {
			if f := ix.families[d.Family.Name]; f != nil {
				return f, lint.DefExported
			}
		}
		if d.Kind != lint.DefExported {
			return nil, d.Kind
		}
	}
	if !strings.HasSuffix(name, "_total") {
		if d, ok := ix.p.Lookup(name + "_total"); ok && d.Kind == lint.DefExported && d.Family != nil && d.Family.Type == "counter" {
			if f := ix.families[d.Family.Name]; f != nil {
				return f, lint.DefExported
			}
		}
	}
	return nil, 0
}

// Suggest returns the exported name closest to a name that is not exported, or "": a
// family name, or x or x_total for a counter family; Resolve gives its family. Only
// families that no doc documents are candidates, as a rename leaves them: the old name
// documented, the new one exported and undocumented. (A documented neighbour is another
// metric, not the new name of this one.)
func (ix *Index) Suggest(name string) string {
	s := lint.Closest(name, ix.names)
	if f, _ := ix.Resolve(s); s == "" || f == nil {
		return ""
	}
	return s
}

// Undocumented returns the exported families that no metrics doc documents, in order of
// first appearance, without the families client libraries add by themselves.
func (ix *Index) Undocumented() []*Family {
	var out []*Family
	for _, f := range ix.order {
		if !f.Documented && !ClientDefault(f.Name) {
			out = append(out, f)
		}
	}
	return out
}

// DocumentedName reports whether some metrics doc entry names the metric or one of its
// series, comparing names without their series suffix (_total, _bucket, _sum, _count,
// _created, _info): for metrics that no exposition covers.
func (ix *Index) DocumentedName(name string) bool { return ix.docKeys[seriesKey(name)] }

// seriesSuffixes are the suffixes a series name adds to its family name.
var seriesSuffixes = []string{"_total", "_bucket", "_sum", "_count", "_created", "_info", "_gsum", "_gcount"}

// seriesKey is a name without its series suffix.
func seriesKey(name string) string {
	for _, s := range seriesSuffixes {
		if len(name) > len(s) && strings.HasSuffix(name, s) {
			return name[:len(name)-len(s)]
		}
	}
	return name
}

// clientDefaultPrefixes name the families that Prometheus client libraries and exporters
// register by themselves, which a service's metrics doc need not list: the Go collector
// (go_), the process collector of every client (process_), Go's promhttp handler
// (promhttp_), Python's platform and GC collectors (python_), Java's hotspot collectors
// (jvm_), Node.js prom-client (nodejs_), prometheus-net (dotnet_), Erlang (erlang_vm_), and
// the OpenTelemetry Prometheus exporter (target_info, otel_scope_info).
var clientDefaultPrefixes = []string{"go_", "process_", "promhttp_", "python_", "jvm_", "nodejs_", "dotnet_", "erlang_vm_"}

var clientDefaultNames = []string{"target_info", "otel_scope_info"}

// ClientDefault reports whether a family is one that client libraries add by themselves.
func ClientDefault(name string) bool {
	for _, p := range clientDefaultPrefixes {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return slices.Contains(clientDefaultNames, name)
}

// TypesAgree reports whether a documented type (normalized, as lint.DocEntry.Type) agrees
// with the exported family. Untyped exports and an empty or untyped documented type say
// nothing, so they agree. A histogram documented as such on a _bucket row agrees; so does
// counter on a _bucket, _sum or _count row of a histogram or summary (those series are
// counters) and gauge on a _created row (a timestamp) or a _gsum or _gcount row of a gauge
// histogram. info and stateset agree with gauge, which is how the text format exports them;
// histogram agrees with gaugehistogram.
func TypesAgree(docName, docType string, f *Family) bool {
	et := f.Type
	if !typed(et) || !typed(docType) || docType == et {
		return true
	}
	suffix := ""
	if len(docName) > len(f.Name) && strings.HasPrefix(docName, f.Name) {
		suffix = docName[len(f.Name):]
	}
	switch {
	case docType == "histogram" && et == "gaugehistogram":
		return true
	case (docType == "info" || docType == "stateset") && et == "gauge",
		docType == "gauge" && (et == "info" || et == "stateset"):
		return true
	case docType == "counter" && (et == "histogram" || et == "summary"):
		return suffix == "_bucket" || suffix == "_sum" || suffix == "_count"
	case docType == "gauge":
		return suffix == "_created" || suffix == "_gsum" || suffix == "_gcount"
	}
	return false
}

// LabelDiff compares documented labels with the exported ones. It returns the exported
// labels the doc does not list (sorted) and the documented labels that are not exported (in
// doc order). Ignored on the documented side: job and instance (Prometheus adds them) unless
// the family exports them, le of a histogram and quantile of a summary (never in
// Family.Labels), duplicates, and templates such as label_POD_LABEL or annotation_KEY, which
// stand for any exported label with their lower-case prefix (label_, annotation_) and may
// match none (allow-listed labels are optional).
func LabelDiff(docLabels []string, f *Family) (undocumented, unexported []string) {
	exported := map[string]bool{}
	for _, l := range f.Labels {
		exported[l] = true
	}
	documented := map[string]bool{}
	var prefixes []string
	for _, l := range docLabels {
		if p, ok := TemplatePrefix(l); ok {
			prefixes = append(prefixes, p)
			continue
		}
		if documented[l] || ignoredDocLabel(l, f) && !exported[l] {
			continue
		}
		documented[l] = true
		if !exported[l] {
			unexported = append(unexported, l)
		}
	}
	for _, l := range f.Labels {
		if documented[l] || hasAnyPrefix(l, prefixes) || CopiedLabel(f.Name, l) {
			continue
		}
		undocumented = append(undocumented, l)
	}
	return undocumented, unexported
}

// CopiedLabel reports whether an exported label is one an exporter copies from the objects
// it describes, so that its name is data rather than schema: label_<key> on a family named
// …_labels and annotation_<key> on a family named …_annotations, as kube-state-metrics
// exports the Kubernetes labels and annotations its allow-lists select. A doc cannot list
// them by name; it may write a template (label_POD_LABEL) or nothing.
func CopiedLabel(family, label string) bool {
	switch {
	case strings.HasSuffix(family, "_labels"):
		return strings.HasPrefix(label, "label_")
	case strings.HasSuffix(family, "_annotations"):
		return strings.HasPrefix(label, "annotation_")
	}
	return false
}

// ignoredDocLabel reports whether a documented label is one the exposition never shows.
func ignoredDocLabel(l string, f *Family) bool {
	switch l {
	case "job", "instance":
		return true
	case "le":
		return f.Type == "histogram" || f.Type == "gaugehistogram"
	case "quantile":
		return f.Type == "summary"
	}
	return false
}

func hasAnyPrefix(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// TemplatePrefix reports whether a documented label name is a template: a lower-case prefix
// ending in _ followed by an upper-case placeholder (label_POD_LABEL, annotation_KEY,
// nodeselector_NODE_SELECTOR). It returns the prefix (label_).
func TemplatePrefix(l string) (string, bool) {
	i := strings.IndexFunc(l, func(r rune) bool { return r >= 'A' && r <= 'Z' })
	if i < 2 || l[i-1] != '_' {
		return "", false
	}
	for _, r := range l[i:] {
		if r >= 'a' && r <= 'z' {
			return "", false
		}
	}
	return l[:i], true
}
