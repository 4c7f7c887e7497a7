package rules

import (
	"fmt"
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
glob of its constant parts) are unverified: the code's covered space then holds only the
exact names it defines in the prefixes that glob reaches, so that queries and docs of such
names are not reported as unknown, and a scrape exporting them is not reported by
source/exposition-mismatch.

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
		for _, u := range e.Code.Unresolved {
			pass.Report(lint.Finding{
				Pos:     u.At,
				Subject: lint.Subject{Metric: u.Pattern},
				Message: fmt.Sprintf("%s is not a constant (%s): the %s it defines is unverified, and names matching %q are not checked", viaName(u.Via), u.Reason, u.Type, u.Pattern),
			})
		}
	}
	return nil
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
