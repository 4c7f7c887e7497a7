package rules_test

import (
	"os"
	"strings"
	"testing"

	"github.com/driftlint/driftlint/lint"
	"github.com/driftlint/driftlint/lint/load/source"
)

// TestREADMEOwnershipTable checks every row of README's ownership table against the model:
// the space the definition owns, and what a query of the row's name is. The code of each row
// is written here as Python (what the Go or Rust of the row resolves to is the readers' own
// tests' business).
func TestREADMEOwnershipTable(t *testing.T) {
	code := map[string]string{
		"`\"thanos_compact_blocks_marked_total\"`":                            `Gauge("thanos_compact_blocks_marked_total", "h")`,
		"`Namespace: \"app\", Subsystem: \"http\", Name: \"requests_total\"`": `Gauge("requests_total", "h", namespace="app", subsystem="http")`,
		"`Namespace: \"loki\", Name: \"distributor_appends_total\"`":          `Gauge("distributor_appends_total", "h", namespace="loki")`,
		"`\"grpc_foo_total\"`": `Gauge("grpc_foo_total", "h")`,
		"`WrapRegistererWithPrefix(\"app_wal_\", r)` around `Name: \"appends_total\"`": `Gauge("app_wal_appends_total", "h")`,
		"`\"app_up\"` (two words)":                          `Gauge("app_up", "h")`,
		"a name known only as `app_*_seconds`":              `Gauge("app_" + os.environ["K"] + "_seconds", "h")`,
		"a name of which nothing is known (`os.Getenv(…)`)": `Gauge(os.environ["N"], "h")` + "\nB = " + `Gauge("app_http_requests_total", "h")`,
	}
	b, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, table, ok := strings.Cut(string(b), "<!-- ownership-table:")
	if !ok {
		t.Fatal("README has no ownership table")
	}
	rows := 0
	for line := range strings.SplitSeq(table, "\n") {
		if !strings.HasPrefix(line, "| ") || strings.HasPrefix(line, "| the code defines") {
			if rows > 0 && !strings.HasPrefix(line, "|") {
				break
			}
			continue
		}
		cells := strings.Split(strings.Trim(line, "| "), " | ")
		if len(cells) != 4 {
			t.Fatalf("row %q has %d cells", line, len(cells))
		}
		rows++
		def, owns, query, is := cells[0], cells[1], strings.Trim(cells[2], "`"), cells[3]
		py, ok := code[def]
		if !ok {
			t.Errorf("row %q: no code for it in this test", def)
			continue
		}
		f := lint.NewSourceFile("m.py", []byte("import os\nfrom prometheus_client import Gauge\nA = "+py+"\n"))
		expos, _ := source.LoadFiles([]*lint.SourceFile{f})
		p := &lint.Project{Expositions: expos}
		if got := owned(expos); got != owns {
			t.Errorf("row %s: owns %s, README says %s", def, got, owns)
		}
		if got := classify(p, query); got != is {
			t.Errorf("row %s: a query of %s is %q, README says %q", def, query, got, is)
		}
	}
	if rows != len(code) {
		t.Errorf("%d rows in README's ownership table, %d here", rows, len(code))
	}
}

// owned is the space the row's definition owns, as the table writes it.
func owned(expos []*lint.Exposition) string {
	name := ""
	for _, e := range expos {
		for _, n := range e.Order {
			if e.Families[n].FirstAt.Line == 3 { // the row's definition, A = …
				name = n
			}
		}
	}
	if name == "" {
		return "nothing"
	}
	if sp, ok := source.OwnedSpace(name); ok {
		return "`" + sp + "_*`"
	}
	return "`" + name + "` only"
}

// classify says what metric/unknown makes of a query of name, in the table's words.
func classify(p *lint.Project, name string) string {
	if _, ok := p.Lookup(name); ok {
		return "defined"
	}
	if _, ok := p.Excused(name); ok {
		return "unverified (excused)"
	}
	if !p.Covered(name) {
		if p.NearName(name) != "" {
			return "a warning (did you mean)"
		}
		return "unverified"
	}
	if p.Suggest(name) == "" && len(p.Unresolved()) > 0 {
		return "unknown, saying how to declare it"
	}
	return "unknown"
}
