package load

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/prometheus/prometheus/promql/parser"

	"github.com/driftlint/driftlint/lint"
	"github.com/driftlint/driftlint/lint/load/fetch"
	"github.com/driftlint/driftlint/lint/load/source"
)

// SnapshotVersion is the version of the snapshot format that driftlint snapshot writes and
// known_metrics reads.
const SnapshotVersion = 1

// Snapshot is what the known_metrics url entries of a config gave, saved so that a run
// without the network (CI) reads the same truth: names, types, help and label names, never
// label or sample values; sorted, without a timestamp, so that it can be committed and
// diffed.
type Snapshot struct {
	Version int `json:"version"`
	// Covers are the metric-name globs the entries are the truth for.
	Covers  []string         `json:"covers"`
	Metrics []SnapshotMetric `json:"metrics"`
}

// SnapshotMetric is one metric name of a Snapshot.
type SnapshotMetric struct {
	Name string `json:"name"`
	Type string `json:"type,omitempty"`
	Help string `json:"help,omitempty"`
	// Labels are the label names of the name's series; nil when they were not read (only
	// the names the project's queries read are asked about), empty when the series have
	// none.
	Labels *[]string `json:"labels,omitempty"`
}

// Marshal writes the snapshot as indented JSON, the same bytes for the same content.
func (s *Snapshot) Marshal() []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	_ = enc.Encode(s) // strings, numbers and slices only: it cannot fail
	return b.Bytes()
}

// NewSnapshot merges what the url entries gave (sets, in config order) into one snapshot:
// a name served by two entries keeps the first type and help that are not empty, and the
// union of the label names read. covers gives each entry's covers: (nil: the first word
// of each name it serves).
func NewSnapshot(covers [][]string, sets []*fetch.KnownSet) *Snapshot {
	s := &Snapshot{Version: SnapshotVersion, Covers: []string{}, Metrics: []SnapshotMetric{}}
	byName := map[string]int{}
	for i, set := range sets {
		var names []string
		for _, m := range set.Metrics {
			names = append(names, m.Name)
			j, ok := byName[m.Name]
			if !ok {
				j = len(s.Metrics)
				byName[m.Name] = j
				s.Metrics = append(s.Metrics, SnapshotMetric{Name: m.Name})
			}
			sm := &s.Metrics[j]
			sm.Type = cmp.Or(sm.Type, knownTypes[strings.ToLower(m.Type)])
			sm.Help = cmp.Or(sm.Help, m.Help)
			if m.LabelsRead {
				ls := slices.Clone(m.Labels)
				if sm.Labels != nil {
					ls = append(ls, *sm.Labels...)
				}
				slices.Sort(ls)
				ls = slices.Compact(ls)
				sm.Labels = &ls
			}
		}
		var c []string
		if i < len(covers) {
			c = covers[i]
		}
		if c == nil {
			c = firstWords(names)
		}
		s.Covers = append(s.Covers, c...)
	}
	slices.Sort(s.Covers)
	s.Covers = slices.Compact(s.Covers)
	slices.SortFunc(s.Metrics, func(a, b SnapshotMetric) int { return strings.Compare(a.Name, b.Name) })
	return s
}

// firstWords are the name spaces that the names of a live API own: the first word of each
// name (node_cpu_seconds_total owns node_*), or the name alone when it has one word. A
// recording rule's output (a name with a colon) owns only itself, and is defined anyway.
func firstWords(names []string) []string {
	out := []string{}
	for _, n := range names {
		if lint.IsRecordingName(n) {
			continue
		}
		g := source.GlobEscape(n)
		if w := lint.MetricSpace(n); w != n {
			g = source.GlobEscape(w) + "*"
		}
		out = append(out, g)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// QueriedNames returns the sorted metric names that the queries read through an exact name
// (not a regex, not a Grafana variable): the names whose labels a live API is asked for.
func QueriedNames(queries []*lint.Query) []string {
	seen := map[string]bool{}
	var out []string
	for _, q := range queries {
		if q.Expr == nil {
			continue
		}
		parser.Inspect(q.Expr, func(n parser.Node, _ []parser.Node) error {
			if vs, ok := n.(*parser.VectorSelector); ok {
				if name := lint.MetricName(vs); name != "" && !lint.IsStandIn(name) && !seen[name] {
					seen[name] = true
					out = append(out, name)
				}
			}
			return nil
		})
	}
	slices.Sort(out)
	return out
}

// knownURLs reads the config's known_metrics url entries into p: their names are known
// metrics at the entry's url, with the labels read; their covers (or the first words of
// their names) become p.KnownCovers. A queried name whose labels were not read is a warning
// (input/skipped) at the entry; an entry that serves no name is one too (input/empty).
func knownURLs(ctx context.Context, cfg *lint.Config, p *lint.Project, opts fetch.Options) error {
	if len(cfg.KnownURLs) == 0 {
		return nil
	}
	sets, err := fetch.Known(ctx, cfg, QueriedNames(p.Queries), opts)
	if err != nil {
		return err
	}
	for i, set := range sets {
		k := cfg.KnownURLs[i]
		at := cfg.ProjectPos(cmp.Or(k.URLAt, k.At))
		s := NewSnapshot([][]string{k.Covers}, []*fetch.KnownSet{set})
		p.KnownMetrics = append(p.KnownMetrics, s.known(at)...)
		p.KnownCovers = append(p.KnownCovers, s.Covers...)
		if len(set.Metrics) == 0 {
			p.Empty = append(p.Empty, lint.ParseProblem{At: at, Message: fmt.Sprintf("known_metrics url %s serves no metric name, so it defines nothing", set.URL)})
		}
		if len(set.Unread) > 0 {
			p.Skipped = append(p.Skipped, lint.ParseProblem{At: at, Message: fmt.Sprintf("known_metrics url %s: %s, so the labels of %d queried metric names were not read (%s): label/unknown does not check them", set.URL, set.Why, len(set.Unread), abbreviate(set.Unread, 3))})
		}
	}
	return nil
}

// known turns the snapshot's metrics into known metrics, each at at.
func (s *Snapshot) known(at lint.Pos) []lint.KnownMetric {
	out := make([]lint.KnownMetric, 0, len(s.Metrics))
	for _, m := range s.Metrics {
		k := lint.KnownMetric{Name: m.Name, Type: m.Type, Help: m.Help, At: at}
		if m.Labels != nil {
			k.Labels, k.LabelsKnown = *m.Labels, true
		}
		out = append(out, k)
	}
	return out
}

// abbreviate lists the first n names, and says how many more there are.
func abbreviate(names []string, n int) string {
	if len(names) <= n {
		return strings.Join(names, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(names[:n], ", "), len(names)-n)
}
