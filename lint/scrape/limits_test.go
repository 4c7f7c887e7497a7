package scrape

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/driftlint/driftlint/lint"
)

func TestCheckLimits(t *testing.T) {
	const stepsHint = "(invariant_steps); the config cannot raise it; --limit invariant_steps=VALUE on the command line can; not evaluated"
	tests := []struct {
		name    string
		expr    string
		samples int
		wantErr string // "" when the invariant evaluates without error
	}{
		{
			name:    "rejects a year of millisecond subquery steps before evaluating",
			expr:    "count_over_time(vector(1)[1y:1ms]) > 0",
			wantErr: "t=-1ms the subquery vector(1)[1y:1ms] takes 31536000000 steps, with the subqueries around it, more than the limit of 11000 " + stepsHint,
		},
		{
			name:    "multiplies nested subqueries",
			expr:    "max_over_time(count_over_time(vector(1)[2h:1m])[4h:1m]) > 0",
			wantErr: "t=-1ms the subquery vector(1)[2h:1m] takes 28800 steps, with the subqueries around it, more than the limit of 11000 " + stepsHint,
		},
		{
			name:    "counts a range selector by the scrape interval",
			expr:    "max_over_time(lag[3d]) > 0",
			wantErr: "t=-1ms the range lag[3d] (scrapes 15s apart) takes 17280 steps, with the subqueries around it, more than the limit of 11000 " + stepsHint,
		},
		{
			name:    "takes a subquery without a step at the default step",
			expr:    "count_over_time(vector(1)[2w:]) > 0",
			wantErr: "t=-1ms the subquery vector(1)[2w:] takes 20160 steps, with the subqueries around it, more than the limit of 11000 " + stepsHint,
		},
		{name: "evaluates a subquery under the limit", expr: "count_over_time(vector(1)[10h:1m]) > 0"},
		{name: "evaluates a range selector under the limit", expr: "max_over_time(lag[1d]) > 0"},
		{
			name: "stops an evaluation past invariant_samples", expr: "count_over_time(vector(1)[10h:1m]) > 0", samples: 100,
			wantErr: "t=0s query processing would load too many samples into memory in query execution",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.samples > 0 {
				l := lint.DefaultLimits
				l.InvariantSamples = tt.samples
				defer lint.SetLimits(lint.SetLimits(l))
			}
			start := time.Now()
			got := summarize(NewChecker(NewStorage(dashstream())).Check(context.Background(), tt.expr)).Err
			if d := time.Since(start); d > 10*time.Second {
				t.Errorf("took %s", d)
			}
			if tt.wantErr != "" && got != tt.wantErr || tt.wantErr == "" && got != "" {
				t.Errorf("err %q\nwant %q", got, tt.wantErr)
			}
		})
	}
}

func TestCheckTimeLimits(t *testing.T) {
	l := lint.DefaultLimits
	l.InvariantTotal = time.Nanosecond
	defer lint.SetLimits(lint.SetLimits(l))
	c := NewChecker(NewStorage(dashstream()))
	got := summarize(c.Check(context.Background(), "lag <= lag_limit")).Err
	want := "the invariants of this run took their whole time, more than the limit of 1ns (invariant_total)"
	if !strings.Contains(got, want) {
		t.Errorf("err %q, want it to contain %q", got, want)
	}
}
