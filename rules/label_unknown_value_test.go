package rules

import (
	"testing"

	"github.com/driftlint/driftlint/lint/linttest"
)

func TestLabelUnknownValue(t *testing.T) {
	linttest.Run(t, "../fixtures/label-unknown-value", LabelUnknownValue)
}
