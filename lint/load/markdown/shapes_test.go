package markdown

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/driftlint/driftlint/lint"
)

func TestDocShapes(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string // name type [labels] prose line:col
	}{
		{
			name: "a paragraph that begins with a metric name in code documents it in prose",
			src:  "# M\n\n`app_mau_current` records the number of users.\n\nIt also reads `app_other_total` in passing.\n",
			want: []string{"app_mau_current  - prose 3:2"},
		},
		{
			name: "a name both listed and in prose is the listed one",
			src:  "`app_x_total` counts.\n\n- `app_x_total`: the count\n",
			want: []string{"app_x_total  - listed 3:4"},
		},
		{
			name: "a bullet gives the type after the name",
			src:  "- `app_a_total` (counter): a\n- `app_b` — gauge — b\n- `app_c_seconds`: Histogram. c\n- `app_d_total`: Summary of things\n- `app_e` Info metric\n",
			want: []string{"app_a_total counter - listed 1:4", "app_b gauge - listed 2:4", "app_c_seconds histogram - listed 3:4", "app_d_total  - listed 4:4", "app_e info - listed 5:4"},
		},
		{
			name: "a heading with a Labels: list documents the labels",
			src:  "## `app_logins_total`\n\nLogins.\n\n**Labels:**\n\n- `provider`: who\n- tenant — the tenant\n",
			want: []string{"app_logins_total  [provider tenant] listed 1:5"},
		},
		{
			name: "a heading with inline labels documents them",
			src:  "## `app_logins_total`\n\nLabels: `provider`, `tenant`.\n",
			want: []string{"app_logins_total  [provider tenant] listed 1:5"},
		},
		{
			name: "a heading with a Label table documents the labels",
			src:  "## `app_s`\n\n| Label | Meaning |\n|---|---|\n| `region` | r |\n| zone | z |\n",
			want: []string{"app_s  [region zone] listed 1:5"},
		},
		{
			name: "a list without a Labels: paragraph is no labels list",
			src:  "## `app_s`\n\n- `region`\n",
			want: []string{"app_s  - listed 1:5"},
		},
		{
			name: "an exposition block without a language documents names, types and labels",
			src:  "```\n# HELP app_j Jobs.\n# TYPE app_j counter\napp_j{kind=\"a\",le=\"1\"} 1\napp_j{kind=\"b\",zone=\"x,y\"} 1\n```\n",
			want: []string{"app_j counter [kind zone] listed 2:8"},
		},
		{
			name: "a plain block of samples alone is an example",
			src:  "```text\napp_j{kind=\"a\"} 1\n```\n",
		},
		{
			name: "terraform-docs inputs and outputs are not metrics",
			src:  "## Inputs\n\n| Name | Description | Type | Default | Required |\n|---|---|---|---|---|\n| cluster_name | c | `string` | n/a | yes |\n\n## Outputs\n\n| Name | Description |\n|---|---|\n| cluster_id | id |\n",
		},
		{
			name: "a flags table is not metrics, wherever it is",
			src:  "# Usage\n\n| Flag | Name | Description |\n|---|---|---|\n| -l | listen_address | l |\n",
		},
		{
			name: "a Metric column is metrics even under an options heading",
			src:  "## Outputs\n\n| Metric | Description |\n|---|---|\n| `app_out_total` | o |\n",
			want: []string{"app_out_total  - listed 5:4"},
		},
		{
			name: "a Name column of metric names under another heading is read",
			src:  "## Exported series\n\n| Name | Description |\n|---|---|\n| app_uploads_total | u |\n",
			want: []string{"app_uploads_total  - listed 5:3"},
		},
		{
			name: "an mdx page with imports and JSX is read",
			src:  "import Tabs from '@theme/Tabs';\n\n<Tabs>\n\n| Metric | Type |\n|---|---|\n| `app_r_total` | counter |\n\n</Tabs>\n",
			want: []string{"app_r_total counter - listed 7:4"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := Load(lint.NewSourceFile("docs/m.mdx", []byte(tt.src)), false, true)
			var got []string
			for _, e := range res.DocEntries {
				labels, kind := "-", "listed"
				if e.HasLabels {
					labels = "[" + strings.Join(e.Labels, " ") + "]"
				}
				if e.Prose {
					kind = "prose"
				}
				got = append(got, fmt.Sprintf("%s %s %s %s %d:%d", e.Name, e.Type, labels, kind, e.At.Line, e.At.Col))
			}
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("doc entries (-want +got):\n%s", d)
			}
		})
	}
}
