package rules_test

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/driftlint/driftlint/lint"
	"github.com/driftlint/driftlint/lint/load"
	"github.com/driftlint/driftlint/rules"
)

// TestDocsRulesOnKubeStateMetrics is the field check of the docs/* rules: kube-state-metrics'
// docs/metrics tables against the exposition assembled from its unit tests. It skips itself
// when the shared corpora are absent (they are not part of the project).
func TestDocsRulesOnKubeStateMetrics(t *testing.T) {
	dir, err := filepath.Abs("../../shared/corpora/kubernetes__kube-state-metrics")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dir); err != nil {
		t.Skip("corpus not present:", err)
	}
	cfg := lint.DefaultConfig(dir)
	cfg.Path = filepath.Join(dir, ".driftlint.yaml") // paths below are explicit, not discovered
	cfg.MetricsDocs = []string{"docs/metrics/**/*.md"}
	// The exposition is a union of test expectations, not a scrape: a family missing from it
	// proves nothing, so it covers no names (docs/stale-metric stays silent).
	cfg.Exposition = []lint.ExpositionSource{{File: "derived/internal_store_tests.prom", Covers: []string{}}}
	p, err := load.Project(cfg, load.Options{})
	if err != nil {
		t.Fatal(err)
	}
	res := lint.Run(p, []*lint.Rule{rules.DocsStaleMetric, rules.DocsUndocumentedMetric, rules.DocsLabelsMismatch, rules.DocsTypeMismatch}, lint.RunOptions{})
	drift := []string{
		"docs/metrics/service/endpointslice-metrics.md:8:174 kube_endpointslice_endpoints",                         // nodename is exported as endpoint_nodename
		"docs/metrics/storage/persistentvolumeclaim-metrics.md:10:228 kube_persistentvolumeclaim_status_condition", // type is condition
		"docs/metrics/workload/pod-metrics.md:38:304 kube_pod_runtimeclass_name_info",                              // runtimeclass_name is missing
	}
	var got []string
	for _, f := range res.Findings {
		k := f.Pos.String() + " " + f.Subject.Metric
		got = append(got, k)
		if f.Rule != "docs/labels-mismatch" || !slices.Contains(drift, k) {
			t.Errorf("unexpected finding %s: %s (%s)", f.Pos, f.Message, f.Rule)
		}
	}
	for _, k := range drift {
		if !slices.Contains(got, k) {
			t.Errorf("missing finding %s", k)
		}
	}
}
