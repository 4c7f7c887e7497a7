package rules

import (
	"errors"
	"strings"
	"unicode/utf8"

	"github.com/prometheus/prometheus/promql/parser"

	"github.com/driftlint/driftlint/lint"
	"github.com/driftlint/driftlint/lint/promql"
)

// PromQLSyntax reports PromQL that does not parse, wherever it lives.
var PromQLSyntax = &lint.Rule{
	ID:      "promql/syntax",
	Summary: "PromQL in any artifact that does not parse",
	Doc: `Every query driftlint finds (alert and recording rules, runbook promql blocks and alert
copies, dashboard targets and variables, docs examples) is parsed with Prometheus's own
parser. A query that does not parse fails at evaluation time, or silently shows an empty
panel; it is reported inside the artifact (the YAML scalar, the Markdown fence, the JSON
string) at the parser's position. Grafana variables such as $job and $__rate_interval are
replaced with stand-ins first, so they never cause this finding.

Bad (a runbook):

    ` + "```promql" + `
    sum(rate(websocket_decode_errors_total[5m])
    ` + "```" + `

Good:

    ` + "```promql" + `
    sum(rate(websocket_decode_errors_total[5m]))
    ` + "```",
	Severity: lint.Error,
	Needs:    lint.NeedQueries,
	Run: func(pass *lint.Pass) error {
		for _, q := range pass.Project.Queries {
			if q.Err == nil {
				continue
			}
			at, msg := q.Pos(0), q.Err.Error()
			if pe, ok := errors.AsType[parser.ParseErrors](q.Err); ok && len(pe) > 0 {
				at, msg = q.Pos(int(pe[0].PositionRange.Start)), pe[0].Err.Error()
			}
			pass.Reportf(at, subjectOf(q), "%s does not parse: %s in %q", q.Describe(), msg, shorten(promql.Render(q, 0, len(q.Text.Value)), 80))
		}
		return nil
	},
}

// subjectOf names a query's owner as a finding's subject.
func subjectOf(q *lint.Query) lint.Subject {
	switch q.Origin {
	case lint.OriginAlert, lint.OriginRunbookAlert:
		return lint.Subject{Alert: q.Owner}
	case lint.OriginRecording:
		return lint.Subject{Record: q.Owner}
	default:
		return lint.Subject{}
	}
}

// shorten drops PromQL comments, collapses blanks and cuts s to at most n bytes, for
// quoting queries in messages.
func shorten(s string, n int) string {
	return truncate(strings.Join(strings.Fields(stripComments(s)), " "), n)
}

// truncate cuts s to fewer than n bytes, at a character boundary, and marks the cut with
// "…"; a shorter s is returned as it is.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n - 1
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

// stripComments removes PromQL # comments (outside string literals).
func stripComments(s string) string {
	var b strings.Builder
	var quote byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == '\\' && i+1 < len(s) {
				b.WriteByte(c)
				i++
				c = s[i]
			} else if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'' || c == '`':
			quote = c
		case c == '#':
			for i < len(s) && s[i] != '\n' {
				i++
			}
			if i < len(s) {
				b.WriteByte('\n')
			}
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}
