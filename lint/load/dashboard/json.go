package dashboard

import (
	"encoding/json"
	"errors"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/driftlint/driftlint/lint"
	"github.com/driftlint/driftlint/lint/guard"
)

// maxDepth bounds the tree builder's recursion whatever it is given. Input deeper than the
// run's JSONDepth is stopped before (jsonTooDeep), and encoding/json rejects anything
// deeper than this in its validation pass ("exceeded max depth").
const maxDepth = 10000

// jsonTooDeep is the problem of a JSON text nested deeper than the run's JSONDepth, which
// guard.JSONDepth finds before any decoder runs.
func jsonTooDeep(lim int) string {
	return lint.LimitMessage("the JSON nests [ and { deeper here", lim, "json_depth") + "; not read"
}

// jkind is the kind of a JSON value.
type jkind uint8

const (
	jNull jkind = iota
	jBool
	jNumber
	jString
	jArray
	jObject
)

// jvalue is a JSON value with the byte range it occupies in the JSON text. Strings are kept
// undecoded (start is the opening quote, end is past the closing quote) and decoded on demand.
type jvalue struct {
	kind  jkind
	start int      // offset of the value's first byte
	end   int      // offset just past the value
	keys  []string // object member names (decoded), parallel to elems
	elems []jvalue // array elements, or object member values
}

// get returns the member named key of an object, or nil.
func (v *jvalue) get(key string) *jvalue {
	if v == nil || v.kind != jObject {
		return nil
	}
	for i, k := range v.keys {
		if k == key {
			return &v.elems[i]
		}
	}
	return nil
}

// array returns the elements of an array value, or nil.
func (v *jvalue) array() []jvalue {
	if v == nil || v.kind != jArray {
		return nil
	}
	return v.elems
}

// doc is one parsed JSON text and the span it was parsed from.
type doc struct {
	text lint.Span // the JSON text, with file offsets
	root jvalue
}

// syntaxProblem converts a JSON error into a message and the offset in the text where it
// happened.
func syntaxProblem(err error, size int) (string, int) {
	if se, ok := errors.AsType[*json.SyntaxError](err); ok {
		off := int(se.Offset)
		// encoding/json counts the offending byte as read; point at it.
		if off > 0 && off <= size && se.Error() != "unexpected end of JSON input" {
			off--
		}
		return se.Error(), min(max(off, 0), size)
	}
	return err.Error(), 0
}

// parseJSON validates src with encoding/json (so that messages and offsets are the standard
// library's) and builds the value tree. On a syntax error it returns the message and the
// offset in src of the offending byte.
func parseJSON(src string, raw []byte) (jvalue, string, int, bool) {
	lim := lint.Limit().JSONDepth
	if off := guard.JSONDepth(raw, lim); off >= 0 {
		return jvalue{}, jsonTooDeep(lim), off, false
	}
	if !json.Valid(raw) {
		var m json.RawMessage
		err := json.Unmarshal(raw, &m)
		if err == nil { // cannot happen: Valid and Unmarshal share the scanner
			return jvalue{}, "invalid JSON", 0, false
		}
		msg, off := syntaxProblem(err, len(src))
		return jvalue{}, msg, off, false
	}
	b := builder{s: src}
	i := b.space(0)
	v, i, ok := b.value(i, 0)
	if !ok || b.space(i) != len(src) {
		return jvalue{}, b.errMsg(), b.errOff, false
	}
	return v, "", 0, true
}

// builder turns validated JSON text into a jvalue tree in one linear pass. It never trusts
// its input: anything unexpected stops it with an error instead of a panic.
type builder struct {
	s      string
	err    string
	errOff int
	// Members of the objects and arrays being built, innermost last; each container takes
	// an exact-size copy of its own when it closes, so that no slice is grown by doubling.
	elems []jvalue
	keys  []string
}

// members returns the elements (and for an object the keys) pushed since base, as
// exact-size slices, and pops them.
func (b *builder) members(base, kbase int, object bool) ([]string, []jvalue) {
	elems := append([]jvalue(nil), b.elems[base:]...)
	b.elems = b.elems[:base]
	if !object {
		return nil, elems
	}
	keys := append([]string(nil), b.keys[kbase:]...)
	b.keys = b.keys[:kbase]
	return keys, elems
}

func (b *builder) fail(off int, msg string) (jvalue, int, bool) {
	if b.err == "" {
		b.err, b.errOff = msg, min(off, len(b.s))
	}
	return jvalue{}, off, false
}

func (b *builder) errMsg() string {
	if b.err == "" {
		return "invalid character after top-level value"
	}
	return b.err
}

func (b *builder) space(i int) int {
	for i < len(b.s) {
		switch b.s[i] {
		case ' ', '\t', '\n', '\r':
			i++
		default:
			return i
		}
	}
	return i
}

// value parses the value at s[i] (no leading blanks) and returns it with the offset after it.
func (b *builder) value(i, depth int) (jvalue, int, bool) {
	if i >= len(b.s) {
		return b.fail(i, "unexpected end of JSON input")
	}
	c := b.s[i]
	if (c == '{' || c == '[') && depth >= maxDepth {
		return b.fail(i, "exceeded max depth")
	}
	switch c {
	case '{':
		v := jvalue{kind: jObject, start: i}
		i = b.space(i + 1)
		if i < len(b.s) && b.s[i] == '}' {
			v.end = i + 1
			return v, v.end, true
		}
		base, kbase := len(b.elems), len(b.keys)
		for {
			if i >= len(b.s) || b.s[i] != '"' {
				return b.fail(i, "expected object key")
			}
			kend, ok := b.stringEnd(i)
			if !ok {
				return b.fail(i, "unterminated string")
			}
			key := decodeString(b.s, i, kend)
			i = b.space(kend)
			if i >= len(b.s) || b.s[i] != ':' {
				return b.fail(i, "expected colon after object key")
			}
			elem, next, ok := b.value(b.space(i+1), depth+1)
			if !ok {
				return elem, next, false
			}
			b.keys = append(b.keys, key)
			b.elems = append(b.elems, elem)
			i = b.space(next)
			if i < len(b.s) && b.s[i] == ',' {
				i = b.space(i + 1)
				continue
			}
			if i < len(b.s) && b.s[i] == '}' {
				v.end = i + 1
				v.keys, v.elems = b.members(base, kbase, true)
				return v, v.end, true
			}
			return b.fail(i, "expected comma after object value")
		}
	case '[':
		v := jvalue{kind: jArray, start: i}
		i = b.space(i + 1)
		if i < len(b.s) && b.s[i] == ']' {
			v.end = i + 1
			return v, v.end, true
		}
		base := len(b.elems)
		for {
			elem, next, ok := b.value(i, depth+1)
			if !ok {
				return elem, next, false
			}
			b.elems = append(b.elems, elem)
			i = b.space(next)
			if i < len(b.s) && b.s[i] == ',' {
				i = b.space(i + 1)
				continue
			}
			if i < len(b.s) && b.s[i] == ']' {
				v.end = i + 1
				_, v.elems = b.members(base, 0, false)
				return v, v.end, true
			}
			return b.fail(i, "expected comma after array element")
		}
	case '"':
		end, ok := b.stringEnd(i)
		if !ok {
			return b.fail(i, "unterminated string")
		}
		return jvalue{kind: jString, start: i, end: end}, end, true
	case 't', 'f', 'n':
		word, k := "true", jBool
		switch c {
		case 'f':
			word = "false"
		case 'n':
			word, k = "null", jNull
		}
		if !strings.HasPrefix(b.s[i:], word) {
			return b.fail(i, "invalid literal")
		}
		return jvalue{kind: k, start: i, end: i + len(word)}, i + len(word), true
	default:
		j := i
		for j < len(b.s) && isNumberByte(b.s[j]) {
			j++
		}
		if j == i {
			return b.fail(i, "invalid character")
		}
		return jvalue{kind: jNumber, start: i, end: j}, j, true
	}
}

func isNumberByte(c byte) bool {
	return c >= '0' && c <= '9' || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E'
}

// stringEnd returns the offset just past the closing quote of the string at s[i] == '"'.
func (b *builder) stringEnd(i int) (int, bool) {
	for j := i + 1; j < len(b.s); j++ {
		switch b.s[j] {
		case '\\':
			j++
		case '"':
			return j + 1, true
		}
	}
	return len(b.s), false
}

// decodeString decodes the JSON string s[start:end] (quotes included).
func decodeString(s string, start, end int) string {
	val, _ := decodeStringOffsets(s, start, end, false)
	return val
}

// decodeStringOffsets decodes the JSON string s[start:end] (quotes included). With offsets,
// it also returns the offset in s of each decoded byte (each byte of an escape's result maps
// to the escape's backslash) plus one entry for the closing quote; the slice is nil when the
// string holds no escapes, since its value is then verbatim at start+1.
func decodeStringOffsets(s string, start, end int, offsets bool) (string, []int32) {
	if start < 0 || end > len(s) || end-start < 2 {
		return "", nil
	}
	body := s[start+1 : end-1]
	if strings.IndexByte(body, '\\') < 0 {
		return body, nil
	}
	buf := make([]byte, 0, len(body))
	var offs []int32
	if offsets {
		offs = make([]int32, 0, len(body)+1)
	}
	emit := func(p string, at int) {
		buf = append(buf, p...)
		if offsets {
			for range len(p) {
				offs = append(offs, int32(at))
			}
		}
	}
	base := start + 1
	for k := 0; k < len(body); {
		c := body[k]
		if c != '\\' || k+1 >= len(body) {
			emit(body[k:k+1], base+k)
			k++
			continue
		}
		at := base + k
		k += 2
		switch body[k-1] {
		case '"', '\\', '/':
			emit(body[k-1:k], at)
		case 'b':
			emit("\b", at)
		case 'f':
			emit("\f", at)
		case 'n':
			emit("\n", at)
		case 'r':
			emit("\r", at)
		case 't':
			emit("\t", at)
		case 'u':
			r, ok := hex4(body, k)
			if !ok {
				emit(body[k-2:k], at)
				continue
			}
			k += 4
			if utf16.IsSurrogate(r) {
				r2, ok2 := rune(-1), false
				if k+6 <= len(body) && body[k] == '\\' && body[k+1] == 'u' {
					r2, ok2 = hex4(body, k+2)
				}
				if dec := utf16.DecodeRune(r, r2); ok2 && dec != utf8.RuneError {
					r = dec
					k += 6
				} else {
					r = utf8.RuneError
				}
			}
			emit(string(r), at)
		default:
			emit(body[k-2:k], at)
		}
	}
	if offsets {
		offs = append(offs, int32(end-1))
	}
	return string(buf), offs
}

// hex4 decodes the four hex digits at s[i:].
func hex4(s string, i int) (rune, bool) {
	if i+4 > len(s) {
		return 0, false
	}
	var r rune
	for _, c := range []byte(s[i : i+4]) {
		r <<= 4
		switch {
		case c >= '0' && c <= '9':
			r |= rune(c - '0')
		case c >= 'a' && c <= 'f':
			r |= rune(c-'a') + 10
		case c >= 'A' && c <= 'F':
			r |= rune(c-'A') + 10
		default:
			return 0, false
		}
	}
	return r, true
}

// str returns the decoded value of a string value, or "" for any other kind.
func (d *doc) str(v *jvalue) string {
	if v == nil || v.kind != jString {
		return ""
	}
	return decodeString(d.text.Value, v.start, v.end)
}

// raw returns the JSON text of a value (a number's digits, for example).
func (d *doc) raw(v *jvalue) string {
	if v == nil || v.end > len(d.text.Value) || v.start > v.end {
		return ""
	}
	return d.text.Value[v.start:v.end]
}

// span returns the decoded value of a string value with the file offset of every byte.
func (d *doc) span(v *jvalue) lint.Span {
	if v == nil || v.kind != jString {
		return lint.Span{File: d.text.File}
	}
	val, rel := decodeStringOffsets(d.text.Value, v.start, v.end, true)
	if rel == nil {
		if d.text.Offs == nil {
			return lint.Span{Value: val, File: d.text.File, Start: d.text.Start + v.start + 1}
		}
		return d.text.Sub(v.start+1, v.end-1)
	}
	for i, o := range rel { // text offsets to file offsets, in place
		rel[i] = int32(d.text.Offset(int(o)))
	}
	return lint.MappedSpan(val, d.text.File, rel)
}

// pos returns the file position of a value's first byte.
func (d *doc) pos(v *jvalue) lint.Pos {
	if v == nil {
		return d.text.Pos(0)
	}
	return d.text.Pos(v.start)
}
