package rules

import (
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/driftlint/driftlint/lint"
	"github.com/driftlint/driftlint/lint/promql"
)

// SourceExpositionMismatch reports metrics on which the emitter's code and its scrape disagree.
var SourceExpositionMismatch = &lint.Rule{
	ID:      "source/exposition-mismatch",
	Summary: "the code and the scrape disagree on a metric, its type or its labels",
	Doc: `Where both the emitter's code (sources:) and a scrape of it cover a metric, they must
agree. Three disagreements are reported at the code definition, with the scrape as the
related position:

  - the code defines a metric that the scrape covers (its name prefix) but does not export:
    the metric is never registered, registered on a registry nobody serves, or the scrape is
    of another build. Families a scrape can lack by design are left out: labelled families
    (client_golang and the Rust prometheus crate export no series before a label set is
    used), custom-collector descriptors, metrics crate macros (created on first use), and
    definitions inside a condition or a loop;
  - the types differ (an info or stateset may show as gauge in the text format, a metrics
    crate histogram! as summary);
  - the label names differ, when the code spells them all out and the scrape shows series.

The fourth is reported at the scrape, with the code as the related position: the scrape
exports a metric inside the code's covered space (the name prefixes of the metrics the code
defines) that no definition in sources produces. That is how hand-built /metrics text that
bypasses the registry shows up — or code missing from the sources: globs. Names the code
builds at run time (source/unresolved) are never reported either way.

Bad (the handler concatenates websocket_kafka_messages_total by hand; the registry code has
websocket_kafka_errors_total only):

    # HELP websocket_kafka_messages_total Messages received.
    # TYPE websocket_kafka_messages_total counter
    websocket_kafka_messages_total{status="success"} 1027

Good (the counter is registered, and exported through registry.gather()):

    static ref MESSAGES: IntCounterVec = register_int_counter_vec!(
        "websocket_kafka_messages_total", "Messages received.", &["status"]).unwrap();`,
	Severity: lint.Error,
	Needs:    lint.NeedExpositions,
	Run:      runSourceExpositionMismatch,
}

// srcCoverage is the metric-name space a set of expositions is the truth for.
type srcCoverage struct {
	prefixes map[string]bool
	globs    []string
}

func newSrcCoverage(es []*lint.Exposition) srcCoverage {
	c := srcCoverage{prefixes: map[string]bool{}}
	for _, e := range es {
		if e.Covers != nil {
			c.globs = append(c.globs, e.Covers...)
			continue
		}
		for _, n := range e.Order {
			c.prefixes[lint.MetricPrefix(n)] = true
		}
	}
	return c
}

func (c srcCoverage) covers(name string) bool {
	if c.prefixes[lint.MetricPrefix(name)] {
		return true
	}
	for _, g := range c.globs {
		if ok, _ := path.Match(g, name); ok {
			return true
		}
	}
	return false
}

// srcFamilyIndex finds families by name, then by any of their series names.
type srcFamilyIndex struct {
	byName   map[string]*lint.Family
	bySeries map[string]*lint.Family
	names    []string
}

func newSrcFamilyIndex(es []*lint.Exposition) *srcFamilyIndex {
	x := &srcFamilyIndex{byName: map[string]*lint.Family{}, bySeries: map[string]*lint.Family{}}
	for _, e := range es {
		for _, n := range e.Order {
			f := e.Families[n]
			if f == nil {
				continue
			}
			if x.byName[n] == nil {
				x.byName[n] = f
				x.names = append(x.names, n)
			}
			for _, s := range f.SeriesNames() {
				if x.bySeries[s] == nil {
					x.bySeries[s] = f
				}
			}
		}
	}
	return x
}

// find returns the family named name, or the family one of whose series is name.
func (x *srcFamilyIndex) find(name string) *lint.Family {
	if f := x.byName[name]; f != nil {
		return f
	}
	return x.bySeries[name]
}

// has reports whether some family of the index exports one of f's series.
func (x *srcFamilyIndex) has(f *lint.Family) bool {
	if x.find(f.Name) != nil {
		return true
	}
	for _, s := range f.SeriesNames() {
		if x.byName[s] != nil {
			return true
		}
	}
	return false
}

// srcScrapedLabels merges the labels of every scraped family of a name that shows its labels.
func srcScrapedLabels(es []*lint.Exposition, name string) ([]string, *lint.Family) {
	var out []string
	var from *lint.Family
	for _, e := range es {
		f := e.Families[name]
		if f == nil || !f.LabelsKnown() {
			continue
		}
		if from == nil {
			from = f
		}
		out = append(out, f.Labels...)
	}
	slices.Sort(out)
	return slices.Compact(out), from
}

func runSourceExpositionMismatch(pass *lint.Pass) error {
	var scrapes, sources []*lint.Exposition
	for _, e := range pass.Project.Expositions {
		switch {
		case e.Source:
			sources = append(sources, e)
		case e.File != nil:
			scrapes = append(scrapes, e)
		}
	}
	if len(scrapes) == 0 || len(sources) == 0 {
		return nil
	}
	scraped, defined := newSrcFamilyIndex(scrapes), newSrcFamilyIndex(sources)
	// The code covers the name prefixes of the metrics it defines: the coverage of each source
	// exposition is not used here, as it is narrowed for metric/unknown around the names
	// the code builds at run time, which this rule knows by their globs.
	scrapeCover, codeCover := newSrcCoverage(scrapes), srcCoverage{prefixes: map[string]bool{}}
	for _, e := range sources {
		for _, n := range e.Order {
			codeCover.prefixes[lint.MetricPrefix(n)] = true
		}
	}
	var patterns []string
	for _, e := range sources {
		if e.Code != nil {
			for _, u := range e.Code.Unresolved {
				patterns = append(patterns, u.Pattern)
			}
		}
	}

	for _, e := range sources {
		for _, n := range e.Order {
			f := e.Families[n]
			var cd *lint.CodeDef
			if e.Code != nil {
				cd = e.Code.Defs[n]
			}
			via := "the code"
			if cd != nil && cd.Via != "" {
				via = cd.Via
			}
			sf := scraped.find(n)
			if sf == nil {
				if !scrapeCover.covers(n) || cd != nil && cd.MayBeAbsent != "" {
					continue
				}
				cover := srcCoveringScrape(scrapes, n)
				fd := lint.Finding{
					Pos:     f.At(),
					Subject: lint.Subject{Metric: n},
					Message: fmt.Sprintf("metric %q is defined in the code (%s) but the scrape does not export it", n, via),
				}
				if cover != nil {
					fd.Related = []lint.Related{{Pos: lint.Pos{File: cover.File.Path}, Message: fmt.Sprintf("this scrape exports other %s metrics", lint.MetricSpace(n))}}
				}
				pass.Report(fd)
				continue
			}
			if !srcTypesAgree(f, sf, cd) {
				at := f.TypeAt
				if !at.IsValid() {
					at = f.At()
				}
				pass.Report(lint.Finding{
					Pos:     at,
					Subject: lint.Subject{Metric: n},
					Message: fmt.Sprintf("metric %q is a %s in the code (%s) but the scrape exports %q as %s", n, f.Type, via, sf.Name, withArticle(sf.Type)),
					Related: []lint.Related{{Pos: sf.At(), Message: "exported here as " + withArticle(sf.Type)}},
				})
			}
			if !f.LabelsKnown() {
				continue
			}
			exported, from := srcScrapedLabels(scrapes, sf.Name)
			if from == nil {
				continue
			}
			notExported, notInCode := srcMissing(f.Labels, exported), srcMissing(exported, f.Labels)
			if len(notExported) == 0 && len(notInCode) == 0 {
				continue
			}
			subject := lint.Subject{Metric: n}
			if len(notInCode) > 0 {
				subject.Label = notInCode[0]
			} else {
				subject.Label = notExported[0]
			}
			msg := fmt.Sprintf("metric %q is defined in the code with %s but is exported with %s", n, promql.WithLabels(f.Labels), promql.WithLabels(exported))
			var parts []string
			if len(notInCode) > 0 {
				parts = append(parts, strings.Join(notInCode, ", ")+verb(len(notInCode))+" not in the code")
			}
			if len(notExported) > 0 {
				parts = append(parts, strings.Join(notExported, ", ")+verb(len(notExported))+" not exported")
			}
			if len(f.Labels) > 0 && len(exported) > 0 {
				msg += ": " + strings.Join(parts, ", ")
			}
			pass.Report(lint.Finding{
				Pos: f.At(), Subject: subject, Message: msg,
				Related: []lint.Related{{Pos: from.At(), Message: "exported here with " + promql.WithLabels(exported)}},
			})
		}
	}

	reported := map[string]bool{}
	for _, e := range scrapes {
		for _, n := range e.Order {
			g := e.Families[n]
			if g == nil || reported[n] || defined.has(g) || !codeCover.covers(n) || srcMatchesAny(patterns, g) {
				continue
			}
			reported[n] = true
			fd := lint.Finding{
				Pos:     g.At(),
				Subject: lint.Subject{Metric: n},
				Message: fmt.Sprintf("metric %q is exported but no code in sources defines it, though the code defines other %s metrics", n, lint.MetricSpace(n)),
			}
			if d := srcNearest(defined, n); d != nil {
				fd.Related = []lint.Related{{Pos: d.At(), Message: fmt.Sprintf("the code defines %s metrics here (%q)", lint.MetricSpace(n), d.Name)}}
			}
			pass.Report(fd)
		}
	}
	return nil
}

// srcTypesAgree reports whether a code family's type and a scraped one's can be the same
// metric: equal, unknown in the code, or a type the text format spells otherwise.
func srcTypesAgree(code, scraped *lint.Family, cd *lint.CodeDef) bool {
	c, s := code.Type, scraped.Type
	switch {
	case c == s, c == "untyped", c == "unknown", c == "":
		return true
	case (c == "info" || c == "stateset") && s == "gauge":
		return true
	case c == "gaugehistogram" && s == "histogram":
		return true
	case c == "histogram" && s == "summary" && cd != nil && strings.HasPrefix(cd.Via, "metrics::"):
		return true // metrics-exporter-prometheus renders histogram! as a summary without buckets
	}
	return false
}

// srcCoveringScrape returns the first scrape whose covered space holds name.
func srcCoveringScrape(scrapes []*lint.Exposition, name string) *lint.Exposition {
	for _, e := range scrapes {
		if newSrcCoverage([]*lint.Exposition{e}).covers(name) {
			return e
		}
	}
	return nil
}

// srcMatchesAny reports whether a family (or one of its series) matches one of the globs of
// the names the code builds at run time.
func srcMatchesAny(patterns []string, f *lint.Family) bool {
	for _, p := range patterns {
		for _, s := range f.SeriesNames() {
			if ok, _ := path.Match(p, s); ok {
				return true
			}
		}
	}
	return false
}

// srcNearest is the first code family with the prefix of name.
func srcNearest(x *srcFamilyIndex, name string) *lint.Family {
	for _, n := range x.names {
		if lint.MetricPrefix(n) == lint.MetricPrefix(name) {
			return x.byName[n]
		}
	}
	return nil
}

// srcMissing returns the elements of a missing from b (both sorted).
func srcMissing(a, b []string) []string {
	var out []string
	for _, s := range a {
		if _, ok := slices.BinarySearch(b, s); !ok {
			out = append(out, s)
		}
	}
	return out
}
