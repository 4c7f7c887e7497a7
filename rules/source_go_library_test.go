package rules_test

import (
	"testing"

	"github.com/driftlint/driftlint/lint/linttest"
	"github.com/driftlint/driftlint/rules"
)

// TestSourceGoLibrary runs metric/unknown and label/unknown over a service that hands
// prefixed and labelled registerers to libraries (Grafana Mimir's shape): a catalogued
// exporter's name under the prefix is the library's (unverified), a typo still an error, and
// the wrapper's label is on the catalogued families under its prefix.
func TestSourceGoLibrary(t *testing.T) {
	linttest.Run(t, "../fixtures/source-go-library", rules.MetricUnknown, rules.LabelUnknown)
}
