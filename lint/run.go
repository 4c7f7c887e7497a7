package lint

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"time"
)

// RunOptions tune a run. The command line's settings win over the config's.
type RunOptions struct {
	Workers int      // parallel rules; 0 means GOMAXPROCS
	Disable []string // rule ids or categories switched off (in addition to the config's)
	// EnableOnly, when set, are the only rules (ids or categories) that run: the config's
	// disable lists, global and per path, do not apply to them. Not together with Disable.
	EnableOnly []string
	Severity   map[string]Severity // overrides (over the config's)
}

// Summary counts a run's findings.
type Summary struct {
	Files             int `json:"files"`
	Findings          int `json:"findings"`
	Error             int `json:"error"`
	Warning           int `json:"warning"`
	Info              int `json:"info"`
	UnverifiedMetrics int `json:"unverified_metrics"`
	// Paths counts the paths given on the command line that findings were kept for (0:
	// the whole project), and OutsidePaths the findings left out for lying outside them.
	Paths        int `json:"paths,omitempty"`
	OutsidePaths int `json:"outside_paths,omitempty"`
	// UnresolvedDefinitions counts the metric definitions of the sources whose name is not
	// known, and UncheckedSpaces the name spaces they leave unchecked (app_http_*): names
	// there are unverified, not reported.
	UnresolvedDefinitions int      `json:"unresolved_definitions,omitempty"`
	UncheckedSpaces       []string `json:"unchecked_spaces,omitempty"`
}

// RuleTiming is how a rule ran, for --verbose.
type RuleTiming struct {
	Rule     string
	Skipped  bool // its inputs were absent
	Disabled bool
	Elapsed  time.Duration
}

// Result is everything a run produced.
type Result struct {
	Findings []Finding // sorted
	Summary  Summary
	Timings  []RuleTiming // in rule order
	// Suppressed counts the findings hidden by driftlint:ignore comments and by the
	// config's ignore paths (see suppress.go).
	Suppressed int
	// Internal holds rule crashes and rule errors; the CLI exits 2 when any is present.
	Internal []error
}

// Run runs rules over the project in parallel and returns their findings, sorted and
// deduplicated, with severities and fingerprints set.
func Run(p *Project, rules []*Rule, opts RunOptions) *Result {
	set := newSettings(p.Config, opts)
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}

	expo := expositionFiles(p)
	res := &Result{Timings: make([]RuleTiming, len(rules))}
	perRule := make([][]Finding, len(rules))
	internal := make([]error, len(rules))
	sem := make(chan struct{}, workers)
	var wg sync.WaitGroup
	order := make([]int, 0, len(rules))
	for _, heavy := range []bool{true, false} {
		for i, r := range rules {
			if r.Heavy == heavy {
				order = append(order, i)
			}
		}
	}
	for _, i := range order {
		r := rules[i]
		res.Timings[i] = RuleTiming{Rule: r.ID}
		switch {
		case !set.runs(r.ID):
			res.Timings[i].Disabled = true
			continue
		case !p.Has(r.Needs):
			res.Timings[i].Skipped = true
			continue
		}
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			start := time.Now()
			perRule[i], internal[i] = runOne(p, r)
			// Severities and fingerprints too, here in parallel rather than one by one after.
			for j := range perRule[i] {
				perRule[i][j] = finish(p, perRule[i][j], r, set, expo)
			}
			res.Timings[i].Elapsed = time.Since(start)
		}()
	}
	wg.Wait()

	known := map[string]bool{}
	ran := map[string]bool{}
	var unusedIgnore *Rule
	n := 0
	for _, fs := range perRule {
		n += len(fs)
	}
	all := make([]Finding, 0, n)
	for i, r := range rules {
		known[r.ID] = true
		if internal[i] != nil {
			res.Internal = append(res.Internal, internal[i])
		} else if !res.Timings[i].Disabled && !res.Timings[i].Skipped {
			ran[r.ID] = true
			if r.ID == UnusedIgnoreID {
				unusedIgnore = r
			}
		}
		all = append(all, perRule[i]...)
	}
	all = foldCopies(p, all)
	// Suppressions apply after every rule ran, so that an unused one is known.
	var problems []Finding
	res.Findings, res.Suppressed, problems = suppress(p, all, known, ran)
	for _, e := range p.Expositions {
		if e.Code == nil {
			continue
		}
		for _, at := range e.Code.UnusedDirectives {
			problems = append(problems, Finding{Pos: at, Message: "driftlint:metric comment stands next to no metric definition whose name is unknown, so it declares nothing"})
		}
	}
	if unusedIgnore != nil {
		for _, f := range problems {
			res.Findings = append(res.Findings, finish(p, f, unusedIgnore, set, expo))
		}
	}
	// Per-path disables apply after suppressions, so that a comment hiding a finding there
	// is not reported as unused.
	res.Findings = slices.DeleteFunc(res.Findings, func(f Finding) bool { return set.disabledAt(f.Rule, f.Pos.File) })
	res.Findings = SortFindings(res.Findings)
	res.Summary = Summarize(p, res.Findings)
	return res
}

// finish sets a finding's rule, severity (the rule's default, or the one the config or the
// command line sets for it and its file) and fingerprint.
func finish(p *Project, f Finding, r *Rule, set *settings, expo map[*SourceFile]bool) Finding {
	f.Rule = r.ID
	if f.Severity == 0 {
		f.Severity = r.Severity
	}
	if s, ok := set.severity(r.ID, f.Pos.File); ok {
		f.Severity = s
	}
	if f.Fingerprint == "" {
		line := ""
		if sf := p.File(f.Pos.File); sf != nil {
			line = fingerprintText(sf.Line(f.Pos.Line), f.Pos.Col)
			if expo[sf] {
				line = sampleSeries(line)
			}
		}
		f.Fingerprint = fingerprint(f, line)
	}
	return f
}

// settings decide which rules run, where their findings are dropped, and their severities:
// the config's checks, then its overrides in order, then the command line.
type settings struct {
	disable     []string // the config's, then the command line's
	enableOnly  []string
	cfgSeverity map[string]Severity // the config's
	overrides   []CheckOverride
	cliSeverity map[string]Severity
}

func newSettings(c *Config, opts RunOptions) *settings {
	s := &settings{enableOnly: opts.EnableOnly, cliSeverity: opts.Severity}
	if c != nil {
		s.disable = slices.Clone(c.Checks.Disable)
		s.cfgSeverity = c.Checks.Severity
		s.overrides = c.Checks.Overrides
	}
	s.disable = append(s.disable, opts.Disable...)
	return s
}

// runs reports whether the rule runs at all.
func (s *settings) runs(id string) bool {
	if len(s.enableOnly) > 0 {
		return anyRule(s.enableOnly, id)
	}
	return !anyRule(s.disable, id)
}

// disabledAt reports whether an override switches the rule off for findings in file. A rule
// chosen with --enable-only is never switched off by the config.
func (s *settings) disabledAt(id, file string) bool {
	if len(s.enableOnly) > 0 {
		return false
	}
	for _, o := range s.overrides {
		if anyRule(o.Disable, id) && MatchPaths(o.Paths, file) {
			return true
		}
	}
	return false
}

// severity is the severity that the config or the command line sets for the rule's findings
// in file: the command line's, else the last matching override's, else the config's global
// one.
func (s *settings) severity(id, file string) (Severity, bool) {
	if sev, ok := ruleSeverity(s.cliSeverity, id); ok {
		return sev, true
	}
	for _, o := range slices.Backward(s.overrides) {
		if sev, ok := ruleSeverity(o.Severity, id); ok && MatchPaths(o.Paths, file) {
			return sev, true
		}
	}
	return ruleSeverity(s.cfgSeverity, id)
}

// ruleSeverity looks the rule up in a severity mapping: its id, else its category.
func ruleSeverity(m map[string]Severity, id string) (Severity, bool) {
	if sev, ok := m[id]; ok {
		return sev, true
	}
	if cat, _, ok := strings.Cut(id, "/"); ok {
		sev, ok := m[cat+"/*"]
		return sev, ok
	}
	return 0, false
}

// anyRule reports whether one of the patterns names the rule.
func anyRule(patterns []string, id string) bool {
	return slices.ContainsFunc(patterns, func(p string) bool { return RuleMatches(p, id) })
}

// expositionFiles are the texts of the project's scrapes (saved or fetched).
func expositionFiles(p *Project) map[*SourceFile]bool {
	out := map[*SourceFile]bool{}
	for _, e := range p.Expositions {
		if e != nil && e.File != nil && !e.Source {
			out[e.File] = true
		}
	}
	return out
}

// sampleSeries cuts an exposition sample line to its series, name{labels}: the value, the
// timestamp and an exemplar change from one scrape to the next, and must not change the
// fingerprints of findings on the line. Comment lines (# HELP, # TYPE) are kept whole.
func sampleSeries(line string) string {
	line = strings.TrimSpace(line)
	if line == "" || line[0] == '#' {
		return line
	}
	inQuote, escaped := false, false
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case escaped:
			escaped = false
		case inQuote && c == '\\':
			escaped = true
		case c == '"':
			inQuote = !inQuote
		case !inQuote && c == '}':
			return line[:i+1]
		case !inQuote && (c == ' ' || c == '\t') && !strings.Contains(line[:i], "{"):
			return line[:i]
		}
	}
	return line
}

// Lines longer than longLine bytes (minified JSON, a dashboard embedded in one YAML string)
// are fingerprinted by a window around the finding's column.
const (
	longLine     = 256
	windowBefore = 64
	windowAfter  = 128
)

// fingerprintText is the part of a finding's line that its fingerprint covers: the whole
// line, or for a long line a window around the column, so that an edit elsewhere on the line
// keeps the fingerprint.
func fingerprintText(line string, col int) string {
	if len(line) <= longLine || col < 1 {
		return line
	}
	c := min(col-1, len(line))
	return line[max(0, c-windowBefore):min(len(line), c+windowAfter)]
}

// Summarize counts findings by severity.
func Summarize(p *Project, fs []Finding) Summary {
	s := Summary{
		Files: len(p.Files), Findings: len(fs), UnverifiedMetrics: len(p.Unverified()),
		UnresolvedDefinitions: len(p.Unresolved()), UncheckedSpaces: p.UncheckedSpaces(),
	}
	for _, f := range fs {
		switch f.Severity {
		case Error:
			s.Error++
		case Warning:
			s.Warning++
		case Info:
			s.Info++
		}
	}
	return s
}

// runOne runs a rule, turning a panic or an error into an internal error naming the rule.
func runOne(p *Project, r *Rule) (fs []Finding, err error) {
	pass := &Pass{Rule: r, Project: p}
	defer func() {
		if v := recover(); v != nil {
			fs = pass.findings
			err = fmt.Errorf("internal error in rule %s: %v\n%s", r.ID, v, firstFrames(debug.Stack()))
		}
	}()
	if err := r.Run(pass); err != nil {
		return pass.findings, fmt.Errorf("internal error in rule %s: %w", r.ID, err)
	}
	return pass.findings, nil
}

// firstFrames keeps the start of a stack trace: enough to locate a rule's bug.
func firstFrames(stack []byte) string {
	lines := strings.SplitN(string(stack), "\n", 17)
	return strings.Join(lines[:min(len(lines), 16)], "\n")
}
