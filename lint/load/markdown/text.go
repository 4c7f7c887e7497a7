package markdown

import (
	"html"
	"slices"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"

	"github.com/driftlint/driftlint/lint"
)

// builder accumulates decoded text together with the file offset of each of its bytes, and
// remembers which byte ranges came from code spans.
type builder struct {
	buf  []byte
	offs []int32
	code [][2]int // [start, end) byte ranges of buf taken from code spans
}

// grow makes room for n more bytes, so that a text appended byte by byte allocates once.
func (b *builder) grow(n int) {
	b.buf = slices.Grow(b.buf, n)
	b.offs = slices.Grow(b.offs, n)
}

// verbatim appends s, whose bytes sit in the file from offset off on.
func (b *builder) verbatim(s []byte, off int) {
	b.buf = append(b.buf, s...)
	for i := range s {
		b.offs = append(b.offs, int32(off+i))
	}
}

// at appends s with every byte mapped to the file offset off (decoded text).
func (b *builder) at(s string, off int) {
	b.buf = append(b.buf, s...)
	for range len(s) {
		b.offs = append(b.offs, int32(off))
	}
}

// inCode reports whether byte i of the text came from a code span.
func (b *builder) inCode(i int) bool {
	for _, r := range b.code {
		if i >= r[0] && i < r[1] {
			return true
		}
	}
	return false
}

// span returns the text as a span of f ending at file offset end. A text that is a
// verbatim copy of the file gets a span without an offset table.
func (b *builder) span(f *lint.SourceFile, end int) lint.Span {
	if len(b.buf) == 0 {
		return lint.Span{File: f, Start: end}
	}
	start := int(b.offs[0])
	verbatim := end == start+len(b.buf) && end <= len(f.Src)
	for i := 1; verbatim && i < len(b.offs); i++ {
		verbatim = int(b.offs[i]) == start+i
	}
	if verbatim && string(f.Src[start:end]) == string(b.buf) {
		return lint.Span{Value: f.Text()[start:end], File: f, Start: start}
	}
	offs := make([]int32, len(b.offs)+1)
	copy(offs, b.offs)
	offs[len(b.offs)] = int32(end)
	return lint.MappedSpan(string(b.buf), f, offs)
}

// end is the file offset just after the last byte appended, or def when there is none.
func (b *builder) end(def int) int {
	if len(b.offs) == 0 {
		return def
	}
	return int(b.offs[len(b.offs)-1]) + 1
}

// htmlMode says what inline text extraction does with raw HTML.
type htmlMode int

const (
	htmlDrop   htmlMode = iota // heading text: tags are not text
	htmlBreaks                 // table cells: <br> separates, other tags stay as written
)

// inlineText appends the plain text of n's inline children: text with backslash escapes and
// entities decoded, code span contents, link texts. Images are skipped.
func inlineText(b *builder, src []byte, n ast.Node, mode htmlMode) {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		switch c := c.(type) {
		case *ast.Text:
			decodeText(b, src, c.Segment)
			if c.SoftLineBreak() || c.HardLineBreak() {
				b.at(" ", c.Segment.Stop)
			}
		case *ast.String:
			b.at(string(c.Value), max(c.Pos(), 0))
		case *ast.CodeSpan:
			start := len(b.buf)
			codeSpanText(b, src, c)
			b.code = append(b.code, [2]int{start, len(b.buf)})
		case *ast.RawHTML:
			if mode == htmlDrop {
				continue
			}
			for i := 0; i < c.Segments.Len(); i++ {
				seg := c.Segments.At(i)
				v := seg.Value(src)
				if isBreakTag(v) {
					b.at("\n", seg.Start) // a list separator in table cells
				} else {
					b.verbatim(v, seg.Start)
				}
			}
		case *ast.AutoLink:
			label := c.Label(src)
			b.verbatim(label, locate(src, max(c.Pos(), 0), label, ""))
		case *ast.Image:
		default:
			inlineText(b, src, c, mode)
		}
	}
}

// codeSpanText appends the content of a code span verbatim; line endings become spaces.
func codeSpanText(b *builder, src []byte, c *ast.CodeSpan) {
	n := 0
	for t := c.FirstChild(); t != nil; t = t.NextSibling() {
		if t, ok := t.(*ast.Text); ok {
			n += t.Segment.Len() + 1
		}
	}
	b.grow(n)
	for t := c.FirstChild(); t != nil; t = t.NextSibling() {
		switch t := t.(type) {
		case *ast.Text:
			v := src[t.Segment.Start:t.Segment.Stop]
			for i, ch := range v {
				if ch == '\n' || ch == '\r' {
					b.at(" ", t.Segment.Start+i)
				} else {
					b.verbatim(v[i:i+1], t.Segment.Start+i)
				}
			}
			if t.SoftLineBreak() {
				b.at(" ", t.Segment.Stop)
			}
		case *ast.String:
			b.at(string(t.Value), max(t.Pos(), 0))
		}
	}
}

// decodeText appends a raw text segment with backslash escapes and character references
// decoded, as a renderer would show it.
func decodeText(b *builder, src []byte, seg text.Segment) {
	b.grow(seg.Padding + seg.Len())
	if seg.Padding > 0 {
		for range seg.Padding {
			b.at(" ", seg.Start)
		}
	}
	v := src[seg.Start:seg.Stop]
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case c == '\\' && i+1 < len(v) && isASCIIPunct(v[i+1]):
			b.verbatim(v[i+1:i+2], seg.Start+i+1)
			i++
		case c == '&':
			if n, dec := entityAt(v[i:]); n > 0 {
				b.at(dec, seg.Start+i)
				i += n - 1
				continue
			}
			b.verbatim(v[i:i+1], seg.Start+i)
		default:
			b.verbatim(v[i:i+1], seg.Start+i)
		}
	}
}

// entityAt decodes the character reference at the start of s ("&lt;", "&#124;"), returning
// its length and value, or 0 when s does not start with one.
func entityAt(s []byte) (int, string) {
	for j := 1; j < len(s) && j < 40; j++ {
		c := s[j]
		if c == ';' {
			if j == 1 {
				return 0, ""
			}
			ref := string(s[:j+1])
			if dec := html.UnescapeString(ref); dec != ref {
				return j + 1, dec
			}
			return 0, ""
		}
		if c != '#' && !isIdentByte(c) {
			return 0, ""
		}
	}
	return 0, ""
}

func isASCIIPunct(c byte) bool {
	return c >= '!' && c <= '/' || c >= ':' && c <= '@' || c >= '[' && c <= '`' || c >= '{' && c <= '~'
}

// isBreakTag reports whether an HTML tag is a line break: <br>, <br/>, <br />, </br>.
func isBreakTag(v []byte) bool {
	s := make([]byte, 0, len(v))
	for _, c := range v {
		switch {
		case c == ' ' || c == '\t' || c == '/' || c == '\n' || c == '\r':
		case c >= 'A' && c <= 'Z':
			s = append(s, c+'a'-'A')
		default:
			s = append(s, c)
		}
	}
	return string(s) == "<br>"
}

// locate returns the offset of the first occurrence of needle in src at or after from
// (looking no further than a few kilobytes ahead) whose preceding non-blank byte is one of
// before (any byte when before is empty), or from when there is none.
func locate(src []byte, from int, needle []byte, before string) int {
	if len(needle) == 0 || from < 0 || from >= len(src) {
		return max(from, 0)
	}
	limit := min(len(src), from+len(needle)+4096)
	for i := from; i+len(needle) <= limit; i++ {
		if src[i] != needle[0] || string(src[i:i+len(needle)]) != string(needle) {
			continue
		}
		if before == "" {
			return i
		}
		j := i - 1
		for j >= from && (src[j] == ' ' || src[j] == '\t' || src[j] == '\n' || src[j] == '\r') {
			j--
		}
		if j >= 0 {
			for k := range len(before) {
				if src[j] == before[k] {
					return i
				}
			}
		}
	}
	return from
}
