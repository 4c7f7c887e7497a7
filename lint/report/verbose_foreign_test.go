package report

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/driftlint/driftlint/lint"
)

func TestInputsCountsQueriesThatAreNotPromQL(t *testing.T) {
	tests := []struct {
		name    string
		foreign []lint.ForeignQuery
		want    *InputCount
	}{
		{name: "adds no row when every query is PromQL"},
		{
			name: "counts by language, most first",
			foreign: []lint.ForeignQuery{
				{Language: "elasticsearch"}, {Language: "logql"}, {Language: "grafana expression"}, {Language: "logql"},
			},
			want: &InputCount{Kind: "not PromQL", Count: 4, Detail: "2 logql, 1 elasticsearch, 1 grafana expression"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := Inputs(&lint.Project{Foreign: tt.foreign})
			var got *InputCount
			if last := in[len(in)-1]; last.Kind == "not PromQL" {
				got = &last
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Inputs (-want +got):\n%s", diff)
			}
		})
	}
}
