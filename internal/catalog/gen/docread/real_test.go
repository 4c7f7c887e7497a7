package docread

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRealInputs runs the readers on upstream inputs exported outside the repository, when
// DOCREAD_REAL names their directory (see SOURCES.md), and logs counts and a sample. It
// checks only what must hold for any real catalogue: some families, all named.
func TestRealInputs(t *testing.T) {
	root := os.Getenv("DOCREAD_REAL")
	if root == "" {
		t.Skip("DOCREAD_REAL is not set")
	}
	entries, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		t.Run(e.Name(), func(t *testing.T) {
			fsys := os.DirFS(filepath.Join(root, e.Name()))
			var fams []Family
			var warns []string
			switch {
			case strings.HasPrefix(e.Name(), "k8s"):
				src, err := fs.ReadFile(fsys, "documentation-list.yaml")
				if err != nil {
					t.Fatal(err)
				}
				fams, warns, err = KubernetesList(src)
				if err != nil {
					t.Fatal(err)
				}
			case strings.HasPrefix(e.Name(), "expo"):
				paths := walk(t, fsys, ".txt", ".prom", ".metrics")
				fams, warns, err = Exposition(fsys, paths)
				if err != nil {
					t.Fatal(err)
				}
			default:
				paths := walk(t, fsys, ".md")
				fams, warns, err = Markdown(fsys, paths)
				if err != nil {
					t.Fatal(err)
				}
			}
			logCounts(t, fams, warns)
		})
	}
}

func walk(t *testing.T, fsys fs.FS, exts ...string) []string {
	t.Helper()
	var paths []string
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		for _, x := range exts {
			if !d.IsDir() && strings.HasSuffix(p, x) {
				paths = append(paths, p)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return paths
}

func logCounts(t *testing.T, fams []Family, warns []string) {
	t.Helper()
	labelled, typed, helped := 0, 0, 0
	types := map[string]int{}
	for _, f := range fams {
		if f.Name == "" {
			t.Errorf("a family without a name: %+v", f)
		}
		if len(f.Labels) > 0 {
			labelled++
		}
		if f.Type != "" {
			typed++
		}
		if f.Help != "" {
			helped++
		}
		types[f.Type]++
	}
	if len(fams) == 0 {
		t.Error("no families")
	}
	t.Logf("families %d, with labels %d, typed %d, with help %d, types %v, warnings %d", len(fams), labelled, typed, helped, types, len(warns))
	for i, f := range fams {
		if i%max(1, len(fams)/4) == 0 {
			t.Logf("sample: %s %s %v %q", f.Name, f.Type, f.Labels, f.Help)
		}
	}
	for _, w := range warns {
		t.Logf("warning: %s", w)
	}
}
