package main

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/driftlint/driftlint/lint"
	"github.com/driftlint/driftlint/lint/load"
	"github.com/driftlint/driftlint/lint/load/fetch"
	"github.com/driftlint/driftlint/lint/report"
)

func newSnapshotCmd() *cobra.Command {
	var config, output string
	var tf trustFlags
	cmd := &cobra.Command{
		Use:   "snapshot [DIR] -o FILE",
		Short: "Save what the config's known_metrics url entries serve, for runs without the network",
		Long: `snapshot reads the known_metrics url entries of DIR's config (default .): the metric
names, types and help of each Prometheus-compatible API, and the label names of the series
that the project's queries read, as check does. It writes them to FILE (-o; - for stdout) as
one JSON file that known_metrics reads back: label names only, never label or sample values,
sorted, with "version": 1 and no timestamp, so that it can be committed and diffed. The url
entries must be allowed by --allow-net (or DRIFTLINT_ALLOW_NET); the config's exposition
and health url entries are not fetched.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if output == "" {
				return errors.New("snapshot: -o FILE is required (- writes to stdout)")
			}
			dir := dirArg(args)
			if err := checkDir(dir); err != nil {
				return fmt.Errorf("snapshot %w", err)
			}
			if err := tf.apply(); err != nil {
				return err
			}
			cfg, err := loadConfig(dir, config, tf)
			if err != nil {
				return err
			}
			if len(cfg.KnownURLs) == 0 {
				return fmt.Errorf("snapshot: %s has no known_metrics url entry ({url: …}) to read", cmp.Or(displayPath(cfg.Path), "the config"))
			}
			// The queries only: no live scrape, and the url entries are read below.
			files := filesOnly(cfg)
			s := &session{cfg: files, start: time.Now()}
			files.KnownURLs = cfg.KnownURLs // checked against --allow-net with the others
			fo, closeFetch, err := s.fetchOptions(tf)
			if err != nil {
				return err
			}
			defer closeFetch()
			files.KnownURLs = nil
			p, err := load.Project(files, load.Options{Context: cmd.Context(), Fetch: fo})
			if err != nil {
				return err
			}
			sets, err := fetch.Known(cmd.Context(), cfg, load.QueriedNames(p.Queries), fo)
			if err != nil {
				return err
			}
			var covers [][]string
			for _, k := range cfg.KnownURLs {
				covers = append(covers, k.Covers)
			}
			for _, set := range sets {
				if len(set.Unread) > 0 {
					fmt.Fprintf(cmd.ErrOrStderr(), "driftlint: warning: known_metrics url %s: %s, so the labels of %d queried metric names were not read\n", report.Escape(set.URL), set.Why, len(set.Unread))
				}
			}
			data := load.NewSnapshot(covers, sets).Marshal()
			if output == "-" {
				output = ""
			}
			return withOutput(cmd, outputFlags{output: output}, cfg.Dir, func(w io.Writer, _ bool) error {
				_, err := w.Write(data)
				return err
			})
		},
	}
	addTrustFlags(cmd, &tf)
	f := cmd.Flags()
	f.StringVarP(&config, "config", "c", "", "config file (default DIR/.driftlint.yaml)")
	f.StringVarP(&output, "output", "o", "", "write the snapshot to this file (- for stdout)")
	return cmd
}

// filesOnly is a copy of cfg without its url entries.
func filesOnly(cfg *lint.Config) *lint.Config {
	c := *cfg
	c.Exposition, c.Health, c.KnownURLs = nil, nil, nil
	for _, e := range cfg.Exposition {
		if e.URL == "" {
			c.Exposition = append(c.Exposition, e)
		}
	}
	for _, h := range cfg.Health {
		if h.URL == "" {
			c.Health = append(c.Health, h)
		}
	}
	return &c
}
