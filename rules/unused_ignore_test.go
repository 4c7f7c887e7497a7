package rules_test

import (
	"testing"

	"github.com/driftlint/driftlint/lint/linttest"
	"github.com/driftlint/driftlint/rules"
)

func TestUnusedIgnore(t *testing.T) {
	linttest.Run(t, "../fixtures/driftlint-unused-ignore",
		rules.UnusedIgnore, rules.MetricUnknown, rules.LabelUnknown, rules.PromQLSyntax,
		rules.RatioAggregation, rules.HealthUnknownField, rules.RunbookBrokenLink, rules.ScrapeExposition)
}
