// Package jqpath finds the paths of its input that a jq program reads, from the gojq AST:
// `.kafka.status` reads .kafka.status, `.items[] | select(.up) | .name` reads .items[].up
// and .items[].name. Paths are written as lint/load/health writes the paths present in a
// health sample (".consumers[].lag", `."kafka-consumer".lag`), so that the two compare as
// strings.
//
// The walk carries the paths the current value can be (the context): a pipe feeds the left
// side's paths to the right side, `A as $x | B` runs B on A's input with $x bound to A's
// paths, select, sort_by and other filters keep the context, the arguments of sort_by,
// map, any and the like run on the elements, `//` and `,` give both sides' paths, and
// objects, arrays, arithmetic and most functions produce values that are not paths of the
// input: reads from them are dropped rather than guessed. Array indexes (.[0], .[-1])
// become [] like iteration. Reads inside del(), path() and has() are not reads.
package jqpath

import (
	"slices"
	"strconv"
	"strings"

	"github.com/itchyny/gojq"

	"github.com/driftlint/driftlint/lint/load/health"
)

// Segment is one step of a path: an object key, or the elements of an array (Iter).
type Segment struct {
	Key  string
	Iter bool
}

// Path is a path into a JSON value; the empty path is the value itself.
type Path []Segment

// String writes the path as lint/load/health does: ".kafka.status", ".consumers[].lag",
// `."kafka-consumer".lag`, ".[]" for the elements of a root array, and "." for the root.
func (p Path) String() string {
	s := ""
	for _, seg := range p {
		if seg.Iter {
			s = health.Elem(s)
		} else {
			s = health.Key(s, seg.Key)
		}
	}
	if s == "" {
		return "."
	}
	return s
}

// Bounds that keep the walk linear on hostile programs.
const (
	// maxDepth bounds nested calls of user-defined functions, so that recursive
	// definitions end.
	maxDepth = 32
	// maxSteps bounds the queries walked in all; the rest of a larger walk is skipped.
	maxSteps = 100000
	// maxContext bounds the paths a value can be ((.a, .b) | (.c, .d) | … doubles them).
	maxContext = 64
	// maxReads bounds the distinct paths recorded.
	maxReads = 10000
)

// Read returns the paths that q reads from its input, sorted by their String form, without
// duplicates and without the paths that are a prefix of another one read (.a is implied by
// .a.b). A nil query reads nothing.
func Read(q *gojq.Query) []Path {
	if q == nil {
		return nil
	}
	w := &walker{reads: map[string]Path{}}
	w.query(q, []Path{{}}, &env{})
	prefixes := map[string]bool{} // strict prefixes of the paths read
	for _, p := range w.reads {
		for i := 1; i < len(p); i++ {
			prefixes[p[:i].String()] = true
		}
	}
	keys := make([]string, 0, len(w.reads))
	for k := range w.reads {
		if !prefixes[k] {
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 {
		return nil
	}
	slices.Sort(keys)
	out := make([]Path, 0, len(keys))
	for _, k := range keys {
		out = append(out, w.reads[k])
	}
	return out
}

// walker records the paths read.
type walker struct {
	reads map[string]Path
	depth int
	steps int
}

// env is the lexical scope: variables bound to paths, and function definitions.
type env struct {
	parent *env
	vars   map[string][]Path
	funcs  map[string]*closure // "name/arity"
}

// closure is a function definition, or a function argument (a filter parameter), with the
// scope it was written in.
type closure struct {
	def   *gojq.FuncDef // nil for a filter parameter
	query *gojq.Query   // a filter parameter's argument
	env   *env
}

func (e *env) lookupVar(name string) ([]Path, bool) {
	for ; e != nil; e = e.parent {
		if v, ok := e.vars[name]; ok {
			return v, true
		}
	}
	return nil, false
}

func (e *env) lookupFunc(key string) *closure {
	for ; e != nil; e = e.parent {
		if c, ok := e.funcs[key]; ok {
			return c
		}
	}
	return nil
}

func (e *env) withVar(name string, v []Path) *env {
	return &env{parent: e, vars: map[string][]Path{name: v}}
}

func funcKey(name string, arity int) string { return name + "/" + strconv.Itoa(arity) }

// extend returns e with a query's function definitions; they see each other.
func (e *env) extend(defs []*gojq.FuncDef) *env {
	if len(defs) == 0 {
		return e
	}
	ne := &env{parent: e, funcs: map[string]*closure{}}
	for _, d := range defs {
		ne.funcs[funcKey(d.Name, len(d.Args))] = &closure{def: d, env: ne}
	}
	return ne
}

// record notes every path of ps as read and returns ps.
func (w *walker) record(ps []Path) []Path {
	for _, p := range ps {
		if len(p) > 0 && len(w.reads) < maxReads {
			w.reads[p.String()] = p
		}
	}
	return ps
}

// key returns the paths of member k of each path in base, recording them.
func (w *walker) key(base []Path, k string) []Path {
	var out []Path
	for _, p := range base {
		out = append(out, append(slices.Clip(p), Segment{Key: k}))
	}
	return w.record(out)
}

// elems returns the paths of the elements of each path in base, recording them.
func (w *walker) elems(base []Path) []Path {
	var out []Path
	for _, p := range base {
		out = append(out, append(slices.Clip(p), Segment{Iter: true}))
	}
	return w.record(out)
}

func union(a, b []Path) []Path {
	out := slices.Clip(a)
	for _, p := range b {
		if len(out) >= maxContext {
			break
		}
		if !slices.ContainsFunc(out, func(q Path) bool { return slices.Equal(p, q) }) {
			out = append(out, p)
		}
	}
	return out
}

// query walks q with input paths in and returns the paths its output can be.
func (w *walker) query(q *gojq.Query, in []Path, e *env) []Path {
	if q == nil {
		return in
	}
	if w.steps++; w.steps > maxSteps {
		return nil
	}
	e = e.extend(q.FuncDefs)
	if q.Term != nil {
		return w.term(q.Term, in, e)
	}
	switch q.Op {
	case gojq.OpPipe:
		if len(q.Patterns) > 0 {
			// A as $x | B: B runs on A's input.
			v := w.query(q.Left, in, e)
			return w.query(q.Right, in, w.bindAll(q.Patterns, v, e))
		}
		return w.query(q.Right, w.query(q.Left, in, e), e)
	case gojq.OpComma, gojq.OpAlt:
		return union(w.query(q.Left, in, e), w.query(q.Right, in, e))
	case gojq.OpModify:
		lhs := w.query(q.Left, in, e)
		w.query(q.Right, lhs, e)
		return in
	case gojq.OpAssign, gojq.OpUpdateAdd, gojq.OpUpdateSub, gojq.OpUpdateMul, gojq.OpUpdateDiv,
		gojq.OpUpdateMod, gojq.OpUpdateAlt:
		w.query(q.Left, in, e)
		w.query(q.Right, in, e)
		return in
	default: // arithmetic, comparison, and, or
		w.query(q.Left, in, e)
		w.query(q.Right, in, e)
		return nil
	}
}

// term walks one term and its suffixes.
func (w *walker) term(t *gojq.Term, in []Path, e *env) []Path {
	var out []Path
	switch t.Type {
	case gojq.TermTypeIdentity:
		out = in
	case gojq.TermTypeIndex:
		out = w.index(t.Index, in, in, e)
	case gojq.TermTypeFunc:
		out = w.call(t.Func, in, e)
	case gojq.TermTypeObject:
		w.object(t.Object, in, e)
	case gojq.TermTypeArray:
		if t.Array != nil && t.Array.Query != nil {
			w.query(t.Array.Query, in, e)
		}
	case gojq.TermTypeUnary:
		if t.Unary != nil {
			w.term(t.Unary.Term, in, e)
		}
	case gojq.TermTypeString, gojq.TermTypeFormat:
		w.str(t.Str, in, e)
	case gojq.TermTypeIf:
		out = w.ifTerm(t.If, in, e)
	case gojq.TermTypeTry:
		if t.Try != nil {
			out = w.query(t.Try.Body, in, e)
			if t.Try.Catch != nil {
				w.query(t.Try.Catch, nil, e) // the catch body reads the error message
			}
		}
	case gojq.TermTypeReduce:
		if r := t.Reduce; r != nil {
			inner := w.bindAll(r.Patterns, w.query(r.Query, in, e), e)
			w.query(r.Start, in, e)
			w.query(r.Update, nil, inner)
		}
	case gojq.TermTypeForeach:
		if f := t.Foreach; f != nil {
			inner := w.bindAll(f.Patterns, w.query(f.Query, in, e), e)
			w.query(f.Start, in, e)
			w.query(f.Update, nil, inner)
			if f.Extract != nil {
				w.query(f.Extract, nil, inner)
			}
		}
	case gojq.TermTypeLabel:
		if t.Label != nil {
			out = w.query(t.Label.Body, in, e)
		}
	case gojq.TermTypeQuery:
		out = w.query(t.Query, in, e)
	default: // .., null, true, false, numbers, break: no path of the input
	}
	for _, s := range t.SuffixList {
		switch {
		case s.Index != nil:
			out = w.index(s.Index, out, in, e)
		case s.Iter:
			out = w.elems(out)
		}
	}
	return out
}

// index applies .name, ."name", .["name"], .[n], .[a:b] or .[expr] to base. Index
// expressions run on input, the term's input, as jq evaluates them.
func (w *walker) index(ix *gojq.Index, base, input []Path, e *env) []Path {
	switch {
	case ix == nil:
		return base
	case ix.Name != "":
		return w.key(base, ix.Name)
	case ix.Str != nil:
		if len(ix.Str.Queries) == 0 {
			return w.key(base, ix.Str.Str)
		}
		w.str(ix.Str, input, e)
		return nil
	case ix.IsSlice:
		w.query(ix.Start, input, e)
		w.query(ix.End, input, e)
		return base // a slice of an array has the array's shape
	case ix.Start != nil:
		if s, ok := constString(ix.Start); ok {
			return w.key(base, s)
		}
		if isConstNumber(ix.Start) {
			return w.elems(base)
		}
		w.query(ix.Start, input, e)
		return nil
	}
	return base
}

// constString returns the value of a query that is a plain string literal.
func constString(q *gojq.Query) (string, bool) {
	if q == nil || q.Term == nil || q.Op != 0 || len(q.FuncDefs) > 0 {
		return "", false
	}
	t := q.Term
	if t.Type == gojq.TermTypeQuery && len(t.SuffixList) == 0 {
		return constString(t.Query)
	}
	if t.Type != gojq.TermTypeString || t.Str == nil || len(t.Str.Queries) > 0 || len(t.SuffixList) > 0 {
		return "", false
	}
	return t.Str.Str, true
}

// isConstNumber reports whether a query is a number literal, possibly negated.
func isConstNumber(q *gojq.Query) bool {
	if q == nil || q.Term == nil || q.Op != 0 || len(q.Term.SuffixList) > 0 {
		return false
	}
	t := q.Term
	if t.Type == gojq.TermTypeUnary && t.Unary != nil && t.Unary.Term != nil {
		t = t.Unary.Term
	}
	return t.Type == gojq.TermTypeNumber && len(t.SuffixList) == 0
}

// str walks the interpolations of a string.
func (w *walker) str(s *gojq.String, in []Path, e *env) {
	if s == nil {
		return
	}
	for _, q := range s.Queries {
		w.query(q, in, e)
	}
}

// object walks an object construction; the object built is not a path of the input.
func (w *walker) object(o *gojq.Object, in []Path, e *env) {
	if o == nil {
		return
	}
	for _, kv := range o.KeyVals {
		if kv.KeyQuery != nil {
			w.query(kv.KeyQuery, in, e)
		}
		w.str(kv.KeyString, in, e)
		switch {
		case kv.Val != nil:
			w.query(kv.Val, in, e)
		case strings.HasPrefix(kv.Key, "$"): // {$x}: a variable
		case kv.Key != "": // {foo} is {foo: .foo}
			w.key(in, kv.Key)
		case kv.KeyString != nil && len(kv.KeyString.Queries) == 0: // {"foo"}
			w.key(in, kv.KeyString.Str)
		}
	}
}

func (w *walker) ifTerm(f *gojq.If, in []Path, e *env) []Path {
	if f == nil {
		return nil
	}
	w.query(f.Cond, in, e)
	out := w.query(f.Then, in, e)
	for _, el := range f.Elif {
		w.query(el.Cond, in, e)
		out = union(out, w.query(el.Then, in, e))
	}
	if f.Else == nil {
		return union(out, in)
	}
	return union(out, w.query(f.Else, in, e))
}

// bindAll binds the variables of patterns (`as $x`, `as {a: $a}`, `?//` alternatives) to
// the paths they take from v.
func (w *walker) bindAll(ps []*gojq.Pattern, v []Path, e *env) *env {
	for _, p := range ps {
		e = w.bind(p, v, e)
	}
	return e
}

func (w *walker) bind(p *gojq.Pattern, v []Path, e *env) *env {
	if p == nil {
		return e
	}
	if p.Name != "" {
		e = e.withVar(p.Name, v)
	}
	for _, el := range p.Array {
		e = w.bind(el, w.elems(v), e)
	}
	for _, o := range p.Object {
		var val []Path
		switch {
		case strings.HasPrefix(o.Key, "$"): // {$name} binds $name to .name
			val = w.key(v, o.Key[1:])
			e = e.withVar(o.Key, val)
		case o.Key != "":
			val = w.key(v, o.Key)
		case o.KeyString != nil && len(o.KeyString.Queries) == 0:
			val = w.key(v, o.KeyString.Str)
		default:
			if o.KeyQuery != nil {
				w.query(o.KeyQuery, v, e)
			}
		}
		if o.Val != nil {
			e = w.bind(o.Val, val, e)
		}
	}
	return e
}

// call walks a function call or a variable reference.
func (w *walker) call(f *gojq.Func, in []Path, e *env) []Path {
	if f == nil {
		return nil
	}
	if strings.HasPrefix(f.Name, "$") {
		v, _ := e.lookupVar(f.Name) // $__loc__, $ENV and unknown variables: not paths
		return v
	}
	if c := e.lookupFunc(funcKey(f.Name, len(f.Args))); c != nil {
		return w.callDefined(c, f.Args, in, e)
	}
	return w.builtin(f, in, e)
}

// callDefined runs a user-defined function (or a filter parameter) on in.
func (w *walker) callDefined(c *closure, args []*gojq.Query, in []Path, caller *env) []Path {
	if w.depth >= maxDepth {
		return nil
	}
	w.depth++
	defer func() { w.depth-- }()
	if c.def == nil { // a filter parameter: the argument runs in the caller's scope
		return w.query(c.query, in, c.env)
	}
	body := &env{parent: c.env, vars: map[string][]Path{}, funcs: map[string]*closure{}}
	for i, name := range c.def.Args {
		if i >= len(args) {
			break
		}
		if v, ok := strings.CutPrefix(name, "$"); ok { // def f($x): binds $x and x
			body.vars[name] = w.query(args[i], in, caller)
			body.funcs[funcKey(v, 0)] = &closure{query: args[i], env: caller}
			continue
		}
		body.funcs[funcKey(name, 0)] = &closure{query: args[i], env: caller}
	}
	return w.query(c.def.Body, in, body)
}

// builtin walks a call of a jq builtin.
func (w *walker) builtin(f *gojq.Func, in []Path, e *env) []Path {
	args := f.Args
	arg := func(i int, input []Path) []Path {
		if i < len(args) {
			return w.query(args[i], input, e)
		}
		return nil
	}
	switch f.Name {
	case "select", "recurse", "debug", "stderr", "pick":
		// filters: the output is (a part of) the input
		for i := range args {
			arg(i, in)
		}
		if f.Name == "recurse" && len(args) == 0 {
			return nil
		}
		return in
	case "values", "nulls", "booleans", "numbers", "strings", "arrays", "objects", "iterables",
		"scalars", "sort", "unique", "reverse":
		if len(args) == 0 {
			return in
		}
	case "sort_by", "unique_by", "map_values":
		if len(args) == 1 {
			arg(0, w.elems(in))
			return in
		}
	case "min_by", "max_by":
		if len(args) == 1 {
			el := w.elems(in)
			arg(0, el)
			return el
		}
	case "group_by", "any", "all":
		if len(args) == 1 {
			arg(0, w.elems(in))
			return nil
		}
		if len(args) == 2 && f.Name != "group_by" { // any(gen; cond), all(gen; cond)
			arg(1, arg(0, in))
			return nil
		}
	case "sub", "gsub":
		// the replacement string reads the capture object, not the input
		arg(0, in)
		for i := 1; i < len(args); i++ {
			arg(i, nil)
		}
		return nil
	case "map":
		if len(args) == 1 {
			el := w.elems(in)
			out := arg(0, el)
			if len(out) > 0 && len(out) == len(el) && slices.EqualFunc(out, el, slices.Equal) {
				return in // map(select(…)) keeps the elements
			}
			return nil
		}
	case "first", "last", "min", "max":
		if len(args) == 0 {
			return w.elems(in)
		}
		if len(args) == 1 && (f.Name == "first" || f.Name == "last") {
			return arg(0, in)
		}
	case "limit", "nth":
		if len(args) == 2 {
			arg(0, in)
			return arg(1, in)
		}
		if len(args) == 1 && f.Name == "nth" { // nth(n): an element
			arg(0, in)
			return w.elems(in)
		}
	case "del", "path", "paths", "has", "getpath", "delpaths", "with_entries", "walk":
		// path expressions and existence tests: not reads of the value
		for i := range args {
			arg(i, nil)
		}
		if f.Name == "del" {
			return in
		}
		return nil
	}
	for i := range args {
		arg(i, in)
	}
	return nil
}
