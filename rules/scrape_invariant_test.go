package rules

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/driftlint/driftlint/lint/linttest"
)

func TestScrapeInvariant(t *testing.T) {
	res := linttest.Run(t, "../fixtures/scrape-invariant", ScrapeInvariant)
	// Invariants that cannot be checked, or hold vacuously, are warnings; failures and
	// evaluation errors keep the rule's severity.
	got := map[string]string{}
	for _, f := range res.Findings {
		name, _, _ := strings.Cut(f.Message, " ")
		got[name] = f.Severity.String()
	}
	want := map[string]string{
		"consumed-within-produced":           "error",
		"consumer-covers-all-partitions":     "error",
		"lag-bounded-unless-paused":          "error",
		"producer-errors-within-requests":    "warning",
		"dlq-within-failed":                  "warning",
		"failed-within-produced":             "warning",
		"consumed-within-produced-any-queue": "error",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("severities (-want +got):\n%s", diff)
	}
}
