package lint

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/prometheus/promql/parser"
)

func TestPromQLParserChecksLimits(t *testing.T) {
	tests := []struct {
		name    string
		expr    string
		wantOff int // -1: parses
		wantMsg string
	}{
		{name: "parses an expression nested to the default depth", expr: strings.Repeat("(", 255) + "vector(1)" + strings.Repeat(")", 255), wantOff: -1},
		{
			name: "rejects 60 KB of nested parentheses at the first one past the depth",
			expr: strings.Repeat("(", 60_000) + "1" + strings.Repeat(")", 60_000)[:1000], wantOff: 256,
			wantMsg: "the expression nests (, [ and { deeper here, more than the limit of 256 (promql_depth); the config cannot raise it; --limit promql_depth=VALUE on the command line can; not parsed",
		},
		{
			name: "rejects an expression over the byte limit before scanning it",
			expr: strings.Repeat("(", 120_000), wantOff: 64 << 10,
			wantMsg: "the expression is 120000 bytes long, more than the limit of 65536 (promql_bytes); the config cannot raise it; --limit promql_bytes=VALUE on the command line can; not parsed",
		},
		{name: "does not count brackets in strings", expr: `label_replace(up, "a", "` + strings.Repeat("(", 300) + `", "b", ".*")`, wantOff: -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			_, err := PromQLParser.ParseExpr(tt.expr)
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("took %s", d)
			}
			if tt.wantOff < 0 {
				if err != nil {
					t.Fatalf("unexpected error %v", err)
				}
				return
			}
			pe, ok := errors.AsType[parser.ParseErrors](err)
			if !ok || len(pe) != 1 {
				t.Fatalf("error %v, want one ParseErr", err)
			}
			if int(pe[0].PositionRange.Start) != tt.wantOff || pe[0].Err.Error() != tt.wantMsg {
				t.Errorf("at %d: %q\nwant at %d: %q", pe[0].PositionRange.Start, pe[0].Err, tt.wantOff, tt.wantMsg)
			}
		})
	}
}

func TestPromQLParserLimitIsTheCommandLines(t *testing.T) {
	expr := strings.Repeat("(", 300) + "1" + strings.Repeat(")", 300)
	if _, err := PromQLParser.ParseExpr(expr); err == nil {
		t.Fatal("parsed past the default depth")
	}
	l := DefaultLimits
	l.PromQLDepth = 400
	defer SetLimits(SetLimits(l))
	if _, err := PromQLParser.ParseExpr(expr); err != nil {
		t.Fatalf("raised limit: %v", err)
	}
}
