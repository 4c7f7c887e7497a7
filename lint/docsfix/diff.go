package docsfix

import (
	"bytes"

	"github.com/rogpeppe/go-internal/diff"
)

// Diff returns a unified diff from old to new with three lines of context and path in the
// ---/+++ headers as a/path and b/path (the form git apply and patch -p1 take), or "" when
// the contents are equal. A last line without a newline is marked "\ No newline at end of
// file". It is go-internal's anchored diff (the Go toolchain's): lines that occur once on
// each side anchor the matching, so moved rows and repeated separator lines do not pair up
// unrelated text, and it runs in O(n log n). Its "diff a/path b/path" first line is dropped,
// since diff -u prints none.
func Diff(path string, old, new []byte) string {
	d := diff.Diff("a/"+path, old, "b/"+path, new)
	if d == nil {
		return ""
	}
	if i := bytes.IndexByte(d, '\n'); i >= 0 && bytes.HasPrefix(d, []byte("diff ")) {
		d = d[i+1:]
	}
	return string(d)
}
