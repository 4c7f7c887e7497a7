package safefs

import (
	"bufio"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sync"
)

// maxLinks bounds the links followed to find where a write lands.
const maxLinks = 40

// WriteFile replaces rel with data atomically: a temporary file in the same folder, then a
// rename. A symbolic link at rel whose target stays inside the root is written at its target
// (the link is kept); one that leads out is refused with ErrEscapes. An existing file keeps
// its permissions; a new one gets perm.
func (r *Root) WriteFile(rel string, data []byte, perm fs.FileMode) error {
	p, err := r.Clean(rel)
	if err != nil {
		return err
	}
	target, err := r.resolveLinks(p)
	if err != nil {
		return err
	}
	if st, err := r.root.Lstat(target); err == nil {
		if !st.Mode().IsRegular() {
			return fmt.Errorf("%s: %w (%s)", rel, ErrNotRegular, kind(st.Mode()))
		}
		perm = st.Mode().Perm()
	} else if !errors.Is(err, fs.ErrNotExist) {
		return r.wrap(target, err)
	}
	tmp := path.Join(path.Dir(target), "."+path.Base(target)+"."+randomSuffix()+".tmp")
	f, err := r.root.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if err != nil {
		return r.wrap(tmp, err)
	}
	abs := filepath.Join(r.Dir, filepath.FromSlash(tmp))
	registerTemp(abs)
	defer unregisterTemp(abs)
	fail := func(err error) error {
		_ = f.Close()
		_ = r.root.Remove(tmp)
		return err
	}
	if _, err := f.Write(data); err != nil {
		return fail(err)
	}
	if err := f.Chmod(perm); err != nil {
		return fail(err)
	}
	if err := f.Close(); err != nil {
		_ = r.root.Remove(tmp)
		return err
	}
	if err := r.root.Rename(tmp, target); err != nil {
		_ = r.root.Remove(tmp)
		return r.wrap(target, err)
	}
	return nil
}

// resolveLinks follows the links at p (the last element; the folders on the way are
// followed by os.Root, which refuses any that lead out) and returns the path, inside the
// root, that a write should replace.
func (r *Root) resolveLinks(p string) (string, error) {
	for range maxLinks {
		st, err := r.root.Lstat(p)
		if errors.Is(err, fs.ErrNotExist) {
			return p, nil
		}
		if err != nil {
			return "", r.wrap(p, err)
		}
		if st.Mode()&fs.ModeSymlink == 0 {
			return p, nil
		}
		dest, err := r.root.Readlink(p)
		if err != nil {
			return "", r.wrap(p, err)
		}
		next := filepath.ToSlash(dest)
		if filepath.IsAbs(dest) {
			// An absolute link is inside only if it names a path under the root as the
			// operating system resolves it.
			q, err := filepath.Rel(r.Dir, dest)
			if err != nil {
				return "", fmt.Errorf("%s: a link to %s: %w", p, dest, ErrEscapes)
			}
			next = filepath.ToSlash(q)
		} else {
			next = path.Join(path.Dir(p), next)
		}
		if next, err = r.Clean(next); err != nil {
			return "", fmt.Errorf("%s: a link to %s: %w", p, dest, ErrEscapes)
		}
		p = next
	}
	return "", fmt.Errorf("%s: more than %d links", p, maxLinks)
}

func randomSuffix() string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// The temporary files being written, for RemoveTemps.
var temps struct {
	sync.Mutex
	names []string
}

func registerTemp(name string) {
	temps.Lock()
	temps.names = append(temps.names, name)
	temps.Unlock()
}

func unregisterTemp(name string) {
	temps.Lock()
	if i := slices.Index(temps.names, name); i >= 0 {
		temps.names = slices.Delete(temps.names, i, i+1)
	}
	temps.Unlock()
}

// RemoveTemps removes the temporary files of writes still under way: main calls it when an
// interrupt ends the process before they finish.
func RemoveTemps() {
	temps.Lock()
	defer temps.Unlock()
	for _, n := range temps.names {
		_ = os.Remove(n)
	}
	temps.names = nil
}

// WriteOutside writes a file the command line names (--output): as given when it is a
// device or a FIFO (/dev/stdout), else atomically beside it. A symbolic link at name is
// refused when it lies inside root (rootDir; "" for none), whose files the change under
// review controls.
func WriteOutside(name string, data []byte, rootDir string) error {
	return WriteOutsideFunc(name, rootDir, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// WriteError is an error of the write function WriteOutsideFunc was given, returned as it
// is wrapped in this type so that callers can tell it from an error of the file.
type WriteError struct{ Err error }

func (e *WriteError) Error() string { return e.Err.Error() }
func (e *WriteError) Unwrap() error { return e.Err }

// WriteOutsideFunc is WriteOutside for content that write streams (a report of a hundred
// thousand findings is never held in memory whole). When write fails, the file named is left
// as it was and the error is a *WriteError.
func WriteOutsideFunc(name, rootDir string, write func(w io.Writer) error) error {
	if st, err := os.Stat(name); err == nil && !st.Mode().IsRegular() && !st.IsDir() {
		f, err := os.OpenFile(name, os.O_WRONLY, 0)
		if err != nil {
			return err
		}
		bw := bufio.NewWriterSize(f, 64<<10)
		err = write(bw)
		if err != nil {
			err = &WriteError{err}
		} else {
			err = bw.Flush()
		}
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		return err
	}
	abs, err := filepath.Abs(name)
	if err != nil {
		return err
	}
	if st, err := os.Lstat(abs); err == nil && st.Mode()&fs.ModeSymlink != 0 {
		if rootDir != "" && within(rootDir, abs) {
			return fmt.Errorf("%s is a symbolic link inside the project, which the change under review controls; not written (remove it or write elsewhere)", name)
		}
		if real, err := filepath.EvalSymlinks(abs); err == nil {
			abs = real
		}
	}
	perm := fs.FileMode(0o644)
	if st, err := os.Stat(abs); err == nil {
		perm = st.Mode().Perm()
	}
	f, err := os.CreateTemp(filepath.Dir(abs), "."+filepath.Base(abs)+".*.tmp")
	if err != nil {
		return err
	}
	registerTemp(f.Name())
	defer unregisterTemp(f.Name())
	bw := bufio.NewWriterSize(f, 64<<10)
	if werr := write(bw); werr != nil {
		err = &WriteError{werr}
	} else {
		err = bw.Flush()
	}
	if err == nil {
		err = f.Chmod(perm)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), abs)
	}
	if err != nil {
		_ = os.Remove(f.Name())
	}
	return err
}

// within reports whether the absolute path p is dir or below it, comparing real paths of
// dir and of p's folder.
func within(dir, p string) bool {
	if real, err := filepath.EvalSymlinks(dir); err == nil {
		dir = real
	}
	parent := filepath.Dir(p)
	if real, err := filepath.EvalSymlinks(parent); err == nil {
		parent = real
	}
	full := filepath.Join(parent, filepath.Base(p))
	rel, err := filepath.Rel(dir, full)
	return err == nil && rel != ".." && !filepath.IsAbs(rel) && !startsDotDot(rel)
}

func startsDotDot(rel string) bool {
	return len(rel) >= 3 && rel[:2] == ".." && os.IsPathSeparator(rel[2])
}
