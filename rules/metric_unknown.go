package rules

import (
	"fmt"

	"github.com/driftlint/driftlint/lint"
)

// MetricUnknown reports metrics that queries use but nothing exports or records.
var MetricUnknown = &lint.Rule{
	ID:      "metric/unknown",
	Summary: "a metric used anywhere that is neither exported nor recorded",
	Doc: `A metric read by an alert, a recording rule, a runbook query or a dashboard must be
exported by the service (an exposition lists its family) or produced by a recording rule.
Otherwise the alert can never fire and the panel stays empty: usually the metric was renamed
or never existed. Histogram (_bucket, _sum, _count), summary, counter (_total) and
OpenMetrics _created series are understood, as are series Prometheus makes itself (up,
ALERTS, scrape_*).

Only metrics inside the covered space are checked: the name prefixes of the families an
exposition contains (websocket_, dashstream_), or its covers: globs. Other metrics are
"unverified", counted in the summary and never reported.

Bad (the scrape exports websocket_kafka_messages_total):

    expr: rate(websocket_kafka_message_total[5m]) > 0

Good:

    expr: rate(websocket_kafka_messages_total[5m]) > 0`,
	Severity: lint.Error,
	Needs:    lint.NeedQueries | lint.NeedExpositions,
	Run:      runMetricUnknown,
}

func runMetricUnknown(pass *lint.Pass) error {
	p := pass.Project
	for _, u := range p.MetricUses() {
		if lint.IsStandIn(u.Name) || !p.Covered(u.Name) {
			continue
		}
		if _, ok := p.Lookup(u.Name); ok {
			continue
		}
		f := lint.Finding{
			Pos:     u.At,
			Subject: lint.Subject{Metric: u.Name},
			Message: fmt.Sprintf("metric %q used by %s is not exported by any exposition or recorded by any rule", u.Name, u.Query.Describe()),
		}
		if s := p.Suggest(u.Name); s != "" {
			f.Message += fmt.Sprintf(" (did you mean %q?)", s)
			if d, ok := p.Lookup(s); ok && d.At.IsValid() {
				f.Related = append(f.Related, lint.Related{Pos: d.At, Message: fmt.Sprintf("%q is defined here", s)})
			}
		}
		pass.Report(f)
	}
	return nil
}
