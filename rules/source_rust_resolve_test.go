package rules_test

import (
	"testing"

	"github.com/driftlint/driftlint/lint/linttest"
	"github.com/driftlint/driftlint/rules"
)

// A Rust crate whose metric names come from other modules, from a parameter read at each
// call site, and from prometheus-static-metric, with no scrape: every name the alerts query
// must be one the code defines, and a wrong one is unknown rather than unverified.
func TestSourceRustResolve(t *testing.T) {
	linttest.Run(t, "../fixtures/source-rust-resolve", rules.SourceExpositionMismatch, rules.SourceUnresolved, rules.MetricUnknown, rules.LabelUnknown)
}
