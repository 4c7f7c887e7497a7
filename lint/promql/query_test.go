package promql

import (
	"testing"

	"github.com/driftlint/driftlint/lint"
)

func TestSubstitute(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"leaves queries without variables alone", `rate(x[5m])`, `rate(x[5m])`},
		{"turns a range macro into a duration", `rate(x[$__rate_interval])`, `rate(x[5m])`},
		{"turns a braced range macro into a duration", `rate(x[${__rate_interval}])`, `rate(x[5m])`},
		{"turns a user variable in a range into a duration", `rate(x[$window:1m])`, `rate(x[5m:1m])`},
		{"keeps variables inside label values", `x{job=~"$job", a="${a:regex}"}`, `x{job=~"$job", a="${a:regex}"}`},
		{"turns a grouping variable into a stand-in label", `sum by ($group) (x)`, `sum by (__gv_group) (x)`},
		{"turns a topk count into a number", `topk($n, x)`, `topk(1, x)`},
		{"turns a clamp bound into a number", `clamp_min(x, $min)`, `clamp_min(x, 1)`},
		{"turns a quantile expression operand into a number", `histogram_quantile($q/100, sum by (le) (rate(x_bucket[$__rate_interval])))`, `histogram_quantile(1/100, sum by (le) (rate(x_bucket[5m])))`},
		{"turns @ $__to into a number", `x @ $__to`, `x @ 1`},
		{"turns a negative offset variable into a duration", `x offset -$off`, `x offset -5m`},
		{"turns a metric variable into a stand-in metric", `rate($metric[5m])`, `rate(__gv_metric[5m])`},
		{"reads old-style [[var]]", `x{job="[[job]]"} > [[threshold]]`, `x{job="[[job]]"} > __gv_threshold`},
		{"leaves comments alone", "x # $not a var\n", "x # $not a var\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _, _ := Substitute(tt.in)
			if got != tt.want {
				t.Errorf("Substitute(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if _, err := Parser().ParseExpr(got); err != nil {
				t.Errorf("stand-in text does not parse: %v", err)
			}
		})
	}
}

func TestGrafanaQueryPositions(t *testing.T) {
	src := `{"expr": "sum by ($group) (rate(kafka_x_total{job=~\"$job\"}[$__rate_interval]))"}`
	f := lint.NewSourceFile("d.json", []byte(src))
	// The JSON string's value starts after `{"expr": "` with no escapes before the metric.
	start := len(`{"expr": "`)
	val := `sum by ($group) (rate(kafka_x_total{job=~"$job"}[$__rate_interval]))`
	offs := make([]int32, len(val)+1)
	j := start
	for i := range len(val) {
		if src[j] == '\\' {
			j++
		}
		offs[i] = int32(j)
		j++
	}
	offs[len(val)] = int32(j)
	q := NewGrafanaQuery(lint.Span{Value: val, File: f, Offs: offs, Start: start}, lint.OriginDashboard, "p")
	if q.Err != nil {
		t.Fatal(q.Err)
	}
	uses := (&lint.Project{Queries: []*lint.Query{q}}).MetricUses()
	if len(uses) != 1 || uses[0].At.String() != "d.json:1:33" {
		t.Errorf("uses %v", uses)
	}
}
