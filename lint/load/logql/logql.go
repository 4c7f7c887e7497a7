// Package logql tells LogQL (Loki's query language) from PromQL without parsing it: a Loki
// query whose stream selector is followed by a log pipeline is not PromQL, and reading it
// as PromQL gives nothing but syntax errors. Loki's own parser is AGPL-licensed and is not
// used; the check below is a scan of the text.
package logql

import (
	"slices"
	"strings"
)

// pipelineStages are the LogQL parsers and formatters that may follow "|".
var pipelineStages = []string{
	"json", "logfmt", "regexp", "pattern", "unpack", "line_format", "label_format",
	"decolorize", "drop", "keep", "unwrap",
}

// LooksLikeLogQL reports whether expr is a LogQL query with a log pipeline: a stream
// selector ({…}) followed, outside brackets and strings, by a line filter (|= "…", |~ "…",
// != "…", !~ "…"), a label filter or a parser stage (| json, | logfmt, | line_format …).
// PromQL has no "|", no "!~" outside braces and no comparison with a string, so such a
// query is never valid PromQL. A metric query without a pipeline ({app="x"}[5m] inside
// count_over_time) is also valid PromQL in form and is not recognized.
func LooksLikeLogQL(expr string) bool {
	depth := 0        // nesting of { } only
	selector := false // a stream selector has closed
	for i := 0; i < len(expr); i++ {
		c := expr[i]
		switch c {
		case '"', '\'', '`':
			i = skipString(expr, i)
			continue
		case '#':
			if j := strings.IndexByte(expr[i:], '\n'); j >= 0 {
				i += j
				continue
			}
			return false
		case '{':
			depth++
			continue
		case '}':
			if depth > 0 {
				depth--
				if depth == 0 {
					selector = true
				}
			}
			continue
		}
		if depth > 0 || !selector {
			continue
		}
		rest := expr[i:]
		switch {
		case strings.HasPrefix(rest, "|=") || strings.HasPrefix(rest, "|~") || strings.HasPrefix(rest, "!~"):
			return true
		case strings.HasPrefix(rest, "!="):
			if after := strings.TrimLeft(rest[2:], " \t\r\n"); after != "" && strings.ContainsRune("\"`", rune(after[0])) {
				return true
			}
		case c == '|':
			if stage(strings.TrimLeft(rest[1:], " \t\r\n")) {
				return true
			}
		}
	}
	return false
}

// stage reports whether s begins with a pipeline stage after "|": a parser or formatter,
// or a label filter (an identifier followed by a comparison).
func stage(s string) bool {
	n := 0
	for n < len(s) && (s[n] == '_' || s[n] >= 'a' && s[n] <= 'z' || s[n] >= 'A' && s[n] <= 'Z' || n > 0 && s[n] >= '0' && s[n] <= '9') {
		n++
	}
	if n == 0 {
		return false
	}
	if slices.Contains(pipelineStages, s[:n]) {
		return true
	}
	after := strings.TrimLeft(s[n:], " \t")
	for _, op := range []string{"=", "!=", "=~", "!~", ">", "<"} {
		if strings.HasPrefix(after, op) {
			return true
		}
	}
	return false
}

// skipString returns the index of the closing quote of the string literal that opens at
// i, or the last index when it is not closed.
func skipString(s string, i int) int {
	q := s[i]
	for j := i + 1; j < len(s); j++ {
		switch s[j] {
		case '\\':
			if q != '`' {
				j++
			}
		case q:
			return j
		}
	}
	return len(s) - 1
}
