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
	ksm, kafka := 0, map[string]bool{}
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
			switch {
			case strings.HasPrefix(path, "kubernetes__kube-state-metrics/docs/"):
				if e.Type != "gauge" && e.Type != "counter" && e.Type != "histogram" && e.Type != "info" && e.Type != "stateset" {
					t.Errorf("%s: %s has type %q", e.At, e.Name, e.Type)
				}
				ksm++
			case path == "danielqsj__kafka_exporter/README.md":
				// | Name | Exposed informations | tables (no type column) and "Metrics output
				// example" blocks of exposition text: a metrics doc, found by the blocks.
				if !strings.HasPrefix(e.Name, "kafka_") {
					t.Errorf("%s: unexpected doc entry %s", e.At, e.Name)
				}
				kafka[e.Name] = true
			default:
				t.Errorf("%s: unexpected doc entry %s", e.At, e.Name)
			}
		}
	}
	// kube-state-metrics documents 336 metrics in its tables; kafka_exporter's README all 16
	// of its families.
	if ksm != 336 {
		t.Errorf("got %d kube-state-metrics doc entries, want 336", ksm)
	}
	if len(kafka) != 16 {
		t.Errorf("got %d kafka_exporter families documented, want 16: %v", len(kafka), kafka)
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
