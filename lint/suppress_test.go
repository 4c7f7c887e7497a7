package lint

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// lineReporter reports a finding at every line of every file that contains marker.
func lineReporter(id, marker string) *Rule {
	return &Rule{ID: id, Severity: Error, Run: func(p *Pass) error {
		for _, f := range p.Project.Files {
			for n := 1; n <= f.LineCount(); n++ {
				if i := strings.Index(f.Line(n), marker); i >= 0 {
					p.Reportf(Pos{File: f.Path, Line: n, Col: i + 1}, Subject{Metric: marker}, "%s here", marker)
				}
			}
		}
		return nil
	}}
}

var unusedIgnoreRule = &Rule{ID: UnusedIgnoreID, Severity: Warning, Run: func(*Pass) error { return nil }}

func TestSuppressions(t *testing.T) {
	rules := []*Rule{lineReporter("metric/unknown", "BAD"), lineReporter("promql/syntax", "UGLY"), unusedIgnoreRule}
	tests := []struct {
		name       string
		file       string
		src        string
		rules      []*Rule
		opts       RunOptions
		ignore     []string
		want       []string
		suppressed int
	}{
		{
			name: "hides a finding on the line of a trailing comment",
			file: "r.yml",
			src:  "expr: BAD > 0  # driftlint:ignore metric/unknown exported by the sidecar\n",
			// Nothing left.
			suppressed: 1,
		},
		{
			name:       "hides a finding on the line after a comment alone on its line",
			file:       "r.yml",
			src:        "  # driftlint:ignore metric/unknown exported by the sidecar\nexpr: BAD > 0\nexpr: BAD > 1\n",
			want:       []string{"r.yml:3:7: error: BAD here (metric/unknown)"},
			suppressed: 1,
		},
		{
			name:       "applies stacked comments to the first line below them that is not one",
			file:       "r.yml",
			src:        "# driftlint:ignore metric/unknown one\n# driftlint:ignore promql/syntax two\nexpr: BAD + UGLY\n",
			suppressed: 2,
		},
		{
			name:       "hides every rule of a comma list, a category and a star",
			file:       "r.yml",
			src:        "a: BAD UGLY # driftlint:ignore metric/unknown,promql/syntax both\nb: BAD UGLY # driftlint:ignore metric/*,promql/* both\nc: BAD UGLY # driftlint:ignore * all\n",
			suppressed: 6,
		},
		{
			name: "does not apply a suppression without a reason and reports it",
			file: "r.yml",
			src:  "expr: BAD > 0  # driftlint:ignore metric/unknown\n",
			want: []string{
				"r.yml:1:7: error: BAD here (metric/unknown)",
				"r.yml:1:35: warning: suppression of metric/unknown needs a reason; without one it hides nothing (driftlint/unused-ignore)",
			},
		},
		{
			name: "reports a suppression that matched no finding at the unused rule of its list",
			file: "r.yml",
			src:  "expr: BAD > 0  # driftlint:ignore metric/unknown,promql/syntax the sidecar\n",
			want: []string{
				"r.yml:1:50: warning: suppression of promql/syntax matched no finding (driftlint/unused-ignore)",
			},
			suppressed: 1,
		},
		{
			name: "does not report a suppression of a disabled rule",
			file: "r.yml",
			src:  "# driftlint:ignore promql/syntax off for now\nexpr: BAD\n",
			opts: RunOptions{Disable: []string{"promql/syntax"}},
			want: []string{"r.yml:2:7: error: BAD here (metric/unknown)"},
		},
		{
			name:  "does not report a suppression of a rule skipped for missing inputs",
			file:  "r.yml",
			src:   "x: 1 # driftlint:ignore dash/rule no dashboards here\n",
			rules: []*Rule{{ID: "dash/rule", Severity: Error, Needs: NeedDashboards, Run: func(*Pass) error { return nil }}, unusedIgnoreRule},
		},
		{
			name: "reports an unknown rule with a suggestion",
			file: "r.yml",
			src:  "x: 1 # driftlint:ignore metric/unknwn typo\n",
			want: []string{"r.yml:1:25: warning: suppression of metric/unknwn names no known rule (did you mean metric/unknown?) (driftlint/unused-ignore)"},
		},
		{
			name: "reports a directive without a rule",
			file: "r.yml",
			src:  "x: BAD # driftlint:ignore\n",
			want: []string{
				"r.yml:1:4: error: BAD here (metric/unknown)",
				"r.yml:1:10: warning: suppression names no rule: write driftlint:ignore RULE reason (driftlint/unused-ignore)",
			},
		},
		{
			name: "does not let a comment suppress driftlint/unused-ignore",
			file: "r.yml",
			src:  "x: 1 # driftlint:ignore driftlint/unused-ignore nothing\n",
			want: []string{"r.yml:1:25: warning: suppression of driftlint/unused-ignore has no effect: disable the rule in the config instead (driftlint/unused-ignore)"},
		},
		{
			name:  "still applies suppressions when driftlint/unused-ignore does not run",
			file:  "r.yml",
			src:   "a: BAD # driftlint:ignore metric/unknown reason\nb: 1 # driftlint:ignore metric/unknown unused\nc: BAD # driftlint:ignore metric/unknown\n",
			rules: rules[:2],
			want:  []string{"r.yml:3:4: error: BAD here (metric/unknown)"},
			// The unused one and the one without a reason go unreported.
			suppressed: 1,
		},
		{
			name: "reads <!-- --> comments in Markdown, on the line before or the same line",
			file: "doc.md",
			src:  "<!-- driftlint:ignore metric/unknown renamed in 3.0 -->\n| BAD | counter |\n| BAD | gauge | <!-- driftlint:ignore metric/unknown also renamed -->\n| BAD | x |\n",
			want: []string{"doc.md:4:3: error: BAD here (metric/unknown)"},
			// Two hidden.
			suppressed: 2,
		},
		{
			name: "reads # comments inside Markdown fences only",
			file: "doc.md",
			src:  "# driftlint:ignore metric/unknown a heading, not a comment\nBAD\n```promql\n# driftlint:ignore metric/unknown the sidecar\nBAD\nrate(BAD[5m]) # driftlint:ignore metric/unknown again\n<!-- driftlint:ignore metric/unknown not a comment in a fence -->\nBAD\n```\n",
			want: []string{
				"doc.md:2:1: error: BAD here (metric/unknown)",
				"doc.md:8:1: error: BAD here (metric/unknown)",
			},
			suppressed: 2,
		},
		{
			name: "never reads comments in JSON",
			file: "d.json",
			src:  "{\"expr\": \"BAD # driftlint:ignore metric/unknown json\"}\n",
			want: []string{"d.json:1:11: error: BAD here (metric/unknown)"},
		},
		{
			name:       "drops findings in files matched by the config's ignore paths",
			file:       "vendor/r.yml",
			src:        "x: BAD\ny: 1 # driftlint:ignore metric/unknown unused but ignored too\n",
			ignore:     []string{"vendor"},
			suppressed: 1,
		},
		{
			name: "does not mistake a longer word for the directive",
			file: "r.yml",
			src:  "x: BAD # driftlint:ignored metric/unknown reason\n",
			want: []string{"r.yml:1:4: error: BAD here (metric/unknown)"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rs := tt.rules
			if rs == nil {
				rs = rules
			}
			p := &Project{
				Files:  []*SourceFile{NewSourceFile(tt.file, []byte(tt.src))},
				Config: &Config{Ignore: tt.ignore},
			}
			res := Run(p, rs, tt.opts)
			var got []string
			for _, f := range res.Findings {
				got = append(got, f.String())
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
			if res.Suppressed != tt.suppressed {
				t.Errorf("suppressed %d, want %d", res.Suppressed, tt.suppressed)
			}
		})
	}
}

func TestUnusedIgnoreSeverityFollowsTheConfig(t *testing.T) {
	p := &Project{
		Files:  []*SourceFile{NewSourceFile("r.yml", []byte("x: 1 # driftlint:ignore metric/unknown gone\n"))},
		Config: &Config{Checks: Checks{Severity: map[string]Severity{UnusedIgnoreID: Error}}},
	}
	res := Run(p, []*Rule{lineReporter("metric/unknown", "BAD"), unusedIgnoreRule}, RunOptions{})
	if len(res.Findings) != 1 || res.Findings[0].Severity != Error || len(res.Findings[0].Fingerprint) != 16 {
		t.Errorf("findings %v", res.Findings)
	}
}

func TestConfigSuppressEntries(t *testing.T) {
	// A dashboard-like file: one finding per line, each with its metric as the subject.
	src := "BAD\nBAD\nUGLY\n"
	rules := []*Rule{lineReporter("metric/unknown", "BAD"), lineReporter("promql/syntax", "UGLY"), unusedIgnoreRule}
	at := Pos{File: "cfg/.driftlint.yaml", Line: 4, Col: 5}
	tests := []struct {
		name       string
		entries    []SuppressEntry
		want       []string
		suppressed int
	}{
		{
			name:       "hides the findings of the rule in the matching file whose subject matches",
			entries:    []SuppressEntry{{Rule: "metric/unknown", Path: "dash/*.json", Subject: Subject{Metric: "BAD"}, Reason: "r", At: at}},
			want:       []string{"dash/a.json:3:1: error: UGLY here (promql/syntax)"},
			suppressed: 2,
		},
		{
			name:       "accepts a category and a folder as the path",
			entries:    []SuppressEntry{{Rule: "promql/*", Path: "dash", Reason: "r", At: at}},
			want:       []string{"dash/a.json:1:1: error: BAD here (metric/unknown)", "dash/a.json:2:1: error: BAD here (metric/unknown)"},
			suppressed: 1,
		},
		{
			name:    "reports an entry whose subject matches nothing at its config position",
			entries: []SuppressEntry{{Rule: "metric/unknown", Subject: Subject{Metric: "BAD", Label: "job"}, Reason: "r", At: at}},
			want: []string{
				".driftlint.yaml:4:5: warning: suppress entry for metric/unknown matched no finding (driftlint/unused-ignore)",
				"dash/a.json:1:1: error: BAD here (metric/unknown)", "dash/a.json:2:1: error: BAD here (metric/unknown)", "dash/a.json:3:1: error: UGLY here (promql/syntax)",
			},
		},
		{
			name:    "reports an entry whose path matches nothing",
			entries: []SuppressEntry{{Rule: "metric/unknown", Path: "other/**", Reason: "r", At: at}},
			want: []string{
				".driftlint.yaml:4:5: warning: suppress entry for metric/unknown matched no finding (driftlint/unused-ignore)",
				"dash/a.json:1:1: error: BAD here (metric/unknown)", "dash/a.json:2:1: error: BAD here (metric/unknown)", "dash/a.json:3:1: error: UGLY here (promql/syntax)",
			},
		},
		{
			name:    "does not report an unused entry for a rule that did not run",
			entries: []SuppressEntry{{Rule: "label/unknown", Path: "dash/a.json", Reason: "r", At: at}},
			want:    []string{"dash/a.json:1:1: error: BAD here (metric/unknown)", "dash/a.json:2:1: error: BAD here (metric/unknown)", "dash/a.json:3:1: error: UGLY here (promql/syntax)"},
		},
	}
	cfgDir, err := filepath.Abs("cfg") // the root: the config file's folder
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &Project{
				Files:  []*SourceFile{NewSourceFile("dash/a.json", []byte(src))},
				Config: &Config{Path: "cfg/.driftlint.yaml", Dir: cfgDir, Suppress: tt.entries},
			}
			res := Run(p, append(rules, &Rule{ID: "label/unknown", Needs: NeedDashboards, Run: func(*Pass) error { return nil }}), RunOptions{})
			var got []string
			for _, f := range res.Findings {
				got = append(got, f.String())
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
			if res.Suppressed != tt.suppressed {
				t.Errorf("suppressed %d, want %d", res.Suppressed, tt.suppressed)
			}
		})
	}
}
