package rulefile

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/driftlint/driftlint/lint"
)

// FuzzLoad feeds arbitrary bytes to the rule-file loader, seeded with the fixtures' rule
// files: it must never panic, every problem must point into the file, and every byte of
// every rule's expression must map into the file.
func FuzzLoad(f *testing.F) {
	for _, pattern := range []string{"../../../fixtures/*/*/*.yml", "../../../fixtures/*/*/*/*.yml", "../../../fixtures/*/*/*.yaml"} {
		paths, _ := filepath.Glob(pattern)
		for _, p := range paths {
			if src, err := os.ReadFile(p); err == nil {
				f.Add(src)
			}
		}
	}
	for _, s := range []string{
		"groups:\n  - name: a\n    rules:\n      - alert: A\n        expr: |\n          up\n            == 0\n",
		"apiVersion: v1\nkind: ConfigMap\ndata:\n  r.yml: |\n    groups: [{name: g, rules: [{record: r, expr: \"sum(x)\"}]}]\n",
		"kind: PrometheusRule\nspec:\n  groups:\n    - name: g\n      rules:\n        - alert: \"A\\tB\"\n          expr: \"up{a=\\\"\\u00e9\\\"} > 0\"\n",
		"a: &a [*a]\n",
		"groups:\n- name: x\n  rules:\n  - alert: A\n    expr: >-\n      sum(x)\n      / sum(y)\n    annotations: {summary: '{{ $labels.x }}'}\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		file := lint.NewSourceFile("r.yml", src)
		res := Load(file)
		for _, p := range res.Problems {
			if p.At.File != "r.yml" || p.At.Line < 0 || p.At.Line > file.LineCount() {
				t.Fatalf("problem %q at %v, outside the file of %d lines", p.Message, p.At, file.LineCount())
			}
		}
		for _, r := range res.Rules {
			if r.Query == nil {
				t.Fatalf("rule %s has no query", r.Name)
			}
			checkSpan(t, r.Query.Text)
			for _, kv := range append(append([]lint.KV(nil), r.Labels...), r.Annotations...) {
				checkSpan(t, kv.Value)
			}
		}
	})
}

// checkSpan checks that every byte of a span maps into its file, in order.
func checkSpan(t *testing.T, s lint.Span) {
	t.Helper()
	last := -1
	for i := 0; i <= len(s.Value); i++ {
		off := s.Offset(i)
		if off < 0 || off > len(s.File.Src) {
			t.Fatalf("byte %d of %q maps to offset %d, outside the file of %d bytes", i, s.Value, off, len(s.File.Src))
		}
		if off < last {
			t.Fatalf("byte %d of %q maps to offset %d, before byte %d's %d", i, s.Value, off, i-1, last)
		}
		last = off
	}
}
