package rules

import (
	"testing"

	"github.com/driftlint/driftlint/lint/linttest"
)

func TestHealthInvariant(t *testing.T) {
	linttest.Run(t, "../fixtures/health-invariant", HealthInvariant)
}
