package promql

import (
	"slices"
	"strings"

	"github.com/driftlint/driftlint/lint"
)

// projectResolver answers MetricLabels from a project's expositions (family label names,
// plus le on histogram buckets and quantile on summaries, plus job and instance, which
// Prometheus attaches to every scraped series) and its recording rules (the inferred labels
// of their expressions, following chains of recordings).
type projectResolver struct {
	p        *lint.Project
	exported map[string][]string
	records  map[string][]*lint.RuleEntry

	inferred map[string]LabelSet
	active   map[string]bool // recordings being inferred, to stop cycles
}

// TargetLabels are attached by Prometheus to every scraped series (a saved exposition does
// not show them).
var TargetLabels = []string{"instance", "job"}

// ResolverFor returns the project's shared Resolver, built once.
func ResolverFor(p *lint.Project) Resolver {
	return p.Memo("promql.resolver", func() any { return newProjectResolver(p) }).(*projectResolver)
}

func newProjectResolver(p *lint.Project) *projectResolver {
	r := &projectResolver{p: p, exported: map[string][]string{}, records: map[string][]*lint.RuleEntry{}, inferred: map[string]LabelSet{}, active: map[string]bool{}}
	add := func(name string, labels []string, extra ...string) {
		cur := slices.Concat(r.exported[name], labels, extra, TargetLabels)
		slices.Sort(cur)
		r.exported[name] = slices.Compact(cur)
	}
	for _, e := range p.Expositions {
		for _, name := range e.Order {
			f := e.Families[name]
			if !f.LabelsKnown() {
				// HELP/TYPE without samples says nothing about labels: leave the metric
				// unknown unless another exposition shows its series.
				continue
			}
			for _, s := range f.SeriesNames() {
				switch {
				case strings.HasSuffix(s, "_bucket") && (f.Type == "histogram" || f.Type == "gaugehistogram"):
					add(s, f.Labels, "le")
				case s == f.Name && f.Type == "summary":
					add(s, f.Labels, "quantile")
				default:
					add(s, f.Labels)
				}
			}
		}
	}
	for _, rule := range p.Rules {
		if rule.Kind == lint.RecordingRule {
			r.records[rule.Name] = append(r.records[rule.Name], rule)
		}
	}
	// Infer every recording now, in one goroutine and in name order, so that the resolver
	// is read-only (safe for parallel rules) and cycles resolve the same way every run.
	names := make([]string, 0, len(r.records))
	for name := range r.records {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		r.recorded(name, r.records[name])
	}
	return r
}

// MetricLabels implements Resolver. A recording's labels are its expression's inferred
// labels plus its static labels; a metric both exported and recorded takes the union.
func (r *projectResolver) MetricLabels(name string) ([]string, bool) {
	labels, exported := r.exported[name]
	recs := r.records[name]
	if len(recs) == 0 {
		return labels, exported
	}
	set, ok := r.recorded(name, recs)
	if !ok {
		if exported {
			return labels, true
		}
		return nil, false
	}
	out := append(slices.Clone(labels), set...)
	slices.Sort(out)
	return slices.Compact(out), true
}

// recorded infers (once) the output labels of the recording rules named name; ok is false
// when any of them is unknown. Only the constructor calls it.
func (r *projectResolver) recorded(name string, recs []*lint.RuleEntry) ([]string, bool) {
	if s, ok := r.inferred[name]; ok {
		return s.Labels, s.Known
	}
	if r.active[name] {
		return nil, false
	}
	r.active[name] = true

	set := LabelSet{Known: true}
	for _, rule := range recs {
		if rule.Query == nil || rule.Query.Expr == nil {
			set = LabelSet{}
			break
		}
		s := Infer(rule.Query.Expr, r)
		if !s.Known {
			set = LabelSet{}
			break
		}
		set.Labels = append(set.Labels, s.Labels...)
		for _, kv := range rule.Labels {
			set.Labels = append(set.Labels, kv.Key)
		}
	}
	slices.Sort(set.Labels)
	set.Labels = slices.Compact(set.Labels)

	r.inferred[name] = set
	delete(r.active, name)
	return set.Labels, set.Known
}
