package source

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// tokKind is the kind of a token of Rust or Python source.
type tokKind uint8

const (
	tokIdent  tokKind = iota + 1
	tokString         // a string literal; str holds it decoded
	tokNumber
	tokPunct // one punctuation character, or :: and => (Rust), ** and == (Python)
	tokChar  // a Rust char or byte literal, or a lifetime
	tokNewline
)

// tok is one token with its byte range in the file.
type tok struct {
	kind       tokKind
	text       string // the source text (for strings: the whole literal, quotes and prefix included)
	start, end int
	// str is a string token's decoded value and prefix; nil for other tokens (most of them:
	// kept out of line, a token is 64 bytes instead of 112, and a project's tokens are held
	// together while its sources are resolved).
	str *strTok
	// depth is the bracket depth at the token (Python: logical lines end at depth 0).
	depth int
	// indent is, for the first token of a Python logical line, its indentation.
	indent int
}

// strTok is what a string token holds besides its text.
type strTok struct {
	lit           // the decoded value with offsets
	prefix string // the lower-case prefix (r, b, br, f, rb, c …)
}

// tokError is a tokenizer error at a file offset.
type tokError struct {
	off int
	msg string
}

// tokenizeRust splits Rust source into tokens, dropping comments and whitespace. It stops at
// an unterminated string or comment, which it returns as an error.
func tokenizeRust(src []byte) ([]tok, *tokError) {
	s := string(src)
	toks := make([]tok, 0, len(src)/6+1) // about one token per 6 bytes of real code
	i := 0
	for i < len(s) {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
			i++
		case strings.HasPrefix(s[i:], "//"):
			j := strings.IndexByte(s[i:], '\n')
			if j < 0 {
				return toks, nil
			}
			i += j + 1
		case strings.HasPrefix(s[i:], "/*"):
			depth, j := 0, i
			for j < len(s) {
				switch {
				case strings.HasPrefix(s[j:], "/*"):
					depth++
					j += 2
				case strings.HasPrefix(s[j:], "*/"):
					depth--
					j += 2
				default:
					j++
				}
				if depth == 0 {
					break
				}
			}
			if depth != 0 {
				return toks, &tokError{i, "unterminated block comment"}
			}
			i = j
		case c == '"':
			t, err := rustString(s, i, i, "")
			if err != nil {
				return toks, err
			}
			toks = append(toks, t)
			i = t.end
		case c == '\'':
			j := rustQuote(s, i)
			toks = append(toks, tok{kind: tokChar, text: s[i:j], start: i, end: j})
			i = j
		case isIdentStart(c):
			j := i + 1
			for j < len(s) && isIdentByte(s[j]) {
				j++
			}
			word := s[i:j]
			if j < len(s) {
				switch {
				case (word == "r" || word == "br" || word == "cr") && (s[j] == '"' || s[j] == '#' && rawStringAhead(s, j)):
					t, err := rustRawString(s, i, j, word)
					if err != nil {
						return toks, err
					}
					toks = append(toks, t)
					i = t.end
					continue
				case (word == "b" || word == "c") && s[j] == '"':
					t, err := rustString(s, i, j, word)
					if err != nil {
						return toks, err
					}
					toks = append(toks, t)
					i = t.end
					continue
				case word == "b" && s[j] == '\'':
					k := rustQuote(s, j)
					toks = append(toks, tok{kind: tokChar, text: s[i:k], start: i, end: k})
					i = k
					continue
				case word == "r" && s[j] == '#' && j+1 < len(s) && isIdentStart(s[j+1]): // r#ident
					k := j + 1
					for k < len(s) && isIdentByte(s[k]) {
						k++
					}
					toks = append(toks, tok{kind: tokIdent, text: s[j+1 : k], start: i, end: k})
					i = k
					continue
				}
			}
			toks = append(toks, tok{kind: tokIdent, text: word, start: i, end: j})
			i = j
		case c >= '0' && c <= '9':
			j := i + 1
			for j < len(s) && (isIdentByte(s[j]) || s[j] == '.' && j+1 < len(s) && s[j+1] >= '0' && s[j+1] <= '9') {
				j++
			}
			toks = append(toks, tok{kind: tokNumber, text: s[i:j], start: i, end: j})
			i = j
		default:
			j := i + 1
			if strings.HasPrefix(s[i:], "::") || strings.HasPrefix(s[i:], "=>") {
				j = i + 2
			} else if c >= utf8.RuneSelf {
				_, n := utf8.DecodeRuneInString(s[i:])
				j = i + n
			}
			toks = append(toks, tok{kind: tokPunct, text: s[i:j], start: i, end: j})
			i = j
		}
	}
	return toks, nil
}

func isIdentStart(c byte) bool {
	return c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c >= utf8.RuneSelf
}

func isIdentByte(c byte) bool { return isIdentStart(c) || '0' <= c && c <= '9' }

// rawStringAhead reports whether s[j:] is #…#" (the hashes of a raw string).
func rawStringAhead(s string, j int) bool {
	for j < len(s) && s[j] == '#' {
		j++
	}
	return j < len(s) && s[j] == '"'
}

// rustQuote reads a char or byte literal, or a lifetime/label, starting at the quote at i,
// and returns where it ends.
func rustQuote(s string, i int) int {
	j := i + 1
	if j >= len(s) {
		return j
	}
	if s[j] == '\\' {
		// an escaped char: read to the closing quote on this line
		k := j + 2
		for k < len(s) && s[k] != '\'' && s[k] != '\n' {
			k++
		}
		if k < len(s) && s[k] == '\'' {
			return k + 1
		}
		return j + 1
	}
	_, n := utf8.DecodeRuneInString(s[j:])
	if j+n < len(s) && s[j+n] == '\'' {
		return j + n + 1 // 'x'
	}
	// a lifetime or label: 'a, 'static
	k := j
	for k < len(s) && isIdentByte(s[k]) {
		k++
	}
	if k == j {
		return j
	}
	return k
}

// rustString reads a "…" (or b"…", c"…") literal whose quote is at q, decoding escapes.
func rustString(s string, start, q int, prefix string) (tok, *tokError) {
	var b []byte
	var offs []int
	i := q + 1
	for i < len(s) {
		c := s[i]
		switch c {
		case '"':
			offs = append(offs, i)
			return tok{kind: tokString, text: s[start : i+1], start: start, end: i + 1, str: &strTok{lit: lit{s: string(b), offs: offs}, prefix: prefix}}, nil
		case '\\':
			if i+1 >= len(s) {
				return tok{}, &tokError{start, "unterminated string literal"}
			}
			e := s[i+1]
			n := 2
			var out []byte
			switch e {
			case 'n':
				out = []byte{'\n'}
			case 'r':
				out = []byte{'\r'}
			case 't':
				out = []byte{'\t'}
			case '0':
				out = []byte{0}
			case '\\', '"', '\'':
				out = []byte{e}
			case 'x':
				if i+4 <= len(s) {
					if v, err := strconv.ParseUint(s[i+2:i+4], 16, 8); err == nil {
						out, n = []byte{byte(v)}, 4
					}
				}
			case 'u':
				if i+2 < len(s) && s[i+2] == '{' {
					if k := strings.IndexByte(s[i:], '}'); k > 0 {
						if v, err := strconv.ParseUint(strings.ReplaceAll(s[i+3:i+k], "_", ""), 16, 32); err == nil {
							out, n = utf8.AppendRune(nil, rune(v)), k+1
						}
					}
				}
			case '\n', '\r':
				// line continuation: the newline and the blanks after it are skipped
				j := i + 1
				for j < len(s) && (s[j] == ' ' || s[j] == '\t' || s[j] == '\n' || s[j] == '\r') {
					j++
				}
				i = j
				continue
			}
			if out == nil {
				out = []byte{'\\', e}
			}
			for _, o := range out {
				b = append(b, o)
				offs = append(offs, i)
			}
			i += n
		default:
			b = append(b, c)
			offs = append(offs, i)
			i++
		}
	}
	return tok{}, &tokError{start, "unterminated string literal"}
}

// rustRawString reads r"…", r#"…"#, br##"…"## …; j is just after the prefix.
func rustRawString(s string, start, j int, prefix string) (tok, *tokError) {
	hashes := 0
	for j < len(s) && s[j] == '#' {
		hashes++
		j++
	}
	if j >= len(s) || s[j] != '"' {
		return tok{}, &tokError{start, "malformed raw string literal"}
	}
	closer := "\"" + strings.Repeat("#", hashes)
	k := strings.Index(s[j+1:], closer)
	if k < 0 {
		return tok{}, &tokError{start, "unterminated raw string literal"}
	}
	body := s[j+1 : j+1+k]
	offs := make([]int, len(body)+1)
	for x := range offs {
		offs[x] = j + 1 + x
	}
	end := j + 1 + k + len(closer)
	return tok{kind: tokString, text: s[start:end], start: start, end: end, str: &strTok{lit: lit{s: body, offs: offs}, prefix: prefix}}, nil
}
