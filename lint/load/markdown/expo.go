package markdown

import (
	"slices"
	"strconv"
	"strings"

	"github.com/driftlint/driftlint/lint"
)

// exampleLangs are the info strings of fenced blocks that may show exposition text.
var exampleLangs = map[string]bool{"prometheus": true, "openmetrics": true, "prom": true}

// plainLangs are the info strings of blocks that show exposition text when it declares a
// family with # HELP or # TYPE (the output of curl /metrics pasted as it came).
var plainLangs = map[string]bool{"": true, "text": true, "txt": true, "plain": true, "plaintext": true, "console": true, "shell": true, "sh": true, "bash": true}

// declaresFamily reports whether a block has a # HELP or # TYPE line.
func declaresFamily(s string) bool {
	for line := range strings.Lines(s) {
		f := strings.Fields(line)
		if len(f) >= 3 && f[0] == "#" && (f[1] == "HELP" || f[1] == "TYPE") {
			return true
		}
	}
	return false
}

// expositionExample records the metrics that a metrics doc documents by showing their output:
// a ```prometheus block whose every line is exposition text (# HELP, # TYPE, other comments,
// samples), as in "kube-state-metrics also exposes … Example: ```prometheus
// kube_state_metrics_list_total{resource="*v1.Node",result="success"} 1```". Each family
// becomes a DocEntry at its first mention, typed when a # TYPE line says so. The labels of a
// family that the block declares with # HELP or # TYPE (an excerpt of a real exposition) are
// those of its sample lines (le and quantile aside); a bare sample line is an example of some
// series, and leaves the labels undocumented. A block with any other line (a PromQL query
// written as ```prometheus) documents nothing.
func (l *loader) expositionExample(body lint.Span) {
	var entries []*lint.DocEntry
	byName := map[string]*lint.DocEntry{}
	typed := map[string]bool{}    // families a # TYPE line declares
	declared := map[string]bool{} // families a # HELP or # TYPE line declares
	add := func(name string, off int, typ string) {
		if e := byName[name]; e != nil {
			if e.Type == "" && typ != "" {
				e.Type, e.TypeAt = typ, body.Pos(off)
			}
			return
		}
		e := &lint.DocEntry{Name: name, At: body.Pos(off), Doc: l.md}
		if typ != "" {
			e.Type, e.TypeAt = typ, e.At
		}
		byName[name] = e
		entries = append(entries, e)
	}
	var samples [][2]int // name start, name end, of sample lines, in order
	off := 0
	for line := range strings.SplitAfterSeq(body.Value, "\n") {
		start := off
		off += len(line)
		s := strings.TrimRight(line, "\r\n")
		trim := strings.TrimLeft(s, " \t")
		at := start + len(s) - len(trim)
		if trim == "" {
			continue
		}
		if trim[0] == '#' {
			f := strings.Fields(trim)
			if len(f) >= 3 && f[0] == "#" && (f[1] == "TYPE" || f[1] == "HELP") && isMetricName(f[2]) {
				typ := ""
				if f[1] == "TYPE" && len(f) >= 4 {
					typ = typeWord(strings.ToLower(f[3]))
					typed[f[2]] = true
				}
				declared[f[2]] = true
				add(f[2], at+strings.Index(trim, f[2]), typ)
			}
			continue
		}
		n, ok := sampleName(trim)
		if !ok {
			return // not exposition text
		}
		samples = append(samples, [2]int{at, at + n})
	}
	for _, s := range samples {
		name := body.Value[s[0]:s[1]]
		if family, ok := typedFamily(name, typed); ok {
			name = family
		}
		add(name, s[0], "")
		if !declared[name] {
			continue
		}
		e := byName[name]
		if !e.HasLabels {
			e.HasLabels, e.LabelsAt = true, body.Pos(s[1])
		}
		for _, ln := range sampleLabels(body.Value[s[1]:]) {
			if ln != "le" && ln != "quantile" && !slices.Contains(e.Labels, ln) {
				e.Labels = append(e.Labels, ln)
			}
		}
	}
	l.listed = append(l.listed, entries...)
}

// typedFamily returns the family that a # TYPE line declared for a series name such as
// x_bucket, x_sum, x_count, x_total or x_created.
func typedFamily(series string, typed map[string]bool) (string, bool) {
	for _, suf := range []string{"_bucket", "_sum", "_count", "_total", "_created", "_gsum", "_gcount"} {
		if base, ok := strings.CutSuffix(series, suf); ok && typed[base] {
			return base, true
		}
	}
	return "", false
}

// sampleName checks that s is an exposition sample line, name{labels} value [timestamp],
// and returns the length of its metric name.
func sampleName(s string) (int, bool) {
	n := 0
	for n < len(s) && (isIdentByte(s[n]) || s[n] == ':') {
		n++
	}
	if n == 0 || !isMetricName(s[:n]) {
		return 0, false
	}
	rest := s[n:]
	if strings.HasPrefix(rest, "{") {
		end := labelsEnd(rest)
		if end < 0 {
			return 0, false
		}
		rest = rest[end:]
	}
	f := strings.Fields(rest)
	if len(f) < 1 || len(f) > 2 || rest == "" || (rest[0] != ' ' && rest[0] != '\t') {
		return 0, false
	}
	if _, err := strconv.ParseFloat(f[0], 64); err != nil {
		return 0, false
	}
	if len(f) == 2 {
		if _, err := strconv.ParseFloat(f[1], 64); err != nil {
			return 0, false
		}
	}
	return n, true
}

// labelsEnd returns the length of the {…} label block that s starts with, quoted values
// skipped, or -1.
func labelsEnd(s string) int {
	quoted := false
	for i := 1; i < len(s); i++ {
		switch c := s[i]; {
		case quoted && c == '\\':
			i++
		case c == '"':
			quoted = !quoted
		case !quoted && c == '}':
			return i + 1
		}
	}
	return -1
}

// sampleLabels returns the label names of the {…} block that a sample line continues with
// after its name; none when there is no block.
func sampleLabels(s string) []string {
	if !strings.HasPrefix(s, "{") {
		return nil
	}
	end := labelsEnd(s)
	if end < 0 {
		return nil
	}
	var out []string
	for i := 1; i < end-1; {
		for i < end && (s[i] == ',' || isSpaceByte(s[i])) {
			i++
		}
		j := i
		for j < end && isIdentByte(s[j]) {
			j++
		}
		if j == i || j >= end || s[j] != '=' {
			return out
		}
		out = append(out, s[i:j])
		k := j + 1
		if k < end && s[k] == '"' {
			for k++; k < end && s[k] != '"'; k++ {
				if s[k] == '\\' {
					k++
				}
			}
			k++
		}
		i = k
	}
	return out
}
