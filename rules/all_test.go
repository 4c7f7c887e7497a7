package rules

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var idPattern = regexp.MustCompile(`^[a-z]+/[a-z0-9]+(-[a-z0-9]+)*$`)

func TestRegistry(t *testing.T) {
	seen := map[string]bool{}
	prev := ""
	for _, r := range All() {
		t.Run(r.ID, func(t *testing.T) {
			if !idPattern.MatchString(r.ID) {
				t.Errorf("id %q is not category/kebab-case", r.ID)
			}
			if seen[r.ID] {
				t.Errorf("id %q registered twice", r.ID)
			}
			if r.ID < prev {
				t.Errorf("registry is not in id order: %q after %q", r.ID, prev)
			}
			if r.Run == nil {
				t.Error("Run is nil")
			}
			if r.Severity == 0 {
				t.Error("no default severity")
			}
			s := r.Summary
			if s == "" || len(s) > 70 || strings.HasSuffix(s, ".") || !lowerStart(s) {
				t.Errorf("summary %q: want one lower-case line of at most 70 bytes without a period", s)
			}
			if !strings.Contains(r.Doc, "Bad") || !strings.Contains(r.Doc, "Good") {
				t.Error("Doc needs a Bad and a Good example")
			}
		})
		seen[r.ID] = true
		prev = r.ID
	}
}

func TestREADMEListsEveryRule(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range All() {
		if !strings.Contains(string(readme), "`"+r.ID+"`") {
			t.Errorf("README.md does not list rule `%s`", r.ID)
		}
	}
}

// The project's own documents hold no merge conflict markers (a merge once committed README.md
// with them, and every other test still passed).
func TestDocsHaveNoConflictMarkers(t *testing.T) {
	docs, err := filepath.Glob("../docs/*.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range append(docs, "../README.md", "../SECURITY.md") {
		src, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(src), "\n") {
			if strings.HasPrefix(line, "<<<<<<< ") || strings.HasPrefix(line, ">>>>>>> ") || line == "=======" {
				t.Errorf("%s:%d: a merge conflict marker: %q", p, i+1, line)
			}
		}
	}
}

// lowerStart reports whether a summary starts lower-case, allowing a leading acronym
// ("PromQL in any artifact …").
func lowerStart(s string) bool {
	first := strings.Fields(s)[0]
	upper := 0
	for _, r := range first {
		if r >= 'A' && r <= 'Z' {
			upper++
		}
	}
	return upper == 0 || upper > 1
}
