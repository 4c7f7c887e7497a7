package promql

import (
	"fmt"
	"slices"
	"strings"

	"github.com/prometheus/prometheus/promql/parser"

	"github.com/driftlint/driftlint/lint"
)

// Index is the project's label knowledge, built once per project: a Resolver over the
// expositions and recording rules, with three refinements:
// the labels Prometheus attaches at scrape time, which no saved exposition shows, are taken
// to be on exported metrics (see newLabelIndex); a family without samples, and a family whose
// label names depend on the exporter's flags (see dynamicLabels), has unknown labels.
type Index struct {
	exported map[string][]string     // series name → labels, scrape-time labels included
	families map[string]*lint.Family // series name → the first family that exports it
	records  map[string][]*lint.RuleEntry
	inferred map[string]LabelSet
	active   map[string]bool // recordings being inferred, to stop cycles
	targets  []string        // presumed scrape-time target labels, sorted
}

// IndexFor returns the project's Index, built once.
func IndexFor(p *lint.Project) *Index {
	return p.Memo("rules.Index", func() any { return newLabelIndex(p) }).(*Index)
}

// isConventionalTargetLabel reports whether name is a label that service discovery,
// relabeling or external labels commonly put on every series of a target: the config's
// target_labels when it lists any, else the conventional names.
func isConventionalTargetLabel(cfg *lint.Config, name string) bool {
	if cfg != nil && len(cfg.TargetLabels) > 0 {
		return slices.Contains(cfg.TargetLabels, name)
	}
	switch name {
	case "cluster", "container", "datacenter", "endpoint", "env", "environment", "namespace",
		"node", "pod", "prometheus", "prometheus_replica", "region", "service", "zone":
		return true
	}
	return false
}

// minTargetSubsystems is how many subsystems (x_y of x_y_z) of one exporter the queries must
// use a label on, the exporter exporting it on no family, for it to count as a target label.
const minTargetSubsystems = 3

func newLabelIndex(p *lint.Project) *Index {
	x := &Index{records: map[string][]*lint.RuleEntry{}, inferred: map[string]LabelSet{}, active: map[string]bool{}}
	expos := p.TruthExpositions()
	families := 0
	for _, e := range expos {
		families += len(e.Order)
	}
	base := make(map[string][]string, families)
	expoOf := make(map[string][]int, families) // series name → expositions that export it
	x.families = make(map[string]*lint.Family, families)
	expoLabels := make([]map[string]bool, len(expos))
	// A catalogued exporter's family whose labels the catalogue does not know (a docs table
	// without a labels column, code that builds them at run time) leaves the series' labels
	// unknown even where another catalogued exporter lists some: the kubelet's resource
	// endpoint and cAdvisor both export container_memory_working_set_bytes, with other labels.
	unknownLabels := map[string]bool{}
	for i, e := range expos {
		all := map[string]bool{}
		for _, name := range e.Order {
			f := e.Families[name]
			for _, l := range f.Labels {
				all[l] = true
			}
			if !f.LabelsKnown() || dynamicLabels(f) {
				if e.Catalog != "" {
					for _, s := range f.SeriesNames() {
						unknownLabels[s] = true
					}
				}
				continue // labels not known: the metric is left undefined, its sets unknown
			}
			for _, s := range f.SeriesNames() {
				if s == f.Name && f.ClassicHistogram() {
					continue // no series: metric/unknown reports its use, the labels are unknown
				}
				ls := base[s]
				if ls == nil { // room for le or quantile and for the target labels added below
					ls = make([]string, 0, len(f.Labels)+1+len(TargetLabels))
				}
				switch {
				case strings.HasSuffix(s, "_bucket") && (f.Type == "histogram" || f.Type == "gaugehistogram"):
					ls = append(ls, "le")
				case s == f.Name && f.Type == "summary":
					ls = append(ls, "quantile")
				}
				base[s] = append(ls, f.Labels...)
				if !slices.Contains(expoOf[s], i) {
					expoOf[s] = append(expoOf[s], i)
				}
				if x.families[s] == nil {
					x.families[s] = f
				}
			}
		}
		if !e.Lumped {
			expoLabels[i] = all
		}
	}
	for s := range unknownLabels {
		delete(base, s)
	}
	owns := func(series, label string) bool { // the exporter of series exports label somewhere
		for _, i := range expoOf[series] {
			if expoLabels[i] == nil { // lumped: only the family's own labels are its target's
				if f := x.families[series]; f != nil && slices.Contains(f.Labels, label) {
					return true
				}
				continue
			}
			if expoLabels[i][label] {
				return true
			}
		}
		return false
	}

	// First the labels the exporters show, plus job and instance, plus exported_X for each
	// label X of the exporter that is a target label: Prometheus renames the exporter's X so
	// when the target carries X too (honor_labels: false).
	exportedAs := func(ls, own []string, target func(string) bool) []string {
		for _, l := range own {
			if target(l) {
				ls = append(ls, "exported_"+l)
			}
		}
		return ls
	}
	x.exported = make(map[string][]string, len(base))
	for s, ls := range base {
		ls = exportedAs(ls, base[s], func(l string) bool {
			return slices.Contains(TargetLabels, l) || isConventionalTargetLabel(p.Config, l)
		})
		ls = append(ls, TargetLabels...)
		slices.Sort(ls)
		x.exported[s] = slices.Compact(ls)
	}
	// The labels a live Prometheus showed on a name's series are its whole set, scrape-time
	// labels included: nothing is presumed on top.
	live := map[string]bool{}
	for _, k := range p.KnownMetrics {
		if _, ok := x.exported[k.Name]; ok || !k.LabelsKnown || k.Glob {
			continue
		}
		live[k.Name] = true
		x.exported[k.Name] = slices.Clip(k.Labels)
	}
	for _, r := range p.Rules {
		if r.Kind == lint.RecordingRule {
			x.records[r.Name] = append(x.records[r.Name], r)
		}
	}
	x.inferAll()

	// Then the scrape-time target labels: those that the project uses where the exporters'
	// labels cannot explain them, on metrics of an exporter that never exports them. A label
	// the config lists in target_labels is the target's on every series even when the
	// exporter exports it on some family: Prometheus (honor_labels: false) renames the
	// exporter's to exported_X and sets the target's.
	explicit := func(label string) bool {
		return p.Config != nil && slices.Contains(p.Config.TargetLabels, label)
	}
	used := map[string]map[string]bool{} // label → subsystems
	unexplained := func(label string, metrics []string) {
		if Unchecked(label) || slices.Contains(TargetLabels, label) {
			return
		}
		for _, m := range metrics {
			f := x.families[m]
			if f == nil || owns(m, label) && !explicit(label) {
				continue
			}
			if used[label] == nil {
				used[label] = map[string]bool{}
			}
			used[label][subsystem(f.Name)] = true
		}
	}
	x.unexplainedUses(p, unexplained)
	for label, subs := range used {
		if isConventionalTargetLabel(p.Config, label) || len(subs) >= minTargetSubsystems {
			x.targets = append(x.targets, label)
		}
	}
	if len(x.targets) == 0 {
		return x
	}
	slices.Sort(x.targets)
	for s, ls := range x.exported {
		if live[s] {
			continue
		}
		for _, t := range x.targets {
			if !owns(s, t) || explicit(t) {
				ls = append(ls, t)
			}
		}
		ls = exportedAs(ls, base[s], func(l string) bool { return slices.Contains(x.targets, l) })
		slices.Sort(ls)
		x.exported[s] = slices.Compact(ls)
	}
	x.inferred = map[string]LabelSet{}
	x.inferAll()
	return x
}

// inferAll infers every recording, in name order, so that the index is read-only afterwards
// (rules run in parallel) and cycles resolve the same way on every run.
func (x *Index) inferAll() {
	names := make([]string, 0, len(x.records))
	for name := range x.records {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		x.recorded(name)
	}
}

// unexplainedUses calls use for every label that the project's queries, legends, variables
// and alert templates use where the index's labels do not have it, with the metrics that
// should have carried it.
func (x *Index) unexplainedUses(p *lint.Project, use func(label string, metrics []string)) {
	// An expression is asked about once per label it should carry (each by (…) label, each
	// on (…) label on both sides): infer it once.
	inferred := map[parser.Expr]LabelSet{}
	lacks := func(label string, e parser.Expr) {
		s, ok := inferred[e]
		if !ok {
			s = Infer(e, x)
			inferred[e] = s
		}
		if s.Known && !s.Has(label) {
			use(label, metricsOf(e))
		}
	}
	for _, q := range p.Queries {
		if q.Expr == nil {
			continue
		}
		parser.Inspect(q.Expr, func(n parser.Node, _ []parser.Node) error {
			switch e := n.(type) {
			case *parser.VectorSelector:
				name := lint.MetricName(e)
				have, ok := x.MetricLabels(name)
				if name == "" || !ok {
					return nil
				}
				for _, m := range e.LabelMatchers {
					if !Unchecked(m.Name) && !m.Matches("") && !slices.Contains(have, m.Name) {
						use(m.Name, []string{name})
					}
				}
			case *parser.AggregateExpr:
				for _, g := range e.Grouping {
					lacks(g, e.Expr)
				}
			case *parser.BinaryExpr:
				vm := e.VectorMatching
				if vm == nil || e.LHS.Type() != parser.ValueTypeVector || e.RHS.Type() != parser.ValueTypeVector {
					return nil
				}
				for _, m := range vm.MatchingLabels {
					lacks(m, e.LHS)
					lacks(m, e.RHS)
				}
				one := e.RHS
				if vm.Card == parser.CardOneToMany {
					one = e.LHS
				}
				for _, inc := range vm.Include {
					lacks(inc, one)
				}
			}
			return nil
		})
	}
	for _, d := range p.Dashboards {
		for _, t := range d.Targets {
			if t.Query != nil && t.Query.Expr != nil {
				for _, ref := range LegendLabels(t.Legend.Value) {
					lacks(ref.Name, t.Query.Expr)
				}
			}
		}
		for _, v := range d.Variables {
			if v.Query != nil && v.Query.Expr != nil && IsLabelName(v.Label.Value) {
				lacks(v.Label.Value, v.Query.Expr)
			}
		}
	}
	for _, rs := range [][]*lint.RuleEntry{p.Rules, p.RunbookAlerts} {
		for _, r := range rs {
			if r.Kind != lint.AlertRule || r.Query == nil || r.Query.Expr == nil {
				continue
			}
			for _, kv := range append(slices.Clone(r.Labels), r.Annotations...) {
				for _, ref := range TemplateLabels(kv.Value.Value) {
					if r.Label(ref.Name) == nil {
						lacks(ref.Name, r.Query.Expr)
					}
				}
			}
		}
	}
}

// dynamicLabels reports whether a family's label names depend on how the exporter is run:
// kube-state-metrics' kube_*_labels and kube_*_annotations turn allow-listed Kubernetes
// labels into label_<name> and annotation_<name>, cAdvisor has container_label_<name>. A
// saved scrape shows only those that were allow-listed there.
func dynamicLabels(f *lint.Family) bool {
	if strings.HasSuffix(f.Name, "_labels") || strings.HasSuffix(f.Name, "_annotations") {
		return true
	}
	for _, l := range f.Labels {
		if strings.HasPrefix(l, "label_") || strings.HasPrefix(l, "annotation_") ||
			strings.Contains(l, "_label_") || strings.Contains(l, "_annotation_") {
			return true
		}
	}
	return false
}

// subsystem is the first two _-separated words of a metric name (node_cpu of
// node_cpu_seconds_total).
func subsystem(name string) string {
	if i := strings.IndexByte(name, '_'); i >= 0 {
		if j := strings.IndexByte(name[i+1:], '_'); j >= 0 {
			return name[:i+1+j]
		}
	}
	return name
}

// metricsOf returns the metric names that an expression's selectors read.
func metricsOf(n parser.Node) []string {
	var out []string
	parser.Inspect(n, func(n parser.Node, _ []parser.Node) error {
		if vs, ok := n.(*parser.VectorSelector); ok {
			if m := lint.MetricName(vs); m != "" && !slices.Contains(out, m) {
				out = append(out, m)
			}
		}
		return nil
	})
	return out
}

// MetricLabels implements Resolver. A recording's labels are its expression's inferred
// labels plus its static labels; a metric both exported and recorded takes the union.
func (x *Index) MetricLabels(name string) ([]string, bool) {
	ls, exported := x.exported[name]
	if len(x.records[name]) == 0 {
		return ls, exported
	}
	set, ok := x.recorded(name)
	if !ok {
		if exported {
			return ls, true
		}
		return nil, false
	}
	if !exported {
		return slices.Clip(set), true // sorted and unique already; clipped, as it is shared
	}
	out := append(slices.Clone(ls), set...)
	slices.Sort(out)
	return slices.Compact(out), true
}

// recorded infers (once) the output labels of the recording rules named name; ok is false
// when any of them is unknown. Only the constructor infers; later calls read the cache.
func (x *Index) recorded(name string) ([]string, bool) {
	if s, ok := x.inferred[name]; ok {
		return s.Labels, s.Known
	}
	if x.active[name] {
		return nil, false
	}
	x.active[name] = true
	set := LabelSet{Known: true}
	for _, r := range x.records[name] {
		s := RuleLabels(r, x)
		if !s.Known {
			set = LabelSet{}
			break
		}
		set.Labels = append(set.Labels, s.Labels...)
	}
	slices.Sort(set.Labels)
	set.Labels = slices.Compact(set.Labels)
	x.inferred[name] = set
	delete(x.active, name)
	return set.Labels, set.Known
}

// Related returns where a metric is defined, with its labels, for a finding's Related.
func (x *Index) Related(metric string) (lint.Related, bool) {
	if metric == "" {
		return lint.Related{}, false
	}
	if f := x.families[metric]; f != nil && f.At().IsValid() {
		if f.Expo != nil && f.Expo.Catalog != "" {
			return lint.Related{Pos: f.At(), Message: fmt.Sprintf("%s exports %q with %s (driftlint's exporters catalogue)", f.Expo.Catalog, f.Name, WithLabels(f.Labels))}, true
		}
		return lint.Related{Pos: f.At(), Message: fmt.Sprintf("%q is exported here with %s", f.Name, WithLabels(f.Labels))}, true
	}
	if rs := x.records[metric]; len(rs) > 0 && rs[0].NameAt.IsValid() {
		msg := fmt.Sprintf("%q is recorded here", metric)
		if s := x.inferred[metric]; s.Known {
			msg += " with " + WithLabels(s.Labels)
		}
		return lint.Related{Pos: rs[0].NameAt, Message: msg}, true
	}
	return lint.Related{}, false
}

// Shown returns labels without the presumed scrape-time target labels, which messages leave
// out: they are an assumption, and they would repeat on every finding.
func (x *Index) Shown(ls []string) []string {
	out := make([]string, 0, len(ls))
	for _, l := range ls {
		if _, ok := slices.BinarySearch(x.targets, l); !ok {
			out = append(out, l)
		}
	}
	return out
}

// Show formats labels as {a, b} without the presumed scrape-time target labels.
func (x *Index) Show(ls []string) string {
	return "{" + strings.Join(x.Shown(ls), ", ") + "}"
}

// Unchecked reports whether a label name is never reported: a Grafana variable stand-in,
// or a reserved name starting with __ (__name__, __type__, …), whose presence the inference
// does not track.
func Unchecked(name string) bool {
	return IsVariable(name) || strings.HasPrefix(name, "__")
}

// WithLabels says "labels a, b" or "no labels".
func WithLabels(ls []string) string {
	if len(ls) == 0 {
		return "no labels"
	}
	return "labels " + strings.Join(ls, ", ")
}

// RuleLabels returns the labels of the series a recording rule writes: its expression's
// result labels plus its static labels; unknown when the expression's are.
func RuleLabels(r *lint.RuleEntry, res Resolver) LabelSet {
	if r.Query == nil || r.Query.Expr == nil {
		return LabelSet{}
	}
	s := Infer(r.Query.Expr, res)
	if !s.Known {
		return s
	}
	ls := slices.Clone(s.Labels)
	for _, kv := range r.Labels {
		ls = append(ls, kv.Key)
	}
	return known(ls...)
}
