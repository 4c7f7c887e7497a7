package dashboard

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/driftlint/driftlint/bench/synth"
	"github.com/driftlint/driftlint/lint"
)

// BenchmarkLoadJSON loads a generated dashboard (9 panels, 11 targets, 3 variables), and
// kube-prometheus' 32 dashboards when shared/corpora is present.
func BenchmarkLoadJSON(b *testing.B) {
	files, err := synth.Sample(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	b.Run("synthetic", func(b *testing.B) {
		f := lint.NewSourceFile("d.json", files["dashboard"])
		b.SetBytes(int64(len(f.Src)))
		b.ReportAllocs()
		for b.Loop() {
			LoadJSON(f)
		}
	})
	paths, _ := filepath.Glob("../../../../shared/corpora/prometheus-operator__kube-prometheus/derived/dashboards/*.json")
	if len(paths) == 0 {
		return
	}
	var srcs []*lint.SourceFile
	var size int64
	for _, p := range paths {
		src, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		srcs = append(srcs, lint.NewSourceFile(filepath.Base(p), src))
		size += int64(len(src))
	}
	b.Run("kube-prometheus-32-dashboards", func(b *testing.B) {
		b.SetBytes(size)
		b.ReportAllocs()
		for b.Loop() {
			for _, f := range srcs {
				LoadJSON(f)
			}
		}
	})
}
