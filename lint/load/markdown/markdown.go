// Package markdown loads Markdown files, runbooks and metrics docs, into facts with exact
// file positions: headings and their GitHub anchors, fenced code blocks, PromQL queries,
// alert copies in yaml blocks, jq programs in shell commands, links, and the metrics a doc
// documents in tables and lists.
package markdown

import (
	"bytes"
	"fmt"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"

	"github.com/driftlint/driftlint/lint"
	"github.com/driftlint/driftlint/lint/guard"
)

// Result is what loading one Markdown file found.
type Result struct {
	Markdown *lint.Markdown
	// Queries come from ```promql blocks (lint.OriginRunbook in a runbook, lint.OriginDocs
	// otherwise) and from the alert copies in a runbook's yaml blocks.
	Queries []*lint.Query
	// DocEntries are the metrics a metrics doc documents (tables, listed names); only
	// filled when the file is loaded as a metrics doc.
	DocEntries []*lint.DocEntry
	// Alerts are the alert and recording rules copied into a runbook's yaml blocks; only
	// filled when the file is loaded as a runbook.
	Alerts   []*lint.RuleEntry
	Problems []lint.ParseProblem
	// Foreign are the alert copies whose expression is LogQL (a Loki ruler's rule in a
	// runbook): not read, counted as a rule file's are.
	Foreign []lint.ForeignQuery
}

// Load parses one Markdown file with goldmark (GitHub tables, {#id} heading attributes).
// runbook and metricsDoc say what the file is loaded as. It never panics: a file that is
// not UTF-8 text becomes a single problem at 1:1.
func Load(f *lint.SourceFile, runbook, metricsDoc bool) *Result {
	md := &lint.Markdown{File: f, Runbook: runbook, MetricsDoc: metricsDoc, Anchors: map[string]lint.Pos{}}
	res := &Result{Markdown: md}
	if len(f.Src) == 0 {
		return res
	}
	if msg := notText(f); msg != "" {
		res.Problems = append(res.Problems, lint.ParseProblem{At: f.Pos(0), Message: msg})
		return res
	}
	if off, n := bracketRun(f.Src); n > maxBrackets {
		// goldmark's link parsing is quadratic in open brackets: 100,000 of them take
		// seconds. No real document has thousands in one paragraph.
		res.Problems = append(res.Problems, lint.ParseProblem{At: f.Pos(off), Message: fmt.Sprintf("%d brackets in one paragraph (more than %d); not read as Markdown", n, maxBrackets)})
		return res
	}
	// goldmark's time grows with the square of the nesting of lists and block quotes
	// (100,000 "- " on one line: 17 s); such a file is not given to it at all.
	lim := lint.Limit().MarkdownDepth
	if line := guard.MarkdownDepth(f.Src, lim); line > 0 {
		res.Problems = append(res.Problems, lint.ParseProblem{
			At:      f.Pos(f.LineStart(line)),
			Message: lint.LimitMessage("lists and block quotes nest deeper at this line", lim, "markdown_depth") + "; not read as Markdown",
		})
		return res
	}
	l := &loader{f: f, src: f.Src, res: res, md: md}
	if bytes.HasPrefix(f.Src, []byte("\uFEFF")) {
		// goldmark does not skip a byte-order mark; blank lines in its place keep every
		// offset while letting a first-line heading or table parse.
		l.src = append([]byte("\n\n\n"), f.Src[3:]...)
	}
	l.src = blankWideRows(f, l.src, res)
	l.run()
	return res
}

// maxTableCells bounds the | characters of one line that Load hands to goldmark, which
// builds a node of some hundred bytes for every table cell: a row of 100,000 cells (400 KB)
// would take 40 MB. No real table has a thousand columns.
const maxTableCells = 1000

// blankWideRows replaces each line with more than maxTableCells | characters by spaces, so
// that the rest of the file is still read with every offset in place, and reports it. src
// is copied before the first change.
func blankWideRows(f *lint.SourceFile, src []byte, res *Result) []byte {
	copied := false
	for start := 0; start < len(src); {
		end := bytes.IndexByte(src[start:], '\n')
		if end < 0 {
			end = len(src)
		} else {
			end += start
		}
		if n := bytes.Count(src[start:end], []byte("|")); n > maxTableCells {
			if !copied {
				src = bytes.Clone(src)
				copied = true
			}
			for i := start; i < end; i++ {
				src[i] = ' '
			}
			res.Problems = append(res.Problems, lint.ParseProblem{At: f.Pos(start), Message: fmt.Sprintf("a line with %d | characters (more than %d table cells); not read as Markdown", n, maxTableCells)})
		}
		start = end + 1
	}
	return src
}

// maxBrackets bounds the [ characters of one paragraph that Load hands to goldmark.
const maxBrackets = 4096

// bracketRun returns the largest number of [ in one blank-line-separated paragraph of src,
// and where the first of them is.
func bracketRun(src []byte) (at, most int) {
	first, n := 0, 0
	for i, c := range src {
		switch c {
		case '[':
			if n == 0 {
				first = i
			}
			n++
			if n > most {
				at, most = first, n
			}
		case '\n':
			if i+1 < len(src) && (src[i+1] == '\n' || src[i+1] == '\r') {
				n = 0
			}
		}
	}
	return at, most
}

// notText explains why f is not a UTF-8 text file, or returns "".
func notText(f *lint.SourceFile) string {
	if bytes.IndexByte(f.Src, 0) >= 0 {
		return "not a text file"
	}
	if utf8.Valid(f.Src) {
		return ""
	}
	for i := 0; i < len(f.Src); {
		r, n := utf8.DecodeRune(f.Src[i:])
		if r == utf8.RuneError && n <= 1 {
			return fmt.Sprintf("invalid UTF-8 at line %d", f.Pos(i).Line)
		}
		i += n
	}
	return "invalid UTF-8"
}

// parsers holds goldmark parsers (GFM, {#id} attributes) for reuse: building one costs more
// than parsing a short runbook. A parser keeps no state between Parse calls; the pool still
// gives each goroutine its own.
var parsers = sync.Pool{New: func() any {
	return goldmark.New(
		goldmark.WithExtensions(extension.GFM),
		goldmark.WithParserOptions(parser.WithAttribute()),
	).Parser()
}}

// loader holds the state of one Load.
type loader struct {
	f      *lint.SourceFile
	src    []byte // what goldmark parses: f.Src, with a byte-order mark blanked out
	res    *Result
	md     *lint.Markdown
	owner  string // text of the nearest heading above
	slugs  slugger
	tables []*lint.DocEntry // from metric tables
	listed []*lint.DocEntry // from bullet lists, headings, paragraphs and exposition blocks
	// headingEntry is the metric that the nearest heading above names, while no labels
	// have been read for it; labelsNext is set after a "Labels:" paragraph.
	headingEntry *lint.DocEntry
	labelsNext   bool
}

func (l *loader) run() {
	p := parsers.Get().(parser.Parser)
	doc := p.Parse(text.NewReader(l.src))
	parsers.Put(p)
	// Explicit {#id} anchors are taken first so that a generated slug never collides.
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if h, ok := n.(*ast.Heading); ok && entering {
			if id, ok := explicitID(h); ok {
				l.slugs.reserve(id)
			}
		}
		return ast.WalkContinue, nil
	})
	_ = ast.Walk(doc, l.visit)
	l.finishDocEntries()
}

func (l *loader) visit(n ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	switch n := n.(type) {
	case *ast.Heading:
		l.heading(n)
	case *ast.FencedCodeBlock:
		l.fence(n)
		return ast.WalkSkipChildren, nil
	case *ast.CodeBlock:
		return ast.WalkSkipChildren, nil
	case *ast.HTMLBlock:
		l.ignoreInTable(n)
		for i := 0; i < n.Lines().Len(); i++ {
			seg := n.Lines().At(i)
			l.htmlAnchors(seg.Start, seg.Stop)
		}
		if n.HasClosure() {
			l.htmlAnchors(n.ClosureLine.Start, n.ClosureLine.Stop)
		}
	case *ast.RawHTML:
		for i := 0; i < n.Segments.Len(); i++ {
			seg := n.Segments.At(i)
			l.htmlAnchors(seg.Start, seg.Stop)
		}
	case *ast.Link:
		if n.Reference == nil {
			l.link(n.Destination, n.Pos(), "(<")
		}
	case *ast.Image:
		if n.Reference == nil {
			l.link(n.Destination, n.Pos(), "(<")
		}
	case *ast.AutoLink:
		// Find the link as written (www.x.org), record it as a URL (http://www.x.org).
		at := locate(l.src, max(n.Pos(), 0), n.Label(l.src), "")
		l.md.Links = append(l.md.Links, lint.Link{Target: string(n.URL(l.src)), At: l.pos(at)})
	case *ast.LinkReferenceDefinition:
		l.link(n.Destination, n.Pos(), ":<")
	case *ast.CodeSpan:
		var b builder // the span's text, read once for its three uses
		codeSpanText(&b, l.src, n)
		l.inlineCode(n, &b)
		l.mention(&b)
		l.healthRef(n, &b)
	case *east.Table:
		if l.md.MetricsDoc {
			l.table(n)
		}
		l.healthTable(n)
	case *ast.ListItem:
		if l.md.MetricsDoc {
			l.listItem(n)
		}
	case *ast.Paragraph:
		if l.md.MetricsDoc {
			l.paragraph(n)
		}
	}
	if l.md.MetricsDoc && n.Parent() != nil && n.Parent().Kind() == ast.KindDocument {
		l.afterHeading(n)
	}
	return ast.WalkContinue, nil
}

// ignoreInTable records a driftlint:ignore comment alone on its line right below a table's
// row, with rows right below it: goldmark, as GitHub, ends the table at the comment and reads
// the rows after it as a paragraph.
func (l *loader) ignoreInTable(n *ast.HTMLBlock) {
	if n.HTMLBlockType != ast.HTMLBlockType2 || n.Lines().Len() != 1 {
		return
	}
	if _, ok := n.PreviousSibling().(*east.Table); !ok {
		return
	}
	next, ok := n.NextSibling().(*ast.Paragraph)
	if !ok || next.Lines().Len() == 0 {
		return
	}
	seg := n.Lines().At(0)
	line := string(l.src[seg.Start:seg.Stop])
	at := strings.Index(line, "driftlint:ignore")
	if at < 0 {
		return
	}
	ln := l.f.Pos(seg.Start).Line
	first := next.Lines().At(0)
	if l.f.Pos(first.Start).Line != ln+1 || !bytes.Contains(l.src[first.Start:first.Stop], []byte("|")) {
		return
	}
	if ln < 2 || strings.TrimSpace(l.f.Line(ln-1)) == "" {
		return // a blank line above: the table had ended already
	}
	l.md.IgnoresInTables = append(l.md.IgnoresInTables, l.pos(seg.Start+at))
}

// pos converts a goldmark offset into a file position.
func (l *loader) pos(off int) lint.Pos { return l.f.Pos(max(off, 0)) }

// explicitID returns a heading's {#id} attribute.
func explicitID(h *ast.Heading) (string, bool) {
	v, ok := h.AttributeString("id")
	if !ok {
		return "", false
	}
	switch v := v.(type) {
	case []byte:
		return string(v), len(v) > 0
	case string:
		return v, v != ""
	}
	return "", false
}

func (l *loader) heading(h *ast.Heading) {
	var b builder
	inlineText(&b, l.src, h, htmlDrop)
	txt := strings.TrimSpace(string(b.buf))
	off := h.Pos()
	if off < 0 && h.Lines().Len() > 0 {
		off = h.Lines().At(0).Start
	}
	at := l.pos(off)
	anchor, explicit := explicitID(h)
	if !explicit {
		anchor = l.slugs.unique(Slug(txt))
	}
	l.md.Headings = append(l.md.Headings, lint.Heading{Level: h.Level, Text: txt, Anchor: anchor, At: at})
	l.anchor(anchor, at)
	l.owner = txt
	l.headingEntry, l.labelsNext = nil, false
	if l.md.MetricsDoc {
		l.headingEntry = l.listedName(h)
	}
}

// anchor records an anchor; the first place that declares it wins.
func (l *loader) anchor(name string, at lint.Pos) {
	if name == "" {
		return
	}
	if _, ok := l.md.Anchors[name]; !ok {
		l.md.Anchors[name] = at
	}
}

func (l *loader) htmlAnchors(start, stop int) {
	if start < 0 || stop > len(l.src) || start >= stop {
		return
	}
	for _, a := range htmlAnchors(string(l.src[start:stop])) {
		l.anchor(a.name, l.pos(start+a.off))
	}
}

// link records a link destination, positioned at the destination itself when it is found
// written out after the node's start (preceded by one of before), else at the node.
func (l *loader) link(dest []byte, off int, before string) {
	if len(dest) == 0 {
		return
	}
	at := locate(l.src, max(off, 0), dest, before)
	l.md.Links = append(l.md.Links, lint.Link{Target: string(dest), At: l.pos(at)})
}

// finishDocEntries merges table and list entries in file order; a listed name that a table
// documents already is dropped, as is a name listed twice (a prose mention of a name that is
// also listed is dropped, wherever it is).
func (l *loader) finishDocEntries() {
	entries := l.tables
	seen := map[string]bool{}
	for _, e := range l.tables {
		seen[e.Name] = true
	}
	// A name listed, as a heading or by an example documents it more than a paragraph of
	// prose about it does: prose entries come last, so that they never hide another.
	sort.SliceStable(l.listed, func(i, j int) bool { return !l.listed[i].Prose && l.listed[j].Prose })
	for _, e := range l.listed {
		if seen[e.Name] {
			continue
		}
		seen[e.Name] = true
		entries = append(entries, e)
	}
	sort.SliceStable(entries, func(i, j int) bool { return entries[i].At.Less(entries[j].At) })
	l.res.DocEntries = entries
}
