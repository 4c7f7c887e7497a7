package rules

import (
	"fmt"
	"strings"

	"github.com/driftlint/driftlint/lint"
	"github.com/driftlint/driftlint/lint/docsfix"
)

// DocsLabelsMismatch reports documented label sets that differ from the exported ones.
var DocsLabelsMismatch = &lint.Rule{
	ID:      "docs/labels-mismatch",
	Summary: "documented labels differ from the labels the metric is exported with",
	Doc: `A metrics doc table with a labels column states each metric's label set. When the
exposition's series carry other labels, queries written from the doc aggregate or match on
labels that do not exist, and labels that do exist go unexplained. The finding names every
label the doc lacks and every documented label the exposition does not have.

Ignored on the documented side: job and instance (Prometheus adds them at scrape time), le of
a histogram and quantile of a summary, and templates such as label_POD_LABEL or
annotation_KEY, which stand for any exported label with that prefix. Families whose samples
the expositions do not show (declared by # HELP/# TYPE only) are not checked.

Bad (the scrape has websocket_client_lag_events_total{severity="warning"}):

    | ` + "`websocket_client_lag_events_total`" + ` | Counter | - | Times a client fell behind |

Good:

    | ` + "`websocket_client_lag_events_total`" + ` | Counter | ` + "`severity`" + ` | Times a client fell behind |`,
	Severity: lint.Error,
	Needs:    lint.NeedMetricsDocs | lint.NeedExpositions,
	Run:      runDocsLabelsMismatch,
}

func runDocsLabelsMismatch(pass *lint.Pass) error {
	ix := docsfix.For(pass.Project)
	for _, e := range pass.Project.DocEntries {
		if !e.HasLabels {
			continue
		}
		f, _ := ix.Resolve(e.Name)
		if f == nil || !f.LabelsKnown {
			continue
		}
		undocumented, unexported := docsfix.LabelDiff(e.Labels, f)
		if len(undocumented) == 0 && len(unexported) == 0 {
			continue
		}
		at := e.LabelsAt
		if !at.IsValid() {
			at = e.At
		}
		subject := lint.Subject{Metric: e.Name}
		if len(undocumented) > 0 {
			subject.Label = undocumented[0]
		} else {
			subject.Label = unexported[0]
		}
		pass.Report(lint.Finding{
			Pos:     at,
			Subject: subject,
			Message: labelsMessage(e.Name, documentedLabels(e.Labels), f.Labels, undocumented, unexported),
			Related: []lint.Related{{Pos: f.LabelsFrom.At(), Message: "exported here with " + labelList(f.Labels)}},
		})
	}
	return nil
}

// documentedLabels drops duplicates from a documented label list, keeping its order.
func documentedLabels(ls []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, l := range ls {
		if !seen[l] {
			seen[l] = true
			out = append(out, l)
		}
	}
	return out
}

// maxListed is the longest label set a message spells out; longer ones are counted.
const maxListed = 6

// labelList describes a label set: "labels a, b", "no labels", or "12 labels".
func labelList(ls []string) string {
	switch {
	case len(ls) == 0:
		return "no labels"
	case len(ls) > maxListed:
		return fmt.Sprintf("%d labels", len(ls))
	default:
		return "labels " + strings.Join(ls, ", ")
	}
}

// labelsMessage says how the documented and exported label sets differ:
//
//	metric "x" is documented with no labels but is exported with labels severity
//	metric "x" is documented with labels a, b but is exported with labels a, c: c is undocumented, b is not exported
//	metric "x" is documented with 12 labels but is exported with 12 labels: c is undocumented, b is not exported
func labelsMessage(name string, documented, exported, undocumented, unexported []string) string {
	msg := fmt.Sprintf("metric %q is documented with %s but is exported with %s", name, labelList(documented), labelList(exported))
	if len(documented) == 0 || len(exported) == 0 {
		return msg
	}
	var parts []string
	if len(undocumented) > 0 {
		parts = append(parts, strings.Join(undocumented, ", ")+verb(len(undocumented))+" undocumented")
	}
	if len(unexported) > 0 {
		parts = append(parts, strings.Join(unexported, ", ")+verb(len(unexported))+" not exported")
	}
	return msg + ": " + strings.Join(parts, ", ")
}

func verb(n int) string {
	if n == 1 {
		return " is"
	}
	return " are"
}
