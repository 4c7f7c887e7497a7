package markdown

import (
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
	synth.BenchCorpus(b, "kube-state-metrics-docs", "../../../../shared/corpora/kubernetes__kube-state-metrics/docs/metrics/*/*.md", func(f *lint.SourceFile) { Load(f, false, true) })
}
