package fetch

import (
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	promconfig "github.com/prometheus/common/config"

	"github.com/driftlint/driftlint/lint"
)

// client is the HTTP client of one url entry with everything its requests need.
type client struct {
	http          *http.Client
	headers       http.Header // extra headers, secrets already read
	secretHeaders []string    // the names of headers read from a file or variable
	secrets       redactor
}

// newClient builds the client of a url entry with prometheus/common's HTTP client config.
// Credentials are read here, from their files or environment variables, so that the
// redactor knows them. The error is a reason, without the URL.
func newClient(raw string, o lint.HTTPOptions, dir string, opts Options) (*client, error) {
	c := &client{headers: http.Header{}}
	c.secrets.addURL(raw)
	hc := promconfig.DefaultHTTPClientConfig
	hc.TLSConfig = promconfig.TLSConfig{
		CAFile:             abs(dir, o.TLS.CAFile),
		CertFile:           abs(dir, o.TLS.CertFile),
		KeyFile:            abs(dir, o.TLS.KeyFile),
		ServerName:         o.TLS.ServerName,
		InsecureSkipVerify: o.TLS.InsecureSkipVerify,
	}
	if a := o.Authorization; a != nil {
		cred, err := c.secret(dir, opts, a.CredentialsFile, a.CredentialsEnv, "authorization credentials")
		if err != nil {
			return nil, err
		}
		hc.Authorization = &promconfig.Authorization{Type: a.Type, Credentials: promconfig.Secret(cred)}
	}
	if b := o.BasicAuth; b != nil {
		pw := ""
		if b.PasswordFile != "" || b.PasswordEnv != "" {
			var err error
			if pw, err = c.secret(dir, opts, b.PasswordFile, b.PasswordEnv, "basic_auth password"); err != nil {
				return nil, err
			}
		}
		hc.BasicAuth = &promconfig.BasicAuth{Username: b.Username, Password: promconfig.Secret(pw)}
	}
	for _, h := range o.Headers {
		v := h.Value
		if h.File != "" || h.Env != "" {
			var err error
			if v, err = c.secret(dir, opts, h.File, h.Env, "header "+h.Name); err != nil {
				return nil, err
			}
			if strings.ContainsAny(v, "\r\n") {
				return nil, fmt.Errorf("header %s: the value must be one line", h.Name)
			}
			c.secretHeaders = append(c.secretHeaders, h.Name)
		}
		c.headers.Set(h.Name, v)
	}
	if err := hc.Validate(); err != nil {
		return nil, fmt.Errorf("http client config: %s", c.secrets.scrub(err.Error()))
	}
	hcl, err := promconfig.NewClientFromConfig(hc, "driftlint", promconfig.WithUserAgent(opts.userAgent()))
	if err != nil {
		return nil, fmt.Errorf("tls_config: %s", c.secrets.scrub(oneLine(err.Error())))
	}
	// net/http copies every header onto a redirect except its own sensitive ones, and
	// prometheus/common strips only the credentials it set itself: drop secret headers once
	// a redirect leaves the URL's host, as net/http does for Authorization.
	hcl.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if len(via) >= 10 {
			return errors.New("stopped after 10 redirects")
		}
		host := via[0].URL.Hostname()
		left := req.URL.Hostname() != host
		for _, r := range via {
			left = left || r.URL.Hostname() != host
		}
		if left {
			for _, h := range c.secretHeaders {
				req.Header.Del(h)
			}
		}
		return nil
	}
	c.http = hcl
	return c, nil
}

// secret reads a credential from a file (relative to dir, surrounding blanks trimmed as
// Prometheus does) or from an environment variable, and remembers it for redaction.
func (c *client) secret(dir string, opts Options, file, env, what string) (string, error) {
	var s string
	if file != "" {
		b, err := os.ReadFile(abs(dir, file))
		if err != nil {
			msg := err.Error()
			if pe, ok := errors.AsType[*fs.PathError](err); ok {
				msg = pe.Err.Error()
			}
			return "", fmt.Errorf("%s: cannot read %s: %s", what, file, msg)
		}
		s = strings.TrimSpace(string(b))
	} else {
		v, ok := opts.lookupEnv(env)
		if !ok || strings.TrimSpace(v) == "" {
			return "", fmt.Errorf("%s: environment variable %s is not set", what, env)
		}
		s = strings.TrimSpace(v)
	}
	c.secrets.add(s)
	return s, nil
}

func abs(dir, rel string) string {
	if rel == "" || filepath.IsAbs(rel) {
		return rel
	}
	return filepath.Join(dir, filepath.FromSlash(rel))
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
