package docsfix

import (
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/text"

	"github.com/driftlint/driftlint/lint"
)

// span is a byte range [start, end) of a file.
type span struct{ start, end int }

// row is one body row of a table, split into cells as GitHub splits it.
type row struct {
	lineStart int    // offset of the line's first byte
	start     int    // offset of the row text, after any container prefix (> , list indent)
	end       int    // offset of the line end, before \r\n or \n
	cells     []span // the raw text between pipes of every cell, extra cells included
	entry     *lint.DocEntry
}

// table is a metric table: a table of a metrics doc with at least one documented metric.
type table struct {
	file  *lint.SourceFile
	ncols int // header cells; body cells past it are not part of the table
	rows  []*row
	// width is the width in runes of each aligned column (its cells padded to one width in
	// the header and delimiter rows, or in every body row), -1 for the others.
	width  []int
	metric int // column indexes, -1 when absent
	typ    int
	labels int
	adds   []*Family // undocumented families to append as rows
}

// findTables parses a metrics doc with the loader's Markdown dialect and returns its tables
// that hold at least one of entries, with the entries attached to their rows.
func findTables(md *lint.Markdown, entries []*lint.DocEntry) []*table {
	f := md.File
	src := f.Src
	byLine := map[int]*lint.DocEntry{}
	for _, e := range entries {
		if _, dup := byLine[e.At.Line]; !dup && e.At.File == f.Path {
			byLine[e.At.Line] = e
		}
	}
	if len(byLine) == 0 {
		return nil
	}
	doc := goldmark.New(goldmark.WithExtensions(extension.GFM)).Parser().Parse(text.NewReader(src))
	var out []*table
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		t, ok := n.(*east.Table)
		if !entering || !ok {
			return ast.WalkContinue, nil
		}
		tb := &table{file: f, metric: -1, typ: -1, labels: -1}
		var header, delim []span
		for r := t.FirstChild(); r != nil; r = r.NextSibling() {
			if h, ok := r.(*east.TableHeader); ok {
				tb.ncols = h.ChildCount()
				if off := h.Pos(); off >= 0 && off <= len(src) {
					header = splitCells(src, off, lineEnd(src, off))
					if next := f.LineStart(f.Pos(off).Line + 1); next > off {
						delim = splitCells(src, next, lineEnd(src, next))
					}
				}
				continue
			}
			off := r.Pos()
			if off < 0 || off > len(src) {
				continue
			}
			pos := f.Pos(off)
			rw := &row{lineStart: f.LineStart(pos.Line), start: off, end: lineEnd(src, off)}
			rw.cells = splitCells(src, rw.start, rw.end)
			rw.entry = byLine[pos.Line]
			tb.rows = append(tb.rows, rw)
		}
		if tb.ncols > 0 && len(tb.rows) > 0 && tb.columns() {
			tb.widths(header, delim)
			out = append(out, tb)
		}
		return ast.WalkSkipChildren, nil
	})
	return out
}

// lineEnd returns the offset of the end of the line holding off, before \r\n or \n.
func lineEnd(src []byte, off int) int {
	i := off
	for i < len(src) && src[i] != '\n' {
		i++
	}
	if i > off && src[i-1] == '\r' {
		i--
	}
	return i
}

// splitCells splits a row's text into cells as goldmark does: blanks around the row are
// trimmed, one leading and one trailing pipe are dropped, and every pipe not preceded by a
// backslash ends a cell. It returns the raw text of each cell, padding included.
func splitCells(src []byte, start, end int) []span {
	for start < end && isBlank(src[start]) {
		start++
	}
	for end > start && isBlank(src[end-1]) {
		end--
	}
	if start < end && src[start] == '|' {
		start++
	}
	if end > start && src[end-1] == '|' {
		end--
	}
	var cells []span
	for pos := start; pos < end; {
		c := pos
		for c < end && (src[c] != '|' || c > 0 && src[c-1] == '\\') {
			c++
		}
		cells = append(cells, span{pos, c})
		pos = c + 1
	}
	return cells
}

func isBlank(c byte) bool {
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f'
}

// cellAt returns the index of the cell of r that holds offset off, or -1. An empty cell
// holds the offset just after its pipe.
func (r *row) cellAt(off int) int {
	for i, c := range r.cells {
		if c.start <= off && (off < c.end || c.start == c.end && off == c.start) {
			return i
		}
	}
	return -1
}

// columns finds which columns hold the metric, its type and its labels, by majority over
// the rows with entries (the loader placed each entry's positions in those cells). It
// reports whether the metric column was found.
func (t *table) columns() bool {
	votes := [3]map[int]int{{}, {}, {}}
	for _, r := range t.rows {
		e := r.entry
		if e == nil {
			continue
		}
		name := r.cellAt(t.file.Offset(e.At))
		if name < 0 {
			continue
		}
		votes[0][name]++
		if e.TypeAt.IsValid() && e.TypeAt.Line == e.At.Line {
			if i := r.cellAt(t.file.Offset(e.TypeAt)); i >= 0 && i != name {
				votes[1][i]++
			}
		}
		if e.HasLabels && e.LabelsAt.IsValid() && e.LabelsAt.Line == e.At.Line {
			if i := r.cellAt(t.file.Offset(e.LabelsAt)); i >= 0 && i != name {
				votes[2][i]++
			}
		}
	}
	best := func(v map[int]int) int {
		col, n := -1, 0
		for c, k := range v {
			if k > n || k == n && c < col {
				col, n = c, k
			}
		}
		if col >= t.ncols {
			return -1
		}
		return col
	}
	t.metric, t.typ, t.labels = best(votes[0]), best(votes[1]), best(votes[2])
	if t.typ == t.labels {
		t.typ, t.labels = -1, -1
	}
	return t.metric >= 0
}

// cell returns the raw text of cell i of r, and whether the row has it.
func (t *table) cell(r *row, i int) (string, span, bool) {
	if i < 0 || i >= len(r.cells) || i >= t.ncols {
		return "", span{}, false
	}
	c := r.cells[i]
	return string(t.file.Src[c.start:c.end]), c, true
}

// widths finds the aligned columns: those whose header and delimiter cells have one width
// that at least half the body rows share too, or whose cells have one width in every body
// row (of at least two).
func (t *table) widths(header, delim []span) {
	src := t.file.Src
	w := func(c span) int { return utf8.RuneCount(src[c.start:c.end]) }
	t.width = make([]int, t.ncols)
	for i := range t.ncols {
		t.width[i] = -1
		counts := map[int]int{}
		n := 0
		for _, r := range t.rows {
			if i < len(r.cells) {
				counts[w(r.cells[i])]++
				n++
			}
		}
		if i < len(header) && i < len(delim) && w(header[i]) == w(delim[i]) && 2*counts[w(header[i])] >= n {
			t.width[i] = w(header[i])
			continue
		}
		if n >= 2 && len(counts) == 1 && n == len(t.rows) {
			for cw := range counts {
				t.width[i] = cw
			}
		}
	}
}

// colWidth is the width of an aligned column, or -1.
func (t *table) colWidth(i int) int {
	if i < 0 || i >= len(t.width) {
		return -1
	}
	return t.width[i]
}
