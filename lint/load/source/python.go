package source

import (
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/driftlint/driftlint/lint"
)

// pyMetricClasses maps prometheus_client's metric classes to the type they make.
var pyMetricClasses = map[string]string{
	"Counter": "counter", "Gauge": "gauge", "Histogram": "histogram", "Summary": "summary", "Info": "info", "Enum": "stateset",
}

// pyFamilyClasses maps the custom-collector family classes to their type and the position of
// their labels parameter.
var pyFamilyClasses = map[string]struct {
	typ    string
	labels int
}{
	"CounterMetricFamily": {"counter", 3}, "GaugeMetricFamily": {"gauge", 3}, "SummaryMetricFamily": {"summary", 4},
	"HistogramMetricFamily": {"histogram", 4}, "GaugeHistogramMetricFamily": {"gaugehistogram", 4},
	"InfoMetricFamily": {"info", 3}, "StateSetMetricFamily": {"stateset", 3}, "UnknownMetricFamily": {"untyped", 3},
}

// pyBlockKeywords open a block whose body may not run, or may run many times.
var pyBlockKeywords = map[string]bool{"if": true, "elif": true, "else": true, "for": true, "while": true, "except": true, "match": true, "case": true}

// pyCompound are the keywords of compound statements (a block follows their line).
var pyCompound = map[string]bool{
	"if": true, "elif": true, "else": true, "for": true, "while": true, "try": true, "except": true,
	"finally": true, "with": true, "def": true, "class": true, "match": true, "case": true, "async": true,
}

// pyFile holds the tokens of one Python file and what the loader learned about them.
type pyFile struct {
	f       *lint.SourceFile
	set     *pySet
	mod     string // the dotted module name, from the path
	pkg     string // the package relative imports start from
	toks    []tok
	match   []int
	cond    []bool
	imports map[string]string // local name → prometheus_client class
	modules map[string]bool   // local names of the prometheus_client module (and its submodules)
	star    bool              // from prometheus_client import *
	// starFrom are the modules of from … import * statements of other modules.
	starFrom []string
	shadow   map[string]bool   // names imported from other modules
	from     map[string]pyRef  // local name → the module and name it is imported from
	modAs    map[string]string // local name → the module an import statement binds to it
	attrs    map[string][]rng  // class attributes and self.X assignments, by Class.name
	consts   map[string][]rng  // module-level assignments
	dynamic  map[string]bool   // names assigned by global, augmented assignment …
	loops    map[string]bool
	params   map[string]bool
	evaling  map[string]bool
	defs     []*pyDef            // every def, in source order
	calls    []pyCall            // calls of prometheus_client classes and of the set's defs
	unread   []pyCall            // calls with prometheus_client's arguments of callees not identified
	classes  map[string]*pyClass // module-level classes
	env      *pyEnv              // the parameters bound while a wrapper is evaluated at a call site
	skip     bool                // a test module or a file that can define nothing
	loaded   bool                // tokenized and indexed
	caller   bool                // its calls are read: it may call a constructor or a wrapper
	probs    []lint.ParseProblem
}

// isPythonTest reports whether a path is a test module.
func isPythonTest(p string) bool {
	b := path.Base(p)
	return strings.HasPrefix(b, "test_") || strings.HasSuffix(b, "_test.py") || b == "conftest.py"
}

// loadPython reads one file on its own: names imported from other modules are unresolved.
func loadPython(f *lint.SourceFile) ([]*def, []lint.ParseProblem) {
	set := newPySet([]*lint.SourceFile{f})
	defs := set.definitions()
	return defs[0], set.files[0].probs
}

func (p *pyFile) text(k int) string {
	if k < 0 || k >= len(p.toks) {
		return ""
	}
	return p.toks[k].text
}

// index matches brackets, reads imports and module constants, and marks the tokens inside
// conditional blocks.
func (p *pyFile) index() {
	n := len(p.toks)
	p.match = make([]int, n)
	p.cond = make([]bool, n)
	var stack []int
	closer := map[string]string{"(": ")", "[": "]", "{": "}"}
	for i, t := range p.toks {
		p.match[i] = -1
		if t.kind != tokPunct {
			continue
		}
		switch t.text {
		case "(", "[", "{":
			stack = append(stack, i)
		case ")", "]", "}":
			for k, o := range slices.Backward(stack) {
				if closer[p.toks[o].text] == t.text {
					p.match[o], p.match[i] = i, o
					stack = stack[:k]
					break
				}
			}
		}
	}
	type block struct {
		indent int
		cond   bool
		scope  bool   // def or class: a new scope
		class  string // the name of a class block
		def    *pyDef
	}
	var blocks []block
	pop := func(at int) {
		if b := blocks[len(blocks)-1]; b.def != nil {
			b.def.body.e = at
		}
		blocks = blocks[:len(blocks)-1]
	}
	for i := 0; i < n; {
		end := i
		for end < n && p.toks[end].kind != tokNewline {
			end++
		}
		line := rng{i, end}
		first := p.toks[i]
		for len(blocks) > 0 && blocks[len(blocks)-1].indent >= first.indent {
			pop(i)
		}
		top := len(blocks) == 0
		// the class whose body this line is directly in
		class := ""
		if len(blocks) > 0 {
			class = blocks[len(blocks)-1].class
		}
		kw, at := first.text, i
		if first.kind == tokIdent && kw == "async" {
			kw, at = p.text(i+1), i+1
		}
		if first.kind == tokIdent && pyCompound[kw] {
			b := block{indent: first.indent, cond: pyBlockKeywords[kw], scope: kw == "def" || kw == "class"}
			switch kw {
			case "class":
				b.class = p.text(i + 1)
				if top {
					p.classes[b.class] = p.newClass(i+1, end)
				}
			case "def":
				b.def = p.newDef(at, end, class, top)
			}
			blocks = append(blocks, b)
		}
		cond, inScope := false, false
		var fn *pyDef // the innermost def whose body this line is in
		for _, b := range blocks {
			cond = cond || b.cond
			inScope = inScope || b.scope
			if b.def != nil {
				fn = b.def
			}
		}
		for k := line.s; k < line.e; k++ {
			p.cond[k] = cond
		}
		// the class a class attribute or a self.X of this line belongs to
		owner := class
		if owner == "" && fn != nil {
			owner = fn.class
		}
		p.statement(line, top, inScope, class != "" && first.text != "class" && first.text != "def", owner)
		if fn != nil && first.text != "def" {
			p.localStatement(fn, line)
		}
		i = end + 1
	}
	for len(blocks) > 0 {
		pop(n)
	}
}

// statement reads imports, module constants, class attributes, loop variables and parameters
// of one logical line; inClass is set for a line directly in a class body.
func (p *pyFile) statement(line rng, top, inScope, inClass bool, class string) {
	i := line.s
	switch p.text(i) {
	case "from":
		// from prometheus_client[.x] import A [as B], … | *
		k := i + 1
		var b strings.Builder
		for k < line.e && p.text(k) != "import" {
			b.WriteString(p.text(k))
			k++
		}
		mod := b.String()
		fromProm := mod == "prometheus_client" || strings.HasPrefix(mod, "prometheus_client.")
		abs := p.absModule(mod)
		for k++; k < line.e; k++ {
			t := p.toks[k]
			if t.kind != tokIdent {
				if t.text == "*" && fromProm {
					p.star = true
				} else if t.text == "*" {
					p.starFrom = append(p.starFrom, abs)
				}
				continue
			}
			name, local := t.text, t.text
			if p.text(k+1) == "as" && k+2 < line.e {
				local = p.text(k + 2)
				k += 2
			}
			if fromProm {
				p.imports[local] = name
			} else {
				p.shadow[local] = true
				p.from[local] = pyRef{mod: abs, name: name}
			}
		}
	case "import":
		// import prometheus_client[.core] [as pc], … | import app.consts [as c]
		for k := i + 1; k < line.e; k++ {
			if p.toks[k].kind != tokIdent || p.text(k-1) != "import" && p.text(k-1) != "," {
				continue
			}
			j := k + 1
			for p.text(j) == "." && j+1 < line.e {
				j += 2
			}
			var dotted strings.Builder
			for m := k; m < j; m++ {
				dotted.WriteString(p.text(m))
			}
			prom, as := p.text(k) == "prometheus_client", p.text(j) == "as"
			switch {
			case prom && as:
				p.modules[p.text(j+1)] = true
			case prom:
				p.modules["prometheus_client"] = true
			case as:
				p.modAs[p.text(j+1)] = dotted.String()
			default:
				p.modAs[p.text(k)] = p.text(k)
			}
			k = j
		}
	case "global":
		for k := i + 1; k < line.e; k++ {
			if p.toks[k].kind == tokIdent {
				p.dynamic[p.text(k)] = true
			}
		}
	case "def":
		if open := i + 2; p.text(open) == "(" && p.match[open] > 0 {
			for k := open + 1; k < p.match[open]; k++ {
				if p.toks[k].kind == tokIdent && (p.text(k-1) == "(" || p.text(k-1) == "," || p.text(k-1) == "*" || p.text(k-1) == "**") {
					p.params[p.text(k)] = true
				}
			}
		}
	}
	for k := line.s; k < line.e; k++ {
		if p.text(k) == "for" && p.toks[k].kind == tokIdent {
			for j := k + 1; j < line.e && p.text(j) != "in"; j++ {
				if p.toks[j].kind == tokIdent {
					p.loops[p.text(j)] = true
				}
			}
		}
		if p.text(k) == "+=" && k > line.s && p.toks[k-1].kind == tokIdent {
			p.dynamic[p.text(k-1)] = true
		}
	}
	// self.X = expr: an attribute, an alias of a class when expr names one
	if (p.text(i) == "self" || p.text(i) == "cls") && p.text(i+1) == "." && i+4 < line.e &&
		p.toks[i+2].kind == tokIdent && p.text(i+3) == "=" {
		key := class + "." + p.text(i+2)
		p.attrs[key] = append(p.attrs[key], rng{i + 4, line.e})
		return
	}
	// NAME = expr  |  NAME: type = expr
	if p.toks[i].kind != tokIdent || i+1 >= line.e {
		return
	}
	eq := -1
	switch {
	case p.text(i+1) == "=":
		eq = i + 1
	case p.text(i+1) == ":":
		for k := i + 2; k < line.e; k++ {
			if p.text(k) == "=" {
				eq = k
				break
			}
		}
	}
	if eq < 0 {
		return
	}
	name := p.text(i)
	switch {
	case inClass:
		p.attrs[class+"."+name] = append(p.attrs[class+"."+name], rng{eq + 1, line.e})
		return
	case inScope:
		return // a local variable
	case !top:
		p.dynamic[name] = true // assigned at module level inside a condition or loop
		return
	}
	if p.text(eq+1) != "" && eq+1 < line.e {
		// a chained assignment (A = B = "x") or a tuple target is not a constant
		for k := eq + 1; k < line.e; k++ {
			if p.text(k) == "=" && p.toks[k].depth == p.toks[i].depth {
				p.dynamic[name] = true
				return
			}
		}
		p.consts[name] = append(p.consts[name], rng{eq + 1, line.e})
	}
}

// pyArgs are the arguments of a call: positional, and by keyword.
type pyArgs struct {
	pos  []rng
	kw   map[string]rng
	star bool // *args or **kwargs: some arguments are not visible
	// kwargs is the name of a **kwargs argument, which a wrapper may pass through; ext holds
	// the keyword arguments it passes, from the wrapper's call site.
	kwargs string
	ext    map[string]pyBind
}

func (p *pyFile) args(open int) pyArgs {
	a := pyArgs{kw: map[string]rng{}}
	end := p.match[open]
	if end < 0 {
		return a
	}
	start := open + 1
	flush := func(k int) {
		if start >= k {
			return
		}
		switch {
		case p.toks[start].kind == tokIdent && p.text(start+1) == "=" && start+2 <= k:
			a.kw[p.text(start)] = rng{start + 2, k}
		case p.text(start) == "**" && start+2 == k && p.toks[start+1].kind == tokIdent:
			a.star, a.kwargs = true, p.text(start+1)
		case p.text(start) == "*" || p.text(start) == "**":
			a.star = true
		default:
			a.pos = append(a.pos, rng{start, k})
		}
	}
	for k := open + 1; k < end; k++ {
		t := p.toks[k]
		if t.kind != tokPunct {
			continue
		}
		switch t.text {
		case "(", "[", "{":
			if p.match[k] > k {
				k = p.match[k]
			}
		case ",":
			flush(k)
			start = k + 1
		}
	}
	flush(end)
	if a.kwargs != "" && p.env != nil && p.env.kwName == a.kwargs {
		a.ext, a.star = p.env.kwargs, p.env.kwStar
	}
	return a
}

// arg returns the argument at position i or with keyword name.
func (a pyArgs) arg(i int, name string) (rng, bool) {
	if r, ok := a.kw[name]; ok {
		return r, true
	}
	if i < len(a.pos) {
		return a.pos[i], true
	}
	return rng{}, false
}

// val evaluates the argument at position i or with keyword name, or one a wrapper passes
// through its **kwargs; "" when absent (unknown when *args or **kwargs may hold it).
func (p *pyFile) val(a pyArgs, i int, kw string) (value, bool) {
	if r, ok := a.arg(i, kw); ok {
		return p.eval(r), true
	}
	if b, ok := a.ext[kw]; ok {
		return b.file.evalIn(b.env, b.r), true
	}
	if a.star {
		return unknown("the " + kw + " is not among the visible arguments"), false
	}
	return known(""), false
}

// labelArg reads the label names at position i or with keyword name.
func (p *pyFile) labelArg(a pyArgs, i int, kw string) (labels []string, unknown bool) {
	if r, ok := a.arg(i, kw); ok {
		ls, ok := p.list(r)
		return ls, !ok
	}
	if b, ok := a.ext[kw]; ok {
		ls, ok := b.file.listIn(b.env, b.r)
		return ls, !ok
	}
	return nil, a.star
}

// metric reads Counter/Gauge/Histogram/Summary/Info/Enum(name, documentation, labelnames,
// namespace, subsystem, unit, …).
func (p *pyFile) metric(cls, typ string, open, at int) *def {
	a := p.args(open)
	d := &def{typ: typ, via: "prometheus_client." + cls, at: p.toks[at].start}
	if r, ok := a.arg(0, "name"); ok {
		d.at = p.toks[r.s].start
	}
	name, ok := p.val(a, 0, "name")
	if !ok {
		d.name = unknown("the name is not among the visible arguments")
		return d
	}
	get := func(i int, kw string) value {
		v, _ := p.val(a, i, kw)
		return v
	}
	ns, sub, unit := get(3, "namespace"), get(4, "subsystem"), get(5, "unit")
	full := fqName(ns, sub, name)
	if typ == "counter" && full.known() {
		full = known(strings.TrimSuffix(full.s, "_total"))
	}
	if typ == "counter" && full.rest != "" {
		full.rest = strings.TrimSuffix(full.rest, "_total")
	}
	switch {
	case unit.known() && unit.s != "" && full.known() && !strings.HasSuffix(full.s, "_"+unit.s):
		full = known(full.s + "_" + unit.s)
	case unit.known() && unit.s != "" && full.rest != "" && !strings.HasSuffix(full.rest, "_"+unit.s):
		full.rest += "_" + unit.s
	case !unit.known():
		full = concat(full, value{s: hole, why: unit.why})
	}
	d.name = full
	if v := get(1, "documentation"); v.known() {
		d.help = v.s
	}
	d.labels, d.labelsUnknown = p.labelArg(a, 2, "labelnames")
	switch typ {
	case "stateset":
		if full.known() {
			d.labels = append(d.labels, full.s)
		}
	case "info":
		d.labelsUnknown = true // the keys of the .info({…}) dict
	}
	d.mayBeAbsent = p.condReason(open)
	return d
}

// family reads a custom collector's CounterMetricFamily(name, documentation, …, labels=…).
func (p *pyFile) family(cls, typ string, labelsAt, open, at int) *def {
	a := p.args(open)
	d := &def{typ: typ, via: "prometheus_client." + cls, at: p.toks[at].start, mayBeAbsent: absentCollector}
	if r, ok := a.arg(0, "name"); ok {
		d.at = p.toks[r.s].start
	}
	name, ok := p.val(a, 0, "name")
	if !ok {
		d.name = unknown("the name is not among the visible arguments")
		return d
	}
	if u, ok := p.val(a, 99, "unit"); ok {
		if u.known() && u.s != "" && name.known() && !strings.HasSuffix(name.s, "_"+u.s) {
			name = known(name.s + "_" + u.s)
		} else if !u.known() {
			name = concat(name, value{s: hole, why: u.why})
		}
	}
	if typ == "counter" && name.known() {
		name = known(strings.TrimSuffix(name.s, "_total"))
	}
	d.name = name
	if h, _ := p.val(a, 1, "documentation"); h.known() {
		d.help = h.s
	}
	d.labels, d.labelsUnknown = p.labelArg(a, labelsAt, "labels")
	if typ == "info" {
		d.labelsUnknown = true
	}
	return d
}

func (p *pyFile) condReason(i int) string {
	if i >= 0 && i < len(p.cond) && p.cond[i] {
		return absentConditional
	}
	return ""
}

// list reads a label-name list: a list or tuple of strings, a constant or parameter holding
// one, list(…)/tuple(…) of one, *unpacked lists inside one, and + of lists.
func (p *pyFile) list(x rng) ([]string, bool) {
	if x.s >= x.e {
		return nil, false
	}
	if parts := p.split(x, "+"); len(parts) > 1 {
		var out []string
		all := true
		for _, r := range parts {
			ls, ok := p.list(r)
			out = append(out, ls...)
			all = all && ok
		}
		return out, all
	}
	if p.dotted(x) {
		if x.e-x.s == 1 && p.text(x.s) == "None" {
			return nil, true
		}
		if b, ok := p.bound(x); ok {
			return b.file.listIn(b.env, b.r)
		}
		return nil, false
	}
	o := x.s
	if (p.text(o) == "list" || p.text(o) == "tuple") && p.text(o+1) == "(" && p.match[o+1] == x.e-1 {
		return p.list(rng{o + 2, x.e - 1})
	}
	if (p.text(o) == "(" || p.text(o) == "[") && p.match[o] == x.e-1 {
		var out []string
		all := true
		for _, el := range p.elements(o) {
			if p.text(el.s) == "*" {
				ls, ok := p.list(rng{el.s + 1, el.e})
				out = append(out, ls...)
				all = all && ok
				continue
			}
			if v := p.eval(el); v.known() {
				out = append(out, v.s)
			} else {
				all = false
			}
		}
		return out, all
	}
	return nil, false
}

// elements splits the bracket group opened at o by top-level commas.
func (p *pyFile) elements(o int) []rng {
	var out []rng
	start := o + 1
	end := p.match[o]
	for k := o + 1; k < end; k++ {
		t := p.toks[k]
		if t.kind == tokPunct && isOpener(t.text) && p.match[k] > k {
			k = p.match[k]
			continue
		}
		if t.text == "," && t.kind == tokPunct {
			if start < k {
				out = append(out, rng{start, k})
			}
			start = k + 1
		}
	}
	if start < end {
		out = append(out, rng{start, end})
	}
	return out
}

// constant returns the expression of a module constant assigned exactly once.
func (p *pyFile) constant(name string) (rng, bool) {
	cs := p.consts[name]
	if len(cs) != 1 || p.dynamic[name] {
		return rng{}, false
	}
	return cs[0], true
}

// eval works out a string expression: literals (adjacent ones joined), module constants,
// + concatenation and parentheses; f-strings, % and .format() are unknown, with the reason.
func (p *pyFile) eval(x rng) value {
	s, e := x.s, x.e
	if s >= e {
		return unknown("the name is empty")
	}
	if parts := p.split(x, "+"); len(parts) > 1 {
		vs := make([]value, len(parts))
		for k, r := range parts {
			vs[k] = p.eval(r)
		}
		return concat(vs...)
	}
	t := p.toks[s]
	if t.text == "(" && t.kind == tokPunct && p.match[s] == e-1 {
		return p.eval(rng{s + 1, e - 1})
	}
	if t.kind == tokString {
		k := s
		var ls []lit
		fstr := false
		var v value
		for k < e && p.toks[k].kind == tokString {
			l := p.toks[k].str.lit
			if strings.ContainsAny(p.toks[k].str.prefix, "ft") {
				fstr = true
				v = concat(v, fillFormat(l.s, braceFields, func(_ int, spec string) value {
					name := spec[1 : len(spec)-1]
					if !isLabelName(name) {
						return unknown("")
					}
					return p.evalName(name)
				}, "the name is an f-string with values computed at run time"))
			} else {
				v = concat(v, known(l.s))
			}
			ls = append(ls, l)
			k++
		}
		l := join(ls...)
		switch {
		case k == e && fstr:
			return v
		case k == e:
			return known(l.s)
		case p.text(k) == "%":
			return l.format(printfVerbs).value("the name is built with %")
		case p.text(k) == "." && p.text(k+1) == "format":
			return l.format(braceFields).value("the name is built by str.format")
		}
		return unknown("the name is computed at run time")
	}
	if t.kind == tokIdent && s+1 == e {
		if v, ok := p.localValue(t.text, s); ok {
			return v
		}
		return p.evalName(t.text)
	}
	if p.dotted(x) {
		if b, ok := p.bound(x); ok {
			return b.file.evalIn(b.env, b.r)
		}
		return unknown(fmt.Sprintf("the name comes from %s, which is not a constant", p.source(x)))
	}
	if t.kind == tokIdent && p.text(s+1) == "(" {
		return unknown(fmt.Sprintf("the name is the result of %s()", t.text))
	}
	return unknown("the name is computed at run time")
}

// evalName resolves a name used as a string: a parameter bound at a wrapper's call site, a
// module constant, a constant imported from another module of the set, else unknown with why.
func (p *pyFile) evalName(name string) value {
	if b, ok := p.env.param(name); ok {
		return b.file.evalIn(b.env, b.r)
	}
	if p.env != nil && p.env.unbound[name] {
		return unknown("the name comes from the parameter " + name + ", which the call does not give")
	}
	if ref, ok := p.from[name]; ok {
		if s := p.lookup(name); s.kind == symValue {
			return s.bind.file.evalIn(s.bind.env, s.bind.r)
		}
		return unknown(fmt.Sprintf("the name comes from %s, imported from %s, which is not a constant of the files read", name, ref.mod))
	}
	if b, ok := p.constant(name); ok && !p.evaling[name] {
		p.evaling[name] = true
		defer delete(p.evaling, name)
		v := p.evalIn(nil, b)
		if !v.known() && !strings.HasPrefix(v.why, "the name comes from") {
			v.why = fmt.Sprintf("the name comes from %s, whose value %s", name, strings.TrimPrefix(v.why, "the name "))
		}
		return v
	}
	switch {
	case p.loops[name]:
		return unknown("the name comes from the loop variable " + name)
	case p.params[name]:
		return unknown("the name comes from the parameter " + name)
	}
	return unknown(fmt.Sprintf("the name comes from %s, which is not a module constant", name))
}

// split cuts x at its top-level tokens with text sep.
func (p *pyFile) split(x rng, sep string) []rng {
	var out []rng
	start := x.s
	for k := x.s; k < x.e; k++ {
		t := p.toks[k]
		if t.kind != tokPunct {
			continue
		}
		if isOpener(t.text) && p.match[k] > k {
			k = p.match[k]
			continue
		}
		if t.text == sep {
			out = append(out, rng{start, k})
			start = k + 1
		}
	}
	return append(out, rng{start, x.e})
}

// texts returns the file's strings that hold exposition text, adjacent literals joined and
// placeholders of f-strings, % and .format() marked.
func (p *pyFile) texts() []textLit {
	var out []textLit
	for i := 0; i < len(p.toks); {
		if p.toks[i].kind != tokString {
			i++
			continue
		}
		k := i
		var ls []lit
		for k < len(p.toks) && p.toks[k].kind == tokString {
			l := p.toks[k].str.lit
			if strings.ContainsAny(p.toks[k].str.prefix, "ft") {
				l = l.format(braceFields)
			}
			ls = append(ls, l)
			k++
		}
		l := join(ls...)
		{
			switch {
			case p.text(k) == "%":
				l = l.format(printfVerbs)
			case p.text(k) == "." && p.text(k+1) == "format":
				l = l.format(braceFields)
			}
			out = append(out, textLit{l: l, mayBeAbsent: p.condReason(i)})
		}
		i = k
	}
	return out
}
