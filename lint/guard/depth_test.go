package guard

import (
	"strings"
	"testing"
	"time"
)

func TestPromQLDepth(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want int
	}{
		{name: "accepts nesting at the limit", in: "sum(rate(x{a=\"b\"}[5m]))", want: -1},
		{name: "points at the first bracket past the limit", in: "((((up))))", want: 3},
		{name: "skips strings, raw strings and comments", in: "x{a=\"((((\",b='[[[[',c=`{{{{`} # ((((\n", want: -1},
		{name: "ignores unbalanced closing brackets", in: ")))))(((", want: -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := PromQLDepth(tt.in, 3); got != tt.want {
				t.Errorf("got %d, want %d", got, tt.want)
			}
		})
	}
}

func TestJSONDepth(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want int
	}{
		{name: "accepts nesting at the limit", in: `{"a":[{"b":1}]}`, want: -1},
		{name: "points at the first bracket past the limit", in: `[[[[1]]]]`, want: 3},
		{name: "skips strings with escaped quotes", in: `["\"[[[[["]`, want: -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := JSONDepth([]byte(tt.in), 3); got != tt.want {
				t.Errorf("got %d, want %d", got, tt.want)
			}
		})
	}
}

func TestYAMLDepth(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want int
	}{
		{name: "accepts a mapping in a sequence in a mapping", in: "groups:\n  - name: g\n    interval: 1m\n", want: 0},
		{name: "counts a rule file as yaml.v3 nests it", in: "groups:\n  - name: g\n    rules:\n      - alert: A\n", want: 4},
		{name: "counts block indentation", in: "a:\n b:\n  c:\n   d: 1\n", want: 4},
		{name: "counts dashes on one line", in: "- - - - x\n", want: 1},
		{name: "counts flow brackets over lines", in: "a: [\n [\n  [[1]]]]\n", want: 3},
		{name: "skips quoted brackets and comments", in: "a: \"[[[[\"\nb: '{{{{' # [[[[\n", want: 0},
		{name: "skips block scalar content", in: "a: |\n  ((( [[[[ {{{{\n      - - - -\nb: 1\n", want: 0},
		{name: "closes levels on dedent", in: "a:\n b:\n  c: 1\nd:\n e:\n  f: 1\n", want: 0},
		{name: "starts over at a document marker", in: "a:\n b:\n  c: 1\n---\nd:\n e:\n  f: 1\n", want: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := YAMLDepth(tt.in, 3); got != tt.want {
				t.Errorf("got line %d, want %d", got, tt.want)
			}
		})
	}
}

func TestMarkdownDepth(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want int
	}{
		{name: "accepts lists nested to the limit", in: "- a\n  - b\n    - c\n- d\n", want: 0},
		{name: "counts nested items by indentation", in: "- a\n  - b\n    - c\n      - d\n", want: 4},
		{name: "counts markers on one line", in: "text\n\n- - - - x\n", want: 3},
		{name: "counts ordered markers and quotes", in: "> 1. > - x\n", want: 0},
		{name: "counts block quotes", in: "> > > > x\n", want: 1},
		{name: "a thematic break is not a list", in: "- - - - - -\n", want: 0},
		{name: "skips fenced code", in: "```yaml\n- - - - - x\n```\n", want: 0},
		{name: "skips indented code", in: "    - - - - x\n", want: 0},
		{name: "closes items after a blank line and a dedent", in: "- a\n  - b\n    - c\n\nfoo\n\n- a\n  - b\n    - c\n", want: 0},
		{name: "keeps items open across lazy lines", in: "- a\nb\n  - c\nd\n    - e\nf\n      - g\n", want: 7},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := MarkdownDepth([]byte(tt.in), 3); got != tt.want {
				t.Errorf("got line %d, want %d", got, tt.want)
			}
		})
	}
}

func TestDepthScansAreLinear(t *testing.T) {
	const n = 1 << 20
	start := time.Now()
	if PromQLDepth(strings.Repeat("(", n), n) != -1 || JSONDepth([]byte(strings.Repeat("[", n)), n) != -1 ||
		YAMLDepth(strings.Repeat("- ", n)+"x\n", 2*n) != 0 || MarkdownDepth([]byte(strings.Repeat("- ", n)+"x\n"), 2*n) != 0 {
		t.Error("a scan stopped under its limit")
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("took %s", d)
	}
}
