package rules

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/promql/parser"

	"github.com/driftlint/driftlint/lint"
	"github.com/driftlint/driftlint/lint/promql"
)

// RegexInEquality reports equality matchers whose value is written as a regular expression.
var RegexInEquality = &lint.Rule{
	ID:      "promql/regex-in-equality",
	Summary: "an equality matcher whose value is a regular expression",
	Doc: `= and != compare a label with the text as written; only =~ and !~ read a regular
expression. name="apply_.*" selects the series whose name label is the very text
apply_.* — none — so the panel is empty or the alert never fires (and name!="apply_.*"
filters nothing).

A value is taken for a regular expression when it holds .* or .+, a |, a character class
with a range or a negation ([0-9], [^/]) or followed by a repetition, a group followed by a
repetition or opened with (?:, a ^ at its start, a $ at its end (not a Grafana variable), or
\d, \w or \s; it must compile as one; and it must equal no known value of the label (the
values of the code and the scrapes for the metric, or of any metric when the selector has no
metric name), since a label may hold such text.

Bad:

    sum(rate(jobs_applied_total{name="apply_.*"}[5m]))

Good:

    sum(rate(jobs_applied_total{name=~"apply_.*"}[5m]))`,
	Severity: lint.Warning,
	Needs:    lint.NeedQueries,
	Run:      runRegexInEquality,
}

func runRegexInEquality(pass *lint.Pass) error {
	var idx *valueIndex
	for _, q := range pass.Project.Queries {
		if q.Expr == nil {
			continue
		}
		parser.Inspect(q.Expr, func(n parser.Node, _ []parser.Node) error {
			vs, ok := n.(*parser.VectorSelector)
			if !ok {
				return nil
			}
			var toks []labelTok
			metric := lint.MetricName(vs)
			for _, m := range vs.LabelMatchers {
				if m.Type != labels.MatchEqual && m.Type != labels.MatchNotEqual || promql.IsVariable(m.Name) || !looksLikeRegex(m.Value) {
					continue
				}
				if idx == nil {
					idx = valueIndexFor(pass.Project)
				}
				if idx.knownValue(metric, m.Name, m.Value) {
					continue
				}
				if toks == nil {
					toks = matcherTokens(q.Text.Value, vs.PosRange)
				}
				at := q.NodePos(vs)
				if off, ok := takeTok(toks, m.Name); ok {
					at = q.Pos(off)
				}
				op, effect := "=~", "selects nothing"
				if m.Type == labels.MatchNotEqual {
					op, effect = "!~", "filters nothing out"
				}
				pass.Report(lint.Finding{
					Pos:     at,
					Subject: withMetric(subjectOf(q), metric),
					Message: fmt.Sprintf("matcher %s compares label %q with the text %q, which no known series holds, so it %s: %s does not read regular expressions; write %s%s%q",
						renderMatcher(m), m.Name, strings.ReplaceAll(m.Value, lint.StandInPrefix, "$"), effect, m.Type, m.Name, op, strings.ReplaceAll(m.Value, lint.StandInPrefix, "$")),
				})
			}
			return nil
		})
	}
	return nil
}

// knownValue reports whether v is a value the project knows for the label: of the metric
// when it is named, else of any metric.
func (x *valueIndex) knownValue(metric, label, v string) bool {
	if metric != "" {
		if lv := x.of(metric, label); lv != nil {
			return lv.code[v] || lv.seen[v]
		}
	}
	return x.byLabel[label][v]
}

// regexSigns are the parts of a value that say it is written as a regular expression.
var regexSigns = regexp.MustCompile(`\.[*+]|\||\[\^|\[[^\]]*[^\\\]]-[^\]]+\]|\][*+?{]|\)[*+?{]|\(\?:|\\[dwsDWS]`)

// looksLikeRegex reports whether a matcher value is written as a regular expression (see
// the rule's Doc) and compiles as one. Grafana variables ($x, ${x}, [[x]], stand-ins) are
// not $ anchors.
func looksLikeRegex(v string) bool {
	parts, vars := splitVariables(v)
	if vars > 0 {
		var b strings.Builder
		for _, p := range parts {
			if !p.variable {
				b.WriteString(p.text)
			} else {
				b.WriteString("x")
			}
		}
		v = b.String()
	}
	if !regexSigns.MatchString(v) && !strings.HasPrefix(v, "^") && (!strings.HasSuffix(v, "$") || strings.HasSuffix(v, `\$`)) {
		return false
	}
	_, err := regexp.Compile(v)
	return err == nil
}
