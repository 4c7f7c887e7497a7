package rules

import (
	"fmt"
	"slices"
	"strings"

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
	Heavy:   true,
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
the target's result; an alert template against the alert's result labels only, because
Prometheus expands templates with the labels of the series the expression returned: a static
label of the rule ({{ $labels.severity }}) and alertname read as empty there, and are
reported with a message that says so. Matchers that can match a missing label (x="", x!="a", x!~"…", a regex that
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
exposition carries that label on no family at all. A config's target_labels: list replaces
the conventional names (job, instance and the three-subsystem rule stay). A metric that
carries a target label X itself is also valid with exported_X, the name Prometheus gives the
exporter's X when the target carries X too (honor_labels: false). A label that the exporter exports on some
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
	idx := promql.IndexFor(p)
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
	// One missing label of one alert or recording rule (its expression's sides, its by()
	// and its annotations), or of one dashboard or runbook expression, is one finding, however
	// many places name it.
	// Two rules may share a name: a finding belongs to the last rule of its name above it.
	type named struct{ file, name string }
	ruleLines := map[named][]int{}
	for _, rs := range [][]*lint.RuleEntry{p.Rules, p.RunbookAlerts} {
		for _, r := range rs {
			k := named{r.NameAt.File, r.Name}
			ruleLines[k] = append(ruleLines[k], r.NameAt.Line)
		}
	}
	type lineAt struct {
		file string
		line int
	}
	legendLines := map[lineAt]int{} // a legend's line → its target's expression line
	for _, d := range p.Dashboards {
		for _, t := range d.Targets {
			if t.Query == nil || t.Legend.Value == "" {
				continue
			}
			lp := t.Legend.Pos(0)
			ep := t.Query.Text.Pos(0)
			if lp.File == ep.File && lp.Line != ep.Line {
				legendLines[lineAt{lp.File, lp.Line}] = ep.Line
			}
		}
	}
	pass.FoldSame(func(f lint.Finding) string {
		if f.Subject.Label == "" {
			return ""
		}
		if owner := f.Subject.Alert + f.Subject.Record; owner != "" {
			rule := 0
			for _, l := range ruleLines[named{f.Pos.File, owner}] {
				if l <= f.Pos.Line {
					rule = max(rule, l)
				}
			}
			return fmt.Sprintf("%s\x00%d\x00%s", f.Pos.File, rule, f.Subject.Label)
		}
		// A dashboard target or runbook query: the two sides of one expression (its line),
		// and a target's legend with its expression (the legend's line counts as the
		// expression's).
		line := f.Pos.Line
		if l, ok := legendLines[lineAt{f.Pos.File, line}]; ok {
			line = l
		}
		return fmt.Sprintf("%s\x00%d\x00%s", f.Pos.File, line, f.Subject.Label)
	}, func(f lint.Finding) string {
		return "the same label here: " + f.Message
	})
	return nil
}

// checkQueryLabels checks the labels named inside one expression: matchers, grouping and
// vector matching clauses, and label_replace sources.
func checkQueryLabels(pass *lint.Pass, idx *promql.Index, q *lint.Query) {
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
func checkMatchers(pass *lint.Pass, idx *promql.Index, q *lint.Query, vs *parser.VectorSelector) {
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
		if promql.Unchecked(m.Name) || slices.Contains(have, m.Name) {
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
		msg := fmt.Sprintf("matcher %s selects nothing: metric %q has no label %q (its labels: %s)", m, name, m.Name, joinLabels(idx.Shown(have)))
		reportLabel(pass, idx, at, m.Name, name, q, msg, have)
	}
}

// checkGrouping reports by/without labels that the aggregated series never carry.
func checkGrouping(pass *lint.Pass, idx *promql.Index, q *lint.Query, a *parser.AggregateExpr) {
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
		if promql.Unchecked(g) || in.Has(g) {
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
		msg := fmt.Sprintf("label %q in %s %s (…) is not on the aggregated series %s, %s", g, a.Op, kw, idx.Show(in.Labels), effect)
		reportLabel(pass, idx, at, g, soleMetric(a.Expr), q, msg, in.Labels)
	}
}

// checkMatching reports on/ignoring labels that neither side carries and group_x labels
// that the "one" side does not carry.
func checkMatching(pass *lint.Pass, idx *promql.Index, q *lint.Query, b *parser.BinaryExpr) {
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
			if promql.Unchecked(m) || l.Has(m) || r.Has(m) {
				continue
			}
			msg := fmt.Sprintf("label %q in %s (…) is on neither side of %q (left %s, right %s)", m, kw, b.Op, idx.Show(l.Labels), idx.Show(r.Labels))
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
		if promql.Unchecked(inc) || one.Has(inc) {
			continue
		}
		msg := fmt.Sprintf("label %q in %s (…) is not on the %s side %s, so the result never carries it", inc, kw, side, idx.Show(one.Labels))
		reportLabel(pass, idx, at(kw, inc), inc, soleMetric(oneExpr), q, msg, one.Labels)
	}
}

// checkLabelReplace reports a label_replace whose source label its input never carries
// while its regex cannot match the empty string: it never replaces anything.
func checkLabelReplace(pass *lint.Pass, idx *promql.Index, q *lint.Query, c *parser.Call) {
	if c.Func == nil || c.Func.Name != "label_replace" || len(c.Args) != 5 {
		return
	}
	src, ok1 := c.Args[3].(*parser.StringLiteral)
	re, ok2 := c.Args[4].(*parser.StringLiteral)
	if !ok1 || !ok2 || src.Val == "" || promql.Unchecked(src.Val) || strings.Contains(src.Val, "$") {
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
	msg := fmt.Sprintf("label_replace reads label %q that its input %s never carries, so it replaces nothing", src.Val, idx.Show(in.Labels))
	reportLabel(pass, idx, q.Pos(int(src.PosRange.Start)+1), src.Val, soleMetric(c.Args[0]), q, msg, in.Labels)
}

// checkLegend reports {{x}} in a target's legendFormat when the target's result never
// carries x.
func checkLegend(pass *lint.Pass, idx *promql.Index, t lint.DashboardTarget) {
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
		msg := fmt.Sprintf("legend of %s reads label %q that the query's result %s never carries", t.Query.Describe(), ref.Name, idx.Show(res.Labels))
		reportLabel(pass, idx, t.Legend.Pos(ref.Off), ref.Name, soleMetric(t.Query.Expr), t.Query, msg, res.Labels)
	}
}

// checkLabelValues reports label_values(selector, x) when the selector's series never carry x.
func checkLabelValues(pass *lint.Pass, idx *promql.Index, v lint.DashboardVariable) {
	if v.Query == nil || v.Query.Expr == nil {
		return
	}
	label := v.Label.Value
	if !promql.IsLabelName(label) || promql.Unchecked(label) {
		return
	}
	set := promql.Infer(v.Query.Expr, idx)
	if !set.Known || set.Has(label) {
		return
	}
	msg := fmt.Sprintf("dashboard variable %q lists values of label %q, which the series of %s %s never carry", v.Name, label, promql.Render(v.Query, 0, len(v.Query.Text.Value)), idx.Show(set.Labels))
	reportLabel(pass, idx, v.Label.Pos(0), label, soleMetric(v.Query.Expr), v.Query, msg, set.Labels)
}

// checkTemplates reports labels that an alert's label and annotation templates read but
// that the alert's series do not carry. Prometheus gives the templates the labels of the
// series the expression returned, and nothing else: a static label of the rule, and the
// alertname that it adds to the alert afterwards, read as empty there (prometheus#2454,
// #2992), so those get a message of their own.
func checkTemplates(pass *lint.Pass, idx *promql.Index, r *lint.RuleEntry) {
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
				if promql.Unchecked(ref.Name) {
					continue
				}
				if res == nil {
					s := promql.Infer(r.Query.Expr, idx)
					res = &s
				}
				if res.Has(ref.Name) {
					continue
				}
				at := kv.Value.Pos(ref.Off)
				switch static := r.Label(ref.Name); {
				case ref.Name == labels.AlertName:
					pass.Reportf(at, lint.Subject{Alert: r.Name, Label: ref.Name},
						"%s %q of alert %s reads label %q, which Prometheus adds to the alert after its templates are expanded: $labels holds only the labels of the alert's series %s, so it reads as empty; write the alert's name instead",
						group.what, kv.Key, r.Name, ref.Name, idx.Show(res.Labels))
				case static != nil:
					pass.Report(lint.Finding{
						Pos: at, Subject: lint.Subject{Alert: r.Name, Label: ref.Name},
						Message: fmt.Sprintf("%s %q of alert %s reads label %q, a static label of the rule: $labels holds only the labels of the alert's series %s, so it reads as empty; write its value instead",
							group.what, kv.Key, r.Name, ref.Name, idx.Show(res.Labels)),
						Related: []lint.Related{{Pos: static.KeyAt, Message: fmt.Sprintf("static label %q", ref.Name)}},
					})
				default:
					msg := fmt.Sprintf("%s %q of alert %s reads label %q that the alert's series %s do not carry",
						group.what, kv.Key, r.Name, ref.Name, idx.Show(res.Labels))
					reportLabel(pass, idx, at, ref.Name, soleMetric(r.Query.Expr), r.Query, msg, res.Labels)
				}
			}
		}
	}
}

// reportLabel reports a finding about label, adding "did you mean" when a close label is
// among candidates (for names of four bytes or less, one edit away: "node" is not a typo of
// "pod") and the metric's definition as the related position.
func reportLabel(pass *lint.Pass, idx *promql.Index, at lint.Pos, label, metric string, q *lint.Query, msg string, candidates []string) {
	maxDist := max(2, len(label)/5)
	if len(label) <= 4 {
		maxDist = 1
	}
	if s := lint.ClosestWithin(label, idx.Shown(candidates), maxDist); s != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", s)
	}
	subject := subjectOf(q)
	subject.Label, subject.Metric = label, metric
	f := lint.Finding{Pos: at, Message: msg, Subject: subject}
	if rel, ok := idx.Related(metric); ok {
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
// ${x}, [[x]]) or its stand-in (regex matchers): its value is chosen on the dashboard and
// may be empty or .*, which match series without the label.
func hasGrafanaVariable(v string) bool {
	if lint.IsStandIn(v) {
		return true
	}
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
