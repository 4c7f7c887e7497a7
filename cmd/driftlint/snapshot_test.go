package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// fakePrometheus serves the API paths a known_metrics url entry reads.
func fakePrometheus(t *testing.T) *httptest.Server {
	t.Helper()
	labels := map[string][]string{
		"node_cpu_seconds_total": {"cpu", "instance", "job", "mode"},
		"node_load1":             {"instance", "job"},
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var data any
		switch r.URL.Path {
		case "/api/v1/metadata":
			data = map[string][]map[string]string{
				"node_cpu_seconds_total": {{"type": "counter", "help": "Seconds the CPUs spent in each mode."}},
				"node_load1":             {{"type": "gauge", "help": "1m load average."}},
			}
		case "/api/v1/label/__name__/values":
			data = []string{"node_load1", "node_cpu_seconds_total"}
		case "/api/v1/series":
			out := []map[string]string{}
			for _, m := range r.URL.Query()["match[]"] {
				name, _ := strconv.Unquote(strings.TrimSuffix(strings.TrimPrefix(m, "{__name__="), "}"))
				s := map[string]string{"__name__": name}
				for _, l := range labels[name] {
					s[l] = "value-never-saved"
				}
				out = append(out, s)
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

func TestSnapshotRoundTripThroughCheck(t *testing.T) {
	srv := fakePrometheus(t)
	alerts := `groups:
- name: node
  rules:
  - alert: CPUIdle
    expr: rate(node_cpu_seconds_total{mode="idle"}[5m]) < 0.1
  - alert: Typo
    expr: node_cpu_seconds_totl > 0
  - alert: BadLabel
    expr: sum by (cpuu) (rate(node_cpu_seconds_total[5m])) > 1
  - alert: RateOnGauge
    expr: rate(node_load1[5m]) > 1
`
	dir := tree(t, map[string]string{
		".driftlint.yaml": "rules: [alerts.yml]\nknown_metrics:\n  - url: " + srv.URL + "\n",
		"ci.yaml":         "rules: [alerts.yml]\nknown_metrics: [known.json]\n",
		"alerts.yml":      alerts,
	})
	findings := func(out string) []string {
		var got []string
		re := regexp.MustCompile(`alerts\.yml:\d+:\d+: .*\((metric/unknown|label/unknown|promql/rate-on-gauge)\)$`)
		for line := range strings.SplitSeq(out, "\n") {
			if m := re.FindString(line); m != "" {
				got = append(got, m)
			}
		}
		return got
	}

	code, _, stderr := runCLI(t, "check", dir)
	if code != 2 || !strings.Contains(stderr, "--allow-net 127.0.0.1") {
		t.Fatalf("check without --allow-net: exit %d, stderr %q; want 2 naming --allow-net", code, stderr)
	}
	code, live, stderr := runCLI(t, "check", "--allow-net", "127.0.0.1", dir)
	if code != 1 {
		t.Fatalf("check --allow-net: exit %d, want 1\n%s%s", code, live, stderr)
	}
	want := findings(live)
	if len(want) != 3 {
		t.Fatalf("want a metric/unknown, a label/unknown and a rate-on-gauge finding live, got %q\n%s", want, live)
	}
	for _, w := range []string{"node_cpu_seconds_totl", `"cpuu"`, "rate-on-gauge"} {
		if !strings.Contains(strings.Join(want, "\n"), w) {
			t.Errorf("no live finding names %s:\n%s", w, strings.Join(want, "\n"))
		}
	}

	if code, _, stderr := runCLI(t, "snapshot", dir); code != 2 || !strings.Contains(stderr, "-o FILE is required") {
		t.Errorf("snapshot without -o: exit %d, stderr %q", code, stderr)
	}
	if code, _, stderr := runCLI(t, "snapshot", "-o", "-", dir); code != 2 || !strings.Contains(stderr, "--allow-net 127.0.0.1") {
		t.Errorf("snapshot without --allow-net: exit %d, stderr %q", code, stderr)
	}
	if code, _, stderr := runCLI(t, "snapshot", "--config", filepath.Join(dir, "ci.yaml"), "-o", "-", dir); code != 2 || !strings.Contains(stderr, "no known_metrics url entry") {
		t.Errorf("snapshot of a config without url entries: exit %d, stderr %q", code, stderr)
	}
	known := filepath.Join(dir, "known.json")
	if code, out, stderr := runCLI(t, "snapshot", "--allow-net", "127.0.0.1", "-o", known, dir); code != 0 {
		t.Fatalf("snapshot: exit %d\n%s%s", code, out, stderr)
	}
	saved := readFile(t, known)
	if strings.Contains(saved, "value-never-saved") {
		t.Errorf("the snapshot holds label values:\n%s", saved)
	}
	code, stdout, stderr := runCLI(t, "snapshot", "--allow-net", "127.0.0.1", "-o", "-", dir)
	if code != 0 || stdout != saved {
		t.Errorf("snapshot -o -: exit %d, stderr %q; the bytes differ from the saved file:\n%s", code, stderr, cmp.Diff(saved, stdout))
	}
	wantFile := `{
  "version": 1,
  "covers": [
    "node_*"
  ],
  "metrics": [
    {
      "name": "node_cpu_seconds_total",
      "type": "counter",
      "help": "Seconds the CPUs spent in each mode.",
      "labels": [
        "cpu",
        "instance",
        "job",
        "mode"
      ]
    },
    {
      "name": "node_load1",
      "type": "gauge",
      "help": "1m load average.",
      "labels": [
        "instance",
        "job"
      ]
    }
  ]
}
`
	if d := cmp.Diff(wantFile, saved); d != "" {
		t.Errorf("snapshot file (-want +got):\n%s", d)
	}

	// In CI: the snapshot instead of the url, no network.
	code, offline, stderr := runCLI(t, "check", "--config", filepath.Join(dir, "ci.yaml"), dir)
	if code != 1 {
		t.Fatalf("check with the snapshot: exit %d, want 1\n%s%s", code, offline, stderr)
	}
	if d := cmp.Diff(want, findings(offline)); d != "" {
		t.Errorf("findings with the snapshot differ from the live ones (-live +snapshot):\n%s", d)
	}
}
