package lint

import (
	"errors"
	"fmt"

	"github.com/prometheus/prometheus/promql/parser"
	"github.com/prometheus/prometheus/promql/parser/posrange"

	"github.com/driftlint/driftlint/lint/guard"
)

// LimitMessage is the message of an input that a ceiling stops: what was found, the
// limit's value and --limit name, and how to lift it.
func LimitMessage(what string, value any, name string) string {
	return fmt.Sprintf("%s, more than the limit of %v (%s); %s", what, value, name, LimitFlagHint(name))
}

// CheckPromQL returns an error when s is longer than PromQLBytes or nests (, [ and { deeper
// than PromQLDepth; the upstream parser takes time quadratic in the nesting, so such text
// must not reach it. The error is a parser.ParseErrors positioned where the limit is
// passed, so that it is reported as every other syntax error is (promql/syntax).
func CheckPromQL(s string) error {
	l := Limit()
	if len(s) > l.PromQLBytes {
		return limitParseError(s, l.PromQLBytes, LimitMessage(fmt.Sprintf("the expression is %d bytes long", len(s)), l.PromQLBytes, "promql_bytes")+"; not parsed")
	}
	if off := guard.PromQLDepth(s, l.PromQLDepth); off >= 0 {
		return limitParseError(s, off, LimitMessage("the expression nests (, [ and { deeper here", l.PromQLDepth, "promql_depth")+"; not parsed")
	}
	return nil
}

func limitParseError(s string, off int, msg string) error {
	off = min(off, len(s))
	return parser.ParseErrors{{
		PositionRange: posrange.PositionRange{Start: posrange.Pos(off), End: posrange.Pos(min(off+1, len(s)))},
		Err:           errors.New(msg),
		Query:         s,
	}}
}

// limitedParser is a parser.Parser that checks CheckPromQL before the upstream parser runs.
type limitedParser struct{ parser.Parser }

func (p limitedParser) ParseExpr(s string) (parser.Expr, error) {
	if err := CheckPromQL(s); err != nil {
		return nil, err
	}
	return p.Parser.ParseExpr(s)
}
