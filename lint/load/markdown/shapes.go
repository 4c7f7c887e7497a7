package markdown

import (
	"strings"

	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"

	"github.com/driftlint/driftlint/lint"
)

// paragraph records the metric name that a paragraph of prose begins with, in code
// ("`app_mau_current` records the number of …"), as a prose DocEntry: it documents the
// metric, but says nothing to hold the exposition to (see lint.DocEntry.Prose). Paragraphs
// of list items are the list's business.
func (l *loader) paragraph(p *ast.Paragraph) {
	if parent := p.Parent(); parent == nil || parent.Kind() == ast.KindListItem {
		return
	}
	if e := l.leadingName(p); e != nil {
		e.Prose = true
		l.listed = append(l.listed, e)
	}
}

// itemType reads the type that a bullet gives right after its metric name: "`x_total`
// (counter): …", "`x_total` - gauge - …", "`x_total`: histogram. …". The type word must
// stand alone (followed by nothing, punctuation or "metric"), so that "Summary of …" is
// prose, not a type.
func (l *loader) itemType(n ast.Node, e *lint.DocEntry) {
	var b builder
	inlineText(&b, l.src, n, htmlDrop)
	s := string(b.buf)
	if len(b.code) == 0 {
		return
	}
	i := b.code[0][1]
	i += len(s[i:]) - len(strings.TrimLeft(s[i:], " \t:(-—–,|*_"))
	j := i
	for j < len(s) && isIdentByte(s[j]) {
		j++
	}
	typ := typeWord(strings.ToLower(s[i:j]))
	if typ == "" {
		return
	}
	after := strings.TrimLeft(s[j:], " \t*_")
	if after != "" && !strings.ContainsRune(").,:;-|—–", []rune(after)[0]) && !strings.HasPrefix(strings.ToLower(after), "metric") {
		return
	}
	e.Type, e.TypeAt = typ, l.pos(int(b.offs[i]))
}

// afterHeading reads the labels documented below a heading that names a metric: a
// paragraph "Labels: `a`, `b`", a "Labels:" paragraph followed by a list of label names, or
// a table whose first column is headed Label. n is a top-level block.
func (l *loader) afterHeading(n ast.Node) {
	e := l.headingEntry
	if e == nil || e.HasLabels {
		return
	}
	switch n := n.(type) {
	case *ast.Paragraph:
		var b builder
		inlineText(&b, l.src, n, htmlBreaks)
		s := string(b.buf)
		k := labelsIntro(s)
		if k < 0 {
			l.labelsNext = false
			return
		}
		rest := strings.TrimSpace(s[k:])
		if rest == "" {
			l.labelsNext = true
			return
		}
		end := len(strings.TrimRight(s, " \t\n."))
		sub := builder{buf: b.buf[k:end], offs: b.offs[k:end]}
		for _, r := range b.code {
			if r[0] >= k {
				sub.code = append(sub.code, [2]int{r[0] - k, r[1] - k})
			}
		}
		e.HasLabels, e.Labels, e.LabelsAt = true, parseLabels(&sub), l.pos(int(b.offs[k]))
	case *ast.List:
		if !l.labelsNext {
			return
		}
		l.labelsNext = false
		var names []string
		at := lint.Pos{}
		for li := n.FirstChild(); li != nil; li = li.NextSibling() {
			name, pos := l.firstWord(li.FirstChild())
			if name == "" || !isLabelName(name) {
				continue
			}
			if !at.IsValid() {
				at = pos
			}
			names = append(names, name)
		}
		if len(names) > 0 {
			e.HasLabels, e.Labels, e.LabelsAt = true, names, at
		}
	case *east.Table:
		l.labelsNext = false
		var names []string
		at := lint.Pos{}
		header := true
		for r := n.FirstChild(); r != nil; r = r.NextSibling() {
			cell := r.FirstChild()
			if cell == nil {
				continue
			}
			if header {
				header = false
				var b builder
				inlineText(&b, l.src, cell, htmlDrop)
				if kind, _ := headerColumn(string(b.buf)); kind != "labels" {
					return
				}
				continue
			}
			name, pos := l.firstWord(cell)
			if name == "" || !isLabelName(name) {
				continue
			}
			if !at.IsValid() {
				at = pos
			}
			names = append(names, name)
		}
		e.HasLabels, e.Labels, e.LabelsAt = true, names, at
	default:
		l.labelsNext = false
	}
}

// labelsIntro returns the offset just after a leading "Labels:" (or "Label:", "Labels"
// alone) of a paragraph's text, or -1.
func labelsIntro(s string) int {
	t := strings.TrimLeft(s, " \t*_")
	lead := len(s) - len(t)
	low := strings.ToLower(t)
	for _, w := range []string{"labels", "label"} {
		if !strings.HasPrefix(low, w) {
			continue
		}
		k := len(w)
		for k < len(t) && strings.IndexByte("*_ \t", t[k]) >= 0 {
			k++
		}
		if k < len(t) && t[k] == ':' {
			return lead + k + 1
		}
		if strings.TrimSpace(t[k:]) == "" {
			return len(s)
		}
		return -1
	}
	return -1
}

// firstWord returns the first code span of a block, else its first word, and its position.
func (l *loader) firstWord(n ast.Node) (string, lint.Pos) {
	if n == nil {
		return "", lint.Pos{}
	}
	var b builder
	if cs := firstCodeSpan(n); cs != nil {
		codeSpanText(&b, l.src, cs)
	} else {
		inlineText(&b, l.src, n, htmlDrop)
	}
	name, i := firstName(string(b.buf))
	name = strings.TrimRight(name, ":")
	if name == "" {
		return "", lint.Pos{}
	}
	return name, l.pos(int(b.offs[i]))
}
