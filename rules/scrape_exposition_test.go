package rules

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/driftlint/driftlint/lint"
	"github.com/driftlint/driftlint/lint/linttest"
	"github.com/driftlint/driftlint/lint/load/expo"
)

func TestScrapeExposition(t *testing.T) {
	linttest.Run(t, "../fixtures/scrape-exposition", ScrapeExposition)
}

func TestScrapeExpositionLiveScrapes(t *testing.T) {
	src := "# HELP up_clients Clients.\nup_clients 3\n"
	tests := []struct {
		name string
		url  string
		want []string
	}{
		{
			name: "reports a problem in every saved scrape file",
			want: []string{"scrape-1.prom:1:1", "scrape-2.prom:1:1"},
		},
		{
			name: "reports a problem once per target for live scrapes",
			url:  "http://localhost:3002/metrics",
			want: []string{"scrape-1.prom:1:1"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &lint.Project{}
			for i := range 2 {
				f := lint.NewSourceFile(fmt.Sprintf("scrape-%d.prom", i+1), []byte(src))
				e, probs := expo.Load(f)
				if len(probs) > 0 {
					t.Fatal(probs)
				}
				e.URL, e.Target, e.Index, e.TimeMs = tt.url, "api", i, int64(i)*15000
				p.Files = append(p.Files, f)
				p.Expositions = append(p.Expositions, e)
			}
			res := lint.Run(p, []*lint.Rule{ScrapeExposition}, lint.RunOptions{})
			var got []string
			for _, f := range res.Findings {
				got = append(got, f.Pos.String())
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
		})
	}
}
