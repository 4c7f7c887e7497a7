package scrape

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/storage"

	"github.com/driftlint/driftlint/lint"
)

// expo builds an exposition of target taken at ms from "name{k=v,…} value" triples.
func expo(target string, index int, ms int64, samples ...lint.Sample) *lint.Exposition {
	e := &lint.Exposition{Target: target, Index: index, TimeMs: ms, Families: map[string]*lint.Family{}}
	for _, s := range samples {
		fam := e.Families[s.Name]
		if fam == nil {
			fam = &lint.Family{Name: s.Name, Type: "untyped", Expo: e}
			e.Families[s.Name] = fam
			e.Order = append(e.Order, s.Name)
		}
		fam.Samples = append(fam.Samples, s)
	}
	return e
}

func smp(name string, v float64, kv ...string) lint.Sample {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return lint.Sample{Name: name, Labels: m, Value: v}
}

type point2 struct {
	T int64
	F float64
}

// selectAll runs one Select and returns every series as "labels" → points.
func selectAll(t *testing.T, q storage.Querier, hints *storage.SelectHints, ms ...*labels.Matcher) map[string][]point2 {
	t.Helper()
	out := map[string][]point2{}
	set := q.Select(context.Background(), true, hints, ms...)
	for set.Next() {
		s := set.At()
		it := s.Iterator(nil)
		var pts []point2
		for it.Next() != 0 {
			ts, f := it.At()
			pts = append(pts, point2{ts, f})
		}
		out[s.Labels().String()] = pts
	}
	if err := set.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func testStorage() *Storage {
	return NewStorage([]*lint.Exposition{
		expo("api", 0, 0,
			smp("errors_total", 3, "code", "500"),
			smp("errors_total", 1, "code", "503"),
			smp("requests_total", 100),
			smp("requests_total", 999), // the same series twice: the first value wins
		),
		expo("api", 1, 15000,
			smp("errors_total", 4, "code", "500"),
			smp("requests_total", 110),
		),
		expo("worker", 0, 0,
			smp("requests_total", 7, "job", "batch"),
		),
	})
}

func TestQuerierSelect(t *testing.T) {
	s := testStorage()
	tests := []struct {
		name       string
		mint, maxt int64
		hints      *storage.SelectHints
		matchers   []*labels.Matcher
		want       map[string][]point2
	}{
		{
			name: "selects a metric of every target with the target as job",
			mint: 0, maxt: 20000,
			matchers: []*labels.Matcher{labels.MustNewMatcher(labels.MatchEqual, "__name__", "requests_total")},
			want: map[string][]point2{
				`{__name__="requests_total", job="api"}`:                          {{0, 100}, {15000, 110}},
				`{__name__="requests_total", exported_job="batch", job="worker"}`: {{0, 7}},
			},
		},
		{
			name: "applies label matchers of every type",
			mint: 0, maxt: 20000,
			matchers: []*labels.Matcher{
				labels.MustNewMatcher(labels.MatchRegexp, "__name__", "errors_.*"),
				labels.MustNewMatcher(labels.MatchNotEqual, "code", "503"),
				labels.MustNewMatcher(labels.MatchEqual, "job", "api"),
			},
			want: map[string][]point2{`{__name__="errors_total", code="500", job="api"}`: {{0, 3}, {15000, 4}}},
		},
		{
			name: "keeps only the points of the querier's time range",
			mint: 10000, maxt: 20000,
			matchers: []*labels.Matcher{labels.MustNewMatcher(labels.MatchEqual, "__name__", "errors_total")},
			want:     map[string][]point2{`{__name__="errors_total", code="500", job="api"}`: {{15000, 4}}},
		},
		{
			name: "narrows the range further with select hints",
			mint: 0, maxt: 20000,
			hints:    &storage.SelectHints{Start: 0, End: 5000},
			matchers: []*labels.Matcher{labels.MustNewMatcher(labels.MatchEqual, "job", "api")},
			want: map[string][]point2{
				`{__name__="errors_total", code="500", job="api"}`: {{0, 3}},
				`{__name__="errors_total", code="503", job="api"}`: {{0, 1}},
				`{__name__="requests_total", job="api"}`:           {{0, 100}},
			},
		},
		{
			name: "returns nothing for a metric no scrape has",
			mint: 0, maxt: 20000,
			matchers: []*labels.Matcher{labels.MustNewMatcher(labels.MatchEqual, "__name__", "nope")},
			want:     map[string][]point2{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := s.Querier(tt.mint, tt.maxt)
			if err != nil {
				t.Fatal(err)
			}
			defer q.Close()
			got := selectAll(t, q, tt.hints, tt.matchers...)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("series (-want +got):\n%s", diff)
			}
		})
	}
}

func TestQuerierLabels(t *testing.T) {
	s := testStorage()
	q, _ := s.Querier(0, 20000)
	ctx := context.Background()
	tests := []struct {
		name     string
		label    string // "" for LabelNames
		matchers []*labels.Matcher
		want     []string
	}{
		{name: "lists the values of a label", label: "job", want: []string{"api", "worker"}},
		{
			name: "lists the values of a label on matching series", label: "code",
			matchers: []*labels.Matcher{labels.MustNewMatcher(labels.MatchEqual, "code", "500")},
			want:     []string{"500"},
		},
		{
			name:     "lists label names of matching series",
			matchers: []*labels.Matcher{labels.MustNewMatcher(labels.MatchEqual, "__name__", "errors_total")},
			want:     []string{"__name__", "code", "job"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			var err error
			if tt.label != "" {
				got, _, err = q.LabelValues(ctx, tt.label, nil, tt.matchers...)
			} else {
				got, _, err = q.LabelNames(ctx, nil, tt.matchers...)
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestStorageFacts(t *testing.T) {
	s := testStorage()
	got := struct {
		Times   []int64
		Series  int
		Has     []bool
		AtFirst int
	}{s.Times(), s.Len(), []bool{s.HasMetric("errors_total"), s.HasMetric("nope")}, len(s.Expositions(0))}
	want := struct {
		Times   []int64
		Series  int
		Has     []bool
		AtFirst int
	}{[]int64{0, 15000}, 4, []bool{true, false}, 2}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
