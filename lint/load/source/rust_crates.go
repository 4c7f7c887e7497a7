package source

import (
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/driftlint/driftlint/lint"
)

// Helpers across crates: a workspace crate's function whose parameters flow into a metric
// definition (Lighthouse's lighthouse_metrics::try_create_int_counter(name, help)) is
// evaluated at each call site in the other crates of the set, as expand does within a crate.
// Crates are read in dependency order (a crate before the crates whose text names it), so
// that the helpers of a crate are known when its users are read.

const (
	// maxRustHelperCalls bounds the call sites of one cross-crate helper that are evaluated.
	maxRustHelperCalls = 4096
)

// The crates kept in memory after they are read, because other crates may call their
// helpers, hold at most rust_crate_bytes of Rust together (rustHelpers.limit): the cost of
// one crate read whole.

// rustHelper is a function with a parameter that a definition of its crate needs and that no
// function of its crate binds: each call of it from another crate gives a definition.
type rustHelper struct {
	fn    *rustFn
	f     *rustFile         // the file of the definition site
	site  int               // token index of the definition site in f
	help  map[string]string // describe help of f
	chain *rustFrame        // the in-crate calls from fn down to the site, nil when the site is in fn
	at    lint.Pos          // the definition left unresolved in f, dropped when fn is called
	calls int               // call sites evaluated
}

// rustHelpers are the cross-crate helpers found so far, by function name.
type rustHelpers struct {
	byName map[string][]*rustHelper
	bytes  int   // source bytes of the crates kept for them
	limit  int64 // rust_crate_bytes: the most bytes kept
	full   bool
}

// named reports whether tokens name a helper followed by (: a file that calls one defines
// metrics although it may name neither the client nor "metrics" (use
// tikv_util::monitor_allocator_stats).
func (hs *rustHelpers) named(toks []tok) bool {
	if hs == nil || len(hs.byName) == 0 {
		return false
	}
	for k := 0; k+1 < len(toks); k++ {
		if toks[k].kind == tokIdent && toks[k+1].text == "(" && len(hs.byName[toks[k].text]) > 0 {
			return true
		}
	}
	return false
}

// rustCrateIdent is the name other crates use for the crate with key dir: its directory's
// name, - read as _ (Cargo.toml is not read). "" for the crate at the root of the set.
func rustCrateIdent(dir string) string {
	if dir == "" || dir == "." {
		return ""
	}
	if strings.Contains(dir, "/src/") { // src/bin/x is a binary, never a dependency
		return ""
	}
	return strings.ReplaceAll(path.Base(dir), "-", "_")
}

// rustPathHeads returns the identifiers that start a path (x in x::y) in a text, leaving
// out // comments and what follows a #[cfg(test)] mod (a test module, whose paths name
// dev-dependencies: TiKV's crates name each other in their tests, which made cycles).
func rustPathHeads(text string, into map[string]bool) {
	if t := rustTestModule(text); t >= 0 {
		text = text[:t]
	}
	for len(text) > 0 {
		line := text
		if n := strings.IndexByte(text, '\n'); n >= 0 {
			line, text = text[:n], text[n+1:]
		} else {
			text = ""
		}
		if c := strings.Index(line, "//"); c >= 0 {
			line = line[:c]
		}
		rustLineHeads(line, into)
	}
}

// rustTestModule returns the offset of the first #[cfg(test)] that is followed by an inline
// module (mod NAME {), or -1. A module in its own file (mod tests;) is a file of its own,
// and the text after it is not a test's.
func rustTestModule(text string) int {
	for k := 0; ; {
		j := strings.Index(text[k:], "#[cfg(test)]")
		if j < 0 {
			return -1
		}
		j += k
		rest := strings.TrimLeft(text[j+len("#[cfg(test)]"):], " \t\r\n")
		rest = strings.TrimPrefix(rest, "pub ")
		if name, ok := strings.CutPrefix(rest, "mod "); ok {
			name = strings.TrimLeft(name, " \t")
			e := 0
			for e < len(name) && isRustIdentByte(name[e]) {
				e++
			}
			if strings.HasPrefix(strings.TrimLeft(name[e:], " \t\r\n"), "{") {
				return j
			}
		}
		k = j + 1
	}
}

func rustLineHeads(text string, into map[string]bool) {
	for k := 0; ; {
		j := strings.Index(text[k:], "::")
		if j < 0 {
			return
		}
		j += k
		e := j
		for e > 0 && isRustIdentByte(text[e-1]) {
			e--
		}
		if e < j && (e == 0 || text[e-1] != ':') {
			into[text[e:j]] = true
		}
		k = j + 2
	}
}

func isRustIdentByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// rustCrateOrder returns the crates (indexes into crates, keys in keys) so that a crate comes
// before the crates whose text names it in a path (not a module of their own of that name);
// a cycle is broken where it is met.
func rustCrateOrder(keys []string, crates [][]int, files []*lint.SourceFile) []int {
	byIdent := map[string]int{}
	for g, k := range keys {
		if id := rustCrateIdent(k); id != "" {
			if _, dup := byIdent[id]; dup {
				byIdent[id] = -1 // two crates of one name: neither is a known dependency
				continue
			}
			byIdent[id] = g
		}
	}
	deps := make([][]int, len(crates))
	for g, fs := range crates {
		heads := map[string]bool{}
		own := map[string]bool{} // the crate's own top-level modules, which its paths name too
		for _, k := range fs {
			rustPathHeads(files[k].Text(), heads)
			if _, mod := rustModule(files[k].Path); len(mod) > 1 {
				own[mod[1]] = true
			}
		}
		for h := range heads {
			if d, ok := byIdent[h]; ok && d >= 0 && d != g && !own[h] {
				deps[g] = append(deps[g], d)
			}
		}
		slices.Sort(deps[g])
	}
	state := make([]byte, len(crates)) // 0 new, 1 in progress, 2 done
	var order []int
	var visit func(g int)
	visit = func(g int) {
		// iterative enough: the depth is the length of a dependency chain of crates
		if state[g] != 0 {
			return
		}
		state[g] = 1
		for _, d := range deps[g] {
			visit(d)
		}
		state[g] = 2
		order = append(order, g)
	}
	for g := range crates {
		visit(g)
	}
	return order
}

// noteHelper records a helper found by expand: the site of d in r needs a parameter of fn,
// which nothing in the crate binds (chain holds the calls from fn down to the site).
func (r *rustFile) noteHelper(fn *rustFn, site int, help map[string]string, chain *rustFrame, d *def) {
	s := r.set
	if s.found == nil || d.name.known() || len(fn.params) == 0 {
		return
	}
	for _, h := range s.found {
		if h.fn == fn && h.site == site && h.f == r {
			return
		}
	}
	s.found = append(s.found, &rustHelper{fn: fn, f: r, site: site, help: help, chain: chain, at: r.f.Pos(d.at)})
}

// helperCall reads the call of a cross-crate helper whose name is token i, if it is one: the
// definitions the helper makes with its parameters bound to the call's arguments.
func (r *rustFile) helperCall(i int) []*def {
	s := r.set
	if s.cross == nil || r.text(i+1) != "(" || r.toks[i].kind != tokIdent {
		return nil
	}
	name := r.toks[i].text
	hs := s.cross.byName[name]
	if len(hs) == 0 || r.text(i-1) == "fn" || r.text(i-1) == "." {
		return nil
	}
	var out []*def
	for _, h := range hs {
		if !r.callsHelper(i, h) {
			continue
		}
		args := r.args(i + 1)
		if len(args) != len(h.fn.params) {
			continue
		}
		if h.calls == maxRustHelperCalls {
			out = append(out, &def{
				at: r.toks[i].start, via: name,
				name: unknown(fmt.Sprintf("the helper %s is called in more than %d places, and only the first %d are read", name, maxRustHelperCalls, maxRustHelperCalls)),
			})
			continue
		}
		h.calls++
		hs := h.f.set
		top := &rustFrame{fn: h.fn, caller: r, args: args, callerFn: r.fnAt(i)}
		fr := top
		if h.chain != nil {
			fr = h.chain.extend(top)
		}
		savedCur, savedHit, savedSteps := hs.cur, hs.hit, hs.steps
		hs.cur, hs.hit, hs.steps = fr, nil, 0
		d := h.f.defAt(h.site, h.help)
		hs.cur, hs.hit, hs.steps = savedCur, savedHit, savedSteps
		if d == nil {
			continue
		}
		delete(h.f.defVars, d)
		d.at = r.toks[i].start
		if d.name.known() {
			for _, a := range args { // at the argument the name comes from
				if v := r.eval(a); v.known() && v.s != "" && strings.Contains(d.name.s, v.s) {
					d.at = r.toks[a.s].start
					break
				}
			}
		}
		d.mayBeAbsent = firstNonEmpty(d.mayBeAbsent, r.condReason(i))
		if v := r.boundName(i); v != "" {
			r.defVars[d] = v
		}
		out = append(out, d)
	}
	return out
}

// callsHelper reports whether the call whose name is token i calls h: written as a path
// from crate c (c::f(…), c::a::b::f(…) through modules that re-export it, c::T::f(…) for an
// associated function of T), from a name for c (m::f(…) with use c as m or use c::a as m,
// or a module of this crate that re-exports c::*), or as f(…) where f comes from a use of
// the crate (use c::f, use c::a::f, use c::*, or a glob of a module of this crate that has
// one) and no function of this crate has the name. Modules of c on the way are not checked:
// f is matched by its name, its crate and its type.
func (r *rustFile) callsHelper(i int, h *rustHelper) bool {
	ident := rustCrateIdent(h.f.crate)
	if ident == "" || h.f.crate == r.crate {
		return false
	}
	if r.text(i-1) == "::" {
		var segs []string // the path before f
		k := i - 1
		for k >= 1 && r.text(k) == "::" && r.kind(k-1) == tokIdent {
			segs = append([]string{r.text(k - 1)}, segs...)
			k -= 2
		}
		if len(segs) == 0 || !r.helperOwner(segs, h) {
			return false
		}
		head := segs[0]
		if head == ident {
			return true
		}
		if u, ok := r.uses[head]; ok && len(u.path) >= 1 && u.path[0] == ident {
			return true // use c as m, use c::a as m; m::f(…)
		}
		if len(segs) != 1 {
			return false
		}
		a, ok := r.absolute([]string{head}, k+1, 0) // a module of this crate that re-exports c::*
		m := r.set.mods[r.set.key(r.crate, a)]
		return ok && m != nil && m.globsOf(ident, 0)
	}
	if h.fn.typ != "" {
		return false
	}
	name := r.toks[i].text
	for _, fn := range r.set.fns[name] {
		if fn.f.crate == r.crate && fn.typ == "" {
			return false // the crate's own function
		}
	}
	if u, ok := r.uses[name]; ok {
		return len(u.path) >= 2 && u.path[0] == ident && u.path[len(u.path)-1] == name
	}
	return r.globsOf(ident, 0)
}

// helperOwner reports whether the path written before a helper's name fits its kind: the
// impl type last for an associated function, a module (a lower-case name) for a free one.
func (r *rustFile) helperOwner(segs []string, h *rustHelper) bool {
	last := segs[len(segs)-1]
	if h.fn.typ != "" {
		return len(segs) >= 2 && last == h.fn.typ
	}
	return last != "" && (last[0] < 'A' || last[0] > 'Z')
}

// globsOf reports whether a glob use of the file brings in the items of crate ident,
// directly or through a glob of a module of this crate.
func (r *rustFile) globsOf(ident string, depth int) bool {
	if depth > maxRustUseDepth {
		return false
	}
	for _, g := range r.globs {
		if len(g.path) == 1 && g.path[0] == ident {
			return true
		}
		a, ok := r.absolute(g.path, g.at, 0)
		if !ok {
			continue
		}
		if m := r.set.mods[r.set.key(r.crate, a)]; m != nil && m != r && m.globsOf(ident, depth+1) {
			return true
		}
	}
	return false
}

// keepHelpers adds the helpers a crate's read found to the set's table, keeping the crate in
// memory, unless the crates kept already hold rust_crate_bytes: then the first file of the
// crate gets an input/skipped notice that says its helpers are not read at their call sites.
func keepHelpers(files []*lint.SourceFile, results []Result, found []*rustHelper, helpers *rustHelpers) {
	size := 0
	for _, f := range files {
		size += len(f.Src)
	}
	if int64(helpers.bytes+size) > helpers.limit {
		helpers.full = true
		var names []string
		for _, h := range found {
			names = append(names, h.fn.name)
		}
		slices.Sort(names)
		results[0].Skipped = append(results[0].Skipped, lint.ParseProblem{
			At: lint.Pos{File: files[0].Path},
			Message: lint.LimitMessage(fmt.Sprintf("rust: the calls of %s in other crates are not read: the crates whose helpers other crates may call hold %d KiB of Rust with this one",
				strings.Join(slices.Compact(names), ", "), (helpers.bytes+size)>>10), lint.FormatByteSize(helpers.limit), "rust_crate_bytes"),
		})
		return
	}
	helpers.bytes += size
	for _, h := range found {
		helpers.byName[h.fn.name] = append(helpers.byName[h.fn.name], h)
	}
}

// dropCalledHelpers removes the unresolved definitions of helpers that other crates call:
// each call gave its own definition.
func dropCalledHelpers(files []*lint.SourceFile, results []Result, helpers *rustHelpers) {
	called := map[lint.Pos]bool{}
	for _, hs := range helpers.byName {
		for _, h := range hs {
			if h.calls > 0 {
				called[h.at] = true
			}
		}
	}
	if len(called) == 0 {
		return
	}
	for k := range files {
		e := results[k].Exposition
		if e == nil || e.Code == nil {
			continue
		}
		e.Code.Unresolved = slices.DeleteFunc(e.Code.Unresolved, func(u lint.UnresolvedDef) bool { return called[u.At] })
		if len(e.Families) == 0 && len(e.Code.Unresolved) == 0 && len(e.Code.UnusedDirectives) == 0 {
			results[k].Exposition = nil
		}
	}
}
