// Package rules holds driftlint's rules, one file per rule. All is the registry.
package rules

import "github.com/driftlint/driftlint/lint"

// All returns every rule, in id order. It is an explicit list: no init() registration.
func All() []*lint.Rule {
	return []*lint.Rule{
		DocsLabelsMismatch,
		DocsStaleMetric,
		DocsTypeMismatch,
		DocsUndocumentedMetric,
		UnusedIgnore,
		HealthInvariant,
		HealthUnknownField,
		InputEmpty,
		InputParse,
		InputSkipped,
		LabelUnknown,
		LabelUnknownValue,
		MetricRenamed,
		MetricUnknown,
		RateOnGauge,
		RatioAggregation,
		RatioZeroGuard,
		RegexInEquality,
		PromQLSyntax,
		VectorMatching,
		RulesCopyDrift,
		RunbookAlertDrift,
		RunbookBrokenLink,
		RunbookMissing,
		ScrapeCounterDecrease,
		ScrapeExposition,
		ScrapeInvariant,
		SourceExpositionMismatch,
		SourceNaming,
		SourceUnresolved,
	}
}

// ByID returns the registered rule with the given id, or nil.
func ByID(id string) *lint.Rule {
	for _, r := range All() {
		if r.ID == id {
			return r
		}
	}
	return nil
}

// IDs returns the ids of every registered rule.
func IDs() []string {
	var ids []string
	for _, r := range All() {
		ids = append(ids, r.ID)
	}
	return ids
}
