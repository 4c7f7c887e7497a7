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
	toks    []tok
	match   []int
	cond    []bool
	imports map[string]string // local name → prometheus_client class
	modules map[string]bool   // local names of the prometheus_client module (and its submodules)
	star    bool              // from prometheus_client import *
	shadow  map[string]bool   // names imported from other modules
	consts  map[string][]rng  // module-level assignments
	dynamic map[string]bool   // names assigned by global, augmented assignment …
	loops   map[string]bool
	params  map[string]bool
	evaling map[string]bool
}

// isPythonTest reports whether a path is a test module.
func isPythonTest(p string) bool {
	b := path.Base(p)
	return strings.HasPrefix(b, "test_") || strings.HasSuffix(b, "_test.py") || b == "conftest.py"
}

func loadPython(f *lint.SourceFile) (defs []*def, probs []lint.ParseProblem) {
	s := f.Text()
	if isPythonTest(f.Path) || !strings.Contains(s, "prometheus_client") && !looksLikeExpositionText(s) {
		return nil, nil
	}
	toks, terr := tokenizePython(f.Src)
	if terr != nil {
		probs = append(probs, lint.ParseProblem{At: f.Pos(terr.off), Message: "python: " + terr.msg})
	}
	defer func() {
		if v := recover(); v != nil {
			defs = nil
			probs = append(probs, lint.ParseProblem{At: lint.Pos{File: f.Path}, Message: fmt.Sprintf("could not read the metric definitions: %v", v)})
		}
	}()
	p := &pyFile{
		f: f, toks: toks, imports: map[string]string{}, modules: map[string]bool{}, shadow: map[string]bool{},
		consts: map[string][]rng{}, dynamic: map[string]bool{}, loops: map[string]bool{}, params: map[string]bool{}, evaling: map[string]bool{},
	}
	p.index()
	return p.definitions(), probs
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
		scope  bool // def or class: a new scope
	}
	var blocks []block
	for i := 0; i < n; {
		end := i
		for end < n && p.toks[end].kind != tokNewline {
			end++
		}
		line := rng{i, end}
		first := p.toks[i]
		for len(blocks) > 0 && blocks[len(blocks)-1].indent >= first.indent {
			blocks = blocks[:len(blocks)-1]
		}
		top := len(blocks) == 0
		kw := first.text
		if first.kind == tokIdent && kw == "async" {
			kw = p.text(i + 1)
		}
		if first.kind == tokIdent && pyCompound[kw] {
			blocks = append(blocks, block{indent: first.indent, cond: pyBlockKeywords[kw], scope: kw == "def" || kw == "class"})
		}
		cond, inScope := false, false
		for _, b := range blocks {
			cond = cond || b.cond
			inScope = inScope || b.scope
		}
		for k := line.s; k < line.e; k++ {
			p.cond[k] = cond
		}
		p.statement(line, top, inScope)
		i = end + 1
	}
}

// statement reads imports, module constants, loop variables and parameters of one logical line.
func (p *pyFile) statement(line rng, top, inScope bool) {
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
		for k++; k < line.e; k++ {
			t := p.toks[k]
			if t.kind != tokIdent {
				if t.text == "*" && fromProm {
					p.star = true
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
			}
		}
	case "import":
		// import prometheus_client[.core] [as pc], …
		for k := i + 1; k < line.e; k++ {
			if p.text(k) != "prometheus_client" {
				continue
			}
			j := k + 1
			for p.text(j) == "." && j+1 < line.e {
				j += 2
			}
			if p.text(j) == "as" {
				p.modules[p.text(j+1)] = true
			} else {
				p.modules["prometheus_client"] = true
			}
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
	case inScope:
		return // a local variable or a class attribute
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

// callee resolves the call whose ( is at open to a prometheus_client class name.
func (p *pyFile) callee(open int) (string, int) {
	k := open - 1
	if k < 0 || p.toks[k].kind != tokIdent {
		return "", -1
	}
	name := p.text(k)
	if p.text(k-1) == "." {
		// module.Class( or module.sub.Class(
		j := k - 2
		for j >= 1 && p.text(j-1) == "." {
			j -= 2
		}
		if j >= 0 && p.modules[p.text(j)] && (j == 0 || p.text(j-1) != ".") {
			return name, k
		}
		return "", -1
	}
	if cls, ok := p.imports[name]; ok {
		return cls, k
	}
	if p.star && !p.shadow[name] {
		if _, ok := pyMetricClasses[name]; ok {
			return name, k
		}
		if _, ok := pyFamilyClasses[name]; ok {
			return name, k
		}
	}
	return "", -1
}

// pyArgs are the arguments of a call: positional, and by keyword.
type pyArgs struct {
	pos  []rng
	kw   map[string]rng
	star bool // *args or **kwargs: some arguments are not visible
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

func (p *pyFile) definitions() []*def {
	var defs []*def
	for i, t := range p.toks {
		if t.kind != tokPunct || t.text != "(" || p.match[i] < 0 {
			continue
		}
		cls, at := p.callee(i)
		if cls == "" {
			continue
		}
		if typ, ok := pyMetricClasses[cls]; ok {
			if d := p.metric(cls, typ, i, at); d != nil {
				defs = append(defs, d)
			}
		} else if fc, ok := pyFamilyClasses[cls]; ok {
			if d := p.family(cls, fc.typ, fc.labels, i, at); d != nil {
				defs = append(defs, d)
			}
		}
	}
	return append(defs, scanText(p.texts())...)
}

// metric reads Counter/Gauge/Histogram/Summary/Info/Enum(name, documentation, labelnames,
// namespace, subsystem, unit, …).
func (p *pyFile) metric(cls, typ string, open, at int) *def {
	a := p.args(open)
	d := &def{typ: typ, via: "prometheus_client." + cls, at: p.toks[at].start}
	nameArg, ok := a.arg(0, "name")
	if !ok {
		d.name = unknown("the name is not among the visible arguments")
		return d
	}
	d.at = p.toks[nameArg.s].start
	name := p.eval(nameArg)
	get := func(i int, kw string) value {
		if r, ok := a.arg(i, kw); ok {
			return p.eval(r)
		}
		if a.star {
			return unknown("the " + kw + " is not among the visible arguments")
		}
		return known("")
	}
	ns, sub, unit := get(3, "namespace"), get(4, "subsystem"), get(5, "unit")
	full := fqName(ns, sub, name)
	if typ == "counter" && full.known() {
		full = known(strings.TrimSuffix(full.s, "_total"))
	}
	switch {
	case unit.known() && unit.s != "" && full.known() && !strings.HasSuffix(full.s, "_"+unit.s):
		full = known(full.s + "_" + unit.s)
	case !unit.known():
		full = concat(full, value{s: hole, why: unit.why})
	}
	d.name = full
	if v := get(1, "documentation"); v.known() {
		d.help = v.s
	}
	if r, ok := a.arg(2, "labelnames"); ok {
		d.labels, ok = p.list(r)
		d.labelsUnknown = !ok
	} else if a.star {
		d.labelsUnknown = true
	}
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
	nameArg, ok := a.arg(0, "name")
	if !ok {
		d.name = unknown("the name is not among the visible arguments")
		return d
	}
	d.at = p.toks[nameArg.s].start
	name := p.eval(nameArg)
	if r, ok := a.kw["unit"]; ok {
		if u := p.eval(r); u.known() && u.s != "" && name.known() && !strings.HasSuffix(name.s, "_"+u.s) {
			name = known(name.s + "_" + u.s)
		} else if !u.known() {
			name = concat(name, value{s: hole, why: u.why})
		}
	}
	if typ == "counter" && name.known() {
		name = known(strings.TrimSuffix(name.s, "_total"))
	}
	d.name = name
	if v, ok := a.arg(1, "documentation"); ok {
		if h := p.eval(v); h.known() {
			d.help = h.s
		}
	}
	if r, ok := a.arg(labelsAt, "labels"); ok {
		d.labels, ok = p.list(r)
		d.labelsUnknown = !ok
	}
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

// list reads a label-name list: a list or tuple of strings, a module constant holding one.
func (p *pyFile) list(x rng) ([]string, bool) {
	if x.e-x.s == 1 && p.toks[x.s].kind == tokIdent {
		name := p.text(x.s)
		if name == "None" {
			return nil, true
		}
		if b, ok := p.constant(name); ok {
			return p.list(b)
		}
		return nil, false
	}
	o := x.s
	if (p.text(o) == "(" || p.text(o) == "[") && p.match[o] == x.e-1 {
		var out []string
		all := true
		for _, el := range p.elements(o) {
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
			l := p.toks[k].str
			if strings.ContainsAny(p.toks[k].prefix, "ft") {
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
		return p.evalName(t.text)
	}
	if t.kind == tokIdent && p.text(s+1) == "(" {
		return unknown(fmt.Sprintf("the name is the result of %s()", t.text))
	}
	return unknown("the name is computed at run time")
}

// evalName resolves a name used as a string: a module constant, else unknown with why.
func (p *pyFile) evalName(name string) value {
	if b, ok := p.constant(name); ok && !p.evaling[name] {
		p.evaling[name] = true
		defer delete(p.evaling, name)
		v := p.eval(b)
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
			l := p.toks[k].str
			if strings.ContainsAny(p.toks[k].prefix, "ft") {
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
