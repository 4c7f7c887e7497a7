package lint

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestParseConfigHTTPErrors(t *testing.T) {
	u := "exposition:\n  - url: http://localhost:3002/metrics\n"
	h := "health:\n  - url: http://localhost:3002/health\n"
	tests := []struct {
		name string
		src  string
		want string
	}{
		{name: "rejects a url without a host", src: "exposition:\n  - url: http:///metrics\n", want: `.driftlint.yaml:2:10: url "http:///metrics" is not a valid http(s) URL with a host`},
		{name: "rejects a health url of another scheme without showing its password", src: "health:\n  - url: ftp://u:secret@h/health\n", want: `.driftlint.yaml:2:10: url "ftp://h/health" must start with http:// or https://`},
		{name: "rejects an inline bearer token", src: u + "    authorization: {credentials: abc}\n", want: `.driftlint.yaml:3:21: credentials would put a secret in the config file; name a file (credentials_file) or an environment variable (credentials_env) instead`},
		{name: "rejects an inline password", src: u + "    basic_auth:\n      username: prom\n      password: abc\n", want: `.driftlint.yaml:5:7: password would put a secret in the config file; name a file (password_file) or an environment variable (password_env) instead`},
		{name: "rejects authorization without credentials", src: u + "    authorization: {type: Bearer}\n", want: `.driftlint.yaml:3:20: authorization needs exactly one of credentials_file or credentials_env`},
		{name: "rejects authorization with both a file and a variable", src: u + "    authorization: {credentials_file: tok, credentials_env: TOKEN}\n", want: `.driftlint.yaml:3:20: authorization needs exactly one of credentials_file or credentials_env`},
		{name: "rejects a missing credentials file", src: u + "    authorization: {credentials_file: nope}\n", want: `.driftlint.yaml:3:39: credentials_file "nope" does not exist`},
		{name: "rejects a bad variable name", src: u + "    authorization: {credentials_env: $TOKEN}\n", want: `.driftlint.yaml:3:38: credentials_env "$TOKEN" is not an environment variable name`},
		{name: "rejects authorization type Basic", src: u + "    authorization: {type: basic, credentials_env: T}\n", want: `.driftlint.yaml:3:27: authorization type cannot be Basic; use basic_auth instead`},
		{name: "rejects basic_auth without a username", src: u + "    basic_auth: {password_env: PW}\n", want: `.driftlint.yaml:3:17: basic_auth needs a username`},
		{name: "rejects an unknown tls_config key with a suggestion", src: u + "    tls_config: {ca_fle: ca.pem}\n", want: `.driftlint.yaml:3:18: unknown key "ca_fle" in tls_config (did you mean "ca_file"?)`},
		{name: "rejects a client certificate without its key", src: u + "    tls_config: {cert_file: tok}\n", want: `.driftlint.yaml:3:17: tls_config needs both cert_file and key_file for a client certificate`},
		{name: "rejects a non-boolean insecure_skip_verify", src: u + "    tls_config: {insecure_skip_verify: maybe}\n", want: `.driftlint.yaml:3:40: insecure_skip_verify must be true or false`},
		{name: "rejects a bad body size", src: u + "    max_body_size: 64 parsecs\n", want: `.driftlint.yaml:3:20: bad size "64 parsecs" for max_body_size (want e.g. 64MiB, 512KiB or a number of bytes)`},
		{name: "rejects setting the Authorization header", src: u + "    headers: {authorization: Bearer x}\n", want: `.driftlint.yaml:3:15: header Authorization is set by authorization or basic_auth, not by headers`},
		{name: "rejects a reserved header", src: u + "    headers: {Accept-Encoding: br}\n", want: `.driftlint.yaml:3:15: header Accept-Encoding cannot be set`},
		{name: "rejects a header secret with two sources", src: u + "    headers: {X-Key: {file: tok, env: KEY}}\n", want: `.driftlint.yaml:3:22: header X-Key needs exactly one of file or env`},
		{name: "rejects a duplicate header", src: u + "    headers: {X-Key: a, x-key: b}\n", want: `.driftlint.yaml:3:25: duplicate header X-Key`},
		{name: "rejects a header name with a space", src: u + "    headers: {\"X Key\": a}\n", want: `.driftlint.yaml:3:15: "X Key" is not a valid header name`},
		{name: "rejects http options on a saved scrape", src: "exposition:\n  - file: m.prom\n    timeout: 5s\n", want: `.driftlint.yaml:3:5: timeout applies to url entries only, not to a file entry`},
		{name: "rejects required on a health file", src: "health:\n  - file: m.prom\n    required: false\n", want: `.driftlint.yaml:3:5: required applies to url entries only`},
		{name: "rejects a bad health timeout", src: h + "    timeout: never\n", want: `.driftlint.yaml:3:14: bad duration "never" for timeout (want e.g. 15s, 1m)`},
		{name: "rejects a max_body_size above the ceiling", src: u + "    max_body_size: 1GiB\n", want: `.driftlint.yaml:3:20: max_body_size 1GiB is above the ceiling of 256 MiB; the config cannot raise it; --limit max_body_size=VALUE on the command line can`},
		{name: "rejects a timeout above the ceiling", src: u + "    timeout: 6m\n", want: `.driftlint.yaml:3:14: timeout 6m is above the ceiling of 5m; the config cannot raise it; --limit max_timeout=VALUE on the command line can`},
		{name: "rejects a health timeout above the ceiling", src: h + "    timeout: 1h\n", want: `.driftlint.yaml:3:14: timeout 1h is above the ceiling of 5m; the config cannot raise it; --limit max_timeout=VALUE on the command line can`},
		{name: "rejects scrapes above the ceiling", src: u + "    scrapes: 101\n", want: `.driftlint.yaml:3:14: scrapes 101 is above the ceiling of 100; the config cannot raise it; --limit max_scrapes=VALUE on the command line can`},
		{name: "rejects scrapes below one", src: u + "    scrapes: 0\n", want: `.driftlint.yaml:3:14: scrapes must be a whole number from 1 to 100`},
		{name: "rejects scrapes that are not a number", src: u + "    scrapes: [2]\n", want: `.driftlint.yaml:3:14: scrapes must be a whole number from 1 to 100`},
		{name: "rejects an interval above the ceiling", src: u + "    scrapes: 2\n    interval: 11m\n", want: `.driftlint.yaml:4:15: interval 11m is above the ceiling of 10m; the config cannot raise it; --limit max_interval=VALUE on the command line can`},
		{name: "rejects an unknown health key with a suggestion", src: h + "    header: {X: y}\n", want: `.driftlint.yaml:3:5: unknown key "header" in a health entry (did you mean "headers"?)`},
	}
	dir := writeTree(t, map[string]string{"m.prom": "up 1\n", "tok": "t\n"})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseConfig(".driftlint.yaml", dir, []byte(tt.src))
			if err == nil {
				t.Fatal("no error")
			}
			if diff := cmp.Diff(tt.want, err.Error()); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseConfigHTTPValid(t *testing.T) {
	dir := writeTree(t, map[string]string{"certs/ca.pem": "", "certs/c.pem": "", "certs/k.pem": "", "secrets/token": "t", "secrets/key": "k"})
	src := `exposition:
  - url: https://metrics.internal:9100/metrics
    timeout: 3s
    max_body_size: 16MiB
    tls_config:
      ca_file: certs/ca.pem
      cert_file: certs/c.pem
      key_file: certs/k.pem
      server_name: metrics.internal
      insecure_skip_verify: false
    authorization:
      credentials_file: secrets/token
    headers:
      X-Scope-OrgID: tenant-1
      x-api-key: {env: API_KEY}
      X-Other: {file: secrets/key}
  - url: http://localhost:3002/metrics
    basic_auth: {username: prom, password_env: METRICS_PASSWORD}
health:
  - url: http://localhost:3002/health
    required: false
    timeout: 2s
    max_body_size: 1000
    authorization: {type: Token, credentials_env: HEALTH_TOKEN}
`
	c, err := ParseConfig(".driftlint.yaml", dir, []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	got := []any{c.Exposition[0].Timeout, c.Exposition[0].HTTP, c.Exposition[1].HTTP, c.Health[0]}
	want := []any{
		3 * time.Second,
		HTTPOptions{
			MaxBodySize:   16 << 20,
			TLS:           TLSOptions{CAFile: "certs/ca.pem", CertFile: "certs/c.pem", KeyFile: "certs/k.pem", ServerName: "metrics.internal"},
			Authorization: &AuthorizationOptions{Type: "Bearer", CredentialsFile: "secrets/token", At: Pos{File: ".driftlint.yaml", Line: 11, Col: 5}},
			Headers: []HeaderOption{
				{Name: "X-Scope-Orgid", Value: "tenant-1", At: Pos{File: ".driftlint.yaml", Line: 14, Col: 7}},
				{Name: "X-Api-Key", Env: "API_KEY", At: Pos{File: ".driftlint.yaml", Line: 15, Col: 7}},
				{Name: "X-Other", File: "secrets/key", At: Pos{File: ".driftlint.yaml", Line: 16, Col: 7}},
			},
		},
		HTTPOptions{
			MaxBodySize: DefaultMaxBodySize,
			BasicAuth:   &BasicAuthOptions{Username: "prom", PasswordEnv: "METRICS_PASSWORD", At: Pos{File: ".driftlint.yaml", Line: 18, Col: 5}},
		},
		HealthSource{
			URL: "http://localhost:3002/health", Timeout: 2 * time.Second, At: Pos{File: ".driftlint.yaml", Line: 20, Col: 5},
			URLAt: Pos{File: ".driftlint.yaml", Line: 20, Col: 10},
			HTTP:  HTTPOptions{MaxBodySize: 1000, Authorization: &AuthorizationOptions{Type: "Token", CredentialsEnv: "HEALTH_TOKEN", At: Pos{File: ".driftlint.yaml", Line: 24, Col: 5}}},
		},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestParseConfigCeilingsFollowTheCommandLine(t *testing.T) {
	src := "exposition:\n  - url: http://localhost:3002/metrics\n    scrapes: 200\n    interval: 20m\n    timeout: 10m\n    max_body_size: 1GiB\n"
	if _, err := ParseConfig(".driftlint.yaml", t.TempDir(), []byte(src)); err == nil {
		t.Fatal("the default ceilings accepted the entry")
	}
	l := DefaultLimits
	for _, kv := range []string{"max_scrapes=200", "max_interval=20m", "max_timeout=10m", "max_body_size=1GiB"} {
		if err := l.Set(kv); err != nil {
			t.Fatal(err)
		}
	}
	defer SetLimits(SetLimits(l))
	c, err := ParseConfig(".driftlint.yaml", t.TempDir(), []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	e := c.Exposition[0]
	got := []any{e.Scrapes, e.Interval, e.Timeout, e.HTTP.MaxBodySize}
	if diff := cmp.Diff([]any{200, 20 * time.Minute, 10 * time.Minute, int64(1 << 30)}, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	l.MaxScrapes = 3
	SetLimits(l)
	_, err = ParseConfig(".driftlint.yaml", t.TempDir(), []byte(src))
	if want := ".driftlint.yaml:3:14: scrapes 200 is above the ceiling of 3; the config cannot raise it; --limit max_scrapes=VALUE on the command line can"; err == nil || err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}
}

func TestParseByteSize(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		ok   bool
	}{
		{"1024", 1024, true},
		{"64MiB", 64 << 20, true},
		{"64 MiB", 64 << 20, true},
		{"10MB", 10e6, true},
		{"512kib", 512 << 10, true},
		{"1GiB", 1 << 30, true},
		{"0", 0, false},
		{"-1", 0, false},
		{"1.5MiB", 0, false},
		{"MiB", 0, false},
		{"99999999999999GiB", 0, false},
	}
	for _, tt := range tests {
		t.Run("reads "+tt.in, func(t *testing.T) {
			n, ok := ParseByteSize(tt.in)
			if n != tt.want || ok != tt.ok {
				t.Errorf("got %d, %v; want %d, %v", n, ok, tt.want, tt.ok)
			}
		})
	}
}
