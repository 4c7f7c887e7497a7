// Package dashboard loads Grafana dashboards, from JSON files and from Kubernetes ConfigMaps
// that embed them, into lint.Dashboard facts: the PromQL of every panel target and
// templating variable, parsed once, with every byte mapped back to its place in the file
// (JSON string escapes and YAML block scalars included).
package dashboard

import (
	"bytes"
	"fmt"
	"slices"
	"strings"

	"github.com/driftlint/driftlint/lint"
	"github.com/driftlint/driftlint/lint/promql"
)

// Result is what loading one file found.
type Result struct {
	Dashboards []*lint.Dashboard
	// Queries holds every target and variable query, in file order; the Dashboard structs
	// reference the same queries.
	Queries  []*lint.Query
	Problems []lint.ParseProblem
	// Foreign are the targets and variables left unread because their datasource is not
	// Prometheus-compatible or their expression is LogQL.
	Foreign []lint.ForeignQuery
}

func (r *Result) problem(at lint.Pos, format string, args ...any) {
	r.Problems = append(r.Problems, lint.ParseProblem{At: at, Message: fmt.Sprintf(format, args...)})
}

// finish puts queries and targets in file order.
func (r *Result) finish() {
	byOffset := func(a, b *lint.Query) int { return a.Text.Offset(0) - b.Text.Offset(0) }
	slices.SortStableFunc(r.Queries, byOffset)
	for _, d := range r.Dashboards {
		slices.SortStableFunc(d.Targets, func(a, b lint.DashboardTarget) int { return byOffset(a.Query, b.Query) })
	}
	slices.SortStableFunc(r.Foreign, func(a, b lint.ForeignQuery) int {
		switch {
		case a.At.Less(b.At):
			return -1
		case b.At.Less(a.At):
			return 1
		}
		return 0
	})
	promql.ShareMatchers(r.Queries)
}

var bom = []byte("\ufeff")

// LoadJSON loads a dashboard JSON file: a dashboard object, or {"dashboard": {…}} as the
// Grafana HTTP API returns it. A syntax error becomes a Problem at the offending byte.
func LoadJSON(f *lint.SourceFile) *Result {
	res := &Result{}
	start := 0
	if bytes.HasPrefix(f.Src, bom) {
		start = len(bom)
	}
	res.load(f, lint.VerbatimSpan(f, start, len(f.Src)), f.Src[start:])
	res.finish()
	return res
}

// load parses the dashboard JSON in text (raw is the same bytes) and adds what it holds.
func (r *Result) load(f *lint.SourceFile, text lint.Span, raw []byte) {
	root, msg, off, ok := parseJSON(text.Value, raw)
	if !ok {
		r.problem(text.Pos(off), "%s", msg)
		return
	}
	d := &doc{text: text, root: root}
	dash := &d.root
	if dash.kind != jObject {
		r.problem(d.pos(dash), "a grafana dashboard must be a json object, got %s", kindName(dash.kind))
		return
	}
	if inner := dash.get("dashboard"); inner != nil && inner.kind == jObject {
		dash = inner
	}
	l := &loader{res: r, d: d, dash: &lint.Dashboard{File: f, Title: d.str(dash.get("title"))}, seenLib: map[string]bool{}}
	l.datasources(dash)
	l.values = l.matcherValues(dash.get("templating").get("list").array())
	l.panels(dash.get("panels").array())
	for _, row := range dash.get("rows").array() { // the schema before Grafana 5
		l.panels(row.get("panels").array())
	}
	if els := dash.get("__elements"); els != nil && els.kind == jObject { // library panels of an export
		for i, uid := range els.keys {
			el := &els.elems[i]
			if model := el.get("model"); model != nil && model.kind == jObject && !l.seenLib[uid] {
				l.seenLib[uid] = true
				l.panel(model, d.str(el.get("name")))
			}
		}
	}
	l.variables(dash.get("templating").get("list").array())
	r.Dashboards = append(r.Dashboards, l.dash)
}

func kindName(k jkind) string {
	switch k {
	case jNull:
		return "null"
	case jBool:
		return "a boolean"
	case jNumber:
		return "a number"
	case jString:
		return "a string"
	case jArray:
		return "an array"
	default:
		return "an object"
	}
}

// loader walks one dashboard.
type loader struct {
	res     *Result
	d       *doc
	dash    *lint.Dashboard
	seenLib map[string]bool // library panel uids already walked
	// dsVars maps the datasource variables of templating and the datasource inputs of
	// __inputs to their plugin type ("" when not said); def is the dashboard's default
	// datasource type (see datasources).
	dsVars map[string]string
	def    dsRef
	values map[string]string // variables that a query may use as a matcher list (matcherValues)
}

func (l *loader) panels(list []jvalue) {
	for i := range list {
		l.panel(&list[i], "")
	}
}

// panel loads the targets of a panel, of the panels inside it (a collapsed row keeps its
// panels inside) and of an inline library panel model. fallback names a panel without a
// title or id.
func (l *loader) panel(p *jvalue, fallback string) {
	if p == nil || p.kind != jObject {
		return
	}
	owner := l.owner(p, fallback)
	targets := p.get("targets").array()
	ds := p.get("datasource")
	for i := range targets {
		l.target(&targets[i], ds, owner)
	}
	if lib := p.get("libraryPanel"); len(targets) == 0 && lib != nil && lib.kind == jObject {
		uid := l.d.str(lib.get("uid"))
		if model := lib.get("model"); model != nil && model.kind == jObject && (uid == "" || !l.seenLib[uid]) {
			if uid != "" {
				l.seenLib[uid] = true
			}
			l.panel(model, owner)
		}
	}
	for _, sub := range p.get("panels").array() {
		l.panel(&sub, "")
	}
}

// owner names a panel: its title, else "panel <id>".
func (l *loader) owner(p *jvalue, fallback string) string {
	if t := strings.TrimSpace(l.d.str(p.get("title"))); t != "" {
		return t
	}
	if fallback != "" {
		return fallback
	}
	switch id := p.get("id"); {
	case id != nil && id.kind == jNumber:
		return "panel " + l.d.raw(id)
	case id != nil && id.kind == jString && l.d.str(id) != "":
		return "panel " + l.d.str(id)
	}
	return "untitled panel"
}

// target loads one panel target: its expr, if the target is a Prometheus query. Hidden
// targets are loaded too: a hidden query still runs (another query or an expression may
// read it) and still drifts.
func (l *loader) target(t, panelDS *jvalue, owner string) {
	if t == nil || t.kind != jObject {
		return
	}
	e := t.get("expr")
	if e == nil || e.kind != jString {
		return
	}
	text := l.d.span(e)
	if strings.TrimSpace(text.Value) == "" {
		return
	}
	if lang := l.language(t.get("datasource"), panelDS, text.Value); lang != "" {
		l.res.Foreign = append(l.res.Foreign, lint.ForeignQuery{At: text.StartPos(), Language: lang, Owner: owner})
		return
	}
	q := promql.NewGrafanaQueryWith(text, lint.OriginDashboard, owner, l.values)
	l.dash.Targets = append(l.dash.Targets, lint.DashboardTarget{Panel: owner, Query: q, Legend: l.d.span(t.get("legendFormat"))})
	l.res.Queries = append(l.res.Queries, q)
}

// LooksLikeDashboardJSON reports whether src looks like a Grafana dashboard: a JSON object
// with a "panels" or "schemaVersion" key, or old-style "rows" with "templating".
func LooksLikeDashboardJSON(src []byte) bool {
	src = bytes.TrimLeft(bytes.TrimPrefix(src, bom), " \t\r\n")
	if len(src) == 0 || src[0] != '{' {
		return false
	}
	return hasKey(src, "panels") || hasKey(src, "schemaVersion") || hasKey(src, "rows") && hasKey(src, "templating")
}

// LooksLikeDashboardConfigMap reports whether src looks like YAML holding a ConfigMap (or a
// GrafanaDashboard resource) with an embedded dashboard.
func LooksLikeDashboardConfigMap(src []byte) bool {
	if !bytes.Contains(src, []byte("ConfigMap")) && !bytes.Contains(src, []byte("GrafanaDashboard")) {
		return false
	}
	return hasKey(src, "panels") || hasKey(src, "schemaVersion")
}

// hasKey reports whether src holds "key" followed by a colon, as a JSON object key.
func hasKey(src []byte, key string) bool {
	q := []byte(`"` + key + `"`)
	for i := 0; i < len(src); {
		k := bytes.Index(src[i:], q)
		if k < 0 {
			return false
		}
		j := i + k + len(q)
		for j < len(src) && (src[j] == ' ' || src[j] == '\t' || src[j] == '\r' || src[j] == '\n') {
			j++
		}
		if j < len(src) && src[j] == ':' {
			return true
		}
		i = j
	}
	return false
}
