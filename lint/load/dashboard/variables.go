package dashboard

import (
	"strings"

	"github.com/driftlint/driftlint/lint"
	"github.com/driftlint/driftlint/lint/promql"
)

// Variable kinds (lint.DashboardVariable.Kind).
const (
	KindLabelValues = "label_values" // label_values(label) or label_values(selector, label)
	KindQueryResult = "query_result" // query_result(expr)
	KindMetrics     = "metrics"      // metrics(regex)
	KindLabelNames  = "label_names"  // label_names(), or label_names(selector)
	KindQuery       = "query"        // a plain PromQL expression
)

// variables loads the templating variables of type "query" backed by Prometheus; the
// others are counted in Result.Foreign.
func (l *loader) variables(list []jvalue) {
	for i := range list {
		v := &list[i]
		if v.kind != jObject || l.d.str(v.get("type")) != "query" {
			continue
		}
		src := l.variableQuery(v)
		if src == nil {
			continue
		}
		if lang := l.language(v.get("datasource"), nil, l.d.str(src)); lang != "" {
			l.res.Foreign = append(l.res.Foreign, lint.ForeignQuery{At: l.d.span(src).StartPos(), Language: lang, Owner: "variable " + l.d.str(v.get("name"))})
			continue
		}
		dv := parseVariable(l.d.span(src), l.d.str(v.get("name")), l.values)
		l.dash.Variables = append(l.dash.Variables, dv)
		if dv.Query != nil {
			l.res.Queries = append(l.res.Queries, dv.Query)
		}
	}
}

// matcherValues returns the values of the dashboard's custom, textbox and constant
// variables, which a query may use as a whole matcher list (up{$m}): the current value,
// else the first option, else (custom) the first option of the query text, else (textbox,
// constant) the query text. The "All" choice ($__all) is not a value.
func (l *loader) matcherValues(list []jvalue) map[string]string {
	var out map[string]string
	for i := range list {
		v := &list[i]
		if v.kind != jObject {
			continue
		}
		typ := l.d.str(v.get("type"))
		if typ != "custom" && typ != "textbox" && typ != "constant" {
			continue
		}
		name := l.d.str(v.get("name"))
		if name == "" {
			continue
		}
		val, ok := l.firstValue(v.get("current").get("value"))
		for _, o := range v.get("options").array() {
			if ok {
				break
			}
			val, ok = l.firstValue(o.get("value"))
		}
		if q := v.get("query"); !ok && q != nil && q.kind == jString {
			val = l.d.str(q)
			if typ == "custom" {
				val = firstCustomOption(val)
			}
			ok = strings.TrimSpace(val) != ""
		}
		if ok {
			if out == nil {
				out = map[string]string{}
			}
			out[name] = val
		}
	}
	return out
}

// firstValue returns a variable value: the string, or the first string of an array (a
// multi-value choice), except the "All" choice.
func (l *loader) firstValue(v *jvalue) (string, bool) {
	if v != nil && v.kind == jArray {
		elems := v.array()
		if len(elems) == 0 {
			return "", false
		}
		v = &elems[0]
	}
	if v == nil || v.kind != jString {
		return "", false
	}
	s := l.d.str(v)
	return s, strings.TrimSpace(s) != "" && s != "$__all"
}

// firstCustomOption returns the value of the first option of a custom variable's query:
// options are separated by commas (a comma inside one is escaped as \,), and an option
// "text : value" has a value after " : ".
func firstCustomOption(q string) string {
	end := len(q)
	for i := 0; i < len(q); i++ {
		if q[i] == '\\' {
			i++
			continue
		}
		if q[i] == ',' {
			end = i
			break
		}
	}
	opt := q[:end]
	if k := strings.Index(opt, " : "); k >= 0 {
		opt = opt[k+len(" : "):]
	}
	return strings.TrimSpace(opt)
}

// variableQuery returns the string that holds a variable's query: "query" (a string, or an
// object with a "query" string), else "definition".
func (l *loader) variableQuery(v *jvalue) *jvalue {
	q := v.get("query")
	if q != nil && q.kind == jObject {
		q = q.get("query")
	}
	if q != nil && q.kind == jString && strings.TrimSpace(l.d.str(q)) != "" {
		return q
	}
	if def := v.get("definition"); def != nil && def.kind == jString && strings.TrimSpace(l.d.str(def)) != "" {
		return def
	}
	return nil
}

// parseVariable recognizes Grafana's Prometheus variable query forms in raw and parses the
// PromQL inside, keeping exact positions. values are the dashboard's variables that may
// stand for a matcher list (matcherValues).
func parseVariable(raw lint.Span, name string, values map[string]string) lint.DashboardVariable {
	dv := lint.DashboardVariable{Name: name, Raw: raw}
	a, b := trim(raw.Value, 0, len(raw.Value))
	t := raw.Value[a:b]
	newQuery := func(i, j int) *lint.Query {
		i, j = trim(raw.Value, i, j)
		return promql.NewGrafanaQueryWith(raw.Sub(i, j), lint.OriginDashboardVariable, name, values)
	}
	call := func(fn string) (int, int, bool) {
		if strings.HasPrefix(t, fn+"(") && strings.HasSuffix(t, ")") {
			return a + len(fn) + 1, b - 1, true
		}
		return 0, 0, false
	}
	if i, j, ok := call("label_values"); ok {
		dv.Kind = KindLabelValues
		comma := lastTopLevelComma(raw.Value[i:j])
		if comma < 0 {
			dv.Label = raw.Sub(trim(raw.Value, i, j))
			return dv
		}
		dv.Label = raw.Sub(trim(raw.Value, i+comma+1, j))
		dv.Query = newQuery(i, i+comma)
		dv.Query.Selector = true
		return dv
	}
	if i, j, ok := call("query_result"); ok {
		dv.Kind = KindQueryResult
		dv.Query = newQuery(i, j)
		return dv
	}
	if _, _, ok := call("metrics"); ok {
		dv.Kind = KindMetrics
		return dv
	}
	if i, j, ok := call("label_names"); ok {
		dv.Kind = KindLabelNames
		if i, j = trim(raw.Value, i, j); i < j {
			dv.Query = newQuery(i, j)
			dv.Query.Selector = true
		}
		return dv
	}
	dv.Kind = KindQuery
	dv.Query = newQuery(a, b)
	return dv
}

// trim narrows s[i:j] to exclude surrounding blanks.
func trim(s string, i, j int) (int, int) {
	for i < j && isSpace(s[i]) {
		i++
	}
	for j > i && isSpace(s[j-1]) {
		j--
	}
	return i, j
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// lastTopLevelComma returns the offset of the last comma of s outside brackets and string
// literals, or -1.
func lastTopLevelComma(s string) int {
	last, depth := -1, 0
	var quote byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		if quote != 0 {
			switch c {
			case '\\':
				i++
			case quote:
				quote = 0
			}
			continue
		}
		switch c {
		case '"', '\'', '`':
			quote = c
		case '(', '{', '[':
			depth++
		case ')', '}', ']':
			depth = max(0, depth-1)
		case ',':
			if depth == 0 {
				last = i
			}
		}
	}
	return last
}
