package dashboard

import (
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
	synth.BenchCorpus(b, "kube-prometheus-32-dashboards", "../../../../shared/corpora/prometheus-operator__kube-prometheus/derived/dashboards/*.json", func(f *lint.SourceFile) { LoadJSON(f) })
}
