package rules

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/driftlint/driftlint/lint/linttest"
)

func TestVectorMatching(t *testing.T) {
	linttest.Run(t, "../fixtures/promql-vector-matching", VectorMatching)
}

func TestVectorMatchingInQueries(t *testing.T) {
	tests := []struct {
		name string
		expr string
		want []string
	}{
		{
			name: "reports sides aggregated by different labels, at the operator",
			expr: "sum by (job) (rate(api_requests_total[5m])) / sum by (instance) (rate(api_requests_total[5m]))",
			want: []string{`q0:1:45: left side of "/" has labels {job}, right side {instance}: no series can match, so the result is always empty; add ignoring (instance, job)`},
		},
		{
			name: "reports a label that one side has and the other lacks",
			expr: "rate(api_requests_total[5m])\n  / on (instance, job, route) group_left\nrate(api_request_duration_seconds_count[5m])\n/ api_workers",
			want: []string{`q0:4:1: left side of "/" has labels {code, instance, job, method, route}, right side {instance, job}: no series can match, so the result is always empty; add on (instance, job) or ignoring (code, method, route)`},
		},
		{
			name: "reports an on label that only one side carries",
			expr: "api_queue_depth / on (instance, queue) api_workers",
			want: []string{`q0:1:17: on (instance, queue): left side of "/" carries {instance, queue}, right side {instance}: no series can match, so the result is always empty; use on (instance)`},
		},
		{
			name: "reports an ignoring list that leaves a difference",
			expr: "api_queue_depth / ignoring (instance) api_workers",
			want: []string{`q0:1:17: ignoring (instance): left side of "/" still has labels {job, queue}, right side {job}: no series can match, so the result is always empty; use on (job) or ignoring (instance, queue)`},
		},
		{
			name: "reports comparisons and and between vectors",
			expr: "api_queue_depth > api_workers and api_build_info",
			want: []string{
				`q0:1:17: left side of ">" has labels {instance, job, queue}, right side {instance, job}: no series can match, so the result is always empty; add on (instance, job) or ignoring (queue)`,
				`q0:1:31: left side of "and" has labels {instance, job, queue}, right side {instance, job, revision, version}: no series can match, so the result is always empty; add on (instance, job) or ignoring (queue, revision, version)`,
			},
		},
		{
			name: "reports unless that never removes anything",
			expr: "api_queue_depth unless api_workers",
			want: []string{`q0:1:17: left side of "unless" has labels {instance, job, queue}, right side {instance, job}: no series can match, so unless never removes anything; add on (instance, job) or ignoring (queue)`},
		},
		{
			name: "finds the operator after a comment",
			expr: "api_queue_depth # depth\n  # per queue\n  * api_workers",
			want: []string{`q0:3:3: left side of "*" has labels {instance, job, queue}, right side {instance, job}: no series can match, so the result is always empty; add on (instance, job) or ignoring (queue)`},
		},
		{
			name: "accepts or",
			expr: "api_queue_depth or api_workers",
		},
		{
			name: "accepts scalars",
			expr: "sum(api_workers) / scalar(sum(api_queue_depth)) > 2",
		},
		{
			name: "accepts vector()",
			expr: "api_workers - vector(1)",
		},
		{
			name: "accepts sides with the same labels",
			expr: "sum by (job) (rate(api_requests_total{code=~\"5..\"}[5m])) / sum by (job) (rate(api_requests_total[5m]))",
		},
		{
			name: "accepts matching made equal by on, ignoring and group_left",
			expr: "api_queue_depth * on (instance) group_left (version) api_build_info + ignoring (queue, version) group_left api_workers",
		},
		{
			name: "accepts an on label that neither side carries",
			expr: "sum(api_queue_depth) / on (shard) sum(api_workers)",
		},
		{
			name: "ignores sides whose labels are unknown",
			expr: "rate(undefined_total[5m]) / rate(api_requests_total[5m]) + {__name__=~\"api_.*\"} / api_workers",
		},
		{
			name: "ignores grafana variables in by and on clauses",
			expr: "grafana:sum by ($group) (rate(api_requests_total[$__rate_interval])) / sum by (job) (rate(api_requests_total[$__rate_interval])) + api_queue_depth / on ($dim) api_workers",
		},
		{
			name: "takes a grafana variable in a matcher value as matching",
			expr: "grafana:sum by (job) (api_queue_depth{queue=~\"$queue\"}) / sum by (job) (api_workers{job=~\"$job\"})",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := findings(t, exprProject(testFamilies, tt.expr), VectorMatching)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("findings mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
