package docread

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// maxParseErrors bounds the parse errors read from one exposition file; past it the rest
// of the file is not read, and a warning says so.
const maxParseErrors = 100

// Exposition reads files in the text exposition format (golden test output) with expfmt's
// TextParser. A family's type is the one its # TYPE line gives ("" when it has none,
// where the parser would say untyped); its labels are those of its samples (without le and
// quantile, which the parser takes as bucket and quantile bounds). A line the parser rejects
// is a warning at path:line, and the file is read again without it, so the rest of the file
// still counts.
func Exposition(fsys fs.FS, paths []string) ([]Family, []string, error) {
	c := newCollector()
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
		readExposition(c, path, 0, src)
	}
	fams, warns := c.result()
	return fams, warns, nil
}

// readExposition reads src, whose line n is line base+n of path: warnings name the line
// in path, and a warning about the whole of src names path:base+1 (path when base is 0).
func readExposition(c *collector, path string, base int, src []byte) {
	at := func(line int) string { return fmt.Sprintf("%s:%d", path, base+line) }
	whole := path
	if base > 0 {
		whole = at(1)
	}
	lines := bytes.SplitAfter(src, []byte("\n"))
	for range maxParseErrors {
		p := expfmt.NewTextParser(model.UTF8Validation)
		mfs, err := p.TextToMetricFamilies(bytes.NewReader(bytes.Join(lines, nil)))
		if err == nil {
			typed, first := typeLines(lines), firstLines(lines)
			if len(mfs) == 0 {
				c.warnf(whole, "no metric families")
			}
			for name, mf := range mfs {
				f := Family{Name: name, Help: mf.GetHelp()}
				if typed[name] {
					f.Type = strings.ToLower(mf.GetType().String())
				}
				for _, m := range mf.GetMetric() {
					for _, lp := range m.GetLabel() {
						f.Labels = append(f.Labels, lp.GetName())
					}
				}
				c.add(at(first[name]), f)
			}
			return
		}
		pe, ok := errors.AsType[expfmt.ParseError](err)
		if !ok || pe.Line < 1 || pe.Line > len(lines) {
			c.warnf(whole, "%v", err)
			return
		}
		c.warnf(at(pe.Line), "%s", pe.Msg)
		lines[pe.Line-1] = []byte("\n") // read again without the line, keeping line numbers
	}
	c.warnf(whole, "more than %d parse errors; the rest of the file is not read", maxParseErrors)
}

// typeLines returns the family names that have a # TYPE line.
func typeLines(lines [][]byte) map[string]bool {
	typed := map[string]bool{}
	for _, l := range lines {
		if f := strings.Fields(string(l)); len(f) >= 3 && f[0] == "#" && f[1] == "TYPE" {
			typed[unquote(f[2])] = true
		}
	}
	return typed
}

// unquote removes the quotes of a quoted UTF-8 metric name in a # TYPE line.
func unquote(s string) string {
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		return s[1 : len(s)-1]
	}
	return s
}

// firstLines maps each name that a # HELP, # TYPE or sample line gives to the 1-based line
// where it first appears.
func firstLines(lines [][]byte) map[string]int {
	first := map[string]int{}
	note := func(name string, i int) {
		if _, ok := first[name]; !ok && name != "" {
			first[name] = i + 1
		}
	}
	for i, l := range lines {
		s := strings.TrimSpace(string(l))
		switch {
		case strings.HasPrefix(s, "#"):
			if f := strings.Fields(s); len(f) >= 3 && (f[1] == "HELP" || f[1] == "TYPE") {
				note(unquote(f[2]), i)
			}
		case strings.HasPrefix(s, "{"): // {"utf8.name", label="v"} value
			if rest, ok := strings.CutPrefix(s, `{"`); ok {
				if name, _, ok := strings.Cut(rest, `"`); ok {
					note(name, i)
				}
			}
		default:
			if j := strings.IndexAny(s, "{ \t"); j > 0 {
				note(s[:j], i)
			}
		}
	}
	return first
}
