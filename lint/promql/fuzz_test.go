package promql

import (
	"errors"
	"strings"
	"testing"

	"github.com/prometheus/prometheus/promql/parser"

	"github.com/driftlint/driftlint/lint"
)

// grafanaSeeds are dashboard queries with every kind of variable Substitute knows.
var grafanaSeeds = []string{
	`sum(rate(http_requests_total{job=~"$job", instance=~"${instance:regex}"}[$__rate_interval])) by ($group)`,
	`histogram_quantile($q/100, sum by (le) (rate(x_bucket[$__interval])))`,
	`topk($n, x) offset $off`,
	`x @ $__to / [[var]] # $comment`,
	`clamp_min(x{a='$v\'w'}, $min) > $threshold`,
	"rate(x[${__range}:1m]) and on() \"${x}\"",
	`$__range_s * label_values(up, $label)`,
	`up{$m} / up{$m, instance="x"} + up{a="b", ${nest}} - count({[[other]]})`,
}

// fuzzValues are variable values for SubstituteWith: a matcher list, one with an escaped
// comma and a variable of its own, one that names another variable, and a number.
var fuzzValues = map[string]string{
	"m":     `job=~"a|b"`,
	"esc":   `cluster=~"$cluster"\, job=~"a"`,
	"nest":  `$m`,
	"other": `-1`,
}

// FuzzSubstitute checks SubstituteWith's index: every byte of the output comes from a byte of
// the input, in order, and is that very byte unless it belongs to a stand-in, which maps to
// the $ or [ of the variable it replaces.
func FuzzSubstitute(f *testing.F) {
	for _, s := range grafanaSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out, idx, changed := SubstituteWith(s, fuzzValues)
		if !changed {
			if out != s {
				t.Fatalf("unchanged %q gave %q", s, out)
			}
			if idx == nil {
				return
			}
		}
		if len(idx) != len(out) {
			t.Fatalf("index of %d entries for %d bytes", len(idx), len(out))
		}
		last := -1
		for i, j32 := range idx {
			j := int(j32)
			if j < 0 || j >= len(s) || j < last {
				t.Fatalf("byte %d of %q maps to %d (previous %d) in %q", i, out, j, last, s)
			}
			last = j
			if out[i] != s[j] && s[j] != '$' && s[j] != '[' {
				t.Fatalf("byte %d %q of %q maps to %q at %d of %q", i, out[i], out, s[j], j, s)
			}
		}
	})
}

// FuzzGrafanaQuery checks the positions of queries built from a JSON-like file: the
// query's offsets stay inside the expression's place in the file, in order, and each byte
// that is not a stand-in maps to the same byte of the file; parse errors point inside too.
func FuzzGrafanaQuery(f *testing.F) {
	for _, s := range grafanaSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, expr string) {
		src := `{"expr": "` + expr + `"}`
		file := lint.NewSourceFile("d.json", []byte(src))
		start, end := len(`{"expr": "`), len(`{"expr": "`)+len(expr)
		q := NewGrafanaQuery(lint.VerbatimSpan(file, start, end), lint.OriginDashboard, "p")
		last := start
		for i := 0; i <= len(q.Text.Value); i++ {
			off := q.Text.Offset(i)
			if off < start || off > end || off < last {
				t.Fatalf("byte %d of %q maps to %d, outside [%d, %d] or before %d", i, q.Text.Value, off, start, end, last)
			}
			last = off
			if i < len(q.Text.Value) && off < end {
				c := src[off]
				if c != q.Text.Value[i] && c != '$' && c != '[' {
					t.Fatalf("byte %d %q of %q maps to %q", i, q.Text.Value[i], q.Text.Value, c)
				}
			}
		}
		if q.Vars != strings.ContainsAny(expr, "$[") && q.Vars {
			t.Fatalf("Vars set for %q without $ or [", expr)
		}
		if pe, ok := errors.AsType[parser.ParseErrors](q.Err); ok {
			for _, e := range pe {
				if off := q.Text.Offset(int(e.PositionRange.Start)); off < start || off > end {
					t.Fatalf("parse error %v of %q maps to %d, outside [%d, %d]", e.Err, q.Text.Value, off, start, end)
				}
			}
		}
	})
}
