package promql

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/prometheus/prometheus/promql/parser"

	"github.com/driftlint/driftlint/lint"
)

// ratioResolver knows the labels of the metrics the ratio tests use, with job and instance
// as the project resolver adds them.
type ratioResolver map[string][]string

func (r ratioResolver) MetricLabels(name string) ([]string, bool) {
	l, ok := r[name]
	if !ok {
		return nil, false
	}
	return append([]string{"instance", "job"}, l...), true
}

var ratioMetrics = ratioResolver{
	"websocket_decode_errors_total":           {"error_type"},
	"websocket_kafka_messages_received_total": {},
	"websocket_dropped_messages_total":        {"reason"},
	"http_requests_total":                     {"code", "method"},
	"websocket_kafka_errors_total":            {},
	"node_network_receive_errs_total":         {"device"},
	"node_network_receive_packets_total":      {"device"},
	"queue_depth":                             {"queue"},
}

func parseRatioExpr(t *testing.T, s string) parser.Expr {
	t.Helper()
	e, err := lint.PromQLParser.ParseExpr(s)
	if err != nil {
		t.Fatalf("parse %q: %v", s, err)
	}
	return e
}

var issueNames = map[AggregationIssue]string{
	AggregationOK:            "ok",
	NotAggregated:            "not aggregated",
	NumeratorNotAggregated:   "numerator not aggregated",
	DenominatorNotAggregated: "denominator not aggregated",
	LabelsDiffer:             "labels differ",
}

func TestCheckAggregation(t *testing.T) {
	tests := []struct {
		name, expr string
		want       []string // one per ratio, outermost first
	}{
		{
			"reports a plain ratio of two rates",
			`rate(websocket_decode_errors_total[5m]) / rate(websocket_kafka_messages_received_total[5m])`,
			[]string{"not aggregated (proven)"},
		},
		{
			"accepts sum on both sides",
			`sum(rate(websocket_decode_errors_total[5m])) / sum(rate(websocket_kafka_messages_received_total[5m]))`,
			[]string{"ok"},
		},
		{
			"accepts the same by labels in another order",
			`sum by (job, code) (rate(http_requests_total{code=~"5.."}[5m])) / sum by (code, job) (rate(http_requests_total[5m]))`,
			[]string{"ok"},
		},
		{
			"accepts a trailing by clause that matches a leading one",
			`sum(rate(http_requests_total{code=~"5.."}[5m])) by (job) / sum by (job) (rate(http_requests_total[5m]))`,
			[]string{"ok"},
		},
		{
			"reports sides aggregated by different labels",
			`sum by (code) (rate(http_requests_total[5m])) / sum(rate(http_requests_total[5m]))`,
			[]string{"labels differ (proven)"},
		},
		{
			"reports different labels even for metrics no exposition knows",
			`sum by (route) (rate(api_errors_total[5m])) / sum by (job) (rate(api_requests_total[5m]))`,
			[]string{"labels differ (proven)"},
		},
		{
			"accepts a by label that neither side carries",
			`sum by (code) (rate(websocket_decode_errors_total[5m])) / sum(rate(websocket_kafka_messages_received_total[5m]))`,
			[]string{"ok"},
		},
		{
			"accepts on() with group_left between different groupings",
			`sum by (reason) (rate(websocket_dropped_messages_total[5m])) / on() group_left sum(rate(websocket_kafka_messages_received_total[5m]))`,
			[]string{"ok"},
		},
		{
			"accepts an explicit on() list",
			`rate(websocket_decode_errors_total[5m]) / on(job, instance) rate(websocket_kafka_messages_received_total[5m])`,
			[]string{"ok"},
		},
		{
			"accepts ignoring() with labels",
			`rate(websocket_decode_errors_total[5m]) / ignoring(error_type) rate(websocket_kafka_messages_received_total[5m])`,
			[]string{"ok"},
		},
		{
			"treats an empty ignoring() as the default matching",
			`rate(websocket_decode_errors_total[5m]) / ignoring() rate(websocket_kafka_messages_received_total[5m])`,
			[]string{"not aggregated (proven)"},
		},
		{
			"accepts group_left without on()",
			`rate(http_requests_total[5m]) / ignoring(code) group_left rate(http_requests_total{code=""}[5m])`,
			[]string{"ok"},
		},
		{
			"accepts one histogram's sum over its count",
			`rate(http_request_duration_seconds_sum[5m]) / rate(http_request_duration_seconds_count[5m])`,
			[]string{"ok"},
		},
		{
			"accepts one histogram's bucket over its count",
			`rate(http_request_duration_seconds_bucket{le="0.5"}[5m]) / rate(http_request_duration_seconds_count[5m])`,
			[]string{"ok"},
		},
		{
			"reports the sum of one histogram over the count of another",
			`rate(a_seconds_sum[5m]) / rate(b_seconds_count[5m])`,
			[]string{"not aggregated"},
		},
		{
			"ignores a division by a number",
			`rate(websocket_decode_errors_total[5m]) / 60`,
			nil,
		},
		{
			"ignores a division by a scalar",
			`rate(websocket_decode_errors_total[5m]) / scalar(sum(rate(websocket_kafka_messages_received_total[5m])))`,
			nil,
		},
		{
			"sees through parentheses and clamp_min",
			`(rate(websocket_decode_errors_total[5m])) / clamp_min(rate(websocket_kafka_messages_received_total[5m]), 1e-9)`,
			[]string{"not aggregated (proven)"},
		},
		{
			"sees through a > 0 filter on the denominator",
			`rate(websocket_decode_errors_total[5m]) / (rate(websocket_kafka_messages_received_total[5m]) > 0)`,
			[]string{"not aggregated (proven)"},
		},
		{
			"sees through a leading * 100",
			`100 * rate(websocket_decode_errors_total[5m]) / rate(websocket_kafka_messages_received_total[5m])`,
			[]string{"not aggregated (proven)"},
		},
		{
			"sees through a trailing * 100 and a comparison",
			`rate(websocket_decode_errors_total[5m]) / rate(websocket_kafka_messages_received_total[5m]) * 100 > 1`,
			[]string{"not aggregated (proven)"},
		},
		{
			"reports a numerator that is aggregated when the denominator is not",
			`sum(rate(websocket_decode_errors_total[5m])) / rate(websocket_kafka_messages_received_total[5m])`,
			[]string{"denominator not aggregated (proven)"},
		},
		{
			"reports a denominator that is aggregated when the numerator is not",
			`rate(websocket_decode_errors_total[5m]) / sum(rate(websocket_kafka_messages_received_total[5m]))`,
			[]string{"numerator not aggregated (proven)"},
		},
		{
			"accepts one aggregated side whose labels equal the other side's",
			`sum by (device, instance, job) (rate(node_network_receive_errs_total[5m])) / rate(node_network_receive_packets_total[5m])`,
			[]string{"ok"},
		},
		{
			"accepts unaggregated rates of metrics with the same exported labels",
			`rate(node_network_receive_errs_total[5m]) / rate(node_network_receive_packets_total[5m])`,
			[]string{"ok"},
		},
		{
			"reports one metric divided by itself with other matchers",
			`rate(http_requests_total{code=~"5.."}[5m]) / rate(http_requests_total[5m])`,
			[]string{"not aggregated (proven)"},
		},
		{
			"reports a division inside an aggregation",
			`sum(rate(websocket_decode_errors_total[5m]) / rate(websocket_kafka_messages_received_total[5m]))`,
			[]string{"not aggregated (proven)"},
		},
		{
			"ignores a Grafana variable grouping",
			`sum by (__gv_group) (rate(http_requests_total[5m])) / sum(rate(http_requests_total[5m]))`,
			[]string{"ok"},
		},
		{
			"ignores a Grafana variable metric",
			`rate(__gv_metric[5m]) / rate(websocket_kafka_messages_received_total[5m])`,
			[]string{"ok"},
		},
		{
			"ignores a ratio of gauges",
			`node_filesystem_avail_bytes / node_filesystem_size_bytes`,
			[]string{"ok"},
		},
		{
			"ignores a rate divided by a gauge",
			`rate(websocket_decode_errors_total[5m]) / queue_depth`,
			[]string{"ok"},
		},
		{
			"ignores without() groupings whose labels are not known",
			`sum without (instance) (rate(api_errors_total[5m])) / sum without (pod) (rate(api_requests_total[5m]))`,
			[]string{"ok"},
		},
		{
			"reports ratios of other range functions",
			`avg_over_time(api_errors[10m]) / increase(api_requests_total[10m])`,
			[]string{"not aggregated"},
		},
		{
			"reports label-free metrics without proof even when their labels agree",
			`rate(websocket_kafka_errors_total[5m]) / rate(websocket_kafka_messages_received_total[5m])`,
			[]string{"not aggregated"},
		},
		{
			"reports metrics whose labels are not known without proof",
			`rate(api_errors_total[5m]) / rate(api_requests_total[5m])`,
			[]string{"not aggregated"},
		},
		{
			"reports one aggregated side without proof when the other's labels are not known",
			`sum by (instance) (rate(api_errors_total[5m])) / rate(api_requests_total[5m])`,
			[]string{"denominator not aggregated"},
		},
		{
			"accepts a per-series division grouped afterwards",
			`sum by (instance) (rate(api_syn_retransmits_total[5m]) / rate(api_retransmits_total[5m]))`,
			[]string{"ok"},
		},
		{
			"accepts a per-series division reduced with without() afterwards",
			`min without (peer) (rate(api_errors_total[5m]) / rate(api_sent_total[5m])) * 100 > 3`,
			[]string{"ok"},
		},
		{
			"still reports a grouped division whose labels differ",
			`sum by (instance) (rate(websocket_decode_errors_total[5m]) / rate(websocket_kafka_messages_received_total[5m]))`,
			[]string{"not aggregated (proven)"},
		},
		{
			"checks each ratio of a ratio of ratios but not the outer one",
			`(sum(rate(a_total[5m])) / sum(rate(b_total[5m]))) / (rate(c_total[5m]) / rate(d_total[5m]))`,
			[]string{"ok", "ok", "not aggregated"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, r := range Ratios(parseRatioExpr(t, tt.expr)) {
				c := CheckAggregation(r, ratioMetrics)
				name := issueNames[c.Issue]
				if c.Proven {
					name += " (proven)"
				}
				got = append(got, name)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("CheckAggregation(%q) mismatch (-want +got):\n%s", tt.expr, diff)
			}
		})
	}
}

func TestCheckAggregationLabels(t *testing.T) {
	r := Ratios(parseRatioExpr(t, `sum by (reason) (rate(websocket_dropped_messages_total[5m])) / sum(rate(websocket_kafka_messages_received_total[5m]))`))
	if len(r) != 1 {
		t.Fatalf("got %d ratios, want 1", len(r))
	}
	got := CheckAggregation(r[0], ratioMetrics)
	want := AggregationCheck{Issue: LabelsDiffer, Proven: true, Num: LabelSet{Known: true, Labels: []string{"reason"}}, Den: LabelSet{Known: true}}
	if diff := cmp.Diff(want, got, cmpSet); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
}

func TestCheckAggregationWithoutResolver(t *testing.T) {
	r := Ratios(parseRatioExpr(t, `rate(node_network_receive_errs_total[5m]) / rate(node_network_receive_packets_total[5m])`))
	if got := CheckAggregation(r[0], nil).Issue; got != NotAggregated {
		t.Errorf("without a resolver the labels are unknown and the ratio is reported: got %s", issueNames[got])
	}
}

func TestCheckZeroGuard(t *testing.T) {
	tests := []struct {
		name, expr string
		want       []ZeroGuard // one per ratio, outermost first
	}{
		{
			"reports an unguarded ratio of rates",
			`sum(rate(errors_total[5m])) / sum(rate(requests_total[5m]))`,
			[]ZeroGuard{{Needed: true}},
		},
		{
			"accepts clamp_min with a positive floor",
			`sum(rate(errors_total[5m])) / clamp_min(sum(rate(requests_total[5m])), 1e-9)`,
			[]ZeroGuard{{Needed: true, Guard: "clamp_min(…, 1e-09)"}},
		},
		{
			"does not accept clamp_min with a zero floor",
			`sum(rate(errors_total[5m])) / clamp_min(sum(rate(requests_total[5m])), 0)`,
			[]ZeroGuard{{Needed: true}},
		},
		{
			"accepts clamp with a positive minimum",
			`sum(rate(errors_total[5m])) / clamp(sum(rate(requests_total[5m])), 1, 1e9)`,
			[]ZeroGuard{{Needed: true, Guard: "clamp(…, 1)"}},
		},
		{
			"accepts a > 0 filter",
			`sum(rate(errors_total[5m])) / (sum(rate(requests_total[5m])) > 0)`,
			[]ZeroGuard{{Needed: true, Guard: "> 0"}},
		},
		{
			"accepts a >= filter with a positive bound",
			`sum(rate(errors_total[5m])) / (sum(rate(requests_total[5m])) >= 0.1)`,
			[]ZeroGuard{{Needed: true, Guard: ">= 0.1"}},
		},
		{
			"does not accept >= 0",
			`sum(rate(errors_total[5m])) / (sum(rate(requests_total[5m])) >= 0)`,
			[]ZeroGuard{{Needed: true}},
		},
		{
			"accepts != 0",
			`sum(rate(errors_total[5m])) / (sum(rate(requests_total[5m])) != 0)`,
			[]ZeroGuard{{Needed: true, Guard: "!= 0"}},
		},
		{
			"accepts a filter written with the number first",
			`sum(rate(errors_total[5m])) / (0 < sum(rate(requests_total[5m])))`,
			[]ZeroGuard{{Needed: true, Guard: "> 0"}},
		},
		{
			"does not accept a bool comparison",
			`sum(rate(errors_total[5m])) / (sum(rate(requests_total[5m])) > bool 0)`,
			[]ZeroGuard{{Needed: true}},
		},
		{
			"accepts a filter inside the aggregation",
			`sum(rate(errors_total[5m])) / sum(rate(requests_total[5m]) > 0)`,
			[]ZeroGuard{{Needed: true, Guard: "> 0"}},
		},
		{
			"does not accept a filter under the range function",
			`sum(rate(errors_total[5m])) / sum(rate((requests_total > 0)[5m:1m]))`,
			[]ZeroGuard{{Needed: true}},
		},
		{
			"accepts adding a positive constant",
			`sum(rate(errors_total[5m])) / (sum(rate(requests_total[5m])) + 1e-9)`,
			[]ZeroGuard{{Needed: true, Guard: "+ 1e-09"}},
		},
		{
			"accepts an or vector() fallback on the denominator",
			`sum(rate(errors_total[5m])) / (sum(rate(requests_total[5m])) or vector(1))`,
			[]ZeroGuard{{Needed: true, Guard: "or vector(…)"}},
		},
		{
			"accepts an or on() vector() fallback around the ratio",
			`(sum(rate(errors_total[5m])) / sum(rate(requests_total[5m]))) * 100 > 5 or on() vector(0)`,
			[]ZeroGuard{{Needed: true, Guard: "or vector(…)"}},
		},
		{
			"accepts an or vector() fallback right around the ratio",
			`sum(rate(errors_total[5m])) / sum(rate(requests_total[5m])) or vector(0)`,
			[]ZeroGuard{{Needed: true, Guard: "or vector(…)"}},
		},
		{
			"needs no guard for a numerator that is a subset of the denominator",
			`sum(rate(http_requests_total{job="api",code=~"5.."}[5m])) / sum(rate(http_requests_total{job="api"}[5m]))`,
			[]ZeroGuard{{}},
		},
		{
			"needs a guard when the numerator drops a denominator matcher",
			`sum(rate(http_requests_total{code=~"5.."}[5m])) / sum(rate(http_requests_total{job="api"}[5m]))`,
			[]ZeroGuard{{Needed: true}},
		},
		{
			"needs no guard for a counter named as a qualified subset of the denominator",
			`sum(rate(notifications_failed_total[5m])) / sum(rate(notifications_total[5m]))`,
			[]ZeroGuard{{}},
		},
		{
			"needs no guard for a qualifier in the middle of the name",
			`sum(increase(container_cpu_cfs_throttled_periods_total[5m])) / sum(increase(container_cpu_cfs_periods_total[5m]))`,
			[]ZeroGuard{{}},
		},
		{
			"needs a guard when the counters are named differently",
			`sum(rate(websocket_kafka_errors_total[5m])) / sum(rate(websocket_kafka_messages_received_total[5m]))`,
			[]ZeroGuard{{Needed: true}},
		},
		{
			"does not judge a numerator it cannot see through",
			`(sum(rate(a_total[1d])) - sum(rate(b_total[1d]))) / sum(rate(c_total[1d]))`,
			[]ZeroGuard{{}},
		},
		{
			"needs no guard for a gauge that holds a configured bound",
			`avg_over_time(engine_queries[5m]) / max_over_time(engine_queries_concurrent_max[5m])`,
			[]ZeroGuard{{}},
		},
		{
			"needs a guard for the rate of a counter whatever its name",
			`sum(rate(errors_total[5m])) / sum(rate(limit_checks_total[5m]))`,
			[]ZeroGuard{{Needed: true}},
		},
		{
			"needs no guard for a total over a count of one object",
			`irate(oauth_requests_totaltimems_total[5m]) / irate(oauth_requests_count_total[5m])`,
			[]ZeroGuard{{}},
		},
		{
			"needs no guard for one histogram's mean",
			`rate(rpc_seconds_sum[5m]) / rate(rpc_seconds_count[5m])`,
			[]ZeroGuard{{}},
		},
		{
			"needs no guard for a count of series",
			`sum(rate(errors_total[5m])) / count(up)`,
			[]ZeroGuard{{}},
		},
		{
			"needs no guard for a constant vector",
			`sum(rate(errors_total[5m])) / vector(60)`,
			[]ZeroGuard{{}},
		},
		{
			"needs no guard for a ratio of gauges",
			`node_filesystem_avail_bytes / node_filesystem_size_bytes`,
			[]ZeroGuard{{}},
		},
		{
			"needs a guard for a rate over a gauge",
			`sum(rate(errors_total[5m])) / sum(workers_busy)`,
			[]ZeroGuard{{Needed: true}},
		},
		{
			"needs no guard for a Grafana variable metric",
			`sum(rate(errors_total[5m])) / sum(rate(__gv_total[5m]))`,
			[]ZeroGuard{{}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []ZeroGuard
			for _, r := range Ratios(parseRatioExpr(t, tt.expr)) {
				got = append(got, CheckZeroGuard(r))
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("CheckZeroGuard(%q) mismatch (-want +got):\n%s", tt.expr, diff)
			}
		})
	}
}

func TestAnalyseSide(t *testing.T) {
	tests := []struct {
		name, expr string
		want       string // Name(), then flags
	}{
		{"names the range function and metric", `rate(a_total{job="x"}[5m])`, "rate(a_total) rate"},
		{"sees through an aggregation", `sum by (job) (increase(a_total[1h]))`, "increase(a_total) rate agg"},
		{"names a raw selector", `max(queue_depth)`, "queue_depth agg"},
		{"keeps the outermost range function", `max_over_time(sum(rate(a_total[5m]))[1h:])`, "max_over_time(a_total) rate agg"},
		{"stops at a binary operation between vectors", `rate(a_total[5m]) + rate(b_total[5m])`, " opaque"},
		{"stops at label_replace", `label_replace(rate(a_total[5m]), "x", "$1", "y", "(.*)")`, " opaque"},
		{"marks a count as never zero", `count(up)`, "up agg counts"},
		{"marks a constant", `vector(1)`, " constant"},
		{"does not treat topk as an aggregation", `topk(5, rate(a_total[5m]))`, "rate(a_total) rate"},
		{"reads the series argument of quantile_over_time", `quantile_over_time(0.9, lag[5m])`, "quantile_over_time(lag) rate"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := AnalyseSide(parseRatioExpr(t, tt.expr))
			words := []string{s.Name()}
			for _, f := range []struct {
				on   bool
				name string
			}{{s.RateLike(), "rate"}, {s.Aggregated(), "agg"}, {s.Counts, "counts"}, {s.Constant, "constant"}, {s.Opaque, "opaque"}} {
				if f.on {
					words = append(words, f.name)
				}
			}
			got := strings.Join(words, " ")
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("AnalyseSide(%q) mismatch (-want +got):\n%s", tt.expr, diff)
			}
		})
	}
}

func TestRender(t *testing.T) {
	tests := []struct {
		name, src string
		grafana   bool
		edits     func(e parser.Expr) []Edit
		want      string
	}{
		{
			name: "collapses white space and drops comments",
			src:  "sum(rate(a_total[5m]))  # errors\n   /\n  sum(rate(b_total{job=\"x  y\"}[5m]))",
			want: `sum(rate(a_total[5m])) / sum(rate(b_total{job="x  y"}[5m]))`,
		},
		{
			name:    "restores Grafana variables",
			src:     `rate(a_total{job=~"$job"}[$__rate_interval]) / rate(b_total[${__rate_interval}])`,
			grafana: true,
			want:    `rate(a_total{job=~"$job"}[$__rate_interval]) / rate(b_total[${__rate_interval}])`,
		},
		{
			name:    "restores a Grafana variable used as a label name",
			src:     `sum by ($group) (rate(a_total[1m]))`,
			grafana: true,
			want:    `sum by ($group) (rate(a_total[1m]))`,
		},
		{
			name: "applies edits around nodes",
			src:  "rate(a_total[5m]) /\n rate(b_total[5m])",
			edits: func(e parser.Expr) []Edit {
				b := e.(*parser.BinaryExpr)
				l, r := b.LHS.PositionRange(), b.RHS.PositionRange()
				return []Edit{
					{Start: int(r.Start), End: int(r.Start), Text: "sum("},
					{Start: int(l.Start), End: int(l.Start), Text: "sum("},
					{Start: int(l.End), End: int(l.End), Text: ")"},
					{Start: int(r.End), End: int(r.End), Text: ")"},
				}
			},
			want: `sum(rate(a_total[5m])) / sum(rate(b_total[5m]))`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := lint.NewSourceFile("q.promql", []byte(tt.src))
			span := lint.VerbatimSpan(f, 0, len(tt.src))
			q := NewQuery(span, lint.OriginRunbook, "")
			if tt.grafana {
				q = NewGrafanaQuery(span, lint.OriginDashboard, "")
			}
			if q.Err != nil {
				t.Fatalf("parse: %v", q.Err)
			}
			var edits []Edit
			if tt.edits != nil {
				edits = tt.edits(q.Expr)
			}
			got := Render(q, 0, len(q.Text.Value), edits...)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Render mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestNamedSubset(t *testing.T) {
	tests := []struct {
		name, num, den string
		want           bool
	}{
		{"a qualifier before _total", "alertmanager_notifications_failed_total", "alertmanager_notifications_total", true},
		{"a qualifier in the middle", "container_cpu_cfs_throttled_periods_total", "container_cpu_cfs_periods_total", true},
		{"a qualifier first", "dropped_messages_total", "messages_total", true},
		{"a failure word replacing the last word", "reconcile_errors_total", "reconcile_operations_total", true},
		{"a failure word after the singular", "prometheus_rule_evaluation_failures_total", "prometheus_rule_evaluations_total", true},
		{"a failure word after a singular in -y", "retry_failures_total", "retries_total", true},
		{"a failure word after an -es plural", "match_errors_total", "matches_total", true},
		{"a replaced word that is not a failure word", "grpc_server_handled_total", "grpc_server_started_total", false},
		{"an abbreviated error word", "node_network_receive_errs_total", "node_network_receive_packets_total", false},
		{"a failure word after a word that is not the singular", "alert_sender_errors_total", "alert_sender_alerts_sent_total", false},
		{"a failure word replacing a one-word name", "errors_total", "requests_total", false},
		{"two more words", "a_b_c_d", "a_d", false},
		{"the same name", "x_total", "x_total", false},
		{"a one-word denominator", "messages_dropped_total", "messages_total", true},
		{"an empty name", "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := NamedSubset(tt.num, tt.den); got != tt.want {
				t.Errorf("NamedSubset(%q, %q) = %v, want %v", tt.num, tt.den, got, tt.want)
			}
		})
	}
}

func TestPerEventMean(t *testing.T) {
	tests := []struct {
		name, num, den string
		want           bool
	}{
		{"a total time over a count", "oauth_requests_totaltimems_total", "oauth_requests_count_total", true},
		{"a duration over a count without _total", "flush_duration", "flush_count", true},
		{"a count over a count", "flush_count", "flush_count", false},
		{"a count of something else", "flush_duration", "write_count", false},
		{"a denominator that is not a count", "flush_duration", "flush_total", false},
		{"one-word names", "duration", "count", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := PerEventMean(tt.num, tt.den); got != tt.want {
				t.Errorf("PerEventMean(%q, %q) = %v, want %v", tt.num, tt.den, got, tt.want)
			}
		})
	}
}

func TestRatioHelpersOnOddShapes(t *testing.T) {
	exprs := []string{
		`-rate(a_total[5m]) / -rate(b_total[5m])`,
		`rate(a_total[5m] offset 1h) / rate(b_total[5m] @ 100)`,
		`rate(a_total[5m]) / on() vector(0)`,
		`absent(a_total) / rate(b_total[5m])`,
		`{__name__=~"a.*"} / rate(b_total[5m])`,
		`rate({__name__=~"a.*"}[5m]) / rate(b_total[5m])`,
		`rate({"kafka.lag.total"}[5m]) / rate({"kafka.sent.total"}[5m])`,
		`label_replace(rate(a_total[5m]), "x", "$1", "y", "(.*)") / rate(b_total[5m])`,
		`sum(rate(a_total[5m])) / count_values("v", b)`,
		`rate(a_total[5m]) / fill(0) rate(b_total[5m])`,
		`histogram_quantile(0.9, rate(a_bucket[5m])) / rate(b_total[5m])`,
		`rate(a_total[1m+30s]) / rate(b_total[5m])`,
		`quantile_over_time(0.5, a[5m]) / quantile_over_time(0.5, b[5m])`,
		`max_over_time((rate(a_total[5m]) / rate(b_total[5m]))[1h:5m])`,
		`sum by (x) (rate(a_total[5m])) / sum without (y) (rate(b_total[5m]))`,
		`clamp(rate(a_total[5m]), 0, 1) / clamp(rate(b_total[5m]), -1, 1)`,
		`rate(a_total[5m]) / (rate(b_total[5m]) > bool 0)`,
		`time() / rate(b_total[5m])`,
	}
	for _, s := range exprs {
		t.Run(s, func(t *testing.T) {
			f := lint.NewSourceFile("q", []byte(s))
			q := NewQuery(lint.VerbatimSpan(f, 0, len(s)), lint.OriginDashboard, "")
			if q.Err != nil {
				t.Fatalf("parse: %v", q.Err)
			}
			for _, r := range Ratios(q.Expr) {
				c := CheckAggregation(r, ratioMetrics)
				CheckZeroGuard(r)
				_ = r.Num.Name() + r.Den.Name()
				pr := r.Div.PositionRange()
				got := Render(q, int(pr.Start), int(pr.End), Edit{Start: int(pr.End), End: int(pr.End), Text: ")"}, Edit{Start: -5, End: 1 << 20})
				if got == "" {
					t.Errorf("Render of %q is empty (check %+v)", s, c)
				}
			}
		})
	}
}
