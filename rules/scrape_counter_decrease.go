package rules

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/driftlint/driftlint/lint"
	"github.com/driftlint/driftlint/lint/scrape"
)

// ScrapeCounterDecrease reports counters that go down between two scrapes of a target.
var ScrapeCounterDecrease = &lint.Rule{
	ID:      "scrape/counter-decrease",
	Summary: "a counter that went down between two scrapes without a restart",
	Doc: `A counter only goes up until its process restarts. One that goes down between two scrapes
of the same target is not a counter: usually a value computed at scrape time (success =
total - errors, a saturating subtraction, a gauge registered as a counter). rate() and
increase() read every decrease as a reset and add the whole new value, so dashboards and
alerts built on it show spikes that never happened.

Each scrape is compared with the previous scrape of the same target (never with another
target), series by series: same name, same labels. Counter series are the samples of
counter families and the _count, _sum and _bucket series of histograms and summaries.

A restart is not a finding. A restart is recognized when process_start_time_seconds changed
between the two scrapes; when a series' OpenMetrics _created timestamp changed; or, when
process_start_time_seconds is missing from either scrape, when the counters reset together:
at least two counter series went down and every counter series that was above zero in the
earlier scrape went down. When process_start_time_seconds is present in both scrapes and
unchanged, every decrease is reported.

Bad (scrape 2, 15 s after scrape 1 where success was 111; process_start_time_seconds
unchanged):

    websocket_kafka_messages_total{status="success"} 0

Good (count successes when they happen):

    websocket_kafka_messages_total{status="success"} 114`,
	Severity: lint.Error,
	Needs:    lint.NeedExpositions,
	Run:      runScrapeCounterDecrease,
}

// startTimeMetric tells a process restart.
const startTimeMetric = "process_start_time_seconds"

// counterSample is one counter series of a scrape.
type counterSample struct {
	key    string // name{labels}
	sample *lint.Sample
}

func runScrapeCounterDecrease(pass *lint.Pass) error {
	for _, scrapes := range targetScrapes(pass.Project.Expositions) {
		prev := indexScrape(scrapes[0])
		for i := 1; i < len(scrapes); i++ {
			cur := indexScrape(scrapes[i])
			compareScrapes(pass, scrapes[i-1], scrapes[i], prev, cur)
			prev = cur
		}
	}
	return nil
}

// targetScrapes groups expositions by target, each in scrape order, skipping failed scrapes
// (no families); targets come in order of first appearance.
func targetScrapes(expos []*lint.Exposition) [][]*lint.Exposition {
	var order []string
	by := map[string][]*lint.Exposition{}
	for _, e := range expos {
		if e == nil || e.Source || len(e.Families) == 0 {
			continue
		}
		if _, ok := by[e.Target]; !ok {
			order = append(order, e.Target)
		}
		by[e.Target] = append(by[e.Target], e)
	}
	out := make([][]*lint.Exposition, 0, len(order))
	for _, t := range order {
		s := by[t]
		slices.SortStableFunc(s, func(a, b *lint.Exposition) int { return a.Index - b.Index })
		out = append(out, s)
	}
	return out
}

// compareScrapes reports the counter series that are lower in cur than in prev.
func compareScrapes(pass *lint.Pass, prev, cur *lint.Exposition, prevIx, curIx *scrapeIndex) {
	before, after := prevIx.counter, curIx.counters
	prevAll, curAll := prevIx.all, curIx.all

	restart, startKnown := startTimeChanged(prevAll, curAll)
	if restart {
		return
	}
	type drop struct{ old, now *lint.Sample }
	var drops []drop
	aboveZero, fell := 0, 0
	for _, c := range after {
		old, ok := before[c.key]
		if !ok {
			continue
		}
		if old.Value > 0 {
			aboveZero++
		}
		if !(c.sample.Value < old.Value) { // false for NaN too
			continue
		}
		fell++
		if createdChanged(c.sample, prevAll, curAll) {
			continue // this series was recreated
		}
		drops = append(drops, drop{old, c.sample})
	}
	if len(drops) == 0 {
		return
	}
	reason := "although " + startTimeMetric + " did not change"
	if !startKnown {
		if fell >= 2 && fell == aboveZero {
			return // every counter reset at once: a restart without a start time
		}
		reason = "while other counters of the target did not reset"
		if aboveZero <= 1 {
			reason = "and no " + startTimeMetric + " shows a restart"
		}
	}
	for _, d := range drops {
		pass.Report(lint.Finding{
			Pos:     d.now.At,
			Subject: lint.Subject{Metric: d.now.Name},
			Message: fmt.Sprintf("counter %s went down from %s at %s (%s) to %s at %s (%s) %s; rate() and increase() will read it as a reset",
				seriesName(d.now), scrape.FormatValue(d.old.Value), scrape.FormatTime(prev.TimeMs), exposName(prev),
				scrape.FormatValue(d.now.Value), scrape.FormatTime(cur.TimeMs), exposName(cur), reason),
			Related: []lint.Related{{Pos: d.old.At, Message: fmt.Sprintf("it was %s here at %s", scrape.FormatValue(d.old.Value), scrape.FormatTime(prev.TimeMs))}},
		})
	}
}

// scrapeIndex is a scrape's series by name{labels}, each key built once per sample.
type scrapeIndex struct {
	all map[string]*lint.Sample // every series; a series exposed twice keeps its first sample
	// counter holds the series of counter families (not their _created series) and the
	// _count, _sum and _bucket series of histograms and summaries; counters lists them in
	// scrape order.
	counter  map[string]*lint.Sample
	counters []counterSample
}

func indexScrape(e *lint.Exposition) *scrapeIndex {
	ix := &scrapeIndex{all: map[string]*lint.Sample{}, counter: map[string]*lint.Sample{}}
	for _, name := range e.Order {
		fam := e.Families[name]
		if fam == nil {
			continue
		}
		for i := range fam.Samples {
			s := &fam.Samples[i]
			k := seriesKey(s.Name, s.Labels)
			if _, ok := ix.all[k]; !ok {
				ix.all[k] = s
			}
			if !isCounterSeries(fam, s.Name) {
				continue
			}
			if _, dup := ix.counter[k]; !dup {
				ix.counter[k] = s
				ix.counters = append(ix.counters, counterSample{key: k, sample: s})
			}
		}
	}
	return ix
}

// isCounterSeries reports whether a series of fam only ever goes up.
func isCounterSeries(fam *lint.Family, series string) bool {
	switch fam.Type {
	case "counter":
		return series == fam.Name || !strings.HasSuffix(series, "_created")
	case "histogram":
		return hasAnySuffix(series, "_bucket", "_count", "_sum")
	case "summary":
		return hasAnySuffix(series, "_count", "_sum")
	}
	return false
}

func hasAnySuffix(s string, sufs ...string) bool {
	for _, suf := range sufs {
		if strings.HasSuffix(s, suf) {
			return true
		}
	}
	return false
}

// startTimeChanged compares process_start_time_seconds of two scrapes: restart is true
// when a series of it changed, known when both scrapes have it.
func startTimeChanged(prev, cur map[string]*lint.Sample) (restart, known bool) {
	for k, s := range cur {
		if s.Name != startTimeMetric {
			continue
		}
		if old, ok := prev[k]; ok {
			known = true
			if old.Value != s.Value {
				return true, true
			}
		}
	}
	return false, known
}

// createdChanged reports whether the OpenMetrics _created series that belongs to a counter
// series changed between the scrapes: the series was created anew.
func createdChanged(s *lint.Sample, prev, cur map[string]*lint.Sample) bool {
	base := s.Name
	for _, suf := range []string{"_total", "_bucket", "_count", "_sum"} {
		if b, ok := strings.CutSuffix(base, suf); ok {
			base = b
			break
		}
	}
	lbls := s.Labels
	if _, ok := lbls["le"]; ok {
		lbls = make(map[string]string, len(s.Labels))
		for k, v := range s.Labels {
			if k != "le" {
				lbls[k] = v
			}
		}
	}
	k := seriesKey(base+"_created", lbls)
	a, b := prev[k], cur[k]
	return a != nil && b != nil && a.Value != b.Value
}

// seriesKey writes a series as name{k="v", …} with sorted labels.
func seriesKey(name string, lbls map[string]string) string {
	if len(lbls) == 0 {
		return name
	}
	keys := make([]string, 0, len(lbls))
	for k := range lbls {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	b := make([]byte, 0, len(name)+2+len(keys)*24)
	b = append(b, name...)
	b = append(b, '{')
	for i, k := range keys {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = append(b, k...)
		b = append(b, '=')
		b = strconv.AppendQuote(b, lbls[k]) // as %q writes it
	}
	b = append(b, '}')
	return string(b)
}

// seriesName writes a series for messages: the quoted metric name, then its labels.
func seriesName(s *lint.Sample) string {
	key := seriesKey(s.Name, s.Labels)
	return fmt.Sprintf("%q", s.Name) + key[len(s.Name):]
}

// exposName names a scrape for messages: its file, or its URL.
func exposName(e *lint.Exposition) string {
	switch {
	case e.File != nil && e.File.Path != "":
		return e.File.Path
	case e.URL != "":
		return e.URL
	default:
		return "scrape " + strconv.Itoa(e.Index+1)
	}
}
