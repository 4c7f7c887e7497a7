package expo

import (
	"os"
	"testing"

	"github.com/driftlint/driftlint/bench/synth"
	"github.com/driftlint/driftlint/lint"
)

// BenchmarkLoad loads a generated scrape (120 families), and node_exporter's e2e output
// (1228 families) when shared/corpora is present.
func BenchmarkLoad(b *testing.B) {
	files, err := synth.Sample(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	inputs := map[string][]byte{"synthetic": files["scrape"]}
	if src, err := os.ReadFile("../../../../shared/corpora/prometheus__node_exporter/collector/fixtures/e2e-output.txt"); err == nil {
		inputs["node-exporter-e2e"] = src
	}
	for _, name := range []string{"synthetic", "node-exporter-e2e"} {
		src, ok := inputs[name]
		if !ok {
			continue
		}
		b.Run(name, func(b *testing.B) {
			f := lint.NewSourceFile("metrics.prom", src)
			b.SetBytes(int64(len(src)))
			b.ReportAllocs()
			for b.Loop() {
				Load(f)
			}
		})
	}
}
