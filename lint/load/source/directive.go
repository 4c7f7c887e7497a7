package source

import (
	"fmt"
	"strings"

	"github.com/prometheus/common/model"

	"github.com/driftlint/driftlint/lint"
)

// DirectiveMarker starts a declaration, in a comment of the host language, of what a metric
// definition whose name driftlint cannot read defines:
//
//	// driftlint:metric app_jobs_total counter job,queue
//	# driftlint:metric app_jobs_total counter job,queue
//
// NAME is the family name as exposed (no globs), TYPE and the comma-separated LABELs are
// optional. It stands on the definition's line or up to directiveReach lines above it; several
// may stand above one definition (a helper that defines one metric per call).
const DirectiveMarker = "driftlint:metric"

// directiveReach is how many lines above a definition's name a directive may stand: a
// constructor call and its options often span a few lines before the name.
const directiveReach = 6

// directive is one driftlint:metric comment.
type directive struct {
	at     int // file offset of the marker
	line   int
	name   string
	typ    string
	labels []string
	used   bool
}

var directiveTypes = map[string]bool{"counter": true, "gauge": true, "histogram": true, "summary": true, "info": true, "stateset": true, "untyped": true}

// scanDirectives finds the directives of a file; a malformed one is a problem at it.
func scanDirectives(f *lint.SourceFile) (ds []*directive, probs []lint.ParseProblem) {
	text := f.Text()
	for off := 0; ; {
		i := strings.Index(text[off:], DirectiveMarker)
		if i < 0 {
			return ds, probs
		}
		at := off + i
		off = at + len(DirectiveMarker)
		if !commentStart(text[:at]) {
			continue // inside a string or a longer comment: not a directive
		}
		end := strings.IndexAny(text[off:], "\r\n")
		if end < 0 {
			end = len(text) - off
		}
		rest := text[off : off+end]
		for _, c := range []string{" #", " //"} { // a further comment ends it
			if i := strings.Index(rest, c); i >= 0 {
				rest = rest[:i]
			}
		}
		rest = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "*/"))
		fields := strings.Fields(rest)
		d := &directive{at: at, line: f.Pos(at).Line}
		bad := func(why string) {
			probs = append(probs, lint.ParseProblem{At: f.Pos(at), Message: fmt.Sprintf("%s comment %s: want %s NAME [TYPE] [LABEL,…]", DirectiveMarker, why, DirectiveMarker)})
		}
		if len(fields) == 0 {
			bad("names no metric")
			continue
		}
		d.name = fields[0]
		if strings.ContainsAny(d.name, "*?[") || !model.LegacyValidation.IsValidMetricName(d.name) {
			bad(fmt.Sprintf("names %q, which is not a metric name (no globs)", d.name))
			continue
		}
		fields = fields[1:]
		if len(fields) > 0 && directiveTypes[strings.ToLower(fields[0])] {
			d.typ = strings.ToLower(fields[0])
			fields = fields[1:]
		}
		if len(fields) > 1 {
			bad(fmt.Sprintf("has %q after the labels", strings.Join(fields[1:], " ")))
			continue
		}
		if len(fields) == 1 {
			for l := range strings.SplitSeq(fields[0], ",") {
				if l = strings.TrimSpace(l); l != "" {
					d.labels = append(d.labels, l)
				}
			}
		}
		ds = append(ds, d)
	}
}

// applyDirectives replaces each unresolved definition that directives stand next to by
// the definitions they declare. It returns the definitions and the directives that stand
// next to no unresolved definition.
func applyDirectives(f *lint.SourceFile, defs []*def, ds []*directive) ([]*def, []lint.Pos) {
	if len(ds) == 0 {
		return defs, nil
	}
	out := make([]*def, 0, len(defs))
	for _, d := range defs {
		if d.name.known() {
			out = append(out, d)
			continue
		}
		line := f.Pos(d.at).Line
		var declared []*def
		for _, x := range ds {
			if x.line <= line && x.line >= line-directiveReach && !x.used {
				x.used = true
				typ := x.typ
				if typ == "" {
					typ = d.typ
				}
				declared = append(declared, &def{
					name: known(x.name), at: d.at, typ: typ, help: d.help, labels: x.labels, labelsUnknown: len(x.labels) == 0 && d.labelsUnknown,
					via: d.via, mayBeAbsent: d.mayBeAbsent, exposed: true,
				})
			}
		}
		if len(declared) == 0 {
			out = append(out, d)
			continue
		}
		out = append(out, declared...)
	}
	var unused []lint.Pos
	for _, x := range ds {
		if !x.used {
			unused = append(unused, f.Pos(x.at))
		}
	}
	return out, unused
}

// commentStart reports whether the text before a marker ends, on its line, with the start of
// a comment (//, #, /* or a * continuing a block comment) and blanks.
func commentStart(before string) bool {
	if i := strings.LastIndexAny(before, "\r\n"); i >= 0 {
		before = before[i+1:]
	}
	before = strings.TrimRight(before, " \t")
	for _, c := range []string{"//", "#", "/*", "*", "//!", "///"} {
		if strings.HasSuffix(before, c) {
			return true
		}
	}
	return false
}
