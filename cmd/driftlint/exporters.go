package main

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/driftlint/driftlint/lint/catalog"
)

func newExportersCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "exporters [NAME[@VERSION]]",
		Short: "List the catalogued exporters that exporters: can name, or one exporter's metrics",
		Long: `Without an argument, one line per catalogued exporter: its config name, its catalogued
versions (the last is the latest, used when exporters: names no version), the number of metric
families of the latest, how they were read (code, docs, test-exposition,
kubernetes-documentation-list), the upstream repository, and its aliases.

With NAME or NAME@VERSION, the families of that version: name, type and label names.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			w := cmd.OutOrStdout()
			if len(args) == 1 {
				return listExporterFamilies(cmd, args[0])
			}
			for _, e := range catalog.Exporters() {
				names := make([]string, len(e.Versions))
				for i, v := range e.Versions {
					names[i] = v.Name
				}
				fams, err := e.Families("")
				if err != nil {
					return err
				}
				line := fmt.Sprintf("%-28s versions %-18s %5d families  %-16s %s", e.Name, strings.Join(names, ","), len(fams), e.SourceKind, e.Repo)
				if len(e.Aliases) > 0 {
					line += "  aliases: " + strings.Join(slices.Sorted(maps.Keys(e.Aliases)), ", ")
				}
				fmt.Fprintln(w, line)
			}
			return nil
		},
	}
}

// listExporterFamilies prints the families of one exporter version (an alias selects its
// prefixes).
func listExporterFamilies(cmd *cobra.Command, arg string) error {
	name, version, _ := strings.Cut(arg, "@")
	e, prefixes, ok := catalog.Lookup(name)
	if !ok {
		return errors.New(name + " is not a catalogued exporter; `driftlint exporters` lists them")
	}
	fams, err := e.Families(version)
	if err != nil {
		return err
	}
	w := cmd.OutOrStdout()
	for _, f := range fams {
		if !catalog.Selects(prefixes, f.Name) {
			continue
		}
		labels := strings.Join(f.Labels, ",")
		if f.LabelsUnknown {
			labels += ",…"
		}
		fmt.Fprintf(w, "%-60s %-10s %s\n", f.Name, f.Type, labels)
	}
	return nil
}
