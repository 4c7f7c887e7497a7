package bench_test

import (
	"fmt"
	"io"
	"path/filepath"
	"runtime/metrics"
	"testing"

	"github.com/driftlint/driftlint/bench/synth"
	"github.com/driftlint/driftlint/lint"
	"github.com/driftlint/driftlint/lint/load"
	"github.com/driftlint/driftlint/lint/report"
	"github.com/driftlint/driftlint/rules"
)

// TestHostileWorkLinear holds the work of a whole check on hostile input linear in the bytes
// read: the bytes a run allocates (a measure of its work that, unlike time, does not depend
// on the machine or on what else runs) per byte of input must not grow from the 8 MB hostile
// tree to the 16 MB one, whose every part is twice as big (bench/synth.Hostile). A parser or
// rule that is quadratic in a file's size, a finding count or a table's width doubles the
// ratio; the 15% margin is the run-to-run spread of maps and goroutines. Time and peak memory
// are measured by `bench/run.sh -H "8 16 32 64"` (README, Performance).
func TestHostileWorkLinear(t *testing.T) {
	if testing.Short() {
		t.Skip("runs two whole checks on 30 MB of hostile input")
	}
	perByte := map[int]float64{}
	for _, mb := range []int{8, 16} {
		dir := filepath.Join(t.TempDir(), fmt.Sprintf("hostile-%d", mb))
		size, err := synth.Hostile(dir, mb)
		if err != nil {
			t.Fatal(err)
		}
		cfg, err := lint.LoadConfig(filepath.Join(dir, lint.ConfigFile), lint.ConfigOptions{})
		if err != nil {
			t.Fatal(err)
		}
		before := allocated()
		p, err := load.Project(cfg, load.Options{})
		if err != nil {
			t.Fatal(err)
		}
		res := lint.Run(p, rules.All(), lint.RunOptions{})
		if err := report.JSON(io.Discard, res, report.Options{Rules: rules.All(), Root: p.Root}); err != nil {
			t.Fatal(err)
		}
		alloc := allocated() - before
		if len(res.Findings) < 10000 {
			t.Fatalf("-hostile %d: %d findings; the tree is meant to give tens of thousands", mb, len(res.Findings))
		}
		perByte[mb] = float64(alloc) / float64(size)
		t.Logf("-hostile %d: %.1f MiB read, %.0f MiB allocated (%.1f per byte), %d findings", mb, float64(size)/(1<<20), float64(alloc)/(1<<20), perByte[mb], len(res.Findings))
	}
	if growth := perByte[16] / perByte[8]; growth > 1.15 {
		t.Errorf("allocation per byte of input grew %.2f times from the 8 MB hostile tree to the 16 MB one: some work is not linear in the input", growth)
	}
}

// allocated is the bytes the process has allocated on the heap so far.
func allocated() uint64 {
	s := []metrics.Sample{{Name: "/gc/heap/allocs:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}
