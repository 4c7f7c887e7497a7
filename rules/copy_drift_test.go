package rules_test

import (
	"testing"

	"github.com/driftlint/driftlint/lint/linttest"
	"github.com/driftlint/driftlint/rules"
)

func TestRulesCopyDrift(t *testing.T) {
	linttest.Run(t, "../fixtures/rules-copy-drift", rules.RulesCopyDrift)
}
