package fetch_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/driftlint/driftlint/lint"
	"github.com/driftlint/driftlint/lint/load/fetch"
)

// fakeProm serves the parts of Prometheus' HTTP API that known_metrics reads, and records
// every request.
type fakeProm struct {
	meta   map[string][2]string           // name → type, help
	names  []string                       // /api/v1/label/__name__/values
	series map[string][]map[string]string // name → its series' labels (values included)
	status string                         // "" means success
	mu     sync.Mutex
	reqs   []*http.Request
}

func (f *fakeProm) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.reqs = append(f.reqs, r)
	f.mu.Unlock()
	var data any
	switch strings.TrimPrefix(r.URL.Path, "/prom") {
	case "/api/v1/metadata":
		m := map[string][]map[string]string{}
		for n, th := range f.meta {
			m[n] = []map[string]string{{"type": th[0], "help": th[1], "unit": ""}}
		}
		data = m
	case "/api/v1/label/__name__/values":
		data = f.names
	case "/api/v1/series":
		limit, _ := strconv.Atoi(r.FormValue("limit"))
		out := []map[string]string{}
		for _, m := range r.Form["match[]"] {
			name, err := strconv.Unquote(strings.TrimSuffix(strings.TrimPrefix(m, "{__name__="), "}"))
			if err != nil {
				http.Error(w, `{"status":"error","errorType":"bad_data","error":"bad match"}`, http.StatusBadRequest)
				return
			}
			for _, s := range f.series[name] {
				s = maps.Clone(s)
				s["__name__"] = name
				out = append(out, s)
			}
		}
		if limit > 0 && len(out) > limit {
			out = out[:limit]
		}
		data = out
	default:
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	if f.status != "" {
		fmt.Fprintf(w, `{"status":%q,"errorType":"unavailable","error":"TSDB not ready"}`, f.status)
		return
	}
	_ = json.NewEncoder(w).Encode(map[string]any{"status": "success", "data": data})
}

func (f *fakeProm) requests() []*http.Request {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.reqs)
}

func TestKnownReadsNamesMetadataAndQueriedLabels(t *testing.T) {
	prom := &fakeProm{
		meta: map[string][2]string{
			"node_cpu_seconds_total":        {"counter", "Seconds the CPUs spent in each mode."},
			"http_request_duration_seconds": {"histogram", "Latency."},
		},
		names: []string{"http_request_duration_seconds_bucket", "node_cpu_seconds_total", "up"},
		series: map[string][]map[string]string{
			"node_cpu_seconds_total": {
				{"cpu": "0", "mode": "idle", "instance": "a:9100", "job": "node"},
				{"cpu": "1", "mode": "user", "instance": "b:9100", "job": "node", "secret_team": "x"},
			},
		},
	}
	srv := httptest.NewServer(prom)
	defer srv.Close()
	cfg := config(t, "known_metrics:\n  - url: "+srv.URL+"/prom/?token=s3cr3t\n", nil)
	queried := []string{"node_cpu_seconds_total", "not_served_total", "up"}
	sets, err := fetch.Known(context.Background(), cfg, queried, local())
	if err != nil {
		t.Fatal(err)
	}
	if len(sets) != 1 {
		t.Fatalf("got %d sets, want 1", len(sets))
	}
	set := sets[0]
	want := []fetch.KnownMetric{
		{Name: "http_request_duration_seconds", Type: "histogram", Help: "Latency."},
		{Name: "http_request_duration_seconds_bucket"},
		{Name: "node_cpu_seconds_total", Type: "counter", Help: "Seconds the CPUs spent in each mode.", Labels: []string{"cpu", "instance", "job", "mode", "secret_team"}, LabelsRead: true},
		{Name: "up", Labels: []string{}, LabelsRead: true},
	}
	if d := cmp.Diff(want, set.Metrics); d != "" {
		t.Errorf("metrics (-want +got):\n%s", d)
	}
	if set.URL != srv.URL+"/prom/?token=xxxxx" || len(set.Unread) != 0 {
		t.Errorf("URL %q, unread %v", set.URL, set.Unread)
	}
	var got []string
	for _, r := range prom.requests() {
		q := r.URL.Query()
		line := r.URL.Path + " token=" + q.Get("token")
		if r.URL.Path == "/prom/api/v1/series" {
			line += fmt.Sprintf(" match[]=%q limit=%s", q["match[]"], q.Get("limit"))
		}
		if q.Get("start") != "" {
			start, _ := strconv.ParseInt(q.Get("start"), 10, 64)
			end, _ := strconv.ParseInt(q.Get("end"), 10, 64)
			line += fmt.Sprintf(" range=%ds", end-start)
		}
		got = append(got, line)
	}
	wantReqs := []string{
		"/prom/api/v1/metadata token=s3cr3t",
		"/prom/api/v1/label/__name__/values token=s3cr3t range=3600s",
		`/prom/api/v1/series token=s3cr3t match[]=["{__name__=\"node_cpu_seconds_total\"}" "{__name__=\"up\"}"] limit=10000 range=3600s`,
	}
	if d := cmp.Diff(wantReqs, got); d != "" {
		t.Errorf("requests (-want +got):\n%s", d)
	}
}

func TestKnownBatchesAndBudget(t *testing.T) {
	prom := &fakeProm{series: map[string][]map[string]string{}}
	var queried []string
	for i := range 1000 {
		n := fmt.Sprintf("app_metric_%04d", i)
		prom.names = append(prom.names, n)
		prom.series[n] = []map[string]string{{"job": "app", "shard": strconv.Itoa(i)}}
		queried = append(queried, n)
	}
	srv := httptest.NewServer(prom)
	defer srv.Close()
	cfg := config(t, "known_metrics: [{url: '"+srv.URL+"'}]\n", nil)
	sets, err := fetch.Known(context.Background(), cfg, queried, local())
	if err != nil {
		t.Fatal(err)
	}
	reqs := prom.requests()
	if len(reqs) != fetch.KnownBudget {
		t.Errorf("%d requests, want the budget of %d", len(reqs), fetch.KnownBudget)
	}
	for _, r := range reqs {
		if n := len(r.URL.Query()["match[]"]); n > fetch.KnownBatch {
			t.Errorf("a request has %d match[], want at most %d", n, fetch.KnownBatch)
		}
	}
	set := sets[0]
	read := 0
	for _, m := range set.Metrics {
		if m.LabelsRead {
			read++
			if !slices.Equal(m.Labels, []string{"job", "shard"}) {
				t.Errorf("%s: labels %v", m.Name, m.Labels)
			}
		}
	}
	unread := 1000 - (fetch.KnownBudget-2)*fetch.KnownBatch
	if read != 1000-unread || len(set.Unread) != unread {
		t.Errorf("labels read for %d names and unread for %d, want %d and %d", read, len(set.Unread), 1000-unread, unread)
	}
	if set.Unread[0] != "app_metric_0900" || !strings.Contains(set.Why, "budget of 20 requests") {
		t.Errorf("unread starts at %s, why %q", set.Unread[0], set.Why)
	}
}

func TestKnownSeriesLimitLeavesLabelsUnread(t *testing.T) {
	prom := &fakeProm{names: []string{"big_info", "small_info"}, series: map[string][]map[string]string{}}
	for i := range fetch.KnownSeriesLimit {
		prom.series["big_info"] = append(prom.series["big_info"], map[string]string{"pod": strconv.Itoa(i)})
	}
	srv := httptest.NewServer(prom)
	defer srv.Close()
	cfg := config(t, "known_metrics: [{url: '"+srv.URL+"'}]\n", nil)
	sets, err := fetch.Known(context.Background(), cfg, []string{"big_info", "small_info"}, local())
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([]string{"big_info", "small_info"}, sets[0].Unread); d != "" || !strings.Contains(sets[0].Why, "limit of 10000 series") {
		t.Errorf("unread (-want +got):\n%s\nwhy %q", d, sets[0].Why)
	}
}

func TestKnownFailures(t *testing.T) {
	down := &fakeProm{status: "error"}
	srv := httptest.NewServer(down)
	defer srv.Close()
	notFound := httptest.NewServer(http.NotFoundHandler())
	defer notFound.Close()
	tests := []struct {
		name string
		url  string
		opts fetch.Options
		want string
	}{
		{
			name: "an API status other than success is an error",
			url:  srv.URL + "?token=s3cr3t",
			opts: local(),
			want: `known_metrics ` + srv.URL + `/api/v1/metadata?token=xxxxx: the API answered status "error": unavailable: TSDB not ready`,
		},
		{
			name: "an HTTP error is an error",
			url:  notFound.URL,
			opts: local(),
			want: `known_metrics ` + notFound.URL + `/api/v1/metadata: HTTP 404 Not Found`,
		},
		{
			name: "an unreachable API is an error",
			url:  closedURL(t),
			opts: local(),
			want: `/api/v1/metadata: connection refused`,
		},
		{
			name: "a url the command line does not allow is a config error",
			url:  srv.URL,
			opts: fetch.Options{},
			want: `.driftlint.yaml:2:10: url ` + srv.URL + ` is not allowed: pass --allow-net 127.0.0.1:`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(down.requests())
			cfg := config(t, "known_metrics:\n  - url: "+tt.url+"\n", nil)
			_, err := fetch.Known(context.Background(), cfg, nil, tt.opts)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want it to contain %q", err, tt.want)
			}
			if strings.Contains(err.Error(), "s3cr3t") {
				t.Errorf("the error shows the token: %v", err)
			}
			if _, ok := errors.AsType[*lint.ConfigError](err); ok && len(down.requests()) != before {
				t.Errorf("a request was made although the url is not allowed")
			}
		})
	}
}
