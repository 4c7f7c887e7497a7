package promql

import (
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/promql/parser"

	"github.com/driftlint/driftlint/lint"
)

// This file holds the ratio shapes that the promql/ratio-aggregation and
// promql/ratio-zero-guard rules share: finding the two sides of a division under the
// wrappers people put around them (parentheses, clamp_min, > 0 filters, * 100), deciding
// whether they are aggregated alike, and whether the denominator is guarded against zero.

// IsRangeFunction reports whether a function computes one value per series over a range:
// rate, irate, increase, delta, idelta, deriv, resets, changes and the *_over_time family
// (but not absent_over_time, whose result is not a per-series value).
func IsRangeFunction(name string) bool {
	switch name {
	case "rate", "irate", "increase", "delta", "idelta", "deriv", "resets", "changes":
		return true
	case "absent_over_time":
		return false
	}
	return strings.HasSuffix(name, "_over_time")
}

// valueFuncs keep each input series' labels and map its value; a side is seen through them.
var valueFuncs = map[string]bool{
	"abs": true, "ceil": true, "floor": true, "round": true, "sqrt": true, "exp": true,
	"ln": true, "log2": true, "log10": true, "sgn": true, "clamp_max": true,
	"sort": true, "sort_desc": true,
}

// Side is one operand of a division, seen through the wrappers that keep its series: down a
// spine of parentheses, value functions (clamp_min, abs, round …), aggregations, arithmetic
// and comparisons with a scalar, "and"/"unless" filters and "or vector(…)" fallbacks, to a
// per-series range function (rate, increase …) and the selector it reads.
type Side struct {
	Expr parser.Expr // the operand as written
	// Range is the outermost per-series range function on the spine (rate, increase,
	// avg_over_time …); nil when the side reads its series raw.
	Range *parser.Call
	// Agg is the outermost aggregation on the spine that groups series (sum, avg, max, count
	// … but not topk, bottomk, limitk or limit_ratio, which keep labels); nil when none.
	Agg      *parser.AggregateExpr
	Selector *parser.VectorSelector // the selector at the bottom of the spine, nil when none
	Metric   string                 // the selector's metric name; "" for a regex name
	// Constant is true when the side reads no series: a number, vector(1), time().
	Constant bool
	// Counts is true when the side's values count series or samples rather than carry the
	// metric's values (count, group, count_values, count_over_time, present_over_time); such
	// a side is never zero.
	Counts bool
	// Guards lists the zero guards met on the spine, outermost first: "clamp_min(…, 1e-09)",
	// "> 0", "!= 0", "+ 1e-09", "or vector(…)".
	Guards []string
	// Variable is true when a Grafana variable stand-in names the side's metric, one of its
	// labels, or a grouping label: nothing about it may be reported.
	Variable bool
	// Opaque is true when the walk stopped at something it does not see through (a binary
	// operation between two vectors, label_replace, histogram_quantile, an unknown
	// function); nothing is known below that point.
	Opaque bool
}

// AnalyseSide walks one operand of a division down its spine.
func AnalyseSide(e parser.Expr) Side {
	s := Side{Expr: e}
	for e != nil {
		switch n := e.(type) {
		case *parser.ParenExpr:
			e = n.Expr
		case *parser.StepInvariantExpr:
			e = n.Expr
		case *parser.UnaryExpr:
			e = n.Expr
		case *parser.NumberLiteral, *parser.StringLiteral, *parser.DurationExpr:
			s.Constant = true
			return s
		case *parser.MatrixSelector:
			e = n.VectorSelector
		case *parser.SubqueryExpr:
			e = n.Expr
		case *parser.VectorSelector:
			s.Selector = n
			s.Metric = lint.MetricName(n)
			if IsVariable(s.Metric) || slices.ContainsFunc(n.LabelMatchers, func(m *labels.Matcher) bool { return IsVariable(m.Name) }) {
				s.Variable = true
			}
			return s
		case *parser.AggregateExpr:
			if anyVariable(n.Grouping) {
				s.Variable = true
			}
			switch n.Op {
			case parser.TOPK, parser.BOTTOMK, parser.LIMITK, parser.LIMIT_RATIO:
				// They pick series and keep their labels.
			case parser.COUNT, parser.GROUP, parser.COUNT_VALUES:
				s.Counts = true
				if s.Agg == nil {
					s.Agg = n
				}
			default:
				if s.Agg == nil {
					s.Agg = n
				}
			}
			e = n.Expr
		case *parser.Call:
			e = s.call(n)
		case *parser.BinaryExpr:
			e = s.binary(n)
		default:
			s.Opaque = true
			return s
		}
	}
	return s
}

// call steps through a function call on the spine and returns the argument to follow, or
// nil when the walk ends there.
func (s *Side) call(c *parser.Call) parser.Expr {
	if c.Func == nil {
		s.Opaque = true
		return nil
	}
	name := c.Func.Name
	switch {
	case c.Func.ReturnType == parser.ValueTypeScalar, name == "vector", len(c.Args) == 0:
		s.Constant = true
		return nil
	case name == "clamp_min" || name == "clamp":
		if len(c.Args) >= 2 {
			v, ok := NumberValue(c.Args[1])
			if !ok || v > 0 {
				s.guard(name + "(…, " + floor(c.Args[1], v, ok) + ")")
			}
		}
		return c.Args[0]
	case valueFuncs[name]:
		return c.Args[0]
	case IsRangeFunction(name):
		if s.Range == nil {
			s.Range = c
		}
		if name == "count_over_time" || name == "present_over_time" {
			s.Counts = true
		}
		i := seriesArgs[name]
		if i >= len(c.Args) {
			s.Opaque = true
			return nil
		}
		return c.Args[i]
	}
	s.Opaque = true
	return nil
}

// guard records a zero guard met on the spine. Only guards above the range function count:
// a filter on the raw series under rate() does not keep the rate from zero.
func (s *Side) guard(g string) {
	if g != "" && s.Range == nil {
		s.Guards = append(s.Guards, g)
	}
}

// floor prints a clamp_min floor for a guard description.
func floor(e parser.Expr, v float64, ok bool) string {
	if ok {
		return strconv.FormatFloat(v, 'g', -1, 64)
	}
	return e.String()
}

// binary steps through a binary operation on the spine and returns the operand to follow,
// or nil when the walk ends there.
func (s *Side) binary(b *parser.BinaryExpr) parser.Expr {
	lScalar := b.LHS.Type() == parser.ValueTypeScalar
	rScalar := b.RHS.Type() == parser.ValueTypeScalar
	switch {
	case lScalar && rScalar:
		s.Constant = true
		return nil
	case rScalar:
		s.guard(scalarGuard(b.Op, b.RHS, false, b.ReturnBool))
		return b.LHS
	case lScalar:
		s.guard(scalarGuard(b.Op, b.LHS, true, b.ReturnBool))
		return b.RHS
	case b.Op == parser.LOR && isVectorCall(b.RHS):
		s.guard("or vector(…)")
		return b.LHS
	case b.Op == parser.LAND || b.Op == parser.LUNLESS:
		return b.LHS
	}
	s.Opaque = true
	return nil
}

// scalarGuard describes the zero guard that "vector op c" (or "c op vector" when
// scalarLeft) is, or returns "": a filter that keeps only positive values (> c with c ≥ 0,
// >= c with c > 0, != 0) or the addition of a positive constant.
func scalarGuard(op parser.ItemType, scalar parser.Expr, scalarLeft, returnBool bool) string {
	c, ok := NumberValue(scalar)
	if !ok {
		return ""
	}
	if scalarLeft { // c < v is v > c
		switch op {
		case parser.LSS:
			op = parser.GTR
		case parser.LTE:
			op = parser.GTE
		case parser.GTR:
			op = parser.LSS
		case parser.GTE:
			op = parser.LTE
		}
	}
	num := strconv.FormatFloat(c, 'g', -1, 64)
	switch {
	case op.IsComparisonOperator() && returnBool:
		return ""
	case op == parser.GTR && c >= 0:
		return "> " + num
	case op == parser.GTE && c > 0:
		return ">= " + num
	case op == parser.NEQ && c == 0:
		return "!= 0"
	case op == parser.ADD && c > 0:
		return "+ " + num
	}
	return ""
}

// NumberValue returns the value of a number literal, looking through parentheses and a
// unary minus.
func NumberValue(e parser.Expr) (float64, bool) {
	sign := 1.0
	for {
		switch n := e.(type) {
		case *parser.ParenExpr:
			e = n.Expr
		case *parser.StepInvariantExpr:
			e = n.Expr
		case *parser.UnaryExpr:
			if n.Op == parser.SUB {
				sign = -sign
			}
			e = n.Expr
		case *parser.NumberLiteral:
			if math.IsNaN(n.Val) {
				return 0, false
			}
			return sign * n.Val, true
		default:
			return 0, false
		}
	}
}

// isVectorCall reports whether e is vector(…), looking through parentheses.
func isVectorCall(e parser.Expr) bool {
	for {
		switch n := e.(type) {
		case *parser.ParenExpr:
			e = n.Expr
		case *parser.Call:
			return n.Func != nil && n.Func.Name == "vector"
		default:
			return false
		}
	}
}

// RateLike reports whether the side computes a per-series range function (rate, increase,
// *_over_time …) of a selector, with nothing opaque on the way.
func (s Side) RateLike() bool {
	return s.Range != nil && s.Selector != nil && !s.Opaque && !s.Constant
}

// Aggregated reports whether the side groups its series with an aggregation.
func (s Side) Aggregated() bool { return s.Agg != nil }

// Name describes the side for messages: rate(metric), or the metric alone when it is read raw.
func (s Side) Name() string {
	m := s.Metric
	if m == "" && s.Selector != nil {
		m = s.Selector.String()
	}
	if s.Range != nil && s.Range.Func != nil {
		return s.Range.Func.Name + "(" + m + ")"
	}
	return m
}

// Ratio is a division between two instant vectors, with both sides analysed.
type Ratio struct {
	Div      *parser.BinaryExpr
	Num, Den Side
	// Ancestors are the nodes above Div, outermost first.
	Ancestors []parser.Node
}

// Ratios returns every division between two instant vectors in expr, outermost first.
// A division by a scalar or a number is not a ratio.
func Ratios(expr parser.Expr) []Ratio {
	if expr == nil {
		return nil
	}
	var out []Ratio
	parser.Inspect(expr, func(n parser.Node, path []parser.Node) error {
		b, ok := n.(*parser.BinaryExpr)
		if !ok || b.Op != parser.DIV || b.LHS == nil || b.RHS == nil ||
			b.LHS.Type() != parser.ValueTypeVector || b.RHS.Type() != parser.ValueTypeVector {
			return nil
		}
		out = append(out, Ratio{Div: b, Num: AnalyseSide(b.LHS), Den: AnalyseSide(b.RHS), Ancestors: slices.Clone(path)})
		return nil
	})
	return out
}

// ExplicitMatching reports whether a division says how its sides match: on(…) (even an
// empty list), ignoring(…) with at least one label, or group_left/group_right. An empty
// ignoring() is the default matching and does not count.
func ExplicitMatching(b *parser.BinaryExpr) bool {
	vm := b.VectorMatching
	return vm != nil && (vm.On || len(vm.MatchingLabels) > 0 || vm.Card != parser.CardOneToOne)
}

// SameHistogram reports whether num and den are series of one histogram or summary whose
// ratio is meant per series: x_sum / x_count (the mean) or x_bucket / x_count (a fraction
// of observations).
func SameHistogram(num, den string) bool {
	base, ok := strings.CutSuffix(den, "_count")
	if !ok || base == "" {
		return false
	}
	return num == base+"_sum" || num == base+"_bucket"
}

// AggregationIssue says what is wrong with how a ratio's sides are aggregated.
type AggregationIssue int

// The outcomes of CheckAggregation.
const (
	AggregationOK            AggregationIssue = iota // nothing to report
	NotAggregated                                    // neither side is aggregated
	NumeratorNotAggregated                           // only the denominator is aggregated
	DenominatorNotAggregated                         // only the numerator is aggregated
	LabelsDiffer                                     // both are, by different labels, with default matching
)

// AggregationCheck is the result of CheckAggregation.
type AggregationCheck struct {
	Issue    AggregationIssue
	Num, Den LabelSet // the inferred labels of each side (may be unknown)
	// Proven is true when the division surely pairs series wrongly: the sides' known label
	// sets differ, or one metric is divided by itself with other matchers. When it is false
	// the issue is only that a side is not aggregated while the labels are unknown or are
	// the target labels alone; a caller may accept that when the query's owner shows that it
	// wants one result per series (an alert text naming {{ $labels.x }}, a legend {{x}}).
	Proven bool
}

// CheckAggregation decides whether a ratio of per-series range functions (both sides
// RateLike) divides series that can match. It is fine when:
//   - the division says how to match: on(…), ignoring(labels), group_left, group_right;
//   - both sides are aggregated and their inferred label sets are equal (sum / sum,
//     sum by (a, b) / sum by (b, a)), or one of them is not known;
//   - neither is aggregated and they are one histogram's x_sum or x_bucket over x_count;
//   - a side is not aggregated, both sides' label sets are known (from the expositions and
//     recording rules) and equal, and they share a label beyond the target labels (job,
//     instance): a per-device or per-partition ratio by design; but not when the two sides
//     are one metric with different matchers (rate(a{code="500"}) / rate(a) divides each
//     series by itself);
//   - the labels do not prove a mismatch and the ratio sits inside an aggregation with a
//     grouping clause: sum by (instance) (rate(a[5m]) / rate(b[5m])) divides per series on
//     purpose (a plain sum(rate(a[5m]) / rate(b[5m])) is still reported);
//   - a Grafana variable names a metric, label or grouping of either side;
//   - either side is not a per-series range function (a gauge, a number, a scalar).
//
// Every other unaggregated side is an issue; see AggregationCheck.Proven.
func CheckAggregation(r Ratio, res Resolver) AggregationCheck {
	if res == nil {
		res = noResolver{}
	}
	num, den := r.Num, r.Den
	if !num.RateLike() || !den.RateLike() || num.Variable || den.Variable || ExplicitMatching(r.Div) {
		return AggregationCheck{}
	}
	c := AggregationCheck{Num: Infer(r.Div.LHS, res), Den: Infer(r.Div.RHS, res)}
	known := c.Num.Known && c.Den.Known
	same := known && slices.Equal(c.Num.Labels, c.Den.Labels)
	switch {
	case num.Aggregated() && den.Aggregated():
		if known && !same {
			c.Issue, c.Proven = LabelsDiffer, true
		}
		return c
	case num.Aggregated():
		c.Issue = DenominatorNotAggregated
	case den.Aggregated():
		c.Issue = NumeratorNotAggregated
	case SameHistogram(num.Metric, den.Metric):
		return c
	case num.Metric != "" && num.Metric == den.Metric:
		if !sameMatchers(num.Selector, den.Selector) {
			c.Issue, c.Proven = NotAggregated, true
		}
		return c
	default:
		c.Issue = NotAggregated
		if same && len(c.Num.minus(TargetLabels).Labels) > 0 {
			c.Issue = AggregationOK
		}
	}
	switch {
	case known && !same:
		c.Proven = true
	case same && c.Issue != NotAggregated:
		c.Issue = AggregationOK // an aggregation that keeps exactly the other side's labels
	case groupedAround(r):
		// sum by (instance) (rate(a[5m]) / rate(b[5m])): the division is per series on
		// purpose, and the labels do not show it to be wrong.
		c.Issue = AggregationOK
	}
	return c
}

// groupedAround reports whether the ratio sits inside an aggregation with a grouping
// clause (by (…) or without (…) with labels), which shows that the per-series division is
// meant: the author groups the per-series ratios afterwards.
func groupedAround(r Ratio) bool {
	for _, n := range r.Ancestors {
		if a, ok := n.(*parser.AggregateExpr); ok && len(a.Grouping) > 0 && !anyVariable(a.Grouping) {
			return true
		}
	}
	return false
}

// sameMatchers reports whether two selectors have the same matchers, in any order.
func sameMatchers(a, b *parser.VectorSelector) bool {
	return len(a.LabelMatchers) == len(b.LabelMatchers) && matchersWithin(a, b)
}

// matchersWithin reports whether every matcher of b is also a matcher of a, so that a
// selects a subset of b's series.
func matchersWithin(a, b *parser.VectorSelector) bool {
	for _, m := range b.LabelMatchers {
		if !slices.ContainsFunc(a.LabelMatchers, func(n *labels.Matcher) bool {
			return n.Name == m.Name && n.Type == m.Type && n.Value == m.Value
		}) {
			return false
		}
	}
	return true
}

// noResolver knows no metric.
type noResolver struct{}

func (noResolver) MetricLabels(string) ([]string, bool) { return nil, false }

// ZeroGuard is the result of CheckZeroGuard.
type ZeroGuard struct {
	// Needed is true when the denominator can be zero and the ratio has to be guarded.
	Needed bool
	// Guard describes the guard found ("clamp_min(…, 1e-09)", "> 0", "or vector(…)"); ""
	// when none. It is set whether or not a guard is needed.
	Guard string
}

// CheckZeroGuard decides whether a ratio's denominator can be zero with nothing guarding
// it. A guard is needed when one side is a per-series range function (a ratio of rates,
// or a rate over a gauge) and the denominator reads series (a rate, an increase, a
// counter or a gauge) through nothing that keeps it from zero. It is not needed when:
//   - the denominator is a constant (a number, vector(1)) or counts series or samples
//     (count(), group(), count_over_time()), which is never zero;
//   - the numerator counts a subset of the denominator's events: the same metric with
//     every matcher of the denominator and maybe more (rate(req{code="500"}) / rate(req)),
//     one histogram's x_sum or x_bucket over x_count, a total over a count of one object
//     (see PerEventMean), or a counter named as a qualified subset of the denominator (see
//     NamedSubset); a zero denominator then means a zero numerator, and 0/0 is NaN, "no
//     data", never +Inf;
//   - the denominator reads a gauge whose name says it is a configured bound (…_max,
//     …_limit, …_capacity, …_size_bytes, …_quota, …allocatable), raw or through an
//     *_over_time function, which is not expected to be zero;
//   - the numerator is not something the walk sees through (vector arithmetic, an unknown
//     function), so nothing can be said about it;
//   - a Grafana variable names the denominator's metric.
//
// Accepted guards on the denominator: clamp_min(d, ε) and clamp(d, ε, …) with ε > 0 (a
// floor that is not a number literal is trusted), a filter that keeps positive values
// (d > 0, d > ε, d >= ε, d != 0, 0 < d), d + ε with ε > 0, and d or vector(…). Around the
// ratio: (n / d) or vector(…) and (n / d) or on() vector(…).
func CheckZeroGuard(r Ratio) ZeroGuard {
	num, den := r.Num, r.Den
	var g ZeroGuard
	if len(den.Guards) > 0 {
		g.Guard = den.Guards[0]
	} else if fallbackAround(r) {
		g.Guard = "or vector(…)"
	}
	switch {
	case !num.RateLike() && !den.RateLike():
	case num.Selector == nil || num.Opaque || num.Constant:
	case den.Selector == nil || den.Opaque || den.Constant || den.Counts || den.Variable:
	case numeratorWithin(num, den):
	case isBound(den):
	default:
		g.Needed = true
	}
	return g
}

// boundWords name gauges that hold a configured bound rather than a count.
var boundWords = map[string]bool{
	"max": true, "limit": true, "limits": true, "capacity": true, "size": true,
	"quota": true, "allocatable": true,
}

// isBound reports whether a denominator reads a gauge's own values (raw or through an
// *_over_time function, not a rate of it) and the gauge's name says it is a configured
// bound (…_max, …_limit, …_capacity, …_size_bytes, …_quota, …allocatable): a limit is not
// expected to be zero.
func isBound(den Side) bool {
	if den.Range != nil && (den.Range.Func == nil || !strings.HasSuffix(den.Range.Func.Name, "_over_time")) {
		return false
	}
	for w := range strings.SplitSeq(den.Metric, "_") {
		if boundWords[strings.ToLower(w)] {
			return true
		}
	}
	return false
}

// fallbackAround reports whether an ancestor of the ratio is "… or vector(…)" with the ratio
// on its left.
func fallbackAround(r Ratio) bool {
	var child parser.Node = r.Div
	for _, n := range slices.Backward(r.Ancestors) {
		if b, ok := n.(*parser.BinaryExpr); ok && b.Op == parser.LOR && b.LHS == child && isVectorCall(b.RHS) {
			return true
		}
		child = n
	}
	return false
}

// numeratorWithin reports whether the numerator's series are a subset of the denominator's
// events (see CheckZeroGuard).
func numeratorWithin(num, den Side) bool {
	if num.Selector == nil || den.Selector == nil || num.Metric == "" || num.Opaque {
		return false
	}
	if SameHistogram(num.Metric, den.Metric) || NamedSubset(num.Metric, den.Metric) || PerEventMean(num.Metric, den.Metric) {
		return true
	}
	return num.Metric == den.Metric && matchersWithin(num.Selector, den.Selector)
}

// PerEventMean reports whether num and den are a total and a count of one object, whose
// ratio is a mean per event that is NaN, "no data", when nothing happened: the names are
// equal but for their last word (ignoring a _total suffix), which is count in den, as in
// requests_totaltimems_total over requests_count_total or flush_duration over flush_count.
func PerEventMean(num, den string) bool {
	n := strings.Split(strings.TrimSuffix(num, "_total"), "_")
	d := strings.Split(strings.TrimSuffix(den, "_total"), "_")
	return len(n) == len(d) && len(d) >= 2 && d[len(d)-1] == "count" && n[len(n)-1] != "count" &&
		slices.Equal(n[:len(n)-1], d[:len(d)-1])
}

// NamedSubset reports whether, by the naming conventions of qualified counters, num counts
// a subset of den's events. Ignoring a _total suffix, num's name is den's:
//   - with one more word anywhere: x_failed over x, cpu_cfs_throttled_periods over
//     cpu_cfs_periods;
//   - with its last word replaced by a failure word: dns_failures over dns_lookups,
//     reconcile_errors over reconcile_operations;
//   - with its last word made singular and a failure word added: operation_failures over
//     operations, rule_evaluation_failures over rule_evaluations.
//
// The failure words are failures, failure, failed, errors, error, dropped, rejected,
// timeouts, aborted and retries; kernel-style abbreviations such as errs are not, since such
// counters (node_network_receive_errs) are counted apart from the packets they describe.
func NamedSubset(num, den string) bool {
	n := strings.Split(strings.TrimSuffix(num, "_total"), "_")
	d := strings.Split(strings.TrimSuffix(den, "_total"), "_")
	if d[0] == "" || n[0] == "" {
		return false
	}
	last := len(d) - 1
	switch len(n) {
	case len(d) + 1:
		for i := range n {
			if slices.Equal(n[:i], d[:i]) && slices.Equal(n[i+1:], d[i:]) {
				return true
			}
		}
		return failureWords[n[len(n)-1]] && slices.Equal(n[:last], d[:last]) && isPluralOf(d[last], n[last])
	case len(d):
		return last > 0 && failureWords[n[last]] && n[last] != d[last] && slices.Equal(n[:last], d[:last])
	}
	return false
}

// failureWords name the failed part of an operation in counter names.
var failureWords = map[string]bool{
	"failures": true, "failure": true, "failed": true, "errors": true, "error": true,
	"dropped": true, "rejected": true, "timeouts": true, "aborted": true, "retries": true,
}

// isPluralOf reports whether plural is an English plural of word (syncs, operations,
// matches, retries).
func isPluralOf(plural, word string) bool {
	switch {
	case word == "":
		return false
	case plural == word+"s", plural == word+"es":
		return true
	case strings.HasSuffix(word, "y"):
		return plural == word[:len(word)-1]+"ies"
	}
	return false
}

// Grouping formats an aggregation's grouping as written in a suggestion: "sum by (a, b) (",
// "sum without (a) (", or "sum(" for no grouping. The aggregation is always sum.
func Grouping(a *parser.AggregateExpr) string {
	switch {
	case a == nil || (!a.Without && len(a.Grouping) == 0):
		return "sum("
	case a.Without:
		return "sum without (" + strings.Join(a.Grouping, ", ") + ") ("
	default:
		return "sum by (" + strings.Join(a.Grouping, ", ") + ") ("
	}
}

// Edit replaces the query text between Start and End (byte offsets into Query.Text.Value,
// as the parser's positions are) with Text. Start == End inserts.
type Edit struct {
	Start, End int
	Text       string
}

// Render returns the text of q between byte offsets start and end with edits applied, for
// messages: Grafana variables are restored from the file where stand-ins replaced them,
// PromQL comments are dropped and runs of white space outside strings become one space.
// Edits that overlap an earlier edit or fall outside the range are skipped.
func Render(q *lint.Query, start, end int, edits ...Edit) string {
	v := q.Text.Value
	start = min(max(start, 0), len(v))
	end = min(max(end, start), len(v))
	edits = slices.Clone(edits)
	slices.SortStableFunc(edits, func(a, b Edit) int { return a.Start - b.Start })
	w := renderer{q: q}
	k := start
	for _, e := range edits {
		if e.Start < k || e.End < e.Start || e.End > end {
			continue
		}
		w.raw(k, e.Start)
		w.text(e.Text)
		k = e.End
	}
	w.raw(k, end)
	return strings.TrimSpace(w.b.String())
}

// renderer builds Render's output.
type renderer struct {
	q     *lint.Query
	b     strings.Builder
	space bool // white space is pending
	quote byte // inside a string literal of the query text
}

// text writes s with white space collapsed.
func (w *renderer) text(s string) {
	for i := range len(s) {
		w.byte(s[i])
	}
}

// byte writes c, collapsing white space.
func (w *renderer) byte(c byte) {
	if isSpace(c) && w.quote == 0 {
		w.space = true
		return
	}
	if w.space && w.b.Len() > 0 {
		w.b.WriteByte(' ')
	}
	w.space = false
	w.b.WriteByte(c)
}

// raw writes the query text between i and j.
func (w *renderer) raw(i, j int) {
	v := w.q.Text.Value
	for k := i; k < j; {
		c := v[k]
		if ref, n := w.variable(k, j); n > 0 { // a regex matcher's string has stand-ins too
			w.text(ref)
			k += n
			continue
		}
		switch {
		case w.quote != 0:
			w.b.WriteByte(c)
			if c == '\\' && w.quote != '`' && k+1 < j {
				w.b.WriteByte(v[k+1])
				k += 2
				continue
			}
			if c == w.quote {
				w.quote = 0
			}
			k++
			continue
		case c == '"' || c == '\'' || c == '`':
			w.byte(c)
			w.quote = c
			k++
			continue
		case c == '#':
			for k < j && v[k] != '\n' {
				k++
			}
			w.space = true
			continue
		}
		w.byte(c)
		k++
	}
}

// variable returns the Grafana variable reference that the stand-in at byte k of the query
// text replaced, and how many bytes of the stand-in (up to j) it covers; n is 0 when there
// is no stand-in at k.
func (w *renderer) variable(k, j int) (string, int) {
	t := w.q.Text
	if !w.q.Vars || t.File == nil {
		return "", 0
	}
	off := t.Offset(k)
	src := t.File.Src
	if off < 0 || off >= len(src) || src[off] == t.Value[k] || (src[off] != '$' && src[off] != '[') {
		return "", 0
	}
	name, n := variableAt(string(src[off:min(len(src), off+256)]), 0)
	if n == 0 || name == "" {
		return "", 0
	}
	m := 1
	for k+m < j && t.Offset(k+m) == off {
		m++
	}
	return string(src[off : off+n]), m
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// SortedLabels formats a known label set for messages: "a, b", or "no labels".
func SortedLabels(s LabelSet) string {
	if !s.Known {
		return "unknown labels"
	}
	if len(s.Labels) == 0 {
		return "no labels"
	}
	return strings.Join(s.Labels, ", ")
}

// Subset reports whether every label of a is in b (both known).
func Subset(a, b LabelSet) bool {
	if !a.Known || !b.Known {
		return false
	}
	for _, l := range a.Labels {
		if !b.Has(l) {
			return false
		}
	}
	return true
}
