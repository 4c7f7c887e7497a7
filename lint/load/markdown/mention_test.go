package markdown

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/driftlint/driftlint/lint"
)

func TestRunbookProseMentionsMetrics(t *testing.T) {
	tests := []struct {
		name       string
		src        string
		runbook    bool
		metricsDoc bool
		want       []string // name section line:col
	}{
		{
			name:    "records a code span that is exactly a metric name",
			src:     "# ShopQueueFull\n\nThe alert reads `shop_queue_depth_items` and\n`job:shop_errors:rate5m`, see **`shop_queue_capacity_items`**.\n",
			runbook: true,
			want:    []string{"shop_queue_depth_items ShopQueueFull 3:18", "job:shop_errors:rate5m ShopQueueFull 4:2", "shop_queue_capacity_items ShopQueueFull 4:34"},
		},
		{
			name:    "skips program and label names, selectors and code blocks",
			src:     "# ShopDown\n\nRestart `node_exporter`, check `scrape_pool`, run `shop_queue_depth_items{job=\"x\"}`\nor `kubectl get pods`.\n\n```\nshop_queue_depth_items\n```\n",
			runbook: true,
		},
		{
			name:       "leaves a metrics doc's names to its doc entries",
			src:        "# Metrics\n\nThe shop exports `shop_queue_depth_items`.\n",
			runbook:    true,
			metricsDoc: true,
		},
		{
			name: "records nothing outside runbooks",
			src:  "# Notes\n\nThe shop exports `shop_queue_depth_items`.\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := Load(lint.NewSourceFile("RUNBOOK.md", []byte(tt.src)), tt.runbook, tt.metricsDoc)
			var got []string
			for _, m := range res.Markdown.Mentions {
				got = append(got, fmt.Sprintf("%s %s %d:%d", m.Name, m.Section, m.At.Line, m.At.Col))
			}
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("mentions (-want +got):\n%s", d)
			}
		})
	}
}
