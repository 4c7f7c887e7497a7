package source

import (
	"fmt"
	"go/ast"
	"go/types"
	"slices"
)

// maxAlternatives bounds the names one definition gets from variables that hold one of
// several constants (prefix := "a_"; if ooo { prefix = "b_" }): past it the definition is
// unresolved, and reported once where it is written rather than once per call chain.
const maxAlternatives = 8

// alternatives returns the expressions a local variable is given — its initializer and
// every plain assignment — when that is all that ever changes it, or nil: package
// variables (a package-level initializer sees only their initial value, and anything may
// set them later), parameters (their value comes from the callers), loop variables,
// variables without an initializer, and variables changed any other way (x += …, x++, &x,
// a multi-value assignment).
func (c *goCtx) alternatives(o types.Object) []ast.Expr {
	if _, ok := o.(*types.Var); !ok || c.opaque[o] || c.params[o] || c.loopVars[o] {
		return nil
	}
	if o.Pkg() != nil && o.Parent() == o.Pkg().Scope() {
		return nil
	}
	init := c.inits[o]
	if init == nil || len(c.alts[o]) == 0 {
		return nil
	}
	return append([]ast.Expr{init}, c.alts[o]...)
}

// fork is a variable met while reading a definition that holds one of several constants.
type fork struct {
	o    types.Object
	name string
	vals []value
}

// forkVar is called by eval for a variable assigned more than once: it returns the value
// pinned for it while a definition is read once per alternative, else it records the
// variable as a fork when every value it is given is a constant, and says why the value is
// unknown in this first reading.
func (w *goWalker) forkVar(o types.Object, name string) (value, bool) {
	if v, ok := w.pinned[o]; ok {
		return v, true
	}
	exprs := w.ctx.alternatives(o)
	if exprs == nil || w.forking == 0 {
		return value{}, false
	}
	var vals []value
	for _, e := range exprs {
		v := w.eval(e)
		if !v.known() {
			return value{}, false
		}
		if !slices.Contains(vals, v) {
			vals = append(vals, v)
		}
	}
	if !slices.ContainsFunc(w.forks, func(f fork) bool { return f.o == o }) {
		w.forks = append(w.forks, fork{o: o, name: name, vals: vals})
	}
	return unknown(fmt.Sprintf("the name comes from the variable %s, which takes %d values", name, len(vals))), true
}

// alternated runs read, which appends definitions to w.defs, and when it met variables that
// hold one of several constants, reads it again once per combination of their values (the
// first reading is dropped): each alternative is a definition. More than maxAlternatives
// combinations leave the definitions unresolved, placed where the helper writes them so
// that each is reported once, not once per call chain.
func (w *goWalker) alternated(read func()) {
	if w.forking > 0 { // inside a reading already: its pins hold
		read()
		return
	}
	w.forking++
	defer func() { w.forking-- }()
	w.forks = w.forks[:0]
	start := len(w.defs)
	read()
	if len(w.forks) == 0 {
		return
	}
	forks := slices.Clone(w.forks)
	combos := 1
	for _, f := range forks {
		combos *= len(f.vals)
		if combos > maxAlternatives {
			break
		}
	}
	w.defs = w.defs[:start]
	defer clear(w.pinned)
	if combos > maxAlternatives {
		why := fmt.Sprintf("the name comes from the variable %s, which takes more values than the %d alternatives the resolver follows", forks[0].name, maxAlternatives)
		for _, f := range forks {
			w.pinned[f.o] = unknown(why)
		}
		read()
		for _, d := range w.defs[start:] {
			w.fromCall[d] = false // the same wherever the helper is called: once
		}
		return
	}
	idx := make([]int, len(forks))
	for {
		for i, f := range forks {
			w.pinned[f.o] = f.vals[idx[i]]
		}
		w.forks = w.forks[:0]
		read()
		k := 0
		for k < len(idx) {
			idx[k]++
			if idx[k] < len(forks[k].vals) {
				break
			}
			idx[k] = 0
			k++
		}
		if k == len(idx) {
			return
		}
	}
}
