package source

import (
	"go/ast"
	"go/token"
	"slices"
	"strings"
)

// variants returns the OSes to check for, and for each the packages to check and walk: the
// first OS (linux) gets every needed package; another OS gets the packages whose files
// that matter differ from the first's (see matters), with the packages that import them
// (their names may come from the package that differs), and is left out when there are
// none. Each package is thus checked once per OS where it
// differs, as the build constraints ask, and a tree whose OS-specific files hold only
// system calls is checked once.
func (s *goSet) variants(needed map[*goPkg]bool) ([]string, []map[*goPkg]bool) {
	importers := map[*goPkg][]*goPkg{}
	for _, p := range s.pkgs {
		if needed[p] {
			for _, d := range p.deps {
				importers[d] = append(importers[d], p)
			}
		}
	}
	fileSet := func(p *goPkg, k int) string {
		var b strings.Builder
		for _, g := range p.files {
			if g.oses[k] && g.matters(p.metrics) {
				b.WriteString(g.src.Path)
				b.WriteByte(0)
			}
		}
		return b.String()
	}
	out := []string{goOSes[0]}
	redos := []map[*goPkg]bool{needed}
	for k := 1; k < len(goOSes); k++ {
		redo := map[*goPkg]bool{}
		var queue []*goPkg
		for _, p := range s.pkgs {
			if needed[p] && fileSet(p, k) != fileSet(p, 0) {
				redo[p] = true
				queue = append(queue, p)
			}
		}
		for len(queue) > 0 {
			p := queue[0]
			queue = queue[1:]
			for _, q := range importers[p] {
				if !redo[q] {
					redo[q] = true
					queue = append(queue, q)
				}
			}
		}
		if len(redo) == 0 {
			continue
		}
		// An OS whose differences are those of one before it (windows as darwin) adds nothing.
		same := slices.ContainsFunc(out[1:], func(prev string) bool {
			j := slices.Index(goOSes, prev)
			for p := range needed {
				if fileSet(p, k) != fileSet(p, j) {
					return false
				}
			}
			return true
		})
		if !same {
			out = append(out, goOSes[k])
			redos = append(redos, redo)
		}
	}
	return out, redos
}

// matters reports whether a file can change what the resolver reads, so that a file that
// differs by OS but holds only system calls, numbers and errors does not make its package
// be checked again: it matters when it mentions client_golang (it may define metrics),
// declares a value a name or a label list may come from (a string constant, a label
// slice), or, in a package that defines metrics, a function (a helper, or one returning a
// name). A file that did not parse matters.
func (g *goFile) matters(metricsPkg bool) bool {
	if g.ast == nil || g.metrics {
		return true
	}
	for _, d := range g.ast.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok {
			if metricsPkg && fd.Body != nil {
				return true
			}
			continue
		}
		gd, ok := d.(*ast.GenDecl)
		if !ok || (gd.Tok != token.CONST && gd.Tok != token.VAR) {
			continue
		}
		for _, sp := range gd.Specs {
			vs, ok := sp.(*ast.ValueSpec)
			if !ok || len(vs.Values) == 0 || nonString(vs.Type) {
				continue
			}
			if slices.ContainsFunc(vs.Values, mayBeString) {
				return true
			}
		}
	}
	return false
}

// nonString reports whether a declared type is a numeric or boolean predeclared type.
func nonString(t ast.Expr) bool {
	id, ok := t.(*ast.Ident)
	if !ok {
		return false
	}
	switch id.Name {
	case "bool", "int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64",
		"uintptr", "float32", "float64", "complex64", "complex128", "byte", "rune":
		return true
	}
	return false
}

// mayBeString reports whether a declared value may be one the resolver reads as a name or a
// label list: anything but numbers, booleans, iota and calls it does not evaluate
// (errors.New, syscall loaders…).
func mayBeString(e ast.Expr) bool {
	switch x := ast.Unparen(e).(type) {
	case *ast.BasicLit:
		return x.Kind == token.STRING
	case *ast.Ident:
		return x.Name != "iota" && x.Name != "true" && x.Name != "false"
	case *ast.UnaryExpr:
		return mayBeString(x.X)
	case *ast.BinaryExpr:
		return mayBeString(x.X) || mayBeString(x.Y)
	case *ast.CallExpr:
		if id, ok := x.Fun.(*ast.Ident); ok { // a conversion (OpName("x")) or a local function
			switch id.Name {
			case "len", "cap", "new", "make", "complex", "real", "imag":
				return false
			}
			return !nonString(id)
		}
		switch calleeName(x) {
		case "Sprintf", "Join", "BuildFQName":
			return true
		}
		return false // errors.New, syscall loaders…
	case *ast.FuncLit:
		return false
	}
	return true // selectors, composite literals, conversions of named types…
}
