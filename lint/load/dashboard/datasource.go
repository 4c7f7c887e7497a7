package dashboard

import (
	"slices"
	"strings"

	"github.com/driftlint/driftlint/lint/load/logql"
)

// PrometheusTypes are the Grafana datasource plugin types whose queries are PromQL. Any
// other type containing "prometheus" counts too (Grafana's Amazon Managed Service for
// Prometheus plugin is grafana-amazonprometheus-datasource).
var PrometheusTypes = []string{
	"prometheus",
	"grafana-amazonprometheus-datasource",
	"victoriametrics-datasource",
	"victoriametrics-metrics-datasource",
}

// dsKind is what a datasource reference says about the query language.
type dsKind int

const (
	dsUnknown    dsKind = iota // absent, null, Mixed, a name or uid without type: decided elsewhere
	dsPrometheus               // a Prometheus-compatible type
	dsOther                    // any other type; dsRef.lang says which
)

// dsRef is a resolved datasource reference.
type dsRef struct {
	kind dsKind
	lang string // for dsOther: "logql", "grafana expression", or the plugin type
}

// classify resolves a plugin type.
func classify(typ string) dsRef {
	t := strings.ToLower(strings.TrimSpace(typ))
	switch {
	case t == "":
		return dsRef{}
	case t == "loki":
		return dsRef{kind: dsOther, lang: "logql"}
	case t == "__expr__":
		return dsRef{kind: dsOther, lang: "grafana expression"}
	case t == "grafana" || t == "datasource":
		return dsRef{kind: dsOther, lang: "grafana"}
	case strings.Contains(t, "prometheus"):
		return dsRef{kind: dsPrometheus}
	}
	if slices.Contains(PrometheusTypes, t) {
		return dsRef{kind: dsPrometheus}
	}
	return dsRef{kind: dsOther, lang: t}
}

// variableName returns the variable a datasource reference names ($ds, ${ds}, ${ds:raw},
// [[ds]]), or "".
func variableName(s string) string {
	s = strings.TrimSpace(s)
	switch {
	case strings.HasPrefix(s, "${") && strings.HasSuffix(s, "}"):
		s = s[2 : len(s)-1]
		if i := strings.IndexByte(s, ':'); i >= 0 {
			s = s[:i]
		}
		return s
	case strings.HasPrefix(s, "[[") && strings.HasSuffix(s, "]]"):
		return s[2 : len(s)-2]
	case strings.HasPrefix(s, "$"):
		return s[1:]
	}
	return ""
}

// datasources collects the dashboard's datasource variables (templating entries of type
// "datasource", whose query is the plugin type) and datasource inputs (__inputs entries of
// type "datasource", whose pluginId is the type), and sets the dashboard default: the one
// type they all have, if they agree.
func (l *loader) datasources(dash *jvalue) {
	l.dsVars = map[string]string{}
	var types []string
	add := func(name, typ string) {
		if name == "" {
			return
		}
		l.dsVars[name] = typ
		if typ != "" && !slices.Contains(types, typ) {
			types = append(types, typ)
		}
	}
	for _, in := range dash.get("__inputs").array() {
		if in.kind == jObject && l.d.str(in.get("type")) == "datasource" {
			add(l.d.str(in.get("name")), l.d.str(in.get("pluginId")))
		}
	}
	for _, v := range dash.get("templating").get("list").array() {
		if v.kind != jObject || l.d.str(v.get("type")) != "datasource" {
			continue
		}
		q := v.get("query")
		if q != nil && q.kind == jObject {
			q = q.get("query")
		}
		add(l.d.str(v.get("name")), l.d.str(q))
	}
	if len(types) == 1 {
		l.def = classify(types[0])
	}
}

// variable resolves a datasource variable or input by name.
func (l *loader) variable(name string) dsRef {
	return classify(l.dsVars[name])
}

// ref resolves a datasource reference: a name, uid or variable string, or an object {type,
// uid} whose type or uid may be a variable.
func (l *loader) ref(v *jvalue) (dsRef, string) {
	if v == nil {
		return dsRef{}, ""
	}
	switch v.kind {
	case jString:
		return l.named(l.d.str(v)), ""
	case jObject:
		typ, uid := l.d.str(v.get("type")), l.d.str(v.get("uid"))
		if name := variableName(typ); name != "" {
			return l.variable(name), uid
		}
		if typ == "" || typ == "datasource" {
			r := l.named(uid)
			if typ == "datasource" && r.kind == dsUnknown && uid != "" && uid != mixed {
				return dsRef{kind: dsOther, lang: "grafana"}, uid
			}
			return r, uid
		}
		return classify(typ), uid
	default:
		return dsRef{}, ""
	}
}

const mixed = "-- Mixed --"

// named resolves a datasource given by name or uid alone.
func (l *loader) named(s string) dsRef {
	s = strings.TrimSpace(s)
	switch s {
	case "", mixed:
		return dsRef{}
	case "grafana", "-- Grafana --", "-- Dashboard --":
		return dsRef{kind: dsOther, lang: "grafana"}
	case "__expr__":
		return dsRef{kind: dsOther, lang: "grafana expression"}
	}
	if name := variableName(s); name != "" {
		return l.variable(name)
	}
	// A datasource named after its type: "Prometheus", "Loki".
	if r := classify(s); r.kind == dsPrometheus || r.lang == "logql" {
		return r
	}
	return dsRef{}
}

// language says why a query with these datasources (its own, else its panel's, else the
// dashboard's default) is not PromQL: the language or datasource type, or "" when it is
// read as PromQL. A query whose datasource type stays unknown is PromQL unless it looks
// like LogQL.
func (l *loader) language(own, panel *jvalue, expr string) string {
	r, uid := l.ref(own)
	if r.kind == dsUnknown {
		pr, puid := l.ref(panel)
		if uid == "" || uid == puid { // a target naming another uid does not inherit the panel's type
			r = pr
		}
	}
	if r.kind == dsUnknown {
		r = l.def
	}
	switch r.kind {
	case dsPrometheus:
		return ""
	case dsOther:
		return r.lang
	default:
		if logql.LooksLikeLogQL(expr) {
			return "logql"
		}
		return ""
	}
}
