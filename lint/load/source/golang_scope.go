package source

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"
)

// bodyScopes resolves the identifiers inside the function bodies of a package that go/types
// checked with IgnoreFuncBodies: it fills info.Defs for the locals it declares (untyped
// *types.Var objects) and info.Uses for every identifier it can resolve (locals, package
// objects, imported packages and their members, builtins), as the checker would for names.
// Types are not inferred, so a method call resolves only when the package declares one
// method of that name.
type bodyScopes struct {
	info    *types.Info
	pkg     *types.Package
	file    *types.Scope
	methods map[string]types.Object // method name → the package's only method of that name (nil when several)
	stack   []map[string]types.Object
}

// resolveBodies runs bodyScopes over the files of a checked package.
func resolveBodies(p *goPkg, files []*goFile, info *types.Info) {
	if p.tpkg == nil {
		return
	}
	methods := map[string]types.Object{}
	seen := map[string]bool{}
	for _, g := range files {
		for _, d := range g.ast.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv != nil {
				if seen[fd.Name.Name] {
					methods[fd.Name.Name] = nil
					continue
				}
				seen[fd.Name.Name] = true
				methods[fd.Name.Name] = info.Defs[fd.Name]
			}
		}
	}
	for _, g := range files {
		fs := info.Scopes[g.ast]
		if fs == nil {
			continue
		}
		r := &bodyScopes{info: info, pkg: p.tpkg, file: fs, methods: methods}
		for _, d := range g.ast.Decls {
			if gd, ok := d.(*ast.GenDecl); ok {
				r.packageLits(gd) // var f = func(…) {…}: the checker skipped its body too
				continue
			}
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Body == nil {
				continue
			}
			r.push()
			for _, fl := range []*ast.FieldList{fd.Recv, fd.Type.Params, fd.Type.Results} {
				r.fields(fl, false)
			}
			r.stmts(fd.Body.List)
			r.pop()
		}
	}
}

// packageLits resolves the bodies of the function literals in a package-level declaration's
// values (the rest of the declaration the checker has resolved).
func (r *bodyScopes) packageLits(gd *ast.GenDecl) {
	for _, sp := range gd.Specs {
		vs, ok := sp.(*ast.ValueSpec)
		if !ok {
			continue
		}
		for _, v := range vs.Values {
			ast.Inspect(v, func(n ast.Node) bool {
				if fl, ok := n.(*ast.FuncLit); ok {
					r.expr(fl)
					return false
				}
				return true
			})
		}
	}
}

func (r *bodyScopes) push() { r.stack = append(r.stack, map[string]types.Object{}) }
func (r *bodyScopes) pop()  { r.stack = r.stack[:len(r.stack)-1] }

// declare makes a local variable for id.
func (r *bodyScopes) declare(id *ast.Ident) {
	if id == nil || id.Name == "_" {
		return
	}
	o := r.info.Defs[id]
	if o == nil {
		o = types.NewVar(id.Pos(), r.pkg, id.Name, nil)
		r.info.Defs[id] = o
	}
	r.stack[len(r.stack)-1][id.Name] = o
}

// fields declares parameters and results (the checker made objects for a declaration's
// signature; a literal's get new ones).
func (r *bodyScopes) fields(fl *ast.FieldList, lit bool) {
	if fl == nil {
		return
	}
	for _, f := range fl.List {
		if lit {
			r.expr(f.Type)
		}
		for _, id := range f.Names {
			r.declare(id)
		}
	}
}

// use resolves an identifier: innermost local first, then the package, its imports and
// the universe.
func (r *bodyScopes) use(id *ast.Ident) types.Object {
	for _, sc := range slices.Backward(r.stack) {
		if o := sc[id.Name]; o != nil {
			r.info.Uses[id] = o
			return o
		}
	}
	if _, o := r.file.LookupParent(id.Name, token.NoPos); o != nil {
		r.info.Uses[id] = o
		return o
	}
	return nil
}

func (r *bodyScopes) stmts(list []ast.Stmt) {
	for _, s := range list {
		r.stmt(s)
	}
}

func (r *bodyScopes) stmt(s ast.Stmt) {
	switch s := s.(type) {
	case nil:
	case *ast.BlockStmt:
		r.push()
		r.stmts(s.List)
		r.pop()
	case *ast.AssignStmt:
		for _, e := range s.Rhs {
			r.expr(e)
		}
		for _, e := range s.Lhs {
			id, ok := e.(*ast.Ident)
			if s.Tok == token.DEFINE && ok {
				if o := r.stack[len(r.stack)-1][id.Name]; o != nil {
					r.info.Uses[id] = o // redeclared in a := with a new name beside it
				} else {
					r.declare(id)
				}
				continue
			}
			r.expr(e)
		}
	case *ast.DeclStmt:
		gd, ok := s.Decl.(*ast.GenDecl)
		if !ok {
			return
		}
		for _, sp := range gd.Specs {
			switch sp := sp.(type) {
			case *ast.ValueSpec:
				r.expr(sp.Type)
				for _, e := range sp.Values {
					r.expr(e)
				}
				for _, id := range sp.Names {
					r.declare(id)
				}
			case *ast.TypeSpec:
				r.declare(sp.Name)
			}
		}
	case *ast.RangeStmt:
		r.expr(s.X)
		r.push()
		if s.Tok == token.DEFINE {
			for _, e := range []ast.Expr{s.Key, s.Value} {
				if id, ok := e.(*ast.Ident); ok {
					r.declare(id)
				}
			}
		} else {
			r.expr(s.Key)
			r.expr(s.Value)
		}
		r.stmt(s.Body)
		r.pop()
	case *ast.ForStmt:
		r.push()
		r.stmt(s.Init)
		r.expr(s.Cond)
		r.stmt(s.Post)
		r.stmt(s.Body)
		r.pop()
	case *ast.IfStmt:
		r.push()
		r.stmt(s.Init)
		r.expr(s.Cond)
		r.stmt(s.Body)
		r.stmt(s.Else)
		r.pop()
	case *ast.SwitchStmt:
		r.push()
		r.stmt(s.Init)
		r.expr(s.Tag)
		r.clauses(s.Body, nil)
		r.pop()
	case *ast.TypeSwitchStmt:
		r.push()
		r.stmt(s.Init)
		var bind *ast.Ident
		switch a := s.Assign.(type) {
		case *ast.AssignStmt:
			for _, e := range a.Rhs {
				r.expr(e)
			}
			if len(a.Lhs) == 1 {
				bind, _ = a.Lhs[0].(*ast.Ident)
			}
		case *ast.ExprStmt:
			r.expr(a.X)
		}
		r.clauses(s.Body, bind)
		r.pop()
	case *ast.SelectStmt:
		for _, c := range s.Body.List {
			if cc, ok := c.(*ast.CommClause); ok {
				r.push()
				r.stmt(cc.Comm)
				r.stmts(cc.Body)
				r.pop()
			}
		}
	case *ast.LabeledStmt:
		r.stmt(s.Stmt)
	case *ast.ExprStmt:
		r.expr(s.X)
	case *ast.SendStmt:
		r.expr(s.Chan)
		r.expr(s.Value)
	case *ast.IncDecStmt:
		r.expr(s.X)
	case *ast.GoStmt:
		r.expr(s.Call)
	case *ast.DeferStmt:
		r.expr(s.Call)
	case *ast.ReturnStmt:
		for _, e := range s.Results {
			r.expr(e)
		}
	}
}

// clauses resolves the case clauses of a switch; bind is the variable of a type switch,
// declared anew in each clause.
func (r *bodyScopes) clauses(body *ast.BlockStmt, bind *ast.Ident) {
	if body == nil {
		return
	}
	for _, c := range body.List {
		cc, ok := c.(*ast.CaseClause)
		if !ok {
			continue
		}
		r.push()
		for _, e := range cc.List {
			r.expr(e)
		}
		if bind != nil {
			r.stack[len(r.stack)-1][bind.Name] = types.NewVar(bind.Pos(), r.pkg, bind.Name, nil)
		}
		r.stmts(cc.Body)
		r.pop()
	}
}

func (r *bodyScopes) expr(e ast.Expr) {
	if e == nil {
		return
	}
	ast.Inspect(e, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.FuncLit:
			r.push()
			r.fields(x.Type.Params, true)
			r.fields(x.Type.Results, true)
			r.stmts(x.Body.List)
			r.pop()
			return false
		case *ast.SelectorExpr:
			r.expr(x.X)
			if id, ok := x.X.(*ast.Ident); ok {
				if pn, ok := r.info.Uses[id].(*types.PkgName); ok {
					if o := pn.Imported().Scope().Lookup(x.Sel.Name); o != nil {
						r.info.Uses[x.Sel] = o
					}
					return false
				}
			}
			if o := r.methods[x.Sel.Name]; o != nil {
				r.info.Uses[x.Sel] = o
			}
			return false
		case *ast.KeyValueExpr:
			// A struct literal's key is a field name, a map literal's an expression: resolve
			// it only when a name is in scope.
			if id, ok := x.Key.(*ast.Ident); ok {
				r.use(id)
			} else {
				r.expr(x.Key)
			}
			r.expr(x.Value)
			return false
		case *ast.Ident:
			r.use(x)
		}
		return true
	})
}
