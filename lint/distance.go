package lint

import "unicode/utf8"

// matcher computes edit distances from one string to many: for an ASCII string of at most
// 64 bytes with Myers' bit-parallel algorithm (Hyyrö's formulation), one machine word per
// character of the other string; otherwise with boundedDistance.
type matcher struct {
	s    string
	peq  *[256]uint64 // nil: not bit-parallel
	last uint64       // the bit of s's last byte
}

func newMatcher(s string) *matcher {
	m := &matcher{s: s}
	if len(s) == 0 || len(s) > 64 || !isASCII(s) {
		return m
	}
	m.peq = new([256]uint64)
	for i := range len(s) {
		m.peq[s[i]] |= 1 << i
	}
	m.last = 1 << (len(s) - 1)
	return m
}

// distance returns the Levenshtein distance (in runes) between the matcher's string and t
// when it is at most k, and some number greater than k otherwise.
func (m *matcher) distance(t string, k int) int {
	if m.peq == nil || !isASCII(t) {
		return boundedDistance(m.s, t, k)
	}
	if d := len(m.s) - len(t); d > k || -d > k {
		return k + 1
	}
	pv, mv, score := ^uint64(0), uint64(0), len(m.s)
	for j := range len(t) {
		eq := m.peq[t[j]]
		xv := eq | mv
		xh := (((eq & pv) + pv) ^ pv) | eq
		ph := mv | ^(xh | pv)
		mh := pv & xh
		if ph&m.last != 0 {
			score++
		} else if mh&m.last != 0 {
			score--
		}
		ph = ph<<1 | 1 // the first row of the table grows by one per column
		mh <<= 1
		pv = mh | ^(xv | ph)
		mv = ph & xv
		if score-(len(t)-1-j) > k { // it can fall by at most one per remaining column
			return k + 1
		}
	}
	return score
}

// boundedDistance returns the Levenshtein distance between a and b counted in runes (as
// github.com/agnivade/levenshtein does) when it is at most k, and some number greater than
// k otherwise. Only the diagonal band |i-j| <= k of the table is computed, and the
// computation stops as soon as a whole row exceeds k, so that comparing a name with
// thousands of dissimilar candidates costs O(len·k) each instead of O(len²).
func boundedDistance(a, b string, k int) int {
	if isASCII(a) && isASCII(b) {
		return banded(len(a), len(b), k, func(i, j int) bool { return a[i] == b[j] })
	}
	ra, rb := []rune(a), []rune(b)
	return banded(len(ra), len(rb), k, func(i, j int) bool { return ra[i] == rb[j] })
}

func isASCII(s string) bool {
	for i := range len(s) {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// banded computes the bounded edit distance between sequences of lengths n and m whose
// elements eq compares.
func banded(n, m, k int, eq func(i, j int) bool) int {
	if k < 0 {
		return k + 1
	}
	if d := n - m; d > k || -d > k {
		return k + 1
	}
	inf := k + 1
	var buf [2][65]int
	var prev, cur []int
	if m+1 <= len(buf[0]) {
		prev, cur = buf[0][:m+1], buf[1][:m+1]
	} else {
		prev, cur = make([]int, m+1), make([]int, m+1)
	}
	for j := range prev {
		prev[j] = min(j, inf)
	}
	for i := 1; i <= n; i++ {
		lo, hi := max(1, i-k), min(m, i+k)
		rowMin := inf
		if lo == 1 {
			cur[0] = min(i, inf)
			rowMin = cur[0]
		} else {
			cur[lo-1] = inf
		}
		for j := lo; j <= hi; j++ {
			cost := 1
			if eq(i-1, j-1) {
				cost = 0
			}
			v := prev[j-1] + cost // substitute or keep
			if up := prev[j] + 1; up < v && j <= i-1+k {
				v = up // delete from a (prev[j] is inside the previous row's band)
			}
			if left := cur[j-1] + 1; left < v {
				v = left // insert into a
			}
			v = min(v, inf)
			cur[j] = v
			rowMin = min(rowMin, v)
		}
		if hi < m {
			cur[hi+1] = inf
		}
		if rowMin > k {
			return inf
		}
		prev, cur = cur, prev
	}
	return prev[m]
}
