// Package scrape evaluates PromQL over saved (or fetched) scrapes without a Prometheus
// server: Storage is an in-memory storage.Queryable holding every scraped sample of every
// target at its scrape time, and Checker evaluates invariants over it with Prometheus's own
// PromQL engine, reporting every series for which an invariant does not hold.
package scrape

import (
	"context"
	"maps"
	"slices"
	"sort"

	"github.com/prometheus/common/model"
	"github.com/prometheus/prometheus/model/histogram"
	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/storage"
	"github.com/prometheus/prometheus/tsdb/chunkenc"
	"github.com/prometheus/prometheus/tsdb/chunks"
	"github.com/prometheus/prometheus/util/annotations"

	"github.com/driftlint/driftlint/lint"
)

// TargetLabel is the label Storage adds to every series of a named target, as Prometheus
// adds job to every scraped series. A sample that already has it keeps its value under
// ExportedTargetLabel, as Prometheus does without honor_labels.
const (
	TargetLabel         = "job"
	ExportedTargetLabel = "exported_job"
)

// Storage is an in-memory storage.Queryable over scraped samples: each sample of each
// exposition becomes a point of its series at the exposition's TimeMs. Series of a named
// target carry TargetLabel="<target>", so that targets exporting the same metric stay
// apart. A series exposed twice in one scrape keeps its first value, as Prometheus does.
// A Storage is immutable once built and safe for concurrent queries.
type Storage struct {
	series []*series            // sorted by labels
	byName map[string][]*series // metric name → its series, sorted by labels
	times  []int64              // distinct scrape times, ascending
	names  map[string]bool
	scrape map[int64][]*lint.Exposition // scrape time → expositions taken then
}

// series is one time series and its points, in time order.
type series struct {
	lset labels.Labels
	ts   []int64
	vs   []float64
}

// NewStorage indexes every sample of expos.
func NewStorage(expos []*lint.Exposition) *Storage {
	s := &Storage{names: map[string]bool{}, scrape: map[int64][]*lint.Exposition{}}
	byKey := map[string]*series{}
	for _, e := range expos {
		if e == nil || e.Source { // code definitions have no samples and no scrape time
			continue
		}
		s.scrape[e.TimeMs] = append(s.scrape[e.TimeMs], e)
		for _, name := range e.Order {
			fam := e.Families[name]
			if fam == nil {
				continue
			}
			for _, smp := range fam.Samples {
				lset := SeriesLabels(e.Target, smp)
				key := lset.String()
				sr := byKey[key]
				if sr == nil {
					sr = &series{lset: lset}
					byKey[key] = sr
					s.series = append(s.series, sr)
				}
				sr.add(e.TimeMs, smp.Value)
				s.names[smp.Name] = true
			}
		}
	}
	for t := range s.scrape {
		s.times = append(s.times, t)
	}
	slices.Sort(s.times)
	slices.SortFunc(s.series, func(a, b *series) int { return labels.Compare(a.lset, b.lset) })
	s.byName = map[string][]*series{}
	for _, sr := range s.series {
		name := sr.lset.Get(model.MetricNameLabel)
		s.byName[name] = append(s.byName[name], sr)
	}
	return s
}

// SeriesLabels returns the labels under which Storage keeps a sample of target: its own
// labels, __name__, and TargetLabel when target is not empty.
func SeriesLabels(target string, smp lint.Sample) labels.Labels {
	m := make(map[string]string, len(smp.Labels)+2)
	maps.Copy(m, smp.Labels)
	if target != "" {
		if v, ok := m[TargetLabel]; ok {
			m[ExportedTargetLabel] = v
		}
		m[TargetLabel] = target
	}
	m[model.MetricNameLabel] = smp.Name
	return labels.FromMap(m)
}

// add appends a point, keeping the first value of a time that is already present.
func (sr *series) add(t int64, v float64) {
	i := sort.Search(len(sr.ts), func(i int) bool { return sr.ts[i] >= t })
	if i < len(sr.ts) && sr.ts[i] == t {
		return
	}
	sr.ts = slices.Insert(sr.ts, i, t)
	sr.vs = slices.Insert(sr.vs, i, v)
}

// Times returns the distinct scrape times in milliseconds, ascending.
func (s *Storage) Times() []int64 { return slices.Clone(s.times) }

// HasMetric reports whether some scrape has a series of that name (x_total, x_bucket, …).
func (s *Storage) HasMetric(name string) bool { return s.names[name] }

// Expositions returns the scrapes taken at time t (milliseconds).
func (s *Storage) Expositions(t int64) []*lint.Exposition { return s.scrape[t] }

// Len is the number of series.
func (s *Storage) Len() int { return len(s.series) }

// Querier implements storage.Queryable: the querier sees the points in [mint, maxt].
func (s *Storage) Querier(mint, maxt int64) (storage.Querier, error) {
	return &querier{s: s, mint: mint, maxt: maxt}, nil
}

type querier struct {
	s          *Storage
	mint, maxt int64
}

// matching returns the series that match every matcher and have a point in [mint, maxt].
func (q *querier) matching(ms []*labels.Matcher) []*series {
	candidates := q.s.series
	for _, m := range ms {
		if m.Name == model.MetricNameLabel && m.Type == labels.MatchEqual {
			candidates = q.s.byName[m.Value]
			break
		}
	}
	var out []*series
	for _, sr := range candidates {
		if !matches(sr.lset, ms) {
			continue
		}
		i := sort.Search(len(sr.ts), func(i int) bool { return sr.ts[i] >= q.mint })
		if i < len(sr.ts) && sr.ts[i] <= q.maxt {
			out = append(out, sr)
		}
	}
	return out
}

func matches(lset labels.Labels, ms []*labels.Matcher) bool {
	for _, m := range ms {
		if !m.Matches(lset.Get(m.Name)) {
			return false
		}
	}
	return true
}

// Select returns the matching series, always sorted by labels, with the points of the
// querier's range (narrowed further by hints).
func (q *querier) Select(_ context.Context, _ bool, hints *storage.SelectHints, ms ...*labels.Matcher) storage.SeriesSet {
	mint, maxt := q.mint, q.maxt
	if hints != nil {
		mint, maxt = max(mint, hints.Start), min(maxt, hints.End)
	}
	var out []storage.Series
	for _, sr := range q.matching(ms) {
		var pts []chunks.Sample
		for i, t := range sr.ts {
			if t >= mint && t <= maxt {
				pts = append(pts, point{t: t, f: sr.vs[i]})
			}
		}
		if len(pts) > 0 {
			out = append(out, storage.NewListSeries(sr.lset, pts))
		}
	}
	return &seriesSet{list: out, i: -1}
}

// LabelValues returns the sorted values of a label over the matching series.
func (q *querier) LabelValues(_ context.Context, name string, _ *storage.LabelHints, ms ...*labels.Matcher) ([]string, annotations.Annotations, error) {
	set := map[string]bool{}
	for _, sr := range q.matching(ms) {
		if v := sr.lset.Get(name); v != "" {
			set[v] = true
		}
	}
	return sortedKeys(set), nil, nil
}

// LabelNames returns the sorted label names of the matching series.
func (q *querier) LabelNames(_ context.Context, _ *storage.LabelHints, ms ...*labels.Matcher) ([]string, annotations.Annotations, error) {
	set := map[string]bool{}
	for _, sr := range q.matching(ms) {
		sr.lset.Range(func(l labels.Label) { set[l.Name] = true })
	}
	return sortedKeys(set), nil, nil
}

func (*querier) Close() error { return nil }

func sortedKeys(set map[string]bool) []string {
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// seriesSet iterates over a list of series.
type seriesSet struct {
	list []storage.Series
	i    int
}

func (s *seriesSet) Next() bool {
	if s.i+1 >= len(s.list) {
		s.i = len(s.list)
		return false
	}
	s.i++
	return true
}

func (s *seriesSet) At() storage.Series {
	if s.i < 0 || s.i >= len(s.list) {
		return nil
	}
	return s.list[s.i]
}

func (*seriesSet) Err() error                        { return nil }
func (*seriesSet) Warnings() annotations.Annotations { return nil }

// point is one float sample, as storage.NewListSeries wants it.
type point struct {
	t int64
	f float64
}

func (p point) T() int64                    { return p.t }
func (point) ST() int64                     { return 0 }
func (p point) F() float64                  { return p.f }
func (point) H() *histogram.Histogram       { return nil }
func (point) FH() *histogram.FloatHistogram { return nil }
func (point) Type() chunkenc.ValueType      { return chunkenc.ValFloat }
func (p point) Copy() chunks.Sample         { return p }
