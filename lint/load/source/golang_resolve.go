package source

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"strconv"
)

// Bounds of the resolver. A bound that is hit becomes an unresolved definition saying so.
const (
	maxHelperDepth   = 10   // helper calls nested inside helper calls, evaluated at a call site
	maxExpansions    = 2000 // helper call sites evaluated per file
	maxHelperSweeps  = 8    // rounds following local variables back to a function's parameters
	maxEvalDepth     = 64   // nested expressions and variables followed while working out one value
	maxDepDepth      = 2    // imports followed from a walked package for constants (1: direct imports)
	maxReturns       = 8    // return statements of a function returning a registerer that are compared
	boundDepthReason = "the helper calls nest deeper than %d, the bound of the resolver, and this one's names depend on its caller"
	boundFanReason   = "more than %d helper calls in this file, the bound of the resolver; this one is not followed"
)

// goCtx holds what the resolver knows about the whole sources set in one type check: the
// variables set once, the loop variables and parameters, and the helper functions.
type goCtx struct {
	s        *goSet
	info     *types.Info
	loopVars map[types.Object]bool
	params   map[types.Object]bool
	inits    map[types.Object]ast.Expr // variables with one initial value and no assignment
	assigned map[types.Object]bool
	// funcs are the functions and closures with a body the resolver can evaluate, by object.
	funcs map[types.Object]*goFunc
	// helpers are the functions that define metrics (directly or through other helpers) and
	// are called from a walked file: their bodies are evaluated at each call site instead.
	helpers map[*ast.BlockStmt]bool
	// alts are the values plain assignments give a variable (besides its initializer), and
	// opaque the variables changed some other way (golang_alts.go).
	alts   map[types.Object][]ast.Expr
	opaque map[types.Object]bool
	// selfWrap holds the registerer variables whose one assignment wraps themselves:
	// reg = prometheus.WrapRegistererWithPrefix("x_", reg).
	selfWrap map[types.Object]*ast.CallExpr
	// regFields are the struct fields declared prometheus.Registerer (named or embedded).
	regFields map[types.Object]bool
	// descTypes are, for each file holding a helper, the types its MustNewConstMetric…
	// calls give descriptors (by variable or field), for the descriptors the helper makes
	// when it is read at a call site in another file.
	descTypes map[*goFile]map[string]string
}

// goFunc is a function body with its signature.
type goFunc struct {
	name    string
	typ     *ast.FuncType
	body    *ast.BlockStmt
	g       *goFile
	defines bool // defines metrics, itself or through helpers
}

// binding is a parameter bound to the argument of a call site, to be read in the caller's
// environment.
type binding struct {
	e   ast.Expr
	env *goEnv
	at  int // offset in the walked file that stands for the argument
	// then are the values the body appends to the parameter before anything else reads it
	// (subsystem += "_lists"), read in the body's environment.
	then []ast.Expr
}

// goEnv is the environment of a helper body evaluated at a call site.
type goEnv struct {
	vars   map[types.Object]binding
	site   int // offset of the call site in the walked file
	depth  int
	absent string // the call site runs under a condition
	fn     *goFunc
	up     *goEnv // the environment of the call site
	cut    bool   // read past the depth bound: parameters unbound, no further helpers
}

func newGoCtx(s *goSet) *goCtx {
	c := &goCtx{
		s: s, info: s.info, loopVars: map[types.Object]bool{}, params: map[types.Object]bool{},
		inits: map[types.Object]ast.Expr{}, assigned: map[types.Object]bool{},
		funcs: map[types.Object]*goFunc{}, helpers: map[*ast.BlockStmt]bool{}, selfWrap: map[types.Object]*ast.CallExpr{},
		regFields: map[types.Object]bool{},
		alts:      map[types.Object][]ast.Expr{}, opaque: map[types.Object]bool{},
	}
	var walked []*goFile
	for _, p := range s.pkgs {
		for _, g := range p.active(s.goos) {
			if p.tpkg == nil && !p.metrics {
				continue
			}
			c.prepare(p, g)
			if p.metrics {
				walked = append(walked, g)
			}
		}
	}
	for o := range c.selfWrap {
		if c.assigned[o] {
			delete(c.selfWrap, o)
		}
	}
	c.findHelpers(walked)
	c.helperDescTypes()
	return c
}

// helperDescTypes records the descriptor types of the files that hold helpers (once, before
// the walks, which read them in parallel).
func (c *goCtx) helperDescTypes() {
	c.descTypes = map[*goFile]map[string]string{}
	for _, f := range c.funcs {
		if !c.helpers[f.body] || c.descTypes[f.g] != nil || f.g.ast == nil {
			continue
		}
		w := newWalker(f.g, c)
		ast.Inspect(f.g.ast, func(n ast.Node) bool {
			if call, ok := n.(*ast.CallExpr); ok {
				w.constMetric(call, calleeName(call))
			}
			return true
		})
		c.descTypes[f.g] = w.descTypes
	}
}

// prepare records loop variables, parameters, the variables whose value is one initializer
// never assigned again (anywhere in the set), and the function bodies.
func (c *goCtx) prepare(p *goPkg, g *goFile) {
	define := func(id *ast.Ident, set map[types.Object]bool) {
		if o := c.info.Defs[id]; o != nil {
			set[o] = true
		}
	}
	// In a package checked without bodies, uses inside bodies have no objects: an assignment
	// to a name there counts for the package variable of that name.
	markName := func(id *ast.Ident) {
		if p.bodies || p.tpkg == nil {
			return
		}
		if o, ok := p.tpkg.Scope().Lookup(id.Name).(*types.Var); ok {
			c.assigned[o], c.opaque[o] = true, true
		}
	}
	// mark records a change of the variable l belongs to; val is the value of a plain
	// assignment to the variable itself (x = val), nil for other changes.
	mark := func(l ast.Expr, val ast.Expr) {
		if s, ok := ast.Unparen(l).(*ast.SelectorExpr); ok {
			if o, ok := c.info.Uses[s.Sel].(*types.Var); ok && !o.IsField() {
				c.assigned[o], c.opaque[o] = true, true // pkg.Var = …
			}
		}
		id := rootIdent(l)
		if id == nil {
			return
		}
		o := c.info.Uses[id]
		if o == nil {
			markName(id)
			return
		}
		c.assigned[o] = true
		if val != nil && ast.Unparen(l) == ast.Expr(id) {
			c.alts[o] = append(c.alts[o], val)
		} else {
			c.opaque[o] = true
		}
	}
	promLocal := map[string]bool{}
	for _, im := range g.ast.Imports {
		if ip, err := strconv.Unquote(im.Path.Value); err == nil && ip == promPath {
			if im.Name != nil {
				promLocal[im.Name.Name] = true
			} else {
				promLocal["prometheus"] = true
			}
		}
	}
	ast.Inspect(g.ast, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.StructType:
			c.registererFields(n, promLocal)
		case *ast.FuncDecl:
			if n.Body != nil && p.bodies {
				if o := c.info.Defs[n.Name]; o != nil {
					c.funcs[o] = &goFunc{name: n.Name.Name, typ: n.Type, body: n.Body, g: g}
				}
			}
		case *ast.RangeStmt:
			for _, e := range []ast.Expr{n.Key, n.Value} {
				if id, ok := e.(*ast.Ident); ok {
					define(id, c.loopVars)
					if n.Tok == token.ASSIGN {
						mark(id, nil)
					}
				}
			}
		case *ast.ForStmt:
			if as, ok := n.Init.(*ast.AssignStmt); ok {
				for _, e := range as.Lhs {
					if id, ok := e.(*ast.Ident); ok {
						define(id, c.loopVars)
					}
				}
			}
		case *ast.FuncType:
			if n.Params != nil {
				for _, f := range n.Params.List {
					for _, id := range f.Names {
						define(id, c.params)
					}
				}
			}
		case *ast.ValueSpec:
			if len(n.Values) == len(n.Names) {
				for i, id := range n.Names {
					if o := c.info.Defs[id]; o != nil {
						c.inits[o] = n.Values[i]
						c.closure(o, n.Values[i], g, p)
					}
				}
			}
		case *ast.AssignStmt:
			for i, l := range n.Lhs {
				id := rootIdent(l)
				if id == nil {
					continue
				}
				if n.Tok == token.DEFINE && l == ast.Expr(id) {
					if o := c.info.Defs[id]; o != nil && len(n.Rhs) == len(n.Lhs) {
						c.inits[o] = n.Rhs[i]
						c.closure(o, n.Rhs[i], g, p)
						continue
					}
				}
				if call := selfWrap(n, i); call != nil {
					if o := c.info.Uses[id]; o != nil && c.selfWrap[o] == nil {
						c.selfWrap[o] = call
						continue
					}
				}
				var val ast.Expr
				if n.Tok == token.ASSIGN && len(n.Lhs) == len(n.Rhs) {
					val = n.Rhs[i]
				}
				mark(l, val)
			}
		case *ast.IncDecStmt:
			mark(n.X, nil)
		case *ast.UnaryExpr:
			if n.Op == token.AND {
				mark(n.X, nil) // its address escapes: it may change
			}
		}
		return true
	})
}

// registererFields records the fields of a struct type declared prometheus.Registerer (the
// type checker cannot tell: client_golang is outside the set, so its types are invalid).
func (c *goCtx) registererFields(st *ast.StructType, promLocal map[string]bool) {
	if st.Fields == nil {
		return
	}
	for _, f := range st.Fields.List {
		sel, ok := f.Type.(*ast.SelectorExpr)
		if !ok || sel.Sel.Name != "Registerer" {
			continue
		}
		if x, ok := sel.X.(*ast.Ident); !ok || !promLocal[x.Name] {
			continue
		}
		ids := f.Names
		if len(ids) == 0 {
			ids = []*ast.Ident{sel.Sel} // embedded: the field is defined by the type's name
		}
		for _, id := range ids {
			if o := c.info.Defs[id]; o != nil {
				c.regFields[o] = true
			}
		}
	}
}

// selfWrap returns the call of reg = prometheus.WrapRegistererWith…(…, reg) at the i-th
// place of an assignment, or nil.
func selfWrap(as *ast.AssignStmt, i int) *ast.CallExpr {
	if as.Tok != token.ASSIGN || len(as.Lhs) != len(as.Rhs) {
		return nil
	}
	id, ok := as.Lhs[i].(*ast.Ident)
	if !ok {
		return nil
	}
	call, ok := ast.Unparen(as.Rhs[i]).(*ast.CallExpr)
	if !ok || len(call.Args) != 2 {
		return nil
	}
	if n := calleeName(call); n != "WrapRegistererWithPrefix" && n != "WrapRegistererWith" {
		return nil
	}
	if inner, ok := ast.Unparen(call.Args[1]).(*ast.Ident); ok && inner.Name == id.Name {
		return call
	}
	return nil
}

// closure records a variable set to a function literal as a function the resolver can call.
func (c *goCtx) closure(o types.Object, e ast.Expr, g *goFile, p *goPkg) {
	if fl, ok := ast.Unparen(e).(*ast.FuncLit); ok && p.bodies {
		c.funcs[o] = &goFunc{name: o.Name(), typ: fl.Type, body: fl.Body, g: g}
	}
}

// findHelpers finds the functions whose parameters flow into a metric definition — into
// a constructor's options or receiver, NewDesc's arguments, the registerer of MustRegister,
// or the arguments of another such function (a few rounds) — and keeps as helpers the ones
// called from a walked file. Other functions (func main, a run() that sets everything up)
// are read where they are written.
func (c *goCtx) findHelpers(walked []*goFile) {
	calls := map[*goFunc][]types.Object{}
	walkers := map[*goFile]*goWalker{}
	for _, f := range c.funcs {
		carries := c.carrier(f)
		if carries == nil {
			continue
		}
		w := walkers[f.g]
		if w == nil {
			w = newWalker(f.g, c)
			walkers[f.g] = w
		}
		ast.Inspect(f.body, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || f.defines {
				return !f.defines
			}
			name := calleeName(call)
			_, ctor := goConstructors[name]
			switch {
			case ctor && w.isConstructorCall(call), name == "NewDesc" && w.isProm(call.Fun, "NewDesc"):
				f.defines = carries(call)
			case name == "MustRegister" || name == "Register":
				if sel, ok := call.Fun.(*ast.SelectorExpr); ok {
					f.defines = carries(sel.X)
				}
			default:
				if o := c.callee(call); o != nil && carries(call) {
					calls[f] = append(calls[f], o)
				}
			}
			return true
		})
	}
	// A function that calls a defining function with a parameter defines too: marked from
	// the definers back along the calls, each function once, so the result is the same
	// whatever order the maps are walked in.
	callers := map[*goFunc][]*goFunc{}
	var queue []*goFunc
	for f, os := range calls {
		for _, o := range os {
			if g := c.funcs[o]; g != nil {
				callers[g] = append(callers[g], f)
			}
		}
	}
	for _, f := range c.funcs {
		if f.defines {
			queue = append(queue, f)
		}
	}
	for len(queue) > 0 {
		g := queue[len(queue)-1]
		queue = queue[:len(queue)-1]
		for _, f := range callers[g] {
			if !f.defines {
				f.defines = true
				queue = append(queue, f)
			}
		}
	}
	for _, g := range walked {
		ast.Inspect(g.ast, func(n ast.Node) bool {
			if call, ok := n.(*ast.CallExpr); ok {
				if f := c.funcs[c.callee(call)]; f != nil && f.defines {
					c.helpers[f.body] = true
				}
			}
			return true
		})
	}
}

// carrier returns a test of whether a syntax tree mentions a parameter of f or a local
// variable whose initial value does; nil when f has no named parameter.
func (c *goCtx) carrier(f *goFunc) func(ast.Node) bool {
	tainted := map[types.Object]bool{}
	if f.typ.Params != nil {
		for _, fld := range f.typ.Params.List {
			for _, id := range fld.Names {
				if o := c.info.Defs[id]; o != nil && id.Name != "_" {
					tainted[o] = true
				}
			}
		}
	}
	if len(tainted) == 0 {
		return nil
	}
	mentions := func(n ast.Node) bool {
		found := false
		ast.Inspect(n, func(n ast.Node) bool {
			if id, ok := n.(*ast.Ident); ok && tainted[c.info.Uses[id]] {
				found = true
			}
			return !found
		})
		return found
	}
	var locals []types.Object
	ast.Inspect(f.body, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok {
			if o := c.info.Defs[id]; o != nil && c.inits[o] != nil {
				locals = append(locals, o)
			}
		}
		return true
	})
	for range maxHelperSweeps {
		changed := false
		for _, o := range locals {
			if !tainted[o] && mentions(c.inits[o]) {
				tainted[o], changed = true, true
			}
		}
		if !changed {
			break
		}
	}
	return mentions
}

// callee returns the function or closure variable a call calls, or nil.
func (c *goCtx) callee(call *ast.CallExpr) types.Object {
	switch f := ast.Unparen(call.Fun).(type) {
	case *ast.Ident:
		return c.info.Uses[f]
	case *ast.SelectorExpr:
		return c.info.Uses[f.Sel]
	case *ast.IndexExpr:
		if id, ok := f.X.(*ast.Ident); ok {
			return c.info.Uses[id]
		}
	}
	return nil
}

// bound returns the binding of a parameter in the current environment.
func (w *goWalker) bound(id *ast.Ident) (binding, bool) {
	if w.env == nil {
		return binding{}, false
	}
	o := w.ctx.info.Uses[id]
	if o == nil {
		return binding{}, false
	}
	b, ok := w.env.vars[o]
	if ok {
		w.hits++ // the value depends on the call site
	}
	return b, ok
}

// in runs f in another environment.
func (w *goWalker) in(env *goEnv, f func()) {
	saved := w.env
	w.env = env
	defer func() { w.env = saved }()
	f()
}

// at returns the file offset a definition read from e is reported at: e itself in the
// walked file, and in a helper body the argument the value came from, else the call site.
func (w *goWalker) at(e ast.Expr) int {
	if w.env == nil {
		return w.off(e.Pos())
	}
	if id, ok := ast.Unparen(e).(*ast.Ident); ok {
		if b, ok := w.bound(id); ok {
			return b.at
		}
	}
	return w.env.site
}

// expand evaluates the body of a helper at a call site: its parameters are bound to the
// arguments, and the definitions it makes are reported at the call site.
func (w *goWalker) expand(call *ast.CallExpr, f *goFunc, stack []ast.Node) {
	depth := 1
	site := w.off(call.Pos())
	absent := conditional(stack)
	if w.env != nil {
		depth = w.env.depth + 1
		site = w.env.site
		if absent == "" {
			absent = w.env.absent
		}
	}
	for e := w.env; e != nil; e = e.up {
		if e.fn == f && depth > maxHelperDepth {
			return // recursion past the bound: this body is being read already
		}
	}
	bound := ""
	cut := false
	switch {
	case w.env != nil && w.env.cut:
		bound = fmt.Sprintf(boundDepthReason, maxHelperDepth)
	case depth > maxHelperDepth:
		cut = true // read once more with the parameters unknown, so its own names are kept
	case w.expansions >= maxExpansions:
		bound = fmt.Sprintf(boundFanReason, maxExpansions)
	}
	if bound != "" {
		d := &def{name: unknown(bound), at: site, via: f.name + "(…)", mayBeAbsent: absent}
		w.fromCall[d] = true
		w.defs = append(w.defs, d)
		return
	}
	w.expansions++
	env := &goEnv{vars: map[types.Object]binding{}, site: site, depth: depth, absent: absent, fn: f, up: w.env, cut: cut}
	if !cut {
		bindParams(w, f, call, env)
	}
	start := len(w.defs)
	saved := w.unit
	w.unit = newUnit()
	w.in(env, func() { w.walkBody(f.body) })
	w.applyRegs()
	w.unit = saved
	// A definition that does not depend on the call (its options are the helper's own, its
	// registerer passed in unwrapped) is the helper's: it goes to the helper's file, at its
	// own position, once however many calls there are.
	kept := w.defs[:start]
	for _, d := range w.defs[start:] {
		if o, ok := w.ownAt[d]; ok && !w.fromCall[d] {
			d.at = o.at
			w.ext[o.g] = append(w.ext[o.g], d)
			continue
		}
		kept = append(kept, d)
	}
	w.defs = kept
}

// ownPos is where a definition read in a helper body is written.
type ownPos struct {
	g  *goFile
	at int
}

// setOwn records where a definition made in a helper body is written: at the Name of its
// options literal, else at e.
func (w *goWalker) setOwn(d *def, e ast.Expr) {
	if w.env == nil || w.env.fn == nil || w.env.fn.g.tok == nil {
		return
	}
	if name := nameField(e); name != nil {
		e = name
	}
	g := w.env.fn.g
	w.ownAt[d] = ownPos{g, min(max(g.tok.Offset(e.Pos()), 0), len(g.src.Src))}
}

// nameField returns the Name value of an options literal (&T{…}, nested options too).
func nameField(e ast.Expr) ast.Expr {
	e = ast.Unparen(e)
	if u, ok := e.(*ast.UnaryExpr); ok && u.Op == token.AND {
		e = ast.Unparen(u.X)
	}
	cl, ok := e.(*ast.CompositeLit)
	if !ok {
		return nil
	}
	for _, el := range cl.Elts {
		if kv, ok := el.(*ast.KeyValueExpr); ok {
			if k, ok := kv.Key.(*ast.Ident); ok {
				switch k.Name {
				case "Name":
					return kv.Value
				case "CounterOpts", "GaugeOpts", "HistogramOpts", "SummaryOpts":
					if n := nameField(kv.Value); n != nil {
						return n
					}
				}
			}
		}
	}
	return nil
}

// walkBody visits the calls of a helper body (definitions only; text literals are read
// where they are written).
func (w *goWalker) walkBody(body *ast.BlockStmt) {
	var stack []ast.Node
	ast.Inspect(body, func(n ast.Node) bool {
		if n == nil {
			stack = stack[:len(stack)-1]
			return true
		}
		if c, ok := n.(*ast.CallExpr); ok {
			if !w.call(c, stack) {
				return false
			}
		}
		stack = append(stack, n)
		return true
	})
}

// regWrap is what registering through a registerer adds: a name prefix and const labels.
type regWrap struct {
	prefix        value
	labels        []string
	labelsUnknown bool
	// cycle: the registerer was read back to a variable whose values are being compared
	// (reg = NewUnRegisterer(reg)); the wrapping is what that read adds on top of it.
	cycle bool
}

func (r regWrap) empty() bool {
	return r.prefix.known() && r.prefix.s == "" && len(r.labels) == 0 && !r.labelsUnknown
}

// registerer works out the wrapping of a registerer expression: WrapRegistererWithPrefix and
// WrapRegistererWith, through variables set once and helper parameters.
func (w *goWalker) registerer(e ast.Expr) regWrap {
	none := regWrap{prefix: known("")}
	if !w.enter() {
		return none
	}
	defer w.leave()
	e = ast.Unparen(e)
	switch x := e.(type) {
	case *ast.Ident:
		o := w.info.Uses[x]
		if call := w.ctx.selfWrap[o]; call != nil && !w.selfWrapping[o] {
			// Flow-insensitive: the wrapping applies to every use of the variable.
			w.selfWrapping[o] = true
			defer delete(w.selfWrapping, o)
			return w.registerer(call)
		}
		if b, ok := w.bound(x); ok {
			var r regWrap
			w.in(b.env, func() { r = w.registerer(b.e) })
			return r
		}
		if w.env != nil && w.env.cut && w.ctx.params[o] {
			// A helper read past the depth bound: its callers' wrapping is not known.
			return regWrap{prefix: unknown(fmt.Sprintf(boundDepthReason, maxHelperDepth))}
		}
		if w.regVars[o] {
			return regWrap{prefix: known(""), cycle: true}
		}
		if w.ctx.assigned[o] {
			if r, ok := w.sameRegisterer(x, o); ok && !w.ctx.params[o] { // a parameter's value comes from its callers
				return r
			}
			return regWrap{prefix: unknown("the registerer " + x.Name + " is assigned more than once")}
		}
		if init := w.initOfObj(o); init != nil {
			return w.registerer(init)
		}
	case *ast.CallExpr:
		switch {
		case w.isProm(x.Fun, "WrapRegistererWithPrefix") && len(x.Args) == 2:
			inner := w.registerer(x.Args[1])
			inner.prefix = concat(inner.prefix, w.eval(x.Args[0]))
			return inner
		case w.isProm(x.Fun, "WrapRegistererWith") && len(x.Args) == 2:
			inner := w.registerer(x.Args[1])
			ls, ok := w.mapKeys(x.Args[0])
			inner.labels = append(inner.labels, ls...)
			inner.labelsUnknown = inner.labelsUnknown || !ok
			return inner
		}
		if r, ok := w.wrapperCall(x); ok {
			return r
		}
	case *ast.UnaryExpr:
		if x.Op == token.AND {
			if cl, ok := ast.Unparen(x.X).(*ast.CompositeLit); ok {
				return w.holdingRegisterer(cl)
			}
		}
	case *ast.CompositeLit:
		return w.holdingRegisterer(x)
	}
	return none
}

// holdingRegisterer reads a struct literal of the project that holds a registerer (Thanos'
// &UnRegisterer{Registerer: inner}, embedding prometheus.Registerer) as the registerer it
// holds: such a wrapper forwards registrations and adds no prefix of its own. A literal
// with no registerer field, or more than one, wraps nothing.
func (w *goWalker) holdingRegisterer(cl *ast.CompositeLit) regWrap {
	var held ast.Expr
	n := 0
	for _, el := range cl.Elts {
		kv, ok := el.(*ast.KeyValueExpr)
		if !ok {
			continue
		}
		k, ok := kv.Key.(*ast.Ident)
		if !ok || !w.registererField(cl, k) {
			continue
		}
		held = kv.Value
		n++
	}
	if n != 1 {
		return regWrap{prefix: known("")}
	}
	return w.registerer(held)
}

// registererField tells whether a struct literal's key names a field declared
// prometheus.Registerer (else, without type information, an embedded Registerer).
func (w *goWalker) registererField(cl *ast.CompositeLit, k *ast.Ident) bool {
	if o := w.info.Uses[k]; o != nil {
		return w.ctx.regFields[o]
	}
	// A body read by names only records no keys: look the field up in the literal's type.
	var tn types.Object
	switch t := ast.Unparen(cl.Type).(type) {
	case *ast.Ident:
		tn = w.info.Uses[t]
	case *ast.SelectorExpr:
		tn = w.info.Uses[t.Sel]
	}
	if tn != nil {
		if st, ok := tn.Type().Underlying().(*types.Struct); ok {
			for f := range st.Fields() {
				if f.Name() == k.Name {
					return w.ctx.regFields[f]
				}
			}
			return false
		}
	}
	return k.Name == "Registerer"
}

// wrapperCall reads a call of the project's own function that returns a registerer (Thanos'
// extprom.WrapRegistererWithPrefix: a nil check, then return
// prometheus.WrapRegistererWithPrefix(prefix, reg)) as the registerer it returns, its
// parameters bound to the call's arguments. Returns of nil wrap nothing; when the other
// returns wrap differently, the wrapping is unknown.
func (w *goWalker) wrapperCall(x *ast.CallExpr) (regWrap, bool) {
	o := w.ctx.callee(x)
	f := w.ctx.funcs[o]
	if f == nil || w.ctx.assigned[o] {
		return regWrap{}, false
	}
	rs, ok := results(f)
	if !ok || len(rs) == 0 || len(rs) > maxReturns {
		return regWrap{}, false
	}
	env := w.callEnv(f, x)
	var out regWrap
	for i, r := range rs {
		var got regWrap
		w.in(env, func() { got = w.registerer(r) })
		switch {
		case i == 0:
			out = got
		case got.prefix.known() != out.prefix.known() || got.prefix.s != out.prefix.s ||
			!slices.Equal(got.labels, out.labels) || got.labelsUnknown != out.labelsUnknown:
			return regWrap{prefix: unknown(f.name + " returns registerers that wrap differently")}, true
		}
	}
	return out, true
}

// wrap applies a registerer's wrapping to a definition.
func (d *def) wrap(r regWrap) {
	if r.empty() {
		return
	}
	why := d.name.why // an unknown name keeps its own reason; an unknown prefix adds a hole
	d.name = concat(r.prefix, d.name)
	if why != "" {
		d.name.why = why
	}
	d.labels = append(d.labels, r.labels...)
	d.labelsUnknown = d.labelsUnknown || r.labelsUnknown
}

// goUnit is the state of one walk (a file, or a helper body at a call site): the
// definitions held in variables or fields, and the registrations through wrapped
// registerers, matched when the walk ends.
type goUnit struct {
	holders   map[string][]*def
	regs      []unitReg
	inlineReg map[*ast.CallExpr]unitReg
	byCall    map[*ast.CallExpr][]*def // definitions by the constructor call that made them
}

type unitReg struct {
	key      string
	calls    []*ast.CallExpr // and the constructor calls whose metrics a registered collector holds
	wrap     regWrap
	fromCall bool // the wrapping comes from the call site
}

func newUnit() *goUnit {
	return &goUnit{holders: map[string][]*def{}, inlineReg: map[*ast.CallExpr]unitReg{}, byCall: map[*ast.CallExpr][]*def{}}
}

// register records R.MustRegister(m…) / R.Register(m) through a wrapped registerer.
func (w *goWalker) register(c *ast.CallExpr) {
	sel, ok := ast.Unparen(c.Fun).(*ast.SelectorExpr)
	if !ok || (sel.Sel.Name != "MustRegister" && sel.Sel.Name != "Register") {
		return
	}
	h := w.hits
	r := w.registerer(sel.X)
	if r.empty() {
		w.hits = h
		return
	}
	for _, a := range c.Args {
		if inner, ok := ast.Unparen(a).(*ast.CallExpr); ok {
			w.unit.inlineReg[inner] = unitReg{wrap: r, fromCall: w.hits > h}
			continue
		}
		// One registration, read both ways (the variable and the calls it holds), so that a
		// metric reached both ways is wrapped once.
		key, calls := descKey(a), w.heldCalls(a, 0)
		if key != "" || len(calls) > 0 {
			w.unit.regs = append(w.unit.regs, unitReg{key: key, calls: calls, wrap: r, fromCall: w.hits > h})
		}
	}
}

// unregistered tells whether a constructor call makes a metric it does not register itself:
// prometheus.NewGaugeVec(…) or promauto.With(nil).NewGaugeVec(…).
func (w *goWalker) unregistered(c *ast.CallExpr) bool {
	sel, ok := ast.Unparen(c.Fun).(*ast.SelectorExpr)
	if !ok {
		return true // a dot import of prometheus
	}
	if reg, _, ok := w.factory(sel.X); ok {
		return isNil(reg)
	}
	id, ok := sel.X.(*ast.Ident)
	return ok && !w.isPromauto(id)
}

// maxHeldDepth bounds the variables, literals and function results followed from a
// registered collector to the constructor calls that made its metrics.
const maxHeldDepth = 6

// heldCalls returns the constructor calls whose metrics a registered collector value holds:
// Thanos' extprom.NewTxGaugeVec makes its GaugeVec with promauto.With(nil) in a closure f,
// keeps tx := &TxGaugeVec{current: f(), newMetricVal: f}, then registers tx on the
// registerer it is given, so the GaugeVec's name takes that registerer's prefix; so do the
// descriptors a custom collector holds (Mimir's NewTSDBMetrics(r) keeps NewDesc results in
// its struct and calls r.MustRegister(m), and its callers wrap r with a prefix). Followed:
// variables set once, struct literals' fields, calls of the project's functions and
// closures (their return values).
func (w *goWalker) heldCalls(e ast.Expr, depth int) []*ast.CallExpr {
	if depth > maxHeldDepth {
		return nil
	}
	e = ast.Unparen(e)
	if u, ok := e.(*ast.UnaryExpr); ok && u.Op == token.AND {
		e = ast.Unparen(u.X)
	}
	switch x := e.(type) {
	case *ast.Ident:
		if init := w.initOf(x); init != nil {
			return w.heldCalls(init, depth+1)
		}
	case *ast.CompositeLit:
		var out []*ast.CallExpr
		for _, el := range x.Elts {
			if kv, ok := el.(*ast.KeyValueExpr); ok {
				el = kv.Value
			}
			out = append(out, w.heldCalls(el, depth+1)...)
		}
		return out
	case *ast.CallExpr:
		if typ, ok := goConstructors[calleeName(x)]; ok && typ != "" && w.isConstructorCall(x) {
			if !w.unregistered(x) {
				return nil // registered where it is made: that registerer names it
			}
			return []*ast.CallExpr{x}
		}
		if calleeName(x) == "NewDesc" && w.isProm(x.Fun, "NewDesc") {
			return []*ast.CallExpr{x} // a collector's descriptor: the wrapping registerer renames it
		}
		f := w.ctx.funcs[w.ctx.callee(x)]
		if f == nil {
			return nil
		}
		rs, ok := results(f)
		if !ok || len(rs) > maxReturns {
			return nil
		}
		var out []*ast.CallExpr
		for _, r := range rs {
			out = append(out, w.heldCalls(r, depth+1)...)
		}
		return out
	}
	return nil
}

// applyRegs prefixes the definitions registered through wrapped registerers in this unit.
func (w *goWalker) applyRegs() {
	for _, r := range w.unit.regs {
		var ds []*def
		if r.key != "" {
			ds = append(ds, w.unit.holders[r.key]...)
		}
		for _, c := range r.calls {
			for _, d := range w.unit.byCall[c] {
				if !slices.Contains(ds, d) {
					ds = append(ds, d)
				}
			}
		}
		for _, d := range ds {
			d.wrap(r.wrap)
			w.fromCall[d] = w.fromCall[d] || r.fromCall
		}
	}
}

func (w *goWalker) enter() bool {
	w.depth++
	return w.depth <= maxEvalDepth
}

func (w *goWalker) leave() { w.depth-- }

// dedupUnresolved drops repeated unresolved definitions (a recursive helper reports its
// bound once per level).
func dedupUnresolved(ds []*def) []*def {
	type key struct {
		at             int
		name, typ, why string
	}
	seen := map[key]bool{}
	out := ds[:0]
	for _, d := range ds {
		if !d.name.known() {
			k := key{d.at, d.name.s, d.typ, d.name.why}
			if seen[k] {
				continue
			}
			seen[k] = true
		}
		out = append(out, d)
	}
	return out
}

// mergeDefs joins the definitions of one file read for several OSes, without repeats.
func mergeDefs(a, b []*def) []*def {
	type key struct {
		at        int
		name, typ string
	}
	seen := map[key]bool{}
	for _, d := range a {
		seen[key{d.at, d.name.s, d.typ}] = true
	}
	for _, d := range b {
		if k := (key{d.at, d.name.s, d.typ}); !seen[k] {
			seen[k] = true
			a = append(a, d)
		}
	}
	return a
}

// bindParams binds a function's parameters to the arguments of a call.
func bindParams(w *goWalker, f *goFunc, call *ast.CallExpr, env *goEnv) {
	if f.typ.Params == nil {
		return
	}
	i := 0
	for _, fld := range f.typ.Params.List {
		_, variadic := fld.Type.(*ast.Ellipsis)
		if len(fld.Names) == 0 {
			i++
			continue
		}
		for _, id := range fld.Names {
			if o := w.ctx.info.Defs[id]; o != nil && i < len(call.Args) && !variadic {
				if then, ok := paramAppends(w.ctx.info, f.body, o); ok {
					env.vars[o] = binding{e: call.Args[i], env: w.env, at: w.at(call.Args[i]), then: then}
				}
			}
			i++
		}
	}
}

// paramAppends reads how a function body changes its parameter o: not at all (nil, true);
// only by appending to it before any other statement mentions it (NewShowListsMetrics(
// subsystem string) { subsystem += "_lists"; … }: the appended values, true); or otherwise
// (o = …, o += … after a use, &o, a change inside a branch or a closure: nil, false), when
// the argument of the call is no longer the value the body reads, and binding it would give
// a wrong name (CloudNativePG's pgbouncer metrics lost their "_lists" subsystem).
func paramAppends(info *types.Info, body *ast.BlockStmt, o types.Object) ([]ast.Expr, bool) {
	if body == nil {
		return nil, true
	}
	is := func(e ast.Expr) bool {
		id, ok := ast.Unparen(e).(*ast.Ident)
		return ok && info.Uses[id] == o
	}
	mentions := func(n ast.Node) bool {
		found := false
		ast.Inspect(n, func(n ast.Node) bool {
			if id, ok := n.(*ast.Ident); ok && info.Uses[id] == o {
				found = true
			}
			return !found
		})
		return found
	}
	changes := func(n ast.Node) bool {
		changed := false
		ast.Inspect(n, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.AssignStmt:
				changed = changed || slices.ContainsFunc(n.Lhs, is)
			case *ast.IncDecStmt:
				changed = changed || is(n.X)
			case *ast.UnaryExpr:
				changed = changed || n.Op == token.AND && is(n.X)
			}
			return !changed
		})
		return changed
	}
	var then []ast.Expr
	leading := true
	for _, st := range body.List {
		if as, ok := st.(*ast.AssignStmt); ok && leading && as.Tok == token.ADD_ASSIGN && len(as.Lhs) == 1 && len(as.Rhs) == 1 && is(as.Lhs[0]) && !mentions(as.Rhs[0]) {
			then = append(then, as.Rhs[0])
			continue
		}
		if changes(st) {
			return nil, false
		}
		leading = leading && !mentions(st)
	}
	return then, true
}

// sameRegisterer reads a registerer variable assigned more than once in its file (var r
// prometheus.Registerer = nil; if … { r = o.Registry }): when every value assigned to that
// name wraps the same way (nil and plain registerers do not wrap), that is the wrapping;
// when they add the same prefix but other labels, the prefix with the labels unknown.
func (w *goWalker) sameRegisterer(x *ast.Ident, o types.Object) (regWrap, bool) {
	vals := w.ctx.alternatives(o)
	if vals == nil {
		vals = w.namedValues(x)
	}
	if len(vals) == 0 || len(vals) > 8 {
		return regWrap{}, false
	}
	if o != nil {
		w.regVars[o] = true
		defer delete(w.regVars, o)
	}
	var first regWrap
	seen, labelsDiffer := false, false
	for _, v := range vals {
		if id, ok := ast.Unparen(v).(*ast.Ident); ok && id.Name == x.Name {
			return regWrap{}, false // r = r: a loop the walker does not follow
		}
		r := w.registerer(v)
		if !r.prefix.known() || r.labelsUnknown {
			return regWrap{}, false
		}
		if r.cycle {
			if r.prefix.s != "" || len(r.labels) > 0 {
				return regWrap{}, false // each assignment wraps it once more
			}
			continue // the variable's other value, passed through a wrapper that adds nothing
		}
		switch {
		case !seen:
			first, seen = r, true
		case r.prefix.s != first.prefix.s:
			return regWrap{}, false
		case !slices.Equal(r.labels, first.labels):
			// The same prefix with other labels (r := reg; if … { r = WrapRegistererWith(
			// Labels{"write_compartment": "0"}, reg) }, Mimir's block builder): the names are
			// known, the wrapper's labels are not.
			labelsDiffer = true
		}
	}
	if labelsDiffer {
		first.labels, first.labelsUnknown = nil, true
	}
	return first, seen
}

// namedValues returns the values assigned to a name in the file the variable is declared
// in (the walked file, or the helper's when its body is read at a call site).
func (w *goWalker) namedValues(x *ast.Ident) []ast.Expr {
	g := w.g
	if w.env != nil && w.env.fn != nil && w.env.fn.g != nil {
		g = w.env.fn.g
	}
	if g == nil || g.ast == nil {
		return nil
	}
	var vals []ast.Expr
	ast.Inspect(g.ast, func(n ast.Node) bool {
		switch s := n.(type) {
		case *ast.AssignStmt:
			if len(s.Lhs) != len(s.Rhs) {
				return true
			}
			for i, l := range s.Lhs {
				if id, ok := l.(*ast.Ident); ok && id.Name == x.Name {
					vals = append(vals, s.Rhs[i])
				}
			}
		case *ast.ValueSpec:
			for i, id := range s.Names {
				if id.Name == x.Name && i < len(s.Values) {
					vals = append(vals, s.Values[i])
				}
			}
		}
		return true
	})
	return vals
}
