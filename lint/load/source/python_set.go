package source

import (
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/driftlint/driftlint/lint"
)

// The bounds of following names and wrappers across a set of Python files.
const (
	// pyMaxDepth bounds the nesting of wrapper calls evaluated at one call site, and of the
	// names, imports and bindings followed to work out one value.
	pyMaxDepth = 8
	// pyMaxExpansions bounds the wrapper calls evaluated in one set of files.
	pyMaxExpansions = 4096
	// pyMaxSteps bounds the names followed to work out one value (L = L + L doubles them).
	pyMaxSteps = 10000
)

// pySet is the Python files read together: modules by dotted name, so that names imported
// from one another resolve, and the project's wrappers of prometheus_client.
type pySet struct {
	files      []*pyFile
	mods       map[string]*pyFile
	depth      int // names being followed now
	steps      int // names followed since depth was last 0
	expansions int // wrapper calls evaluated so far
}

// pyRef is a name imported from a module: from mod import name.
type pyRef struct{ mod, name string }

// pyDef is a function or method definition.
type pyDef struct {
	file    *pyFile
	name    string
	class   string // the class of a method
	top     bool   // a module-level function
	params  []pyParam
	body    rng // from the end of the parameter list to the end of the block
	wrapper bool
	sites   int // calls of it in the set
	// locals are the expressions assigned to each name in the body (pyRebound for a name
	// bound otherwise).
	locals map[string][]rng
}

// pyParam is a parameter of a def.
type pyParam struct {
	name   string
	def    rng // the default value, when hasDef
	hasDef bool
	kind   int  // 0 plain, 1 *args, 2 **kwargs
	kwOnly bool // after * or *args
}

// pyClass is a module-level class.
type pyClass struct {
	file  *pyFile
	name  string
	bases []rng
}

// pyBind is an expression bound to a name, with the bindings it is evaluated with.
type pyBind struct {
	file *pyFile
	r    rng
	env  *pyEnv
}

// pyEnv binds a wrapper's parameters to the arguments of one call site.
type pyEnv struct {
	params  map[string]pyBind
	unbound map[string]bool
	kwName  string            // the name of the **kwargs parameter
	kwargs  map[string]pyBind // keyword arguments it collects
	kwStar  bool              // the call site passes *args or **kwargs of its own
}

func (e *pyEnv) param(name string) (pyBind, bool) {
	if e == nil {
		return pyBind{}, false
	}
	b, ok := e.params[name]
	return b, ok
}

// pyCall is a call whose callee is a prometheus_client class or a def of the set.
type pyCall struct {
	open   int // the ( token
	at     int // the callee's last name token
	cls    string
	target *pyDef // the def (or class __init__) called
	owner  *pyDef // the innermost def whose body holds the call
}

// pySymKind is what a name refers to.
type pySymKind int

const (
	symNone     pySymKind = iota
	symValue              // an expression
	symClass              // a prometheus_client class
	symPromMod            // the prometheus_client module or a submodule
	symModule             // a module of the set (or a package)
	symDef                // a function or method
	symUserType           // a class of the set
)

type pySym struct {
	kind  pySymKind
	bind  pyBind
	cls   string
	mod   string
	def   *pyDef
	class *pyClass
}

// newPySet indexes files: module names from the paths (a folder with __init__.py is a
// package, up to the top package), then each file's tokens, imports, constants and defs, then
// the calls and the wrappers.
func newPySet(files []*lint.SourceFile) *pySet {
	set := &pySet{mods: map[string]*pyFile{}}
	inits := map[string]bool{}
	prom := false
	var alias []*pyFile
	for _, f := range files {
		if b := path.Base(f.Path); b == "__init__.py" || b == "__init__.pyi" {
			inits[path.Dir(f.Path)] = true
		}
		prom = prom || strings.Contains(f.Text(), "prometheus_client")
	}
	var scratch []tok
	for _, f := range files {
		p := &pyFile{
			f: f, set: set, imports: map[string]string{}, modules: map[string]bool{}, shadow: map[string]bool{},
			from: map[string]pyRef{}, modAs: map[string]string{}, attrs: map[string][]rng{}, classes: map[string]*pyClass{},
			consts: map[string][]rng{}, dynamic: map[string]bool{}, loops: map[string]bool{}, params: map[string]bool{}, evaling: map[string]bool{},
		}
		set.files = append(set.files, p)
		if isPythonTest(f.Path) || !prom && !looksLikeExpositionText(f.Text()) {
			p.skip = true
			continue
		}
		p.mod, p.pkg = pyModuleName(f.Path, inits)
		if _, ok := set.mods[p.mod]; !ok {
			set.mods[p.mod] = p
		}
		alias = append(alias, p)
		// Every file is tokenized, for its problems; only the files that can define a metric
		// keep their tokens now, the others when a name is looked up in them (the tokens are
		// the same then, so what was learned of them holds).
		text := f.Text()
		seed := strings.Contains(text, "prometheus_client") || strings.Contains(text, "documentation=") ||
			strings.Contains(text, "# TYPE") || strings.Contains(text, "# HELP")
		toks, terr := tokenizePythonInto(scratch[:0], text, !seed)
		scratch = toks
		if terr != nil {
			p.probs = append(p.probs, lint.ParseProblem{At: f.Pos(terr.off), Message: "python: " + terr.msg})
		}
		if seed {
			p.load(slices.Clone(toks))
			p.caller = true
		}
	}
	// Without __init__.py (namespace packages, src layouts), a module may be imported by
	// any dotted tail of its path: those names go to the first file that has them.
	for _, p := range alias {
		for _, m := range pyPathNames(p.f.Path) {
			if _, ok := set.mods[m]; !ok {
				set.mods[m] = p
			}
		}
	}
	set.findAllCalls(alias)
	set.countSites()
	return set
}

// load indexes the file with its tokens.
func (p *pyFile) load(toks []tok) {
	p.loaded = true
	p.toks = toks
	p.guard(p.index)
}

// ensure loads a file not loaded yet: tokenizes and indexes it.
func (p *pyFile) ensure() {
	if p.loaded || p.skip {
		return
	}
	toks, _ := tokenizePythonInto(make([]tok, 0, len(p.f.Src)/7+16), p.f.Text(), false)
	p.load(toks)
}

// findAllCalls finds the calls of the files that may call a constructor (the seeds), then of
// each file that names something that may define a metric when called (a prometheus_client
// class by a name some file gives it, a wrapper, a class whose __init__ is one, an attribute,
// constant or import standing for one), until no file is added. A file loaded only because
// a name was looked up in it calls nothing of that kind.
func (s *pySet) findAllCalls(files []*pyFile) {
	scanned := map[*pyFile]bool{}
	seen := map[string]bool{} // the names the files were checked for
	for range len(files) + 1 {
		for _, p := range files {
			if p.caller && !scanned[p] {
				scanned[p] = true
				p.guard(p.findCalls)
			}
		}
		s.findWrappers()
		// the names are only ever added to: a file is checked for the new ones
		names := map[string]bool{}
		for n, ok := range s.callables() {
			if ok && !seen[n] {
				names[n], seen[n] = true, true
			}
		}
		if len(names) == 0 {
			return
		}
		added := false
		for _, p := range files {
			if !p.caller && !p.skip && mentions(p.f.Text(), names) {
				p.ensure()
				p.caller, added = true, true
			}
		}
		if !added {
			return
		}
	}
}

// callables are the names under which the loaded files know something whose call may define
// a metric.
func (s *pySet) callables() map[string]bool {
	names := map[string]bool{"prometheus_client": true}
	for _, p := range s.files {
		if !p.caller || p.skip {
			continue
		}
		for n, cls := range p.imports {
			names[n] = names[n] || callable(pySym{kind: symClass, cls: cls})
		}
		for n := range p.modules {
			names[n] = true
		}
		for _, d := range p.defs {
			if d.wrapper {
				names[d.name] = d.name != "__init__"
				if d.name == "__init__" && d.class != "" {
					names[d.class] = true
				}
			}
		}
		for k, rs := range p.attrs {
			if callable(p.attrSym(rs)) {
				names[k[strings.IndexByte(k, '.')+1:]] = true
			}
		}
		for n := range p.consts {
			names[n] = names[n] || callable(p.lookup(n))
		}
		for n := range p.from {
			names[n] = names[n] || callable(p.lookup(n))
		}
	}
	return names
}

// callable reports whether a call of s may define a metric: a prometheus_client class, a
// wrapper, a class whose __init__ is one.
func callable(s pySym) bool {
	switch s.kind {
	case symClass:
		_, metric := pyMetricClasses[s.cls]
		_, family := pyFamilyClasses[s.cls]
		return metric || family
	case symPromMod:
		return true
	case symDef:
		return s.def.wrapper
	case symUserType:
		d := s.class.init(0)
		return d != nil && d.wrapper
	case symNone, symValue, symModule:
	}
	return false
}

// mentions reports whether text holds an identifier of names.
func mentions(text string, names map[string]bool) bool {
	if len(names) <= 8 {
		hit := false
		for n := range names {
			hit = hit || strings.Contains(text, n)
		}
		if !hit {
			return false
		}
	}
	for i := 0; i < len(text); {
		if !isIdentStart(text[i]) {
			i++
			continue
		}
		j := i + 1
		for j < len(text) && isIdentByte(text[j]) {
			j++
		}
		if names[text[i:j]] {
			return true
		}
		i = j
	}
	return false
}

// guard runs f, turning a panic into a problem of the file that stops reading it.
func (p *pyFile) guard(f func()) {
	defer func() {
		if v := recover(); v != nil {
			p.skip = true
			p.probs = append(p.probs, lint.ParseProblem{At: lint.Pos{File: p.f.Path}, Message: fmt.Sprintf("could not read the metric definitions: %v", v)})
		}
	}()
	f()
}

// pyModuleName names a file's module from its path: the folders with an __init__.py above it
// are its packages. pkg is the package its relative imports start from.
func pyModuleName(p string, inits map[string]bool) (mod, pkg string) {
	dir := path.Dir(p)
	base := path.Base(p)
	stem := strings.TrimSuffix(base, path.Ext(base))
	var parts []string
	if stem != "__init__" {
		parts = []string{stem}
	}
	for n := 0; inits[dir] && n < 64; n++ {
		parts = append([]string{path.Base(dir)}, parts...)
		if dir == "." || dir == "/" {
			break
		}
		dir = path.Dir(dir)
	}
	mod = strings.Join(parts, ".")
	pkg = mod
	if stem != "__init__" {
		pkg = strings.Join(parts[:len(parts)-1], ".")
	}
	return mod, pkg
}

// pyPathNames are the dotted names of every tail of a file's path: a/b/c.py gives c, b.c and
// a.b.c (a package's __init__.py names the package).
func pyPathNames(p string) []string {
	p = strings.TrimSuffix(p, path.Ext(p))
	p = strings.TrimSuffix(strings.TrimSuffix(p, "__init__"), "/")
	parts := strings.Split(p, "/")
	var out []string
	for i := len(parts) - 1; i >= 0 && len(out) < 16; i-- {
		if parts[i] == "" || parts[i] == "." || parts[i] == ".." {
			break
		}
		out = append(out, strings.Join(parts[i:], "."))
	}
	return out
}

// absModule turns the module of a from-import into an absolute module name.
func (p *pyFile) absModule(mod string) string {
	rest := strings.TrimLeft(mod, ".")
	n := len(mod) - len(rest)
	if n == 0 {
		return mod
	}
	base := p.pkg
	for range n - 1 {
		if k := strings.LastIndexByte(base, '.'); k >= 0 {
			base = base[:k]
		} else {
			base = ""
		}
	}
	switch {
	case rest == "":
		return base
	case base == "":
		return rest
	}
	return base + "." + rest
}

// newDef reads the def whose keyword is at token at; its body ends where its block does.
func (p *pyFile) newDef(at, end int, class string, top bool) *pyDef {
	d := &pyDef{file: p, name: p.text(at + 1), class: class, top: top, body: rng{end, end}}
	open := at + 2
	if p.text(open) != "(" || p.match[open] < 0 {
		return d
	}
	d.body.s = p.match[open] + 1
	kwOnly := false
	for _, el := range p.elements(open) {
		prm := pyParam{kwOnly: kwOnly}
		k := el.s
		switch p.text(k) {
		case "*":
			kwOnly, prm.kwOnly = true, true
			if k+1 == el.e {
				continue
			}
			prm.kind = 1
			k++
		case "**":
			prm.kind = 2
			k++
		case "/":
			continue
		}
		if p.toks[k].kind != tokIdent {
			continue
		}
		prm.name = p.text(k)
		for j := k + 1; j < el.e; j++ {
			if p.text(j) == "=" && p.toks[j].depth == p.toks[k].depth {
				prm.def, prm.hasDef = rng{j + 1, el.e}, true
				break
			}
		}
		d.params = append(d.params, prm)
		p.params[prm.name] = true
	}
	p.defs = append(p.defs, d)
	return d
}

// newClass reads the class whose name is at token at.
func (p *pyFile) newClass(at, end int) *pyClass {
	c := &pyClass{file: p, name: p.text(at)}
	if open := at + 1; p.text(open) == "(" && p.match[open] > open && p.match[open] < end {
		for _, el := range p.elements(open) {
			if p.dotted(el) {
				c.bases = append(c.bases, el)
			}
		}
	}
	return c
}

// dotted reports whether x is a name or a dotted name (a.b.c).
func (p *pyFile) dotted(x rng) bool {
	if x.s < 0 || x.s >= x.e || (x.e-x.s)%2 == 0 {
		return false
	}
	for k := x.s; k < x.e; k++ {
		if (k-x.s)%2 == 0 && p.toks[k].kind != tokIdent || (k-x.s)%2 == 1 && p.text(k) != "." {
			return false
		}
	}
	return true
}

// names returns the names of a dotted name.
func (p *pyFile) names(x rng) []string {
	var out []string
	for k := x.s; k < x.e; k += 2 {
		out = append(out, p.text(k))
	}
	return out
}

// source is the text of a token range as written.
func (p *pyFile) source(x rng) string {
	if x.s >= x.e {
		return ""
	}
	return p.f.Text()[p.toks[x.s].start:p.toks[x.e-1].end]
}

// enter counts one more name being followed, and reports whether that is within bounds.
func (s *pySet) enter() bool {
	if s.depth == 0 {
		s.steps = 0
	}
	s.steps++
	if s.depth >= 8*pyMaxDepth || s.steps > pyMaxSteps {
		return false
	}
	s.depth++
	return true
}

func (s *pySet) leave() { s.depth-- }

const pyTooDeep = "the name is defined through more names, imports or wrapper calls than are followed"

// evalIn evaluates r in the file with the parameter bindings env.
func (p *pyFile) evalIn(env *pyEnv, r rng) value {
	if !p.set.enter() {
		return unknown(pyTooDeep)
	}
	defer p.set.leave()
	saved := p.env
	p.env = env
	defer func() { p.env = saved }()
	return p.eval(r)
}

// listIn reads the label list r in the file with the parameter bindings env.
func (p *pyFile) listIn(env *pyEnv, r rng) ([]string, bool) {
	if !p.set.enter() {
		return nil, false
	}
	defer p.set.leave()
	saved := p.env
	p.env = env
	defer func() { p.env = saved }()
	return p.list(r)
}

// bound returns the expression a dotted name stands for: a bound parameter, a constant of the
// file or of another module, a class attribute.
func (p *pyFile) bound(x rng) (pyBind, bool) {
	s := p.resolve(p.names(x), x.s)
	return s.bind, s.kind == symValue
}

// resolve finds what a dotted name at token at refers to.
func (p *pyFile) resolve(names []string, at int) pySym {
	if len(names) == 0 || !p.set.enter() {
		return pySym{}
	}
	defer p.set.leave()
	first := names[0]
	if b, ok := p.env.param(first); ok {
		if len(names) == 1 {
			return pySym{kind: symValue, bind: b}
		}
		return pySym{}
	}
	if len(names) == 1 {
		if b, ok := p.local(first, at); ok {
			if p.dotted(b.r) {
				if s := p.resolve(p.names(b.r), b.r.s); s.kind != symNone {
					return s
				}
			}
			return pySym{kind: symValue, bind: b}
		}
	}
	if (first == "self" || first == "cls") && len(names) == 2 {
		return p.member(p.classAt(at), names[1])
	}
	s := p.lookup(first)
	for _, n := range names[1:] {
		switch s.kind {
		case symPromMod:
			s = pySym{kind: symClass, cls: n}
		case symClass:
			s = pySym{kind: symClass, cls: n} // prometheus_client.core.X
		case symModule:
			if _, ok := p.set.mods[s.mod+"."+n]; ok {
				s = pySym{kind: symModule, mod: s.mod + "." + n}
			} else if q := p.set.mods[s.mod]; q != nil {
				s = q.lookup(n)
			} else {
				s = pySym{kind: symModule, mod: s.mod + "." + n}
			}
		case symUserType:
			s = s.class.file.member(s.class.name, n)
		default:
			return pySym{}
		}
	}
	return s
}

// classAt is the class whose method holds token at.
func (p *pyFile) classAt(at int) string {
	if d := p.owner(at); d != nil {
		return d.class
	}
	return ""
}

// owner is the innermost def whose body holds token at.
func (p *pyFile) owner(at int) *pyDef {
	var out *pyDef
	for _, d := range p.defs {
		if d.body.s <= at && at < d.body.e {
			out = d
		}
	}
	return out
}

// member finds an attribute of a class of the set: a method, or a class attribute or self.X
// (then what its expression refers to), the class's own or else its bases'.
func (p *pyFile) member(class, name string) pySym {
	if class == "" || !p.set.enter() {
		return pySym{}
	}
	defer p.set.leave()
	for _, d := range p.defs {
		if d.class == class && d.name == name {
			return pySym{kind: symDef, def: d}
		}
	}
	if rs := p.attrs[class+"."+name]; len(rs) > 0 {
		return p.attrSym(rs)
	}
	if c := p.classes[class]; c != nil {
		for _, b := range c.bases {
			if s := p.resolve(p.names(b), b.s); s.kind == symUserType {
				if m := s.class.file.member(s.class.name, name); m.kind != symNone {
					return m
				}
			}
		}
	}
	return pySym{}
}

// attrSym is what an attribute assigned the expressions rs refers to: the one expression, or
// the one prometheus_client class that every assignment names (a class attribute
// _counter_cls = Counter, and self._counter_cls = metric_types[Counter] in __init__).
func (p *pyFile) attrSym(rs []rng) pySym {
	if len(rs) == 1 {
		if s := p.classSym(rs[0]); s.kind == symClass || p.dotted(rs[0]) {
			return s
		}
		return pySym{kind: symValue, bind: pyBind{file: p, r: rs[0]}}
	}
	cls := ""
	for _, r := range rs {
		s := p.classSym(r)
		if s.kind != symClass || cls != "" && s.cls != cls {
			return pySym{}
		}
		cls = s.cls
	}
	return pySym{kind: symClass, cls: cls}
}

// classSym resolves an attribute's expression that may name a constructor: a dotted name,
// or X[C] with C a prometheus_client class — a constructor looked up by the class it stands
// for (vLLM's metric_types[Counter], which maps Counter to Counter or to a wrapper of it).
func (p *pyFile) classSym(r rng) pySym {
	if p.dotted(r) {
		return p.resolve(p.names(r), r.s)
	}
	k := r.e - 1
	if r.s >= r.e || p.text(k) != "]" {
		return pySym{}
	}
	o := p.match[k]
	if o <= r.s || !p.dotted(rng{r.s, o}) || !p.dotted(rng{o + 1, k}) {
		return pySym{}
	}
	if s := p.resolve(p.names(rng{o + 1, k}), o+1); s.kind == symClass {
		return s
	}
	return pySym{}
}

// lookup finds what a module-level name of the file refers to.
func (p *pyFile) lookup(name string) pySym {
	p.ensure()
	if !p.set.enter() {
		return pySym{}
	}
	defer p.set.leave()
	if cls, ok := p.imports[name]; ok {
		return pySym{kind: symClass, cls: cls}
	}
	if p.modules[name] {
		return pySym{kind: symPromMod}
	}
	if p.star && !p.shadow[name] {
		_, metric := pyMetricClasses[name]
		_, family := pyFamilyClasses[name]
		if metric || family {
			return pySym{kind: symClass, cls: name}
		}
	}
	if c := p.classes[name]; c != nil {
		return pySym{kind: symUserType, class: c}
	}
	for _, d := range p.defs {
		if d.top && d.name == name {
			return pySym{kind: symDef, def: d}
		}
	}
	if r, ok := p.constant(name); ok {
		if p.dotted(r) {
			if s := p.resolve(p.names(r), r.s); s.kind != symNone {
				return s
			}
		}
		return pySym{kind: symValue, bind: pyBind{file: p, r: r}}
	}
	if ref, ok := p.from[name]; ok {
		if _, ok := p.set.mods[ref.mod+"."+ref.name]; ok {
			return pySym{kind: symModule, mod: ref.mod + "." + ref.name}
		}
		if q := p.set.mods[ref.mod]; q != nil {
			return q.lookup(ref.name)
		}
		return pySym{}
	}
	if m, ok := p.modAs[name]; ok {
		return pySym{kind: symModule, mod: m}
	}
	for _, m := range slices.Backward(p.starFrom) {
		if q := p.set.mods[m]; q != nil {
			if s := q.lookup(name); s.kind != symNone {
				return s
			}
		}
	}
	return pySym{}
}

// findCalls lists the calls of prometheus_client classes and of the set's defs and classes.
func (p *pyFile) findCalls() {
	for i, t := range p.toks {
		if t.kind != tokPunct || t.text != "(" || p.match[i] < 0 {
			continue
		}
		k := i - 1
		if k < 0 || p.toks[k].kind != tokIdent {
			continue
		}
		j := k
		for j >= 2 && p.text(j-1) == "." && p.toks[j-2].kind == tokIdent {
			j -= 2
		}
		if j >= 1 && p.text(j-1) == "." {
			continue // the attribute of a call's result or of a subscript
		}
		if p.text(j-1) == "def" || p.text(j-1) == "class" {
			continue
		}
		s := p.resolve(p.names(rng{j, k + 1}), i)
		c := pyCall{open: i, at: k, owner: p.owner(i)}
		switch s.kind {
		case symClass:
			_, metric := pyMetricClasses[s.cls]
			_, family := pyFamilyClasses[s.cls]
			if !metric && !family {
				continue
			}
			c.cls = s.cls
		case symDef:
			c.target = s.def
		case symUserType:
			c.target = s.class.init(0)
		case symPromMod:
		default:
			if p.metricLike(i) {
				p.unread = append(p.unread, c)
			}
		}
		if c.cls == "" && c.target == nil {
			continue
		}
		p.calls = append(p.calls, c)
	}
}

// init finds the __init__ of a class, its own or its bases'.
func (c *pyClass) init(depth int) *pyDef {
	if depth > pyMaxDepth {
		return nil
	}
	if s := c.file.member(c.name, "__init__"); s.kind == symDef {
		return s.def
	}
	for _, b := range c.bases {
		if s := c.file.resolve(c.file.names(b), b.s); s.kind == symUserType {
			if d := s.class.init(depth + 1); d != nil {
				return d
			}
		}
	}
	return nil
}

// mentions reports whether the arguments of the call at open use a parameter of d.
func (p *pyFile) mentions(open int, d *pyDef) bool {
	for k := open + 1; k < p.match[open]; k++ {
		if p.toks[k].kind != tokIdent || p.text(k-1) == "." {
			continue
		}
		for i, prm := range d.params {
			self := i == 0 && d.class != "" && prm.kind == 0
			if prm.name == p.text(k) && !self {
				return true
			}
		}
	}
	return false
}

// findWrappers marks the defs that pass a parameter on to a prometheus_client constructor or
// to another wrapper.
func (s *pySet) findWrappers() {
	for range pyMaxDepth {
		changed := false
		for _, p := range s.files {
			for _, c := range p.calls {
				if c.owner == nil || c.owner.wrapper || c.cls == "" && !c.target.wrapper {
					continue
				}
				if p.mentions(c.open, c.owner) {
					c.owner.wrapper, changed = true, true
				}
			}
		}
		if !changed {
			break
		}
	}
}

// countSites counts the calls of each wrapper.
func (s *pySet) countSites() {
	for _, p := range s.files {
		for _, c := range p.calls {
			if c.target != nil && c.target.wrapper {
				c.target.sites++
			}
		}
	}
}

// definitions returns the definitions of each file, in the order of the files.
func (s *pySet) definitions() [][]*def {
	out := make([][]*def, len(s.files))
	for i, p := range s.files {
		if p.skip {
			continue
		}
		p.guard(func() { out[i] = p.definitions() })
	}
	return out
}

// definitions reads the file's constructor calls, evaluates the wrappers it calls at each
// call site, and reads its exposition text.
func (p *pyFile) definitions() []*def {
	var defs []*def
	for _, c := range p.calls {
		if w := c.owner; w != nil && w.wrapper && w.sites > 0 && p.mentions(c.open, w) {
			continue // evaluated at each call site of w
		}
		switch {
		case c.cls != "":
			if d := p.construct(c); d != nil {
				defs = append(defs, d)
			}
		case c.target.wrapper:
			site := pySite{at: p.siteAt(c), cond: p.condReason(c.open)}
			defs = append(defs, p.expand(c, site, 1)...)
		}
	}
	for _, c := range p.unread {
		defs = append(defs, p.unreadDef(c))
	}
	for _, d := range defs {
		if d.name.known() && d.name.s == "" {
			d.name = unknown("the name is empty")
		}
	}
	return append(defs, scanText(p.texts())...)
}

// construct reads a prometheus_client constructor call.
func (p *pyFile) construct(c pyCall) *def {
	if typ, ok := pyMetricClasses[c.cls]; ok {
		return p.metric(c.cls, typ, c.open, c.at)
	}
	fc := pyFamilyClasses[c.cls]
	return p.family(c.cls, fc.typ, fc.labels, c.open, c.at)
}

// pySite is the call site of a wrapper outside any wrapper, where its definitions go.
type pySite struct {
	at   int // file offset: the name argument, else the callee
	cond string
}

// siteAt is the offset of the name argument of a wrapper call (the first or name=), else of
// the callee.
func (p *pyFile) siteAt(c pyCall) int {
	a := p.args(c.open)
	if r, ok := a.arg(0, "name"); ok {
		return p.toks[r.s].start
	}
	return p.toks[c.at].start
}

// expand evaluates the wrapper that c calls with c's arguments: its constructor calls and
// the wrappers it calls, depth calls deep, each definition at the site.
func (p *pyFile) expand(c pyCall, site pySite, depth int) []*def {
	w := c.target
	bad := func(why string) []*def {
		return []*def{{name: unknown(why), at: site.at, via: "wrapper " + w.name, mayBeAbsent: site.cond}}
	}
	if depth > pyMaxDepth {
		return bad(fmt.Sprintf("the name is passed through more than %d wrapper calls", pyMaxDepth))
	}
	if p.set.expansions >= pyMaxExpansions {
		return bad(fmt.Sprintf("the wrapper %s is not evaluated: the files call wrappers more than %d times", w.name, pyMaxExpansions))
	}
	p.set.expansions++
	env := p.bind(w, c.open)
	q := w.file
	var out []*def
	saved := q.env
	q.env = env
	defer func() { q.env = saved }()
	for _, ic := range q.calls {
		if ic.owner != w || !q.mentions(ic.open, w) {
			continue
		}
		switch {
		case ic.cls != "":
			d := q.construct(ic)
			d.at = site.at
			if site.cond != "" && d.mayBeAbsent == "" {
				d.mayBeAbsent = site.cond
			}
			out = append(out, d)
		case ic.target.wrapper:
			out = append(out, q.expand(ic, site, depth+1)...)
		}
	}
	return out
}

// bind binds the parameters of w to the arguments of the call at open.
func (p *pyFile) bind(w *pyDef, open int) *pyEnv {
	a := p.args(open)
	env := &pyEnv{params: map[string]pyBind{}, unbound: map[string]bool{}, kwargs: map[string]pyBind{}, kwStar: a.star}
	params := w.params
	if w.class != "" && len(params) > 0 && params[0].kind == 0 {
		params = params[1:] // self
	}
	used := map[string]bool{}
	pi := 0
	for _, prm := range params {
		switch prm.kind {
		case 1:
			pi = len(a.pos)
			env.unbound[prm.name] = true
			continue
		case 2:
			env.kwName = prm.name
			continue
		}
		r, byName := a.kw[prm.name]
		ext, byExt := a.ext[prm.name]
		switch {
		case byName:
			env.params[prm.name] = pyBind{file: p, r: r, env: p.env}
			used[prm.name] = true
		case byExt:
			env.params[prm.name] = ext
			used[prm.name] = true
		case pi < len(a.pos) && !prm.kwOnly:
			env.params[prm.name] = pyBind{file: p, r: a.pos[pi], env: p.env}
			pi++
		case prm.hasDef:
			env.params[prm.name] = pyBind{file: w.file, r: prm.def}
		default:
			env.unbound[prm.name] = true
		}
	}
	for k, r := range a.kw {
		if !used[k] {
			env.kwargs[k] = pyBind{file: p, r: r, env: p.env}
		}
	}
	for k, b := range a.ext {
		if !used[k] {
			env.kwargs[k] = b
		}
	}
	return env
}

// loadPythonFiles reads Python files together, so that names resolve across their modules.
func loadPythonFiles(files []*lint.SourceFile) []Result {
	set := newPySet(files)
	defs := set.definitions()
	set.readUses(defs)
	out := make([]Result, len(files))
	for i, p := range set.files {
		out[i] = finish(p.f, "python", defs[i], p.probs)
	}
	return out
}
