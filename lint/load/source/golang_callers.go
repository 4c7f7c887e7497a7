package source

import (
	"go/ast"
	"path"
	"slices"
	"strings"
	"unicode"
)

// helperCallers returns the packages of the set that do not mention client_golang but call
// an exported function of a walked package that may be a helper: CloudNativePG's
// controller calls metrics.NewQueriesCollector("cnpg", …), whose options take the namespace
// from its parameter, so the names are only known at that call. Such a package is walked
// too, so that its calls are read as call sites. The test is by syntax, before the type
// check: a candidate is an exported function or method with a named parameter whose body
// calls a metric constructor, NewDesc, With, Register or MustRegister, and a caller is a
// file that imports its package and whose text has ".Name(". Only callers one import away
// are found: a function of the caller that passes its own parameter on is not followed to
// its callers.
func (s *goSet) helperCallers() []*goPkg {
	names := map[*goPkg][]string{}
	bases := map[string]bool{}
	for _, p := range s.pkgs {
		if !p.metrics {
			continue
		}
		for _, g := range p.files {
			if g.ast == nil {
				continue
			}
			for _, d := range g.ast.Decls {
				if fd, ok := d.(*ast.FuncDecl); ok && helperCandidate(fd) && !slices.Contains(names[p], fd.Name.Name) {
					names[p] = append(names[p], fd.Name.Name)
				}
			}
		}
		if len(names[p]) > 0 {
			bases[path.Base(p.dir)] = true
		}
	}
	if len(names) == 0 {
		return nil
	}
	var out []*goPkg
	for _, p := range s.pkgs {
		if p.metrics || p.name == "" {
			continue
		}
		if slices.ContainsFunc(p.files, func(g *goFile) bool { return s.callsHelper(g, names, bases) }) {
			out = append(out, p)
		}
	}
	return out
}

// callsHelper tells whether a file imports a package with candidate helpers and names one
// of them as a call.
func (s *goSet) callsHelper(g *goFile, names map[*goPkg][]string, bases map[string]bool) bool {
	var text string
	for _, ip := range g.imports {
		if !bases[path.Base(ip)] {
			continue // cheap: no package with candidates ends so
		}
		dep := s.lookup(ip)
		if dep == nil || len(names[dep]) == 0 {
			continue
		}
		if text == "" {
			text = g.src.Text()
		}
		for _, n := range names[dep] {
			if strings.Contains(text, "."+n+"(") {
				return true
			}
		}
	}
	return false
}

// helperCandidate tells whether a function declaration may be a helper its callers in other
// packages bind: exported, with a named parameter, and calling something that defines or
// registers a metric.
func helperCandidate(fd *ast.FuncDecl) bool {
	if fd.Body == nil || !unicode.IsUpper([]rune(fd.Name.Name)[0]) || fd.Type.Params == nil {
		return false
	}
	named := slices.ContainsFunc(fd.Type.Params.List, func(f *ast.Field) bool {
		return slices.ContainsFunc(f.Names, func(id *ast.Ident) bool { return id.Name != "_" })
	})
	if !named {
		return false
	}
	found := false
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		if c, ok := n.(*ast.CallExpr); ok {
			switch name := calleeName(c); name {
			case "NewDesc", "With", "Register", "MustRegister":
				found = true
			default:
				_, found = goConstructors[name]
			}
		}
		return !found
	})
	return found
}
