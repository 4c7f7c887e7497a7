package markdown

import (
	"bytes"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/common/model"

	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"

	"github.com/driftlint/driftlint/lint"
)

// metricHeaderRank ranks the header words of a metric column, best first; -1 for others.
func metricHeaderRank(h string) int {
	switch h {
	case "metric name":
		return 0
	case "metric":
		return 1
	case "metrics":
		return 2
	case "series":
		return 3
	case "name":
		return 4
	}
	return -1
}

// typeWord normalizes a client-library type name, lower-cased, to a Prometheus metric
// type, or "" when it names none.
func typeWord(w string) string {
	switch w {
	case "counter", "countervec", "intcounter", "intcountervec", "counterfunc":
		return "counter"
	case "gauge", "gaugevec", "intgauge", "intgaugevec", "gaugefunc":
		return "gauge"
	case "histogram", "histogramvec":
		return "histogram"
	case "summary", "summaryvec":
		return "summary"
	case "info":
		return "info"
	case "stateset":
		return "stateset"
	case "untyped", "unknown":
		return "untyped"
	}
	return ""
}

// typeToken returns the type word of a type cell and its offset in s: the first word, with
// backticks and a package qualifier (prometheus.CounterVec) dropped.
func typeToken(s string) (string, int) {
	i := 0
	for i < len(s) && (isSpaceByte(s[i]) || s[i] == '`' || s[i] == '*') {
		i++
	}
	j := i
	for j < len(s) && (isIdentByte(s[j]) || s[j] == '.' || s[j] == ':') {
		j++
	}
	tok := s[i:j]
	if k := strings.LastIndexAny(tok, ".:"); k >= 0 {
		i += k + 1
		tok = tok[k+1:]
	}
	return tok, i
}

// headerColumn classifies a header cell: "metric", "type", "labels" or "".
func headerColumn(h string) (string, int) {
	h = strings.Join(strings.Fields(strings.ToLower(strings.Trim(h, " \t*_`:"))), " ")
	if rank := metricHeaderRank(h); rank >= 0 {
		return "metric", rank
	}
	switch h {
	case "type", "kind", "metric type":
		return "type", 0
	}
	for part := range strings.SplitSeq(h, "/") { // "Labels/tags"
		switch strings.TrimSpace(part) {
		case "labels", "label", "label(s)", "dimensions", "tags":
			return "labels", 0
		}
	}
	return "", 0
}

// metricHeader reports whether a metric column's header says "metric" itself (Metric,
// Metrics, Metric name), which alone marks a table of metrics.
func metricHeader(h string) bool {
	_, rank := headerColumn(h)
	return rank <= 2
}

// columns finds the metric, type and labels columns of a header row (-1 when absent).
func columns(headers []string) (metric, typ, labels int) {
	metric, typ, labels = -1, -1, -1
	best := 1 << 30
	for i, h := range headers {
		switch kind, rank := headerColumn(h); kind {
		case "metric":
			if rank < best {
				metric, best = i, rank
			}
		case "type":
			if typ < 0 {
				typ = i
			}
		case "labels":
			if labels < 0 {
				labels = i
			}
		}
	}
	return metric, typ, labels
}

// table reads a metric table: a header with a metric column and a type and/or labels
// column, or a metric column alone (| Metric | Description |: names only, no type or labels
// to check); more than half of the metric cells surely hold metric names (see nameCell; a
// valid name with a metric type counts too); with a type column but no labels column, some
// type cell names a metric type. A "Name" or "Series" column alone could list anything
// (labels, flags), so there every cell must hold a metric name with '_' or ':' in it:
// `kafka_brokers`, not `topic`. Anything else is some other table and is left alone. Rows
// whose metric cell holds no metric name are skipped; missing cells count as empty.
func (l *loader) table(t *east.Table) {
	var rows [][]*east.TableCell
	var header []string
	for r := t.FirstChild(); r != nil; r = r.NextSibling() {
		var cells []*east.TableCell
		for c := r.FirstChild(); c != nil; c = c.NextSibling() {
			if cell, ok := c.(*east.TableCell); ok {
				cells = append(cells, cell)
			}
		}
		if _, ok := r.(*east.TableHeader); ok {
			for _, c := range cells {
				var b builder
				inlineText(&b, l.src, c, htmlDrop)
				header = append(header, string(b.buf))
			}
			continue
		}
		rows = append(rows, cells)
	}
	mcol, tcol, lcol := columns(header)
	if mcol < 0 {
		return
	}
	strict := tcol < 0 && lcol < 0 && !metricHeader(header[mcol]) // a Name or Series column alone
	if !metricHeader(header[mcol]) && (optionTable(header) || optionSection(l.owner)) {
		return // inputs, outputs, flags or config keys (terraform-docs, --help tables)
	}
	// A generated table may split the name as client_golang's options do (external-dns:
	// | Name | Metric Type | Subsystem | …, under "Full metric name is constructed as
	// `external_dns_<subsystem>_<name>`"): the name is joined as BuildFQName joins them.
	nscol, subcol := partColumn(header, "namespace"), partColumn(header, "subsystem")
	namespace := ""
	if subcol >= 0 && nscol < 0 {
		if m := nameTemplate.FindSubmatch(l.src); m != nil {
			namespace = string(m[1])
		}
	}
	var entries []*lint.DocEntry
	nonEmpty, sure, typed := 0, 0, false
	for _, cells := range rows {
		if mcol >= len(cells) || cells[mcol].Lines().Len() == 0 {
			continue
		}
		name, at, valid, isSure := l.nameCell(cells[mcol])
		if valid && (subcol >= 0 || nscol >= 0) {
			ns := namespace
			if nscol >= 0 {
				ns = l.plainCell(cells, nscol)
			}
			if full := prometheus.BuildFQName(ns, l.plainCell(cells, subcol), name); isMetricName(full) {
				name = full
			}
		}
		if name != "" {
			nonEmpty++
		}
		e := &lint.DocEntry{Name: name, At: at, HasLabels: lcol >= 0, Doc: l.md}
		if tcol >= 0 && tcol < len(cells) {
			e.Type, e.TypeAt = l.typeCell(cells[tcol], at)
		}
		if !valid {
			continue
		}
		if isSure || e.Type != "" {
			sure++
		}
		if strict && !strings.ContainsAny(name, "_:") {
			return
		}
		typed = typed || e.Type != ""
		if lcol >= 0 {
			if lcol < len(cells) {
				e.Labels, e.LabelsAt = l.labelsCell(cells[lcol], at)
			} else {
				e.LabelsAt = at
			}
		}
		entries = append(entries, e)
	}
	if len(entries) == 0 || 2*sure <= nonEmpty || tcol >= 0 && lcol < 0 && !typed || strict && len(entries) < nonEmpty {
		return
	}
	l.tables = append(l.tables, entries...)
}

// nameTemplate is a generated doc's sentence naming how a full name is built from a
// Subsystem column: `external_dns_<subsystem>_<name>`.
var nameTemplate = regexp.MustCompile("`([A-Za-z_:][A-Za-z0-9_:]*?)_?<subsystem>_<name>`")

// partColumn is the column whose header is exactly the name part (namespace, subsystem), or -1.
func partColumn(header []string, part string) int {
	for i, h := range header {
		if strings.EqualFold(strings.Trim(strings.TrimSpace(h), "*_`"), part) {
			return i
		}
	}
	return -1
}

// plainCell is the trimmed text of cells[i] ("" for a missing column or cell), without code
// marks.
func (l *loader) plainCell(cells []*east.TableCell, i int) string {
	if i < 0 || i >= len(cells) {
		return ""
	}
	var b builder
	inlineText(&b, l.src, cells[i], htmlDrop)
	return strings.Trim(strings.TrimSpace(string(b.buf)), "`")
}

// cellStart is the offset of a cell's first content byte (just after the pipe for an
// empty cell), or -1 for a missing cell.
func cellStart(src []byte, c *east.TableCell) int {
	if c.Lines().Len() > 0 {
		if seg := c.Lines().At(0); seg.Stop > seg.Start {
			return seg.Start
		}
	}
	// An empty cell: just after the pipe that ends the previous cell. goldmark's Pos for it
	// does not count the indentation of an indented table.
	if prev, ok := c.PreviousSibling().(*east.TableCell); ok && prev.Lines().Len() > 0 {
		stop := prev.Lines().At(prev.Lines().Len() - 1).Stop
		if i := bytes.IndexByte(src[stop:], '|'); i >= 0 && !bytes.Contains(src[stop:stop+i], []byte("\n")) {
			return stop + i + 1
		}
	}
	return c.Pos()
}

// nameCell reads the metric name of a cell: the first code span if there is one, else the
// first word of the text, without a trailing {labels}, (note) or — description. It returns
// the name found (even when it is not a metric name), its position, whether it is a metric
// name, and whether it looks like one for sure (written in code, or with '_' or ':').
func (l *loader) nameCell(c *east.TableCell) (name string, at lint.Pos, valid, sure bool) {
	var b builder
	cs := firstCodeSpan(c)
	if cs != nil {
		codeSpanText(&b, l.src, cs)
	} else {
		inlineText(&b, l.src, c, htmlDrop)
	}
	s := string(b.buf)
	name, i := firstName(s)
	if name == "" {
		return "", lint.Pos{}, false, false
	}
	valid = isMetricName(name)
	if rest := strings.TrimSpace(s[i+len(name):]); cs == nil && rest != "" {
		if r, _ := utf8.DecodeRuneInString(rest); !strings.ContainsRune("({[-—–,;:*", r) {
			valid = false // prose such as "see below"
		}
	}
	sure = valid && (cs != nil || strings.ContainsAny(name, "_:"))
	return name, l.pos(int(b.offs[i])), valid, sure
}

// firstName returns the first word of s cut at '{' or '(' and its offset.
func firstName(s string) (string, int) {
	i := 0
	for i < len(s) && isSpaceByte(s[i]) {
		i++
	}
	j := i
	for j < len(s) && !isSpaceByte(s[j]) && s[j] != '{' && s[j] != '(' {
		j++
	}
	name := strings.TrimRight(s[i:j], ",;.")
	return name, i
}

// firstCodeSpan returns the first code span under n in document order.
func firstCodeSpan(n ast.Node) *ast.CodeSpan {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		if cs, ok := c.(*ast.CodeSpan); ok {
			return cs
		}
		if cs := firstCodeSpan(c); cs != nil {
			return cs
		}
	}
	return nil
}

// typeCell reads a type cell. The position is that of the type word, or of the cell when it
// is empty (def for a missing cell).
func (l *loader) typeCell(c *east.TableCell, def lint.Pos) (string, lint.Pos) {
	var b builder
	inlineText(&b, l.src, c, htmlDrop)
	tok, i := typeToken(string(b.buf))
	if tok == "" {
		if off := cellStart(l.src, c); off >= 0 {
			return "", l.pos(off)
		}
		return "", def
	}
	return typeWord(strings.ToLower(tok)), l.pos(int(b.offs[i]))
}

// labelsCell reads the label names of a labels cell; see parseLabels. The position is the
// cell content's start (def for a missing cell).
func (l *loader) labelsCell(c *east.TableCell, def lint.Pos) ([]string, lint.Pos) {
	at := def
	if off := cellStart(l.src, c); off >= 0 {
		at = l.pos(off)
	}
	var b builder
	inlineText(&b, l.src, c, htmlBreaks)
	return parseLabels(&b), at
}

// parseLabels reads label names from a cell text: lists separated by commas, semicolons,
// spaces or <br>, written as name, name="value", name=<value>, name=a|b (the value is
// dropped). When the cell has code spans, only names written in code are labels, so that
// prose around them is not read as names; and within one item of the list (up to a comma,
// semicolon or <br>) a code span after prose is an example value, not a label
// ("`class`=<name> or `_default` if not set").
func parseLabels(b *builder) []string {
	s := string(b.buf)
	if lint.NoLabels(s) {
		return nil
	}
	codeOnly := len(b.code) > 0
	var out []string
	seen := map[string]bool{}
	prose := false // prose seen in the current list item
	for i := 0; i < len(s); {
		if isLabelSep(s[i]) {
			if s[i] == ',' || s[i] == ';' || s[i] == '\n' {
				prose = false
			}
			i++
			continue
		}
		j := i
		for j < len(s) && isIdentByte(s[j]) {
			j++
		}
		name := s[i:j]
		// A value after = (also !=, =~, !~).
		k := j
		for k < len(s) && (s[k] == '!' || s[k] == '=' || s[k] == '~') {
			k++
		}
		hasValue := k > j && strings.ContainsAny(s[j:k], "=~")
		if hasValue {
			k = skipValue(s, k)
		}
		// The word must end here: pod-name or (optional) are not label names.
		if !hasValue && k < len(s) && !isLabelSep(s[k]) {
			for k < len(s) && !isLabelSep(s[k]) {
				if s[k] == '<' || s[k] == '"' || s[k] == '\'' {
					k = skipValue(s, k)
					continue
				}
				k++
			}
			prose = prose || codeOnly && !b.inCode(i)
			i = k
			continue
		}
		if codeOnly && !b.inCode(i) {
			prose = true
		} else if name != "" && isLabelName(name) && !prose && !seen[name] {
			seen[name] = true
			out = append(out, name)
		}
		if k == i {
			k++
		}
		i = k
	}
	return out
}

// skipValue skips a label value starting at s[i]: <…>, "…", '…', or a word.
func skipValue(s string, i int) int {
	if i >= len(s) {
		return i
	}
	var closer byte
	switch s[i] {
	case '<':
		closer = '>'
	case '"', '\'':
		closer = s[i]
	default:
		for i < len(s) && !isLabelSep(s[i]) {
			i++
		}
		return i
	}
	if e := strings.IndexByte(s[i+1:], closer); e >= 0 {
		return i + 1 + e + 1
	}
	return len(s)
}

func isLabelSep(c byte) bool {
	return isSpaceByte(c) || c == ',' || c == ';' || c == '{' || c == '}'
}

func isIdentByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// isMetricName and isLabelName are Prometheus's classic name checks.
func isMetricName(s string) bool { return model.LegacyValidation.IsValidMetricName(s) }

func isLabelName(s string) bool { return model.LegacyValidation.IsValidLabelName(s) }

// listItem reads a metric name listed in a bullet list: the item's first inline code span,
// when nothing but markup comes before it and it holds a metric name with an underscore.
func (l *loader) listItem(li *ast.ListItem) {
	if list, ok := li.Parent().(*ast.List); !ok || list.IsOrdered() {
		return
	}
	first := li.FirstChild()
	if first == nil {
		return
	}
	if _, ok := first.(*ast.TextBlock); !ok {
		if _, ok := first.(*ast.Paragraph); !ok {
			return
		}
	}
	if e := l.listedName(first); e != nil {
		l.itemType(first, e)
		if l.retiredList(li) {
			// "The following metrics have been deprecated:": the list documents names that
			// are gone, which is documentation, not drift.
			e.Prose = true
		}
	}
}

// retiredWords, in the paragraph or heading right before a list, say that its names are no
// longer (or soon no longer) exported.
var retiredWords = []string{"deprecat", "removed", "no longer", "renamed", "obsolete"}

// retiredList reports whether a list item belongs to a list (or a list nested in one) that a
// paragraph or heading introduces as deprecated or removed metrics.
func (l *loader) retiredList(li *ast.ListItem) bool {
	for n := li.Parent(); n != nil; n = n.Parent() {
		list, ok := n.(*ast.List)
		if !ok {
			continue
		}
		prev := list.PreviousSibling()
		if prev == nil || (prev.Kind() != ast.KindParagraph && prev.Kind() != ast.KindHeading) {
			continue
		}
		var b builder
		inlineText(&b, l.src, prev, htmlDrop)
		intro := strings.ToLower(string(b.buf))
		for _, w := range retiredWords {
			if strings.Contains(intro, w) {
				return true
			}
		}
	}
	return false
}

// listedName records a metric name written as the leading code span of a block (a list
// item's text, a heading or a paragraph) as a DocEntry with no type or labels, and returns
// it (nil when the block does not begin with a metric name).
func (l *loader) listedName(n ast.Node) *lint.DocEntry {
	e := l.leadingName(n)
	if e != nil {
		l.listed = append(l.listed, e)
	}
	return e
}

// leadingName returns the DocEntry of the metric name that a block begins with in code, or
// nil.
func (l *loader) leadingName(n ast.Node) *lint.DocEntry {
	cs := leadingCodeSpan(l.src, n)
	if cs == nil {
		return nil
	}
	var b builder
	codeSpanText(&b, l.src, cs)
	s := string(b.buf)
	name, i := firstName(s)
	rest := strings.TrimSpace(s[i+len(name):])
	if !isMetricName(name) || !strings.Contains(name, "_") || rest != "" && rest[0] != '{' {
		return nil
	}
	return &lint.DocEntry{Name: name, At: l.pos(int(b.offs[i])), Doc: l.md}
}

// leadingCodeSpan returns the first inline of n when it is a code span, looking inside
// emphasis and links, and past blank text.
func leadingCodeSpan(src []byte, n ast.Node) *ast.CodeSpan {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		switch c := c.(type) {
		case *ast.CodeSpan:
			return c
		case *ast.Text:
			if strings.TrimSpace(string(src[c.Segment.Start:c.Segment.Stop])) != "" {
				return nil
			}
		case *ast.Emphasis, *ast.Link:
			return leadingCodeSpan(src, c)
		default:
			return nil
		}
	}
	return nil
}

// optionTable reports whether a table's header has a column that only tables of options,
// inputs, outputs, flags or config keys have: Default, Required, Flag, Option, Env and so on.
func optionTable(header []string) bool {
	for _, h := range header {
		switch strings.Join(strings.Fields(strings.ToLower(strings.Trim(h, " \t*_`:"))), " ") {
		case "default", "default value", "required", "flag", "flags", "option", "options",
			"parameter", "argument", "env", "env var", "environment variable", "key",
			"config key", "setting", "input", "output", "variable", "version", "source":
			return true
		}
	}
	return false
}

// optionSection reports whether a heading names a section of options rather than of
// metrics: Inputs, Outputs, Flags, Configuration options, Requirements, Providers…
func optionSection(heading string) bool {
	words := strings.FieldsFunc(strings.ToLower(heading), func(r rune) bool {
		return r < 'a' || r > 'z'
	})
	option := false
	for _, w := range words {
		switch w {
		case "metric", "metrics", "series":
			return false
		case "input", "inputs", "output", "outputs", "flag", "flags", "option", "options",
			"parameter", "parameters", "argument", "arguments", "variable", "variables",
			"setting", "settings", "configuration", "requirements", "providers", "modules",
			"resources":
			option = true
		}
	}
	return option
}
