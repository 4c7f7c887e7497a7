package rules_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/driftlint/driftlint/lint"
	"github.com/driftlint/driftlint/lint/linttest"
	"github.com/driftlint/driftlint/lint/runbook"
	"github.com/driftlint/driftlint/rules"
)

// rbRunWithFiles runs rules over a fixture tree like linttest.Run, after filling the project's
// list of files on disk when the loader has not (runbook/broken-link needs it to tell a
// missing file from a file that is merely not loaded).
func rbRunWithFiles(t *testing.T, dir string, rs ...*lint.Rule) {
	t.Helper()
	p := linttest.Load(t, dir)
	if p.KnownPaths == nil {
		var ignore []string
		if p.Config != nil {
			ignore = p.Config.Ignore
		}
		known, err := runbook.ListFiles(p.Root, ignore)
		if err != nil {
			t.Fatal(err)
		}
		p.KnownPaths = known
	}
	res := lint.Run(p, rs, lint.RunOptions{})
	for _, err := range res.Internal {
		t.Errorf("%v", err)
	}
	wants, err := linttest.Expectations(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, msg := range linttest.Check(res.Findings, wants, linttest.Rules(rs)) {
		t.Error(msg)
	}
}

func TestRunbookBrokenLink(t *testing.T) {
	rbRunWithFiles(t, "../fixtures/runbook-broken-link", rules.RunbookBrokenLink)
}

// Without the list of files on disk, a link to a file that is not loaded is never reported:
// it may exist. Anchors of loaded runbooks are still checked.
func TestRunbookBrokenLinkWithoutFileList(t *testing.T) {
	p := linttest.Load(t, "../fixtures/runbook-broken-link")
	p.KnownPaths = nil
	res := lint.Run(p, []*lint.Rule{rules.RunbookBrokenLink}, lint.RunOptions{})
	var got []string
	for _, f := range res.Findings {
		got = append(got, f.Pos.String())
	}
	want := []string{
		"deploy/prometheus-rules.yaml:16:45", // #under-replicated
		"docs/RUNBOOK.md:35:38",              // #restart-the-pod
		"docs/RUNBOOK.md:37:31",              // #erors
		"docs/ops/OTHER.md:9:77",             // #high-kafka-error-rate
		"monitoring/alerts.yml:14:40",        // #high-kafka-error-rate
		"monitoring/alerts.yml:26:44",        // #errors-2
		"monitoring/alerts.yml:63:96",        // #mitigations
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("findings (-want +got):\n%s", d)
	}
}

// Templated runbook URLs mapped by runbook_urls, and links between the pages of a doc site.
func TestRunbookBrokenLinkTemplatedAndSiteLinks(t *testing.T) {
	rbRunWithFiles(t, "../fixtures/runbook-templated-links", rules.RunbookBrokenLink)
}

// Links to a doc site page's old URL, listed in the front matter aliases of a page that is
// not a runbook (Loki's docs: configure/_index.md is also served at configuration/).
func TestRunbookBrokenLinkSiteAliases(t *testing.T) {
	rbRunWithFiles(t, "../fixtures/doc-site-aliases", rules.RunbookBrokenLink)
}
