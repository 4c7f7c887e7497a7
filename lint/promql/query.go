// Package promql holds driftlint's PromQL helpers: the shared parser, Grafana variable
// stand-ins, and label-set inference.
//
// The inference mirrors what the Prometheus v0.316.0 engine does to series labels
// (promql/engine.go and promql/functions.go). It works on sets of label names only,
// never on values, and it errs on the side of "may carry": a label that is in a
// known set might still be missing from some series, but a label that is not in a
// known set is never on any result series. Rules must not report anything from an
// unknown set.
package promql

import (
	"fmt"
	"slices"
	"strings"

	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/promql/parser"

	"github.com/driftlint/driftlint/lint"
)

// MaxQueryOperators is the most binary operators (+, /, >, and, …) a parsed query may have.
// Prometheus's parser takes time quadratic in the length of a chain of binary operators
// (BinaryExpr.Type recurses down the chain at every level: 0.7 s for up + up + … with
// 20,000 terms), so a hostile or generated file could stall a run; real queries have a few
// dozen operators at most. The length and nesting of a query are bounded by the run's
// limits (lint.CheckPromQL, promql_bytes and promql_depth).
const MaxQueryOperators = 1000

// NewQuery parses text as PromQL. A query over the run's PromQL limits (lint.CheckPromQL),
// or with more than MaxQueryOperators binary operators, is not parsed: its Err says so.
func NewQuery(text lint.Span, origin lint.Origin, owner string) *lint.Query {
	q := &lint.Query{Text: text, Origin: origin, Owner: owner}
	if q.Err = lint.CheckPromQL(text.Value); q.Err != nil {
		return q
	}
	if n := binaryOperators(text.Value); n > MaxQueryOperators {
		q.Err = fmt.Errorf("the query has about %d binary operators, more than the limit of %d, and was not parsed", n, MaxQueryOperators)
		return q
	}
	q.Expr, q.Err = lint.PromQLParser.ParseExpr(text.Value)
	if q.Err != nil {
		q.Expr = nil
	}
	return q
}

// NewGrafanaQuery replaces Grafana macros and variables in text with parseable stand-ins
// (see Substitute), then parses it. Positions still map into the original file.
func NewGrafanaQuery(text lint.Span, origin lint.Origin, owner string) *lint.Query {
	return NewGrafanaQueryWith(text, origin, owner, nil)
}

// NewGrafanaQueryWith is NewGrafanaQuery with the values of the dashboard's variables that
// may stand for a whole matcher list (see SubstituteWith).
func NewGrafanaQueryWith(text lint.Span, origin lint.Origin, owner string, values map[string]string) *lint.Query {
	out, idx, vars := SubstituteWith(text.Value, values)
	if !vars {
		return NewQuery(text, origin, owner)
	}
	// The text's indexes become file offsets in place, with one more for the end.
	for i, j := range idx {
		idx[i] = int32(text.Offset(int(j)))
	}
	idx = append(idx, int32(text.Offset(len(text.Value))))
	q := NewQuery(lint.MappedSpan(out, text.File, idx), origin, owner)
	q.Vars = true
	return q
}

// Substitute replaces Grafana's macros and template variables ($__rate_interval, $var,
// ${var}, ${var:fmt}, [[var]]) with stand-ins that parse as PromQL:
//   - inside a range or subquery ([$__rate_interval], [$window:1m]) and after offset: 5m;
//   - numeric macros ($__range_s, $__interval_ms, $__from, $__to …), a variable after @,
//     and a variable in a scalar argument (topk($n, …), clamp_min(x, $min),
//     histogram_quantile($q/100, …)): 1;
//   - inside the string of a regex matcher ({job=~"$job"}): the name __gv_<var>, a literal
//     (left as $job, the $ reads as an end anchor and the parser compiles a regular
//     expression for every such matcher, the costliest part of parsing a dashboard);
//   - inside any other string literal: left as it is, since any string parses;
//   - where a whole matcher is expected (up{$m}, up{$m, instance="x"}): see SubstituteWith;
//   - elsewhere (a metric, a by ($group) label, a threshold): the name __gv_<var>, which
//     inference and rules treat as unknown.
//
// It returns the new text, the index in s of each byte of it, and whether anything changed.
func Substitute(s string) (string, []int32, bool) { return SubstituteWith(s, nil) }

// SubstituteWith is Substitute for a query whose variables have known values (a Grafana
// custom, textbox or constant variable: its current value, else its first option). A
// variable that stands where a matcher list is expected, up{$m} or up{$m, instance="x"}
// with $m = job=~"a|b", is replaced by its value when that parses as a matcher list (the
// value's own variables substituted in turn, one level deep); every byte of the value maps
// to the variable reference. Otherwise it becomes the stand-in matcher __gv_<var>!="", so
// that the query still parses and is checked: label inference and the rules read a
// selector with a stand-in label as one whose labels are unknown, so what the variable's
// matchers would have told (which labels the series carry, a label no series has) is lost
// for that selector and everything computed from it, and nothing false is reported.
func SubstituteWith(s string, values map[string]string) (string, []int32, bool) {
	return substitute(s, values, 0)
}

// maxValueDepth bounds how deeply a variable's value is expanded inside another's.
const maxValueDepth = 1

func substitute(s string, values map[string]string, level int) (string, []int32, bool) {
	if !strings.Contains(s, "$") && !strings.Contains(s, "[[") {
		return s, nil, false
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	idx := make([]int32, 0, len(s)+9) // one more for the end, which NewGrafanaQuery adds
	emit := func(str string, at int) {
		b.WriteString(str)
		for range len(str) {
			idx = append(idx, int32(at))
		}
	}
	changed := false
	var quote byte
	regex := false // the quoted string is a regex matcher's
	depth := 0     // inside [ … ]
	braces := 0    // inside { … }
	for i := 0; i < len(s); {
		c := s[i]
		if quote != 0 {
			if regex && (c == '$' || c == '[') {
				if name, n := variableAt(s, i); n > 0 {
					changed = true
					emit(lint.StandInPrefix+name, i)
					i += n
					continue
				}
			}
			if c == '\\' && quote != '`' && i+1 < len(s) { // a raw string has no escapes
				emit(s[i:i+2], i)
				idx[len(idx)-1] = int32(i + 1)
				i += 2
				continue
			}
			if c == quote {
				quote = 0
			}
			emit(s[i:i+1], i)
			i++
			continue
		}
		name, n := variableAt(s, i)
		if n == 0 {
			switch c {
			case '"', '\'', '`':
				quote = c
				before := strings.TrimRight(s[:i], " \t\r\n")
				regex = strings.HasSuffix(before, "=~") || strings.HasSuffix(before, "!~")
			case '[':
				depth++
			case ']':
				depth = max(0, depth-1)
			case '{':
				braces++
			case '}':
				braces = max(0, braces-1)
			case '#': // a PromQL comment runs to the end of the line
				end := strings.IndexByte(s[i:], '\n')
				if end < 0 {
					end = len(s) - i
				}
				for k := i; k < i+end; k++ {
					emit(s[k:k+1], k)
				}
				i += end
				continue
			}
			emit(s[i:i+1], i)
			i++
			continue
		}
		changed = true
		if braces > 0 && depth == 0 && inMatcherList(s, i, i+n) {
			emit(matcherList(name, values, level), i)
		} else {
			emit(standIn(s, i, i+n, name, depth > 0), i)
		}
		i += n
	}
	return b.String(), idx, changed
}

// inMatcherList reports whether the variable reference s[start:end], inside braces, stands
// where a whole matcher is expected: after { or a comma and before } or a comma.
func inMatcherList(s string, start, end int) bool {
	before := strings.TrimRight(s[:start], " \t\r\n")
	after := strings.TrimLeft(s[end:], " \t\r\n")
	return (strings.HasSuffix(before, "{") || strings.HasSuffix(before, ",")) &&
		(strings.HasPrefix(after, "}") || strings.HasPrefix(after, ","))
}

// matcherList returns what a variable that stands for a matcher list becomes: its value
// with its own variables substituted, when that parses as matchers, else a stand-in matcher.
func matcherList(name string, values map[string]string, level int) string {
	if v, ok := values[name]; ok && level < maxValueDepth {
		// Grafana's custom variables escape a comma inside an option as \, (a bare comma
		// separates options); the value may keep the escape.
		v = strings.ReplaceAll(v, `\,`, ",")
		var next map[string]string
		if level+1 < maxValueDepth {
			next = values
		}
		out, _, _ := substitute(v, next, level+1)
		if strings.TrimSpace(out) != "" && lint.CheckPromQL(out) == nil {
			if _, err := lint.PromQLParser.ParseMetricSelector("x{" + out + "}"); err == nil {
				return out
			}
		}
	}
	return lint.StandInPrefix + name + `!=""`
}

// variableAt returns the variable name and the length of the variable reference at s[i:].
func variableAt(s string, i int) (string, int) {
	switch {
	case s[i] == '$' && i+1 < len(s) && s[i+1] == '{':
		end := strings.IndexByte(s[i:], '}')
		if end < 0 {
			return "", 0
		}
		name := s[i+2 : i+end]
		if k := strings.IndexAny(name, ":."); k >= 0 {
			name = name[:k]
		}
		if !isIdent(name) {
			return "", 0
		}
		return name, end + 1
	case s[i] == '$':
		j := i + 1
		for j < len(s) && isIdentByte(s[j]) {
			j++
		}
		if j == i+1 {
			return "", 0
		}
		return s[i+1 : j], j - i
	case s[i] == '[' && strings.HasPrefix(s[i:], "[["):
		end := strings.Index(s[i:], "]]")
		if end < 0 {
			return "", 0
		}
		name := s[i+2 : i+end]
		if k := strings.IndexByte(name, ':'); k >= 0 {
			name = name[:k]
		}
		if !isIdent(name) {
			return "", 0
		}
		return name, end + 2
	}
	return "", 0
}

// numericMacros are Grafana macros that expand to numbers.
var numericMacros = map[string]bool{
	"__range_s": true, "__range_ms": true, "__interval_ms": true, "__rate_interval_ms": true,
	"__from": true, "__to": true,
}

// scalarArgs lists, per function, the argument positions that take a scalar, where a
// variable stands for a number (topk($n, …), clamp_min(x, $min), histogram_quantile($q/100, …)).
var scalarArgs = map[string][]int{
	"topk": {0}, "bottomk": {0}, "limitk": {0}, "limit_ratio": {0}, "quantile": {0},
	"histogram_quantile": {0}, "quantile_over_time": {0}, "histogram_fraction": {0, 1},
	"clamp": {1, 2}, "clamp_min": {1}, "clamp_max": {1}, "round": {1}, "predict_linear": {1},
	"holt_winters": {1, 2}, "double_exponential_smoothing": {1, 2}, "vector": {0},
}

func standIn(s string, start, end int, name string, inRange bool) string {
	if numericMacros[name] {
		return "1"
	}
	before := strings.TrimRight(s[:start], " \t\r\n")
	if inRange || strings.HasSuffix(before, "offset") || strings.HasSuffix(before, "offset -") {
		return "5m"
	}
	if strings.HasSuffix(before, "@") {
		return "1"
	}
	if fn, arg, ok := enclosingCall(s[:start]); ok {
		if slices.Contains(scalarArgs[fn], arg) {
			return "1"
		}
	}
	switch name {
	case "__interval", "__rate_interval", "__range":
		return "5m"
	}
	return lint.StandInPrefix + name
}

// enclosingCall finds the function call whose argument list prefix ends: its name and the
// 0-based index of the argument being written.
func enclosingCall(prefix string) (string, int, bool) {
	depth, arg := 0, 0
	for i := len(prefix) - 1; i >= 0; i-- {
		switch prefix[i] {
		case ')', ']', '}':
			depth++
		case '[', '{':
			depth--
		case ',':
			if depth == 0 {
				arg++
			}
		case '(':
			if depth > 0 {
				depth--
				continue
			}
			j := i
			for j > 0 && (prefix[j-1] == ' ' || prefix[j-1] == '\t') {
				j--
			}
			k := j
			for k > 0 && isIdentByte(prefix[k-1]) {
				k--
			}
			return prefix[k:j], arg, k < j
		}
	}
	return "", 0, false
}

func isIdent(s string) bool {
	if s == "" {
		return false
	}
	for i := range len(s) {
		if !isIdentByte(s[i]) {
			return false
		}
	}
	return true
}

func isIdentByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// binaryOperators counts, roughly and from above, the binary operators of a query: the
// operator characters and the words and, or, unless and atan2 outside string literals and
// comments (a minus sign or an exponent's sign counts too).
func binaryOperators(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '"', '\'', '`':
			for i++; i < len(s) && s[i] != c; i++ {
				if s[i] == '\\' && c != '`' {
					i++
				}
			}
		case '#':
			for i < len(s) && s[i] != '\n' {
				i++
			}
		case '+', '-', '*', '/', '%', '^', '<', '>':
			n++
		case '=':
			if i+1 < len(s) && s[i+1] == '=' {
				n++
				i++
			}
		case '!':
			if i+1 < len(s) && s[i+1] == '=' {
				n++
				i++
			}
		default:
			if !isIdentByte(c) {
				continue
			}
			j := i
			for j < len(s) && isIdentByte(s[j]) {
				j++
			}
			switch s[i:j] {
			case "and", "or", "unless", "atan2":
				n++
			}
			i = j - 1
		}
	}
	return n
}

// ShareMatchers makes the queries of one file share their equal regular-expression label
// matchers ({job=~"$job"} in every panel of a dashboard): the parser compiles each one,
// about a kilobyte apiece, and a project keeps every query for the whole run. Matchers are
// immutable, so sharing them changes nothing else. Call it once the queries are built,
// before any rule runs.
func ShareMatchers(queries []*lint.Query) {
	seen := map[labels.Matcher]*labels.Matcher{}
	for _, q := range queries {
		if q.Expr == nil {
			continue
		}
		parser.Inspect(q.Expr, func(n parser.Node, _ []parser.Node) error {
			vs, ok := n.(*parser.VectorSelector)
			if !ok {
				return nil
			}
			for i, m := range vs.LabelMatchers {
				if m.Type != labels.MatchRegexp && m.Type != labels.MatchNotRegexp {
					continue
				}
				key := labels.Matcher{Type: m.Type, Name: m.Name, Value: m.Value}
				if first, ok := seen[key]; ok {
					vs.LabelMatchers[i] = first
				} else {
					seen[key] = m
				}
			}
			return nil
		})
	}
}
