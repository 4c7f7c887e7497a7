package docread

import (
	"io/fs"
	"os"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
)

func TestMarkdown(t *testing.T) {
	tests := []struct {
		name      string
		paths     []string
		want      []Family
		wantWarns []string
	}{
		{
			name:  "reads kube-state-metrics tables with every label form, merges a doubled name and reports bad rows",
			paths: []string{"md/pod-metrics.md", "md/pod-metrics-more.md"},
			want: []Family{
				{Name: "kube_ingress_path", Type: "gauge", Labels: []string{"ingress", "service_name"}},
				{Name: "kube_node_mixed", Type: "gauge", Labels: []string{"node", "reason"}},
				{Name: "kube_node_spec_taint", Type: "gauge", Labels: []string{"effect", "key", "node", "value"}},
				{Name: "kube_pod_bad_label", Type: "gauge", Labels: []string{"pod"}},
				{Name: "kube_pod_container_resource_requests", Type: "counter", Help: "Requested resources, unit=core is a value", Labels: []string{"pod", "resource"}},
				{Name: "kube_pod_info", Type: "gauge", Help: "Information about pod", Labels: []string{"namespace", "node", "pod", "uid"}},
				{Name: "kube_pod_labels", Type: "gauge", Help: "Kubernetes labels converted to Prometheus labels", Labels: []string{"label_POD_LABEL", "pod"}},
				{Name: "kube_pod_owner", Type: "gauge", Labels: []string{"owner_kind", "pod"}},
				{Name: "kube_pod_restarts", Help: "Number of restarts", Labels: []string{"pod"}},
				{Name: "kube_pod_start_time", Type: "gauge", Help: "pod=<pod-name>"},
				{Name: "kube_pod_status_phase", Type: "gauge", Help: "The pods current phase", Labels: []string{"phase", "pod"}},
			},
			wantWarns: []string{
				"md/pod-metrics.md:8: kube_pod_start_time: row has 3 cells, no labels cell",
				`md/pod-metrics.md:9: kube_pod_restarts: type cell holds the stability level "STABLE" (a missing cell?)`,
				`md/pod-metrics.md:10: "see the notes below" is not a metric name`,
				"md/pod-metrics-more.md:8: kube_pod_status_phase is typed counter here and gauge at md/pod-metrics.md:7; keeping gauge",
				`md/pod-metrics-more.md:10: kube_pod_bad_label: "bad-label" is not a label name`,
			},
		},
		{
			name:  "reads cAdvisor's table without outer pipes and with names in code",
			paths: []string{"md/cadvisor.md"},
			want: []Family{
				{Name: "container_cpu_usage_seconds_total", Type: "counter", Help: "Cumulative cpu time consumed"},
				{Name: "container_memory_usage_bytes", Type: "gauge", Help: "Current memory usage"},
				{Name: "container_spec_cpu_quota", Help: "CPU quota of the container"},
				{Name: "container_tasks_state", Type: "gauge", Help: "Number of tasks in given state"},
			},
			wantWarns: []string{`md/cadvisor.md:8: container_spec_cpu_quota: type cell "TBD" names no metric type`},
		},
		{
			name:  "skips tables that are not metric tables without a warning",
			paths: []string{"md/stages.md"},
		},
	}
	fsys := testFS(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, warns, err := Markdown(fsys, tt.paths)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("families (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantWarns, warns); diff != "" {
				t.Errorf("warnings (-want +got):\n%s", diff)
			}
		})
	}
}

func TestExposition(t *testing.T) {
	tests := []struct {
		name      string
		paths     []string
		want      []Family
		wantWarns []string
	}{
		{
			name:  "reads families, merges a doubled name and reads past a bad line",
			paths: []string{"expo/a.prom", "expo/b.prom"},
			want: []Family{
				{Name: "http_requests_total", Type: "counter", Help: "Requests served.", Labels: []string{"code", "handler", "method"}},
				{Name: "no_type_metric", Type: "gauge", Labels: []string{"shard"}},
				{Name: "request_seconds", Type: "histogram", Help: "Request latency.", Labels: []string{"handler"}},
				{Name: "rpc_quantiles", Type: "summary", Help: "RPC latency quantiles.", Labels: []string{"service"}},
				{Name: "temperature", Type: "gauge", Labels: []string{"room"}},
			},
			wantWarns: []string{`expo/b.prom:4: expected float as value, got "line"`},
		},
		{
			name:  "leaves the type empty without a TYPE line",
			paths: []string{"expo/a.prom"},
			want: []Family{
				{Name: "http_requests_total", Type: "counter", Help: "Requests served.", Labels: []string{"code", "method"}},
				{Name: "no_type_metric", Labels: []string{"shard"}},
				{Name: "request_seconds", Type: "histogram", Help: "Request latency.", Labels: []string{"handler"}},
				{Name: "rpc_quantiles", Type: "summary", Help: "RPC latency quantiles.", Labels: []string{"service"}},
			},
		},
		{
			name:      "skips a byte-order mark and reports an empty file",
			paths:     []string{"expo/bom.prom", "expo/empty.prom"},
			want:      []Family{{Name: "bom_metric", Type: "gauge"}},
			wantWarns: []string{"expo/empty.prom: no metric families"},
		},
	}
	fsys := testFS(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, warns, err := Exposition(fsys, tt.paths)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("families (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantWarns, warns); diff != "" {
				t.Errorf("warnings (-want +got):\n%s", diff)
			}
		})
	}
}

func TestExpositionStopsAfterTooManyErrors(t *testing.T) {
	var src []byte
	for range maxParseErrors + 5 {
		src = append(src, "bad line here\n"...)
	}
	src = append(src, "# TYPE ok gauge\nok 1\n"...)
	got, warns, err := Exposition(fstest.MapFS{"x.prom": {Data: src}}, []string{"x.prom"})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 0 {
		t.Errorf("families = %v, want none: the file is not read past the bound", got)
	}
	if n := len(warns); n != maxParseErrors+1 || warns[n-1] != "x.prom: more than 100 parse errors; the rest of the file is not read" {
		t.Errorf("warnings = %d, last %q", n, warns[n-1])
	}
}

func TestKubernetesList(t *testing.T) {
	src, err := os.ReadFile("testdata/k8s/documentation-list.yaml")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		src       string
		want      []Family
		wantWarns []string
		wantErr   bool
	}{
		{
			name: "joins names as BuildFQName, merges a doubled name and reports bad entries",
			src:  string(src),
			want: []Family{
				{Name: "apiserver_flowcontrol_priority_level_seat_utilization", Type: "histogram", Help: "Observations of utilization of seats", Labels: []string{"phase", "priority_level"}},
				{Name: "etcd_version_info", Type: "gauge", Help: "Etcd server's binary version", Labels: []string{"binary_version"}},
				{Name: "node_collector_evictions_total", Type: "counter", Help: "Number of Node evictions.", Labels: []string{"reason", "zone"}},
				{Name: "pv_collector_bound_pv_count", Help: "Gauge measuring number of persistent volume currently bound", Labels: []string{"storage_class"}},
				{Name: "weird_type", Help: "A type no one knows."},
			},
			wantWarns: []string{
				`documentation-list.yaml:41: weird_type: type "Gaugeish" names no metric type`,
				`documentation-list.yaml:45: "bad-name" is not a metric name`,
				"documentation-list.yaml:49: entry not read: yaml: unmarshal errors: line 51: cannot unmarshal !!str `zone` into []string",
				"documentation-list.yaml:52: entry has no name",
			},
		},
		{name: "reads an empty list", src: ""},
		{name: "rejects a document that is not a list", src: "name: x\n", wantErr: true},
		{name: "rejects YAML that does not parse", src: "- name: [x\n", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, warns, err := KubernetesList([]byte(tt.src))
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want error: %v", err, tt.wantErr)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("families (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantWarns, warns); diff != "" {
				t.Errorf("warnings (-want +got):\n%s", diff)
			}
		})
	}
}

func TestNormType(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"Gauge", "gauge", true},
		{"counter", "counter", true},
		{"`prometheus.CounterVec`", "counter", true},
		{"Histogram", "histogram", true},
		{"TimingRatioHistogram", "histogram", true},
		{"SUMMARY", "summary", true},
		{"untyped", "untyped", true},
		{"StateSet", "stateset", true},
		{"Custom", "", true},
		{"", "", true},
		{"STABLE", "", false},
		{"TBD", "", false},
	}
	for _, tt := range tests {
		got, ok := normType(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("normType(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestReadErrors(t *testing.T) {
	fsys := fstest.MapFS{}
	if _, _, err := Markdown(fsys, []string{"missing.md"}); err == nil {
		t.Error("Markdown: no error for a missing file")
	}
	if _, _, err := Exposition(fsys, []string{"missing.prom"}); err == nil {
		t.Error("Exposition: no error for a missing file")
	}
}

func testFS(t *testing.T) fs.FS {
	t.Helper()
	return os.DirFS("testdata")
}
