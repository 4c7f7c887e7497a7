package rules

import (
	"fmt"

	"github.com/driftlint/driftlint/lint"
	"github.com/driftlint/driftlint/lint/docsfix"
)

// DocsStaleMetric reports metrics that a metrics doc documents but no exposition exports.
var DocsStaleMetric = &lint.Rule{
	ID:      "docs/stale-metric",
	Summary: "a documented metric that no exposition exports",
	Doc: `Every metric a metrics doc lists (a table row or a listed name) must be exported by
the service. A documented metric that the scrape lacks was renamed, removed, or never
shipped; readers build alerts and dashboards on it that stay empty. When an exported metric
that no doc documents has a close name, the finding suggests it and points at it: that is
what a rename leaves behind (driftlint docs fix renames such rows).

Histogram and summary families count as exported under their base name and under their
_bucket, _sum and _count series; a counter under x and x_total. A name that a recording rule
defines is fine to document. Only names inside the covered space are checked (the name
prefixes of the exposition's families, or its covers: globs; with sources:, the first word of
each name the code defines, since a metrics doc documents the project's own metrics); other
names, and names an unresolved definition in the code may produce, are unverified and never
reported. When the code holds definitions driftlint could not read and no exported name is
close, the finding says how to declare a name built at run time (a driftlint:metric comment).

Bad (the scrape exports websocket_kafka_errors_total only):

    - ` + "`websocket_infrastructure_errors_total`" + `: consumer errors not tied to a message

Good (export the counter, or remove the line):

    - ` + "`websocket_kafka_errors_total`" + `: messages that failed processing`,
	Severity: lint.Error,
	Needs:    lint.NeedMetricsDocs | lint.NeedExpositions,
	Run:      runDocsStaleMetric,
}

func runDocsStaleMetric(pass *lint.Pass) error {
	p := pass.Project
	ix := docsfix.For(p)
	unresolved := len(p.Unresolved())
	for _, e := range p.DocEntries {
		if e.Prose || !p.DocCovered(e.Name) {
			continue
		}
		if f, kind := ix.Resolve(e.Name); f != nil || kind != 0 {
			continue // exported, recorded, or made by Prometheus itself
		}
		fd := lint.Finding{
			Pos:     e.At,
			Subject: lint.Subject{Metric: e.Name},
			Message: fmt.Sprintf("metric %q is documented but not exported by any exposition", e.Name),
		}
		if s := ix.Suggest(e.Name); s != "" {
			fd.Message += fmt.Sprintf(" (did you mean %q?)", s)
			if f, _ := ix.Resolve(s); f != nil && f.First.At().IsValid() {
				fd.Related = append(fd.Related, lint.Related{Pos: f.First.At(), Message: fmt.Sprintf("%q is exported here", s)})
			}
		} else {
			// A name the code builds at run time (CloudNativePG's metrics of SQL queries,
			// namespace + query + column) is documented rightly and defined by a definition
			// driftlint could not read: say how to declare it.
			fd.Message += unresolvedHint(unresolved, e.Name)
		}
		pass.Report(fd)
	}
	return nil
}
