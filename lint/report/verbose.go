package report

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/driftlint/driftlint/lint"
)

// VerboseInfo is what --verbose prints about a run. NewVerboseInfo fills everything but the
// phase durations, which the CLI measures.
type VerboseInfo struct {
	Config string       // the config file used; "" when inputs were discovered
	Inputs []InputCount // loaded inputs by kind
	// Timings says how each rule ran, in registry order (lint.Result.Timings).
	Timings []lint.RuleTiming
	// Missing holds, for each skipped rule, the inputs it needs that the project lacks.
	Missing map[string]lint.Needs
	// Unresolved are the definitions of the sources whose name is not known, and Unchecked
	// the name spaces they leave unchecked.
	Unresolved []lint.UnresolvedDef
	Unchecked  []string

	Load, Rules, Report time.Duration // time per phase
}

// InputCount is one kind of loaded input: how many, with an optional detail.
type InputCount struct {
	Kind   string // "rule files", "dashboards", …
	Count  int
	Detail string // "14 alerts, 3 recording rules"; may be empty
}

// NewVerboseInfo gathers what --verbose reports from a loaded project, the run's result and
// the rules that ran (rules.All()).
func NewVerboseInfo(p *lint.Project, res *lint.Result, rules []*lint.Rule) VerboseInfo {
	info := VerboseInfo{Missing: map[string]lint.Needs{}}
	if p == nil {
		return info
	}
	if p.Config != nil {
		info.Config = p.Config.Path
	}
	info.Inputs = Inputs(p)
	info.Unresolved, info.Unchecked = p.Unresolved(), p.UncheckedSpaces()
	if res != nil {
		info.Timings = res.Timings
	}
	needs := map[string]lint.Needs{}
	for _, r := range rules {
		if r != nil {
			needs[r.ID] = r.Needs
		}
	}
	for _, t := range info.Timings {
		if !t.Skipped {
			continue
		}
		var missing lint.Needs
		for bit := lint.Needs(1); bit != 0 && bit <= needs[t.Rule]; bit <<= 1 {
			if needs[t.Rule]&bit != 0 && !p.Has(bit) {
				missing |= bit
			}
		}
		info.Missing[t.Rule] = missing
	}
	return info
}

// Inputs counts a project's loaded inputs by kind, in a fixed order; kinds with none are
// listed too, so that a missing input shows.
func Inputs(p *lint.Project) []InputCount {
	var alerts, records int
	ruleFiles := map[*lint.SourceFile]bool{}
	for _, r := range p.Rules {
		if r.File != nil {
			ruleFiles[r.File] = true
		}
		if r.Kind == lint.RecordingRule {
			records++
		} else {
			alerts++
		}
	}
	var runbooks, docs int
	for _, m := range p.Markdown {
		if m.Runbook {
			runbooks++
		}
		if m.MetricsDoc {
			docs++
		}
	}
	var targets, variables int
	for _, d := range p.Dashboards {
		targets += len(d.Targets)
		variables += len(d.Variables)
	}
	// Scrapes and the emitter's code are counted apart: code files are no scrape, and the
	// code's line says how much of it could not be read.
	scrapes, codeFiles := 0, 0
	scrapeTargets := map[string]bool{}
	families, codeFamilies := map[string]bool{}, map[string]bool{}
	langs := map[string]bool{}
	unresolved := 0
	for _, e := range p.Expositions {
		if e.Source {
			codeFiles++
			for name := range e.Families {
				codeFamilies[name] = true
			}
			if e.Code != nil {
				langs[e.Code.Lang] = true
				unresolved += len(e.Code.Unresolved)
			}
			continue
		}
		scrapes++
		scrapeTargets[e.Target] = true
		for name := range e.Families {
			families[name] = true
		}
	}
	out := []InputCount{
		{Kind: "files", Count: len(p.Files)},
		{Kind: "rule files", Count: len(ruleFiles), Detail: count(alerts, "alert") + ", " + count(records, "recording rule")},
		{Kind: "runbooks", Count: runbooks, Detail: count(len(p.RunbookAlerts), "alert copy", "alert copies")},
		{Kind: "metrics docs", Count: docs, Detail: count(len(p.DocEntries), "documented metric")},
		{Kind: "dashboards", Count: len(p.Dashboards), Detail: count(targets, "target") + ", " + count(variables, "variable")},
		{Kind: "scrapes", Count: scrapes, Detail: count(len(scrapeTargets), "target") + ", " + count(len(families), "family", "families")},
		{Kind: "health samples", Count: len(p.Health)},
		{Kind: "queries", Count: len(p.Queries)},
		{Kind: "parse problems", Count: len(p.ParseProblems)},
	}
	if codeFiles > 0 {
		detail := strings.Join(slices.Sorted(maps.Keys(langs)), ", ") + "; " + count(len(codeFamilies), "family", "families") + ", " + count(unresolved, "definition") + " not read"
		out = slices.Insert(out, 6, InputCount{Kind: "code files", Count: codeFiles, Detail: detail})
	}
	if len(p.Foreign) > 0 {
		out = append(out, InputCount{Kind: "not PromQL", Count: len(p.Foreign), Detail: foreignDetail(p.Foreign)})
	}
	return out
}

// foreignDetail counts the queries left unread by language, most first: "3 logql, 1
// elasticsearch".
func foreignDetail(fs []lint.ForeignQuery) string {
	n := map[string]int{}
	var langs []string
	for _, f := range fs {
		if n[f.Language] == 0 {
			langs = append(langs, f.Language)
		}
		n[f.Language]++
	}
	slices.SortStableFunc(langs, func(a, b string) int {
		if n[a] != n[b] {
			return n[b] - n[a]
		}
		return strings.Compare(a, b)
	})
	parts := make([]string, len(langs))
	for i, l := range langs {
		parts[i] = strconv.Itoa(n[l]) + " " + Escape(l)
	}
	return strings.Join(parts, ", ")
}

// count formats n with a word, pluralized by adding s unless a plural form is given.
func count(n int, word string, pluralForm ...string) string {
	if n == 1 {
		return "1 " + word
	}
	if len(pluralForm) > 0 {
		return strconv.Itoa(n) + " " + pluralForm[0]
	}
	return strconv.Itoa(n) + " " + word + "s"
}

// Verbose prints what a run loaded, which rules it skipped or had disabled and why, and the
// time each phase took. The output is deterministic except for the durations. Names from
// inputs (the config path, rule ids) are escaped (Escape).
//
//	config: .driftlint.yaml
//	inputs:
//	  files           9
//	  rule files      2  (14 alerts, 3 recording rules)
//	  …
//	rules: 12 ran, 1 skipped for missing inputs, 1 disabled
//	  skipped   health/invariant          needs health
//	  disabled  docs/undocumented-metric
//	time: load 41.2ms, rules 12.1ms, report 900µs, total 54.2ms
func Verbose(w io.Writer, info VerboseInfo) error {
	var b strings.Builder
	if info.Config != "" {
		b.WriteString("config: " + Escape(info.Config) + "\n")
	} else {
		b.WriteString("config: none (inputs discovered)\n")
	}
	b.WriteString("inputs:\n")
	width, numWidth := 0, 0
	for _, in := range info.Inputs {
		width = max(width, len(in.Kind))
		numWidth = max(numWidth, len(strconv.Itoa(in.Count)))
	}
	for _, in := range info.Inputs {
		line := fmt.Sprintf("  %-*s  %*d", width, in.Kind, numWidth, in.Count)
		if in.Detail != "" {
			line += "  (" + in.Detail + ")"
		}
		b.WriteString(line + "\n")
	}

	var ran, skipped, disabled []lint.RuleTiming
	for _, t := range info.Timings {
		switch {
		case t.Disabled:
			disabled = append(disabled, t)
		case t.Skipped:
			skipped = append(skipped, t)
		default:
			ran = append(ran, t)
		}
	}
	fmt.Fprintf(&b, "rules: %d ran, %d skipped for missing inputs, %d disabled\n", len(ran), len(skipped), len(disabled))
	width = 0
	for _, t := range skipped {
		width = max(width, len(Escape(t.Rule)))
	}
	for _, t := range skipped {
		line := fmt.Sprintf("  skipped   %-*s", width, Escape(t.Rule))
		if m := info.Missing[t.Rule]; m != 0 {
			line += "  needs " + m.String()
		}
		b.WriteString(strings.TrimRight(line, " ") + "\n")
	}
	for _, t := range disabled {
		b.WriteString("  disabled  " + Escape(t.Rule) + "\n")
	}
	if len(info.Unresolved) > 0 {
		fmt.Fprintf(&b, "sources: %s not read\n", count(len(info.Unresolved), "metric definition"))
		for _, u := range info.Unresolved {
			fmt.Fprintf(&b, "  %s  %s: %s\n", textPos(u.At), Escape(u.Pattern), Escape(u.Reason))
		}
		if len(info.Unchecked) > 0 {
			b.WriteString("  unchecked name spaces: " + Escape(strings.Join(info.Unchecked, ", ")) + "\n")
		}
	}
	fmt.Fprintf(&b, "time: load %s, rules %s, report %s, total %s\n",
		roundDuration(info.Load), roundDuration(info.Rules), roundDuration(info.Report), roundDuration(info.Load+info.Rules+info.Report))
	_, err := io.WriteString(w, b.String())
	return err
}

// roundDuration keeps three significant digits or so: 41.2ms, 900µs, 1.25s.
func roundDuration(d time.Duration) string {
	switch {
	case d >= time.Second:
		return d.Round(10 * time.Millisecond).String()
	case d >= time.Millisecond:
		return d.Round(100 * time.Microsecond).String()
	case d >= time.Microsecond:
		return d.Round(time.Microsecond).String()
	default:
		return d.String()
	}
}
