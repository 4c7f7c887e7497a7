package markdown

import (
	"strings"
	"testing"
	"time"

	"github.com/driftlint/driftlint/lint"
)

func TestLoadLimitsNesting(t *testing.T) {
	const hint = "the config cannot raise it; --limit markdown_depth=VALUE on the command line can; not read as Markdown"
	tests := []struct {
		name  string
		src   string
		depth int
		want  []string // problems
		heads int      // headings read
	}{
		{
			name: "stops 100,000 list markers on one line before goldmark", depth: 100,
			src:  "# Runbook\n\n" + strings.Repeat("- ", 100_000) + "x\n",
			want: []string{"r.md:3:1: lists and block quotes nest deeper at this line, more than the limit of 100 (markdown_depth); " + hint},
		},
		{
			name: "stops nested block quotes at the line past the limit", depth: 5,
			src:  "# A\n\n> > > > > ok\n\n> > > > > > deep\n",
			want: []string{"r.md:5:1: lists and block quotes nest deeper at this line, more than the limit of 5 (markdown_depth); " + hint},
		},
		{
			name: "reads a file nested to the limit", depth: 5,
			src: "# A\n\n- - - - - x\n\n## B\n", heads: 2,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := lint.DefaultLimits
			l.MarkdownDepth = tt.depth
			defer lint.SetLimits(lint.SetLimits(l))
			start := time.Now()
			res := Load(lint.NewSourceFile("r.md", []byte(tt.src)), true, false)
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("took %s", d)
			}
			var got []string
			for _, p := range res.Problems {
				got = append(got, p.At.String()+": "+p.Message)
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("problems %q\nwant %q", got, tt.want)
			}
			if len(res.Markdown.Headings) != tt.heads {
				t.Errorf("%d headings, want %d", len(res.Markdown.Headings), tt.heads)
			}
		})
	}
}

func TestYAMLBlockLimitsNesting(t *testing.T) {
	l := lint.DefaultLimits
	l.YAMLDepth = 4
	defer lint.SetLimits(lint.SetLimits(l))
	src := "# Runbook\n\n```yaml\n- alert: A\n  expr: up == 0\n```\n\n```yaml\n- alert: B\n  expr: up == 0\n  labels: {a: [[[1]]]}\n```\n"
	res := Load(lint.NewSourceFile("r.md", []byte(src)), true, false)
	var got []string
	for _, p := range res.Problems {
		got = append(got, p.At.String()+": "+p.Message)
	}
	want := "r.md:11:1: yaml code block: the YAML nests deeper at this line, more than the limit of 4 (yaml_depth); the config cannot raise it; --limit yaml_depth=VALUE on the command line can; not read"
	if strings.Join(got, "\n") != want {
		t.Errorf("problems %q\nwant %q", got, want)
	}
	if len(res.Alerts) != 1 || res.Alerts[0].Name != "A" {
		t.Errorf("alerts %v, want A only", res.Alerts)
	}
}
