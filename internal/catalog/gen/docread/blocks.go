package docread

import (
	"bytes"
	"fmt"
	"io/fs"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"
)

// ExpositionBlocks reads the fenced code blocks of the Markdown files at paths in fsys
// that hold text exposition (client_java's docs/content/instrumentation/jvm.md shows each
// JVM metric that way). A block is read when one of its lines is a # HELP or # TYPE line,
// with Exposition's parsing: a line the parser rejects is a warning at path:line (the line
// in the Markdown file) and the rest of the block still counts. Other blocks (code, shell
// sessions without # HELP or # TYPE) are skipped without a warning. Families are merged
// over all blocks and files as Exposition merges them.
func ExpositionBlocks(fsys fs.FS, paths []string) ([]Family, []string, error) {
	c := newCollector()
	md := goldmark.New()
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
		idx := newLineIndex(src)
		doc := md.Parser().Parse(text.NewReader(src))
		_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
			b, ok := n.(*ast.FencedCodeBlock)
			if !ok || !entering {
				return ast.WalkContinue, nil
			}
			if base, body := blockBody(b, src, idx); isExposition(body) {
				readExposition(c, path, base, body)
			}
			return ast.WalkSkipChildren, nil
		})
	}
	fams, warns := c.result()
	return fams, warns, nil
}

// blockBody returns the content of a fenced code block and the line before its first
// content line, so that line n of the content is line base+n of the file. A content line
// keeps its place even when goldmark gives no segment for it.
func blockBody(b *ast.FencedCodeBlock, src []byte, idx lineIndex) (int, []byte) {
	segs := b.Lines()
	if segs.Len() == 0 {
		return 0, nil
	}
	base := idx.line(segs.At(0).Start) - 1
	var body bytes.Buffer
	line := base // the file line the buffer ends on
	for i := range segs.Len() {
		seg := segs.At(i)
		for l := idx.line(seg.Start); line < l-1; line++ {
			body.WriteByte('\n')
		}
		v := seg.Value(src)
		body.Write(v)
		if !bytes.HasSuffix(v, []byte("\n")) {
			body.WriteByte('\n')
		}
		line++
	}
	return base, body.Bytes()
}

// isExposition reports whether a code block holds a # HELP or # TYPE line.
func isExposition(body []byte) bool {
	for l := range strings.Lines(string(body)) {
		if f := strings.Fields(l); len(f) >= 3 && f[0] == "#" && (f[1] == "HELP" || f[1] == "TYPE") {
			return true
		}
	}
	return false
}
