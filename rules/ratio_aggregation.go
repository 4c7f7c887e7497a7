package rules

import (
	"fmt"
	"slices"
	"strings"

	"github.com/prometheus/prometheus/promql/parser"

	"github.com/driftlint/driftlint/lint"
	"github.com/driftlint/driftlint/lint/promql"
)

// RatioAggregation reports ratios of rates whose sides are not aggregated alike.
var RatioAggregation = &lint.Rule{
	ID:      "promql/ratio-aggregation",
	Summary: "ratio of rates not aggregated, or aggregated by different labels",
	Doc: `A division between two instant vectors matches series label by label: each numerator
series is divided by the denominator series with exactly the same labels, and every series
without a partner is dropped from the result. rate(errors_total[5m]) / rate(requests_total[5m])
therefore only works while both metrics carry the same labels with the same values; as soon
as the errors counter has a label the requests counter lacks (error_type, reason, code), the
ratio is empty and an alert on it never fires. pint's promql/nan only looks at divisions
inside an aggregation and misses this plain form.

The rule looks at every division whose two sides are per-series range functions (rate,
irate, increase, delta, idelta, deriv, resets, changes, *_over_time), in alerts, recording
rules, runbook and docs examples and dashboard targets alike, and points at the division's
first byte with the corrected expression. It sees through parentheses, clamp_min, clamp_max
and other value functions, topk/bottomk, arithmetic and comparisons with a number (* 100,
> 0), and/unless filters and "or vector(…)" fallbacks. Labels come from the expositions
(a family with # TYPE but no samples has unknown labels) and the recording rules.

Always reported, because the labels prove the division wrong:

  - a side that is not aggregated when the two sides' known label sets differ;
  - one metric divided by itself with other matchers, unaggregated
    (rate(req{code=~"5.."}[5m]) / rate(req[5m]) divides each series by itself);
  - two aggregated sides whose inferred labels differ (sum by (reason) / sum) with no
    on() or ignoring().

Reported unless the division is visibly meant per series: a side that is not aggregated
while the labels are unknown, or are the target labels (job, instance) alone (in a dashboard,
two sides with the same known labels are a panel of per-target ratios and are not reported;
nor is a ratio with a side that metric/unknown reports, whose fix is the name). The division
is meant per series when it sits inside an aggregation with a grouping clause
(max by (instance) (rate(a[5m]) / rate(b[5m])), min without (peer) (…); a plain sum(…)
does not count), or when its owner prints a series label: an alert whose annotations or
labels use {{ $labels.device }}, {{ index $labels "device" }} or {{ .Labels.device }} for a
label the rule does not set itself, or a dashboard target whose legend has {{device}}.

Never reported:

  - sum(rate(a[5m])) / sum(rate(b[5m])), and the same by (…) labels on both sides in any
    order (or labels that neither side carries);
  - an unaggregated side whose known labels equal the other side's and include a label
    beyond job and instance (a per-device or per-partition ratio by design), or an
    aggregation that keeps exactly the other side's labels;
  - an explicit on(…) (even on()), ignoring(…) with labels, group_left or group_right; an
    empty ignoring() is the default matching and does not count;
  - one histogram's or summary's rate(x_sum) / rate(x_count) or rate(x_bucket{le="…"}) /
    rate(x_count), which is meant per series;
  - a division by a number or a scalar, and divisions where a side is a gauge read raw or
    is itself an operation between two vectors;
  - anything whose metric, labels or grouping come from a Grafana variable ($metric,
    by ($group)), and without (…) groupings whose labels cannot be inferred.

Bad (the decode errors counter has an error_type label; the messages counter has none):

    expr: rate(websocket_decode_errors_total[5m]) / rate(websocket_messages_received_total[5m]) > 0.01

Good:

    expr: |
      sum(rate(websocket_decode_errors_total[5m]))
        / clamp_min(sum(rate(websocket_messages_received_total[5m])), 1e-9) > 0.01

Also good (a per-reason share of all messages):

    sum by (reason) (rate(websocket_dropped_messages_total[5m]))
      / on() group_left sum(rate(websocket_messages_received_total[5m]))`,
	Severity: lint.Error,
	Needs:    lint.NeedQueries,
	Run:      runRatioAggregation,
}

func runRatioAggregation(pass *lint.Pass) error {
	p := pass.Project
	res := promql.IndexFor(p)
	perSeries := perSeriesOwners(p)
	for _, q := range p.Queries {
		if q.Expr == nil {
			continue
		}
		for _, r := range promql.Ratios(q.Expr) {
			c := promql.CheckAggregation(r, res)
			if c.Issue == promql.AggregationOK || (!c.Proven && perSeries[q]) {
				continue
			}
			if !c.Proven && (unknownSide(p, r.Num.Metric) || unknownSide(p, r.Den.Metric)) {
				// A side that metric/unknown reports (a typo, a removed name): the fix is the
				// name, and the claim that series are dropped would be a guess.
				continue
			}
			if !c.Proven && q.Origin == lint.OriginDashboard && c.Num.Known && c.Den.Known && slices.Equal(c.Num.Labels, c.Den.Labels) {
				// A panel of per-target ratios of two metrics with the same labels: every
				// series has its partner and one line per target is the display, not drift
				// (an alert on it is still reported: it fires per target, rarely what is meant).
				continue
			}
			subject := subjectOf(q)
			subject.Metric = r.Num.Metric
			pass.Report(lint.Finding{Pos: q.NodePos(r.Div), Subject: subject, Message: aggregationMessage(q, r, c)})
		}
	}
	return nil
}

// unknownSide reports whether a ratio side reads a metric that metric/unknown reports: one
// that nothing defines inside a covered name space, and no unresolved definition excuses.
func unknownSide(p *lint.Project, metric string) bool {
	if metric == "" || promql.IsVariable(metric) {
		return false
	}
	if _, ok := p.Lookup(metric); ok {
		return false
	}
	if _, ok := p.Excused(metric); ok {
		return false
	}
	return p.Covered(metric)
}

// perSeriesOwners returns the queries whose owner shows that it wants one result per
// series: an alert (or its runbook copy) whose annotations or labels print a series label
// other than the rule's own labels, or a dashboard target whose legend prints a label.
func perSeriesOwners(p *lint.Project) map[*lint.Query]bool {
	return p.Memo("rules.perSeriesOwners", func() any {
		out := map[*lint.Query]bool{}
		for _, rules := range [][]*lint.RuleEntry{p.Rules, p.RunbookAlerts} {
			for _, r := range rules {
				if r.Query != nil && r.Kind == lint.AlertRule && namesSeriesLabel(r) {
					out[r.Query] = true
				}
			}
		}
		for _, d := range p.Dashboards {
			for _, t := range d.Targets {
				if t.Query != nil && len(promql.LegendLabels(t.Legend.Value)) > 0 {
					out[t.Query] = true
				}
			}
		}
		return out
	}).(map[*lint.Query]bool)
}

// namesSeriesLabel reports whether an alert's templates print a label that the rule does
// not set itself.
func namesSeriesLabel(r *lint.RuleEntry) bool {
	for _, kvs := range [][]lint.KV{r.Annotations, r.Labels} {
		for _, kv := range kvs {
			for _, ref := range promql.TemplateLabels(kv.Value.Value) {
				if r.Label(ref.Name) == nil {
					return true
				}
			}
		}
	}
	return false
}

// aggregationMessage explains an aggregation issue and shows the corrected ratio.
func aggregationMessage(q *lint.Query, r promql.Ratio, c promql.AggregationCheck) string {
	num, den := describeSide(r.Num), describeSide(r.Den)
	fix := renderNode(q, r.Div, aggregationEdits(q, r, c)...)
	switch c.Issue {
	case promql.NumeratorNotAggregated:
		return fmt.Sprintf("ratio of %s to %s is not aggregated in its numerator: the division matches series label by label, and the unaggregated side keeps labels that the aggregated side, with %s, lacks; write %s",
			num, den, promql.SortedLabels(c.Den), fix)
	case promql.DenominatorNotAggregated:
		return fmt.Sprintf("ratio of %s to %s is not aggregated in its denominator: the division matches series label by label, and the unaggregated side keeps labels that the aggregated side, with %s, lacks; write %s",
			num, den, promql.SortedLabels(c.Num), fix)
	case promql.LabelsDiffer:
		return fmt.Sprintf("ratio of %s to %s aggregates its sides by different labels (%s against %s) with no on() or ignoring(): series match only where all labels agree, so the others drop out; write %s",
			num, den, promql.SortedLabels(c.Num), promql.SortedLabels(c.Den), fix)
	default:
		return fmt.Sprintf("ratio of %s to %s is not aggregated: without sum() the division matches series label by label and drops series whose labels differ; write %s",
			num, den, fix)
	}
}

// aggregationEdits turns the ratio into its corrected form.
func aggregationEdits(q *lint.Query, r promql.Ratio, c promql.AggregationCheck) []promql.Edit {
	var edits []promql.Edit
	wrap := func(s promql.Side, prefix string) {
		pr := s.Range.PositionRange()
		edits = append(edits,
			promql.Edit{Start: int(pr.Start), End: int(pr.Start), Text: prefix},
			promql.Edit{Start: int(pr.End), End: int(pr.End), Text: ")"})
	}
	switch c.Issue {
	case promql.NotAggregated:
		wrap(r.Num, "sum(")
		wrap(r.Den, "sum(")
	case promql.NumeratorNotAggregated:
		wrap(r.Num, promql.Grouping(r.Den.Agg))
	case promql.DenominatorNotAggregated:
		wrap(r.Den, promql.Grouping(r.Num.Agg))
	case promql.LabelsDiffer:
		l, rr := r.Div.LHS.PositionRange(), r.Div.RHS.PositionRange()
		switch {
		case promql.Subset(c.Den, c.Num):
			edits = append(edits, promql.Edit{Start: int(l.End), End: int(rr.Start), Text: " / on(" + strings.Join(c.Den.Labels, ", ") + ") group_left "})
		case promql.Subset(c.Num, c.Den):
			edits = append(edits, promql.Edit{Start: int(l.End), End: int(rr.Start), Text: " / on(" + strings.Join(c.Num.Labels, ", ") + ") group_right "})
		default:
			agg := r.Den.Agg
			pr, inner := agg.PositionRange(), agg.Expr.PositionRange()
			by := &parser.AggregateExpr{Grouping: c.Num.Labels}
			edits = append(edits, promql.Edit{Start: int(pr.Start), End: int(pr.End), Text: promql.Grouping(by) + promql.Render(q, int(inner.Start), int(inner.End)) + ")"})
		}
	default: // AggregationOK: nothing to correct
	}
	return edits
}

// describeSide names a ratio side for messages: rate(x), or sum by (a) (rate(x)) when it is
// aggregated.
func describeSide(s promql.Side) string {
	name := s.Name()
	if s.Agg == nil {
		return name
	}
	op := s.Agg.Op.String()
	switch {
	case s.Agg.Without:
		return op + " without (" + strings.Join(s.Agg.Grouping, ", ") + ") (" + name + ")"
	case len(s.Agg.Grouping) > 0:
		return op + " by (" + strings.Join(s.Agg.Grouping, ", ") + ") (" + name + ")"
	default:
		return op + "(" + name + ")"
	}
}

// renderNode renders a node of q as the user wrote it, with edits applied.
func renderNode(q *lint.Query, n parser.Node, edits ...promql.Edit) string {
	pr := n.PositionRange()
	return promql.Render(q, int(pr.Start), int(pr.End), edits...)
}
