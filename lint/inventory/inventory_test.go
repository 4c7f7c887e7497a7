package inventory_test

import (
	"bytes"
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/driftlint/driftlint/lint"
	"github.com/driftlint/driftlint/lint/inventory"
	"github.com/driftlint/driftlint/lint/load"
)

// project writes files into a temporary folder and loads it with its .driftlint.yaml.
func project(t *testing.T, files map[string]string) *lint.Project {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cfg, err := lint.LoadConfig(filepath.Join(dir, lint.ConfigFile), lint.ConfigOptions{})
	if err != nil {
		t.Fatal(err)
	}
	p, err := load.Project(cfg, load.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.ParseProblems) > 0 {
		t.Fatalf("the test project does not load cleanly: %v", p.ParseProblems)
	}
	return p
}

// app is a small project with every kind of place a metric can appear.
var app = map[string]string{
	".driftlint.yaml": `rules: [rules.yml]
metrics_docs: [docs/METRICS.md]
dashboards: [dash/*.json]
exposition:
  - file: scrape/app.prom
    target: app
  - file: scrape/worker.om
    target: worker
`,
	"scrape/app.prom": `# HELP app_requests_total Requests served.
# TYPE app_requests_total counter
app_requests_total{code="200"} 5
# HELP app_latency_seconds Request latency.
# TYPE app_latency_seconds histogram
app_latency_seconds_bucket{le="1"} 1
app_latency_seconds_bucket{le="+Inf"} 2
app_latency_seconds_sum 1.5
app_latency_seconds_count 2
# HELP app_idle Never read.
# TYPE app_idle gauge
app_idle 1
`,
	"scrape/worker.om": `# TYPE worker_jobs counter
# HELP worker_jobs Jobs processed.
worker_jobs_total{queue="emails"} 310
# EOF
`,
	"rules.yml": `groups:
  - name: app
    rules:
      - record: app:requests:rate5m
        expr: sum by (code) (rate(app_requests_total[5m]))
      - alert: SlowRequests
        expr: histogram_quantile(0.9, sum by (le) (rate(app_latency_seconds_bucket[5m]))) > 1
      - alert: AppDown
        expr: up{job="app"} == 0 or app_missing_total > 0 or other_thing > 0
`,
	"docs/METRICS.md": "# Metrics\n\n| Metric | Type | Labels | Description |\n|--------|------|--------|-------------|\n" +
		"| `app_requests_total` | Counter | `code` | Requests served |\n" +
		"| `worker_jobs` | Counter | `queue` | Jobs processed |\n" +
		"| `app_gone_total` | Counter | - | Removed last year |\n",
	"dash/app.json": `{"title": "App", "panels": [{"title": "Rate", "targets": [{"expr": "app:requests:rate5m", "legendFormat": "{{code}}"}]},
 {"title": "Jobs", "targets": [{"expr": "rate(worker_jobs_total[5m])"}]}]}
`,
}

const appText = `app:requests:rate5m
  recorded   rules.yml:4:17      group "app" {code}
  used       dash/app.json:1:69  dashboard target "Rate"

app_gone_total counter [undefined]
  documented docs/METRICS.md:7:4  counter {}

app_idle gauge [undocumented, unused]
  exported   scrape/app.prom:10:1  scrape target "app" gauge {}

app_latency_seconds histogram [undocumented]
  exported   scrape/app.prom:4:1  scrape target "app" histogram {}
  used       rules.yml:7:57       alert SlowRequests as app_latency_seconds_bucket

app_missing_total [undefined]
  used       rules.yml:9:37  alert AppDown

app_requests_total counter
  exported   scrape/app.prom:1:1  scrape target "app" counter {code}
  documented docs/METRICS.md:5:4  counter {code}
  used       rules.yml:5:35       recording rule app:requests:rate5m

other_thing [unverified]
  used       rules.yml:9:62  alert AppDown

up (made by Prometheus)
  used       rules.yml:9:15  alert AppDown

worker_jobs_total counter
  exported   scrape/worker.om:2:1  scrape target "worker" counter {queue}
  documented docs/METRICS.md:6:4   as worker_jobs counter {queue}
  used       dash/app.json:2:47    dashboard target "Jobs"

9 metrics: 4 exported, 3 documented, 1 recorded, 7 used; 2 undocumented, 1 unused, 2 undefined, 1 unverified
`

func TestTextListsEveryPlaceOfEveryMetric(t *testing.T) {
	inv := inventory.Build(project(t, app))
	var b bytes.Buffer
	if err := inventory.Write(&b, "text", inv); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(appText, b.String()); diff != "" {
		t.Errorf("text inventory (-want +got):\n%s", diff)
	}
}

func TestJSONIsTheStableContract(t *testing.T) {
	inv := inventory.Build(project(t, app))
	var b bytes.Buffer
	if err := inventory.Write(&b, "json", inv); err != nil {
		t.Fatal(err)
	}
	var got struct {
		Version int              `json:"version"`
		Metrics []map[string]any `json:"metrics"`
		Summary map[string]int   `json:"summary"`
	}
	dec := json.NewDecoder(&b)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&got); err != nil {
		t.Fatal(err)
	}
	if got.Version != 1 {
		t.Errorf("version %d, want 1", got.Version)
	}
	wantSummary := map[string]int{"metrics": 9, "exported": 4, "documented": 3, "recorded": 1, "used": 7, "undocumented": 2, "unused": 1, "undefined": 2, "unverified": 1}
	if diff := cmp.Diff(wantSummary, got.Summary); diff != "" {
		t.Errorf("summary (-want +got):\n%s", diff)
	}
	var worker map[string]any
	for _, m := range got.Metrics {
		if m["name"] == "worker_jobs_total" {
			worker = m
		}
	}
	want := map[string]any{
		"name": "worker_jobs_total", "type": "counter", "builtin": false, "covered": true, "notes": []any{},
		"exported": []any{map[string]any{
			"file": "scrape/worker.om", "line": 2.0, "column": 1.0, "target": "worker", "source": false,
			"type": "counter", "labels": []any{"queue"}, "labels_known": true, "help": "Jobs processed.",
		}},
		"documented": []any{map[string]any{
			"file": "docs/METRICS.md", "line": 6.0, "column": 4.0, "as": "worker_jobs", "type": "counter",
			"has_labels": true, "labels": []any{"queue"},
		}},
		"known":    []any{},
		"recorded": []any{},
		"used":     []any{map[string]any{"file": "dash/app.json", "line": 2.0, "column": 47.0, "origin": "dashboard", "owner": "Jobs"}},
	}
	if diff := cmp.Diff(want, worker); diff != "" {
		t.Errorf("worker_jobs_total (-want +got):\n%s", diff)
	}
}

func TestMarkdownIsATableWithEscapedCells(t *testing.T) {
	p := project(t, map[string]string{
		".driftlint.yaml": "rules: [rules.yml]\nexposition:\n  - file: m.prom\n",
		"m.prom":          "# HELP a_total A.\n# TYPE a_total counter\na_total{x=\"1\"} 1\n",
		"rules.yml":       "groups:\n  - name: g\n    rules:\n      - alert: A_or_B|C\n        expr: a_total > 0\n",
	})
	var b bytes.Buffer
	if err := inventory.Write(&b, "markdown", inventory.Build(p)); err != nil {
		t.Fatal(err)
	}
	want := "# Metric inventory\n\n1 metric: 1 exported, 0 documented, 0 recorded, 1 used; 1 undocumented, 0 unused, 0 undefined, 0 unverified.\n\n" +
		"| Metric | Type | Exported | Documented | Recorded | Used | Notes |\n| --- | --- | --- | --- | --- | --- | --- |\n" +
		"| `a_total` | counter | `m.prom:1:1` scrape counter {x} | — | — | `rules.yml:5:15` alert A\\_or\\_B\\|C | undocumented |\n"
	if diff := cmp.Diff(want, b.String()); diff != "" {
		t.Errorf("markdown inventory (-want +got):\n%s", diff)
	}
}

func TestBuildFoldsTheSeriesOfOneMetric(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  map[string][]string // metric → "kind pos [as]" entries
	}{
		{
			name: "merges an OpenMetrics counter and a text counter of the same name",
			files: map[string]string{
				".driftlint.yaml": "exposition:\n  - {file: a.prom, target: a}\n  - {file: b.om, target: b}\nrules: [r.yml]\n",
				"a.prom":          "# TYPE jobs_total counter\njobs_total 1\n",
				"b.om":            "# TYPE jobs counter\njobs_total 2\n# EOF\n",
				"r.yml":           "groups:\n  - name: g\n    rules:\n      - alert: J\n        expr: jobs_total > 0\n",
			},
			want: map[string][]string{"jobs_total": {"exported a.prom:1:1", "exported b.om:1:1", "used r.yml:5:15"}},
		},
		{
			name: "folds histogram series onto the family and says which series was used",
			files: map[string]string{
				".driftlint.yaml": "exposition:\n  - file: m.prom\nrules: [r.yml]\n",
				"m.prom":          "# TYPE lat histogram\nlat_bucket{le=\"+Inf\"} 1\nlat_sum 1\nlat_count 1\n",
				"r.yml":           "groups:\n  - name: g\n    rules:\n      - record: lat:mean\n        expr: lat_sum / lat_count\n",
			},
			want: map[string][]string{
				"lat":      {"exported m.prom:1:1", "used r.yml:5:15 lat_sum", "used r.yml:5:25 lat_count"},
				"lat:mean": {"recorded r.yml:4:17"},
			},
		},
		{
			name: "lists known_metrics entries, folding a known histogram's series",
			files: map[string]string{
				".driftlint.yaml": "known_metrics: [known.txt]\nrules: [r.yml]\n",
				"known.txt":       "# from another team's exporter\nnode_disk_io_seconds histogram\nnode_up\n",
				"r.yml":           "groups:\n  - name: g\n    rules:\n      - alert: N\n        expr: node_up == 0 and on () histogram_quantile(0.9, rate(node_disk_io_seconds_bucket[5m])) > 1\n",
			},
			want: map[string][]string{
				"node_disk_io_seconds": {"known known.txt:2:1", "used r.yml:5:67 node_disk_io_seconds_bucket"},
				"node_up":              {"known known.txt:3:1", "used r.yml:5:15"},
			},
		},
		{
			name: "keeps a metric that is only documented",
			files: map[string]string{
				".driftlint.yaml": "metrics_docs: [M.md]\n",
				"M.md":            "| Metric | Type |\n|---|---|\n| `only_docs_total` | Counter |\n",
			},
			want: map[string][]string{"only_docs_total": {"documented M.md:3:4"}},
		},
		{
			name:  "is empty for an empty project",
			files: map[string]string{".driftlint.yaml": "# nothing\n"},
			want:  map[string][]string{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inv := inventory.Build(project(t, tt.files))
			got := map[string][]string{}
			for _, m := range inv.Metrics {
				var entries []string
				for _, e := range m.Exported {
					entries = append(entries, "exported "+e.At.String())
				}
				for _, k := range m.Known {
					entries = append(entries, strings.TrimSpace("known "+k.At.String()+" "+k.As))
				}
				for _, d := range m.Documented {
					entries = append(entries, strings.TrimSpace("documented "+d.At.String()+" "+d.As))
				}
				for _, r := range m.Recorded {
					entries = append(entries, "recorded "+r.At.String())
				}
				for _, u := range m.Used {
					entries = append(entries, strings.TrimSpace("used "+u.At.String()+" "+u.As))
				}
				got[m.Name] = entries
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("metrics (-want +got):\n%s", diff)
			}
			if inv.Summary.Metrics != len(tt.want) {
				t.Errorf("summary counts %d metrics, want %d", inv.Summary.Metrics, len(tt.want))
			}
		})
	}
}

func TestWriteRejectsAnUnknownFormat(t *testing.T) {
	err := inventory.Write(&bytes.Buffer{}, "yaml", inventory.Inventory{})
	want := `unknown format "yaml" (want one of text, json, markdown)`
	if err == nil || err.Error() != want {
		t.Errorf("error %v, want %q", err, want)
	}
	if err := inventory.Write(&bytes.Buffer{}, "text", inventory.Inventory{}); err != nil {
		t.Errorf("text of an empty inventory: %v", err)
	}
}

func TestInvariantsAreUses(t *testing.T) {
	files := maps.Clone(app)
	files[".driftlint.yaml"] += "invariants:\n  - name: errors within requests\n    expr: sum(rate(app_requests_total{code=\"500\"}[5m])) <= sum(rate(app_requests_total[5m]))\n"
	inv := inventory.Build(project(t, files))
	for _, m := range inv.Metrics {
		if m.Name != "app_requests_total" {
			continue
		}
		var got []string
		for _, u := range m.Used {
			got = append(got, u.At.String()+" "+u.What)
		}
		want := []string{`.driftlint.yaml:11:11 invariant "errors within requests"`, `rules.yml:5:35 recording rule app:requests:rate5m`}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("uses (-want +got):\n%s", diff)
		}
		return
	}
	t.Fatal("app_requests_total is not in the inventory")
}
