package rules

import (
	"testing"

	"github.com/driftlint/driftlint/lint/linttest"
)

func TestRatioAggregation(t *testing.T) {
	linttest.Run(t, "../fixtures/promql-ratio-aggregation", RatioAggregation)
}
