package report

import (
	"encoding/xml"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/driftlint/driftlint/lint"
)

// Checkstyle prints the findings as Checkstyle 4.3 XML, which GitLab (through a converter)
// and Jenkins' Warnings plugin read: one <file> per file with findings, sorted by name, each
// holding an <error> per finding with source="driftlint.RULE". Related positions follow the
// message, one per line. A whole-file finding (line 0) is put on line 1 without a column.
// Text from inputs is escaped (Escape): XML 1.0 cannot hold most control characters at all.
// With opts.MaxFindings, the first findings are printed and an XML comment counts the rest.
func Checkstyle(w io.Writer, res *lint.Result, opts Options) error {
	byFile := map[string][]lint.Finding{}
	shown, omitted := capFindings(res.Findings, opts.MaxFindings)
	for _, f := range shown {
		byFile[f.Pos.File] = append(byFile[f.Pos.File], f)
	}
	files := make([]string, 0, len(byFile))
	for name := range byFile {
		files = append(files, name)
	}
	slices.Sort(files)

	var b strings.Builder
	b.WriteString(xml.Header)
	b.WriteString(`<checkstyle version="4.3">` + "\n")
	for _, name := range files {
		b.WriteString(`  <file name="` + xmlAttr(Escape(name)) + `">` + "\n")
		for _, f := range byFile[name] {
			line := max(1, f.Pos.Line)
			b.WriteString(`    <error line="` + strconv.Itoa(line) + `"`)
			if f.Pos.Line > 0 && f.Pos.Col > 0 {
				b.WriteString(` column="` + strconv.Itoa(f.Pos.Col) + `"`)
			}
			b.WriteString(` severity="` + checkstyleSeverity(f.Severity) + `" message="` + xmlAttr(withRelated(f)) +
				`" source="driftlint.` + xmlAttr(Escape(f.Rule)) + `"/>` + "\n")
		}
		b.WriteString("  </file>\n")
	}
	if omitted > 0 {
		// An XML comment cannot hold "--", so the flag is named without its dashes.
		b.WriteString("  <!-- " + count(omitted, "more finding") + " not shown (max-findings " + strconv.Itoa(opts.MaxFindings) + ") -->\n")
	}
	b.WriteString("</checkstyle>\n")
	_, err := io.WriteString(w, b.String())
	return err
}

func checkstyleSeverity(s lint.Severity) string {
	switch s {
	case lint.Error:
		return "error"
	case lint.Info:
		return "info"
	default:
		return "warning"
	}
}

// xmlAttr escapes s for a double-quoted attribute: markup characters, quotes, and tabs and
// newlines as character references so that parsers keep them; invalid characters become
// U+FFFD.
func xmlAttr(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s)) // a strings.Builder never fails
	return b.String()
}
