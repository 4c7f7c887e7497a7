package load

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/driftlint/driftlint/lint"
	"github.com/driftlint/driftlint/lint/load/fetch"
	"github.com/driftlint/driftlint/lint/promql"
)

// promAPI serves /api/v1/metadata, the names and /api/v1/series from meta (name → type),
// and labels (name → the label names of its one series, each with the value "v").
func promAPI(t *testing.T, meta map[string]string, labels map[string][]string) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var data any
		switch r.URL.Path {
		case "/api/v1/metadata":
			m := map[string][]map[string]string{}
			for n, typ := range meta {
				m[n] = []map[string]string{{"type": typ, "help": "help of " + n}}
			}
			data = m
		case "/api/v1/label/__name__/values":
			var names []string
			for n := range labels {
				names = append(names, n)
			}
			data = names
		case "/api/v1/series":
			out := []map[string]string{}
			for _, m := range r.URL.Query()["match[]"] {
				name, _ := strconv.Unquote(strings.TrimSuffix(strings.TrimPrefix(m, "{__name__="), "}"))
				if ls, ok := labels[name]; ok {
					s := map[string]string{"__name__": name}
					for _, l := range ls {
						s[l] = "v"
					}
					out = append(out, s)
				}
			}
			data = out
		default:
			http.NotFound(w, r)
			return
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"status": "success", "data": data})
	}))
	t.Cleanup(srv.Close)
	return srv
}

// project writes files into a new folder and loads it, allowing 127.0.0.1.
func project(t *testing.T, files map[string]string) (*lint.Project, error) {
	t.Helper()
	dir := t.TempDir()
	for name, src := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cfg, err := lint.LoadConfig(filepath.Join(dir, ".driftlint.yaml"), lint.ConfigOptions{})
	if err != nil {
		t.Fatal(err)
	}
	allow, err := fetch.ParseAllowNet([]string{"127.0.0.1"})
	if err != nil {
		t.Fatal(err)
	}
	return Project(cfg, Options{Fetch: fetch.Options{AllowNet: allow}})
}

func TestKnownURLDefinesNamesAndLabels(t *testing.T) {
	srv := promAPI(t,
		map[string]string{"node_cpu_seconds_total": "counter", "http_duration_seconds": "histogram"},
		map[string][]string{
			"node_cpu_seconds_total":       {"cpu", "instance", "job", "mode"},
			"http_duration_seconds_bucket": {"le", "job", "route"},
			"up":                           {"instance", "job"},
		})
	p, err := project(t, map[string]string{
		".driftlint.yaml": "rules: [alerts.yml]\nknown_metrics:\n  - url: " + srv.URL + "\n",
		"alerts.yml": `groups:
- name: g
  rules:
  - alert: A
    expr: rate(node_cpu_seconds_total{mode="idle"}[5m]) > 0 and node_cpu_seconds_totl > 0 and other_thing > 0
  - alert: B
    expr: histogram_quantile(0.9, sum by (le, route) (rate(http_duration_seconds_bucket[5m]))) > 1
`,
	})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, name := range []string{"node_cpu_seconds_total", "http_duration_seconds_count", "up", "node_cpu_seconds_totl", "other_thing"} {
		d, ok := p.Lookup(name)
		typ := ""
		if d.Family != nil {
			typ = d.Family.Type + " " + d.Family.Help
		}
		got = append(got, fmt.Sprintf("%s %s %s covered=%v %s", name, defKind(d, ok), d.At, p.Covered(name), typ))
	}
	want := []string{
		"node_cpu_seconds_total known .driftlint.yaml:3:10 covered=true counter help of node_cpu_seconds_total",
		"http_duration_seconds_count known .driftlint.yaml:3:10 covered=true histogram help of http_duration_seconds",
		"up known .driftlint.yaml:3:10 covered=true ",
		"node_cpu_seconds_totl undefined  covered=true ",
		"other_thing undefined  covered=false ",
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("definitions (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]string{"http_*", "node_*", "up"}, p.KnownCovers); d != "" {
		t.Errorf("covers (-want +got):\n%s", d)
	}
	idx := promql.IndexFor(p)
	for name, want := range map[string][]string{
		"node_cpu_seconds_total":       {"cpu", "instance", "job", "mode"},
		"http_duration_seconds_bucket": {"job", "le", "route"},
	} {
		ls, ok := idx.MetricLabels(name)
		if d := cmp.Diff(want, ls); !ok || d != "" {
			t.Errorf("labels of %s (-want +got, known %v):\n%s", name, ok, d)
		}
	}
	if _, ok := idx.MetricLabels("up"); ok {
		t.Errorf("up: labels known although no query reads it")
	}
	if len(p.Skipped)+len(p.Empty)+len(p.ParseProblems) != 0 {
		t.Errorf("unexpected problems: %v %v %v", p.Skipped, p.Empty, p.ParseProblems)
	}
}

func TestKnownURLCoversAndBudget(t *testing.T) {
	labels := map[string][]string{}
	var names []string
	for i := range 1000 {
		n := fmt.Sprintf("app_m%04d", i)
		labels[n] = []string{"job"}
		names = append(names, n)
	}
	srv := promAPI(t, nil, labels)
	p, err := project(t, map[string]string{
		".driftlint.yaml": "rules: [r.yml]\nknown_metrics:\n  - {url: '" + srv.URL + "', covers: [app_m0*]}\n",
		"r.yml":           "groups:\n- name: g\n  rules:\n  - record: all\n    expr: " + strings.Join(names, " or ") + "\n",
	})
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([]string{"app_m0*"}, p.KnownCovers); d != "" {
		t.Errorf("covers (-want +got):\n%s", d)
	}
	var skipped []string
	for _, s := range p.Skipped {
		skipped = append(skipped, s.At.String()+" "+s.Message)
	}
	want := []string{".driftlint.yaml:3:11 known_metrics url " + srv.URL + ": the request budget of 20 requests ran out, so the labels of 100 queried metric names were not read (app_m0900, app_m0901, app_m0902 and 97 more): label/unknown does not check them"}
	if d := cmp.Diff(want, skipped); d != "" {
		t.Errorf("skipped (-want +got):\n%s", d)
	}
}

func TestSnapshotBytesAreStableAndReadBack(t *testing.T) {
	sets := []*fetch.KnownSet{
		{URL: "http://a", Metrics: []fetch.KnownMetric{
			{Name: "up", Labels: []string{"instance", "job"}, LabelsRead: true},
			{Name: "node_load1", Type: "gauge", Help: "1m load average <&>."},
			{Name: "job:errors:rate5m", Labels: []string{}, LabelsRead: true},
		}},
		{URL: "http://b", Metrics: []fetch.KnownMetric{
			{Name: "up", Labels: []string{"instance", "job", "zone"}, LabelsRead: true},
			{Name: "kafka_lag", Type: "unknown"},
		}},
	}
	s := NewSnapshot([][]string{nil, {"kafka_*"}}, sets)
	got := string(s.Marshal())
	want := `{
  "version": 1,
  "covers": [
    "kafka_*",
    "node_*",
    "up"
  ],
  "metrics": [
    {
      "name": "job:errors:rate5m",
      "labels": []
    },
    {
      "name": "kafka_lag"
    },
    {
      "name": "node_load1",
      "type": "gauge",
      "help": "1m load average <&>."
    },
    {
      "name": "up",
      "labels": [
        "instance",
        "job",
        "zone"
      ]
    }
  ]
}
`
	if d := cmp.Diff(want, got); d != "" {
		t.Fatalf("snapshot (-want +got):\n%s", d)
	}
	if again := string(NewSnapshot([][]string{nil, {"kafka_*"}}, sets).Marshal()); again != got {
		t.Errorf("a second snapshot of the same sets differs:\n%s", again)
	}
	known, covers, probs := ParseKnown(lint.NewSourceFile("known.json", []byte(got)))
	if len(probs) != 0 {
		t.Fatalf("problems reading the snapshot back: %v", probs)
	}
	if d := cmp.Diff(s.Covers, covers); d != "" {
		t.Errorf("covers read back (-want +got):\n%s", d)
	}
	wantKnown := s.known(lint.Pos{})
	for i := range known {
		known[i].At = lint.Pos{}
	}
	if d := cmp.Diff(wantKnown, known); d != "" {
		t.Errorf("metrics read back (-want +got):\n%s", d)
	}
}

func TestParseKnownSnapshotProblems(t *testing.T) {
	tests := []struct {
		name  string
		src   string
		want  []string
		probs []string
	}{
		{
			name:  "rejects another version",
			src:   `{"version": 2, "metrics": [{"name": "up"}]}`,
			probs: []string{"1:13 known_metrics: snapshot version 2 is not supported (want 1; write it again with driftlint snapshot)"},
		},
		{
			name:  "wants a version",
			src:   `{"metrics": [{"name": "up"}]}`,
			want:  []string{"up"},
			probs: []string{`1:1 known_metrics: a snapshot needs "version": 1`},
		},
		{
			name:  "reports a bad entry at its name and keeps the others",
			src:   "{\"version\": 1, \"covers\": [\"x_*\", 3],\n \"metrics\": [{\"name\": \"a\", \"labels\": [\"ok\", \"\"]}, {\"type\": \"gauge\"}, {\"name\": \"b\", \"type\": \"weird\"}, {\"name\": \"c\"}]}",
			want:  []string{"c"},
			probs: []string{"1:34 known_metrics: a snapshot's covers holds metric-name globs", `2:24 known_metrics: snapshot entry "a": "" is not a label name`, `2:51 known_metrics: snapshot entry has no metric name (name: "")`, `2:80 known_metrics: snapshot entry "b": type "weird" is not a metric type`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			known, _, probs := ParseKnown(lint.NewSourceFile("k.json", []byte(tt.src)))
			var got, gotProbs []string
			for _, k := range known {
				got = append(got, k.Name)
			}
			for _, p := range probs {
				gotProbs = append(gotProbs, trimFile(p.At)+" "+p.Message)
			}
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("known (-want +got):\n%s", d)
			}
			if d := cmp.Diff(tt.probs, gotProbs); d != "" {
				t.Errorf("problems (-want +got):\n%s", d)
			}
		})
	}
}
