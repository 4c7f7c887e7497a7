package lint

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func testProject() *Project {
	f := NewSourceFile("a.yml", []byte("one\ntwo\nthree\n"))
	g := NewSourceFile("b.yml", []byte("x\n"))
	return &Project{Files: []*SourceFile{f, g}}
}

func reporter(id string, sev Severity, positions ...Pos) *Rule {
	return &Rule{ID: id, Severity: sev, Run: func(p *Pass) error {
		for _, pos := range positions {
			p.Reportf(pos, Subject{}, "found by %s", id)
		}
		return nil
	}}
}

func TestRun(t *testing.T) {
	a2 := Pos{File: "a.yml", Line: 2, Col: 1}
	a1 := Pos{File: "a.yml", Line: 1, Col: 3}
	b1 := Pos{File: "b.yml", Line: 1, Col: 1}
	tests := []struct {
		name     string
		rules    []*Rule
		opts     RunOptions
		want     []string
		internal []string
	}{
		{
			name:  "sorts findings by file, line, column and rule",
			rules: []*Rule{reporter("z/rule", Error, b1, a2), reporter("a/rule", Warning, a2, a1)},
			want:  []string{"a.yml:1:3: warning: found by a/rule (a/rule)", "a.yml:2:1: warning: found by a/rule (a/rule)", "a.yml:2:1: error: found by z/rule (z/rule)", "b.yml:1:1: error: found by z/rule (z/rule)"},
		},
		{
			name:  "drops exact duplicates",
			rules: []*Rule{reporter("a/rule", Error, a1, a1)},
			want:  []string{"a.yml:1:3: error: found by a/rule (a/rule)"},
		},
		{
			name:  "applies severity overrides and disables rules",
			rules: []*Rule{reporter("a/rule", Error, a1), reporter("b/rule", Error, a2)},
			opts:  RunOptions{Disable: []string{"b/rule"}, Severity: map[string]Severity{"a/rule": Info}},
			want:  []string{"a.yml:1:3: info: found by a/rule (a/rule)"},
		},
		{
			name: "turns a panic into an internal error naming the rule and keeps other findings",
			rules: []*Rule{
				{ID: "bad/rule", Severity: Error, Run: func(*Pass) error { panic("assignment to entry in nil map") }},
				reporter("a/rule", Error, a1),
			},
			want:     []string{"a.yml:1:3: error: found by a/rule (a/rule)"},
			internal: []string{"internal error in rule bad/rule: assignment to entry in nil map"},
		},
		{
			name:     "turns a returned error into an internal error",
			rules:    []*Rule{{ID: "err/rule", Severity: Error, Run: func(*Pass) error { return errors.New("boom") }}},
			internal: []string{"internal error in rule err/rule: boom"},
		},
		{
			name:  "skips rules whose inputs are absent",
			rules: []*Rule{{ID: "needs/dash", Severity: Error, Needs: NeedDashboards, Run: func(*Pass) error { panic("ran") }}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := Run(testProject(), tt.rules, tt.opts)
			var got, internal []string
			for _, f := range res.Findings {
				got = append(got, f.String())
				if len(f.Fingerprint) != 16 {
					t.Errorf("fingerprint %q", f.Fingerprint)
				}
			}
			for _, e := range res.Internal {
				internal = append(internal, strings.SplitN(e.Error(), "\n", 2)[0])
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.internal, internal); diff != "" {
				t.Errorf("internal (-want +got):\n%s", diff)
			}
		})
	}
}

func TestFingerprintSurvivesLineMoves(t *testing.T) {
	rule := &Rule{ID: "a/rule", Severity: Error, Run: func(p *Pass) error {
		for _, f := range p.Project.Files {
			for n := 1; n <= f.LineCount(); n++ {
				if strings.Contains(f.Line(n), "bad") {
					p.Reportf(Pos{File: f.Path, Line: n, Col: 1}, Subject{Metric: "m"}, "bad line")
				}
			}
		}
		return nil
	}}
	before := Run(&Project{Files: []*SourceFile{NewSourceFile("a", []byte("x\nbad  thing\n"))}}, []*Rule{rule}, RunOptions{})
	after := Run(&Project{Files: []*SourceFile{NewSourceFile("a", []byte("new\nx\ny\n  bad thing\n"))}}, []*Rule{rule}, RunOptions{})
	if before.Findings[0].Fingerprint != after.Findings[0].Fingerprint {
		t.Errorf("fingerprint changed: %s vs %s", before.Findings[0].Fingerprint, after.Findings[0].Fingerprint)
	}
}

func TestHeavyRulesStartFirst(t *testing.T) {
	var started []string
	rule := func(id string, heavy bool) *Rule {
		return &Rule{ID: id, Severity: Error, Heavy: heavy, Run: func(*Pass) error {
			started = append(started, id) // one worker: no other rule runs meanwhile
			return nil
		}}
	}
	rules := []*Rule{rule("a/light", false), rule("b/heavy", true), rule("c/light", false), rule("d/heavy", true)}
	res := Run(testProject(), rules, RunOptions{Workers: 1})
	if want := []string{"b/heavy", "d/heavy", "a/light", "c/light"}; !cmp.Equal(started, want) {
		t.Errorf("started %v, want %v", started, want)
	}
	var timings []string
	for _, tm := range res.Timings {
		timings = append(timings, tm.Rule)
	}
	if want := []string{"a/light", "b/heavy", "c/light", "d/heavy"}; !cmp.Equal(timings, want) {
		t.Errorf("timings in order %v, want rule order %v", timings, want)
	}
}

func TestSampleSeries(t *testing.T) {
	for _, tt := range []struct{ line, want string }{
		{`http_requests_total{code="200",path="/a b"} 1027 1395066363000`, `http_requests_total{code="200",path="/a b"}`},
		{`http_requests_total{path="/}\"x"} 3`, `http_requests_total{path="/}\"x"}`},
		{`{"my.metric",le="0.5"} 7 # {trace_id="KOO5S4vxi0o"} 0.67`, `{"my.metric",le="0.5"}`},
		{"process_start_time_seconds 1.7e+09", "process_start_time_seconds"},
		{"  up\t1", "up"},
		{"# TYPE http_requests_total counter", "# TYPE http_requests_total counter"},
		{"", ""},
	} {
		if got := sampleSeries(tt.line); got != tt.want {
			t.Errorf("sampleSeries(%q) = %q, want %q", tt.line, got, tt.want)
		}
	}
}

func TestFingerprintIgnoresSampleValues(t *testing.T) {
	fp := func(src string) string {
		f := NewSourceFile("scrape/m.prom", []byte(src))
		p := &Project{Files: []*SourceFile{f}, Expositions: []*Exposition{{File: f}}}
		r := reporter("scrape/x", Error, Pos{File: "scrape/m.prom", Line: 2, Col: 1})
		return Run(p, []*Rule{r}, RunOptions{}).Findings[0].Fingerprint
	}
	a := fp("# TYPE q_total counter\nq_total{queue=\"a\"} 17\n")
	if b := fp("# TYPE q_total counter\nq_total{queue=\"a\"} 4 1700000000000\n"); a != b {
		t.Errorf("a new value changed the fingerprint: %s, %s", a, b)
	}
	if c := fp("# TYPE q_total counter\nq_total{queue=\"b\"} 17\n"); a == c {
		t.Errorf("another series has the same fingerprint %s", a)
	}
}

// TestFingerprintIsStable pins fingerprints, so that baselines written by earlier versions
// keep matching: sha256 of rule, file, subject and normalized line, each ended by a zero
// byte, then the message when there is no subject; the first 8 bytes in hex.
func TestFingerprintIsStable(t *testing.T) {
	want := func(parts ...string) string {
		h := sha256.New()
		for _, p := range parts {
			h.Write([]byte(p))
		}
		return hex.EncodeToString(h.Sum(nil))[:16]
	}
	f := Finding{Rule: "metric/unknown", Pos: Pos{File: "rules/a.yml", Line: 3, Col: 9}, Subject: Subject{Metric: "app_upp"}, Message: "m"}
	if got, w := fingerprint(f, "  expr:   app_upp  ==  0 "), want("metric/unknown\x00", "rules/a.yml\x00", "metric=app_upp\x00", "expr: app_upp == 0\x00"); got != w {
		t.Errorf("with a subject: %s, want %s", got, w)
	}
	f.Subject = Subject{}
	if got, w := fingerprint(f, ""), want("metric/unknown\x00", "rules/a.yml\x00", "\x00", "\x00", "m"); got != w {
		t.Errorf("without a subject: %s, want %s", got, w)
	}
}

func TestRunPerPathSettings(t *testing.T) {
	a1 := Pos{File: "a.yml", Line: 1, Col: 1}
	b1 := Pos{File: "b.yml", Line: 1, Col: 1}
	rules := []*Rule{reporter("metric/unknown", Error, a1, b1), reporter("promql/syntax", Error, a1, b1), reporter("label/unknown", Warning, a1, b1)}
	tests := []struct {
		name   string
		checks Checks
		opts   RunOptions
		want   []string
	}{
		{
			name:   "keeps a rule chosen with enable-only even where an override disables it",
			checks: Checks{Overrides: []CheckOverride{{Paths: []string{"b.yml"}, Disable: []string{"metric/unknown"}}}},
			opts:   RunOptions{EnableOnly: []string{"metric/unknown", "promql/*"}},
			want:   []string{"a.yml:1:1: error: found by metric/unknown (metric/unknown)", "a.yml:1:1: error: found by promql/syntax (promql/syntax)", "b.yml:1:1: error: found by metric/unknown (metric/unknown)", "b.yml:1:1: error: found by promql/syntax (promql/syntax)"},
		},
		{
			name:   "drops the findings of a rule an override disables, and disables categories globally",
			checks: Checks{Disable: []string{"label/*"}, Overrides: []CheckOverride{{Paths: []string{"b.yml"}, Disable: []string{"metric/unknown"}}}},
			want:   []string{"a.yml:1:1: error: found by metric/unknown (metric/unknown)", "a.yml:1:1: error: found by promql/syntax (promql/syntax)", "b.yml:1:1: error: found by promql/syntax (promql/syntax)"},
		},
		{
			name: "lets a later override win over an earlier one and over the global severity",
			checks: Checks{
				Severity: map[string]Severity{"promql/*": Warning, "metric/unknown": Info},
				Overrides: []CheckOverride{
					{Paths: []string{"*.yml"}, Severity: map[string]Severity{"promql/syntax": Info, "metric/*": Warning}},
					{Paths: []string{"b.yml"}, Severity: map[string]Severity{"promql/*": Error}},
				},
			},
			opts: RunOptions{Disable: []string{"label/unknown"}},
			want: []string{"a.yml:1:1: warning: found by metric/unknown (metric/unknown)", "a.yml:1:1: info: found by promql/syntax (promql/syntax)", "b.yml:1:1: warning: found by metric/unknown (metric/unknown)", "b.yml:1:1: error: found by promql/syntax (promql/syntax)"},
		},
		{
			name:   "lets the command line's severity win over every override",
			checks: Checks{Overrides: []CheckOverride{{Paths: []string{"a.yml"}, Severity: map[string]Severity{"promql/syntax": Info}}}},
			opts:   RunOptions{EnableOnly: []string{"promql/syntax"}, Severity: map[string]Severity{"promql/syntax": Warning}},
			want:   []string{"a.yml:1:1: warning: found by promql/syntax (promql/syntax)", "b.yml:1:1: warning: found by promql/syntax (promql/syntax)"},
		},
		{
			name:   "runs only the rules of enable-only, even those the config disables",
			checks: Checks{Disable: []string{"label/unknown"}},
			opts:   RunOptions{EnableOnly: []string{"label/unknown"}},
			want:   []string{"a.yml:1:1: warning: found by label/unknown (label/unknown)", "b.yml:1:1: warning: found by label/unknown (label/unknown)"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := testProject()
			p.Config = &Config{Checks: tt.checks}
			var got []string
			for _, f := range Run(p, rules, tt.opts).Findings {
				got = append(got, f.String())
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
		})
	}
}
