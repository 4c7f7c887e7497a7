package yamlpos

import (
	"fmt"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/driftlint/driftlint/lint"
)

// TestScalarMapsEveryByte checks that each non-blank byte of a decoded scalar maps to the
// same byte in the source, for every scalar style.
func TestScalarMapsEveryByte(t *testing.T) {
	tests := []struct {
		name string
		src  string
	}{
		{"plain", "v: sum(rate(x_total[5m]))\n"},
		{"plain over two lines", "v: sum(rate(x_total[5m]))\n  / 2\n"},
		{"single-quoted with a doubled quote", "v: 'up{job=''a''} == 0'\n"},
		{"double-quoted with escapes", "v: \"up{job=\\\"a\\\"}\\t== 0\"\n"},
		{"literal block", "v: |\n  sum(x)\n    / sum(y)\n"},
		{"folded block", "v: >\n  sum(x)\n  / sum(y)\n"},
		{"after non-ASCII text", "ü: {k: Überlast, v: foo_total > 1}\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := lint.NewSourceFile("f.yml", []byte(tt.src))
			text := New(lint.VerbatimSpan(f, 0, len(f.Src)))
			var doc yaml.Node
			if err := yaml.Unmarshal(f.Src, &doc); err != nil {
				t.Fatal(err)
			}
			v := MapValue(Resolve(doc.Content[0]), "v")
			if v == nil {
				v = MapValue(MapValue(doc.Content[0], "ü"), "v")
			}
			span := text.Scalar(v)
			if span.Value != v.Value {
				t.Fatalf("value %q, want %q", span.Value, v.Value)
			}
			for i := range len(span.Value) {
				c := span.Value[i]
				if c == ' ' || c == '\n' || c == '\t' || c == '\'' || c == '"' {
					continue
				}
				if got := f.Src[span.Offset(i)]; got != c {
					t.Errorf("byte %d %q maps to %q at %s", i, c, got, span.Pos(i))
				}
			}
		})
	}
}

func TestEmbeddedText(t *testing.T) {
	// YAML inside a block scalar of another YAML file: positions land in the outer file.
	src := "data:\n  rules.yml: |\n    groups:\n      - name: g\n"
	f := lint.NewSourceFile("cm.yml", []byte(src))
	outer := New(lint.VerbatimSpan(f, 0, len(src)))
	var doc yaml.Node
	if err := yaml.Unmarshal(f.Src, &doc); err != nil {
		t.Fatal(err)
	}
	inner := New(outer.Scalar(MapValue(MapValue(doc.Content[0], "data"), "rules.yml")))
	var idoc yaml.Node
	if err := yaml.Unmarshal([]byte(inner.Span.Value), &idoc); err != nil {
		t.Fatal(err)
	}
	name := MapValue(Resolve(idoc.Content[0]).Content[1].Content[0], "name")
	if got := fmt.Sprint(inner.Pos(name)); got != "cm.yml:4:15" {
		t.Errorf("inner name at %s, want cm.yml:4:15", got)
	}
}
