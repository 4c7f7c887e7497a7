package fetch_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"log"
	"maps"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/driftlint/driftlint/lint"
	"github.com/driftlint/driftlint/lint/load/fetch"
)

const metricsText = "# HELP up_total Whether it is up\n# TYPE up_total counter\nup_total 1\n"

// config writes files into a new folder and parses src as its .driftlint.yaml.
func config(t *testing.T, src string, files map[string]string) *lint.Config {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	cfg, err := lint.ParseConfig(".driftlint.yaml", dir, []byte(src))
	if err != nil {
		t.Fatalf("config: %v", err)
	}
	return cfg
}

// local allows the hosts given (by default 127.0.0.1, where httptest servers listen).
func local(allow ...string) fetch.Options {
	if len(allow) == 0 {
		allow = []string{"127.0.0.1"}
	}
	a, err := fetch.ParseAllowNet(allow)
	if err != nil {
		panic(err)
	}
	return fetch.Options{AllowNet: a}
}

// readIn is a ReadFile for fetch.Options that reads the config's paths in dir and records
// them.
func readIn(dir string, read *[]string) func(string) ([]byte, error) {
	var mu sync.Mutex
	return func(name string) ([]byte, error) {
		mu.Lock()
		*read = append(*read, name)
		mu.Unlock()
		return os.ReadFile(filepath.Join(dir, filepath.FromSlash(name)))
	}
}

// env is local() with a fake environment for credentials_env and friends.
func env(vars map[string]string) fetch.Options {
	o := local()
	o.LookupEnv = func(k string) (string, bool) { v, ok := vars[k]; return v, ok }
	return o
}

// closedURL is a URL on a port where nothing listens.
func closedURL(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return "http://" + addr
}

// waitOrDone sleeps for d, or less when the client has gone away.
func waitOrDone(r *http.Request, d time.Duration) {
	select {
	case <-r.Context().Done():
	case <-time.After(d):
	}
}

// secrets are the credentials of the fault tests; none may appear in any error.
const (
	bearerToken  = "bearer-T0KEN-never-printed"
	basicPass    = "basic-PASSW0RD-never-printed"
	urlPass      = "url-PASS-never-printed"
	queryToken   = "query-T0KEN-never-printed"
	headerSecret = "header-SECRET-never-printed"
)

func TestFaults(t *testing.T) {
	tests := []struct {
		name    string
		handler http.HandlerFunc // nil: a closed port
		entry   string           // extra keys of the url entry
		path    string           // appended to the server URL; default /metrics
		health  bool             // a health entry instead of an exposition entry
		want    string           // regexp for the whole error text, after "scrape URL: "
		timeout string           // the entry's timeout; default 10s, so a loaded CI machine cannot fail a case that is not about time
	}{
		{
			name: "times out when the server sends no response",
			handler: func(w http.ResponseWriter, r *http.Request) {
				waitOrDone(r, 3*time.Second)
			},
			timeout: "200ms",
			want:    `timeout after 200ms`,
		},
		{
			name: "times out when the body trickles in past the timeout",
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/plain; version=0.0.4")
				for i := range 60 {
					fmt.Fprintf(w, "trickle_%d 1\n", i)
					w.(http.Flusher).Flush()
					waitOrDone(r, 50*time.Millisecond)
					if r.Context().Err() != nil {
						return
					}
				}
			},
			timeout: "200ms",
			want:    `timeout after 200ms`,
		},
		{
			name: "reports an HTTP 500",
			handler: func(w http.ResponseWriter, r *http.Request) {
				http.Error(w, "boom "+r.Header.Get("Authorization"), http.StatusInternalServerError)
			},
			want: `HTTP 500 Internal Server Error`,
		},
		{
			name: "reports a refused connection",
			want: `connection refused`,
		},
		{
			name: "reports a body shorter than its Content-Length",
			handler: func(w http.ResponseWriter, r *http.Request) {
				conn, buf, err := w.(http.Hijacker).Hijack()
				if err != nil {
					return
				}
				defer conn.Close()
				fmt.Fprintf(buf, "HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4\r\nContent-Length: 1000\r\n\r\n%s", metricsText)
				buf.Flush()
			},
			want: fmt.Sprintf(`body truncated after %d of 1000 bytes`, len(metricsText)),
		},
		{
			name:  "refuses a body over max_body_size announced by Content-Length",
			entry: "max_body_size: 1KiB",
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/plain")
				w.Header().Set("Content-Length", "4096")
				_, _ = w.Write(bytes.Repeat([]byte("# padding padding padding padd\n"), 128))
			},
			want: `body larger than 1 KiB \(Content-Length 4096; raise max_body_size to read it\)`,
		},
		{
			name:  "refuses a streamed body over max_body_size",
			entry: "max_body_size: 1KiB",
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/plain")
				for range 128 {
					_, _ = w.Write([]byte("# padding padding padding padd\n"))
					w.(http.Flusher).Flush()
				}
			},
			want: `body larger than 1 KiB \(raise max_body_size to read it\)`,
		},
		{
			name:  "refuses a gzip body that inflates past max_body_size",
			entry: "max_body_size: 1KiB",
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/plain")
				w.Header().Set("Content-Encoding", "gzip")
				zw := gzip.NewWriter(w)
				_, _ = zw.Write(bytes.Repeat([]byte("# padding\n"), 10000))
				zw.Close()
			},
			want: `body larger than 1 KiB \(raise max_body_size to read it\)`,
		},
		{
			name: "refuses an HTML page",
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/html; charset=utf-8")
				fmt.Fprint(w, "<html>login</html>")
			},
			want: `unexpected content type "text/html" \(want the Prometheus text format or OpenMetrics\)`,
		},
		{
			name:   "refuses an HTML page for a health sample",
			health: true,
			path:   "/health",
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/html")
				fmt.Fprint(w, "<html>login</html>")
			},
			want: `unexpected content type "text/html" \(want application/json\)`,
		},
		{
			name:  "reports a rejected bearer token",
			entry: "authorization: {credentials_env: METRICS_TOKEN}",
			handler: func(w http.ResponseWriter, r *http.Request) {
				if r.Header.Get("Authorization") != "Bearer right-token" {
					http.Error(w, "no", http.StatusUnauthorized)
					return
				}
				fmt.Fprint(w, metricsText)
			},
			want: `HTTP 401 Unauthorized \(check the entry's authorization or basic_auth\)`,
		},
		{
			name:  "reports a rejected basic auth password",
			entry: "basic_auth: {username: prom, password_env: METRICS_PASSWORD}",
			handler: func(w http.ResponseWriter, r *http.Request) {
				http.Error(w, "no", http.StatusForbidden)
			},
			want: `HTTP 403 Forbidden \(check the entry's authorization or basic_auth\)`,
		},
		{
			name:  "reports a credentials variable that is not set",
			entry: "authorization: {credentials_env: DRIFTLINT_UNSET_VARIABLE}",
			handler: func(w http.ResponseWriter, r *http.Request) {
				fmt.Fprint(w, metricsText)
			},
			want: `authorization credentials: environment variable DRIFTLINT_UNSET_VARIABLE is not set`,
		},
		{
			name: "reports a server that closes without answering",
			handler: func(w http.ResponseWriter, r *http.Request) {
				conn, _, err := w.(http.Hijacker).Hijack()
				if err == nil {
					conn.Close()
				}
			},
			want: `the server closed the connection without a response`,
		},
		{
			name: "reports a body that is not gzip though it says so",
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/plain")
				w.Header().Set("Content-Encoding", "gzip")
				fmt.Fprint(w, metricsText)
			},
			want: `bad gzip body: gzip: invalid header`,
		},
		{
			name: "refuses an encoding it did not ask for",
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/plain")
				w.Header().Set("Content-Encoding", "br")
				fmt.Fprint(w, metricsText)
			},
			want: `unsupported content encoding "br"`,
		},
	}
	vars := map[string]string{"METRICS_TOKEN": bearerToken, "METRICS_PASSWORD": basicPass, "API_KEY": headerSecret}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			base := ""
			if tt.handler == nil {
				base = closedURL(t)
			} else {
				srv := httptest.NewServer(tt.handler)
				t.Cleanup(srv.Close)
				base = srv.URL
			}
			// Every entry carries secrets in its URL and a secret header, to check that no
			// failure ever prints them.
			withSecrets := strings.Replace(base, "http://", "http://prom:"+urlPass+"@", 1) + cmpOr(tt.path, "/metrics") + "?token=" + queryToken
			display := base + cmpOr(tt.path, "/metrics") + "?token=xxxxx"
			list := "exposition"
			if tt.health {
				list = "health"
			}
			entry := "  - url: " + withSecrets + "\n    timeout: " + cmpOr(tt.timeout, "10s") + "\n    headers: {X-Api-Key: {env: API_KEY}}\n"
			if tt.entry != "" {
				entry += "    " + tt.entry + "\n"
			}
			cfg := config(t, list+":\n"+entry, nil)

			start := time.Now()
			_, err := fetch.All(context.Background(), cfg, env(vars))
			elapsed := time.Since(start)
			if err == nil {
				t.Fatal("no error")
			}
			want := "^scrape " + regexp.QuoteMeta(display) + ": " + tt.want + "$"
			if !regexp.MustCompile(want).MatchString(err.Error()) {
				t.Errorf("error\n got: %s\nwant: %s", err, want)
			}
			if elapsed > 5*time.Second {
				t.Errorf("took %s", elapsed)
			}
			for _, s := range []string{bearerToken, basicPass, urlPass, queryToken, headerSecret} {
				if strings.Contains(err.Error(), s) {
					t.Errorf("error shows a secret: %s", err)
				}
			}
			if _, ok := errors.AsType[*fetch.Error](err); !ok {
				t.Errorf("error is a %T", err)
			}

			// The same failure with required: false is a problem at the entry.
			cfg.Exposition = setOptional(cfg.Exposition)
			for i := range cfg.Health {
				cfg.Health[i].Required = false
			}
			res, err := fetch.All(context.Background(), cfg, env(vars))
			if err != nil {
				t.Fatalf("optional entry: %v", err)
			}
			if len(res.Problems) != 1 || res.Problems[0].At.String() != ".driftlint.yaml:2:5" ||
				!regexp.MustCompile("^scrape failed: "+regexp.QuoteMeta(display)+": "+tt.want+"$").MatchString(res.Problems[0].Message) {
				t.Errorf("optional entry: got problems %v", res.Problems)
			}
		})
	}
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func setOptional(es []lint.ExpositionSource) []lint.ExpositionSource {
	for i := range es {
		es[i].Required = false
	}
	return es
}

// twoScrapes serves the two saved dashstream scrapes in turn, and its health sample.
type twoScrapes struct {
	t       *testing.T
	scrapes [][]byte
	health  []byte
	n       atomic.Int64
	mu      sync.Mutex
	reqs    []*http.Request
}

func newTwoScrapes(t *testing.T) *twoScrapes {
	t.Helper()
	read := func(p string) []byte {
		b, err := os.ReadFile(filepath.Join("..", "..", "..", "fixtures", "dashstream", "broken", filepath.FromSlash(p)))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	return &twoScrapes{
		t:       t,
		scrapes: [][]byte{read("scrape/metrics-1.prom"), read("scrape/metrics-2.prom")},
		health:  read("health/health.json"),
	}
}

func (s *twoScrapes) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.reqs = append(s.reqs, r)
	s.mu.Unlock()
	switch r.URL.Path {
	case "/metrics":
		n := s.n.Add(1) - 1
		w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
		_, _ = w.Write(s.scrapes[n%2])
	case "/health":
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(s.health)
	default:
		http.NotFound(w, r)
	}
}

func TestTwoScrapes(t *testing.T) {
	s := newTwoScrapes(t)
	srv := httptest.NewServer(s)
	defer srv.Close()
	cfg := config(t, fmt.Sprintf(`exposition:
  - url: %s/metrics
    scrapes: 2
    interval: 100ms
    headers: {X-Scope-OrgID: tenant-1}
health:
  - url: %s/health
`, srv.URL, srv.URL), nil)
	res, err := fetch.All(context.Background(), cfg, local())
	if err != nil {
		t.Fatal(err)
	}
	type scrape struct {
		File, URL, Target string
		Index             int
		Src               string
		Families          int
	}
	var got []scrape
	for _, e := range res.Expositions[0] {
		got = append(got, scrape{e.File.Path, e.URL, e.Target, e.Index, string(e.File.Src), len(e.Families)})
	}
	want := []scrape{
		{srv.URL + "/metrics#1", srv.URL + "/metrics", srv.URL + "/metrics", 0, string(s.scrapes[0]), len(res.Expositions[0][0].Families)},
		{srv.URL + "/metrics#2", srv.URL + "/metrics", srv.URL + "/metrics", 1, string(s.scrapes[1]), len(res.Expositions[0][0].Families)},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if n := len(res.Expositions[0][0].Families); n < 20 {
		t.Errorf("only %d families", n)
	}
	if e := res.Expositions[0]; len(e) == 2 && (e[0].TimeMs != 0 || e[1].TimeMs < 90 || e[1].TimeMs > 5000) {
		t.Errorf("times %d, %d ms", e[0].TimeMs, e[1].TimeMs)
	}
	if h := res.Health[0]; h == nil || h.File.Path != srv.URL+"/health#1" || h.Value == nil || len(h.Paths) == 0 {
		t.Errorf("health: %+v", h)
	}
	var files []string
	for _, f := range res.Files {
		files = append(files, f.Path)
	}
	if diff := cmp.Diff([]string{srv.URL + "/metrics#1", srv.URL + "/metrics#2", srv.URL + "/health#1"}, files); diff != "" {
		t.Errorf("files (-want +got):\n%s", diff)
	}
	if len(res.Problems) != 0 {
		t.Errorf("problems: %v", res.Problems)
	}
	var r *http.Request
	for _, req := range s.reqs {
		if req.URL.Path == "/metrics" {
			r = req
			break
		}
	}
	gotHeaders := []string{r.Header.Get("Accept"), r.Header.Get("Accept-Encoding"), r.Header.Get("X-Prometheus-Scrape-Timeout-Seconds"), r.Header.Get("X-Scope-OrgID"), r.Header.Get("User-Agent")}
	wantHeaders := []string{fetch.AcceptExposition, "gzip", "10", "tenant-1", "driftlint"}
	if diff := cmp.Diff(wantHeaders, gotHeaders); diff != "" {
		t.Errorf("request headers (-want +got):\n%s", diff)
	}
}

func TestSuccess(t *testing.T) {
	const om = "# TYPE jobs counter\n# HELP jobs Jobs done.\njobs_total{queue=\"a\"} 3\njobs_created{queue=\"a\"} 1.7e9\n# TYPE queue_bytes gauge\n# UNIT queue_bytes bytes\nqueue_bytes 12\n# EOF\n"
	gz := func(s string) []byte {
		var b bytes.Buffer
		zw := gzip.NewWriter(&b)
		_, _ = zw.Write([]byte(s))
		zw.Close()
		return b.Bytes()
	}
	tests := []struct {
		name    string
		handler http.HandlerFunc
		tls     bool
		entry   string            // extra keys of the entry; CA is replaced by the CA file
		files   map[string]string // files next to the config
		env     map[string]string
		want    []string // family name:type, in file order
		probs   []string
	}{
		{
			name: "reads the text format",
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
				fmt.Fprint(w, metricsText)
			},
			want: []string{"up_total:counter"},
		},
		{
			name: "reads a response without a Content-Type as the text format",
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header()["Content-Type"] = nil
				fmt.Fprint(w, metricsText)
			},
			want: []string{"up_total:counter"},
		},
		{
			name: "reads OpenMetrics",
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/openmetrics-text; version=1.0.0; charset=utf-8")
				fmt.Fprint(w, om)
			},
			want: []string{"jobs:counter", "queue_bytes:gauge"},
		},
		{
			name: "reads OpenMetrics without # EOF as OpenMetrics, and reports the missing # EOF",
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/openmetrics-text; version=1.0.0")
				// Read as the text format, the counter family jobs would not own jobs_total,
				// and the timestamp in seconds would not parse.
				fmt.Fprint(w, "# TYPE jobs counter\njobs_total 3 1700000000.5\n# TYPE queue_bytes gauge\nqueue_bytes 12\n")
			},
			want:  []string{"jobs:counter", "queue_bytes:gauge"},
			probs: []string{`5:1: openmetrics exposition does not end with # EOF`},
		},
		{
			name: "inflates a gzip body",
			handler: func(w http.ResponseWriter, r *http.Request) {
				if !strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
					http.Error(w, "gzip only", http.StatusNotAcceptable)
					return
				}
				w.Header().Set("Content-Type", "text/plain; version=0.0.4")
				w.Header().Set("Content-Encoding", "gzip")
				_, _ = w.Write(gz(metricsText))
			},
			want: []string{"up_total:counter"},
		},
		{
			name:  "sends a bearer token from an environment variable",
			entry: "authorization: {type: Bearer, credentials_env: METRICS_TOKEN}",
			env:   map[string]string{"METRICS_TOKEN": " " + bearerToken + "\n"},
			handler: func(w http.ResponseWriter, r *http.Request) {
				if r.Header.Get("Authorization") != "Bearer "+bearerToken {
					http.Error(w, "no", http.StatusUnauthorized)
					return
				}
				fmt.Fprint(w, metricsText)
			},
			want: []string{"up_total:counter"},
		},
		{
			name:  "sends a token of another type from a file",
			entry: "authorization: {type: Token, credentials_file: secrets/token}",
			files: map[string]string{"secrets/token": bearerToken + "\n"},
			handler: func(w http.ResponseWriter, r *http.Request) {
				if r.Header.Get("Authorization") != "Token "+bearerToken {
					http.Error(w, "no", http.StatusUnauthorized)
					return
				}
				fmt.Fprint(w, metricsText)
			},
			want: []string{"up_total:counter"},
		},
		{
			name:  "sends basic auth with a password from a file",
			entry: "basic_auth: {username: prom, password_file: secrets/pw}",
			files: map[string]string{"secrets/pw": basicPass},
			handler: func(w http.ResponseWriter, r *http.Request) {
				if u, p, ok := r.BasicAuth(); !ok || u != "prom" || p != basicPass {
					http.Error(w, "no", http.StatusUnauthorized)
					return
				}
				fmt.Fprint(w, metricsText)
			},
			want: []string{"up_total:counter"},
		},
		{
			name:  "sends a header secret from a file",
			entry: "headers: {X-Api-Key: {file: secrets/key}, X-Plain: yes}",
			files: map[string]string{"secrets/key": headerSecret + "\n"},
			handler: func(w http.ResponseWriter, r *http.Request) {
				if r.Header.Get("X-Api-Key") != headerSecret || r.Header.Get("X-Plain") != "yes" {
					http.Error(w, "no", http.StatusUnauthorized)
					return
				}
				fmt.Fprint(w, metricsText)
			},
			want: []string{"up_total:counter"},
		},
		{
			name:  "trusts a server certificate signed by ca_file",
			tls:   true,
			entry: "tls_config: {ca_file: ca.pem}",
			handler: func(w http.ResponseWriter, r *http.Request) {
				fmt.Fprint(w, metricsText)
			},
			want: []string{"up_total:counter"},
		},
		{
			name:  "skips verification when told to",
			tls:   true,
			entry: "tls_config: {insecure_skip_verify: true}",
			handler: func(w http.ResponseWriter, r *http.Request) {
				fmt.Fprint(w, metricsText)
			},
			want: []string{"up_total:counter"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var srv *httptest.Server
			if tt.tls {
				srv = httptest.NewTLSServer(tt.handler)
			} else {
				srv = httptest.NewServer(tt.handler)
			}
			defer srv.Close()
			files := map[string]string{}
			maps.Copy(files, tt.files)
			if strings.Contains(tt.entry, "ca.pem") {
				files["ca.pem"] = string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}))
			}
			src := "exposition:\n  - url: " + srv.URL + "/metrics\n    timeout: 2s\n"
			if tt.entry != "" {
				src += "    " + tt.entry + "\n"
			}
			cfg := config(t, src, files)
			o := env(tt.env)
			var read []string
			o.ReadFile = readIn(cfg.Dir, &read)
			res, err := fetch.All(context.Background(), cfg, o)
			if err != nil {
				t.Fatal(err)
			}
			// Every file the entry names, and only those, went through ReadFile.
			slices.Sort(read)
			if diff := cmp.Diff(slices.Sorted(maps.Keys(files)), read, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("files read (-want +got):\n%s", diff)
			}
			var got []string
			e := res.Expositions[0][0]
			for _, name := range e.Order {
				got = append(got, name+":"+e.Families[name].Type)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("families (-want +got):\n%s", diff)
			}
			var probs []string
			for _, p := range res.Problems {
				probs = append(probs, fmt.Sprintf("%d:%d: %s", p.At.Line, p.At.Col, p.Message))
			}
			if diff := cmp.Diff(tt.probs, probs); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
		})
	}
}

func TestTLSWithoutCA(t *testing.T) {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, metricsText) }))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshake
	srv.StartTLS()
	defer srv.Close()
	cfg := config(t, "exposition:\n  - url: "+srv.URL+"/metrics\n    timeout: 2s\n", nil)
	_, err := fetch.All(context.Background(), cfg, local())
	want := "scrape " + srv.URL + "/metrics: tls: certificate signed by unknown authority (set tls_config.ca_file)"
	if err == nil || err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}
}

func TestInterrupt(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, metricsText) }))
	defer srv.Close()
	cfg := config(t, "exposition:\n  - url: "+srv.URL+"/metrics\n    scrapes: 3\n    interval: 1m\n    required: false\n", nil)
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(200*time.Millisecond, cancel)
	start := time.Now()
	_, err := fetch.All(ctx, cfg, local())
	if err == nil || err.Error() != "scrape "+srv.URL+"/metrics: interrupted" || !errors.Is(err, context.Canceled) {
		t.Errorf("got %v", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %s", d)
	}
}

func TestRequiredFailureStopsOtherTargets(t *testing.T) {
	ok := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, metricsText) }))
	defer ok.Close()
	bad := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "down", http.StatusServiceUnavailable)
	}))
	defer bad.Close()
	cfg := config(t, fmt.Sprintf("exposition:\n  - url: %s/metrics\n    scrapes: 5\n    interval: 1m\n  - url: %s/metrics\n", ok.URL, bad.URL), nil)
	start := time.Now()
	_, err := fetch.All(context.Background(), cfg, local())
	if want := "scrape " + bad.URL + "/metrics: HTTP 503 Service Unavailable"; err == nil || err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %s", d)
	}
}

func TestRedirectKeepsSecretsHome(t *testing.T) {
	var got http.Header
	var mu sync.Mutex
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		got = r.Header.Clone()
		mu.Unlock()
		fmt.Fprint(w, metricsText)
	}))
	defer other.Close()
	// The same server under another host name: localhost instead of 127.0.0.1.
	away := strings.Replace(other.URL, "127.0.0.1", "localhost", 1) + "/metrics"
	home := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, away, http.StatusFound)
	}))
	defer home.Close()
	cfg := config(t, "exposition:\n  - url: "+home.URL+"/metrics\n    authorization: {credentials_env: TOKEN}\n    headers: {X-Api-Key: {env: KEY}, X-Plain: yes}\n",
		nil)
	o := env(map[string]string{"TOKEN": bearerToken, "KEY": headerSecret})
	o.AllowNet = local("127.0.0.1", "localhost").AllowNet
	res, err := fetch.All(context.Background(), cfg, o)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Expositions[0]) != 1 {
		t.Fatalf("%d scrapes", len(res.Expositions[0]))
	}
	mu.Lock()
	defer mu.Unlock()
	if diff := cmp.Diff([]string{"", "", "yes"}, []string{got.Get("Authorization"), got.Get("X-Api-Key"), got.Get("X-Plain")}); diff != "" {
		t.Errorf("headers at the other host (-want +got):\n%s", diff)
	}
}

// TestDefaultsFollowLoweredCeilings: an entry that sets no max_body_size or timeout still
// stays within ceilings that the command line lowered below the defaults.
func TestDefaultsFollowLoweredCeilings(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		_, _ = w.Write(bytes.Repeat([]byte("# padding padding padding padd\n"), 128))
	}))
	defer srv.Close()
	cfg := config(t, "exposition:\n  - url: "+srv.URL+"/metrics\n", nil)
	if _, err := fetch.All(context.Background(), cfg, local()); err != nil {
		t.Fatalf("default ceilings: %v", err)
	}
	l := *lint.Limit()
	l.MaxBodySize = 1 << 10
	defer lint.SetLimits(lint.SetLimits(l))
	_, err := fetch.All(context.Background(), cfg, local())
	if want := "scrape " + srv.URL + "/metrics: body larger than 1 KiB (raise max_body_size to read it)"; err == nil || err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}
}
