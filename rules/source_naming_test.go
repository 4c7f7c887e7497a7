package rules

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/driftlint/driftlint/lint"
	"github.com/driftlint/driftlint/lint/linttest"
)

// Definitions in Go and Python code get promlint's naming checks, and a problem a scrape
// shares is reported at the code only.
func TestSourceNaming(t *testing.T) {
	linttest.Run(t, "../fixtures/source-naming", SourceNaming, ScrapeExposition)
}

// Without sources, scrape/exposition reports the scrape's naming problems itself.
func TestScrapeExpositionWithoutCode(t *testing.T) {
	p := &lint.Project{Expositions: []*lint.Exposition{scrapeOf(t, "shop_orders", "counter")}}
	res := lint.Run(p, []*lint.Rule{ScrapeExposition, SourceNaming}, lint.RunOptions{})
	var got []string
	for _, f := range res.Findings {
		got = append(got, f.Rule+": "+f.Message)
	}
	want := []string{`scrape/exposition: family "shop_orders" (counter): counter metrics should have "_total" suffix (promlint)`}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
}

// scrapeOf is a scraped exposition with one declared family and one sample.
func scrapeOf(t *testing.T, name, typ string) *lint.Exposition {
	t.Helper()
	at := lint.Pos{File: "scrape.prom", Line: 1, Col: 1}
	e := &lint.Exposition{File: nil, Families: map[string]*lint.Family{}}
	e.Families[name] = &lint.Family{
		Name: name, Type: typ, Help: "h", HelpAt: at, TypeAt: at, FirstAt: at, Expo: e,
		Samples: []lint.Sample{{Name: name, At: at}},
	}
	e.Order = []string{name}
	return e
}

func TestRaiseChanged(t *testing.T) {
	changed := func(p lint.Pos) bool { return p.Line == 2 }
	tests := []struct {
		name string
		in   lint.Finding
		want lint.Severity
	}{
		{"raises a finding on a changed line", lint.Finding{Pos: lint.Pos{Line: 2}, Severity: lint.Info, OnChange: lint.Warning}, lint.Warning},
		{"leaves a finding on an unchanged line", lint.Finding{Pos: lint.Pos{Line: 3}, Severity: lint.Info, OnChange: lint.Warning}, lint.Info},
		{"never lowers a severity the config raised", lint.Finding{Pos: lint.Pos{Line: 2}, Severity: lint.Error, OnChange: lint.Warning}, lint.Error},
		{"leaves a finding without OnChange", lint.Finding{Pos: lint.Pos{Line: 2}, Severity: lint.Info}, lint.Info},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := []lint.Finding{tt.in}
			lint.RaiseChanged(fs, changed)
			if fs[0].Severity != tt.want {
				t.Errorf("severity = %s, want %s", fs[0].Severity, tt.want)
			}
		})
	}
}
