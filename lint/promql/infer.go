package promql

import (
	"regexp/syntax"
	"slices"
	"strings"
	"unicode"

	"github.com/prometheus/common/model"

	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/promql/parser"

	"github.com/driftlint/driftlint/lint"
)

// LabelSet is the set of label names a query's result series can carry.
//
// An unknown set (Known false) stands for "any label": it is what the inference
// returns when some part of the expression could not be inferred, such as an
// undefined metric, a regex __name__ matcher or a Grafana variable stand-in.
type LabelSet struct {
	Known  bool     // false: some part could not be inferred; never produce a finding from an unknown set
	Labels []string // sorted, unique, never includes __name__; meaningful only when Known
}

// Has reports whether series in the set can carry the label name. For an unknown set
// it returns true, giving the query the benefit of the doubt.
func (s LabelSet) Has(name string) bool {
	if !s.Known {
		return true
	}
	_, ok := slices.BinarySearch(s.Labels, name)
	return ok
}

// String formats the set as {a, b} or, when it is not known, as {?}.
func (s LabelSet) String() string {
	if !s.Known {
		return "{?}"
	}
	return "{" + strings.Join(s.Labels, ", ") + "}"
}

// Resolver tells the inference what labels a metric has.
type Resolver interface {
	// MetricLabels returns the label names (excluding __name__) that series of the
	// named metric carry, and whether the metric is defined at all. For histogram
	// series names (x_bucket) the resolver already includes "le"; for summaries the
	// quantile series include "quantile".
	MetricLabels(name string) (labels []string, ok bool)
}

// IsVariable reports whether a metric or label name is a Grafana template-variable
// stand-in, which always makes inference unknown for that part. Stand-ins start with
// "__gv_"; a name that contains "__gv_" elsewhere (a variable spliced into a longer
// name) counts too.
func IsVariable(name string) bool { return lint.IsStandIn(name) }

// Infer returns the label set of expr's result series.
//
// Scalars and strings (number and string literals, time(), scalar(), pi(), …) yield
// a known empty set. Inside binary operations they are recognised as scalars, so
// that the result takes the labels of the vector side. vector(s) and date functions
// without arguments, such as hour(), return a real vector with no labels and also
// yield a known empty set.
//
// The main rules that decide between a known and an unknown set:
//   - A selector is unknown when its metric name is not an equality match, is a
//     stand-in, or is not defined by r, and when any matcher names a stand-in label.
//   - A selector adds the labels that its matchers require or allow to be non-empty
//     (x="a", x!="", x=~"a.*") and removes those that they require to be empty
//     (x="", x=~"", x!~".+").
//   - sum by (x) and other by() aggregations give a known set even when the input is
//     unknown: the result can carry at most the grouping labels. When the input is
//     known, only the grouping labels that it carries remain. The same holds for
//     one-to-one matching with on (x), which keeps only the on() labels.
//   - without (x), ignoring (x), histogram_quantile and any other rule that removes
//     labels keep an unknown input unknown.
//   - a or b is unknown when either side is; a and b and a unless b take a's set.
//   - group_left (x) takes x from the "one" side. When that side is unknown, x is
//     added; when it is known, only those of x that it carries are added, and the
//     others are removed, as the engine does.
//   - A by(), without(), on(), ignoring(), group_x() or function label argument
//     that is a stand-in makes the result unknown, as do info() and unknown functions.
func Infer(expr parser.Expr, r Resolver) LabelSet {
	s, _ := infer(expr, r)
	return s
}

// MatchLabels returns, for a vector/vector BinaryExpr, the label names each side is
// matched on, and whether both sides are known.
//
// Each side's set holds the labels that the engine puts into that side's match
// signature: the on (…) labels that the side carries, or the side's labels minus
// the ignoring (…) list, or all of the side's labels. A side whose labels are not
// known gives an unknown set, and so does every side when b is not a binary
// operation between two instant vectors or when a matching label is a stand-in.
// When the two known sets differ, a label that only one side carries makes the
// signatures differ for every pair of series.
func MatchLabels(b *parser.BinaryExpr, r Resolver) (lhs, rhs LabelSet) {
	if b == nil || b.VectorMatching == nil ||
		b.LHS.Type() != parser.ValueTypeVector || b.RHS.Type() != parser.ValueTypeVector {
		return unknown(), unknown()
	}
	vm := b.VectorMatching
	if anyVariable(vm.MatchingLabels) {
		return unknown(), unknown()
	}
	l, _ := infer(b.LHS, r)
	rs, _ := infer(b.RHS, r)
	return signatureLabels(l, vm), signatureLabels(rs, vm)
}

// signatureLabels returns the labels of s that take part in the match signature.
func signatureLabels(s LabelSet, vm *parser.VectorMatching) LabelSet {
	if !s.Known {
		return unknown()
	}
	if vm.On {
		return s.intersect(vm.MatchingLabels)
	}
	return s.minus(vm.MatchingLabels)
}

// infer returns the label set of expr and whether expr is a scalar or string rather
// than an instant or range vector.
func infer(expr parser.Expr, r Resolver) (LabelSet, bool) {
	switch e := expr.(type) {
	case *parser.VectorSelector:
		return inferSelector(e, r), false
	case *parser.MatrixSelector:
		return infer(e.VectorSelector, r)
	case *parser.SubqueryExpr:
		return infer(e.Expr, r)
	case *parser.ParenExpr:
		return infer(e.Expr, r)
	case *parser.StepInvariantExpr:
		return infer(e.Expr, r)
	case *parser.UnaryExpr:
		return infer(e.Expr, r)
	case *parser.NumberLiteral, *parser.StringLiteral, *parser.DurationExpr:
		return known(), true
	case *parser.AggregateExpr:
		return inferAggregate(e, r), false
	case *parser.Call:
		return inferCall(e, r)
	case *parser.BinaryExpr:
		return inferBinary(e, r)
	case nil:
		return unknown(), false
	}
	if expr.Type() == parser.ValueTypeScalar || expr.Type() == parser.ValueTypeString {
		return known(), true
	}
	return unknown(), false
}

// inferSelector returns the labels of the series a selector picks.
func inferSelector(vs *parser.VectorSelector, r Resolver) LabelSet {
	name := lint.MetricName(vs)
	if name == "" || IsVariable(name) {
		return unknown()
	}
	var present, absent []string
	for _, m := range vs.LabelMatchers {
		if m.Name == model.MetricNameLabel {
			continue
		}
		if IsVariable(m.Name) {
			return unknown()
		}
		switch matcherPresence(m) {
		case mayBePresent:
			present = append(present, m.Name)
		case mustBeAbsent:
			absent = append(absent, m.Name)
		default: // neutral: the matcher says nothing about presence
		}
	}
	base, ok := r.MetricLabels(name)
	if !ok {
		return unknown()
	}
	if len(absent) == 0 && isLabelSet(base) && subset(present, base) {
		// The common case: the matchers name labels the metric has. base is shared with
		// the resolver: clipped, so that an append by a caller copies it.
		return LabelSet{Known: true, Labels: slices.Clip(base)}
	}
	return known(base...).union(known(present...)).minus(absent)
}

// isLabelSet reports whether names is already in LabelSet form: sorted, unique, without
// __name__ and "".
func isLabelSet(names []string) bool {
	for i, n := range names {
		if n == "" || n == model.MetricNameLabel || i > 0 && names[i-1] >= n {
			return false
		}
	}
	return true
}

// subset reports whether every name is in the sorted set.
func subset(names, set []string) bool {
	for _, n := range names {
		if _, ok := slices.BinarySearch(set, n); !ok {
			return false
		}
	}
	return true
}

// presence says what a matcher implies about its label on the selected series.
type presence int

const (
	neutral      presence = iota // x!="a": says nothing
	mayBePresent                 // x="a", x!="", x=~"a|": selected series can carry x
	mustBeAbsent                 // x="", x=~"", x!~".+": no selected series carries x
)

// matcherPresence classifies a matcher. A label whose value is empty is absent.
func matcherPresence(m *labels.Matcher) presence {
	if !m.Matches("") {
		return mayBePresent
	}
	switch m.Type {
	case labels.MatchEqual:
		return mustBeAbsent
	case labels.MatchRegexp:
		re, err := parseRegexp(m.Value)
		if err != nil || !onlyEmpty(re) {
			return mayBePresent
		}
		return mustBeAbsent
	case labels.MatchNotRegexp:
		re, err := parseRegexp(m.Value)
		if err == nil && matchesAllNonEmpty(re) {
			return mustBeAbsent
		}
	default: // != never forces absence
	}
	return neutral
}

// parseRegexp parses a label-matcher regex with the flags Prometheus uses ((?s), anchored).
func parseRegexp(s string) (*syntax.Regexp, error) {
	re, err := syntax.Parse(s, syntax.Perl|syntax.DotNL)
	if err != nil {
		return nil, err
	}
	return re.Simplify(), nil
}

// onlyEmpty reports whether re can match no string other than the empty one.
func onlyEmpty(re *syntax.Regexp) bool {
	switch re.Op {
	case syntax.OpNoMatch, syntax.OpEmptyMatch,
		syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText, syntax.OpEndText,
		syntax.OpWordBoundary, syntax.OpNoWordBoundary:
		return true
	case syntax.OpLiteral, syntax.OpCharClass:
		return len(re.Rune) == 0
	case syntax.OpCapture, syntax.OpStar, syntax.OpPlus, syntax.OpQuest:
		return onlyEmpty(re.Sub[0])
	case syntax.OpRepeat:
		return re.Max == 0 || onlyEmpty(re.Sub[0])
	case syntax.OpConcat, syntax.OpAlternate:
		for _, sub := range re.Sub {
			if !onlyEmpty(sub) {
				return false
			}
		}
		return true
	default:
		return false
	}
}

// matchesAllNonEmpty reports whether re surely matches every non-empty string
// (.+, .*, (.*), [\s\S]+, …). False means "not sure".
func matchesAllNonEmpty(re *syntax.Regexp) bool {
	switch re.Op {
	case syntax.OpCapture:
		return matchesAllNonEmpty(re.Sub[0])
	case syntax.OpStar, syntax.OpPlus:
		return anyChar(re.Sub[0])
	case syntax.OpAlternate:
		return slices.ContainsFunc(re.Sub, matchesAllNonEmpty)
	default:
		return false
	}
}

// anyChar reports whether re matches any single character.
func anyChar(re *syntax.Regexp) bool {
	switch re.Op {
	case syntax.OpAnyChar:
		return true
	case syntax.OpCharClass:
		return len(re.Rune) == 2 && re.Rune[0] == 0 && re.Rune[1] == unicode.MaxRune
	case syntax.OpCapture:
		return anyChar(re.Sub[0])
	default:
		return false
	}
}

// inferAggregate applies an aggregation's grouping to the labels of its input.
func inferAggregate(a *parser.AggregateExpr, r Resolver) LabelSet {
	if anyVariable(a.Grouping) {
		return unknown()
	}
	inner, _ := infer(a.Expr, r)
	switch a.Op {
	case parser.TOPK, parser.BOTTOMK, parser.LIMITK, parser.LIMIT_RATIO:
		// These select series and keep their labels; the grouping only partitions.
		return inner
	case parser.COUNT_VALUES:
		label, ok := stringArg(a.Param)
		if !ok || isVariableString(label) {
			return unknown()
		}
		// The engine sets the value label before grouping: by() always keeps it,
		// without() removes it when it is listed.
		withLabel := inner.union(known(label))
		if a.Without {
			return withLabel.minus(a.Grouping)
		}
		return withLabel.intersect(append(slices.Clone(a.Grouping), label))
	}
	if a.Without {
		return inner.minus(a.Grouping)
	}
	return inner.intersect(a.Grouping)
}

// seriesArgs maps functions that keep the labels of their input series to the
// index of that argument. Most of them drop __name__, which does not matter here.
var seriesArgs = map[string]int{
	"abs": 0, "acos": 0, "acosh": 0, "asin": 0, "asinh": 0, "atan": 0, "atanh": 0,
	"ceil": 0, "clamp": 0, "clamp_max": 0, "clamp_min": 0, "cos": 0, "cosh": 0,
	"deg": 0, "exp": 0, "floor": 0, "ln": 0, "log10": 0, "log2": 0, "rad": 0,
	"round": 0, "sgn": 0, "sin": 0, "sinh": 0, "sqrt": 0, "tan": 0, "tanh": 0,

	"histogram_avg": 0, "histogram_count": 0, "histogram_sum": 0,
	"histogram_stddev": 0, "histogram_stdvar": 0,

	"sort": 0, "sort_desc": 0, "sort_by_label": 0, "sort_by_label_desc": 0,
	"timestamp": 0, "start_timestamp": 0,

	"rate": 0, "irate": 0, "increase": 0, "delta": 0, "idelta": 0, "deriv": 0,
	"predict_linear": 0, "double_exponential_smoothing": 0, "holt_winters": 0,
	"resets": 0, "changes": 0, "integral": 0,

	"avg_over_time": 0, "min_over_time": 0, "max_over_time": 0, "sum_over_time": 0,
	"count_over_time": 0, "last_over_time": 0, "first_over_time": 0,
	"stddev_over_time": 0, "stdvar_over_time": 0, "mad_over_time": 0,
	"present_over_time": 0, "quantile_over_time": 1,
	"ts_of_first_over_time": 0, "ts_of_last_over_time": 0,
	"ts_of_max_over_time": 0, "ts_of_min_over_time": 0,

	"histogram_quantile": 1, "histogram_fraction": 2, "histogram_quantiles": 0,

	// Date functions default to vector(time()), which has no labels.
	"day_of_month": 0, "day_of_week": 0, "day_of_year": 0, "days_in_month": 0,
	"hour": 0, "minute": 0, "month": 0, "year": 0,
}

// inferCall returns the labels of a function call's result.
func inferCall(c *parser.Call, r Resolver) (LabelSet, bool) {
	if c.Func == nil {
		return unknown(), false
	}
	if c.Func.ReturnType == parser.ValueTypeScalar || c.Func.ReturnType == parser.ValueTypeString {
		return known(), true
	}
	switch c.Func.Name {
	case "vector":
		return known(), false
	case "absent", "absent_over_time":
		if len(c.Args) == 0 {
			return unknown(), false
		}
		return absentLabels(c.Args[0]), false
	case "label_replace":
		return labelReplace(c, r), false
	case "label_join":
		return labelJoin(c, r), false
	}
	i, ok := seriesArgs[c.Func.Name]
	if !ok {
		// info() and functions this package does not know.
		return unknown(), false
	}
	if i >= len(c.Args) {
		return known(), false
	}
	s, _ := infer(c.Args[i], r)
	switch c.Func.Name {
	case "histogram_quantile", "histogram_fraction":
		s = s.minus([]string{"le"})
	case "histogram_quantiles":
		if len(c.Args) < 2 {
			return unknown(), false
		}
		label, ok := stringArg(c.Args[1])
		if !ok || isVariableString(label) {
			return unknown(), false
		}
		s = s.minus([]string{"le"}).union(known(label))
	}
	return s, false
}

// absentLabels returns the labels absent() and absent_over_time() put on their
// output series: those of the selector's equality matchers with a non-empty value
// on labels matched only once, as the engine's createLabelsForAbsentFunction does.
// Any other argument gives no labels.
func absentLabels(arg parser.Expr) LabelSet {
	for {
		si, ok := arg.(*parser.StepInvariantExpr)
		if !ok {
			break
		}
		arg = si.Expr
	}
	var vs *parser.VectorSelector
	switch e := arg.(type) {
	case *parser.VectorSelector:
		vs = e
	case *parser.MatrixSelector:
		vs, _ = e.VectorSelector.(*parser.VectorSelector)
	}
	if vs == nil {
		return known()
	}
	set := map[string]bool{}
	seen := map[string]bool{}
	for _, m := range vs.LabelMatchers {
		if isMetadataLabel(m.Name) {
			continue
		}
		if IsVariable(m.Name) {
			return unknown()
		}
		if m.Type == labels.MatchEqual && !seen[m.Name] && m.Value != "" {
			set[m.Name] = true
		} else {
			delete(set, m.Name)
		}
		seen[m.Name] = true
	}
	out := make([]string, 0, len(set))
	for name := range set {
		out = append(out, name)
	}
	return known(out...)
}

// isMetadataLabel reports whether name is one of the labels that hold series metadata.
func isMetadataLabel(name string) bool {
	return name == model.MetricNameLabel || name == "__type__" || name == "__unit__"
}

// labelReplace infers label_replace(v, dst, replacement, src, regex). A non-empty
// replacement adds dst. An empty one deletes dst when the regex surely matches the
// src value of every series (the regex matches everything, or it matches "" and src
// is "" or surely absent); otherwise dst stays as it was, because the engine leaves
// series whose src value does not match alone.
func labelReplace(c *parser.Call, r Resolver) LabelSet {
	if len(c.Args) != 5 {
		return unknown()
	}
	dst, ok1 := stringArg(c.Args[1])
	repl, ok2 := stringArg(c.Args[2])
	src, ok3 := stringArg(c.Args[3])
	regex, ok4 := stringArg(c.Args[4])
	if !ok1 || !ok2 || !ok3 || !ok4 || isVariableString(dst) || isVariableString(src) {
		return unknown()
	}
	inner, _ := infer(c.Args[0], r)
	if dst == model.MetricNameLabel {
		return inner
	}
	if repl != "" {
		return inner.union(known(dst))
	}
	m, err := labels.NewMatcher(labels.MatchRegexp, "x", regex)
	if err != nil {
		return inner
	}
	re, err := parseRegexp(regex)
	if err != nil {
		return inner
	}
	// The value of a missing label, and of the label named "", is "".
	srcEmpty := src == "" || inner.Known && !inner.Has(src)
	if srcEmpty && m.Matches("") || matchesEverything(re) {
		return inner.minus([]string{dst})
	}
	return inner
}

// matchesEverything reports whether re surely matches every string, the empty one included.
func matchesEverything(re *syntax.Regexp) bool {
	switch re.Op {
	case syntax.OpCapture:
		return matchesEverything(re.Sub[0])
	case syntax.OpStar:
		return anyChar(re.Sub[0])
	default:
		return false
	}
}

// labelJoin infers label_join(v, dst, sep, src…). dst is added, unless the joined
// value is surely empty (every src label absent, and at most one src or an empty
// separator): then the engine deletes dst.
func labelJoin(c *parser.Call, r Resolver) LabelSet {
	if len(c.Args) < 3 {
		return unknown()
	}
	dst, ok1 := stringArg(c.Args[1])
	sep, ok2 := stringArg(c.Args[2])
	if !ok1 || !ok2 || isVariableString(dst) {
		return unknown()
	}
	srcs := make([]string, 0, len(c.Args)-3)
	for _, a := range c.Args[3:] {
		s, ok := stringArg(a)
		if !ok || isVariableString(s) {
			return unknown()
		}
		srcs = append(srcs, s)
	}
	inner, _ := infer(c.Args[0], r)
	if dst == model.MetricNameLabel {
		return inner
	}
	emptyJoin := inner.Known && (len(srcs) <= 1 || sep == "") &&
		!slices.ContainsFunc(srcs, inner.Has)
	if emptyJoin {
		return inner.minus([]string{dst})
	}
	return inner.union(known(dst))
}

// inferBinary returns the labels of a binary operation's result.
func inferBinary(b *parser.BinaryExpr, r Resolver) (LabelSet, bool) {
	l, lScalar := infer(b.LHS, r)
	rs, rScalar := infer(b.RHS, r)
	switch {
	case lScalar && rScalar:
		return known(), true
	case lScalar:
		return rs, false
	case rScalar:
		return l, false
	}
	vm := b.VectorMatching
	if vm == nil {
		// Only happens for scalar operands, which were handled above.
		return unknown(), false
	}
	switch b.Op {
	case parser.LAND, parser.LUNLESS:
		return l, false
	case parser.LOR:
		return l.union(rs), false
	}
	if anyVariable(vm.MatchingLabels) || anyVariable(vm.Include) {
		return unknown(), false
	}

	// As in the engine's VectorBinop and resultMetric: the "many" side gives the
	// labels, the "one" side the group_x() labels. One-to-many swaps the sides.
	many, one := l, rs
	manyFill, oneFill := vm.FillValues.LHS != nil, vm.FillValues.RHS != nil
	if vm.Card == parser.CardOneToMany {
		many, one = rs, l
		manyFill, oneFill = oneFill, manyFill
	}
	matchOf := func(s LabelSet) LabelSet { // matchLabels(): what a fill series carries
		if vm.On {
			return s.intersect(vm.MatchingLabels)
		}
		return s.minus(vm.MatchingLabels)
	}
	result := func(m, o LabelSet) LabelSet { // resultMetric(m, o)
		if vm.Card == parser.CardOneToOne {
			m = matchOf(m)
		}
		return m.minus(vm.Include).union(o.intersect(vm.Include))
	}

	includeFrom := one
	if oneFill {
		// A many-side series without a match meets a fill series made from its own
		// match labels.
		includeFrom = includeFrom.union(matchOf(many))
	}
	out := result(many, includeFrom)
	if manyFill {
		// A one-side series without a match meets a fill series made from its match labels.
		out = out.union(result(matchOf(one), one))
	}
	return out, false
}

// stringArg returns the value of a string literal, looking through parentheses.
func stringArg(e parser.Expr) (string, bool) {
	for {
		p, ok := e.(*parser.ParenExpr)
		if !ok {
			break
		}
		e = p.Expr
	}
	s, ok := e.(*parser.StringLiteral)
	if !ok {
		return "", false
	}
	return s.Val, true
}

// isVariableString reports whether a label name given as a string argument is a
// stand-in or still holds a Grafana $variable.
func isVariableString(s string) bool {
	return IsVariable(s) || strings.Contains(s, "$")
}

// anyVariable reports whether any of the names is a stand-in.
func anyVariable(names []string) bool {
	return slices.ContainsFunc(names, IsVariable)
}

// unknown returns the set that stands for "any label".
func unknown() LabelSet { return LabelSet{} }

// known returns the known set of the names, sorted and without duplicates or __name__.
func known(names ...string) LabelSet {
	out := make([]string, 0, len(names))
	for _, n := range names {
		if n != model.MetricNameLabel && n != "" {
			out = append(out, n)
		}
	}
	slices.Sort(out)
	return LabelSet{Known: true, Labels: slices.Compact(out)}
}

// union returns the labels in s or t; it is unknown when either is.
func (s LabelSet) union(t LabelSet) LabelSet {
	if !s.Known || !t.Known {
		return unknown()
	}
	return known(append(slices.Clone(s.Labels), t.Labels...)...)
}

// intersect returns the labels of s that are in names. An unknown s stands for
// every label, so the result is the known set of names.
func (s LabelSet) intersect(names []string) LabelSet {
	if !s.Known {
		return known(names...)
	}
	var out []string
	for _, n := range names {
		if s.Has(n) {
			out = append(out, n)
		}
	}
	return known(out...)
}

// minus returns the labels of s that are not in names; it is unknown when s is.
func (s LabelSet) minus(names []string) LabelSet {
	if !s.Known {
		return unknown()
	}
	var out []string
	for _, n := range s.Labels {
		if !slices.Contains(names, n) {
			out = append(out, n)
		}
	}
	return known(out...)
}
