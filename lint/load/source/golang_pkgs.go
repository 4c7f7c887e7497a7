package source

import (
	"errors"
	"fmt"
	"go/ast"
	"go/build/constraint"
	"go/parser"
	"go/scanner"
	"go/token"
	"go/types"
	"path"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/mod/modfile"

	"github.com/driftlint/driftlint/lint"
)

// goOSes are the operating systems a file must build for at least once to be read: a file
// whose build constraints exclude all of them is skipped.
var goOSes = []string{"linux", "darwin", "windows"}

// knownOS are the GOOS values a file name suffix (x_windows.go) names.
var knownOS = map[string]bool{
	"aix": true, "android": true, "darwin": true, "dragonfly": true, "freebsd": true, "hurd": true, "illumos": true,
	"ios": true, "js": true, "linux": true, "nacl": true, "netbsd": true, "openbsd": true, "plan9": true,
	"solaris": true, "wasip1": true, "windows": true, "zos": true,
}

// goPkg is one package of the sources set: the Go files of one directory with one package
// clause.
type goPkg struct {
	dir, name string
	path      string // import path: from go.mod, else "" (matched by directory suffix)
	files     []*goFile
	metrics   bool // a file mentions client_golang or holds exposition text, or calls a helper of such a package (helperCallers): it is walked
	deps      []*goPkg
	state     int // 0 new, 1 being checked, 2 checked
	tpkg      *types.Package
	bodies    bool // the names in its function bodies are resolved (walked packages)
}

// goSet is the Go part of the sources set, type-checked together.
type goSet struct {
	fset  *token.FileSet
	pkgs  []*goPkg
	byDir map[string][]*goPkg
	mods  map[string]string // module root directory → module path
	info  *types.Info       // one Info for every package: ast nodes are unique across them
	fakes map[string]*types.Package
	goos  string
}

// loadGo reads the Go files of the sources set together: every package that mentions
// client_golang is type-checked with the packages of the set it imports (constants and
// package variables resolve across packages), in dependency order. go.mod files in files
// give the module paths. It returns one result per file, in the order given.
func loadGo(files []*lint.SourceFile) (out []Result) {
	out = make([]Result, len(files))
	defer func() {
		if v := recover(); v != nil { // a resolver bug must not end the run: report it, keep the rest
			for i, f := range files {
				if Lang(f.Path) == "go" && !isGoTest(f.Path) {
					out[i] = Result{Problems: []lint.ParseProblem{{At: lint.Pos{File: f.Path}, Message: fmt.Sprintf("could not read the metric definitions: %v", v)}}}
				}
			}
		}
	}()
	s := &goSet{fset: token.NewFileSet(), byDir: map[string][]*goPkg{}, mods: map[string]string{}, fakes: map[string]*types.Package{}}
	type cand struct {
		i    int
		oses []bool
	}
	var cands []cand
	for i, f := range files {
		if path.Base(f.Path) == "go.mod" {
			if mp := modfile.ModulePath(f.Src); mp != "" {
				s.mods[path.Dir(f.Path)] = mp
			}
			continue
		}
		if Lang(f.Path) != "go" || isGoTest(f.Path) {
			continue
		}
		oses, ok := buildsFor(f)
		if !ok {
			continue // excluded on every OS we read for
		}
		cands = append(cands, cand{i, oses})
	}
	// Package clauses and imports first (cheap), the whole file only for needed packages.
	for _, c := range cands {
		f := files[c.i]
		g := &goFile{src: f, idx: c.i, oses: c.oses}
		af, err := parser.ParseFile(s.fset, f.Path, f.Src, parser.ImportsOnly|parser.SkipObjectResolution)
		if af == nil || af.Name == nil {
			g.res.Problems = goProblems(f, err) // the full parse below would report the same
			out[c.i] = g.res
			continue
		}
		g.pkgN = af.Name.Name
		for _, im := range af.Imports {
			if p, err := strconv.Unquote(im.Path.Value); err == nil {
				g.imports = append(g.imports, p)
			}
		}
		text := f.Text()
		g.metrics = strings.Contains(text, "client_golang/prometheus") || looksLikeExpositionText(text)
		s.add(g)
	}
	for _, p := range s.pkgs {
		p.path = s.importPath(p.dir)
	}
	// Needed: the walked packages and the packages of the set they import, maxDepDepth
	// imports deep (a constant defined from a constant further away stays unknown).
	depth := map[*goPkg]int{}
	var need func(p *goPkg, d int)
	need = func(p *goPkg, d int) {
		if old, ok := depth[p]; ok && old <= d {
			return
		}
		depth[p] = d
		if d == maxDepDepth {
			return
		}
		p.deps = p.deps[:0]
		for _, g := range p.files {
			for _, ip := range g.imports {
				if dep := s.lookup(ip); dep != nil && dep != p {
					p.deps = append(p.deps, dep)
					need(dep, d+1)
				}
			}
		}
	}
	for _, p := range s.pkgs {
		if p.metrics {
			need(p, 0)
		}
	}
	seen := map[*goPkg]bool{}
	parseNeeded := func() {
		var parse []*goFile
		for _, p := range s.pkgs {
			if _, ok := depth[p]; ok && !seen[p] {
				seen[p] = true
				parse = append(parse, p.files...)
			}
			p.bodies = seen[p] && p.metrics
		}
		parallel(len(parse), func(i int) { // a FileSet is safe for concurrent use
			g := parse[i]
			af, err := parser.ParseFile(s.fset, g.src.Path, g.src.Src, parser.SkipObjectResolution) // comments are read from the text
			g.res.Problems = goProblems(g.src, err)
			if af != nil && af.Name != nil {
				g.ast = af
				g.tok = s.fset.File(af.Pos())
			}
		})
	}
	parseNeeded()
	// Packages that only call a walked package's helpers are walked too, for their calls.
	if callers := s.helperCallers(); len(callers) > 0 {
		for _, p := range callers {
			p.metrics = true
			need(p, 0)
		}
		parseNeeded()
	}
	// Files that differ by OS: the first OS checks and walks everything; each other OS
	// whose files differ where it matters re-checks only the packages that differ and
	// their importers, re-walks their files, and the definitions are joined.
	variants, redos := s.variants(seen)
	s.info = newInfo()
	for vi, goos := range variants {
		s.goos = goos
		redo := redos[vi]
		for p := range redo {
			p.state, p.tpkg = 0, nil
		}
		for _, p := range s.pkgs {
			if redo[p] {
				s.check(p)
			}
		}
		ctx := newGoCtx(s)
		var walk []*goFile
		for _, p := range s.pkgs {
			if p.metrics && redo[p] {
				walk = append(walk, p.active(goos)...)
			}
		}
		// The walks only read the type information and ctx.
		own := make([][]*def, len(walk))
		ext := make([]map[*goFile][]*def, len(walk))
		parallel(len(walk), func(i int) { own[i], ext[i] = walkGo(walk[i], ctx) })
		found := map[*goFile][]*def{}
		var all []*def
		for i, g := range walk {
			found[g] = append(found[g], own[i]...)
			all = append(all, own[i]...)
			for h, ds := range ext[i] {
				found[h] = append(found[h], ds...)
				all = append(all, ds...)
			}
		}
		if len(variants) == 1 { // with files per OS a use may be in a variant not read here
			goLabelValues(walk, ctx, all)
		}
		if vi == 0 {
			for _, g := range walk {
				g.defs = found[g]
				g.walked = true
			}
			continue
		}
		for _, g := range walk {
			g.walked = true // a file only this OS builds, too
		}
		for g, ds := range found { // a helper of a package not walked again may be among them
			if g.walked {
				g.defs = mergeDefs(g.defs, ds)
			}
		}
	}
	var texts, holders []string
	var gauges []*def
	for _, p := range s.pkgs {
		for _, g := range p.files {
			texts = append(texts, g.src.Text())
			for _, d := range g.defs {
				if d.typ == "gauge" && d.holder != "" && !strings.HasSuffix(d.via, "Func") {
					gauges = append(gauges, d)
					holders = append(holders, d.holder)
				}
			}
		}
	}
	grows := goGrowth(texts, holders)
	for _, d := range gauges {
		d.onlyGrows = grows[d.holder]
	}
	for _, p := range s.pkgs {
		for _, g := range p.files {
			if g.walked {
				g.res = finish(g.src, "go", dedupUnresolved(g.defs), g.res.Problems)
			}
			g.ast, g.defs = nil, nil // drop the syntax once read
			out[g.idx] = g.res
		}
	}
	return out
}

func newInfo() *types.Info {
	return &types.Info{
		Types: map[ast.Expr]types.TypeAndValue{}, Defs: map[*ast.Ident]types.Object{},
		Uses: map[*ast.Ident]types.Object{}, Scopes: map[ast.Node]*types.Scope{},
	}
}

// goProblems turns a parse error into problems.
func goProblems(f *lint.SourceFile, err error) []lint.ParseProblem {
	if el, ok := errors.AsType[scanner.ErrorList](err); ok {
		var out []lint.ParseProblem
		for _, e := range el {
			out = append(out, lint.ParseProblem{At: f.Pos(e.Pos.Offset), Message: "go: " + e.Msg})
		}
		return out
	}
	if err != nil {
		return []lint.ParseProblem{{At: lint.Pos{File: f.Path}, Message: "go: " + err.Error()}}
	}
	return nil
}

// add puts a file into its package (directory and package clause).
func (s *goSet) add(g *goFile) {
	dir := path.Dir(g.src.Path)
	for _, p := range s.byDir[dir] {
		if p.name == g.pkgN {
			p.files = append(p.files, g)
			p.metrics = p.metrics || g.metrics
			return
		}
	}
	p := &goPkg{dir: dir, name: g.pkgN, files: []*goFile{g}, metrics: g.metrics}
	s.byDir[dir] = append(s.byDir[dir], p)
	s.pkgs = append(s.pkgs, p)
}

// importPath is the import path of a directory under the nearest go.mod above it, or "".
func (s *goSet) importPath(dir string) string {
	for d := dir; ; d = path.Dir(d) {
		if mp, ok := s.mods[d]; ok {
			rel := strings.TrimPrefix(strings.TrimPrefix(dir, d), "/")
			if d == "." {
				rel = strings.TrimPrefix(dir, ".")
				if dir != "." {
					rel = dir
				}
			}
			if rel == "" {
				return mp
			}
			return mp + "/" + rel
		}
		if d == "." || d == "/" || d == "" {
			return ""
		}
	}
}

// lookup finds the package of the set an import path names: by its module path, else by
// the longest directory whose path the import path ends with. Package main and test-only
// (external _test) packages are never imported.
func (s *goSet) lookup(ip string) *goPkg {
	var best *goPkg
	bestLen := -1
	for _, p := range s.pkgs {
		if p.name == "main" || strings.HasSuffix(p.name, "_test") {
			continue
		}
		if p.path != "" {
			if p.path == ip {
				return p
			}
			continue
		}
		d := strings.TrimPrefix(p.dir, "./")
		if d == "." {
			continue
		}
		if (ip == d || strings.HasSuffix(ip, "/"+d)) && len(d) > bestLen {
			best, bestLen = p, len(d)
		}
	}
	return best
}

// active returns the parsed files of a package that build for goos.
func (p *goPkg) active(goos string) []*goFile {
	k := slices.Index(goOSes, goos)
	var out []*goFile
	for _, g := range p.files {
		if g.ast != nil && g.tok != nil && g.oses[k] {
			out = append(out, g)
		}
	}
	return out
}

// check type-checks a package after the packages of the set it imports; an import cycle is
// broken by faking the package being checked. Imports outside the set are empty packages.
func (s *goSet) check(p *goPkg) {
	if p.state != 0 {
		return
	}
	p.state = 1
	for _, d := range p.deps {
		s.check(d)
	}
	files := p.active(s.goos)
	var afs []*ast.File
	for _, g := range files {
		afs = append(afs, g.ast)
	}
	pp := p.path
	if pp == "" {
		pp = p.dir
	}
	conf := types.Config{
		Error: func(error) {}, FakeImportC: true, DisableUnusedImportCheck: true,
		IgnoreFuncBodies: true, Importer: importerFunc(func(ip string) (*types.Package, error) {
			if d := s.lookup(ip); d != nil && d.state == 2 && d.tpkg != nil {
				return d.tpkg, nil
			}
			return s.fake(ip), nil
		}),
	}
	func() {
		defer func() {
			if recover() != nil { // a checker crash leaves this package's names unknown
				p.tpkg = nil
			}
		}()
		p.tpkg, _ = conf.Check(pp, s.fset, afs, s.info)
		if p.bodies {
			resolveBodies(p, files, s.info) // names only: the resolver evaluates what it needs
		}
	}()
	p.state = 2
}

// fake returns an empty, complete package for an import outside the set.
func (s *goSet) fake(ip string) *types.Package {
	if p := s.fakes[ip]; p != nil {
		return p
	}
	name := ip[strings.LastIndexByte(ip, '/')+1:]
	if strings.HasPrefix(name, "v") && len(name) > 1 && strings.Trim(name[1:], "0123456789") == "" {
		if i := strings.LastIndexByte(ip[:len(ip)-len(name)-1], '/'); i >= 0 {
			name = ip[i+1 : len(ip)-len(name)-1] // example.com/x/v2 is package x
		}
	}
	name = strings.NewReplacer("-", "_", ".", "_").Replace(name)
	p := types.NewPackage(ip, name)
	p.MarkComplete()
	s.fakes[ip] = p
	return p
}

// parallel runs f(0…n-1) on GOMAXPROCS goroutines.
func parallel(n int, f func(i int)) {
	var wg sync.WaitGroup
	next := make(chan int)
	for range min(n, runtime.GOMAXPROCS(0)) {
		wg.Go(func() {
			for i := range next {
				f(i)
			}
		})
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
}

type importerFunc func(string) (*types.Package, error)

func (f importerFunc) Import(p string) (*types.Package, error) { return f(p) }

// buildsFor reports for which of goOSes a file builds, by its name suffix (_linux.go,
// _windows_amd64.go) and its //go:build line; ok is false when it builds for none.
func buildsFor(f *lint.SourceFile) (oses []bool, ok bool) {
	oses = make([]bool, len(goOSes))
	base := strings.TrimSuffix(path.Base(f.Path), ".go")
	parts := strings.Split(base, "_")
	nameOS := ""
	if n := len(parts); n >= 2 {
		if knownOS[parts[n-1]] {
			nameOS = parts[n-1]
		} else if n >= 3 && knownOS[parts[n-2]] {
			nameOS = parts[n-2]
		}
	}
	expr := goBuildLine(f.Text())
	for k, goos := range goOSes {
		if nameOS != "" && nameOS != goos {
			continue
		}
		if expr != nil && !expr.Eval(func(tag string) bool { return tagHolds(tag, goos) }) {
			continue
		}
		oses[k], ok = true, true
	}
	return oses, ok
}

// tagHolds says whether a build tag holds for a default build on goos (amd64, gc, cgo).
func tagHolds(tag, goos string) bool {
	switch tag {
	case goos, "amd64", "gc", "cgo":
		return true
	case "unix":
		return goos != "windows"
	}
	return strings.HasPrefix(tag, "go1.")
}

// goBuildLine returns the //go:build expression before the package clause, or nil.
func goBuildLine(src string) constraint.Expr {
	for line := range strings.Lines(src) {
		t := strings.TrimSpace(line)
		switch {
		case t == "" || strings.HasPrefix(t, "//") && !constraint.IsGoBuild(t):
			continue
		case constraint.IsGoBuild(t):
			if e, err := constraint.Parse(t); err == nil {
				return e
			}
			return nil
		default:
			return nil // /* comments and the package clause end the header
		}
	}
	return nil
}
