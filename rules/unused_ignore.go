package rules

import "github.com/driftlint/driftlint/lint"

// UnusedIgnore reports driftlint:ignore comments that hide nothing. The runner reads the
// comments once, after every rule ran (lint/suppress.go), and reports under this id; Run
// itself does nothing.
var UnusedIgnore = &lint.Rule{
	ID:      lint.UnusedIgnoreID,
	Summary: "a driftlint:ignore comment that hides nothing or gives no reason",
	Doc: `A suppression comment hides the findings of the named rules on its line (a comment
after code) or on the next line (a comment alone on its line):

    # driftlint:ignore RULE[,RULE…] reason        YAML, expositions, fenced code in Markdown
    <!-- driftlint:ignore RULE[,RULE…] reason -->  Markdown

RULE is a rule id, a category such as promql/* or * for every rule. JSON has no comments:
switch rules off with checks.disable, or leave files out with ignore:, in the config.

This rule reports a suppression that no longer hides anything (the drift was fixed, or the
line moved away from it), so that stale suppressions do not hide the next real drift on that
line. A suppression of a rule that did not run (disabled, or skipped for lack of inputs) is
not reported. It also reports a suppression without a reason, which hides nothing: the
reason is what a reviewer reads, and a rule id that is unknown. A suppress entry of the
config that hid nothing although its rule ran is reported at the entry.

It also reports a <!-- driftlint:ignore --> comment alone on a line between the rows of a
Markdown table: the comment ends the table, on GitHub as in driftlint, and the rows below it
render as text (and are not read as documented metrics). Put the comment at the end of the
row instead: | app_up | gauge | <!-- driftlint:ignore … -->.

Bad (the alert was fixed, the comment stayed; and a suppression without a reason):

    - alert: KafkaErrorRate
      # driftlint:ignore promql/ratio-aggregation
      expr: sum(rate(errors_total[5m])) / clamp_min(sum(rate(received_total[5m])), 1) > 0.05

Good:

    - alert: KafkaErrorRate
      # driftlint:ignore promql/ratio-zero-guard received_total never stops while the server is up
      expr: sum(rate(errors_total[5m])) / sum(rate(received_total[5m])) > 0.05`,
	Severity: lint.Warning,
	Run:      func(*lint.Pass) error { return nil },
}
