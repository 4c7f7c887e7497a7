package docread

import (
	"bytes"
	"fmt"
	"html"
	"io/fs"
	"regexp"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/text"
)

// maxInlineDepth bounds the nesting of inline nodes read in one table cell.
const maxInlineDepth = 32

// Markdown reads the metric tables of the Markdown files at paths in fsys (GitHub tables,
// as goldmark's table extension reads them). A metric table has a header cell "Metric
// name", "Metric" or "Metrics" (or "Name" together with a type column); its type
// ("Metric type", "Type"), description ("Description", "Help") and labels ("Labels/tags",
// "Labels") columns are read when present. kube-state-metrics writes labels as
// `namespace`=&lt;pod-namespace&gt; <br> `pod`=…: the names in code spans followed by "="
// are taken (all code spans when no "=" follows any). Other tables are skipped without a
// warning; a row of a metric table whose name cell holds no metric name, or whose type
// cell names no type, is a warning at path:line.
func Markdown(fsys fs.FS, paths []string) ([]Family, []string, error) {
	c := newCollector()
	md := goldmark.New(goldmark.WithExtensions(extension.Table, extension.Strikethrough))
	for _, path := range paths {
		src, err := fs.ReadFile(fsys, path)
		if err != nil {
			return nil, nil, fmt.Errorf("read %s: %w", path, err)
		}
		src = bytes.TrimPrefix(src, bom)
		if len(src) > maxFileSize {
			c.warnf(path, "skipped: %d bytes, more than %d", len(src), maxFileSize)
			continue
		}
		r := &mdReader{c: c, path: path, src: src, lines: newLineIndex(src)}
		doc := md.Parser().Parse(text.NewReader(src))
		_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
			if t, ok := n.(*east.Table); ok && entering {
				r.table(t)
				return ast.WalkSkipChildren, nil
			}
			return ast.WalkContinue, nil
		})
	}
	fams, warns := c.result()
	return fams, warns, nil
}

// mdReader reads the tables of one Markdown file.
type mdReader struct {
	c     *collector
	path  string
	src   []byte
	lines lineIndex
	deep  bool // the depth bound was hit in this file (reported once)
}

// mdColumns are the column indexes of a metric table's header (-1 when absent).
type mdColumns struct{ name, typ, help, labels int }

func headerColumns(header []string) (mdColumns, bool) {
	cols := mdColumns{-1, -1, -1, -1}
	nameOnly := false
	for i, h := range header {
		h = strings.Join(strings.Fields(strings.ToLower(h)), " ")
		switch h {
		case "metric name", "metric", "metrics", "metric_name":
			if cols.name < 0 || nameOnly {
				cols.name, nameOnly = i, false
			}
		case "name":
			if cols.name < 0 {
				cols.name, nameOnly = i, true
			}
		case "metric type", "type":
			if cols.typ < 0 {
				cols.typ = i
			}
		case "description", "help":
			if cols.help < 0 {
				cols.help = i
			}
		case "labels/tags", "labels", "label", "tags", "label names", "labels / tags":
			if cols.labels < 0 {
				cols.labels = i
			}
		}
	}
	ok := cols.name >= 0 && (!nameOnly || cols.typ >= 0)
	return cols, ok
}

func (r *mdReader) table(t *east.Table) {
	var header []string
	var cols mdColumns
	for row := t.FirstChild(); row != nil; row = row.NextSibling() {
		var cells []*east.TableCell
		for n := row.FirstChild(); n != nil; n = n.NextSibling() {
			if cell, ok := n.(*east.TableCell); ok {
				cells = append(cells, cell)
			}
		}
		if _, ok := row.(*east.TableHeader); ok {
			for _, cell := range cells {
				header = append(header, r.cellText(cell))
			}
			var ok bool
			if cols, ok = headerColumns(header); !ok {
				return // not a metric table
			}
			continue
		}
		if header == nil {
			return
		}
		r.row(cols, cells)
	}
}

func (r *mdReader) row(cols mdColumns, cells []*east.TableCell) {
	at := r.rowPos(cells)
	// goldmark pads a short row with cells of no lines (GitHub shows them empty); a row
	// whose cells are shifted is told by them.
	present := 0
	for present < len(cells) && cells[present].Lines().Len() > 0 {
		present++
	}
	cell := func(i int) *east.TableCell {
		if i >= 0 && i < present {
			return cells[i]
		}
		return nil
	}
	nc := cell(cols.name)
	if nc == nil {
		r.c.warnf(at, "row has %d cells, no metric name cell", present)
		return
	}
	name := r.nameOf(nc)
	if name == "" {
		r.c.warnf(at, "row has an empty metric name cell")
		return
	}
	if !validMetricName(name) {
		r.c.warnf(at, "%q is not a metric name", name)
		return
	}
	f := Family{Name: name}
	for _, col := range []struct {
		i    int
		what string
	}{{cols.typ, "type"}, {cols.help, "description"}, {cols.labels, "labels"}} {
		if col.i >= present {
			r.c.warnf(at, "%s: row has %d cells, no %s cell", name, present, col.what)
		}
	}
	if tc := cell(cols.typ); tc != nil {
		word := strings.TrimSpace(r.cellText(tc))
		typ, ok := normType(word)
		switch {
		case ok:
			f.Type = typ
		case stabilityWord(word):
			r.c.warnf(at, "%s: type cell holds the stability level %q (a missing cell?)", name, word)
		default:
			r.c.warnf(at, "%s: type cell %q names no metric type", name, word)
		}
	}
	if hc := cell(cols.help); hc != nil {
		f.Help = r.cellText(hc)
	}
	if lc := cell(cols.labels); lc != nil {
		var bad []string
		f.Labels, bad = r.labelsOf(lc)
		for _, b := range bad {
			r.c.warnf(at, "%s: %q is not a label name", name, b)
		}
	}
	r.c.add(at, f)
}

// rowPos is path:line of a row: the line of its first cell with content.
func (r *mdReader) rowPos(cells []*east.TableCell) string {
	for _, cell := range cells {
		if cell.Lines().Len() > 0 {
			return fmt.Sprintf("%s:%d", r.path, r.lines.line(cell.Lines().At(0).Start))
		}
	}
	if len(cells) > 0 && cells[0].Pos() >= 0 {
		return fmt.Sprintf("%s:%d", r.path, r.lines.line(cells[0].Pos()))
	}
	return r.path
}

// nameOf reads the metric name of a cell: its first code span if it has one, else its
// text, without a trailing {labels} or (note). Text with more words than a name ("see
// below") is returned whole, so that it fails as a metric name.
func (r *mdReader) nameOf(cell *east.TableCell) string {
	if cs := firstCodeSpan(cell, 0); cs != nil {
		s := strings.TrimSpace(r.cellText(cs))
		if i := strings.IndexAny(s, "{("); i >= 0 {
			s = s[:i]
		}
		return s
	}
	s := strings.TrimSpace(r.cellText(cell))
	name, rest := s, ""
	if i := strings.IndexAny(s, "{( \t"); i >= 0 {
		name, rest = s[:i], strings.TrimSpace(s[i:])
	}
	if rest != "" && rest[0] != '{' && rest[0] != '(' {
		return s
	}
	return name
}

func firstCodeSpan(n ast.Node, depth int) *ast.CodeSpan {
	if depth > maxInlineDepth {
		return nil
	}
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		if cs, ok := c.(*ast.CodeSpan); ok {
			return cs
		}
		if cs := firstCodeSpan(c, depth+1); cs != nil {
			return cs
		}
	}
	return nil
}

// labelName matches name= in the text of a labels cell outside code spans: a name at the
// start or after white space, a comma or a semicolon, followed by "=".
var labelName = regexp.MustCompile(`(?:^|[\s,;])([A-Za-z_][A-Za-z0-9_]*)\s*=`)

// placeholder matches a value placeholder (<taint-value>), which is not searched for names.
var placeholder = regexp.MustCompile(`<[^<>]*>`)

// labelsOf reads the label names of a labels cell, and the code spans in a label's place
// that are not label names. kube-state-metrics writes a label in three forms, sometimes
// mixed in one cell: `key`=&lt;v&gt; (a code span followed by "="), `value=`&lt;v&gt;
// (the "=" inside the code span) and value=&lt;v&gt; (no code span); every one is read.
// When no form has an "=", every code span is taken for a label name.
func (r *mdReader) labelsOf(cell *east.TableCell) (names, bad []string) {
	type span struct {
		text   string
		assign bool // followed by "=", or holding it
	}
	var spans []span
	var plain strings.Builder // the cell's text outside code spans
	for n := cell.FirstChild(); n != nil; n = n.NextSibling() {
		cs, ok := n.(*ast.CodeSpan)
		if !ok {
			r.node(&plain, n, 0)
			continue
		}
		plain.WriteString(" ` ") // the span's place: no name reaches across it to a "=" after it
		text := strings.TrimSpace(r.cellText(cs))
		if name, _, ok := strings.Cut(text, "="); ok {
			spans = append(spans, span{strings.TrimSpace(name), true})
			continue
		}
		next := ""
		if t, ok := n.NextSibling().(*ast.Text); ok {
			next = string(t.Segment.Value(r.src))
		}
		spans = append(spans, span{text, strings.HasPrefix(strings.TrimSpace(next), "=")})
	}
	var plainNames []string
	text := html.UnescapeString(plain.String())
	for _, m := range labelName.FindAllStringSubmatch(placeholder.ReplaceAllString(text, " "), -1) {
		plainNames = append(plainNames, m[1])
	}
	anyAssign := len(plainNames) > 0
	for _, s := range spans {
		anyAssign = anyAssign || s.assign
	}
	for _, s := range spans {
		switch {
		case anyAssign && !s.assign:
			// a value or a note in code, not a label
		case validLabelName(s.text):
			names = append(names, s.text)
		default:
			bad = append(bad, s.text)
		}
	}
	return append(names, plainNames...), bad
}

// cellText is the text of a node's inline content, HTML entities decoded, <br> and other
// raw HTML as a space, and white space collapsed.
func (r *mdReader) cellText(n ast.Node) string {
	var b strings.Builder
	r.inline(&b, n, 0)
	return strings.Join(strings.Fields(html.UnescapeString(b.String())), " ")
}

func (r *mdReader) inline(b *strings.Builder, n ast.Node, depth int) {
	if depth > maxInlineDepth {
		if !r.deep {
			r.deep = true
			r.c.warnf(r.path, "inline content nested deeper than %d levels is not read", maxInlineDepth)
		}
		return
	}
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		r.node(b, c, depth)
	}
}

// node writes the text of one inline node of a parent at depth.
func (r *mdReader) node(b *strings.Builder, c ast.Node, depth int) {
	switch c := c.(type) {
	case *ast.Text:
		b.Write(c.Segment.Value(r.src))
		if c.SoftLineBreak() || c.HardLineBreak() {
			b.WriteByte(' ')
		}
	case *ast.String:
		b.Write(c.Value)
	case *ast.RawHTML, *ast.AutoLink:
		b.WriteByte(' ')
	default:
		r.inline(b, c, depth+1)
	}
}
