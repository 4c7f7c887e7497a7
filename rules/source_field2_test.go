package rules_test

import (
	"testing"

	"github.com/driftlint/driftlint/lint/linttest"
	"github.com/driftlint/driftlint/rules"
)

// Misses of issue 14's field re-run (docs/field-results.md, "the six projects again").

// Thanos' receive (G7): reg = NewUnRegisterer(reg), a project wrapper holding the registerer
// it is given, is read as that registerer; the postings-cache names are read whole.
func TestSourceFieldGoUnRegisterer(t *testing.T) {
	linttest.Run(t, "../fixtures/source-field-go-unregisterer", fieldRules()...)
}

// Thanos' receive handler (G3): the registerer set under a condition is read the same when
// NewHandler is a helper read at its call site (it passes the registry on to another helper).
func TestSourceFieldGoHandler(t *testing.T) {
	linttest.Run(t, "../fixtures/source-field-go-handler", fieldRules()...)
}

// Thanos' extprom.NewTxGaugeVec (G8): the GaugeVec made by promauto.With(nil) in a closure is
// named by the registerer its collector is registered on; the callers' prefixes apply.
func TestSourceFieldGoTxGauge(t *testing.T) {
	linttest.Run(t, "../fixtures/source-field-go-txgauge", fieldRules()...)
}

// meilisearch (R3): a gauge holder brought in by `use crate::metrics::{…, X}` and only
// .inc()ed is a gauge that only grows; the name in the use declaration is not an escape.
func TestSourceFieldRustGrowUse(t *testing.T) {
	linttest.Run(t, "../fixtures/source-rust-grow-use", rules.RateOnGauge)
}
