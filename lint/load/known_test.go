package load

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/driftlint/driftlint/lint"
)

func TestParseKnownMetrics(t *testing.T) {
	tests := []struct {
		name  string
		src   string
		want  []string // name type line:col
		probs []string // line:col message
	}{
		{
			name: "reads a list of names with comments and optional types",
			src:  "# collectors the saved scrape ran without\nnode_filesystem_avail_bytes gauge\n\n  node_uname_info   # uname\nhttp_request_duration_seconds histogram\n",
			want: []string{"node_filesystem_avail_bytes gauge 2:1", "node_uname_info  4:3", "http_request_duration_seconds histogram 5:1"},
		},
		{
			name:  "reports a line that is not a name and keeps the others",
			src:   "up\nnode_load1 gauge extra\nfoo{job=\"x\"}\nnode_load5 sometype\nnode_load15\n",
			want:  []string{"up  1:1", "node_load15  5:1"},
			probs: []string{"2:1 want a metric name optionally followed by its type (counter, gauge, histogram, summary, …), got \"node_load1 gauge extra\"", "3:1 \"foo{job=\\\"x\\\"}\" is not a metric name (want a name, optionally followed by its type)", "4:1 want a metric name optionally followed by its type (counter, gauge, histogram, summary, …), got \"node_load5 sometype\""},
		},
		{
			name: "reads a saved label values response",
			src:  "{\"status\":\"success\",\"data\":[\"up\",\n  \"node_cpu_seconds_total\",\"kube.pod.phase\"]}\n",
			want: []string{"up  1:30", "node_cpu_seconds_total  2:4", "kube.pod.phase  2:29"},
		},
		{
			name: "reads a saved metadata response with each family's type",
			src: `{
  "status": "success",
  "data": {
    "prometheus_http_requests_total": [{"type": "counter", "help": "Counter of HTTP requests.", "unit": ""}],
    "apiserver_request_duration_seconds": [{"type": "histogram", "help": "x", "unit": ""}, {"type": "gauge"}],
    "weird": [{"type": "unknown"}],
    "odd": {}
  }
}`,
			want: []string{"prometheus_http_requests_total counter 4:6", "apiserver_request_duration_seconds histogram 5:6", "weird  6:6", "odd  7:6"},
		},
		{
			name: "reads a bare JSON array of names",
			src:  `["a_total", 3, {"x": [1]}, "b"]`,
			want: []string{"a_total  1:3", "b  1:29"},
		},
		{
			name:  "reports an error response",
			src:   `{"status":"error","errorType":"bad_data","error":"x"}`,
			probs: []string{"1:11 known_metrics: the saved response is an error response"},
		},
		{
			name:  "reports JSON of another shape",
			src:   `{"status":"success","result":[]}`,
			probs: []string{"1:1 known_metrics: want a saved /api/v1/label/__name__/values or /api/v1/metadata response, a snapshot, or a JSON array of metric names"},
		},
		{
			name:  "reports truncated JSON where it ends",
			src:   "{\"data\": [\"up\",",
			want:  []string{"up  1:12"},
			probs: []string{"1:16 known_metrics: unexpected EOF"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := lint.NewSourceFile("known.txt", []byte(tt.src))
			known, probs := ParseKnownMetrics(f)
			var got []string
			for _, k := range known {
				got = append(got, k.Name+" "+k.Type+" "+trimFile(k.At))
			}
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("known metrics (-want +got):\n%s", d)
			}
			var gotProbs []string
			for _, p := range probs {
				gotProbs = append(gotProbs, trimFile(p.At)+" "+p.Message)
			}
			if d := cmp.Diff(tt.probs, gotProbs); d != "" {
				t.Errorf("problems (-want +got):\n%s", d)
			}
		})
	}
}

func trimFile(p lint.Pos) string { return p.String()[len(p.File)+1:] }

func TestKnownMetricsAreDefined(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		".driftlint.yaml":  "rules: [alerts.yml]\nexposition: [{file: metrics.prom}]\nknown_metrics: [known/*.txt, known/missing.json]\n",
		"alerts.yml":       "groups:\n- name: g\n  rules:\n  - alert: A\n    expr: node_filesystem_avail_bytes < 1 and histogram_quantile(0.9, rate(node_disk_seconds_bucket[5m])) > 1\n",
		"metrics.prom":     "# TYPE node_load1 gauge\nnode_load1 1\n",
		"known/fs.txt":     "# the filesystem collector was off in the saved scrape\nnode_filesystem_avail_bytes gauge\nnode_disk_seconds histogram\n",
		"known/broken.txt": "node_ok\nnot a name at all\n",
	}
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
	p, err := Project(cfg, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, name := range []string{"node_filesystem_avail_bytes", "node_disk_seconds_bucket", "node_disk_seconds_count", "node_ok", "node_load1", "node_filesystem_size_bytes"} {
		d, ok := p.Lookup(name)
		got = append(got, name+" "+defKind(d, ok)+" "+d.At.String())
	}
	want := []string{
		"node_filesystem_avail_bytes known known/fs.txt:2:1",
		"node_disk_seconds_bucket known known/fs.txt:3:1",
		"node_disk_seconds_count known known/fs.txt:3:1",
		"node_ok known known/broken.txt:1:1",
		"node_load1 exported metrics.prom:1:1",
		"node_filesystem_size_bytes undefined ",
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("definitions (-want +got):\n%s", d)
	}
	var probs []string
	for _, pp := range p.ParseProblems {
		probs = append(probs, pp.At.String()+" "+pp.Message)
	}
	wantProbs := []string{
		`known/broken.txt:2:1 want a metric name optionally followed by its type (counter, gauge, histogram, summary, …), got "not a name at all"`,
	}
	if d := cmp.Diff(wantProbs, probs); d != "" {
		t.Errorf("problems (-want +got):\n%s", d)
	}
	var empty []string
	for _, pp := range p.Empty {
		empty = append(empty, pp.At.String()+" "+pp.Message)
	}
	wantEmpty := []string{`.driftlint.yaml:3:30 known_metrics glob "known/missing.json" matches no file, so nothing of it is checked`}
	if d := cmp.Diff(wantEmpty, empty); d != "" {
		t.Errorf("empty inputs (-want +got):\n%s", d)
	}
	if p.File("known/fs.txt") == nil {
		t.Errorf("known/fs.txt is not among the project's files")
	}
}

func defKind(d lint.MetricDef, ok bool) string {
	switch {
	case !ok:
		return "undefined"
	case d.Kind == lint.DefKnown:
		return "known"
	case d.Kind == lint.DefExported:
		return "exported"
	}
	return "other"
}
