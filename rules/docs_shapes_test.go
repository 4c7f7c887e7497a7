package rules_test

import (
	"testing"

	"github.com/driftlint/driftlint/lint/linttest"
	"github.com/driftlint/driftlint/rules"
)

// Metrics documented in prose, exposition blocks, typed bullets and headings followed by
// labels are read; a prose mention is never drift; tables of options are never metrics.
func TestDocsShapes(t *testing.T) {
	linttest.Run(t, "../fixtures/docs-shapes", rules.DocsUndocumentedMetric, rules.DocsStaleMetric, rules.DocsTypeMismatch, rules.DocsLabelsMismatch, rules.InputEmpty)
}
