package markdown

import (
	"bytes"
	"strings"
)

// LooksLikeRunbook is a cheap content check for discovery without a config: the text has a
// promql fence or a yaml fence holding an alert, or the word "runbook" is in the file's path
// (name), a heading or a front-matter title. The word in prose is not enough: a contributor
// guide that ends "Congrats on making it to the end of this runbook!" and a page whose
// example links "a runbook" (Argo CD's docs) are not runbooks.
func LooksLikeRunbook(name string, src []byte) bool {
	if containsFold([]byte(name), "runbook") {
		return true
	}
	inFence, inYAML := false, false
	for line := range bytes.Lines(src) {
		t := strings.TrimSpace(string(line))
		if lang, ok := fenceLang(t); ok {
			switch {
			case inFence:
				inFence, inYAML = false, false
			case lang == "promql":
				return true
			default:
				inFence, inYAML = true, lang == "yaml" || lang == "yml"
			}
			continue
		}
		if inYAML && (strings.HasPrefix(t, "alert:") || strings.HasPrefix(t, "- alert:")) {
			return true
		}
		if !inFence && (strings.HasPrefix(t, "#") || strings.HasPrefix(t, "title:")) && containsFold([]byte(t), "runbook") {
			return true
		}
	}
	return false
}

// fenceLang reports whether a trimmed line is a code fence and returns its language.
func fenceLang(t string) (string, bool) {
	if !strings.HasPrefix(t, "```") && !strings.HasPrefix(t, "~~~") {
		return "", false
	}
	info := strings.TrimLeft(t, "`~")
	if f := strings.Fields(info); len(f) > 0 {
		return strings.ToLower(f[0]), true
	}
	return "", true
}

// LooksLikeMetricsDoc is a cheap content check for discovery without a config: the text has
// a table whose header names a metric column and a type or labels column.
//
// A generic "Name" or "Series" column could list anything (labels, options), so there the
// first row's cell must hold a name with '_' or ':', as the loader requires of every cell.
func LooksLikeMetricsDoc(src []byte) bool {
	prev := ""
	generic := -1 // the column of a generic header whose first row is awaited
	for line := range bytes.Lines(src) {
		t := strings.TrimSpace(string(line))
		if generic >= 0 {
			if isDelimiterRow(t) {
				prev = t
				continue
			}
			if cells := splitRow(t); generic < len(cells) {
				if c := strings.Trim(strings.TrimSpace(cells[generic]), "`*"); strings.ContainsAny(c, "_:") && !strings.ContainsAny(c, " \t") {
					return true
				}
			}
			generic = -1
		}
		if prev != "" && isDelimiterRow(t) {
			headers := splitRow(prev)
			m, ty, lb := columns(headers)
			if m >= 0 && (ty >= 0 || lb >= 0) {
				if metricHeader(headers[m]) {
					return true
				}
				generic = m
			}
		}
		prev = t
	}
	return false
}

// isDelimiterRow reports whether a trimmed line is a table's delimiter row (|---|:--:|).
func isDelimiterRow(t string) bool {
	if !strings.Contains(t, "-") || !strings.Contains(t, "|") && strings.Count(t, "-") < 3 {
		return false
	}
	for i := range len(t) {
		switch t[i] {
		case '-', '|', ':', ' ', '\t':
		default:
			return false
		}
	}
	return true
}

// splitRow splits a table row into its cell texts.
func splitRow(t string) []string {
	t = strings.TrimPrefix(strings.TrimSuffix(t, "|"), "|")
	return strings.Split(t, "|")
}

// containsFold reports whether s contains the lower-case ASCII word w, ignoring case.
func containsFold(s []byte, w string) bool {
	for i := 0; i+len(w) <= len(s); i++ {
		j := 0
		for j < len(w) && s[i+j]|0x20 == w[j] {
			j++
		}
		if j == len(w) {
			return true
		}
	}
	return false
}
