// Package load turns input files into one lint.Project: it resolves the config's globs (or
// discovers inputs by content), reads every file once, runs the loader of each artifact kind
// in parallel and merges their facts in a deterministic order.
package load

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/bmatcuk/doublestar/v4"

	"github.com/driftlint/driftlint/lint"
	"github.com/driftlint/driftlint/lint/load/dashboard"
	"github.com/driftlint/driftlint/lint/load/expo"
	"github.com/driftlint/driftlint/lint/load/fetch"
	"github.com/driftlint/driftlint/lint/load/health"
	"github.com/driftlint/driftlint/lint/load/markdown"
	"github.com/driftlint/driftlint/lint/load/rulefile"
	"github.com/driftlint/driftlint/lint/load/source"
	"github.com/driftlint/driftlint/lint/runbook"
	"github.com/driftlint/driftlint/lint/safefs"
)

// DefaultMaxFileSize is the largest input file read; a larger one is an input/parse finding.
const DefaultMaxFileSize = 32 << 20

// Options tune loading.
type Options struct {
	MaxFileSize int64 // 0 means DefaultMaxFileSize
	Workers     int   // parallel loaders; 0 means GOMAXPROCS
	// Context cancels live scrapes (url entries), e.g. on Ctrl-C; nil means
	// context.Background().
	Context context.Context
	// Fetch tunes live scrapes.
	Fetch fetch.Options
}

// role is what a file is loaded as; one file can have several roles.
type role uint

const (
	roleRules role = 1 << iota
	roleRunbook
	roleMetricsDoc
	roleDashboard
	roleExposition
	roleHealth
	roleHealthSchema
	roleSource // the emitter's code (sources:): read together per package by source.LoadFiles
)

// input is one file to load.
type input struct {
	rel   string
	roles role
	res   result
}

// result is what the loaders found in one file.
type result struct {
	file          *lint.SourceFile
	rules         []*lint.RuleEntry
	runbookAlerts []*lint.RuleEntry
	queries       []*lint.Query
	markdown      *lint.Markdown
	docEntries    []*lint.DocEntry
	dashboards    []*lint.Dashboard
	exposition    *lint.Exposition
	health        *lint.HealthSample
	problems      []lint.ParseProblem
	foreign       []lint.ForeignQuery
}

// Project loads every input of cfg into a project. Only operational problems (an unreadable
// folder, a failed scrape of a required url entry, an interrupt) are errors; a bad input file
// becomes a ParseProblem. Url entries are fetched (see package fetch) while the files load.
func Project(cfg *lint.Config, opts Options) (*lint.Project, error) {
	if opts.MaxFileSize <= 0 {
		opts.MaxFileSize = DefaultMaxFileSize
	}
	if opts.Workers <= 0 {
		opts.Workers = runtime.GOMAXPROCS(0)
	}
	ctx := opts.Context
	if ctx == nil {
		ctx = context.Background()
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	root, err := safefs.Open(cfg.Dir)
	if err != nil {
		return nil, fmt.Errorf("project root: %w", err)
	}
	defer root.Close()
	root.SetBudget(lint.Limit().ReadBytes)
	var live *fetch.Result
	var liveErr error
	fetched := make(chan struct{})
	go func() {
		defer close(fetched)
		live, liveErr = fetch.All(ctx, cfg, opts.Fetch)
	}()
	// Every path under the root, so that rules can tell a link to an existing file that is
	// not an input from a broken one; a listing error only means such links go unchecked.
	// The walk runs beside resolving and loading: on its own it was a serial step of the run.
	listed := make(chan map[string]bool, 1)
	go func() {
		known, err := runbook.ListFiles(root.Dir, cfg.Ignore)
		if err != nil {
			known = nil
		}
		listed <- known
	}()
	inputs, rs, err := resolve(cfg, root)
	if err != nil {
		cancel()
		<-fetched
		<-listed
		return nil, err
	}

	var wg sync.WaitGroup
	sem := make(chan struct{}, opts.Workers)
	for _, in := range bySize(root, inputs) {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			if ctx.Err() == nil {
				loadFile(root, in, opts.MaxFileSize)
			}
		}()
	}
	wg.Wait()
	<-fetched
	if liveErr != nil {
		<-listed
		return nil, liveErr
	}
	if err := ctx.Err(); err != nil {
		<-listed
		return nil, fmt.Errorf("interrupted while loading: %w", err)
	}

	p := &lint.Project{Root: cfg.Dir, Config: cfg, KnownPaths: <-listed}
	byRel := map[string]*input{}
	for _, in := range inputs {
		byRel[in.rel] = in
		r := &in.res
		p.Files = append(p.Files, r.file)
		p.Rules = append(p.Rules, r.rules...)
		p.RunbookAlerts = append(p.RunbookAlerts, r.runbookAlerts...)
		p.Queries = append(p.Queries, r.queries...)
		if r.markdown != nil {
			p.Markdown = append(p.Markdown, r.markdown)
		}
		p.DocEntries = append(p.DocEntries, r.docEntries...)
		p.Dashboards = append(p.Dashboards, r.dashboards...)
		p.ParseProblems = append(p.ParseProblems, r.problems...)
		p.Foreign = append(p.Foreign, r.foreign...)
	}
	p.SiteAliases = siteAliases(cfg, root, p.KnownPaths, byRel)
	p.Files = append(p.Files, live.Files...)
	p.ParseProblems = append(p.ParseProblems, live.Problems...)
	p.Expositions = expositions(cfg, inputs, byRel, live.Expositions)
	var code []*lint.SourceFile
	for _, in := range inputs {
		if in.roles&roleSource != 0 {
			code = append(code, in.res.file)
		}
	}
	// go.mod files above the Go sources give the module path that imports of the set's
	// packages start with, unless sources: lists them already.
	inSet := map[string]bool{}
	for _, f := range code {
		inSet[f.Path] = true
	}
	for _, m := range manifests(root, code, "go", "go.mod", opts.MaxFileSize) {
		if !inSet[m.Path] {
			code = append(code, m)
		}
	}
	src := source.LoadSet(code)
	srcExpos, srcProblems := src.Expositions, src.Problems
	p.Skipped = append(p.Skipped, src.Skipped...)
	source.ApplyOptions(srcExpos, cfg.SourceOpts)
	if len(code) > 0 {
		p.ClientDefaults = source.ClientDefaults(code, manifests(root, code, "rust", "Cargo.toml", opts.MaxFileSize))
	}
	p.Expositions = append(p.Expositions, srcExpos...)
	p.ParseProblems = append(p.ParseProblems, srcProblems...)
	p.Empty = append(p.Empty, emptyInputs(cfg, inputs, rs, srcExpos)...)
	for i, h := range healthOrder(cfg, inputs) {
		if h == "" {
			if s := live.Health[i]; s != nil {
				p.Health = append(p.Health, s)
			}
		} else if s := byRel[h].res.health; s != nil {
			p.Health = append(p.Health, s)
		}
	}
	knownMetrics(cfg, p, root, opts.MaxFileSize)
	if err := knownURLs(ctx, cfg, p, opts.Fetch); err != nil {
		return nil, err
	}
	exporters(cfg, p)
	for _, link := range root.Escapes() {
		p.Skipped = append(p.Skipped, lint.ParseProblem{At: lint.Pos{File: link}, Message: "symbolic link leads out of the project root; not followed, nothing behind it is read"})
	}
	p.Skipped = append(p.Skipped, rs.skipped...)
	sortProblems(p.Skipped)
	sortProblems(p.Empty)
	return p, nil
}

func sortProblems(ps []lint.ParseProblem) {
	sort.SliceStable(ps, func(i, j int) bool { return ps[i].At.Less(ps[j].At) })
}

// bySize returns the inputs largest first, so that a big file (a dashboards ConfigMap) does
// not start last and leave the other workers idle; results are still merged in path order.
func bySize(root *safefs.Root, inputs []*input) []*input {
	size := make(map[*input]int64, len(inputs))
	for _, in := range inputs {
		if st, err := root.Stat(in.rel); err == nil {
			size[in] = st.Size()
		}
	}
	out := slices.Clone(inputs)
	slices.SortStableFunc(out, func(a, b *input) int { return cmp.Compare(size[b], size[a]) })
	return out
}

// expositions orders scrapes as the config lists them and numbers the scrapes of each target.
// live holds the fetched scrapes of url entries, by config index; their TimeMs counts from the
// target's first live scrape, and is moved after the target's saved scrapes, if any.
func expositions(cfg *lint.Config, inputs []*input, byRel map[string]*input, live [][]*lint.Exposition) []*lint.Exposition {
	var out []*lint.Exposition
	count := map[string]int{}
	clock := map[string]time.Duration{}
	add := func(rel, target string, covers []string, interval time.Duration) {
		in := byRel[rel]
		if in == nil || in.res.exposition == nil {
			return
		}
		e := in.res.exposition
		e.Target = target
		e.Index = count[target]
		if e.Index > 0 {
			clock[target] += interval
		}
		e.TimeMs = clock[target].Milliseconds()
		e.Covers = covers
		count[target]++
		out = append(out, e)
	}
	liveBase := map[string]time.Duration{}
	if cfg.Path != "" {
		for i, s := range cfg.Exposition {
			if s.URL == "" {
				add(s.File, s.Target, s.Covers, s.Interval)
				continue
			}
			for _, e := range live[i] {
				t := e.Target
				base, ok := liveBase[t]
				if !ok {
					base = clock[t]
					if count[t] > 0 {
						base += s.Interval
					}
					liveBase[t] = base
				}
				e.Index = count[t]
				e.TimeMs = (base + time.Duration(e.TimeMs)*time.Millisecond).Milliseconds()
				clock[t] = time.Duration(e.TimeMs) * time.Millisecond
				e.Covers = s.Covers
				count[t]++
				out = append(out, e)
			}
		}
		return out
	}
	for _, in := range inputs { // discovered: one unnamed target per folder, in path order
		if in.roles&roleExposition != 0 {
			add(in.rel, path.Dir(in.rel), nil, 15*time.Second)
		}
	}
	return out
}

// healthOrder lists the health inputs in config order: a file's path, or "" for a url entry
// (at its config index).
func healthOrder(cfg *lint.Config, inputs []*input) []string {
	var out []string
	if cfg.Path != "" {
		for _, h := range cfg.Health {
			switch {
			case h.File != "":
				out = append(out, h.File)
			case h.Schema != "":
				out = append(out, h.Schema)
			default:
				out = append(out, "")
			}
		}
		return out
	}
	for _, in := range inputs {
		if in.roles&(roleHealth|roleHealthSchema) != 0 {
			out = append(out, in.rel)
		}
	}
	return out
}

// readInput reads the project file rel through the root. A file over maxSize, one that is
// not a regular file or leads out of the root, or one that cannot be read, gives an empty
// SourceFile and a problem. A UTF-8 byte-order mark becomes three spaces: parsers accept
// it, offsets stay put.
func readInput(root *safefs.Root, rel string, maxSize int64) (*lint.SourceFile, *lint.ParseProblem) {
	src, err := root.ReadFile(rel, maxSize)
	if err != nil {
		return lint.NewSourceFile(rel, nil), &lint.ParseProblem{At: lint.Pos{File: rel}, Message: readError(err)}
	}
	if len(src) >= 3 && src[0] == 0xEF && src[1] == 0xBB && src[2] == 0xBF {
		src[0], src[1], src[2] = ' ', ' ', ' '
	}
	return lint.NewSourceFile(rel, src), nil
}

// readError says why a file was not read, without the path (the finding's position has it).
func readError(err error) string {
	var tl *safefs.TooLargeError
	switch {
	case errors.As(err, &tl):
		return tl.Error()
	case errors.Is(err, safefs.ErrEscapes):
		return "leads out of the project root through a symbolic link; not read"
	case errors.Is(err, safefs.ErrNotRegular):
		return "not a regular file; not read"
	case errors.Is(err, safefs.ErrBudget):
		return fmt.Sprintf("not read: the run has read its limit of %d bytes (%s)", lint.Limit().ReadBytes, lint.LimitFlagHint("read_bytes"))
	}
	if pe, ok := errors.AsType[*fs.PathError](err); ok {
		return "cannot read: " + pe.Err.Error()
	}
	return "cannot read: " + err.Error()
}

// loadFile reads one file and runs the loader of each of its roles.
func loadFile(root *safefs.Root, in *input, maxSize int64) {
	r := &in.res
	f, problem := readInput(root, in.rel, maxSize)
	r.file = f
	if problem != nil {
		r.problems = append(r.problems, *problem)
		return
	}
	isJSON := strings.HasSuffix(strings.ToLower(in.rel), ".json")

	if in.roles&roleRules != 0 {
		rr := rulefile.Load(f)
		r.rules, r.queries, r.problems = append(r.rules, rr.Rules...), append(r.queries, rr.Queries...), append(r.problems, rr.Problems...)
		r.foreign = append(r.foreign, rr.Foreign...)
	}
	if in.roles&(roleRunbook|roleMetricsDoc) != 0 {
		mr := markdown.Load(f, in.roles&roleRunbook != 0, in.roles&roleMetricsDoc != 0)
		r.markdown = mr.Markdown
		r.queries = append(r.queries, mr.Queries...)
		r.docEntries = mr.DocEntries
		r.runbookAlerts = mr.Alerts
		r.problems = append(r.problems, mr.Problems...)
		r.foreign = append(r.foreign, mr.Foreign...)
	}
	if in.roles&roleDashboard != 0 {
		var dr *dashboard.Result
		if isJSON {
			dr = dashboard.LoadJSON(f)
		} else {
			dr = dashboard.LoadConfigMap(f)
		}
		r.dashboards = dr.Dashboards
		r.queries = append(r.queries, dr.Queries...)
		r.problems = append(r.problems, dr.Problems...)
		r.foreign = append(r.foreign, dr.Foreign...)
	}
	if in.roles&roleExposition != 0 {
		e, probs := expo.Load(f)
		r.exposition = e
		r.problems = append(r.problems, probs...)
	}
	if in.roles&(roleHealth|roleHealthSchema) != 0 {
		var s *lint.HealthSample
		var probs []lint.ParseProblem
		if in.roles&roleHealthSchema != 0 {
			s, probs = health.LoadSchema(f)
		} else {
			s, probs = health.LoadSample(f)
		}
		r.health = s
		r.problems = append(r.problems, probs...)
	}
	// Keep each file's problems in position order, and one per position.
	sort.SliceStable(r.problems, func(i, j int) bool { return r.problems[i].At.Less(r.problems[j].At) })
	r.problems = slices.CompactFunc(r.problems, func(a, b lint.ParseProblem) bool { return a == b })
}

// resolved is what resolve learnt beside the inputs.
type resolved struct {
	skipped []lint.ParseProblem // matches that are not regular files
	// empty are the config globs that match no file (or only ignored ones); sources holds
	// the files each sources glob matched, by glob index.
	empty   []lint.ParseProblem
	sources [][]string
}

// globKeys are the config keys of input globs, with the role of their files.
var globKeys = []struct {
	key string
	r   role
}{{"rules", roleRules}, {"runbooks", roleRunbook}, {"metrics_docs", roleMetricsDoc}, {"dashboards", roleDashboard}, {"sources", roleSource}}

// globs returns the config's globs of key.
func globs(cfg *lint.Config, key string) []string {
	switch key {
	case "rules":
		return cfg.Rules
	case "runbooks":
		return cfg.Runbooks
	case "metrics_docs":
		return cfg.MetricsDocs
	case "dashboards":
		return cfg.Dashboards
	case "sources":
		return cfg.Sources
	case "known_metrics":
		return cfg.KnownMetrics
	}
	return nil
}

// match expands one config glob inside the root: the regular files it matches, minus
// ignored ones, sorted. Matches that are not regular files are skipped problems; links that
// lead out are remembered by the root (safefs.Root.Escapes). all counts the matches before
// the ignore list.
func match(cfg *lint.Config, root *safefs.Root, pattern string, rs *resolved) (files []string, all int, err error) {
	matches, err := doublestar.Glob(root.FS(), pattern, doublestar.WithFilesOnly())
	if err != nil {
		return nil, 0, fmt.Errorf("glob %q: %w", pattern, err)
	}
	for _, m := range matches {
		if ignored(cfg, m) {
			all++
			continue
		}
		switch err := root.Check(m); {
		case err == nil:
			all++
			files = append(files, m)
		case errors.Is(err, safefs.ErrNotRegular):
			all++
			rs.skipped = append(rs.skipped, lint.ParseProblem{At: lint.Pos{File: m}, Message: "matched by " + strconv.Quote(pattern) + " but not a regular file; not read"})
		}
	}
	sort.Strings(files)
	return files, all, nil
}

// resolve expands the config's globs (or discovers inputs) into files with roles, sorted by
// path.
func resolve(cfg *lint.Config, root *safefs.Root) ([]*input, *resolved, error) {
	roles := map[string]role{}
	rs := &resolved{}
	if cfg.Path == "" {
		if err := discover(cfg, root, roles); err != nil {
			return nil, nil, err
		}
	} else {
		for _, g := range globKeys {
			for i, pattern := range globs(cfg, g.key) {
				files, all, err := match(cfg, root, pattern, rs)
				if err != nil {
					return nil, nil, err
				}
				if len(files) == 0 {
					rs.empty = append(rs.empty, emptyGlob(cfg, g.key, i, pattern, all))
				}
				if g.r == roleSource {
					rs.sources = append(rs.sources, files)
				}
				for _, m := range files {
					roles[m] |= g.r
				}
			}
		}
		for _, set := range cfg.Copies { // files meant to agree are rule files too
			for _, f := range set {
				roles[f] |= roleRules
			}
		}
		for _, e := range cfg.Exposition {
			if e.File != "" {
				roles[e.File] |= roleExposition
			}
		}
		for _, h := range cfg.Health {
			switch {
			case h.File != "":
				roles[h.File] |= roleHealth
			case h.Schema != "":
				roles[h.Schema] |= roleHealthSchema
			}
		}
	}
	out := make([]*input, 0, len(roles))
	for rel, r := range roles {
		out = append(out, &input{rel: rel, roles: r})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].rel < out[j].rel })
	return out, rs, nil
}

// emptyGlob is the input/empty problem of the i-th glob of key, which matched no file it
// can read; all counts the files it matched before the ignore list and the checks.
func emptyGlob(cfg *lint.Config, key string, i int, pattern string, all int) lint.ParseProblem {
	at := cfg.ProjectPos(lint.Pos{File: cfg.Path})
	if ps := cfg.GlobAt[key]; i < len(ps) {
		at = cfg.ProjectPos(ps[i])
	}
	msg := fmt.Sprintf("%s glob %q matches no file, so nothing of it is checked", key, pattern)
	if all > 0 {
		msg = fmt.Sprintf("%s glob %q matches only files that are ignored or cannot be read, so nothing of it is checked", key, pattern)
	}
	return lint.ParseProblem{At: at, Message: msg}
}

// emptyInputs are the configured files that yield nothing of their kind: a rule file with no
// rule, a metrics doc that documents no metric, a dashboard file with no dashboard, a saved
// scrape with no family, and a sources glob none of whose files defines a metric. A file
// that did not parse is left out: input/parse already reports it.
func emptyInputs(cfg *lint.Config, inputs []*input, rs *resolved, code []*lint.Exposition) []lint.ParseProblem {
	var out []lint.ParseProblem
	if cfg.Path == "" {
		return nil // discovered inputs were chosen for what they hold
	}
	for _, in := range inputs {
		r := &in.res
		if len(r.problems) > 0 || r.file == nil {
			continue
		}
		at := lint.Pos{File: in.rel, Line: 1, Col: 1}
		switch {
		case in.roles&roleRules != 0 && len(r.rules) == 0 && len(r.foreign) == 0:
			out = append(out, lint.ParseProblem{At: at, Message: "rule file holds no alert or recording rule"})
		case in.roles&roleMetricsDoc != 0 && len(r.docEntries) == 0:
			out = append(out, lint.ParseProblem{At: at, Message: "metrics doc documents no metric that driftlint can read (a table with a metric name column such as | Metric | Type | Labels | Description |, bullets or headings that start with the name in backticks, a paragraph that starts with it, or # HELP/# TYPE lines in a code block)"})
		case in.roles&roleDashboard != 0 && len(r.dashboards) == 0:
			out = append(out, lint.ParseProblem{At: at, Message: "dashboard file holds no Grafana dashboard"})
		case in.roles&roleExposition != 0 && r.exposition != nil && len(r.exposition.Order) == 0:
			out = append(out, lint.ParseProblem{At: at, Message: "saved scrape holds no metric family"})
		}
	}
	defined := map[string]bool{}
	for _, e := range code {
		for _, name := range e.Order {
			defined[e.Families[name].At().File] = true
		}
		if e.Code != nil && len(e.Code.Unresolved) > 0 {
			defined[e.File.Path] = true
		}
	}
	// A file that uses a client library but defines nothing itself is a project's wrapper,
	// whose definitions are read at their call sites in other files: not an empty input.
	for _, in := range inputs {
		if in.roles&roleSource != 0 && in.res.file != nil && source.UsesClient(in.res.file) {
			defined[in.rel] = true
		}
	}
	for i, files := range rs.sources {
		if len(files) == 0 || slices.ContainsFunc(files, func(f string) bool { return defined[f] }) {
			continue
		}
		at := cfg.ProjectPos(lint.Pos{File: cfg.Path})
		if ps := cfg.GlobAt["sources"]; i < len(ps) {
			at = cfg.ProjectPos(ps[i])
		}
		out = append(out, lint.ParseProblem{At: at, Message: fmt.Sprintf("sources glob %q matches %d files, none of which uses a Prometheus client library or holds exposition text", cfg.Sources[i], len(files))})
	}
	return append(out, rs.empty...)
}

func ignored(cfg *lint.Config, rel string) bool { return lint.IgnoredPath(cfg.Ignore, rel) }

// skipDirs are never searched during discovery.
var skipDirs = map[string]bool{".git": true, "node_modules": true, "vendor": true, ".github": false}

// discover finds inputs by content when there is no config file. Links that stay inside
// the root are read as the files they lead to; links to folders are not walked (what they
// lead to is inside the root, and walked where it is); links that lead out are skipped
// with a warning.
func discover(cfg *lint.Config, root *safefs.Root, roles map[string]role) error {
	return fs.WalkDir(root.FS(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == "." {
				return fmt.Errorf("read %s: %w", cfg.Dir, err)
			}
			return nil
		}
		if d.IsDir() {
			if p != "." && (skipDirs[d.Name()] || strings.HasPrefix(d.Name(), ".") && d.Name() != ".github") {
				return filepath.SkipDir
			}
			return nil
		}
		if ignored(cfg, p) || !candidate(p) {
			return nil
		}
		st, err := root.Stat(p) // a link that leads out is remembered by the root

		if err != nil || !st.Mode().IsRegular() || st.Size() > DefaultMaxFileSize {
			return nil
		}
		if r := classify(root, p); r != 0 {
			roles[p] = r
		}
		return nil
	})
}

// candidate reports whether a file's name makes it worth reading during discovery.
func candidate(rel string) bool {
	switch path.Ext(strings.ToLower(rel)) {
	case ".yml", ".yaml", ".json", ".md", ".markdown", ".prom", ".txt", ".openmetrics", ".om":
		return true
	}
	return false
}

// rulesKeys match the keys of a rule file, plain or quoted as jsonnet renders them
// ("groups":, "alert":): groups, then alert or record.
var (
	groupsKey = regexp.MustCompile(`(?:^|[\s{,])["']?groups["']?\s*:`)
	ruleKey   = regexp.MustCompile(`(?:^|[\s{,-])["']?(?:alert|record)["']?\s*:`)
)

// LooksLikeRules is discovery's content check for a Prometheus rule file (or a resource
// holding one): a groups key and an alert or record key, plain or quoted.
func LooksLikeRules(src []byte) bool {
	return groupsKey.Match(src) && ruleKey.Match(src)
}

// HoldsRules is discovery's check for a rule file: its keys look like one (LooksLikeRules)
// and, read as one, it holds a rule group or a rule, or is not YAML (input/parse reports
// that). A file that reads cleanly and holds neither is something else whose text names
// groups and alerts, such as a test case quoting an API error about a rule group (Argo CD's
// resource health tests): read as a rule file it only gave input/empty.
func HoldsRules(rel string, src []byte) bool {
	return LooksLikeRules(src) && rulefile.Holds(lint.NewSourceFile(rel, src))
}

// classify decides by name and content what a discovered file is.
func classify(root *safefs.Root, rel string) role {
	name := strings.ToLower(path.Base(rel))
	ext := path.Ext(name)
	if !candidate(rel) {
		return 0
	}
	src, err := root.ReadFile(rel, DefaultMaxFileSize)
	if err != nil {
		return 0
	}
	var r role
	switch ext {
	case ".yml", ".yaml":
		if HoldsRules(rel, src) {
			r |= roleRules
		}
		if dashboard.LooksLikeDashboardConfigMap(src) {
			r |= roleDashboard
		}
	case ".json":
		switch {
		case dashboard.LooksLikeDashboardJSON(src):
			r |= roleDashboard
		case strings.Contains(name, "health"):
			if strings.Contains(name, "schema") {
				r |= roleHealthSchema
			} else {
				r |= roleHealth
			}
		}
	case ".md", ".markdown":
		if markdown.LooksLikeRunbook(rel, src) {
			r |= roleRunbook
		}
		if markdown.LooksLikeMetricsDoc(src) {
			r |= roleMetricsDoc
		}
	default:
		if (ext != ".txt" || strings.HasPrefix(name, "metrics")) && expo.LooksLikeExposition(name, src) {
			r |= roleExposition
		}
	}
	return r
}

// manifests reads the files named name (Cargo.toml, go.mod) in the folders of the sources of
// lang and above them, inside the root.
func manifests(root *safefs.Root, code []*lint.SourceFile, lang, name string, maxSize int64) []*lint.SourceFile {
	seen := map[string]bool{}
	var out []*lint.SourceFile
	for _, f := range code {
		if source.Lang(f.Path) != lang {
			continue
		}
		for dir := path.Dir(f.Path); ; dir = path.Dir(dir) {
			rel := path.Join(dir, name)
			if !seen[rel] {
				seen[rel] = true
				if m, prob := readInput(root, rel, maxSize); prob == nil && m != nil {
					out = append(out, m)
				}
			}
			if dir == "." || dir == "/" {
				break
			}
		}
	}
	return out
}

// Bounds of the doc site pages read for their front matter aliases.
const (
	maxSitePages    = 5000
	siteHeadMaxSize = 16 << 10
)

// siteAliases reads the front matter aliases of the doc_sites pages that are not inputs, so
// that links to a page's old URL resolve (Hugo redirects them). It reads the head of at most
// maxSitePages pages; a page whose front matter is longer than siteHeadMaxSize keeps only
// the aliases that come first.
func siteAliases(cfg *lint.Config, root *safefs.Root, known map[string]bool, inputs map[string]*input) map[string][]string {
	if len(cfg.DocSites) == 0 || known == nil {
		return nil
	}
	var pages []string
	for p := range known {
		if ext := path.Ext(p); ext != ".md" && ext != ".mdx" {
			continue
		}
		if _, ok := inputs[p]; ok {
			continue
		}
		for _, d := range cfg.DocSites {
			if d.Root == "." || strings.HasPrefix(p, d.Root+"/") {
				pages = append(pages, p)
				break
			}
		}
	}
	slices.Sort(pages)
	if len(pages) > maxSitePages {
		pages = pages[:maxSitePages]
	}
	out := map[string][]string{}
	for _, p := range pages {
		head, err := root.ReadHead(p, siteHeadMaxSize)
		if err != nil {
			continue
		}
		if a := runbook.FrontMatterAliases(head); len(a) > 0 {
			out[p] = a
		}
	}
	return out
}
