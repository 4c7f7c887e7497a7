package dashboard_test

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/driftlint/driftlint/lint/linttest"
	"github.com/driftlint/driftlint/rules"
)

const fixture = "../../../fixtures/dashboard-datasources"

func TestFixtureDatasources(t *testing.T) {
	linttest.Run(t, fixture, rules.PromQLSyntax, rules.MetricUnknown, rules.InputParse, rules.InputEmpty)
}

func TestFixtureDatasourcesCountsForeignQueries(t *testing.T) {
	p := linttest.Load(t, fixture)
	var got []string
	for _, f := range p.Foreign {
		got = append(got, fmt.Sprintf("%s %s %s", f.At, f.Language, f.Owner))
	}
	want := []string{
		"dashboards/export.json:9:17 logql Log volume",
		"dashboards/logs.json:6:82 logql variable app",
		"dashboards/logs.json:10:17 logql Errors in logs",
		"dashboards/logs.json:11:17 logql Errors in logs",
		"dashboards/logs.json:20:31 logql Mixed",
		"dashboards/logs.json:24:17 logql No datasource",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Project.Foreign (-want +got):\n%s", diff)
	}
}

// A custom, textbox or constant variable used as a whole matcher list (up{$m}) is replaced
// by its value, so the query parses and is checked; one whose value is not a matcher list
// leaves the selector's labels unknown.
func TestFixtureMatcherVariables(t *testing.T) {
	linttest.Run(t, "../../../fixtures/dashboard-matcher-vars", rules.PromQLSyntax, rules.LabelUnknown, rules.MetricUnknown)
}
