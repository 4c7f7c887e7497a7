//go:build unix

package safefs

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/bmatcuk/doublestar/v4"
)

// tree makes root/ with an outside/ sibling holding a secret, and links of every kind.
func tree(t *testing.T) (string, *Root) {
	t.Helper()
	dir := t.TempDir()
	for p, s := range map[string]string{
		"outside/secret.yml": "TOKEN=hunter2\n",
		"root/a/rules.yml":   "groups: []\n",
		"root/b/doc.md":      "# doc\n",
	} {
		full := filepath.Join(dir, p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for link, target := range map[string]string{
		"root/a/leak.yml":  "../../outside/secret.yml",
		"root/a/abs.yml":   filepath.Join(dir, "outside/secret.yml"),
		"root/outdir":      "../outside",
		"root/in.yml":      "a/rules.yml",
		"root/adir":        "a",
		"root/a/zero.yml":  "/dev/zero",
		"root/a/loop1.yml": "loop2.yml",
		"root/a/loop2.yml": "loop1.yml",
	} {
		if err := os.Symlink(target, filepath.Join(dir, link)); err != nil {
			t.Fatal(err)
		}
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "root/a/fifo.yml"), 0o644); err != nil {
		t.Fatal(err)
	}
	r, err := Open(filepath.Join(dir, "root"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = r.Close() })
	return dir, r
}

func TestReadFileConfined(t *testing.T) {
	_, r := tree(t)
	for _, ok := range []string{"a/rules.yml", "in.yml", "adir/rules.yml", "./a/../a/rules.yml"} {
		if b, err := r.ReadFile(ok, 1<<20); err != nil || string(b) != "groups: []\n" {
			t.Errorf("ReadFile(%q) = %q, %v; want the rule file", ok, b, err)
		}
	}
	for name, want := range map[string]error{
		"a/leak.yml":               ErrEscapes,
		"a/abs.yml":                ErrEscapes,
		"outdir/secret.yml":        ErrEscapes,
		"../outside/secret.yml":    ErrEscapes,
		"a/../../outside/secret.y": ErrEscapes,
		"/etc/passwd":              ErrEscapes,
		"a/zero.yml":               ErrEscapes,
		"a/fifo.yml":               ErrNotRegular,
		"a":                        ErrNotRegular,
		"a/missing.yml":            fs.ErrNotExist,
	} {
		done := make(chan struct{})
		var b []byte
		var err error
		go func() { b, err = r.ReadFile(name, 1<<20); close(done) }()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			t.Fatalf("ReadFile(%q) hangs", name)
		}
		if !errors.Is(err, want) {
			t.Errorf("ReadFile(%q) = %q, %v; want %v", name, b, err, want)
		}
		if strings.Contains(string(b), "hunter2") {
			t.Errorf("ReadFile(%q) read the secret", name)
		}
	}
	if _, err := r.ReadFile("a/loop1.yml", 1<<20); err == nil {
		t.Errorf("a link loop was read")
	}
}

func TestReadFileLimits(t *testing.T) {
	_, r := tree(t)
	if _, err := r.ReadFile("a/rules.yml", 5); err == nil || !strings.Contains(err.Error(), "larger than the 5-byte limit") {
		t.Errorf("a file over the limit: %v", err)
	}
	r.SetBudget(15)
	if _, err := r.ReadFile("a/rules.yml", 0); err != nil {
		t.Fatalf("within the budget: %v", err)
	}
	if _, err := r.ReadFile("b/doc.md", 0); !errors.Is(err, ErrBudget) {
		t.Errorf("past the budget: %v, want ErrBudget", err)
	}
}

func TestFSGlobSkipsLinksOut(t *testing.T) {
	_, r := tree(t)
	m, err := doublestar.Glob(r.FS(), "**/*.yml", doublestar.WithFilesOnly())
	if err != nil {
		t.Fatal(err)
	}
	var readable []string
	for _, p := range m {
		if r.Check(p) == nil {
			readable = append(readable, p)
		}
	}
	slices.Sort(readable)
	want := []string{"a/rules.yml", "adir/rules.yml", "in.yml"}
	if !slices.Equal(readable, want) {
		t.Errorf("readable matches = %q, want %q", readable, want)
	}
	esc := r.Escapes()
	for _, p := range []string{"a/leak.yml", "a/abs.yml", "a/zero.yml", "outdir"} {
		if !slices.Contains(esc, p) {
			t.Errorf("Escapes() = %q, missing %q", esc, p)
		}
	}
}

func TestWriteFile(t *testing.T) {
	dir, r := tree(t)
	if err := r.WriteFile("new.json", []byte("{}"), 0o600); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "root/new.json")); string(b) != "{}" {
		t.Errorf("new.json = %q", b)
	}
	// A link inside the root is written at its target and stays a link.
	if err := r.WriteFile("in.yml", []byte("x: 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "root/a/rules.yml")); string(b) != "x: 1\n" {
		t.Errorf("the link's target = %q", b)
	}
	if st, _ := os.Lstat(filepath.Join(dir, "root/in.yml")); st.Mode()&fs.ModeSymlink == 0 {
		t.Errorf("in.yml is no longer a link")
	}
	for _, name := range []string{"a/leak.yml", "a/abs.yml", "outdir/secret.yml", "../outside/secret.yml", "a/zero.yml"} {
		if err := r.WriteFile(name, []byte("pwned"), 0o644); !errors.Is(err, ErrEscapes) {
			t.Errorf("WriteFile(%q) = %v, want ErrEscapes", name, err)
		}
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "outside/secret.yml")); string(b) != "TOKEN=hunter2\n" {
		t.Errorf("the outside file was overwritten: %q", b)
	}
	if err := r.WriteFile("a/fifo.yml", []byte("x"), 0o644); !errors.Is(err, ErrNotRegular) {
		t.Errorf("WriteFile on a FIFO = %v, want ErrNotRegular", err)
	}
	// No temporary file is left behind.
	entries, _ := os.ReadDir(filepath.Join(dir, "root"))
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".tmp") {
			t.Errorf("left behind: %s", e.Name())
		}
	}
}

func TestWriteOutside(t *testing.T) {
	dir, _ := tree(t)
	root := filepath.Join(dir, "root")
	link := filepath.Join(root, "report.sarif")
	if err := os.Symlink("../outside/secret.yml", link); err != nil {
		t.Fatal(err)
	}
	if err := WriteOutside(link, []byte("x"), root); err == nil || !strings.Contains(err.Error(), "symbolic link inside the project") {
		t.Errorf("WriteOutside through a link in the project = %v", err)
	}
	out := filepath.Join(dir, "out.json")
	if err := WriteOutside(out, []byte("{}"), root); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(out); string(b) != "{}" {
		t.Errorf("out.json = %q", b)
	}
	// A link outside the project (the user's own) is followed.
	mine := filepath.Join(dir, "mine.json")
	if err := os.Symlink("out.json", mine); err != nil {
		t.Fatal(err)
	}
	if err := WriteOutside(mine, []byte("[]"), root); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(out); string(b) != "[]" {
		t.Errorf("through the user's link: %q", b)
	}
	if err := WriteOutside(os.DevNull, []byte("x"), root); err != nil {
		t.Errorf("a device is written as given: %v", err)
	}
}
