package rules_test

import (
	"testing"

	"github.com/driftlint/driftlint/lint/linttest"
	"github.com/driftlint/driftlint/rules"
)

func TestRunbookMissing(t *testing.T) {
	linttest.Run(t, "../fixtures/runbook-missing", rules.RunbookMissing)
}
