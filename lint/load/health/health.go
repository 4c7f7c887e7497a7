// Package health loads /health JSON samples, and JSON Schemas of them, into the jq-style
// paths they hold (".status", ".kafka.connected", ".consumers[].lag"), each with the
// position of the key that introduces it.
//
// The JSON is checked once by encoding/json (whose syntax errors carry an exact offset and
// whose nesting limit is 10,000 levels), then walked with json.Decoder.Token, which keeps no
// recursion: every key's position is the decoder's InputOffset before the key, moved past
// blanks, commas and colons onto its opening quote.
package health

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/driftlint/driftlint/lint"
)

const (
	// maxDepth is the deepest nesting the scan follows; encoding/json rejects deeper input.
	maxDepth = 10000
	// maxPathDepth is the deepest container whose paths are recorded; deeper ones are
	// still checked, but nobody writes a jq path 256 levels deep, and recording them
	// would cost memory quadratic in the depth.
	maxPathDepth = 256
	// maxSchemaSteps bounds the schema walk, which $ref can make exponential.
	maxSchemaSteps = 100000
)

const bom = "\uFEFF"

// LoadSample parses a /health JSON sample. Paths holds every jq-style path present, at
// the position of its key: object members (".kafka", ".kafka.connected"), and array
// elements collapsed to [] (".consumers[]" at the first element, ".consumers[].lag" at the
// first lag key of any element; a root array gives ".[]"). Keys that are not identifiers
// are quoted as jq writes them: `."kafka-consumer".lag`. Value is the decoded JSON, numbers
// as json.Number. Invalid UTF-8 inside strings is accepted, as encoding/json does, and
// becomes U+FFFD.
//
// A file that does not parse gives a problem at the parser's position and a Partial sample
// with the paths read before the error and a nil Value. An empty (or blank) file is the
// problem "empty health sample": a sample that shows nothing cannot verify anything.
func LoadSample(f *lint.SourceFile) (*lint.HealthSample, []lint.ParseProblem) {
	d := newDoc(f)
	hs := &lint.HealthSample{File: f, Paths: map[string]lint.Pos{}}
	prob := d.check("empty health sample")
	paths, _ := d.scan(false)
	for p, off := range paths {
		hs.Paths[p] = d.pos(off)
	}
	if prob != nil {
		hs.Partial = true
		return hs, []lint.ParseProblem{*prob}
	}
	dec := json.NewDecoder(bytes.NewReader(d.data))
	dec.UseNumber()
	if err := dec.Decode(&hs.Value); err != nil {
		hs.Partial = true
		return hs, []lint.ParseProblem{{At: d.pos(0), Message: err.Error()}}
	}
	return hs, nil
}

// LoadSchema turns a JSON Schema of the health response into the paths a response can
// have, in the same form as LoadSample: the members of "properties" at their key in the
// schema, nested objects, the elements of arrays ("items", "prefixItems", or "type":
// "array") at the "items" keyword, local "$ref"s to #/definitions, #/$defs or any other
// pointer within the file (followed once per chain, so recursive schemas end), and the
// branches of allOf, anyOf, oneOf and if/then/else merged. Value is nil.
//
// Not followed: "$ref"s to other files or URLs and to anchors, patternProperties and
// additionalProperties (whose keys have no name). A local "$ref" that resolves to nothing is
// a problem, and makes the sample Partial.
func LoadSchema(f *lint.SourceFile) (*lint.HealthSample, []lint.ParseProblem) {
	d := newDoc(f)
	hs := &lint.HealthSample{File: f, Paths: map[string]lint.Pos{}}
	if prob := d.check("empty health schema"); prob != nil {
		hs.Partial = true
		return hs, []lint.ParseProblem{*prob}
	}
	_, ptrs := d.scan(true)
	var root any
	dec := json.NewDecoder(bytes.NewReader(d.data))
	dec.UseNumber()
	if err := dec.Decode(&root); err != nil {
		hs.Partial = true
		return hs, []lint.ParseProblem{{At: d.pos(0), Message: err.Error()}}
	}
	w := &walker{d: d, root: root, ptrs: ptrs, offs: map[string]int{}, active: map[string]bool{}, reported: map[int]bool{}}
	w.walk(root, "", "", 0)
	for p, off := range w.offs {
		hs.Paths[p] = d.pos(off)
	}
	if len(w.problems) > 0 {
		hs.Partial = true
	}
	return hs, w.problems
}

// Key returns the jq path of member key of the object at path parent ("" for the root):
// ".status", ".kafka.connected", `."kafka-consumer".lag`.
func Key(parent, key string) string {
	if isIdent(key) {
		return parent + "." + key
	}
	return parent + "." + quote(key)
}

// Elem returns the jq path of the elements of the array at path parent: ".consumers[]",
// and ".[]" for a root array.
func Elem(parent string) string {
	if parent == "" {
		return ".[]"
	}
	return parent + "[]"
}

// isIdent reports whether key can follow a dot in jq unquoted.
func isIdent(key string) bool {
	if key == "" {
		return false
	}
	for i := range len(key) {
		c := key[i]
		letter := c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
		if !letter && (i == 0 || c < '0' || c > '9') {
			return false
		}
	}
	return true
}

// quote writes key as a jq string literal.
func quote(key string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range key {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\r':
			b.WriteString(`\r`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// doc is a JSON file without its byte-order mark.
type doc struct {
	f    *lint.SourceFile
	base int // length of a leading byte-order mark
	data []byte
}

func newDoc(f *lint.SourceFile) doc {
	d := doc{f: f, data: f.Src}
	if bytes.HasPrefix(d.data, []byte(bom)) {
		d.base = len(bom)
		d.data = d.data[len(bom):]
	}
	return d
}

// pos converts an offset into data to a file position.
func (d doc) pos(off int) lint.Pos { return d.f.Pos(d.base + off) }

// check validates the JSON and returns the problem, if any, at the parser's position.
func (d doc) check(empty string) *lint.ParseProblem {
	if skipBlank(d.data, 0) == len(d.data) {
		return &lint.ParseProblem{At: d.pos(0), Message: empty}
	}
	err := json.Unmarshal(d.data, new(json.RawMessage))
	if err == nil {
		return nil
	}
	if se, ok := errors.AsType[*json.SyntaxError](err); ok {
		// Offset counts the bytes read, the bad one included. At the end of the input the
		// scanner is fed a space, so a cut literal reads "invalid character ' '".
		off, msg := int(se.Offset)-1, se.Error()
		n := len(d.data)
		if int(se.Offset) >= n && (strings.HasPrefix(msg, "unexpected end") ||
			strings.HasPrefix(msg, "invalid character ' '") && d.data[n-1] != ' ') {
			off, msg = n, "unexpected end of JSON input"
		}
		return &lint.ParseProblem{At: d.pos(max(off, 0)), Message: msg}
	}
	return &lint.ParseProblem{At: d.pos(0), Message: err.Error()}
}

func skipBlank(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n') {
		i++
	}
	return i
}

// frame is an object or array being scanned.
type frame struct {
	array     bool
	deep      bool   // beyond maxPathDepth: nothing is recorded
	path      string // jq path of the container
	ptr       string // JSON pointer of the container (with pointers only)
	n         int    // elements so far (arrays)
	expectKey bool   // objects: the next token is a key or }
	keyPath   string // objects: the jq path of the current member
	keyPtr    string // objects: the JSON pointer of the current member
}

// scan walks the tokens and returns the offset of every jq path (first occurrence) and,
// withPointers, of every JSON pointer's key or array element. It stops at the first
// error or below maxDepth.
func (d doc) scan(withPointers bool) (paths, ptrs map[string]int) {
	paths = map[string]int{}
	if withPointers {
		ptrs = map[string]int{}
	}
	record := func(m map[string]int, k string, off int) {
		if _, ok := m[k]; !ok {
			m[k] = off
		}
	}
	dec := json.NewDecoder(bytes.NewReader(d.data))
	dec.UseNumber()
	var stack []frame
	for {
		off := int(dec.InputOffset())
		tok, err := dec.Token()
		if err != nil {
			return paths, ptrs // io.EOF, or an error that check reported
		}
		at := off
		for at < len(d.data) && (d.data[at] == ',' || d.data[at] == ':' || d.data[at] == ' ' ||
			d.data[at] == '\t' || d.data[at] == '\r' || d.data[at] == '\n') {
			at++
		}
		var top *frame
		if len(stack) > 0 {
			top = &stack[len(stack)-1]
		}
		delim, isDelim := tok.(json.Delim)
		if top != nil && top.expectKey {
			if isDelim { // }
				if stack = stack[:len(stack)-1]; len(stack) == 0 {
					return paths, ptrs
				}
				continue
			}
			key, _ := tok.(string)
			top.expectKey = false
			if top.deep {
				continue
			}
			top.keyPath = Key(top.path, key)
			record(paths, top.keyPath, at)
			if withPointers {
				top.keyPtr = top.ptr + "/" + escapePointer(key)
				record(ptrs, top.keyPtr, at)
			}
			continue
		}
		if isDelim && (delim == ']' || delim == '}') {
			if stack = stack[:len(stack)-1]; len(stack) == 0 {
				return paths, ptrs // the top-level value is complete
			}
			continue
		}
		// A value: the root, an array element or an object member's value.
		var path, ptr string
		switch {
		case top == nil:
			if !isDelim {
				return paths, ptrs // a scalar top-level value
			}
		case top.array:
			if !top.deep {
				path = Elem(top.path)
				record(paths, path, at)
				if withPointers {
					ptr = top.ptr + "/" + strconv.Itoa(top.n)
					record(ptrs, ptr, at)
				}
			}
			top.n++
		default:
			path, ptr = top.keyPath, top.keyPtr
			top.expectKey = true
		}
		if isDelim { // { or [
			if len(stack) >= maxDepth {
				return paths, ptrs
			}
			deep := top != nil && top.deep || len(stack)+1 > maxPathDepth
			if deep {
				path, ptr = "", ""
			}
			stack = append(stack, frame{array: delim == '[', deep: deep, path: path, ptr: ptr, expectKey: delim == '{'})
		}
	}
}

// escapePointer escapes a key as a JSON pointer token (RFC 6901).
func escapePointer(s string) string {
	if !strings.ContainsAny(s, "~/") {
		return s
	}
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}

// walker turns a decoded JSON Schema into jq paths.
type walker struct {
	d        doc
	root     any
	ptrs     map[string]int  // JSON pointer → offset of its key, from the scan
	offs     map[string]int  // jq path → offset
	active   map[string]bool // $ref targets being expanded
	steps    int
	reported map[int]bool
	problems []lint.ParseProblem
}

func (w *walker) problem(off int, msg string) {
	if w.reported[off] {
		return
	}
	w.reported[off] = true
	w.problems = append(w.problems, lint.ParseProblem{At: w.d.pos(off), Message: msg})
}

// offset is the offset of a pointer's key, or of its nearest ancestor's.
func (w *walker) offset(ptr string) int {
	for ptr != "" {
		if off, ok := w.ptrs[ptr]; ok {
			return off
		}
		ptr = ptr[:strings.LastIndexByte(ptr, '/')]
	}
	return skipBlank(w.d.data, 0)
}

// record notes a jq path at the key of the given pointer, keeping the first in the file.
func (w *walker) record(path, ptr string) {
	off := w.offset(ptr)
	if old, ok := w.offs[path]; !ok || off < old {
		w.offs[path] = off
	}
}

// walk records the paths that the schema node at pointer ptr allows below jq path path.
func (w *walker) walk(node any, ptr, path string, depth int) {
	if depth > maxPathDepth {
		return
	}
	if w.steps++; w.steps > maxSchemaSteps {
		if w.steps == maxSchemaSteps+1 {
			w.problem(w.offset(ptr), fmt.Sprintf("schema expands to more than %d subschemas; the rest is ignored", maxSchemaSteps))
		}
		return
	}
	m, ok := node.(map[string]any)
	if !ok {
		return
	}
	if ref, ok := m["$ref"].(string); ok {
		w.ref(ref, ptr, path, depth)
	}
	if props, ok := m["properties"].(map[string]any); ok {
		keys := make([]string, 0, len(props))
		for k := range props {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			kptr := ptr + "/properties/" + escapePointer(k)
			p := Key(path, k)
			w.record(p, kptr)
			w.walk(props[k], kptr, p, depth+1)
		}
	}
	elem := Elem(path)
	switch items := m["items"].(type) {
	case nil:
	case []any: // the tuple form of drafts 4 to 2019-09
		w.record(elem, ptr+"/items")
		for i, sub := range items {
			w.walk(sub, ptr+"/items/"+strconv.Itoa(i), elem, depth+1)
		}
	default:
		w.record(elem, ptr+"/items")
		w.walk(items, ptr+"/items", elem, depth+1)
	}
	if prefix, ok := m["prefixItems"].([]any); ok {
		w.record(elem, ptr+"/prefixItems")
		for i, sub := range prefix {
			w.walk(sub, ptr+"/prefixItems/"+strconv.Itoa(i), elem, depth+1)
		}
	}
	if _, ok := m["items"]; !ok && isArrayType(m["type"]) {
		w.record(elem, ptr+"/type")
	}
	for _, kw := range [...]string{"allOf", "anyOf", "oneOf"} {
		if subs, ok := m[kw].([]any); ok {
			for i, sub := range subs {
				w.walk(sub, ptr+"/"+kw+"/"+strconv.Itoa(i), path, depth+1)
			}
		}
	}
	for _, kw := range [...]string{"then", "else"} {
		if sub, ok := m[kw]; ok {
			w.walk(sub, ptr+"/"+kw, path, depth+1)
		}
	}
}

func isArrayType(t any) bool {
	switch t := t.(type) {
	case string:
		return t == "array"
	case []any:
		return slices.Contains(t, any("array"))
	}
	return false
}

// ref follows a local $ref, once per chain.
func (w *walker) ref(ref, ptr, path string, depth int) {
	target, tptr, ok := w.resolve(ref)
	if !ok {
		if strings.HasPrefix(ref, "#/") {
			w.problem(w.offset(ptr+"/$ref"), fmt.Sprintf("$ref %q does not resolve within the file", ref))
		}
		return
	}
	if w.active[tptr] {
		return
	}
	w.active[tptr] = true
	w.walk(target, tptr, path, depth+1)
	delete(w.active, tptr)
}

// resolve finds the node a local $ref ("#", "#/definitions/x", "#/$defs/x") points at, and
// its pointer written as the scan writes pointers.
func (w *walker) resolve(ref string) (any, string, bool) {
	frag, ok := strings.CutPrefix(ref, "#")
	if !ok {
		return nil, "", false
	}
	if s, err := url.PathUnescape(frag); err == nil {
		frag = s
	}
	if frag == "" {
		return w.root, "", true
	}
	if frag[0] != '/' {
		return nil, "", false // an anchor
	}
	node, ptr := w.root, ""
	for tok := range strings.SplitSeq(frag[1:], "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		switch n := node.(type) {
		case map[string]any:
			v, ok := n[tok]
			if !ok {
				return nil, "", false
			}
			node, ptr = v, ptr+"/"+escapePointer(tok)
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(n) {
				return nil, "", false
			}
			node, ptr = n[i], ptr+"/"+strconv.Itoa(i)
		default:
			return nil, "", false
		}
	}
	return node, ptr, true
}
