package markdown

import (
	"regexp"
	"strings"

	"github.com/itchyny/gojq"
	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"

	"github.com/driftlint/driftlint/lint"
)

// jqPathText matches a plain jq path as prose writes it: .a, .a.b, .a[].b, .a-b.
var jqPathText = regexp.MustCompile(`^\.[A-Za-z_][A-Za-z0-9_-]*(\[\]|\.[A-Za-z_][A-Za-z0-9_-]*)*$`)

// aboutHealth reports whether text talks about the health endpoint.
func aboutHealth(text string) bool { return strings.Contains(strings.ToLower(text), "health") }

// healthRef records inline code that names a health field (`.kafka.status`) in a section or
// paragraph about health. Elsewhere `.status.phase` is as likely a Kubernetes path.
func (l *loader) healthRef(n *ast.CodeSpan, b *builder) {
	text := string(b.buf)
	if !jqPathText.MatchString(text) || len(b.offs) == 0 {
		return
	}
	if !aboutHealth(l.owner) && !aboutHealth(paragraphText(l.src, n)) {
		return
	}
	l.addHealthRef(b.span(l.f, b.end(max(n.Pos(), 0))), text)
}

// paragraphText is the source text of the block that holds an inline node.
func paragraphText(src []byte, n ast.Node) string {
	for p := n.Parent(); p != nil; p = p.Parent() {
		if p.Type() != ast.TypeBlock {
			continue
		}
		lines := p.Lines()
		if lines == nil || lines.Len() == 0 {
			return ""
		}
		return string(src[lines.At(0).Start:lines.At(lines.Len()-1).Stop])
	}
	return ""
}

// healthTable records the first column of a table of fields under a heading about health
// (| Field | Type | Description |): each row names a field of the response.
func (l *loader) healthTable(t *east.Table) {
	if !aboutHealth(l.owner) {
		return
	}
	header, ok := t.FirstChild().(*east.TableHeader)
	if !ok || header.FirstChild() == nil {
		return
	}
	var hb builder
	inlineText(&hb, l.src, header.FirstChild(), htmlDrop)
	switch strings.ToLower(strings.TrimSpace(string(hb.buf))) {
	case "field", "fields", "path", "key", "json field", "json path":
	default:
		return
	}
	for row := header.NextSibling(); row != nil; row = row.NextSibling() {
		cell, ok := row.FirstChild().(*east.TableCell)
		if !ok {
			continue
		}
		var b builder
		if cs := firstCodeSpan(cell); cs != nil {
			codeSpanText(&b, l.src, cs)
		} else {
			inlineText(&b, l.src, cell, htmlDrop)
		}
		text := strings.TrimSpace(string(b.buf))
		if text == "" || len(b.offs) == 0 {
			continue
		}
		path := text
		if !strings.HasPrefix(path, ".") {
			path = "." + path
		}
		if !jqPathText.MatchString(path) {
			continue
		}
		l.addHealthRef(b.span(l.f, b.end(max(cell.Pos(), 0))), path)
	}
}

// addHealthRef records a field path named at span.
func (l *loader) addHealthRef(span lint.Span, path string) {
	q, err := gojq.Parse(path)
	if err != nil {
		return
	}
	l.md.HealthRefs = append(l.md.HealthRefs, lint.JQProgram{Program: span, Query: q, Owner: l.owner})
}
