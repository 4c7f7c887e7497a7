package rules

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/driftlint/driftlint/lint"
	"github.com/driftlint/driftlint/lint/linttest"
)

func TestRateOnGauge(t *testing.T) {
	res := linttest.Run(t, "../fixtures/promql-rate-on-gauge", RateOnGauge)

	// Severities and related positions are not part of the want syntax: check them here.
	var got []string
	for _, f := range res.Findings {
		var rel []string
		for _, r := range f.Related {
			rel = append(rel, r.Pos.String()+" "+r.Message)
		}
		got = append(got, fmt.Sprintf("%s %s %s", f.Pos, f.Severity, strings.Join(rel, "; ")))
	}
	want := []string{
		`dashboards/streamer.json:15:35 error scrape/metrics.prom:2:1 "streamer_consumer_lag" is typed gauge here`,
		`dashboards/streamer.json:24:39 error scrape/metrics.prom:6:1 "streamer_partition_offset" is typed gauge here`,
		`docs/METRICS.md:11:1 error scrape/metrics.prom:10:1 "streamer_queue_depth" is typed gauge here`,
		`docs/RUNBOOK.md:7:9 warning scrape/metrics.prom:16:1 "streamer_restarts_total" is typed counter here`,
		`docs/RUNBOOK.md:14:20 error scrape/metrics.prom:2:1 "streamer_consumer_lag" is typed gauge here`,
		`rules/streamer.yml:7:31 error scrape/metrics.prom:2:1 "streamer_consumer_lag" is typed gauge here`,
		`rules/streamer.yml:19:13 error scrape/metrics.prom:6:1 "streamer_partition_offset" is typed gauge here`,
		`rules/streamer.yml:24:15 error scrape/metrics.prom:10:1 "streamer_queue_depth" is typed gauge here`,
		`rules/streamer.yml:28:16 error scrape/metrics.prom:25:1 "streamer_commit_seconds" is typed summary here`,
		`rules/streamer.yml:46:15 warning scrape/metrics.prom:16:1 "streamer_restarts_total" is typed counter here`,
		`rules/streamer.yml:50:13 warning scrape/metrics.prom:13:1 "streamer_events_total" is typed counter here`,
		`rules/streamer.yml:59:15 warning scrape/metrics.prom:19:1 "streamer_fetch_seconds" is typed histogram here`,
		`rules/streamer.yml:75:15 error scrape/metrics.prom:6:1 "streamer_partition_offset" is typed gauge here`,
		`rules/streamer.yml:81:15 error known.txt:2:1 "broker_partition_lag" is typed gauge here`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("positions, severities and related positions (-want +got):\n%s", diff)
	}
}

func TestRateOnGaugeSeverityOverride(t *testing.T) {
	p := linttest.Load(t, "../fixtures/promql-rate-on-gauge")
	res := lint.Run(p, []*lint.Rule{RateOnGauge}, lint.RunOptions{Severity: map[string]lint.Severity{RateOnGauge.ID: lint.Info}})
	for _, f := range res.Findings {
		if f.Severity != lint.Info {
			t.Errorf("%s: severity %s, want the configured info", f.Pos, f.Severity)
		}
	}
}

func TestSeriesKind(t *testing.T) {
	tests := []struct {
		name, typ, family, series, want string
	}{
		{"a counter family is a counter", "counter", "x_total", "x_total", "counter"},
		{"a gauge family is a gauge", "gauge", "x", "x", "gauge"},
		{"histogram buckets are counters", "histogram", "x_seconds", "x_seconds_bucket", "counter"},
		{"histogram counts are counters", "histogram", "x_seconds", "x_seconds_count", "counter"},
		{"summary sums are counters", "summary", "x_seconds", "x_seconds_sum", "counter"},
		{"summary quantiles are not counters", "summary", "x_seconds", "x_seconds", "summary (its quantile series are not counters)"},
		{"gauge histograms are not counters", "gaugehistogram", "x", "x_bucket", "gaugehistogram"},
		{"untyped families say nothing", "untyped", "x", "x", ""},
		{"unknown families say nothing", "unknown", "x", "x", ""},
		{"created series say nothing", "counter", "x_total", "x_created", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := seriesKind(&lint.Family{Name: tt.family, Type: tt.typ}, tt.series)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("seriesKind mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestRateOnGrowingGauge: a gauge the code only increments is one finding at its definition,
// with the first use in each query file; gauges that go down keep the query-site findings.
func TestRateOnGrowingGauge(t *testing.T) {
	linttest.Run(t, "../fixtures/promql-rate-on-growing-gauge", RateOnGauge)
}
