package rules

import (
	"testing"

	"github.com/driftlint/driftlint/lint/linttest"
)

func TestRatioZeroGuard(t *testing.T) {
	linttest.Run(t, "../fixtures/promql-ratio-zero-guard", RatioZeroGuard)
}
