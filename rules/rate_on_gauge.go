package rules

import (
	"fmt"
	"strings"

	"github.com/prometheus/prometheus/promql/parser"

	"github.com/driftlint/driftlint/lint"
	"github.com/driftlint/driftlint/lint/promql"
)

// RateOnGauge reports counter functions over gauges and counters compared raw in alerts.
var RateOnGauge = &lint.Rule{
	ID:      "promql/rate-on-gauge",
	Summary: "rate() over a gauge, or a counter compared raw in an alert",
	Doc: `rate(), irate(), increase() and resets() are made for counters: they treat every drop of
the value as a counter reset and add the new value on top. Over a gauge (a lag, an offset,
a queue depth, a temperature) they report growth that never happened whenever the gauge goes
down. The type comes from the expositions' # TYPE lines: a family typed gauge (also
gaugehistogram, info, stateset) or the quantile series of a summary is not a counter; the
_bucket, _sum and _count series of a histogram and the _sum and _count series of a summary
are. A metric that no exposition types, or types untyped or unknown, is never reported.
This is an error, with the family's # TYPE line as the related position.

The reverse is a warning: an alert that compares a counter's raw value with a number
(x_total > 5) with no rate(), increase(), delta(), resets() or changes() around it. A
counter only grows and restarts from zero when the process restarts, so its raw value says
how long the process has run, not what is happening now. Counting series (count(x_total) > 5)
and arithmetic between two vectors (x_total - x_total offset 1h) are not reported, nor is a
histogram's or summary's _count compared with 0 (x_count > 0: "it has observations", a guard
before a quantile).

Both checks apply to every query (alerts, recording rules, runbooks, docs and dashboards;
the raw comparison to alerts and their runbook copies only). Grafana variables never cause
a finding.

A gauge that the emitter's code (sources:) only ever increments (Go: only Inc and Add on it
or its children, never Dec, Sub or Set, and never passed where it could be set) is a counter in
all but its type: it is reported once, at its definition, with the first counter function
over it in each query file (at most 10), instead of at every query: the fix is the type.
known_metrics files that give a type count like an exposition's # TYPE, and so do the
families of the config's catalogued exporters.

Bad (kafka_consumergroup_lag is a gauge):

    sum(rate(kafka_consumergroup_lag{topic=~"$topic"}[5m]))

Good:

    sum(deriv(kafka_consumergroup_lag{topic=~"$topic"}[5m]))

Bad (an alert on a counter's raw value):

    expr: websocket_kafka_errors_total > 5

Good:

    expr: increase(websocket_kafka_errors_total[10m]) > 5`,
	Severity: lint.Error,
	Needs:    lint.NeedQueries | lint.NeedExpositions,
	Run:      runRateOnGauge,
}

// gaugeFix names the function to use over a gauge instead of a counter function.
var gaugeFix = map[string]string{"rate": "deriv", "irate": "deriv", "increase": "delta", "resets": "changes"}

func runRateOnGauge(pass *lint.Pass) error {
	p := pass.Project
	grows := &onlyGrowing{uses: map[*lint.Family][]lint.Pos{}}
	for _, q := range p.Queries {
		if q.Expr == nil {
			continue
		}
		alert := q.Origin == lint.OriginAlert || q.Origin == lint.OriginRunbookAlert
		parser.Inspect(q.Expr, func(n parser.Node, _ []parser.Node) error {
			switch n := n.(type) {
			case *parser.Call:
				reportCounterFunc(pass, q, n, grows)
			case *parser.BinaryExpr:
				if alert && n.Op.IsComparisonOperator() {
					reportRawCounter(pass, q, n)
				}
			}
			return nil
		})
	}
	grows.report(pass)
	return nil
}

// onlyGrowing gathers the counter functions over gauges that the code only increments: one
// finding at the definition replaces a finding at every query (the fix is the type, not the
// queries).
type onlyGrowing struct {
	order []*lint.Family
	uses  map[*lint.Family][]lint.Pos
}

func (g *onlyGrowing) add(fam *lint.Family, at lint.Pos) {
	if _, ok := g.uses[fam]; !ok {
		g.order = append(g.order, fam)
	}
	g.uses[fam] = append(g.uses[fam], at)
}

// report writes one finding per gauge at its definition, with the first use in each query
// file (at most 10) as related positions.
func (g *onlyGrowing) report(pass *lint.Pass) {
	for _, fam := range g.order {
		seen := map[string]bool{}
		var rel []lint.Related
		for _, at := range g.uses[fam] {
			if seen[at.File] || len(rel) == 10 {
				continue
			}
			seen[at.File] = true
			rel = append(rel, lint.Related{Pos: at, Message: "a counter function over it here"})
		}
		pass.Report(lint.Finding{
			Pos:     fam.TypeAt,
			Subject: lint.Subject{Metric: fam.Name},
			Message: fmt.Sprintf("%q is a gauge but only grows (the code only increments it), and %s it with counter functions: make it a counter (named %s_total) rather than change the queries to deriv()",
				fam.Name, queries(len(g.uses[fam])), strings.TrimSuffix(fam.Name, "_total")),
			Related: rel,
		})
	}
}

// onlyGrows reports whether the code defines the family as a gauge it only increments.
func onlyGrows(fam *lint.Family) bool {
	if fam.Type != "gauge" || fam.Expo == nil || fam.Expo.Code == nil {
		return false
	}
	d := fam.Expo.Code.Defs[fam.Name]
	return d != nil && d.OnlyGrows
}

// reportCounterFunc reports rate(), irate(), increase() or resets() over a series that the
// expositions do not type as a counter.
func reportCounterFunc(pass *lint.Pass, q *lint.Query, c *parser.Call, grows *onlyGrowing) {
	if c.Func == nil || len(c.Args) == 0 {
		return
	}
	fix, ok := gaugeFix[c.Func.Name]
	if !ok {
		return
	}
	var vs *parser.VectorSelector
	switch a := unparen(c.Args[0]).(type) {
	case *parser.MatrixSelector:
		vs, _ = a.VectorSelector.(*parser.VectorSelector)
	case *parser.SubqueryExpr:
		vs, _ = unparen(a.Expr).(*parser.VectorSelector)
	}
	if vs == nil {
		return
	}
	name := lint.MetricName(vs)
	fam := exportedFamily(pass.Project, name)
	if fam == nil {
		return
	}
	kind := seriesKind(fam, name)
	if kind == "" || kind == "counter" {
		return
	}
	if onlyGrows(fam) {
		grows.add(fam, q.NodePos(c))
		return
	}
	subject := subjectOf(q)
	subject.Metric = name
	arg := c.Args[0].PositionRange()
	pass.Report(lint.Finding{
		Pos:     q.NodePos(c),
		Subject: subject,
		Message: fmt.Sprintf("%s() over %q, which %s types as %s: %s() treats every drop as a counter reset and reports growth that never happened; use %s(%s)",
			c.Func.Name, name, typedBy(fam), kind, c.Func.Name, fix, promql.Render(q, int(arg.Start), int(arg.End))),
		Related: []lint.Related{{Pos: fam.TypeAt, Message: typedHere(fam)}},
	})
}

// reportRawCounter reports a counter compared raw with a number in an alert.
func reportRawCounter(pass *lint.Pass, q *lint.Query, b *parser.BinaryExpr) {
	var vec, num parser.Expr
	switch {
	case b.RHS.Type() == parser.ValueTypeScalar && b.LHS.Type() == parser.ValueTypeVector:
		vec, num = b.LHS, b.RHS
	case b.LHS.Type() == parser.ValueTypeScalar && b.RHS.Type() == parser.ValueTypeVector:
		vec, num = b.RHS, b.LHS
	default:
		return
	}
	n, ok := promql.NumberValue(num)
	if !ok {
		return
	}
	s := promql.AnalyseSide(vec)
	if s.Selector == nil || s.Range != nil || s.Opaque || s.Constant || s.Counts || s.Variable {
		return
	}
	fam := exportedFamily(pass.Project, s.Metric)
	if fam == nil || seriesKind(fam, s.Metric) != "counter" {
		return
	}
	if hasObservations(fam, s.Metric, b, vec == b.LHS, n) {
		return
	}
	subject := subjectOf(q)
	subject.Metric = s.Metric
	pass.Report(lint.Finding{
		Severity: lint.Warning,
		Pos:      q.NodePos(s.Selector),
		Subject:  subject,
		Message: fmt.Sprintf("counter %q is compared raw in %s (%s): a counter only grows and restarts from zero with the process, so its value says nothing about recent events; compare increase(%s[10m]) or rate(%s[5m])",
			s.Metric, q.Describe(), comparison(q, b, vec), s.Metric, s.Metric),
		Related: []lint.Related{{Pos: fam.TypeAt, Message: typedHere(fam)}},
	})
}

// hasObservations reports whether a comparison asks only whether a histogram or summary has
// any observation (x_count > 0, 0 < x_count): a guard, such as the API server's certificate
// alert puts before its quantile, not a count compared with a threshold.
func hasObservations(fam *lint.Family, series string, b *parser.BinaryExpr, vecLeft bool, n float64) bool {
	if series != fam.Name+"_count" || (fam.Type != "histogram" && fam.Type != "summary") || n != 0 {
		return false
	}
	switch {
	case b.Op == parser.NEQ:
		return true
	case vecLeft:
		return b.Op == parser.GTR
	default:
		return b.Op == parser.LSS
	}
}

// comparison renders the operator and number of a comparison ("> 5").
func comparison(q *lint.Query, b *parser.BinaryExpr, vec parser.Expr) string {
	op := b.Op.String()
	if b.ReturnBool {
		op += " bool"
	}
	if vec == b.RHS {
		pr := b.LHS.PositionRange()
		return promql.Render(q, int(pr.Start), int(pr.End)) + " " + op
	}
	pr := b.RHS.PositionRange()
	return op + " " + promql.Render(q, int(pr.Start), int(pr.End))
}

// exportedFamily returns the exposition family that defines a series name, or nil when the
// name is a Grafana stand-in, a regex, recorded, synthetic or not exported at all.
func exportedFamily(p *lint.Project, name string) *lint.Family {
	if name == "" || promql.IsVariable(name) {
		return nil
	}
	d, ok := p.Lookup(name)
	if !ok || (d.Kind != lint.DefExported && d.Kind != lint.DefKnown && d.Kind != lint.DefExporter) || d.Family == nil || !d.Family.TypeAt.IsValid() {
		return nil
	}
	return d.Family
}

// seriesKind says whether a series of a family is a "counter", a non-counter (the family's
// type, or "summary quantile"), or "" when nothing is known (untyped, unknown, _created).
func seriesKind(fam *lint.Family, series string) string {
	if strings.HasSuffix(series, "_created") && series != fam.Name {
		return ""
	}
	switch fam.Type {
	case "counter":
		return "counter"
	case "histogram":
		if series != fam.Name {
			return "counter"
		}
		return ""
	case "summary":
		if series != fam.Name {
			return "counter"
		}
		return "summary (its quantile series are not counters)"
	case "gauge", "gaugehistogram", "info", "stateset":
		return fam.Type
	}
	return ""
}

// typedBy names what gives a family its type: an exposition, or a known_metrics file.
func typedBy(fam *lint.Family) string {
	switch {
	case fam.Expo == nil:
		return "the known_metrics file"
	case fam.Expo.Catalog != "":
		return fam.Expo.Catalog + " (driftlint's exporters catalogue)"
	}
	return "the exposition"
}

// typedHere is the related message at a family's type.
func typedHere(fam *lint.Family) string {
	if fam.Expo != nil && fam.Expo.Catalog != "" {
		return fmt.Sprintf("%s exports %q as a %s", fam.Expo.Catalog, fam.Name, fam.Type)
	}
	return fmt.Sprintf("%q is typed %s here", fam.Name, fam.Type)
}

// queries is "1 query reads" or "N queries read".
func queries(n int) string {
	if n == 1 {
		return "1 query reads"
	}
	return fmt.Sprintf("%d queries read", n)
}
