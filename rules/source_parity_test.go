package rules_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/driftlint/driftlint/lint"
	"github.com/driftlint/driftlint/lint/linttest"
	"github.com/driftlint/driftlint/lint/load"
	"github.com/driftlint/driftlint/rules"
)

// parityRules are the rules whose findings the emitter's code must give as a scrape does,
// in addition to every registered rule.
func parityRules() []*lint.Rule {
	out := rules.All()
	for _, r := range []*lint.Rule{
		rules.MetricUnknown, rules.LabelUnknown, rules.DocsStaleMetric, rules.DocsLabelsMismatch,
		rules.DocsTypeMismatch, rules.DocsUndocumentedMetric,
	} {
		if !slices.ContainsFunc(out, func(x *lint.Rule) bool { return x.ID == r.ID }) {
			out = append(out, r)
		}
	}
	return out
}

// sourceParityPending lists rules that still read a family's labels from its samples alone
// (len(f.Samples) > 0) instead of lint.Family.LabelsKnown, so that on code, whose families
// have no samples, they miss their label findings. Their differences are logged, not failed;
// once a rule uses LabelsKnown the test fails until its entry is removed.
var sourceParityPending = map[string]string{}

// parityKeys runs rs over the project of config and keys each finding by rule, subject and
// position, the position replaced by "(truth)" when it is in the truth itself (the scrape or
// the code), which differs between the projects.
func parityKeys(t *testing.T, config string, rs []*lint.Rule) []string {
	t.Helper()
	cfg, err := lint.LoadConfig(config, lint.ConfigOptions{})
	if err != nil {
		t.Fatal(err)
	}
	p, err := load.Project(cfg, load.Options{})
	if err != nil {
		t.Fatal(err)
	}
	res := lint.Run(p, rs, lint.RunOptions{})
	for _, err := range res.Internal {
		t.Error(err)
	}
	var keys []string
	for _, f := range res.Findings {
		at := f.Pos.String()
		if strings.HasPrefix(f.Pos.File, "code/") || strings.HasPrefix(f.Pos.File, "scrape/") {
			at = "(truth)"
		}
		s := f.Subject
		keys = append(keys, fmt.Sprintf("%s %s metric=%s label=%s field=%s alert=%s", at, f.Rule, s.Metric, s.Label, s.Field, s.Alert))
	}
	slices.Sort(keys)
	return keys
}

// byRule keeps the keys of one rule.
func byRule(keys []string, id string) []string {
	var out []string
	for _, k := range keys {
		if strings.Fields(k)[1] == id {
			out = append(out, k)
		}
	}
	return out
}

// A project whose emitter is only source code gets the docs, metric and label findings that
// the same project gets with a scrape, in each language.
func TestSourceParity(t *testing.T) {
	const dir = "../fixtures/source-parity/"
	rs := parityRules()
	// The scraped project's findings are the expected ones written in the fixture.
	linttest.Run(t, dir, rs...)
	want := parityKeys(t, dir+".driftlint.yaml", rs)
	if len(want) == 0 {
		t.Fatal("the scraped project has no findings: the comparison would prove nothing")
	}
	for _, lang := range []string{"go", "rust", "python"} {
		t.Run(lang, func(t *testing.T) {
			got := parityKeys(t, dir+lang+".driftlint.yaml", rs)
			for _, r := range rs {
				w, g := byRule(want, r.ID), byRule(got, r.ID)
				diff := cmp.Diff(w, g)
				fix, pending := sourceParityPending[r.ID]
				switch {
				case diff != "" && pending:
					t.Logf("%s: pending (%s): code-only findings differ (-scrape +code):\n%s", r.ID, fix, diff)
				case diff != "":
					t.Errorf("%s: code-only findings differ from the scraped project's (-scrape +code):\n%s", r.ID, diff)
				case pending && len(w) > 0:
					t.Errorf("%s now gives the same findings on code: remove it from sourceParityPending", r.ID)
				}
			}
		})
	}
}
