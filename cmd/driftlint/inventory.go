package main

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/driftlint/driftlint/lint/inventory"
	"github.com/driftlint/driftlint/lint/load"
)

func newInventoryCmd() *cobra.Command {
	var config, format, output string
	cmd := &cobra.Command{
		Use:   "inventory [DIR]",
		Short: "List every metric: where it is exported, documented, recorded and used",
		Long: `inventory loads DIR (default .) as check does and lists every metric with the position of
each place it appears: the scrapes and source files that export it, the metrics docs that
document it, the recording rules that record it and the queries (alerts, recording rules,
runbooks, dashboards, docs, invariants) that use it.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir := "."
			if len(args) == 1 {
				dir = args[0]
			}
			if !slices.Contains(inventory.Formats, format) {
				return fmt.Errorf("--format: unknown format %q (want one of %s)", format, strings.Join(inventory.Formats, ", "))
			}
			if st, err := os.Stat(dir); err != nil {
				return fmt.Errorf("inventory %s: %w", dir, errors.Unwrap(err))
			} else if !st.IsDir() {
				return fmt.Errorf("inventory %s: not a folder", dir)
			}
			cfg, err := loadConfig(dir, config)
			if err != nil {
				return err
			}
			p, err := load.Project(cfg, load.Options{Context: cmd.Context()})
			if err != nil {
				return err
			}
			inv := inventory.Build(p)
			if output == "" {
				return inventory.Write(cmd.OutOrStdout(), format, inv)
			}
			f, err := os.Create(output)
			if err != nil {
				return fmt.Errorf("--output: %w", err)
			}
			err = inventory.Write(f, format, inv)
			if cerr := f.Close(); err == nil {
				err = cerr
			}
			return err
		},
	}
	f := cmd.Flags()
	f.StringVarP(&config, "config", "c", "", "config file (default DIR/.driftlint.yaml)")
	f.StringVarP(&format, "format", "f", "text", "output format: "+strings.Join(inventory.Formats, ", "))
	f.StringVarP(&output, "output", "o", "", "write the inventory to this file instead of stdout")
	return cmd
}
