package docsfix

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/driftlint/driftlint/lint"
)

func TestLabelDiff(t *testing.T) {
	tests := []struct {
		name         string
		doc          []string
		family       Family
		undocumented []string
		unexported   []string
	}{
		{
			name:         "a metric documented without labels lacks every exported label",
			family:       Family{Name: "websocket_client_lag_events_total", Type: "counter", Labels: []string{"severity"}},
			undocumented: []string{"severity"},
		},
		{
			name:         "labels on both sides are named each way",
			doc:          []string{"a", "b"},
			family:       Family{Name: "x", Type: "gauge", Labels: []string{"a", "c"}},
			undocumented: []string{"c"},
			unexported:   []string{"b"},
		},
		{
			name:   "job and instance are ignored on the documented side",
			doc:    []string{"queue", "job", "instance"},
			family: Family{Name: "x", Type: "gauge", Labels: []string{"queue"}},
		},
		{
			name:   "job is compared when the family exports it",
			doc:    []string{"job"},
			family: Family{Name: "x", Type: "gauge", Labels: []string{"job"}},
		},
		{
			name:   "le of a histogram and quantile of a summary are ignored",
			doc:    []string{"stage", "le", "quantile"},
			family: Family{Name: "x", Type: "histogram", Labels: []string{"stage"}},
			// quantile is no label of a histogram
			unexported: []string{"quantile"},
		},
		{
			name:   "a template stands for every label with its prefix, and for none",
			doc:    []string{"pod", "label_POD_LABEL", "annotation_POD_ANNOTATION"},
			family: Family{Name: "kube_pod_labels", Type: "gauge", Labels: []string{"label_app", "label_team", "pod"}},
		},
		{
			name:   "copied labels of a _labels family need no documentation",
			doc:    []string{"role"},
			family: Family{Name: "kube_role_labels", Type: "gauge", Labels: []string{"label_app", "role"}},
		},
		{
			name:         "copied-looking labels of other families do",
			doc:          []string{"role"},
			family:       Family{Name: "kube_role_info", Type: "gauge", Labels: []string{"label_app", "role"}},
			undocumented: []string{"label_app"},
		},
		{
			name:         "a renamed label shows on both sides",
			doc:          []string{"endpointslice", "nodename"},
			family:       Family{Name: "kube_endpointslice_endpoints", Type: "gauge", Labels: []string{"endpoint_nodename", "endpointslice"}},
			undocumented: []string{"endpoint_nodename"},
			unexported:   []string{"nodename"},
		},
		{
			name:   "a label documented twice counts once",
			doc:    []string{"a", "a"},
			family: Family{Name: "x", Type: "gauge", Labels: []string{"a"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u, x := LabelDiff(tt.doc, &tt.family)
			if d := cmp.Diff([2][]string{tt.undocumented, tt.unexported}, [2][]string{u, x}); d != "" {
				t.Errorf("LabelDiff (-want +got) [undocumented, unexported]:\n%s", d)
			}
		})
	}
}

func TestTypesAgree(t *testing.T) {
	tests := []struct {
		name            string
		docName, docTyp string
		family          Family
		want            bool
	}{
		{"the same type agrees", "x_total", "counter", Family{Name: "x_total", Type: "counter"}, true},
		{"a gauge documented as a counter does not", "x", "counter", Family{Name: "x", Type: "gauge"}, false},
		{"an untyped export says nothing", "x", "counter", Family{Name: "x", Type: "untyped"}, true},
		{"an unknown export says nothing", "x", "gauge", Family{Name: "x", Type: "unknown"}, true},
		{"a documented untyped says nothing", "x", "untyped", Family{Name: "x", Type: "gauge"}, true},
		{"a histogram documented on its _bucket row agrees", "x_bucket", "histogram", Family{Name: "x", Type: "histogram"}, true},
		{"counter on a _count row of a summary agrees", "x_count", "counter", Family{Name: "x", Type: "summary"}, true},
		{"counter on a histogram's base name does not", "x", "counter", Family{Name: "x", Type: "histogram"}, false},
		{"gauge on a _created row agrees", "x_created", "gauge", Family{Name: "x", Type: "counter"}, true},
		{"info agrees with a gauge", "x_info", "info", Family{Name: "x_info", Type: "gauge"}, true},
		{"stateset agrees with a gauge", "x", "stateset", Family{Name: "x", Type: "gauge"}, true},
		{"histogram agrees with a gauge histogram", "x", "histogram", Family{Name: "x", Type: "gaugehistogram"}, true},
		{"summary does not agree with a histogram", "x", "summary", Family{Name: "x", Type: "histogram"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := TypesAgree(tt.docName, tt.docTyp, &tt.family); got != tt.want {
				t.Errorf("TypesAgree(%q, %q, %s) = %v, want %v", tt.docName, tt.docTyp, tt.family.Type, got, tt.want)
			}
		})
	}
}

func TestTemplatePrefix(t *testing.T) {
	tests := []struct {
		label, prefix string
		ok            bool
	}{
		{"label_POD_LABEL", "label_", true},
		{"annotation_KEY", "annotation_", true},
		{"nodeselector_NODE_SELECTOR", "nodeselector_", true},
		{"metadata_METADATA_KEY", "metadata_", true},
		{"label_app", "", false},
		{"LABEL", "", false},
		{"pod_UID", "pod_", true},
		{"label_Pod", "", false},
		{"_X", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.label, func(t *testing.T) {
			p, ok := TemplatePrefix(tt.label)
			if p != tt.prefix || ok != tt.ok {
				t.Errorf("TemplatePrefix(%q) = %q, %v; want %q, %v", tt.label, p, ok, tt.prefix, tt.ok)
			}
		})
	}
}

func TestClientDefault(t *testing.T) {
	for name, want := range map[string]bool{
		"go_goroutines": true, "process_open_fds": true, "promhttp_metric_handler_requests_total": true,
		"python_gc_objects_collected_total": true, "jvm_memory_bytes_used": true, "target_info": true,
		"good_requests_total": false, "processor_jobs_total": false, "websocket_dlq_sends_total": false,
	} {
		if got := ClientDefault(name); got != want {
			t.Errorf("ClientDefault(%q) = %v, want %v", name, got, want)
		}
	}
}

func TestResolve(t *testing.T) {
	fams := []*lint.Family{
		{Name: "shop_orders_total", Type: "counter"},
		{Name: "shop_latency_seconds", Type: "histogram"},
		{Name: "shop_rpc_seconds", Type: "summary"},
		{Name: "worker_jobs", Type: "counter"}, // OpenMetrics: series worker_jobs_total
		{Name: "shop_items", Type: "gauge"},
	}
	e := &lint.Exposition{Families: map[string]*lint.Family{}}
	for _, f := range fams {
		e.Families[f.Name] = f
		e.Order = append(e.Order, f.Name)
		f.Expo = e
	}
	rule := &lint.RuleEntry{Kind: lint.RecordingRule, Name: "shop:orders:rate5m"}
	ix := For(&lint.Project{Expositions: []*lint.Exposition{e}, Rules: []*lint.RuleEntry{rule}})
	tests := []struct {
		name   string
		family string
		kind   lint.DefKind
	}{
		{"shop_orders_total", "shop_orders_total", lint.DefExported},
		{"shop_orders", "shop_orders_total", lint.DefExported},
		{"shop_latency_seconds_bucket", "shop_latency_seconds", lint.DefExported},
		{"shop_latency_seconds_count", "shop_latency_seconds", lint.DefExported},
		{"shop_rpc_seconds_sum", "shop_rpc_seconds", lint.DefExported},
		{"worker_jobs_total", "worker_jobs", lint.DefExported},
		{"worker_jobs", "worker_jobs", lint.DefExported},
		{"shop_items_total", "", 0},
		{"shop:orders:rate5m", "", lint.DefRecorded},
		{"up", "", lint.DefSynthetic},
		{"shop_order_total", "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, kind := ix.Resolve(tt.name)
			got := ""
			if f != nil {
				got = f.Name
			}
			if got != tt.family || kind != tt.kind {
				t.Errorf("Resolve(%q) = %q, %v; want %q, %v", tt.name, got, kind, tt.family, tt.kind)
			}
		})
	}
	if s := ix.Suggest("shop_order_total"); s != "shop_orders_total" {
		t.Errorf("Suggest(shop_order_total) = %q", s)
	}
	if s := ix.Suggest("worker_job_total"); s != "worker_jobs_total" {
		t.Errorf("Suggest(worker_job_total) = %q", s)
	}
}
