package synth

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/driftlint/driftlint/lint"
)

// BenchCorpus runs load over every file matching glob (a path into ../shared/corpora, relative
// to the benchmark's package) as the sub-benchmark name. It does nothing when no file
// matches: users do not have the corpora.
func BenchCorpus(b *testing.B, name, glob string, load func(*lint.SourceFile)) {
	b.Helper()
	paths, _ := filepath.Glob(glob)
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
	b.Run(name, func(b *testing.B) {
		b.SetBytes(size)
		b.ReportAllocs()
		for b.Loop() {
			for _, f := range srcs {
				load(f)
			}
		}
	})
}
