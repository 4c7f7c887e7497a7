package jqpath

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/itchyny/gojq"

	"github.com/driftlint/driftlint/lint"
)

func TestAmplifier(t *testing.T) {
	tests := []struct {
		name, prog, want string
	}{
		{name: "rejects a string repeated 2e9 times", prog: `"x" * 2e9`, want: `"x" * 2e9 repeats a string 2e+09 times, more than 1e+06`},
		{name: "rejects a repeat with the number first and folded", prog: `.a | (2e3 * 1e4) * "ab"`, want: `(2e3 * 1e4) * "ab" repeats a string 2e+07 times, more than 1e+06`},
		{name: "rejects range over a large constant", prog: `[range(1e9)] | length`, want: "range(1e9) gives 1e+09 values, more than 1e+06"},
		{name: "rejects range between constants", prog: `[range(0; 1e8; 10)]`, want: "range(0; 1e8; 10) gives 1e+07 values, more than 1e+06"},
		{name: "rejects limit over a large constant inside a definition", prog: `def f: [limit(1e7; repeat(1))]; f`, want: "limit(1e7; repeat(1)) gives 1e+07 values, more than 1e+06"},
		{name: "accepts a small repeat", prog: `"x" * 1000`},
		{name: "accepts numbers times a large constant", prog: `.uptime_seconds * 1e9 > 0`},
		{name: "accepts range over input", prog: `[range(.n)]`},
		{name: "accepts a small range", prog: `[range(0; 1000)] | length`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := gojq.Parse(tt.prog)
			if err != nil {
				t.Fatal(err)
			}
			if got := Amplifier(q); got != tt.want {
				t.Errorf("got %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestClockRun(t *testing.T) {
	l := lint.DefaultLimits
	l.JQTimeout, l.JQTotal = 200*time.Millisecond, 300*time.Millisecond
	defer lint.SetLimits(lint.SetLimits(l))
	run := func(c *Clock, prog string) (string, error) {
		q, err := gojq.Parse(prog)
		if err != nil {
			t.Fatal(err)
		}
		code, err := gojq.Compile(q)
		if err != nil {
			t.Fatal(err)
		}
		var outs []string
		err = c.Run(context.Background(), code, map[string]any{"a": 1}, func(v any) bool {
			outs = append(outs, strings.TrimSpace(strings.ReplaceAll(gojqString(v), "\n", "")))
			return true
		})
		return strings.Join(outs, ","), err
	}
	c := NewClock()
	if out, err := run(c, ".a + 1, .a"); out != "2,1" || err != nil {
		t.Errorf("got %q, %v", out, err)
	}
	start := time.Now()
	_, err := run(c, "def f: f; f")
	if err == nil || !strings.Contains(err.Error(), "it did not finish in time, more than the limit of 200ms (jq_timeout)") {
		t.Errorf("endless program: %v", err)
	}
	_, err = run(c, "last(range(1e6) | repeat(.))")
	if err == nil || !strings.Contains(err.Error(), "(jq_total)") {
		t.Errorf("second endless program: %v", err)
	}
	_, err = run(c, ".a")
	if err == nil || !strings.Contains(err.Error(), "the jq programs of this run took their whole time, more than the limit of 300ms (jq_total)") {
		t.Errorf("after the total: %v", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %s", d)
	}
}

func gojqString(v any) string {
	q, _ := gojq.Parse("tojson")
	code, _ := gojq.Compile(q)
	out, _ := code.Run(v).Next()
	s, _ := out.(string)
	return s
}
