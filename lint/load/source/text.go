package source

import (
	"slices"
	"strings"
)

// lit is a decoded string literal, or several joined, with the file offset of each byte
// (plus one for the end). Parts computed at run time are hole bytes.
type lit struct {
	s    string
	offs []int
}

// holeAt is a lit holding one hole at file offset off.
func holeAt(off int) lit { return lit{s: hole, offs: []int{off, off}} }

// join concatenates lits.
func join(ls ...lit) lit {
	var out lit
	for _, l := range ls {
		if len(l.offs) == 0 {
			continue
		}
		out.s += l.s
		if len(out.offs) > 0 {
			out.offs = out.offs[:len(out.offs)-1]
		}
		out.offs = append(out.offs, l.offs...)
	}
	return out
}

// format replaces the placeholders and escapes found by find with holes and their text.
func (l lit) format(find func(string) []span) lit {
	spans := find(l.s)
	if len(spans) == 0 {
		return l
	}
	var b strings.Builder
	var offs []int
	last := 0
	for _, sp := range spans {
		b.WriteString(l.s[last:sp.start])
		offs = append(offs, l.offs[last:sp.start]...)
		r := sp.repl
		if r == "" {
			r = hole
		}
		b.WriteString(r)
		for range len(r) {
			offs = append(offs, l.offs[sp.start])
		}
		last = sp.end
	}
	b.WriteString(l.s[last:])
	offs = append(offs, l.offs[last:]...)
	return lit{s: b.String(), offs: offs}
}

// value is the lit as a value: its holes are unknown for the reason why.
func (l lit) value(why string) value {
	v := value{s: l.s}
	if strings.Contains(l.s, hole) {
		v.why = why
	}
	return v
}

// textLit is a string of a source file that may hold exposition text.
type textLit struct {
	l           lit
	mayBeAbsent string // the string is written inside a condition or loop
}

// expositionTypes are the type words of # TYPE lines.
var expositionTypes = []string{"counter", "gauge", "histogram", "summary", "untyped", "info", "stateset", "gaugehistogram", "unknown"}

// textFamily is a family declared by hand-written exposition text.
type textFamily struct {
	name          string
	at            int
	typ           string
	help          string
	labels        []string
	labelsSeen    bool
	labelsUnknown bool
	mayBeAbsent   string
	absentAll     bool
}

// looksLikeExpositionText is a cheap test before scanning a string.
func looksLikeExpositionText(s string) bool {
	return strings.Contains(s, "# TYPE ") || strings.Contains(s, "# HELP ")
}

// scanText finds hand-written exposition text in a file's strings: # HELP and # TYPE lines
// declare families (a name with a hole is unresolved), and the sample lines of declared
// families give their label names. Names declared in several strings are merged.
func scanText(lits []textLit) []*def {
	fams := map[string]*textFamily{}
	var order []*textFamily
	var defs []*def
	unresolvedSeen := map[string]bool{}
	for _, tl := range lits {
		if !looksLikeExpositionText(tl.l.s) {
			continue
		}
		forLines(tl.l, func(line lit) {
			s := line.s
			var kw string
			switch {
			case strings.HasPrefix(s, "# HELP "):
				kw = "HELP"
			case strings.HasPrefix(s, "# TYPE "):
				kw = "TYPE"
			default:
				return
			}
			i := len("# HELP ")
			for i < len(s) && s[i] == ' ' {
				i++
			}
			j := i
			for j < len(s) && s[j] != ' ' && s[j] != '\t' {
				j++
			}
			name, rest := s[i:j], strings.TrimLeft(s[j:], " \t")
			if name == "" {
				return
			}
			if kw == "TYPE" && !slices.Contains(expositionTypes, strings.TrimSpace(rest)) {
				return
			}
			at := line.offs[i]
			if strings.Contains(name, hole) || !isMetricName(name) {
				v := value{s: name, why: "the name in a # " + kw + " line is filled in at run time"}
				if !strings.Contains(name, hole) {
					return // not a metric name, not a placeholder: not exposition text
				}
				if !unresolvedSeen[v.pattern()] {
					unresolvedSeen[v.pattern()] = true
					typ := ""
					if kw == "TYPE" {
						typ = strings.TrimSpace(rest)
					}
					defs = append(defs, &def{name: v, at: at, typ: typ, via: "# " + kw + " line", exposed: true, mayBeAbsent: tl.mayBeAbsent})
				}
				return
			}
			f := fams[name]
			if f == nil {
				f = &textFamily{name: name, at: at, absentAll: true}
				fams[name] = f
				order = append(order, f)
			}
			if tl.mayBeAbsent == "" {
				f.absentAll = false
			} else if f.mayBeAbsent == "" {
				f.mayBeAbsent = tl.mayBeAbsent
			}
			if kw == "TYPE" && f.typ == "" {
				f.typ = strings.TrimSpace(rest)
			}
			if kw == "HELP" && f.help == "" {
				f.help = strings.ReplaceAll(rest, hole, "…")
			}
		})
	}
	if len(fams) > 0 {
		for _, tl := range lits {
			forLines(tl.l, func(line lit) { sampleLabels(line.s, fams) })
		}
	}
	for _, f := range order {
		d := &def{name: known(f.name), at: f.at, typ: f.typ, help: f.help, labels: f.labels, via: "# TYPE line", exposed: true}
		if f.typ == "" {
			d.via = "# HELP line"
		}
		d.labelsUnknown = !f.labelsSeen || f.labelsUnknown
		if f.absentAll {
			d.mayBeAbsent = f.mayBeAbsent
		}
		defs = append(defs, d)
	}
	return defs
}

// forLines calls f with each line of l, leading blanks and a trailing \r removed.
func forLines(l lit, f func(lit)) {
	start := 0
	for start <= len(l.s) {
		end := strings.IndexByte(l.s[start:], '\n')
		if end < 0 {
			end = len(l.s)
		} else {
			end += start
		}
		i := start
		for i < end && (l.s[i] == ' ' || l.s[i] == '\t') {
			i++
		}
		j := end
		if j > i && l.s[j-1] == '\r' {
			j--
		}
		f(lit{s: l.s[i:j], offs: l.offs[i : j+1]})
		start = end + 1
	}
}

// sampleLabels reads a sample line (name{labels} value) and adds its label names to the
// declared family it belongs to.
func sampleLabels(s string, fams map[string]*textFamily) {
	if s == "" || s[0] == '#' {
		return
	}
	i := 0
	for i < len(s) && s[i] != '{' && s[i] != ' ' && s[i] != '\t' {
		i++
	}
	f := familyOf(s[:i], fams)
	if f == nil {
		return
	}
	f.labelsSeen = true
	if i == len(s) || s[i] != '{' {
		return
	}
	i++
	for i < len(s) {
		for i < len(s) && (s[i] == ' ' || s[i] == ',') {
			i++
		}
		if i >= len(s) || s[i] == '}' {
			return
		}
		j := i
		for j < len(s) && s[j] != '=' && s[j] != '}' && s[j] != ',' {
			j++
		}
		name := strings.TrimSpace(s[i:j])
		switch {
		case strings.Contains(name, hole) || !isLabelName(name):
			f.labelsUnknown = true
		case name != "le" && name != "quantile" && !slices.Contains(f.labels, name):
			f.labels = append(f.labels, name)
		}
		if j >= len(s) || s[j] != '=' {
			return
		}
		i = j + 1
		if i < len(s) && s[i] == '"' {
			i++
			for i < len(s) && s[i] != '"' {
				if s[i] == '\\' {
					i++
				}
				i++
			}
			i++
		} else {
			for i < len(s) && s[i] != ',' && s[i] != '}' {
				i++ // a placeholder value
			}
		}
	}
}

// familyOf folds a sample's series name onto the declared family it belongs to.
func familyOf(series string, fams map[string]*textFamily) *textFamily {
	if f := fams[series]; f != nil {
		return f
	}
	for _, suf := range []string{"_bucket", "_sum", "_count", "_total", "_created", "_info", "_gsum", "_gcount"} {
		base, ok := strings.CutSuffix(series, suf)
		if !ok {
			continue
		}
		if f := fams[base]; f != nil {
			switch f.typ {
			case "histogram", "gaugehistogram":
				return f
			case "summary":
				if suf == "_sum" || suf == "_count" || suf == "_created" {
					return f
				}
			case "counter":
				if suf == "_total" || suf == "_created" {
					return f
				}
			case "info":
				if suf == "_info" {
					return f
				}
			}
		}
	}
	return nil
}
