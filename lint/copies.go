package lint

import "slices"

// A runbook often quotes an alert verbatim, so every query rule finds the same problem
// twice: in the rule and in the runbook's copy. When the copy's expression is the rule's
// (parsed, so formatting does not count), a finding in the copy that the same rule also
// reports, with the same message and subject, in the rule is folded into that one: it is
// reported once, at the rule, with the copy as a related position. A copy that differs
// from its rule keeps its own findings (and runbook/alert-drift reports the difference).

// mirror is a stretch of a runbook's alert copy and the stretch of the rule it copies.
type mirror struct {
	copyFile, ruleFile *SourceFile
	copyStart, copyEnd int // file offsets
	ruleStart, ruleEnd int
}

// mirrors lists the parts of runbook alert copies that repeat their rule: the expression,
// and each label and annotation whose value is the rule's.
func mirrors(p *Project) []mirror {
	byName := map[string][]*RuleEntry{}
	for _, r := range p.Rules {
		if r.Kind == AlertRule {
			byName[r.Name] = append(byName[r.Name], r)
		}
	}
	var out []mirror
	add := func(c, r Span) {
		if c.File == nil || r.File == nil {
			return
		}
		out = append(out, mirror{
			copyFile: c.File, copyStart: c.Offset(0), copyEnd: c.Offset(len(c.Value)),
			ruleFile: r.File, ruleStart: r.Offset(0), ruleEnd: r.Offset(len(r.Value)),
		})
	}
	for _, c := range p.RunbookAlerts {
		if c.Query == nil || c.Query.Expr == nil {
			continue
		}
		expr := c.Query.Expr.String()
		for _, r := range byName[c.Name] {
			if r.Query == nil || r.Query.Expr == nil || r.Query.Expr.String() != expr {
				continue
			}
			add(c.Query.Text, r.Query.Text)
			for _, kvs := range [][2][]KV{{c.Labels, r.Labels}, {c.Annotations, r.Annotations}} {
				for _, ckv := range kvs[0] {
					if rkv := findKV(kvs[1], ckv.Key); rkv != nil && rkv.Value.Value == ckv.Value.Value {
						add(ckv.Value, rkv.Value)
					}
				}
			}
		}
	}
	return out
}

// foldCopies drops the findings that a runbook's verbatim alert copy repeats and adds the
// copy's position to the finding at the rule.
func foldCopies(p *Project, findings []Finding) []Finding {
	ms := mirrors(p)
	if len(ms) == 0 {
		return findings
	}
	offset := func(pos Pos) (*SourceFile, int) {
		f := p.File(pos.File)
		if f == nil {
			return nil, -1
		}
		return f, f.Offset(pos)
	}
	type key struct {
		rule, msg, subject string
		ruleFile           *SourceFile
		ruleStart          int
	}
	at := map[key]int{} // findings inside a rule's stretch, by index
	for i, f := range findings {
		file, off := offset(f.Pos)
		for _, m := range ms {
			if file == m.ruleFile && off >= m.ruleStart && off <= m.ruleEnd {
				at[key{f.Rule, f.Message, f.Subject.key(), m.ruleFile, m.ruleStart}] = i
			}
		}
	}
	drop := make([]bool, len(findings))
	for i, f := range findings {
		file, off := offset(f.Pos)
		for _, m := range ms {
			if file != m.copyFile || off < m.copyStart || off > m.copyEnd {
				continue
			}
			j, ok := at[key{f.Rule, f.Message, f.Subject.key(), m.ruleFile, m.ruleStart}]
			if !ok {
				continue
			}
			drop[i] = true
			findings[j].Related = append(findings[j].Related, Related{Pos: f.Pos, Message: "the same in the runbook's copy of the alert"})
			break
		}
	}
	out := findings[:0]
	for i, f := range findings {
		if !drop[i] {
			out = append(out, f)
		}
	}
	return slices.Clip(out)
}
