package source

import (
	"fmt"
	"strings"
)

// Local variables of Python functions: a name assigned once in a def's body (labelnames =
// ["model_name", "engine"]) stands for its expression where the body uses it after the
// assignment, as a module constant does. A name the body binds in any other way too — a
// second assignment, +=, a loop or with … as target, :=, del, global, or a change in place
// (.append, x[i] = …) — stays unknown, and so does a parameter assigned in the body.

// pyMutators are the list methods that change a list in place.
var pyMutators = map[string]bool{
	"append": true, "extend": true, "insert": true, "remove": true, "pop": true, "clear": true, "sort": true, "reverse": true,
}

// pyRebound marks a name of a def's body as bound other than by one plain assignment.
var pyRebound = rng{-1, -1}

// localStatement records the names that one logical line of fn's body binds.
func (p *pyFile) localStatement(fn *pyDef, line rng) {
	if fn.locals == nil {
		fn.locals = map[string][]rng{}
	}
	rebind := func(k int) {
		if k >= line.s && k < line.e && p.toks[k].kind == tokIdent {
			fn.locals[p.text(k)] = append(fn.locals[p.text(k)], pyRebound)
		}
	}
	depth := p.toks[line.s].depth
	eq := -1 // the first top-level = (or +=)
	for k := line.s; k < line.e; k++ {
		t := p.toks[k]
		switch {
		case t.kind == tokIdent && (t.text == "for" || t.text == "as" || t.text == "del" || t.text == "global" || t.text == "nonlocal"):
			for j := k + 1; j < line.e && p.text(j) != "in" && p.text(j) != ":" && p.text(j) != ")"; j++ {
				if p.toks[j].kind == tokIdent && p.text(j-1) != "." {
					rebind(j)
				}
			}
		case t.kind == tokPunct && t.text == ":=":
			rebind(k - 1)
		case t.kind == tokPunct && t.text == "." && k > line.s && pyMutators[p.text(k+1)] && p.text(k+2) == "(" && p.text(k-2) != ".":
			rebind(k - 1)
		case t.kind == tokPunct && (t.text == "=" || t.text == "+=") && t.depth == depth && eq < 0:
			eq = k
		}
	}
	if eq < 0 {
		return
	}
	i := line.s
	single := p.toks[i].kind == tokIdent && p.text(eq) == "=" && (eq == i+1 || p.text(i+1) == ":")
	if single {
		for k := eq + 1; k < line.e; k++ {
			if p.text(k) == "=" && p.toks[k].depth == depth {
				single = false // A = B = x
				break
			}
		}
	}
	if single && eq+1 < line.e {
		name := p.text(i)
		fn.locals[name] = append(fn.locals[name], rng{eq + 1, line.e})
		return
	}
	// a, b = x, y: each name its element
	if targets, values := p.split(rng{i, eq}, ","), p.split(rng{eq + 1, line.e}, ","); p.text(eq) == "=" && len(targets) > 1 && len(targets) == len(values) {
		all := true
		for k, t := range targets {
			all = all && t.e == t.s+1 && p.toks[t.s].kind == tokIdent && values[k].s < values[k].e
		}
		for k := eq + 1; k < line.e && all; k++ {
			all = p.text(k) != "=" || p.toks[k].depth != depth
		}
		if all {
			for k, t := range targets {
				fn.locals[p.text(t.s)] = append(fn.locals[p.text(t.s)], values[k])
			}
			return
		}
	}
	// a tuple target, an augmented or chained assignment, x[i] = …: every name it binds or
	// changes
	for k := i; k < line.e; k++ {
		if p.toks[k].kind == tokIdent && p.text(k-1) != "." && (k < eq || p.text(k+1) == "=" && p.toks[k+1].depth == depth) {
			rebind(k)
		}
	}
}

// local returns the expression of the local variable name at token at: assigned once in the
// body of the innermost def holding at, before at.
func (p *pyFile) local(name string, at int) (pyBind, bool) {
	d := p.owner(at)
	if d == nil {
		return pyBind{}, false
	}
	for _, prm := range d.params {
		if prm.name == name {
			return pyBind{}, false
		}
	}
	rs := d.locals[name]
	if len(rs) != 1 || rs[0] == pyRebound || rs[0].e > at {
		return pyBind{}, false
	}
	return pyBind{file: p, r: rs[0], env: p.env}, true
}

// metricLike reports whether the call at open passes what prometheus_client's constructors
// take: documentation= and a name (name= or a first argument that is a string literal).
func (p *pyFile) metricLike(open int) bool {
	a := p.args(open)
	if _, ok := a.kw["documentation"]; !ok {
		return false
	}
	if _, ok := a.kw["name"]; ok {
		return true
	}
	return len(a.pos) > 0 && p.toks[a.pos[0].s].kind == tokString
}

// pyTypeWords guess a metric type from the name of a constructor driftlint cannot identify.
var pyTypeWords = []struct{ word, typ string }{
	{"counter", "counter"}, {"gauge", "gauge"}, {"histogram", "histogram"}, {"summary", "summary"},
}

// unreadDef is the definition a call with prometheus_client's arguments makes on a callee
// driftlint cannot identify (a constructor held in a variable, a dict, an attribute of an
// unread class): never read, so never silently dark, it is unresolved, with the name it is
// given as its pattern when that is a constant, and the type its callee's name suggests.
func (p *pyFile) unreadDef(c pyCall) *def {
	j := c.at
	for j >= 2 && p.text(j-1) == "." {
		j -= 2
	}
	callee := p.source(rng{j, c.at + 1})
	typ := ""
	for _, w := range pyTypeWords {
		if strings.Contains(strings.ToLower(p.text(c.at)), w.word) {
			typ = w.typ
			break
		}
	}
	d := p.metric("", typ, c.open, c.at)
	d.via = callee
	if d.name.known() {
		d.name.why = "the name is given to " + callee + ", which driftlint cannot identify as a prometheus_client class"
	}
	d.labels, d.labelsUnknown = nil, true
	return d
}

// localValue works out the string a local variable of the def holding token at stands for:
// its one assignment before at; or, assigned in branches (name = None, then name = "x" under
// an if), the one constant every assignment other than None gives it. ok is false when name
// is no local of the def.
func (p *pyFile) localValue(name string, at int) (v value, ok bool) {
	d := p.owner(at)
	if d == nil || len(d.locals[name]) == 0 {
		return value{}, false
	}
	for _, prm := range d.params {
		if prm.name == name {
			return value{}, false
		}
	}
	if b, ok := p.local(name, at); ok {
		v := b.file.evalIn(b.env, b.r)
		if !v.known() && !strings.HasPrefix(v.why, "the name comes from") {
			v.why = fmt.Sprintf("the name comes from the local variable %s, whose value %s", name, strings.TrimPrefix(v.why, "the name "))
		}
		return v, true
	}
	bound := unknown(fmt.Sprintf("the name comes from the local variable %s, which is bound more than once", name))
	n := 0
	for _, r := range d.locals[name] {
		switch {
		case r == pyRebound || r.e > at:
			return bound, true
		case r.e-r.s == 1 && p.text(r.s) == "None":
			continue
		}
		c := p.evalIn(p.env, r)
		if !c.known() {
			return bound, true
		}
		if n == 0 || c.s != v.s {
			v = c
			n++
		}
	}
	if n != 1 {
		return unknown(fmt.Sprintf("the name comes from the local variable %s, which is assigned more than one value", name)), true
	}
	return v, true
}
