package rulefile

import (
	"testing"

	"github.com/driftlint/driftlint/bench/synth"
	"github.com/driftlint/driftlint/lint"
)

// BenchmarkLoad loads a generated rule file of 200 rules, and kube-prometheus' rule files
// when shared/corpora is present.
func BenchmarkLoad(b *testing.B) {
	files, err := synth.Sample(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	b.Run("synthetic-200-rules", func(b *testing.B) {
		f := lint.NewSourceFile("rules.yml", files["rules"])
		b.SetBytes(int64(len(f.Src)))
		b.ReportAllocs()
		for b.Loop() {
			Load(f)
		}
	})
	synth.BenchCorpus(b, "kube-prometheus-232-rules", "../../../../shared/corpora/prometheus-operator__kube-prometheus/derived/rules/*.yaml", func(f *lint.SourceFile) { Load(f) })
}

// BenchmarkParseTemplate parses one alert annotation as validate does.
func BenchmarkParseTemplate(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if err := parseTemplate("HighErrorRate", "{{ $labels.job }} fails {{ $value | humanizePercentage }} of requests on {{ $labels.instance }}"); err != nil {
			b.Fatal(err)
		}
	}
}
