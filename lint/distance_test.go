package lint

import (
	"math/rand/v2"
	"testing"

	"github.com/agnivade/levenshtein"
)

func TestBoundedDistance(t *testing.T) {
	tests := []struct {
		name string
		a, b string
		k    int
		want int
	}{
		{name: "gives 0 for equal strings", a: "node_cpu", b: "node_cpu", k: 3, want: 0},
		{name: "counts one substitution", a: "http_requests_total", b: "http_request_total", k: 3, want: 1},
		{name: "counts an insertion at the start", a: "x_total", b: "ax_total", k: 2, want: 1},
		{name: "counts runes, not bytes", a: "ÜberLast", b: "UberLast", k: 2, want: 1},
		{name: "gives more than k for a far string", a: "kube_pod_info", b: "node_memory_MemFree_bytes", k: 4, want: 5},
		{name: "gives more than k when lengths differ by more than k", a: "a", b: "abcdef", k: 2, want: 3},
		{name: "handles empty strings", a: "", b: "abc", k: 3, want: 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := boundedDistance(tt.a, tt.b, tt.k); got != tt.want {
				t.Errorf("boundedDistance(%q, %q, %d) = %d, want %d", tt.a, tt.b, tt.k, got, tt.want)
			}
		})
	}
}

// TestBoundedDistanceAgreesWithLevenshtein compares with the library on random strings
// over a small alphabet (so that distances are often small), ASCII and not.
func TestBoundedDistanceAgreesWithLevenshtein(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	alphabets := []string{"ab_", "abcdé_", "abcdefghijklmnopqrstuvwxyz_"}
	word := func(alpha []rune) string {
		r := make([]rune, rng.IntN(70))
		for i := range r {
			r[i] = alpha[rng.IntN(len(alpha))]
		}
		return string(r)
	}
	for range 50000 {
		alpha := []rune(alphabets[rng.IntN(len(alphabets))])
		a, b, k := word(alpha), word(alpha), rng.IntN(12)
		want := levenshtein.ComputeDistance(a, b)
		if got := boundedDistance(a, b, k); want <= k && got != want || want > k && got <= k {
			t.Fatalf("boundedDistance(%q, %q, %d) = %d, levenshtein says %d", a, b, k, got, want)
		}
		if got := newMatcher(a).distance(b, k); want <= k && got != want || want > k && got <= k {
			t.Fatalf("matcher(%q).distance(%q, %d) = %d, levenshtein says %d", a, b, k, got, want)
		}
	}
}

// TestMatcherAgreesOnNearNames compares on long names a few edits apart, where the
// distance is small and the bit-parallel path must count exactly.
func TestMatcherAgreesOnNearNames(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	const alpha = "abcdefghijklmnopqrstuvwxyz_"
	for range 20000 {
		a := make([]byte, 1+rng.IntN(64))
		for i := range a {
			a[i] = alpha[rng.IntN(len(alpha))]
		}
		b := append([]byte(nil), a...)
		for range rng.IntN(5) {
			i := rng.IntN(len(b) + 1)
			switch rng.IntN(3) {
			case 0:
				b = append(b[:i], append([]byte{alpha[rng.IntN(len(alpha))]}, b[i:]...)...)
			case 1:
				if i < len(b) {
					b = append(b[:i], b[i+1:]...)
				}
			default:
				if i < len(b) {
					b[i] = alpha[rng.IntN(len(alpha))]
				}
			}
		}
		want := levenshtein.ComputeDistance(string(a), string(b))
		for _, k := range []int{want - 1, want, want + 3} {
			if got := newMatcher(string(a)).distance(string(b), k); want <= k && got != want || want > k && got <= k {
				t.Fatalf("matcher(%q).distance(%q, %d) = %d, levenshtein says %d", a, b, k, got, want)
			}
		}
	}
}

// TestClosestKeepsItsChoices checks Closest's tie-breaking and threshold on names like the
// ones it sees.
func TestClosestKeepsItsChoices(t *testing.T) {
	names := []string{"http_requests_total", "http_request_errors_total", "node_cpu_seconds_total", "node_cpu_guest_seconds_total", "up"}
	tests := []struct {
		name, in, want string
	}{
		{name: "finds a missing letter", in: "http_request_total", want: "http_requests_total"},
		{name: "finds nothing for a far name", in: "kube_pod_info", want: ""},
		{name: "ignores the name itself", in: "up", want: ""},
		{name: "finds a transposition", in: "node_cpu_secodns_total", want: "node_cpu_seconds_total"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Closest(tt.in, names); got != tt.want {
				t.Errorf("Closest(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
