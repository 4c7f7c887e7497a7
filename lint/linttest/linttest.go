// Package linttest runs rules over fixture trees whose files carry their expected findings,
// in the manner of golang.org/x/tools/go/analysis/analysistest.
//
// Expectations are written where the finding points:
//
//	expr: rate(a[5m]) / rate(b[5m])   # want "promql/ratio-aggregation: rate\(a"
//	# want +1 "scrape/exposition: no # TYPE"        (exposition: the line below)
//	| `x_total` | counter | - |  <!-- want "docs/labels-mismatch: x_total" -->
//	<!-- want -2 "docs/stale-metric: y" -->          (Markdown: two lines above)
//
// and for JSON, which has no comments, in a sidecar FILE.want with lines `LINE[:COL] "re"…`.
// An optional @COL pins the column. Each quoted regexp is written raw (only \" is an escape)
// and is matched against "RULE: MESSAGE"; it must start with the rule id and ": ", so that
// expectations of rules that are not being run are skipped rather than reported missing.
package linttest

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/driftlint/driftlint/lint"
	"github.com/driftlint/driftlint/lint/load"
)

// Expectation is one wanted finding.
type Expectation struct {
	File string
	Line int
	Col  int // 0: any column
	Rule string
	Re   *regexp.Regexp
	At   string // where the expectation is written, for messages
}

// Load loads a fixture tree as the CLI would: its .driftlint.yaml, or discovery.
func Load(t testing.TB, dir string) *lint.Project {
	t.Helper()
	abs, err := filepath.Abs(dir)
	if err != nil {
		t.Fatal(err)
	}
	cfgPath, err := lint.FindConfig(abs, "")
	if err != nil {
		t.Fatal(err)
	}
	cfg := lint.DefaultConfig(abs)
	if cfgPath != "" {
		if cfg, err = lint.LoadConfig(cfgPath, lint.ConfigOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	p, err := load.Project(cfg, load.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// Run loads the fixture tree dir, runs rules over it and checks the findings against the
// expectations written in its files: every finding must be expected and every expectation of
// a rule that ran must be met.
func Run(t *testing.T, dir string, rules ...*lint.Rule) *lint.Result {
	t.Helper()
	p := Load(t, dir)
	res := lint.Run(p, rules, lint.RunOptions{})
	for _, err := range res.Internal {
		t.Errorf("%v", err)
	}
	wants, err := Expectations(dir)
	if err != nil {
		t.Fatal(err)
	}
	ran := map[string]bool{}
	for _, r := range rules {
		ran[r.ID] = true
	}
	for _, msg := range Check(res.Findings, wants, ran) {
		t.Error(msg)
	}
	return res
}

// Check matches findings with expectations and describes every mismatch. Expectations of
// rules outside ran are ignored.
func Check(findings []lint.Finding, wants []Expectation, ran map[string]bool) []string {
	used := make([]bool, len(wants))
	var out []string
	for _, f := range findings {
		text := f.Rule + ": " + f.Message
		matched := false
		for i, w := range wants {
			if used[i] || w.File != f.Pos.File || w.Line != f.Pos.Line || (w.Col != 0 && w.Col != f.Pos.Col) {
				continue
			}
			if w.Re.MatchString(text) {
				used[i], matched = true, true
				break
			}
		}
		if !matched {
			out = append(out, fmt.Sprintf("unexpected finding %s: %s", f.Pos, text))
		}
	}
	for i, w := range wants {
		if !used[i] && ran[w.Rule] {
			out = append(out, fmt.Sprintf("%s: no finding at %s:%d matched %q", w.At, w.File, w.Line, w.Re))
		}
	}
	return out
}

var (
	commentWant = regexp.MustCompile(`(?:#|<!--)\s*want\s+(.*)`)
	modifiers   = regexp.MustCompile(`^\s*([+-]\d+)?\s*(?:@(\d+))?\s*`)
)

// Expectations reads every expectation written in the files under dir.
func Expectations(dir string) ([]Expectation, error) {
	var out []Expectation
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		src, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if target, ok := strings.CutSuffix(rel, ".want"); ok {
			ws, err := sidecar(target, rel, string(src))
			out = append(out, ws...)
			return err
		}
		if strings.HasSuffix(rel, ".json") || strings.HasSuffix(rel, "README.md") {
			return nil
		}
		for i, line := range strings.Split(string(src), "\n") {
			m := commentWant.FindStringSubmatch(line)
			if m == nil {
				continue
			}
			at := fmt.Sprintf("%s:%d", rel, i+1)
			ws, err := parseWants(rel, i+1, at, strings.TrimSuffix(strings.TrimSpace(m[1]), "-->"))
			if err != nil {
				return err
			}
			out = append(out, ws...)
		}
		return nil
	})
	return out, err
}

// sidecar parses a FILE.want file: lines `LINE[:COL] "re"…`; blank lines and # comments skipped.
func sidecar(file, rel, src string) ([]Expectation, error) {
	var out []Expectation
	for i, line := range strings.Split(src, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		at := fmt.Sprintf("%s:%d", rel, i+1)
		pos, rest, _ := strings.Cut(line, " ")
		lineStr, colStr, hasCol := strings.Cut(pos, ":")
		n, err := strconv.Atoi(lineStr)
		if err != nil {
			return nil, fmt.Errorf("%s: bad line number %q", at, lineStr)
		}
		mod := ""
		if hasCol {
			mod = "@" + colStr + " "
		}
		ws, err := parseWants(file, n, at, mod+rest)
		if err != nil {
			return nil, err
		}
		out = append(out, ws...)
	}
	return out, nil
}

// parseWants parses `[+N|-N] [@COL] "re"…` written at line of file.
func parseWants(file string, line int, at, s string) ([]Expectation, error) {
	m := modifiers.FindStringSubmatch(s)
	if m[1] != "" {
		d, _ := strconv.Atoi(m[1])
		line += d
	}
	col := 0
	if m[2] != "" {
		col, _ = strconv.Atoi(m[2])
	}
	s = s[len(m[0]):]
	var out []Expectation
	for {
		s = strings.TrimSpace(s)
		if s == "" || s[0] != '"' {
			break
		}
		end := 1
		for end < len(s) && s[end] != '"' {
			if s[end] == '\\' {
				end++
			}
			end++
		}
		if end >= len(s) {
			return nil, fmt.Errorf("%s: unterminated want regexp", at)
		}
		raw := strings.ReplaceAll(s[1:end], `\"`, `"`)
		s = s[end+1:]
		rule, _, ok := strings.Cut(raw, ": ")
		if !ok || !strings.Contains(rule, "/") {
			return nil, fmt.Errorf("%s: want regexp %q must start with a rule id and \": \"", at, raw)
		}
		re, err := regexp.Compile(raw)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", at, err)
		}
		out = append(out, Expectation{File: file, Line: line, Col: col, Rule: rule, Re: re, At: at})
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: want without a quoted regexp", at)
	}
	return out, nil
}

// Rules returns the ids of rules, for Check's ran set.
func Rules(rules []*lint.Rule) map[string]bool {
	out := map[string]bool{}
	for _, r := range slices.Clip(rules) {
		out[r.ID] = true
	}
	return out
}
