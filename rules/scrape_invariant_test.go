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

func TestScrapeInvariantPointsAtTheSamples(t *testing.T) {
	res := linttest.Run(t, "../fixtures/scrape-invariant", ScrapeInvariant)
	got := map[string][]string{}
	for _, f := range res.Findings {
		name, _, _ := strings.Cut(f.Message, " ")
		for _, r := range f.Related {
			got[name] = append(got[name], r.Pos.String()+": "+r.Message)
		}
	}
	want := map[string][]string{
		// One comparison: the failing series' sample on each side, in the scrape it fails at.
		"consumed-within-produced": {
			"scrape/api-2.prom:7:1: left side: sample scraped at t=15s",
			"scrape/api-2.prom:3:1: right side: sample scraped at t=15s",
		},
		// An aggregation: every sample of the side is an input (at most 3 listed per side).
		"consumer-covers-all-partitions": {
			"scrape/worker-1.prom:3:1: left side: sample scraped at t=0s",
			"scrape/worker-1.prom:4:1: left side: sample scraped at t=0s",
		},
		// Not one comparison: the samples of every metric, without a side.
		"lag-bounded-unless-paused": {
			"scrape/worker-2.prom:8:1: sample scraped at t=15s",
			"scrape/worker-2.prom:12:1: sample scraped at t=15s",
		},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("related positions (-want +got):\n%s", diff)
	}
}
