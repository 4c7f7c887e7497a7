package rules

import (
	"fmt"

	"github.com/driftlint/driftlint/lint"
	"github.com/driftlint/driftlint/lint/docsfix"
)

// DocsUndocumentedMetric reports exported metrics that no metrics doc documents.
var DocsUndocumentedMetric = &lint.Rule{
	ID:      "docs/undocumented-metric",
	Summary: "an exported metric that no metrics doc documents",
	Doc: `When a project has metrics docs, every family its expositions export should be
documented in one of them: an undocumented metric is one nobody can build on with
confidence, and usually one a change forgot to describe. Each family is reported once, at its
# HELP line in the first exposition that has it. Families that client libraries register by
themselves are not reported: go_*, process_*, promhttp_*, python_*, jvm_*, nodejs_*,
dotnet_*, erlang_vm_*, target_info and otel_scope_info.

Metrics that no exposition covers but that an alert, a recording rule, a runbook query or a
dashboard reads are reported too, at their first use, when no metrics doc names them: a
warning, since driftlint cannot see whether they exist.

The default severity is warning: an undocumented metric is a gap in the docs, not a false
statement in them (docs/stale-metric, docs/labels-mismatch and docs/type-mismatch are errors).

Bad (the scrape exports websocket_dlq_sends_total; no doc table lists it):

    # HELP websocket_dlq_sends_total Messages forwarded to the dead-letter topic, by reason
    # TYPE websocket_dlq_sends_total counter

Good (monitoring/PROMETHEUS_METRICS.md):

    | ` + "`websocket_dlq_sends_total`" + ` | Counter | ` + "`reason`" + ` | Messages forwarded to the dead-letter topic |`,
	Severity: lint.Warning,
	Needs:    lint.NeedMetricsDocs,
	Run:      runDocsUndocumentedMetric,
}

// usedByArtifact reports whether a query's origin is a rule, a runbook or a dashboard.
func usedByArtifact(o lint.Origin) bool {
	switch o {
	case lint.OriginAlert, lint.OriginRecording, lint.OriginRunbook, lint.OriginRunbookAlert,
		lint.OriginDashboard, lint.OriginDashboardVariable:
		return true
	default:
		return false
	}
}

func runDocsUndocumentedMetric(pass *lint.Pass) error {
	p := pass.Project
	ix := docsfix.For(p)
	for _, f := range ix.Undocumented() {
		pass.Report(lint.Finding{
			Pos:     f.First.At(),
			Subject: lint.Subject{Metric: f.Name},
			Message: fmt.Sprintf("metric %q is exported but not documented in any metrics doc", f.Name),
		})
	}
	seen := map[string]bool{}
	for _, u := range p.MetricUses() {
		if seen[u.Name] || !usedByArtifact(u.Query.Origin) || lint.IsStandIn(u.Name) {
			continue
		}
		seen[u.Name] = true
		if p.Covered(u.Name) || docsfix.ClientDefault(u.Name) || ix.DocumentedName(u.Name) {
			continue
		}
		if _, ok := p.Lookup(u.Name); ok {
			continue // exported (reported above when undocumented), recorded or synthetic
		}
		pass.Report(lint.Finding{
			Pos:      u.At,
			Severity: lint.Warning,
			Subject:  lint.Subject{Metric: u.Name},
			Message:  fmt.Sprintf("metric %q used by %s is not documented in any metrics doc (no exposition covers it)", u.Name, u.Query.Describe()),
		})
	}
	return nil
}
