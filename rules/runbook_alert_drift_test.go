package rules_test

import (
	"testing"

	"github.com/driftlint/driftlint/lint/linttest"
	"github.com/driftlint/driftlint/rules"
)

func TestRunbookAlertDrift(t *testing.T) {
	linttest.Run(t, "../fixtures/runbook-alert-drift", rules.RunbookAlertDrift)
}

// TestRunbookCopies checks that a runbook's verbatim copy of an alert does not repeat the
// alert's findings, and that a drifted copy keeps its own.
func TestRunbookCopies(t *testing.T) {
	linttest.Run(t, "../fixtures/runbook-copies", rules.RunbookAlertDrift, rules.RatioZeroGuard, rules.LabelUnknown)
}
