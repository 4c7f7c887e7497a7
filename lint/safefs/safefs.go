// Package safefs reads and writes a project's files as untrusted input: every path resolves
// inside the project root, symbolic links included (Go's os.Root), only regular files are
// read (opened non-blocking, then checked with fstat, so that a FIFO cannot hang a run), the
// bytes read are counted against a size limit per file and a budget per run, and writes are
// atomic and never follow a link out of the root.
//
// In a pull request the author controls every file of the tree, the config included: a
// config entry ../../../proc/self/environ or a committed link to ~/.bashrc must neither be
// read into a report nor be written to.
package safefs

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
)

// ErrEscapes is the error of a path, or a link on it, that leads out of the project root.
var ErrEscapes = errors.New("leaves the project root")

// ErrNotRegular is the error of a path that is a folder, a FIFO, a device or a socket.
var ErrNotRegular = errors.New("not a regular file")

// ErrBudget is the error of a read past the run's byte budget.
var ErrBudget = errors.New("the run's read budget is spent")

// Root is an open project root.
type Root struct {
	Dir string // absolute and free of links: the root as the operating system resolves it

	root   *os.Root
	budget *atomic.Int64 // bytes left to read in this run; nil: no budget

	mu      sync.Mutex
	escapes map[string]bool // project-relative paths of links found leading out of the root
}

// Open opens dir as a project root.
func Open(dir string) (*Root, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		abs = real
	}
	r, err := os.OpenRoot(abs)
	if err != nil {
		return nil, err
	}
	return &Root{Dir: abs, root: r, escapes: map[string]bool{}}, nil
}

// Close releases the root.
func (r *Root) Close() error { return r.root.Close() }

// SetBudget limits the bytes that ReadFile returns in all, from now on.
func (r *Root) SetBudget(n int64) {
	r.budget = &atomic.Int64{}
	r.budget.Store(n)
}

// Clean checks that rel, a slash-separated path relative to the root, stays inside it
// lexically, and returns it cleaned. An absolute path inside the root is made relative.
func (r *Root) Clean(rel string) (string, error) {
	p := filepath.ToSlash(rel)
	if filepath.IsAbs(rel) {
		q, err := filepath.Rel(r.Dir, rel)
		if err != nil {
			return "", fmt.Errorf("%s: %w", rel, ErrEscapes)
		}
		p = filepath.ToSlash(q)
	}
	p = path.Clean(p)
	if p == ".." || strings.HasPrefix(p, "../") || path.IsAbs(p) {
		return "", fmt.Errorf("%s: %w", rel, ErrEscapes)
	}
	return p, nil
}

// Stat returns what rel is, following links that stay inside the root; a link that leads out
// gives ErrEscapes and is remembered, for Escapes.
func (r *Root) Stat(rel string) (fs.FileInfo, error) {
	p, err := r.Clean(rel)
	if err != nil {
		return nil, err
	}
	st, err := r.root.Stat(p)
	if escapes(err) {
		r.noteEscape(p)
	}
	return st, r.wrap(p, err)
}

// Check says whether rel can be read as an input: nil, or an error wrapping ErrEscapes,
// ErrNotRegular or fs.ErrNotExist.
func (r *Root) Check(rel string) error {
	st, err := r.Stat(rel)
	if err != nil {
		return err
	}
	if !st.Mode().IsRegular() {
		return fmt.Errorf("%s: %w", rel, ErrNotRegular)
	}
	return nil
}

// wrap turns os.Root's error for a path that escapes into ErrEscapes.
func (r *Root) wrap(rel string, err error) error {
	if err == nil {
		return nil
	}
	if escapes(err) {
		return fmt.Errorf("%s: %w", rel, ErrEscapes)
	}
	return err
}

// escapes reports whether err is os.Root's refusal of a path that leads out of it.
func escapes(err error) bool {
	return err != nil && strings.Contains(err.Error(), "path escapes from parent")
}

// ReadFile reads the regular file rel, at most max bytes (0: no limit but the budget). A
// larger file is an error that says so; nothing of it is returned.
func (r *Root) ReadFile(rel string, max int64) ([]byte, error) {
	f, err := r.open(rel)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return r.read(f, rel, max)
}

// ReadHead reads at most the first n bytes of the regular file rel: a prefix, never an
// error for a larger file. It counts against the budget as ReadFile does.
func (r *Root) ReadHead(rel string, n int64) ([]byte, error) {
	f, err := r.open(rel)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if _, err := regular(f, rel); err != nil {
		return nil, err
	}
	src, err := io.ReadAll(io.LimitReader(f, n))
	if err != nil {
		return nil, err
	}
	if r.budget != nil && r.budget.Add(-int64(len(src))) < 0 {
		return nil, fmt.Errorf("%s: %w", rel, ErrBudget)
	}
	return src, nil
}

// open opens rel, which must stay inside the root, non-blocking.
func (r *Root) open(rel string) (*os.File, error) {
	p, err := r.Clean(rel)
	if err != nil {
		return nil, err
	}
	f, err := r.root.OpenFile(p, os.O_RDONLY|openFlags, 0)
	if err != nil {
		return nil, r.wrap(p, err)
	}
	return f, nil
}

// regular returns the open file f's information, and an error when it is not a regular
// file (a FIFO, a device, a folder).
func regular(f *os.File, name string) (fs.FileInfo, error) {
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: %w (%s)", name, ErrNotRegular, kind(st.Mode()))
	}
	return st, nil
}

// read reads the open file f, which must be a regular file, within max and the budget.
func (r *Root) read(f *os.File, name string, max int64) ([]byte, error) {
	st, err := regular(f, name)
	if err != nil {
		return nil, err
	}
	if max > 0 && st.Size() > max {
		return nil, &TooLargeError{Size: st.Size(), Max: max}
	}
	limit := max
	if limit <= 0 {
		limit = 1<<62 - 1
	}
	if r.budget != nil {
		left := r.budget.Load()
		if left < st.Size() {
			return nil, fmt.Errorf("%s: %w", name, ErrBudget)
		}
	}
	// The size fstat gives can be wrong (a file that grows, /proc): the limit holds on the
	// bytes read. It sizes the buffer, so that a large file is not read through a buffer
	// doubled again and again (each doubling cleared and copied).
	src, err := readAll(io.LimitReader(f, limit+1), min(st.Size(), limit)+1)
	if err != nil {
		return nil, err
	}
	if int64(len(src)) > limit {
		return nil, &TooLargeError{Size: int64(len(src)), Max: max, AtLeast: true}
	}
	if r.budget != nil && r.budget.Add(-int64(len(src))) < 0 {
		return nil, fmt.Errorf("%s: %w", name, ErrBudget)
	}
	return src, nil
}

// readAll reads r to its end into a buffer of capacity size at first (bytes.Buffer grows it
// if r holds more).
func readAll(r io.Reader, size int64) ([]byte, error) {
	var b bytes.Buffer
	if size > 0 && size < 1<<40 {
		b.Grow(int(size) + bytes.MinRead) // ReadFrom grows the buffer when less than MinRead is free
	}
	_, err := b.ReadFrom(r)
	return b.Bytes(), err
}

// TooLargeError is the error of a file over the size limit.
type TooLargeError struct {
	Size, Max int64
	AtLeast   bool // Size is only what was read before giving up
}

func (e *TooLargeError) Error() string {
	if e.AtLeast {
		return fmt.Sprintf("file is more than %d bytes, the limit; not read", e.Max)
	}
	return fmt.Sprintf("file is %d bytes, larger than the %d-byte limit; not read", e.Size, e.Max)
}

// kind names a file mode that is not a regular file.
func kind(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a folder"
	case m&fs.ModeNamedPipe != 0:
		return "a FIFO"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0, m&fs.ModeCharDevice != 0:
		return "a device"
	default:
		return "mode " + m.String()
	}
}

// ReadOutside reads a file given by absolute or working-directory-relative path, outside any
// root: for files the command line names (an --allow-read secret, a baseline). Only regular
// files are read, non-blocking, within max bytes.
func ReadOutside(name string, max int64) ([]byte, error) {
	f, err := os.OpenFile(name, os.O_RDONLY|openFlags, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return (&Root{}).read(f, name, max)
}

// FS returns the root as an fs.FS for glob matching and walking: links that stay inside are
// followed; a link that leads out is not (it reads as missing) and is remembered, for
// Escapes.
func (r *Root) FS() fs.FS { return &rootFS{r: r, fsys: r.root.FS()} }

// Escapes returns the links found leading out of the root so far, sorted.
func (r *Root) Escapes() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]string, 0, len(r.escapes))
	for p := range r.escapes {
		out = append(out, p)
	}
	slices.Sort(out)
	return out
}

func (r *Root) noteEscape(rel string) {
	r.mu.Lock()
	r.escapes[rel] = true
	r.mu.Unlock()
}

type rootFS struct {
	r    *Root
	fsys fs.FS
}

func (f *rootFS) Open(name string) (fs.File, error) {
	file, err := f.fsys.Open(name)
	return file, f.check(name, err)
}

func (f *rootFS) Stat(name string) (fs.FileInfo, error) {
	st, err := fs.Stat(f.fsys, name)
	return st, f.check(name, err)
}

func (f *rootFS) ReadDir(name string) ([]fs.DirEntry, error) {
	e, err := fs.ReadDir(f.fsys, name)
	return e, f.check(name, err)
}

// check remembers a link that leads out and makes it read as missing.
func (f *rootFS) check(name string, err error) error {
	if escapes(err) {
		f.r.noteEscape(name)
		return &fs.PathError{Op: "stat", Path: name, Err: fs.ErrNotExist}
	}
	return err
}
