package main

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"maps"
	"net/url"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/driftlint/driftlint/lint"
	"github.com/driftlint/driftlint/lint/load"
	"github.com/driftlint/driftlint/lint/load/markdown"
	"github.com/driftlint/driftlint/lint/load/rulefile"
	"github.com/driftlint/driftlint/lint/safefs"
)

// Bounds of init's own walk of the tree; a bound that is hit is said in the written file.
const (
	initMaxFiles    = 50000   // files looked at
	initMaxReadSize = 1 << 20 // bytes read of one file
	initMaxURLs     = 2000    // runbook URLs considered
	initMaxListed   = 20      // skipped files named in one comment
)

// initSkip is a discovered file that init leaves out, and why.
type initSkip struct {
	path, why string
}

// initLang is one language whose files import a Prometheus client library.
type initLang struct {
	name  string   // go, rust, python
	globs []string // proposed sources: globs
	files int      // files that import the library
}

// initScan is what init learns from the tree beyond load.Discover: files discovery does not
// look at (.rules, .mdx), the languages of the metric code, and which discovered files are
// copies or not inputs of this project.
type initScan struct {
	found     []load.Discovered // discovered files plus .rules and .mdx files, minus skipped
	all       []load.Discovered // the same before skipping
	skipped   []initSkip
	dupes     []string // comments on duplicate dashboards: which copy was kept
	langs     []initLang
	truncated bool // initMaxFiles was hit
	mdFiles   []string
	siteConfs []siteConf // documentation site generators' config files

	urls          []initRunbookURL // proposed runbook_urls entries
	urlsTruncated bool             // initMaxURLs was hit
	exporters     []initExporter   // proposed exporters: entries
	sites         []initDocSite    // proposed doc_sites entries
}

// siteConf is a documentation site generator's config file found in the tree.
type siteConf struct {
	path string // the file
	kind string // hugo, mkdocs, docusaurus
	src  []byte // its text (for mkdocs' docs_dir)
}

// siteConfNames are the config files of the site generators whose serving rules doc_sites
// follows: a page a/b.md served at a/b/, a/_index.md or a/index.md at a/.
var siteConfNames = map[string]string{
	"hugo.toml": "hugo", "hugo.yaml": "hugo", "hugo.json": "hugo",
	"mkdocs.yml": "mkdocs", "mkdocs.yaml": "mkdocs",
	"docusaurus.config.js": "docusaurus", "docusaurus.config.ts": "docusaurus", "docusaurus.config.mjs": "docusaurus",
}

// Folders whose files are never this project's inputs: test data, and trees vendored from
// other projects (discovery already skips vendor and node_modules).
var (
	testDirs   = map[string]bool{"testdata": true, "fixtures": true, "__fixtures__": true, "test-fixtures": true, "test_data": true}
	vendorDirs = map[string]bool{"vendor": true, "node_modules": true, "third_party": true, "jsonnet_vendor": true, "vendored": true}
)

// Imports of the Prometheus client libraries that lint/load/source reads.
var clientImports = map[string]*regexp.Regexp{
	"go":     regexp.MustCompile(`"github\.com/prometheus/client_golang/prometheus(/promauto)?"`),
	"rust":   regexp.MustCompile(`(?m)^\s*(pub\s+)?use\s+(::)?(prometheus|prometheus_client|prometheus_static_metric|metrics)\b|extern\s+crate\s+(prometheus|prometheus_client|metrics)\b`),
	"python": regexp.MustCompile(`(?m)^\s*(from\s+prometheus_client\b|import\s+prometheus_client\b)`),
}

var langExt = map[string]string{"go": "go", "rust": "rs", "python": "py"}

// scanTree walks dir once, bounded, and refines the discovered files.
func scanTree(dir string, found []load.Discovered) (*initScan, error) {
	root, err := safefs.Open(dir)
	if err != nil {
		return nil, err
	}
	defer root.Close()
	s := &initScan{}
	charts := map[string]bool{} // folders holding a Chart.yaml
	langFiles := map[string][]string{}
	var extra []load.Discovered
	n := 0
	err = fs.WalkDir(root.FS(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil //nolint:nilerr // an unreadable folder is skipped, as discovery does
		}
		name := d.Name()
		if d.IsDir() {
			if p != "." && (vendorDirs[name] || testDirs[name] || strings.HasPrefix(name, ".")) {
				return filepath.SkipDir
			}
			return nil
		}
		if n++; n > initMaxFiles {
			s.truncated = true
			return fs.SkipAll
		}
		lower := strings.ToLower(name)
		ext := path.Ext(lower)
		switch {
		case lower == "chart.yaml":
			charts[path.Dir(p)] = true
		case ext == ".md" || ext == ".markdown" || ext == ".mdx":
			s.mdFiles = append(s.mdFiles, p)
		case siteConfNames[lower] != "":
			src, err := root.ReadFile(p, initMaxReadSize)
			if err == nil {
				s.siteConfs = append(s.siteConfs, siteConf{path: p, kind: siteConfNames[lower], src: src})
			}
		}
		lang := ""
		for l, e := range langExt {
			if ext == "."+e {
				lang = l
			}
		}
		if lang == "" && ext != ".rules" && ext != ".mdx" {
			return nil
		}
		if strings.HasSuffix(lower, "_test.go") || strings.HasPrefix(lower, "test_") && lang == "python" {
			return nil
		}
		src, err := root.ReadFile(p, initMaxReadSize)
		if err != nil {
			return nil //nolint:nilerr // unreadable or too large: not proposed
		}
		switch {
		case lang != "":
			if clientImports[lang].Match(src) {
				langFiles[lang] = append(langFiles[lang], p)
			}
		case ext == ".rules":
			if load.HoldsRules(p, src) {
				extra = append(extra, load.Discovered{Path: p, Rules: true})
			}
		case ext == ".mdx":
			d := load.Discovered{Path: p, Runbook: markdown.LooksLikeRunbook(p, src), MetricsDoc: markdown.LooksLikeMetricsDoc(src)}
			if d.Runbook || d.MetricsDoc {
				extra = append(extra, d)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", dir, err)
	}
	all := slices.Concat(found, extra)
	slices.SortFunc(all, func(a, b load.Discovered) int { return strings.Compare(a.Path, b.Path) })
	s.all = all
	for _, d := range all {
		if why := skipReason(root, d, charts); why != "" {
			s.skipped = append(s.skipped, initSkip{d.Path, why})
			continue
		}
		s.found = append(s.found, d)
	}
	s.dropDuplicateDashboards(root)
	for _, l := range []string{"go", "rust", "python"} {
		if files := langFiles[l]; len(files) > 0 {
			s.langs = append(s.langs, initLang{name: l, files: len(files), globs: sourceGlobs(files, langExt[l])})
		}
	}
	// What the proposed inputs' contents say, read through the same root: the runbook URLs
	// of the rule files, the exporters the queries read, the documentation sites.
	var rules, queried []string
	for _, d := range s.found {
		if d.Rules {
			rules = append(rules, d.Path)
		}
		if d.Rules || d.Dashboard {
			queried = append(queried, d.Path)
		}
	}
	own := sync.OnceValue(func() ownSet { return ownNames(dir, s.langs) })
	s.dropPartialDocs(root, own)
	ruleEntries := loadRules(root, rules)
	s.dropExampleRunbooks(root, ruleEntries)
	s.urls, s.urlsTruncated = runbookURLs(ruleEntries, s.mdFiles)
	s.exporters = proposeExporters(root, queried, func() map[string]bool { return own().series })
	s.sites = docSites(root, s.siteConfs, s.mdFiles)
	return s, nil
}

// skipReason says why a discovered file is not an input of this project, or "".
func skipReason(root *safefs.Root, d load.Discovered, charts map[string]bool) string {
	for p := range strings.SplitSeq(path.Dir(d.Path), "/") {
		switch {
		case testDirs[p]:
			return "test data"
		case vendorDirs[p]:
			return "vendored"
		}
	}
	base := strings.ToLower(path.Base(d.Path))
	for dir := path.Dir(d.Path); ; dir = path.Dir(dir) {
		if charts[dir] {
			if strings.HasPrefix(base, "values") && (strings.HasSuffix(base, ".yaml") || strings.HasSuffix(base, ".yml")) {
				return "Helm values (rendered into the chart at install time)"
			}
			if slices.Contains(strings.Split(strings.TrimPrefix(d.Path, dir+"/"), "/"), "templates") {
				return "Helm template (rendered at install time)"
			}
		}
		if dir == "." || dir == "/" {
			break
		}
	}
	return ""
}

// dropDuplicateDashboards keeps one file of each dashboard (same uid, else same title) found
// in several JSON files: the shipped copy, which is the compiled output of a mixin
// (dashboards_out, compiled, dist, build, generated) rather than a copy inside a Helm chart
// or deploy tree, then the shorter path.
func (s *initScan) dropDuplicateDashboards(root *safefs.Root) {
	byKey := map[string][]string{}
	var keys []string
	for _, d := range s.found {
		if !d.Dashboard || !strings.EqualFold(path.Ext(d.Path), ".json") {
			continue
		}
		src, err := root.ReadFile(d.Path, initMaxReadSize)
		if err != nil {
			continue
		}
		var dash struct{ UID, Title string }
		if json.Unmarshal(src, &dash) != nil || dash.UID == "" && dash.Title == "" {
			continue
		}
		key := "uid " + dash.UID
		if dash.UID == "" {
			key = "title " + dash.Title
		}
		if byKey[key] == nil {
			keys = append(keys, key)
		}
		byKey[key] = append(byKey[key], d.Path)
	}
	drop := map[string]bool{}
	for _, k := range keys {
		copies := byKey[k]
		if len(copies) < 2 {
			continue
		}
		slices.SortStableFunc(copies, func(a, b string) int {
			if d := shippedRank(a) - shippedRank(b); d != 0 {
				return d
			}
			if d := len(a) - len(b); d != 0 {
				return d
			}
			return strings.Compare(a, b)
		})
		for _, c := range copies[1:] {
			drop[c] = true
			s.skipped = append(s.skipped, initSkip{c, "a copy of dashboard " + k + " (kept " + copies[0] + ")"})
		}
		s.dupes = append(s.dupes, fmt.Sprintf("dashboard %s is in %d files: kept %s, the shipped copy", k, len(copies), copies[0]))
	}
	if len(drop) == 0 {
		return
	}
	s.found = slices.DeleteFunc(s.found, func(d load.Discovered) bool { return drop[d.Path] })
	slices.SortFunc(s.skipped, func(a, b initSkip) int { return strings.Compare(a.path, b.path) })
}

// shippedRank orders copies of one dashboard: compiled output first, copies in Helm charts
// and deploy trees last.
func shippedRank(p string) int {
	rank := 1
	for part := range strings.SplitSeq(path.Dir(strings.ToLower(p)), "/") {
		switch {
		case strings.HasSuffix(part, "_out") || strings.Contains(part, "compiled") || part == "dist" || part == "build" || part == "generated":
			rank = min(rank, 0)
		case part == "helm" || part == "charts" || part == "chart" || part == "deploy" || part == "deployment":
			return 2
		}
	}
	return rank
}

// sourceGlobs proposes one glob per top-level folder holding files that import the client
// library (the files at the top level are *.ext), so that constants in sibling packages of
// those folders are read too, and unrelated trees are not.
func sourceGlobs(files []string, ext string) []string {
	var out []string
	for _, f := range files {
		g := "*." + ext
		if top, _, ok := strings.Cut(f, "/"); ok {
			g = escapeGlob(top) + "/**/*." + ext
		}
		if !slices.Contains(out, g) {
			out = append(out, g)
		}
	}
	slices.Sort(out)
	return out
}

// initRunbookURL is a proposed runbook_urls entry and the alerts that use it.
type initRunbookURL struct {
	prefix, path string
	alerts       int
	example      string // one URL and the file it resolves to
}

// runbookURLs proposes runbook_urls entries: for each absolute runbook_url of the rule files,
// the longest tail of its path that names a Markdown file of the tree (as page.md,
// page/index.md, page/_index.md or page/README.md, case-insensitively), the URL before that
// tail being the prefix and the folder the tail starts in being the path.
func runbookURLs(rules []*lint.RuleEntry, mdFiles []string) (out []initRunbookURL, truncated bool) {
	lowerMD := make([]string, 0, len(mdFiles))
	orig := map[string]string{}
	for _, m := range mdFiles {
		l := strings.ToLower(m)
		lowerMD = append(lowerMD, l)
		orig[l] = m
	}
	var urls []string
	for _, r := range rules {
		for _, a := range r.Annotations {
			if a.Key == "runbook_url" {
				urls = append(urls, strings.TrimSpace(a.Value.Value))
			}
		}
	}
	if len(urls) > initMaxURLs {
		urls, truncated = urls[:initMaxURLs], true
	}
	idx := map[[2]string]int{}
	for _, raw := range urls {
		u, err := url.Parse(raw)
		if err != nil || u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
			continue
		}
		segs := strings.Split(strings.Trim(u.Path, "/"), "/")
		for k := range segs {
			tail := strings.ToLower(strings.Join(segs[k:], "/"))
			if tail == "" {
				continue
			}
			folder, file, ok := findTail(lowerMD, tail)
			if !ok {
				continue
			}
			prefix := u.Scheme + "://" + u.Host + "/"
			if k > 0 {
				prefix += strings.Join(segs[:k], "/") + "/"
			}
			local := "."
			if folder != "" {
				local = folder
				if o := orig[file]; len(o) == len(file) {
					local = o[:len(folder)] // the folder as spelled on disk
				}
			}
			key := [2]string{prefix, local}
			i, seen := idx[key]
			if !seen {
				i = len(out)
				idx[key] = i
				u.Fragment = ""
				out = append(out, initRunbookURL{prefix: prefix, path: local, example: u.String() + " -> " + orig[file]})
			}
			out[i].alerts++
			break
		}
	}
	slices.SortFunc(out, func(a, b initRunbookURL) int { return b.alerts - a.alerts })
	return out, truncated
}

// findTail finds a Markdown file (lower-cased paths) that tail names as a site would serve
// it, and the folder tail starts in ("" for the root).
func findTail(lowerMD []string, tail string) (folder, file string, ok bool) {
	var forms []string
	if e := path.Ext(tail); e == ".md" || e == ".mdx" || e == ".markdown" {
		forms = []string{tail}
	} else {
		t := strings.TrimSuffix(strings.TrimSuffix(tail, ".html"), "/index")
		forms = []string{t + ".md", t + ".mdx", t + "/index.md", t + "/_index.md", t + "/readme.md"}
	}
	for _, form := range forms {
		for _, m := range lowerMD {
			if m == form {
				return "", m, true
			}
			if strings.HasSuffix(m, "/"+form) {
				return m[:len(m)-len(form)-1], m, true
			}
		}
	}
	return "", "", false
}

// initDocSite is a proposed doc_sites entry and how it was recognised.
type initDocSite struct {
	root, why string
	urlPrefix string // the absolute link prefix most of its pages use ("" when none stands out)
	prefixUse string // how often: "21 of 24 absolute links"
}

// absDocLink is an absolute Markdown link into a versioned docs path: /docs/loki/<VERSION>/….
var absDocLink = regexp.MustCompile(`\]\((/docs/[A-Za-z0-9_.-]+/[^/)\s]+/)`)

// sitePrefix finds the published path of a site's pages: the prefix of absolute /docs/x/y/
// links that at least 5 links and two thirds of them share (Grafana's sites write
// /docs/loki/<LOKI_VERSION>/…). It reads at most 500 pages.
func sitePrefix(root *safefs.Root, site string, mdFiles []string) (prefix, use string) {
	counts := map[string]int{}
	total, read := 0, 0
	for _, f := range mdFiles {
		if !strings.HasPrefix(f, site+"/") {
			continue
		}
		if read++; read > 500 {
			break
		}
		src, err := root.ReadFile(f, initMaxReadSize)
		if err != nil {
			continue
		}
		for _, m := range absDocLink.FindAllSubmatch(src, -1) {
			counts[string(m[1])]++
			total++
		}
	}
	best := ""
	for _, k := range slices.Sorted(maps.Keys(counts)) {
		if counts[k] > counts[best] {
			best = k
		}
	}
	if best == "" || counts[best] < 5 || 3*counts[best] < 2*total {
		return "", ""
	}
	return best, fmt.Sprintf("%d of %d absolute /docs/ links", counts[best], total)
}

// mkdocsDir is mkdocs.yml's docs_dir setting.
var mkdocsDir = regexp.MustCompile(`(?m)^docs_dir:\s*['"]?([^'"#\s]+)`)

// docSites proposes doc_sites entries: the page folder of each site generator config found
// (Hugo's content/, MkDocs' docs_dir, Docusaurus' docs/), and Hugo trees whose config lives
// elsewhere (Grafana's docs/sources): the top folder of a tree of _index.md pages, when
// at least two folders hold one. Only folders holding Markdown pages are proposed.
func docSites(root *safefs.Root, confs []siteConf, mdFiles []string) []initDocSite {
	hasPages := func(dir string) bool {
		for _, f := range mdFiles {
			if dir == "." || strings.HasPrefix(f, dir+"/") {
				return true
			}
		}
		return false
	}
	var out []initDocSite
	seen := map[string]bool{}
	add := func(dir, why string) {
		dir = path.Clean(dir)
		if seen[dir] || !hasPages(dir) {
			return
		}
		for s := range seen {
			if strings.HasPrefix(dir, s+"/") {
				return // inside a site already proposed
			}
		}
		seen[dir] = true
		out = append(out, initDocSite{root: dir, why: why})
	}
	for _, c := range confs {
		dir := path.Dir(c.path)
		switch c.kind {
		case "hugo":
			add(path.Join(dir, "content"), "Hugo site: "+c.path)
		case "mkdocs":
			docs := "docs"
			if m := mkdocsDir.FindSubmatch(c.src); m != nil {
				docs = string(m[1])
			}
			add(path.Join(dir, docs), "MkDocs site: "+c.path)
		case "docusaurus":
			add(path.Join(dir, "docs"), "Docusaurus site: "+c.path)
		}
	}
	// Hugo trees without their config: folders holding _index.md, by depth.
	index := map[string]bool{}
	for _, f := range mdFiles {
		if path.Base(f) == "_index.md" {
			index[path.Dir(f)] = true
		}
	}
	tops := map[string]int{}
	for d := range index {
		top := d
		for p := path.Dir(top); p != "." && p != "/" && index[p]; p = path.Dir(p) {
			top = p
		}
		if top == "." {
			continue
		}
		tops[top]++
	}
	for _, top := range slices.Sorted(maps.Keys(tops)) {
		if tops[top] >= 2 {
			add(top, fmt.Sprintf("Hugo pages: %d folders here hold an _index.md", tops[top]))
		}
	}
	slices.SortFunc(out, func(a, b initDocSite) int { return strings.Compare(a.root, b.root) })
	for i := range out {
		out[i].urlPrefix, out[i].prefixUse = sitePrefix(root, out[i].root, mdFiles)
	}
	return out
}

// ownSet is what the proposed sources define: the series names, and how many families.
type ownSet struct {
	series   map[string]bool
	families int
}

// ownNames reads what the proposed sources define, as check reads them: a query of the
// project's own metrics proposes no exporter, even when a catalogued exporter exports the
// same name (Thanos embeds Cortex's query frontend, and Mimir, which defines cortex_frontend_*
// itself, was proposed thanos and got 110 false label findings); and metrics docs are
// weighed against it (dropPartialDocs). A source that cannot be read leaves the set smaller,
// never the run failed.
func ownNames(dir string, langs []initLang) ownSet {
	own := ownSet{series: map[string]bool{}}
	var globs []string
	for _, l := range langs {
		globs = append(globs, l.globs...)
	}
	if len(globs) == 0 {
		return own
	}
	cfg := lint.DefaultConfig(dir)
	cfg.Path = filepath.Join(dir, lint.ConfigFile) // explicit inputs: no discovery
	cfg.Sources = globs
	p, err := load.Project(cfg, load.Options{})
	if err != nil {
		return own
	}
	for _, e := range p.Expositions {
		if !e.Source {
			continue
		}
		for _, name := range e.Order {
			own.families++
			for _, s := range e.Families[name].SeriesNames() {
				own.series[s] = true
			}
		}
	}
	return own
}

// minDocShare is the share of the code's families (one in ten) that the metrics docs found
// must document, together, for init to list them; below it they document one part (a tool's
// page), and listing them would report every other family as undocumented.
const minDocShare = 10

// dropPartialDocs leaves out, saying why, the metrics docs found when the project's sources
// define at least 20 families and the docs together document fewer than a tenth of them:
// Mimir's only such page documents the continuous-test tool's 8 metrics, and listing it gave
// 750 docs/undocumented-metric warnings. Plugin READMEs that each document a few (CoreDNS)
// count together, so they stay.
func (s *initScan) dropPartialDocs(root *safefs.Root, own func() ownSet) {
	var docs []int
	for i, d := range s.found {
		if d.MetricsDoc && !d.Runbook && !d.Rules && !d.Dashboard {
			docs = append(docs, i)
		}
	}
	if len(docs) == 0 || len(s.langs) == 0 {
		return
	}
	o := own()
	if o.families < 20 {
		return
	}
	documented := map[string]bool{}
	for _, i := range docs {
		src, err := root.ReadFile(s.found[i].Path, initMaxReadSize)
		if err != nil {
			continue
		}
		for _, e := range markdown.Load(lint.NewSourceFile(s.found[i].Path, src), false, true).DocEntries {
			if o.series[e.Name] {
				documented[e.Name] = true
			}
		}
	}
	if len(documented)*minDocShare >= o.families {
		return
	}
	why := fmt.Sprintf("documents %d of the %d metric families the sources define, one part of them (listed, every other family would be reported undocumented)", len(documented), o.families)
	drop := map[int]bool{}
	for _, i := range docs {
		drop[i] = true
		s.skipped = append(s.skipped, initSkip{s.found[i].Path, why})
	}
	kept := s.found[:0]
	for i, d := range s.found {
		if !drop[i] {
			kept = append(kept, d)
		}
	}
	s.found = kept
}

// loadRules reads the proposed rule files as check does (PrometheusRule resources and
// ConfigMaps included): their alerts and runbook URLs are what init weighs next.
func loadRules(root *safefs.Root, paths []string) []*lint.RuleEntry {
	var out []*lint.RuleEntry
	for _, p := range paths {
		if src, err := root.ReadFile(p, initMaxReadSize); err == nil {
			out = append(out, rulefile.Load(lint.NewSourceFile(p, src)).Rules...)
		}
	}
	return out
}

// dropExampleRunbooks leaves out, saying why, the pages found as runbooks only because a yaml
// block holds an alert, when the project has rule files and none of those alerts is theirs:
// an API reference's example rule group (Mimir's ruler API page) is not a runbook copy.
func (s *initScan) dropExampleRunbooks(root *safefs.Root, rules []*lint.RuleEntry) {
	alerts := map[string]bool{}
	for _, r := range rules {
		if r.Kind == lint.AlertRule {
			alerts[r.Name] = true
		}
	}
	if len(alerts) == 0 {
		return
	}
	kept := s.found[:0]
	for _, d := range s.found {
		if why := exampleRunbook(root, d, alerts); why != "" {
			s.skipped = append(s.skipped, initSkip{d.Path, why})
			continue
		}
		kept = append(kept, d)
	}
	s.found = kept
}

// exampleRunbook says why a page found as a runbook shows example alerts rather than the
// project's, or "".
func exampleRunbook(root *safefs.Root, d load.Discovered, alerts map[string]bool) string {
	if !d.Runbook || d.MetricsDoc || d.Rules || d.Dashboard {
		return ""
	}
	src, err := root.ReadFile(d.Path, initMaxReadSize)
	if err != nil {
		return ""
	}
	word, shown := markdown.RunbookEvidence(d.Path, src)
	if word || len(shown) == 0 || slices.ContainsFunc(shown, func(a string) bool { return alerts[a] }) {
		return ""
	}
	var names []string
	for _, a := range shown {
		if !slices.Contains(names, a) && len(names) < 3 {
			names = append(names, a)
		}
	}
	return fmt.Sprintf("its yaml blocks show alerts (%s) that no rule file here defines: an example, not a runbook", strings.Join(names, ", "))
}
