package rules

import (
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/prometheus/prometheus/promql/parser"

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

// nativeFuncs are the functions that read native histograms, with the classic series that
// a classic branch computing the same thing reads: histogram_quantile over the bare name
// pairs with histogram_quantile over _bucket, histogram_count with _count (or _bucket), ….
var nativeFuncs = map[string][]string{
	"histogram_quantile": {"_bucket"},
	"histogram_fraction": {"_bucket"},
	"histogram_count":    {"_bucket", "_sum", "_count"},
	"histogram_sum":      {"_bucket", "_sum", "_count"},
	"histogram_avg":      {"_bucket", "_sum", "_count"},
}

// nativeBranch reports whether a use of a classic histogram's bare name is the native (or
// NHCB: classic buckets scraped as a native histogram) branch of the dual-branch idiom
// that dashboards use while a histogram migrates:
//
//	histogram_quantile(0.99, sum(rate(x[5m]))) and on() (vector($latency_metrics) == -1)
//	histogram_quantile(0.99, sum by (le) (rate(x_bucket[5m]))) and on() (vector($latency_metrics) == 1)
//
// It is when the bare name is read inside a native histogram function and the same query,
// or another target of the same dashboard panel, reads the classic series that function
// would read in a classic world (x_bucket for a quantile). A bare name with no classic
// branch beside it is still a mistake: on a classic-only scrape it selects nothing.
func nativeBranch(p *lint.Project, u lint.MetricUse) bool {
	if u.Query == nil || u.Query.Expr == nil || u.Selector == nil {
		return false
	}
	suffixes := nativeCall(u.Query.Expr, u.Selector)
	if len(suffixes) == 0 {
		return false
	}
	read := queryGroupNames(p)[u.Query]
	for _, suf := range suffixes {
		if read[u.Name+suf] {
			return true
		}
	}
	return false
}

var errFound = errors.New("found")

// nativeCall returns the classic series suffixes of the innermost native histogram
// function (nativeFuncs) that vs is an argument of, or nil.
func nativeCall(expr parser.Expr, vs *parser.VectorSelector) []string {
	var out []string
	parser.Inspect(expr, func(n parser.Node, path []parser.Node) error {
		if n != vs {
			return nil
		}
		for _, anc := range slices.Backward(path) {
			if c, ok := anc.(*parser.Call); ok && c.Func != nil {
				if suf, ok := nativeFuncs[c.Func.Name]; ok {
					out = suf
					break
				}
			}
		}
		return errFound // stops the walk
	})
	return out
}

// queryGroupNames maps each query to the metric names read by its group: the targets of
// its dashboard panel, or the query alone. Built once per project.
func queryGroupNames(p *lint.Project) map[*lint.Query]map[string]bool {
	return p.Memo("rules.queryGroupNames", func() any {
		byQuery := map[*lint.Query]map[string]bool{}
		for _, u := range p.MetricUses() {
			if byQuery[u.Query] == nil {
				byQuery[u.Query] = map[string]bool{}
			}
			byQuery[u.Query][u.Name] = true
		}
		out := maps.Clone(byQuery)
		type panelKey struct {
			dash  *lint.Dashboard
			panel string
		}
		panels := map[panelKey][]*lint.Query{}
		for _, d := range p.Dashboards {
			for _, t := range d.Targets {
				k := panelKey{d, t.Panel}
				panels[k] = append(panels[k], t.Query)
			}
		}
		for _, qs := range panels {
			if len(qs) < 2 {
				continue
			}
			union := map[string]bool{}
			for _, q := range qs {
				for name := range byQuery[q] {
					union[name] = true
				}
			}
			for _, q := range qs {
				out[q] = union
			}
		}
		return out
	}).(map[*lint.Query]map[string]bool)
}
