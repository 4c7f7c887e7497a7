package markdown

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/driftlint/driftlint/lint"
)

// corpusFiles returns the Markdown files of the real corpora beside the checkout, or skips.
func corpusFiles(tb testing.TB) map[string][]byte {
	tb.Helper()
	root := filepath.Join("..", "..", "..", "..", "shared", "corpora")
	if _, err := os.Stat(root); err != nil {
		tb.Skip("no corpora beside the checkout")
	}
	files := map[string][]byte{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".md") {
			return err
		}
		src, err := os.ReadFile(p)
		files[filepath.ToSlash(p[len(root)+1:])] = src
		return err
	})
	if err != nil {
		tb.Fatal(err)
	}
	return files
}

func TestCorpus(t *testing.T) {
	files := corpusFiles(t)
	docs := 0
	for path, src := range files {
		r := Load(lint.NewSourceFile(path, src), LooksLikeRunbook(path, src), LooksLikeMetricsDoc(src))
		for _, p := range r.Problems {
			t.Errorf("%s: unexpected problem %s", p.At, p.Message)
		}
		for _, q := range r.Queries {
			if q.Err != nil {
				t.Errorf("%s: query does not parse: %v", q.Pos(0), q.Err)
			}
		}
		for _, e := range r.DocEntries {
			if !strings.HasPrefix(path, "kubernetes__kube-state-metrics/docs/") {
				t.Errorf("%s: unexpected doc entry %s", e.At, e.Name)
			}
			if e.Type != "gauge" && e.Type != "counter" && e.Type != "histogram" && e.Type != "info" && e.Type != "stateset" {
				t.Errorf("%s: %s has type %q", e.At, e.Name, e.Type)
			}
			docs++
		}
	}
	// kube-state-metrics documents 336 metrics in its tables.
	if docs != 336 {
		t.Errorf("got %d doc entries, want 336", docs)
	}
}

func BenchmarkLoadCorpus(b *testing.B) {
	files := corpusFiles(b)
	size := 0
	for _, src := range files {
		size += len(src)
	}
	b.SetBytes(int64(size))
	for b.Loop() {
		for path, src := range files {
			Load(lint.NewSourceFile(path, src), true, true)
		}
	}
}
