package markdown

import (
	"strconv"
	"strings"
	"unicode"
)

// Slug returns the GitHub anchor for a heading text (without duplicate suffixes): lower
// case, letters (of any script), digits, marks, '_' and '-' kept, each space turned into
// '-', everything else dropped, as github-slugger does.
func Slug(text string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(text) {
		switch {
		case r == ' ':
			b.WriteByte('-')
		case r == '-' || r == '_':
			b.WriteRune(r)
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) || unicode.Is(unicode.Nl, r) || unicode.Is(unicode.Pc, r):
			b.WriteRune(r)
		}
	}
	return b.String()
}

// slugger hands out unique heading anchors the way GitHub does: the second "Errors"
// heading is errors-1, the third errors-2.
type slugger struct {
	used map[string]bool
}

// unique returns slug, or slug-N for the smallest N not taken yet, and takes it.
func (s *slugger) unique(slug string) string {
	if s.used == nil {
		s.used = map[string]bool{}
	}
	if !s.used[slug] {
		s.used[slug] = true
		return slug
	}
	for i := 1; ; i++ {
		c := slug + "-" + strconv.Itoa(i)
		if !s.used[c] {
			s.used[c] = true
			return c
		}
	}
}

// reserve marks an explicit anchor as taken.
func (s *slugger) reserve(id string) {
	if s.used == nil {
		s.used = map[string]bool{}
	}
	s.used[id] = true
}

// htmlAnchor is an anchor an HTML tag declares: <a name="x">, <a id="x">, <h2 id="x">.
type htmlAnchor struct {
	name string
	off  int // offset of the name within the scanned text
}

// htmlAnchors returns the anchors declared by the HTML tags in s: id on any tag and name
// on <a>.
func htmlAnchors(s string) []htmlAnchor {
	var out []htmlAnchor
	for i := 0; i < len(s); i++ {
		if s[i] != '<' || i+1 >= len(s) || !isASCIILetter(s[i+1]) {
			continue
		}
		j := i + 1
		for j < len(s) && (isASCIILetter(s[j]) || s[j] >= '0' && s[j] <= '9') {
			j++
		}
		tag := strings.ToLower(s[i+1 : j])
		end := strings.IndexByte(s[j:], '>')
		if end < 0 {
			return out
		}
		end += j
		for _, a := range tagAttrs(s, j, end) {
			if a.key == "id" || a.key == "name" && tag == "a" {
				if a.val != "" {
					out = append(out, htmlAnchor{name: a.val, off: a.off})
				}
			}
		}
		i = end
	}
	return out
}

type attr struct {
	key, val string
	off      int
}

// tagAttrs parses the attributes of a tag between offsets from and end of s.
func tagAttrs(s string, from, end int) []attr {
	var out []attr
	i := from
	for i < end {
		for i < end && !isAttrNameByte(s[i]) {
			i++
		}
		k := i
		for i < end && isAttrNameByte(s[i]) {
			i++
		}
		if k == i {
			break
		}
		key := strings.ToLower(s[k:i])
		for i < end && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r') {
			i++
		}
		if i >= end || s[i] != '=' {
			out = append(out, attr{key: key, off: k})
			continue
		}
		i++
		for i < end && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r') {
			i++
		}
		if i < end && (s[i] == '"' || s[i] == '\'') {
			q := s[i]
			v := i + 1
			e := strings.IndexByte(s[v:end], q)
			if e < 0 {
				e = end - v
			}
			out = append(out, attr{key: key, val: s[v : v+e], off: v})
			i = v + e + 1
			continue
		}
		v := i
		for i < end && s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r' && s[i] != '/' {
			i++
		}
		out = append(out, attr{key: key, val: s[v:i], off: v})
	}
	return out
}

func isASCIILetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

func isAttrNameByte(c byte) bool {
	return isASCIILetter(c) || c >= '0' && c <= '9' || c == '-' || c == '_' || c == ':'
}
