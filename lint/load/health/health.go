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
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/driftlint/driftlint/lint"
	"github.com/driftlint/driftlint/lint/guard"
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
	hs := &lint.HealthSample{File: f}
	prob := d.check("empty health sample")
	paths, _ := d.scan(false)
	hs.Paths = make(map[string]lint.Pos, len(paths))
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

// LoadSchema turns a JSON Schema of the health response into the same Paths: the schema is
// compiled by santhosh-tekuri/jsonschema (every draft; $ref, $defs, allOf/anyOf/oneOf,
// if/then/else resolved by the library), then walked: properties become keys, items and
// prefixItems array elements. Each path is positioned at its key in the file. Value is nil.
func LoadSchema(f *lint.SourceFile) (*lint.HealthSample, []lint.ParseProblem) {
	d := newDoc(f)
	hs := &lint.HealthSample{File: f, Paths: map[string]lint.Pos{}}
	if prob := d.check("empty health schema"); prob != nil {
		hs.Partial = true
		return hs, []lint.ParseProblem{*prob}
	}
	_, ptrs := d.scan(true)
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(d.data))
	if err != nil {
		hs.Partial = true
		return hs, []lint.ParseProblem{{At: d.pos(0), Message: err.Error()}}
	}
	loc := "file:///" + strings.TrimPrefix(filepath.ToSlash(f.Path), "/")
	tuple := dropExternalRefs(doc, 0) // references to other files are not followed
	c := jsonschema.NewCompiler()
	c.UseLoader(noLoader{})
	if tuple {
		// Without $schema, the array form of items means an older draft wrote it.
		c.DefaultDraft(jsonschema.Draft7)
	}
	if err := c.AddResource(loc, doc); err != nil {
		hs.Partial = true
		return hs, []lint.ParseProblem{{At: d.pos(skipBlank(d.data, 0)), Message: oneLine(err.Error())}}
	}
	sch, err := c.Compile(loc)
	if err != nil {
		hs.Partial = true
		at := skipBlank(d.data, 0)
		if m := missingPointer.FindStringSubmatch(err.Error()); m != nil {
			if i := bytes.Index(d.data, []byte(`"#`+m[1]+`"`)); i >= 0 {
				at = i // the $ref that points nowhere
			}
		}
		return hs, []lint.ParseProblem{{At: d.pos(at), Message: "not a usable JSON Schema: " + oneLine(err.Error())}}
	}
	w := &walker{d: d, ptrs: ptrs, offs: map[string]int{}, active: map[*jsonschema.Schema]int{}, reported: map[int]bool{}}
	w.walk(sch, "", 0)
	for p, off := range w.offs {
		hs.Paths[p] = d.pos(off)
	}
	if len(w.problems) > 0 {
		hs.Partial = true
	}
	return hs, w.problems
}

// missingPointer finds the fragment of a $ref that the compiler could not resolve.
var missingPointer = regexp.MustCompile(`#(/[^"]*)" not found`)

// dropExternalRefs deletes every $ref to another document, so that it allows anything, and
// reports whether some items keyword has the array (tuple) form.
func dropExternalRefs(node any, depth int) (tuple bool) {
	if depth > maxPathDepth*4 {
		return false
	}
	switch n := node.(type) {
	case map[string]any:
		if ref, ok := n["$ref"].(string); ok && !strings.HasPrefix(ref, "#") {
			delete(n, "$ref")
		}
		if _, ok := n["items"].([]any); ok {
			tuple = true
		}
		for _, v := range n {
			tuple = dropExternalRefs(v, depth+1) || tuple
		}
	case []any:
		for _, v := range n {
			tuple = dropExternalRefs(v, depth+1) || tuple
		}
	}
	return tuple
}

// noLoader stands in for every external schema with the empty schema, which allows anything:
// driftlint reads no other file or URL for a schema, and adds no paths from it.
type noLoader struct{}

func (noLoader) Load(string) (any, error) { return map[string]any{}, nil }

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

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
	lim := lint.Limit().JSONDepth
	if off := guard.JSONDepth(d.data, lim); off >= 0 {
		return &lint.ParseProblem{At: d.pos(off), Message: lint.LimitMessage("the JSON nests [ and { deeper here", lim, "json_depth") + "; not read"}
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
	ptrs     map[string]int             // JSON pointer → offset of its key, from the scan
	offs     map[string]int             // jq path → offset
	active   map[*jsonschema.Schema]int // times each schema is being expanded: $ref cycles unroll once
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

// offset is the offset of a schema location's key (the pointer after #), or of its nearest
// ancestor's.
func (w *walker) offset(location string) int {
	_, ptr, _ := strings.Cut(location, "#")
	if s, err := url.PathUnescape(ptr); err == nil {
		ptr = s
	}
	for ptr != "" {
		if off, ok := w.ptrs[ptr]; ok {
			return off
		}
		ptr = ptr[:strings.LastIndexByte(ptr, '/')]
	}
	return skipBlank(w.d.data, 0)
}

// record notes a jq path at the key of the given schema location, keeping the first in the
// file.
func (w *walker) record(path, location string) {
	off := w.offset(location)
	if old, ok := w.offs[path]; !ok || off < old {
		w.offs[path] = off
	}
}

// walk records the paths that the compiled schema s allows below jq path path.
func (w *walker) walk(s *jsonschema.Schema, path string, depth int) {
	if s == nil || depth > maxPathDepth || w.active[s] > 1 {
		return
	}
	if w.steps++; w.steps > maxSchemaSteps {
		if w.steps == maxSchemaSteps+1 {
			w.problem(w.offset(s.Location), fmt.Sprintf("schema expands to more than %d subschemas; the rest is ignored", maxSchemaSteps))
		}
		return
	}
	w.active[s]++
	defer func() { w.active[s]-- }()
	keys := make([]string, 0, len(s.Properties))
	for k := range s.Properties {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		p := Key(path, k)
		w.record(p, s.Properties[k].Location)
		w.walk(s.Properties[k], p, depth+1)
	}
	elem := Elem(path)
	var items []*jsonschema.Schema
	switch it := s.Items.(type) {
	case *jsonschema.Schema:
		items = append(items, it)
	case []*jsonschema.Schema: // the tuple form of drafts 4 to 2019-09
		items = append(items, it...)
	}
	items = append(items, s.PrefixItems...)
	if s.Items2020 != nil {
		items = append(items, s.Items2020)
	}
	for _, sub := range items {
		w.record(elem, sub.Location)
		w.walk(sub, elem, depth+1)
	}
	if len(items) == 0 && s.Types != nil && slices.Contains(s.Types.ToStrings(), "array") {
		w.record(elem, s.Location+"/type")
	}
	for _, sub := range slices.Concat([]*jsonschema.Schema{s.Ref, s.Then, s.Else}, s.AllOf, s.AnyOf, s.OneOf) {
		w.walk(sub, path, depth+1)
	}
}
