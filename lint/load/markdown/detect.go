package markdown

import (
	"bytes"
	"strings"
)

// LooksLikeRunbook is a cheap content check for discovery without a config: the word
// "runbook" is in the file's path (name), a heading or a front-matter title, or a yaml fence
// holds an alert. Neither the word in prose nor PromQL blocks alone are enough: a contributor
// guide that ends "Congrats on making it to the end of this runbook!" (Argo CD), and
// reference pages with PromQL examples (Mimir's query-sharding and HTTP API pages), are not
// runbooks; listed under runbooks: in a config, any page is read as one.
func LooksLikeRunbook(name string, src []byte) bool {
	word, alerts := RunbookEvidence(name, src)
	return word || len(alerts) > 0
}

// RunbookEvidence returns what LooksLikeRunbook weighs: whether the word "runbook" is in the
// path, a heading or a front-matter title, and the alert names of the yaml fences' alerts.
// init weighs the alerts against the project's rules: an API reference that shows an example
// rule group (Mimir's ruler API) is not a runbook.
func RunbookEvidence(name string, src []byte) (word bool, alerts []string) {
	word = containsFold([]byte(name), "runbook")
	inFence, inYAML := false, false
	for line := range bytes.Lines(src) {
		t := strings.TrimSpace(string(line))
		if lang, ok := fenceLang(t); ok {
			switch {
			case inFence:
				inFence, inYAML = false, false
			default:
				inFence, inYAML = true, lang == "yaml" || lang == "yml"
			}
			continue
		}
		if inYAML {
			if a, ok := strings.CutPrefix(strings.TrimPrefix(t, "- "), "alert:"); ok {
				alerts = append(alerts, strings.Trim(strings.TrimSpace(a), `"'`))
			}
		}
		if !word && !inFence && (strings.HasPrefix(t, "#") || strings.HasPrefix(t, "title:")) && containsFold([]byte(t), "runbook") {
			word = true
		}
	}
	return word, alerts
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
// a table whose header names a metric column and a type or labels column, or code blocks
// holding exposition text with at least minFencedTypes "# TYPE name type" lines (a page that
// documents the metrics as a sample scrape, as CloudNativePG's monitoring.md does).
//
// A generic "Name" or "Series" column could list anything (labels, options), so there the
// first row's cell must hold a name with '_' or ':', as the loader requires of every cell.
func LooksLikeMetricsDoc(src []byte) bool {
	prev := ""
	generic := -1 // the column of a generic header whose first row is awaited
	inFence, types := false, 0
	for line := range bytes.Lines(src) {
		t := strings.TrimSpace(string(line))
		if _, ok := fenceLang(t); ok {
			inFence = !inFence
			continue
		}
		if inFence {
			if isTypeLine(t) {
				if types++; types >= minFencedTypes {
					return true
				}
			}
			continue
		}
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

// minFencedTypes is how many "# TYPE" lines in code blocks make a metrics doc. A page that
// documents a project's metrics this way lists many (CloudNativePG's monitoring page 57, its
// connection pooling page 52, kafka_exporter's README 15); a tutorial's sample scrape a few
// (kube-state-metrics' custom resource metrics guide has 4 examples of what a user's
// configuration would export, which are not kube-state-metrics' own).
const minFencedTypes = 5

// isTypeLine reports whether a trimmed line is an exposition's "# TYPE name type" line.
func isTypeLine(t string) bool {
	f := strings.Fields(t)
	if len(f) != 4 || f[0] != "#" || f[1] != "TYPE" || !strings.ContainsAny(f[2], "_:") {
		return false
	}
	switch f[3] {
	case "counter", "gauge", "histogram", "summary", "untyped", "unknown", "info", "stateset", "gaugehistogram":
		return true
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
