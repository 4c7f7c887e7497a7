package jqpath

import (
	"context"
	"errors"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"sync"
	"time"

	"github.com/itchyny/gojq"

	"github.com/driftlint/driftlint/lint"
	"github.com/driftlint/driftlint/lint/guard"
)

// MaxConstant is the largest constant a jq program may amplify its output by: a string
// repeated ("x" * 1e7), range(1e7) or limit(1e7; …). Anything larger is rejected before
// the program runs, since one such call allocates at once and no deadline can stop it.
const MaxConstant = 1e6

// Amplifier returns why q is rejected before it runs, or "": a string constant multiplied
// by a constant above MaxConstant, or range or limit over more than MaxConstant values
// given as constants. Constant arithmetic (2e3 * 1e4) is folded first.
func Amplifier(q *gojq.Query) string {
	var why string
	walkQueries(reflect.ValueOf(q), 0, func(q *gojq.Query) {
		if why != "" {
			return
		}
		if q.Op == gojq.OpMul {
			for _, s := range [][2]*gojq.Query{{q.Left, q.Right}, {q.Right, q.Left}} {
				if _, ok := constString(s[0]); ok {
					if n, ok := constNumber(s[1]); ok && n > MaxConstant {
						why = fmt.Sprintf("%s repeats a string %g times, more than %g", q, n, float64(MaxConstant))
						return
					}
				}
			}
		}
		if q.Term == nil || q.Term.Type != gojq.TermTypeFunc || q.Term.Func == nil {
			return
		}
		f := q.Term.Func
		n, ok := 0.0, false
		switch {
		case f.Name == "range" && len(f.Args) == 1:
			n, ok = constNumber(f.Args[0])
		case f.Name == "range" && len(f.Args) >= 2:
			var from, to float64
			if from, ok = constNumber(f.Args[0]); ok {
				to, ok = constNumber(f.Args[1])
			}
			n = to - from
			if ok && len(f.Args) == 3 {
				var by float64
				if by, ok = constNumber(f.Args[2]); ok && by != 0 {
					n /= by
				}
			}
		case f.Name == "limit" && len(f.Args) == 2:
			n, ok = constNumber(f.Args[0])
		}
		if ok && math.Abs(n) > MaxConstant {
			why = fmt.Sprintf("%s gives %g values, more than %g", q, math.Abs(n), float64(MaxConstant))
		}
	})
	return why
}

// walkQueries calls f on every *gojq.Query reachable from v (the AST's structs, slices and
// pointers), outermost first; depth bounds the recursion on hostile programs.
func walkQueries(v reflect.Value, depth int, f func(*gojq.Query)) {
	if depth > 10000 {
		return
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return
		}
		if q, ok := reflect.TypeAssert[*gojq.Query](v); ok {
			f(q)
		}
		walkQueries(v.Elem(), depth+1, f)
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				walkQueries(v.Field(i), depth+1, f)
			}
		}
	case reflect.Slice:
		for i := range v.Len() {
			walkQueries(v.Index(i), depth+1, f)
		}
	default:
		// scalars, maps and the rest hold no query in gojq's AST
	}
}

// constNumber folds a constant numeric query: a literal, -literal, parentheses and + - * /
// of constants.
func constNumber(q *gojq.Query) (float64, bool) {
	if q == nil {
		return 0, false
	}
	if q.Term == nil {
		l, lok := constNumber(q.Left)
		r, rok := constNumber(q.Right)
		if !lok || !rok {
			return 0, false
		}
		switch q.Op {
		case gojq.OpAdd:
			return l + r, true
		case gojq.OpSub:
			return l - r, true
		case gojq.OpMul:
			return l * r, true
		case gojq.OpDiv:
			return l / r, r != 0
		default:
			return 0, false
		}
	}
	t := q.Term
	if len(t.SuffixList) > 0 {
		return 0, false
	}
	switch t.Type {
	case gojq.TermTypeNumber:
		n, err := strconv.ParseFloat(t.Number, 64)
		return n, err == nil
	case gojq.TermTypeUnary:
		if t.Unary == nil || t.Unary.Term == nil {
			return 0, false
		}
		n, ok := constNumber(&gojq.Query{Term: t.Unary.Term})
		if t.Unary.Op == gojq.OpSub {
			n = -n
		}
		return n, ok
	case gojq.TermTypeQuery:
		return constNumber(t.Query)
	default:
		return 0, false
	}
}

// Clock is the time the jq programs of one run may take together (JQTotal); each run of a
// program also has JQTimeout and guard.ProgramBudget of heap. It is safe for concurrent use.
type Clock struct {
	mu   sync.Mutex
	left time.Duration
}

// NewClock starts a run's clock with lint.Limit().JQTotal.
func NewClock() *Clock { return &Clock{left: lint.Limit().JQTotal} }

// Run runs code on v and calls yield with each output until yield returns false. It stops
// the program past JQTimeout, past the time left on the clock, or past its heap budget,
// and returns why (a message naming the --limit); nil otherwise. Errors the program
// itself gives are outputs, as gojq gives them.
func (c *Clock) Run(ctx context.Context, code *gojq.Code, v any, yield func(any) bool) error {
	l := lint.Limit()
	c.mu.Lock()
	left := c.left
	c.mu.Unlock()
	if left <= 0 {
		return errors.New(lint.LimitMessage("the jq programs of this run took their whole time", l.JQTotal, "jq_total"))
	}
	ctx, cancel := context.WithTimeout(ctx, min(l.JQTimeout, left))
	defer cancel()
	defer guard.Enter("jq")()
	bctx, stop := guard.Budget(ctx, guard.ProgramBudget)
	defer stop()
	start := time.Now()
	defer func() {
		c.mu.Lock()
		c.left -= time.Since(start)
		c.mu.Unlock()
	}()
	iter := code.RunWithContext(bctx, v)
	for {
		out, ok := iter.Next()
		if !ok {
			return nil
		}
		if err, isErr := out.(error); isErr && bctx.Err() != nil && (errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)) {
			if be, ok := errors.AsType[*guard.BudgetError](context.Cause(bctx)); ok {
				return be
			}
			if l.JQTimeout <= left {
				return errors.New(lint.LimitMessage("it did not finish in time", l.JQTimeout, "jq_timeout"))
			}
			return errors.New(lint.LimitMessage("the jq programs of this run took their whole time", l.JQTotal, "jq_total"))
		}
		if !yield(out) {
			return nil
		}
	}
}
