package rules

import "github.com/driftlint/driftlint/lint"

// InputParse reports input files that do not parse.
var InputParse = &lint.Rule{
	ID:      "input/parse",
	Summary: "an input file that does not parse",
	Doc: `A rule file, dashboard, exposition, health sample or Markdown file that its parser
rejects is reported at the parser's position, and the rest of the project is still linted.
A file that does not parse is checked by nothing else, so its drift goes unseen.

Bad (monitoring/alert_rules.yml):

    groups:
      - name: kafka
        rules:
          - alert: KafkaDown
            expr: up{job="kafka"} == 0
             for: 5m          # indented one space too far

Good:

    groups:
      - name: kafka
        rules:
          - alert: KafkaDown
            expr: up{job="kafka"} == 0
            for: 5m`,
	Severity: lint.Error,
	Run: func(pass *lint.Pass) error {
		for _, p := range pass.Project.ParseProblems {
			pass.Reportf(p.At, lint.Subject{File: p.At.File}, "%s", p.Message)
		}
		return nil
	},
}
