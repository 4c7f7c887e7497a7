// Package report prints a run's findings: text for people, JSON for machines, SARIF for code
// scanning, GitHub workflow commands, a Markdown audit report and Checkstyle XML for CI
// servers; Verbose prints what a run loaded and how long it took.
package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/driftlint/driftlint/lint"
)

// Formats lists the output formats, for flag help and validation.
var Formats = []string{"text", "json", "sarif", "github", "markdown", "checkstyle", "codequality"}

// Options tune printing. Every field is optional; a format ignores the fields it has no use for.
type Options struct {
	Color bool // ANSI colours in text (the CLI sets it only on a terminal without NO_COLOR)
	Quiet bool // text: findings only, no summary line

	// Rules is the rule registry (rules.All()): SARIF lists it as tool.driver.rules and the
	// Markdown report takes rule summaries from it. A finding whose rule is not in it still
	// prints; SARIF then describes that rule by its id alone.
	Rules []*lint.Rule
	// Version is driftlint's version, for SARIF's tool.driver.version ("" leaves it out).
	Version string
	// Root is the absolute folder that finding paths are relative to: the project root, or
	// the repository's top folder when the command line shows paths from there. SARIF maps
	// the %SRCROOT% base id onto it; "" leaves the base id without a uri.
	Root string
	// ProjectRoot is JSON's top-level "root": the folder its "file" paths are relative to,
	// as a path relative to the working directory ("" leaves it out).
	ProjectRoot string
	// Source returns the text of a 1-based line of a project file ("" when unknown), as
	// lint.Project.File(path).Line(line) does. The Markdown report shows excerpts of both
	// sides of each drift with it, and SARIF converts byte columns to UTF-16 columns. The
	// printers never read files themselves.
	Source func(path string, line int) string
	// LinkBase, when set, turns Markdown positions into links: LinkBase + path + "#L" + line,
	// e.g. "https://github.com/org/repo/blob/<sha>/".
	LinkBase string
	// MaxFindings, when above 0, caps the findings text, json, github, markdown and
	// checkstyle print (the first ones, in their order), each saying how many it left out;
	// summaries still count every finding. SARIF and codequality print them all.
	MaxFindings int
}

// Print writes res in format to w.
func Print(w io.Writer, format string, res *lint.Result, opts Options) error {
	if res == nil {
		res = &lint.Result{}
	}
	switch format {
	case "text":
		return Text(w, res, opts)
	case "json":
		return JSON(w, res, opts)
	case "sarif":
		return SARIF(w, res, opts)
	case "github":
		return GitHub(w, res, opts)
	case "markdown":
		return Markdown(w, res, opts)
	case "checkstyle":
		return Checkstyle(w, res, opts)
	case "codequality":
		return CodeQuality(w, res)
	default:
		return fmt.Errorf("unknown format %q (want one of %s)", format, strings.Join(Formats, ", "))
	}
}

const (
	red    = "\x1b[31m"
	yellow = "\x1b[33m"
	blue   = "\x1b[34m"
	dim    = "\x1b[2m"
	reset  = "\x1b[0m"
)

// Text prints `path:line:col: severity: message (rule)`, each related position indented
// under it, then a summary line. Text from inputs is escaped (Escape), and a path that does
// not begin with an ASCII letter, digit, '_', '.' or '/' is printed with "./" before it, so
// that no line begins with input text.
func Text(w io.Writer, res *lint.Result, opts Options) error {
	b := bufio.NewWriterSize(w, 64<<10)
	paint := func(code, s string) string {
		if !opts.Color {
			return s
		}
		return code + s + reset
	}
	shown, omitted := capFindings(res.Findings, opts.MaxFindings)
	folded := foldRepeats(shown)
	for i, f := range shown {
		more := folded[i]
		if more < 0 {
			continue // folded into an earlier finding
		}
		if more > 0 {
			f.Message += fmt.Sprintf(" (and %d more in this file)", more)
		}
		sev := f.Severity.String()
		switch f.Severity {
		case lint.Error:
			sev = paint(red, sev)
		case lint.Warning:
			sev = paint(yellow, sev)
		case lint.Info:
			sev = paint(blue, sev)
		}
		fmt.Fprintf(b, "%s: %s: %s %s\n", textPos(f.Pos), sev, Escape(f.Message), paint(dim, "("+Escape(f.Rule)+")"))
		for _, r := range f.Related {
			fmt.Fprintf(b, "    %s: %s\n", textPos(r.Pos), Escape(r.Message))
		}
	}
	if omitted > 0 {
		fmt.Fprintf(b, "%s not shown (--max-findings %d)\n", count(omitted, "more finding"), opts.MaxFindings)
	}
	if !opts.Quiet {
		s := res.Summary
		fmt.Fprintf(b, "%d %s (%d %s, %d %s, %d info) in %d files",
			s.Findings, plural(s.Findings, "finding"), s.Error, plural(s.Error, "error"), s.Warning, plural(s.Warning, "warning"), s.Info, s.Files)
		if s.UnverifiedMetrics > 0 {
			fmt.Fprintf(b, "; %d %s unverified (no exposition covers them)", s.UnverifiedMetrics, plural(s.UnverifiedMetrics, "metric"))
		}
		if s.UnresolvedDefinitions > 0 {
			fmt.Fprintf(b, "; %s in the sources not read", count(s.UnresolvedDefinitions, "metric definition"))
			if n := len(s.UncheckedSpaces); n > 0 {
				shown := s.UncheckedSpaces[:min(n, 3)]
				fmt.Fprintf(b, ", leaving %s unchecked", Escape(strings.Join(shown, ", ")))
				if n > 3 {
					fmt.Fprintf(b, " +%d more (-v lists them)", n-3)
				}
			}
		}
		if s.Paths > 0 {
			fmt.Fprintf(b, "; only findings in or about the %d %s given (%d elsewhere left out)", s.Paths, plural(s.Paths, "path"), s.OutsidePaths)
		}
		_ = b.WriteByte('\n')
	}
	return b.Flush() // the first write error, if any
}

// textPos formats a position for the start of a text line: escaped, and with "./" before a
// path that does not begin with an ASCII letter, digit, '_', '.' or '/' (see safeLineStart),
// so that no line begins with input text such as "::error".
func textPos(p lint.Pos) string {
	p.File = safeLineStart(Escape(p.File))
	return p.String()
}

// capFindings returns the first limit findings (all of them when limit is 0 or less) and how
// many it left out.
func capFindings(fs []lint.Finding, limit int) ([]lint.Finding, int) {
	if limit <= 0 || len(fs) <= limit {
		return fs, 0
	}
	return fs[:limit], len(fs) - limit
}

func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}

// jsonReport is the stable JSON contract (DESIGN §5).
type jsonReport struct {
	Version int `json:"version"`
	// Root is the folder that every file is relative to (the project root), relative to
	// the working directory.
	Root     string        `json:"root,omitempty"`
	Findings []jsonFinding `json:"findings"`
	Summary  lint.Summary  `json:"summary"`
	// Omitted counts the findings --max-findings left out of Findings (Summary counts them).
	Omitted int `json:"omitted,omitempty"`
}

type jsonFinding struct {
	Rule        string        `json:"rule"`
	Severity    string        `json:"severity"`
	File        string        `json:"file"`
	Line        int           `json:"line"`
	Column      int           `json:"column"`
	Message     string        `json:"message"`
	Subject     lint.Subject  `json:"subject"`
	Related     []jsonRelated `json:"related"`
	Fingerprint string        `json:"fingerprint"`
}

type jsonRelated struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Column  int    `json:"column"`
	Message string `json:"message"`
}

// JSON prints the findings as the version 1 JSON document. With opts.MaxFindings, it lists
// the first ones and counts the rest in "omitted"; "summary" still counts them all.
func JSON(w io.Writer, res *lint.Result, opts Options) error {
	shown, omitted := capFindings(res.Findings, opts.MaxFindings)
	head := jsonReport{Version: 1, Root: opts.ProjectRoot, Findings: []jsonFinding{}, Summary: res.Summary, Omitted: omitted}
	if len(shown) == 0 {
		return encodeJSON(w, head)
	}
	return streamJSON(w, head, jsonFindings(shown))
}

// streamJSON writes report with findings in place of its empty "findings" list, one finding
// at a time, byte for byte as encodeJSON would write the whole: a report of 100,000 findings
// is never held in memory as text (encoding it whole took several copies of it: the
// encoder's buffer, the indented copy, the escaped copy).
func streamJSON(w io.Writer, report jsonReport, findings []jsonFinding) error {
	var buf bytes.Buffer
	if err := writeJSON(&buf, report, true); err != nil {
		return err
	}
	text := buf.Bytes()
	const empty = `"findings": [],`
	i := bytes.Index(text, []byte(empty))
	if i < 0 {
		return errors.New("report: no findings list in the JSON report") // cannot happen: jsonReport has one
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	_, _ = bw.Write(text[:i+len(`"findings": [`)])
	var fb bytes.Buffer
	enc := json.NewEncoder(&fb)
	enc.SetIndent("    ", "  ")
	for k := range findings {
		fb.Reset()
		if err := enc.Encode(&findings[k]); err != nil {
			return err
		}
		_, _ = bw.WriteString("\n    ")
		_, _ = bw.Write(safeJSON(bytes.TrimSuffix(fb.Bytes(), []byte("\n"))))
		if k < len(findings)-1 {
			_ = bw.WriteByte(',')
		}
	}
	_, _ = bw.WriteString("\n  ],")
	_, _ = bw.Write(text[i+len(empty):])
	return bw.Flush() // the first write error, if any
}

// jsonFindings converts findings to their JSON shape; never nil.
func jsonFindings(fs []lint.Finding) []jsonFinding {
	out := make([]jsonFinding, 0, len(fs))
	for _, f := range fs {
		jf := jsonFinding{
			Rule: f.Rule, Severity: f.Severity.String(),
			File: f.Pos.File, Line: f.Pos.Line, Column: f.Pos.Col,
			Message: f.Message, Subject: f.Subject, Related: []jsonRelated{}, Fingerprint: f.Fingerprint,
		}
		for _, r := range f.Related {
			jf.Related = append(jf.Related, jsonRelated{File: r.Pos.File, Line: r.Pos.Line, Column: r.Pos.Col, Message: r.Message})
		}
		out = append(out, jf)
	}
	return out
}

func encodeJSON(w io.Writer, v any) error {
	return writeJSON(w, v, true)
}

// writeJSON encodes v indented, made safe for logs and terminals by safeJSON, with a final
// newline; escapeHTML escapes <, > and & as encoding/json does by default.
func writeJSON(w io.Writer, v any, escapeHTML bool) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(escapeHTML)
	if err := enc.Encode(v); err != nil {
		return err
	}
	_, err := w.Write(safeJSON(buf.Bytes()))
	return err
}

// foldRepeats finds the repeats of one finding in one file (the same rule and message at other
// lines, such as one misspelt metric in ten panels of a dashboard): for each finding, -1 when
// it repeats an earlier one, else how many later findings repeat it. Text prints each once,
// with "and N more"; the other formats and the summary keep every finding.
func foldRepeats(fs []lint.Finding) []int {
	type key struct{ file, rule, msg string }
	first := map[key]int{}
	out := make([]int, len(fs))
	for i, f := range fs {
		k := key{f.Pos.File, f.Rule, f.Message}
		if j, ok := first[k]; ok {
			out[j]++
			out[i] = -1
			continue
		}
		first[k] = i
	}
	return out
}
