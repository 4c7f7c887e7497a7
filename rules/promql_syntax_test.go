package rules

import (
	"testing"
	"unicode/utf8"

	"github.com/driftlint/driftlint/lint/linttest"
)

func TestTruncateKeepsCharactersWhole(t *testing.T) {
	for _, tt := range []struct {
		s    string
		n    int
		want string
	}{
		{"short", 10, "short"},
		{"abcdefgh", 5, "abcd…"},
		{`x{city="Zürich"}`, 11, `x{city="Z…`}, // the cut falls inside ü: it is not split
	} {
		if got := truncate(tt.s, tt.n); got != tt.want || !utf8.ValidString(got) {
			t.Errorf("truncate(%q, %d) = %q, want %q", tt.s, tt.n, got, tt.want)
		}
	}
}

func TestPromQLSyntax(t *testing.T) {
	linttest.Run(t, "../fixtures/promql-syntax", PromQLSyntax)
}
