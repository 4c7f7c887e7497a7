package promql

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/prometheus/prometheus/promql/parser"
)

// fakeResolver maps metric names to their labels.
type fakeResolver map[string][]string

func (f fakeResolver) MetricLabels(name string) ([]string, bool) {
	l, ok := f[name]
	return l, ok
}

var testResolver = fakeResolver{
	"http_requests_total":                  {"job", "instance", "code", "method"},
	"http_request_duration_seconds_bucket": {"job", "instance", "le"},
	"http_request_duration_seconds":        {"job", "instance"},
	"node_cpu_seconds_total":               {"instance", "job", "cpu", "mode"},
	"kube_pod_info":                        {"namespace", "pod", "node"},
	"up":                                   {"job", "instance"},
	"team_info":                            {"job", "team"},
	"build_info":                           {},
}

var testParser = parser.NewParser(parser.Options{
	EnableExperimentalFunctions: true,
	EnableBinopFillModifiers:    true,
})

func mustParse(t *testing.T, s string) parser.Expr {
	t.Helper()
	e, err := testParser.ParseExpr(s)
	if err != nil {
		t.Fatalf("parse %q: %v", s, err)
	}
	return e
}

// set builds a known LabelSet for the tests.
func set(names ...string) LabelSet {
	return LabelSet{Known: true, Labels: names}
}

// cmpSet compares sets, treating nil and empty label lists alike.
var cmpSet = cmpopts.EquateEmpty()

var unknownSet = LabelSet{}

func TestInfer(t *testing.T) {
	tests := []struct {
		name, expr string
		want       LabelSet
	}{
		// Selectors.
		{"a plain selector carries the metric's labels", `up`, set("instance", "job")},
		{"a metric without labels gives an empty known set", `build_info`, set()},
		{"an unknown metric gives an unknown set", `nope_total`, unknownSet},
		{"a regex metric name gives an unknown set", `{__name__=~"http_.*"}`, unknownSet},
		{"a __name__ equality matcher names the metric", `{__name__="up"}`, set("instance", "job")},
		{"a quoted metric name is read from the __name__ matcher", `{"up", job="api"}`, set("instance", "job")},
		{"a Grafana stand-in metric name gives an unknown set", `__gv_metric`, unknownSet},
		{"a Grafana stand-in label matcher gives an unknown set", `up{__gv_label="x"}`, unknownSet},
		{"an equality matcher adds a label the metric does not declare", `up{env="prod"}`, set("env", "instance", "job")},
		{"a regex matcher that can match non-empty values adds its label", `up{env=~"prod|"}`, set("env", "instance", "job")},
		{"a not-empty matcher adds its label", `up{env!=""}`, set("env", "instance", "job")},
		{"a negative matcher neither adds nor removes a label", `up{env!="prod", job!="x"}`, set("instance", "job")},
		{"an empty equality matcher removes the label", `http_requests_total{code=""}`, set("instance", "job", "method")},
		{"an empty regex matcher removes the label", `up{job=~""}`, set("instance")},
		{"a not-regex .+ matcher removes the label", `up{instance!~".+"}`, set("job")},
		{"matchers on an unknown metric keep the set unknown", `nope{job="api"}`, unknownSet},

		// Pass-through nodes.
		{"a range selector passes its labels through", `rate(http_requests_total[5m])`, set("code", "instance", "job", "method")},
		{"offset and @ modifiers do not change labels", `up offset 5m @ 1700000000`, set("instance", "job")},
		{"a subquery passes its labels through", `max_over_time(rate(http_requests_total[5m])[1h:5m] offset 1h)`, set("code", "instance", "job", "method")},
		{"parentheses pass labels through", `((up))`, set("instance", "job")},
		{"unary minus keeps labels", `-up`, set("instance", "job")},

		// Aggregations.
		{"sum by keeps only the grouping labels", `sum by (job) (rate(http_requests_total[5m]))`, set("job")},
		{"sum by drops grouping labels the input does not carry", `sum by (job, pod) (up)`, set("job")},
		{"sum by over an unknown metric gives the grouping labels", `sum by (job) (nope)`, set("job")},
		{"sum without removes the listed labels", `sum without (instance) (http_requests_total)`, set("code", "job", "method")},
		{"sum without over an unknown metric stays unknown", `sum without (instance) (nope)`, unknownSet},
		{"an aggregation without grouping has no labels", `sum(up)`, set()},
		{"an aggregation without grouping over an unknown metric has no labels", `count(nope)`, set()},
		{"a Grafana stand-in in by gives an unknown set", `sum by (__gv_group) (up)`, unknownSet},
		{"a Grafana stand-in in without gives an unknown set", `avg without (__gv_group) (up)`, unknownSet},
		{"quantile groups like sum", `quantile by (job) (0.9, up)`, set("job")},
		{"nested aggregations narrow the labels step by step", `max by (job) (sum by (job, instance) (up))`, set("job")},
		{"topk keeps the labels of its input", `topk(5, http_requests_total)`, set("code", "instance", "job", "method")},
		{"topk with by still keeps all input labels", `topk by (job) (1, up)`, set("instance", "job")},
		{"limitk keeps the labels of its input", `limitk(2, up)`, set("instance", "job")},
		{"count_values adds its value label to the by labels", `count_values by (job) ("version", up)`, set("job", "version")},
		{"count_values without grouping has only its value label", `count_values("v", up)`, set("v")},
		{"count_values without removes the value label when it is listed", `count_values without (instance, v) ("v", up)`, set("job")},

		// Functions.
		{"count_over_time keeps labels", `count_over_time(up[5m])`, set("instance", "job")},
		{"quantile_over_time reads its second argument", `quantile_over_time(0.9, up[5m])`, set("instance", "job")},
		{"predict_linear keeps labels", `predict_linear(node_cpu_seconds_total[1h], 3600)`, set("cpu", "instance", "job", "mode")},
		{"double_exponential_smoothing keeps labels", `double_exponential_smoothing(up[1h], 0.5, 0.5)`, set("instance", "job")},
		{"clamp and round keep labels", `round(clamp(up, 0, 1), 0.1)`, set("instance", "job")},
		{"sort_by_label keeps labels", `sort_by_label(up, "job")`, set("instance", "job")},
		{"histogram_quantile drops le", `histogram_quantile(0.99, sum by (le, job) (rate(http_request_duration_seconds_bucket[5m])))`, set("job")},
		{"histogram_quantile over buckets keeps the other labels", `histogram_quantile(0.9, rate(http_request_duration_seconds_bucket[5m]))`, set("instance", "job")},
		{"histogram_quantile over an unknown input stays unknown", `histogram_quantile(0.9, rate(nope_bucket[5m]))`, unknownSet},
		{"histogram_fraction drops le", `histogram_fraction(0, 0.2, rate(http_request_duration_seconds_bucket[5m]))`, set("instance", "job")},
		{"histogram_quantiles drops le and adds its quantile label", `histogram_quantiles(rate(http_request_duration_seconds_bucket[5m]), "q", 0.5, 0.9)`, set("instance", "job", "q")},
		{"histogram_count keeps labels", `histogram_count(rate(http_request_duration_seconds[5m]))`, set("instance", "job")},
		{"label_replace adds the destination label", `label_replace(up, "host", "$1", "instance", "(.*):.*")`, set("host", "instance", "job")},
		{"label_replace with an empty replacement and a match-all regex removes the destination", `label_replace(up, "instance", "", "job", ".*")`, set("job")},
		{"label_replace with an empty replacement of a missing source removes the destination", `label_replace(up, "job", "", "nope", "")`, set("instance")},
		{"label_replace with an empty replacement and a selective regex keeps the destination", `label_replace(up, "job", "", "instance", "foo.*")`, set("instance", "job")},
		{"label_replace with a stand-in destination gives an unknown set", `label_replace(up, "__gv_dst", "x", "job", ".*")`, unknownSet},
		{"label_join adds the destination label", `label_join(up, "target", "/", "job", "instance")`, set("instance", "job", "target")},
		{"label_join of only missing sources removes the destination", `label_join(up, "job", ",", "nope")`, set("instance")},
		{"absent keeps only the equality matcher labels", `absent(up{job="api", instance=~"a.*"})`, set("job")},
		{"absent of an unknown metric is still known", `absent(nope{env="prod"})`, set("env")},
		{"absent drops a label matched twice", `absent(up{job="api", job!="x", env="prod"})`, set("env")},
		{"absent_over_time reads the range selector's matchers", `absent_over_time(nope{job="api"}[5m])`, set("job")},
		{"absent of an aggregation has no labels", `absent(sum(up))`, set()},
		{"vector has no labels", `vector(1)`, set()},
		{"a number literal is an empty known set", `42`, set()},
		{"a string literal is an empty known set", `"hello"`, set()},
		{"time is an empty known set", `time()`, set()},
		{"scalar is an empty known set", `scalar(up)`, set()},
		{"hour without arguments has no labels", `hour()`, set()},
		{"hour of a vector keeps its labels", `hour(timestamp(up))`, set("instance", "job")},
		{"info gives an unknown set", `info(up)`, unknownSet},

		// Binary operations.
		{"scalar times vector takes the vector side", `2 * up`, set("instance", "job")},
		{"vector divided by a scalar function takes the vector side", `rate(node_cpu_seconds_total[5m]) / scalar(sum(up))`, set("cpu", "instance", "job", "mode")},
		{"a comparison with bool against a scalar keeps the vector labels", `up > bool 0`, set("instance", "job")},
		{"one-to-one arithmetic takes the left-hand labels", `http_requests_total / up`, set("code", "instance", "job", "method")},
		{"on keeps only the listed labels in one-to-one matching", `rate(http_requests_total[5m]) / on (job, instance) up`, set("instance", "job")},
		{"ignoring removes the listed labels in one-to-one matching", `http_requests_total / ignoring (code) up`, set("instance", "job", "method")},
		{"a vector comparison with bool follows on like arithmetic", `http_requests_total > bool on (job, instance) up`, set("instance", "job")},
		{"on over an unknown left-hand side gives the on labels", `nope / on (job) up`, set("job")},
		{"arithmetic with an unknown left-hand side is unknown", `nope / up`, unknownSet},
		{"a Grafana stand-in in on gives an unknown set", `up / on (__gv_x) up`, unknownSet},
		{"group_left adds the extra labels from the right-hand side", `up * on (job) group_left (team) team_info`, set("instance", "job", "team")},
		{"group_left of a label the right-hand side lacks removes it", `http_requests_total * on (job) group_left (code) team_info`, set("instance", "job", "method")},
		{"group_left with an unknown right-hand side adds the extra labels", `up * on (job) group_left (team) nope`, set("instance", "job", "team")},
		{"group_left keeps all left-hand labels", `http_requests_total / ignoring (code) group_left sum without (code) (http_requests_total)`, set("code", "instance", "job", "method")},
		{"group_right takes the right-hand labels plus the extras", `team_info * on (job) group_right (team) up`, set("instance", "job", "team")},
		{"a Grafana stand-in in group_left gives an unknown set", `up * on (job) group_left (__gv_x) team_info`, unknownSet},
		{"fill adds the match labels of unmatched right-hand series", `kube_pod_info + ignoring (node) fill(0) up`, set("instance", "job", "namespace", "pod")},
		{"and takes the left-hand labels", `up and on (job) team_info`, set("instance", "job")},
		{"unless takes the left-hand labels", `http_requests_total unless up`, set("code", "instance", "job", "method")},
		{"and with an unknown right-hand side keeps the left-hand labels", `up and nope`, set("instance", "job")},
		{"or unions both sides", `up or kube_pod_info`, set("instance", "job", "namespace", "node", "pod")},
		{"or with an unknown side is unknown", `up or nope`, unknownSet},
		{"or vector(0) keeps the left-hand labels", `sum by (job) (up) or vector(0)`, set("job")},
		{"vector(1) on the left of arithmetic has no labels", `vector(1) * on () group_left sum(up)`, set()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Infer(mustParse(t, tt.expr), testResolver)
			if diff := cmp.Diff(tt.want, got, cmpSet); diff != "" {
				t.Errorf("Infer(%s) mismatch (-want +got):\n%s", tt.expr, diff)
			}
		})
	}
}

func TestLabelSetHas(t *testing.T) {
	tests := []struct {
		name  string
		set   LabelSet
		label string
		want  bool
	}{
		{"a known set has its labels", set("instance", "job"), "job", true},
		{"a known set lacks other labels", set("instance", "job"), "team", false},
		{"an empty known set has nothing", set(), "job", false},
		{"an unknown set gives the benefit of the doubt", unknownSet, "team", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.set.Has(tt.label); got != tt.want {
				t.Errorf("%v.Has(%q) = %v, want %v", tt.set, tt.label, got, tt.want)
			}
		})
	}
}

func TestIsVariable(t *testing.T) {
	tests := []struct {
		name, input string
		want        bool
	}{
		{"a stand-in is a variable", "__gv_group", true},
		{"a stand-in spliced into a longer name is a variable", "node___gv_suffix_total", true},
		{"a plain label is not a variable", "job", false},
		{"the metric name label is not a variable", "__name__", false},
		{"a name without the double underscore is not a variable", "gv_group", false},
		{"the empty name is not a variable", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := IsVariable(tt.input); got != tt.want {
				t.Errorf("IsVariable(%q) = %v, want %v", tt.input, got, tt.want)
			}
		})
	}
}

func TestMatchLabels(t *testing.T) {
	tests := []struct {
		name, expr string
		lhs, rhs   LabelSet
	}{
		{
			"without modifiers both sides match on all their labels", `http_requests_total / up`,
			set("code", "instance", "job", "method"), set("instance", "job"),
		},
		{
			"on matches both sides on the listed labels", `http_requests_total / on (job, instance) up`,
			set("instance", "job"), set("instance", "job"),
		},
		{
			"on keeps only the listed labels a side carries", `up / on (team) team_info`,
			set(), set("team"),
		},
		{
			"ignoring removes the listed labels from both sides", `http_requests_total / ignoring (code, method) up`,
			set("instance", "job"), set("instance", "job"),
		},
		{
			"group_left matches on the on labels", `up * on (job) group_left (team) team_info`,
			set("job"), set("job"),
		},
		{
			"set operators match like arithmetic", `up and on (job) team_info`,
			set("job"), set("job"),
		},
		{
			"an unknown side gives an unknown set for that side only", `nope / on (job) up`,
			unknownSet, set("job"),
		},
		{
			"a Grafana stand-in in on gives unknown sets", `up / on (__gv_x) up`,
			unknownSet, unknownSet,
		},
		{
			"a scalar operand gives unknown sets", `up * 2`,
			unknownSet, unknownSet,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, ok := mustParse(t, tt.expr).(*parser.BinaryExpr)
			if !ok {
				t.Fatalf("%s is not a binary expression", tt.expr)
			}
			lhs, rhs := MatchLabels(b, testResolver)
			if diff := cmp.Diff(tt.lhs, lhs, cmpSet); diff != "" {
				t.Errorf("MatchLabels(%s) lhs mismatch (-want +got):\n%s", tt.expr, diff)
			}
			if diff := cmp.Diff(tt.rhs, rhs, cmpSet); diff != "" {
				t.Errorf("MatchLabels(%s) rhs mismatch (-want +got):\n%s", tt.expr, diff)
			}
		})
	}
}

func TestMatchLabelsNil(t *testing.T) {
	lhs, rhs := MatchLabels(nil, testResolver)
	if lhs.Known || rhs.Known {
		t.Errorf("MatchLabels(nil) = %v, %v, want unknown sets", lhs, rhs)
	}
}
