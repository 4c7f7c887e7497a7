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
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
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
		known, err := runbook.ListFiles(cfg.Dir, cfg.Ignore)
		if err != nil {
			known = nil
		}
		listed <- known
	}()
	inputs, err := resolve(cfg)
	if err != nil {
		cancel()
		<-fetched
		return nil, err
	}

	var wg sync.WaitGroup
	sem := make(chan struct{}, opts.Workers)
	for _, in := range bySize(cfg.Dir, inputs) {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			loadFile(cfg.Dir, in, opts.MaxFileSize)
		}()
	}
	wg.Wait()
	<-fetched
	if liveErr != nil {
		return nil, liveErr
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
	}
	p.Files = append(p.Files, live.Files...)
	p.ParseProblems = append(p.ParseProblems, live.Problems...)
	p.Expositions = expositions(cfg, inputs, byRel, live.Expositions)
	var code []*lint.SourceFile
	for _, in := range inputs {
		if in.roles&roleSource != 0 {
			code = append(code, in.res.file)
		}
	}
	srcExpos, srcProblems := source.LoadFiles(code)
	p.Expositions = append(p.Expositions, srcExpos...)
	p.ParseProblems = append(p.ParseProblems, srcProblems...)
	for i, h := range healthOrder(cfg, inputs) {
		if h == "" {
			if s := live.Health[i]; s != nil {
				p.Health = append(p.Health, s)
			}
		} else if s := byRel[h].res.health; s != nil {
			p.Health = append(p.Health, s)
		}
	}
	knownMetrics(cfg, p, opts.MaxFileSize)
	return p, nil
}

// bySize returns the inputs largest first, so that a big file (a dashboards ConfigMap) does
// not start last and leave the other workers idle; results are still merged in path order.
func bySize(dir string, inputs []*input) []*input {
	size := make(map[*input]int64, len(inputs))
	for _, in := range inputs {
		if st, err := os.Stat(filepath.Join(dir, filepath.FromSlash(in.rel))); err == nil {
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

// readInput reads the project file rel. A file over maxSize, or one that cannot be read,
// gives an empty SourceFile and a problem. A UTF-8 byte-order mark becomes three spaces:
// parsers accept it, offsets stay put.
func readInput(dir, rel string, maxSize int64) (*lint.SourceFile, *lint.ParseProblem) {
	abs := filepath.Join(dir, filepath.FromSlash(rel))
	if st, err := os.Stat(abs); err == nil && st.Size() > maxSize {
		return lint.NewSourceFile(rel, nil), &lint.ParseProblem{At: lint.Pos{File: rel}, Message: fmt.Sprintf("file is %d bytes, larger than the %d-byte limit; not read", st.Size(), maxSize)}
	}
	src, err := os.ReadFile(abs)
	if err != nil {
		return lint.NewSourceFile(rel, nil), &lint.ParseProblem{At: lint.Pos{File: rel}, Message: "cannot read: " + errors.Unwrap(err).Error()}
	}
	if len(src) >= 3 && src[0] == 0xEF && src[1] == 0xBB && src[2] == 0xBF {
		src[0], src[1], src[2] = ' ', ' ', ' '
	}
	return lint.NewSourceFile(rel, src), nil
}

// loadFile reads one file and runs the loader of each of its roles.
func loadFile(dir string, in *input, maxSize int64) {
	r := &in.res
	f, problem := readInput(dir, in.rel, maxSize)
	r.file = f
	if problem != nil {
		r.problems = append(r.problems, *problem)
		return
	}
	isJSON := strings.HasSuffix(strings.ToLower(in.rel), ".json")

	if in.roles&roleRules != 0 {
		rr := rulefile.Load(f)
		r.rules, r.queries, r.problems = append(r.rules, rr.Rules...), append(r.queries, rr.Queries...), append(r.problems, rr.Problems...)
	}
	if in.roles&(roleRunbook|roleMetricsDoc) != 0 {
		mr := markdown.Load(f, in.roles&roleRunbook != 0, in.roles&roleMetricsDoc != 0)
		r.markdown = mr.Markdown
		r.queries = append(r.queries, mr.Queries...)
		r.docEntries = mr.DocEntries
		r.runbookAlerts = mr.Alerts
		r.problems = append(r.problems, mr.Problems...)
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

// resolve expands the config's globs (or discovers inputs) into files with roles, sorted by
// path.
func resolve(cfg *lint.Config) ([]*input, error) {
	roles := map[string]role{}
	if cfg.Path == "" {
		if err := discover(cfg, roles); err != nil {
			return nil, err
		}
	} else {
		for _, g := range []struct {
			globs []string
			r     role
		}{{cfg.Rules, roleRules}, {cfg.Runbooks, roleRunbook}, {cfg.MetricsDocs, roleMetricsDoc}, {cfg.Dashboards, roleDashboard}, {cfg.Sources, roleSource}} {
			for _, pattern := range g.globs {
				matches, err := doublestar.Glob(os.DirFS(cfg.Dir), pattern, doublestar.WithFilesOnly(), doublestar.WithFailOnIOErrors())
				if err != nil {
					return nil, fmt.Errorf("glob %q: %w", pattern, err)
				}
				for _, m := range matches {
					if !ignored(cfg, m) {
						roles[m] |= g.r
					}
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
	return out, nil
}

func ignored(cfg *lint.Config, rel string) bool { return lint.IgnoredPath(cfg.Ignore, rel) }

// skipDirs are never searched during discovery.
var skipDirs = map[string]bool{".git": true, "node_modules": true, "vendor": true, ".github": false}

// discover finds inputs by content when there is no config file.
func discover(cfg *lint.Config, roles map[string]role) error {
	return filepath.WalkDir(cfg.Dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == cfg.Dir {
				return fmt.Errorf("read %s: %w", p, err)
			}
			return nil
		}
		rel, _ := filepath.Rel(cfg.Dir, p)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if p != cfg.Dir && (skipDirs[d.Name()] || strings.HasPrefix(d.Name(), ".") && d.Name() != ".github") {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() || ignored(cfg, rel) {
			return nil
		}
		if info, err := d.Info(); err != nil || info.Size() > DefaultMaxFileSize {
			return nil
		}
		if r := classify(p, rel); r != 0 {
			roles[rel] = r
		}
		return nil
	})
}

// classify decides by name and content what a discovered file is.
func classify(abs, rel string) role {
	name := strings.ToLower(path.Base(rel))
	ext := path.Ext(name)
	switch ext {
	case ".yml", ".yaml", ".json", ".md", ".markdown", ".prom", ".txt", ".openmetrics", ".om":
	default:
		return 0
	}
	src, err := os.ReadFile(abs)
	if err != nil {
		return 0
	}
	var r role
	switch ext {
	case ".yml", ".yaml":
		s := string(src)
		if strings.Contains(s, "groups:") && (strings.Contains(s, "alert:") || strings.Contains(s, "record:")) {
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
		if markdown.LooksLikeRunbook(src) {
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
