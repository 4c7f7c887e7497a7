package rules_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/driftlint/driftlint/lint"
	"github.com/driftlint/driftlint/lint/linttest"
	"github.com/driftlint/driftlint/rules"
)

func TestDocsTypeMismatch(t *testing.T) {
	res := linttest.Run(t, "../fixtures/docs-type-mismatch", rules.DocsTypeMismatch)
	if len(res.Findings) == 0 {
		t.Fatal("no findings")
	}
	f := res.Findings[0]
	want := []lint.Related{{Pos: lint.Pos{File: "scrape/metrics.prom", Line: 5, Col: 1}, Message: "exported here as a gauge"}}
	if d := cmp.Diff(want, f.Related); d != "" {
		t.Errorf("related of %s (-want +got):\n%s", f, d)
	}
	if f.Pos != (lint.Pos{File: "docs/METRICS.md", Line: 8, Col: 28}) {
		t.Errorf("finding at %s, want docs/METRICS.md:8:28 (the type word)", f.Pos)
	}
}
