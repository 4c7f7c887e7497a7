package rules

import (
	"fmt"
	"strconv"

	"github.com/driftlint/driftlint/lint"
)

// MetricUnknown reports metrics that queries use but nothing exports or records.
var MetricUnknown = &lint.Rule{
	ID:      "metric/unknown",
	Summary: "a metric used anywhere that is neither exported nor recorded",
	Doc: `A metric read by an alert, a recording rule, a runbook query or a dashboard must be
exported by the service (an exposition lists its family) or produced by a recording rule.
Otherwise the alert can never fire and the panel stays empty: usually the metric was renamed
or never existed. Histogram (_bucket, _sum, _count), summary, counter (_total) and
OpenMetrics _created series are understood, as are series Prometheus makes itself (up,
ALERTS, ALERTS_FOR_STATE, scrape_*) and the names that the config's known_metrics files list
(a list of names, or a saved /api/v1/metadata or /api/v1/label/__name__/values response of
the team's Prometheus: metrics that exist although no saved scrape shows them). A metric
inside absent() is checked too: absent() of a metric that does not exist fires forever.

The bare name of a classic histogram (one without native buckets) is no series: only its
_bucket, _sum and _count series exist, so rate(x[5m]) selects nothing and is reported, with
the histogram's definition. A summary's bare name is a series (its quantiles), and so is a
native histogram's; scrapes are read in the text format, which shows no native buckets, so a
histogram counts as native only when its code builds it as one (NewConstNativeHistogram).

Only metrics inside the covered space are checked: the name prefixes of the families an
exposition contains (websocket_, dashstream_), or its covers: globs. A name with a colon
(job:errors:rate5m) is a recording rule's by Prometheus' naming convention, never an
exporter's: it is covered once the project loads any recording rule (or by a covers: glob
with a colon), so a dashboard reading a recording that no rule file defines is reported.
The emitter's code (sources:) covers the name spaces its definitions own: the first two
words of each name (app_http_requests_total owns app_http_*), or the name alone when it has
two words; not the first word, which a library's metrics share (a service's grpc_foo_total
says nothing of grpc_server_handled_total). A definition whose name is computed at run time
excuses only the names its pattern can produce (app_*_seconds); one with nothing known of its
name excuses nothing, and the finding then says how to declare what it defines (a
driftlint:metric comment). Names matching a known_metrics glob are excused too.
Other metrics are "unverified", counted in the summary and never reported, except a near
miss: a name that no exposition covers but that is within two edits of a defined name is a
warning with the suggestion (a typo in the first word leaves a name uncovered).

A runbook that names a metric in its prose (inline code that is exactly a metric name,
such as ` + "`kube_node_status_capacity_pods`" + `) is checked as well, but reported only when
a defined metric has a close name: prose also names programs and labels, and a near miss is
what a rename leaves behind.

Bad (the scrape exports websocket_kafka_messages_total):

    expr: rate(websocket_kafka_message_total[5m]) > 0

Good:

    expr: rate(websocket_kafka_messages_total[5m]) > 0`,
	Severity: lint.Error,
	Needs:    lint.NeedQueries | lint.NeedExpositions,
	Run:      runMetricUnknown,
}

func runMetricUnknown(pass *lint.Pass) error {
	p := pass.Project
	unresolved := len(p.Unresolved())
	hists := classicHistograms(p)
	for _, u := range p.MetricUses() {
		if fam := hists[u.Name]; fam != nil {
			if !nativeBranch(p, u) {
				pass.Report(histogramUse(u, fam)) // the bare name of a classic histogram is no series
			}
			continue
		}
		if lint.IsStandIn(u.Name) {
			continue
		}
		if _, ok := p.Lookup(u.Name); ok {
			continue
		}
		if _, ok := p.Excused(u.Name); ok {
			continue // an unresolved definition or a known_metrics glob may produce it
		}
		if !p.Covered(u.Name) {
			// Unverified, unless it is a near miss of a defined name: a typo in the first
			// word leaves a name outside every covered space.
			if s := p.NearName(u.Name); s != "" {
				pass.Report(lint.Finding{
					Pos:      u.At,
					Severity: lint.Warning,
					Subject:  lint.Subject{Metric: u.Name},
					Message: fmt.Sprintf("metric %q used by %s is defined nowhere, and no exposition covers its name space (did you mean %q?)",
						u.Name, u.Query.Describe(), s),
					Related: definedHere(p, s),
				})
			}
			continue
		}
		f := lint.Finding{
			Pos:     u.At,
			Subject: lint.Subject{Metric: u.Name},
			Message: fmt.Sprintf("metric %q used by %s %s", u.Name, u.Query.Describe(), undefined(p, u.Name)),
		}
		if s := p.Suggest(u.Name); s != "" {
			f.Message += fmt.Sprintf(" (did you mean %q?)", s)
			f.Related = definedHere(p, s)
		} else {
			f.Message += unresolvedHint(unresolved, u.Name)
		}
		pass.Report(f)
	}
	for _, md := range p.Markdown {
		for _, m := range md.Mentions {
			if !p.Covered(m.Name) {
				continue
			}
			if _, ok := p.Lookup(m.Name); ok {
				continue
			}
			if _, ok := p.Excused(m.Name); ok {
				continue
			}
			s := p.Suggest(m.Name)
			if s == "" {
				continue // prose names programs and labels too: only a near miss is reported
			}
			pass.Report(lint.Finding{
				Pos:     m.At,
				Subject: lint.Subject{Metric: m.Name},
				Message: fmt.Sprintf("metric %q named in runbook section %s %s (did you mean %q?)", m.Name, strconv.Quote(m.Section), undefined(p, m.Name), s),
				Related: definedHere(p, s),
			})
		}
	}
	return nil
}

// unresolvedHint is what a finding about a name nothing defines adds when the sources hold
// definitions driftlint could not read (n of them): one may define it, and how to say so.
func unresolvedHint(n int, name string) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprintf("; %d %s in the sources %s not read: if one of them defines it, say so with a `driftlint:metric %s` comment next to it",
		n, plural(n, "definition"), isAre(n), name)
}

// undefined says what does not define a metric name: a name with a colon is a recording's.
func undefined(p *lint.Project, name string) string {
	if lint.IsRecordingName(name) {
		return "is not recorded by any rule"
	}
	if len(p.Exporters) > 0 {
		return "is not exported by any exposition or catalogued exporter, nor recorded by any rule"
	}
	return "is not exported by any exposition or recorded by any rule"
}

// definedHere points at the definition of a suggested name.
func definedHere(p *lint.Project, name string) []lint.Related {
	if d, ok := p.Lookup(name); ok && d.At.IsValid() {
		if d.Exporter != nil {
			return []lint.Related{{Pos: d.At, Message: fmt.Sprintf("%s exports %q (driftlint's exporters catalogue)", d.Exporter.Origin(), name)}}
		}
		return []lint.Related{{Pos: d.At, Message: fmt.Sprintf("%q is defined here", name)}}
	}
	return nil
}

// plural is word, with an s unless n is 1.
func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}

// isAre is the verb for n things.
func isAre(n int) string {
	if n == 1 {
		return "is"
	}
	return "are"
}
