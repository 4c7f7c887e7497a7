// Package docread reads the metric catalogues of exporters whose metrics are not literal
// calls in code: metric tables in Markdown documentation (kube-state-metrics'
// docs/metrics/**/*.md, cAdvisor's docs/storage/prometheus.md), golden test output in the
// text exposition format, and Kubernetes' generated
// test/instrumentation/documentation/documentation-list.yaml.
//
// Each reader returns the families it found, deduplicated by name (label names merged,
// the first type and help kept) and sorted by name, and a warning for each row, entry or
// file it could not read, prefixed with path:line. A warning never stops the rest of the
// input from being read; the error is for an input that cannot be read at all.
package docread

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/prometheus/common/model"
)

// Family is one metric family of a catalogue.
type Family struct {
	Name string
	// Type is spelled as the text exposition format spells it (counter, gauge, histogram,
	// summary, untyped; info, stateset and gaugehistogram from OpenMetrics), or "" when the
	// source does not say.
	Type string
	Help string
	// Labels are the label names, sorted. A name written with an upper-case placeholder
	// (kube-state-metrics' label_POD_LABEL) is kept as written: it stands for the names
	// the exporter builds from it.
	Labels []string
}

// maxFileSize bounds the bytes of one input file; a larger file is a warning and skipped.
const maxFileSize = 16 << 20

// normType normalises a type as a source spells it (Gauge, counter, TimingRatioHistogram,
// prometheus.CounterVec…) to the exposition format's word. It reports false for a word
// that names no type; "" with true means the source says the type is unknown or custom.
func normType(s string) (string, bool) {
	w := strings.ToLower(strings.Trim(strings.TrimSpace(s), "`*_"))
	if i := strings.LastIndexByte(w, '.'); i >= 0 {
		w = w[i+1:]
	}
	w = strings.TrimSuffix(w, "vec")
	switch w {
	case "counter", "intcounter", "counterfunc":
		return "counter", true
	case "gauge", "intgauge", "gaugefunc":
		return "gauge", true
	case "histogram", "timingratiohistogram", "timinghistogram":
		return "histogram", true
	case "gaugehistogram", "gauge_histogram":
		return "gaugehistogram", true
	case "summary":
		return "summary", true
	case "untyped", "unknown", "untypedfunc":
		return "untyped", true
	case "info":
		return "info", true
	case "stateset":
		return "stateset", true
	case "", "-", "custom":
		return "", true
	}
	return "", false
}

// stabilityWord reports whether s is a stability level (STABLE, ALPHA, EXPERIMENTAL…), which
// a misaligned row can put in a type column.
func stabilityWord(s string) bool {
	switch strings.ToUpper(strings.TrimSpace(s)) {
	case "STABLE", "ALPHA", "BETA", "EXPERIMENTAL", "DEPRECATED", "INTERNAL":
		return true
	}
	return false
}

// bom is the UTF-8 byte-order mark, which some golden files start with (windows_exporter's
// e2e-output.txt); neither goldmark nor expfmt skips it.
var bom = []byte("\xef\xbb\xbf")

// validMetricName reports whether s is a classic metric name.
func validMetricName(s string) bool { return model.LegacyValidation.IsValidMetricName(s) }

// validLabelName reports whether s is a classic label name.
func validLabelName(s string) bool { return model.LegacyValidation.IsValidLabelName(s) }

// collector deduplicates families by name and gathers warnings.
type collector struct {
	byName   map[string]*Family
	where    map[string]string // name -> where its type was first read
	warnings []string
}

func newCollector() *collector {
	return &collector{byName: map[string]*Family{}, where: map[string]string{}}
}

func (c *collector) warnf(at, format string, args ...any) {
	c.warnings = append(c.warnings, at+": "+fmt.Sprintf(format, args...))
}

// add merges f, read at position at, into the families read so far: label names are
// joined, the first non-empty help is kept, and the first type; a different type is a
// warning.
func (c *collector) add(at string, f Family) {
	old, ok := c.byName[f.Name]
	if !ok {
		f.Labels = slices.Clone(f.Labels)
		c.byName[f.Name] = &f
		if f.Type != "" {
			c.where[f.Name] = at
		}
		return
	}
	old.Labels = append(old.Labels, f.Labels...)
	if old.Help == "" {
		old.Help = f.Help
	}
	switch {
	case f.Type == "" || f.Type == old.Type:
	case old.Type == "":
		old.Type = f.Type
		c.where[f.Name] = at
	default:
		c.warnf(at, "%s is typed %s here and %s at %s; keeping %s", f.Name, f.Type, old.Type, c.where[f.Name], old.Type)
	}
}

// result returns the families sorted by name, each with sorted unique label names.
func (c *collector) result() ([]Family, []string) {
	var out []Family
	for _, name := range slices.Sorted(maps.Keys(c.byName)) {
		f := *c.byName[name]
		slices.Sort(f.Labels)
		f.Labels = slices.Compact(f.Labels)
		if len(f.Labels) == 0 {
			f.Labels = nil
		}
		out = append(out, f)
	}
	return out, c.warnings
}

// lineIndex maps byte offsets of a file to 1-based line numbers.
type lineIndex []int // offsets of line starts

func newLineIndex(src []byte) lineIndex {
	idx := lineIndex{0}
	for i, b := range src {
		if b == '\n' {
			idx = append(idx, i+1)
		}
	}
	return idx
}

func (idx lineIndex) line(off int) int {
	i, found := slices.BinarySearch(idx, off)
	if found {
		return i + 1
	}
	return i
}
