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

Only the project's own metrics are asked for: the families its sources define and, with
sources, a scrape's families in a name space the code owns (a dependency's metrics in the same
scrape are not the service's to document); without sources, the scrape's families. Names the
project merely reads (kube_pod_info in a dashboard variable) are never reported.

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

func runDocsUndocumentedMetric(pass *lint.Pass) error {
	p := pass.Project
	ix := docsfix.For(p)
	sources := false
	for _, e := range p.Expositions {
		sources = sources || e.Source
	}
	for _, f := range ix.Undocumented() {
		if sources && !p.CoveredBySources(f.Name) {
			continue // with sources, a scrape's own families are those in a code-owned space
		}
		pass.Report(lint.Finding{
			Pos:     f.First.At(),
			Subject: lint.Subject{Metric: f.Name},
			Message: fmt.Sprintf("metric %q is exported but not documented in any metrics doc", f.Name),
		})
	}
	return nil
}
