package rulefile_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/driftlint/driftlint/lint/linttest"
	"github.com/driftlint/driftlint/rules"
)

func TestFixtureRulers(t *testing.T) {
	linttest.Run(t, "../../../fixtures/rulefile-rulers", rules.PromQLSyntax, rules.MetricUnknown, rules.InputParse, rules.InputEmpty)
}

func TestFixtureRulersCountsLogQLRules(t *testing.T) {
	p := linttest.Load(t, "../../../fixtures/rulefile-rulers")
	var got []string
	for _, f := range p.Foreign {
		got = append(got, f.At.String()+" "+f.Language+" "+f.Owner)
	}
	want := []string{
		"rules/loki.yml:8:15 logql ManyErrorLines",
		"rules/loki.yml:11:15 logql app:log_lines_5xx:rate1m",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Project.Foreign (-want +got):\n%s", diff)
	}
}
