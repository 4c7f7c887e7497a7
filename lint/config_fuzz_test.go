package lint

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// FuzzParseConfig feeds arbitrary bytes to the config parser, which in a pull request reads
// the author's file: it never panics; a rejected config is a ConfigError positioned inside
// the file; an accepted one names no file outside the root (the root holds a file for the
// seeds' paths, a secret sits beside it), and keeps every url entry's limits under the
// ceilings the config cannot lift.
func FuzzParseConfig(f *testing.F) {
	seeds := []string{
		"",
		"rules: [rules.yml]\nexposition:\n  - file: m.prom\n",
		"rules: ['**/*.yml']\nmetrics_docs: [docs/*.md]\ndashboards: [dash/*.json]\nsources: ['**/*.go']\n",
		"exposition:\n  - file: ../secret.env\n",
		"exposition:\n  - url: http://127.0.0.1:9/metrics\n    scrapes: 2\n    interval: 15s\n    timeout: 1h\n",
		"exposition:\n  - url: https://x.example/m\n    authorization: {credentials_file: ../secret.env}\n",
		"health:\n  - file: h.json\n    schema: s.json\ninvariants:\n  - name: i\n    expr: a <= b\n",
		"health_invariants:\n  - name: j\n    jq: '.a | length > 0'\n",
		"checks:\n  disable: [promql/*]\n  severity: {metric/unknown: warning}\n  overrides:\n    - paths: [dash/**]\n      disable: [metric/unknown]\n",
		"suppress:\n  - rule: metric/unknown\n    path: dash/*.json\n    subject: {metric: x}\n    reason: r\n",
		"runbook_urls:\n  - prefix: https://wiki/\n    path: ../../etc\n",
		"known_metrics: [known.txt]\nignore: ['**']\ncopies: [[a.md, b.md]]\n",
		"rules: [\"../*.env\"]\n",
		"{rules: [x], rules: [y]}\n",
		"&a [*a, *a]\n",
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	dir := f.TempDir()
	root := filepath.Join(dir, "root")
	for _, p := range []string{"rules.yml", "m.prom", "h.json", "s.json", "known.txt", "a.md", "b.md"} {
		if err := os.MkdirAll(root, 0o755); err != nil {
			f.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(root, p), []byte("x\n"), 0o644); err != nil {
			f.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "secret.env"), []byte("TOKEN=hunter2\n"), 0o600); err != nil {
		f.Fatal(err)
	}
	file := filepath.Join(root, ConfigFile)
	f.Fuzz(func(t *testing.T, src []byte) {
		cfg, err := ParseConfigWith(file, src, ConfigOptions{Root: root})
		if err != nil {
			ce, ok := errors.AsType[*ConfigError](err)
			if !ok {
				return // not positioned: the config-level errors (none reachable from bytes alone today)
			}
			// YAML breaks lines at \n, \r\n and a lone \r.
			lines := strings.Count(strings.ReplaceAll(string(src), "\r\n", "\n"), "\n") + strings.Count(string(src), "\r") - strings.Count(string(src), "\r\n") + 2
			if ce.At.File != file || ce.At.Line < 0 || ce.At.Line > lines {
				t.Fatalf("error %q positioned at %v, outside the %d-line file", err, ce.At, lines-1)
			}
			if strings.Contains(ce.Msg, "hunter2") {
				t.Fatalf("error %q prints the secret beside the root", err)
			}
			return
		}
		inside := func(what, p string) {
			if p != "" && !filepath.IsLocal(filepath.FromSlash(p)) {
				t.Fatalf("%s %q accepted, but it leaves the root", what, p)
			}
		}
		for _, e := range cfg.Exposition {
			inside("exposition file", e.File)
			if e.Timeout > 5*time.Minute || e.Scrapes > 100 || e.Interval > 10*time.Minute {
				t.Fatalf("url entry past a ceiling accepted: %+v", e)
			}
		}
		for _, h := range cfg.Health {
			inside("health file", h.File)
			inside("health schema", h.Schema)
		}
		for _, key := range [][]string{cfg.Rules, cfg.Runbooks, cfg.MetricsDocs, cfg.Dashboards, cfg.Sources, cfg.KnownMetrics} {
			for _, g := range key {
				if strings.HasPrefix(g, "/") || g == ".." || strings.HasPrefix(g, "../") || strings.Contains(g, "/../") {
					t.Fatalf("glob %q accepted, but it leaves the root", g)
				}
			}
		}
	})
}
