package lint

import (
	"fmt"
	"strings"
)

// Needs says which inputs a rule reads; a rule whose inputs are all absent is skipped.
type Needs uint

// The inputs a rule can need.
const (
	NeedQueries Needs = 1 << iota
	NeedRules
	NeedRunbooks
	NeedMetricsDocs
	NeedDashboards
	NeedExpositions
	NeedHealth
	NeedFiles
)

// String lists the needed inputs, for --verbose.
func (n Needs) String() string {
	names := []string{"queries", "rules", "runbooks", "metrics docs", "dashboards", "expositions", "health", "files"}
	var out []string
	for i, s := range names {
		if n&(1<<i) != 0 {
			out = append(out, s)
		}
	}
	return strings.Join(out, ", ")
}

// Rule is one check: data plus a function, in the style of go/analysis.
type Rule struct {
	ID       string   // stable kebab-case id with a category: "promql/syntax"
	Summary  string   // one line, lower-case, no period
	Doc      string   // why the drift matters, with a bad and a good example
	Severity Severity // default; config can change it
	Needs    Needs    // all of these must be present (0: always runs)
	Run      func(*Pass) error
	// Heavy rules start before the others, so that the longest one (or the one that builds
	// an index the others share) does not run alone at the end of a run.
	Heavy bool
}

// Pass is one rule's run over a project.
type Pass struct {
	Rule     *Rule
	Project  *Project
	findings []Finding
}

// Report records a finding; the runner fills in the rule, severity and fingerprint.
func (p *Pass) Report(f Finding) {
	p.findings = append(p.findings, f)
}

// FoldSame merges the pass's findings that share a non-empty key into the first of them: one
// root cause reported at several places (the two sides of a division, a label in a by() and
// in the legend) is one finding, the other places its related positions, each with related(f).
func (p *Pass) FoldSame(key func(Finding) string, related func(Finding) string) {
	first := map[string]int{}
	out := p.findings[:0]
	for _, f := range p.findings {
		k := key(f)
		if k == "" {
			out = append(out, f)
			continue
		}
		if i, ok := first[k]; ok {
			out[i].Related = append(out[i].Related, Related{Pos: f.Pos, Message: related(f)})
			continue
		}
		first[k] = len(out)
		out = append(out, f)
	}
	p.findings = out
}

// Reportf records a finding at pos about subject.
func (p *Pass) Reportf(pos Pos, subject Subject, format string, args ...any) {
	p.Report(Finding{Pos: pos, Subject: subject, Message: fmt.Sprintf(format, args...)})
}

// Has reports whether the project has every input in n.
func (p *Project) Has(n Needs) bool {
	has := NeedFiles
	if len(p.Queries) > 0 {
		has |= NeedQueries
	}
	if len(p.Rules) > 0 {
		has |= NeedRules
	}
	for _, m := range p.Markdown {
		if m.Runbook {
			has |= NeedRunbooks
		}
		if m.MetricsDoc {
			has |= NeedMetricsDocs
		}
	}
	if len(p.Dashboards) > 0 {
		has |= NeedDashboards
	}
	if len(p.Expositions) > 0 || len(p.Exporters) > 0 || len(p.KnownCovers) > 0 {
		// A catalogued exporter, and a live Prometheus (known_metrics url entries, their
		// snapshots), are the truth for the name spaces they cover, as a scrape is.
		has |= NeedExpositions
	}
	if len(p.Health) > 0 {
		has |= NeedHealth
	}
	return has&n == n
}
