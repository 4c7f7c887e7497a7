package promql_test

import (
	"path/filepath"
	"testing"

	"github.com/driftlint/driftlint/bench/synth"
	"github.com/driftlint/driftlint/lint"
	"github.com/driftlint/driftlint/lint/load"
	"github.com/driftlint/driftlint/lint/promql"
)

// benchProject loads a generated project of 1000 rules (50 dashboards, 5 runbooks).
func benchProject(b *testing.B) *lint.Project {
	b.Helper()
	dir := b.TempDir()
	if _, err := synth.Generate(dir, synth.Options{Rules: 1000}); err != nil {
		b.Fatal(err)
	}
	cfg, err := lint.LoadConfig(filepath.Join(dir, lint.ConfigFile), lint.ConfigOptions{})
	if err != nil {
		b.Fatal(err)
	}
	p, err := load.Project(cfg, load.Options{})
	if err != nil {
		b.Fatal(err)
	}
	return p
}

// BenchmarkNewQuery parses every query of the project again with the shared parser,
// Grafana stand-ins included.
func BenchmarkNewQuery(b *testing.B) {
	p := benchProject(b)
	b.ReportAllocs()
	for b.Loop() {
		for _, q := range p.Queries {
			if q.Vars {
				promql.NewGrafanaQuery(q.Text, q.Origin, q.Owner)
			} else {
				promql.NewQuery(q.Text, q.Origin, q.Owner)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(p.Queries)), "ns/query")
}

// BenchmarkSubstitute replaces the Grafana variables of every dashboard query.
func BenchmarkSubstitute(b *testing.B) {
	p := benchProject(b)
	var texts []string
	for _, d := range p.Dashboards {
		for _, t := range d.Targets {
			if t.Query != nil {
				texts = append(texts, t.Query.Text.Value)
			}
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, s := range texts {
			promql.Substitute(s)
		}
	}
}

// BenchmarkInfer infers the result labels of every parsed query, with the project's
// resolver (recording chains included, built before the timer starts).
func BenchmarkInfer(b *testing.B) {
	p := benchProject(b)
	r := promql.IndexFor(p)
	for _, q := range p.Queries { // fill the resolver's caches
		if q.Expr != nil {
			promql.Infer(q.Expr, r)
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, q := range p.Queries {
			if q.Expr != nil {
				promql.Infer(q.Expr, r)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(p.Queries)), "ns/query")
}

// BenchmarkRatios finds the ratios of every query and checks their aggregation and zero
// guard.
func BenchmarkRatios(b *testing.B) {
	p := benchProject(b)
	r := promql.IndexFor(p)
	b.ReportAllocs()
	for b.Loop() {
		for _, q := range p.Queries {
			if q.Expr == nil {
				continue
			}
			for _, ratio := range promql.Ratios(q.Expr) {
				promql.CheckAggregation(ratio, r)
				promql.CheckZeroGuard(ratio)
			}
		}
	}
}
