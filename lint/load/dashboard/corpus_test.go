package dashboard

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/driftlint/driftlint/lint"
)

// corpora is the shared folder of real-world inputs beside the checkout; tests that read it
// skip themselves when it is absent.
const corpora = "../../../../shared/corpora"

// corpusDashboards are the dashboard JSON files of the real corpus, as globs under corpora.
var corpusDashboards = []string{
	"prometheus-operator__kube-prometheus/derived/dashboards/*.json",
	"strimzi__strimzi-kafka-operator/examples/metrics/grafana-dashboards/*.json",
	"strimzi__strimzi-kafka-operator/examples/metrics/strimzi-metrics-reporter/grafana-dashboards/*.json",
	"thanos-io__thanos/examples/dashboards/*.json",
	"danielqsj__kafka_exporter/*.json",
}

const corpusConfigMap = "prometheus-operator__kube-prometheus/manifests/grafana-dashboardDefinitions.yaml"

func readCorpusFile(t *testing.T, rel string) *lint.SourceFile {
	t.Helper()
	src, err := os.ReadFile(filepath.Join(corpora, rel))
	if err != nil {
		t.Fatal(err)
	}
	return lint.NewSourceFile(rel, src)
}

// checkResult reports problems and queries that do not parse, and returns the number of
// targets.
func checkResult(t *testing.T, res *Result) int {
	t.Helper()
	for _, p := range res.Problems {
		t.Errorf("%s: problem: %s", p.At, p.Message)
	}
	for _, q := range res.Queries {
		if q.Err != nil {
			t.Errorf("%s: %s does not parse: %v\n%s", q.Pos(0), q.Describe(), q.Err, q.Text.Value)
		}
		checkOffsets(t, q.Text, q.Vars)
	}
	for _, d := range res.Dashboards {
		for _, tg := range d.Targets {
			checkOffsets(t, tg.Legend, false)
		}
		for _, v := range d.Variables {
			checkOffsets(t, v.Raw, false)
			checkOffsets(t, v.Label, false)
		}
	}
	n := 0
	for _, d := range res.Dashboards {
		n += len(d.Targets)
	}
	return n
}

func TestLoadCorpus(t *testing.T) {
	if _, err := os.Stat(corpora); err != nil {
		t.Skip("no corpora: ", err)
	}
	queries := map[string][]string{} // derived kube-prometheus dashboard title → query texts
	total := map[string]int{}
	for _, glob := range corpusDashboards {
		matches, err := filepath.Glob(filepath.Join(corpora, glob))
		if err != nil {
			t.Fatal(err)
		}
		if len(matches) == 0 {
			t.Errorf("%s: no files", glob)
		}
		for _, m := range matches {
			rel, _ := filepath.Rel(corpora, m)
			f := readCorpusFile(t, filepath.ToSlash(rel))
			if !LooksLikeDashboardJSON(f.Src) {
				t.Errorf("%s: LooksLikeDashboardJSON = false", rel)
			}
			res := LoadJSON(f)
			if len(res.Dashboards) != 1 {
				t.Fatalf("%s: %d dashboards", rel, len(res.Dashboards))
			}
			n := checkResult(t, res)
			if n == 0 {
				t.Errorf("%s: no targets", rel)
			}
			total[strings.SplitN(rel, "/", 2)[0]] += n
			if strings.HasPrefix(rel, "prometheus-operator__kube-prometheus/") {
				queries[res.Dashboards[0].Title] = queryTexts(res.Queries)
			}
		}
	}
	t.Logf("targets per corpus: %v", total)
	kube, _ := filepath.Glob(filepath.Join(corpora, corpusDashboards[0]))
	if len(queries) != len(kube) {
		t.Errorf("%d kube-prometheus dashboards have %d distinct titles", len(kube), len(queries))
	}

	f := readCorpusFile(t, corpusConfigMap)
	if !LooksLikeDashboardConfigMap(f.Src) {
		t.Errorf("%s: LooksLikeDashboardConfigMap = false", corpusConfigMap)
	}
	res := LoadConfigMap(f)
	if n := checkResult(t, res); n != total["prometheus-operator__kube-prometheus"] {
		t.Errorf("the ConfigMap has %d targets, the derived JSON copies %d", n, total["prometheus-operator__kube-prometheus"])
	}
	got := map[string][]string{}
	for _, d := range res.Dashboards {
		var qs []*lint.Query
		for _, tg := range d.Targets {
			qs = append(qs, tg.Query)
		}
		for _, v := range d.Variables {
			if v.Query != nil {
				qs = append(qs, v.Query)
			}
		}
		slices.SortStableFunc(qs, func(a, b *lint.Query) int { return a.Text.Offset(0) - b.Text.Offset(0) })
		got[d.Title] = queryTexts(qs)
	}
	if diff := cmp.Diff(queries, got); diff != "" {
		t.Errorf("queries per dashboard, ConfigMap vs derived JSON (-json +configmap):\n%s", diff)
	}
}

func queryTexts(qs []*lint.Query) []string {
	out := make([]string, len(qs))
	for i, q := range qs {
		out[i] = q.Text.Value
	}
	return out
}

// checkOffsets checks that every byte of a span maps to the same byte in its file, or to the
// backslash of the JSON escape it was decoded from; with vars, a Grafana variable's stand-in
// maps to the variable's first byte ($ or [).
func checkOffsets(t *testing.T, s lint.Span, vars bool) {
	t.Helper()
	if s.File == nil {
		return
	}
	for i := range len(s.Value) {
		off := s.Offset(i)
		if off < 0 || off >= len(s.File.Src) {
			t.Errorf("%s: byte %d of %q maps to offset %d, outside the file", s.StartPos(), i, s.Value, off)
			return
		}
		c := s.File.Src[off]
		if c != s.Value[i] && c != '\\' && (!vars || c != '$' && c != '[') {
			t.Errorf("%s: byte %d of %q is %q but maps to %q at %s", s.StartPos(), i, s.Value, s.Value[i], c, s.Pos(i))
			return
		}
	}
}

func BenchmarkLoadConfigMap(b *testing.B) {
	src, err := os.ReadFile(filepath.Join(corpora, corpusConfigMap))
	if err != nil {
		b.Skip("no corpora: ", err)
	}
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		LoadConfigMap(lint.NewSourceFile(corpusConfigMap, src))
	}
}
