package report

import (
	"bytes"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"

	"github.com/driftlint/driftlint/lint"
)

// Reaudit prints today's run res against an earlier one (against names it), as c sorts
// their findings: fixed, still open and new. text, markdown and json have a shape of their
// own; every other format prints the still open and new findings as check would.
// opts.MaxFindings caps each group of text and markdown (json lists every finding).
func Reaudit(w io.Writer, format, against string, c lint.Comparison, res *lint.Result, opts Options) error {
	ra := &reaudit{against: against, c: c, res: res}
	switch format {
	case "text":
		return ra.text(w, opts)
	case "markdown":
		return ra.markdown(w, opts)
	case "json":
		return ra.json(w)
	default:
		cur := *res
		cur.Findings = lint.SortFindings(slices.Concat(c.Open, c.New))
		return Print(w, format, &cur, opts)
	}
}

type reaudit struct {
	against string
	c       lint.Comparison
	res     *lint.Result // the current run
}

type reauditGroup struct {
	name, title string // for text and Markdown
	findings    []lint.Finding
}

func (ra *reaudit) groups() []reauditGroup {
	fixed := make([]lint.Finding, 0, len(ra.c.Fixed))
	for _, e := range ra.c.Fixed {
		fixed = append(fixed, e.Finding())
	}
	return []reauditGroup{
		{"fixed", "Fixed", fixed},
		{"still open", "Still open", ra.c.Open},
		{"new", "New", ra.c.New},
	}
}

func (ra *reaudit) totals() string {
	return fmt.Sprintf("%d fixed, %d still open, %d new", len(ra.c.Fixed), len(ra.c.Open), len(ra.c.New))
}

func (ra *reaudit) now() string {
	s := ra.res.Summary
	return fmt.Sprintf("%d %s (%d %s, %d %s, %d info) in %d %s", s.Findings, plural(s.Findings, "finding"),
		s.Error, plural(s.Error, "error"), s.Warning, plural(s.Warning, "warning"), s.Info, s.Files, plural(s.Files, "file"))
}

// text prints each group as check's text output under a heading, then the totals unless
// opts.Quiet.
func (ra *reaudit) text(w io.Writer, opts Options) error {
	var b bytes.Buffer
	groupOpts := opts
	groupOpts.Quiet = true
	for i, g := range ra.groups() {
		if i > 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "%s (%d):\n", g.name, len(g.findings))
		if err := Text(&b, &lint.Result{Findings: g.findings}, groupOpts); err != nil {
			return err
		}
	}
	if !opts.Quiet {
		fmt.Fprintf(&b, "\n%s against %s; now %s\n", ra.totals(), Escape(ra.against), ra.now())
	}
	_, err := w.Write(b.Bytes())
	return err
}

// markdown prints the re-audit report a person reads: totals, a table by rule, and a
// section per group; it stays within MarkdownLimit bytes, and opts.MaxFindings caps each group.
func (ra *reaudit) markdown(w io.Writer, opts Options) error {
	var b strings.Builder
	b.WriteString("# driftlint re-audit\n\n")
	fmt.Fprintf(&b, "Against %s: **%d fixed**, **%d still open**, **%d new**. Now %s.\n",
		codeSpan(ra.against, false), len(ra.c.Fixed), len(ra.c.Open), len(ra.c.New), ra.now())
	groups := ra.groups()
	byRule := map[string]*[3]int{}
	for i, g := range groups {
		for _, f := range g.findings {
			n := byRule[f.Rule]
			if n == nil {
				n = &[3]int{}
				byRule[f.Rule] = n
			}
			n[i]++
		}
	}
	ids := make([]string, 0, len(byRule))
	for id := range byRule {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	if len(ids) > 0 {
		b.WriteString("\n| Rule | Fixed | Still open | New |\n| --- | ---: | ---: | ---: |\n")
		for _, id := range ids {
			n := byRule[id]
			fmt.Fprintf(&b, "| %s | %d | %d | %d |\n", codeSpan(id, true), n[0], n[1], n[2])
		}
		fmt.Fprintf(&b, "| **Total** | **%d** | **%d** | **%d** |\n", len(ra.c.Fixed), len(ra.c.Open), len(ra.c.New))
	}
	oneLine := func(s string) string { return escapeMarkdownLine(Escape(strings.Join(strings.Fields(s), " "))) }
	// Each group lists its findings while the report stays within MarkdownLimit (keeping room
	// for the headings and counts still to come) and within opts.MaxFindings; a line counts
	// the rest.
	const tail = 120 // the most a group heading or a "not shown" line takes
	var item strings.Builder
	for gi, g := range groups {
		fmt.Fprintf(&b, "\n## %s (%d)\n\n", g.title, len(g.findings))
		if len(g.findings) == 0 {
			b.WriteString("None.\n")
			continue
		}
		reserve := tail * (2*(len(groups)-gi) + 1)
		for i, f := range g.findings {
			item.Reset()
			sev := ""
			if f.Severity != 0 {
				sev = "**" + f.Severity.String() + "** "
			}
			fmt.Fprintf(&item, "- %s %s%s (%s)\n", codeSpan(f.Pos.String(), false), sev, oneLine(f.Message), codeSpan(f.Rule, false))
			for _, r := range f.Related {
				fmt.Fprintf(&item, "  - %s %s\n", codeSpan(r.Pos.String(), false), oneLine(r.Message))
			}
			if opts.MaxFindings > 0 && i >= opts.MaxFindings || b.Len()+item.Len()+reserve > MarkdownLimit {
				fmt.Fprintf(&b, "\n%s not shown.\n", count(len(g.findings)-i, "more finding"))
				break
			}
			b.WriteString(item.String())
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// json prints {"version", "against", "fixed", "still_open", "new", "summary"}; each finding
// has the shape of check --format json.
func (ra *reaudit) json(w io.Writer) error {
	g := ra.groups()
	type summary struct {
		Fixed     int `json:"fixed"`
		StillOpen int `json:"still_open"`
		New       int `json:"new"`
		lint.Summary
	}
	return encodeJSON(w, struct {
		Version   int           `json:"version"`
		Against   string        `json:"against"`
		Fixed     []jsonFinding `json:"fixed"`
		StillOpen []jsonFinding `json:"still_open"`
		New       []jsonFinding `json:"new"`
		Summary   summary       `json:"summary"`
	}{
		1, ra.against, jsonFindings(g[0].findings), jsonFindings(g[1].findings), jsonFindings(g[2].findings),
		summary{len(ra.c.Fixed), len(ra.c.Open), len(ra.c.New), ra.res.Summary},
	})
}
