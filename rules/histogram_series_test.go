package rules

import (
	"testing"

	"github.com/driftlint/driftlint/lint"
	"github.com/driftlint/driftlint/lint/linttest"
)

// The bare name of a classic histogram, scraped or defined in code, is reported by
// metric/unknown, and label/unknown stays quiet about its le; summaries and native
// histograms are left alone.
func TestMetricUnknownHistogram(t *testing.T) {
	linttest.Run(t, "../fixtures/metric-unknown-histogram", MetricUnknown, LabelUnknown)
}

func TestClassicHistogram(t *testing.T) {
	code := func(def lint.CodeDef) *lint.Exposition {
		return &lint.Exposition{Source: true, Code: &lint.CodeFacts{Defs: map[string]*lint.CodeDef{"x": &def}}}
	}
	tests := []struct {
		name string
		fam  lint.Family
		want bool
	}{
		{"a scraped histogram is classic", lint.Family{Name: "x", Type: "histogram", Expo: &lint.Exposition{}}, true},
		{"a gauge histogram is classic", lint.Family{Name: "x", Type: "gaugehistogram"}, true},
		{"a histogram in code is classic by default", lint.Family{Name: "x", Type: "histogram", Expo: code(lint.CodeDef{Via: "prometheus.NewHistogram"})}, true},
		{"a histogram that the code gives native buckets is not", lint.Family{Name: "x", Type: "histogram", Expo: code(lint.CodeDef{NativeHistogram: true})}, false},
		{"a summary is not", lint.Family{Name: "x", Type: "summary"}, false},
		{"a counter is not", lint.Family{Name: "x_total", Type: "counter"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.fam.ClassicHistogram(); got != tt.want {
				t.Errorf("ClassicHistogram() = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestClassicHistograms(t *testing.T) {
	expo := func(source bool, native bool, typ string) *lint.Exposition {
		e := &lint.Exposition{Source: source, Families: map[string]*lint.Family{}, Order: []string{"x"}}
		e.Families["x"] = &lint.Family{Name: "x", Type: typ, Expo: e}
		if source {
			e.Code = &lint.CodeFacts{Defs: map[string]*lint.CodeDef{"x": {NativeHistogram: native}}}
		}
		return e
	}
	tests := []struct {
		name string
		p    *lint.Project
		want bool
	}{
		{"a scraped histogram is classic", &lint.Project{Expositions: []*lint.Exposition{expo(false, false, "histogram")}}, true},
		{"a histogram defined in code is classic", &lint.Project{Expositions: []*lint.Exposition{expo(true, false, "histogram")}}, true},
		{"code that gives the scraped histogram native buckets makes it native", &lint.Project{Expositions: []*lint.Exposition{expo(false, false, "histogram"), expo(true, true, "histogram")}}, false},
		{"another exposition's gauge of the name is a series", &lint.Project{Expositions: []*lint.Exposition{expo(false, false, "histogram"), expo(false, false, "gauge")}}, false},
		{"a recording rule of the name is a series", &lint.Project{
			Expositions: []*lint.Exposition{expo(false, false, "histogram")},
			Rules:       []*lint.RuleEntry{{Kind: lint.RecordingRule, Name: "x"}},
		}, false},
		{"a summary is no histogram", &lint.Project{Expositions: []*lint.Exposition{expo(false, false, "summary")}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := classicHistograms(tt.p)["x"] != nil; got != tt.want {
				t.Errorf("classicHistograms()[x] != nil = %v, want %v", got, tt.want)
			}
		})
	}
}
