package docsfix

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// diffContext is the number of unchanged lines around each change in a hunk.
const diffContext = 3

// Diff returns a unified diff (as diff -u and git diff print it, three lines of context)
// from old to new, with path in the ---/+++ headers as a/path and b/path, or "" when the
// contents are equal. A last line without a newline is marked "\ No newline at end of file".
// Lines are compared with Myers' O(ND) algorithm in its linear-space form, so the diff is a
// shortest one.
func Diff(path string, old, new []byte) string {
	if string(old) == string(new) {
		return ""
	}
	a, b := splitLines(string(old)), splitLines(string(new))
	ops := diffLines(a, b)
	var out strings.Builder
	fmt.Fprintf(&out, "--- a/%s\n+++ b/%s\n", path, path)
	for i := 0; i < len(ops); {
		if ops[i].kind == ' ' {
			i++
			continue
		}
		// A hunk: from diffContext lines before this change to diffContext lines after the
		// last change that is at most 2*diffContext unchanged lines from the previous one.
		start := max(0, i-diffContext)
		end := i
		for j := i; j < len(ops); j++ {
			if ops[j].kind != ' ' {
				end = j + 1
				continue
			}
			if j-end >= 2*diffContext {
				break
			}
		}
		end = min(len(ops), end+diffContext)
		writeHunk(&out, a, b, ops[start:end])
		i = end
	}
	return out.String()
}

// op is one line of an edit script: ' ' (in both), '-' (only in a) or '+' (only in b), with
// the line's index in a and in b (the index the next line would have, for the other side).
type op struct {
	kind byte
	a, b int
}

func writeHunk(out *strings.Builder, a, b []string, ops []op) {
	na, nb := 0, 0
	for _, o := range ops {
		if o.kind != '+' {
			na++
		}
		if o.kind != '-' {
			nb++
		}
	}
	fmt.Fprintf(out, "@@ -%s +%s @@\n", hunkRange(ops[0].a, na), hunkRange(ops[0].b, nb))
	for _, o := range ops {
		line := ""
		switch o.kind {
		case '-':
			line = a[o.a]
		default:
			line = b[o.b]
		}
		out.WriteByte(o.kind)
		out.WriteString(line)
		if !strings.HasSuffix(line, "\n") {
			out.WriteString("\n\\ No newline at end of file\n")
		}
	}
}

// hunkRange formats the start and length of one side of a hunk as diff -u does: "3,4", "3"
// for one line, "2,0" (the line before) for none.
func hunkRange(start, n int) string {
	switch n {
	case 0:
		return fmt.Sprintf("%d,0", start)
	case 1:
		return strconv.Itoa(start + 1)
	default:
		return fmt.Sprintf("%d,%d", start+1, n)
	}
}

// splitLines cuts s into lines that keep their "\n" (the last may have none).
func splitLines(s string) []string {
	var out []string
	for s != "" {
		i := strings.IndexByte(s, '\n')
		if i < 0 {
			out = append(out, s)
			break
		}
		out = append(out, s[:i+1])
		s = s[i+1:]
	}
	return out
}

// diffLines returns a shortest edit script from a to b.
func diffLines(a, b []string) []op {
	ids := map[string]int{}
	intern := func(ls []string) []int {
		out := make([]int, len(ls))
		for i, l := range ls {
			id, ok := ids[l]
			if !ok {
				id = len(ids)
				ids[l] = id
			}
			out[i] = id
		}
		return out
	}
	d := &differ{a: intern(a), b: intern(b)}
	n, m := len(a), len(b)
	d.vf = make([]int, 2*(n+m)+4)
	d.vb = make([]int, 2*(n+m)+4)
	d.compare(0, n, 0, m)
	// Within each run of changes, print the deleted lines before the added ones, as diff
	// tools do; the script stays the same edit.
	ops := d.ops
	for i := 0; i < len(ops); {
		if ops[i].kind == ' ' {
			i++
			continue
		}
		j := i
		for j < len(ops) && ops[j].kind != ' ' {
			j++
		}
		slices.SortStableFunc(ops[i:j], func(x, y op) int {
			if x.kind == y.kind {
				return 0
			}
			if x.kind == '-' {
				return -1
			}
			return 1
		})
		i = j
	}
	return ops
}

// differ holds the state of a linear-space Myers diff.
type differ struct {
	a, b   []int
	vf, vb []int // furthest x on each diagonal, forward and backward, offset by len(vf)/2
	ops    []op
}

func (d *differ) equal(x, y, n int) {
	for i := range n {
		d.ops = append(d.ops, op{' ', x + i, y + i})
	}
}

// compare appends the edit script from a[aLo:aHi] to b[bLo:bHi].
func (d *differ) compare(aLo, aHi, bLo, bHi int) {
	// Common prefix and suffix.
	p := 0
	for aLo+p < aHi && bLo+p < bHi && d.a[aLo+p] == d.b[bLo+p] {
		p++
	}
	d.equal(aLo, bLo, p)
	aLo, bLo = aLo+p, bLo+p
	s := 0
	for aHi-s > aLo && bHi-s > bLo && d.a[aHi-s-1] == d.b[bHi-s-1] {
		s++
	}
	aHi, bHi = aHi-s, bHi-s
	switch {
	case aLo == aHi:
		for y := bLo; y < bHi; y++ {
			d.ops = append(d.ops, op{'+', aLo, y})
		}
	case bLo == bHi:
		for x := aLo; x < aHi; x++ {
			d.ops = append(d.ops, op{'-', x, bLo})
		}
	default:
		x, y, u, v, ok := d.middleSnake(aLo, aHi, bLo, bHi)
		if !ok {
			for i := aLo; i < aHi; i++ {
				d.ops = append(d.ops, op{'-', i, bLo})
			}
			for j := bLo; j < bHi; j++ {
				d.ops = append(d.ops, op{'+', aHi, j})
			}
			break
		}
		d.compare(aLo, x, bLo, y)
		d.equal(x, y, u-x)
		d.compare(u, aHi, v, bHi)
	}
	d.equal(aHi, bHi, s)
}

// middleSnake finds the middle snake of a shortest edit path from a[aLo:aHi] to b[bLo:bHi]
// (both not empty, differing in their first and last lines) and returns its start (x, y)
// and end (u, v) in absolute indexes.
func (d *differ) middleSnake(aLo, aHi, bLo, bHi int) (x, y, u, v int, ok bool) {
	n, m := aHi-aLo, bHi-bLo
	delta := n - m
	odd := delta&1 != 0
	off := len(d.vf) / 2
	d.vf[off+1], d.vb[off+1] = 0, 0
	for k := 0; k <= (n+m+1)/2; k++ {
		// Forward paths of length k.
		for dg := -k; dg <= k; dg += 2 {
			var px int
			if dg == -k || dg != k && d.vf[off+dg-1] < d.vf[off+dg+1] {
				px = d.vf[off+dg+1]
			} else {
				px = d.vf[off+dg-1] + 1
			}
			py := px - dg
			sx, sy := px, py
			for px < n && py < m && d.a[aLo+px] == d.b[bLo+py] {
				px++
				py++
			}
			d.vf[off+dg] = px
			if rd := delta - dg; odd && rd >= -(k-1) && rd <= k-1 && px+d.vb[off+rd] >= n {
				return aLo + sx, bLo + sy, aLo + px, bLo + py, true
			}
		}
		// Backward paths of length k, on the reversed sequences.
		for dg := -k; dg <= k; dg += 2 {
			var px int
			if dg == -k || dg != k && d.vb[off+dg-1] < d.vb[off+dg+1] {
				px = d.vb[off+dg+1]
			} else {
				px = d.vb[off+dg-1] + 1
			}
			py := px - dg
			sx, sy := px, py
			for px < n && py < m && d.a[aHi-1-px] == d.b[bHi-1-py] {
				px++
				py++
			}
			d.vb[off+dg] = px
			if fd := delta - dg; !odd && fd >= -k && fd <= k && px+d.vf[off+fd] >= n {
				return aHi - px, bHi - py, aHi - sx, bHi - sy, true
			}
		}
	}
	return 0, 0, 0, 0, false // not reached: a path of length n+m always exists
}
