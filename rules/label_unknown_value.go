package rules

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/prometheus/common/model"
	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/promql/parser"

	"github.com/driftlint/driftlint/lint"
	"github.com/driftlint/driftlint/lint/promql"
)

// LabelUnknownValue reports matchers whose value the code never gives the label.
var LabelUnknownValue = &lint.Rule{
	ID:      "label/unknown-value",
	Summary: "a matcher value that the code never gives the label",
	Doc: `A query filters on a label value that the emitting code never produces: the panel is always
empty and the alert never fires. It usually means the code records a route pattern
(/indexes/{index_uid}/search) where the dashboard filters a concrete path
(/indexes/$Index/search), or a value was renamed in the code (status="failed" became
status="failure").

The rule trusts only a complete set of values. In Go sources that is, for one label of a
Vec, every WithLabelValues("a", "b") and With(prometheus.Labels{…}) use of the variable or
field that holds it, each value a constant, where the holder escapes nowhere: it is not
passed to a function, returned, curried, nor an exported name of an importable package.
Rust and Python sources give no values yet. Values seen in scrapes join the set (a scrape
may show a value that another version of the code gives), but a scrape alone never makes a
set complete (code="500" is absent until a 500 happens), so a metric known only from
scrapes is never reported.

An equality matcher whose value is not in the set is reported, and so is a regex matcher
(PromQL regexes are anchored) that matches none of the values; each with the closest value.
A Grafana variable that is the whole value can be anything and is not judged; one inside a
value ("/indexes/$Index/search") stands for text without /, { or }. Negative matchers,
matchers that match the empty string, and le and quantile are not judged.

Bad (the code records the route pattern):

    sum(rate(search_requests_total{path="/indexes/$Index/search"}[5m]))

Good:

    sum(rate(search_requests_total{path="/indexes/{index_uid}/search"}[5m]))`,
	Severity: lint.Error,
	Needs:    lint.NeedQueries,
	Run:      runLabelUnknownValue,
}

func runLabelUnknownValue(pass *lint.Pass) error {
	idx := valueIndexFor(pass.Project)
	if len(idx.bySeries) == 0 {
		return nil
	}
	for _, q := range pass.Project.Queries {
		if q.Expr == nil {
			continue
		}
		parser.Inspect(q.Expr, func(n parser.Node, _ []parser.Node) error {
			if vs, ok := n.(*parser.VectorSelector); ok {
				checkValues(pass, idx, q, vs)
			}
			return nil
		})
	}
	return nil
}

// checkValues reports the matchers of one selector that no value of a complete set matches.
func checkValues(pass *lint.Pass, idx *valueIndex, q *lint.Query, vs *parser.VectorSelector) {
	name := lint.MetricName(vs)
	if name == "" || promql.IsVariable(name) {
		return
	}
	var toks []labelTok
	for _, m := range vs.LabelMatchers {
		if m.Name == model.MetricNameLabel || m.Name == "le" || m.Name == "quantile" || promql.IsVariable(m.Name) {
			continue
		}
		if m.Type != labels.MatchEqual && m.Type != labels.MatchRegexp || m.Matches("") {
			continue
		}
		lv := idx.of(name, m.Name)
		if lv == nil || !lv.complete() {
			continue
		}
		match, ok := valueMatcher(m)
		if !ok {
			continue
		}
		known := lv.values()
		if slices.ContainsFunc(known, match) {
			continue
		}
		if toks == nil {
			toks = matcherTokens(q.Text.Value, vs.PosRange)
		}
		at := q.NodePos(vs)
		if off, ok := takeTok(toks, m.Name); ok {
			at = q.Pos(off)
		}
		msg := fmt.Sprintf("matcher %s selects nothing: the code gives label %q of metric %q only the values %s",
			renderMatcher(m), m.Name, name, quoteValues(known, 8))
		if c := closestValue(m.Value, known); c != "" {
			msg += fmt.Sprintf("; did you mean %q?", c)
		}
		pass.Report(lint.Finding{
			Pos:     at,
			Subject: withMetric(subjectOf(q), name),
			Message: msg,
			Related: lv.related,
		})
	}
}

// withMetric sets the subject's metric.
func withMetric(s lint.Subject, metric string) lint.Subject {
	s.Metric = metric
	return s
}

// renderMatcher writes a matcher as the query shows it, with a Grafana variable's stand-in
// turned back into $name.
func renderMatcher(m *labels.Matcher) string {
	return strings.ReplaceAll(m.String(), lint.StandInPrefix, "$")
}

// valueMatcher returns what a matcher's value can match: an equality value with Grafana
// variables standing for text without /, { or }, or the anchored regex. ok is false when
// the value cannot be judged (the whole value is a variable, a regex that does not compile).
func valueMatcher(m *labels.Matcher) (func(string) bool, bool) {
	parts, vars := splitVariables(m.Value)
	if m.Type == labels.MatchRegexp {
		if vars > 0 {
			return nil, false // a variable in a regex may be .* or a list
		}
		return m.Matches, true
	}
	if vars == 0 {
		return func(s string) bool { return s == m.Value }, true
	}
	if len(parts) == vars {
		return nil, false
	}
	var b strings.Builder
	b.WriteString("^(?:")
	for _, p := range parts {
		if p.variable {
			b.WriteString("[^/{}]*")
		} else {
			b.WriteString(regexp.QuoteMeta(p.text))
		}
	}
	b.WriteString(")$")
	re, err := regexp.Compile(b.String())
	if err != nil {
		return nil, false
	}
	return re.MatchString, true
}

// valuePart is literal text of a matcher value, or a Grafana variable in it.
type valuePart struct {
	text     string
	variable bool
}

// splitVariables splits a value at its Grafana variables ($x, ${x}, [[x]], or a stand-in
// __gv_x) and returns the parts and how many are variables.
func splitVariables(v string) ([]valuePart, int) {
	var parts []valuePart
	vars, start := 0, 0
	for i := 0; i < len(v); {
		n := variableLen(v, i)
		if n == 0 {
			i++
			continue
		}
		if i > start {
			parts = append(parts, valuePart{text: v[start:i]})
		}
		parts = append(parts, valuePart{text: v[i : i+n], variable: true})
		vars++
		i += n
		start = i
	}
	if start < len(v) {
		parts = append(parts, valuePart{text: v[start:]})
	}
	return parts, vars
}

// variableLen returns the length of the Grafana variable reference at v[i:], or 0.
func variableLen(v string, i int) int {
	switch {
	case strings.HasPrefix(v[i:], lint.StandInPrefix):
		j := i + len(lint.StandInPrefix)
		for j < len(v) && isWordByte(v[j]) {
			j++
		}
		return j - i
	case strings.HasPrefix(v[i:], "${"):
		if end := strings.IndexByte(v[i:], '}'); end > 2 {
			return end + 1
		}
	case strings.HasPrefix(v[i:], "[["):
		if end := strings.Index(v[i:], "]]"); end > 2 {
			return end + 2
		}
	case v[i] == '$' && i+1 < len(v) && (v[i+1] == '_' || isLetter(v[i+1])):
		j := i + 1
		for j < len(v) && isWordByte(v[j]) {
			j++
		}
		return j - i
	}
	return 0
}

func isWordByte(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// closestValue returns the known value nearest to v by edit distance, however far.
func closestValue(v string, known []string) string {
	far := len(v)
	for _, k := range known {
		far = max(far, len(k))
	}
	return lint.ClosestWithin(v, known, far)
}

// quoteValues quotes up to n values, with "and N more" after them.
func quoteValues(vs []string, n int) string {
	var q []string
	for _, v := range vs[:min(n, len(vs))] {
		q = append(q, fmt.Sprintf("%q", v))
	}
	s := strings.Join(q, ", ")
	if len(vs) > n {
		s += fmt.Sprintf(" and %d more", len(vs)-n)
	}
	return s
}

// valueIndex holds the label values the project knows: from code (with whether the code's
// set is complete) and from scrape samples, by series name and label.
type valueIndex struct {
	bySeries map[string]map[string]*labelValues
	byLabel  map[string]map[string]bool // label → every value of any metric
}

// labelValues are the known values of one label of one series name.
type labelValues struct {
	code, seen map[string]bool
	// defs counts the code definitions of the family, completeDefs those whose set of this
	// label's values is complete.
	defs, completeDefs int
	related            []lint.Related
}

// complete reports whether every code definition of the family gives a complete set.
func (lv *labelValues) complete() bool { return lv.defs > 0 && lv.completeDefs == lv.defs }

// values returns the known values, sorted.
func (lv *labelValues) values() []string {
	var out []string
	for v := range lv.code {
		out = append(out, v)
	}
	for v := range lv.seen {
		if !lv.code[v] {
			out = append(out, v)
		}
	}
	slices.Sort(out)
	return out
}

// of returns the known values of a label of a series name, or nil.
func (x *valueIndex) of(series, label string) *labelValues {
	return x.bySeries[series][label]
}

// valueIndexFor builds the project's value index once.
func valueIndexFor(p *lint.Project) *valueIndex {
	return p.Memo("rules.valueIndex", func() any { return buildValueIndex(p) }).(*valueIndex)
}

func buildValueIndex(p *lint.Project) *valueIndex {
	x := &valueIndex{bySeries: map[string]map[string]*labelValues{}, byLabel: map[string]map[string]bool{}}
	entry := func(series, label string) *labelValues {
		m := x.bySeries[series]
		if m == nil {
			m = map[string]*labelValues{}
			x.bySeries[series] = m
		}
		lv := m[label]
		if lv == nil {
			lv = &labelValues{code: map[string]bool{}, seen: map[string]bool{}}
			m[label] = lv
		}
		return lv
	}
	global := func(label, v string) {
		if x.byLabel[label] == nil {
			x.byLabel[label] = map[string]bool{}
		}
		x.byLabel[label][v] = true
	}
	for _, e := range p.Expositions {
		for _, name := range e.Order {
			f := e.Families[name]
			if f == nil {
				continue
			}
			if !e.Source {
				for _, s := range f.Samples {
					for l, v := range s.Labels {
						entry(s.Name, l).seen[v] = true
						global(l, v)
					}
				}
				continue
			}
			var d *lint.CodeDef
			if e.Code != nil {
				d = e.Code.Defs[f.Name]
			}
			for _, series := range f.SeriesNames() {
				for _, l := range f.Labels {
					lv := entry(series, l)
					lv.defs++
					if d == nil {
						continue
					}
					if d.ValuesComplete[l] {
						lv.completeDefs++
						lv.related = append(lv.related, lint.Related{Pos: f.At(), Message: "defined here"})
					}
					for _, v := range d.LabelValues[l] {
						lv.code[v] = true
						global(l, v)
					}
				}
			}
		}
	}
	return x
}
