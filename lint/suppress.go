package lint

import (
	"bytes"
	"path"
	"regexp"
	"slices"
	"strings"
)

// UnusedIgnoreID is the id of the rule that reports suppressions that hide nothing or lack a
// reason. Its findings come from the runner, which reads the suppression comments; the rule
// (rules.UnusedIgnore) only carries the id, documentation and default severity.
const UnusedIgnoreID = "driftlint/unused-ignore"

// Suppression comments:
//
//	expr: rate(x[5m]) > 0  # driftlint:ignore promql/rate-on-gauge x is a counter in v2
//	# driftlint:ignore metric/unknown,label/unknown exported by the sidecar, not scraped here
//	<!-- driftlint:ignore docs/stale-metric removed in 3.0, kept for old dashboards -->
//
// The # form is for YAML, expositions and other line-comment files, and for the lines of
// fenced code blocks in Markdown; the <!-- --> form is for Markdown outside fences. JSON has
// no comments: use the config's suppress entries, checks.disable and ignore instead. A comment after code hides
// findings on its own line; a comment alone on its line hides findings on the next line that
// is not itself such a comment, so several can be stacked. RULE is a rule id, a
// comma-separated list of them, a category ("promql/*") or "*" for every rule.
var (
	hashDirective = regexp.MustCompile(`(?:^|[ \t])#[ \t]*driftlint:ignore(?:[ \t]+(.*?))?[ \t]*$`)
	htmlDirective = regexp.MustCompile(`<!--[ \t]*driftlint:ignore(?:[ \t]+(.*?))?[ \t]*-->`)
)

const directiveWord = "driftlint:ignore"

// suppression is one driftlint:ignore comment.
type suppression struct {
	at     Pos // the comment's rule list (or the directive word when the list is missing)
	line   int // the line whose findings it hides
	items  []suppressionItem
	reason string
}

// suppressionItem is one rule pattern of a suppression's comma-separated list.
type suppressionItem struct {
	pattern string
	at      Pos
	used    bool
}

// matchRule reports whether a suppression pattern names the rule id. Findings of
// driftlint/unused-ignore itself are never suppressed by a comment.
func matchRule(pattern, id string) bool {
	if id == UnusedIgnoreID {
		return false
	}
	return pattern == "*" || RuleMatches(pattern, id)
}

// scanSuppressions finds every suppression comment in the project's files.
func scanSuppressions(p *Project) []*suppression {
	var out []*suppression
	for _, f := range p.Files {
		if f == nil || !bytes.Contains(f.Src, []byte(directiveWord)) || strings.Contains(f.Path, "://") {
			continue
		}
		switch strings.ToLower(path.Ext(f.Path)) {
		case ".json":
			// No comments in JSON: the config's suppress entries, checks.disable and ignore apply.
		case ".md", ".markdown":
			out = append(out, scanLines(f, true)...)
		default:
			out = append(out, scanLines(f, false)...)
		}
	}
	return out
}

// scanLines reads the suppression comments of one file. In Markdown, the <!-- --> form
// applies outside fenced code blocks and the # form inside them.
func scanLines(f *SourceFile, markdown bool) []*suppression {
	n := f.LineCount()
	perLine := make([][]*suppression, n+2)
	alone := make([]bool, n+2) // the line holds nothing but suppression comments
	var fence fenceState
	for ln := 1; ln <= n; ln++ {
		line := f.Line(ln)
		hash := !markdown
		if markdown {
			inside := fence.inside
			fence.next(line)
			hash = inside && fence.inside // a fence line itself holds no comment
		}
		if !strings.Contains(line, directiveWord) {
			continue
		}
		var ss []*suppression
		rest := line
		if hash {
			if m := hashDirective.FindStringSubmatchIndex(line); m != nil {
				hashAt := m[0] + strings.IndexByte(line[m[0]:], '#')
				ss = append(ss, parseDirective(f, ln, line, hashAt, m[2], m[3]))
				rest = line[:hashAt]
			}
		} else {
			var b strings.Builder
			last := 0
			for _, m := range htmlDirective.FindAllStringSubmatchIndex(line, -1) {
				ss = append(ss, parseDirective(f, ln, line, m[0], m[2], m[3]))
				b.WriteString(line[last:m[0]])
				last = m[1]
			}
			b.WriteString(line[last:])
			rest = b.String()
		}
		if len(ss) == 0 {
			continue
		}
		perLine[ln] = ss
		alone[ln] = strings.TrimSpace(rest) == ""
	}
	var out []*suppression
	for ln := 1; ln <= n; ln++ {
		for _, s := range perLine[ln] {
			s.line = ln
			if alone[ln] {
				next := ln + 1
				for next <= n && alone[next] {
					next++
				}
				s.line = next
			}
			out = append(out, s)
		}
	}
	return out
}

// parseDirective reads "RULE[,RULE…] reason" from line[start:end] (start < 0: nothing after
// the directive word). at is where the comment starts.
func parseDirective(f *SourceFile, ln int, line string, at, start, end int) *suppression {
	word := at + strings.Index(line[at:], directiveWord)
	s := &suppression{at: Pos{File: f.Path, Line: ln, Col: word + 1}}
	if start < 0 {
		return s
	}
	payload := line[start:end]
	trimmed := strings.TrimLeft(payload, " \t")
	if strings.HasPrefix(trimmed, "#") || strings.HasPrefix(trimmed, "<!--") {
		return s // another comment follows the bare directive word
	}
	list, reason := trimmed, ""
	if i := strings.IndexAny(trimmed, " \t"); i >= 0 {
		list, reason = trimmed[:i], trimmed[i+1:]
	}
	s.reason = strings.TrimSpace(reason)
	off := start + len(payload) - len(trimmed)
	s.at = Pos{File: f.Path, Line: ln, Col: off + 1}
	for item := range strings.SplitSeq(list, ",") {
		if item != "" {
			s.items = append(s.items, suppressionItem{pattern: item, at: Pos{File: f.Path, Line: ln, Col: off + 1}})
		}
		off += len(item) + 1
	}
	return s
}

// fenceState follows Markdown fenced code blocks line by line.
type fenceState struct {
	inside bool
	char   byte
	n      int
}

// next moves past one line: it opens or closes a fence.
func (fs *fenceState) next(line string) {
	t := strings.TrimLeft(line, " \t")
	if len(t) < 3 || (t[0] != '`' && t[0] != '~') {
		return
	}
	c := t[0]
	n := 0
	for n < len(t) && t[n] == c {
		n++
	}
	if n < 3 {
		return
	}
	if !fs.inside {
		if c == '`' && strings.Contains(t[n:], "`") {
			return // an inline code span, not a fence
		}
		fs.inside, fs.char, fs.n = true, c, n
		return
	}
	if c == fs.char && n >= fs.n && strings.TrimSpace(t[n:]) == "" {
		fs.inside = false
	}
}

// suppress drops the findings that a reasoned suppression comment, a config suppress entry
// or a config ignore path hides, and returns the rest, how many were dropped, and the problems with the comments
// themselves (driftlint/unused-ignore findings, without rule or severity): a suppression
// without a reason (it hides nothing), one that names no known rule, and one whose rules ran
// but that hid no finding, and a config suppress entry that hid nothing although its rule
// ran (at the entry's position in the config). known holds the ids of the rules of this run, ran those that ran
// to completion.
func suppress(p *Project, fs []Finding, known, ran map[string]bool) (kept []Finding, dropped int, problems []Finding) {
	sups := scanSuppressions(p)
	type key struct {
		file string
		line int
	}
	byLine := map[key][]*suppression{}
	for _, s := range sups {
		if s.reason != "" {
			k := key{s.at.File, s.line}
			byLine[k] = append(byLine[k], s)
		}
	}
	var ignore []string
	var entries []SuppressEntry
	if p.Config != nil {
		ignore = p.Config.Ignore
		entries = p.Config.Suppress
	}
	entryUsed := make([]bool, len(entries))
	kept = make([]Finding, 0, len(fs))
	for _, f := range fs {
		if IgnoredPath(ignore, f.Pos.File) {
			dropped++
			continue
		}
		hidden := false
		for _, s := range byLine[key{f.Pos.File, f.Pos.Line}] {
			for i := range s.items {
				if matchRule(s.items[i].pattern, f.Rule) {
					s.items[i].used = true
					hidden = true
				}
			}
		}
		for i, e := range entries {
			if e.matches(f) {
				entryUsed[i] = true
				hidden = true
			}
		}
		if hidden {
			dropped++
			continue
		}
		kept = append(kept, f)
	}

	ids := make([]string, 0, len(known))
	for id := range known {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	report := func(at Pos, msg string) {
		if !IgnoredPath(ignore, at.File) {
			problems = append(problems, Finding{Pos: at, Message: msg})
		}
	}
	for _, s := range sups {
		if len(s.items) == 0 {
			report(s.at, "suppression names no rule: write driftlint:ignore RULE reason")
			continue
		}
		if s.reason == "" {
			report(s.at, "suppression of "+listPatterns(s.items)+" needs a reason; without one it hides nothing")
			continue
		}
		for _, it := range s.items {
			switch {
			case it.pattern == UnusedIgnoreID:
				report(it.at, "suppression of "+UnusedIgnoreID+" has no effect: disable the rule in the config instead")
			case !patternKnown(it.pattern, ids):
				msg := "suppression of " + it.pattern + " names no known rule"
				if c := Closest(it.pattern, ids); c != "" {
					msg += " (did you mean " + c + "?)"
				}
				report(it.at, msg)
			case !it.used && patternRan(it.pattern, ids, ran):
				report(it.at, "suppression of "+it.pattern+" matched no finding")
			}
		}
	}
	for _, m := range p.Markdown {
		for _, at := range m.IgnoresInTables {
			report(at, "a driftlint:ignore comment alone on a line inside a table ends the table on GitHub, so the rows below it render as text: "+
				"put the comment at the end of the row it is for (a comment above the table applies to its header row only)")
		}
	}
	for i, e := range entries {
		if !entryUsed[i] && patternRan(e.Rule, ids, ran) {
			report(p.Config.ProjectPos(e.At), "suppress entry for "+e.Rule+" matched no finding")
		}
	}
	return kept, dropped, problems
}

// matches reports whether a config suppress entry hides the finding: its rule, its primary
// file and every subject field the entry gives.
func (e SuppressEntry) matches(f Finding) bool {
	if !matchRule(e.Rule, f.Rule) || (e.Path != "" && !MatchPaths([]string{e.Path}, f.Pos.File)) {
		return false
	}
	for _, key := range subjectKeys {
		if want := *subjectField(&e.Subject, key); want != "" && *subjectField(&f.Subject, key) != want {
			return false
		}
	}
	return true
}

func listPatterns(items []suppressionItem) string {
	var ps []string
	for _, it := range items {
		ps = append(ps, it.pattern)
	}
	return strings.Join(ps, ",")
}

// patternKnown reports whether a suppression pattern names at least one rule of the run.
func patternKnown(pattern string, ids []string) bool {
	if pattern == "*" {
		return true
	}
	return slices.ContainsFunc(ids, func(id string) bool { return matchRule(pattern, id) })
}

// patternRan reports whether a rule that the pattern names ran to completion, so that a
// suppression that hid nothing is really unused (not merely for a disabled or skipped rule).
func patternRan(pattern string, ids []string, ran map[string]bool) bool {
	return slices.ContainsFunc(ids, func(id string) bool { return ran[id] && matchRule(pattern, id) })
}

// IgnoredPath reports whether a project file matches one of the config's ignore globs (a
// glob naming a folder ignores everything under it). The loader does not read such files,
// and findings in them are dropped.
func IgnoredPath(globs []string, file string) bool { return MatchPaths(globs, file) }

// MatchPaths reports whether a project file matches one of the globs; a glob naming a folder
// matches everything under it.
func MatchPaths(globs []string, file string) bool {
	if file == "" {
		return false
	}
	for _, g := range globs {
		if MatchGlob(g, file) || MatchGlob(g+"/**", file) {
			return true
		}
	}
	return false
}
