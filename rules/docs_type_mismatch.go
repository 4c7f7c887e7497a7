package rules

import (
	"fmt"
	"strings"

	"github.com/driftlint/driftlint/lint"
	"github.com/driftlint/driftlint/lint/docsfix"
)

// DocsTypeMismatch reports documented metric types that differ from the exported # TYPE.
var DocsTypeMismatch = &lint.Rule{
	ID:      "docs/type-mismatch",
	Summary: "a documented metric type that differs from the exported # TYPE",
	Doc: `A metrics doc that gives a metric's type (Counter, GaugeVec, histogram…) tells
readers which functions apply: rate() to a counter, the raw value of a gauge,
histogram_quantile() over _bucket. When the exposition's # TYPE says otherwise, queries
written from the doc are wrong.

Client-library words are understood (CounterVec, IntGauge, HistogramVec…). Untyped exports
say nothing and are never reported. A counter documented as x for an OpenMetrics family
exported as x_total is the same metric; a histogram documented on its _bucket row is fine, as
is counter on a _bucket, _sum or _count row; info and stateset agree with gauge, the type the
text format exports them with.

Bad (the scrape says # TYPE dashstream_consumer_lag gauge):

    | ` + "`dashstream_consumer_lag`" + ` | Counter | ` + "`topic`, `partition`" + ` | Messages behind the high watermark |

Good:

    | ` + "`dashstream_consumer_lag`" + ` | Gauge | ` + "`topic`, `partition`" + ` | Messages behind the high watermark |`,
	Severity: lint.Error,
	Needs:    lint.NeedMetricsDocs | lint.NeedExpositions,
	Run:      runDocsTypeMismatch,
}

func runDocsTypeMismatch(pass *lint.Pass) error {
	ix := docsfix.For(pass.Project)
	for _, e := range pass.Project.DocEntries {
		if e.Type == "" {
			continue
		}
		f, _ := ix.Resolve(e.Name)
		if f == nil || docsfix.TypesAgree(e.Name, e.Type, f) {
			continue
		}
		at := e.TypeAt
		if !at.IsValid() {
			at = e.At
		}
		pos := f.TypeFrom.TypeAt
		if !pos.IsValid() {
			pos = f.TypeFrom.At()
		}
		pass.Report(lint.Finding{
			Pos:     at,
			Subject: lint.Subject{Metric: e.Name},
			Message: fmt.Sprintf("metric %q is documented as %s but is exported as %s", e.Name, withArticle(e.Type), withArticle(f.Type)),
			Related: []lint.Related{{Pos: pos, Message: "exported here as " + withArticle(f.Type)}},
		})
	}
	return nil
}

// withArticle puts "a" or "an" before a type word.
func withArticle(t string) string {
	if t != "" && strings.ContainsRune("aeiou", rune(t[0])) {
		return "an " + t
	}
	return "a " + t
}
