package rules_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/driftlint/driftlint/lint"
	"github.com/driftlint/driftlint/lint/linttest"
	"github.com/driftlint/driftlint/rules"
)

func TestDocsLabelsMismatch(t *testing.T) {
	res := linttest.Run(t, "../fixtures/docs-labels-mismatch", rules.DocsLabelsMismatch)
	var got *lint.Finding
	for i, f := range res.Findings {
		if f.Subject.Metric == "shop_endpoint_info" {
			got = &res.Findings[i]
		}
	}
	if got == nil {
		t.Fatal("no finding about shop_endpoint_info")
	}
	want := lint.Finding{
		Rule:     "docs/labels-mismatch",
		Severity: lint.Error,
		Pos:      lint.Pos{File: "docs/METRICS.md", Line: 29, Col: 44},
		Subject:  lint.Subject{Metric: "shop_endpoint_info", Label: "endpoint_nodename"},
		Related: []lint.Related{{
			Pos:     lint.Pos{File: "scrape/metrics.prom", Line: 43, Col: 1},
			Message: "exported here with labels endpoint, endpoint_nodename, namespace",
		}},
	}
	got.Message, got.Fingerprint = "", ""
	if d := cmp.Diff(want, *got); d != "" {
		t.Errorf("finding (-want +got):\n%s", d)
	}
}
