package source

import (
	"fmt"
	"slices"
	"strings"

	"github.com/driftlint/driftlint/lint"
)

const absentFirstUse = "the metrics crate creates it only when the code first records it"

// rustCtors maps the prometheus crate's metric types to the type they make.
var rustCtors = map[string]string{
	"Counter": "counter", "IntCounter": "counter", "Gauge": "gauge", "IntGauge": "gauge", "Histogram": "histogram",
	"CounterVec": "counter", "IntCounterVec": "counter", "GaugeVec": "gauge", "IntGaugeVec": "gauge", "HistogramVec": "histogram",
}

// rustMetricTypes maps prometheus::proto::MetricType variants to types.
var rustMetricTypes = map[string]string{
	"COUNTER": "counter", "GAUGE": "gauge", "HISTOGRAM": "histogram", "SUMMARY": "summary", "UNTYPED": "untyped",
}

// rustFormatMacros are the macros whose first (or, for write!, second) argument is a format
// string.
var rustFormatMacros = map[string]int{
	"format": 0, "print": 0, "println": 0, "eprint": 0, "eprintln": 0, "format_args": 0, "panic": 0,
	"write": 1, "writeln": 1,
}

// rng is a half-open range of token indexes.
type rng struct{ s, e int }

// rustFile holds the tokens of one Rust file and what the loader learned about them.
type rustFile struct {
	f       *lint.SourceFile
	set     *rustSet
	crate   string   // the crate key: the directory holding src/
	mod     []string // the module path: crate, crate::metrics
	wanted  bool     // the file mentions a metrics crate: its definitions are read
	toks    []tok
	match   []int  // index of the matching bracket, or -1
	cond    []bool // the token is inside a conditional or loop block
	skip    []bool // the token is inside a #[cfg(test)] module
	block   []int  // index of the innermost enclosing {, or -1
	scope   map[int]rustScope
	fns     map[int]*rustFn // by the index of the body's {
	consts  map[string][]rng
	lets    map[string][]rustLet
	loops   map[string][]int // for-loop pattern variables: index of the { of their loop body
	params  map[string]bool  // function parameter names
	formats map[int]bool     // string tokens that are format strings
	uses    map[string]rustUse
	globs   []rustUse
	// staticFrom maps a variable to the make_static_metric! struct built from it (X::from(&VAR)).
	staticFrom map[string]string
	defVars    map[*def]string  // the variable a definition is bound to (static ref X = …)
	fields     map[string][]rng // struct fields by name: their type's tokens
	// clientFamily is set by clientMetric when the metric is a prometheus-client Family.
	clientFamily bool
	pclient      bool // the file uses the prometheus-client crate
	prom         bool // the file uses the prometheus crate
	metrics      bool // the file uses the metrics crate
}

// rustLet is a let binding.
type rustLet struct {
	at    int // token index of the name
	block int // its enclosing {
	expr  rng
	mut   bool
}

// index matches brackets, marks conditional blocks and test modules, and records constants,
// let bindings and loop variables.
func (r *rustFile) index() {
	n := len(r.toks)
	r.match = make([]int, n)
	r.cond = make([]bool, n)
	r.skip = make([]bool, n)
	r.block = make([]int, n)
	type open struct {
		i    int
		cond bool
		skip bool
	}
	var stack []open
	var braces []int
	closer := map[string]string{"(": ")", "[": "]", "{": "}"}
	for i := range r.toks {
		r.match[i] = -1
		t := r.toks[i]
		r.block[i] = -1
		if len(braces) > 0 {
			r.block[i] = braces[len(braces)-1]
		}
		if len(stack) > 0 {
			top := stack[len(stack)-1]
			r.cond[i], r.skip[i] = top.cond, top.skip
		}
		if t.kind == tokIdent {
			switch t.text {
			case "prometheus":
				r.prom = true
			case "metrics":
				r.metrics = true
			case "prometheus_static_metric", "make_static_metric":
				r.prom = true
			case "prometheus_client":
				r.pclient = true
			}
		}
		if t.kind != tokPunct {
			continue
		}
		switch t.text {
		case "(", "[", "{":
			o := open{i: i}
			if len(stack) > 0 {
				o.cond, o.skip = stack[len(stack)-1].cond, stack[len(stack)-1].skip
			}
			if t.text == "{" {
				o.cond = o.cond || r.conditionalBlock(i)
				o.skip = o.skip || r.testModule(i)
				braces = append(braces, i)
				r.scope[i] = r.scopeOf(i)
			}
			stack = append(stack, o)
		case ")", "]", "}":
			// pop to the matching opener, tolerating stray brackets
			for k, o := range slices.Backward(stack) {
				if closer[r.toks[o.i].text] == t.text {
					r.match[o.i] = i
					r.match[i] = o.i
					for _, x := range stack[k:] {
						if r.toks[x.i].text == "{" && len(braces) > 0 {
							braces = braces[:len(braces)-1]
						}
					}
					stack = stack[:k]
					break
				}
			}
		}
	}
	for i := range n {
		t := r.toks[i]
		if t.kind != tokIdent {
			continue
		}
		switch t.text {
		case "const", "static":
			// [pub] const NAME: T = expr;   static [mut] NAME: T = expr;   static ref NAME: T = expr;
			j := i + 1
			mut := false
			if j < n && r.toks[j].text == "mut" {
				mut = true
				j++
			}
			if j < n && r.toks[j].text == "ref" && r.text(i-1) != "&" {
				j++
			}
			if j+1 >= n || r.toks[j].kind != tokIdent || r.toks[j+1].text != ":" {
				continue
			}
			eq := r.find(j, "=", ";")
			if eq < 0 {
				continue
			}
			end := r.find(eq, ";", "")
			if end < 0 {
				continue
			}
			name := r.toks[j].text
			if mod, impl, ok := r.itemScope(i); ok {
				if impl != "" {
					mod = append(mod, impl)
				}
				key := r.set.key(r.crate, append(mod, name))
				r.set.items[key] = append(r.set.items[key], rustItem{f: r, expr: rng{eq + 1, end}, mut: mut})
			}
			if mut {
				r.consts[name] = append(r.consts[name], rng{}, rng{}) // never a constant
				continue
			}
			r.consts[name] = append(r.consts[name], rng{eq + 1, end})
		case "use":
			if end := r.find(i, ";", ""); end > i && !r.skip[i] {
				r.useTree(i+1, end, nil, i)
			}
		case "mod":
			if r.kind(i+1) == tokIdent && r.text(i+2) == "{" {
				if mod, _, ok := r.itemScope(i); ok {
					r.set.mods[r.set.key(r.crate, append(mod, r.text(i+1)))] = r
				}
			}
		case "make_static_metric", "make_auto_flush_static_metric":
			if r.text(i+1) == "!" && isOpener(r.text(i+2)) {
				r.staticMetrics(i + 2)
			}
		case "let":
			j := i + 1
			mut := false
			if j < n && r.toks[j].text == "mut" {
				mut = true
				j++
			}
			if j >= n || r.toks[j].kind != tokIdent {
				continue
			}
			eq := r.find(j, "=", ";")
			if eq < 0 {
				continue
			}
			end := r.find(eq, ";", "")
			if end < 0 {
				end = n
			}
			name := r.toks[j].text
			r.lets[name] = append(r.lets[name], rustLet{at: j, block: r.block[j], expr: rng{eq + 1, end}, mut: mut})
		case "fn":
			// fn name<…>(a: T, mut b: U) — the parameters, for messages
			k := i + 1
			for k < n && r.toks[k].text != "(" && r.toks[k].text != "{" && r.toks[k].text != ";" {
				k++
			}
			if k >= n || r.toks[k].text != "(" || r.match[k] < 0 {
				continue
			}
			fn := &rustFn{f: r, name: r.text(i + 1), body: -1}
			for _, a := range r.args(k) {
				if c := r.indexOf(a, ":"); c > a.s && r.toks[c-1].kind == tokIdent {
					r.params[r.toks[c-1].text] = true
					fn.params = append(fn.params, r.toks[c-1].text)
				} else if r.has(a, "self") {
					fn.self = true
				} else {
					fn.params = append(fn.params, "_")
				}
			}
			body := r.find(r.match[k], "{", ";")
			if body < 0 || r.scope[body].kind != 'f' {
				continue
			}
			fn.body = body
			r.fns[body] = fn
			if mod, impl, ok := r.itemScope(i); ok {
				if impl != "" {
					mod = append(mod, impl)
				}
				fn.typ = impl
				fn.path = strings.Join(append(mod, fn.name), "::")
				r.set.fns[fn.name] = append(r.set.fns[fn.name], fn)
			}
		case "for":
			// for PAT in EXPR { … }: the names of PAT are loop variables of the body
			in := r.find(i, "in", "{")
			if in < 0 {
				continue
			}
			body := r.find(in, "{", ";")
			if body < 0 {
				continue
			}
			for k := i + 1; k < in; k++ {
				if r.toks[k].kind == tokIdent && r.toks[k].text != "mut" && r.toks[k].text != "ref" {
					r.loops[r.toks[k].text] = append(r.loops[r.toks[k].text], body)
				}
			}
		}
	}
}

// find returns the index of the first token with text want after i at the same bracket
// depth, stopping (and returning -1) at stop or at the end of the enclosing bracket.
func (r *rustFile) find(i int, want, stop string) int {
	for k := i + 1; k < len(r.toks); k++ {
		t := r.toks[k]
		if t.kind == tokPunct || t.kind == tokIdent {
			switch {
			case t.text == want:
				return k
			case stop != "" && t.text == stop:
				return -1
			}
		}
		if t.kind == tokPunct {
			switch t.text {
			case "(", "[", "{":
				if r.match[k] < 0 {
					return -1
				}
				k = r.match[k]
			case ")", "]", "}":
				return -1
			}
		}
	}
	return -1
}

// conditionalBlock reports whether the { at i opens the body of an if, else, match, loop,
// while or for (not an impl … for … block).
func (r *rustFile) conditionalBlock(i int) bool {
	cond := false
	for k := i - 1; k >= 0; k-- {
		t := r.toks[k]
		if t.kind == tokPunct && (t.text == ";" || t.text == "{" || t.text == "}") {
			break
		}
		if t.kind == tokPunct && (t.text == ")" || t.text == "]") && r.match[k] >= 0 {
			k = r.match[k]
			continue
		}
		if t.kind == tokIdent {
			switch t.text {
			case "if", "else", "match", "while", "for", "loop":
				cond = true
			case "impl", "fn", "trait", "mod", "struct", "enum":
				return false
			}
		}
	}
	return cond
}

// testModule reports whether the { at i opens a #[cfg(test)] module.
func (r *rustFile) testModule(i int) bool {
	k := i - 1
	if k < 1 || r.toks[k].kind != tokIdent || r.toks[k-1].text != "mod" {
		return false
	}
	k -= 2
	if k >= 0 && r.toks[k].text == "pub" {
		k--
	}
	// #[cfg(test)] ends just before: ] ) test ( cfg [ #
	want := []string{"]", ")", "test", "(", "cfg", "[", "#"}
	for _, w := range want {
		if k < 0 || r.toks[k].text != w {
			return false
		}
		k--
	}
	return true
}

// args splits the bracketed group opened at i into its top-level comma-separated ranges.
func (r *rustFile) args(i int) []rng {
	end := r.match[i]
	if end < 0 {
		return nil
	}
	var out []rng
	start := i + 1
	for k := i + 1; k < end; k++ {
		t := r.toks[k]
		if t.kind != tokPunct {
			continue
		}
		switch t.text {
		case "(", "[", "{":
			if r.match[k] > k {
				k = r.match[k]
			}
		case ",":
			out = append(out, rng{start, k})
			start = k + 1
		}
	}
	if start < end {
		out = append(out, rng{start, end})
	}
	return out
}

// kind returns the kind of token k, or 0 out of range.
func (r *rustFile) kind(k int) tokKind {
	if k < 0 || k >= len(r.toks) {
		return 0
	}
	return r.toks[k].kind
}

func (r *rustFile) text(k int) string {
	if k < 0 || k >= len(r.toks) {
		return ""
	}
	return r.toks[k].text
}

// definitions walks the tokens for metric definitions.
func (r *rustFile) definitions() []*def {
	var defs []*def
	help := map[string]string{}
	familyTypes := map[string]string{}
	lastName := ""
	for i := 0; i < len(r.toks); i++ {
		if r.skip[i] {
			continue
		}
		t := r.toks[i]
		if t.kind != tokIdent {
			continue
		}
		r.set.steps = 0
		if k, ok := rustFormatMacros[t.text]; ok && r.text(i+1) == "!" && isOpener(r.text(i+2)) {
			if a := r.args(i + 2); k < len(a) && a[k].e == a[k].s+1 && r.toks[a[k].s].kind == tokString {
				r.formats[a[k].s] = true
			}
			continue
		}
		// X::from(&VEC) of a make_static_metric! struct
		if r.set.statics[t.text] != nil && r.text(i+1) == "::" && r.text(i+2) == "from" && r.text(i+3) == "(" {
			if a := r.args(i + 3); len(a) == 1 {
				if segs, _, ok := r.pathAt(a[0]); ok {
					r.staticFrom[segs[len(segs)-1]] = t.text
				}
			}
		}
		if ds := r.helperCall(i); len(ds) > 0 {
			defs = append(defs, ds...)
			continue
		}
		if r.text(i+1) == "!" && isOpener(r.text(i+2)) || r.text(i+1) == "::" && r.text(i+3) == "(" || r.clientCall(i) {
			s := r.set
			s.cur, s.hit = nil, nil
			d := r.defAt(i, help)
			hit := s.hit
			s.hit = nil
			switch {
			case d == nil:
			case hit != nil:
				defs = append(defs, r.expand(i, d, hit, help)...)
			default:
				defs = append(defs, d)
			}
			continue
		}
		// MetricFamily: .set_name(x) … .set_field_type(MetricType::X)
		if r.text(i-1) == "." && r.text(i+1) == "(" && r.prom {
			switch t.text {
			case "set_name":
				if a := r.args(i + 1); len(a) == 1 {
					if v := r.eval(a[0]); v.known() {
						lastName = v.s
						defs = append(defs, &def{name: v, at: r.toks[a[0].s].start, via: "MetricFamily set_name", mayBeAbsent: absentCollector, typ: "pending"})
					}
				}
			case "set_field_type":
				if a := r.args(i + 1); len(a) == 1 && lastName != "" {
					last := r.text(a[0].e - 1)
					if typ, ok := rustMetricTypes[last]; ok {
						familyTypes[lastName] = typ
					}
				}
			}
		}
	}
	// MetricFamily names take the type set after them; without one they define nothing.
	kept := defs[:0]
	for _, d := range defs {
		if d.typ == "pending" {
			typ, ok := familyTypes[d.name.s]
			if !ok {
				continue
			}
			d.typ = typ
		}
		if d.typ == "" && d.name.known() {
			d.typ = familyTypes[d.name.s] // Desc::new takes the MetricFamily's type
		}
		if d.help == "" && d.name.known() {
			d.help = help[d.name.s]
		}
		kept = append(kept, d)
	}
	defs = kept
	r.applyStatic(defs)
	var texts []textLit
	for i, t := range r.toks {
		if t.kind != tokString || r.skip[i] {
			continue
		}
		l := t.str.lit
		if r.formats[i] {
			l = l.format(braceFields)
		}
		texts = append(texts, textLit{l: l, mayBeAbsent: r.condReason(i)})
	}
	return append(defs, scanText(texts)...)
}

// clientCall reports whether token i is the method of a prometheus-client registration:
// .register( or .register_with_unit( in a file that uses the crate.
func (r *rustFile) clientCall(i int) bool {
	return r.pclient && r.text(i-1) == "." && r.text(i+1) == "(" && (r.text(i) == "register" || r.text(i) == "register_with_unit")
}

// defAt reads the definition a macro (macro!(…)) or a constructor (Type::new(…),
// Type::with_opts(…), Desc::new(…)) at token i makes, if any.
func (r *rustFile) defAt(i int, help map[string]string) *def {
	t := r.toks[i]
	var d *def
	switch {
	case r.text(i+1) == "!" && isOpener(r.text(i+2)):
		qual := ""
		if r.text(i-1) == "::" {
			qual = r.text(i - 2)
		}
		d = r.macro(t.text, qual, i+2, help)
	case r.text(i+1) == "::" && i+3 < len(r.toks) && r.text(i+3) == "(":
		d = r.ctor(t.text, r.text(i+2), i+3)
	case r.clientCall(i):
		d = r.clientRegister(i)
	}
	if d == nil {
		return nil
	}
	d.mayBeAbsent = firstNonEmpty(d.mayBeAbsent, r.condReason(i))
	if v := r.boundName(i); v != "" {
		r.defVars[d] = v
	}
	return d
}

func (r *rustFile) condReason(i int) string {
	if i >= 0 && i < len(r.cond) && r.cond[i] {
		return absentConditional
	}
	return ""
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// macro reads a register_*! macro of the prometheus crate, a metrics crate macro, or a
// describe_*! help.
func (r *rustFile) macro(name, qual string, open int, help map[string]string) *def {
	a := r.args(open)
	switch {
	case strings.HasPrefix(name, "register_static_") && (r.prom || qual == "prometheus_static_metric"):
		if len(a) == 0 {
			return &def{name: unknown("the macro has no arguments driftlint can read"), at: r.toks[open].start, via: name + "!"}
		}
		return r.staticRegister(name, a)
	case strings.HasPrefix(name, "register_") && (r.prom || qual == "prometheus"):
		typ := ""
		for _, t := range []string{"counter", "gauge", "histogram"} {
			if strings.Contains(name, t) {
				typ = t
			}
		}
		if typ == "" {
			return nil
		}
		if strings.HasSuffix(name, "_with_registry") && len(a) > 0 {
			a = a[:len(a)-1]
		}
		if len(a) == 0 {
			return &def{typ: typ, name: unknown("the macro has no arguments driftlint can read"), at: r.toks[open].start, via: name + "!"}
		}
		vec := strings.Contains(name, "_vec")
		d := &def{typ: typ, via: name + "!"}
		var labelArg int
		if o, ok := r.opts(a[0]); ok {
			d.name, d.at, d.help, d.labels, d.labelsUnknown = o.fq(), o.nameAt, o.help, o.labels, o.labelsUnknown
			if !vec {
				d.labels, d.labelsUnknown = slices.Concat(d.labels, o.varLabels), d.labelsUnknown || o.varLabelsUnknown
			}
			labelArg = 1
		} else {
			if len(a) < 2 {
				d.name, d.at = unknown("the options are not a literal the code shows"), r.toks[a[0].s].start
				return d
			}
			d.name, d.at = r.eval(a[0]), r.toks[a[0].s].start
			if v := r.eval(a[1]); v.known() {
				d.help = v.s
			}
			labelArg = 2
		}
		if vec {
			d.mayBeAbsent = absentLabelled
			if labelArg < len(a) {
				ls, ok := r.list(a[labelArg])
				d.labels = append(d.labels, ls...)
				d.labelsUnknown = d.labelsUnknown || !ok
			} else {
				d.labelsUnknown = true
			}
		}
		return d
	case (name == "counter" || name == "gauge" || name == "histogram" || name == "increment_counter" ||
		name == "absolute_counter" || name == "increment_gauge" || name == "decrement_gauge") && (r.metrics || qual == "metrics"):
		if len(a) == 0 {
			return nil
		}
		typ := "counter"
		switch {
		case strings.Contains(name, "gauge"):
			typ = "gauge"
		case name == "histogram":
			typ = "histogram"
		}
		d := &def{typ: typ, via: "metrics::" + name + "!", at: r.toks[a[0].s].start, mayBeAbsent: absentFirstUse}
		d.name = r.eval(a[0])
		if d.name.known() {
			d.name = known(sanitizeMetricsName(d.name.s))
		}
		pairs := false
		for _, x := range a[1:] {
			if r.has(x, "=>") {
				pairs = true
			}
		}
		for k, x := range a[1:] {
			switch {
			case r.has(x, "=>"):
				at := r.indexOf(x, "=>")
				if v := r.eval(rng{x.s, at}); v.known() {
					d.labels = append(d.labels, v.s)
				} else {
					d.labelsUnknown = true
				}
			case k == 0 && (pairs || r.toks[x.s].kind == tokNumber || r.has(x, "as")):
				// the value argument of the older macros: counter!("x", 1, "k" => v)
			default:
				d.labelsUnknown = true // a label slice built at run time
			}
		}
		return d
	case strings.HasPrefix(name, "describe_") && (r.metrics || qual == "metrics"):
		if len(a) >= 2 {
			n, h := r.eval(a[0]), r.eval(a[len(a)-1])
			if n.known() && h.known() {
				help[sanitizeMetricsName(n.s)] = h.s
			}
		}
	}
	return nil
}

// has reports whether a top-level token of x has the given text.
func (r *rustFile) has(x rng, text string) bool { return r.indexOf(x, text) >= 0 }

func (r *rustFile) indexOf(x rng, text string) int {
	for k := x.s; k < x.e; k++ {
		if r.toks[k].text == text && (r.toks[k].kind == tokPunct || r.toks[k].kind == tokIdent) {
			return k
		}
		if r.toks[k].kind == tokPunct && isOpener(r.toks[k].text) && r.match[k] > k {
			k = r.match[k]
		}
	}
	return -1
}

// ctor reads Type::new(…) and Type::with_opts(…) of the prometheus crate, and Desc::new.
func (r *rustFile) ctor(typeName, fn string, open int) *def {
	if !r.prom {
		return nil
	}
	a := r.args(open)
	if typeName == "Desc" && fn == "new" {
		if len(a) == 0 {
			return nil
		}
		d := &def{name: r.eval(a[0]), at: r.toks[a[0].s].start, via: "Desc::new", mayBeAbsent: absentCollector}
		if len(a) > 1 {
			if v := r.eval(a[1]); v.known() {
				d.help = v.s
			}
		}
		if len(a) > 2 {
			ls, ok := r.list(a[2])
			d.labels, d.labelsUnknown = ls, !ok
		}
		if len(a) > 3 && !r.emptyMap(a[3]) {
			d.labelsUnknown = true // const labels from a map built at run time
		}
		return d
	}
	typ, ok := rustCtors[typeName]
	if !ok || len(a) == 0 {
		return nil
	}
	vec := strings.HasSuffix(typeName, "Vec")
	d := &def{typ: typ, via: typeName + "::" + fn}
	switch {
	case vec && fn == "new":
		o, ok := r.opts(a[0])
		if !ok {
			d.name, d.at = unknown("the options are not a literal the code shows"), r.toks[a[0].s].start
			return d
		}
		d.name, d.at, d.help, d.labels, d.labelsUnknown = o.fq(), o.nameAt, o.help, o.labels, o.labelsUnknown
		d.mayBeAbsent = absentLabelled
		if len(a) > 1 {
			ls, ok := r.list(a[1])
			d.labels = append(d.labels, ls...)
			d.labelsUnknown = d.labelsUnknown || !ok
		} else {
			d.labelsUnknown = true
		}
	case !vec && fn == "with_opts":
		o, ok := r.opts(a[0])
		if !ok {
			d.name, d.at = unknown("the options are not a literal the code shows"), r.toks[a[0].s].start
			return d
		}
		d.name, d.at, d.help = o.fq(), o.nameAt, o.help
		d.labels, d.labelsUnknown = slices.Concat(o.labels, o.varLabels), o.labelsUnknown || o.varLabelsUnknown
	case !vec && fn == "new" && typeName != "Histogram" && len(a) >= 2:
		d.name, d.at = r.eval(a[0]), r.toks[a[0].s].start
		if v := r.eval(a[1]); v.known() {
			d.help = v.s
		}
	default:
		// not a constructor of the prometheus crate (Histogram::new, Counter::new(x) and a
		// Vec's with_opts are other crates' types of the same name)
		return nil
	}
	return d
}

// emptyMap reports whether x is HashMap::new(), HashMap::default() or Default::default().
func (r *rustFile) emptyMap(x rng) bool {
	last := r.text(x.e - 3)
	return r.text(x.e-1) == ")" && r.text(x.e-2) == "(" && (last == "new" || last == "default")
}

// rustOpts are the parts of Opts or HistogramOpts.
type rustOpts struct {
	ns, sub, name value
	nameAt        int
	help          string
	labels        []string // const labels
	labelsUnknown bool
	// varLabels are .variable_label(s): a Vec constructor replaces them with its own list.
	varLabels        []string
	varLabelsUnknown bool
}

func (o rustOpts) fq() value { return fqName(o.ns, o.sub, o.name) }

// opts reads Opts::new(…)/HistogramOpts::new(…)/opts!(…)/histogram_opts!(…) and the builder
// methods after it, or a let binding of them.
func (r *rustFile) opts(x rng) (rustOpts, bool) {
	s := x.s
	for s < x.e && r.toks[s].text == "&" {
		s++
	}
	if s >= x.e {
		return rustOpts{}, false
	}
	if segs, at, ok := r.pathAt(rng{s, x.e}); ok {
		type res struct {
			o  rustOpts
			ok bool
		}
		v, _, ok := deref(r, segs, at, func(f *rustFile, b rng) res {
			o, ok := f.opts(b)
			return res{o, ok}
		})
		return v.o, ok && v.ok
	}
	// skip a path: prometheus::opts!, prometheus::Opts::new
	for s+2 < x.e && r.toks[s].kind == tokIdent && r.text(s+1) == "::" && r.toks[s+2].kind == tokIdent && (r.text(s+2) != "new" || r.text(s+3) != "(") {
		s += 2
	}
	o := rustOpts{ns: known(""), sub: known("")}
	var open int
	switch {
	case (r.text(s) == "Opts" || r.text(s) == "HistogramOpts") && r.text(s+1) == "::" && r.text(s+2) == "new" && r.text(s+3) == "(":
		open = s + 3
	case (r.text(s) == "opts" || r.text(s) == "histogram_opts") && r.text(s+1) == "!":
		open = s + 2
	default:
		return rustOpts{}, false
	}
	a := r.args(open)
	if len(a) < 2 {
		return rustOpts{}, false
	}
	o.name, o.nameAt = r.eval(a[0]), r.toks[a[0].s].start
	if v := r.eval(a[1]); v.known() {
		o.help = v.s
	}
	if r.text(s) == "opts" || r.text(s) == "histogram_opts" {
		for _, extra := range a[2:] {
			m := extra.s
			for r.text(m+1) == "::" && m+2 < extra.e { // prometheus::labels!
				m += 2
			}
			if r.text(m) == "labels" && r.text(m+1) == "!" {
				ks, ok := r.labelsMacro(m + 2)
				o.labels = append(o.labels, ks...)
				o.labelsUnknown = o.labelsUnknown || !ok
			}
		}
	}
	// builder methods: .namespace(x) .subsystem(x) .const_label(k, v) …
	k := r.match[open] + 1
	for k+2 < x.e && r.text(k) == "." && r.text(k+2) == "(" && r.match[k+2] > 0 {
		ma := r.args(k + 2)
		switch r.text(k + 1) {
		case "namespace":
			if len(ma) == 1 {
				o.ns = r.eval(ma[0])
			}
		case "subsystem":
			if len(ma) == 1 {
				o.sub = r.eval(ma[0])
			}
		case "const_label":
			if len(ma) >= 1 {
				if v := r.eval(ma[0]); v.known() {
					o.labels = append(o.labels, v.s)
				} else {
					o.labelsUnknown = true
				}
			}
		case "variable_label":
			if len(ma) >= 1 {
				if v := r.eval(ma[0]); v.known() {
					o.varLabels = append(o.varLabels, v.s)
				} else {
					o.varLabelsUnknown = true
				}
			}
		case "const_labels":
			if len(ma) == 1 {
				if r.text(ma[0].s) == "labels" && r.text(ma[0].s+1) == "!" {
					ks, ok := r.labelsMacro(ma[0].s + 2)
					o.labels = append(o.labels, ks...)
					o.labelsUnknown = o.labelsUnknown || !ok
				} else {
					o.labelsUnknown = true
				}
			}
		case "variable_labels":
			if len(ma) == 1 {
				ls, ok := r.list(ma[0])
				o.varLabels = append(o.varLabels, ls...)
				o.varLabelsUnknown = o.varLabelsUnknown || !ok
			}
		}
		k = r.match[k+2] + 1
	}
	return o, true
}

// labelsMacro reads the keys of labels!{ "k" => v, … } opened at open.
func (r *rustFile) labelsMacro(open int) ([]string, bool) {
	if open >= len(r.toks) || r.match[open] < 0 {
		return nil, false
	}
	var out []string
	all := true
	for _, x := range r.args(open) {
		at := r.indexOf(x, "=>")
		if at < 0 {
			all = false
			continue
		}
		if v := r.eval(rng{x.s, at}); v.known() {
			out = append(out, v.s)
		} else {
			all = false
		}
	}
	return out, all
}

// list reads a label list: &["a", "b"], vec!["a".to_string()], a const or let binding.
func (r *rustFile) list(x rng) ([]string, bool) {
	s := x.s
	for s < x.e && r.toks[s].text == "&" {
		s++
	}
	if s >= x.e {
		return nil, false
	}
	if segs, at, ok := r.pathAt(rng{s, x.e}); ok {
		type res struct {
			ls []string
			ok bool
		}
		v, _, ok := deref(r, segs, at, func(f *rustFile, b rng) res {
			ls, ok := f.list(b)
			return res{ls, ok}
		})
		return v.ls, ok && v.ok
	}
	if r.text(s) == "vec" && r.text(s+1) == "!" {
		s += 2
	}
	if (r.text(s) == "Vec" || r.text(s) == "HashMap") && r.text(s+1) == "::" && (r.text(s+2) == "new" || r.text(s+2) == "default") {
		return nil, true
	}
	if r.text(s) != "[" || r.match[s] < 0 || r.match[s]+1 != x.e && r.text(r.match[s]+1) != "." {
		return nil, false
	}
	var out []string
	all := true
	for _, el := range r.args(s) {
		if v := r.eval(el); v.known() {
			out = append(out, v.s)
		} else {
			all = false
		}
	}
	return out, all
}

// stringMethods may follow a string without changing it.
var stringMethods = map[string]bool{"to_string": true, "to_owned": true, "into": true, "as_str": true, "as_ref": true, "clone": true}

// eval works out a string expression: literals, constants, let bindings, concat!, +, and
// .to_string() and friends; format! and anything else is unknown, with the reason.
func (r *rustFile) eval(x rng) value {
	s, e := x.s, x.e
	for s < e && r.toks[s].text == "&" {
		s++
	}
	// strip trailing .to_string() .into() …
	for e-s >= 4 && r.text(e-1) == ")" && r.text(e-2) == "(" && stringMethods[r.text(e-3)] && r.text(e-4) == "." {
		e -= 4
	}
	if s >= e {
		return unknown("the name is empty")
	}
	// a + b
	if parts := r.split(rng{s, e}, "+"); len(parts) > 1 {
		vs := make([]value, len(parts))
		for k, p := range parts {
			vs[k] = r.eval(p)
		}
		return concat(vs...)
	}
	t := r.toks[s]
	if s+1 == e {
		switch t.kind {
		case tokString:
			return known(t.str.s)
		case tokIdent:
			return r.evalName([]string{t.text}, s)
		default:
		}
	}
	if t.kind == tokPunct && t.text == "(" && r.match[s] == e-1 {
		return r.eval(rng{s + 1, e - 1})
	}
	// String::from(x), path::CONST
	if t.text == "String" && r.text(s+1) == "::" && r.text(s+2) == "from" && r.text(s+3) == "(" && r.match[s+3] == e-1 {
		return r.eval(rng{s + 4, e - 1})
	}
	if segs, at, ok := r.pathAt(rng{s, e}); ok {
		return r.evalName(segs, at)
	}
	if t.kind == tokIdent && r.text(s+1) == "!" && r.match[s+2] == e-1 {
		a := r.args(s + 2)
		switch t.text {
		case "concat":
			vs := make([]value, len(a))
			for k, p := range a {
				vs[k] = r.eval(p)
			}
			return concat(vs...)
		case "format":
			if len(a) > 0 && a[0].e == a[0].s+1 && r.toks[a[0].s].kind == tokString {
				return r.formatArgs(r.toks[a[0].s].str.s, a[1:], s)
			}
			return unknown("the name is built by format!")
		}
		return unknown(fmt.Sprintf("the name is built by %s!", t.text))
	}
	return unknown("the name is computed at run time")
}

// formatArgs evaluates format!(format, args…) at token at: {} and {N} take the arguments,
// {name} a named argument or a captured constant; a field with a format spec, or whose
// argument is not constant, is a hole.
func (r *rustFile) formatArgs(format string, args []rng, at int) value {
	named := map[string]rng{}
	var positional []rng
	for _, x := range args {
		if r.toks[x.s].kind == tokIdent && r.text(x.s+1) == "=" && x.s+2 < x.e {
			named[r.text(x.s)] = rng{x.s + 2, x.e}
		} else {
			positional = append(positional, x)
		}
	}
	next := 0
	return fillFormat(format, braceFields, func(_ int, spec string) value {
		field := spec[1 : len(spec)-1]
		if strings.Contains(field, ":") {
			return unknown("")
		}
		switch {
		case field == "":
			if next >= len(positional) {
				return unknown("")
			}
			next++
			return r.eval(positional[next-1])
		case field[0] >= '0' && field[0] <= '9':
			k := 0
			for _, c := range field {
				if c < '0' || c > '9' {
					return unknown("")
				}
				k = k*10 + int(c-'0')
			}
			if k >= len(positional) {
				return unknown("")
			}
			return r.eval(positional[k])
		}
		if x, ok := named[field]; ok {
			return r.eval(x)
		}
		return r.evalName([]string{field}, at)
	}, "the name is built by format! from values computed at run time")
}

// split cuts x at the top-level tokens with text sep.
func (r *rustFile) split(x rng, sep string) []rng {
	var out []rng
	start := x.s
	for k := x.s; k < x.e; k++ {
		t := r.toks[k]
		if t.kind != tokPunct {
			continue
		}
		if isOpener(t.text) && r.match[k] > k {
			k = r.match[k]
			continue
		}
		if t.text == sep {
			out = append(out, rng{start, k})
			start = k + 1
		}
	}
	return append(out, rng{start, x.e})
}

// evalName resolves a name or path used at token i as a string.
func (r *rustFile) evalName(segs []string, i int) value {
	name := strings.Join(segs, "::")
	if len(segs) == 1 {
		for _, body := range r.loops[name] {
			if body < i && r.match[body] > i {
				return unknown("the name comes from the loop variable " + name)
			}
		}
	}
	v, why, ok := deref(r, segs, i, (*rustFile).eval)
	if !ok {
		return unknown(why)
	}
	if !v.known() && !strings.HasPrefix(v.why, "the name comes from") {
		v.why = fmt.Sprintf("the name comes from %s, whose value %s", name, strings.TrimPrefix(v.why, "the name "))
	}
	return v
}

func isOpener(s string) bool { return s == "(" || s == "[" || s == "{" }

// sanitizeMetricsName turns a metrics crate key into the name metrics-exporter-prometheus
// exports: characters outside [a-zA-Z0-9_:] (and a leading digit) become _.
func sanitizeMetricsName(s string) string {
	var b strings.Builder
	for i, c := range s {
		if c == '_' || c == ':' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || i > 0 && '0' <= c && c <= '9' {
			b.WriteRune(c)
		} else {
			b.WriteByte('_')
		}
	}
	return b.String()
}
