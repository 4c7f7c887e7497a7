package markdown

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/driftlint/driftlint/bench/synth"
	"github.com/driftlint/driftlint/lint"
)

// BenchmarkLoad loads a generated metrics doc (120 rows) and runbook (120 sections), and
// kube-state-metrics' docs when shared/corpora is present.
func BenchmarkLoad(b *testing.B) {
	files, err := synth.Sample(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	for _, kind := range []string{"doc", "runbook"} {
		b.Run("synthetic-"+kind, func(b *testing.B) {
			f := lint.NewSourceFile(kind+".md", files[kind])
			b.SetBytes(int64(len(f.Src)))
			b.ReportAllocs()
			for b.Loop() {
				Load(f, kind == "runbook", kind == "doc")
			}
		})
	}
	paths, _ := filepath.Glob("../../../../shared/corpora/kubernetes__kube-state-metrics/docs/metrics/*/*.md")
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
	b.Run("kube-state-metrics-docs", func(b *testing.B) {
		b.SetBytes(size)
		b.ReportAllocs()
		for b.Loop() {
			for _, f := range srcs {
				Load(f, false, true)
			}
		}
	})
}
