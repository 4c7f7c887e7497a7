package rules

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/driftlint/driftlint/lint"
	"github.com/driftlint/driftlint/lint/linttest"
	"github.com/driftlint/driftlint/lint/promql"
)

func TestLabelUnknown(t *testing.T) {
	linttest.Run(t, "../fixtures/label-unknown", LabelUnknown)
}

// testFamilies is the exposition of the unit tests below.
var testFamilies = []string{
	"counter api_requests_total code method route",
	"histogram api_request_duration_seconds route",
	"gauge api_queue_depth queue",
	"gauge api_build_info revision version",
	"gauge api_workers",
	"counter node_cpu_seconds_total cpu mode",
	"gauge node_memory_free_bytes",
	"gauge node_load1",
	"gauge node_disk_io_now device",
	"gauge api_tenant_jobs namespace",
	"gauge kube_pod_labels namespace pod label_app",
	"gauge kube_node_annotations node",
}

// exprProject builds a project from an exposition of families ("type name label…") and one
// query per expression; an expression starting with "grafana:" is a dashboard target.
func exprProject(families []string, exprs ...string) *lint.Project {
	p := &lint.Project{}
	expo := &lint.Exposition{Families: map[string]*lint.Family{}}
	for _, spec := range families {
		f := strings.Fields(spec)
		labels := slices.Clone(f[2:])
		slices.Sort(labels)
		sample := lint.Sample{Name: f[1], Labels: map[string]string{}}
		for _, l := range labels {
			sample.Labels[l] = "x"
		}
		fam := &lint.Family{Name: f[1], Type: f[0], Labels: labels, Expo: expo, Samples: []lint.Sample{sample}}
		expo.Families[fam.Name] = fam
		expo.Order = append(expo.Order, fam.Name)
	}
	empty := &lint.Family{Name: "api_empty_total", Type: "counter", Expo: expo}
	expo.Families[empty.Name] = empty
	expo.Order = append(expo.Order, empty.Name)
	p.Expositions = []*lint.Exposition{expo}
	for i, e := range exprs {
		grafana := strings.HasPrefix(e, "grafana:")
		e = strings.TrimPrefix(e, "grafana:")
		f := lint.NewSourceFile(fmt.Sprintf("q%d", i), []byte(e))
		p.Files = append(p.Files, f)
		span := lint.VerbatimSpan(f, 0, len(e))
		if grafana {
			p.Queries = append(p.Queries, promql.NewGrafanaQuery(span, lint.OriginDashboard, "panel"))
		} else {
			p.Queries = append(p.Queries, promql.NewQuery(span, lint.OriginRunbook, ""))
		}
	}
	return p
}

// findings runs rule over p and formats each finding as "file:line:col: message".
func findings(t *testing.T, p *lint.Project, rule *lint.Rule) []string {
	t.Helper()
	for _, q := range p.Queries {
		if q.Err != nil {
			t.Fatalf("query %q does not parse: %v", q.Text.Value, q.Err)
		}
	}
	res := lint.Run(p, []*lint.Rule{rule}, lint.RunOptions{Workers: 1})
	for _, err := range res.Internal {
		t.Fatal(err)
	}
	var out []string
	for _, f := range res.Findings {
		out = append(out, fmt.Sprintf("%s: %s", f.Pos, f.Message))
	}
	return out
}

func TestLabelUnknownInQueries(t *testing.T) {
	tests := []struct {
		name string
		expr string
		want []string
	}{
		{
			name: "reports a matcher on a label the metric lacks, at the label",
			expr: `rate(api_requests_total{routes="/pay", code="500"}[5m])`,
			want: []string{`q0:1:25: matcher routes="/pay" selects nothing: metric "api_requests_total" has no label "routes" (its labels: code, instance, job, method, route) (did you mean "route"?)`},
		},
		{
			name: "reports a quoted label name in a matcher",
			expr: `api_queue_depth{"shard"="a"}`,
			want: []string{`q0:1:18: matcher shard="a" selects nothing: metric "api_queue_depth" has no label "shard" (its labels: instance, job, queue)`},
		},
		{
			name: "accepts matchers that can match a missing label",
			expr: `api_queue_depth{shard="", zone!="a", tier!~"x|y", lane=~"|fast", pool=~".*"}`,
		},
		{
			name: "accepts job, instance, le on buckets and quantile-free histograms",
			expr: `api_request_duration_seconds_bucket{job="api", instance="a:1", le="0.5", route="/"}`,
		},
		{
			name: "reports le on a histogram's _count series",
			expr: `api_request_duration_seconds_count{le="0.5"}`,
			want: []string{`q0:1:36: matcher le="0.5" selects nothing: metric "api_request_duration_seconds_count" has no label "le" (its labels: instance, job, route)`},
		},
		{
			name: "reports a by label the aggregated input lacks, at the label in a trailing clause",
			expr: "sum(rate(api_requests_total[5m])) by (job, handler)",
			want: []string{`q0:1:44: label "handler" in sum by (…) is not on the aggregated series {code, instance, job, method, route}, so the result never carries it`},
		},
		{
			name: "reports a without label on a later line, skipping a comment",
			expr: "max without (\n  # the shard label\n  shard\n) (api_queue_depth)",
			want: []string{`q0:3:3: label "shard" in max without (…) is not on the aggregated series {instance, job, queue}, so without removes nothing`},
		},
		{
			name: "checks grouping against an inner aggregation's result",
			expr: "sum by (route) (sum by (code) (rate(api_requests_total[5m])))",
			want: []string{`q0:1:9: label "route" in sum by (…) is not on the aggregated series {code}, so the result never carries it`},
		},
		{
			name: "accepts the label count_values adds",
			expr: `count by (v) (count_values("v", api_build_info))`,
		},
		{
			name: "accepts count_values grouping by its own label",
			expr: `count_values("v", api_build_info) by (v)`,
		},
		{
			name: "reports an on label on neither side, once",
			expr: "api_queue_depth * on (instance, queue_id) group_left (version) api_build_info",
			want: []string{`q0:1:33: label "queue_id" in on (…) is on neither side of "*" (left {instance, job, queue}, right {instance, job, revision, version})`},
		},
		{
			name: "accepts an ignoring label on one side only",
			expr: "sum by (route, code) (rate(api_requests_total[5m])) / ignoring (code) group_left sum by (route) (rate(api_requests_total[5m]))",
		},
		{
			name: "reports an ignoring label on neither side",
			expr: "api_queue_depth / ignoring (shard) api_workers",
			want: []string{`q0:1:29: label "shard" in ignoring (…) is on neither side of "/" (left {instance, job, queue}, right {instance, job})`},
		},
		{
			name: "reports a group_left label the one side lacks",
			expr: "api_queue_depth * on (instance) group_left (release) api_build_info",
			want: []string{`q0:1:45: label "release" in group_left (…) is not on the right side {instance, job, revision, version}, so the result never carries it`},
		},
		{
			name: "reports a group_right label the left side lacks",
			expr: "api_build_info * on (instance) group_right (queue) api_queue_depth",
			want: []string{`q0:1:45: label "queue" in group_right (…) is not on the left side {instance, job, revision, version}, so the result never carries it`},
		},
		{
			name: "reports a label_replace source its input lacks",
			expr: `label_replace(api_queue_depth, "q", "$1", "queue_name", "(.+)")`,
			want: []string{`q0:1:44: label_replace reads label "queue_name" that its input {instance, job, queue} never carries, so it replaces nothing`},
		},
		{
			name: "accepts a label_replace whose regex matches the empty source",
			expr: `label_replace(api_queue_depth, "tier", "gold", "nothing", ".*")`,
		},
		{
			name: "accepts a by label that label_replace adds",
			expr: `sum by (q) (label_replace(api_queue_depth, "q", "$1", "queue", "(.+)"))`,
		},
		{
			name: "ignores families whose label names depend on the exporter's flags",
			expr: `kube_pod_labels{label_team="a"} + on (pod) group_left kube_node_annotations{annotation_owner="b"}`,
		},
		{
			name: "suggests a label one edit away from a short name",
			expr: "sum by (cote) (rate(api_requests_total[5m]))",
			want: []string{`q0:1:9: label "cote" in sum by (…) is not on the aggregated series {code, instance, job, method, route}, so the result never carries it (did you mean "code"?)`},
		},
		{
			name: "does not suggest a label two edits from a short name",
			expr: "sum by (cage) (rate(api_requests_total[5m]))",
			want: []string{`q0:1:9: label "cage" in sum by (…) is not on the aggregated series {code, instance, job, method, route}, so the result never carries it`},
		},
		{
			name: "ignores reserved labels such as __name__",
			expr: `count by (__name__) (api_workers{__type__="gauge"})`,
		},
		{
			name: "ignores families without samples",
			expr: `sum by (route) (api_empty_total{route="/"})`,
		},
		{
			name: "ignores unknown metrics and regex names",
			expr: `sum by (x) (rate(undefined_total{y="1"}[5m])) + sum by (z) ({__name__=~"api_.*", w="1"})`,
		},
		{
			name: "accepts conventional target labels that no family of the exporter carries",
			expr: `sum by (cluster, zone) (api_queue_depth{cluster="eu1"})`,
		},
		{
			name: "ignores grafana variables in values, ranges and by clauses",
			expr: `grafana:sum by ($group, job) (rate(api_requests_total{job=~"$job", tenant=~"$tenant", shard="${shard}"}[$__rate_interval]))`,
		},
		{
			name: "ignores a dashboard matcher whose only variable is inside its value",
			expr: `grafana:max(api_queue_depth{owner_team="$team"})`,
		},
		{
			name: "reports a dashboard matcher with a fixed value on a label the metric lacks",
			expr: `grafana:max(api_queue_depth{owner_team="payments"})`,
			want: []string{`q0:1:21: matcher owner_team="payments" selects nothing: metric "api_queue_depth" has no label "owner_team" (its labels: instance, job, queue)`},
		},
		{
			name: "still reports a plain label next to a grafana variable in by",
			expr: `grafana:sum by ($group, handler) (rate(api_requests_total{job=~"$job"}[$__rate_interval]))`,
			want: []string{`q0:1:17: label "handler" in sum by (…) is not on the aggregated series {code, instance, job, method, route}, so the result never carries it`},
		},
		{
			name: "maps positions through a grafana macro before the label",
			expr: `grafana:sum(rate(api_requests_total[$__rate_interval])) by (hndlr)`,
			want: []string{`q0:1:53: label "hndlr" in sum by (…) is not on the aggregated series {code, instance, job, method, route}, so the result never carries it`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := findings(t, exprProject(testFamilies, tt.expr), LabelUnknown)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("findings mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestTargetLabelHeuristic(t *testing.T) {
	tests := []struct {
		name  string
		exprs []string
		want  []string
	}{
		{
			name: "takes a label used on three subsystems of an exporter that never exports it as a target label",
			exprs: []string{
				`node_cpu_seconds_total{datacentre="ams"}`,
				`sum by (datacentre) (node_memory_free_bytes)`,
				`node_load1{datacentre="ams"}`,
			},
		},
		{
			name: "reports a label used on two subsystems only",
			exprs: []string{
				`node_cpu_seconds_total{datacentre="ams"}`,
				`sum by (datacentre) (node_memory_free_bytes)`,
			},
			want: []string{
				`q0:1:24: matcher datacentre="ams" selects nothing: metric "node_cpu_seconds_total" has no label "datacentre" (its labels: cpu, instance, job, mode)`,
				`q1:1:9: label "datacentre" in sum by (…) is not on the aggregated series {instance, job}, so the result never carries it`,
			},
		},
		{
			name: "does not take a label that label_replace adds as a target label",
			exprs: []string{
				`sum by (team) (label_replace(node_cpu_seconds_total, "team", "a", "", ""))`,
				`sum by (team) (label_replace(node_memory_free_bytes, "team", "a", "", ""))`,
				`sum by (team) (label_replace(node_load1, "team", "a", "", ""))`,
				`node_disk_io_now{team="a"}`,
			},
			want: []string{
				`q3:1:18: matcher team="a" selects nothing: metric "node_disk_io_now" has no label "team" (its labels: device, instance, job)`,
			},
		},
		{
			name: "reports a label that the exporter exports on another family",
			exprs: []string{
				`node_cpu_seconds_total{device="sda"}`,
				`node_memory_free_bytes{device="sda"}`,
				`node_load1{device="sda"}`,
			},
			want: []string{
				`q0:1:24: matcher device="sda" selects nothing: metric "node_cpu_seconds_total" has no label "device" (its labels: cpu, instance, job, mode)`,
				`q1:1:24: matcher device="sda" selects nothing: metric "node_memory_free_bytes" has no label "device" (its labels: instance, job)`,
				`q2:1:12: matcher device="sda" selects nothing: metric "node_load1" has no label "device" (its labels: instance, job)`,
			},
		},
		{
			name:  "reports a conventional target label that the exporter exports elsewhere",
			exprs: []string{`api_workers{namespace="a"}`},
			want:  []string{`q0:1:13: matcher namespace="a" selects nothing: metric "api_workers" has no label "namespace" (its labels: instance, job)`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := findings(t, exprProject(testFamilies, tt.exprs...), LabelUnknown)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("findings mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestExportedTargetLabels(t *testing.T) {
	families := []string{
		"gauge fed_up job instance",
		"gauge kube_deployment_replicas namespace deployment",
		"gauge kube_tenant_quota tenant",
		"gauge api_workers",
	}
	tests := []struct {
		name         string
		targetLabels []string
		exprs        []string
		want         []string
	}{
		{
			name:  "accepts exported_job and exported_instance on a metric that carries job and instance",
			exprs: []string{`sum by (exported_job) (fed_up{exported_instance="a:1"})`},
		},
		{
			name:  "accepts exported_X for a conventional target label the metric carries",
			exprs: []string{`sum by (exported_namespace, deployment) (kube_deployment_replicas)`},
		},
		{
			name:  "reports exported_X on a metric that does not carry X",
			exprs: []string{`api_workers{exported_namespace="a"}`},
			want:  []string{`q0:1:13: matcher exported_namespace="a" selects nothing: metric "api_workers" has no label "exported_namespace" (its labels: instance, job)`},
		},
		{
			name:  "reports exported_X when X is not a target label",
			exprs: []string{`kube_tenant_quota{exported_tenant="a"}`},
			want:  []string{`q0:1:19: matcher exported_tenant="a" selects nothing: metric "kube_tenant_quota" has no label "exported_tenant" (its labels: instance, job, tenant)`},
		},
		{
			name:         "accepts exported_X for a label target_labels lists",
			targetLabels: []string{"tenant"},
			exprs:        []string{`kube_tenant_quota{exported_tenant="a"}`},
		},
		{
			name:         "drops the conventional names when target_labels lists others",
			targetLabels: []string{"tenant"},
			exprs:        []string{`kube_deployment_replicas{exported_namespace="a"}`},
			want:         []string{`q0:1:26: matcher exported_namespace="a" selects nothing: metric "kube_deployment_replicas" has no label "exported_namespace" (its labels: deployment, instance, job, namespace)`},
		},
		{
			name:         "keeps job and instance when target_labels lists others",
			targetLabels: []string{"tenant"},
			exprs:        []string{`fed_up{exported_job="a"}`},
		},
		{
			name:         "takes a label target_labels lists as a target label on metrics without it",
			targetLabels: []string{"tenant", "shard"},
			exprs:        []string{`api_workers{shard="a"}`},
		},
		{
			name:         "reports a conventional name that target_labels does not list",
			targetLabels: []string{"tenant"},
			exprs:        []string{`api_workers{cluster="a"}`},
			want:         []string{`q0:1:13: matcher cluster="a" selects nothing: metric "api_workers" has no label "cluster" (its labels: instance, job)`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := exprProject(families, tt.exprs...)
			p.Config = &lint.Config{TargetLabels: tt.targetLabels}
			got := findings(t, p, LabelUnknown)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("findings mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestClauseLabels(t *testing.T) {
	tests := []struct {
		name string
		text string
		kw   string
		want []labelTok
	}{
		{name: "finds a by list", text: "sum by (a, b) (x)", kw: "by", want: []labelTok{{name: "a", off: 8}, {name: "b", off: 11}}},
		{name: "matches keywords case-insensitively", text: "sum BY(a) (x)", kw: "by", want: []labelTok{{name: "a", off: 7}}},
		{name: "reads quoted names", text: `sum by ("a.b") (x)`, kw: "by", want: []labelTok{{name: "a.b", off: 9}}},
		{name: "skips comments and strings", text: "/ # on (x)\n on(\"y\", z)", kw: "on", want: []labelTok{{name: "y", off: 16}, {name: "z", off: 20}}},
		{name: "does not take group_left for on", text: "* group_left (a)", kw: "on", want: nil},
		{name: "finds group_left after on", text: "* on (a) group_left (b)", kw: "group_left", want: []labelTok{{name: "b", off: 21}}},
		{name: "reads an empty list", text: "/ on () ", kw: "on", want: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := clauseLabels(tt.text, [][2]int{{0, len(tt.text)}}, tt.kw)
			if diff := cmp.Diff(tt.want, got, cmp.AllowUnexported(labelTok{})); diff != "" {
				t.Errorf("clauseLabels mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLabelUnknownExportedTargetLabels(t *testing.T) {
	linttest.Run(t, "../fixtures/label-unknown-exported", LabelUnknown)
}
