package rules_test

import (
	"testing"

	"github.com/driftlint/driftlint/lint/linttest"
	"github.com/driftlint/driftlint/rules"
)

func TestRunbookMissing(t *testing.T) {
	linttest.Run(t, "../fixtures/runbook-missing", rules.RunbookMissing)
}

// "Did you mean" also names a heading made of the alert name's CamelCase words.
func TestRunbookMissingSuggestsTheSplitName(t *testing.T) {
	rbRunWithFiles(t, "../fixtures/runbook-templated-links", rules.RunbookMissing)
}
