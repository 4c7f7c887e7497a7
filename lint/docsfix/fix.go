package docsfix

import (
	"bytes"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/driftlint/driftlint/lint"
)

// edit replaces the bytes [start, end) of a file with text (an insertion when start == end).
type edit struct {
	start, end int
	text       string
}

// fixer holds the state of one Fix.
type fixer struct {
	p      *lint.Project
	ix     *Index
	tables []*table
	edits  map[*lint.SourceFile][]edit
	rename map[*lint.DocEntry]rename
}

// rename is a documented name that is not exported, renamed to the spelling of an
// undocumented family that is closest to it.
type rename struct {
	family *Family
	to     string
}

// Fix rewrites the metric tables of the project's metrics docs from its expositions and
// returns the new content of every metrics doc that changes, keyed by its project-relative
// path. Nothing is written; the caller writes the files (driftlint docs fix) or prints Diff
// for each (--diff).
//
// In every table row that documents an exported metric, a wrong type word is replaced (in
// the style of the word: counter, Counter, CounterVec, IntGauge…) and a wrong label list is
// corrected in place: labels the metric lacks are dropped, labels the doc lacks are added in
// the style of the table (backticks, separator, the word for no labels), a label renamed
// one for one is renamed where it stands. Exported families that no doc documents are added
// as rows at the end of the table whose metrics share the longest name prefix with them
// (by _-separated words), with an empty description. A documented metric that is not
// exported but whose name is close to exactly one such undocumented family (a rename) is
// renamed, keeping its row and its description (in a table row or a list item, not in a
// heading, whose anchor links may use). Everything else is left byte for byte:
// descriptions, other columns, the column layout, rows of metrics that are not exported
// (nothing is deleted), bullet-list entries (except renames), and all surrounding prose.
// Cells keep their padding so that aligned tables stay aligned where the new text fits.
//
// Fix reads only the project (the files' bytes as loaded); the result is what the docs/*
// rules (docs/stale-metric for renames, docs/undocumented-metric, docs/labels-mismatch,
// docs/type-mismatch) no longer report once the project is loaded again from the new bytes.
func Fix(p *lint.Project) (map[string][]byte, error) {
	fx := &fixer{p: p, ix: For(p), edits: map[*lint.SourceFile][]edit{}, rename: map[*lint.DocEntry]rename{}}
	byDoc := map[*lint.Markdown][]*lint.DocEntry{}
	for _, e := range p.DocEntries {
		if e.Doc != nil {
			byDoc[e.Doc] = append(byDoc[e.Doc], e)
		}
	}
	onRow := map[*lint.DocEntry]bool{}
	for _, md := range p.Markdown {
		if !md.MetricsDoc || md.File == nil {
			continue
		}
		for _, t := range findTables(md, byDoc[md]) {
			fx.tables = append(fx.tables, t)
			for _, r := range t.rows {
				if r.entry != nil {
					onRow[r.entry] = true
				}
			}
		}
	}
	fx.planRenames(onRow)
	for _, t := range fx.tables {
		fx.fixTable(t)
	}
	for _, e := range p.DocEntries {
		if rn, ok := fx.rename[e]; ok && !onRow[e] {
			if off := e.Doc.File.Offset(e.At); identAt(e.Doc.File.Src, off) == e.Name {
				fx.add(e.Doc.File, edit{off, off + len(e.Name), rn.to})
			}
		}
	}
	fx.planAdditions()
	for _, t := range fx.tables {
		fx.appendRows(t)
	}
	return fx.render()
}

func (fx *fixer) add(f *lint.SourceFile, e edit) { fx.edits[f] = append(fx.edits[f], e) }

// planRenames pairs documented metrics that are not exported with the undocumented family
// whose name is closest (Index.Suggest, so the rename is the one docs/stale-metric
// suggests), when that family is claimed by no other documented name. Names in headings
// are not renamed: links may use their anchors.
func (fx *fixer) planRenames(onRow map[*lint.DocEntry]bool) {
	type claim struct {
		entries []*lint.DocEntry
		to      []string
	}
	claims := map[*Family]*claim{}
	var order []*Family
	for _, e := range fx.p.DocEntries {
		if e.Prose || !fx.p.Covered(e.Name) || e.Doc == nil || e.Doc.File == nil {
			continue
		}
		if f, kind := fx.ix.Resolve(e.Name); f != nil || kind != 0 {
			continue
		}
		if !onRow[e] && strings.HasPrefix(strings.TrimSpace(e.Doc.File.Line(e.At.Line)), "#") {
			continue
		}
		s := fx.ix.Suggest(e.Name) // the name docs/stale-metric suggests
		f, _ := fx.ix.Resolve(s)
		if s == "" || f == nil {
			continue
		}
		if claims[f] == nil {
			claims[f] = &claim{}
			order = append(order, f)
		}
		claims[f].entries = append(claims[f].entries, e)
		claims[f].to = append(claims[f].to, s)
	}
	for _, f := range order {
		if c := claims[f]; len(c.entries) == 1 {
			fx.rename[c.entries[0]] = rename{f, c.to[0]}
		}
	}
}

// fixTable corrects the name, type and labels cells of the rows of a table.
func (fx *fixer) fixTable(t *table) {
	st := fx.styleOf(t)
	for _, r := range t.rows {
		e := r.entry
		if e == nil {
			continue
		}
		f, _ := fx.ix.Resolve(e.Name)
		name := e.Name
		if rn, ok := fx.rename[e]; ok {
			f, name = rn.family, rn.to
			if raw, c, ok := t.cell(r, t.metric); ok {
				off := t.file.Offset(e.At)
				if off >= c.start && off+len(e.Name) <= c.end && identAt(t.file.Src, off) == e.Name {
					i := off - c.start
					fx.add(t.file, edit{c.start, c.end, repad(raw, content(raw[:i]+rn.to+raw[i+len(e.Name):]), t.colWidth(t.metric))})
				}
			}
		}
		if f == nil {
			continue
		}
		if e.Type != "" && t.typ >= 0 && !TypesAgree(name, e.Type, f) {
			if raw, c, ok := t.cell(r, t.typ); ok {
				off := t.file.Offset(e.TypeAt)
				if tok := identAt(t.file.Src, off); tok != "" && off >= c.start && off+len(tok) <= c.end {
					i := off - c.start
					fx.add(t.file, edit{c.start, c.end, repad(raw, content(raw[:i]+typeWord(tok, f.Type)+raw[i+len(tok):]), t.colWidth(t.typ))})
				}
			}
		}
		if e.HasLabels && t.labels >= 0 && f.LabelsKnown {
			fx.fixLabels(t, r, f, st)
		}
	}
}

// content returns a raw cell text without its padding, for repad.
func content(raw string) string {
	_, c, _ := splitPadding(raw)
	return c
}

// fixLabels rewrites the labels cell of a row whose documented labels differ from f's.
func (fx *fixer) fixLabels(t *table, r *row, f *Family, st labelStyle) {
	e := r.entry
	undocumented, unexported := LabelDiff(e.Labels, f)
	if len(undocumented) == 0 && len(unexported) == 0 {
		return
	}
	raw, c, ok := t.cell(r, t.labels)
	if !ok {
		return
	}
	ed := labelEdit{documented: map[string]bool{}, rename: map[string]string{}, remove: map[string]bool{}}
	for _, l := range e.Labels {
		ed.documented[l] = true
	}
	add := slices.Clone(undocumented)
	var unpaired []string
	for _, l := range unexported {
		if s := lint.Closest(l, add); s != "" {
			ed.rename[l] = s
			add = slices.DeleteFunc(add, func(x string) bool { return x == s })
		} else {
			unpaired = append(unpaired, l)
		}
	}
	if len(unpaired) == 1 && len(add) == 1 {
		ed.rename[unpaired[0]] = add[0]
		unpaired, add = nil, nil
	}
	for _, l := range unpaired {
		ed.remove[l] = true
	}
	ed.add = add
	lead, body, trail := splitPadding(raw)
	out, ok := rewriteLabels(body, ed, st)
	if !ok || out == body {
		return
	}
	fx.add(t.file, edit{c.start, c.end, repad(lead+body+trail, out, t.colWidth(t.labels))})
}

// styleOf finds how a table writes labels: the first separator between two labels, code
// or plain, and its most common way of saying "no labels".
func (fx *fixer) styleOf(t *table) labelStyle {
	st := labelStyle{sep: ", ", marker: "-"}
	if t.labels < 0 {
		return st
	}
	code, plain := 0, 0
	markers := map[string]int{}
	sepFound := false
	for _, r := range t.rows {
		raw, _, ok := t.cell(r, t.labels)
		if !ok || r.entry == nil {
			continue
		}
		body := content(raw)
		if isNoLabels(body) {
			markers[body]++
			continue
		}
		if inner, _, ok := singleCodeSpan(body); ok {
			body = strings.TrimSpace(inner)
		}
		documented := map[string]bool{}
		for _, l := range r.entry.Labels {
			documented[l] = true
		}
		var prev *labelSeg
		var between string
		for _, s := range splitLabelCell(body) {
			if s.sep {
				between += s.text
				continue
			}
			if s.name == "" || !documented[s.name] {
				prev, between = nil, ""
				continue
			}
			if strings.HasPrefix(s.text, "`") {
				code++
			} else {
				plain++
			}
			if prev != nil && !sepFound && between != "" {
				st.sep, sepFound = between, true
			}
			s := s
			prev, between = &s, ""
		}
	}
	if code == 0 && plain == 0 {
		st.code = fx.codeNames(t)
	} else {
		st.code = code >= plain
	}
	best := 0
	for m, n := range markers {
		if n > best || n == best && m < st.marker {
			st.marker, best = m, n
		}
	}
	return st
}

// codeNames reports whether a table writes its metric names in backticks.
func (fx *fixer) codeNames(t *table) bool {
	for _, r := range t.rows {
		if raw, _, ok := t.cell(r, t.metric); ok && r.entry != nil {
			return strings.HasPrefix(content(raw), "`") || strings.HasPrefix(content(raw), "[`")
		}
	}
	return false
}

// planAdditions assigns every undocumented family that no rename claims to the table whose
// metrics share the longest name prefix with it (in _-separated words, then bytes); ties go
// to the first such table.
func (fx *fixer) planAdditions() {
	if len(fx.tables) == 0 {
		return
	}
	claimed := map[*Family]bool{}
	for _, rn := range fx.rename {
		claimed[rn.family] = true
	}
	for _, f := range fx.ix.Undocumented() {
		if claimed[f] {
			continue
		}
		var best *table
		bestWords, bestBytes := -1, -1
		for _, t := range fx.tables {
			for _, r := range t.rows {
				if r.entry == nil {
					continue
				}
				w, b := commonPrefix(f.Name, r.entry.Name)
				if w > bestWords || w == bestWords && b > bestBytes {
					best, bestWords, bestBytes = t, w, b
				}
			}
		}
		best.adds = append(best.adds, f)
	}
}

// commonPrefix counts the _-separated words and the bytes two names start with.
func commonPrefix(a, b string) (words, n int) {
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	words = strings.Count(a[:n], "_")
	if n == len(a) && (n == len(b) || b[n] == '_') || n == len(b) && a[n] == '_' {
		words++
	}
	return words, n
}

// appendRows adds a row for each of a table's planned families after its last row, shaped
// like that row: the same container prefix, pipes, padding, backticks and type word style.
func (fx *fixer) appendRows(t *table) {
	if len(t.adds) == 0 {
		return
	}
	src := t.file.Src
	last := t.rows[len(t.rows)-1]
	tmpl := last
	for _, r := range slices.Backward(t.rows) {
		if r.entry != nil {
			tmpl = r
			break
		}
	}
	nl := "\n"
	if last.end < len(src) && src[last.end] == '\r' {
		nl = "\r\n"
	}
	st := fx.styleOf(t)
	var b strings.Builder
	for _, f := range t.adds {
		b.WriteString(fx.newRow(t, tmpl, f, st))
		b.WriteString(nl)
	}
	text := b.String()
	at := last.end + len(nl)
	if at > len(src) || !bytes.HasPrefix(src[last.end:], []byte(nl)) {
		at, text = last.end, nl+strings.TrimSuffix(text, nl)
	}
	fx.add(t.file, edit{at, at, text})
}

// newRow writes a table row for f in the shape of the template row.
func (fx *fixer) newRow(t *table, tmpl *row, f *Family, st labelStyle) string {
	src := t.file.Src
	var b strings.Builder
	b.Write(src[tmpl.lineStart:tmpl.start])
	rowText := string(src[tmpl.start:tmpl.end])
	text := strings.TrimLeft(rowText, " \t")
	b.WriteString(rowText[:len(rowText)-len(text)])
	leading := strings.HasPrefix(text, "|")
	trailing := false
	if n := min(t.ncols, len(tmpl.cells)); n > 0 {
		end := tmpl.cells[n-1].end
		trailing = end < tmpl.end && src[end] == '|'
	}
	if leading {
		b.WriteByte('|')
	}
	for i := range t.ncols {
		raw, _, ok := t.cell(tmpl, i)
		if !ok {
			raw = "   "
		}
		old := content(raw)
		var c string
		switch i {
		case t.metric:
			c = f.Name
			if strings.HasPrefix(old, "`") || strings.HasPrefix(old, "[`") {
				c = "`" + c + "`"
			}
		case t.typ:
			tok := ""
			if tmpl.entry != nil && tmpl.entry.TypeAt.IsValid() {
				tok = identAt(src, t.file.Offset(tmpl.entry.TypeAt))
			}
			c = typeWord(tok, f.Type)
			if strings.HasPrefix(old, "`") {
				c = "`" + c + "`"
			}
		case t.labels:
			if f.LabelsKnown {
				c = st.format(f.Labels)
			}
		}
		if i > 0 {
			b.WriteByte('|')
		}
		lead, _, trail := splitPadding(raw)
		switch {
		case c == "" && t.colWidth(i) < 0:
			b.WriteString(lead)
		default:
			if trail != "" {
				trail = " "
			}
			b.WriteString(repad(lead+c+trail, c, t.colWidth(i)))
		}
	}
	if trailing {
		b.WriteByte('|')
	}
	if !trailing {
		return strings.TrimRight(b.String(), " \t")
	}
	return b.String()
}

// render applies the edits and returns the files that change.
func (fx *fixer) render() (map[string][]byte, error) {
	out := map[string][]byte{}
	for f, es := range fx.edits {
		sort.SliceStable(es, func(i, j int) bool { return es[i].start < es[j].start })
		var b bytes.Buffer
		at := 0
		for _, e := range es {
			if e.start < at || e.end < e.start || e.end > len(f.Src) {
				return nil, fmt.Errorf("%s: overlapping table edits at byte %d", f.Path, e.start)
			}
			b.Write(f.Src[at:e.start])
			b.WriteString(e.text)
			at = e.end
		}
		b.Write(f.Src[at:])
		if !bytes.Equal(b.Bytes(), f.Src) {
			out[f.Path] = b.Bytes()
		}
	}
	return out, nil
}
