package main

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/driftlint/driftlint/lint/inventory"
)

func newInventoryCmd() *cobra.Command {
	var config, format, output string
	var tf trustFlags
	cmd := &cobra.Command{
		Use:   "inventory [DIR]",
		Short: "List every metric: where it is exported, documented, recorded and used",
		Long: `inventory loads DIR (default .) as check does and lists every metric with the position of
each place it appears: the scrapes and source files that export it, the metrics docs that
document it, the recording rules that record it and the queries (alerts, recording rules,
runbooks, dashboards, docs, invariants) that use it.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if !slices.Contains(inventory.Formats, format) {
				return fmt.Errorf("--format: unknown format %q (want one of %s)", format, strings.Join(inventory.Formats, ", "))
			}
			dir := dirArg(args)
			if err := checkDir(dir); err != nil {
				return fmt.Errorf("inventory %w", err)
			}
			if err := tf.apply(); err != nil {
				return err
			}
			cfg, err := loadConfig(dir, config, tf)
			if err != nil {
				return err
			}
			s := &session{cfg: cfg, start: time.Now()}
			if err := s.loadProject(cmd.Context(), projectFlags{trustFlags: tf, config: config}); err != nil {
				return err
			}
			inv := inventory.Build(s.p)
			return withOutput(cmd, outputFlags{output: output}, cfg.Dir, func(w io.Writer, _ bool) error {
				return inventory.Write(w, format, inv)
			})
		},
	}
	addTrustFlags(cmd, &tf)
	f := cmd.Flags()
	f.StringVarP(&config, "config", "c", "", "config file (default DIR/.driftlint.yaml)")
	f.StringVarP(&format, "format", "f", "text", "output format: "+strings.Join(inventory.Formats, ", "))
	f.StringVarP(&output, "output", "o", "", "write the inventory to this file instead of stdout")
	return cmd
}
