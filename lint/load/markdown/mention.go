package markdown

import (
	"strings"

	"github.com/driftlint/driftlint/lint"
)

// mention records an inline code span of a runbook's prose that is exactly a metric name
// with at least two underscores or a colon (`kube_node_status_capacity_pods`,
// `job:errors:rate5m`): shorter names are more often programs and labels (`node_exporter`,
// `scrape_pool`). A metrics doc's names are its DocEntries, not mentions.
func (l *loader) mention(b *builder) {
	if !l.md.Runbook || l.md.MetricsDoc {
		return
	}
	name := string(b.buf)
	if !isMetricName(name) || strings.Count(name, "_") < 2 && !strings.Contains(name, ":") {
		return
	}
	l.md.Mentions = append(l.md.Mentions, lint.Mention{Name: name, At: l.pos(int(b.offs[0])), Section: l.owner})
}
