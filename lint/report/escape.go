package report

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// Escape makes text taken from inputs (messages, names, labels, file names, subjects) safe to
// print on one line of a terminal or a CI log, where the author of a pull request controls
// every input file and file name:
//
//   - control characters are written as visible escapes: \n, \r and \t by name, the other C0
//     controls and DEL as \xNN, the C1 controls (U+0080–U+009F) as \u00NN, so that no input
//     breaks a line, moves the cursor or sends a terminal escape sequence (ESC is \x1b);
//   - the bidirectional controls (U+200E, U+200F, U+061C, U+202A–U+202E, U+2066–U+2069) and
//     the line and paragraph separators U+2028 and U+2029 are written as \uNNNN, so that text
//     cannot be shown in another order than it is read;
//   - bytes that are not UTF-8 are written as \xNN;
//   - "##[" is written "##\[": GitHub's runner takes "##[command]" anywhere in a log line as a
//     workflow command (the legacy form of "::command::", which needs a line start).
//
// Backslashes are left alone, so an escape is not told apart from the same characters typed
// in the input: PromQL regexes are full of backslashes and stay readable. Escape returns s
// itself when nothing needs escaping.
func Escape(s string) string {
	i := 0
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if needsEscape(r, size) || r == '[' && strings.HasSuffix(s[:i], "##") {
			break
		}
		i += size
	}
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	b.WriteString(s[:i])
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == '[' && strings.HasSuffix(s[:i], "##"):
			b.WriteString(`\[`)
		case !needsEscape(r, size):
			b.WriteString(s[i : i+size])
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == utf8.RuneError || r < 0x80:
			// A C0 control or DEL, or a byte that is not UTF-8.
			b.WriteString(`\x` + hex2(s[i]))
		default:
			b.WriteString(`\u` + hex4(r))
		}
		i += size
	}
	return b.String()
}

// needsEscape reports whether the rune r, size bytes long, must not be printed raw.
func needsEscape(r rune, size int) bool {
	switch {
	case r == utf8.RuneError && size <= 1:
		return true // not UTF-8
	case r < 0x20, r >= 0x7f && r <= 0x9f:
		return true // C0, DEL, C1
	case r == 0x061c, r == 0x200e, r == 0x200f, r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		return true // bidirectional controls
	case r == 0x2028, r == 0x2029:
		return true // line and paragraph separators
	default:
		return false
	}
}

func hex2(c byte) string {
	const digits = "0123456789abcdef"
	return string([]byte{digits[c>>4], digits[c&0xf]})
}

func hex4(r rune) string {
	h := strconv.FormatInt(int64(r), 16)
	return strings.Repeat("0", max(0, 4-len(h))) + h
}

// safeLineStart makes sure a line that begins with s (after blanks) does not begin with input
// text that could be read as something else, such as a "::command::" of GitHub's runner: a
// path that does not begin with an ASCII letter, digit, '_', '.' or '/' gets a "./" prefix,
// which names the same file. An empty string is left empty. s must be escaped already.
func safeLineStart(s string) string {
	if s == "" {
		return s
	}
	switch c := s[0]; {
	case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '_', c == '.', c == '/':
		return s
	default:
		return "./" + s
	}
}

// safeJSON rewrites encoded JSON so that a CI log or a terminal that shows it raw cannot be
// fooled, while every decoded string stays exactly as it was: encoding/json escapes the C0
// controls, U+2028 and U+2029 already; this escapes DEL, the C1 controls and the
// bidirectional controls as \uNNNN too, and writes "##[" as "##\u005b" (GitHub's runner takes
// "##[command]" anywhere in a log line as a workflow command). These characters only occur
// inside JSON strings, where the escapes are valid.
func safeJSON(data []byte) []byte {
	var out []byte
	last := 0
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		var rep string
		switch {
		case r == '[' && i >= 2 && data[i-1] == '#' && data[i-2] == '#':
			rep = `\u005b`
		case r >= 0x7f && needsEscape(r, size) && r != utf8.RuneError:
			rep = `\u` + hex4(r)
		}
		if rep != "" {
			if out == nil {
				out = make([]byte, 0, len(data)+16)
			}
			out = append(out, data[last:i]...)
			out = append(out, rep...)
			last = i + size
		}
		i += size
	}
	if out == nil {
		return data
	}
	return append(out, data[last:]...)
}

// excerptLine makes a source line safe to print inside a Markdown code block: escaped (tabs
// kept, as code is indented with them), and with a backslash before it when it begins (after
// blanks) with ':', so that no output line begins with "::" (GitHub's runner would take it
// for a workflow command). In a code block the backslash shows, telling the reader the line
// was changed.
func excerptLine(line string) string {
	parts := strings.Split(line, "\t")
	for i, p := range parts {
		parts[i] = Escape(p)
	}
	line = strings.Join(parts, "\t")
	if t := strings.TrimLeft(line, " \t"); strings.HasPrefix(t, ":") {
		return line[:len(line)-len(t)] + `\` + t
	}
	return line
}
