package source

import (
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/driftlint/driftlint/lint"
)

// Bounds of the Rust reader's work across files. A bound that is hit makes the name it was
// working out unknown, with a reason that says so (source/unresolved reports it).
const (
	// maxRustEvalDepth bounds a chain of names (a constant made of a constant made of …).
	maxRustEvalDepth = 32
	// maxRustUseDepth bounds the use declarations and re-exports followed for one path.
	maxRustUseDepth = 8
	// maxRustCallSites bounds the call sites read for a function whose parameter names a metric.
	maxRustCallSites = 16
	// maxRustCallDepth bounds how many calls up a parameter is followed.
	maxRustCallDepth = 3
	// maxRustExpansions bounds the definitions one definition site gives through call sites.
	maxRustExpansions = 64
	// maxRustEvalSteps bounds the names looked up to read one definition (A = B + B; B = C +
	// C; … doubles at each step).
	maxRustEvalSteps = 4096
)

// The Rust source of one crate read as a set is bounded by lint.Limits.RustCrateBytes
// (--limit rust_crate_bytes, 32 MiB by default): a crate's tokens and tables take about 10
// times its size while it is read (TiKV's main crate, 4.6 MiB in 158 files: 123 MB peak
// read whole, 75 MB file by file, +0.15 s). A larger crate is read one file at a time, and
// says so as an input/skipped warning: its input is valid, only less of it is resolved.

// rustSet is every Rust file of one load: the crate-wide tables that let a file use the
// constants and functions of another.
type rustSet struct {
	files []*rustFile
	// items holds the top-level const and static items by crate key and path from the crate
	// root: "dir|crate::metrics::NAME".
	items map[string][]rustItem
	// mods holds the file of each module: "dir|crate::metrics".
	mods    map[string]*rustFile
	fns     map[string][]*rustFn // by function name
	calls   map[*rustFn]rustCalls
	statics map[string]*rustStatic // make_static_metric! structs by name
	enums   map[string][]string    // label_enum values by name
	// labelStructs holds the field names of structs deriving EncodeLabelSet (prometheus-client).
	labelStructs map[string][]string

	// evaluation state (the set is read by one goroutine)
	evaling map[rustKey]bool
	depth   int
	steps   int        // names looked up for the current definition
	cur     *rustFrame // the call-site bindings of the parameters being evaluated
	hit     *rustFn    // the first function whose parameter was needed and not bound
	// cross holds the helpers of crates read before this one; found collects this crate's
	// (nil when they are not kept).
	cross *rustHelpers
	found []*rustHelper
	// uses indexes the tokens of the names that hold metrics while their uses are read.
	uses map[string][]tokRef
	// allowMut lets a let mut binding stand for its initializer: a prometheus-client
	// registry is always mut, and nothing changes its prefix after it is made.
	allowMut bool
}

// rustItem is a const or static item.
type rustItem struct {
	f    *rustFile
	expr rng
	mut  bool
}

// rustKey identifies an expression under evaluation, to stop cycles.
type rustKey struct {
	f     *rustFile
	at    int
	frame *rustFrame
}

// rustFn is a function definition.
type rustFn struct {
	f      *rustFile
	name   string
	path   string // from the crate root: crate::metrics::Metrics::new
	typ    string // the impl type of an associated function, "" for a free function
	params []string
	self   bool
	body   int // token index of the body's {
}

// rustFrame binds the parameters of fn to the arguments of one call site.
type rustFrame struct {
	fn       *rustFn
	caller   *rustFile
	args     []rng
	callerFn *rustFn // the function the call is in, nil at item level
	up       *rustFrame
}

func (fr *rustFrame) depth() int {
	n := 0
	for ; fr != nil; fr = fr.up {
		n++
	}
	return n
}

func (fr *rustFrame) outermost() *rustFrame {
	for fr.up != nil {
		fr = fr.up
	}
	return fr
}

// extend returns a copy of the chain fr with top above its outermost frame.
func (fr *rustFrame) extend(top *rustFrame) *rustFrame {
	c := *fr
	if fr.up == nil {
		c.up = top
	} else {
		c.up = fr.up.extend(top)
	}
	return &c
}

// rustCall is one call site of a function.
type rustCall struct {
	f      *rustFile
	args   []rng
	caller *rustFn
}

type rustCalls struct {
	sites  []rustCall
	capped bool
}

// rustScope is what a { opens.
type rustScope struct {
	kind byte   // 'm' module, 'i' impl, 'f' function body, 'x' macro (transparent), 'o' other
	name string // the module name or impl type
}

// rustUse is one name a use declaration brings in.
type rustUse struct {
	path []string
	at   int
}

// rustStatic is a struct of prometheus-static-metric's make_static_metric!.
type rustStatic struct {
	typ    string
	labels []string
	values map[string][]string // label → the values written out
	enumOf map[string]string   // label → the label_enum giving its values
}

func newRustSet() *rustSet {
	return &rustSet{
		items: map[string][]rustItem{}, mods: map[string]*rustFile{}, fns: map[string][]*rustFn{},
		calls: map[*rustFn]rustCalls{}, statics: map[string]*rustStatic{}, enums: map[string][]string{}, labelStructs: map[string][]string{},
		evaling: map[rustKey]bool{},
	}
}

// rustModule derives a file's crate key and module path from its path: src/lib.rs and
// src/main.rs are the crate root, src/a/b.rs and src/a/b/mod.rs are crate::a::b, and
// src/bin/x.rs is the root of a crate of its own.
func rustModule(p string) (crate string, mod []string) {
	p = path.Clean(p)
	var rel string
	switch {
	case strings.HasPrefix(p, "src/"):
		crate, rel = "", p[len("src/"):]
	case strings.Contains(p, "/src/"):
		k := strings.LastIndex(p, "/src/")
		crate, rel = p[:k], p[k+len("/src/"):]
	default:
		crate, rel = path.Dir(p), path.Base(p)
	}
	if strings.HasPrefix(rel, "bin/") {
		return crate + "/src/" + strings.TrimSuffix(rel, ".rs"), []string{"crate"}
	}
	rel = strings.TrimSuffix(rel, ".rs")
	rel = strings.TrimSuffix(rel, "/mod")
	mod = []string{"crate"}
	if rel == "lib" || rel == "main" || rel == "mod" {
		return crate, mod
	}
	return crate, append(mod, strings.Split(rel, "/")...)
}

func (s *rustSet) key(crate string, segs []string) string {
	return crate + "|" + strings.Join(segs, "::")
}

// item finds the const or static item at an absolute path, following re-exports (pub use)
// of the module that should hold it.
func (s *rustSet) item(crate string, abs []string, depth int) (rustItem, bool) {
	if depth > maxRustUseDepth || len(abs) < 2 {
		return rustItem{}, false
	}
	if its := s.items[s.key(crate, abs)]; len(its) > 0 {
		if len(its) > 1 || its[0].mut {
			return rustItem{}, false
		}
		return its[0], true
	}
	f := s.mods[s.key(crate, abs[:len(abs)-1])]
	if f == nil {
		return rustItem{}, false
	}
	name := abs[len(abs)-1]
	if u, ok := f.uses[name]; ok {
		if a, ok := f.absolute(u.path, u.at, depth+1); ok {
			return s.item(crate, a, depth+1)
		}
	}
	for _, g := range f.globs {
		if a, ok := f.absolute(append(slices.Clone(g.path), name), g.at, depth+1); ok {
			if it, ok := s.item(crate, a, depth+1); ok {
				return it, true
			}
		}
	}
	return rustItem{}, false
}

// isMod reports whether a module path is a file or an inline module of the crate.
func (s *rustSet) isMod(crate string, segs []string) bool {
	_, ok := s.mods[s.key(crate, segs)]
	return ok
}

// scopeOf tells what the { at i opens, looking back over its item header.
func (r *rustFile) scopeOf(i int) rustScope {
	if i >= 2 && r.text(i-1) == "!" && r.kind(i-2) == tokIdent {
		return rustScope{kind: 'x'}
	}
	for k := i - 1; k >= 0; k-- {
		t := r.toks[k]
		if t.kind == tokPunct && (t.text == ";" || t.text == "{" || t.text == "}") {
			break
		}
		if t.kind == tokPunct && (t.text == ")" || t.text == "]") && r.match[k] >= 0 {
			k = r.match[k]
			continue
		}
		if t.kind != tokIdent {
			continue
		}
		switch t.text {
		case "fn":
			return rustScope{kind: 'f', name: r.text(k + 1)}
		case "mod":
			return rustScope{kind: 'm', name: r.text(k + 1)}
		case "impl":
			return rustScope{kind: 'i', name: r.implType(k, i)}
		case "struct", "union":
			return rustScope{kind: 's', name: r.text(k + 1)}
		case "trait", "enum", "if", "else", "match", "while", "for", "loop", "unsafe", "async", "move":
			return rustScope{kind: 'o'}
		}
	}
	return rustScope{kind: 'o'}
}

// implType reads the type of impl[<…>] [Trait for] Type[<…>] [where …] {.
func (r *rustFile) implType(impl, brace int) string {
	start := impl + 1
	angle := 0
	for k := impl + 1; k < brace; k++ {
		switch r.text(k) {
		case "<":
			angle++
		case ">":
			angle--
		case "for":
			if angle == 0 {
				start = k + 1
			}
		}
	}
	typ := ""
	angle = 0
	for k := start; k < brace; k++ {
		t := r.toks[k]
		switch {
		case t.text == "<":
			angle++
		case t.text == ">":
			angle--
		case t.text == "where" && angle == 0:
			return typ
		case t.kind == tokIdent && angle <= 0 && (k == start || r.text(k-1) == "::" || r.text(k-1) == ">" || r.text(k-1) == "&"):
			typ = t.text
		}
	}
	return typ
}

// itemScope returns the path of the module (with inline modules) holding token i, and the
// impl type when i is directly in an impl block; ok is false inside a function or any other
// block, where items are local.
func (r *rustFile) itemScope(i int) (mod []string, impl string, ok bool) {
	var names []string
	for b := r.block[i]; b >= 0; b = r.block[b] {
		sc := r.scope[b]
		switch sc.kind {
		case 'x':
		case 'm':
			names = append(names, sc.name)
		case 'i':
			if len(names) > 0 || impl != "" {
				return nil, "", false
			}
			impl = sc.name
		default:
			return nil, "", false
		}
	}
	slices.Reverse(names)
	return append(slices.Clone(r.mod), names...), impl, true
}

// modAt returns the module path at token i (inline modules included) and the impl type of
// the innermost enclosing impl block.
func (r *rustFile) modAt(i int) (mod []string, impl string) {
	var names []string
	for b := r.block[i]; b >= 0; b = r.block[b] {
		switch sc := r.scope[b]; sc.kind {
		case 'm':
			names = append(names, sc.name)
		case 'i':
			if impl == "" {
				impl = sc.name
			}
		}
	}
	slices.Reverse(names)
	return append(slices.Clone(r.mod), names...), impl
}

// fnAt returns the innermost function whose body holds token i.
func (r *rustFile) fnAt(i int) *rustFn {
	if i < 0 || i >= len(r.block) {
		return nil
	}
	for b := r.block[i]; b >= 0; b = r.block[b] {
		if fn := r.fns[b]; fn != nil {
			return fn
		}
	}
	return nil
}

// absolute resolves a path as written at token i to a path from the crate root. A path of
// another crate gives a path that names no item.
func (r *rustFile) absolute(segs []string, i, depth int) ([]string, bool) {
	if len(segs) == 0 || depth > maxRustUseDepth {
		return nil, false
	}
	mod, impl := r.modAt(i)
	switch segs[0] {
	case "crate":
		return slices.Clone(segs), true
	case "self":
		return append(mod, segs[1:]...), true
	case "super":
		for len(segs) > 0 && segs[0] == "super" {
			if len(mod) <= 1 {
				return nil, false
			}
			mod, segs = mod[:len(mod)-1], segs[1:]
		}
		return append(mod, segs...), true
	case "Self":
		if impl == "" {
			return nil, false
		}
		return append(append(mod, impl), segs[1:]...), true
	}
	if u, ok := r.uses[segs[0]]; ok && (len(u.path) != 1 || u.path[0] != segs[0]) {
		a, ok := r.absolute(u.path, u.at, depth+1)
		if !ok {
			return nil, false
		}
		return append(a, segs[1:]...), true
	}
	if s := r.set; s != nil && len(segs) > 1 && !s.isMod(r.crate, append(slices.Clone(mod), segs[0])) &&
		s.isMod(r.crate, []string{"crate", segs[0]}) {
		return append([]string{"crate"}, segs...), true // a 2015-edition path from the root
	}
	return append(mod, segs...), true
}

// lookup finds the expression a name or path at token i stands for: a let binding in scope,
// a parameter bound by the call site being read, a constant of the file, or a const or
// static item of the crate reached through use declarations and paths. why says why not.
func (r *rustFile) lookup(segs []string, i int) (t rustItem, frame *rustFrame, why string) {
	s := r.set
	name := strings.Join(segs, "::")
	notConst := fmt.Sprintf("the name comes from %s, which is not a constant of the crate", name)
	if len(segs) == 1 {
		if l, ok := r.let(name, i); ok {
			if l.mut && !s.allowMut {
				return rustItem{}, nil, fmt.Sprintf("the name comes from %s, which is assigned at run time", name)
			}
			return rustItem{f: r, expr: l.expr}, s.cur, ""
		}
		if fn := r.fnAt(i); fn != nil {
			if k := slices.Index(fn.params, name); k >= 0 {
				if fr := s.cur; fr != nil && fr.fn == fn {
					return rustItem{f: fr.caller, expr: fr.args[k]}, fr.up, ""
				}
				if s.hit == nil {
					s.hit = fn
				}
				return rustItem{}, nil, "the name comes from the parameter " + name
			}
		} else if r.params[name] && len(r.consts[name]) == 0 {
			return rustItem{}, nil, "the name comes from the parameter " + name
		}
		switch cs := r.consts[name]; len(cs) {
		case 0:
		case 1:
			return rustItem{f: r, expr: cs[0]}, nil, ""
		default:
			return rustItem{}, nil, notConst
		}
		if u, ok := r.uses[name]; ok {
			if a, ok := r.absolute(u.path, u.at, 1); ok {
				if it, ok := s.item(r.crate, a, 0); ok {
					return it, nil, ""
				}
			}
			return rustItem{}, nil, notConst
		}
		for _, g := range r.globs {
			if a, ok := r.absolute(append(slices.Clone(g.path), name), g.at, 1); ok {
				if it, ok := s.item(r.crate, a, 0); ok {
					return it, nil, ""
				}
			}
		}
		return rustItem{}, nil, notConst
	}
	if a, ok := r.absolute(segs, i, 0); ok {
		if it, ok := s.item(r.crate, a, 0); ok {
			return it, nil, ""
		}
	}
	return rustItem{}, nil, notConst
}

// deref evaluates what the name or path at token i stands for with fn, in the file and
// under the call-site bindings where that expression is written.
func deref[T any](r *rustFile, segs []string, i int, fn func(*rustFile, rng) T) (T, string, bool) {
	var zero T
	s := r.set
	it, frame, why := r.lookup(segs, i)
	if why != "" {
		return zero, why, false
	}
	k := rustKey{f: it.f, at: it.expr.s, frame: frame}
	if s.evaling[k] {
		return zero, fmt.Sprintf("the name comes from %s, which refers to itself", strings.Join(segs, "::")), false
	}
	if s.steps >= maxRustEvalSteps {
		return zero, fmt.Sprintf("the name comes from %s, and working it out takes more than %d steps", strings.Join(segs, "::"), maxRustEvalSteps), false
	}
	s.steps++
	if s.depth >= maxRustEvalDepth {
		return zero, fmt.Sprintf("the name comes from %s, whose definition is more than %d names deep", strings.Join(segs, "::"), maxRustEvalDepth), false
	}
	s.evaling[k] = true
	s.depth++
	saved := s.cur
	s.cur = frame
	defer func() {
		delete(s.evaling, k)
		s.depth--
		s.cur = saved
	}()
	return fn(it.f, it.expr), "", true
}

// pathAt reads x as a plain path (NAME, a::b::NAME, with & before it), or ok is false.
func (r *rustFile) pathAt(x rng) ([]string, int, bool) {
	s := x.s
	for s < x.e && r.toks[s].text == "&" {
		s++
	}
	if s >= x.e || r.toks[s].kind != tokIdent {
		return nil, 0, false
	}
	var segs []string
	k := s
	for {
		if r.toks[k].kind != tokIdent {
			return nil, 0, false
		}
		segs = append(segs, r.toks[k].text)
		if k+1 == x.e {
			return segs, s, true
		}
		if r.text(k+1) != "::" || k+2 >= x.e {
			return nil, 0, false
		}
		k += 2
	}
}

// calls finds the call sites of fn in the set, up to maxRustCallSites.
func (s *rustSet) callsOf(fn *rustFn) rustCalls {
	if c, ok := s.calls[fn]; ok {
		return c
	}
	var out rustCalls
	container := strings.TrimSuffix(fn.path, "::"+fn.name)
	for _, f := range s.files {
		for k := 1; k+1 < len(f.toks); k++ {
			t := f.toks[k]
			if t.kind != tokIdent || t.text != fn.name || f.text(k+1) != "(" || f.text(k-1) == "fn" || f.skip[k] {
				continue
			}
			args := f.args(k + 1)
			switch f.text(k - 1) {
			case ".":
				if !fn.self || len(s.fns[fn.name]) != 1 {
					continue
				}
			case "::":
				var segs []string
				j := k - 1
				for j >= 1 && f.text(j) == "::" && f.toks[j-1].kind == tokIdent {
					segs = append([]string{f.toks[j-1].text}, segs...)
					j -= 2
				}
				a, ok := f.absolute(segs, k, 0)
				if len(segs) == 0 || !ok || strings.Join(a, "::") != container {
					continue
				}
				if fn.self {
					if len(args) == 0 {
						continue
					}
					args = args[1:]
				}
			default:
				if fn.typ != "" || fn.self {
					continue
				}
				a, ok := f.absolute([]string{fn.name}, k, 0)
				if !ok || strings.Join(a, "::") != fn.path {
					continue
				}
			}
			if len(args) != len(fn.params) {
				continue
			}
			caller := f.fnAt(k)
			if caller == fn {
				continue // recursion
			}
			if len(out.sites) == maxRustCallSites {
				out.capped = true
				break
			}
			out.sites = append(out.sites, rustCall{f: f, args: args, caller: caller})
		}
	}
	s.calls[fn] = out
	return out
}

// expand reads the definition at token i once for each call site of the function whose
// parameter it needs, following parameters up to maxRustCallDepth calls. d is the
// definition read without bindings; it stays when no call site is found.
func (r *rustFile) expand(i int, d *def, hit *rustFn, help map[string]string) []*def {
	s := r.set
	first := s.callsOf(hit)
	r.noteHelper(hit, i, help, nil, d) // other crates may call it too
	if len(first.sites) == 0 {
		return []*def{d}
	}
	var out []*def
	bound := func(msg string) {
		b := *d
		if b.name.known() {
			b.labelsUnknown = true
			out = append(out, &b)
			return
		}
		b.name.why += msg
		out = append(out, &b)
	}
	if first.capped {
		bound(fmt.Sprintf("; the function is called in more than %d places, and only the first %d are read", maxRustCallSites, maxRustCallSites))
	}
	var work []*rustFrame
	for _, c := range first.sites {
		work = append(work, &rustFrame{fn: hit, caller: c.f, args: c.args, callerFn: c.caller})
	}
	n := 0
	for len(work) > 0 {
		fr := work[0]
		work = work[1:]
		if n == maxRustExpansions {
			bound(fmt.Sprintf("; the definition is read for %d call chains, and the others are not read", maxRustExpansions))
			break
		}
		n++
		s.cur, s.hit, s.steps = fr, nil, 0
		nd := r.defAt(i, help)
		hitFn := s.hit
		s.cur, s.hit = nil, nil
		if nd == nil {
			continue
		}
		top := fr.outermost()
		if hitFn == nil || hitFn != top.callerFn {
			out = append(out, nd)
			continue
		}
		if fr.depth() >= maxRustCallDepth {
			if !nd.name.known() {
				nd.name.why += fmt.Sprintf(", passed through more than %d calls", maxRustCallDepth)
			}
			out = append(out, nd)
			continue
		}
		up := s.callsOf(hitFn)
		r.noteHelper(hitFn, i, help, fr, nd)
		if len(up.sites) == 0 {
			out = append(out, nd)
			continue
		}
		if up.capped {
			b := *nd
			b.name.why += fmt.Sprintf("; %s is called in more than %d places, and only the first %d are read", hitFn.name, maxRustCallSites, maxRustCallSites)
			out = append(out, &b)
		}
		for _, c := range up.sites {
			work = append(work, fr.extend(&rustFrame{fn: hitFn, caller: c.f, args: c.args, callerFn: c.caller}))
		}
	}
	return out
}

// loadRustFiles reads Rust files crate by crate: the constants, statics and functions of a
// crate are known to every file of it. One crate is held at a time (its tokens are many
// times its size); a crate larger than rust_crate_bytes is read one file at a time, and the
// first of its files gets an input/skipped notice that says so.
func loadRustFiles(files []*lint.SourceFile) []Result {
	results := make([]Result, len(files))
	var crates [][]int
	var keys []string
	byCrate := map[string]int{}
	for k, f := range files {
		c, _ := rustModule(f.Path)
		g, ok := byCrate[c]
		if !ok {
			g = len(crates)
			byCrate[c] = g
			crates = append(crates, nil)
			keys = append(keys, c)
		}
		crates[g] = append(crates[g], k)
	}
	limit := lint.Limit().RustCrateBytes
	helpers := &rustHelpers{byName: map[string][]*rustHelper{}, limit: limit}
	for _, gi := range rustCrateOrder(keys, crates, files) {
		g := crates[gi]
		size := 0
		for _, k := range g {
			size += len(files[k].Src)
		}
		sets := [][]int{g}
		if int64(size) > limit && len(g) > 1 {
			sets = nil
			for _, k := range g {
				sets = append(sets, []int{k})
			}
		}
		for _, set := range sets {
			fs := make([]*lint.SourceFile, len(set))
			for j, k := range set {
				fs[j] = files[k]
			}
			for j, res := range loadRustSet(fs, helpers) {
				results[set[j]] = res
			}
		}
		if len(sets) > 1 {
			first := files[g[0]]
			results[g[0]].Skipped = append(results[g[0]].Skipped, lint.ParseProblem{
				At: lint.Pos{File: first.Path},
				Message: lint.LimitMessage(fmt.Sprintf("rust: the files of the crate in %s are read one at a time, so a name one file takes from another is unresolved: the crate has %d KiB of Rust in %d files",
					rustCrateDir(keys[gi]), size>>10, len(g)), lint.FormatByteSize(limit), "rust_crate_bytes"),
			})
		}
	}
	dropCalledHelpers(files, results, helpers)
	return results
}

// rustCrateDir names the folder of a crate by its key.
func rustCrateDir(key string) string {
	if key == "" {
		return "the root folder"
	}
	return key
}

// loadRustSet reads files of one crate together, with the helpers of the crates read before
// it (nil: none), to which it adds its own.
func loadRustSet(files []*lint.SourceFile, helpers *rustHelpers) []Result {
	s := newRustSet()
	if helpers != nil {
		s.cross = helpers
		if !helpers.full {
			s.found = []*rustHelper{}
		}
	}
	results := make([]Result, len(files))
	rs := make([]*rustFile, len(files))
	// Tokenizing is most of the work and needs nothing of the set: do it in parallel, then
	// index the files one by one into the set's tables.
	toks := make([]rustToks, len(files))
	parallel(len(files), func(k int) {
		t, err := tokenizeRust(files[k].Src)
		toks[k] = rustToks{slices.Clip(slices.Clone(t)), err} // exact size: the set holds them
	})
	for k, f := range files {
		rs[k], results[k].Problems = s.add(f, toks[k])
		toks[k] = rustToks{}
	}
	all := make([][]*def, len(files))
	probsOf := make([][]lint.ParseProblem, len(files))
	for k, r := range rs {
		if r == nil || !r.wanted {
			continue
		}
		defs, probs := r.safeDefinitions()
		all[k], probsOf[k] = defs, probs
	}
	s.readUses(rs, all)
	for k, r := range rs {
		if r == nil || !r.wanted {
			continue
		}
		results[k] = finish(files[k], "rust", all[k], append(results[k].Problems, probsOf[k]...))
	}
	if len(s.found) > 0 {
		keepHelpers(files, results, s.found, helpers)
	}
	return results
}

// add tokenizes and indexes a file into the set. Files that never mention a metrics crate
// are read only for their constants and functions, and their problems are not reported.
func (s *rustSet) add(f *lint.SourceFile, t rustToks) (r *rustFile, probs []lint.ParseProblem) {
	text := f.Text()
	wanted := strings.Contains(text, "prometheus") || strings.Contains(text, "metrics") || looksLikeExpositionText(text) ||
		s.cross.named(t.toks)
	toks, terr := t.toks, t.err
	if !wanted {
		// Only the values of its constants are read, never positions inside its strings.
		for k := range toks {
			if toks[k].str != nil {
				toks[k].str.offs = nil
			}
		}
	}
	if terr != nil && wanted {
		probs = append(probs, lint.ParseProblem{At: f.Pos(terr.off), Message: "rust: " + terr.msg})
	}
	defer func() {
		if v := recover(); v != nil {
			r = nil
			if wanted {
				probs = append(probs, lint.ParseProblem{At: lint.Pos{File: f.Path}, Message: fmt.Sprintf("could not read the metric definitions: %v", v)})
			}
		}
	}()
	crate, mod := rustModule(f.Path)
	r = &rustFile{
		f: f, toks: toks, set: s, crate: crate, mod: mod, wanted: wanted,
		consts: map[string][]rng{}, lets: map[string][]rustLet{}, loops: map[string][]int{}, params: map[string]bool{},
		formats: map[int]bool{}, uses: map[string]rustUse{}, scope: map[int]rustScope{}, fns: map[int]*rustFn{},
		staticFrom: map[string]string{}, defVars: map[*def]string{}, fields: map[string][]rng{},
	}
	s.mods[s.key(crate, mod)] = r
	r.index()
	r.structs()
	s.files = append(s.files, r)
	return r, probs
}

// rustToks is a file's tokens, or where its tokenizing stopped.
type rustToks struct {
	toks []tok
	err  *tokError
}

// safeDefinitions reads the file's definitions, turning a panic into a problem.
func (r *rustFile) safeDefinitions() (defs []*def, probs []lint.ParseProblem) {
	defer func() {
		if v := recover(); v != nil {
			defs = nil
			probs = append(probs, lint.ParseProblem{At: lint.Pos{File: r.f.Path}, Message: fmt.Sprintf("could not read the metric definitions: %v", v)})
		}
	}()
	s := r.set
	s.cur, s.hit, s.depth = nil, nil, 0
	clear(s.evaling)
	return r.definitions(), nil
}

// useTree reads the use tree in tokens [k, end) under prefix: a::b::{c, d as e, f::*, self}.
func (r *rustFile) useTree(k, end int, prefix []string, at int) {
	segs := slices.Clone(prefix)
	if k < end && r.text(k) == "::" {
		k++
	}
	for k < end {
		t := r.toks[k]
		switch {
		case t.text == "{" && r.match[k] > k:
			for _, a := range r.args(k) {
				r.useTree(a.s, a.e, segs, at)
			}
			return
		case t.text == "*":
			if len(segs) > 0 {
				r.globs = append(r.globs, rustUse{path: segs, at: at})
			}
			return
		case t.kind == tokIdent && r.text(k+1) == "::" && k+1 < end:
			segs = append(segs, t.text)
			k += 2
		case t.kind == tokIdent:
			name, alias := t.text, t.text
			p := append(slices.Clone(segs), name)
			if name == "self" {
				if len(segs) == 0 {
					return
				}
				p, alias = segs, segs[len(segs)-1]
			}
			if r.text(k+1) == "as" && k+2 < end {
				alias = r.text(k + 2)
			}
			if alias != "_" && len(p) > 0 {
				r.uses[alias] = rustUse{path: p, at: at}
			}
			return
		default:
			return
		}
	}
}

// let returns the let binding of name visible at token i: the latest one before it whose
// block has not ended.
func (r *rustFile) let(name string, i int) (*rustLet, bool) {
	var best *rustLet
	for k := range r.lets[name] {
		l := &r.lets[name][k]
		if l.at >= i || l.block >= 0 && (r.match[l.block] < 0 || r.match[l.block] < i) {
			continue // after the use, or its block has ended
		}
		if best == nil || l.at > best.at {
			best = l
		}
	}
	return best, best != nil
}

// structs records the fields of the file's structs (name → the tokens of its type), and the
// field names of those that derive EncodeLabelSet.
func (r *rustFile) structs() {
	for b, sc := range r.scope {
		if sc.kind != 's' || r.match[b] < 0 {
			continue
		}
		var names []string
		var types []rng
		flatten := false
		for _, a := range r.args(b) {
			s := a.s
			for s < a.e && r.text(s) == "#" && r.text(s+1) == "[" && r.match[s+1] > s {
				if r.has(rng{s + 2, r.match[s+1]}, "prometheus") {
					flatten = true // #[prometheus(flatten)] and renames: not plain field names
				}
				s = r.match[s+1] + 1
			}
			c := r.indexOf(rng{s, a.e}, ":")
			if c <= s || r.kind(c-1) != tokIdent {
				// a comma inside the field's generic type: Family<Labels, Counter>
				if len(types) > 0 {
					types[len(types)-1].e = a.e
				}
				continue
			}
			names = append(names, r.text(c-1))
			types = append(types, rng{c + 1, a.e})
		}
		for k, name := range names {
			r.fields[name] = append(r.fields[name], types[k])
		}
		if !flatten && r.derives(b, "EncodeLabelSet") {
			r.set.labelStructs[sc.name] = names
		}
	}
}

// derives reports whether the struct whose body opens at b has #[derive(…, name, …)].
func (r *rustFile) derives(b int, name string) bool {
	k := b - 1
	for k >= 0 && r.text(k) != "struct" && r.text(k) != "union" {
		k--
	}
	for k--; k >= 0; k-- {
		switch {
		case r.text(k) == "pub":
		case r.text(k) == ")" && r.match[k] > 0 && r.text(r.match[k]-1) == "pub":
			k = r.match[k]
		case r.text(k) == "]" && r.match[k] > 0 && r.text(r.match[k]-1) == "#":
			if r.has(rng{r.match[k] + 1, k}, "derive") && slices.ContainsFunc(r.toks[r.match[k]:k], func(t tok) bool { return t.text == name }) {
				return true
			}
			k = r.match[k] - 1
		default:
			return false
		}
	}
	return false
}
