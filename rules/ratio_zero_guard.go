package rules

import (
	"fmt"
	"slices"
	"strings"

	"github.com/prometheus/prometheus/promql/parser"

	"github.com/driftlint/driftlint/lint"
	"github.com/driftlint/driftlint/lint/promql"
)

// RatioZeroGuard reports ratios whose denominator can be zero with nothing guarding it.
var RatioZeroGuard = &lint.Rule{
	ID:      "promql/ratio-zero-guard",
	Summary: "a ratio of rates whose denominator can be zero, with no guard",
	Doc: `When nothing happens in the window, rate() and increase() are 0, and so is a gauge that
counts something currently absent. A ratio with such a denominator is then 0/0 = NaN, which
makes every comparison false (the alert silently stops evaluating, the panel shows a gap), or
x/0 = +Inf when the numerator counts events the denominator does not, such as
infrastructure errors counted without a received message (the alert fires on no traffic).

The rule looks at every division between two instant vectors where one side is a
per-series range function (rate, increase, *_over_time …), the numerator is a metric it can
see (through the same wrappers as promql/ratio-aggregation) and the denominator reads series
(a rate, an increase, a counter or a gauge), in every artifact. These guards are accepted:

  - clamp_min(d, ε) or clamp(d, ε, …) with ε > 0 (a floor that is not a number is trusted);
  - a filter that keeps positive values: d > 0, d > ε, d >= ε with ε > 0, d != 0, 0 < d;
    a filter inside the aggregation (sum(rate(x[5m]) > 0)) counts too, one under the range
    function (rate((x > 0)[5m:])) does not, and neither does a bool comparison;
  - d + ε with ε > 0;
  - a fallback: d or vector(…), or (n / d) or vector(…) / or on() vector(…) around the
    ratio.

PromQL has no two-argument max(); clamp_min(d, ε) is the floor to write.

No guard is needed, and nothing is reported, when:

  - the denominator is a number or vector(…), or counts series or samples (count(),
    group(), count_over_time(), present_over_time()), which is never zero;
  - the denominator reads a gauge whose name says it is a configured bound (…_max,
    …_limit, …_capacity, …_size_bytes, …_quota, …allocatable), raw or through an
    *_over_time function;
  - the numerator counts a subset of the denominator's events, so that a zero denominator
    means a zero numerator and the result is NaN, "no data", never +Inf: the same metric
    with every matcher of the denominator and maybe more
    (sum(rate(req{code=~"5.."}[5m])) / sum(rate(req[5m]))); one histogram's x_sum or
    x_bucket over x_count; a total over a count of one object (x_totaltimems_total over
    x_count_total); or, by naming convention, a qualified counter: one more word
    (x_failed_total over x_total, cfs_throttled_periods over cfs_periods), the last word
    replaced by a failure word (dns_failures over dns_lookups), or the singular plus a
    failure word (evaluation_failures over evaluations). The failure words are failures,
    failure, failed, errors, error, dropped, rejected, timeouts, aborted and retries;
    kernel-style errs counters are counted apart from their packets and stay reported;
  - the numerator is an operation between vectors the rule cannot see through;
  - a Grafana variable names the denominator's metric.

Dashboards and runbook queries are judged by their consequence. A panel that shows a gap
while nothing happens is often the honest display, and the harm of a missing guard is in
alerts, which stop evaluating or fire on no traffic. So in dashboard targets and variables,
runbook queries and docs examples (but not in alert copies in runbooks), nothing is
reported either when:

  - the two sides are one family: two selections of one metric with any matchers
    (rate(req{code="500"}) / rate(req{code="200"})), or x_sum, x_bucket or x_count of one
    histogram or summary on both sides;
  - the ratio sits anywhere under histogram_quantile();
  - the numerator's name says it counts a subset of the denominator's events: its name is
    a stem, a subset word and maybe more, and the denominator's name starts with that stem
    (x_errors_total over x_requests_total, alert_sender_errors_total over
    alert_sender_alerts_sent_total, gateway_filtered_chunks over gateway_requested_chunks,
    cache_hits_total over cache_lookups_total); or it is the denominator's name with a
    qualifier of one to three words put in (structured_metadata_bytes_received over
    bytes_received). The subset words are the failure words above and filtered, skipped,
    discarded, deduped, throttled, hits, hit, misses and miss.

Everything else in dashboards and runbooks is reported as in alerts.

Bad (Kafka errors are counted even when no message was received):

    expr: sum(rate(websocket_kafka_errors_total[5m])) / sum(rate(websocket_kafka_messages_received_total[5m])) > 0.05

Good:

    expr: |
      sum(rate(websocket_kafka_errors_total[5m]))
        / clamp_min(sum(rate(websocket_kafka_messages_received_total[5m])), 1e-9) > 0.05`,
	Severity: lint.Warning,
	Needs:    lint.NeedQueries,
	Run:      runRatioZeroGuard,
}

func runRatioZeroGuard(pass *lint.Pass) error {
	for _, q := range pass.Project.Queries {
		if q.Expr == nil {
			continue
		}
		for _, r := range promql.Ratios(q.Expr) {
			g := promql.CheckZeroGuard(r)
			if !g.Needed || g.Guard != "" || displayExempt(q, r) != "" {
				continue
			}
			subject := subjectOf(q)
			subject.Metric = r.Den.Metric
			fix := renderNode(q, r.Div, zeroGuardEdit(q, r.Div.RHS))
			pass.Report(lint.Finding{
				Pos:     q.NodePos(r.Div),
				Subject: subject,
				Message: fmt.Sprintf("ratio of %s to %s has no guard against a zero denominator: when %s is 0 the ratio is NaN (0/0) or +Inf (x/0), so it shows no data or fires on no traffic; write %s",
					describeSide(r.Num), describeSide(r.Den), r.Den.Name(), fix),
			})
		}
	}
	return nil
}

// zeroGuardEdit puts a clamp_min floor on a denominator: it replaces the floor of a
// clamp_min or clamp that has a floor of zero or less, and wraps anything else.
func zeroGuardEdit(q *lint.Query, rhs parser.Expr) promql.Edit {
	den := unparen(rhs)
	if c, ok := den.(*parser.Call); ok && c.Func != nil && (c.Func.Name == "clamp_min" || c.Func.Name == "clamp") && len(c.Args) >= 2 {
		pr := c.Args[1].PositionRange()
		return promql.Edit{Start: int(pr.Start), End: int(pr.End), Text: "1e-9"}
	}
	pr, all := den.PositionRange(), rhs.PositionRange()
	return promql.Edit{
		Start: int(all.Start), End: int(all.End),
		Text: "clamp_min(" + promql.Render(q, int(pr.Start), int(pr.End)) + ", 1e-9)",
	}
}

// unparen strips the parentheses around an expression.
func unparen(e parser.Expr) parser.Expr {
	for {
		p, ok := e.(*parser.ParenExpr)
		if !ok {
			return e
		}
		e = p.Expr
	}
}

// displayExempt says why a ratio in a dashboard or runbook query needs no guard, or ""
// when it does (see the rule's Doc): there a gap when idle is the honest display, except
// for ratios whose sides count unrelated events.
func displayExempt(q *lint.Query, r promql.Ratio) string {
	switch q.Origin {
	case lint.OriginDashboard, lint.OriginDashboardVariable, lint.OriginRunbook, lint.OriginDocs:
	default:
		return ""
	}
	for _, n := range r.Ancestors {
		if c, ok := n.(*parser.Call); ok && c.Func != nil && c.Func.Name == "histogram_quantile" {
			return "under histogram_quantile"
		}
	}
	num, den := r.Num.Metric, r.Den.Metric
	switch {
	case num == "" || den == "":
		return ""
	case familyOf(num) == familyOf(den):
		return "one family"
	case stemSubset(num, den):
		return "a subset by its name stem"
	case qualifiedSubset(num, den):
		return "a subset by a qualifier in its name"
	}
	return ""
}

// familyOf returns the family name of a series name: the name without a histogram or
// summary suffix (_sum, _count, _bucket).
func familyOf(name string) string {
	for _, s := range []string{"_sum", "_count", "_bucket"} {
		if b, ok := strings.CutSuffix(name, s); ok && b != "" {
			return b
		}
	}
	return name
}

// stemSubset reports whether num's name is a stem, a subset word and maybe more, and den's
// name starts with that stem and goes on with another word: x_errors_total over
// x_requests_total, x_filtered_chunks over x_requested_chunks.
func stemSubset(num, den string) bool {
	n := strings.Split(strings.TrimSuffix(num, "_total"), "_")
	d := strings.Split(strings.TrimSuffix(den, "_total"), "_")
	for i, w := range n {
		if i > 0 && subsetWords[w] {
			return len(d) > i && slices.Equal(n[:i], d[:i]) && !subsetWords[d[i]]
		}
	}
	return false
}

// qualifiedSubset reports whether num's name is den's with a qualifier of one to three words
// put in: x_structured_metadata_bytes_received over x_bytes_received.
func qualifiedSubset(num, den string) bool {
	n := strings.Split(strings.TrimSuffix(num, "_total"), "_")
	d := strings.Split(strings.TrimSuffix(den, "_total"), "_")
	k := len(n) - len(d)
	if k < 1 || k > 3 || len(d) < 2 {
		return false
	}
	for i := 1; i <= len(d); i++ {
		if slices.Equal(n[:i], d[:i]) && slices.Equal(n[i+k:], d[i:]) {
			return true
		}
	}
	return false
}

// subsetWords name a part of an operation's events in counter names: the failure words of
// promql.NamedSubset (kernel-style errs is not one) and the words of filters and caches.
var subsetWords = map[string]bool{
	"failures": true, "failure": true, "failed": true, "errors": true, "error": true,
	"dropped": true, "rejected": true, "timeouts": true, "aborted": true, "retries": true,
	"filtered": true, "skipped": true, "discarded": true, "deduped": true, "throttled": true,
	"hits": true, "hit": true, "misses": true, "miss": true,
}
