package markdown

import (
	"errors"
	"io"
	"regexp"
	"strings"

	"github.com/yuin/goldmark/ast"
	"go.yaml.in/yaml/v3"

	"github.com/driftlint/driftlint/lint"
	"github.com/driftlint/driftlint/lint/load/rulefile"
	"github.com/driftlint/driftlint/lint/load/yamlpos"
	"github.com/driftlint/driftlint/lint/promql"
)

// maxYAMLDocuments bounds the documents read from one yaml block.
const maxYAMLDocuments = 1000

func (l *loader) fence(n *ast.FencedCodeBlock) {
	lang := ""
	if n.Info != nil {
		info := string(n.Info.Segment.Value(l.src))
		if fields := strings.Fields(info); len(fields) > 0 {
			// promql, promql{.x}, {.promql} and promql,title=x all name promql.
			lang = strings.TrimLeft(fields[0], "{.")
			if i := strings.IndexAny(lang, "{},"); i >= 0 {
				lang = lang[:i]
			}
			lang = strings.ToLower(lang)
		}
	}
	body := l.fenceBody(n)
	block := lint.CodeBlock{Lang: lang, At: l.pos(n.Pos()), Body: body, Owner: l.owner}
	l.md.Blocks = append(l.md.Blocks, block)
	switch lang {
	case "promql":
		l.promql(body)
	case "yaml", "yml":
		if l.md.Runbook {
			l.yaml(body)
		}
	case "", "bash", "sh", "shell", "console", "zsh":
		l.shell(body)
	}
	if l.md.MetricsDoc && (exampleLangs[lang] || plainLangs[lang] && declaresFamily(body.Value)) {
		l.expositionExample(body)
	}
}

// fenceBody returns the content of a fenced block with the file offset of every byte.
// goldmark strips the fence's indentation from each line; a tab it splits becomes padding
// spaces, which map to the start of their line.
func (l *loader) fenceBody(n *ast.FencedCodeBlock) lint.Span {
	lines := n.Lines()
	if lines.Len() == 0 {
		// The body is empty: it starts on the line after the opening fence.
		off := max(n.Pos(), 0)
		if n.Info != nil {
			off = max(off, n.Info.Segment.Stop)
		}
		if nl := strings.IndexByte(string(l.src[off:]), '\n'); nl >= 0 {
			off += nl + 1
		} else {
			off = len(l.src)
		}
		return lint.Span{File: l.f, Start: off}
	}
	// Most bodies are the file's bytes as they stand: one span, no offset table to build.
	contiguous := true
	for i := 0; contiguous && i < lines.Len(); i++ {
		seg := lines.At(i)
		contiguous = seg.Padding == 0 && (i == 0 || seg.Start == lines.At(i-1).Stop)
	}
	if contiguous {
		return lint.VerbatimSpan(l.f, lines.At(0).Start, lines.At(lines.Len()-1).Stop)
	}
	var b builder
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		for range seg.Padding {
			b.at(" ", seg.Start)
		}
		b.verbatim(l.src[seg.Start:seg.Stop], seg.Start)
	}
	return b.span(l.f, lines.At(lines.Len()-1).Stop)
}

func (l *loader) origin() lint.Origin {
	if l.md.Runbook {
		return lint.OriginRunbook
	}
	return lint.OriginDocs
}

// promql parses a promql block as one query, or, when that fails and the block has several
// blank-line-separated chunks, each chunk as a query of its own. Chunks holding only
// comments are skipped; a chunk that does not parse is a query with Err set. Grafana's macros
// and variables stand in as in dashboards: queries are pasted from panels.
func (l *loader) promql(body lint.Span) {
	whole := trimSpan(body)
	if !hasCode(whole.Value) {
		return
	}
	q := promql.NewGrafanaQuery(whole, l.origin(), l.owner)
	chunks := chunks(body.Value)
	if q.Err == nil || len(chunks) < 2 {
		l.res.Queries = append(l.res.Queries, q)
		return
	}
	for _, c := range chunks {
		sp := trimSpan(body.Sub(c[0], c[1]))
		if hasCode(sp.Value) {
			l.res.Queries = append(l.res.Queries, promql.NewGrafanaQuery(sp, l.origin(), l.owner))
		}
	}
}

// trimSpan drops leading and trailing white space.
func trimSpan(s lint.Span) lint.Span {
	i, j := 0, len(s.Value)
	for i < j && isSpaceByte(s.Value[i]) {
		i++
	}
	for j > i && isSpaceByte(s.Value[j-1]) {
		j--
	}
	return s.Sub(i, j)
}

func isSpaceByte(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// hasCode reports whether a PromQL text has a line that is neither blank nor a comment.
func hasCode(s string) bool {
	for line := range strings.SplitSeq(s, "\n") {
		t := strings.TrimSpace(line)
		if t != "" && !strings.HasPrefix(t, "#") {
			return true
		}
	}
	return false
}

// chunks splits s at blank lines into [start, end) ranges of non-blank lines.
func chunks(s string) [][2]int {
	var out [][2]int
	start := -1
	for off := 0; off < len(s); {
		end := strings.IndexByte(s[off:], '\n')
		if end < 0 {
			end = len(s)
		} else {
			end += off
		}
		blank := strings.TrimSpace(s[off:end]) == ""
		switch {
		case blank && start >= 0:
			out = append(out, [2]int{start, off})
			start = -1
		case !blank && start < 0:
			start = off
		}
		off = end + 1
	}
	if start >= 0 {
		out = append(out, [2]int{start, len(s)})
	}
	return out
}

// yaml reads the alert and recording rules quoted in a runbook's yaml block. A block that
// is not valid YAML is a problem at the line the YAML parser names.
// placeholder is an expression that is a format reference's placeholder: <string>, <expr>.
var placeholder = regexp.MustCompile(`^\s*<[A-Za-z_ ;-]+>\s*$`)

func (l *loader) yaml(body lint.Span) {
	t := yamlpos.New(body)
	if p := t.TooDeep(); p != nil {
		p.Message = "yaml code block: " + p.Message
		l.res.Problems = append(l.res.Problems, *p)
		return
	}
	dec := yaml.NewDecoder(strings.NewReader(body.Value))
	for range maxYAMLDocuments {
		var doc yaml.Node
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			l.res.Problems = append(l.res.Problems, lint.ParseProblem{
				At:      t.LinePos(lint.YAMLErrorLine(err)),
				Message: "yaml code block: " + lint.YAMLErrorMessage(err),
			})
			return
		}
		var rr rulefile.Result
		rulefile.FromNode(t, &doc, true, &rr)
		// "expr: <string>" is the rule format's reference (Loki's HTTP API page), not a
		// copy of an alert.
		for _, r := range rr.Rules {
			if r.Query == nil || !placeholder.MatchString(r.Query.Text.Value) {
				l.res.Alerts = append(l.res.Alerts, r)
			}
		}
		for _, q := range rr.Queries {
			if !placeholder.MatchString(q.Text.Value) {
				l.res.Queries = append(l.res.Queries, q)
			}
		}
		l.res.Problems = append(l.res.Problems, rr.Problems...)
		l.res.Foreign = append(l.res.Foreign, rr.Foreign...)
	}
}

// inlineCode looks for jq programs in an inline code span.
func (l *loader) inlineCode(n *ast.CodeSpan, b *builder) {
	if !strings.Contains(string(b.buf), "jq") {
		return
	}
	l.shell(b.span(l.f, b.end(max(n.Pos(), 0))))
}
