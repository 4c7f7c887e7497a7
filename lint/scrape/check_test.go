package scrape

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/driftlint/driftlint/lint"
)

// summary flattens a report for comparison.
type summary struct {
	Absent   []string
	Compared bool
	Failures []string
	Err      string
}

func summarize(r *Report) summary {
	s := summary{Absent: r.Absent, Compared: r.Compared}
	for _, f := range r.Failures {
		var b strings.Builder
		b.WriteString(FormatTime(f.TimeMs) + " " + f.Labels.String())
		if f.HasSides {
			b.WriteString(" " + FormatValue(f.Left) + " " + f.Op + " " + FormatValue(f.Right))
		}
		for _, t := range f.Also {
			b.WriteString(" also " + FormatTime(t))
		}
		s.Failures = append(s.Failures, b.String())
	}
	if r.Err != nil {
		s.Err = FormatTime(r.ErrTimeMs) + " " + r.Err.Error()
	}
	return s
}

// dashstream is the audited server: at the second scrape the Kafka errors exceed the
// messages received, and the consumer only reads partition 0.
func dashstream() []*lint.Exposition {
	return []*lint.Exposition{
		expo("websocket-server", 0, 0,
			smp("websocket_kafka_errors_total", 48102),
			smp("websocket_kafka_messages_received_total", 48213),
			smp("websocket_decode_errors_total", 37, "error_type", "protobuf"),
			smp("websocket_decode_errors_total", 5, "error_type", "old_data"),
			smp("dashstream_consumer_offset", 1204411, "partition", "0", "topic", "events"),
			smp("lag", 3, "partition", "0"),
			smp("lag", 4, "partition", "1"),
			smp("lag_limit", 5, "partition", "0"),
			smp("lag_limit", 5, "partition", "1"),
			smp("quota", 1, "team", "a"),
		),
		expo("websocket-server", 1, 15000,
			smp("websocket_kafka_errors_total", 48552),
			smp("websocket_kafka_messages_received_total", 48216),
			smp("websocket_decode_errors_total", 37, "error_type", "protobuf"),
			smp("websocket_decode_errors_total", 5, "error_type", "old_data"),
			smp("dashstream_consumer_offset", 1204414, "partition", "0", "topic", "events"),
			smp("lag", 7, "partition", "0"),
			smp("lag", 9, "partition", "1"),
			smp("lag_limit", 5, "partition", "0"),
			smp("lag_limit", 5, "partition", "1"),
			smp("quota", 1, "team", "a"),
		),
	}
}

func TestCheck(t *testing.T) {
	c := NewChecker(NewStorage(dashstream()))
	job := `job="websocket-server"`
	tests := []struct {
		name string
		expr string
		want summary
	}{
		{
			name: "reports a vector comparison false at the second scrape with both values",
			expr: "websocket_kafka_errors_total <= websocket_kafka_messages_received_total",
			want: summary{Compared: true, Failures: []string{"t=15s {" + job + "} 48552 > 48216"}},
		},
		{
			name: "reports a comparison with a scalar once, with the later scrapes it fails at",
			expr: "count(count by (partition) (dashstream_consumer_offset)) >= 8",
			want: summary{Compared: true, Failures: []string{"t=0s {} 1 < 8 also t=15s"}},
		},
		{
			name: "reports nothing for an invariant that holds",
			expr: "sum(websocket_decode_errors_total) <= sum(websocket_kafka_errors_total)",
			want: summary{Compared: true},
		},
		{
			name: "reports every failing series of a label-matched comparison",
			expr: "lag <= lag_limit",
			want: summary{Compared: true, Failures: []string{
				`t=15s {job="websocket-server", partition="0"} 7 > 5`,
				`t=15s {job="websocket-server", partition="1"} 9 > 5`,
			}},
		},
		{
			name: "reports failures under the labels of an on() match",
			expr: "lag < on(partition) lag_limit",
			want: summary{Compared: true, Failures: []string{
				`t=15s {partition="0"} 7 >= 5`,
				`t=15s {partition="1"} 9 >= 5`,
			}},
		},
		{
			name: "reports failures of a group_left match with the included label",
			expr: "lag <= on(job) group_left(team) quota",
			want: summary{Compared: true, Failures: []string{
				`t=0s {job="websocket-server", partition="0", team="a"} 3 > 1 also t=15s`,
				`t=0s {job="websocket-server", partition="1", team="a"} 4 > 1 also t=15s`,
			}},
		},
		{
			name: "reports failures of a group_right match with the sides in place",
			expr: "quota >= on(job) group_right(team) lag",
			want: summary{Compared: true, Failures: []string{
				`t=0s {job="websocket-server", partition="0", team="a"} 1 < 3 also t=15s`,
				`t=0s {job="websocket-server", partition="1", team="a"} 1 < 4 also t=15s`,
			}},
		},
		{
			name: "reports a scalar on the left side",
			expr: "(10 > lag)",
			want: summary{Compared: true},
		},
		{
			name: "reports an and of comparisons without side values",
			expr: "lag <= 5 and lag_limit > 0",
			want: summary{Compared: true, Failures: []string{`t=15s {job="websocket-server", partition="0"}`, `t=15s {job="websocket-server", partition="1"}`}},
		},
		{
			name: "reports the failures of the left side of unless, not those it excuses",
			expr: "lag > 5 unless on(partition) lag_limit > 100",
			want: summary{Compared: true, Failures: []string{`t=0s {job="websocket-server", partition="0"}`, `t=0s {job="websocket-server", partition="1"}`}},
		},
		{
			name: "warns instead of evaluating when every metric is absent",
			expr: "kafka_producer_errors_total <= kafka_producer_requests_total",
			want: summary{Absent: []string{"kafka_producer_errors_total", "kafka_producer_requests_total"}},
		},
		{
			name: "compares nothing when the two sides never match",
			expr: "lag <= websocket_kafka_errors_total",
			want: summary{},
		},
		{
			name: "returns a parse error without a time",
			expr: "lag <=",
			want: summary{Err: "t=-1ms 1:7: parse error: unexpected end of input"},
		},
		{
			name: "returns an error for an expression that is no comparison",
			expr: "lag + 1",
			want: summary{Compared: false, Err: "t=-1ms not a comparison"},
		},
		{
			name: "returns an evaluation error instead of failing",
			expr: "lag <= ignoring(partition) lag_limit",
			want: summary{Err: "t=0s found duplicate series for the match group"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := summarize(c.Check(context.Background(), tt.expr))
			if tt.want.Err != "" && strings.HasPrefix(got.Err, tt.want.Err) {
				got.Err = tt.want.Err
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Check(%q) (-want +got):\n%s", tt.expr, diff)
			}
		})
	}
}

func TestCheckLookback(t *testing.T) {
	// A series present only in the first scrape is still seen 15 s later: Prometheus's
	// lookback delta, kept on purpose.
	c := NewChecker(NewStorage([]*lint.Exposition{
		expo("", 0, 0, smp("gone", 10), smp("limit", 5)),
		expo("", 1, 15000, smp("limit", 5)),
	}))
	got := summarize(c.Check(context.Background(), "gone <= limit"))
	want := summary{Compared: true, Failures: []string{"t=0s {} 10 > 5 also t=15s"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestFormat(t *testing.T) {
	got := []string{FormatTime(0), FormatTime(15000), FormatTime(90000), FormatValue(48552), FormatValue(1527020.7), FormatValue(0.91), FormatValue(1e20)}
	want := []string{"t=0s", "t=15s", "t=1m30s", "48552", "1527020.7", "0.91", "1e+20"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
