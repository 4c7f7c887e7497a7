package docread

import (
	"fmt"
	"os"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
)

func TestExpositionBlocks(t *testing.T) {
	tests := []struct {
		name      string
		paths     []string
		want      []Family
		wantWarns []string
	}{
		{
			name:  "reads the exposition blocks of a page and skips code blocks",
			paths: []string{"blocks/jvm.md"},
			want: []Family{
				{Name: "jvm_gc_collection_seconds", Type: "summary", Help: "Time spent in a given JVM garbage collector in seconds.", Labels: []string{"gc"}},
				{Name: "jvm_memory_used_bytes", Type: "gauge", Help: "Used bytes of a given JVM memory area.", Labels: []string{"area"}},
				// OpenMetrics' info type is not the text format's: the TYPE line is a
				// warning and the sample an untyped family
				{Name: "jvm_runtime_info", Labels: []string{"runtime", "version"}},
			},
			wantWarns: []string{`blocks/jvm.md:41: unknown metric type "info"`},
		},
		{
			name:  "reports bad lines and types at their lines in the page",
			paths: []string{"blocks/jvm.md", "blocks/threads.md"},
			want: []Family{
				{Name: "jvm_gc_collection_seconds", Type: "summary", Help: "Time spent in a given JVM garbage collector in seconds.", Labels: []string{"gc"}},
				{Name: "jvm_memory_used_bytes", Type: "gauge", Help: "Used bytes of a given JVM memory area.", Labels: []string{"area", "pool"}},
				{Name: "jvm_runtime_info", Labels: []string{"runtime", "version"}},
				{Name: "jvm_threads_current", Type: "gauge", Help: "Current thread count of a JVM"},
			},
			wantWarns: []string{
				`blocks/jvm.md:41: unknown metric type "info"`,
				"blocks/threads.md:4: invalid metric name",
				"blocks/threads.md:8: jvm_memory_used_bytes is typed counter here and gauge at blocks/jvm.md:14; keeping gauge",
				"blocks/threads.md:17: no metric families",
			},
		},
		{
			name:  "reads nothing from a page without exposition blocks",
			paths: []string{"blocks/none.md"},
		},
	}
	fsys := testFS(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, warns, err := ExpositionBlocks(fsys, tt.paths)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("families (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantWarns, warns); diff != "" {
				t.Errorf("warnings (-want +got):\n%s", diff)
			}
		})
	}
}

func TestExpositionBlocksSkipsLargeFiles(t *testing.T) {
	src := append([]byte("```\n# TYPE big gauge\nbig 1\n```\n"), make([]byte, maxFileSize)...)
	got, warns, err := ExpositionBlocks(fstest.MapFS{"big.md": {Data: src}}, []string{"big.md"})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 0 || len(warns) != 1 || warns[0] != fmt.Sprintf("big.md: skipped: %d bytes, more than %d", len(src), maxFileSize) {
		t.Errorf("families %v, warnings %q; want none and one skip warning", got, warns)
	}
}

func TestExpositionBlocksMissingFile(t *testing.T) {
	if _, _, err := ExpositionBlocks(fstest.MapFS{}, []string{"gone.md"}); err == nil {
		t.Error("no error for a file that does not exist")
	}
}

// FuzzExpositionBlocks checks that the reader never panics, whatever the page.
func FuzzExpositionBlocks(f *testing.F) {
	for _, p := range []string{"testdata/blocks/jvm.md", "testdata/blocks/threads.md", "testdata/blocks/none.md"} {
		src, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(src)
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		if _, _, err := ExpositionBlocks(fstest.MapFS{"a.md": {Data: src}}, []string{"a.md"}); err != nil {
			t.Fatal(err)
		}
	})
}
