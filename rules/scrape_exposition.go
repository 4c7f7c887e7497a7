package rules

import (
	"fmt"
	"hash/maphash"
	"maps"
	"slices"
	"strings"

	"github.com/prometheus/client_golang/prometheus/testutil/promlint/validations"
	dto "github.com/prometheus/client_model/go"

	"github.com/driftlint/driftlint/lint"
)

// ScrapeExposition reports problems of an exposition: promlint's correctness checks,
// families without # TYPE, families declared twice or split into several blocks, and
// repeated series.
var ScrapeExposition = &lint.Rule{
	ID:      "scrape/exposition",
	Heavy:   true,
	Summary: "exposition problems: promlint, duplicate, split or untyped families",
	Doc: `What a service exports is the truth every other check compares against, so its /metrics
output must be well formed. A hand-built or concatenated exposition goes wrong in ways
Prometheus mostly tolerates but that break everything downstream:

- a family without # TYPE is untyped: rate() on it is unchecked, and its type cannot be
  compared with the documentation;
- a family declared twice (# HELP or # TYPE repeated), or whose samples come in two
  blocks with another family in between, is rejected by strict parsers (client_golang's
  expfmt, OpenMetrics) and usually means two registries were concatenated;
- the same series exposed twice: Prometheus keeps one value and drops the other;
- promlint's correctness checks: a family without # HELP, a counter without the _total
  suffix or a gauge, histogram or summary with it, _bucket/_count/_sum suffixes or
  le/quantile labels on the wrong type.

promlint's naming-style checks (units such as _ms, abbreviations, camelCase, the type in
the name, colons) are not applied: they flag established names that cannot be renamed
without breaking every dashboard. Each problem is reported in every saved scrape file that
has it; for live URL scrapes, once per target (in the first scrape that has it). A naming
problem (the _total, _bucket, _count and _sum checks) that the emitter's code (sources:)
has too, in a family of the same name, is reported once, at the code, by source/naming.

Bad:

    # HELP websocket_connected_clients WebSocket clients currently connected
    websocket_connected_clients 14

Good:

    # HELP websocket_connected_clients WebSocket clients currently connected
    # TYPE websocket_connected_clients gauge
    websocket_connected_clients 14`,
	Severity: lint.Warning,
	Needs:    lint.NeedExpositions,
	Run:      runScrapeExposition,
}

// promlintChecks returns the promlint validations about correctness, not naming style.
func promlintChecks() []func(*dto.MetricFamily) []error {
	return []func(*dto.MetricFamily) []error{
		validations.LintHelp,
		validations.LintCounter,
		validations.LintHistogramSummaryReserved,
	}
}

func runScrapeExposition(pass *lint.Pass) error {
	seen := map[string]bool{} // URL scrapes: problems already reported for the target
	atCode := namingAtCode(pass.Project)
	for _, e := range pass.Project.Expositions {
		if e == nil || e.Source { // definitions read from code are no exposition text
			continue
		}
		report := func(f lint.Finding, key string) {
			if e.URL != "" && e.File == nil {
				return // a failed scrape has no lines
			}
			if e.URL != "" {
				k := e.Target + "\x00" + key
				if seen[k] {
					return
				}
				seen[k] = true
			}
			pass.Report(f)
		}
		for _, name := range e.Order {
			fam := e.Families[name]
			if fam == nil {
				continue
			}
			checkFamily(fam, report, atCode)
		}
	}
	return nil
}

// checkFamily reports the problems of one family; key identifies a problem across scrapes.
// The promlint problems in atCode (namingKey) are source/naming's, reported at the code.
func checkFamily(fam *lint.Family, report func(f lint.Finding, key string), atCode map[string]bool) {
	subj := lint.Subject{Metric: fam.Name}
	untyped := !fam.TypeAt.IsValid() && len(fam.Samples) > 0
	if untyped {
		msg := fmt.Sprintf("family %q has no # TYPE line, so it is untyped", fam.Name)
		if !fam.HelpAt.IsValid() {
			msg = fmt.Sprintf("family %q has no # TYPE and no # HELP line, so it is untyped", fam.Name)
		}
		if strings.HasSuffix(fam.Name, "_total") {
			msg += " (its name says counter)"
		}
		report(lint.Finding{Pos: fam.At(), Subject: subj, Message: msg}, "untyped "+fam.Name)
	}
	for i, at := range fam.Redeclared {
		report(lint.Finding{
			Pos: at, Subject: subj,
			Message: fmt.Sprintf("family %q is declared again: a second %s line", fam.Name, declKind(fam, at)),
			Related: []lint.Related{{Pos: fam.At(), Message: "first declared here"}},
		}, fmt.Sprintf("redeclared %s %d", fam.Name, i))
	}
	for i, at := range fam.Reopened {
		if slices.Contains(fam.Redeclared, at) {
			continue // the second declaration says it
		}
		report(lint.Finding{
			Pos: at, Subject: subj,
			Message: fmt.Sprintf("family %q continues after another family's lines: the samples of a family must be in one block", fam.Name),
			Related: []lint.Related{{Pos: fam.At(), Message: "the family's first block"}},
		}, fmt.Sprintf("reopened %s %d", fam.Name, i))
	}
	// Samples by a hash of their series, so that no key string is built for each of them;
	// samples with the same hash are compared in full.
	seen := make(map[uint64][]*lint.Sample, len(fam.Samples))
samples:
	for i := range fam.Samples {
		s := &fam.Samples[i]
		h := seriesHash(s.Name, s.Labels)
		for _, first := range seen[h] {
			if first.Name == s.Name && maps.Equal(first.Labels, s.Labels) {
				report(lint.Finding{
					Pos: s.At, Subject: lint.Subject{Metric: s.Name},
					Message: fmt.Sprintf("series %s is exposed twice; Prometheus keeps only one of the values", seriesName(s)),
					Related: []lint.Related{{Pos: first.At, Message: "first exposed here"}},
				}, "duplicate "+seriesKey(s.Name, s.Labels))
				continue samples
			}
		}
		seen[h] = append(seen[h], s)
	}
	mf := dtoFamily(fam)
	at := fam.At()
	if fam.TypeAt.IsValid() {
		at = fam.TypeAt
	}
	for _, check := range promlintChecks() {
		for _, err := range check(mf) {
			if untyped && mf.Help == nil && err.Error() == "no help text" {
				continue // said with the missing # TYPE
			}
			if atCode[namingKey(mf.GetName(), err.Error())] {
				continue // the code defines the family with the same problem: source/naming
			}
			report(lint.Finding{
				Pos: at, Subject: subj,
				Message: fmt.Sprintf("family %q (%s): %s (promlint)", fam.Name, fam.Type, err),
			}, "promlint "+fam.Name+" "+err.Error())
		}
	}
}

// declKind tells whether the declaration at a position is a # HELP or a # TYPE line.
func declKind(fam *lint.Family, at lint.Pos) string {
	if fam.Expo != nil && fam.Expo.File != nil {
		f := strings.Fields(strings.TrimPrefix(strings.TrimSpace(fam.Expo.File.Line(at.Line)), "#"))
		if len(f) > 0 && (f[0] == "HELP" || f[0] == "TYPE") {
			return "# " + f[0]
		}
	}
	return "# HELP or # TYPE"
}

// dtoFamily builds the protobuf family promlint's validations read: name (OpenMetrics
// counters get their _total series name, as the text format names them), help, type, and
// the family's label names. Families of untyped or unknown type are not linted by promlint
// beyond # HELP.
//
// The validations used read no label values, and report a label name once per metric that
// carries it, with the same message each time (which the runner drops as duplicates); so
// one metric holding every label name the family's samples carry gives the same findings as
// one metric per series, without building a protobuf metric per sample.
func dtoFamily(fam *lint.Family) *dto.MetricFamily {
	name := fam.Name
	var typ dto.MetricType
	switch fam.Type {
	case "counter":
		typ = dto.MetricType_COUNTER
		if !strings.HasSuffix(name, "_total") && counterHasTotalSeries(fam) {
			name += "_total"
		}
	case "gauge", "info", "stateset":
		typ = dto.MetricType_GAUGE
	case "histogram":
		typ = dto.MetricType_HISTOGRAM
	case "gaugehistogram":
		typ = dto.MetricType_GAUGE_HISTOGRAM
	case "summary":
		typ = dto.MetricType_SUMMARY
	default:
		typ = dto.MetricType_UNTYPED
	}
	mf := &dto.MetricFamily{Name: &name, Type: &typ}
	if fam.HelpAt.IsValid() {
		help := fam.Help
		mf.Help = &help
	}
	if len(fam.Samples) > 0 { // fam.Labels: every label name of the samples but a bucket's le or a quantile
		m := &dto.Metric{}
		for _, k := range fam.Labels {
			m.Label = append(m.Label, &dto.LabelPair{Name: &k})
		}
		mf.Metric = append(mf.Metric, m)
	}
	return mf
}

// seriesSeed seeds seriesHash; the hashes only bucket the samples of one run.
var seriesSeed = maphash.MakeSeed()

// seriesHash hashes a series, its labels in any order (the sum of a hash per label).
func seriesHash(name string, labels map[string]string) uint64 {
	h := maphash.String(seriesSeed, name)
	for k, v := range labels {
		var m maphash.Hash
		m.SetSeed(seriesSeed)
		m.WriteString(k)
		m.WriteByte(0)
		m.WriteString(v)
		h += m.Sum64()
	}
	return h
}

// counterHasTotalSeries reports whether an OpenMetrics counter's samples are named x_total.
func counterHasTotalSeries(fam *lint.Family) bool {
	for _, s := range fam.Samples {
		if s.Name == fam.Name+"_total" {
			return true
		}
	}
	return len(fam.Samples) == 0
}
