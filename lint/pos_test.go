package lint

import (
	"math/rand/v2"
	"testing"
)

func TestMappedSpanKeepsEveryOffset(t *testing.T) {
	tests := []struct {
		name    string
		offs    []int32
		compact bool
	}{
		{name: "stores a verbatim run as one run", offs: []int32{10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20}, compact: true},
		{name: "stores lines of a block scalar as runs", offs: []int32{4, 5, 6, 7, 8, 9, 10, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32}, compact: true},
		{name: "keeps a table when runs would not save room", offs: []int32{3, 5, 7, 9, 11, 13}, compact: false},
		{name: "keeps repeated offsets of a stand-in", offs: []int32{0, 1, 2, 2, 2, 2, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27}, compact: true},
		{name: "handles a single end offset", offs: []int32{7}, compact: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			value := string(make([]byte, len(tt.offs)-1))
			s := MappedSpan(value, nil, append([]int32(nil), tt.offs...))
			if got := s.Offs[0] == runMarker; got != tt.compact {
				t.Errorf("compact = %v, want %v (%v)", got, tt.compact, s.Offs)
			}
			for i := -2; i < len(tt.offs)+3; i++ {
				want := int(tt.offs[min(max(i, 0), len(tt.offs)-1)])
				if got := s.Offset(i); got != want {
					t.Errorf("Offset(%d) = %d, want %d", i, got, want)
				}
			}
			if s.Start != int(tt.offs[0]) {
				t.Errorf("Start = %d, want %d", s.Start, tt.offs[0])
			}
		})
	}
}

// TestMappedSpanSubAgrees compares Sub of a compact span with the table it came from, on
// random tables made of runs.
func TestMappedSpanSubAgrees(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for range 2000 {
		var offs []int32
		off := int32(rng.IntN(50))
		for range 1 + rng.IntN(200) {
			offs = append(offs, off)
			if rng.IntN(10) == 0 {
				off += int32(rng.IntN(6)) // a jump, or a repeat
			} else {
				off++
			}
		}
		s := MappedSpan(string(make([]byte, len(offs)-1)), nil, append([]int32(nil), offs...))
		i := rng.IntN(len(offs))
		j := i + rng.IntN(len(offs)-i)
		sub := s.Sub(i, j)
		for k := 0; k <= j-i; k++ {
			if got, want := sub.Offset(k), int(offs[i+k]); got != want {
				t.Fatalf("Sub(%d, %d).Offset(%d) = %d, want %d (offsets %v)", i, j, k, got, want, offs)
			}
		}
	}
}
