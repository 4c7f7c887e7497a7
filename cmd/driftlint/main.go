// Command driftlint audits a service's observability for drift: alert and recording rules,
// runbooks, metrics docs, Grafana dashboards and what the service really exports.
package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/driftlint/driftlint/lint"
	"github.com/driftlint/driftlint/lint/docsfix"
	"github.com/driftlint/driftlint/lint/gitdiff"
	"github.com/driftlint/driftlint/lint/guard"
	"github.com/driftlint/driftlint/lint/load"
	"github.com/driftlint/driftlint/lint/load/fetch"
	"github.com/driftlint/driftlint/lint/report"
	"github.com/driftlint/driftlint/lint/safefs"
	"github.com/driftlint/driftlint/rules"
)

// exitError carries an exit code up to main: 1 for findings, 2 for everything else.
type exitError struct {
	code int
	err  error // nil: nothing more to print
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit %d", e.code)
	}
	return e.err.Error()
}

func main() {
	pacedGC()
	stopProfile := startProfile()
	code := run(os.Args[1:], os.Stdout, os.Stderr)
	stopProfile()
	os.Exit(code)
}

// run executes the command line and returns the exit code. Ctrl-C (SIGINT) or SIGTERM
// cancels the run's context, which stops live scrapes and loading at once; whatever is
// still running a second later (a rule, a parser) is cut short: the temporary files of
// writes under way are removed and the process exits 2. A second Ctrl-C kills the process.
func run(args []string, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), interruptSignals...)
	defer stop()
	done := make(chan struct{})
	defer close(done)
	go func() {
		select {
		case <-done:
			return
		case <-ctx.Done():
		}
		stop()
		select {
		case <-done:
		case <-time.After(interruptGrace):
			safefs.RemoveTemps()
			fmt.Fprintln(stderr, "driftlint: interrupted")
			os.Exit(2)
		}
	}()
	guardProcess = true
	code := runContext(ctx, args, stdout, stderr)
	if ctx.Err() != nil {
		safefs.RemoveTemps()
		if code != 2 {
			fmt.Fprintln(stderr, "driftlint: interrupted")
		}
		return 2
	}
	return code
}

// errInterrupted ends a command that was interrupted before it wrote anything.
var errInterrupted = errors.New("interrupted")

// guardProcess is set when driftlint runs as its own process (not inside a test): then the
// memory guard may end it.
var guardProcess bool

var guardOnce sync.Once

// startGuard starts the process memory guard once the --limit flags are in force: past
// max_memory of live heap, the run exits 2 with one line naming the phase it was in.
func startGuard(ctx context.Context, stderr io.Writer) {
	if !guardProcess {
		return
	}
	guardOnce.Do(func() {
		limit := lint.Limit().MaxMemory
		guard.Start(ctx, limit, func(heap uint64) {
			safefs.RemoveTemps()
			fmt.Fprintf(stderr, "driftlint: the heap reached %d MiB during the %s phase, past the max_memory limit of %d MiB (%s)\n",
				heap>>20, guard.Phase(), limit>>20, lint.LimitFlagHint("max_memory"))
			os.Exit(2)
		})
	})
}

// interruptGrace is how long an interrupted run may take to stop on its own.
const interruptGrace = time.Second

// runContext is run with the context that cancels the run.
func runContext(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	cmd := newRootCmd()
	cmd.SetArgs(args)
	cmd.SetOut(stdout)
	cmd.SetErr(stderr)
	err := cmd.ExecuteContext(ctx)
	if err == nil {
		return 0
	}
	code := 2
	if ee, ok := errors.AsType[*exitError](err); ok {
		code = ee.code
		if ee.err == nil {
			return code
		}
	}
	fmt.Fprintln(stderr, "driftlint: "+report.Escape(err.Error()))
	return code
}

func newRootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:   "driftlint",
		Short: "Audit alert rules, runbooks, metrics docs and dashboards against what the service exports",
		Long: `driftlint reads a service's alert and recording rules, runbooks, metrics documentation,
Grafana dashboards, saved /metrics scrapes and /health samples, and reports every place where
they disagree, with file:line:col on both sides.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.CompletionOptions.DisableDefaultCmd = true // newCompletionCmd replaces it
	root.AddCommand(newCheckCmd())
	root.AddCommand(newBaselineCmd())
	root.AddCommand(newReportCmd())
	root.AddCommand(newDocsCmd())
	root.AddCommand(newInitCmd())
	root.AddCommand(newInventoryCmd())
	root.AddCommand(newSnapshotCmd())
	root.AddCommand(newRulesCmd())
	root.AddCommand(newExplainCmd())
	root.AddCommand(newExportersCmd())
	addVersion(root)
	root.AddCommand(newCompletionCmd())
	return root
}

// trustFlags are the flags that say what a run may reach beyond the project's files: the
// project root, files outside it, hosts, and the ceilings on what inputs may cost. They live
// on the command line because in a pull request the config is the author's.
type trustFlags struct {
	root      string
	allowRead []string
	allowNet  []string
	limits    []string
	maxMemory string
}

func addTrustFlags(cmd *cobra.Command, tf *trustFlags) {
	f := cmd.Flags()
	f.StringVar(&tf.root, "root", "", "the project root: every input is read inside it, links included, and the config's paths resolve against it (default: the config file's folder)")
	f.StringSliceVar(&tf.allowRead, "allow-read", nil, "files or folders outside the root that secret and TLS files of url entries may name (comma-separated)")
	f.StringSliceVar(&tf.allowNet, "allow-net", nil, "hosts that url entries may fetch: HOST or HOST:PORT, * for any (comma-separated; also DRIFTLINT_ALLOW_NET)")
	f.StringArrayVar(&tf.limits, "limit", nil, "raise or lower a hard ceiling: NAME=VALUE (repeatable; names: "+strings.Join(lint.LimitNames(), ", ")+")")
	f.StringVar(&tf.maxMemory, "max-memory", "", "the process guard: exit 2 once the live heap passes SIZE (4GiB by default; the same as --limit max_memory=SIZE)")
}

// apply puts the --limit values in force.
func (tf *trustFlags) apply() error {
	l := *lint.Limit()
	kvs := tf.limits
	if tf.maxMemory != "" {
		kvs = append([]string{"max_memory=" + tf.maxMemory}, kvs...)
	}
	for _, kv := range kvs {
		if err := l.Set(kv); err != nil {
			return err
		}
	}
	lint.SetLimits(l)
	return nil
}

// configOptions are the config's root and the paths outside it that may be read.
func (tf *trustFlags) configOptions() (lint.ConfigOptions, error) {
	var o lint.ConfigOptions
	if tf.root != "" {
		if err := checkDir(tf.root); err != nil {
			return o, fmt.Errorf("--root %w", err)
		}
		abs, err := filepath.Abs(tf.root)
		if err != nil {
			return o, err
		}
		o.Root = abs
	}
	for _, p := range tf.allowRead {
		abs, err := filepath.Abs(p)
		if err != nil {
			return o, fmt.Errorf("--allow-read %s: %w", p, err)
		}
		o.AllowRead = append(o.AllowRead, abs)
	}
	return o, nil
}

// projectFlags are the flags of every command that loads a project and runs the rules.
type projectFlags struct {
	trustFlags
	config     string
	disable    []string
	enableOnly []string
	jobs       int
	verbose    bool
	maxSize    int64
}

func addProjectFlags(cmd *cobra.Command, pf *projectFlags) {
	addTrustFlags(cmd, &pf.trustFlags)
	f := cmd.Flags()
	f.StringVarP(&pf.config, "config", "c", "", "config file (default DIR/.driftlint.yaml)")
	f.StringSliceVar(&pf.disable, "disable", nil, "rule ids or categories (promql/*) to switch off (comma-separated)")
	f.StringSliceVar(&pf.enableOnly, "enable-only", nil, "run only these rule ids or categories (comma-separated), whatever the config disables; not with --disable")
	f.IntVarP(&pf.jobs, "jobs", "j", 0, "parallel loaders and rules (default: the number of CPUs)")
	f.BoolVarP(&pf.verbose, "verbose", "v", false, "say on stderr what was loaded, which rules were skipped and why, and how long each phase took")
	f.Int64Var(&pf.maxSize, "max-file-size", load.DefaultMaxFileSize, "bytes: a larger input file is an input/parse finding, not read")
}

// outputFlags are the flags of every command that prints findings.
type outputFlags struct {
	format      string
	output      string
	failOn      string
	noColor     bool
	quiet       bool
	maxFindings int
}

func addOutputFlags(cmd *cobra.Command, of *outputFlags, failOnDefault, failOnHelp string) {
	f := cmd.Flags()
	f.StringVarP(&of.format, "format", "f", "text", "output format: "+strings.Join(report.Formats, ", "))
	f.StringVarP(&of.output, "output", "o", "", "write the report to this file instead of stdout")
	f.StringVar(&of.failOn, "fail-on", failOnDefault, failOnHelp)
	f.BoolVar(&of.noColor, "no-color", false, "never colour the text output")
	f.BoolVarP(&of.quiet, "quiet", "q", false, "print findings only, without the summary line")
	f.IntVar(&of.maxFindings, "max-findings", 0, "print at most N findings in text, json, github, markdown and checkstyle, saying how many were left out (0: all); the exit code and summary still count them all")
}

// validate checks the output flags and returns the --fail-on severity (0 for never).
func (of *outputFlags) validate() (lint.Severity, error) {
	failOn := lint.Severity(0)
	if of.failOn != "never" {
		s, err := lint.ParseSeverity(of.failOn)
		if err != nil {
			return 0, fmt.Errorf("--fail-on: %w", err)
		}
		failOn = s
	}
	if !slices.Contains(report.Formats, of.format) {
		return 0, fmt.Errorf("--format: unknown format %q (want one of %s)", of.format, strings.Join(report.Formats, ", "))
	}
	if of.maxFindings < 0 {
		return 0, fmt.Errorf("--max-findings: %d is negative (want 0 for all, or a count)", of.maxFindings)
	}
	return failOn, nil
}

// session is one command's run over a project.
type session struct {
	cfg         *lint.Config
	p           *lint.Project
	res         *lint.Result
	start       time.Time // when the command started: config and loading count as the load phase
	load, rules time.Duration
	notes       []string // extra --verbose lines
}

// prepare validates the project flags and reads the config of dir.
func prepare(dir string, pf projectFlags) (*session, error) {
	s := &session{start: time.Now()}
	if len(pf.disable) > 0 && len(pf.enableOnly) > 0 {
		return nil, errors.New("--disable and --enable-only cannot be used together")
	}
	for _, id := range pf.disable {
		if !lint.RuleKnown(id, rules.IDs()) {
			return nil, errors.New("--disable: " + lint.UnknownRuleMsg(id, rules.IDs()))
		}
	}
	for _, id := range pf.enableOnly {
		if !lint.RuleKnown(id, rules.IDs()) {
			return nil, errors.New("--enable-only: " + lint.UnknownRuleMsg(id, rules.IDs()))
		}
	}
	if err := checkDir(dir); err != nil {
		return nil, err
	}
	if err := pf.apply(); err != nil {
		return nil, err
	}
	startGuard(context.Background(), os.Stderr)
	if pf.config == "" {
		// From a folder inside a project, its config is found upward (up to the git top).
		up, err := findConfigUp(context.Background(), dir)
		if err != nil {
			return nil, err
		}
		pf.config = displayPath(up)
	}
	cfg, err := loadConfig(dir, pf.config, pf.trustFlags)
	if err != nil {
		return nil, err
	}
	s.cfg = cfg
	return s, nil
}

// checkDir says why dir cannot be a project folder, or returns nil.
func checkDir(dir string) error {
	if st, err := os.Stat(dir); err != nil {
		return fmt.Errorf("%s: %w", dir, errors.Unwrap(err))
	} else if !st.IsDir() {
		return fmt.Errorf("%s: not a folder", dir)
	}
	return nil
}

// phase records the phase a run enters: with DRIFTLINT_TRACE=1 in the environment it is
// printed on stderr ("driftlint: phase rules"), for scripts and tests that need to know
// where a run is.
func phase(name string) {
	if os.Getenv("DRIFTLINT_TRACE") == "1" && guard.OnPhase == nil {
		guard.OnPhase = func(name string) { fmt.Fprintln(os.Stderr, "driftlint: phase "+name) }
	}
	guard.SetPhase(name)
}

// maxSecretFile bounds a secret or TLS file read for a url entry.
const maxSecretFile = 1 << 20

// fetchOptions are what live scrapes may reach: the hosts --allow-net and
// DRIFTLINT_ALLOW_NET allow (checked for every url entry before anything is read or
// fetched), and secret and TLS files read inside the root, or outside it where --allow-read
// names them. close releases the root.
func (s *session) fetchOptions(tf trustFlags) (fetch.Options, func(), error) {
	nop := func() {}
	allow, err := fetch.MergeAllowNet(tf.allowNet, os.Getenv(fetch.AllowNetEnv))
	if err != nil {
		return fetch.Options{}, nop, fmt.Errorf("--allow-net: %w", err)
	}
	if err := fetch.CheckAllowed(s.cfg, allow); err != nil {
		return fetch.Options{}, nop, err
	}
	o, err := tf.configOptions()
	if err != nil {
		return fetch.Options{}, nop, err
	}
	root, err := safefs.Open(s.cfg.Dir)
	if err != nil {
		return fetch.Options{}, nop, fmt.Errorf("project root: %w", err)
	}
	fo := fetch.Options{AllowNet: allow, ReadFile: func(name string) ([]byte, error) {
		if filepath.IsAbs(name) {
			if !lint.AllowedOutside(o.AllowRead, name) {
				return nil, fmt.Errorf("%s is outside the project root and not named by --allow-read", name)
			}
			return safefs.ReadOutside(name, maxSecretFile)
		}
		return root.ReadFile(name, maxSecretFile)
	}}
	if isTerminal(os.Stderr) {
		fo.Progress = os.Stderr
	}
	return fo, func() { _ = root.Close() }, nil
}

// loadProject loads the project's inputs; url entries are fetched with ctx, which Ctrl-C
// cancels.
func (s *session) loadProject(ctx context.Context, pf projectFlags) error {
	phase("load")
	fo, closeFetch, err := s.fetchOptions(pf.trustFlags)
	if err != nil {
		return err
	}
	defer closeFetch()
	p, err := load.Project(s.cfg, load.Options{Workers: pf.jobs, Context: ctx, MaxFileSize: pf.maxSize, Fetch: fo})
	if err != nil {
		return err
	}
	if len(p.Files) == 0 && len(p.Expositions) == 0 && len(p.Health) == 0 {
		return noInputError(s.cfg)
	}
	s.p = p
	s.load = time.Since(s.start)
	return nil
}

// lint loads the project and runs every rule.
func (s *session) lint(ctx context.Context, pf projectFlags) error {
	if err := s.loadProject(ctx, pf); err != nil {
		return err
	}
	start := time.Now()
	phase("rules")
	s.res = lint.Run(s.p, rules.All(), lint.RunOptions{Workers: pf.jobs, Disable: pf.disable, EnableOnly: pf.enableOnly})
	writeHeapProfile()
	phase("report")

	s.rules = time.Since(start)
	if s.res.Suppressed > 0 {
		s.notes = append(s.notes, fmt.Sprintf("suppressed: %s by driftlint:ignore comments, suppress entries and ignore paths", count(s.res.Suppressed, "finding")))
	}
	return nil
}

// verbose prints the --verbose report on stderr.
func (s *session) verbose(cmd *cobra.Command, reportTime time.Duration) {
	info := report.NewVerboseInfo(s.p, s.res, rules.All())
	info.Load, info.Rules, info.Report = s.load, s.rules, reportTime
	w := cmd.ErrOrStderr()
	_ = report.Verbose(w, info)
	for _, n := range s.notes {
		fmt.Fprintln(w, report.Escape(n))
	}
}

// end prints the --verbose report when asked, then turns rule crashes into exit 2.
func (s *session) end(cmd *cobra.Command, verbose bool, reportTime time.Duration) error {
	if verbose {
		s.verbose(cmd, reportTime)
	}
	return s.internalError(cmd)
}

// internalError turns rule crashes into exit 2, printing all but the first (which main prints).
func (s *session) internalError(cmd *cobra.Command) error {
	if len(s.res.Internal) == 0 {
		return nil
	}
	for _, e := range s.res.Internal[1:] {
		fmt.Fprintln(cmd.ErrOrStderr(), "driftlint: "+report.Escape(e.Error()))
	}
	return &exitError{code: 2, err: s.res.Internal[0]}
}

// reportOptions are the printer options for the session's project.
func (s *session) reportOptions(color, quiet bool) report.Options {
	return report.Options{
		Color: color, Quiet: quiet, Rules: rules.All(), Version: buildInfo().Version, Root: s.p.Root,
		Source: func(path string, line int) string {
			if f := s.p.File(path); f != nil {
				return f.Line(line)
			}
			return ""
		},
	}
}

// noInputError is the error of a run that found no input at all: a gate that checked
// nothing must not pass.
func noInputError(cfg *lint.Config) error {
	if cfg.Path == "" {
		return fmt.Errorf("no input found under %s: no rule file, runbook, metrics doc, dashboard, scrape or health sample (write a %s, see driftlint init)", cfg.Dir, lint.ConfigFile)
	}
	return fmt.Errorf("%s: no input: no glob of the config matches a file that can be read, and no exposition or health entry is configured; nothing would be checked", cfg.Path)
}

// withOutput runs print on stdout, or on the --output file; color says whether stdout is a
// terminal that takes colours. The file is written atomically when print is done, and
// never through a symbolic link inside the project root (see safefs.WriteOutside).
func withOutput(cmd *cobra.Command, of outputFlags, rootDir string, print func(w io.Writer, color bool) error) error {
	if of.output == "" {
		w := cmd.OutOrStdout()
		return print(w, !of.noColor && colorable(w))
	}
	// Streamed into a temporary file beside the output, renamed when complete: a report of
	// a hundred thousand findings is never held whole in memory (64 MB of JSON was).
	err := safefs.WriteOutsideFunc(of.output, rootDir, func(w io.Writer) error {
		if err := print(w, false); err != nil {
			return err
		}
		if cmd.Context().Err() != nil {
			return errInterrupted
		}
		return nil
	})
	if werr, ok := errors.AsType[*safefs.WriteError](err); ok {
		return werr.Err // the report's own error, or the interrupt: the file is left as it was
	}
	if err != nil {
		return fmt.Errorf("--output: %w", err)
	}
	return nil
}

// failOnError returns exit 1 when a finding is at least failOn (0: never).
func failOnError(fs []lint.Finding, failOn lint.Severity) error {
	if failOn == 0 {
		return nil
	}
	for _, f := range fs {
		if f.Severity >= failOn {
			return &exitError{code: 1}
		}
	}
	return nil
}

func dirArg(args []string) string {
	if len(args) == 1 {
		return args[0]
	}
	return "."
}

type checkFlags struct {
	projectFlags
	outputFlags
	baseline     string
	changedSince string
	newFromRev   string
}

func newCheckCmd() *cobra.Command {
	var fl checkFlags
	cmd := &cobra.Command{
		Use:   "check [PATH...]",
		Short: "Lint a project (DIR/.driftlint.yaml, or inputs discovered under DIR), or the projects of the files given",
		Long: `check lints the project of each PATH (default .): a folder that holds a .driftlint.yaml is
a project, checked whole; a file, or a folder inside a project, selects the project whose config
is found in its folder or above it (up to the git top level) and keeps the findings in it, or
with a related position in it. A saved scrape, a health sample, a known_metrics file or the
config itself among the paths keeps every finding of its project: they change findings
everywhere. Paths of several projects run each project once, with the findings merged; files
that belong to no project are skipped with one note (pre-commit passes every staged file). A
folder with no config up to the git top level is discovered.`,
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runCheck(cmd, args, fl)
		},
	}
	addProjectFlags(cmd, &fl.projectFlags)
	addOutputFlags(cmd, &fl.outputFlags, "error", "exit 1 when a finding is at least this severe: error, warning, info or never")
	f := cmd.Flags()
	f.StringVar(&fl.baseline, "baseline", "", "hide the findings recorded in this baseline (written by driftlint baseline, or a check --format json report)")
	f.StringVar(&fl.changedSince, "changed-since", "", "report only findings in, or about, files changed since this git ref (committed, staged, unstaged or untracked)")
	addNewFromRev(cmd, &fl.newFromRev)
	return cmd
}

func runCheck(cmd *cobra.Command, args []string, fl checkFlags) error {
	failOn, err := fl.validate()
	if err != nil {
		return err
	}
	var base *lint.Baseline
	if fl.baseline != "" {
		if base, err = lint.ReadBaseline(fl.baseline); err != nil {
			return fmt.Errorf("--baseline: %w", err)
		}
	}
	targets, notes, err := groupArgs(cmd.Context(), args, fl.config)
	if err != nil {
		return err
	}
	stderr := cmd.ErrOrStderr()
	for _, n := range notes {
		fmt.Fprintln(stderr, "driftlint: "+report.Escape(n))
	}
	if len(targets) == 0 {
		return nil // only files that belong to no project (pre-commit): nothing to check
	}
	if fl.root != "" && len(targets) > 1 {
		return fmt.Errorf("--root sets the root of one project, but the paths belong to %d projects", len(targets))
	}
	var runs []*checkRun
	for _, t := range targets {
		r, err := checkProject(cmd, t, fl, base)
		if err != nil {
			return err
		}
		runs = append(runs, r)
	}

	merged := mergeRuns(cmd.Context(), runs, fl.format)
	start := time.Now()
	err = withOutput(cmd, fl.outputFlags, runs[0].s.cfg.Dir, func(w io.Writer, color bool) error {
		opts := merged.options(color, fl.quiet)
		opts.MaxFindings = fl.maxFindings
		return report.Print(w, fl.format, &merged.res, opts)
	})
	if err != nil {
		return err
	}
	for _, r := range runs {
		if r.baseNote != "" && !fl.quiet && !fl.verbose {
			fmt.Fprintln(stderr, report.Escape(r.baseNote))
		}
	}
	var internal error
	for _, r := range runs {
		if err := r.s.end(cmd, fl.verbose, time.Since(start)); err != nil && internal == nil {
			internal = err
		}
	}
	if internal != nil {
		return internal
	}
	return failOnError(merged.res.Findings, failOn)
}

// checkRun is one project's part of a check.
type checkRun struct {
	s        *session
	res      lint.Result // the findings kept, with their summary
	baseNote string
}

// checkProject lints one project of check's paths and keeps the findings that the
// baseline, --changed-since, --new-from-rev and the paths given leave.
func checkProject(cmd *cobra.Command, t *target, fl checkFlags, base *lint.Baseline) (*checkRun, error) {
	pf := fl.projectFlags
	if t.config != "" {
		pf.config = t.config
	}
	s, err := prepare(t.dir, pf)
	if err != nil {
		return nil, err
	}
	var changed map[string]bool
	if fl.changedSince != "" {
		if changed, err = gitdiff.Changed(cmd.Context(), s.cfg.Dir, fl.changedSince); err != nil {
			return nil, fmt.Errorf("--changed-since: %w", err)
		}
	}
	lines, err := changedLines(cmd, s, fl.newFromRev)
	if err != nil {
		return nil, err
	}
	if err := s.lint(cmd.Context(), pf); err != nil {
		return nil, err
	}

	r := &checkRun{s: s, res: *s.res}
	res := &r.res
	if base != nil {
		c := lint.Compare(base.Findings, res.Findings)
		res.Findings = c.New
		r.baseNote = fmt.Sprintf("baseline %s: %s hidden", fl.baseline, count(len(c.Open), "finding"))
		if n := len(c.Fixed); n > 0 {
			r.baseNote += fmt.Sprintf("; %d baselined %s fixed (no longer found), update it with driftlint baseline", n, plural(n, "finding"))
		}
		s.notes = append(s.notes, r.baseNote)
	}
	if changed != nil {
		kept := gitdiff.Filter(res.Findings, changed)
		s.notes = append(s.notes, fmt.Sprintf("changed since %s: %s; %s in, or about, other files left out",
			fl.changedSince, count(len(changed), "file"), count(len(res.Findings)-len(kept), "finding")))
		res.Findings = kept
		lint.RaiseChanged(res.Findings, func(p lint.Pos) bool { return changed[p.File] })
	}
	if lines != nil {
		s.newOnly(fl.newFromRev, lines, &res.Findings)
	}
	keep, whole := t.keepFilter(s.cfg)
	outside := 0
	if !whole {
		kept := keepFindings(res.Findings, keep)
		outside = len(res.Findings) - len(kept)
		res.Findings = kept
	}
	if base != nil || changed != nil || lines != nil || !whole {
		res.Summary = lint.Summarize(s.p, res.Findings)
	}
	if !whole {
		res.Summary.Paths = len(keep)
		res.Summary.OutsidePaths = outside
	}
	return r, nil
}

// merged is the findings of every project of a check, with their paths as the format shows
// them.
type merged struct {
	res    lint.Result
	runs   []*checkRun
	top    string // the repository's top folder (SARIF's %SRCROOT%)
	root   string // JSON's top-level root: the project root relative to the working directory
	source map[string]sourceRef
}

// sourceRef is where a shown path's lines are: a project and its project-relative path.
type sourceRef struct {
	s   *session
	rel string
}

// mergeRuns shows the runs' findings in format: text relative to the working directory,
// JSON relative to the project root (or, for several projects, to the working directory,
// which is then its root), the formats CI systems read relative to the repository's top.
func mergeRuns(ctx context.Context, runs []*checkRun, format string) *merged {
	m := &merged{runs: runs, source: map[string]sourceRef{}}
	for i, r := range runs {
		v := newView(ctx, r.s.cfg)
		if i == 0 {
			m.top, m.root = v.top, v.cwdRoot
		}
		show := v.repo
		switch {
		case format == "text":
			show = v.cwd
		case format == "json" && len(runs) == 1:
			show = func(f string) string { return f }
		case format == "json":
			show, m.root = v.cwd, "."
		}
		fs := rebase(r.res.Findings, func(f string) string {
			shown := show(f)
			if _, ok := m.source[shown]; !ok {
				m.source[shown] = sourceRef{s: r.s, rel: f}
			}
			return shown
		})
		m.res.Findings = append(m.res.Findings, fs...)
		m.res.Summary = addSummary(m.res.Summary, r.res.Summary)
		m.res.Internal = append(m.res.Internal, r.res.Internal...)
		m.res.Suppressed += r.res.Suppressed
	}
	return m
}

// addSummary adds the counts of two projects' summaries.
func addSummary(a, b lint.Summary) lint.Summary {
	a.Files += b.Files
	a.Findings += b.Findings
	a.Error += b.Error
	a.Warning += b.Warning
	a.Info += b.Info
	a.UnverifiedMetrics += b.UnverifiedMetrics
	a.Paths += b.Paths
	a.OutsidePaths += b.OutsidePaths
	a.UnresolvedDefinitions += b.UnresolvedDefinitions
	if len(b.UncheckedSpaces) > 0 {
		a.UncheckedSpaces = slices.Compact(slices.Sorted(slices.Values(append(slices.Clone(a.UncheckedSpaces), b.UncheckedSpaces...))))
	}
	return a
}

// options are the printer options for the merged findings.
func (m *merged) options(color, quiet bool) report.Options {
	return report.Options{
		Color: color, Quiet: quiet, Rules: rules.All(), Version: buildInfo().Version, Root: m.top, ProjectRoot: m.root,
		Source: func(path string, line int) string {
			if ref, ok := m.source[path]; ok {
				if f := ref.s.p.File(ref.rel); f != nil {
					return f.Line(line)
				}
			}
			return ""
		},
	}
}

func addNewFromRev(cmd *cobra.Command, rev *string) {
	cmd.Flags().StringVar(rev, "new-from-rev", "", "report only findings on lines changed since the merge base with this git revision, or whose related position is on one (as golangci-lint's --new-from-rev)")
}

// changedLines reads the lines changed since rev for --new-from-rev; nil when rev is "".
func changedLines(cmd *cobra.Command, s *session, rev string) (gitdiff.Lines, error) {
	if rev == "" {
		return nil, nil
	}
	lines, err := gitdiff.ChangedLines(cmd.Context(), s.cfg.Dir, rev)
	if err != nil {
		return nil, fmt.Errorf("--new-from-rev: %w", err)
	}
	return lines, nil
}

// newOnly keeps the findings on lines changed since rev, or about them, noting how many
// were left out.
func (s *session) newOnly(rev string, lines gitdiff.Lines, fs ...*[]lint.Finding) {
	left := 0
	for _, f := range fs {
		kept := gitdiff.FilterLines(*f, lines)
		left += len(*f) - len(kept)
		*f = kept
		lint.RaiseChanged(*f, lines.Has) // source/naming: a name being introduced can still change
	}
	s.notes = append(s.notes, fmt.Sprintf("new from %s: %s changed; %s on, and about, unchanged lines left out",
		rev, count(len(lines), "file"), count(left, "finding")))
}

type baselineFlags struct {
	projectFlags
	output string
	quiet  bool
}

func newBaselineCmd() *cobra.Command {
	var fl baselineFlags
	cmd := &cobra.Command{
		Use:   "baseline [DIR]",
		Short: "Write " + lint.BaselineFile + " with today's findings, for check --baseline",
		Long: `baseline runs every rule as check does and records each finding's fingerprint in
DIR/` + lint.BaselineFile + ` (or --output FILE), so that check --baseline FILE reports only
findings that are not in it. Fingerprints survive lines moving and unrelated edits.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runBaseline(cmd, dirArg(args), fl)
		},
	}
	addProjectFlags(cmd, &fl.projectFlags)
	cmd.Flags().StringVarP(&fl.output, "output", "o", "", "write the baseline to this file (default DIR/"+lint.BaselineFile+")")
	cmd.Flags().BoolVarP(&fl.quiet, "quiet", "q", false, "do not say what was written")
	return cmd
}

func runBaseline(cmd *cobra.Command, dir string, fl baselineFlags) error {
	s, err := prepare(dir, fl.projectFlags)
	if err != nil {
		return err
	}
	if err := s.lint(cmd.Context(), fl.projectFlags); err != nil {
		return err
	}
	if err := s.internalError(cmd); err != nil {
		return err // a crashed rule's findings are incomplete: write nothing
	}
	if err := cmd.Context().Err(); err != nil {
		return errInterrupted // an interrupted run's findings are incomplete: write nothing
	}
	start := time.Now()
	data, err := lint.NewBaseline(s.res.Findings).Marshal()
	if err != nil {
		return err
	}
	out := fl.output
	if out == "" {
		out = displayPath(filepath.Join(s.cfg.Dir, lint.BaselineFile))
		err = writeInRoot(s.cfg.Dir, lint.BaselineFile, data)
	} else {
		err = safefs.WriteOutside(out, data, s.cfg.Dir)
	}
	if err != nil {
		return fmt.Errorf("baseline: %w", err)
	}
	if !fl.quiet {
		fmt.Fprintf(cmd.ErrOrStderr(), "wrote %s to %s\n", count(len(s.res.Findings), "finding"), report.Escape(out))
	}
	if fl.verbose {
		s.verbose(cmd, time.Since(start))
	}
	return nil
}

type reportFlags struct {
	projectFlags
	outputFlags
	against    string
	newFromRev string
}

func newReportCmd() *cobra.Command {
	var fl reportFlags
	cmd := &cobra.Command{
		Use:   "report --against OLD.json [DIR]",
		Short: "Re-audit: the findings of an earlier run that are fixed, still open, or new",
		Long: `report runs every rule as check does and sets the findings against an earlier run:
OLD.json is a check --format json report (or a baseline file). Findings are matched by
fingerprint. text, markdown and json list the three groups (json as the arrays "fixed",
"still_open" and "new"); sarif, github and checkstyle print the still-open and new findings.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runReport(cmd, dirArg(args), fl)
		},
	}
	addProjectFlags(cmd, &fl.projectFlags)
	addOutputFlags(cmd, &fl.outputFlags, "never", "exit 1 when a new finding is at least this severe: error, warning, info or never")
	cmd.Flags().StringVar(&fl.against, "against", "", "the earlier run: a check --format json report or a baseline file (required)")
	_ = cmd.MarkFlagRequired("against")
	addNewFromRev(cmd, &fl.newFromRev)
	return cmd
}

func runReport(cmd *cobra.Command, dir string, fl reportFlags) error {
	failOn, err := fl.validate()
	if err != nil {
		return err
	}
	old, err := lint.ReadBaseline(fl.against)
	if err != nil {
		return fmt.Errorf("--against: %w", err)
	}
	s, err := prepare(dir, fl.projectFlags)
	if err != nil {
		return err
	}
	lines, err := changedLines(cmd, s, fl.newFromRev)
	if err != nil {
		return err
	}
	if err := s.lint(cmd.Context(), fl.projectFlags); err != nil {
		return err
	}
	c := lint.Compare(old.Findings, s.res.Findings)
	if lines != nil {
		// Fixed findings are gone and have no line: only today's are filtered.
		s.newOnly(fl.newFromRev, lines, &c.New, &c.Open)
	}
	res := s.res
	if lines != nil {
		cur := *s.res
		cur.Findings = lint.SortFindings(slices.Concat(c.Open, c.New))
		cur.Summary = lint.Summarize(s.p, cur.Findings)
		res = &cur
	}
	start := time.Now()
	err = withOutput(cmd, fl.outputFlags, s.cfg.Dir, func(w io.Writer, color bool) error {
		opts := s.reportOptions(color, fl.quiet)
		opts.MaxFindings = fl.maxFindings
		return report.Reaudit(w, fl.format, fl.against, c, res, opts)
	})
	if err != nil {
		return err
	}
	if err := s.end(cmd, fl.verbose, time.Since(start)); err != nil {
		return err
	}
	return failOnError(c.New, failOn)
}

type docsFixFlags struct {
	trustFlags
	config string
	jobs   int
	diff   bool
}

func newDocsCmd() *cobra.Command {
	docs := &cobra.Command{
		Use:   "docs",
		Short: "Work on the metrics documentation",
		Args:  cobra.NoArgs, // an unknown subcommand is an error, not help
		RunE:  func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	var fl docsFixFlags
	fix := &cobra.Command{
		Use:   "fix [DIR]",
		Short: "Rewrite metrics-doc table rows from the expositions (--diff to preview)",
		Long: `docs fix rewrites the metric tables of the metrics docs so that they agree with the
expositions: wrong types and label lists are corrected in place, exported metrics that no
doc lists are added as rows, and renamed metrics are renamed. Descriptions, the column layout
and the prose are kept byte for byte. Files are replaced atomically; --diff prints a unified
diff instead, writes nothing and exits 1 when the docs would change (0 when not), so it
can gate CI as formatters' check modes do.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runDocsFix(cmd, dirArg(args), fl)
		},
	}
	addTrustFlags(fix, &fl.trustFlags)
	f := fix.Flags()
	f.StringVarP(&fl.config, "config", "c", "", "config file (default DIR/.driftlint.yaml)")
	f.IntVarP(&fl.jobs, "jobs", "j", 0, "parallel loaders (default: the number of CPUs)")
	f.BoolVar(&fl.diff, "diff", false, "print a unified diff of the changes instead of writing them; exit 1 if there are any")
	docs.AddCommand(fix)
	return docs
}

func runDocsFix(cmd *cobra.Command, dir string, fl docsFixFlags) error {
	pf := projectFlags{trustFlags: fl.trustFlags, config: fl.config, jobs: fl.jobs}
	s, err := prepare(dir, pf)
	if err != nil {
		return err
	}
	if err := s.loadProject(cmd.Context(), pf); err != nil {
		return err
	}
	changes, err := docsfix.Fix(s.p)
	if err != nil {
		return fmt.Errorf("docs fix: %w", err)
	}
	paths := make([]string, 0, len(changes))
	for p := range changes {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	stderr := cmd.ErrOrStderr()
	if len(paths) == 0 {
		fmt.Fprintln(stderr, "nothing to fix: the metrics docs agree with the expositions")
		return nil
	}
	if err := cmd.Context().Err(); err != nil {
		return errInterrupted
	}
	for _, rel := range paths {
		var old []byte
		if f := s.p.File(rel); f != nil {
			old = f.Src
		}
		diff := docsfix.Diff(rel, old, changes[rel])
		if fl.diff {
			if _, err := io.WriteString(cmd.OutOrStdout(), diff); err != nil {
				return err
			}
			continue
		}
		if err := writeFix(s.p.Root, rel, old, changes[rel]); err != nil {
			return fmt.Errorf("docs fix %s: %w", rel, err)
		}
		removed, added := diffStat(diff)
		fmt.Fprintf(stderr, "fixed %s: %s removed, %d added\n", report.Escape(rel), count(removed, "line"), added)
	}
	if fl.diff {
		return &exitError{code: 1} // the docs would change: fail, as formatters' check modes do
	}
	return nil
}

// writeFix replaces the doc rel of the project root with its fixed content, unless the file
// changed since it was loaded. A UTF-8 byte-order mark, which the loader turns into spaces,
// is put back.
func writeFix(rootDir, rel string, loaded, fixed []byte) error {
	root, err := safefs.Open(rootDir)
	if err != nil {
		return err
	}
	defer root.Close()
	disk, err := root.ReadFile(rel, 0)
	if err != nil {
		return err
	}
	bom := []byte("\xEF\xBB\xBF")
	if bytes.HasPrefix(disk, bom) && bytes.HasPrefix(loaded, []byte("   ")) && bytes.Equal(disk[3:], loaded[3:]) {
		disk = loaded
		if bytes.HasPrefix(fixed, []byte("   ")) {
			fixed = append(slices.Clone(bom), fixed[3:]...)
		}
	}
	if !bytes.Equal(disk, loaded) {
		return errors.New("the file changed while driftlint ran; run docs fix again")
	}
	return root.WriteFile(rel, fixed, 0o644)
}

// diffStat counts the removed and added lines of a unified diff.
func diffStat(diff string) (removed, added int) {
	for line := range strings.SplitSeq(diff, "\n") {
		switch {
		case strings.HasPrefix(line, "---"), strings.HasPrefix(line, "+++"):
		case strings.HasPrefix(line, "-"):
			removed++
		case strings.HasPrefix(line, "+"):
			added++
		}
	}
	return removed, added
}

// displayPath is the absolute path p as the user would type it: relative to the working
// directory when it is below it.
func displayPath(p string) string {
	wd, err := os.Getwd()
	if err != nil || p == "" {
		return p
	}
	// p may have its links resolved (a config found upward) or not: try both forms of wd.
	for _, base := range []string{wd, realPath(wd)} {
		if rel, err := filepath.Rel(base, p); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return rel
		}
	}
	return p
}

// writeInRoot writes rel inside the project root rootDir, atomically, never through a link
// that leads out of it.
func writeInRoot(rootDir, rel string, data []byte) error {
	root, err := safefs.Open(rootDir)
	if err != nil {
		return err
	}
	defer root.Close()
	return root.WriteFile(rel, data, 0o644)
}

// loadConfig finds and validates the config for dir; without one, inputs are discovered
// under the root (--root, else dir).
func loadConfig(dir, explicit string, tf trustFlags) (*lint.Config, error) {
	o, err := tf.configOptions()
	if err != nil {
		return nil, err
	}
	path, err := lint.FindConfig(dir, explicit)
	if err != nil {
		return nil, err
	}
	if path == "" {
		root := o.Root
		if root == "" {
			if root, err = filepath.Abs(dir); err != nil {
				return nil, err
			}
		}
		return lint.DefaultConfig(root), nil
	}
	cfg, err := lint.LoadConfig(path, o)
	if err != nil {
		return nil, err
	}
	if err := cfg.ValidateRuleIDs(rules.IDs()); err != nil {
		return nil, err
	}
	return cfg, nil
}

// colorable reports whether w is a terminal and NO_COLOR is unset.
func colorable(w io.Writer) bool {
	if _, ok := os.LookupEnv("NO_COLOR"); ok {
		return false
	}
	return isTerminal(w)
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// count formats n with a word, adding s unless n is 1.
func count(n int, word string) string {
	return fmt.Sprintf("%d %s", n, plural(n, word))
}

func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}

func newRulesCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "rules",
		Short: "List every rule: id, default severity, summary",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			w := cmd.OutOrStdout()
			for _, r := range rules.All() {
				fmt.Fprintf(w, "%-28s %-8s %s\n", r.ID, r.Severity, r.Summary)
			}
			return nil
		},
	}
}

func newExplainCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "explain RULE",
		Short: "Show a rule's documentation, with a bad and a good example",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			r := rules.ByID(args[0])
			if r == nil {
				return errors.New(lint.UnknownRuleMsg(args[0], rules.IDs()) + "; `driftlint rules` lists them")
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s (default severity: %s)\n\n%s\n\n%s\n", r.ID, r.Severity, r.Summary, r.Doc)
			return nil
		},
	}
}
