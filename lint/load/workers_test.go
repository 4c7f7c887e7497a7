package load_test

import (
	"bytes"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/driftlint/driftlint/bench/synth"
	"github.com/driftlint/driftlint/lint"
	"github.com/driftlint/driftlint/lint/load"
	"github.com/driftlint/driftlint/lint/report"
	"github.com/driftlint/driftlint/rules"
)

// checkOutput loads the project of cfg with the given number of workers, runs every rule
// with as many, and prints the findings in each format.
func checkOutput(t *testing.T, cfg *lint.Config, workers int) map[string]string {
	t.Helper()
	p, err := load.Project(cfg, load.Options{Workers: workers})
	if err != nil {
		t.Fatal(err)
	}
	res := lint.Run(p, rules.All(), lint.RunOptions{Workers: workers})
	for _, err := range res.Internal {
		t.Error(err)
	}
	source := func(path string, line int) string {
		if f := p.File(path); f != nil {
			return f.Line(line)
		}
		return ""
	}
	out := map[string]string{}
	for _, format := range report.Formats {
		var b bytes.Buffer
		if err := report.Print(&b, format, res, report.Options{Rules: rules.All(), Root: p.Root, Source: source}); err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		out[format] = b.String()
	}
	return out
}

// TestOutputDoesNotDependOnWorkers checks that one worker and eight give the same output,
// byte for byte, in every format: loaders and rules run in parallel, but files, findings
// and their order must not depend on which goroutine finished first.
func TestOutputDoesNotDependOnWorkers(t *testing.T) {
	gen := t.TempDir()
	if _, err := synth.Generate(gen, synth.Options{Rules: 1000, DriftPercent: 20}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		dir  string
	}{
		{name: "the audited dashstream project", dir: "../../fixtures/dashstream/broken"},
		{name: "a generated project with drift in every service of five", dir: gen},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			abs, err := filepath.Abs(tt.dir)
			if err != nil {
				t.Fatal(err)
			}
			cfg, err := lint.LoadConfig(filepath.Join(abs, lint.ConfigFile), lint.ConfigOptions{})
			if err != nil {
				t.Fatal(err)
			}
			one := checkOutput(t, cfg, 1)
			if one["json"] == "" || !bytes.Contains([]byte(one["json"]), []byte(`"rule"`)) {
				t.Fatalf("the project gave no findings; the test would prove nothing:\n%s", one["json"])
			}
			for range 3 { // scheduling differs from run to run
				eight := checkOutput(t, cfg, 8)
				for _, format := range report.Formats {
					if diff := cmp.Diff(one[format], eight[format]); diff != "" {
						t.Errorf("%s output with 8 workers differs from 1 worker (-1 +8):\n%s", format, diff)
					}
				}
			}
		})
	}
}
