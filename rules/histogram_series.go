package rules

import (
	"fmt"

	"github.com/driftlint/driftlint/lint"
)

// classicHistograms maps the bare name of each classic histogram (lint.Family.ClassicHistogram)
// to its first family, over every exposition, scrapes and code alike. A name that some
// exposition defines otherwise (a native histogram in code, a gauge in another scrape) or
// that a recording rule records is left out: its bare name may be a series. Built once per
// project.
func classicHistograms(p *lint.Project) map[string]*lint.Family {
	return p.Memo("rules.classicHistograms", func() any {
		out := map[string]*lint.Family{}
		other := map[string]bool{}
		for _, e := range p.Expositions {
			if e == nil {
				continue
			}
			for _, name := range e.Order {
				fam := e.Families[name]
				switch {
				case fam == nil:
				case !fam.ClassicHistogram():
					other[name] = true
				case out[name] == nil:
					out[name] = fam
				}
			}
		}
		for _, r := range p.Rules {
			if r.Kind == lint.RecordingRule {
				other[r.Name] = true
			}
		}
		for name := range other {
			delete(out, name)
		}
		return out
	}).(map[string]*lint.Family)
}

// histogramSeries says which series a classic histogram's bare name stands for.
func histogramSeries(fam *lint.Family) string {
	n := fam.Name
	if fam.Type == "gaugehistogram" {
		return fmt.Sprintf("%s is a gauge histogram: its series are %s_bucket, %s_gsum and %s_gcount", n, n, n, n)
	}
	return fmt.Sprintf("%s is a histogram: its series are %s_bucket, %s_sum and %s_count", n, n, n, n)
}

// histogramUse is the metric/unknown finding for a query that reads a classic histogram's
// bare name as a series: it selects nothing.
func histogramUse(u lint.MetricUse, fam *lint.Family) lint.Finding {
	f := lint.Finding{
		Pos:     u.At,
		Subject: lint.Subject{Metric: u.Name},
		Message: fmt.Sprintf("metric %q used by %s selects no series (%s)", u.Name, u.Query.Describe(), histogramSeries(fam)),
	}
	if at := fam.At(); at.IsValid() {
		f.Related = []lint.Related{{Pos: at, Message: fmt.Sprintf("%q is defined here as a %s", fam.Name, fam.Type)}}
	}
	return f
}
