package rules

import (
	"testing"

	"github.com/driftlint/driftlint/lint/linttest"
)

// Rust: with_label_values on a private static Vec gives its label values; a gauge the code
// only increments is a counter in all but its type.
func TestSourceRustValues(t *testing.T) {
	linttest.Run(t, "../fixtures/source-rust-values", LabelUnknownValue, RateOnGauge)
}

// Python: .labels() with constants on a module-level counter gives its label values; a gauge
// whose uses only .inc() it is a counter in all but its type.
func TestSourcePythonValues(t *testing.T) {
	linttest.Run(t, "../fixtures/source-python-values", LabelUnknownValue, RateOnGauge)
}
