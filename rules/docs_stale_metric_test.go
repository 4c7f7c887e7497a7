package rules_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/driftlint/driftlint/lint"
	"github.com/driftlint/driftlint/lint/linttest"
	"github.com/driftlint/driftlint/rules"
)

func TestDocsStaleMetric(t *testing.T) {
	res := linttest.Run(t, "../fixtures/docs-stale-metric", rules.DocsStaleMetric)
	related := map[string][]lint.Related{}
	for _, f := range res.Findings {
		related[f.Subject.Metric] = f.Related
	}
	want := map[string][]lint.Related{
		"shop_refund_total":             {{Pos: lint.Pos{File: "scrape/shop.prom", Line: 21, Col: 1}, Message: `"shop_refunds_total" is exported here`}},
		"worker_retry_total":            {{Pos: lint.Pos{File: "scrape/worker.om", Line: 6, Col: 1}, Message: `"worker_retries_total" is exported here`}},
		"shop_order_total":              nil,
		"shop_refund_amount_cents_euro": nil,
	}
	for m, w := range want {
		if d := cmp.Diff(w, related[m]); d != "" {
			t.Errorf("related of %s (-want +got):\n%s", m, d)
		}
	}
}
