package source

// Label values and only-growing gauges in Rust: the uses of the static or let binding that
// holds a metric (static ref VEC: IntCounterVec = …, VEC.with_label_values(&["a", "b"])),
// found by name in the files of its crate.

// tokRef is a token of a file.
type tokRef struct {
	f *rustFile
	k int
}

// readUses fills the label values and the only-grows mark of the definitions bound to a
// name, from the uses of that name in the crate: the tokens of the names are indexed in one
// pass. A panic leaves the facts unread.
func (s *rustSet) readUses(rs []*rustFile, defs [][]*def) {
	defer func() { _ = recover() }()
	names := map[string][]tokRef{}
	for k, r := range rs {
		for _, d := range defs[k] {
			if v := r.defVars[d]; v != "" {
				names[v] = nil
			}
		}
	}
	if len(names) == 0 {
		return
	}
	for _, f := range s.files {
		for k := range f.toks {
			if f.toks[k].kind != tokIdent {
				continue
			}
			if refs, ok := names[f.toks[k].text]; ok {
				names[f.toks[k].text] = append(refs, tokRef{f, k})
			}
		}
	}
	s.uses = names
	for k, r := range rs {
		if r != nil {
			r.readUses(defs[k])
		}
	}
	s.uses = nil
}

// readUses reads the uses of the holders of r's definitions.
func (r *rustFile) readUses(defs []*def) {
	for _, d := range defs {
		v := r.defVars[d]
		if v == "" || !d.name.known() && d.name.rest == "" {
			continue
		}
		labelled := len(d.labels) > 0 && !d.labelsUnknown
		gauge := d.typ == "gauge"
		if !labelled && !gauge {
			continue
		}
		u := r.usesOf(v, d)
		if labelled {
			d.values = u.values
		}
		d.onlyGrows = gauge && u.grows && !u.shrinks && !u.values.all
	}
}

// rustUses is what the uses of a holder do.
type rustUses struct {
	values  *codeValues
	grows   bool // some use increments it
	shrinks bool // some use decrements or sets it, or calls a method not known to do neither
}

// usesOf reads the uses of the holder v of d in the files of r's crate.
func (r *rustFile) usesOf(v string, d *def) rustUses {
	u := rustUses{values: &codeValues{varLabels: d.labels, values: map[string][]string{}, incomplete: map[string]bool{}}}
	s := r.set
	if st := s.statics[r.staticFrom[v]]; st != nil {
		for _, l := range st.labels {
			vals := st.values[l]
			if e := st.enumOf[l]; e != "" {
				vals = s.enums[e]
			}
			for _, x := range vals {
				u.values.add(l, known(x))
			}
		}
	}
	decl := -1
	for k := range r.toks {
		if r.toks[k].text == v && r.kind(k) == tokIdent && (r.text(k-1) == "ref" || r.text(k-1) == "static" || r.text(k-1) == "let" || r.text(k-1) == "mut") {
			decl = k
			break
		}
	}
	if decl >= 0 && r.isPub(decl) && s.hasLib(r.crate) {
		u.values.all = true // other crates may use it
	}
	for _, t := range s.uses[v] {
		f, k := t.f, t.k
		if f.crate != r.crate || f == r && k == decl || f.skip[k] || f.text(k-1) == "." || f.inUse(k) {
			continue
		}
		f.readUse(k, &u)
	}
	return u
}

// readUse reads one use of a holder at token k.
func (r *rustFile) readUse(k int, u *rustUses) {
	m := k + 1
	switch {
	case r.text(m) == "." && (r.text(m+1) == "with_label_values" || r.text(m+1) == "get_metric_with_label_values") && r.text(m+2) == "(":
		r.labelList(m+2, u.values)
		if r.match[m+2] < 0 {
			u.shrinks = true
			return
		}
		m = r.match[m+2] + 1
		switch {
		case r.text(m) == "?":
			m++
		case r.text(m) == "." && r.text(m+1) == "unwrap" && r.text(m+2) == "(" && r.text(m+3) == ")":
			m += 4
		}
	case r.text(m) == "." && r.text(m+1) == "with" && r.text(m+2) == "(":
		u.values.all = true // a map of labels: not read
		u.shrinks = true
		return
	case r.text(k-1) == "&" && r.text(k-2) == "(" && r.text(k-3) == "from":
		return // X::from(&VEC) of a static metric
	case r.text(m) == "." && r.text(m+1) == "clone" && r.text(m+2) == "(" && r.text(k-1) == "(" && r.text(k-2) == "new" && r.text(k-4) == "Box":
		return // register(Box::new(VEC.clone()))
	}
	if r.text(m) != "." {
		if m == k+1 {
			u.values.all = true // passed on, returned, borrowed: it escapes
		} // else a child kept elsewhere: its labels are given, what it does is not known
		u.shrinks = true
		return
	}
	switch r.text(m + 1) {
	case "inc", "inc_by":
		u.grows = true
	case "get", "start_timer", "observe":
	default:
		u.shrinks = true
	}
}

// maxUseTokens bounds the tokens read back from a name to the use declaration it may be in.
const maxUseTokens = 256

// inUse reports whether the name at token k is named in a use declaration (use
// crate::metrics::{A, X}; use crate::metrics::X;): a mention that brings the holder into
// scope, neither a use of it nor its escape. A holder renamed (X as Y) is not: the uses of
// Y are not read, so it counts as escaping.
func (r *rustFile) inUse(k int) bool {
	switch r.text(k + 1) {
	case ",", "}", ";":
	default:
		return false
	}
	for j := k - 1; j >= 0 && j >= k-maxUseTokens; j-- {
		switch t := r.text(j); t {
		case "use":
			return true
		case "::", "{", "}", ",", "as", "*", "self", "super", "crate":
		default:
			if r.kind(j) != tokIdent {
				return false
			}
			// Two names in a row only after "as" (X as Y); else this is code.
			if j+1 < k && r.kind(j+1) == tokIdent && r.text(j+1) != "as" && t != "as" {
				return false
			}
		}
	}
	return false
}

// labelList reads the &["a", B] argument of with_label_values( at open into v, by position.
func (r *rustFile) labelList(open int, v *codeValues) {
	a := r.args(open)
	if len(a) != 1 {
		v.all = true
		return
	}
	s := a[0].s
	for s < a[0].e && r.text(s) == "&" {
		s++
	}
	if r.text(s) != "[" || r.match[s] != a[0].e-1 {
		v.all = true
		return
	}
	elems := r.args(s)
	if len(elems) != len(v.varLabels) {
		v.all = true
		return
	}
	for i, e := range elems {
		v.add(v.varLabels[i], r.eval(e))
	}
}

// isPub reports whether the item whose name is token k is declared pub (not pub(crate)).
func (r *rustFile) isPub(k int) bool {
	for j := k - 1; j >= 0 && j >= k-4; j-- {
		switch r.text(j) {
		case "pub":
			return r.text(j+1) != "("
		case ";", "{", "}", "let":
			return false
		}
	}
	return false
}

// hasLib reports whether the crate has a library root that other crates can use.
func (s *rustSet) hasLib(crate string) bool {
	m := s.mods[s.key(crate, []string{"crate"})]
	return m == nil || m.f == nil || !isMainRs(m.f.Path)
}

func isMainRs(p string) bool { return len(p) >= 7 && p[len(p)-7:] == "main.rs" }
