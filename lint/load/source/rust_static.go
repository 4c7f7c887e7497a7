package source

import (
	"slices"
	"strings"
)

// staticMetrics reads the body of make_static_metric! (opened at open) of the
// prometheus-static-metric crate:
//
//	pub label_enum Methods { post, get: "GET" }
//	pub struct HttpRequests: IntCounter { "method" => Methods, "product" => { foo, bar } }
//
// The structs' label names and generated values are known to every file of the set.
func (r *rustFile) staticMetrics(open int) {
	end := r.match[open]
	if end < 0 {
		return
	}
	r.set.steps = 0
	for k := open + 1; k < end; k++ {
		kw := r.text(k)
		if kw != "struct" && kw != "label_enum" || r.kind(k+1) != tokIdent {
			continue
		}
		name := r.text(k + 1)
		body := r.find(k, "{", ";")
		if body < 0 || body > end {
			return
		}
		if kw == "label_enum" {
			r.set.enums[name] = r.staticValues(body)
		} else {
			st := &rustStatic{values: map[string][]string{}}
			if r.text(k+2) == ":" {
				// the type is the last identifier of its path: IntCounter, prometheus::Histogram
				for j := k + 3; j < body; j++ {
					if r.toks[j].kind == tokIdent {
						st.typ = rustStaticType(r.toks[j].text)
					}
				}
			}
			for _, a := range r.args(body) {
				arrow := r.indexOf(a, "=>")
				if arrow < 0 {
					continue
				}
				v := r.eval(rng{a.s, arrow})
				if !v.known() {
					continue
				}
				st.labels = append(st.labels, v.s)
				switch {
				case r.text(arrow+1) == "{":
					st.values[v.s] = r.staticValues(arrow + 1)
				case r.kind(arrow+1) == tokIdent:
					st.values[v.s] = nil // a label_enum, looked up when used
					if st.enumOf == nil {
						st.enumOf = map[string]string{}
					}
					st.enumOf[v.s] = r.text(a.e - 1)
				}
			}
			r.set.statics[name] = st
		}
		k = r.match[body]
		if k < 0 {
			return
		}
	}
}

// staticValues reads the values of { a, b: "B" }: the string when one is given, else the
// identifier.
func (r *rustFile) staticValues(open int) []string {
	var out []string
	for _, a := range r.args(open) {
		if c := r.indexOf(a, ":"); c >= 0 {
			if v := r.eval(rng{c + 1, a.e}); v.known() {
				out = append(out, v.s)
			}
			continue
		}
		if a.e == a.s+1 && r.toks[a.s].kind == tokIdent {
			out = append(out, r.toks[a.s].text)
		}
	}
	return out
}

// labelValues returns the values a static metric struct generates for a label.
func (s *rustSet) labelValues(st *rustStatic, label string) []string {
	if e, ok := st.enumOf[label]; ok {
		return s.enums[e]
	}
	return st.values[label]
}

// rustStaticType is the metric type of a static metric struct's base type.
func rustStaticType(t string) string {
	t = strings.TrimPrefix(t, "Local")
	switch {
	case strings.HasSuffix(t, "Counter"):
		return "counter"
	case strings.HasSuffix(t, "Gauge"):
		return "gauge"
	case strings.HasSuffix(t, "Histogram"):
		return "histogram"
	}
	return ""
}

// staticRegister reads register_static_{counter,int_counter,gauge,int_gauge,histogram}_vec!
// (STRUCT, name, help, labels[, buckets]): the second argument is the name. The struct's
// From creates a child for every label value at registration, so the family is exported
// from then on; the struct gives the label names when the list is not a literal.
func (r *rustFile) staticRegister(name string, a []rng) *def {
	typ := rustStaticType(camel(strings.TrimSuffix(strings.TrimPrefix(name, "register_static_"), "_vec")))
	d := &def{typ: typ, via: name + "!"}
	if len(a) < 4 {
		d.name, d.at = unknown("the arguments of "+name+"! are not the (struct, name, help, labels) it takes"), r.toks[a[0].s].start
		if len(a) == 0 {
			d.at = 0
		}
		return d
	}
	d.name, d.at = r.eval(a[1]), r.toks[a[1].s].start
	if v := r.eval(a[2]); v.known() {
		d.help = v.s
	}
	ls, ok := r.list(a[3])
	if st := r.set.statics[r.text(a[0].e-1)]; !ok && st != nil {
		ls, ok = st.labels, true
	}
	d.labels, d.labelsUnknown = ls, !ok
	return d
}

// camel turns int_counter into IntCounter.
func camel(s string) string {
	var b strings.Builder
	for w := range strings.SplitSeq(s, "_") {
		if w != "" {
			b.WriteString(strings.ToUpper(w[:1]) + w[1:])
		}
	}
	return b.String()
}

// applyStatic completes the definitions of vectors that a static metric struct is built
// from (X::from(&VEC)): the struct creates every child at once, so the family is exported
// from the start, and the struct's labels stand in for a label list the code builds.
func (r *rustFile) applyStatic(defs []*def) {
	for _, d := range defs {
		v := r.defVars[d]
		st := r.set.statics[r.staticFrom[v]]
		if v == "" || st == nil {
			continue
		}
		if d.mayBeAbsent == absentLabelled {
			d.mayBeAbsent = ""
		}
		if d.labelsUnknown {
			d.labels = sortedUnique(slices.Concat(d.labels, st.labels))
			d.labelsUnknown = false
		}
	}
}

// boundName returns the variable a definition at token i is bound to: static ref NAME: T =
// …, static NAME: Lazy<T> = Lazy::new(|| …), let NAME = ….
func (r *rustFile) boundName(i int) string {
	k := i - 1
	for k >= 0 {
		t := r.toks[k]
		if t.kind == tokPunct && (t.text == ";" || t.text == "{" || t.text == "}") {
			return ""
		}
		if t.kind == tokPunct && (t.text == ")" || t.text == "]") && r.match[k] >= 0 {
			k = r.match[k] - 1
			continue
		}
		if t.text == "=" {
			break
		}
		k--
	}
	for j := k - 1; j >= 0 && j > k-24; j-- {
		switch r.text(j) {
		case ";", "{", "}":
			return ""
		case "ref", "let", "static", "mut":
			if r.kind(j+1) == tokIdent && r.text(j+1) != "mut" && r.text(j+1) != "ref" {
				return r.text(j + 1)
			}
		}
	}
	return ""
}
