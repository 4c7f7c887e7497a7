package rules

import (
	"fmt"
	"strings"

	"github.com/driftlint/driftlint/lint"
)

// MetricRenamed reports queries that read a catalogued exporter's metric by the name an
// older version exported, when the query has no alternative for the new name.
var MetricRenamed = &lint.Rule{
	ID:      "metric/renamed",
	Summary: "a query reads only the old name of an exporter's renamed metric",
	Doc: `The config's exporters: entries bring the metrics that well-known exporters export, read from
their code at each catalogued version. A name that any catalogued version exported is
defined, so a dashboard that still serves an old exporter is not wrong. But when upstream
renamed the metric (node_exporter 0.16 renamed node_cpu to node_cpu_seconds_total, and most
node_* names gained their unit) and the query reads only the old name, it selects nothing
on the version the project runs: the panel is empty and the alert cannot fire.

A query that reads both names serves both versions and is never reported. The renames are
data of the catalogue, each with its reason (the upstream change log).

Bad (node-exporter 1.x is configured):

    expr: rate(node_cpu{mode="idle"}[5m]) < 0.1

Good:

    expr: rate(node_cpu_seconds_total{mode="idle"}[5m]) < 0.1

Good too, for a dashboard that serves both versions:

    expr: rate(node_cpu_seconds_total{mode="idle"}[5m]) or rate(node_cpu{mode="idle"}[5m])`,
	Severity: lint.Warning,
	Needs:    lint.NeedQueries,
	Run:      runMetricRenamed,
}

func runMetricRenamed(pass *lint.Pass) error {
	p := pass.Project
	if len(p.Exporters) == 0 {
		return nil
	}
	uses := p.MetricUses()
	reads := map[*lint.Query]map[string]bool{}
	for _, u := range uses {
		if reads[u.Query] == nil {
			reads[u.Query] = map[string]bool{}
		}
		reads[u.Query][u.Name] = true
	}
	for _, u := range uses {
		d, ok := p.Lookup(u.Name)
		if !ok || d.Exporter == nil || d.Family == nil {
			continue
		}
		old := d.Family.Name
		renamed := d.Exporter.RenamedTo[old]
		if renamed == "" {
			continue
		}
		// The same series of the new family: x_bucket of a renamed histogram is y_bucket.
		alt := renamed + strings.TrimPrefix(u.Name, old)
		if reads[u.Query][alt] || reads[u.Query][renamed] {
			continue // old or new: the query serves both versions
		}
		pass.Report(lint.Finding{
			Pos:     u.At,
			Subject: lint.Subject{Metric: u.Name},
			Message: fmt.Sprintf("metric %q used by %s was renamed in %s %s: use %q (or read both, old or new, to serve both versions)",
				u.Name, u.Query.Describe(), d.Exporter.Ref.Name, d.Exporter.RenamedIn[old], alt),
			Related: definedHere(p, alt),
		})
	}
	return nil
}
