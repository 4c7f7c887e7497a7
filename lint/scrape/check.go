package scrape

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"slices"
	"strconv"
	"time"

	"github.com/prometheus/common/model"
	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/promql"
	"github.com/prometheus/prometheus/promql/parser"

	"github.com/driftlint/driftlint/lint"
	"github.com/driftlint/driftlint/lint/guard"
)

// Engine settings. The engine's limits are the run's (lint.Limits): InvariantSamples is
// its MaxSamples, InvariantTimeout bounds one invariant and InvariantTotal all of them, and
// a range or subquery of more than InvariantSteps steps is rejected before evaluation.
const (
	// LookbackDelta is Prometheus's default: a sample stays visible for 5 minutes, so at
	// the second scrape's time the first scrape's samples of series that the second lacks
	// are still seen, exactly as Prometheus would see them.
	LookbackDelta = 5 * time.Minute
	// DefaultStep is the step of a subquery without one (x[1h:]), Prometheus's default
	// evaluation interval, and the spacing assumed for a range selector's samples when
	// there is only one scrape time.
	DefaultStep = time.Minute
)

// Checker evaluates invariants over a Storage with the Prometheus PromQL engine.
type Checker struct {
	store    *Storage
	engine   *promql.Engine
	parser   parser.Parser
	interval time.Duration // the smallest gap between scrape times, or DefaultStep
	deadline time.Time     // the end of InvariantTotal, from the first Check
}

// NewChecker builds a PromQL engine over store. It registers no metrics and logs nothing.
func NewChecker(store *Storage) *Checker {
	p := lint.PromQLParser
	eng := promql.NewEngine(promql.EngineOpts{
		Logger:                   slog.New(slog.DiscardHandler),
		MaxSamples:               lint.Limit().InvariantSamples,
		Timeout:                  lint.Limit().InvariantTimeout,
		LookbackDelta:            LookbackDelta,
		EnableAtModifier:         true,
		EnableNegativeOffset:     true,
		NoStepSubqueryIntervalFn: func(int64) int64 { return DefaultStep.Milliseconds() },
		Parser:                   p,
	})
	interval := DefaultStep
	for i := 1; i < len(store.times); i++ {
		if d := time.Duration(store.times[i]-store.times[i-1]) * time.Millisecond; d > 0 && (i == 1 || d < interval) {
			interval = d
		}
	}
	return &Checker{store: store, engine: eng, parser: p, interval: interval}
}

// Report is the outcome of checking one invariant at every scrape time.
type Report struct {
	// Metrics are the metric names the expression selects by name, sorted; Absent are
	// those that no scrape has. When every metric is absent the invariant is not evaluated.
	Metrics []string
	Absent  []string
	// Failures holds one entry per series for which the invariant is false, at the first
	// scrape time it is false, in time then label order.
	Failures []Failure
	// Compared is true when, at some scrape time, the comparison had at least one series
	// to compare (the two sides matched). An invariant that compares nothing holds
	// vacuously.
	Compared bool
	// Err is the first evaluation error (a bad query, a timeout, a many-to-many match) and
	// ErrTimeMs the scrape time it happened at, or -1 when the expression does not parse.
	// Evaluation stops at the first error.
	Err       error
	ErrTimeMs int64
}

// Failure is one series for which an invariant is false.
type Failure struct {
	TimeMs int64         // the first scrape time it is false at
	Also   []int64       // later scrape times it is false at too
	Labels labels.Labels // the series, as the comparison's result names it (without __name__)
	// HasSides is true when the two sides' values are known: the invariant is a single
	// comparison (not an and/or/unless of several).
	HasSides    bool
	Left, Right float64
	// Op is the comparison that holds instead of the invariant's: ">" for a failed "<=".
	Op string
}

// Check evaluates an invariant, a PromQL comparison such as `a <= b` or `count(x) >= 8`
// (and/or/unless combinations of comparisons are accepted too), at every scrape time.
// Errors are returned in the Report, never panicked.
func (c *Checker) Check(ctx context.Context, expr string) *Report {
	r := &Report{}
	e, err := c.parser.ParseExpr(expr)
	if err != nil {
		r.Err, r.ErrTimeMs = err, -1
		return r
	}
	if err := c.checkSteps(expr); err != nil {
		r.Err, r.ErrTimeMs = err, -1
		return r
	}
	if c.deadline.IsZero() {
		c.deadline = time.Now().Add(lint.Limit().InvariantTotal)
	}
	ctx, cancel := context.WithDeadline(ctx, c.deadline)
	defer cancel()
	ctx, cancel = context.WithTimeout(ctx, lint.Limit().InvariantTimeout)
	defer cancel()
	r.Metrics, r.Absent = c.metrics(e)
	if len(r.Metrics) > 0 && len(r.Absent) == len(r.Metrics) {
		return r
	}
	if cmp := comparison(e); cmp != nil {
		c.checkComparison(ctx, r, cmp)
	} else {
		c.checkSet(ctx, r, e)
	}
	return r
}

// metrics returns the metric names e selects and those no scrape has.
func (c *Checker) metrics(e parser.Expr) (names, absent []string) {
	seen := map[string]bool{}
	parser.Inspect(e, func(n parser.Node, _ []parser.Node) error {
		if vs, ok := n.(*parser.VectorSelector); ok {
			if name := lint.MetricName(vs); name != "" && !seen[name] {
				seen[name] = true
				names = append(names, name)
			}
		}
		return nil
	})
	slices.Sort(names)
	for _, n := range names {
		if !c.store.HasMetric(n) {
			absent = append(absent, n)
		}
	}
	return names, absent
}

// comparison returns e's filtering comparison when e is one (inside parentheses).
func comparison(e parser.Expr) *parser.BinaryExpr {
	for {
		switch x := e.(type) {
		case *parser.ParenExpr:
			e = x.Expr
		case *parser.BinaryExpr:
			if x.Op.IsComparisonOperator() && !x.ReturnBool {
				return x
			}
			return nil
		default:
			return nil
		}
	}
}

// eval runs one instant query at t, within ctx (Check's deadlines) and a heap budget.
func (c *Checker) eval(ctx context.Context, qs string, t int64) (parser.Value, error) {
	if err := c.limitErr(ctx); err != nil {
		return nil, err
	}
	defer guard.Enter("invariants")()
	bctx, cancel := guard.Budget(ctx, guard.ProgramBudget)
	defer cancel()
	q, err := c.engine.NewInstantQuery(bctx, c.store, nil, qs, time.UnixMilli(t))
	if err != nil {
		return nil, err
	}
	defer q.Close()
	res := q.Exec(bctx)
	if res.Err != nil {
		if be, ok := errors.AsType[*guard.BudgetError](context.Cause(bctx)); ok {
			return nil, be
		}
		if err := c.limitErr(ctx); err != nil {
			return nil, err
		}
		return nil, res.Err
	}
	return res.Value, nil
}

// limitErr says which time limit ended ctx, or nil while it runs.
func (c *Checker) limitErr(ctx context.Context) error {
	if ctx.Err() == nil {
		return nil
	}
	l := lint.Limit()
	if !time.Now().Before(c.deadline) {
		return errors.New(lint.LimitMessage("the invariants of this run took their whole time", l.InvariantTotal, "invariant_total"))
	}
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return errors.New(lint.LimitMessage("it did not finish in time", l.InvariantTimeout, "invariant_timeout"))
	}
	return ctx.Err()
}

// checkSteps rejects, before any evaluation, a range selector or subquery whose steps pass
// InvariantSteps: a subquery's steps are its range over its step (DefaultStep when it has
// none), a range selector's its range over the scrape interval, and nested ones multiply
// (count_over_time(vector(1)[1y:1ms]) would build 31.5 billion points).
func (c *Checker) checkSteps(expr string) error {
	e, err := c.parser.ParseExpr(expr) // a copy: preprocessing rewrites the tree
	if err != nil {
		return err
	}
	now := time.UnixMilli(0)
	if e, err = promql.PreprocessExpr(e, now, now, 0); err != nil {
		return err
	}
	lim := float64(lint.Limit().InvariantSteps)
	var over error
	parser.Inspect(e, func(n parser.Node, path []parser.Node) error {
		var steps float64
		var what string
		switch n := n.(type) {
		case *parser.SubqueryExpr:
			step := n.Step
			if step <= 0 {
				step = DefaultStep
			}
			steps, what = float64(n.Range)/float64(step), "the subquery "+n.String()
		case *parser.MatrixSelector:
			steps, what = float64(n.Range)/float64(c.interval), fmt.Sprintf("the range %s (scrapes %s apart)", n.String(), model.Duration(c.interval))
		default:
			return nil
		}
		for _, a := range path {
			if sq, ok := a.(*parser.SubqueryExpr); ok {
				step := sq.Step
				if step <= 0 {
					step = DefaultStep
				}
				steps *= max(float64(sq.Range)/float64(step), 1)
			}
		}
		if steps > lim && over == nil {
			over = errors.New(lint.LimitMessage(fmt.Sprintf("%s takes %.0f steps, with the subqueries around it", shorten(what), math.Ceil(steps)), lint.Limit().InvariantSteps, "invariant_steps") + "; not evaluated")
		}
		return nil
	})
	return over
}

// shorten cuts a long expression in a message.
func shorten(s string) string {
	if len(s) <= 80 {
		return s
	}
	return s[:77] + "..."
}

// failures collects failures by series across scrape times.
type failures struct {
	list  []Failure
	index map[string]int
}

func (f *failures) add(x Failure) {
	if f.index == nil {
		f.index = map[string]int{}
	}
	key := x.Labels.String()
	if i, ok := f.index[key]; ok {
		f.list[i].Also = append(f.list[i].Also, x.TimeMs)
		return
	}
	f.index[key] = len(f.list)
	f.list = append(f.list, x)
}

// checkComparison evaluates `L op bool R` at each scrape time: the series with value 0 are
// the failures. L and R are then evaluated on their own for the values of both sides.
func (c *Checker) checkComparison(ctx context.Context, r *Report, cmp *parser.BinaryExpr) {
	boolForm := *cmp
	boolForm.ReturnBool = true
	qs := boolForm.String()
	var fs failures
	for _, t := range c.store.times {
		v, err := c.eval(ctx, qs, t)
		if err != nil {
			r.Err, r.ErrTimeMs = err, t
			break
		}
		var failed []promql.Sample
		switch v := v.(type) {
		case promql.Vector:
			if len(v) > 0 {
				r.Compared = true
			}
			for _, s := range v {
				if s.H == nil && s.F == 0 {
					failed = append(failed, s)
				}
			}
		case promql.Scalar: // both sides scalar: the config rejects it, but be safe
			r.Compared = true
			if v.V == 0 {
				failed = append(failed, promql.Sample{Metric: labels.EmptyLabels()})
			}
		}
		if len(failed) == 0 {
			continue
		}
		sides, err := c.sides(ctx, cmp, t)
		if err != nil {
			r.Err, r.ErrTimeMs = err, t
			break
		}
		slices.SortFunc(failed, func(a, b promql.Sample) int { return labels.Compare(a.Metric, b.Metric) })
		for _, s := range failed {
			f := Failure{TimeMs: t, Labels: s.Metric.DropReserved(isName), Op: negate(cmp.Op)}
			if lr, ok := sides[s.Metric.DropReserved(isName).String()]; ok {
				f.HasSides, f.Left, f.Right = true, lr[0], lr[1]
			}
			fs.add(f)
		}
	}
	r.Failures = fs.list
}

// sides evaluates both sides of cmp at t and pairs their values by the labels the bool
// comparison gives the pair, following the engine's matching rules (on/ignoring,
// group_left/group_right).
func (c *Checker) sides(ctx context.Context, cmp *parser.BinaryExpr, t int64) (map[string][2]float64, error) {
	lv, err := c.eval(ctx, cmp.LHS.String(), t)
	if err != nil {
		return nil, err
	}
	rv, err := c.eval(ctx, cmp.RHS.String(), t)
	if err != nil {
		return nil, err
	}
	out := map[string][2]float64{}
	ls, lVec := lv.(promql.Vector)
	rs, rVec := rv.(promql.Vector)
	switch {
	case lVec && rVec:
		pairVectors(out, ls, rs, cmp.VectorMatching)
	case lVec:
		rsc, _ := rv.(promql.Scalar)
		for _, s := range ls {
			out[s.Metric.DropReserved(isName).String()] = [2]float64{s.F, rsc.V}
		}
	case rVec:
		lsc, _ := lv.(promql.Scalar)
		for _, s := range rs {
			out[s.Metric.DropReserved(isName).String()] = [2]float64{lsc.V, s.F}
		}
	default:
		lsc, _ := lv.(promql.Scalar)
		rsc, _ := rv.(promql.Scalar)
		out[labels.EmptyLabels().String()] = [2]float64{lsc.V, rsc.V}
	}
	return out, nil
}

// pairVectors matches two vectors as the engine's VectorBinop does and records each pair's
// values under the labels of its result.
func pairVectors(out map[string][2]float64, lhs, rhs promql.Vector, m *parser.VectorMatching) {
	if m == nil {
		m = &parser.VectorMatching{Card: parser.CardOneToOne}
	}
	many, one := lhs, rhs
	swapped := m.Card == parser.CardOneToMany
	if swapped {
		many, one = rhs, lhs
	}
	bySig := map[string][]promql.Sample{}
	for _, s := range one {
		k := signature(s.Metric, m)
		bySig[k] = append(bySig[k], s)
	}
	for _, ms := range many {
		for _, os := range bySig[signature(ms.Metric, m)] {
			key := resultLabels(ms.Metric, os.Metric, m).String()
			if swapped {
				out[key] = [2]float64{os.F, ms.F}
			} else {
				out[key] = [2]float64{ms.F, os.F}
			}
		}
	}
}

// signature is the matching key of a series: its on() labels, or every label but
// __name__ and the ignoring() ones.
func signature(ls labels.Labels, m *parser.VectorMatching) string {
	b := labels.NewBuilder(ls)
	if m.On {
		b.Keep(m.MatchingLabels...)
	} else {
		b.Del(model.MetricNameLabel)
		b.Del(m.MatchingLabels...)
	}
	return b.Labels().String()
}

// resultLabels are the labels the engine gives the result of a bool comparison of a pair.
func resultLabels(many, one labels.Labels, m *parser.VectorMatching) labels.Labels {
	b := labels.NewBuilder(many)
	b.Del(model.MetricNameLabel)
	if m.Card == parser.CardOneToOne {
		if m.On {
			b.Keep(m.MatchingLabels...)
		} else {
			b.Del(m.MatchingLabels...)
		}
	}
	for _, ln := range m.Include {
		if v := one.Get(ln); v != "" {
			b.Set(ln, v)
		} else {
			b.Del(ln)
		}
	}
	return b.Labels()
}

// isName selects __name__ for Labels.DropReserved.
func isName(n string) bool { return n == model.MetricNameLabel }

// negate returns the comparison that holds when op does not.
func negate(op parser.ItemType) string {
	switch op {
	case parser.LTE:
		return ">"
	case parser.LSS:
		return ">="
	case parser.GTE:
		return "<"
	case parser.GTR:
		return "<="
	case parser.EQLC:
		return "!="
	case parser.NEQ:
		return "=="
	default:
		return "not " + op.String()
	}
}

// checkSet handles an and/or/unless of comparisons. The universe is the expression with
// every comparison in a positive place (not right of unless) turned into its bool form:
// the series the invariant would return if every comparison held. The failures are the
// series of the universe that the invariant itself does not return.
func (c *Checker) checkSet(ctx context.Context, r *Report, e parser.Expr) {
	universe, ok := boolUniverse(e)
	if !ok {
		r.Err, r.ErrTimeMs = errors.New("not a comparison such as a <= b"), -1
		return
	}
	us := universe.String()
	qs := e.String()
	var fs failures
	for _, t := range c.store.times {
		uv, err := c.eval(ctx, us, t)
		if err != nil {
			r.Err, r.ErrTimeMs = err, t
			break
		}
		held, err := c.eval(ctx, qs, t)
		if err != nil {
			r.Err, r.ErrTimeMs = err, t
			break
		}
		uvec, _ := uv.(promql.Vector)
		hvec, _ := held.(promql.Vector)
		if len(uvec) > 0 {
			r.Compared = true
		}
		hold := map[string]bool{}
		for _, s := range hvec {
			hold[s.Metric.DropReserved(isName).String()] = true
		}
		var failed []labels.Labels
		for _, s := range uvec {
			ls := s.Metric.DropReserved(isName)
			if !hold[ls.String()] {
				failed = append(failed, ls)
			}
		}
		slices.SortFunc(failed, labels.Compare)
		for _, ls := range failed {
			fs.add(Failure{TimeMs: t, Labels: ls})
		}
	}
	r.Failures = fs.list
}

// boolUniverse rewrites the positive comparisons of a set expression into bool form.
func boolUniverse(e parser.Expr) (parser.Expr, bool) {
	switch x := e.(type) {
	case *parser.ParenExpr:
		inner, ok := boolUniverse(x.Expr)
		if !ok {
			return nil, false
		}
		return &parser.ParenExpr{Expr: inner, PosRange: x.PosRange}, true
	case *parser.BinaryExpr:
		switch {
		case x.Op.IsComparisonOperator() && !x.ReturnBool:
			y := *x
			y.ReturnBool = true
			return &y, true
		case x.Op.IsSetOperator():
			y := *x
			lhs, lok := boolUniverse(x.LHS)
			if lok {
				y.LHS = lhs
			}
			if x.Op != parser.LUNLESS {
				if rhs, rok := boolUniverse(x.RHS); rok {
					y.RHS = rhs
					lok = true
				}
			}
			return &y, lok
		}
	}
	return e, false
}

// FormatTime writes a scrape time relative to the first scrape: t=0s, t=15s, t=1m30s.
func FormatTime(ms int64) string {
	return "t=" + (time.Duration(ms) * time.Millisecond).String()
}

// FormatValue writes a sample value as a plain decimal for ordinary magnitudes (48552,
// 1527020.7, 0.91) and in exponent form beyond them.
func FormatValue(v float64) string {
	if math.Abs(v) < 1e15 {
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}
