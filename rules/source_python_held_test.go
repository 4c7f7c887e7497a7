package rules_test

import (
	"testing"

	"github.com/driftlint/driftlint/lint/linttest"
	"github.com/driftlint/driftlint/rules"
)

// vLLM's shapes: labels from a local list, constructors held by a base class and called in a
// subclass of another module, a name assigned under an if, and a constructor that cannot be
// identified, whose literal name is excused rather than unknown.
func TestSourcePythonHeld(t *testing.T) {
	linttest.Run(t, "../fixtures/source-python-held", rules.SourceExpositionMismatch, rules.SourceUnresolved, rules.MetricUnknown, rules.LabelUnknown)
}
