package main

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/driftlint/driftlint/lint"
	"github.com/driftlint/driftlint/lint/catalog"
	"github.com/driftlint/driftlint/lint/safefs"
)

// initExporter is a proposed exporters: entry: the catalogued names the queries read.
type initExporter struct {
	name    string
	names   int    // distinct catalogued names of this exporter (and no other) found
	example string // one of them
}

// metricToken is a word that may be a metric name: one with an underscore.
var metricToken = regexp.MustCompile(`[a-zA-Z_:][a-zA-Z0-9_:]*_[a-zA-Z0-9_:]*`)

// initMinExporterNames is how many distinct names of one exporter the queries must read for
// init to propose it: one could be a coincidence of words.
const initMinExporterNames = 2

// proposeExporters reads the rule files and dashboards init lists and proposes the
// catalogued exporters whose metric names they contain: names (and their series: _bucket,
// _total…) that one exporter's catalogue has and no other's does, so that a process_* name
// that every client exports proposes nothing. Names the project's own sources define (own,
// read only when some query reads a catalogued name) count for no exporter.
func proposeExporters(root *safefs.Root, files []string, own func() map[string]bool) []initExporter {
	owners := map[string][]string{} // series name → exporters that export it
	for _, e := range catalog.Exporters() {
		for _, f := range e.AllFamilies() {
			for _, s := range (&lint.Family{Name: f.Name, Type: f.Type}).SeriesNames() {
				if o := owners[s]; len(o) == 0 || o[len(o)-1] != e.Name {
					owners[s] = append(owners[s], e.Name)
				}
			}
		}
	}
	found := map[string]map[string]bool{} // exporter → names found
	for _, p := range files {
		src, err := root.ReadFile(p, initMaxReadSize)
		if err != nil {
			continue
		}
		for _, tok := range metricToken.FindAll(src, -1) {
			o := owners[string(tok)]
			if len(o) != 1 {
				continue
			}
			if own()[string(tok)] {
				continue // the project's own metric, whoever else exports the name
			}
			if found[o[0]] == nil {
				found[o[0]] = map[string]bool{}
			}
			found[o[0]][string(tok)] = true
		}
	}
	var out []initExporter
	for name, names := range found {
		if len(names) < initMinExporterNames {
			continue
		}
		list := slices.Sorted(maps.Keys(names))
		out = append(out, initExporter{name: name, names: len(names), example: list[0]})
	}
	slices.SortFunc(out, func(a, b initExporter) int { return strings.Compare(a.name, b.name) })
	return out
}

// writeExporters writes the exporters: key for the proposed exporters, or a commented example.
func writeExporters(b *strings.Builder, exps []initExporter) {
	b.WriteString("\n# Well-known exporters whose metrics the queries read, from driftlint's catalogue\n# (driftlint exporters lists it; NAME@VERSION pins a version, else the latest).\n")
	if len(exps) == 0 {
		b.WriteString("# (no query reads two or more names that only one catalogued exporter exports)\n# exporters: [node-exporter]\n")
		return
	}
	b.WriteString("exporters:\n")
	for _, x := range exps {
		fmt.Fprintf(b, "  - %s   # %d of its metric names are read, e.g. %s\n", x.name, x.names, x.example)
	}
}
