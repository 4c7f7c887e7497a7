package rules

import (
	"fmt"
	"path"
	"strings"

	"github.com/driftlint/driftlint/lint"
)

// SourceUnresolved reports metric definitions in the emitter's code whose name driftlint
// cannot work out.
var SourceUnresolved = &lint.Rule{
	ID:      "source/unresolved",
	Summary: "a metric defined in the code with a name computed at run time",
	Doc: `When the emitter's code (sources:) is the truth for its metrics, every metric name must
be readable from the code: a string literal, a constant of the package (Go) or file (Rust,
Python), or a concatenation of them. A name taken from a variable, a loop over names, a
parameter, or built by fmt.Sprintf, format! or an f-string with run-time values is never
guessed. The definition is reported here, for information, and the names it can produce (a
glob of its constant parts, such as app_*_seconds) are excused: queries and docs of names
matching it are unverified rather than unknown, and a scrape exporting them is not reported by
source/exposition-mismatch. A definition of whose name nothing is known (the glob is * or
only its type's suffix) excuses nothing, so that one such definition cannot switch
metric/unknown off. The finding is a warning when the glob leaves a whole name space
unchecked (app_*, *_seconds), else information. Either way, the fix is to declare what the
definition defines, in a comment on or just above it (// in Go and Rust, # in Python):

    // driftlint:metric app_jobs_total counter job,queue

or to list the names in a known_metrics file (a name the definition's glob matches, or the
glob itself), which then counts as the declaration: the finding goes.

Bad (driftlint cannot tell which counters exist):

    for _, stage := range stages {
        promauto.NewCounter(prometheus.CounterOpts{Name: "pipeline_" + stage + "_total"})
    }

Good (one family, the stage as a label):

    var stageTotal = promauto.NewCounterVec(prometheus.CounterOpts{
        Name: "pipeline_stage_total", Help: "Items through each stage.",
    }, []string{"stage"})`,
	Severity: lint.Info,
	Needs:    lint.NeedExpositions,
	Run:      runSourceUnresolved,
}

func runSourceUnresolved(pass *lint.Pass) error {
	for _, e := range pass.Project.Expositions {
		if !e.Source || e.Code == nil {
			continue
		}
		comment := "//"
		if e.Code.Lang == "python" {
			comment = "#"
		}
		for _, u := range e.Code.Unresolved {
			if declaredKnown(pass.Project, u.Pattern) {
				continue // the known_metrics files say what it defines, as the message asks
			}
			f := lint.Finding{Pos: u.At, Subject: lint.Subject{Metric: u.Pattern}}
			declare := fmt.Sprintf("declare what it defines with a `%s driftlint:metric NAME [TYPE] [LABEL,…]` comment on or above this line, or list the names in a known_metrics file", comment)
			// What is not known: the name, or the prefix a registerer adds to a name the
			// code spells out (Mimir: "the name is not a constant" read as wrong there).
			notConst := viaName(u.Via) + " is not a constant"
			if strings.HasPrefix(u.Reason, "the registerer ") {
				notConst = "the prefix the registerer adds to " + viaName(u.Via) + " is not known"
			}
			switch {
			case !lint.Excusing(u.Pattern):
				f.Message = fmt.Sprintf("%s (%s): nothing is known of the %s it defines, so no name is excused and a query of it is reported as unknown; %s", notConst, u.Reason, u.Type, declare)
			case !strings.Contains(u.Pattern, "*"):
				// The name is known; the call is what driftlint cannot read (a constructor
				// held in a dict or passed in, Python).
				f.Message = fmt.Sprintf("the %s %q is not read as a definition: %s; it is unverified, not checked; %s", u.Type, u.Pattern, u.Reason, declare)
			case wholePrefix(u.Pattern):
				f.Severity = lint.Warning
				f.Message = fmt.Sprintf("%s (%s): every name matching %q is unchecked, a whole name space; %s", notConst, u.Reason, u.Pattern, declare)
			default:
				f.Message = fmt.Sprintf("%s (%s): the %s it defines is unverified, and names matching %q are not checked; %s", notConst, u.Reason, u.Type, u.Pattern, declare)
			}
			pass.Report(f)
		}
	}
	return nil
}

// declaredKnown reports whether the known_metrics files declare what a definition with an
// unresolved name defines: they name a metric its pattern matches, or list its pattern (or a
// glob that matches it) as a glob. A pattern of which nothing is known (*) matches every
// name, so no list declares it: only a driftlint:metric comment at the definition does.
func declaredKnown(p *lint.Project, pattern string) bool {
	if !lint.Excusing(pattern) {
		return false
	}
	for _, k := range p.KnownMetrics {
		if ok, _ := path.Match(pattern, k.Name); ok && !k.Glob {
			return true
		}
		if ok, _ := path.Match(k.Name, pattern); ok && k.Glob {
			return true
		}
	}
	return false
}

// viaName names the definition for a message: "the name of this promauto.NewCounter".
func viaName(via string) string {
	switch {
	case via == "":
		return "the metric name"
	case strings.HasPrefix(via, "#"):
		return "the metric name in a " + via
	}
	return "the name given to " + via
}

// wholePrefix reports whether a name pattern leaves a whole name space unchecked: its text
// before the first wildcard is at most one word (app_*, *_seconds), so every name of that
// prefix (or with that suffix) is excused.
func wholePrefix(pattern string) bool {
	lit, _, _ := strings.Cut(pattern, "*")
	return strings.Count(lit, "_") <= 1
}
