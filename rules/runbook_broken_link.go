package rules

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/driftlint/driftlint/lint"
	"github.com/driftlint/driftlint/lint/runbook"
)

// RunbookBrokenLink reports runbook_url annotations and runbook links to missing files or
// anchors.
var RunbookBrokenLink = &lint.Rule{
	ID:      "runbook/broken-link",
	Summary: "runbook_url or runbook link to a missing file or heading anchor",
	Doc: `An alert's runbook_url is the first thing the person paged clicks. When the runbook was
renamed, or the heading it points to was reworded, the link lands on a 404 or on the top of
a long page, in the middle of an incident.

Checked: every runbook_url annotation, and every relative link inside a runbook (links to
other runbooks and to their sections). A relative runbook_url is resolved against the rule
file's folder and, failing that, the project root; a link inside a runbook against the
runbook's folder. An absolute URL under a runbook_urls prefix of the config is a page of the
mapped local folder, published as static-site generators publish Markdown: without the .md
extension, in any letter case, a folder URL showing its _index.md, index.md or README.md:

    runbook_urls:
      - prefix: https://runbooks.example.com/runbooks/
        path: content/runbooks

A runbook_urls prefix may also be a template rendered at deploy time, mapped to a file or a
folder; the page and anchor after it are checked (white space inside the template ignored):

    runbook_urls:
      - prefix: "[[ .RunbookURL ]]"
        path: operator/docs/sop.md

Folders listed in doc_sites are a documentation site (Hugo, Docusaurus): a page a/b.md is
served at a/b/ and a/_index.md or a/index.md at a/, so a link ../x/ in a/b.md is a/x (a/x.md,
a/x/index.md or a/x/_index.md); a link under the site's url_prefix (a <NAME> segment such as
<VERSION> matches any one segment) resolves under its root, and any other site-absolute link
(/docs/other-product/) is another part of the site, never reported:

    doc_sites:
      - root: docs/sources
        url_prefix: /docs/loki/<VERSION>/

Other absolute URLs (another site, mailto:) and other templated URLs are never fetched and
never reported. An anchor (#section) must be produced by a heading of the target Markdown file:
its GitHub slug (duplicates get -1, -2), an explicit {#id}, or an <a name>/<a id>; anchors
are compared lower-case, as GitHub writes them.

Bad (the heading is "## Kafka error rate high", whose anchor is #kafka-error-rate-high):

    runbook_url: docs/RUNBOOK.md#high-kafka-error-rate

Good:

    runbook_url: docs/RUNBOOK.md#kafka-error-rate-high`,
	Severity: lint.Error,
	Needs:    lint.NeedFiles,
	Run:      runRunbookBrokenLink,
}

func runRunbookBrokenLink(pass *lint.Pass) error {
	p := pass.Project
	ix := runbook.For(p)
	// "Did you mean" costs an edit distance per anchor: a budget keeps huge projects fast.
	budget := rbSuggestBudget
	for _, r := range p.Rules {
		kv := r.Annotation("runbook_url")
		if kv == nil || r.File == nil || strings.TrimSpace(kv.Value.Value) == "" {
			continue
		}
		link := kv.Value.Value
		t := ix.Resolve(link, r.File.Path, true)
		what := fmt.Sprintf("runbook_url of %s %q", rbKindWord(r.Kind), r.Name)
		subject := rbSubjectFor(r, "")
		rbReportLink(pass, ix, &budget, t, link, what, subject, kv.Value.StartPos(), kv.Value.Pos(max(t.FragmentAt, 0)))
	}
	for _, m := range p.Markdown {
		if !m.Runbook || m.File == nil {
			continue
		}
		for _, l := range m.Links {
			t := ix.Resolve(l.Target, m.File.Path, false)
			what := "runbook link"
			rbReportLink(pass, ix, &budget, t, l.Target, what, lint.Subject{}, l.At, rbFragmentPos(m.File, l, t.FragmentAt))
		}
	}
	return nil
}

// rbFragmentPos returns the position of byte i of a Markdown link destination, when the
// destination is written verbatim at the link's position; else the link's position.
func rbFragmentPos(f *lint.SourceFile, l lint.Link, i int) lint.Pos {
	if i < 0 || l.At.Line < 1 {
		return l.At
	}
	off := f.Offset(l.At)
	if off < 0 || off > len(f.Src) || !bytes.HasPrefix(f.Src[off:], []byte(l.Target)) {
		return l.At
	}
	return f.Pos(off + i)
}

// rbReportLink reports a link that resolved to a missing file or anchor. at is the link's
// position, fragAt the position of its anchor; budget is what is left of the edit distances
// that suggestions may compute.
func rbReportLink(pass *lint.Pass, ix *runbook.Index, budget *int, t runbook.Target, link, what string, subject lint.Subject, at, fragAt lint.Pos) {
	switch t.Status {
	case runbook.Missing:
		subject.File = t.Path
		f := lint.Finding{Pos: at, Subject: subject}
		switch {
		case t.Unpublished != "":
			f.Message = fmt.Sprintf("%s points to %s, but the page %s has no .md extension, so the site does not publish it", what, rbShorten(link), t.Unpublished)
			f.Related = []lint.Related{{Pos: lint.Pos{File: t.Unpublished}, Message: "the page without .md extension"}}
		case t.Site:
			f.Message = fmt.Sprintf("%s points to %s, but there is no runbook page %s (letter case ignored)", what, rbShorten(link), t.Path)
		default:
			f.Message = fmt.Sprintf("%s points to %s, but %s", what, rbShorten(link), rbNotExist(t.Tried))
		}
		if n := ix.SuggestCost(t); t.Unpublished == "" && *budget >= n {
			*budget -= n
			if s := ix.SuggestFile(t); s != "" {
				f.Message += fmt.Sprintf(" (did you mean %s?)", s)
				f.Related = append(f.Related, lint.Related{Pos: lint.Pos{File: s}, Message: "a file with a close name"})
			}
		}
		pass.Report(f)
	case runbook.Found:
		if t.Fragment == "" || t.Markdown == nil {
			return // not a loaded Markdown file: its anchors are unknown
		}
		if ix.Anchor(t.Markdown, t.Fragment) {
			return
		}
		subject.File = t.Path
		f := lint.Finding{
			Pos:     fragAt,
			Subject: subject,
			Message: fmt.Sprintf("%s points to anchor #%s, but no heading in %s has that anchor", what, t.Fragment, t.Path),
			Related: []lint.Related{{Pos: lint.Pos{File: t.Path}, Message: "the linked runbook"}},
		}
		var suggest string
		var sat lint.Pos
		if n := ix.AnchorCount(t.Markdown); *budget >= n {
			*budget -= n
			suggest, sat = ix.SuggestAnchor(t.Markdown, t.Fragment)
		}
		if suggest != "" {
			f.Message += fmt.Sprintf(" (did you mean #%s?)", suggest)
			f.Related = []lint.Related{{Pos: sat, Message: fmt.Sprintf("anchor #%s is declared here", suggest)}}
		}
		pass.Report(f)
	default: // External and Unknown links are never reported
	}
}

// rbNotExist says that the paths looked for do not exist.
func rbNotExist(paths []string) string {
	switch len(paths) {
	case 0:
		return "the file does not exist"
	case 1:
		return paths[0] + " does not exist"
	default:
		return "neither " + strings.Join(paths[:len(paths)-1], ", ") + " nor " + paths[len(paths)-1] + " exists"
	}
}

// rbShorten keeps long URLs readable in messages.
func rbShorten(s string) string { return truncate(s, 120) }
