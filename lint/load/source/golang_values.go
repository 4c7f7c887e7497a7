package source

import (
	"go/ast"
	"go/types"
	"path"
	"slices"
	"strings"
)

// codeValues are the label values the code gives one family where it uses it, read after
// the definitions (Go only so far; see lint.CodeDef.LabelValues).
type codeValues struct {
	// holder is the variable (a types.Object) or struct field (a fieldKey) the
	// constructor's result is kept in.
	holder    any
	varLabels []string // the Vec's variable labels, in WithLabelValues order
	values    map[string][]string
	// incomplete holds the labels some use gives a value the code does not show; all is set
	// when the holder escapes (passed on, returned, exported, curried), so that no label's
	// set is complete.
	incomplete map[string]bool
	all        bool
	ambiguous  bool // several families share the holder's name: no values
}

// maxValuesPerLabel bounds the values kept for one label; a label with more is incomplete.
const maxValuesPerLabel = 200

// noteHolder records, for a Vec constructor outside a helper body, the variable or field
// its result is assigned to and its variable labels, so that goLabelValues can read the
// uses of that holder.
func (w *goWalker) noteHolder(d *def, c *ast.CallExpr, name string, stack []ast.Node) {
	if !strings.HasSuffix(name, "Vec") || len(c.Args) < 2 || d.labelsUnknown || len(stack) == 0 {
		return
	}
	g := w.g // the file the constructor is written in: a helper's own, when read at a call site
	if w.env != nil && w.env.fn != nil && w.env.fn.g != nil {
		g = w.env.fn.g
	}
	ls, ok := w.stringList(c.Args[1])
	if !ok || len(ls) == 0 {
		return
	}
	var target ast.Expr // the variable or field x, x.f, or a literal's key f
	switch p := stack[len(stack)-1].(type) {
	case *ast.KeyValueExpr:
		if p.Value == ast.Expr(c) {
			target = p.Key
		}
	case *ast.AssignStmt:
		if i := slices.Index(p.Rhs, ast.Expr(c)); i >= 0 && len(p.Lhs) == len(p.Rhs) {
			target = p.Lhs[i]
		}
	case *ast.ValueSpec:
		if i := slices.Index(p.Values, ast.Expr(c)); i >= 0 && len(p.Names) == len(p.Values) {
			target = p.Names[i]
		}
	}
	v := &codeValues{varLabels: ls, values: map[string][]string{}, incomplete: map[string]bool{}}
	switch x := target.(type) {
	case *ast.Ident:
		if _, isKey := stack[len(stack)-1].(*ast.KeyValueExpr); isKey {
			v.holder = fieldKey{g.pkgKey(), x.Name}
			break
		}
		o := w.info.Defs[x]
		if o == nil {
			o = w.info.Uses[x]
		}
		if _, isVar := o.(*types.Var); !isVar {
			return
		}
		v.holder = o
		// An exported variable can be used by packages the set does not hold.
		v.all = o.Exported() && g.pkgN != "main"
	case *ast.SelectorExpr:
		v.holder = fieldKey{g.pkgKey(), x.Sel.Name}
	default:
		return
	}
	if f, ok := v.holder.(fieldKey); ok {
		// Fields are matched by name within their package (bodies are resolved without
		// types), so an exported field, usable from elsewhere, never gives a complete set.
		v.all = ast.IsExported(f.name) && g.pkgN != "main"
	}
	d.values = v
}

// fieldKey names a struct field by its package and name: bodies are resolved without
// types, so x.f is matched by f's name within the package.
type fieldKey struct{ pkg, name string }

// pkgKey names the file's package: its folder and package name.
func (g *goFile) pkgKey() string { return path.Dir(g.src.Path) + ":" + g.pkgN }

// goLabelValues reads every use of the holders of defs in the walked files: a
// WithLabelValues or With(prometheus.Labels{…}) call gives values, resolved as names are; a
// use that is not such a call, nor a harmless method (Reset, Delete…) nor a registration,
// lets the holder escape, and no set of its values is then complete.
func goLabelValues(files []*goFile, ctx *goCtx, defs []*def) {
	byObj := map[any][]*codeValues{}
	names := map[any]map[string]bool{}
	for _, d := range defs {
		if d.values != nil {
			h := d.values.holder
			byObj[h] = append(byObj[h], d.values)
			if names[h] == nil {
				names[h] = map[string]bool{}
			}
			names[h][d.name.s] = true
		}
	}
	if len(byObj) == 0 {
		return
	}
	for h, vs := range byObj {
		// One holder for families of several names (a helper called with different names,
		// two structs with a field of one name): whose use is whose is not known.
		if len(names[h]) > 1 {
			for _, v := range vs {
				v.ambiguous = true
			}
		}
	}
	for _, g := range files {
		if g.ast == nil {
			continue
		}
		w := newWalker(g, ctx)
		var stack []ast.Node
		ast.Inspect(g.ast, func(n ast.Node) bool {
			if n == nil {
				stack = stack[:len(stack)-1]
				return true
			}
			if id, ok := n.(*ast.Ident); ok {
				var key any = ctx.info.Uses[id]
				if len(stack) > 0 {
					if s, ok := stack[len(stack)-1].(*ast.SelectorExpr); ok && s.Sel == id {
						key = fieldKey{g.pkgKey(), id.Name}
					}
				}
				if vs := byObj[key]; vs != nil {
					for _, v := range vs {
						w.readUse(v, id, stack)
					}
				}
			}
			stack = append(stack, n)
			return true
		})
	}
}

// harmlessMethods neither give values nor let the family's values be set elsewhere.
var harmlessMethods = map[string]bool{
	"Reset": true, "Delete": true, "DeleteLabelValues": true, "DeletePartialMatch": true,
	"Describe": true, "Collect": true,
}

// readUse reads one use of a holder (id, with its ancestors in stack).
func (w *goWalker) readUse(v *codeValues, id *ast.Ident, stack []ast.Node) {
	var e ast.Expr = id
	k := len(stack) - 1
	if k >= 0 {
		if s, ok := stack[k].(*ast.SelectorExpr); ok && s.Sel == id { // x.f: the use is x.f
			e, k = s, k-1
		}
	}
	for k >= 0 {
		p, ok := stack[k].(*ast.ParenExpr)
		if !ok {
			break
		}
		e, k = p, k-1
	}
	if k < 0 {
		v.all = true
		return
	}
	switch p := stack[k].(type) {
	case *ast.KeyValueExpr:
		if p.Key == e {
			return // the field's initialisation
		}
	case *ast.AssignStmt:
		if slices.Contains(p.Lhs, e) {
			return // an assignment to the holder
		}
	case *ast.CallExpr:
		if isRegistration(p) && slices.Contains(p.Args, e) {
			return // reg.MustRegister(x)
		}
	case *ast.SelectorExpr:
		if p.X != e {
			break
		}
		if harmlessMethods[p.Sel.Name] {
			return
		}
		if k >= 1 {
			if c, ok := stack[k-1].(*ast.CallExpr); ok && c.Fun == ast.Expr(p) {
				switch p.Sel.Name {
				case "WithLabelValues", "GetMetricWithLabelValues":
					w.positional(v, c)
					return
				case "With", "GetMetricWith":
					w.labelMap(v, c)
					return
				}
			}
		}
	}
	v.all = true // passed on, returned, curried, its address taken: values set elsewhere
}

// isRegistration reports whether c registers collectors: X.MustRegister(…), X.Register(…).
func isRegistration(c *ast.CallExpr) bool {
	s, ok := c.Fun.(*ast.SelectorExpr)
	return ok && (s.Sel.Name == "MustRegister" || s.Sel.Name == "Register" || s.Sel.Name == "Unregister")
}

// positional reads WithLabelValues("a", "b"): one value per variable label, in order.
func (w *goWalker) positional(v *codeValues, c *ast.CallExpr) {
	if c.Ellipsis.IsValid() || len(c.Args) != len(v.varLabels) {
		v.all = true
		return
	}
	for i, a := range c.Args {
		v.add(v.varLabels[i], w.eval(a))
	}
}

// labelMap reads With(prometheus.Labels{"a": "x"}): a literal map of constant keys.
func (w *goWalker) labelMap(v *codeValues, c *ast.CallExpr) {
	if len(c.Args) != 1 {
		v.all = true
		return
	}
	cl, null, ok := w.literal(c.Args[0])
	if null || !ok {
		v.all = true
		return
	}
	seen := map[string]bool{}
	for _, el := range cl.Elts {
		kv, ok := el.(*ast.KeyValueExpr)
		if !ok {
			v.all = true
			return
		}
		k := w.eval(kv.Key)
		if !k.known() {
			v.all = true
			return
		}
		seen[k.s] = true
		v.add(k.s, w.eval(kv.Value))
	}
	for _, l := range v.varLabels {
		if !seen[l] { // client_golang panics on a missing label; the value is not shown here
			v.incomplete[l] = true
		}
	}
}

// add records one value of a label, or that the label has a value the code does not show.
func (v *codeValues) add(label string, val value) {
	if !val.known() || len(v.values[label]) >= maxValuesPerLabel {
		v.incomplete[label] = true
		return
	}
	if !slices.Contains(v.values[label], val.s) {
		v.values[label] = append(v.values[label], val.s)
	}
}

// result returns the values by label, sorted, and the labels whose set is complete.
func (v *codeValues) result() (map[string][]string, map[string]bool) {
	if v == nil || v.ambiguous || len(v.values) == 0 {
		return nil, nil
	}
	vals := map[string][]string{}
	complete := map[string]bool{}
	for l, vs := range v.values {
		vals[l] = slices.Sorted(slices.Values(vs))
		if !v.all && !v.incomplete[l] {
			complete[l] = true
		}
	}
	return vals, complete
}
