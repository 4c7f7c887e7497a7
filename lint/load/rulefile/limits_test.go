package rulefile

import (
	"strings"
	"testing"
	"time"

	"github.com/driftlint/driftlint/lint"
)

func TestLoadLimitsYAMLDepth(t *testing.T) {
	const msg = "the YAML nests deeper at this line, more than the limit of 512 (yaml_depth); the config cannot raise it; --limit yaml_depth=VALUE on the command line can; not read"
	tests := []struct {
		name  string
		src   string
		want  []string
		rules int
	}{
		{
			name:  "reads a rule file under the limit",
			src:   "groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up == 0\n        labels: {a: " + strings.Repeat("[", 500) + strings.Repeat("]", 500) + "}\n",
			want:  []string{"r.yaml:6:1: line 6: cannot unmarshal !!seq into string"}, // decoded: only rulefmt's type check complains
			rules: 1,
		},
		{
			name: "stops flow brackets past the limit before decoding",
			src:  "groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up == 0\n        labels: {a: " + strings.Repeat("[", 100_000) + "}\n",
			want: []string{"r.yaml:6:1: " + msg},
		},
		{
			name: "stops 100,000 nested sequences on one line",
			src:  "groups:\n" + strings.Repeat("- ", 100_000) + "x\n",
			want: []string{"r.yaml:2:1: " + msg},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			res := Load(lint.NewSourceFile("r.yaml", []byte(tt.src)))
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("took %s", d)
			}
			var got []string
			for _, p := range res.Problems {
				got = append(got, p.At.String()+": "+p.Message)
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") || len(res.Rules) != tt.rules {
				t.Errorf("problems %q (%d rules)\nwant %q (%d rules)", got, len(res.Rules), tt.want, tt.rules)
			}
		})
	}
}
