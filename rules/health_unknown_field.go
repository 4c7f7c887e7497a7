package rules

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/driftlint/driftlint/lint"
	"github.com/driftlint/driftlint/lint/jqpath"
	"github.com/driftlint/driftlint/lint/load/health"
)

// HealthUnknownField reports jq paths in runbooks and docs that no health sample has.
var HealthUnknownField = &lint.Rule{
	ID:      "health/unknown-field",
	Summary: "a jq path into the /health response that the response lacks",
	Doc: `Runbooks tell operators to run ` + "`curl …/health | jq '.field'`" + ` during an incident. When
the field was renamed or removed, jq prints null and the operator reads "no problem". Every
jq program that reads a health endpoint (a pipeline that fetches a URL, path or $VARIABLE with
"health" in it, or a configured health URL) is walked for the paths it reads (through pipes, as $x, select,
sort_by, map, object construction, // alternatives, optional ?, .[] and .[0], quoted keys)
and each path is looked up in the health samples and JSON Schemas of the config. Fields the
prose names are checked too: inline code such as ` + "`.last_kafka_message_ago_seconds`" + ` in a
paragraph or section about health, and the first column of a table of fields (Field, Path,
Key) under a heading about health. A path is
reported at its first segment that no sample has; a field under null, or under an array
that is empty in every sample, proves nothing and is not reported.

Bad (the response has kafka_status, not kafka_producer):

    curl -s localhost:3002/health | jq '.kafka_producer'

Good:

    curl -s localhost:3002/health | jq '.kafka_status'`,
	Severity: lint.Error,
	Needs:    lint.NeedHealth,
	Run:      runHealthUnknownField,
}

// healthIndex is what the health samples say about paths.
type healthIndex struct {
	samples  []*lint.HealthSample // complete samples and schemas
	present  map[string]lint.Pos  // every path some sample has, at its first position
	children map[string][]string  // parent path → the keys below it (decoded), sorted
}

// healthFields builds (once per project) the index of the paths of every complete sample.
func healthFields(p *lint.Project) *healthIndex {
	return p.Memo("rules/health-fields", func() any {
		n := 0
		for _, s := range p.Health {
			if s != nil {
				n += len(s.Paths)
			}
		}
		// Sized up front: on a large sample, growing the maps was most of the time.
		idx := &healthIndex{present: make(map[string]lint.Pos, n), children: make(map[string][]string, n/2)}
		for _, s := range p.Health {
			if s == nil || s.Partial || s.File == nil {
				continue
			}
			idx.samples = append(idx.samples, s)
			for path, at := range s.Paths {
				if old, ok := idx.present[path]; !ok || at.Less(old) {
					idx.present[path] = at
				}
			}
		}
		for path := range idx.present {
			if parent, key, ok := splitLastKey(path); ok {
				idx.children[parent] = append(idx.children[parent], key)
			}
		}
		for parent, keys := range idx.children { // sorted once: no quadratic Contains per key
			slices.Sort(keys)
			idx.children[parent] = slices.Compact(keys)
		}
		return idx
	}).(*healthIndex)
}

// splitLastKey splits a path written by health.Key into its parent and its last key; it
// fails for element paths ("x[]").
func splitLastKey(path string) (parent, key string, ok bool) {
	if strings.HasSuffix(path, "[]") {
		return "", "", false
	}
	if strings.HasSuffix(path, `"`) {
		// ."quoted key": find the opening quote of the last segment.
		for i := len(path) - 2; i > 0; i-- {
			if path[i] == '"' && path[i-1] == '.' && !escaped(path, i) {
				k, err := unquoteJQ(path[i:])
				if err != nil || health.Key(path[:i-1], k) != path {
					continue
				}
				return path[:i-1], k, true
			}
		}
		return "", "", false
	}
	i := strings.LastIndexByte(path, '.')
	if i < 0 {
		return "", "", false
	}
	return path[:i], path[i+1:], true
}

// escaped reports whether the byte at i is preceded by an odd number of backslashes.
func escaped(s string, i int) bool {
	n := 0
	for j := i - 1; j >= 0 && s[j] == '\\'; j-- {
		n++
	}
	return n%2 == 1
}

// unquoteJQ decodes a jq string literal as health.Key writes it.
func unquoteJQ(s string) (string, error) {
	if len(s) < 2 || s[0] != '"' || s[len(s)-1] != '"' {
		return "", errors.New("not a string literal")
	}
	var b strings.Builder
	for i := 1; i < len(s)-1; i++ {
		c := s[i]
		if c != '\\' {
			b.WriteByte(c)
			continue
		}
		i++
		if i >= len(s)-1 {
			return "", errors.New("bad escape")
		}
		switch s[i] {
		case 'n':
			b.WriteByte('\n')
		case 't':
			b.WriteByte('\t')
		case 'r':
			b.WriteByte('\r')
		case 'u':
			if i+4 >= len(s) {
				return "", errors.New("bad escape")
			}
			var r rune
			if _, err := fmt.Sscanf(s[i+1:i+5], "%04x", &r); err != nil {
				return "", err
			}
			b.WriteRune(r)
			i += 4
		default:
			b.WriteByte(s[i])
		}
	}
	return b.String(), nil
}

func runHealthUnknownField(pass *lint.Pass) error {
	p := pass.Project
	idx := healthFields(p)
	if len(idx.samples) == 0 {
		return nil
	}
	for _, md := range p.Markdown {
		for i := range md.JQ {
			prog := &md.JQ[i]
			if prog.Query == nil || !readsHealth(p, prog) {
				continue
			}
			reported := map[string]bool{}
			for _, path := range jqpath.Read(prog.Query) {
				checkHealthPath(pass, idx, prog, "jq program reads", path, reported)
			}
		}
		for i := range md.HealthRefs { // fields the prose names: `.kafka.status`, table rows
			ref := &md.HealthRefs[i]
			for _, path := range jqpath.Read(ref.Query) {
				checkHealthPath(pass, idx, ref, "the doc names health field", path, map[string]bool{})
			}
		}
	}
	return nil
}

// checkHealthPath reports the first segment of path that no sample has.
// what names the reader in the message: "jq program reads", "the doc names".
func checkHealthPath(pass *lint.Pass, idx *healthIndex, prog *lint.JQProgram, what string, path jqpath.Path, reported map[string]bool) {
	for i, seg := range path {
		prefix := path[:i+1]
		if _, ok := idx.present[prefix.String()]; ok {
			continue
		}
		parent := path[:i]
		if seg.Iter || idx.nullEverywhere(parent) {
			return // an empty array or a null proves nothing about what is below
		}
		missing := prefix.String()
		if reported[missing] {
			return
		}
		reported[missing] = true
		parentStr := ""
		if len(parent) > 0 {
			parentStr = parent.String()
		}
		msg := fmt.Sprintf("%s %s but no health sample has field %q", what, quotePath(path.String()), seg.Key)
		if len(parent) > 0 {
			msg += " under " + quotePath(parent.String())
		}
		f := lint.Finding{
			Pos:     prog.Program.Pos(keyOffset(prog.Program.Value, path, i)),
			Subject: lint.Subject{Field: missing},
		}
		if s := lint.Closest(seg.Key, idx.children[parentStr]); s != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", s)
			f.Related = append(f.Related, lint.Related{Pos: idx.present[health.Key(parentStr, s)], Message: fmt.Sprintf("%q is here", s)})
		} else if at, ok := idx.present[parentStr]; ok {
			f.Related = append(f.Related, lint.Related{Pos: at, Message: "the health sample's " + quotePath(parentStr)})
		} else if s := idx.samples[0]; s.File != nil {
			f.Related = append(f.Related, lint.Related{Pos: lint.Pos{File: s.File.Path, Line: 1, Col: 1}, Message: "the health sample"})
		}
		f.Message = msg
		pass.Report(f)
		return
	}
}

// quotePath quotes a jq path for a message: "path", or `path` when it holds quoted keys.
func quotePath(p string) string {
	if strings.ContainsAny(p, "\"\\`") {
		return "`" + p + "`"
	}
	return strconv.Quote(p)
}

// nullEverywhere reports whether every sample value (schemas have none) at path is null
// (so nothing can be said about the fields below it); false when no sample has a value.
func (idx *healthIndex) nullEverywhere(path jqpath.Path) bool {
	if len(path) == 0 {
		return false
	}
	found := false
	for _, s := range idx.samples {
		if s.Value == nil {
			if _, ok := s.Paths[path.String()]; ok {
				return false // a schema describes it
			}
			continue
		}
		for _, v := range valuesAt(s.Value, path, 64, false) {
			if v != nil {
				return false
			}
			found = true
		}
	}
	return found
}

// valuesAt returns the values at path in v ([] takes every element), at most limit of them.
// With missingAsNull, a key missing from an object gives null, as jq reads it; otherwise
// it gives nothing.
func valuesAt(v any, path jqpath.Path, limit int, missingAsNull bool) []any {
	cur := []any{v}
	for _, seg := range path {
		var next []any
		for _, c := range cur {
			switch c := c.(type) {
			case map[string]any:
				if !seg.Iter {
					if x, ok := c[seg.Key]; ok || missingAsNull {
						next = append(next, x)
					}
				} else {
					for _, k := range sortedKeys(c) {
						next = append(next, c[k])
					}
				}
			case []any:
				if seg.Iter {
					next = append(next, c...)
				}
			}
			if len(next) >= limit {
				next = next[:limit]
				break
			}
		}
		cur = next
	}
	return cur
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// readsHealth reports whether a jq program reads a health response: the pipeline before it
// (from the start of its command, over continued lines) fetches a URL or path with "health"
// in it (localhost:8080/health, "$INGEST_HEALTH_URL", health.json), or the path of a
// configured health URL. A bare word does not count: `curl -H 'X-Health-Check: 1' …/status`
// fetches the status page. JQProgram does not record what was fetched, so the text is read.
func readsHealth(p *lint.Project, prog *lint.JQProgram) bool {
	f := prog.Program.File
	if f == nil {
		return false
	}
	end := prog.Program.Offset(0)
	start := pipelineStart(f.Src, end)
	text := strings.ToLower(string(f.Src[start:end]))
	for tok := range strings.FieldsSeq(text) {
		tok = strings.Trim(tok, `"'`)
		if strings.Contains(tok, "health") &&
			(strings.Contains(tok, "/") || strings.HasPrefix(tok, "$") || strings.HasSuffix(tok, ".json")) {
			return true
		}
	}
	if p.Config != nil {
		for _, h := range p.Config.Health {
			if h.URL == "" {
				continue
			}
			u := strings.ToLower(h.URL)
			if i := strings.Index(u, "://"); i >= 0 {
				u = u[i+3:]
			}
			if j := strings.IndexByte(u, '/'); j >= 0 && len(u[j:]) > 1 && strings.Contains(text, u[j:]) {
				return true
			}
		}
	}
	return false
}

// pipelineStart returns the offset where the shell command holding offset end begins: the
// start of its line, moved up over lines that end with \ or | (continued pipelines).
func pipelineStart(src []byte, end int) int {
	end = min(max(end, 0), len(src))
	start := end
	for start > 0 && src[start-1] != '\n' {
		start--
	}
	for start > 0 {
		prevEnd := start - 1 // the newline
		prevStart := prevEnd
		for prevStart > 0 && src[prevStart-1] != '\n' {
			prevStart--
		}
		line := strings.TrimRight(string(src[prevStart:prevEnd]), " \t\r")
		if !strings.HasSuffix(line, `\`) && !strings.HasSuffix(line, "|") {
			break
		}
		start = prevStart
	}
	return start
}

// keyOffset finds where segment i of path is written in a jq program: each key segment is
// searched for in order (.key, ."key", "key" or a bare key as in {key}), each after the
// previous one when possible. It returns 0 when the key is not written out.
func keyOffset(prog string, path jqpath.Path, i int) int {
	from, at := 0, 0
	for j := 0; j <= i && j < len(path); j++ {
		if path[j].Iter {
			continue
		}
		off := findKey(prog, path[j].Key, from)
		if off < 0 {
			off = findKey(prog, path[j].Key, 0)
		}
		if off < 0 {
			return at
		}
		at = off
		from = off + 1
	}
	return at
}

// findKey returns the offset of key in prog at or after from: after a dot, as a quoted
// string, or as a bare word; -1 when absent.
func findKey(prog, key string, from int) int {
	if key == "" || from > len(prog) {
		return -1
	}
	best := -1
	consider := func(off int) {
		if off >= 0 && (best < 0 || off < best) {
			best = off
		}
	}
	quoted := health.Key("", key)[1:] // `"a-b"` or `ab`
	if quoted[0] == '"' {
		if k := strings.Index(prog[from:], quoted); k >= 0 {
			consider(from + k)
		}
	}
	for k := from; k <= len(prog)-len(key); {
		n := strings.Index(prog[k:], key)
		if n < 0 {
			break
		}
		off := k + n
		before := off == 0 || !isIdentByte(prog[off-1])
		after := off+len(key) == len(prog) || !isIdentByte(prog[off+len(key)])
		if before && after && isIdentKey(key) {
			consider(off)
			break
		}
		k = off + 1
	}
	return best
}

func isIdentByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '$'
}

func isIdentKey(key string) bool {
	for i := range len(key) {
		if !isIdentByte(key[i]) || key[i] == '$' {
			return false
		}
	}
	return true
}
