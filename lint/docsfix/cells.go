package docsfix

import (
	"strings"
	"unicode/utf8"

	"github.com/driftlint/driftlint/lint"
)

// Rewriting cells keeps the author's style: the padding of the cell, backticks, the
// separator between labels, a label's documented value (`stage`=&lt;stage&gt;,
// severity="critical\|warning"), prose around the labels, and the word used for "no labels".

// isNoLabels reports whether a raw labels cell says "no labels", its markup (`-`, *none*)
// aside: the words are the loader's, lint.NoLabels.
func isNoLabels(s string) bool {
	return lint.NoLabels(strings.Trim(strings.TrimSpace(s), "*_`"))
}

// splitPadding splits a raw cell into its leading blanks, content and trailing blanks.
func splitPadding(raw string) (lead, content, trail string) {
	i := 0
	for i < len(raw) && (raw[i] == ' ' || raw[i] == '\t') {
		i++
	}
	if i == len(raw) && i > 0 {
		return raw[:1], "", raw[1:] // a blank cell: one space before, the rest after
	}
	j := len(raw)
	for j > i && (raw[j-1] == ' ' || raw[j-1] == '\t') {
		j--
	}
	return raw[:i], raw[i:j], raw[j:]
}

// repad puts new content into a raw cell, keeping its leading blanks. In an aligned column
// (width >= 0) the trailing spaces pad the cell to the column's width, at least one space
// when the cell had any; elsewhere the cell keeps its trailing blanks.
func repad(raw, content string, width int) string {
	lead, _, trail := splitPadding(raw)
	if width < 0 || strings.Trim(trail, " ") != "" {
		return lead + content + trail
	}
	pad := width - utf8.RuneCountInString(lead) - utf8.RuneCountInString(content)
	if trail != "" {
		pad = max(pad, 1)
	}
	return lead + content + strings.Repeat(" ", max(pad, 0))
}

// labelSeg is a piece of a labels cell: a separator (blanks, commas, semicolons, <br>) or an
// item (a label, with its value if documented, or a word of prose).
type labelSeg struct {
	text    string
	sep     bool
	name    string // an item's leading label name, without backticks; "" for none
	nameOff int    // offset of name in text
}

// splitLabelCell cuts a labels cell's content into items and separators. Code spans,
// quoted values after = and <…> or &lt;…&gt; values are never cut.
func splitLabelCell(s string) []labelSeg {
	var out []labelSeg
	sc := newScanner(s)
	for i := 0; i < len(s); {
		if sepLen(s, i) > 0 {
			j := i
			for j < len(s) {
				n := sepLen(s, j)
				if n == 0 {
					break
				}
				j += n
			}
			out = append(out, labelSeg{text: s[i:j], sep: true})
			i = j
			continue
		}
		j := i
		for j < len(s) && sepLen(s, j) == 0 {
			j = sc.skipUnit(j)
		}
		out = append(out, labelItem(s[i:j]))
		i = j
	}
	return out
}

// sepLen returns the length of the separator at s[i:], or 0.
func sepLen(s string, i int) int {
	switch s[i] {
	case ' ', '\t', ',', ';':
		return 1
	case '<':
		for _, br := range []string{"<br>", "<br/>", "<br />"} {
			if len(s)-i >= len(br) && strings.EqualFold(s[i:i+len(br)], br) {
				return len(br)
			}
		}
	}
	return 0
}

// scanner finds the units of a cell's text. The last place of each closing delimiter is
// known in advance, so that an opener without a closer costs no search: the scan is linear
// in practice.
type scanner struct {
	s                     string
	lastGt, lastEntGt     int
	lastTick              int
	lastDQuote, lastQuote int
}

func newScanner(s string) *scanner {
	return &scanner{
		s: s, lastGt: strings.LastIndexByte(s, '>'), lastEntGt: strings.LastIndex(s, "&gt;"),
		lastTick: strings.LastIndexByte(s, '`'), lastDQuote: strings.LastIndexByte(s, '"'), lastQuote: strings.LastIndexByte(s, '\''),
	}
}

// skipUnit returns the end of the unit at s[i:]: a code span, an escape, a quoted value
// after = or ~, a <…> or &lt;…&gt; value, or one byte.
func (sc *scanner) skipUnit(i int) int {
	s := sc.s
	switch c := s[i]; {
	case c == '`':
		n := 0
		for i+n < len(s) && s[i+n] == '`' {
			n++
		}
		if sc.lastTick < i+n {
			return i + n
		}
		fence := s[i : i+n]
		for j := i + n; j < len(s); {
			k := strings.Index(s[j:], fence)
			if k < 0 {
				break
			}
			k += j
			m := k
			for m < len(s) && s[m] == '`' {
				m++
			}
			if m-k == n {
				return m
			}
			j = m
		}
		return i + n
	case c == '\\':
		return min(i+2, len(s))
	case c == '<':
		if sc.lastGt > i {
			return i + strings.IndexByte(s[i:], '>') + 1
		}
	case c == '&' && strings.HasPrefix(s[i:], "&lt;"):
		if sc.lastEntGt > i {
			return i + strings.Index(s[i:], "&gt;") + len("&gt;")
		}
	case (c == '"' && sc.lastDQuote > i || c == '\'' && sc.lastQuote > i) && i > 0 && (s[i-1] == '=' || s[i-1] == '~'):
		for j := i + 1; j < len(s); j++ {
			switch s[j] {
			case '\\':
				j++
			case c:
				return j + 1
			}
		}
	}
	return i + 1
}

// labelItem reads the label name an item starts with, after backticks and emphasis.
func labelItem(text string) labelSeg {
	k := 0
	for k < len(text) && (text[k] == '`' || text[k] == '*') {
		k++
	}
	m := k
	for m < len(text) && (text[m] == '_' || isAlnum(text[m])) {
		m++
	}
	if m == k || text[k] >= '0' && text[k] <= '9' {
		return labelSeg{text: text}
	}
	return labelSeg{text: text, name: text[k:m], nameOff: k}
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// singleCodeSpan returns the inside of a cell content that is one code span holding a
// separator (`topic, partition`), and the backtick fence.
func singleCodeSpan(s string) (inner, fence string, ok bool) {
	if !strings.HasPrefix(s, "`") || newScanner(s).skipUnit(0) != len(s) {
		return "", "", false
	}
	n := 0
	for n < len(s) && s[n] == '`' {
		n++
	}
	if len(s) < 2*n {
		return "", "", false
	}
	inner = s[n : len(s)-n]
	body := strings.TrimSpace(inner)
	if strings.ContainsAny(body, " \t,;") || strings.Contains(strings.ToLower(body), "<br") {
		return inner, s[:n], true
	}
	return "", "", false
}

// labelStyle is how a table writes label lists.
type labelStyle struct {
	sep    string // between two labels: ", ", " <br> "
	code   bool   // each label in backticks
	marker string // the content of a cell without labels: "-", "none", ""
}

// format writes a list of labels in the style.
func (st labelStyle) format(labels []string) string {
	if len(labels) == 0 {
		return st.marker
	}
	parts := make([]string, len(labels))
	for i, l := range labels {
		if st.code {
			parts[i] = "`" + l + "`"
		} else {
			parts[i] = l
		}
	}
	return strings.Join(parts, st.sep)
}

// labelEdit says how to change a documented label list.
type labelEdit struct {
	documented map[string]bool   // the labels the loader read from the cell
	rename     map[string]string // documented label → exported label, in place
	remove     map[string]bool   // documented labels to drop
	add        []string          // exported labels to append
}

// rewriteLabels applies an edit to a labels cell's content (without padding). It returns the
// new content, or ok false when the content cannot be edited safely.
func rewriteLabels(content string, ed labelEdit, st labelStyle) (string, bool) {
	if isNoLabels(content) {
		if len(ed.add) == 0 {
			return content, false
		}
		return st.format(ed.add), true
	}
	if inner, fence, ok := singleCodeSpan(content); ok {
		st.code = false
		lead, body, trail := splitPadding(inner)
		out, ok := rewriteLabels(body, ed, st)
		return fence + lead + out + trail + fence, ok
	}
	segs := splitLabelCell(content)
	type item struct {
		before string // separator before the item
		text   string
		label  bool
		drop   bool
	}
	var lead, trail string
	var items []*item
	pending := ""
	for i, s := range segs {
		if s.sep {
			switch {
			case len(items) == 0:
				lead += s.text
			case i == len(segs)-1:
				trail = s.text
			default:
				pending += s.text
			}
			continue
		}
		it := &item{before: pending, text: s.text}
		pending = ""
		if s.name != "" && ed.documented[s.name] {
			it.label = true
			switch {
			case ed.rename[s.name] != "":
				it.text = s.text[:s.nameOff] + ed.rename[s.name] + s.text[s.nameOff+len(s.name):]
			case ed.remove[s.name]:
				it.drop = true
			}
		}
		items = append(items, it)
	}
	// Prose between the labels ("or `_default` if not set") belongs to them: with prose in
	// the cell, no label is dropped, so that no sentence is cut.
	prose := false
	for _, it := range items {
		if !it.label {
			prose = true
		}
	}
	for _, it := range items {
		if prose && it.drop {
			it.drop = false
		}
	}
	sep := st.sep
	for i := 1; i < len(items); i++ {
		if items[i-1].label && items[i].label {
			sep = items[i].before
			break
		}
	}
	var b strings.Builder
	b.WriteString(lead)
	first := true
	for _, it := range items {
		if it.drop {
			continue
		}
		if !first {
			b.WriteString(it.before)
		}
		first = false
		b.WriteString(it.text)
	}
	for _, l := range ed.add {
		if !first {
			b.WriteString(sep)
		}
		first = false
		if st.code {
			b.WriteString("`" + l + "`")
		} else {
			b.WriteString(l)
		}
	}
	out := b.String()
	if strings.TrimSpace(out) == "" {
		return st.marker, true
	}
	return out + trail, true
}

// typeWord writes a metric type in the style of the word it replaces: lower-case (counter),
// capitalized (Counter), upper-case (COUNTER), and the client-library forms IntCounter,
// CounterVec, GaugeFunc.
func typeWord(old, t string) string {
	camel := map[string]string{
		"counter": "Counter", "gauge": "Gauge", "histogram": "Histogram", "summary": "Summary",
		"info": "Info", "stateset": "StateSet", "gaugehistogram": "GaugeHistogram",
	}[t]
	if camel == "" {
		camel = "Untyped"
	}
	low := strings.ToLower(old)
	counterOrGauge := t == "counter" || t == "gauge"
	if strings.HasPrefix(low, "int") && counterOrGauge {
		camel = "Int" + camel
	}
	switch {
	case strings.HasSuffix(low, "vec") && (counterOrGauge || t == "histogram" || t == "summary"):
		camel += "Vec"
	case strings.HasSuffix(low, "func") && counterOrGauge:
		camel += "Func"
	}
	switch {
	case old == "" || old == low:
		return strings.ToLower(camel)
	case old == strings.ToUpper(old):
		return strings.ToUpper(camel)
	default:
		return camel
	}
}

// identAt returns the identifier that starts at s[i:].
func identAt(s []byte, i int) string {
	if i < 0 || i > len(s) {
		return ""
	}
	j := i
	for j < len(s) && (s[j] == '_' || isAlnum(s[j])) {
		j++
	}
	return string(s[i:j])
}
