package bench_test

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/driftlint/driftlint/bench/synth"
	"github.com/driftlint/driftlint/lint"
	"github.com/driftlint/driftlint/lint/load"
	"github.com/driftlint/driftlint/lint/report"
	"github.com/driftlint/driftlint/rules"
)

// sizes are the synthetic project sizes the phase benchmarks run on, in rules.
var sizes = []int{1000, 10000}

// projects caches one generated folder per size for the whole test binary.
var projects sync.Map // int → string

// project returns the folder of a generated project with n rules and its config.
func project(b *testing.B, n int) *lint.Config {
	b.Helper()
	v, ok := projects.Load(n)
	if !ok {
		dir := filepath.Join(benchDir, fmt.Sprintf("p%d", n))
		if _, err := synth.Generate(dir, synth.Options{Rules: n}); err != nil {
			b.Fatal(err)
		}
		v, _ = projects.LoadOrStore(n, dir)
	}
	dir := v.(string)
	cfg, err := lint.LoadConfig(filepath.Join(dir, lint.ConfigFile), lint.ConfigOptions{})
	if err != nil {
		b.Fatal(err)
	}
	return cfg
}

// benchDir is a temporary folder shared by every benchmark of the run, removed by TestMain.
var benchDir string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "driftlint-bench-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	benchDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func mustLoad(b *testing.B, cfg *lint.Config) *lint.Project {
	b.Helper()
	p, err := load.Project(cfg, load.Options{})
	if err != nil {
		b.Fatal(err)
	}
	return p
}

// BenchmarkLoad measures reading and parsing a whole project into the model.
func BenchmarkLoad(b *testing.B) {
	for _, n := range sizes {
		b.Run(fmt.Sprintf("rules=%d", n), func(b *testing.B) {
			cfg := project(b, n)
			b.ReportAllocs()
			for b.Loop() {
				mustLoad(b, cfg)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/rule")
		})
	}
}

// BenchmarkRules measures each rule alone on a loaded project, shared indexes included
// (a fresh project per iteration, so that memoised indexes are rebuilt).
func BenchmarkRules(b *testing.B) {
	for _, n := range sizes {
		cfg := project(b, n)
		for _, r := range rules.All() {
			b.Run(fmt.Sprintf("rules=%d/%s", n, r.ID), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					b.StopTimer()
					p := mustLoad(b, cfg)
					b.StartTimer()
					res := lint.Run(p, []*lint.Rule{r}, lint.RunOptions{Workers: 1})
					if len(res.Internal) > 0 {
						b.Fatal(res.Internal[0])
					}
				}
			})
		}
		b.Run(fmt.Sprintf("rules=%d/all", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				b.StopTimer()
				p := mustLoad(b, cfg)
				b.StartTimer()
				lint.Run(p, rules.All(), lint.RunOptions{})
			}
		})
	}
}

// BenchmarkReport measures printing the findings of a run in each format.
func BenchmarkReport(b *testing.B) {
	cfg := project(b, sizes[len(sizes)-1])
	p := mustLoad(b, cfg)
	res := lint.Run(p, rules.All(), lint.RunOptions{})
	source := func(path string, line int) string {
		if f := p.File(path); f != nil {
			return f.Line(line)
		}
		return ""
	}
	for _, format := range report.Formats {
		b.Run(format, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := report.Print(io.Discard, format, res, report.Options{Rules: rules.All(), Root: p.Root, Source: source}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkWhole measures load, rules and a JSON report together, as `driftlint check` does.
func BenchmarkWhole(b *testing.B) {
	for _, n := range sizes {
		b.Run(fmt.Sprintf("rules=%d", n), func(b *testing.B) {
			cfg := project(b, n)
			b.ReportAllocs()
			for b.Loop() {
				p := mustLoad(b, cfg)
				res := lint.Run(p, rules.All(), lint.RunOptions{})
				if err := report.Print(io.Discard, "json", res, report.Options{}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/rule")
		})
	}
}

// corpusConfig returns the config of the real corpus (bench/corpus.driftlint.yaml in a
// scratch folder beside a corpora symlink), or skips when shared/corpora is absent.
func corpusConfig(b *testing.B) *lint.Config {
	b.Helper()
	corpora, err := filepath.Abs("../../shared/corpora")
	if err != nil {
		b.Fatal(err)
	}
	if _, err := os.Stat(corpora); err != nil {
		b.Skip("shared/corpora is absent")
	}
	dir := filepath.Join(benchDir, "corpus")
	if _, err := os.Stat(filepath.Join(dir, lint.ConfigFile)); err != nil {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			b.Fatal(err)
		}
		// A copy, not a link: driftlint reads nothing through a link out of the root.
		if err := os.CopyFS(filepath.Join(dir, "corpora"), os.DirFS(corpora)); err != nil {
			b.Fatal(err)
		}
		src, err := os.ReadFile("corpus.driftlint.yaml")
		if err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, lint.ConfigFile), src, 0o644); err != nil {
			b.Fatal(err)
		}
	}
	cfg, err := lint.LoadConfig(filepath.Join(dir, lint.ConfigFile), lint.ConfigOptions{})
	if err != nil {
		b.Fatal(err)
	}
	return cfg
}

// BenchmarkCorpus measures the whole check of the real corpus: load, rules, JSON report.
func BenchmarkCorpus(b *testing.B) {
	cfg := corpusConfig(b)
	for _, phase := range []string{"load", "whole"} {
		b.Run(phase, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				p := mustLoad(b, cfg)
				if phase == "load" {
					continue
				}
				res := lint.Run(p, rules.All(), lint.RunOptions{})
				if err := report.Print(io.Discard, "json", res, report.Options{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
