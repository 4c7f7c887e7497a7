// Package inventory lists every metric of a project and where it lives: where it is exported
// (a scrape or the emitter's source code), documented (a metrics doc), recorded (a recording
// rule) and used (the queries of alerts, recording rules, runbooks, dashboards, docs and
// invariants), each with its position. It is the table a person reads to see a project's
// metrics at a glance; the drift rules are in package rules.
package inventory

import (
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/prometheus/prometheus/promql/parser"

	"github.com/driftlint/driftlint/lint"
	"github.com/driftlint/driftlint/lint/promql"
)

// Inventory is every metric of a project, sorted by name, with a summary.
type Inventory struct {
	Metrics []*Metric
	Summary Summary
}

// Metric is one metric and the places it appears.
//
// The series of one family (x_bucket, x_sum and x_count of a histogram; x_total and x of an
// OpenMetrics counter) are one metric, named as queries name it: the family name, and for a
// counter the name of its samples (x_total). A use or doc entry that names another series
// of the family says so in its As field.
type Metric struct {
	Name string
	// Type is the first exported family's type, else the first documented type; "" when
	// neither says.
	Type string
	// Builtin is set for series Prometheus makes itself (up, ALERTS, scrape_*): they are
	// defined although nothing exports them.
	Builtin bool
	// Covered is set when some exposition is the truth for the name (its name prefix or
	// covers: globs), so that a metric nothing defines is drift rather than unverified.
	Covered  bool
	Exported []Export
	// Known holds the entries of known_metrics files that name the metric: it exists
	// although no exposition shows it.
	Known []Known
	// Exporter is set when a catalogued exporter of the config's exporters: exports the
	// metric: the metric's origin is that exporter.
	Exporter   *FromExporter
	Documented []Doc
	Recorded   []Record
	Used       []Use
}

// FromExporter is the catalogued exporter that exports a metric.
type FromExporter struct {
	At          lint.Pos // the config's exporters: entry
	Name        string   // as the config names it: node-exporter
	Version     string   // the catalogued version selected, or the versions of a family it lacks ("0.15 until 0.16")
	Type        string
	Labels      []string
	LabelsKnown bool
}

// Known is a metric named by a known_metrics file.
type Known struct {
	At   lint.Pos
	As   string // the name as written, when it is another series of the metric
	Type string // "" when the file does not say
}

// Export is a family of the metric in one exposition.
type Export struct {
	At     lint.Pos // the family's # HELP line, else # TYPE, else first sample; or its definition in code
	Target string   // the scraped target ("" for the unnamed one)
	Source bool     // read from the emitter's source code, not from a scrape
	Type   string
	Labels []string // sorted label names; see LabelsKnown
	// LabelsKnown is false when the exposition says nothing about the labels (a family
	// declared without samples, or code that builds label names at run time).
	LabelsKnown bool
	Help        string
}

// Doc is an entry of a metrics doc.
type Doc struct {
	At        lint.Pos
	As        string // the name as written, when it is another series of the metric
	Type      string // "" when the doc gives none
	HasLabels bool   // the doc has a labels column
	Labels    []string
	File      string // the metrics doc
}

// Record is a recording rule that records the metric.
type Record struct {
	At    lint.Pos // the record: name
	Group string
	// Labels are the inferred output labels, with the rule's static labels; LabelsKnown is
	// false when they cannot be inferred.
	Labels      []string
	LabelsKnown bool
}

// Use is a query that reads the metric.
type Use struct {
	At     lint.Pos // the selector
	Origin lint.Origin
	Owner  string // the alert or record name, panel title, variable or heading
	What   string // the query described for people: alert HighErrorRate, dashboard target "Lag"
	As     string // the series name as written, when it is another series of the metric
}

// Summary counts the metrics of an inventory.
type Summary struct {
	Metrics    int
	Exported   int // exported by at least one scrape or source file
	Documented int
	Recorded   int
	Used       int
	// Undocumented counts exported metrics that no metrics doc documents.
	Undocumented int
	// Unused counts exported or recorded metrics that no query reads.
	Unused int
	// Undefined counts used or documented metrics that nothing exports, records or names as
	// known, that Prometheus does not make itself, and that an exposition covers.
	Undefined int
	// Unverified counts the metrics like Undefined that no exposition covers: driftlint
	// cannot tell whether they exist.
	Unverified int
	// NotPromQL counts the queries left unread because they are not PromQL (LogQL rules,
	// targets of Loki or other datasources, Grafana expressions): their metrics, if any,
	// are not listed.
	NotPromQL int
}

// Defined reports whether the metric is exported, recorded, named by a known_metrics file
// or made by Prometheus.
func (m *Metric) Defined() bool {
	return m.Builtin || len(m.Exported) > 0 || len(m.Recorded) > 0 || len(m.Known) > 0 || m.Exporter != nil
}

// Undocumented reports whether the metric is exported but documented nowhere (recordings
// are documented by their rule).
func (m *Metric) Undocumented() bool {
	return len(m.Exported) > 0 && len(m.Documented) == 0
}

// Unused reports whether the metric is exported or recorded but no query reads it.
func (m *Metric) Unused() bool {
	return (len(m.Exported) > 0 || len(m.Recorded) > 0) && len(m.Used) == 0
}

// Undefined reports whether the metric is used or documented, nothing defines it, and an
// exposition covers its name.
func (m *Metric) Undefined() bool {
	return !m.Defined() && m.Covered
}

// Unverified reports whether the metric is used or documented, nothing defines it, and no
// exposition covers its name.
func (m *Metric) Unverified() bool {
	return !m.Defined() && !m.Covered
}

// Notes lists what stands out about the metric, for people: undocumented, unused,
// undefined, unverified.
func (m *Metric) Notes() []string {
	var out []string
	if m.Undocumented() {
		out = append(out, "undocumented")
	}
	if m.Unused() {
		out = append(out, "unused")
	}
	if m.Undefined() {
		out = append(out, "undefined")
	}
	if m.Unverified() {
		out = append(out, "unverified")
	}
	return out
}

// Build collects the inventory of a loaded project. It only reads the project.
func Build(p *lint.Project) Inventory {
	b := &builder{p: p, alias: map[string]string{}, byName: map[string]*Metric{}}
	for _, e := range p.Expositions {
		for _, name := range e.Order {
			if f := e.Families[name]; f != nil {
				b.family(e, f)
			}
		}
	}
	for _, k := range p.KnownMetrics {
		key := b.known(k)
		m := b.metric(key)
		kn := Known{At: k.At, Type: k.Type}
		if k.Name != key {
			kn.As = k.Name
		}
		m.Known = append(m.Known, kn)
	}
	res := promql.IndexFor(p)
	for _, r := range p.Rules {
		if r.Kind != lint.RecordingRule {
			continue
		}
		m := b.metric(b.key(r.Name))
		rec := Record{At: r.NameAt, Group: r.Group, Labels: []string{}}
		if s := promql.RuleLabels(r, res); s.Known {
			rec.LabelsKnown = true
			rec.Labels = append(rec.Labels, s.Labels...)
		}
		m.Recorded = append(m.Recorded, rec)
	}
	for _, d := range p.DocEntries {
		key := b.key(d.Name)
		m := b.metric(key)
		doc := Doc{At: d.At, Type: d.Type, HasLabels: d.HasLabels, Labels: sortedCopy(d.Labels)}
		if d.Name != key {
			doc.As = d.Name
		}
		if d.Doc != nil && d.Doc.File != nil {
			doc.File = d.Doc.File.Path
		}
		m.Documented = append(m.Documented, doc)
	}
	for _, u := range p.MetricUses() {
		if promql.IsVariable(u.Name) {
			continue
		}
		key := b.key(u.Name)
		m := b.metric(key)
		use := Use{At: u.At, Origin: u.Query.Origin, Owner: u.Query.Owner, What: u.Query.Describe()}
		if u.Name != key {
			use.As = u.Name
		}
		m.Used = append(m.Used, use)
	}
	if p.Config != nil {
		for _, iv := range p.Config.Invariants {
			for _, name := range invariantMetrics(iv) {
				key := b.key(name)
				use := Use{At: p.Config.ProjectPos(iv.At), Origin: lint.OriginInvariant, Owner: iv.Name, What: "invariant " + strconv.Quote(iv.Name)}
				if name != key {
					use.As = name
				}
				m := b.metric(key)
				m.Used = append(m.Used, use)
			}
		}
	}

	inv := Inventory{Metrics: make([]*Metric, 0, len(b.byName))}
	for _, m := range b.byName {
		if d, ok := p.Lookup(m.Name); ok && d.Kind == lint.DefSynthetic {
			m.Builtin = true
		}
		if d, ok := p.Lookup(m.Name); ok && d.Kind == lint.DefExporter && d.Family != nil {
			f := d.Family
			version := d.Exporter.Ref.Version
			if in := d.Exporter.OlderIn[f.Name]; in != "" {
				version = in // a family of other catalogued versions only
			}
			m.Exporter = &FromExporter{At: d.At, Name: d.Exporter.Ref.Name, Version: version, Type: f.Type, Labels: sortedCopy(f.Labels), LabelsKnown: f.LabelsKnown()}
			if m.Type == "" {
				m.Type = f.Type
			}
		}
		m.Covered = p.Covered(m.Name)
		for _, k := range m.Known {
			if m.Type == "" && k.Type != "" {
				m.Type = k.Type
			}
		}
		if m.Type == "" {
			for _, d := range m.Documented {
				if d.Type != "" {
					m.Type = d.Type
					break
				}
			}
		}
		sort.SliceStable(m.Documented, func(i, j int) bool { return m.Documented[i].At.Less(m.Documented[j].At) })
		sort.SliceStable(m.Used, func(i, j int) bool { return m.Used[i].At.Less(m.Used[j].At) })
		m.Used = slices.CompactFunc(m.Used, func(a, b Use) bool { return a == b })
		inv.Metrics = append(inv.Metrics, m)
	}
	sort.Slice(inv.Metrics, func(i, j int) bool { return inv.Metrics[i].Name < inv.Metrics[j].Name })
	inv.Summary = summarize(inv.Metrics)
	inv.Summary.NotPromQL = len(p.Foreign)
	return inv
}

func summarize(metrics []*Metric) Summary {
	s := Summary{Metrics: len(metrics)}
	count := func(c *int, ok bool) {
		if ok {
			*c++
		}
	}
	for _, m := range metrics {
		count(&s.Exported, len(m.Exported) > 0)
		count(&s.Documented, len(m.Documented) > 0)
		count(&s.Recorded, len(m.Recorded) > 0)
		count(&s.Used, len(m.Used) > 0)
		count(&s.Undocumented, m.Undocumented())
		count(&s.Unused, m.Unused())
		count(&s.Undefined, m.Undefined())
		count(&s.Unverified, m.Unverified())
	}
	return s
}

type builder struct {
	p      *lint.Project
	alias  map[string]string // series name → metric name
	byName map[string]*Metric
}

func (b *builder) metric(name string) *Metric {
	m := b.byName[name]
	if m == nil {
		m = &Metric{Name: name, Exported: []Export{}, Known: []Known{}, Documented: []Doc{}, Recorded: []Record{}, Used: []Use{}}
		b.byName[name] = m
	}
	return m
}

// key returns the metric a series name belongs to.
func (b *builder) key(series string) string {
	if k, ok := b.alias[series]; ok {
		return k
	}
	return series
}

// fold returns the metric of a family, and makes every series of the family an alias of it.
func (b *builder) fold(f *lint.Family) string {
	key := familyKey(f)
	if k, ok := b.alias[key]; ok {
		key = k
	} else if f.Type == "counter" {
		if k, ok := b.alias[strings.TrimSuffix(f.Name, "_total")+"_total"]; ok {
			key = k
		}
	}
	for _, s := range append(f.SeriesNames(), key) {
		if _, ok := b.alias[s]; !ok {
			b.alias[s] = key
		}
	}
	return key
}

// known returns the metric a known_metrics entry names: a series of an exported family, or
// a family of its own (whose series then fold onto it).
func (b *builder) known(k lint.KnownMetric) string {
	if key, ok := b.alias[k.Name]; ok {
		return key
	}
	return b.fold(&lint.Family{Name: k.Name, Type: k.Type})
}

// family adds an exported family, folding its series onto one metric.
func (b *builder) family(e *lint.Exposition, f *lint.Family) {
	key := b.fold(f)
	m := b.metric(key)
	if m.Type == "" {
		m.Type = f.Type
	}
	m.Exported = append(m.Exported, Export{
		At:          f.At(),
		Target:      e.Target,
		Source:      e.Source,
		Type:        f.Type,
		Labels:      sortedCopy(f.Labels),
		LabelsKnown: f.LabelsKnown(),
		Help:        f.Help,
	})
}

// familyKey is the name queries use for a family: a counter's sample name (x_total, also
// for an OpenMetrics family x), else the family name.
func familyKey(f *lint.Family) string {
	if f.Type == "counter" {
		for _, s := range f.Samples {
			if !strings.HasSuffix(s.Name, "_created") {
				return s.Name
			}
		}
	}
	return f.Name
}

func sortedCopy(s []string) []string {
	out := append([]string{}, s...)
	slices.Sort(out)
	return slices.Compact(out)
}

// invariantMetrics lists the metrics a config invariant reads, in order, once each (the
// config parsed it already, so it parses).
func invariantMetrics(iv lint.Invariant) []string {
	e, err := lint.PromQLParser.ParseExpr(iv.Expr)
	if err != nil {
		return nil
	}
	var out []string
	parser.Inspect(e, func(n parser.Node, _ []parser.Node) error {
		if vs, ok := n.(*parser.VectorSelector); ok {
			if name := lint.MetricName(vs); name != "" && !slices.Contains(out, name) {
				out = append(out, name)
			}
		}
		return nil
	})
	return out
}
