package rules_test

import (
	"testing"

	"github.com/driftlint/driftlint/lint/linttest"
	"github.com/driftlint/driftlint/rules"
)

// TestSourcesNeverDark runs metric/unknown, docs/stale-metric and source/unresolved over code
// with names computed at run time: what each excuses, the names a directive declares, the
// spaces the code owns, near misses outside them, the client library's defaults, and the hint
// on a name that only an unread definition could define.
func TestSourcesNeverDark(t *testing.T) {
	linttest.Run(t, "../fixtures/source-never-dark", rules.MetricUnknown, rules.DocsStaleMetric, rules.SourceUnresolved, rules.UnusedIgnore)
}

// TestColonNamespace runs metric/unknown over code that names its metrics with a namespace
// before a colon (vLLM's vllm:…): the code covers that space, so a misspelt name is an error,
// while a recording-style name with two colons stays unverified.
func TestColonNamespace(t *testing.T) {
	linttest.Run(t, "../fixtures/colon-namespace", rules.MetricUnknown)
}
