package main

import (
	"fmt"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// Set by the release build (.goreleaser.yaml):
//
//	-ldflags "-X main.version={{.Version}} -X main.commit={{.Commit}} -X main.date={{.Date}}"
//
// Empty in any other build; buildInfo then reads what the Go toolchain recorded.
var (
	version string
	commit  string
	date    string
)

// unknown is what `driftlint version` prints for a commit or date nothing recorded, as
// with `go install …@v1.2.3`, which stamps the module version but no VCS information.
const unknown = "unknown"

// build is what a binary knows about how it was built.
type build struct {
	Version, Commit, Date string
}

// buildInfo returns the ldflags values where the release build set them, else the module
// version and the vcs.revision and vcs.time settings from the build info, else "(devel)"
// and "unknown".
func buildInfo() build {
	bi, _ := debug.ReadBuildInfo()
	return resolveBuild(version, commit, date, bi)
}

func resolveBuild(version, commit, date string, bi *debug.BuildInfo) build {
	b := build{Version: version, Commit: commit, Date: date}
	if bi != nil {
		if b.Version == "" && bi.Main.Version != "" {
			b.Version = bi.Main.Version
		}
		for _, s := range bi.Settings {
			switch {
			case s.Key == "vcs.revision" && b.Commit == "":
				b.Commit = s.Value
			case s.Key == "vcs.time" && b.Date == "":
				b.Date = s.Value
			}
		}
	}
	if b.Version == "" {
		b.Version = "(devel)"
	}
	if b.Commit == "" {
		b.Commit = unknown
	}
	if b.Date == "" {
		b.Date = unknown
	}
	return b
}

// String is the line `driftlint version` and `driftlint --version` print.
func (b build) String() string {
	return fmt.Sprintf("driftlint %s (commit %s, built %s)", b.Version, b.Commit, b.Date)
}

// addVersion gives root a `version` command and a `--version` flag (without the -v
// shorthand cobra would add: -v is --verbose in check) that print the same line.
func addVersion(root *cobra.Command) {
	root.Flags().Bool("version", false, "print driftlint's version, commit and build date")
	root.Version = buildInfo().Version
	root.SetVersionTemplate(buildInfo().String() + "\n")
	root.AddCommand(&cobra.Command{
		Use:   "version",
		Short: "Print driftlint's version, commit and build date",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			fmt.Fprintln(cmd.OutOrStdout(), buildInfo().String())
			return nil
		},
	})
}

// newCompletionCmd is `completion bash|zsh|fish|powershell`, from cobra's generators. It
// replaces cobra's default command, which captures stdout when it is built (so SetOut in
// tests does not reach it) and prints help with exit 0 for an unknown shell.
func newCompletionCmd() *cobra.Command {
	var noDesc bool
	cmd := &cobra.Command{
		Use:   "completion bash|zsh|fish|powershell",
		Short: "Print the shell completion script for bash, zsh, fish or powershell",
		Long: `completion prints a script that completes driftlint's commands, flags and rule ids in
the given shell. Load it in the current shell, or install it once:

  bash:        source <(driftlint completion bash)
               driftlint completion bash > /etc/bash_completion.d/driftlint
  zsh:         driftlint completion zsh > "${fpath[1]}/_driftlint"
  fish:        driftlint completion fish > ~/.config/fish/completions/driftlint.fish
  powershell:  driftlint completion powershell | Out-String | Invoke-Expression`,
		ValidArgs: []string{"bash", "zsh", "fish", "powershell"},
		Args:      cobra.MatchAll(cobra.ExactArgs(1), cobra.OnlyValidArgs),
		RunE: func(cmd *cobra.Command, args []string) error {
			root, out := cmd.Root(), cmd.OutOrStdout()
			switch args[0] {
			case "bash":
				return root.GenBashCompletionV2(out, !noDesc)
			case "zsh":
				if noDesc {
					return root.GenZshCompletionNoDesc(out)
				}
				return root.GenZshCompletion(out)
			case "fish":
				return root.GenFishCompletion(out, !noDesc)
			default: // powershell: Args admits nothing else
				if noDesc {
					return root.GenPowerShellCompletion(out)
				}
				return root.GenPowerShellCompletionWithDesc(out)
			}
		},
	}
	cmd.Flags().BoolVar(&noDesc, "no-descriptions", false, "complete without descriptions")
	return cmd
}
