// Package yamlpos maps yaml.v3 node positions (lines and rune columns, relative to the
// parsed text) back to byte positions in project files, also for YAML embedded in another
// file (a Markdown fence, a ConfigMap value), and decodes scalars with per-byte offsets.
package yamlpos

import (
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/driftlint/driftlint/lint"
	"github.com/driftlint/driftlint/lint/guard"
)

// Text is YAML source, either a whole file or text embedded in one (a Markdown fence,
// a ConfigMap value), that maps yaml.Node positions back to file positions.
type Text struct {
	Span  lint.Span // the YAML source as parsed, with file offsets
	lines []int     // offsets of line starts within span.Value
}

// New indexes span for position lookups.
func New(span lint.Span) *Text {
	lines := []int{0}
	for i := range len(span.Value) {
		if span.Value[i] == '\n' {
			lines = append(lines, i+1)
		}
	}
	return &Text{Span: span, lines: lines}
}

// Offset converts a yaml line and rune column into a byte offset in the text.
func (t *Text) Offset(line, col int) int {
	if line < 1 || len(t.lines) == 0 {
		return 0
	}
	if line > len(t.lines) {
		return len(t.Span.Value)
	}
	start := t.lines[line-1]
	end := len(t.Span.Value)
	if line < len(t.lines) {
		end = t.lines[line]
	}
	text := t.Span.Value[start:end]
	b := 0
	for r := 1; r < col && b < len(text); r++ {
		_, size := utf8.DecodeRuneInString(text[b:])
		b += size
	}
	return start + b
}

// Pos is the file position where node n starts.
func (t *Text) Pos(n *yaml.Node) lint.Pos {
	return t.Span.Pos(t.Offset(n.Line, n.Column))
}

// LinePos is the file position of the start of 1-based text line n.
func (t *Text) LinePos(line int) lint.Pos {
	return t.Span.Pos(t.Offset(line, 1))
}

// Scalar returns a scalar node's decoded value with the file offset of each of its bytes.
// It is exact for every non-blank byte of plain, quoted, literal (|) and folded (>)
// scalars, including double-quoted escapes.
func (t *Text) Scalar(n *yaml.Node) lint.Span {
	src := t.Span.Value
	start := t.Offset(n.Line, n.Column)
	val := n.Value
	// Fast path: the value is verbatim at its position (plain one-line scalars).
	if n.Style&(yaml.LiteralStyle|yaml.FoldedStyle|yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) == 0 &&
		strings.HasPrefix(src[start:], val) {
		return t.sub(start, val)
	}
	offs := make([]int32, len(val)+1)
	j := start
	switch {
	case n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0:
		// Content starts on the line after the indicator.
		if k := strings.IndexByte(src[j:], '\n'); k >= 0 {
			j += k + 1
		} else {
			j = len(src)
		}
	case n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0:
		j++ // the opening quote
	}
	double := n.Style&yaml.DoubleQuotedStyle != 0
	for i := 0; i < len(val); {
		if j >= len(src) {
			for ; i < len(val); i++ {
				offs[i] = int32(len(src))
			}
			break
		}
		if double && src[j] == '\\' && j+1 < len(src) {
			// An escape: every byte it decodes to maps to the backslash.
			k, produced := escapeLen(src[j:])
			if src[j+1] == '\n' || src[j+1] == '\r' { // a line continuation produces nothing
				j += k
				continue
			}
			for p := 0; p < produced && i < len(val); p++ {
				offs[i] = int32(j)
				i++
			}
			j += k
			continue
		}
		if src[j] == val[i] {
			offs[i] = int32(j)
			i++
			j++
			continue
		}
		if isBlank(val[i]) && !isBlank(src[j]) && src[j] != '\\' {
			// A folded line break or a blank the source spells differently.
			offs[i] = int32(j)
			i++
			continue
		}
		j++
	}
	offs[len(val)] = int32(j)
	for i := range offs {
		offs[i] = int32(t.Span.Offset(int(offs[i])))
	}
	return lint.MappedSpan(val, t.Span.File, offs)
}

// sub returns the span of val found verbatim at offset start of the text.
func (t *Text) sub(start int, val string) lint.Span {
	if t.Span.Offs == nil {
		return lint.Span{Value: val, File: t.Span.File, Start: t.Span.Start + start}
	}
	return t.Span.Sub(start, start+len(val))
}

func isBlank(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// escapeLen returns the source length of the double-quoted escape at s[0] == '\\' and how
// many bytes it decodes to.
func escapeLen(s string) (int, int) {
	if len(s) < 2 {
		return 1, 0
	}
	hex := func(n int) (int, int) {
		if len(s) < 2+n {
			return len(s), 1
		}
		var r rune
		for _, c := range s[2 : 2+n] {
			r <<= 4
			switch {
			case c >= '0' && c <= '9':
				r |= c - '0'
			case c >= 'a' && c <= 'f':
				r |= c - 'a' + 10
			case c >= 'A' && c <= 'F':
				r |= c - 'A' + 10
			}
		}
		return 2 + n, max(1, utf8.RuneLen(r))
	}
	switch s[1] {
	case 'x':
		return hex(2)
	case 'u':
		return hex(4)
	case 'U':
		return hex(8)
	case 'N', '_', 'L', 'P':
		return 2, len(map[byte]string{'N': "\u0085", '_': "\u00a0", 'L': "\u2028", 'P': "\u2029"}[s[1]])
	case '\r':
		if len(s) > 2 && s[2] == '\n' {
			return 3, 0
		}
		return 2, 0
	default:
		return 2, 1
	}
}

// MapValue returns the value node of key in a mapping node, or nil.
func MapValue(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

// MapKey returns the key node of key in a mapping node, or nil.
func MapKey(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i]
		}
	}
	return nil
}

// Resolve follows YAML aliases.
func Resolve(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < 16; i++ {
		n = n.Alias
	}
	return n
}

// TooDeep checks the text's nesting against the run's YAMLDepth before a decoder sees it
// (guard.YAMLDepth: block indentation levels plus flow brackets, an approximation) and
// returns the problem at the line where the limit is passed, or nil.
func (t *Text) TooDeep() *lint.ParseProblem {
	lim := lint.Limit().YAMLDepth
	line := guard.YAMLDepth(t.Span.Value, lim)
	if line == 0 {
		return nil
	}
	return &lint.ParseProblem{At: t.LinePos(line), Message: lint.LimitMessage("the YAML nests deeper at this line", lim, "yaml_depth") + "; not read"}
}
