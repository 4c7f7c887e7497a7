package bench_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/driftlint/driftlint/lint"
	"github.com/driftlint/driftlint/rules"
)

// BenchmarkMetricUnknownUnresolved runs metric/unknown over 2,000 definitions read from code
// and 4,000 alert queries, with no unresolved definition, and with 200 of them (half whose
// pattern excuses names, half of which nothing is known): the goal is within 1.2x.
func BenchmarkMetricUnknownUnresolved(b *testing.B) {
	for _, unresolved := range []int{0, 200} {
		dir := filepath.Join(benchDir, fmt.Sprintf("unresolved-%d", unresolved))
		writeUnresolvedProject(b, dir, 2000, 4000, unresolved)
		cfg, err := lint.LoadConfig(filepath.Join(dir, lint.ConfigFile), lint.ConfigOptions{})
		if err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("unresolved=%d", unresolved), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				b.StopTimer()
				p := mustLoad(b, cfg)
				b.StartTimer()
				res := lint.Run(p, []*lint.Rule{rules.MetricUnknown}, lint.RunOptions{Workers: 1})
				if len(res.Internal) > 0 {
					b.Fatal(res.Internal[0])
				}
			}
		})
	}
}

// writeUnresolvedProject writes a Python module defining defs gauges (and unresolved
// definitions with run-time names) and a rule file of queries alerts, a tenth of them typos.
func writeUnresolvedProject(b *testing.B, dir string, defs, queries, unresolved int) {
	b.Helper()
	var code, rs strings.Builder
	code.WriteString("import os\nfrom prometheus_client import Gauge\n\n")
	for i := range defs {
		fmt.Fprintf(&code, "G%d = Gauge(\"svc%d_area%d_items_%d\", \"Items.\")\n", i, i%20, i%50, i)
	}
	for i := range unresolved {
		if i%2 == 0 {
			fmt.Fprintf(&code, "U%d = Gauge(\"svc%d_area%d_\" + os.environ[\"K\"] + \"_seconds\", \"Run-time name.\")\n", i, i%20, i%50)
		} else {
			fmt.Fprintf(&code, "U%d = Gauge(os.environ[\"N%d\"], \"Nothing known.\")\n", i, i)
		}
	}
	rs.WriteString("groups:\n  - name: g\n    rules:\n")
	for i := range queries {
		d := i % defs
		name := fmt.Sprintf("svc%d_area%d_items_%d", d%20, d%50, d)
		if i%10 == 0 {
			name += "x"
		}
		fmt.Fprintf(&rs, "      - alert: A%d\n        expr: %s > 1\n", i, name)
	}
	files := map[string]string{
		lint.ConfigFile: "sources: [app/*.py]\nrules: [rules.yml]\n",
		"app/m.py":      code.String(),
		"rules.yml":     rs.String(),
	}
	for p, s := range files {
		p = filepath.Join(dir, p)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			b.Fatal(err)
		}
	}
}
