package rules

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/promql/parser"

	"github.com/driftlint/driftlint/lint"
	"github.com/driftlint/driftlint/lint/scrape"
)

// ScrapeInvariant reports configured invariants that do not hold over the scraped samples.
var ScrapeInvariant = &lint.Rule{
	ID:      "scrape/invariant",
	Summary: "a configured invariant that does not hold over the scraped samples",
	Doc: `An invariant (the invariants: list of .driftlint.yaml) is a PromQL comparison that must
hold for every series: errors never exceed the messages they are errors about, a consumer
covers every partition. driftlint evaluates it with Prometheus's own PromQL engine over
every scraped sample, at the time of each scrape (a saved scrape i of a target is at
i × interval), and reports each series for which the comparison is false, once, with the
values of both sides, at the first scrape time it is false. Series of a named target carry
job="<target>", as Prometheus would add it. The engine's 5-minute lookback applies: at
the second scrape a series that only the first scrape had is still seen.

An invariant whose metrics no scrape has cannot be checked and is a warning, as is one
whose two sides never match (it holds vacuously). Series that have no partner on the
other side are not compared, as in Prometheus: use on() or group_left to match them.

Bad (scrape 2: 48552 Kafka errors, 48216 messages received):

    invariants:
      - name: kafka-errors-within-received
        expr: websocket_kafka_errors_total <= websocket_kafka_messages_received_total

Good: count consumer errors in their own counter, so that the invariant holds.`,
	Severity: lint.Error,
	Needs:    lint.NeedExpositions,
	Run:      runScrapeInvariant,
}

func runScrapeInvariant(pass *lint.Pass) error {
	p := pass.Project
	if p.Config == nil || len(p.Config.Invariants) == 0 {
		return nil
	}
	store := scrape.NewStorage(p.Expositions)
	checker := scrape.NewChecker(store)
	for _, inv := range p.Config.Invariants {
		at := p.Config.ProjectPos(inv.At)
		rep := checker.Check(context.Background(), inv.Expr)
		sides := invariantSides(inv.Expr)
		if len(rep.Absent) > 0 {
			what := "cannot be checked"
			if len(rep.Absent) < len(rep.Metrics) {
				what = "is only partly checked"
			}
			pass.Report(lint.Finding{
				Pos:      at,
				Severity: lint.Warning,
				Subject:  lint.Subject{Metric: rep.Absent[0], Invariant: inv.Name},
				Message:  fmt.Sprintf("%s %s: no scrape has %s", inv.Name, what, quoteList(rep.Absent)),
			})
		}
		if rep.Err != nil {
			when := ""
			if rep.ErrTimeMs >= 0 && len(store.Times()) > 1 {
				when = " at " + scrape.FormatTime(rep.ErrTimeMs)
			}
			pass.Reportf(at, lint.Subject{Invariant: inv.Name}, "%s cannot be evaluated%s: %s", inv.Name, when, oneLineErr(rep.Err))
		}
		if len(rep.Absent) == 0 && rep.Err == nil && !rep.Compared {
			pass.Report(lint.Finding{
				Pos:      at,
				Severity: lint.Warning,
				Subject:  lint.Subject{Invariant: inv.Name},
				Message:  inv.Name + " compares no series at any scrape time: its two sides never match, so it holds vacuously",
			})
		}
		for _, f := range rep.Failures {
			msg := fmt.Sprintf("%s does not hold at %s for %s", inv.Name, scrape.FormatTime(f.TimeMs), f.Labels.String())
			if f.HasSides {
				msg += fmt.Sprintf(": left side %s %s right side %s", scrape.FormatValue(f.Left), f.Op, scrape.FormatValue(f.Right))
			}
			if len(f.Also) > 0 {
				times := make([]string, 0, len(f.Also))
				for i, t := range f.Also {
					if i == 3 {
						times = append(times, fmt.Sprintf("and %d more", len(f.Also)-3))
						break
					}
					times = append(times, scrape.FormatTime(t))
				}
				msg += " (also at " + strings.Join(times, ", ") + ")"
			}
			// The violating samples' lines, each side's in each scrape; the scrapes
			// themselves when no sample can be told apart.
			var related, scrapes []lint.Related
			for _, e := range store.Expositions(f.TimeMs) {
				if e.File == nil {
					continue
				}
				if job := f.Labels.Get(scrape.TargetLabel); job != "" && e.Target != job {
					continue
				}
				related = append(related, sampleLines(e, sides, f.Labels, scrape.FormatTime(f.TimeMs))...)
				scrapes = append(scrapes, lint.Related{Pos: lint.Pos{File: e.File.Path, Line: 1, Col: 1}, Message: "scraped at " + scrape.FormatTime(f.TimeMs)})
			}
			if len(related) == 0 {
				related = scrapes
			}
			// The subject, not the message (which holds the values), identifies the finding,
			// so that its fingerprint is the same in every run of a live scrape.
			pass.Report(lint.Finding{Pos: at, Message: msg, Related: related, Subject: lint.Subject{Invariant: inv.Name, Series: f.Labels.String()}})
		}
	}
	return nil
}

// quoteList writes names as "a", "b" and "c".
func quoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = fmt.Sprintf("%q", n)
	}
	if len(q) == 1 {
		return q[0]
	}
	return strings.Join(q[:len(q)-1], ", ") + " or " + q[len(q)-1]
}

// oneLineErr flattens an error message onto one line.
func oneLineErr(err error) string { return strings.Join(strings.Fields(err.Error()), " ") }

// invariantParser reads invariants to find the metrics of their two sides.
var invariantParser = parser.NewParser(parser.Options{EnableExperimentalFunctions: true, EnableBinopFillModifiers: true})

// invSide is one side of an invariant's comparison: the metrics it reads.
type invSide struct {
	name    string // "left side", "right side", or "" for a whole expression
	metrics []string
}

// invariantSides returns the metrics of each side of an invariant that is one comparison, or
// of the whole expression otherwise.
func invariantSides(expr string) []invSide {
	e, err := invariantParser.ParseExpr(expr)
	if err != nil {
		return nil
	}
	for {
		p, ok := e.(*parser.ParenExpr)
		if !ok {
			break
		}
		e = p.Expr
	}
	if b, ok := e.(*parser.BinaryExpr); ok && b.Op.IsComparisonOperator() {
		return []invSide{{"left side", selectorNames(b.LHS)}, {"right side", selectorNames(b.RHS)}}
	}
	return []invSide{{"", selectorNames(e)}}
}

func selectorNames(n parser.Node) []string {
	var out []string
	parser.Inspect(n, func(n parser.Node, _ []parser.Node) error {
		if vs, ok := n.(*parser.VectorSelector); ok {
			if name := lint.MetricName(vs); name != "" && !slices.Contains(out, name) {
				out = append(out, name)
			}
		}
		return nil
	})
	return out
}

// maxSampleLines bounds the sample lines given per side of one failure in one scrape.
const maxSampleLines = 3

// sampleLines returns the lines of the samples of e that a failure was computed from: for
// each side, the samples of its metrics whose labels agree with the failing series (the
// scrape-time job aside), at most maxSampleLines per side, the rest counted.
func sampleLines(e *lint.Exposition, sides []invSide, ls labels.Labels, when string) []lint.Related {
	var out []lint.Related
	for _, side := range sides {
		var found []lint.Pos
		more := 0
		for _, name := range side.metrics {
			for _, fn := range e.Order {
				for _, smp := range e.Families[fn].Samples {
					if smp.Name != name || smp.At.Line == 0 || !agrees(smp.Labels, ls) {
						continue
					}
					if len(found) == maxSampleLines {
						more++
						continue
					}
					found = append(found, smp.At)
				}
			}
		}
		slices.SortFunc(found, func(a, b lint.Pos) int { return a.Line - b.Line })
		for i, at := range found {
			msg := "sample scraped at " + when
			if side.name != "" {
				msg = side.name + ": " + msg
			}
			if i == len(found)-1 && more > 0 {
				msg += fmt.Sprintf(" (and %d more)", more)
			}
			out = append(out, lint.Related{Pos: at, Message: msg})
		}
	}
	return out
}

// agrees reports whether a sample's labels have the values the failing series has (the job
// Storage adds for the target aside; exported_job is the exporter's own job).
func agrees(sample map[string]string, ls labels.Labels) bool {
	ok := true
	ls.Range(func(l labels.Label) {
		switch l.Name {
		case scrape.TargetLabel:
		case scrape.ExportedTargetLabel:
			ok = ok && sample[scrape.TargetLabel] == l.Value
		default:
			ok = ok && sample[l.Name] == l.Value
		}
	})
	return ok
}
