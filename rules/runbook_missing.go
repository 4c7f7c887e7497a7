package rules

import (
	"fmt"
	"slices"
	"strings"

	"github.com/driftlint/driftlint/lint"
	"github.com/driftlint/driftlint/lint/runbook"
)

// RunbookMissing reports alerts without a runbook and runbook alert copies without a rule.
var RunbookMissing = &lint.Rule{
	ID:      "runbook/missing",
	Summary: "an alert with no runbook, or a runbook section for no alert",
	Doc: `Every alert that can page someone needs instructions: a runbook_url annotation, or a
section of a runbook named after it. The other way round, a runbook section that quotes an
alert no rule defines any more explains an alert that cannot fire: the alert was renamed or
deleted and the runbook kept the old one.

Reported, only when the project has runbooks:
- an alerting rule with neither a non-empty runbook_url annotation nor a runbook section:
  a heading whose text, or one of its words, is the alert name (letter case ignored), an
  anchor equal to the name or its slug ({#highkafkaerrorrate}, <a name=…>), a runbook file
  named after the alert (runbooks/HighKafkaErrorRate.md), or a yaml copy of the alert;
- a yaml copy of an alert (or recording rule) in a runbook whose name no rule defines, at
  the copy's name.
A missing alert's message suggests a heading that is its name with a typo, or its CamelCase
words (LokiRequestErrors → "Loki Request Errors"). Whether a runbook_url resolves is
runbook/broken-link's business.

Bad (no runbook_url, and no runbook heading mentions the alert):

    - alert: DashStreamSelfImprovementStalled
      expr: sum(increase(dashstream_self_improvement_triggers_total[6h])) == 0

Good:

    - alert: DashStreamSelfImprovementStalled
      expr: sum(increase(dashstream_self_improvement_triggers_total[6h])) == 0
      annotations:
        runbook_url: docs/RUNBOOK.md#dashstreamselfimprovementstalled`,
	Severity: lint.Warning,
	Needs:    lint.NeedRules | lint.NeedRunbooks,
	Run:      runRunbookMissing,
}

// rbSuggestBudget bounds the edit distances computed for "did you mean" suggestions.
const rbSuggestBudget = 1_000_000

func runRunbookMissing(pass *lint.Pass) error {
	p := pass.Project
	secs := runbook.SectionsFor(p)
	var missing []*lint.RuleEntry
	for _, r := range p.Rules {
		if r.Kind != lint.AlertRule {
			continue
		}
		if kv := r.Annotation("runbook_url"); kv != nil && strings.TrimSpace(kv.Value.Value) != "" {
			continue
		}
		if _, ok := secs.Find(r.Name); !ok {
			missing = append(missing, r)
		}
	}
	// "Did you mean" costs an edit distance per heading: skip it on huge projects.
	suggest := len(missing)*secs.Len() <= rbSuggestBudget
	for _, r := range missing {
		f := lint.Finding{
			Pos:     r.NameAt,
			Subject: lint.Subject{Alert: r.Name},
			Message: fmt.Sprintf("alert %q has no runbook_url annotation and no runbook section named after it", r.Name),
		}
		if suggest {
			if h, ok := secs.Suggest(r.Name); ok {
				f.Message += fmt.Sprintf(" (did you mean the section %q?)", h.Text)
				f.Related = []lint.Related{{Pos: h.At, Message: fmt.Sprintf("section %q", h.Text)}}
			}
		}
		pass.Report(f)
	}
	defs := rbRulesByName(p.Rules)
	var names map[lint.RuleKind][]string // sorted names per kind, for suggestions
	for _, c := range p.RunbookAlerts {
		if len(defs[rbRuleKey{c.Kind, c.Name}]) > 0 {
			continue
		}
		what := rbKindWord(c.Kind)
		f := lint.Finding{
			Pos:     c.NameAt,
			Subject: rbSubjectFor(c, ""),
			Message: fmt.Sprintf("runbook section quotes %s %q, which no rule file defines", what, c.Name),
		}
		if names == nil {
			names = map[lint.RuleKind][]string{}
			for k := range defs {
				names[k.kind] = append(names[k.kind], k.name)
			}
			for _, v := range names {
				slices.Sort(v)
			}
		}
		if len(names[c.Kind]) > rbSuggestBudget/64 {
			pass.Report(f)
			continue
		}
		if s := runbook.Typo(c.Name, names[c.Kind]); s != "" {
			r := defs[rbRuleKey{c.Kind, s}][0]
			f.Message += fmt.Sprintf(" (did you mean %q?)", s)
			f.Related = []lint.Related{{Pos: r.NameAt, Message: fmt.Sprintf("%s %q is defined here", what, s)}}
		}
		pass.Report(f)
	}
	return nil
}
