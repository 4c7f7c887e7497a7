package safefs

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A streamed write that fails leaves the file as it was, and no temporary file beside it;
// one that succeeds replaces it whole.
func TestWriteOutsideFuncAtomic(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "report.json")
	if err := os.WriteFile(out, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	err := WriteOutsideFunc(out, "", func(w io.Writer) error {
		_, _ = io.WriteString(w, "partial")
		return boom
	})
	var werr *WriteError
	if !errors.As(err, &werr) || !errors.Is(err, boom) {
		t.Fatalf("error %v, want a *WriteError wrapping boom", err)
	}
	if b, _ := os.ReadFile(out); string(b) != "old" {
		t.Errorf("after a failed write the file holds %q, want old", b)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("files left beside it: %v", entries)
	}
	big := strings.Repeat("x", 1<<20)
	if err := WriteOutsideFunc(out, "", func(w io.Writer) error {
		for range 3 {
			if _, err := io.WriteString(w, big); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(out); len(b) != 3<<20 {
		t.Errorf("after a write the file holds %d bytes, want %d", len(b), 3<<20)
	}
}
