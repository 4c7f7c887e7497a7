package source

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// pyStringPrefixes are the valid string prefixes, lower-cased.
var pyStringPrefixes = map[string]bool{
	"r": true, "u": true, "b": true, "f": true, "t": true,
	"br": true, "rb": true, "fr": true, "rf": true, "tr": true, "rt": true,
}

// tokenizePython splits Python source into tokens, dropping comments and blank lines. A
// tokNewline ends each logical line (brackets and backslashes join physical lines); the first
// token of each logical line carries its indentation. It stops at an unterminated string,
// which it returns as an error.
func tokenizePython(src []byte) ([]tok, *tokError) {
	return tokenizePythonInto(make([]tok, 0, len(src)/6+16), string(src), false) // about one token per 8 bytes of Python (7.8 in vLLM), with room: growing copies them all
}

// tokenizePythonInto appends the tokens of s to toks (a buffer to reuse). With lite, string
// tokens are not decoded (str is nil): the tokens of a file read only for its problems.
func tokenizePythonInto(toks []tok, s string, lite bool) ([]tok, *tokError) {
	depth := 0
	lineStart := true // at the start of a logical line
	indent := 0
	i := 0
	emit := func(t tok) {
		t.depth = depth
		if lineStart {
			t.indent = indent
			lineStart = false
		}
		toks = append(toks, t)
	}
	newline := func(at int) {
		if !lineStart && depth == 0 {
			toks = append(toks, tok{kind: tokNewline, start: at, end: at})
			lineStart = true
		}
	}
	col := 0 // indentation of the current physical line while lineStart
	for i < len(s) {
		c := s[i]
		switch {
		case c == '\n':
			newline(i)
			i++
			col = 0
			continue
		case c == ' ':
			col++
			i++
			continue
		case c == '\t':
			col = (col/8 + 1) * 8
			i++
			continue
		case c == '\r' || c == '\f':
			i++
			continue
		case c == '#':
			j := strings.IndexByte(s[i:], '\n')
			if j < 0 {
				i = len(s)
			} else {
				i += j
			}
			continue
		case c == '\\' && i+1 < len(s) && (s[i+1] == '\n' || s[i+1] == '\r'):
			i += 2 // explicit line joining
			if i < len(s) && s[i-1] == '\r' && s[i] == '\n' {
				i++
			}
			continue
		}
		if lineStart {
			indent = col
		}
		switch {
		case c == '"' || c == '\'':
			t, err := pyString(s, i, i, "", lite)
			if err != nil {
				return toks, err
			}
			emit(t)
			i = t.end
		case isIdentStart(c):
			j := i + 1
			for j < len(s) && isIdentByte(s[j]) {
				j++
			}
			if j < len(s) && (s[j] == '"' || s[j] == '\'') && pyStringPrefixes[strings.ToLower(s[i:j])] {
				t, err := pyString(s, i, j, strings.ToLower(s[i:j]), lite)
				if err != nil {
					return toks, err
				}
				emit(t)
				i = t.end
				continue
			}
			emit(tok{kind: tokIdent, text: s[i:j], start: i, end: j})
			i = j
		case c >= '0' && c <= '9' || c == '.' && i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '9':
			j := i + 1
			for j < len(s) && (isIdentByte(s[j]) || s[j] == '.') {
				j++
			}
			emit(tok{kind: tokNumber, text: s[i:j], start: i, end: j})
			i = j
		default:
			j := i + 1
			if strings.HasPrefix(s[i:], "**") || strings.HasPrefix(s[i:], "==") || strings.HasPrefix(s[i:], "!=") ||
				strings.HasPrefix(s[i:], "<=") || strings.HasPrefix(s[i:], ">=") || strings.HasPrefix(s[i:], ":=") ||
				strings.HasPrefix(s[i:], "->") || strings.HasPrefix(s[i:], "+=") {
				j = i + 2
			} else if c >= utf8.RuneSelf {
				_, n := utf8.DecodeRuneInString(s[i:])
				j = i + n
			}
			switch c {
			case '(', '[', '{':
				emit(tok{kind: tokPunct, text: s[i:j], start: i, end: j})
				depth++
				i = j
				continue
			case ')', ']', '}':
				if depth > 0 {
					depth--
				}
			}
			emit(tok{kind: tokPunct, text: s[i:j], start: i, end: j})
			i = j
		}
	}
	newline(len(s))
	return toks, nil
}

// pyString reads a string literal whose opening quote is at q; prefix is its lower-case
// prefix. Escapes are decoded unless the string is raw; in an f-string, quotes inside {…}
// fields do not end it (Python 3.12).
func pyString(s string, start, q int, prefix string, lite bool) (tok, *tokError) {
	quote := s[q : q+1]
	triple := strings.HasPrefix(s[q:], strings.Repeat(quote, 3))
	if triple {
		quote = strings.Repeat(quote, 3)
	}
	raw := strings.Contains(prefix, "r")
	fstr := strings.Contains(prefix, "f") || strings.Contains(prefix, "t")
	var b []byte
	var offs []int
	i := q + len(quote)
	braces := 0
	for i < len(s) {
		if braces == 0 && strings.HasPrefix(s[i:], quote) {
			end := i + len(quote)
			if lite {
				return tok{kind: tokString, text: s[start:end], start: start, end: end}, nil
			}
			offs = append(offs, i)
			return tok{kind: tokString, text: s[start:end], start: start, end: end, str: &strTok{lit: lit{s: string(b), offs: offs}, prefix: prefix}}, nil
		}
		c := s[i]
		if c == '\n' && !triple && braces == 0 {
			break
		}
		if fstr {
			switch {
			case c == '{' && i+1 < len(s) && s[i+1] == '{' && braces == 0:
				if !lite {
					b, offs = append(b, '{', '{'), append(offs, i, i+1)
				}
				i += 2
				continue
			case c == '{':
				braces++
			case c == '}' && braces > 0:
				braces--
			case (c == '"' || c == '\'') && braces > 0:
				// a string inside a replacement field: copy it through
				j := strings.IndexByte(s[i+1:], c)
				if j < 0 {
					break
				}
				for k := i; k <= i+1+j && !lite; k++ {
					b, offs = append(b, s[k]), append(offs, k)
				}
				i += j + 2
				continue
			}
		}
		if c == '\\' && i+1 < len(s) {
			if raw {
				if !lite {
					b, offs = append(b, c, s[i+1]), append(offs, i, i+1)
				}
				i += 2
				continue
			}
			out, n := pyEscape(s[i:])
			for _, o := range out {
				if !lite {
					b, offs = append(b, o), append(offs, i)
				}
			}
			i += n
			continue
		}
		if !lite {
			b, offs = append(b, c), append(offs, i)
		}
		i++
	}
	return tok{}, &tokError{start, "unterminated string literal"}
}

// pyEscape decodes the escape at the start of s (which begins with a backslash) and returns
// its bytes and length. Unknown escapes keep the backslash, as Python does.
func pyEscape(s string) ([]byte, int) {
	e := s[1]
	switch e {
	case '\n':
		return nil, 2
	case '\r':
		if len(s) > 2 && s[2] == '\n' {
			return nil, 3
		}
		return nil, 2
	case 'n':
		return []byte{'\n'}, 2
	case 't':
		return []byte{'\t'}, 2
	case 'r':
		return []byte{'\r'}, 2
	case '\\', '\'', '"':
		return []byte{e}, 2
	case 'a':
		return []byte{7}, 2
	case 'b':
		return []byte{8}, 2
	case 'f':
		return []byte{12}, 2
	case 'v':
		return []byte{11}, 2
	case 'x':
		if len(s) >= 4 {
			if v, err := strconv.ParseUint(s[2:4], 16, 8); err == nil {
				return utf8.AppendRune(nil, rune(v)), 4
			}
		}
	case 'u', 'U':
		n := 4
		if e == 'U' {
			n = 8
		}
		if len(s) >= 2+n {
			if v, err := strconv.ParseUint(s[2:2+n], 16, 32); err == nil {
				return utf8.AppendRune(nil, rune(v)), 2 + n
			}
		}
	case 'N':
		if len(s) > 2 && s[2] == '{' {
			if k := strings.IndexByte(s, '}'); k > 0 {
				return []byte("?"), k + 1 // a named character: not a metric name character
			}
		}
	}
	if e >= '0' && e <= '7' {
		n := 2
		for n < 4 && n < len(s) && s[n] >= '0' && s[n] <= '7' {
			n++
		}
		v, _ := strconv.ParseUint(s[1:n], 8, 16)
		return utf8.AppendRune(nil, rune(v)), n
	}
	return []byte{'\\', e}, 2
}
