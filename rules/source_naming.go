package rules

import (
	"fmt"

	"github.com/prometheus/client_golang/prometheus/testutil/promlint/validations"
	dto "github.com/prometheus/client_model/go"

	"github.com/driftlint/driftlint/lint"
)

// SourceNaming reports metric definitions in the emitter's code whose names break
// Prometheus' naming conventions, as promlint checks them.
var SourceNaming = &lint.Rule{
	ID:      "source/naming",
	Summary: "a metric defined in the code with a name promlint rejects",
	Doc: `A metric name is an interface: once dashboards, alerts and recording rules read it, a
rename breaks them all, so the time to get it right is when the code defines it. The
definitions read from the emitter's code (sources:) get promlint's naming checks, the
validations of client_golang's promlint package:

- a counter without the _total suffix, or a gauge, histogram or summary with it;
- _bucket, _count and _sum suffixes, or le and quantile labels, on a type that does not
  own them;
- a unit that is not the base unit (_milliseconds, _minutes, _kilobytes: use _seconds,
  _bytes and divide).

Each definition is checked with its name as the library exposes it (a prometheus_client
Counter("requests") is requests_total). A problem that scrape/exposition also sees in a
scrape of the same family is reported once, here, at the code.

The default severity is info: an established name cannot be renamed lightly. A finding on a
line changed since --new-from-rev (or in a file changed since --changed-since) is a warning:
a new name can still be fixed for free. Change the severity in the config as for any rule.

Bad:

    promauto.NewCounter(prometheus.CounterOpts{
        Name: "shop_orders", Help: "Orders placed.",
    })
    promauto.NewHistogram(prometheus.HistogramOpts{
        Name: "shop_checkout_milliseconds", Help: "Checkout time.",
    })

Good:

    promauto.NewCounter(prometheus.CounterOpts{
        Name: "shop_orders_total", Help: "Orders placed.",
    })
    promauto.NewHistogram(prometheus.HistogramOpts{
        Name: "shop_checkout_seconds", Help: "Checkout time.",
    })`,
	Severity: lint.Info,
	Needs:    lint.NeedExpositions,
	Run:      runSourceNaming,
}

// SourceNamingOnChange is the severity of a source/naming finding whose position is on a
// line changed since --new-from-rev, or in a file changed since --changed-since: a new
// definition can still be renamed for free. The rule sets it as the findings' OnChange.
const SourceNamingOnChange = lint.Warning

// namingChecks returns the promlint validations about names that source/naming applies.
// The first two are scrape/exposition's (promlintChecks) too, so that a problem seen in
// both is one problem.
func namingChecks() []func(*dto.MetricFamily) []error {
	return []func(*dto.MetricFamily) []error{
		validations.LintCounter,
		validations.LintHistogramSummaryReserved,
		validations.LintMetricUnits,
	}
}

// namingProblem is one naming problem of a family defined in code.
type namingProblem struct {
	fam     *lint.Family
	exposed string // the family's name as dto (and a text scrape) names it
	problem string // promlint's message
}

// sourceNamingProblems returns the naming problems of every family defined in code, in
// exposition and family order, computed once per project.
func sourceNamingProblems(p *lint.Project) []namingProblem {
	return p.Memo("rules.sourceNamingProblems", func() any {
		var out []namingProblem
		for _, e := range p.Expositions {
			if e == nil || !e.Source {
				continue
			}
			for _, name := range e.Order {
				fam := e.Families[name]
				if fam == nil {
					continue
				}
				mf := codeFamily(fam)
				for _, check := range namingChecks() {
					for _, err := range check(mf) {
						out = append(out, namingProblem{fam: fam, exposed: mf.GetName(), problem: err.Error()})
					}
				}
			}
		}
		return out
	}).([]namingProblem)
}

// namingKey identifies a naming problem of a family across code and scrapes.
func namingKey(exposed, problem string) string { return exposed + "\x00" + problem }

// namingAtCode returns the keys (namingKey) of the naming problems that source/naming
// reports at the code, for scrape/exposition to leave out.
func namingAtCode(p *lint.Project) map[string]bool {
	return p.Memo("rules.namingAtCode", func() any {
		out := map[string]bool{}
		for _, np := range sourceNamingProblems(p) {
			out[namingKey(np.exposed, np.problem)] = true
		}
		return out
	}).(map[string]bool)
}

// codeFamily builds the protobuf family promlint reads from a family defined in code: its
// name as the loader gives it, which is the name the library exposes (no _total added: a
// client_golang counter named x is exposed as x in the text format), type, help and the
// label names the code spells out, on one metric.
func codeFamily(fam *lint.Family) *dto.MetricFamily {
	mf := dtoFamily(fam)
	name := fam.Name
	mf.Name = &name
	if len(fam.Labels) > 0 {
		m := &dto.Metric{}
		for _, k := range fam.Labels {
			m.Label = append(m.Label, &dto.LabelPair{Name: &k})
		}
		mf.Metric = append(mf.Metric, m)
	}
	return mf
}

func runSourceNaming(pass *lint.Pass) error {
	for _, np := range sourceNamingProblems(pass.Project) {
		fam := np.fam
		via := "the code"
		if fam.Expo.Code != nil {
			if d := fam.Expo.Code.Defs[fam.Name]; d != nil && d.Via != "" {
				via = d.Via
			}
		}
		pass.Report(lint.Finding{
			Pos:      fam.At(),
			Subject:  lint.Subject{Metric: fam.Name},
			Message:  fmt.Sprintf("metric %q (%s, defined by %s): %s (promlint)", fam.Name, fam.Type, via, np.problem),
			OnChange: SourceNamingOnChange,
		})
	}
	return nil
}
