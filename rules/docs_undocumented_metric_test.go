package rules_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/driftlint/driftlint/lint"
	"github.com/driftlint/driftlint/lint/linttest"
	"github.com/driftlint/driftlint/rules"
)

func TestDocsUndocumentedMetric(t *testing.T) {
	res := linttest.Run(t, "../fixtures/docs-undocumented-metric", rules.DocsUndocumentedMetric)
	for _, f := range res.Findings {
		if f.Severity != lint.Warning {
			t.Errorf("%s: severity %s, want warning", f.Pos, f.Severity)
		}
	}
}

func TestDocsUndocumentedMetricNeedsMetricsDocs(t *testing.T) {
	fam := &lint.Family{Name: "shop_orders_total", Type: "counter", HelpAt: lint.Pos{File: "m.prom", Line: 1, Col: 1}}
	p := &lint.Project{Expositions: []*lint.Exposition{{
		Families: map[string]*lint.Family{fam.Name: fam}, Order: []string{fam.Name},
	}}}
	res := lint.Run(p, []*lint.Rule{rules.DocsUndocumentedMetric}, lint.RunOptions{})
	if len(res.Findings) != 0 || !res.Timings[0].Skipped {
		t.Errorf("without metrics docs the rule should be skipped; got %v, timing %+v", res.Findings, res.Timings[0])
	}
}

func TestDocsUndocumentedMetricSeverityCanBeRaised(t *testing.T) {
	p := linttest.Load(t, "../fixtures/docs-undocumented-metric")
	res := lint.Run(p, []*lint.Rule{rules.DocsUndocumentedMetric}, lint.RunOptions{Severity: map[string]lint.Severity{"docs/undocumented-metric": lint.Error}})
	var got []lint.Severity
	for _, f := range res.Findings {
		got = append(got, f.Severity)
	}
	want := make([]lint.Severity, len(got))
	for i := range want {
		want[i] = lint.Error
	}
	if len(got) == 0 {
		t.Fatal("no findings")
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("severities (-want +got):\n%s", d)
	}
}
