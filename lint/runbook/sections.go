package runbook

import (
	"path"
	"sort"
	"strings"
	"unicode"

	"github.com/driftlint/driftlint/lint"
	"github.com/driftlint/driftlint/lint/load/markdown"
)

// Sections indexes the places in a project's runbooks that can stand for an alert: a
// heading named after it, an anchor equal to its slug, a runbook file named after it (one
// page per alert), and a yaml copy of the alert.
type Sections struct {
	at       map[string]lint.Pos     // lower-cased key → first place
	headings []string                // lower-cased heading texts, sorted, for suggestions
	heading  map[string]lint.Heading // lower-cased text → first heading with it
	spaced   map[string]lint.Heading // heading's words, lower-cased, space-joined → heading
}

// SectionsFor returns the project's runbook sections, built once and shared by every rule.
func SectionsFor(p *lint.Project) *Sections {
	return p.Memo("runbook.Sections", func() any { return NewSections(p.Markdown, p.RunbookAlerts) }).(*Sections)
}

// NewSections indexes the runbooks among md (Markdown.Runbook set) and the alert copies.
func NewSections(md []*lint.Markdown, copies []*lint.RuleEntry) *Sections {
	s := &Sections{at: map[string]lint.Pos{}, heading: map[string]lint.Heading{}, spaced: map[string]lint.Heading{}}
	add := func(key string, at lint.Pos) {
		key = strings.ToLower(strings.TrimSpace(key))
		if key == "" {
			return
		}
		if old, ok := s.at[key]; !ok || at.Less(old) {
			s.at[key] = at
		}
	}
	for _, m := range md {
		if m == nil || !m.Runbook || m.File == nil {
			continue
		}
		base := path.Base(m.File.Path)
		if ext := path.Ext(base); strings.EqualFold(ext, ".md") || strings.EqualFold(ext, ".markdown") {
			base = strings.TrimSuffix(base, ext)
		}
		add(base, lint.Pos{File: m.File.Path, Line: 1, Col: 1})
		for _, h := range m.Headings {
			add(h.Text, h.At)
			for _, w := range words(h.Text) {
				add(w, h.At)
			}
			if k := spacedKey(h.Text); k != "" {
				if _, ok := s.spaced[k]; !ok {
					s.spaced[k] = h
				}
			}
			lt := strings.ToLower(h.Text)
			if _, ok := s.heading[lt]; !ok && lt != "" {
				s.heading[lt] = h
				s.headings = append(s.headings, lt)
			}
		}
		for a, at := range m.Anchors {
			add(a, at)
		}
	}
	for _, c := range copies {
		if c != nil && c.Kind == lint.AlertRule {
			add(c.Name, c.NameAt)
		}
	}
	sort.Strings(s.headings)
	return s
}

// words splits a heading into the name-like words an alert name could be: "Alert:
// HighErrorRate (critical)" gives Alert, HighErrorRate, critical.
func words(text string) []string {
	return strings.FieldsFunc(text, func(r rune) bool {
		return r != '_' && r != '-' && (r < '0' || r > '9') && (r < 'a' || r > 'z') && (r < 'A' || r > 'Z') && r <= 127
	})
}

// Find returns where the runbooks cover the alert: a heading whose text (or one of its
// words) equals the name, an anchor equal to the name or its GitHub slug, a runbook file
// named after it, or a yaml copy of it. Names are compared without regard to case.
func (s *Sections) Find(alert string) (lint.Pos, bool) {
	for _, k := range []string{alert, markdown.Slug(alert)} {
		if at, ok := s.at[strings.ToLower(k)]; ok {
			return at, true
		}
	}
	return lint.Pos{}, false
}

// Len is the number of distinct heading texts, the cost of one Suggest.
func (s *Sections) Len() int { return len(s.headings) }

// Suggest returns the runbook heading whose words are the alert name's CamelCase words
// ("Loki Request Errors" for LokiRequestErrors), else the one whose text is the alert name
// with a typo (see Typo),
// for a "did you mean"; ok is false when there is none.
func (s *Sections) Suggest(alert string) (h lint.Heading, ok bool) {
	if h, ok := s.spaced[spacedKey(SplitCamel(alert))]; ok {
		return h, true
	}
	k := Typo(strings.ToLower(alert), s.headings)
	if k == "" {
		return lint.Heading{}, false
	}
	return s.heading[k], true
}

// Typo returns the candidate closest to name when it is close enough to be name with a typo:
// at most 2 edits, or a tenth of the name's length for long names. Sibling names (an alert
// …SpaceFillingUp next to …InodesFillingUp) are not typos of each other, so a looser
// "closest" would suggest the wrong page. "" when there is none.
func Typo(name string, candidates []string) string {
	return lint.ClosestWithin(name, candidates, max(2, len(name)/10))
}

// spacedKey is a heading's (or a split name's) words, lower-cased and joined by one space;
// "" when it has fewer than two words.
func spacedKey(text string) string {
	ws := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return (r < '0' || r > '9') && (r < 'a' || r > 'z') && r <= 127
	})
	if len(ws) < 2 {
		return ""
	}
	return strings.Join(ws, " ")
}

// SplitCamel splits a CamelCase name into words: LokiRequestErrors gives "Loki Request
// Errors", KubeAPIDown "Kube API Down", HTTP5xxErrors "HTTP5xx Errors"; '_' and '-' split too.
func SplitCamel(name string) string {
	var b strings.Builder
	rs := []rune(name)
	for i, r := range rs {
		if r == '_' || r == '-' {
			b.WriteByte(' ')
			continue
		}
		if i > 0 && unicode.IsUpper(r) {
			prev := rs[i-1]
			nextLower := i+1 < len(rs) && unicode.IsLower(rs[i+1])
			if unicode.IsLower(prev) || unicode.IsDigit(prev) && !unicode.IsUpper(rs[max(i-2, 0)]) || unicode.IsUpper(prev) && nextLower {
				b.WriteByte(' ')
			}
		}
		b.WriteRune(r)
	}
	return b.String()
}
