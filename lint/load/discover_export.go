package load

import (
	"sort"

	"github.com/driftlint/driftlint/lint"
	"github.com/driftlint/driftlint/lint/safefs"
)

// Discovered is a file that discovery classified, with every role it was found to play.
type Discovered struct {
	Path         string // slash-separated, relative to the discovered folder
	Rules        bool   // a Prometheus rule file (rule groups, a PrometheusRule)
	Runbook      bool   // Markdown with promql blocks or alert sections
	MetricsDoc   bool   // Markdown with a metric table or list
	Dashboard    bool   // Grafana dashboard JSON, or a ConfigMap embedding one
	Exposition   bool   // a saved scrape
	Health       bool   // a /health sample
	HealthSchema bool   // a JSON Schema of the /health response
}

// Discover finds inputs by content under cfg.Dir exactly as Project does for a config
// without a file (lint.DefaultConfig): the same skipped folders, size limit and content
// tests. The files are sorted by path.
func Discover(cfg *lint.Config) ([]Discovered, error) {
	root, err := safefs.Open(cfg.Dir)
	if err != nil {
		return nil, err
	}
	defer root.Close()
	roles := map[string]role{}
	if err := discover(cfg, root, roles); err != nil {
		return nil, err
	}
	out := make([]Discovered, 0, len(roles))
	for rel, r := range roles {
		out = append(out, Discovered{
			Path:         rel,
			Rules:        r&roleRules != 0,
			Runbook:      r&roleRunbook != 0,
			MetricsDoc:   r&roleMetricsDoc != 0,
			Dashboard:    r&roleDashboard != 0,
			Exposition:   r&roleExposition != 0,
			Health:       r&roleHealth != 0,
			HealthSchema: r&roleHealthSchema != 0,
		})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out, nil
}
