package fetch_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/driftlint/driftlint/lint"
	"github.com/driftlint/driftlint/lint/load"
	"github.com/driftlint/driftlint/rules"
)

const dashstream = "../../../fixtures/dashstream/broken"

// loadProject parses dir/.driftlint.yaml (named ".driftlint.yaml" in positions) and loads it.
func loadProject(t *testing.T, dir string) *lint.Project {
	t.Helper()
	src, err := os.ReadFile(filepath.Join(dir, lint.ConfigFile))
	if err != nil {
		t.Fatal(err)
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := lint.ParseConfig(lint.ConfigFile, abs, src)
	if err != nil {
		t.Fatal(err)
	}
	p, err := load.Project(cfg, load.Options{Context: context.Background(), Fetch: local()})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// liveCopy copies the dashstream project into a new folder and points its exposition and
// health entries at base instead of the saved files, keeping every other line where it was.
func liveCopy(t *testing.T, base string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(dashstream)); err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile(filepath.Join(dir, lint.ConfigFile))
	if err != nil {
		t.Fatal(err)
	}
	text := string(src)
	start, end := strings.Index(text, "\nexposition:\n"), strings.Index(text, "\ninvariants:\n")
	if start < 0 || end < start {
		t.Fatal("the dashstream config has no exposition block before its invariants")
	}
	lines := []string{
		"exposition:",
		"  - url: " + base + "/metrics",
		"    target: websocket-server",
		"    scrapes: 2",
		"    interval: 100ms",
		"    timeout: 5s",
		"health:",
		"  - url: " + base + "/health",
	}
	// Pad with comments so that the invariants below keep their lines.
	for len(lines) < strings.Count(text[start+1:end+1], "\n") {
		lines = slices.Insert(lines, 1, "  # served live")
	}
	block := "\n" + strings.Join(lines, "\n") + "\n"
	if strings.Count(block, "\n") != strings.Count(text[start:end+1], "\n") {
		t.Fatal("the live config block is longer than the saved one")
	}
	text = text[:start] + block + text[end+1:]
	if err := os.WriteFile(filepath.Join(dir, lint.ConfigFile), []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestProjectScrapesLive(t *testing.T) {
	s := newTwoScrapes(t)
	srv := httptest.NewServer(s)
	defer srv.Close()
	dir := t.TempDir()
	cfgSrc := fmt.Sprintf("exposition:\n  - url: %s/metrics\n    scrapes: 2\n    interval: 100ms\n    covers: [\"websocket_*\"]\n", srv.URL)
	if err := os.WriteFile(filepath.Join(dir, lint.ConfigFile), []byte(cfgSrc), 0o600); err != nil {
		t.Fatal(err)
	}
	p := loadProject(t, dir)
	type scrape struct {
		File, Target string
		Index        int
		Covers       []string
		Decreased    float64 // websocket_kafka_messages_total{status="success"}
	}
	var got []scrape
	for _, e := range p.Expositions {
		v := -1.0
		if f := e.Families["websocket_kafka_messages_total"]; f != nil {
			v = f.Samples[0].Value
		}
		got = append(got, scrape{e.File.Path, e.Target, e.Index, e.Covers, v})
	}
	want := []scrape{
		{srv.URL + "/metrics#1", srv.URL + "/metrics", 0, []string{"websocket_*"}, 111},
		{srv.URL + "/metrics#2", srv.URL + "/metrics", 1, []string{"websocket_*"}, 0},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if len(p.Expositions) == 2 && (p.Expositions[0].TimeMs != 0 || p.Expositions[1].TimeMs < 90) {
		t.Errorf("times %d, %d ms", p.Expositions[0].TimeMs, p.Expositions[1].TimeMs)
	}
	if p.File(srv.URL+"/metrics#2") == nil {
		t.Error("the fetched body is not among the project's files")
	}
}

func TestProjectRequiredScrapeFails(t *testing.T) {
	dir := t.TempDir()
	url := closedURL(t) + "/metrics"
	cfg, err := lint.ParseConfig(lint.ConfigFile, dir, []byte("exposition:\n  - url: "+url+"\n    timeout: 1s\n"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = load.Project(cfg, load.Options{Fetch: local()})
	if want := "scrape " + url + ": connection refused"; err == nil || err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}
	cfg.Exposition[0].Required = false
	p, err := load.Project(cfg, load.Options{Fetch: local()})
	if err != nil {
		t.Fatal(err)
	}
	want := []lint.ParseProblem{{At: lint.Pos{File: lint.ConfigFile, Line: 2, Col: 5}, Message: "scrape failed: " + url + ": connection refused"}}
	if diff := cmp.Diff(want, p.ParseProblems); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if len(p.Expositions) != 0 {
		t.Errorf("%d expositions", len(p.Expositions))
	}
}

// TestDashStreamLive is issue #5's "done when": driftlint against a server that serves the
// two dashstream scrapes in turn, and its health JSON, reports what the saved files give,
// file names aside. It compares the loaded facts too, so that rules registered later (the
// counter and health rules) see the same input.
func TestDashStreamLive(t *testing.T) {
	s := newTwoScrapes(t)
	srv := httptest.NewServer(s)
	defer srv.Close()
	saved := loadProject(t, dashstream)
	live := loadProject(t, liveCopy(t, srv.URL))
	names := strings.NewReplacer(
		srv.URL+"/metrics#1", "scrape/metrics-1.prom",
		srv.URL+"/metrics#2", "scrape/metrics-2.prom",
		srv.URL+"/health#1", "health/health.json",
	)

	t.Run("facts", func(t *testing.T) {
		if diff := cmp.Diff(facts(saved, nil), facts(live, names)); diff != "" {
			t.Errorf("(-saved +live):\n%s", diff)
		}
	})
	t.Run("findings", func(t *testing.T) {
		all := rules.All()
		sf := normalize(findings(lint.Run(saved, all, lint.RunOptions{}), nil))
		lf := normalize(findings(lint.Run(live, all, lint.RunOptions{}), names))
		if diff := cmp.Diff(sf, lf); diff != "" {
			t.Errorf("(-saved +live):\n%s", diff)
		}
		// The fixture expects findings of these rules (S-25, S-26): once a rule is
		// registered, the live run must report it too.
		var compared []string
		for _, id := range []string{"scrape/counter-decrease", "scrape/invariant", "scrape/exposition", "health/invariant", "health/unknown-field"} {
			if rules.ByID(id) == nil {
				continue
			}
			compared = append(compared, id)
			if !slices.ContainsFunc(lf, func(f string) bool { return strings.Contains(f, " "+id+": ") }) {
				t.Errorf("the live run reports no %s finding", id)
			}
		}
		t.Logf("%d findings each; scrape and health rules registered: %v", len(sf), compared)
	})
}

// facts renders what the loaders found in the expositions and health samples, one line each,
// with live file names replaced by the saved ones.
func facts(p *lint.Project, names *strings.Replacer) []string {
	var out []string
	add := func(format string, args ...any) {
		s := fmt.Sprintf(format, args...)
		if names != nil {
			s = names.Replace(s)
		}
		out = append(out, s)
	}
	for _, e := range p.Expositions {
		add("exposition %s target=%s index=%d families=%v covers=%v", e.File.Path, e.Target, e.Index, e.Order, e.Covers)
		for _, name := range e.Order {
			f := e.Families[name]
			add("  family %s %s help=%q labels=%v at %s/%s/%s redeclared=%v reopened=%v", f.Name, f.Type, f.Help, f.Labels, f.HelpAt, f.TypeAt, f.FirstAt, f.Redeclared, f.Reopened)
			for _, s := range f.Samples {
				add("    sample %s %v %g at %s", s.Name, s.Labels, s.Value, s.At)
			}
		}
	}
	for _, h := range p.Health {
		var paths []string
		for k, v := range h.Paths {
			paths = append(paths, k+"@"+v.String())
		}
		slices.Sort(paths)
		add("health %s partial=%v value=%v paths=%v", h.File.Path, h.Partial, h.Value, paths)
	}
	for _, pp := range p.ParseProblems {
		add("problem %s %s", pp.At, pp.Message)
	}
	return out
}

// findings renders findings without fingerprints (which hash file names).
func findings(res *lint.Result, names *strings.Replacer) []string {
	var out []string
	for _, f := range res.Findings {
		var b strings.Builder
		fmt.Fprintf(&b, "%s %s %s: %s %+v", f.Pos, f.Severity, f.Rule, f.Message, f.Subject)
		for _, r := range f.Related {
			fmt.Fprintf(&b, "\n    %s: %s", r.Pos, r.Message)
		}
		s := b.String()
		if names != nil {
			s = names.Replace(s)
		}
		out = append(out, s)
	}
	slices.Sort(out)
	return out
}

// scrapeTime matches the scrape times in messages: the saved scrapes are 15 s apart, the
// live ones as far apart as the test server allows.
var scrapeTime = regexp.MustCompile(`t=[0-9.]+(ms|s|m)\b`)

// normalize drops what legitimately differs between saved files and live scrapes: scrape
// times, and scrape/exposition problems, which a live target reports once rather than once
// per saved file.
func normalize(fs []string) []string {
	var out []string
	for _, f := range fs {
		if strings.Contains(f, " scrape/exposition: ") && strings.Contains(f, "metrics-2.prom") {
			continue
		}
		out = append(out, scrapeTime.ReplaceAllString(f, "t=T"))
	}
	return out
}
