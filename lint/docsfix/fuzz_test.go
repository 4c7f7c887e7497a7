package docsfix_test

import (
	"testing"

	"github.com/driftlint/driftlint/lint"
	"github.com/driftlint/driftlint/lint/docsfix"
	"github.com/driftlint/driftlint/lint/load/expo"
	"github.com/driftlint/driftlint/lint/load/markdown"
)

const fuzzScrape = `# HELP shop_orders_total Orders.
# TYPE shop_orders_total counter
shop_orders_total{status="paid",channel="web"} 1
# HELP shop_items Items.
# TYPE shop_items gauge
shop_items 3
# HELP shop_latency_seconds Latency.
# TYPE shop_latency_seconds histogram
shop_latency_seconds_bucket{stage="a",le="+Inf"} 1
shop_latency_seconds_sum{stage="a"} 1
shop_latency_seconds_count{stage="a"} 1
`

// FuzzFix checks that Fix never panics and never fails on any metrics doc.
func FuzzFix(f *testing.F) {
	for _, s := range []string{
		"| Metric | Type | Labels |\n|---|---|---|\n| `shop_orders_total` | Gauge | - |\n",
		"Metric | Labels\n--- | ---\nshop_items | `a`, `b`\nshop_order_total | x\n",
		"> | Metric | Type |\n> |---|---|\n> | `shop_latency_seconds_bucket` | Counter |",
		"   | Metric | Type | Labels |\n   |---|---|---|\n   | `shop_items` | Counter | |\r\n",
		"- `shop_order_total`: orders\n### `shop_orderz_total`\n",
		"| Metric | Labels |\n|---|---|\n| `shop_orders_total` | `status=\"a\\|b\"` or `x` if set <br> `y`=&lt;v |",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, doc string) {
		mf := lint.NewSourceFile("docs/METRICS.md", []byte(doc))
		mr := markdown.Load(mf, false, true)
		ef := lint.NewSourceFile("scrape/metrics.prom", []byte(fuzzScrape))
		e, _ := expo.Load(ef)
		p := &lint.Project{
			Files:       []*lint.SourceFile{mf, ef},
			Markdown:    []*lint.Markdown{mr.Markdown},
			DocEntries:  mr.DocEntries,
			Expositions: []*lint.Exposition{e},
		}
		if _, err := docsfix.Fix(p); err != nil {
			t.Errorf("Fix(%q): %v", doc, err)
		}
	})
}
