package rules_test

import (
	"testing"

	"github.com/driftlint/driftlint/lint/linttest"
	"github.com/driftlint/driftlint/rules"
)

// The Go front end resolves names across the packages of a module, through helpers called
// with constant arguments and through a registerer wrapped with a prefix, so metric/unknown
// can tell the alerts that use a truly wrong name from the ones that use a name the code
// builds.
func TestSourceGoResolve(t *testing.T) {
	linttest.Run(t, "../fixtures/source-go-resolve", rules.SourceExpositionMismatch, rules.SourceUnresolved, rules.MetricUnknown, rules.LabelUnknown)
}
