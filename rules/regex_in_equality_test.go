package rules

import (
	"testing"

	"github.com/driftlint/driftlint/lint/linttest"
)

func TestRegexInEquality(t *testing.T) {
	linttest.Run(t, "../fixtures/promql-regex-in-equality", RegexInEquality)
}
