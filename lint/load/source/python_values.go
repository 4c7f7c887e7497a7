package source

// Label values and only-growing gauges in Python: the uses of the module-level name a metric
// is assigned to (REQUESTS = Counter(…), REQUESTS.labels("a").inc()), found by name in the
// files of the set.

import (
	"slices"
	"strings"
)

// readUses fills the label values and the only-grows mark of the definitions assigned to a
// module-level name, from the uses of that name in the set.
func (s *pySet) readUses(defs [][]*def) {
	defer func() { _ = recover() }() // a panic leaves the facts unread
	type ref struct {
		f *pyFile
		k int
	}
	// the tokens of a name in the files whose text holds it (loading them), once per name:
	// modules often give their holders the same names (REQUESTS in each), and scanning every
	// file again for each made the 600-file bench 0.23 -> 0.62 s
	seen := map[string][]ref{}
	uses := func(name string) []ref {
		if out, ok := seen[name]; ok {
			return out
		}
		var out []ref
		defer func() { seen[name] = out }()
		for _, f := range s.files {
			if f.skip || !strings.Contains(f.f.Text(), name) {
				continue
			}
			f.ensure()
			for k := range f.toks {
				if f.toks[k].kind == tokIdent && f.toks[k].text == name {
					out = append(out, ref{f, k})
				}
			}
		}
		return out
	}
	for i, p := range s.files {
		for _, d := range defs[i] {
			if !d.name.known() && d.name.rest == "" || d.typ == "stateset" || d.typ == "info" {
				continue
			}
			labelled := len(d.labels) > 0 && !d.labelsUnknown
			gauge := d.typ == "gauge"
			if !labelled && !gauge {
				continue
			}
			name, decl := p.holderAt(d.at)
			if name == "" {
				continue
			}
			u := rustUses{values: &codeValues{varLabels: d.labels, values: map[string][]string{}, incomplete: map[string]bool{}}}
			for _, t := range uses(name) {
				if t.f == p && t.k == decl || !t.f.refersTo(t.k, p, name) || t.f.importLine(t.k) {
					continue
				}
				t.f.readUse(t.k, &u)
			}
			if labelled {
				d.values = u.values
			}
			d.onlyGrows = gauge && u.grows && !u.shrinks && !u.values.all
		}
	}
}

// refersTo reports whether the name token at k of p can be the module-level name of holder:
// in holder itself, or in a module that imports it (from m import NAME, import m then
// m.NAME, from m import *). Another module's own variable of the same name is another metric.
func (p *pyFile) refersTo(k int, holder *pyFile, name string) bool {
	if p == holder {
		return true
	}
	is := func(mod string) bool { return mod == holder.mod || p.set.mods[mod] == holder }
	if ref, ok := p.from[name]; ok {
		return ref.name == name && is(ref.mod)
	}
	if k >= 2 && p.toks[k-1].text == "." && p.toks[k-2].kind == tokIdent {
		if mod, ok := p.modAs[p.toks[k-2].text]; ok && is(mod) {
			return true
		}
	}
	return slices.ContainsFunc(p.starFrom, is)
}

// holderAt returns the module-level name the statement holding the token at offset at
// assigns (NAME = …), and its token index.
func (p *pyFile) holderAt(at int) (string, int) {
	k := -1
	for j := range p.toks {
		if p.toks[j].start == at {
			k = j
			break
		}
	}
	if k < 0 {
		return "", -1
	}
	for k > 0 && p.toks[k-1].kind != tokNewline {
		k--
	}
	if p.toks[k].indent != 0 || p.toks[k].kind != tokIdent || k+1 >= len(p.toks) || p.toks[k+1].text != "=" {
		return "", -1
	}
	return p.toks[k].text, k
}

// importLine reports whether token k is in an import statement.
func (p *pyFile) importLine(k int) bool {
	for k > 0 && p.toks[k-1].kind != tokNewline {
		k--
	}
	return p.toks[k].text == "from" || p.toks[k].text == "import"
}

// readUse reads one use of a holder at token k: NAME.labels(…).inc(), NAME.inc(), or an
// escape.
func (p *pyFile) readUse(k int, u *rustUses) {
	text := func(j int) string {
		if j < 0 || j >= len(p.toks) {
			return ""
		}
		return p.toks[j].text
	}
	m := k + 1
	if text(m) == "." && text(m+1) == "labels" && text(m+2) == "(" {
		p.labelArgs(m+2, u.values)
		if p.match[m+2] < 0 {
			u.shrinks = true
			return
		}
		m = p.match[m+2] + 1
	}
	if text(m) != "." {
		if m == k+1 {
			u.values.all = true // passed on, returned, stored: it escapes
		} // else a child kept elsewhere: its labels are given, what it does is not known
		u.shrinks = true
		return
	}
	switch text(m + 1) {
	case "inc":
		u.grows = true
	case "observe", "time", "count_exceptions":
	default:
		u.shrinks = true // dec, set, set_function, track_inprogress, …
	}
}

// labelArgs reads the arguments of .labels( at open into v: positional in labelnames order,
// or by keyword; **kwargs makes every label incomplete.
func (p *pyFile) labelArgs(open int, v *codeValues) {
	a := p.args(open)
	if a.star || len(a.pos) > 0 && len(a.kw) > 0 {
		v.all = true
		return
	}
	if len(a.pos) > 0 {
		if len(a.pos) != len(v.varLabels) {
			v.all = true
			return
		}
		for i, r := range a.pos {
			v.add(v.varLabels[i], p.eval(r))
		}
		return
	}
	if len(a.kw) != len(v.varLabels) {
		v.all = true
		return
	}
	for _, l := range v.varLabels {
		r, ok := a.kw[l]
		if !ok {
			v.all = true
			return
		}
		v.add(l, p.eval(r))
	}
}
