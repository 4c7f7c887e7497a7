package rules

import (
	"fmt"
	"slices"
	"strings"

	"github.com/agnivade/levenshtein"
	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/promql/parser"
	"github.com/prometheus/prometheus/promql/parser/posrange"

	"github.com/driftlint/driftlint/lint"
	"github.com/driftlint/driftlint/lint/promql"
)

// LabelUnknown reports labels that a query, legend, template or variable uses but that the
// series it applies to can never carry.
var LabelUnknown = &lint.Rule{
	ID:      "label/unknown",
	Summary: "a label used that the expression's series can never carry",
	Doc: `A label is used in a matcher, a by/without clause, an on/ignoring/group_left clause, a
Grafana legend ({{pod}}), an alert label or annotation template ({{ $labels.pod }},
{{ .Labels.pod }}, {{ index $labels "pod" }}), a label_replace source or a dashboard variable
(label_values(metric, pod)), but the series it applies to do not carry it: the matcher selects
nothing, the grouping collapses everything into one series, the legend and the annotation
print an empty string. It usually means the exporter renamed or dropped the label, or the
query aggregated it away (sum by (job) loses pod).

Each place is checked against the right set of labels, inferred offline from the expositions
and the recording rules: a matcher against the metric's exported labels; by and without
against the aggregated input; on and ignoring against both sides (a label on one side only is
promql/vector-matching's business); group_left (x) against the "one" side; a legend against
the target's result; an alert template against the alert's result labels, its static labels
and alertname. Matchers that can match a missing label (x="", x!="a", x!~"…", a regex that
matches the empty string, or a value holding a Grafana variable) are never reported, nor is
anything whose labels cannot be inferred (a metric nothing defines, a regex name, a Grafana
variable in a name or in by ($group)).

Scrape-time labels: a saved exposition does not show the labels Prometheus adds when it
scrapes (job, instance, and target labels from relabeling or external labels such as
cluster, namespace, pod). job and instance are taken to be on every scraped series. Another
label is taken to be a target label when the project uses it where the exporters' labels
cannot explain it and it is either a conventional target label name (cluster, container,
datacenter, endpoint, env, environment, namespace, node, pod, prometheus,
prometheus_replica, region, service, zone) or used so on metrics of at least three
subsystems (node_cpu, node_memory, …); it is then taken to be on every exported metric whose
exposition carries that label on no family at all. A label that the exporter exports on some
family is its own: a family of that exporter without it is still checked. Messages leave
these presumed labels out of the label sets they print. A family with no samples, and a
family whose label names depend on the exporter's flags (kube-state-metrics'
kube_*_labels and kube_*_annotations with their label_<name> and annotation_<name> labels,
cAdvisor's container_label_<name>), has unknown labels and is never reported.

Bad (the sequence metrics lost thread_id; the alert aggregates stage away):

    "expr": "rate(dashstream_sequence_gaps_total[5m])", "legendFormat": "gaps {{thread_id}}"

    expr: sum(rate(websocket_e2e_latency_ms_bucket[5m])) by (le) > 2000
    annotations:
      summary: "p99 latency above 2s for stage {{ $labels.stage }}"

Good:

    "expr": "rate(dashstream_sequence_gaps_total[5m])", "legendFormat": "gaps {{instance}}"

    expr: sum(rate(websocket_e2e_latency_ms_bucket[5m])) by (le, stage) > 2000
    annotations:
      summary: "p99 latency above 2s for stage {{ $labels.stage }}"`,
	Severity: lint.Error,
	Needs:    lint.NeedQueries,
	Run:      runLabelUnknown,
}

func runLabelUnknown(pass *lint.Pass) error {
	p := pass.Project
	idx := labelIndexFor(p)
	for _, q := range p.Queries {
		if q.Expr != nil {
			checkQueryLabels(pass, idx, q)
		}
	}
	for _, d := range p.Dashboards {
		for _, t := range d.Targets {
			checkLegend(pass, idx, t)
		}
		for _, v := range d.Variables {
			checkLabelValues(pass, idx, v)
		}
	}
	for _, rs := range [][]*lint.RuleEntry{p.Rules, p.RunbookAlerts} {
		for _, r := range rs {
			if r.Kind == lint.AlertRule {
				checkTemplates(pass, idx, r)
			}
		}
	}
	return nil
}

// checkQueryLabels checks the labels named inside one expression: matchers, grouping and
// vector matching clauses, and label_replace sources.
func checkQueryLabels(pass *lint.Pass, idx *labelIndex, q *lint.Query) {
	parser.Inspect(q.Expr, func(n parser.Node, _ []parser.Node) error {
		switch e := n.(type) {
		case *parser.VectorSelector:
			checkMatchers(pass, idx, q, e)
		case *parser.AggregateExpr:
			checkGrouping(pass, idx, q, e)
		case *parser.BinaryExpr:
			checkMatching(pass, idx, q, e)
		case *parser.Call:
			checkLabelReplace(pass, idx, q, e)
		}
		return nil
	})
}

// checkMatchers reports matchers that require a label the selected metric never carries.
func checkMatchers(pass *lint.Pass, idx *labelIndex, q *lint.Query, vs *parser.VectorSelector) {
	name := lint.MetricName(vs)
	if name == "" || promql.IsVariable(name) {
		return
	}
	have, ok := idx.MetricLabels(name)
	if !ok {
		return
	}
	var toks []labelTok
	for _, m := range vs.LabelMatchers {
		if unchecked(m.Name) || slices.Contains(have, m.Name) {
			continue
		}
		if m.Matches("") || fromGrafana(q) && hasGrafanaVariable(m.Value) {
			continue // it can match series without the label
		}
		if toks == nil {
			toks = matcherTokens(q.Text.Value, vs.PosRange)
		}
		at := q.NodePos(vs)
		if off, ok := takeTok(toks, m.Name); ok {
			at = q.Pos(off)
		}
		msg := fmt.Sprintf("matcher %s selects nothing: metric %q has no label %q (its labels: %s)", m, name, m.Name, joinLabels(idx.shown(have)))
		reportLabel(pass, idx, at, m.Name, name, q, msg, have)
	}
}

// checkGrouping reports by/without labels that the aggregated series never carry.
func checkGrouping(pass *lint.Pass, idx *labelIndex, q *lint.Query, a *parser.AggregateExpr) {
	if len(a.Grouping) == 0 {
		return
	}
	in := promql.Infer(a.Expr, idx)
	if !in.Known {
		return
	}
	if a.Op == parser.COUNT_VALUES {
		if s, ok := a.Param.(*parser.StringLiteral); ok {
			in = addLabel(in, s.Val)
		}
	}
	kw := "by"
	if a.Without {
		kw = "without"
	}
	var toks []labelTok
	for _, g := range a.Grouping {
		if unchecked(g) || in.Has(g) {
			continue
		}
		if toks == nil {
			toks = clauseLabels(q.Text.Value, ownRegions(a, a.Expr, a.Param), kw)
		}
		at := q.NodePos(a)
		if off, ok := takeTok(toks, g); ok {
			at = q.Pos(off)
		}
		effect := "so the result never carries it"
		if a.Without {
			effect = "so without removes nothing"
		}
		msg := fmt.Sprintf("label %q in %s %s (…) is not on the aggregated series %s, %s", g, a.Op, kw, idx.show(in.Labels), effect)
		reportLabel(pass, idx, at, g, soleMetric(a.Expr), q, msg, in.Labels)
	}
}

// checkMatching reports on/ignoring labels that neither side carries and group_x labels
// that the "one" side does not carry.
func checkMatching(pass *lint.Pass, idx *labelIndex, q *lint.Query, b *parser.BinaryExpr) {
	vm := b.VectorMatching
	if vm == nil || b.LHS.Type() != parser.ValueTypeVector || b.RHS.Type() != parser.ValueTypeVector {
		return
	}
	if len(vm.MatchingLabels) == 0 && len(vm.Include) == 0 {
		return
	}
	l, r := promql.Infer(b.LHS, idx), promql.Infer(b.RHS, idx)
	region := [][2]int{{int(b.LHS.PositionRange().End), int(b.RHS.PositionRange().Start)}}
	at := func(kw, label string) lint.Pos {
		if off, ok := takeTok(clauseLabels(q.Text.Value, region, kw), label); ok {
			return q.Pos(off)
		}
		return q.NodePos(b)
	}
	if l.Known && r.Known {
		kw := "ignoring"
		if vm.On {
			kw = "on"
		}
		for _, m := range vm.MatchingLabels {
			if unchecked(m) || l.Has(m) || r.Has(m) {
				continue
			}
			msg := fmt.Sprintf("label %q in %s (…) is on neither side of %q (left %s, right %s)", m, kw, b.Op, idx.show(l.Labels), idx.show(r.Labels))
			reportLabel(pass, idx, at(kw, m), m, soleMetric(b), q, msg, append(slices.Clone(l.Labels), r.Labels...))
		}
	}
	one, kw, side := r, "group_left", "right"
	if vm.Card == parser.CardOneToMany {
		one, kw, side = l, "group_right", "left"
	}
	if !one.Known || vm.Card == parser.CardOneToOne || vm.Card == parser.CardManyToMany {
		return
	}
	oneExpr := b.RHS
	if vm.Card == parser.CardOneToMany {
		oneExpr = b.LHS
	}
	for _, inc := range vm.Include {
		if unchecked(inc) || one.Has(inc) {
			continue
		}
		msg := fmt.Sprintf("label %q in %s (…) is not on the %s side %s, so the result never carries it", inc, kw, side, idx.show(one.Labels))
		reportLabel(pass, idx, at(kw, inc), inc, soleMetric(oneExpr), q, msg, one.Labels)
	}
}

// checkLabelReplace reports a label_replace whose source label its input never carries
// while its regex cannot match the empty string: it never replaces anything.
func checkLabelReplace(pass *lint.Pass, idx *labelIndex, q *lint.Query, c *parser.Call) {
	if c.Func == nil || c.Func.Name != "label_replace" || len(c.Args) != 5 {
		return
	}
	src, ok1 := c.Args[3].(*parser.StringLiteral)
	re, ok2 := c.Args[4].(*parser.StringLiteral)
	if !ok1 || !ok2 || src.Val == "" || unchecked(src.Val) || strings.Contains(src.Val, "$") {
		return
	}
	m, err := labels.NewMatcher(labels.MatchRegexp, "x", re.Val)
	if err != nil || m.Matches("") {
		return
	}
	in := promql.Infer(c.Args[0], idx)
	if !in.Known || in.Has(src.Val) {
		return
	}
	msg := fmt.Sprintf("label_replace reads label %q that its input %s never carries, so it replaces nothing", src.Val, idx.show(in.Labels))
	reportLabel(pass, idx, q.Pos(int(src.PosRange.Start)+1), src.Val, soleMetric(c.Args[0]), q, msg, in.Labels)
}

// checkLegend reports {{x}} in a target's legendFormat when the target's result never
// carries x.
func checkLegend(pass *lint.Pass, idx *labelIndex, t lint.DashboardTarget) {
	if t.Query == nil || t.Query.Expr == nil || t.Legend.Value == "" {
		return
	}
	refs := promql.LegendLabels(t.Legend.Value)
	if len(refs) == 0 {
		return
	}
	res := promql.Infer(t.Query.Expr, idx)
	if !res.Known {
		return
	}
	for _, ref := range refs {
		if res.Has(ref.Name) {
			continue
		}
		msg := fmt.Sprintf("legend of %s reads label %q that the query's result %s never carries", t.Query.Describe(), ref.Name, idx.show(res.Labels))
		reportLabel(pass, idx, t.Legend.Pos(ref.Off), ref.Name, soleMetric(t.Query.Expr), t.Query, msg, res.Labels)
	}
}

// checkLabelValues reports label_values(selector, x) when the selector's series never carry x.
func checkLabelValues(pass *lint.Pass, idx *labelIndex, v lint.DashboardVariable) {
	if v.Query == nil || v.Query.Expr == nil {
		return
	}
	label := v.Label.Value
	if !promql.IsLabelName(label) || unchecked(label) {
		return
	}
	set := promql.Infer(v.Query.Expr, idx)
	if !set.Known || set.Has(label) {
		return
	}
	msg := fmt.Sprintf("dashboard variable %q lists values of label %q, which the series of %s %s never carry", v.Name, label, strings.TrimSpace(v.Query.Text.Value), idx.show(set.Labels))
	reportLabel(pass, idx, v.Label.Pos(0), label, soleMetric(v.Query.Expr), v.Query, msg, set.Labels)
}

// checkTemplates reports labels that an alert's label and annotation templates read but
// that neither the alert's series nor its static labels carry.
func checkTemplates(pass *lint.Pass, idx *labelIndex, r *lint.RuleEntry) {
	if r.Query == nil || r.Query.Expr == nil {
		return
	}
	var res *promql.LabelSet
	for _, group := range []struct {
		what string
		kvs  []lint.KV
	}{{"label", r.Labels}, {"annotation", r.Annotations}} {
		for _, kv := range group.kvs {
			for _, ref := range promql.TemplateLabels(kv.Value.Value) {
				if unchecked(ref.Name) || ref.Name == labels.AlertName || r.Label(ref.Name) != nil {
					continue
				}
				if res == nil {
					s := promql.Infer(r.Query.Expr, idx)
					res = &s
				}
				if res.Has(ref.Name) {
					continue
				}
				static := make([]string, 0, len(r.Labels))
				for _, l := range r.Labels {
					static = append(static, l.Key)
				}
				msg := fmt.Sprintf("%s %q of alert %s reads label %q that neither the alert's series %s nor its static labels {%s} carry",
					group.what, kv.Key, r.Name, ref.Name, idx.show(res.Labels), strings.Join(static, ", "))
				reportLabel(pass, idx, kv.Value.Pos(ref.Off), ref.Name, soleMetric(r.Query.Expr), r.Query, msg,
					append(append(static, labels.AlertName), res.Labels...))
			}
		}
	}
}

// unchecked reports whether a label name is never reported: a Grafana variable stand-in,
// or a reserved name starting with __ (__name__, __type__, …), whose presence the inference
// does not track.
func unchecked(name string) bool {
	return promql.IsVariable(name) || strings.HasPrefix(name, "__")
}

// reportLabel reports a finding about label, adding "did you mean" when a close label is
// among candidates (for names of four bytes or less, one edit away: "node" is not a typo of
// "pod") and the metric's definition as the related position.
func reportLabel(pass *lint.Pass, idx *labelIndex, at lint.Pos, label, metric string, q *lint.Query, msg string, candidates []string) {
	if s := lint.Closest(label, idx.shown(candidates)); s != "" && (len(label) > 4 || levenshtein.ComputeDistance(label, s) < 2) {
		msg += fmt.Sprintf(" (did you mean %q?)", s)
	}
	subject := subjectOf(q)
	subject.Label, subject.Metric = label, metric
	f := lint.Finding{Pos: at, Message: msg, Subject: subject}
	if rel, ok := idx.related(metric); ok {
		f.Related = append(f.Related, rel)
	}
	pass.Report(f)
}

// soleMetric returns the metric that every selector under n reads, or "" when there are
// none or several.
func soleMetric(n parser.Node) string {
	name := ""
	several := false
	parser.Inspect(n, func(n parser.Node, _ []parser.Node) error {
		if vs, ok := n.(*parser.VectorSelector); ok {
			m := lint.MetricName(vs)
			if name != "" && m != name {
				several = true
			}
			name = m
		}
		return nil
	})
	if several {
		return ""
	}
	return name
}

// addLabel returns s with name added.
func addLabel(s promql.LabelSet, name string) promql.LabelSet {
	if !s.Known || s.Has(name) || name == "" {
		return s
	}
	out := append(slices.Clone(s.Labels), name)
	slices.Sort(out)
	return promql.LabelSet{Known: true, Labels: out}
}

// withLabels says "labels a, b" or "no labels".
func withLabels(ls []string) string {
	if len(ls) == 0 {
		return "no labels"
	}
	return "labels " + strings.Join(ls, ", ")
}

func joinLabels(ls []string) string {
	if len(ls) == 0 {
		return "none"
	}
	return strings.Join(ls, ", ")
}

// fromGrafana reports whether a query comes from a dashboard, where $x in a string is a
// variable (Query.Vars is false when variables appear only inside strings).
func fromGrafana(q *lint.Query) bool {
	return q.Vars || q.Origin == lint.OriginDashboard || q.Origin == lint.OriginDashboardVariable
}

// hasGrafanaVariable reports whether a matcher value still holds a Grafana variable ($x,
// ${x}, [[x]]): its value is chosen on the dashboard and may be empty or .*, which match
// series without the label.
func hasGrafanaVariable(v string) bool {
	for i := 0; i < len(v); i++ {
		switch {
		case v[i] == '$' && i+1 < len(v) && (v[i+1] == '{' || v[i+1] == '_' || isLetter(v[i+1])):
			return true
		case strings.HasPrefix(v[i:], "[["):
			return true
		}
	}
	return false
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// labelTok is a label name found in query text, with its byte offset.
type labelTok struct {
	name string
	off  int
	used bool
}

// takeTok returns the offset of the first unused token named name and marks it used.
func takeTok(toks []labelTok, name string) (int, bool) {
	for i := range toks {
		if !toks[i].used && toks[i].name == name {
			toks[i].used = true
			return toks[i].off, true
		}
	}
	return 0, false
}

// ownRegions returns the parts of n's text range that none of the children cover: where
// the keywords and clauses of n itself are written.
func ownRegions(n parser.Node, children ...parser.Node) [][2]int {
	pr := n.PositionRange()
	var cover []posrange.PositionRange
	for _, c := range children {
		if c != nil {
			cover = append(cover, c.PositionRange())
		}
	}
	slices.SortFunc(cover, func(a, b posrange.PositionRange) int { return int(a.Start - b.Start) })
	var out [][2]int
	at := int(pr.Start)
	for _, c := range cover {
		if int(c.Start) > at {
			out = append(out, [2]int{at, int(c.Start)})
		}
		at = max(at, int(c.End))
	}
	if int(pr.End) > at {
		out = append(out, [2]int{at, int(pr.End)})
	}
	return out
}

// scanner walks PromQL text within [i, end), skipping blanks and # comments.
type scanner struct {
	s      string
	i, end int
}

func (sc *scanner) skip() {
	for sc.i < sc.end {
		switch sc.s[sc.i] {
		case ' ', '\t', '\n', '\r':
			sc.i++
		case '#':
			for sc.i < sc.end && sc.s[sc.i] != '\n' {
				sc.i++
			}
		default:
			return
		}
	}
}

// str skips a quoted string at sc.i and returns the offsets of its content.
func (sc *scanner) str() (int, int, bool) {
	if sc.i >= sc.end {
		return 0, 0, false
	}
	q := sc.s[sc.i]
	if q != '"' && q != '\'' && q != '`' {
		return 0, 0, false
	}
	start := sc.i + 1
	for j := start; j < sc.end; j++ {
		switch sc.s[j] {
		case '\\':
			if q != '`' {
				j++
			}
		case q:
			sc.i = j + 1
			return start, j, true
		}
	}
	sc.i = sc.end
	return 0, 0, false
}

// ident reads an identifier (metric names may hold colons) at sc.i.
func (sc *scanner) ident() (int, int) {
	start := sc.i
	for sc.i < sc.end {
		c := sc.s[sc.i]
		if c == '_' || c == ':' || isLetter(c) || sc.i > start && c >= '0' && c <= '9' {
			sc.i++
			continue
		}
		break
	}
	return start, sc.i
}

// name reads a label name, bare or quoted, and returns it with its offset.
func (sc *scanner) name() (labelTok, bool) {
	if a, b, ok := sc.str(); ok {
		return labelTok{name: sc.s[a:b], off: a}, true
	}
	a, b := sc.ident()
	if a == b {
		return labelTok{}, false
	}
	return labelTok{name: sc.s[a:b], off: a}, true
}

// clauseLabels returns the labels of the list that follows keyword kw (by, without, on,
// ignoring, group_left, group_right) in the regions of text.
func clauseLabels(text string, regions [][2]int, kw string) []labelTok {
	for _, r := range regions {
		sc := &scanner{s: text, i: max(r[0], 0), end: min(r[1], len(text))}
		for sc.skip(); sc.i < sc.end; sc.skip() {
			if _, _, ok := sc.str(); ok {
				continue
			}
			a, b := sc.ident()
			if a == b {
				sc.i++
				continue
			}
			if !strings.EqualFold(text[a:b], kw) {
				continue
			}
			sc.skip()
			if sc.i >= sc.end || text[sc.i] != '(' {
				continue
			}
			sc.i++
			return sc.list(')')
		}
	}
	return nil
}

// list reads comma-separated label names up to the closing byte.
func (sc *scanner) list(closing byte) []labelTok {
	var out []labelTok
	for {
		sc.skip()
		if sc.i >= sc.end || sc.s[sc.i] == closing {
			return out
		}
		t, ok := sc.name()
		if !ok {
			return out
		}
		out = append(out, t)
		sc.skip()
		if sc.i < sc.end && sc.s[sc.i] == ',' {
			sc.i++
		}
	}
}

// matcherTokens returns the label names of the matchers in a selector's braces.
func matcherTokens(text string, pr posrange.PositionRange) []labelTok {
	sc := &scanner{s: text, i: int(pr.Start), end: min(int(pr.End), len(text))}
	for sc.skip(); sc.i < sc.end && text[sc.i] != '{'; sc.skip() {
		if _, _, ok := sc.str(); ok {
			continue
		}
		if a, b := sc.ident(); a == b {
			sc.i++
		}
	}
	if sc.i >= sc.end {
		return nil
	}
	sc.i++
	var out []labelTok
	for {
		sc.skip()
		if sc.i >= sc.end || text[sc.i] == '}' {
			return out
		}
		t, ok := sc.name()
		if !ok {
			return out
		}
		sc.skip()
		op := sc.i
		for sc.i < sc.end && (text[sc.i] == '=' || text[sc.i] == '!' || text[sc.i] == '~') {
			sc.i++
		}
		if sc.i > op { // a label matcher, not a quoted metric name
			out = append(out, t)
			sc.skip()
			sc.str()
		}
		sc.skip()
		if sc.i < sc.end && text[sc.i] == ',' {
			sc.i++
		}
	}
}

// labelIndex is the label knowledge of label/unknown and promql/vector-matching, built once
// per project. It is a promql.Resolver like promql.ResolverFor's, with three differences:
// the labels Prometheus attaches at scrape time, which no saved exposition shows, are taken
// to be on exported metrics (see newLabelIndex); a family without samples, and a family whose
// label names depend on the exporter's flags (see dynamicLabels), has unknown labels.
type labelIndex struct {
	exported map[string][]string     // series name → labels, scrape-time labels included
	families map[string]*lint.Family // series name → the first family that exports it
	records  map[string][]*lint.RuleEntry
	inferred map[string]promql.LabelSet
	active   map[string]bool // recordings being inferred, to stop cycles
	targets  []string        // presumed scrape-time target labels, sorted
}

// labelIndexFor returns the project's labelIndex, built once.
func labelIndexFor(p *lint.Project) *labelIndex {
	return p.Memo("rules.labelIndex", func() any { return newLabelIndex(p) }).(*labelIndex)
}

// isConventionalTargetLabel reports whether name is a label that service discovery,
// relabeling or external labels commonly put on every series of a target.
func isConventionalTargetLabel(name string) bool {
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

func newLabelIndex(p *lint.Project) *labelIndex {
	x := &labelIndex{
		exported: map[string][]string{}, families: map[string]*lint.Family{},
		records: map[string][]*lint.RuleEntry{}, inferred: map[string]promql.LabelSet{}, active: map[string]bool{},
	}
	base := map[string][]string{}
	expoOf := map[string][]int{} // series name → expositions that export it
	expoLabels := make([]map[string]bool, len(p.Expositions))
	for i, e := range p.Expositions {
		all := map[string]bool{}
		for _, name := range e.Order {
			f := e.Families[name]
			for _, l := range f.Labels {
				all[l] = true
			}
			if !f.LabelsKnown() || dynamicLabels(f) {
				continue // labels not known: the metric is left undefined, its sets unknown
			}
			for _, s := range f.SeriesNames() {
				ls := base[s]
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
		expoLabels[i] = all
	}
	owns := func(series, label string) bool { // the exporter of series exports label somewhere
		for _, i := range expoOf[series] {
			if expoLabels[i][label] {
				return true
			}
		}
		return false
	}

	// First the labels the exporters show, plus job and instance.
	for s, ls := range base {
		ls = append(ls, promql.TargetLabels...)
		slices.Sort(ls)
		x.exported[s] = slices.Compact(ls)
	}
	for _, r := range p.Rules {
		if r.Kind == lint.RecordingRule {
			x.records[r.Name] = append(x.records[r.Name], r)
		}
	}
	x.inferAll()

	// Then the scrape-time target labels: those that the project uses where the exporters'
	// labels cannot explain them, on metrics of an exporter that never exports them.
	used := map[string]map[string]bool{} // label → subsystems
	unexplained := func(label string, metrics []string) {
		if unchecked(label) || slices.Contains(promql.TargetLabels, label) {
			return
		}
		for _, m := range metrics {
			f := x.families[m]
			if f == nil || owns(m, label) {
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
		if isConventionalTargetLabel(label) || len(subs) >= minTargetSubsystems {
			x.targets = append(x.targets, label)
		}
	}
	if len(x.targets) == 0 {
		return x
	}
	slices.Sort(x.targets)
	for s, ls := range x.exported {
		for _, t := range x.targets {
			if !owns(s, t) {
				ls = append(ls, t)
			}
		}
		slices.Sort(ls)
		x.exported[s] = slices.Compact(ls)
	}
	x.inferred = map[string]promql.LabelSet{}
	x.inferAll()
	return x
}

// inferAll infers every recording, in name order, so that the index is read-only afterwards
// (rules run in parallel) and cycles resolve the same way on every run.
func (x *labelIndex) inferAll() {
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
func (x *labelIndex) unexplainedUses(p *lint.Project, use func(label string, metrics []string)) {
	lacks := func(label string, e parser.Expr) {
		if s := promql.Infer(e, x); s.Known && !s.Has(label) {
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
					if !unchecked(m.Name) && !m.Matches("") && !slices.Contains(have, m.Name) {
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
				for _, ref := range promql.LegendLabels(t.Legend.Value) {
					lacks(ref.Name, t.Query.Expr)
				}
			}
		}
		for _, v := range d.Variables {
			if v.Query != nil && v.Query.Expr != nil && promql.IsLabelName(v.Label.Value) {
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
				for _, ref := range promql.TemplateLabels(kv.Value.Value) {
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

// MetricLabels implements promql.Resolver. A recording's labels are its expression's inferred
// labels plus its static labels; a metric both exported and recorded takes the union.
func (x *labelIndex) MetricLabels(name string) ([]string, bool) {
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
	out := append(slices.Clone(ls), set...)
	slices.Sort(out)
	return slices.Compact(out), true
}

// recorded infers (once) the output labels of the recording rules named name; ok is false
// when any of them is unknown. Only the constructor infers; later calls read the cache.
func (x *labelIndex) recorded(name string) ([]string, bool) {
	if s, ok := x.inferred[name]; ok {
		return s.Labels, s.Known
	}
	if x.active[name] {
		return nil, false
	}
	x.active[name] = true
	set := promql.LabelSet{Known: true}
	for _, r := range x.records[name] {
		if r.Query == nil || r.Query.Expr == nil {
			set = promql.LabelSet{}
			break
		}
		s := promql.Infer(r.Query.Expr, x)
		if !s.Known {
			set = promql.LabelSet{}
			break
		}
		set.Labels = append(set.Labels, s.Labels...)
		for _, kv := range r.Labels {
			set.Labels = append(set.Labels, kv.Key)
		}
	}
	slices.Sort(set.Labels)
	set.Labels = slices.Compact(set.Labels)
	x.inferred[name] = set
	delete(x.active, name)
	return set.Labels, set.Known
}

// related returns where a metric is defined, with its labels, for a finding's Related.
func (x *labelIndex) related(metric string) (lint.Related, bool) {
	if metric == "" {
		return lint.Related{}, false
	}
	if f := x.families[metric]; f != nil && f.At().IsValid() {
		return lint.Related{Pos: f.At(), Message: fmt.Sprintf("%q is exported here with %s", f.Name, withLabels(f.Labels))}, true
	}
	if rs := x.records[metric]; len(rs) > 0 && rs[0].NameAt.IsValid() {
		msg := fmt.Sprintf("%q is recorded here", metric)
		if s := x.inferred[metric]; s.Known {
			msg += " with " + withLabels(s.Labels)
		}
		return lint.Related{Pos: rs[0].NameAt, Message: msg}, true
	}
	return lint.Related{}, false
}

// shown returns labels without the presumed scrape-time target labels, which messages leave
// out: they are an assumption, and they would repeat on every finding.
func (x *labelIndex) shown(ls []string) []string {
	out := make([]string, 0, len(ls))
	for _, l := range ls {
		if _, ok := slices.BinarySearch(x.targets, l); !ok {
			out = append(out, l)
		}
	}
	return out
}

// show formats labels as {a, b} without the presumed scrape-time target labels.
func (x *labelIndex) show(ls []string) string {
	return "{" + strings.Join(x.shown(ls), ", ") + "}"
}
