package source

import (
	"slices"
	"strings"
)

// clientTypes maps prometheus-client's metric types to the type they export.
var clientTypes = map[string]string{"Counter": "counter", "Gauge": "gauge", "Histogram": "histogram", "Info": "info"}

// clientRegister reads prometheus-client's registry.register(name, help, metric) and
// register_with_unit(name, help, unit, metric) at token i (the method name). The family is
// named as the crate's encoder names it: the registry's prefix, the name and the unit joined
// with _, and a counter's samples end in _total, an info's in _info. The type comes from the
// metric's constructor or declared type (a let, a static, a struct field); the labels of a
// Family<L, M> from the fields of the struct L.
func (r *rustFile) clientRegister(i int) *def {
	method := r.text(i)
	a := r.args(i + 1)
	want := 3
	if method == "register_with_unit" {
		want = 4
	}
	if len(a) != want {
		return nil // another method of that name (a signal or a collector registry)
	}
	d := &def{via: "Registry::" + method}
	name := r.eval(a[0])
	d.at = r.toks[a[0].s].start
	if v := r.eval(a[1]); v.known() {
		d.help = v.s
	}
	if want == 4 {
		unit := r.clientUnit(a[2])
		if unit.known() && unit.s != "" {
			name = concat(name, known("_"), unit)
		} else if !unit.known() {
			name = concat(name, unit)
		}
	}
	var labelsKnown bool
	d.typ, d.labels, labelsKnown = r.clientMetric(a[want-1])
	d.labelsUnknown = !labelsKnown
	if r.clientFamily {
		d.mayBeAbsent = absentLabelled
	}
	r.clientFamily = false
	recv := r.receiver(i - 1)
	prefix := unknown("the registry the metric is registered on is not one the code shows")
	if recv.e > recv.s {
		prefix = r.clientPrefix(recv)
	}
	full := concat(prefix, name)
	switch d.typ {
	case "counter":
		full = concat(full, known("_total"))
	case "info":
		full = concat(full, known("_info"))
	case "":
		full = concat(full, unknown("the metric's type is not known, and with it the suffix the client adds (_total for a counter)"))
	}
	d.name = full
	return d
}

// receiver returns the expression before the . at dot: a path, field accesses and method
// calls (registry.sub_registry_with_prefix("x")).
func (r *rustFile) receiver(dot int) rng {
	k := dot - 1
	for k >= 0 {
		t := r.toks[k]
		switch {
		case t.kind == tokPunct && (t.text == ")" || t.text == "]") && r.match[k] >= 0:
			k = r.match[k] - 1
		case t.kind == tokIdent || t.text == "." || t.text == "::":
			k--
		default:
			return rng{k + 1, dot}
		}
	}
	return rng{0, dot}
}

// clientPrefix works out the prefix a registry expression gives its metrics: "" for a
// registry without one, "app_" for Registry::with_prefix("app").
func (r *rustFile) clientPrefix(x rng) value {
	s, e := x.s, x.e
	for s < e && (r.text(s) == "&" || r.text(s) == "mut" || r.text(s) == "*") {
		s++
	}
	for e-s >= 4 && r.text(e-1) == ")" && r.text(e-2) == "(" && (r.text(e-3) == "as_mut" || r.text(e-3) == "borrow_mut" || r.text(e-3) == "unwrap") && r.text(e-4) == "." {
		e -= 4
	}
	if s >= e {
		return unknown("the registry is not one the code shows")
	}
	if r.text(s) == "(" && r.match[s] == e-1 {
		return r.clientPrefix(rng{s + 1, e - 1})
	}
	if segs, at, ok := r.pathAt(rng{s, e}); ok {
		saved := r.set.allowMut
		r.set.allowMut = true
		v, why, ok := deref(r, segs, at, func(f *rustFile, b rng) value {
			f.set.allowMut = false
			return f.clientPrefix(b)
		})
		r.set.allowMut = saved
		if !ok {
			return unknown(strings.Replace(why, "the name comes from", "the registry is", 1))
		}
		return v
	}
	// X.sub_registry_with_prefix(p), X.sub_registry_with_label(s)(…)
	if r.text(e-1) == ")" && r.match[e-1] > s && r.text(r.match[e-1]-2) == "." {
		open := r.match[e-1]
		parent := rng{s, open - 2}
		a := r.args(open)
		switch r.text(open - 1) {
		case "sub_registry_with_prefix":
			if len(a) == 1 {
				return concat(r.clientPrefix(parent), r.eval(a[0]), known("_"))
			}
		case "sub_registry_with_label", "sub_registry_with_labels":
			return r.clientPrefix(parent)
		}
		return unknown("the registry comes from a method call driftlint does not follow")
	}
	// Registry::default(), Registry::new(), <Registry>::default(), Registry::with_prefix(p)
	if r.text(e-1) == ")" && r.match[e-1] > s {
		open := r.match[e-1]
		a := r.args(open)
		switch fn := r.text(open - 1); {
		case (fn == "default" || fn == "new") && len(a) == 0 && r.has(rng{s, open}, "Registry"):
			return known("")
		case fn == "default" && len(a) == 0 && r.text(s) == "Default":
			return known("")
		case (fn == "with_prefix" || fn == "with_prefix_and_labels") && len(a) >= 1:
			return concat(r.eval(a[0]), known("_"))
		}
	}
	if r.text(e-2) == "." && r.kind(e-1) == tokIdent {
		return unknown("the registry is the field " + r.text(e-1) + ", whose prefix is not followed")
	}
	return unknown("the registry is not one the code shows")
}

// clientUnit reads Unit::Seconds or Unit::Other("x") as the suffix the client adds.
func (r *rustFile) clientUnit(x rng) value {
	if r.text(x.e-1) == ")" && r.match[x.e-1] > x.s && r.text(r.match[x.e-1]-1) == "Other" {
		if a := r.args(r.match[x.e-1]); len(a) == 1 {
			return r.eval(a[0])
		}
	}
	if r.kind(x.e-1) == tokIdent {
		return known(strings.ToLower(r.text(x.e - 1)))
	}
	return unknown("the unit is not a constant")
}

// clientMetric works out the type of a metric expression (Counter::default(), a variable,
// a field) and, for a Family, its label names. It sets r.clientFamily for a Family.
func (r *rustFile) clientMetric(x rng) (typ string, labels []string, labelsKnown bool) {
	s, e := x.s, x.e
	for s < e && r.text(s) == "&" {
		s++
	}
	for e-s >= 4 && r.text(e-1) == ")" && r.text(e-2) == "(" && stringMethods[r.text(e-3)] && r.text(e-4) == "." {
		e -= 4 // .clone()
	}
	if r.text(s) == "Box" && r.text(s+1) == "::" && r.text(s+2) == "new" && r.text(s+3) == "(" && r.match[s+3] == e-1 {
		return r.clientMetric(rng{s + 4, e - 1})
	}
	if s >= e {
		return "", nil, false
	}
	if typ, labels, known, ok := r.clientTypeIn(rng{s, e}); ok {
		return typ, labels, known
	}
	// a variable: its let or static, with the type written on it
	if segs, at, ok := r.pathAt(rng{s, e}); ok && len(segs) == 1 {
		if l, ok := r.let(segs[0], at); ok {
			if typ, labels, known, ok := r.clientTypeIn(rng{l.at, l.expr.e}); ok {
				return typ, labels, known
			}
		}
		if cs := r.consts[segs[0]]; len(cs) == 1 {
			start := cs[0].s
			for start > 0 && cs[0].s-start < 64 && r.text(start-1) != "static" && r.text(start-1) != "const" {
				start--
			}
			if typ, labels, known, ok := r.clientTypeIn(rng{start, cs[0].e}); ok {
				return typ, labels, known
			}
		}
	}
	// a field: self.requests, metrics.requests — the type of the struct field of that name
	if r.text(e-2) == "." && r.kind(e-1) == tokIdent {
		// the one field of that name in this file, else in this crate
		for _, near := range []func(*rustFile) bool{
			func(f *rustFile) bool { return f == r },
			func(f *rustFile) bool { return f.crate == r.crate },
		} {
			var found []rng
			var files []*rustFile
			for _, f := range r.set.files {
				if !near(f) {
					continue
				}
				for _, t := range f.fields[r.text(e-1)] {
					found = append(found, t)
					files = append(files, f)
				}
			}
			if len(found) == 1 {
				if typ, labels, known, ok := files[0].clientTypeIn(found[0]); ok {
					return typ, labels, known
				}
			}
			if len(found) > 0 {
				break
			}
		}
	}
	return "", nil, false
}

// clientTypeIn finds a metric type in tokens: the last of Counter, Gauge, Histogram and Info,
// and Family<L, …> for the labels.
func (r *rustFile) clientTypeIn(x rng) (typ string, labels []string, labelsKnown, ok bool) {
	labelsKnown = true
	family := false // a Family whose label struct was found
	for k := x.s; k < x.e; k++ {
		t := r.toks[k]
		if t.kind != tokIdent {
			continue
		}
		if ty, isType := clientTypes[t.text]; isType {
			typ, ok = ty, true
		}
		if t.text == "Family" {
			r.clientFamily = true
			if family {
				continue // the type written on a let, then its constructor
			}
			labels, labelsKnown = nil, false
			j := k + 1
			if r.text(j) == "::" {
				j++
			}
			if r.text(j) == "<" {
				if st := r.text(j + 1); st != "" && r.text(j+2) == "," {
					if fs, found := r.set.labelStructs[st]; found {
						labels, labelsKnown, family = slices.Clone(fs), true, true
					}
				}
			}
		}
	}
	if typ == "info" {
		labelsKnown = false // the label set is given at construction
	}
	return typ, labels, labelsKnown, ok
}
