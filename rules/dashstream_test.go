package rules_test

import (
	"testing"

	"github.com/driftlint/driftlint/lint/linttest"
	"github.com/driftlint/driftlint/rules"
)

// TestDashStream checks the exact set of findings on the audited project: every expectation
// written in fixtures/dashstream/broken for a registered rule is met and nothing else is
// reported; the repaired project is clean.
func TestDashStream(t *testing.T) {
	t.Run("broken", func(t *testing.T) {
		res := linttest.Run(t, "../fixtures/dashstream/broken", rules.All()...)
		if len(res.Findings) == 0 {
			t.Error("no findings on the broken project")
		}
	})
	t.Run("fixed", func(t *testing.T) {
		res := linttest.Run(t, "../fixtures/dashstream/fixed", rules.All()...)
		for _, f := range res.Findings {
			t.Errorf("fixed project: %s", f)
		}
	})
}
