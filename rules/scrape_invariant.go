package rules

import (
	"context"
	"fmt"
	"strings"

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
			var related []lint.Related
			for _, e := range store.Expositions(f.TimeMs) {
				if e.File == nil {
					continue
				}
				if job := f.Labels.Get(scrape.TargetLabel); job != "" && e.Target != job {
					continue
				}
				related = append(related, lint.Related{
					Pos:     lint.Pos{File: e.File.Path, Line: 1, Col: 1},
					Message: "scraped at " + scrape.FormatTime(f.TimeMs),
				})
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
