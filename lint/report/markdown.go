package report

import (
	"fmt"
	"io"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/driftlint/driftlint/lint"
	"github.com/driftlint/driftlint/lint/load/markdown"
)

// MarkdownLimit is the most bytes Markdown prints: GitHub refuses a pull-request comment over
// 65,536 characters, and a workflow may put a header of its own above the report.
const MarkdownLimit = 60000

// markdownFileRows is how many files the table by file lists, most findings first.
const markdownFileRows = 20

// Markdown prints the audit report a person reads, laid out for GitHub's renderer: a title,
// the totals, a table of findings by rule and severity (rules with errors first) and one by
// file, then a section per rule with a numbered heading per finding. Each finding shows its
// message and an excerpt of both sides of the drift: its own line and the line of each
// related position, taken from opts.Source (without it, or for whole-file positions, there
// are no excerpts).
//
// The report fits a pull-request comment whatever the number of findings: findings are shown
// rule by rule while the report stays within MarkdownLimit bytes (and within
// opts.MaxFindings), and the rest are counted by rule in a folded <details> block. The tables
// name every rule.
//
// Messages are escaped so that they render as written: text from inputs first by Escape,
// then for Markdown (HTML's <, > and & included, | in table cells), and a line of it that
// begins with ':' begins with "\:", so no output line begins with "::"; excerpt lines that
// begin with ':' are shown after a backslash (excerptLine).
func Markdown(w io.Writer, res *lint.Result, opts Options) error {
	var b strings.Builder
	b.WriteString("# driftlint report\n\n")
	s := res.Summary
	if s.Findings == 0 && len(res.Findings) == 0 {
		fmt.Fprintf(&b, "No findings in %d %s.\n", s.Files, plural(s.Files, "file"))
	} else {
		fmt.Fprintf(&b, "**%d %s** (%d %s, %d %s, %d info) in %d %s.\n",
			s.Findings, plural(s.Findings, "finding"), s.Error, plural(s.Error, "error"), s.Warning, plural(s.Warning, "warning"), s.Info, s.Files, plural(s.Files, "file"))
	}
	if s.UnverifiedMetrics > 0 {
		verb := "are"
		if s.UnverifiedMetrics == 1 {
			verb = "is"
		}
		fmt.Fprintf(&b, "\n%d %s %s unverified: no exposition covers %s.\n", s.UnverifiedMetrics, plural(s.UnverifiedMetrics, "metric"), verb, pronoun(s.UnverifiedMetrics))
	}
	if len(res.Findings) == 0 {
		_, err := io.WriteString(w, b.String())
		return err
	}

	registry := map[string]*lint.Rule{}
	for _, r := range opts.Rules {
		if r != nil {
			registry[r.ID] = r
		}
	}
	groups := groupByRule(res.Findings)

	b.WriteString("\n| Rule | What drifts | Errors | Warnings | Info | Total |\n| --- | --- | ---: | ---: | ---: | ---: |\n")
	var total [4]int
	for _, g := range groups {
		var n [4]int
		for _, f := range g.findings {
			n[sevIndex(f.Severity)]++
		}
		summary := ""
		if r := registry[g.rule]; r != nil {
			summary = escapeMarkdown(oneLine(r.Summary))
		}
		fmt.Fprintf(&b, "| [%s](#%s) | %s | %d | %d | %d | %d |\n", codeSpan(g.rule, true), markdown.Slug(g.rule), summary, n[3], n[2], n[1], len(g.findings))
		for i := range n {
			total[i] += n[i]
		}
	}
	fmt.Fprintf(&b, "| **Total** | | **%d** | **%d** | **%d** | **%d** |\n", total[3], total[2], total[1], len(res.Findings))
	fileTable(&b, res.Findings, opts.LinkBase)

	// Findings follow while they fit, keeping room for the count of those that do not.
	reserve := len(omittedDetails(groups, nil))
	var body strings.Builder
	omitted := make([]int, len(groups))
	shown, full := 0, false
	var block strings.Builder
	for gi, g := range groups {
		started := false
		for i, f := range g.findings {
			if full || opts.MaxFindings > 0 && shown >= opts.MaxFindings {
				omitted[gi]++
				continue
			}
			block.Reset()
			if !started {
				ruleSection(&block, g.rule, registry[g.rule])
			}
			markdownFinding(&block, i+1, f, opts)
			if b.Len()+body.Len()+block.Len()+reserve > MarkdownLimit {
				full = true
				omitted[gi]++
				continue
			}
			body.WriteString(block.String())
			started = true
			shown++
		}
	}
	b.WriteString(body.String())
	if shown < len(res.Findings) {
		b.WriteString(omittedDetails(groups, omitted))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// ruleSection starts a rule's section: its heading and, for a registered rule, what drifts
// and where its documentation is.
func ruleSection(b *strings.Builder, rule string, r *lint.Rule) {
	fmt.Fprintf(b, "\n## %s\n", codeSpan(rule, false))
	if r == nil {
		return // only registered rules have documentation to point at
	}
	b.WriteString("\n")
	if r.Summary != "" {
		b.WriteString("What drifts: " + escapeMarkdown(oneLine(r.Summary)) + ". ")
	}
	fmt.Fprintf(b, "%s tells why it matters and how to fix it.\n", codeSpan("driftlint explain "+rule, false))
}

// markdownFinding prints finding number n of a rule section: a heading with its position, the
// message, the excerpt of its line, then its related positions with theirs.
func markdownFinding(b *strings.Builder, n int, f lint.Finding, opts Options) {
	fmt.Fprintf(b, "\n### %d. %s (%s)\n\n", n, mdPos(f.Pos, opts.LinkBase), f.Severity)
	b.WriteString(escapeMarkdown(Escape(f.Message)) + "\n")
	ex := excerpt(f.Pos, opts.Source)
	if ex != "" {
		b.WriteString("\n" + fenced(ex, fenceLang(f.Pos.File), ""))
	}
	for j, r := range f.Related {
		b.WriteString("\n- ")
		switch {
		case r.Pos.File == "":
			b.WriteString(indentLines(escapeMarkdown(Escape(r.Message)), "  "))
		case r.Message == "":
			b.WriteString(mdPos(r.Pos, opts.LinkBase))
		default:
			b.WriteString(mdPos(r.Pos, opts.LinkBase) + ": " + indentLines(escapeMarkdown(Escape(r.Message)), "  "))
		}
		b.WriteString("\n")
		if r.Pos.File == f.Pos.File && r.Pos.Line == f.Pos.Line {
			continue // the excerpt above shows it
		}
		if dup := slices.IndexFunc(f.Related[:j], func(o lint.Related) bool {
			return o.Pos.File == r.Pos.File && o.Pos.Line == r.Pos.Line
		}); dup >= 0 {
			continue
		}
		if ex := excerpt(r.Pos, opts.Source); ex != "" {
			b.WriteString("\n" + fenced(ex, fenceLang(r.Pos.File), "  "))
		}
	}
}

// fileTable prints the findings by file and severity, the files with most findings first
// (then by name), at most markdownFileRows of them; the rest are counted in a last row.
// Long file names are shortened in the middle.
func fileTable(b *strings.Builder, fs []lint.Finding, linkBase string) {
	type row struct {
		file string
		n    [4]int
	}
	index := map[string]int{}
	var rows []row
	for _, f := range fs {
		i, ok := index[f.Pos.File]
		if !ok {
			i = len(rows)
			index[f.Pos.File] = i
			rows = append(rows, row{file: f.Pos.File})
		}
		rows[i].n[sevIndex(f.Severity)]++
		rows[i].n[0]++ // the total: unknown severities count only here
	}
	slices.SortStableFunc(rows, func(a, b row) int {
		if a.n[0] != b.n[0] {
			return b.n[0] - a.n[0]
		}
		return strings.Compare(a.file, b.file)
	})
	b.WriteString("\n| File | Errors | Warnings | Info | Total |\n| --- | ---: | ---: | ---: | ---: |\n")
	for i, r := range rows {
		if i == markdownFileRows {
			var rest [4]int
			for _, o := range rows[i:] {
				for k := range rest {
					rest[k] += o.n[k]
				}
			}
			fmt.Fprintf(b, "| %s | %d | %d | %d | %d |\n", count(len(rows)-i, "more file"), rest[3], rest[2], rest[1], rest[0])
			break
		}
		name := "(no file)"
		if r.file != "" {
			name = codeSpan(shorten(r.file, 120), true)
			if linkBase != "" {
				name = "[" + name + "](" + linkBase + escapeURLPath(r.file) + ")"
			}
		}
		fmt.Fprintf(b, "| %s | %d | %d | %d | %d |\n", name, r.n[3], r.n[2], r.n[1], r.n[0])
	}
}

// shorten cuts s to about limit bytes by dropping its middle, on rune boundaries.
func shorten(s string, limit int) string {
	if len(s) <= limit {
		return s
	}
	head, tail := limit/2, len(s)-limit/2
	for head > 0 && !utf8.RuneStart(s[head]) {
		head--
	}
	for tail < len(s) && !utf8.RuneStart(s[tail]) {
		tail++
	}
	return s[:head] + "…" + s[tail:]
}

// omittedDetails is the folded block that counts, rule by rule, the findings the report does
// not show; omitted nil counts every finding, the most the block can hold, which is what
// Markdown reserves room for.
func omittedDetails(groups []ruleGroup, omitted []int) string {
	var b strings.Builder
	total := 0
	for i, g := range groups {
		if omitted == nil {
			total += len(g.findings)
		} else {
			total += omitted[i]
		}
	}
	fmt.Fprintf(&b, "\n<details>\n<summary>%s not shown</summary>\n\n", count(total, "more finding"))
	b.WriteString("The report shows findings rule by rule up to the size of a pull-request comment or --max-findings; `driftlint check` prints them all.\n\n")
	b.WriteString("| Rule | Not shown |\n| --- | ---: |\n")
	for i, g := range groups {
		n := len(g.findings)
		if omitted != nil {
			n = omitted[i]
		}
		if n > 0 {
			fmt.Fprintf(&b, "| %s | %d |\n", codeSpan(g.rule, true), n)
		}
	}
	b.WriteString("\n</details>\n")
	return b.String()
}

type ruleGroup struct {
	rule     string
	worst    lint.Severity
	findings []lint.Finding
}

// groupByRule groups findings by rule, most severe rules first, then by id; findings keep
// their order (by position).
func groupByRule(fs []lint.Finding) []ruleGroup {
	var groups []ruleGroup
	index := map[string]int{}
	for _, f := range fs {
		i, ok := index[f.Rule]
		if !ok {
			i = len(groups)
			index[f.Rule] = i
			groups = append(groups, ruleGroup{rule: f.Rule})
		}
		groups[i].findings = append(groups[i].findings, f)
		groups[i].worst = max(groups[i].worst, f.Severity)
	}
	slices.SortFunc(groups, func(a, b ruleGroup) int {
		if a.worst != b.worst {
			return int(b.worst) - int(a.worst)
		}
		return strings.Compare(a.rule, b.rule)
	})
	return groups
}

// sevIndex maps a severity to 1 (info), 2 (warning) or 3 (error); unknown counts as 0.
func sevIndex(s lint.Severity) int {
	switch s {
	case lint.Info:
		return 1
	case lint.Warning:
		return 2
	case lint.Error:
		return 3
	default:
		return 0
	}
}

func pronoun(n int) string {
	if n == 1 {
		return "it"
	}
	return "them"
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func indentLines(s, indent string) string {
	return strings.ReplaceAll(s, "\n", "\n"+indent)
}

// mdPos formats a position as a code span (file:line:col, or the file alone), linked to
// linkBase + path + "#Lline" when linkBase is set.
func mdPos(pos lint.Pos, linkBase string) string {
	if pos.File == "" {
		return "(no file)"
	}
	s := codeSpan(pos.String(), false)
	if linkBase == "" {
		return s
	}
	u := linkBase + escapeURLPath(pos.File)
	if pos.Line > 0 {
		u += "#L" + strconv.Itoa(pos.Line)
	}
	return "[" + s + "](" + u + ")"
}

// parens are escaped in link targets, where they could end the target.
var parens = strings.NewReplacer("(", "%28", ")", "%29")

// escapeURLPath escapes each segment of a slash-separated path for a Markdown link target.
func escapeURLPath(p string) string {
	segs := strings.Split(p, "/")
	for i, s := range segs {
		segs[i] = parens.Replace(url.PathEscape(s))
	}
	return strings.Join(segs, "/")
}

// codeSpan wraps s in a code span, with a backtick fence longer than any run inside it, so
// that s cannot end it early; s is escaped (Escape), so it has no line break either. In a
// table cell, pipes are escaped too (GFM splits cells before reading code spans).
func codeSpan(s string, cell bool) string {
	s = Escape(s)
	if cell {
		s = strings.ReplaceAll(s, "|", `\|`)
	}
	fence := strings.Repeat("`", longestRun(s, '`')+1)
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") || (strings.HasPrefix(s, " ") && strings.HasSuffix(s, " ") && strings.TrimSpace(s) != "") {
		s = " " + s + " "
	}
	return fence + s + fence
}

func longestRun(s string, c byte) int {
	best, n := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			n++
			best = max(best, n)
		} else {
			n = 0
		}
	}
	return best
}

// fenced puts text in a fenced code block, every line indented by indent (for list items).
func fenced(text, lang, indent string) string {
	fence := strings.Repeat("`", max(3, longestRun(text, '`')+1))
	var b strings.Builder
	b.WriteString(indent + fence + lang + "\n")
	for line := range strings.SplitSeq(text, "\n") {
		if line == "" {
			b.WriteString("\n")
			continue
		}
		b.WriteString(indent + line + "\n")
	}
	b.WriteString(indent + fence + "\n")
	return b.String()
}

// fenceLang is the code block language GitHub highlights a file's lines with.
func fenceLang(file string) string {
	switch strings.ToLower(path.Ext(file)) {
	case ".yml", ".yaml":
		return "yaml"
	case ".json":
		return "json"
	case ".md", ".markdown":
		return "markdown"
	case ".go":
		return "go"
	case ".rs":
		return "rust"
	case ".py":
		return "python"
	case ".jsonnet", ".libsonnet":
		return "jsonnet"
	default:
		return "text"
	}
}

// Excerpts longer than this many bytes (minified JSON) are cut to a window around the column.
const (
	maxExcerpt    = 240
	excerptBefore = 80
)

// excerpt returns the source line at pos, cut around the column when very long and made
// safe by excerptLine; "" for a whole-file position or an unknown line.
func excerpt(pos lint.Pos, source func(string, int) string) string {
	if source == nil || pos.Line <= 0 || pos.File == "" {
		return ""
	}
	line := strings.TrimRight(source(pos.File, pos.Line), " \t\r\n")
	line = strings.ReplaceAll(line, "\r", "")
	line = strings.ReplaceAll(line, "\n", " ")
	if strings.TrimSpace(line) == "" || len(line) <= maxExcerpt {
		if strings.TrimSpace(line) == "" {
			return ""
		}
		return excerptLine(line)
	}
	start := max(0, min(pos.Col-1, len(line))-excerptBefore)
	end := min(len(line), start+maxExcerpt)
	for start > 0 && !utf8.RuneStart(line[start]) {
		start--
	}
	for end < len(line) && !utf8.RuneStart(line[end]) {
		end++
	}
	out := excerptLine(line[start:end])
	if start > 0 {
		out = "…" + out
	}
	if end < len(line) {
		out += "…"
	}
	return out
}

// escapeMarkdown escapes s so that GitHub renders it as the literal text: inline markup
// characters get a backslash (an underscore only where it could start or end emphasis),
// lines that would start a block (heading, list, quote, setext underline) are defused, and
// line breaks become hard breaks.
func escapeMarkdown(s string) string {
	s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
	lines := strings.Split(s, "\n")
	for i, line := range lines {
		lines[i] = escapeMarkdownLine(strings.TrimLeft(line, " \t"))
	}
	return strings.Join(lines, "\\\n")
}

func escapeMarkdownLine(line string) string {
	var b strings.Builder
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch c {
		case '\\', '`', '*', '[', ']', '<', '>', '|', '&', '~', '$':
			b.WriteByte('\\')
		case '_':
			if i == 0 || i == len(line)-1 || !isWordByte(line[i-1]) || !isWordByte(line[i+1]) {
				b.WriteByte('\\')
			}
		case '#', '+', '-', '=', ':':
			if i == 0 { // ':' so that no output line begins with "::", a GitHub workflow command
				b.WriteByte('\\')
			}
		case '.', ')':
			if i > 0 && allDigits(line[:i]) {
				b.WriteByte('\\')
			}
		}
		b.WriteByte(c)
	}
	return b.String()
}

// isWordByte reports whether c can be inside a word for GFM's intraword underscore rule
// (any non-ASCII byte counts, as letters there do).
func isWordByte(c byte) bool {
	return c >= 0x80 || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

func allDigits(s string) bool {
	if s == "" || len(s) > 9 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// docMarkdown renders a rule's plain-text documentation as Markdown: paragraphs indented by
// four spaces (the examples) become fenced code blocks, and the other paragraphs are escaped
// line by line, keeping list items.
func docMarkdown(doc string) string {
	doc = strings.ReplaceAll(strings.TrimSpace(doc), "\r\n", "\n")
	var out []string
	for para := range strings.SplitSeq(doc, "\n\n") {
		para = strings.Trim(para, "\n")
		if para == "" {
			continue
		}
		lines := strings.Split(para, "\n")
		if isIndentedBlock(lines) {
			out = append(out, strings.TrimSuffix(fenced(dedent(lines), "", ""), "\n"))
			continue
		}
		for i, line := range lines {
			trimmed := strings.TrimLeft(line, " ")
			indent := line[:len(line)-len(trimmed)]
			if rest, ok := strings.CutPrefix(trimmed, "- "); ok {
				lines[i] = indent + "- " + escapeMarkdownLine(rest)
				continue
			}
			lines[i] = indent + escapeMarkdownLine(trimmed)
		}
		out = append(out, strings.Join(lines, "\n"))
	}
	return strings.Join(out, "\n\n")
}

func isIndentedBlock(lines []string) bool {
	for _, l := range lines {
		if strings.TrimSpace(l) != "" && !strings.HasPrefix(l, "    ") && !strings.HasPrefix(l, "\t") {
			return false
		}
	}
	return true
}

// dedent removes the indentation common to every non-blank line.
func dedent(lines []string) string {
	common := -1
	for _, l := range lines {
		if strings.TrimSpace(l) == "" {
			continue
		}
		n := len(l) - len(strings.TrimLeft(l, " \t"))
		if common < 0 || n < common {
			common = n
		}
	}
	out := make([]string, len(lines))
	for i, l := range lines {
		if len(l) >= common && common > 0 {
			out[i] = l[common:]
		} else {
			out[i] = strings.TrimLeft(l, " \t")
		}
	}
	return strings.Join(out, "\n")
}
