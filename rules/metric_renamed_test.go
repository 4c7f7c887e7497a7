package rules_test

import (
	"testing"

	"github.com/driftlint/driftlint/lint/linttest"
	"github.com/driftlint/driftlint/rules"
)

// Node alerts against node_exporter's catalogued metrics: a typo, a label that the family
// lacks, a name renamed in 0.16 read alone (reported) and beside its new name (not).
func TestExportersCatalogue(t *testing.T) {
	linttest.Run(t, "../fixtures/exporters", rules.MetricUnknown, rules.MetricRenamed, rules.LabelUnknown, rules.RateOnGauge)
}
