package fetch_test

import (
	"context"
	"encoding/pem"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/driftlint/driftlint/lint"
	"github.com/driftlint/driftlint/lint/load/fetch"
)

func TestParseAllowNet(t *testing.T) {
	tests := []struct {
		name  string
		specs []string
		want  string // String() of the result
		err   string // substring of the error; "" for none
	}{
		{name: "reads hosts and host:port pairs", specs: []string{"localhost:9100,metrics.internal"}, want: "localhost:9100,metrics.internal"},
		{name: "merges repeated flags and drops duplicates", specs: []string{"a.example", "b.example:80, a.example"}, want: "a.example,b.example:80"},
		{name: "lower-cases host names and drops a final dot", specs: []string{"Metrics.Internal.:443"}, want: "metrics.internal:443"},
		{name: "reads an IPv6 address in brackets", specs: []string{"[::1]:9100,[0:0::2]"}, want: "[::1]:9100,[::2]"},
		{name: "reads every host", specs: []string{"*"}, want: "*"},
		{name: "reads every host on one port", specs: []string{"*:9100"}, want: "*:9100"},
		{name: "allows nothing when empty", specs: []string{"", "  "}, want: ""},
		{name: "rejects a URL", specs: []string{"http://localhost:9100"}, err: `"http://localhost:9100" is not a host: give the host name, without scheme or path`},
		{name: "rejects a path", specs: []string{"localhost/metrics"}, err: `is not a host`},
		{name: "rejects an empty item", specs: []string{"a.example,,b.example"}, err: `empty host`},
		{name: "rejects an empty port", specs: []string{"a.example:"}, err: `empty port`},
		{name: "rejects a port out of range", specs: []string{"a.example:70000"}, err: `bad port "70000" (want 1 to 65535)`},
		{name: "rejects a port that is not a number", specs: []string{"a.example:http"}, err: `bad port "http"`},
		{name: "rejects a port with a leading zero", specs: []string{"a.example:080"}, err: `bad port "080"`},
		{name: "rejects an IPv6 address without brackets", specs: []string{"::1"}, err: `write an IPv6 address in brackets, as [::1]`},
		{name: "rejects brackets around a name", specs: []string{"[localhost]"}, err: `"localhost" is not an IPv6 address`},
		{name: "rejects an unclosed bracket", specs: []string{"[::1"}, err: `missing ]`},
		{name: "rejects a host with other characters", specs: []string{"a!b"}, err: `"a!b" is not a host name`},
		{name: "rejects a host with an empty label", specs: []string{"a..b"}, err: `"a..b" is not a host name`},
		{name: "rejects a host that is only dots", specs: []string{".."}, err: `".." is not a host name`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := fetch.ParseAllowNet(tt.specs)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) || !strings.HasPrefix(err.Error(), "--allow-net ") {
					t.Fatalf("got %v, want an error with %q", err, tt.err)
				}
				if !a.IsZero() {
					t.Errorf("an error still allows %s", a)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if a.String() != tt.want || a.IsZero() != (tt.want == "") {
				t.Errorf("got %q (zero %v), want %q", a.String(), a.IsZero(), tt.want)
			}
		})
	}
}

func TestMergeAllowNet(t *testing.T) {
	a, err := fetch.MergeAllowNet([]string{"a.example"}, "b.example:9100,a.example")
	if err != nil || a.String() != "a.example,b.example:9100" {
		t.Errorf("got %q, %v", a, err)
	}
	if a, err := fetch.MergeAllowNet(nil, ""); err != nil || !a.IsZero() {
		t.Errorf("nothing given: got %q, %v", a, err)
	}
	if _, err := fetch.MergeAllowNet(nil, "http://x"); err == nil || !strings.HasPrefix(err.Error(), "DRIFTLINT_ALLOW_NET: --allow-net") {
		t.Errorf("bad variable: got %v", err)
	}
	if _, err := fetch.MergeAllowNet([]string{"a b"}, "ok.example"); err == nil || strings.HasPrefix(err.Error(), "DRIFTLINT_ALLOW_NET") {
		t.Errorf("bad flag: got %v", err)
	}
}

func TestCheckAllowed(t *testing.T) {
	tests := []struct {
		name  string
		url   string
		allow string
		want  string // the error; "" when allowed
	}{
		{name: "allows a host on any port", url: "http://metrics.internal:9100/metrics", allow: "metrics.internal"},
		{name: "allows a host whatever its case", url: "http://METRICS.internal/metrics", allow: "metrics.Internal"},
		{name: "allows a host on its port", url: "http://metrics.internal:9100/metrics", allow: "metrics.internal:9100"},
		{name: "allows the default port of http", url: "http://metrics.internal/metrics", allow: "metrics.internal:80"},
		{name: "allows the default port of https", url: "https://metrics.internal/metrics", allow: "metrics.internal:443"},
		{name: "allows every host with *", url: "https://anything.example:8443/x", allow: "*"},
		{name: "allows an IPv6 address", url: "http://[::1]:9100/metrics", allow: "[::1]"},
		{
			name: "refuses a host that is not named", url: "http://attacker.example/", allow: "metrics.internal",
			want: ".driftlint.yaml:2:10: url http://attacker.example/ is not allowed: pass --allow-net attacker.example (or set DRIFTLINT_ALLOW_NET) to fetch it",
		},
		{
			name: "refuses everything when nothing is allowed", url: "http://localhost:9100/metrics", allow: "",
			want: ".driftlint.yaml:2:10: url http://localhost:9100/metrics is not allowed: pass --allow-net localhost:9100 (or set DRIFTLINT_ALLOW_NET) to fetch it",
		},
		{
			name: "refuses another port of an allowed host", url: "http://metrics.internal:9101/metrics", allow: "metrics.internal:9100",
			want: ".driftlint.yaml:2:10: url http://metrics.internal:9101/metrics is not allowed: pass --allow-net metrics.internal:9101 (or set DRIFTLINT_ALLOW_NET) to fetch it",
		},
		{
			name: "refuses https on the port allowed for http", url: "https://metrics.internal/metrics", allow: "metrics.internal:80",
			want: ".driftlint.yaml:2:10: url https://metrics.internal/metrics is not allowed: pass --allow-net metrics.internal (or set DRIFTLINT_ALLOW_NET) to fetch it",
		},
		{
			name: "refuses an address when only a name is allowed, without showing secrets", url: "http://u:pw-SECRET@127.0.0.1:9100/metrics?token=SECRET", allow: "localhost",
			want: ".driftlint.yaml:2:10: url http://127.0.0.1:9100/metrics?token=xxxxx is not allowed: pass --allow-net 127.0.0.1:9100 (or set DRIFTLINT_ALLOW_NET) to fetch it",
		},
		{
			name: "refuses an IPv6 address on another port", url: "http://[::1]:9100/metrics", allow: "[::1]:9200",
			want: ".driftlint.yaml:2:10: url http://[::1]:9100/metrics is not allowed: pass --allow-net [::1]:9100 (or set DRIFTLINT_ALLOW_NET) to fetch it",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			allow, err := fetch.ParseAllowNet([]string{tt.allow})
			if err != nil {
				t.Fatal(err)
			}
			for _, list := range []string{"exposition", "health"} {
				cfg := config(t, list+":\n  - url: "+tt.url+"\n", nil)
				err := fetch.CheckAllowed(cfg, allow)
				got := ""
				if err != nil {
					got = err.Error()
					if _, ok := errors.AsType[*lint.ConfigError](err); !ok {
						t.Errorf("%s: error is a %T", list, err)
					}
				}
				if got != tt.want {
					t.Errorf("%s:\n got: %s\nwant: %s", list, got, tt.want)
				}
			}
		})
	}
}

// recorder is a test server that keeps the headers of every request it receives.
type recorder struct {
	*httptest.Server
	mu   sync.Mutex
	reqs []http.Header
}

func newRecorder(t *testing.T, tls bool, h http.HandlerFunc) *recorder {
	t.Helper()
	r := &recorder{}
	handler := http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		r.mu.Lock()
		r.reqs = append(r.reqs, req.Header.Clone())
		r.mu.Unlock()
		if h != nil {
			h(w, req)
			return
		}
		w.Header().Set("Content-Type", "text/plain")
		fmt.Fprint(w, metricsText)
	})
	if tls {
		r.Server = httptest.NewTLSServer(handler)
	} else {
		r.Server = httptest.NewServer(handler)
	}
	t.Cleanup(r.Close)
	return r
}

func (r *recorder) requests() []http.Header {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.reqs
}

func TestDisallowedHostGetsNoRequest(t *testing.T) {
	allowed := newRecorder(t, false, nil)
	refused := newRecorder(t, false, nil)
	// The refused entry comes last and is a health entry: nothing at all is fetched, not
	// even the allowed entry before it, and the secret is not even read.
	refusedURL := strings.Replace(refused.URL, "127.0.0.1", "localhost", 1) + "/health"
	cfg := config(t, "exposition:\n  - url: "+allowed.URL+"/metrics\nhealth:\n  - url: "+refusedURL+"\n    authorization: {credentials_env: GITHUB_TOKEN}\n", nil)
	o := local()
	o.LookupEnv = func(name string) (string, bool) {
		t.Errorf("the variable %s was read", name)
		return "", false
	}
	_, err := fetch.All(context.Background(), cfg, o)
	port := strings.TrimPrefix(refusedURL, "http://localhost:")
	port = port[:strings.IndexByte(port, '/')]
	want := ".driftlint.yaml:4:10: url " + refusedURL + " is not allowed: pass --allow-net localhost:" + port + " (or set DRIFTLINT_ALLOW_NET) to fetch it"
	if err == nil || err.Error() != want {
		t.Errorf("got %v\nwant %s", err, want)
	}
	if n := len(allowed.requests()) + len(refused.requests()); n != 0 {
		t.Errorf("%d requests made", n)
	}
}

func TestAllowedHosts(t *testing.T) {
	srv := newRecorder(t, false, nil)
	u, err := url.Parse(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	for _, allow := range []string{"127.0.0.1", u.Host, "*", "other.example,127.0.0.1:" + u.Port()} {
		t.Run("allows "+allow, func(t *testing.T) {
			cfg := config(t, "exposition:\n  - url: "+srv.URL+"/metrics\n", nil)
			o := local(allow)
			res, err := fetch.All(context.Background(), cfg, o)
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Expositions[0]) != 1 {
				t.Errorf("%d scrapes", len(res.Expositions[0]))
			}
		})
	}
	n := len(srv.requests())
	cfg := config(t, "exposition:\n  - url: "+srv.URL+"/metrics\n", nil)
	if _, err := fetch.All(context.Background(), cfg, local("127.0.0.1:1")); err == nil {
		t.Error("another port of the host was allowed")
	}
	if got := len(srv.requests()); got != n {
		t.Errorf("the refused run made %d requests", got-n)
	}
}

// The secrets of the redirect tests.
const (
	redirToken  = "redirect-T0KEN-secret"
	redirPass   = "redirect-PASSW0RD-secret"
	redirHeader = "redirect-HEADER-secret"
	redirQuery  = "redirect-QUERY-secret"
)

func TestRedirectsKeepSecretsAtTheirOrigin(t *testing.T) {
	auths := []struct {
		name  string
		entry string
	}{
		{"authorization", "authorization: {credentials_file: secrets/token}\n    headers: {X-Secret: {env: SECRET}, X-Plain: plain}"},
		{"basic_auth", "basic_auth: {username: prom, password_env: PASSWORD}\n    headers: {X-Secret: {file: secrets/header}, X-Plain: plain}"},
	}
	tests := []struct {
		name      string
		homeTLS   bool
		away      func(home, other *recorder) string // where home redirects to
		allow     []string
		sameOrgin bool   // the second request goes to home itself
		err       string // the error, %s standing for the away URL's host:port; "" for success
	}{
		{
			name: "keeps them on a redirect within the origin", sameOrgin: true,
			away:  func(home, _ *recorder) string { return home.URL + "/real" },
			allow: []string{"127.0.0.1"},
		},
		{
			name:  "drops them on a redirect to another port of the host",
			away:  func(_, other *recorder) string { return other.URL + "/metrics" },
			allow: []string{"127.0.0.1"},
		},
		{
			name: "drops them on a redirect to another host",
			away: func(_, other *recorder) string {
				return strings.Replace(other.URL, "127.0.0.1", "localhost", 1) + "/metrics"
			},
			allow: []string{"127.0.0.1", "localhost"},
		},
		{
			name: "drops them on a redirect from https to http", homeTLS: true,
			away:  func(_, other *recorder) string { return other.URL + "/metrics" },
			allow: []string{"127.0.0.1"},
		},
		{
			name: "refuses a redirect to a host that is not allowed",
			away: func(_, other *recorder) string {
				return strings.Replace(other.URL, "127.0.0.1", "localhost", 1) + "/metrics"
			},
			allow: []string{"127.0.0.1"},
			err:   "redirect to http://localhost:%s/metrics is not allowed: pass --allow-net localhost:%[1]s (or set DRIFTLINT_ALLOW_NET) to fetch it",
		},
		{
			name:  "refuses a redirect to a port that is not allowed",
			away:  func(_, other *recorder) string { return other.URL + "/metrics?x=1" },
			allow: []string{"127.0.0.1:HOME"},
			err:   "redirect to http://127.0.0.1:%s/metrics?x=xxxxx is not allowed: pass --allow-net 127.0.0.1:%[1]s (or set DRIFTLINT_ALLOW_NET) to fetch it",
		},
	}
	for _, auth := range auths {
		for _, tt := range tests {
			t.Run(auth.name+" "+tt.name, func(t *testing.T) {
				t.Parallel()
				other := newRecorder(t, false, nil)
				var away string
				home := newRecorder(t, tt.homeTLS, func(w http.ResponseWriter, r *http.Request) {
					if r.URL.Path == "/real" {
						fmt.Fprint(w, metricsText)
						return
					}
					http.Redirect(w, r, away, http.StatusFound)
				})
				away = tt.away(home, other)
				homeURL, _ := url.Parse(home.URL)
				awayURL, _ := url.Parse(away)
				files := map[string]string{"secrets/token": redirToken + "\n", "secrets/header": redirHeader}
				src := "exposition:\n  - url: " + home.URL + "/metrics?token=" + redirQuery + "\n    " + auth.entry + "\n"
				if tt.homeTLS {
					files["ca.pem"] = string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: home.Certificate().Raw}))
					src += "    tls_config: {ca_file: ca.pem}\n"
				}
				cfg := config(t, src, files)
				var allow []string
				for _, a := range tt.allow {
					allow = append(allow, strings.ReplaceAll(a, "HOME", homeURL.Port()))
				}
				o := local(allow...)
				o.LookupEnv = func(k string) (string, bool) {
					v, ok := map[string]string{"SECRET": redirHeader, "PASSWORD": redirPass}[k]
					return v, ok
				}
				var read []string
				o.ReadFile = readIn(cfg.Dir, &read)
				res, err := fetch.All(context.Background(), cfg, o)

				if tt.err != "" {
					want := "scrape " + home.URL + "/metrics?token=xxxxx: " + fmt.Sprintf(tt.err, awayURL.Port())
					if err == nil || err.Error() != want {
						t.Errorf("got %v\nwant %s", err, want)
					}
					if n := len(other.requests()); n != 0 {
						t.Errorf("the refused host got %d requests", n)
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				if len(res.Expositions[0]) != 1 {
					t.Fatalf("%d scrapes", len(res.Expositions[0]))
				}
				// What each origin received: the home origin gets the secrets on every
				// request, the other origin never; the literal header goes everywhere.
				type seen struct{ Auth, Secret, Plain, Referer string }
				see := func(hs []http.Header) []seen {
					var out []seen
					for _, h := range hs {
						out = append(out, seen{h.Get("Authorization"), h.Get("X-Secret"), h.Get("X-Plain"), h.Get("Referer")})
					}
					return out
				}
				secret := seen{"Bearer " + redirToken, redirHeader, "plain", ""}
				if auth.name == "basic_auth" {
					req, _ := http.NewRequest(http.MethodGet, "http://x/", http.NoBody)
					req.SetBasicAuth("prom", redirPass)
					secret.Auth = req.Header.Get("Authorization")
				}
				wantHome, wantOther := []seen{secret}, []seen(nil)
				if tt.sameOrgin {
					wantHome = append(wantHome, secret)
				} else {
					wantOther = []seen{{Plain: "plain"}}
				}
				if diff := cmp.Diff(wantHome, see(home.requests())); diff != "" {
					t.Errorf("home origin (-want +got):\n%s", diff)
				}
				if diff := cmp.Diff(wantOther, see(other.requests())); diff != "" {
					t.Errorf("other origin (-want +got):\n%s", diff)
				}
			})
		}
	}
}

func TestSecretFilesGoThroughReadFile(t *testing.T) {
	srv := newRecorder(t, false, nil)
	files := map[string]string{"secrets/token": "T"}
	tests := []struct {
		name string
		read func(string) ([]byte, error)
		want string
	}{
		{
			name: "refuses to read without a ReadFile",
			want: "authorization credentials: cannot read secrets/token: reading files is not enabled for url entries",
		},
		{
			name: "reports the reason the reader gives",
			read: func(name string) ([]byte, error) {
				return nil, fmt.Errorf("%s is outside the project root (pass --allow-read to read it)", name)
			},
			want: "authorization credentials: cannot read secrets/token: secrets/token is outside the project root (pass --allow-read to read it)",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := config(t, "exposition:\n  - url: "+srv.URL+"/metrics\n    authorization: {credentials_file: secrets/token}\n", files)
			o := local()
			o.ReadFile = tt.read
			_, err := fetch.All(context.Background(), cfg, o)
			if want := "scrape " + srv.URL + "/metrics: " + tt.want; err == nil || err.Error() != want {
				t.Errorf("got %v\nwant %s", err, want)
			}
		})
	}
	if n := len(srv.requests()); n != 0 {
		t.Errorf("%d requests made without the secret", n)
	}
}

func TestTLSFilesGoThroughReadFile(t *testing.T) {
	srv := newRecorder(t, true, nil)
	ca := string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}))
	// On disk, ca.pem is not the server's CA: only what ReadFile gives counts.
	cfg := config(t, "exposition:\n  - url: "+srv.URL+"/metrics\n    tls_config: {ca_file: ca.pem}\n", map[string]string{"ca.pem": "not a certificate"})
	o := local()
	o.ReadFile = func(name string) ([]byte, error) {
		if name != "ca.pem" {
			return nil, fmt.Errorf("unexpected %s", name)
		}
		return []byte(ca), nil
	}
	res, err := fetch.All(context.Background(), cfg, o)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Expositions[0]) != 1 {
		t.Errorf("%d scrapes", len(res.Expositions[0]))
	}
	o.ReadFile = func(string) ([]byte, error) { return []byte("not a certificate"), nil }
	_, err = fetch.All(context.Background(), cfg, o)
	if err == nil || !strings.HasPrefix(err.Error(), "scrape "+srv.URL+"/metrics: tls_config: ") {
		t.Errorf("a bad CA: got %v", err)
	}
}

// FuzzParseAllowNet checks that no spec panics and that what it allows reads back the same.
func FuzzParseAllowNet(f *testing.F) {
	for _, s := range []string{"localhost:9100,metrics.internal", "*", "[::1]:80", "::1", "a:0", "[fe80::1%eth0]", "Host.Example.:443", "*:1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, spec string) {
		a, err := fetch.ParseAllowNet([]string{spec})
		if err != nil {
			return
		}
		b, err := fetch.ParseAllowNet([]string{a.String()})
		if err != nil || b.String() != a.String() {
			t.Errorf("%q gave %q, which reads back as %q, %v", spec, a, b, err)
		}
	})
}
