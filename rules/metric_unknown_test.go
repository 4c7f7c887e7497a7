package rules

import (
	"testing"

	"github.com/driftlint/driftlint/lint/linttest"
)

func TestMetricUnknown(t *testing.T) {
	linttest.Run(t, "../fixtures/metric-unknown", MetricUnknown)
}
