package rules

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/itchyny/gojq"

	"github.com/driftlint/driftlint/lint"
	"github.com/driftlint/driftlint/lint/jqpath"
)

// HealthInvariant reports configured jq assertions that are false on a health sample.
var HealthInvariant = &lint.Rule{
	ID:      "health/invariant",
	Summary: "a configured jq assertion that is false on a health sample",
	Doc: `A health invariant (the health_invariants: list of .driftlint.yaml) is a jq program that
must be true on every /health response: a status that may only say "reconnecting" while
errors are recent, a lag that must be reported with the consumer. Each invariant runs on
each health sample (JSON Schemas and samples that did not parse are skipped). Every output
must be true, as with jq -e: an output that is false or null, no output at all, or an
error is a finding at the sample, with the values of the fields the program reads.

Bad (health.json: "status": "reconnecting", "last_infrastructure_error_ago_seconds": 5410):

    health_invariants:
      - name: not-stuck-reconnecting
        jq: '.status != "reconnecting" or .last_infrastructure_error_ago_seconds < 120'

Good: the server reports "healthy" again once the broker is back, and the invariant holds.`,
	Severity: lint.Error,
	Needs:    lint.NeedHealth,
	Run:      runHealthInvariant,
}

// maxOutputs is how many outputs of one run are checked. The time and heap of a run are
// the run's limits (jqpath.Clock: jq_timeout, jq_total).
const maxOutputs = 1000

func runHealthInvariant(pass *lint.Pass) error {
	p := pass.Project
	if p.Config == nil || len(p.Config.HealthInvariants) == 0 {
		return nil
	}
	clock := jqpath.NewClock()
	for _, inv := range p.Config.HealthInvariants {
		at := p.Config.ProjectPos(inv.At)
		q, err := gojq.Parse(inv.JQ)
		if err == nil {
			if why := jqpath.Amplifier(q); why != "" {
				pass.Reportf(at, lint.Subject{Invariant: inv.Name}, "%s cannot be run: %s", inv.Name, why)
				continue
			}
			var code *gojq.Code
			if code, err = gojq.Compile(q); err == nil {
				checkHealthInvariant(pass, clock, inv, at, q, code)
				continue
			}
		}
		pass.Reportf(at, lint.Subject{Invariant: inv.Name}, "%s cannot be run: %s", inv.Name, oneLineErr(err))
	}
	return nil
}

// checkHealthInvariant runs one invariant on every complete health sample.
func checkHealthInvariant(pass *lint.Pass, clock *jqpath.Clock, inv lint.HealthInvariant, at lint.Pos, q *gojq.Query, code *gojq.Code) {
	paths := jqpath.Read(q)
	for _, s := range pass.Project.Health {
		if s == nil || s.Partial || s.Value == nil || s.File == nil {
			continue
		}
		why, detail := runAssertion(clock, code, s.Value)
		if why == "" {
			continue
		}
		msg := fmt.Sprintf("%s %s on %s", inv.Name, why, s.File.Path)
		vals := describeValues(s.Value, paths)
		switch {
		case detail != "" && vals != "":
			msg += ": " + detail + "; " + vals
		case detail != "":
			msg += ": " + detail
		case vals != "":
			msg += ": " + vals
		}
		pass.Report(lint.Finding{
			Pos:     lint.Pos{File: s.File.Path, Line: 1, Col: 1},
			Subject: lint.Subject{Invariant: inv.Name},
			Message: msg,
			Related: []lint.Related{{Pos: at, Message: fmt.Sprintf("health invariant %q is defined here", inv.Name)}},
		})
	}
}

// runAssertion runs code on v and says how it failed ("is false", "gives null", "gives no
// output", "fails" with the error as detail), or "" when every output is true.
func runAssertion(clock *jqpath.Clock, code *gojq.Code, v any) (why, detail string) {
	n := 0
	err := clock.Run(context.Background(), code, v, func(out any) bool {
		n++
		switch out := out.(type) {
		case error:
			if he, ok := errors.AsType[*gojq.HaltError](out); ok && he.ExitCode() == 0 {
				why = ""
				return false
			}
			why, detail = "fails", oneLineErr(out)
			return false
		case nil:
			why = "gives null"
			return false
		case bool:
			if !out {
				why = "is false"
				return false
			}
		}
		return n < maxOutputs
	})
	if err != nil {
		return "is stopped", oneLineErr(err)
	}
	if why == "" && n == 0 {
		return "gives no output", ""
	}
	return why, detail
}

// describeValues writes the values of the paths a program reads, as `.a = 1, .b = "x"`;
// paths through arrays show their first values.
func describeValues(v any, paths []jqpath.Path) string {
	const maxPaths, maxLen = 6, 60
	var parts []string
	for i, p := range paths {
		if i == maxPaths {
			parts = append(parts, "…")
			break
		}
		vals := valuesAt(v, p, 4, hasIter(p)) // elements without the key read as null
		var s string
		switch {
		case len(vals) == 0 && hasIter(p) && len(valuesAt(v, p[:firstIter(p)+1], 1, false)) == 0 &&
			len(valuesAt(v, p[:firstIter(p)], 1, false)) > 0:
			s = "[]"
		case len(vals) == 0:
			s = "missing"
		case !hasIter(p):
			s = jsonText(vals[0], maxLen)
		default:
			items := make([]string, 0, len(vals))
			for j, x := range vals {
				if j == 3 {
					items = append(items, "…")
					break
				}
				items = append(items, jsonText(x, maxLen/3))
			}
			s = "[" + strings.Join(items, ", ") + "]"
		}
		parts = append(parts, p.String()+" = "+s)
	}
	return strings.Join(parts, ", ")
}

func hasIter(p jqpath.Path) bool { return firstIter(p) >= 0 }

// firstIter returns the index of the first [] segment of p, or -1.
func firstIter(p jqpath.Path) int {
	for i, s := range p {
		if s.Iter {
			return i
		}
	}
	return -1
}

// jsonText encodes v as JSON, cut to at most n bytes.
func jsonText(v any, n int) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	if len(b) > n {
		return strings.ToValidUTF8(string(b[:n]), "") + "…"
	}
	return string(b)
}
