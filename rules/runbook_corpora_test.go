package rules_test

import (
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/driftlint/driftlint/lint"
	"github.com/driftlint/driftlint/lint/load"
	"github.com/driftlint/driftlint/lint/runbook"
	"github.com/driftlint/driftlint/rules"
)

// rbCorpora holds real projects beside the checkout (shared/corpora); tests skip without it.
const rbCorpora = "../../shared/corpora"

var rbRunbookRules = []*lint.Rule{rules.RunbookAlertDrift, rules.RunbookBrokenLink, rules.RunbookMissing, rules.RulesCopyDrift}

// rbRunCorpus loads the corpus folder with cfg (paths relative to the corpora folder), fills
// the list of files as the loader will, and runs the runbook rules.
func rbRunCorpus(t *testing.T, cfg *lint.Config) []lint.Finding {
	t.Helper()
	abs, err := filepath.Abs(rbCorpora)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(abs); err != nil {
		t.Skip("shared/corpora is absent")
	}
	cfg.Dir, cfg.Path = abs, filepath.Join(abs, lint.ConfigFile)
	p, err := load.Project(cfg, load.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if p.KnownPaths == nil {
		if p.KnownPaths, err = runbook.ListFiles(abs, nil); err != nil {
			t.Fatal(err)
		}
	}
	res := lint.Run(p, rbRunbookRules, lint.RunOptions{})
	for _, err := range res.Internal {
		t.Error(err)
	}
	return res.Findings
}

// Thanos' rendered alerts point their runbook_url at anchors (#alert-name-…) that no
// heading of mixin/runbook.md produces; the runbook's own table repeats the same links.
// Its examples/alerts/alerts.md quotes all 48 alerts, and every copy agrees with the rules.
func TestRunbookRulesOnThanos(t *testing.T) {
	findings := rbRunCorpus(t, &lint.Config{
		Rules:       []string{"thanos-io__thanos/examples/alerts/alerts.yaml", "thanos-io__thanos/examples/alerts/rules.yaml"},
		Runbooks:    []string{"thanos-io__thanos/mixin/runbook.md", "thanos-io__thanos/examples/alerts/alerts.md"},
		RunbookURLs: []lint.RunbookURL{{Prefix: "https://github.com/thanos-io/thanos/tree/main/", Path: "thanos-io__thanos"}},
	})
	anchor := regexp.MustCompile(`points to anchor #alert-name-[a-z0-9]+, but no heading in thanos-io__thanos/mixin/runbook.md has that anchor$`)
	count := map[string]int{}
	for _, f := range findings {
		if f.Rule != "runbook/broken-link" || !anchor.MatchString(f.Message) {
			t.Errorf("unexpected finding %s", f)
			continue
		}
		count[f.Pos.File]++
	}
	want := map[string]int{"thanos-io__thanos/examples/alerts/alerts.yaml": 48, "thanos-io__thanos/mixin/runbook.md": 48}
	if d := cmp.Diff(want, count); d != "" {
		t.Errorf("broken anchors per file (-want +got):\n%s", d)
	}
}

// kube-prometheus' alerts link to runbooks.prometheus-operator.dev; the runbooks snapshot
// (2024-10) lacks the pages of alerts added later. derived/rules are copies of the
// PrometheusRule manifests (detected: they share every name) and agree with them.
func TestRunbookRulesOnKubePrometheus(t *testing.T) {
	findings := rbRunCorpus(t, &lint.Config{
		Rules:       []string{"prometheus-operator__kube-prometheus/derived/rules/*.yaml", "prometheus-operator__kube-prometheus/manifests/*-prometheusRule.yaml"},
		Runbooks:    []string{"prometheus-operator__runbooks/content/runbooks/**/*.md"},
		RunbookURLs: []lint.RunbookURL{{Prefix: "https://runbooks.prometheus-operator.dev/runbooks/", Path: "prometheus-operator__runbooks/content/runbooks"}},
	})
	page := regexp.MustCompile(`^runbook_url of alert "(\w+)" points to https://runbooks\.prometheus-operator\.dev/runbooks/[a-z-]+/[a-z]+, but there is no runbook page prometheus-operator__runbooks/content/runbooks/[a-z-]+/[a-z]+\.md \(letter case ignored\)$`)
	missing := map[string]int{}
	for _, f := range findings {
		m := page.FindStringSubmatch(f.Message)
		if f.Rule != "runbook/broken-link" || m == nil {
			t.Errorf("unexpected finding %s", f)
			continue
		}
		missing[m[1]]++
	}
	var names []string
	for n, c := range missing {
		names = append(names, n)
		want := 2 // once in derived/rules, once in the manifest
		if n == "KubePersistentVolumeInodesFillingUp" {
			want = 4 // a warning and a critical alert
		}
		if c != want {
			t.Errorf("%s reported %d times, want %d", n, c, want)
		}
	}
	sort.Strings(names)
	want := []string{
		"AlertmanagerClusterFailedPeers", "KubeAPIInstanceUnreachable", "KubeControllerManagerInstanceUnreachable",
		"KubeDeploymentRolloutStuck", "KubeJobNotCompleted", "KubeNodeEviction", "KubeNodePressure",
		"KubePdbNotEnoughHealthyPods", "KubePersistentVolumeInodesFillingUp", "KubeSchedulerInstanceUnreachable",
		"KubeletInstanceUnreachable", "NodeBondingDegraded", "NodeCPUHighUsage", "NodeDiskIOSaturation",
		"NodeMemoryHighUtilization", "NodeMemoryMajorPagesFaults", "NodeSystemSaturation",
		"NodeSystemdServiceCrashlooping", "NodeSystemdServiceFailed", "PrometheusHighQueryLoad",
		"PrometheusKubernetesListWatchFailures", "PrometheusOperatorStatusUpdateErrors",
		"PrometheusSDRefreshFailure", "PrometheusScrapeBodySizeLimitHit", "PrometheusScrapeSampleLimitHit",
	}
	if d := cmp.Diff(want, names); d != "" {
		t.Errorf("alerts whose runbook page is missing (-want +got):\n%s", d)
	}
}
