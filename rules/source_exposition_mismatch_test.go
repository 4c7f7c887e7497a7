package rules_test

import (
	"testing"

	"github.com/driftlint/driftlint/lint/linttest"
	"github.com/driftlint/driftlint/rules"
)

// The three language fixtures hold the same streamer: metrics that agree with the scrape,
// differ in labels or type, are missing from it (and may be, or may not be), a family the
// scrape exports that no code defines, names built at run time, and packages that are not
// scraped at all, where the code alone is the truth for metric/unknown.
func TestSourceExpositionMismatch(t *testing.T) {
	for _, dir := range []string{"source-go", "source-rust", "source-python"} {
		t.Run(dir, func(t *testing.T) {
			linttest.Run(t, "../fixtures/"+dir, rules.SourceExpositionMismatch, rules.SourceUnresolved, rules.MetricUnknown, rules.LabelUnknown)
		})
	}
}

// A Python package whose metric names, labels and classes come from other modules, class
// attributes and the project's wrappers: with no scrape, the code is the truth, so a correct
// name must resolve (no finding) and a wrong one is unknown.
func TestSourcePythonResolve(t *testing.T) {
	linttest.Run(t, "../fixtures/source-python-resolve", rules.SourceExpositionMismatch, rules.SourceUnresolved, rules.MetricUnknown, rules.LabelUnknown)
}
