package source

import (
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/driftlint/driftlint/lint"
)

// Import paths of the Go client library.
const (
	promPath     = "github.com/prometheus/client_golang/prometheus"
	promautoPath = "github.com/prometheus/client_golang/prometheus/promauto"
)

// goConstructors maps client_golang's metric constructors to the type they make.
var goConstructors = map[string]string{
	"NewCounter": "counter", "NewCounterVec": "counter", "NewCounterFunc": "counter",
	"NewGauge": "gauge", "NewGaugeVec": "gauge", "NewGaugeFunc": "gauge",
	"NewHistogram": "histogram", "NewHistogramVec": "histogram",
	"NewSummary": "summary", "NewSummaryVec": "summary",
	"NewUntypedFunc": "untyped",
}

// goOptsTypes are client_golang's option struct types.
var goOptsTypes = map[string]bool{
	"Opts": true, "CounterOpts": true, "GaugeOpts": true, "HistogramOpts": true, "SummaryOpts": true, "UntypedOpts": true,
	"CounterVecOpts": true, "GaugeVecOpts": true, "HistogramVecOpts": true, "SummaryVecOpts": true,
}

// goConstMetrics maps the functions that send a custom collector's metric to the type they
// give its descriptor; "" means the type is the ValueType argument.
var goConstMetrics = map[string]string{
	"MustNewConstMetric": "", "NewConstMetric": "",
	"MustNewConstMetricWithCreatedTimestamp": "", "NewConstMetricWithCreatedTimestamp": "",
	"MustNewConstHistogram": "histogram", "NewConstHistogram": "histogram",
	"MustNewConstHistogramWithCreatedTimestamp": "histogram", "NewConstHistogramWithCreatedTimestamp": "histogram",
	"MustNewConstNativeHistogram": "histogram", "NewConstNativeHistogram": "histogram",
	"MustNewConstSummary": "summary", "NewConstSummary": "summary",
	"MustNewConstSummaryWithCreatedTimestamp": "summary", "NewConstSummaryWithCreatedTimestamp": "summary",
}

// goValueTypes maps prometheus.ValueType constants to types.
var goValueTypes = map[string]string{"CounterValue": "counter", "GaugeValue": "gauge", "UntypedValue": "untyped"}

const (
	absentLabelled    = "it has labels, and the client exports no series until a label set is used"
	absentCollector   = "a custom collector exports it only when its Collect sends it"
	absentConditional = "it is defined inside a condition or a loop"
)

// goFile is one Go file of the sources set.
type goFile struct {
	src     *lint.SourceFile
	idx     int // index in loadGo's argument
	ast     *ast.File
	tok     *token.File
	res     Result
	pkgN    string
	imports []string
	oses    []bool // builds for goOSes[k]
	metrics bool   // mentions client_golang or holds exposition text
	defs    []*def
	walked  bool
}

// goWalker finds the definitions of one file.
type goWalker struct {
	g        *goFile
	ctx      *goCtx
	info     *types.Info
	prom     map[string]bool // local names of the prometheus package
	promauto map[string]bool
	fmtPkg   map[string]bool
	dotProm  bool

	defs      []*def
	descs     map[string][]*def // NewDesc definitions by the variable or field that holds them
	inline    map[*ast.CallExpr][]*def
	inlineTyp map[*ast.CallExpr]string // NewDesc calls written inside the call that sends them
	descTypes map[string]string        // descriptor key → type from the Must… calls ("" = conflicting)
	chained   map[*ast.BasicLit]bool
	texts     []textLit

	env          *goEnv  // nil in the walked file; set in a helper body evaluated at a call site
	unit         *goUnit // registrations of the current walk
	expansions   int
	depth        int
	selfWrapping map[types.Object]bool
	regVars      map[types.Object]bool // registerer variables whose values are being compared
	hits         int                   // parameter bindings read so far
	fromCall     map[*def]bool         // definitions that depend on the call site of the helper read
	ownAt        map[*def]ownPos
	ext          map[*goFile][]*def // definitions of helpers of other files (or this one)
	// Variables holding one of several constants (golang_alts.go): forks met while reading
	// a definition, the values pinned while it is read once per alternative.
	forks   []fork
	pinned  map[types.Object]value
	forking int
}

func newWalker(g *goFile, ctx *goCtx) *goWalker {
	w := &goWalker{
		g: g, ctx: ctx, info: ctx.info, prom: map[string]bool{}, promauto: map[string]bool{}, fmtPkg: map[string]bool{},
		descs: map[string][]*def{}, inline: map[*ast.CallExpr][]*def{}, inlineTyp: map[*ast.CallExpr]string{}, descTypes: map[string]string{},
		chained: map[*ast.BasicLit]bool{}, unit: newUnit(), selfWrapping: map[types.Object]bool{}, regVars: map[types.Object]bool{}, fromCall: map[*def]bool{}, ownAt: map[*def]ownPos{}, ext: map[*goFile][]*def{},
		pinned: map[types.Object]value{},
	}
	for _, im := range g.ast.Imports {
		p, err := strconv.Unquote(im.Path.Value)
		if err != nil {
			continue
		}
		local := p[strings.LastIndexByte(p, '/')+1:]
		if im.Name != nil {
			local = im.Name.Name
		}
		switch p {
		case promPath:
			if local == "." {
				w.dotProm = true
			}
			w.prom[local] = true
		case promautoPath:
			w.promauto[local] = true
		case "fmt":
			w.fmtPkg[local] = true
		}
	}
	return w
}

// walkGo returns the definitions of a file, and those it found in helpers of other files
// that do not depend on the call (by file).
func walkGo(g *goFile, ctx *goCtx) (defs []*def, ext map[*goFile][]*def) {
	w := newWalker(g, ctx)
	defer func() {
		if v := recover(); v != nil {
			defs, ext = nil, nil
			g.res.Problems = append(g.res.Problems, lint.ParseProblem{At: lint.Pos{File: g.src.Path}, Message: fmt.Sprintf("could not read the metric definitions: %v", v)})
		}
	}()
	var stack []ast.Node
	ast.Inspect(g.ast, func(n ast.Node) bool {
		if n == nil {
			stack = stack[:len(stack)-1]
			return true
		}
		switch b := n.(type) {
		case *ast.FuncDecl:
			if b.Body != nil && ctx.helpers[b.Body] {
				return false // read at each call site
			}
		case *ast.FuncLit:
			if ctx.helpers[b.Body] {
				return false
			}
		}
		if !w.visit(n, stack) {
			return false
		}
		stack = append(stack, n)
		return true
	})
	w.applyRegs()
	// Custom collectors: a descriptor takes the type of the calls that send it.
	for key, ds := range w.descs {
		for _, d := range ds {
			dt := w.descTypes
			if o, ok := w.ownAt[d]; ok && o.g != g {
				dt = ctx.descTypes[o.g] // made in a helper of another file: typed by the Collect there
			}
			if t, ok := dt[key]; ok && t != "" {
				d.typ = t
			}
		}
	}
	for c, t := range w.inlineTyp {
		for _, d := range w.inline[c] {
			d.typ = t
		}
	}
	w.defs = append(w.defs, scanText(w.texts)...)
	return w.defs, w.ext
}

// rootIdent is the variable an assignment target or address belongs to: x of x, x.f, x[i].
func rootIdent(e ast.Expr) *ast.Ident {
	for {
		switch x := e.(type) {
		case *ast.Ident:
			return x
		case *ast.SelectorExpr:
			e = x.X
		case *ast.IndexExpr:
			e = x.X
		case *ast.ParenExpr:
			e = x.X
		case *ast.StarExpr:
			e = x.X
		default:
			return nil
		}
	}
}

func (w *goWalker) off(p token.Pos) int {
	if !p.IsValid() || w.g.tok == nil {
		return 0
	}
	return min(max(w.g.tok.Offset(p), 0), len(w.g.src.Src))
}

// pkgSel returns the package local name and selected name of pkg.Sel, or "".
func pkgSel(e ast.Expr) (pkg, sel string) {
	s, ok := e.(*ast.SelectorExpr)
	if !ok {
		return "", ""
	}
	id, ok := s.X.(*ast.Ident)
	if !ok {
		return "", s.Sel.Name
	}
	return id.Name, s.Sel.Name
}

// isProm reports whether e is prometheus.Name (or Name under a dot import).
func (w *goWalker) isProm(e ast.Expr, name string) bool {
	return w.isPkg(e, promPath, w.prom, name)
}

// isPkg reports whether e is pkg.Name of the package with the import path ip: by the
// package object the type check gave the selector, else by the file's import names.
func (w *goWalker) isPkg(e ast.Expr, ip string, locals map[string]bool, name string) bool {
	if id, ok := e.(*ast.Ident); ok {
		return ip == promPath && w.dotProm && id.Name == name
	}
	s, ok := e.(*ast.SelectorExpr)
	if !ok || s.Sel.Name != name {
		return false
	}
	id, ok := s.X.(*ast.Ident)
	if !ok {
		return false
	}
	if pn, ok := w.info.Uses[id].(*types.PkgName); ok {
		return pn.Imported().Path() == ip
	}
	return locals[id.Name]
}

// isPromauto reports whether e names the promauto package.
func (w *goWalker) isPromauto(id *ast.Ident) bool {
	if pn, ok := w.info.Uses[id].(*types.PkgName); ok {
		return pn.Imported().Path() == promautoPath
	}
	return w.promauto[id.Name]
}

// factory returns the registerer of a promauto.With(reg) call, or the call a variable set
// once to one holds (f := promauto.With(reg)), with the environment to read it in; ok is
// false for other expressions.
func (w *goWalker) factory(e ast.Expr) (reg ast.Expr, env *goEnv, ok bool) {
	env = w.env
	var x *ast.CallExpr
	switch v := ast.Unparen(e).(type) {
	case *ast.CallExpr:
		x = v
	case *ast.Ident:
		if b, bok := w.bound(v); bok {
			w.in(b.env, func() { reg, env, ok = w.factory(b.e) })
			return reg, env, ok
		}
		init := w.initOf(v)
		if init == nil {
			return nil, nil, false
		}
		x, _ = ast.Unparen(init).(*ast.CallExpr)
	}
	if x == nil || len(x.Args) != 1 {
		return nil, nil, false
	}
	if s, sok := x.Fun.(*ast.SelectorExpr); sok && s.Sel.Name == "With" {
		if id, iok := s.X.(*ast.Ident); iok && w.isPromauto(id) {
			return x.Args[0], env, true
		}
	}
	return nil, nil, false
}

// calleeName returns the selected or plain name a call calls.
func calleeName(c *ast.CallExpr) string {
	switch f := c.Fun.(type) {
	case *ast.SelectorExpr:
		return f.Sel.Name
	case *ast.Ident:
		return f.Name
	case *ast.IndexExpr: // generic instantiation
		if id, ok := f.X.(*ast.Ident); ok {
			return id.Name
		}
	}
	return ""
}

func (w *goWalker) visit(n ast.Node, stack []ast.Node) bool {
	switch n := n.(type) {
	case *ast.CallExpr:
		return w.call(n, stack)
	case *ast.BinaryExpr:
		if n.Op == token.ADD {
			if len(stack) > 0 {
				if p, ok := stack[len(stack)-1].(*ast.BinaryExpr); ok && p.Op == token.ADD {
					return true // inside a chain already read
				}
			}
			w.chain(n, stack)
		}
	case *ast.BasicLit:
		if n.Kind != token.STRING || w.chained[n] {
			return true
		}
		l := w.goLit(n)
		if len(stack) > 0 {
			if c, ok := stack[len(stack)-1].(*ast.CallExpr); ok && w.isFormatArg(c, n) {
				l = l.format(printfVerbs)
			}
		}
		w.texts = append(w.texts, textLit{l: l, mayBeAbsent: conditional(stack)})
	}
	return true
}

// isFormatArg reports whether lit is the format argument of a fmt.*printf call.
func (w *goWalker) isFormatArg(c *ast.CallExpr, l ast.Expr) bool {
	p, s := pkgSel(c.Fun)
	if !w.fmtPkg[p] {
		return false
	}
	i := -1
	switch s {
	case "Sprintf", "Printf", "Errorf":
		i = 0
	case "Fprintf", "Appendf":
		i = 1
	}
	return i >= 0 && i < len(c.Args) && c.Args[i] == l
}

// chain reads a + concatenation of strings as one text, for exposition text built that way.
func (w *goWalker) chain(b *ast.BinaryExpr, stack []ast.Node) {
	var parts []ast.Expr
	var flatten func(e ast.Expr)
	flatten = func(e ast.Expr) {
		if x, ok := e.(*ast.BinaryExpr); ok && x.Op == token.ADD {
			flatten(x.X)
			flatten(x.Y)
			return
		}
		parts = append(parts, e)
	}
	flatten(b)
	var ls []lit
	text := false
	for _, p := range parts {
		if bl, ok := p.(*ast.BasicLit); ok && bl.Kind == token.STRING {
			w.chained[bl] = true
			ls = append(ls, w.goLit(bl))
			text = true
			continue
		}
		v := w.eval(p)
		if v.known() {
			offs := make([]int, len(v.s)+1)
			for i := range offs {
				offs[i] = w.off(p.Pos())
			}
			ls = append(ls, lit{s: v.s, offs: offs})
		} else {
			ls = append(ls, holeAt(w.off(p.Pos())))
		}
	}
	if text {
		w.texts = append(w.texts, textLit{l: join(ls...), mayBeAbsent: conditional(stack)})
	}
}

// conditional says whether a node under stack runs only under a condition or in a loop.
func conditional(stack []ast.Node) string {
	for _, n := range stack {
		switch n.(type) {
		case *ast.IfStmt, *ast.SwitchStmt, *ast.TypeSwitchStmt, *ast.SelectStmt, *ast.ForStmt, *ast.RangeStmt:
			return absentConditional
		}
	}
	return ""
}

// call handles a call that may define a metric, give a descriptor its type, register
// through a wrapped registerer or call a helper; it returns false when the call's arguments
// are read already.
func (w *goWalker) call(c *ast.CallExpr, stack []ast.Node) bool {
	name := calleeName(c)
	if typ, ok := goConstructors[name]; ok && w.isConstructorCall(c) {
		w.constructor(c, name, typ, stack)
		return true
	}
	if name == "NewDesc" && w.isProm(c.Fun, "NewDesc") {
		w.newDesc(c, stack)
		return true
	}
	if f := w.ctx.funcs[w.ctx.callee(c)]; f != nil && w.ctx.helpers[f.body] {
		w.expand(c, f, stack)
		return true
	}
	w.register(c)
	w.constMetric(c, name)
	w.library(c)
	return true
}

// library records the registerers a call hands to a function of a package outside the
// sources (a library), wrapped with a prefix: an argument, or a field of a composite-literal
// argument (notifier.NewManager(&notifier.Options{Registerer: WrapRegistererWithPrefix(
// "cortex_", reg)})). The library registers its own metrics through it; see
// lint.CodeFacts.Libraries. Packages outside the set are not type-checked, so the callee is
// known by its package name and the registerer by its shape: a Wrap… call or a variable.
func (w *goWalker) library(c *ast.CallExpr) {
	sel, ok := c.Fun.(*ast.SelectorExpr)
	if !ok {
		return
	}
	id, ok := sel.X.(*ast.Ident)
	if !ok {
		return
	}
	pn, ok := w.info.Uses[id].(*types.PkgName)
	if !ok {
		return
	}
	ip := pn.Imported().Path()
	if host, _, _ := strings.Cut(ip, "/"); !strings.Contains(host, ".") {
		return // the standard library (fmt, errors, …) registers nothing
	}
	if strings.HasPrefix(ip, "github.com/prometheus/client_golang/") || w.ctx.s.fakes[ip] != pn.Imported() {
		return // the client library itself, or a package of the set (read where it is)
	}
	var args []ast.Expr
	for _, a := range c.Args {
		a = ast.Unparen(a)
		if u, ok := a.(*ast.UnaryExpr); ok && u.Op == token.AND {
			a = ast.Unparen(u.X)
		}
		if cl, ok := a.(*ast.CompositeLit); ok {
			for _, el := range cl.Elts {
				if kv, ok := el.(*ast.KeyValueExpr); ok {
					args = append(args, ast.Unparen(kv.Value))
				}
			}
			continue
		}
		args = append(args, a)
	}
	for _, a := range args {
		switch x := a.(type) {
		case *ast.Ident:
		case *ast.CallExpr:
			if !w.isProm(x.Fun, "WrapRegistererWithPrefix") && !w.isProm(x.Fun, "WrapRegistererWith") {
				continue
			}
		default:
			continue
		}
		r := w.registerer(a)
		if !r.prefix.known() || r.prefix.s == "" {
			continue
		}
		w.defs = append(w.defs, &def{name: r.prefix, at: w.at(c), labels: r.labels, labelsUnknown: r.labelsUnknown, via: id.Name + "." + sel.Sel.Name, library: true})
	}
}

// constMetric records the type a MustNewConstMetric/NewConstMetric/…Histogram/…Summary call
// gives the descriptor it sends.
func (w *goWalker) constMetric(c *ast.CallExpr, name string) {
	if typ, ok := goConstMetrics[name]; ok && w.isProm(c.Fun, name) && len(c.Args) > 0 {
		if typ == "" && len(c.Args) > 1 {
			if _, vt := pkgSel(c.Args[1]); vt != "" && w.isProm(c.Args[1], vt) {
				typ = goValueTypes[vt]
			} else if id, ok := c.Args[1].(*ast.Ident); ok && w.dotProm {
				typ = goValueTypes[id.Name]
			}
		}
		if typ == "" {
			return
		}
		if inner, ok := ast.Unparen(c.Args[0]).(*ast.CallExpr); ok {
			w.inlineTyp[inner] = typ // the inner NewDesc is visited after this call
			return
		}
		if key := descKey(c.Args[0]); key != "" {
			if t, seen := w.descTypes[key]; seen && t != typ {
				w.descTypes[key] = ""
			} else {
				w.descTypes[key] = typ
			}
		}
	}
}

// isConstructorCall reports whether a New… call is client_golang's: through the prometheus
// or promauto package, promauto.With(…), prometheus.V2, or any value (a promauto.Factory)
// when its options are a client_golang options literal.
func (w *goWalker) isConstructorCall(c *ast.CallExpr) bool {
	sel, ok := c.Fun.(*ast.SelectorExpr)
	if !ok {
		id, ok := c.Fun.(*ast.Ident)
		return ok && w.dotProm && goConstructors[id.Name] != ""
	}
	if _, _, ok := w.factory(sel.X); ok {
		return true
	}
	switch x := sel.X.(type) {
	case *ast.Ident:
		if pn, ok := w.info.Uses[x].(*types.PkgName); ok {
			if p := pn.Imported().Path(); p == promPath || p == promautoPath {
				return true
			}
		} else if w.prom[x.Name] || w.promauto[x.Name] {
			return true
		}
	case *ast.SelectorExpr:
		if p, s := pkgSel(x); s == "V2" && w.prom[p] {
			return true
		}
	}
	if len(c.Args) == 0 {
		return false
	}
	e := ast.Unparen(c.Args[0])
	if u, ok := e.(*ast.UnaryExpr); ok && u.Op == token.AND {
		e = u.X
	}
	cl, ok := e.(*ast.CompositeLit)
	if !ok {
		return false
	}
	p, s := pkgSel(cl.Type)
	return goOptsTypes[s] && w.prom[p]
}

// via names a constructor call for messages: promauto.NewCounterVec.
func (w *goWalker) via(c *ast.CallExpr, name string) string {
	if sel, ok := c.Fun.(*ast.SelectorExpr); ok {
		if _, _, ok := w.factory(sel.X); ok {
			return "promauto.With(…)." + name
		}
		switch x := sel.X.(type) {
		case *ast.Ident:
			if w.promauto[x.Name] {
				return "promauto." + name
			}
		case *ast.CallExpr:
			return "promauto.With(…)." + name
		case *ast.SelectorExpr:
			if x.Sel.Name != "V2" {
				return "promauto.With(…)." + name
			}
			if x.Sel.Name == "V2" {
				return "prometheus.V2." + name
			}
		}
	}
	return "prometheus." + name
}

// goOpts are the fields of a client_golang options literal.
type goOpts struct {
	ns, sub, name value
	nameAt        int
	help          string
	labels        []string // const labels, and the V2 variable labels
	labelsUnknown bool
	varLabels     bool // the V2 options gave the variable labels
	native        bool // HistogramOpts.NativeHistogramBucketFactor is set (not 0)
}

// constructor reads a constructor call, once per alternative of the variables it depends on.
func (w *goWalker) constructor(c *ast.CallExpr, name, typ string, stack []ast.Node) {
	w.alternated(func() { w.constructor1(c, name, typ, stack) })
}

func (w *goWalker) constructor1(c *ast.CallExpr, name, typ string, stack []ast.Node) {
	d := &def{typ: typ, via: w.via(c, name), at: w.at(c)}
	if len(c.Args) > 0 {
		w.setOwn(d, c.Args[0])
	} else {
		w.setOwn(d, c)
	}
	h0 := w.hits
	defer func() { w.fromCall[d] = w.hits > h0 }()
	if w.env != nil && w.env.absent != "" {
		d.mayBeAbsent = w.env.absent
	}
	if len(c.Args) == 0 {
		d.name = unknown("the constructor has no options")
		w.defs = append(w.defs, d)
		return
	}
	d.at = w.at(c.Args[0])
	o, ok := w.opts(c.Args[0])
	if !ok {
		d.name = unknown("the options are not a literal the code shows")
		w.defs = append(w.defs, d)
		return
	}
	d.name = fqName(o.ns, o.sub, o.name)
	if d.name.known() && d.name.s == "" {
		return // no name: client_golang rejects it
	}
	d.at, d.help, d.labels, d.labelsUnknown, d.native = o.nameAt, o.help, o.labels, o.labelsUnknown, o.native
	if strings.HasSuffix(name, "Vec") {
		d.mayBeAbsent = absentLabelled
		if !o.varLabels {
			if len(c.Args) < 2 {
				d.labelsUnknown = true
			} else {
				ls, ok := w.stringList(c.Args[1])
				d.labels = append(d.labels, ls...)
				d.labelsUnknown = d.labelsUnknown || !ok
			}
		}
	}
	if a := conditional(stack); a != "" && d.mayBeAbsent == "" {
		d.mayBeAbsent = a
	}
	if sel, ok := c.Fun.(*ast.SelectorExpr); ok {
		h := w.hits
		if reg, env, ok := w.factory(sel.X); ok {
			var r regWrap
			w.in(env, func() { r = w.registerer(reg) })
			d.wrap(r)
			if r.empty() {
				w.hits = h // an unwrapped registerer passed in changes nothing
			}
		} else {
			w.hits = h
		}
	}
	if r, ok := w.unit.inlineReg[c]; ok {
		d.wrap(r.wrap)
		if r.fromCall {
			w.hits++
		}
	}
	if key := w.holderKey(c, stack); key != "" {
		w.unit.holders[key] = append(w.unit.holders[key], d)
		d.holder = key
	}
	w.unit.byCall[c] = append(w.unit.byCall[c], d)
	w.noteHolder(d, c, name, stack)
	w.defs = append(w.defs, d)
}

// opts reads an options literal (possibly &T{…}, or a variable holding one).
func (w *goWalker) opts(e ast.Expr) (goOpts, bool) {
	e = ast.Unparen(e)
	if u, ok := e.(*ast.UnaryExpr); ok && u.Op == token.AND {
		e = ast.Unparen(u.X)
	}
	if id, ok := e.(*ast.Ident); ok {
		if b, ok := w.bound(id); ok {
			var o goOpts
			w.in(b.env, func() { o, ok = w.opts(b.e) })
			if ok && w.env != nil {
				o.nameAt = b.at
				w.fieldAssigns(id.Name, &o)
			}
			return o, ok
		}
		if init := w.initOf(id); init != nil {
			return w.opts(init)
		}
		return goOpts{}, false
	}
	if call, ok := e.(*ast.CallExpr); ok {
		return w.optsCall(call)
	}
	cl, ok := e.(*ast.CompositeLit)
	if !ok {
		return goOpts{}, false
	}
	o := goOpts{ns: known(""), sub: known(""), name: known(""), nameAt: w.at(cl)}
	for _, el := range cl.Elts {
		kv, ok := el.(*ast.KeyValueExpr)
		if !ok {
			return goOpts{}, false // positional fields
		}
		key, ok := kv.Key.(*ast.Ident)
		if !ok {
			continue
		}
		switch key.Name {
		case "Namespace":
			o.ns = w.eval(kv.Value)
		case "Subsystem":
			o.sub = w.eval(kv.Value)
		case "Name":
			o.name = w.eval(kv.Value)
			o.nameAt = w.at(kv.Value)
		case "Help":
			if v := w.eval(kv.Value); v.known() {
				o.help = v.s
			}
		case "ConstLabels":
			ls, ok := w.mapKeys(kv.Value)
			o.labels = append(o.labels, ls...)
			o.labelsUnknown = o.labelsUnknown || !ok
		case "CounterOpts", "GaugeOpts", "HistogramOpts", "SummaryOpts":
			inner, ok := w.opts(kv.Value)
			if !ok {
				return goOpts{}, false
			}
			inner.labels = append(inner.labels, o.labels...)
			inner.labelsUnknown = inner.labelsUnknown || o.labelsUnknown
			inner.varLabels = o.varLabels
			inner.native = inner.native || o.native
			o = inner
		case "NativeHistogramBucketFactor":
			lit, isLit := ast.Unparen(kv.Value).(*ast.BasicLit)
			o.native = !isLit || strings.Trim(lit.Value, "0.") != ""
		case "VariableLabels":
			o.varLabels = true
			ls, ok := w.variableLabels(kv.Value)
			o.labels = append(o.labels, ls...)
			o.labelsUnknown = o.labelsUnknown || !ok
		}
	}
	return o, true
}

// initOf returns the one initial value of a variable that is never assigned again.
func (w *goWalker) initOf(id *ast.Ident) ast.Expr {
	return w.initOfObj(w.info.Uses[id])
}

func (w *goWalker) initOfObj(o types.Object) ast.Expr {
	if o == nil || w.ctx.assigned[o] {
		return nil
	}
	if _, ok := o.(*types.Var); !ok {
		return nil
	}
	return w.ctx.inits[o]
}

// variableLabels reads V2 VariableLabels: UnconstrainedLabels{…} or ConstrainedLabels{{Name: …}}.
func (w *goWalker) variableLabels(e ast.Expr) ([]string, bool) {
	cl, ok := ast.Unparen(e).(*ast.CompositeLit)
	if !ok {
		return nil, isNil(e)
	}
	if _, s := pkgSel(cl.Type); s == "ConstrainedLabels" {
		var out []string
		all := true
		for _, el := range cl.Elts {
			inner, ok := el.(*ast.CompositeLit)
			if !ok {
				all = false
				continue
			}
			found := false
			for _, f := range inner.Elts {
				if kv, ok := f.(*ast.KeyValueExpr); ok {
					if k, ok := kv.Key.(*ast.Ident); ok && k.Name == "Name" {
						if v := w.eval(kv.Value); v.known() {
							out = append(out, v.s)
							found = true
						}
					}
				}
			}
			all = all && found
		}
		return out, all
	}
	return w.stringList(cl)
}

// literal follows parentheses and variables set once to the composite literal e stands for;
// null reports a nil (a valid, empty value).
func (w *goWalker) literal(e ast.Expr) (cl *ast.CompositeLit, null, ok bool) {
	e = ast.Unparen(e)
	if isNil(e) {
		return nil, true, false
	}
	if id, isID := e.(*ast.Ident); isID {
		if b, bok := w.bound(id); bok {
			w.in(b.env, func() { cl, null, ok = w.literal(b.e) })
			return cl, null, ok
		}
		if init := w.initOf(id); init != nil {
			return w.literal(init)
		}
		return nil, false, false
	}
	cl, ok = e.(*ast.CompositeLit)
	return cl, false, ok
}

// stringList reads a []string literal (or nil, a variable holding one, or an append to
// one).
func (w *goWalker) stringList(e ast.Expr) ([]string, bool) {
	if !w.enter() {
		return nil, false
	}
	defer w.leave()
	if c, isCall := ast.Unparen(e).(*ast.CallExpr); isCall {
		return w.appendList(c)
	}
	if id, isID := ast.Unparen(e).(*ast.Ident); isID {
		if b, bok := w.bound(id); bok {
			var out []string
			var all bool
			w.in(b.env, func() { out, all = w.stringList(b.e) })
			return out, all
		}
		if init := w.initOf(id); init != nil {
			return w.stringList(init)
		}
	}
	cl, null, ok := w.literal(e)
	if null || !ok {
		return nil, null
	}
	var out []string
	all := true
	for _, el := range cl.Elts {
		if kv, ok := el.(*ast.KeyValueExpr); ok {
			el = kv.Value
		}
		if v := w.eval(el); v.known() {
			out = append(out, v.s)
		} else {
			all = false
		}
	}
	return out, all
}

// mapKeys reads the keys of a prometheus.Labels or map[string]string literal (or nil).
func (w *goWalker) mapKeys(e ast.Expr) ([]string, bool) {
	cl, null, ok := w.literal(e)
	if null || !ok {
		return nil, null
	}
	var out []string
	all := true
	for _, el := range cl.Elts {
		kv, ok := el.(*ast.KeyValueExpr)
		if !ok {
			all = false
			continue
		}
		if v := w.eval(kv.Key); v.known() {
			out = append(out, v.s)
		} else {
			all = false
		}
	}
	return out, all
}

func isNil(e ast.Expr) bool {
	id, ok := ast.Unparen(e).(*ast.Ident)
	return ok && id.Name == "nil"
}

// newDesc reads prometheus.NewDesc(fqName, help, variableLabels, constLabels). Its type comes
// later from the calls that send it.
func (w *goWalker) newDesc(c *ast.CallExpr, stack []ast.Node) {
	w.alternated(func() { w.newDesc1(c, stack) })
}

func (w *goWalker) newDesc1(c *ast.CallExpr, stack []ast.Node) {
	if len(c.Args) == 0 {
		return
	}
	h0 := w.hits
	d := &def{name: w.eval(c.Args[0]), at: w.at(c.Args[0]), via: "prometheus.NewDesc", mayBeAbsent: absentCollector}
	w.setOwn(d, c.Args[0])
	defer func() { w.fromCall[d] = w.hits > h0 }()
	if d.name.known() && d.name.s == "" {
		return
	}
	if len(c.Args) > 1 {
		if v := w.eval(c.Args[1]); v.known() {
			d.help = v.s
		}
	}
	if len(c.Args) > 2 {
		ls, ok := w.stringList(c.Args[2])
		d.labels, d.labelsUnknown = ls, !ok
	}
	if len(c.Args) > 3 {
		ls, ok := w.mapKeys(c.Args[3])
		d.labels = append(d.labels, ls...)
		d.labelsUnknown = d.labelsUnknown || !ok
	}
	w.defs = append(w.defs, d)
	w.inline[c] = append(w.inline[c], d)
	w.unit.byCall[c] = append(w.unit.byCall[c], d) // a collector holding it may be registered wrapped
	if key := w.holderKey(c, stack); key != "" {
		w.descs[key] = append(w.descs[key], d)
	}
}

// holderKey names the variable or struct field a descriptor is stored in: v:name or f:name.
func (w *goWalker) holderKey(c *ast.CallExpr, stack []ast.Node) string {
	if len(stack) == 0 {
		return ""
	}
	switch p := stack[len(stack)-1].(type) {
	case *ast.KeyValueExpr:
		if id, ok := p.Key.(*ast.Ident); ok && p.Value == ast.Expr(c) {
			return "f:" + id.Name
		}
	case *ast.AssignStmt:
		for i, r := range p.Rhs {
			if r == ast.Expr(c) && i < len(p.Lhs) {
				return descKey(p.Lhs[i])
			}
		}
	case *ast.ValueSpec:
		for i, r := range p.Values {
			if r == ast.Expr(c) && i < len(p.Names) {
				return "v:" + p.Names[i].Name
			}
		}
	}
	return ""
}

// descKey names the variable or field a descriptor expression reads.
func descKey(e ast.Expr) string {
	switch x := ast.Unparen(e).(type) {
	case *ast.Ident:
		return "v:" + x.Name
	case *ast.SelectorExpr:
		return "f:" + x.Sel.Name
	}
	return ""
}

// eval works out a string expression: a constant of the set (go/types), a literal, a
// concatenation, prometheus.BuildFQName, fmt.Sprintf, strings.Join, a variable set once, a
// helper parameter bound at a call site, a function returning one expression; other
// expressions are unknown, with the reason.
func (w *goWalker) eval(e ast.Expr) value {
	if !w.enter() {
		return unknown("the name is nested too deep to follow")
	}
	defer w.leave()
	if tv, ok := w.info.Types[e]; ok && tv.Value != nil {
		if tv.Value.Kind() == constant.String {
			return known(constant.StringVal(tv.Value))
		}
		return unknown("the name is not a string constant")
	}
	switch x := e.(type) {
	case *ast.BasicLit:
		if x.Kind == token.STRING {
			if s, err := strconv.Unquote(x.Value); err == nil {
				return known(s)
			}
		}
	case *ast.ParenExpr:
		return w.eval(x.X)
	case *ast.BinaryExpr:
		if x.Op == token.ADD {
			return concat(w.eval(x.X), w.eval(x.Y))
		}
	case *ast.Ident:
		if b, ok := w.bound(x); ok {
			var v value
			w.in(b.env, func() { v = w.eval(b.e) })
			for _, t := range b.then {
				v = concat(v, w.eval(t))
			}
			return v
		}
		o := w.info.Uses[x]
		if c, ok := o.(*types.Const); ok {
			return constValue(c)
		}
		if init := w.initOfObj(o); init != nil && !w.ctx.loopVars[o] {
			return w.eval(init)
		}
		if v, ok := w.forkVar(o, x.Name); ok {
			return v
		}
		switch {
		case w.ctx.loopVars[o]:
			return unknown("the name comes from the loop variable " + x.Name)
		case w.ctx.params[o]:
			return unknown("the name comes from the parameter " + x.Name)
		}
		if _, ok := o.(*types.Var); ok {
			return unknown("the name comes from the variable " + x.Name)
		}
		return unknown(fmt.Sprintf("the name comes from %s, which is not a constant of the package", x.Name))
	case *ast.CallExpr:
		return w.evalCall(x)
	case *ast.SelectorExpr:
		if id, ok := x.X.(*ast.Ident); ok {
			if _, isPkg := w.info.Uses[id].(*types.PkgName); isPkg {
				if c, ok := w.info.Uses[x.Sel].(*types.Const); ok {
					return constValue(c)
				}
				if init := w.initOfObj(w.info.Uses[x.Sel]); init != nil {
					return w.eval(init)
				}
				return unknown(fmt.Sprintf("the name comes from %s.%s of another package", id.Name, x.Sel.Name))
			}
		}
		return unknown("the name comes from the field " + x.Sel.Name)
	case *ast.IndexExpr:
		return unknown("the name is an element of a slice or map")
	}
	return unknown("the name is computed at run time")
}

// constValue is the value of a string constant.
func constValue(c *types.Const) value {
	if c.Val().Kind() == constant.String {
		return known(constant.StringVal(c.Val()))
	}
	return unknown("the name is not a string constant")
}

// evalCall works out a call that builds a string.
func (w *goWalker) evalCall(x *ast.CallExpr) value {
	if id, ok := ast.Unparen(x.Fun).(*ast.Ident); ok && len(x.Args) == 1 {
		if tn, ok := w.info.Uses[id].(*types.TypeName); ok {
			if b, ok := tn.Type().Underlying().(*types.Basic); ok && b.Info()&types.IsString != 0 {
				return w.eval(x.Args[0]) // string(op), OperationName("x"): a conversion
			}
		}
	}
	if w.isProm(x.Fun, "BuildFQName") && len(x.Args) == 3 {
		return fqName(w.eval(x.Args[0]), w.eval(x.Args[1]), w.eval(x.Args[2]))
	}
	if w.isPkg(x.Fun, "fmt", w.fmtPkg, "Sprintf") && len(x.Args) > 0 {
		if f := w.eval(x.Args[0]); f.known() {
			return fillFormat(f.s, printfVerbs, func(i int, spec string) value {
				if (spec == "%s" || spec == "%v") && i+1 < len(x.Args) {
					return w.eval(x.Args[i+1])
				}
				return unknown("")
			}, "the name is built by fmt.Sprintf from values computed at run time")
		}
		return unknown("the name is built by fmt.Sprintf")
	}
	if w.isPkg(x.Fun, "strings", nil, "Join") && len(x.Args) == 2 {
		parts, ok := w.stringList(x.Args[0])
		sep := w.eval(x.Args[1])
		if !ok || !sep.known() {
			return unknown("the name is joined from values computed at run time")
		}
		return known(strings.Join(parts, sep.s))
	}
	if r, env := w.returnCall(x); r != nil {
		var v value
		w.in(env, func() { v = w.eval(r) })
		return v
	}
	if n := calleeName(x); n != "" {
		return unknown(fmt.Sprintf("the name is the result of %s()", n))
	}
	return unknown("the name is computed at run time")
}

// returnCall returns the expression that a call of a function (or of a variable holding a
// function literal, never assigned again) made of one return statement returns, with the
// environment that binds its parameters to the call's arguments; nil past the helper depth
// bound or for other calls.
func (w *goWalker) returnCall(x *ast.CallExpr) (ast.Expr, *goEnv) {
	o := w.ctx.callee(x)
	f := w.ctx.funcs[o]
	if f == nil || w.ctx.assigned[o] {
		return nil, nil
	}
	r := returned(f)
	if r == nil {
		return nil, nil
	}
	return r, w.callEnv(f, x)
}

// callEnv is the environment that evaluates an expression returned by f at the call x, its
// parameters bound to the arguments. It reads one expression, not a body, so its nesting is
// bounded by maxEvalDepth rather than by the helper depth.
func (w *goWalker) callEnv(f *goFunc, x *ast.CallExpr) *goEnv {
	env := &goEnv{vars: map[types.Object]binding{}, site: w.at(x)}
	if w.env != nil {
		env.depth, env.absent = w.env.depth+1, w.env.absent
	}
	bindParams(w, f, x, env)
	return env
}

// optsCall reads options that a function returns (maxGaugeOpts(op), where
// maxGaugeOpts = func(op string) prometheus.GaugeOpts { return prometheus.GaugeOpts{…} }),
// evaluated with its parameters bound to the call's arguments, as a helper is.
func (w *goWalker) optsCall(x *ast.CallExpr) (o goOpts, ok bool) {
	if !w.enter() {
		return goOpts{}, false
	}
	defer w.leave()
	r, env := w.returnCall(x)
	if r == nil {
		return goOpts{}, false
	}
	w.in(env, func() { o, ok = w.opts(r) })
	return o, ok
}

// results returns the single values a function's return statements return (not those of
// the function literals inside it), without the nils; ok is false when some return
// statement returns another number of values.
func results(f *goFunc) (out []ast.Expr, ok bool) {
	ok = true
	ast.Inspect(f.body, func(n ast.Node) bool {
		switch r := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.ReturnStmt:
			if len(r.Results) != 1 {
				ok = false
			} else if !isNil(r.Results[0]) {
				out = append(out, r.Results[0])
			}
		}
		return ok
	})
	return out, ok
}

// returned is the expression a function made of one return statement returns, or nil.
func returned(f *goFunc) ast.Expr {
	if len(f.body.List) != 1 {
		return nil
	}
	r, ok := f.body.List[0].(*ast.ReturnStmt)
	if !ok || len(r.Results) != 1 {
		return nil
	}
	return r.Results[0]
}

// appendList reads append(list, "a", "b") and append(list, more...) of label names.
func (w *goWalker) appendList(c *ast.CallExpr) ([]string, bool) {
	id, ok := ast.Unparen(c.Fun).(*ast.Ident)
	if !ok || id.Name != "append" || len(c.Args) == 0 {
		return nil, false
	}
	if o := w.info.Uses[id]; o != nil {
		if _, builtin := o.(*types.Builtin); !builtin {
			return nil, false
		}
	}
	out, all := w.stringList(c.Args[0])
	rest := c.Args[1:]
	if c.Ellipsis.IsValid() && len(rest) == 1 {
		more, ok := w.stringList(rest[0])
		return append(out, more...), all && ok
	}
	for _, a := range rest {
		if v := w.eval(a); v.known() {
			out = append(out, v.s)
		} else {
			all = false
		}
	}
	return out, all
}

// goLit decodes a Go string literal with the file offset of each byte.
func (w *goWalker) goLit(bl *ast.BasicLit) lit {
	start := w.off(bl.Pos())
	return decodeGoString(bl.Value, start)
}

// decodeGoString decodes a Go string literal that starts at file offset start.
func decodeGoString(raw string, start int) lit {
	if len(raw) < 2 {
		return lit{offs: []int{start}}
	}
	var b []byte
	var offs []int
	body := raw[1 : len(raw)-1]
	if raw[0] == '`' {
		for i := 0; i < len(body); i++ {
			if body[i] == '\r' {
				continue
			}
			b = append(b, body[i])
			offs = append(offs, start+1+i)
		}
		return lit{s: string(b), offs: append(offs, start+len(raw)-1)}
	}
	for i := 0; i < len(body); {
		v, multibyte, tail, err := strconv.UnquoteChar(body[i:], '"')
		if err != nil {
			b = append(b, body[i])
			offs = append(offs, start+1+i)
			i++
			continue
		}
		n := len(body[i:]) - len(tail)
		at := start + 1 + i
		if v < utf8.RuneSelf || !multibyte {
			b = append(b, byte(v))
			offs = append(offs, at)
		} else {
			enc := utf8.AppendRune(nil, v)
			for k := range enc {
				b = append(b, enc[k])
				if n == len(enc) {
					offs = append(offs, at+k)
				} else {
					offs = append(offs, at)
				}
			}
		}
		i += n
	}
	return lit{s: string(b), offs: append(offs, start+len(raw)-1)}
}

// fieldAssigns applies to options held in a helper's parameter the assignments the helper's
// body makes to their fields (opts.Namespace = Namespace), as a project's wrapper that puts
// every metric in its namespace does.
func (w *goWalker) fieldAssigns(name string, o *goOpts) {
	if w.env == nil || w.env.fn == nil || w.env.fn.body == nil {
		return
	}
	ast.Inspect(w.env.fn.body, func(n ast.Node) bool {
		as, ok := n.(*ast.AssignStmt)
		if !ok || as.Tok != token.ASSIGN || len(as.Lhs) != len(as.Rhs) {
			return true
		}
		for i, l := range as.Lhs {
			sel, ok := l.(*ast.SelectorExpr)
			if !ok {
				continue
			}
			if x, ok := sel.X.(*ast.Ident); !ok || x.Name != name {
				continue
			}
			switch sel.Sel.Name {
			case "Namespace":
				o.ns = w.eval(as.Rhs[i])
			case "Subsystem":
				o.sub = w.eval(as.Rhs[i])
			case "Name":
				o.name = w.eval(as.Rhs[i])
			case "Help":
				if v := w.eval(as.Rhs[i]); v.known() {
					o.help = v.s
				}
			}
		}
		return true
	})
}
