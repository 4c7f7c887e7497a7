// Command driftlint audits a service's observability for drift: alert and recording rules,
// runbooks, metrics docs, Grafana dashboards and what the service really exports.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/driftlint/driftlint/lint"
	"github.com/driftlint/driftlint/lint/load"
	"github.com/driftlint/driftlint/lint/report"
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
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run executes the command line and returns the exit code.
func run(args []string, stdout, stderr io.Writer) int {
	cmd := newRootCmd()
	cmd.SetArgs(args)
	cmd.SetOut(stdout)
	cmd.SetErr(stderr)
	err := cmd.Execute()
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
	fmt.Fprintln(stderr, "driftlint: "+err.Error())
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
	root.CompletionOptions.DisableDefaultCmd = true
	root.AddCommand(newCheckCmd(), newRulesCmd(), newExplainCmd(), newVersionCmd())
	return root
}

type checkFlags struct {
	config  string
	format  string
	output  string
	failOn  string
	noColor bool
	quiet   bool
	disable []string
	jobs    int
}

func newCheckCmd() *cobra.Command {
	var fl checkFlags
	cmd := &cobra.Command{
		Use:   "check [DIR]",
		Short: "Lint a project (DIR/.driftlint.yaml, or inputs discovered under DIR)",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir := "."
			if len(args) == 1 {
				dir = args[0]
			}
			return runCheck(cmd, dir, fl)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&fl.config, "config", "c", "", "config file (default DIR/.driftlint.yaml)")
	f.StringVarP(&fl.format, "format", "f", "text", "output format: "+strings.Join(report.Formats, ", "))
	f.StringVarP(&fl.output, "output", "o", "", "write the report to this file instead of stdout")
	f.StringVar(&fl.failOn, "fail-on", "error", "exit 1 when a finding is at least this severe: error, warning, info or never")
	f.BoolVar(&fl.noColor, "no-color", false, "never colour the text output")
	f.BoolVarP(&fl.quiet, "quiet", "q", false, "print findings only, without the summary line")
	f.StringSliceVar(&fl.disable, "disable", nil, "rule ids to switch off (comma-separated)")
	f.IntVarP(&fl.jobs, "jobs", "j", 0, "parallel loaders and rules (default: the number of CPUs)")
	return cmd
}

func runCheck(cmd *cobra.Command, dir string, fl checkFlags) error {
	failOn := lint.Severity(0)
	if fl.failOn != "never" {
		s, err := lint.ParseSeverity(fl.failOn)
		if err != nil {
			return fmt.Errorf("--fail-on: %w", err)
		}
		failOn = s
	}
	if !validFormat(fl.format) {
		return fmt.Errorf("--format: unknown format %q (want one of %s)", fl.format, strings.Join(report.Formats, ", "))
	}
	for _, id := range fl.disable {
		if rules.ByID(id) == nil {
			return fmt.Errorf("--disable: unknown rule %q", id)
		}
	}
	if st, err := os.Stat(dir); err != nil {
		return fmt.Errorf("check %s: %w", dir, errors.Unwrap(err))
	} else if !st.IsDir() {
		return fmt.Errorf("check %s: not a folder", dir)
	}

	cfg, err := loadConfig(dir, fl.config)
	if err != nil {
		return err
	}
	p, err := load.Project(cfg, load.Options{Workers: fl.jobs})
	if err != nil {
		return err
	}
	res := lint.Run(p, rules.All(), lint.RunOptions{Workers: fl.jobs, Disable: fl.disable})

	w := cmd.OutOrStdout()
	var file *os.File
	if fl.output != "" {
		if file, err = os.Create(fl.output); err != nil {
			return fmt.Errorf("--output: %w", err)
		}
		w = file
	}
	err = report.Print(w, fl.format, res, report.Options{Color: !fl.noColor && fl.output == "" && colorable(w), Quiet: fl.quiet})
	if file != nil {
		if cerr := file.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		return err
	}
	if len(res.Internal) > 0 {
		for _, e := range res.Internal[1:] {
			fmt.Fprintln(cmd.ErrOrStderr(), "driftlint: "+e.Error())
		}
		return &exitError{code: 2, err: res.Internal[0]}
	}
	if failOn != 0 {
		for _, f := range res.Findings {
			if f.Severity >= failOn {
				return &exitError{code: 1}
			}
		}
	}
	return nil
}

func validFormat(f string) bool {
	return slices.Contains(report.Formats, f)
}

// loadConfig finds and validates the config for dir; without one, inputs are discovered.
func loadConfig(dir, explicit string) (*lint.Config, error) {
	path, err := lint.FindConfig(dir, explicit)
	if err != nil {
		return nil, err
	}
	if path == "" {
		abs, err := filepath.Abs(dir)
		if err != nil {
			return nil, err
		}
		return lint.DefaultConfig(abs), nil
	}
	cfg, err := lint.LoadConfig(path)
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
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
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
				msg := fmt.Sprintf("unknown rule %q", args[0])
				if s := lint.Closest(args[0], rules.IDs()); s != "" {
					msg += fmt.Sprintf(" (did you mean %q?)", s)
				}
				return errors.New(msg + "; `driftlint rules` lists them")
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s (default severity: %s)\n\n%s\n\n%s\n", r.ID, r.Severity, r.Summary, r.Doc)
			return nil
		},
	}
}

func newVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print driftlint's version",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			fmt.Fprintln(cmd.OutOrStdout(), "driftlint "+version())
			return nil
		},
	}
}

// version is the module version when installed with go install, else "(devel)".
func version() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		return bi.Main.Version
	}
	return "(devel)"
}
