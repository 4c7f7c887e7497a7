package inventory

import (
	"testing"

	"github.com/driftlint/driftlint/lint"
)

func TestSummaryCountsQueriesThatAreNotPromQL(t *testing.T) {
	tests := []struct {
		name    string
		foreign int
		want    string
	}{
		{"says nothing when every query is PromQL", 0, "0 metrics: 0 exported, 0 documented, 0 recorded, 0 used; 0 undocumented, 0 unused, 0 undefined, 0 unverified"},
		{"names one query", 1, "0 metrics: 0 exported, 0 documented, 0 recorded, 0 used; 0 undocumented, 0 unused, 0 undefined, 0 unverified; 1 query not PromQL left unread"},
		{"names several queries", 3, "0 metrics: 0 exported, 0 documented, 0 recorded, 0 used; 0 undocumented, 0 unused, 0 undefined, 0 unverified; 3 queries not PromQL left unread"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &lint.Project{Foreign: make([]lint.ForeignQuery, tt.foreign)}
			if got := Build(p).Summary.String(); got != tt.want {
				t.Errorf("Summary = %q, want %q", got, tt.want)
			}
		})
	}
}
