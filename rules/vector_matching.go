package rules

import (
	"fmt"
	"slices"
	"strings"

	"github.com/prometheus/prometheus/promql/parser"

	"github.com/driftlint/driftlint/lint"
	"github.com/driftlint/driftlint/lint/promql"
)

// VectorMatching reports binary operations between two vectors whose sides can never match.
var VectorMatching = &lint.Rule{
	ID:      "promql/vector-matching",
	Summary: "a binary operation between vectors whose sides can never match",
	Doc: `A binary operation between two instant vectors (arithmetic, a comparison, and, unless)
pairs each series on the left with the series on the right that has the same match
signature: the values of all its labels (less those in ignoring (…)), or of exactly the
labels in on (…). When the two sides carry different label names, every pair of series has
different signatures, so nothing ever matches: the result is always empty (for unless,
nothing is ever removed). A label in on (…) that only one side carries breaks matching the
same way. This happens when one side is aggregated and the other is not, when the sides are
aggregated by different labels, or when one metric has a label the other lacks.

The labels of each side are inferred offline from the expositions and the recording rules,
with job and instance on every scraped series; the other scrape-time target labels that
label/unknown presumes (cluster, namespace, pod, …) are an assumption and play no part in
the comparison. Sides whose labels cannot be inferred, scalars, vector(…) and or (which
never yields an empty result because of matching) are never reported.

Bad (the left side has instance, the right side does not):

    sum by (job, instance) (rate(websocket_decode_errors_total[5m]))
      / sum by (job) (rate(websocket_kafka_messages_received_total[5m]))

Good:

    sum by (job) (rate(websocket_decode_errors_total[5m]))
      / sum by (job) (rate(websocket_kafka_messages_received_total[5m]))

or, to keep the left side's detail:

    sum by (job, instance) (rate(websocket_decode_errors_total[5m]))
      / ignoring (instance) group_left
    sum by (job) (rate(websocket_kafka_messages_received_total[5m]))`,
	Severity: lint.Error,
	Needs:    lint.NeedQueries,
	Run:      runVectorMatching,
}

func runVectorMatching(pass *lint.Pass) error {
	idx := promql.IndexFor(pass.Project)
	for _, q := range pass.Project.Queries {
		if q.Expr == nil {
			continue
		}
		parser.Inspect(q.Expr, func(n parser.Node, _ []parser.Node) error {
			if b, ok := n.(*parser.BinaryExpr); ok {
				checkVectorMatching(pass, idx, q, b)
			}
			return nil
		})
	}
	return nil
}

func checkVectorMatching(pass *lint.Pass, idx *promql.Index, q *lint.Query, b *parser.BinaryExpr) {
	vm := b.VectorMatching
	if vm == nil || b.Op == parser.LOR ||
		b.LHS.Type() != parser.ValueTypeVector || b.RHS.Type() != parser.ValueTypeVector ||
		isVectorCall(b.LHS) || isVectorCall(b.RHS) {
		return
	}
	l, r := promql.MatchLabels(b, idx)
	if !l.Known || !r.Known || slices.Equal(l.Labels, r.Labels) {
		return
	}
	// Presumed scrape-time labels (see label/unknown) are an assumption: they neither make
	// nor hide a mismatch.
	l = promql.LabelSet{Known: true, Labels: idx.Shown(l.Labels)}
	r = promql.LabelSet{Known: true, Labels: idx.Shown(r.Labels)}
	if slices.Equal(l.Labels, r.Labels) {
		return
	}
	op := b.Op.String()
	var desc string
	switch {
	case vm.On:
		desc = fmt.Sprintf("on (%s): left side of %q carries %s, right side %s", strings.Join(vm.MatchingLabels, ", "), op, l, r)
	case len(vm.MatchingLabels) > 0:
		desc = fmt.Sprintf("ignoring (%s): left side of %q still has labels %s, right side %s", strings.Join(vm.MatchingLabels, ", "), op, l, r)
	default:
		desc = fmt.Sprintf("left side of %q has labels %s, right side %s", op, l, r)
	}
	effect := ", so the result is always empty"
	if b.Op == parser.LUNLESS {
		effect = ", so unless never removes anything"
	}
	msg := desc + ": no series can match" + effect + "; " + matchingFix(vm, l, r)

	f := lint.Finding{Pos: operatorPos(q, b), Message: msg, Subject: subjectOf(q)}
	for _, side := range []parser.Expr{b.LHS, b.RHS} {
		if rel, ok := idx.Related(soleMetric(side)); ok && !slices.Contains(f.Related, rel) {
			f.Related = append(f.Related, rel)
		}
	}
	pass.Report(f)
}

// matchingFix suggests the on (…) or ignoring (…) that makes the signatures agree.
func matchingFix(vm *parser.VectorMatching, l, r promql.LabelSet) string {
	var common, diff []string
	for _, x := range l.Labels {
		if r.Has(x) {
			common = append(common, x)
		} else {
			diff = append(diff, x)
		}
	}
	for _, x := range r.Labels {
		if !l.Has(x) {
			diff = append(diff, x)
		}
	}
	if vm.On {
		if len(common) == 0 {
			return "the sides share none of the on (…) labels"
		}
		return "use on (" + strings.Join(common, ", ") + ")"
	}
	ign := append(slices.Clone(vm.MatchingLabels), diff...)
	slices.Sort(ign)
	ign = slices.Compact(ign)
	verb := "add"
	if len(vm.MatchingLabels) > 0 {
		verb = "use"
	}
	if len(common) == 0 {
		return verb + " ignoring (" + strings.Join(ign, ", ") + ")"
	}
	return verb + " on (" + strings.Join(common, ", ") + ") or ignoring (" + strings.Join(ign, ", ") + ")"
}

// operatorPos returns the position of a binary expression's operator, found between its
// two sides, or of the expression's start.
func operatorPos(q *lint.Query, b *parser.BinaryExpr) lint.Pos {
	text := q.Text.Value
	sc := &scanner{s: text, i: int(b.LHS.PositionRange().End), end: min(int(b.RHS.PositionRange().Start), len(text))}
	sc.skip()
	if op := b.Op.String(); sc.i < sc.end && strings.HasPrefix(strings.ToLower(text[sc.i:sc.end]), op) {
		return q.Pos(sc.i)
	}
	return q.NodePos(b)
}

// isVectorCall reports whether e is vector(…), looking through parentheses.
func isVectorCall(e parser.Expr) bool {
	for {
		switch x := e.(type) {
		case *parser.ParenExpr:
			e = x.Expr
		case *parser.StepInvariantExpr:
			e = x.Expr
		case *parser.Call:
			return x.Func != nil && x.Func.Name == "vector"
		default:
			return false
		}
	}
}
