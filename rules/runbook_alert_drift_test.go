package rules_test

import (
	"testing"

	"github.com/driftlint/driftlint/lint/linttest"
	"github.com/driftlint/driftlint/rules"
)

func TestRunbookAlertDrift(t *testing.T) {
	linttest.Run(t, "../fixtures/runbook-alert-drift", rules.RunbookAlertDrift)
}
