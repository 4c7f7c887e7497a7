package synth

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Hostile writes a project of hostile and broken inputs of about mb megabytes in total
// under dir, with its .driftlint.yaml: YAML alias bombs (exponential and quadratic), YAML
// and JSON nested thousands deep, a PromQL expression of a megabyte and one nested
// thousands of parentheses deep, Markdown made of brackets, a table with thousands of
// columns, scrapes with huge families, broken lines and label sets, and big files of noise.
// It returns the number of bytes written.
//
// Every part of the tree grows with mb: the files whose hostility is a fixed shape (the
// exponential alias bomb, YAML and JSON nested thousands deep) are written once per 8
// megabytes, so that trees of 8, 16, 32 and 64 megabytes have the same composition and a
// run's time and memory on them can be compared as a function of the size alone.
func Hostile(dir string, mb int) (int64, error) {
	g := &gen{dir: dir, st: &Stats{}}
	for _, sub := range []string{"rules", "dashboards", "docs", "scrapes", "health"} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o755); err != nil {
			return 0, err
		}
	}
	unit := max(1, mb) << 20 / 16 // each kind gets a share of the size
	copies := max(1, mb/8)
	// fixed writes the file of a fixed shape rel once per 8 megabytes: rel, then rel with
	// -2, -3, … before its extension. It returns the names written.
	fixed := func(rel string, fill func(w *bufio.Writer)) []string {
		names := []string{rel}
		ext := filepath.Ext(rel)
		for i := 2; i <= copies; i++ {
			names = append(names, fmt.Sprintf("%s-%d%s", strings.TrimSuffix(rel, ext), i, ext))
		}
		for _, n := range names {
			g.write(n, fill)
		}
		return names
	}
	rep := func(w *bufio.Writer, s string, n int) {
		for range n {
			_, _ = w.WriteString(s)
		}
	}
	// Rules.
	fixed("rules/exponential-aliases.yml", func(w *bufio.Writer) {
		_, _ = w.WriteString("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n")
		prev := "a"
		for _, n := range []string{"b", "c", "d", "e", "f", "g", "h", "i"} {
			fmt.Fprintf(w, "%s: &%s [%s]\n", n, n, strings.TrimSuffix(strings.Repeat("*"+prev+",", 9), ","))
			prev = n
		}
		fmt.Fprintf(w, "groups: *%s\n", prev)
	})
	g.write("rules/quadratic-aliases.yml", func(w *bufio.Writer) {
		n := unit / 8
		_, _ = w.WriteString("r: &r {alert: A, expr: up, annotations: {summary: '{{ $labels.job }}'}}\ng: &g {name: g, rules: [")
		rep(w, "*r, ", n/2)
		_, _ = w.WriteString("*r]}\ngroups: [")
		rep(w, "*g, ", n/2)
		_, _ = w.WriteString("*g]\n")
	})
	fixed("rules/deep-flow.yml", func(w *bufio.Writer) {
		_, _ = w.WriteString("groups: ")
		rep(w, "[", 20000)
		rep(w, "]", 20000)
		_, _ = w.WriteString("\n")
	})
	fixed("rules/deep-block.yml", func(w *bufio.Writer) {
		_, _ = w.WriteString("groups:\n")
		for i := range 3000 {
			fmt.Fprintf(w, "%s- k:\n", strings.Repeat(" ", i))
		}
	})
	g.write("rules/long-expr.yml", func(w *bufio.Writer) {
		_, _ = w.WriteString("groups:\n  - name: long\n    rules:\n      - alert: Long\n        expr: up")
		rep(w, " + rate(x_total{job=\"a\"}[5m])", unit/32)
		_, _ = w.WriteString(" > 0\n      - alert: Deep\n        expr: ")
		rep(w, "(", 5000)
		_, _ = w.WriteString("up")
		rep(w, ")", 5000)
		_, _ = w.WriteString("\n      - alert: DeepUnclosed\n        expr: ")
		rep(w, "sum(", 5000)
		_, _ = w.WriteString("\n")
	})
	g.write("rules/many-rules.yml", func(w *bufio.Writer) {
		_, _ = w.WriteString("groups:\n  - name: many\n    rules:\n")
		for i := 0; i < unit/120; i++ {
			fmt.Fprintf(w, "      - alert: A%d\n        expr: rate(x_total[5m]) / rate(y_total[5m]) > %d\n        annotations: {summary: '{{ $labels.nope }}'}\n", i, i)
		}
	})
	// Dashboards.
	fixed("dashboards/deep.json", func(w *bufio.Writer) {
		_, _ = w.WriteString(`{"panels": `)
		rep(w, "[", 200000)
		rep(w, "]", 200000)
		_, _ = w.WriteString("}\n")
	})
	fixed("dashboards/deep-objects.json", func(w *bufio.Writer) {
		_, _ = w.WriteString(`{"panels": [`)
		rep(w, `{"panels": [`, 9000)
		rep(w, `]}`, 9000)
		_, _ = w.WriteString("]}\n")
	})
	g.write("dashboards/wide.json", func(w *bufio.Writer) {
		_, _ = w.WriteString(`{"title": "wide", "panels": [`)
		n := unit / 160
		for i := range n {
			fmt.Fprintf(w, `{"title": "p%d", "targets": [{"expr": "sum by ($g) (rate(x_total{job=~\"$job\"}[$__rate_interval])) / \u0073um(rate(y_total[5m]))", "legendFormat": "{{nope}}"}]}`, i)
			if i < n-1 {
				_, _ = w.WriteString(",")
			}
		}
		_, _ = w.WriteString(`], "templating": {"list": [{"name": "x", "query": "label_values(up, job)"}]}}` + "\n")
	})
	g.write("dashboards/truncated.json", func(w *bufio.Writer) {
		_, _ = w.WriteString(`{"panels": [{"targets": [{"expr": "`)
		rep(w, "\\\"", unit/4)
	})
	// Markdown.
	g.write("docs/brackets.md", func(w *bufio.Writer) {
		rep(w, "[", unit/2)
		rep(w, "]", unit/2)
		rep(w, "<!-- ", 1000)
	})
	g.write("docs/wide-table.md", func(w *bufio.Writer) {
		_, _ = w.WriteString("| Metric | Type | Labels |")
		rep(w, " x |", 5000)
		_, _ = w.WriteString("\n|---|---|---|")
		rep(w, "---|", 5000)
		_, _ = w.WriteString("\n")
		for i := 0; i < unit/40000; i++ {
			fmt.Fprintf(w, "| `m%d_total` | counter | `a`, `b` |", i)
			rep(w, " y |", 5000)
			_, _ = w.WriteString("\n")
		}
	})
	g.write("docs/fences.md", func(w *bufio.Writer) {
		for i := 0; i < unit/200; i++ {
			fmt.Fprintf(w, "## H%d\n\n```promql\nsum(rate(m%d_total[5m])\n```\n\n```yaml\n- alert: A%d\n  expr: [[[\n```\n", i, i, i)
		}
	})
	// Scrapes.
	g.write("scrapes/huge-family.prom", func(w *bufio.Writer) {
		_, _ = w.WriteString("# HELP huge_total A huge family.\n# TYPE huge_total counter\n")
		for i := 0; i < unit/48; i++ {
			fmt.Fprintf(w, "huge_total{id=\"%d\",k=\"v\"} %d\n", i, i)
		}
	})
	g.write("scrapes/broken.prom", func(w *bufio.Writer) {
		for i := 0; i < unit/40; i++ {
			fmt.Fprintf(w, "bad{a=\"%d\" %d\n", i, i)
		}
	})
	g.write("scrapes/many-labels.prom", func(w *bufio.Writer) {
		for i := range 20 {
			fmt.Fprintf(w, "wide_metric{")
			for j := 0; j < unit/400; j++ {
				fmt.Fprintf(w, "l%d=\"v\",", j)
			}
			fmt.Fprintf(w, "i=\"%d\"} 1\n", i)
		}
	})
	// Health.
	deepHealth := fixed("health/deep.json", func(w *bufio.Writer) {
		rep(w, `{"a":`, 100000)
		_, _ = w.WriteString("1")
		rep(w, "}", 100000)
	})
	g.write("health/wide.json", func(w *bufio.Writer) {
		_, _ = w.WriteString("{")
		for i := 0; i < unit/24; i++ {
			fmt.Fprintf(w, "\"k%d\": [1, {\"x\": %d}],", i, i)
		}
		_, _ = w.WriteString("\"end\": true}\n")
	})
	g.write(".driftlint.yaml", func(w *bufio.Writer) {
		_, _ = w.WriteString("# generated by bench/gen -hostile\nrules: [rules/*.yml]\ndashboards: [dashboards/*.json]\nrunbooks: [docs/*.md]\nmetrics_docs: [docs/*.md]\nexposition:\n")
		for _, f := range []string{"huge-family", "broken", "many-labels"} {
			fmt.Fprintf(w, "  - file: scrapes/%s.prom\n", f)
		}
		_, _ = w.WriteString("health:\n")
		for _, f := range append(deepHealth, "health/wide.json") {
			fmt.Fprintf(w, "  - file: %s\n", f)
		}
	})
	return g.st.Bytes, g.err
}
