package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"go.yaml.in/yaml/v3"

	"github.com/driftlint/driftlint/lint"
	"github.com/driftlint/driftlint/lint/load"
)

// schemaURL is where editors fetch the JSON Schema of .driftlint.yaml.
const schemaURL = "https://raw.githubusercontent.com/driftlint/driftlint/main/schema/driftlint.schema.json"

func newInitCmd() *cobra.Command {
	var force, dryRun bool
	cmd := &cobra.Command{
		Use:   "init [DIR]",
		Short: "Write DIR/.driftlint.yaml listing the inputs discovered under DIR",
		Long: `init discovers inputs under DIR (default .) the way check does without a config file, and
writes DIR/.driftlint.yaml listing them, with comments, for a person to edit. An existing
config file is never overwritten unless --force is given.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runInit(cmd, dirArg(args), force, dryRun)
		},
	}
	cmd.Flags().BoolVar(&force, "force", false, "overwrite an existing config file")
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "print the config to stdout instead of writing it")
	return cmd
}

func runInit(cmd *cobra.Command, dir string, force, dryRun bool) error {
	if err := checkDir(dir); err != nil {
		return fmt.Errorf("init %w", err)
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	target := filepath.Join(dir, lint.ConfigFile)
	if !dryRun && !force {
		if _, err := os.Lstat(target); err == nil {
			return fmt.Errorf("init: %s already exists; pass --force to overwrite it, or --dry-run to print the config", target)
		} else if !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("init: %w", err)
		}
	}
	found, err := load.Discover(lint.DefaultConfig(abs))
	if err != nil {
		return err
	}
	scan, err := scanTree(abs, found)
	if err != nil {
		return err
	}
	src, counts := initConfig(abs, scan)
	// The config names discovered files only; if it does not load, that is a bug here.
	if _, err := lint.ParseConfig(target, abs, src); err != nil {
		return fmt.Errorf("init: internal error: the written config would not load: %w", err)
	}
	w := cmd.OutOrStdout()
	if dryRun {
		_, err := w.Write(src)
		return err
	}
	if err := writeInRoot(abs, lint.ConfigFile, src); err != nil {
		return fmt.Errorf("init: %w", err)
	}
	fmt.Fprintf(w, "wrote %s: %s\n", target, counts)
	if counts.total() == 0 {
		fmt.Fprintln(w, "no inputs found: every key is a commented example to fill in")
	}
	fmt.Fprintf(w, "next: review it, then run driftlint check %s\n", dir)
	return nil
}

// initCounts is how many files init listed, by config key.
type initCounts struct {
	rules, runbooks, docs, dashboards, expositions, health int
}

func (c initCounts) total() int {
	return c.rules + c.runbooks + c.docs + c.dashboards + c.expositions + c.health
}

func (c initCounts) String() string {
	n := func(k int, one, many string) string {
		if k == 1 {
			return "1 " + one
		}
		return fmt.Sprintf("%d %s", k, many)
	}
	return strings.Join([]string{
		n(c.rules, "rule file", "rule files"),
		n(c.runbooks, "runbook", "runbooks"),
		n(c.docs, "metrics doc", "metrics docs"),
		n(c.dashboards, "dashboard file", "dashboard files"),
		n(c.expositions, "exposition", "expositions"),
		n(c.health, "health file", "health files"),
	}, ", ")
}

// initSection is one list key of the written config.
type initSection struct {
	key     string
	comment []string // lines above the key
	example []string // the commented-out entry shown when nothing was found
	files   []string // discovered files
}

// initConfig renders the config for the discovered files of dir.
func initConfig(dir string, scan *initScan) ([]byte, initCounts) {
	var rules, runbooks, docs, dashboards, expositions, health, schemas []string
	for _, d := range scan.found {
		if d.Rules {
			rules = append(rules, d.Path)
		}
		if d.Runbook {
			runbooks = append(runbooks, d.Path)
		}
		if d.MetricsDoc {
			docs = append(docs, d.Path)
		}
		if d.Dashboard {
			dashboards = append(dashboards, d.Path)
		}
		if d.Exposition {
			expositions = append(expositions, d.Path)
		}
		if d.Health {
			health = append(health, d.Path)
		}
		if d.HealthSchema {
			schemas = append(schemas, d.Path)
		}
	}
	counts := initCounts{len(rules), len(runbooks), len(docs), len(dashboards), len(expositions), len(health) + len(schemas)}

	var b strings.Builder
	b.WriteString(`# driftlint configuration, written by "driftlint init" from the files found in this folder.
# Paths are relative to this file, globs may use **, and every key is optional.
# "driftlint check" reads it; "driftlint rules" lists the rule ids that checks can name.
# yaml-language-server: $schema=` + schemaURL + "\n")

	globSections := []initSection{
		{key: "rules", files: rules, example: []string{"monitoring/*.yml"}, comment: []string{
			"Prometheus rule files: rule groups, PrometheusRule resources, ConfigMaps holding them.",
		}},
		{key: "runbooks", files: runbooks, example: []string{"docs/*RUNBOOK*.md"}, comment: []string{
			"Markdown runbooks: a section per alert, promql/yaml/bash blocks, jq programs.",
		}},
		{key: "metrics_docs", files: docs, example: []string{"docs/METRICS.md"}, comment: []string{
			"Markdown metrics documentation: tables or lists of metric, type and labels.",
		}},
		{key: "dashboards", files: dashboards, example: []string{"grafana/dashboards/*.json"}, comment: []string{
			"Grafana dashboards: JSON files, or ConfigMaps embedding dashboard JSON.",
		}},
	}
	skippedFor := func(key string) []initSkip {
		var out []initSkip
		for _, sk := range scan.skipped {
			if sectionOf(scan, sk.path) == key {
				out = append(out, sk)
			}
		}
		return out
	}
	if scan.truncated {
		fmt.Fprintf(&b, "\n# init looked at the first %d files only; files after them are not listed.\n", initMaxFiles)
	}
	for _, s := range globSections {
		b.WriteString("\n")
		for _, c := range s.comment {
			b.WriteString("# " + c + "\n")
		}
		if s.key == "dashboards" {
			for _, d := range scan.dupes {
				b.WriteString("# " + d + ".\n")
			}
		}
		writeSkipped(&b, skippedFor(s.key))
		if len(s.files) == 0 {
			b.WriteString("# (none found)\n# " + s.key + ":\n")
			for _, e := range s.example {
				b.WriteString("#   - " + e + "\n")
			}
			continue
		}
		b.WriteString(s.key + ":\n")
		for _, g := range compactGlobs(dir, s.files) {
			b.WriteString("  - " + yamlString(g) + "\n")
		}
	}

	b.WriteString(`
# What the service really exports: saved scrapes (text format or OpenMetrics). The files of
# one target are its scrapes in the order they were taken, interval apart (default 15s).
# A live endpoint works too:
#   - url: http://localhost:8080/metrics
#     scrapes: 2
#     interval: 15s
`)
	if len(expositions) == 0 {
		b.WriteString("# (none found)\n# exposition:\n#   - file: scrape/metrics.prom\n")
	} else {
		// Discovery makes each folder one target; name them when there are several.
		folders := map[string]bool{}
		for _, f := range expositions {
			folders[path.Dir(f)] = true
		}
		if len(folders) > 1 {
			b.WriteString("# Each folder was found to hold the scrapes of one target.\n")
		}
		b.WriteString("exposition:\n")
		for _, f := range expositions {
			b.WriteString("  - file: " + yamlString(f) + "\n")
			if len(folders) > 1 {
				b.WriteString("    target: " + yamlString(path.Dir(f)) + "\n")
			}
		}
	}

	b.WriteString(`
# /health responses: saved samples (file), live endpoints (url) or a JSON Schema (schema).
`)
	if len(health)+len(schemas) == 0 {
		b.WriteString("# (none found)\n# health:\n#   - file: health/health.json\n")
	} else {
		b.WriteString("health:\n")
		for _, f := range health {
			b.WriteString("  - file: " + yamlString(f) + "\n")
		}
		for _, f := range schemas {
			b.WriteString("  - schema: " + yamlString(f) + "\n")
		}
	}

	writeSources(&b, scan.langs)
	writeExporters(&b, scan.exporters)
	writeRunbookURLs(&b, scan.urls, scan.urlsTruncated)
	writeDocSites(&b, scan.sites)

	b.WriteString(`
# Discovery cannot find these; uncomment what applies.
# invariants:                                 # PromQL comparisons that must hold over the scrapes
#   - name: errors-within-requests
#     expr: http_errors_total <= http_requests_total
# health_invariants:                          # jq assertions that hold on every health sample
#   - name: not-stuck-reconnecting
#     jq: '.status != "reconnecting"'
# copies: [[monitoring/alert_rules.yml, deploy/alert_rules.yml]]   # rule files meant to agree
# checks:
#   disable: [docs/undocumented-metric]       # rule ids to switch off
#   severity: {promql/ratio-zero-guard: warning}
# ignore: [vendor/**]                         # paths never read
# known_metrics: [monitoring/known-metrics.txt]   # metrics that exist although no scrape shows them
`)
	return []byte(b.String()), counts
}

// compactGlobs lists files as globs: a folder's files of one extension become dir/*.ext when
// they are all of that folder's files with that extension (and there are at least two), so
// that files added later are picked up; other files are listed one by one, escaped.
func compactGlobs(dir string, files []string) []string {
	type group struct{ dir, ext string }
	byGroup := map[group][]string{}
	var order []group
	for _, f := range files {
		g := group{path.Dir(f), path.Ext(f)}
		if _, ok := byGroup[g]; !ok {
			order = append(order, g)
		}
		byGroup[g] = append(byGroup[g], f)
	}
	var out []string
	for _, g := range order {
		members := byGroup[g]
		if len(members) >= 2 && g.ext != "" && sameFiles(dir, g.dir, g.ext, members) {
			glob := "*" + escapeGlob(g.ext)
			if g.dir != "." {
				glob = escapeGlob(g.dir) + "/" + glob
			}
			out = append(out, glob)
			continue
		}
		for _, f := range members {
			out = append(out, escapeGlob(f))
		}
	}
	slices.Sort(out)
	return out
}

// sameFiles reports whether members are exactly the entries of folder rel (under dir) whose
// names end in ext, as a glob would match them.
func sameFiles(dir, rel, ext string, members []string) bool {
	entries, err := os.ReadDir(filepath.Join(dir, filepath.FromSlash(rel)))
	if err != nil {
		return false
	}
	var all []string
	for _, e := range entries {
		if !e.IsDir() && strings.HasSuffix(e.Name(), ext) && len(e.Name()) > len(ext) {
			all = append(all, path.Join(rel, e.Name()))
		}
	}
	if len(all) != len(members) {
		return false
	}
	for _, m := range members {
		if !slices.Contains(all, m) {
			return false
		}
	}
	return true
}

// escapeGlob escapes the doublestar metacharacters of a literal path.
func escapeGlob(s string) string {
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune(`*?[]{}\`, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

var plainYAML = regexp.MustCompile(`^[A-Za-z0-9_./][A-Za-z0-9_./*+@=-]*$`)

// yamlString writes s as a YAML scalar that reads back as the string s: plain when that is
// safe, else double-quoted.
func yamlString(s string) string {
	if plainYAML.MatchString(s) {
		var m map[string]any
		if yaml.Unmarshal([]byte("v: "+s), &m) == nil {
			if v, ok := m["v"].(string); ok && v == s {
				return s
			}
		}
	}
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(s); err != nil {
		return fmt.Sprintf("%q", s)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// sectionOf is the config key a discovered file would have been listed under.
func sectionOf(scan *initScan, p string) string {
	for _, d := range scan.all {
		if d.Path != p {
			continue
		}
		switch {
		case d.Rules:
			return "rules"
		case d.Runbook:
			return "runbooks"
		case d.MetricsDoc:
			return "metrics_docs"
		case d.Dashboard:
			return "dashboards"
		}
	}
	return ""
}

// writeSkipped writes the comment naming the files init left out of a key, and why.
func writeSkipped(b *strings.Builder, skipped []initSkip) {
	if len(skipped) == 0 {
		return
	}
	b.WriteString("# Left out (not this project's inputs, or copies):\n")
	for i, sk := range skipped {
		if i == initMaxListed {
			fmt.Fprintf(b, "#   and %d more\n", len(skipped)-i)
			break
		}
		fmt.Fprintf(b, "#   %s: %s\n", sk.path, sk.why)
	}
}

// writeSources writes the sources: key for the languages whose files import a Prometheus
// client library, or a commented example.
func writeSources(b *strings.Builder, langs []initLang) {
	b.WriteString(`
# The emitter's code: its metric registrations, read as the truth of what it exports. An entry
# is a glob, or {path: GLOB, covers: [METRIC GLOBS], prefix: PREFIX} when the files define
# only some of the exported names or a namespace is added at run time.
`)
	if len(langs) == 0 {
		b.WriteString("# (no Go, Rust or Python file imports a Prometheus client library)\n# sources: [\"src/**/*.go\"]\n")
		return
	}
	var lines []string
	for _, l := range langs {
		lines = append(lines, fmt.Sprintf("%s: %d %s a client library", l.name, l.files, either(l.files, "file imports", "files import")))
	}
	b.WriteString("# Found by imports (" + strings.Join(lines, "; ") + "); one glob per top-level folder.\n")
	b.WriteString("sources:\n")
	for _, l := range langs {
		for _, g := range l.globs {
			b.WriteString("  - " + yamlString(g) + "\n")
		}
	}
}

// writeRunbookURLs writes the runbook_urls: key for the alerts' runbook_url prefixes whose
// linked files are in the tree, or a commented example.
func writeRunbookURLs(b *strings.Builder, urls []initRunbookURL, truncated bool) {
	b.WriteString("\n# Published runbook URLs -> the local files they are built from, so that links and anchors are checked.\n")
	if truncated {
		fmt.Fprintf(b, "# (only the first %d runbook_url annotations were looked at)\n", initMaxURLs)
	}
	if len(urls) == 0 {
		b.WriteString("# (no alert's runbook_url links to a file of this tree)\n# runbook_urls:\n#   - prefix: https://runbooks.example.com/\n#     path: runbooks\n")
		return
	}
	b.WriteString("runbook_urls:\n")
	for _, u := range urls {
		fmt.Fprintf(b, "  # %d %s, e.g. %s\n", u.alerts, either(u.alerts, "alert links", "alerts link"), u.example)
		b.WriteString("  - prefix: " + yamlString(u.prefix) + "\n")
		b.WriteString("    path: " + yamlString(u.path) + "\n")
	}
}

// writeDocSites writes the doc_sites: key for the documentation sites found, or a commented
// example.
func writeDocSites(b *strings.Builder, sites []initDocSite) {
	b.WriteString("\n# Documentation sites: their pages link as the site serves them (a/b.md at a/b/, a/_index.md at a/).\n")
	if len(sites) == 0 {
		b.WriteString("# (no documentation site found)\n# doc_sites:\n#   - root: docs/sources\n#     url_prefix: /docs/app/latest/\n")
		return
	}
	b.WriteString("doc_sites:\n")
	for _, s := range sites {
		b.WriteString("  # " + s.why + "\n")
		b.WriteString("  - root: " + yamlString(s.root) + "\n")
		if s.urlPrefix != "" {
			b.WriteString("    url_prefix: " + yamlString(s.urlPrefix) + "   # " + s.prefixUse + "\n")
			continue
		}
		b.WriteString("    # url_prefix: /docs/app/latest/   # the path the site is published under, for absolute links\n")
	}
}

// either is one when n is 1, else many.
func either(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
