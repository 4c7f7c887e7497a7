package rules

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/prometheus/common/model"
	"github.com/prometheus/prometheus/promql/parser"

	"github.com/driftlint/driftlint/lint"
)

// RunbookAlertDrift reports runbook copies of alerts that differ from the rule.
var RunbookAlertDrift = &lint.Rule{
	ID:      "runbook/alert-drift",
	Summary: "the runbook's copy of an alert differs from the rule",
	Doc: `Runbooks often quote the alert they explain in a yaml block, so that the person paged
sees the condition, the delay and the labels. When the rule changes and the runbook does not,
the on-call engineer reasons about an alert that no longer exists: a threshold, a for: delay
or a severity that is not the one that paged them.

The copy (a yaml block with alert: and expr:) is compared with the rule of the same name:
expr as parsed PromQL (formatting, comments, redundant parentheses, the order of label
matchers and of by/on labels do not count), for and keep_firing_for as durations (5m equals
300s; absent equals 0s), and every label, including one present on one side only. Each
differing field is one finding, at the runbook line that differs, with the rule's line as
the related position. When several rules share the name (a warning and a critical variant),
the copy is compared with the one it is closest to. A copy of an alert that no rule defines
is left to runbook/missing; annotations are not compared.

Bad (the rule in monitoring/alert_rules.yml says for: 10m; the runbook's yaml block):

    - alert: KafkaConsumerLagHigh
      expr: dashstream:consumer_lag:max > 10000
      for: 5m

Good (formatting and units may differ, meaning may not):

    - alert: KafkaConsumerLagHigh
      expr: (dashstream:consumer_lag:max) > 10000
      for: 600s`,
	Severity: lint.Error,
	Needs:    lint.NeedRules | lint.NeedRunbooks,
	Run:      runRunbookAlertDrift,
}

func runRunbookAlertDrift(pass *lint.Pass) error {
	p := pass.Project
	defs := rbRulesByName(p.Rules)
	for _, c := range p.RunbookAlerts {
		cands := defs[rbRuleKey{c.Kind, c.Name}]
		if len(cands) == 0 {
			continue // runbook/missing reports copies of alerts no rule defines
		}
		ref, diffs := rbClosestRule(c, cands)
		what := rbKindWord(c.Kind)
		here := fmt.Sprintf("runbook copy of %s %q", what, c.Name)
		for _, d := range diffs {
			msg := rbDiffMessage(here, "the rule in "+ref.File.Path, d)
			pass.Report(lint.Finding{
				Pos:     d.at,
				Message: msg,
				Subject: rbSubjectFor(c, d.label),
				Related: []lint.Related{{Pos: d.relAt, Message: fmt.Sprintf("%s %q is defined here", what, c.Name)}},
			})
		}
	}
	return nil
}

// rbDiffMessage describes one difference between here (a phrase naming the rule that is
// wrong) and there (a phrase naming where the reference is).
func rbDiffMessage(here, there string, d rbRuleDiff) string {
	switch {
	case d.field == "expr":
		return fmt.Sprintf("%s has %s in its expr where %s has %s", here, d.here, there, d.there)
	case d.hereAbsent:
		return fmt.Sprintf("%s lacks %s that %s has", here, d.there, there)
	case d.thereAbsent:
		return fmt.Sprintf("%s has %s that %s lacks", here, d.here, there)
	default:
		return fmt.Sprintf("%s has %s but %s has %s", here, d.here, there, d.there)
	}
}

// rbRuleKey identifies a rule by kind and name.
type rbRuleKey struct {
	kind lint.RuleKind
	name string
}

// rbRulesByName indexes rules by kind and name, in file order.
func rbRulesByName(rules []*lint.RuleEntry) map[rbRuleKey][]*lint.RuleEntry {
	m := map[rbRuleKey][]*lint.RuleEntry{}
	for _, r := range rules {
		k := rbRuleKey{r.Kind, r.Name}
		m[k] = append(m[k], r)
	}
	return m
}

func rbKindWord(k lint.RuleKind) string {
	if k == lint.RecordingRule {
		return "recording rule"
	}
	return "alert"
}

func rbSubjectFor(r *lint.RuleEntry, label string) lint.Subject {
	if r.Kind == lint.RecordingRule {
		return lint.Subject{Record: r.Name, Label: label}
	}
	return lint.Subject{Alert: r.Name, Label: label}
}

// rbClosestRule returns the candidate that r differs least from, with the differences; the
// first candidate wins a tie.
func rbClosestRule(r *lint.RuleEntry, cands []*lint.RuleEntry) (*lint.RuleEntry, []rbRuleDiff) {
	var best *lint.RuleEntry
	var bestDiffs []rbRuleDiff
	for _, c := range cands {
		d := rbDiffRules(r, c)
		if best == nil || len(d) < len(bestDiffs) {
			best, bestDiffs = c, d
		}
		if len(d) == 0 {
			break
		}
	}
	return best, bestDiffs
}

// rbRuleDiff is one field in which a rule (here) differs from its reference (there).
type rbRuleDiff struct {
	field       string // expr, for, keep_firing_for, label
	label       string // the label name for field label
	here, there string // what each side has, for messages ("for: 5m", "label team=\"x\"")
	hereAbsent  bool   // the field is absent here
	thereAbsent bool   // the field is absent there
	at, relAt   lint.Pos
}

// rbDiffRules compares two definitions of a rule: expr as parsed PromQL, for and
// keep_firing_for as durations, and labels. An expr that does not parse on either side is
// not compared (promql/syntax reports it).
func rbDiffRules(here, there *lint.RuleEntry) []rbRuleDiff {
	var out []rbRuleDiff
	if here.Query != nil && there.Query != nil && here.Query.Expr != nil && there.Query.Expr != nil {
		if a, b := rbDiffExpr(here.Query.Expr, there.Query.Expr); a != nil {
			out = append(out, rbRuleDiff{
				field: "expr", here: rbExprText(a), there: rbExprText(b),
				at: here.Query.NodePos(a), relAt: there.Query.NodePos(b),
			})
		}
	}
	out = rbAppendDuration(out, "for", here.For, here.ForAt, there.For, there.ForAt, here, there)
	out = rbAppendDuration(out, "keep_firing_for", here.KeepFiringFor, here.KeepFiringAt, there.KeepFiringFor, there.KeepFiringAt, here, there)
	keys := make([]string, 0, len(here.Labels)+len(there.Labels))
	for _, kv := range here.Labels {
		keys = append(keys, kv.Key)
	}
	for _, kv := range there.Labels {
		keys = append(keys, kv.Key)
	}
	slices.Sort(keys)
	keys = slices.Compact(keys)
	for _, k := range keys {
		a, b := here.Label(k), there.Label(k)
		d := rbRuleDiff{field: "label", label: k, at: here.NameAt, relAt: there.NameAt}
		switch {
		case a != nil && b != nil && a.Value.Value == b.Value.Value:
			continue
		case a == nil:
			d.hereAbsent = true
		case b == nil:
			d.thereAbsent = true
		}
		if a != nil {
			d.here, d.at = fmt.Sprintf("label %s=%q", k, a.Value.Value), a.Value.StartPos()
		}
		if b != nil {
			d.there, d.relAt = fmt.Sprintf("label %s=%q", k, b.Value.Value), b.Value.StartPos()
		}
		if a != nil && b != nil {
			d.there = fmt.Sprintf("%s=%q", k, b.Value.Value)
		}
		out = append(out, d)
	}
	return out
}

// rbAppendDuration compares a duration field; absent counts as 0s, and a value that does not
// parse as a duration is compared as written.
func rbAppendDuration(out []rbRuleDiff, field, a string, aAt lint.Pos, b string, bAt lint.Pos, here, there *lint.RuleEntry) []rbRuleDiff {
	if rbSameDuration(a, b) {
		return out
	}
	d := rbRuleDiff{field: field, at: aAt, relAt: bAt, hereAbsent: a == "", thereAbsent: b == ""}
	if a == "" {
		d.at = here.NameAt
	} else {
		d.here = fmt.Sprintf("%s: %s", field, a)
	}
	if b == "" {
		d.relAt = there.NameAt
	} else {
		d.there = fmt.Sprintf("%s: %s", field, b)
	}
	if a != "" && b != "" {
		d.there = b
	}
	return append(out, d)
}

func rbSameDuration(a, b string) bool {
	if a == b {
		return true
	}
	da, errA := rbParseDuration(a)
	db, errB := rbParseDuration(b)
	return errA == nil && errB == nil && da == db
}

func rbParseDuration(s string) (model.Duration, error) {
	if s == "" {
		return 0, nil
	}
	return model.ParseDuration(strings.TrimSpace(s))
}

// rbExprText shows a PromQL node in a message, shortened when long.
func rbExprText(n parser.Node) string {
	s := n.String()
	const limit = 80
	if len(s) <= limit {
		return s
	}
	switch n := n.(type) {
	case *parser.BinaryExpr:
		return "… " + n.ShortString() + " …"
	case *parser.AggregateExpr:
		return n.ShortString() + "(…)"
	case *parser.Call:
		return n.ShortString() + "(…)"
	}
	return truncate(s, limit)
}

// rbDiffExpr compares two PromQL expressions structurally and returns the first pair of nodes
// (a from x, b from y) that differ, or nils when the expressions mean the same. Parentheses
// are transparent (the tree already holds the precedence they expressed), label matchers
// and by/on/without/group_x label lists are compared as sets, and number literals by value
// (5m written as a number equals 300).
func rbDiffExpr(x, y parser.Node) (a, b parser.Node) {
	x, y = rbUnwrap(x), rbUnwrap(y)
	if x == nil || y == nil {
		if x == nil && y == nil {
			return nil, nil
		}
		return x, y
	}
	if rbNodeSig(x) != rbNodeSig(y) {
		return x, y
	}
	cx, cy := parser.Children(x), parser.Children(y)
	if len(cx) != len(cy) {
		return x, y
	}
	for i := range cx {
		if a, b := rbDiffExpr(cx[i], cy[i]); a != nil || b != nil {
			if a == nil || b == nil {
				return x, y
			}
			return a, b
		}
	}
	return nil, nil
}

// rbUnwrap strips parentheses and step-invariant wrappers.
func rbUnwrap(n parser.Node) parser.Node {
	for {
		switch e := n.(type) {
		case *parser.ParenExpr:
			n = e.Expr
		case *parser.StepInvariantExpr:
			n = e.Expr
		default:
			return n
		}
	}
}

// rbNodeSig describes a node without its children, in a canonical form.
func rbNodeSig(n parser.Node) string {
	switch n := n.(type) {
	case *parser.AggregateExpr:
		g := slices.Clone(n.Grouping)
		slices.Sort(g)
		return fmt.Sprintf("agg %s without=%t by=%q param=%t", n.Op, n.Without, g, n.Param != nil)
	case *parser.BinaryExpr:
		s := fmt.Sprintf("bin %s bool=%t", n.Op, n.ReturnBool)
		if vm := n.VectorMatching; vm != nil {
			on, inc := slices.Clone(vm.MatchingLabels), slices.Clone(vm.Include)
			slices.Sort(on)
			slices.Sort(inc)
			s += fmt.Sprintf(" card=%s on=%t labels=%q include=%q", vm.Card, vm.On, on, inc)
			if vm.FillValues.LHS != nil {
				s += " fill_left=" + rbFormatFloat(*vm.FillValues.LHS)
			}
			if vm.FillValues.RHS != nil {
				s += " fill_right=" + rbFormatFloat(*vm.FillValues.RHS)
			}
		}
		return s
	case *parser.Call:
		name := ""
		if n.Func != nil {
			name = n.Func.Name
		}
		return fmt.Sprintf("call %s/%d", name, len(n.Args))
	case *parser.MatrixSelector:
		return "matrix " + n.ShortString()
	case *parser.SubqueryExpr:
		return "subquery " + n.ShortString()
	case *parser.NumberLiteral:
		return "number " + rbFormatFloat(n.Val)
	case *parser.StringLiteral:
		return "string " + strconv.Quote(n.Val)
	case *parser.UnaryExpr:
		return "unary " + n.Op.String()
	case *parser.VectorSelector:
		return "vector " + n.String()
	default:
		return fmt.Sprintf("%T %s", n, n)
	}
}

func rbFormatFloat(f float64) string {
	if math.IsNaN(f) {
		return "NaN"
	}
	return strconv.FormatFloat(f, 'g', -1, 64)
}
