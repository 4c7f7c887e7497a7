package lint

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestCoveredAndDefined(t *testing.T) {
	node := &Exposition{Families: map[string]*Family{
		"node_load1":             {Name: "node_load1", Type: "gauge"},
		"node_cpu_seconds_total": {Name: "node_cpu_seconds_total", Type: "counter"},
	}, Order: []string{"node_load1", "node_cpu_seconds_total"}}
	sidecar := &Exposition{Families: map[string]*Family{
		"outbox_pending": {Name: "outbox_pending", Type: "gauge"},
	}, Order: []string{"outbox_pending"}, Covers: []string{"outbox_*", "job:outbox_*"}}
	recording := &RuleEntry{Kind: RecordingRule, Name: "instance:node_cpu:rate5m"}
	known := []KnownMetric{{Name: "node_filesystem_avail_bytes", Type: "gauge"}, {Name: "node_disk_io_seconds", Type: "histogram"}, {Name: "up"}}

	tests := []struct {
		name    string
		project *Project
		metric  string
		want    string // "defined <kind>", "covered", "unverified"
	}{
		{name: "covers a name by the prefix of an exposition's families", project: &Project{Expositions: []*Exposition{node}}, metric: "node_memory_MemFree_bytes", want: "covered"},
		{name: "leaves a name of another prefix unverified", project: &Project{Expositions: []*Exposition{node}}, metric: "apiserver_request_total", want: "unverified"},
		{name: "covers by covers globs only, not by prefixes, when they are given", project: &Project{Expositions: []*Exposition{sidecar}}, metric: "outbox_lag", want: "covered"},
		{name: "leaves a recording name unverified when no recording rule is loaded, whatever its prefix", project: &Project{Expositions: []*Exposition{node}}, metric: "node_namespace_pod:kube_pod_info:", want: "unverified"},
		{name: "covers every recording name once a recording rule is loaded", project: &Project{Expositions: []*Exposition{node}, Rules: []*RuleEntry{recording}}, metric: "cluster:node_cpu:ratio", want: "covered"},
		{name: "covers a recording name by a covers glob with a colon", project: &Project{Expositions: []*Exposition{sidecar}}, metric: "job:outbox_pending:max", want: "covered"},
		{name: "defines a recording's output", project: &Project{Expositions: []*Exposition{node}, Rules: []*RuleEntry{recording}}, metric: "instance:node_cpu:rate5m", want: "defined recorded"},
		{name: "defines the series of an exported counter", project: &Project{Expositions: []*Exposition{node}}, metric: "node_cpu_seconds_created", want: "defined exported"},
		{name: "defines a known metric", project: &Project{Expositions: []*Exposition{node}, KnownMetrics: known}, metric: "node_filesystem_avail_bytes", want: "defined known"},
		{name: "defines the series of a known histogram", project: &Project{Expositions: []*Exposition{node}, KnownMetrics: known}, metric: "node_disk_io_seconds_bucket", want: "defined known"},
		{name: "takes a known list's word for a series Prometheus makes too", project: &Project{KnownMetrics: known}, metric: "up", want: "defined known"},
		{name: "defines ALERTS_FOR_STATE as Prometheus' own", project: &Project{}, metric: "ALERTS_FOR_STATE", want: "defined synthetic"},
	}
	kinds := map[DefKind]string{DefExported: "exported", DefRecorded: "recorded", DefSynthetic: "synthetic", DefKnown: "known"}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := "unverified"
			if d, ok := tt.project.Lookup(tt.metric); ok {
				got = "defined " + kinds[d.Kind]
			} else if tt.project.Covered(tt.metric) {
				got = "covered"
			}
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("%s (-want +got):\n%s", tt.metric, d)
			}
		})
	}
}
