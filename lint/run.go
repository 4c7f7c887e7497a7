package lint

import (
	"fmt"
	"maps"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"time"
)

// RunOptions tune a run.
type RunOptions struct {
	Workers  int                 // parallel rules; 0 means GOMAXPROCS
	Disable  []string            // rule ids switched off (in addition to the config's)
	Severity map[string]Severity // overrides (in addition to the config's)
}

// Summary counts a run's findings.
type Summary struct {
	Files             int `json:"files"`
	Findings          int `json:"findings"`
	Error             int `json:"error"`
	Warning           int `json:"warning"`
	Info              int `json:"info"`
	UnverifiedMetrics int `json:"unverified_metrics"`
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
	disabled := map[string]bool{}
	severity := map[string]Severity{}
	if p.Config != nil {
		for _, id := range p.Config.Checks.Disable {
			disabled[id] = true
		}
		maps.Copy(severity, p.Config.Checks.Severity)
	}
	for _, id := range opts.Disable {
		disabled[id] = true
	}
	maps.Copy(severity, opts.Severity)
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
		case disabled[r.ID]:
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
				perRule[i][j] = finish(p, perRule[i][j], r, severity, expo)
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
	if unusedIgnore != nil {
		for _, f := range problems {
			res.Findings = append(res.Findings, finish(p, f, unusedIgnore, severity, expo))
		}
	}
	res.Findings = SortFindings(res.Findings)
	res.Summary = Summarize(p, res.Findings)
	return res
}

// finish sets a finding's rule, severity (the rule's default, or the config's override)
// and fingerprint.
func finish(p *Project, f Finding, r *Rule, severity map[string]Severity, expo map[*SourceFile]bool) Finding {
	f.Rule = r.ID
	if f.Severity == 0 {
		f.Severity = r.Severity
		if s, ok := severity[r.ID]; ok {
			f.Severity = s
		}
	} else if s, ok := severity[r.ID]; ok {
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
	s := Summary{Files: len(p.Files), Findings: len(fs), UnverifiedMetrics: len(p.Unverified())}
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
