package markdown

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/driftlint/driftlint/lint"
)

func TestExpositionExamplesDocumentMetrics(t *testing.T) {
	tests := []struct {
		name    string
		src     string
		runbook bool
		want    []string // name type line:col
	}{
		{
			name: "documents each family of an exposition example once, at its first sample",
			src:  "# Self metrics\n\nExample:\n\n```prometheus\nshop_list_total{resource=\"*v1.Node\",result=\"ok\"} 1\nshop_list_total{resource=\"a}b\",result=\"error\"} 52\n  shop_shards 1 1700000000000\n```\n",
			want: []string{"shop_list_total  6:1", "shop_shards  8:3"},
		},
		{
			name: "takes the type from a TYPE line and folds histogram series onto the family",
			src:  "```openmetrics\n# HELP shop_wait_seconds Wait.\n# TYPE shop_wait_seconds histogram\nshop_wait_seconds_bucket{le=\"+Inf\"} 3\nshop_wait_seconds_sum 0.5\nshop_other_bucket{le=\"1\"} 1\n# EOF\n```\n",
			want: []string{"shop_wait_seconds histogram 2:8", "shop_other_bucket  6:1"},
		},
		{
			name: "ignores a prometheus block that holds a query",
			src:  "```prometheus\nsum(rate(shop_list_total[5m]))\nshop_list_total{result=\"error\"} 1\n```\n",
		},
		{
			name: "ignores a selector without a value",
			src:  "```prometheus\nshop_list_total{result=\"error\"}\n```\n",
		},
		{
			name: "ignores blocks of other languages",
			src:  "```text\nshop_list_total 1\n```\n",
		},
		{
			name:    "ignores examples in a file that is only a runbook",
			src:     "```prometheus\nshop_list_total 1\n```\n",
			runbook: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := Load(lint.NewSourceFile("README.md", []byte(tt.src)), tt.runbook, !tt.runbook)
			var got []string
			for _, e := range res.DocEntries {
				got = append(got, fmt.Sprintf("%s %s %d:%d", e.Name, e.Type, e.At.Line, e.At.Col))
			}
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("doc entries (-want +got):\n%s", d)
			}
		})
	}
}
