package promql

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestLegendLabels(t *testing.T) {
	tests := []struct {
		name   string
		legend string
		want   []LabelRef
	}{
		{name: "reads a label in braces", legend: "{{instance}}", want: []LabelRef{{"instance", 2}}},
		{name: "reads labels with blanks inside the braces", legend: "p99 {{ stage }} / {{\tpod}}", want: []LabelRef{{"stage", 7}, {"pod", 21}}},
		{name: "reads two labels side by side", legend: "{{topic}}/{{partition}}", want: []LabelRef{{"topic", 2}, {"partition", 12}}},
		{name: "skips a legend without braces", legend: "error ratio", want: nil},
		{name: "skips grafana variables in braces", legend: "{{$cluster}} {{ ${node} }}", want: nil},
		{name: "skips stand-ins and __name__", legend: "{{__gv_job}} {{__name__}}", want: nil},
		{name: "skips content that is not a label name", legend: "{{ a b }} {{1x}} {{}}", want: nil},
		{name: "stops at an unclosed brace", legend: "{{job}} {{instance", want: []LabelRef{{"job", 2}}},
		{name: "skips the auto legend", legend: "__auto", want: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, LegendLabels(tt.legend)); diff != "" {
				t.Errorf("LegendLabels(%q) mismatch (-want +got):\n%s", tt.legend, diff)
			}
		})
	}
}

func TestTemplateLabels(t *testing.T) {
	tests := []struct {
		name string
		tmpl string
		want []LabelRef
	}{
		{name: "reads $labels.x in an action", tmpl: "pod {{ $labels.pod }} is down", want: []LabelRef{{"pod", 15}}},
		{name: "reads $labels.x with trim markers and pipes", tmpl: "{{- $labels.instance | title -}}", want: []LabelRef{{"instance", 12}}},
		{name: "reads .Labels.x and $.Labels.x", tmpl: "{{ .Labels.job }} {{ $.Labels.node }}", want: []LabelRef{{"job", 11}, {"node", 30}}},
		{name: "reads index with a double-quoted name", tmpl: `{{ index $labels "stage" }}`, want: []LabelRef{{"stage", 18}}},
		{name: "reads index on .Labels with a backquoted name", tmpl: "{{ index .Labels `le` }}", want: []LabelRef{{"le", 18}}},
		{name: "reads $labels.x outside an action", tmpl: "see $labels.namespace", want: []LabelRef{{"namespace", 12}}},
		{name: "reads every label of a conditional", tmpl: "{{ if $labels.pod }}{{ $labels.pod }}{{ end }}", want: []LabelRef{{"pod", 14}, {"pod", 31}}},
		{name: "skips $value and $externalLabels", tmpl: "{{ $value }} {{ $externalLabels.cluster }} {{ .ExternalLabels.region }}", want: nil},
		{name: "skips the bare labels map", tmpl: "{{ range $k, $v := $labels }}{{ $k }}{{ end }}", want: nil},
		{name: "skips index with a variable name", tmpl: "{{ index $labels $name }}", want: nil},
		{name: "skips a name that is not a label name", tmpl: `{{ index $labels "a-b" }} {{ $labels.9 }}`, want: nil},
		{name: "reads nothing from plain text", tmpl: "CPU usage is high", want: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, TemplateLabels(tt.tmpl)); diff != "" {
				t.Errorf("TemplateLabels(%q) mismatch (-want +got):\n%s", tt.tmpl, diff)
			}
		})
	}
}
