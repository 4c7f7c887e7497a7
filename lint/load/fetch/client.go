package fetch

import (
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"net"
	"net/http"
	neturl "net/url"
	"strings"

	promconfig "github.com/prometheus/common/config"

	"github.com/driftlint/driftlint/lint"
)

// client is the HTTP client of one url entry with everything its requests need.
type client struct {
	http    *http.Client
	headers http.Header // literal headers of the config, sent on every request
	secrets redactor
}

// newClient builds the client of a url entry. prometheus/common's HTTP client config makes
// the transport (TLS, with the certificates handed over as contents, HTTP/2, the user
// agent); the secrets (authorization, basic_auth, headers from a file or a variable) are set
// by an originTransport, only on requests to the origin of the entry's URL. Redirects are
// followed only to hosts that allow permits. Secret and TLS files are read through
// opts.ReadFile, so that the caller decides which paths may be read. The error is a reason,
// without the URL.
func newClient(raw string, o lint.HTTPOptions, opts Options) (*client, error) {
	c := &client{headers: http.Header{}}
	c.secrets.addURL(raw)
	u, err := neturl.Parse(raw)
	if err != nil || u.Host == "" {
		return nil, errors.New("bad url")
	}
	hc := promconfig.DefaultHTTPClientConfig
	hc.TLSConfig = promconfig.TLSConfig{
		ServerName:         o.TLS.ServerName,
		InsecureSkipVerify: o.TLS.InsecureSkipVerify,
	}
	for _, f := range []struct {
		file, what string
		to         func(string)
	}{
		{o.TLS.CAFile, "tls_config ca_file", func(s string) { hc.TLSConfig.CA = s }},
		{o.TLS.CertFile, "tls_config cert_file", func(s string) { hc.TLSConfig.Cert = s }},
		{o.TLS.KeyFile, "tls_config key_file", func(s string) { hc.TLSConfig.Key = promconfig.Secret(s); c.secrets.add(s) }},
	} {
		if f.file == "" {
			continue
		}
		b, err := c.read(opts, f.file, f.what)
		if err != nil {
			return nil, err
		}
		f.to(string(b))
	}

	t := &originTransport{origin: origin(u), headers: http.Header{}}
	if o.Authorization != nil && o.BasicAuth != nil {
		return nil, errors.New("authorization and basic_auth cannot both be set")
	}
	if a := o.Authorization; a != nil {
		cred, err := c.secret(opts, a.CredentialsFile, a.CredentialsEnv, "authorization credentials")
		if err != nil {
			return nil, err
		}
		t.headers.Set("Authorization", a.Type+" "+cred)
	}
	if b := o.BasicAuth; b != nil {
		pw := ""
		if b.PasswordFile != "" || b.PasswordEnv != "" {
			var err error
			if pw, err = c.secret(opts, b.PasswordFile, b.PasswordEnv, "basic_auth password"); err != nil {
				return nil, err
			}
		}
		basic := base64.StdEncoding.EncodeToString([]byte(b.Username + ":" + pw))
		c.secrets.add(basic)
		t.headers.Set("Authorization", "Basic "+basic)
	}
	for _, h := range o.Headers {
		if h.File == "" && h.Env == "" {
			c.headers.Set(h.Name, h.Value)
			continue
		}
		v, err := c.secret(opts, h.File, h.Env, "header "+h.Name)
		if err != nil {
			return nil, err
		}
		if strings.ContainsAny(v, "\r\n") {
			return nil, fmt.Errorf("header %s: the value must be one line", h.Name)
		}
		t.headers.Set(h.Name, v)
	}
	if err := hc.Validate(); err != nil {
		return nil, fmt.Errorf("http client config: %s", c.secrets.scrub(err.Error()))
	}
	rt, err := promconfig.NewRoundTripperFromConfig(hc, "driftlint", promconfig.WithUserAgent(opts.userAgent()))
	if err != nil {
		return nil, fmt.Errorf("tls_config: %s", c.secrets.scrub(oneLine(err.Error())))
	}
	t.next = rt
	allow := opts.AllowNet
	c.http = &http.Client{
		Transport: t,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) >= 10 {
				return errors.New("stopped after 10 redirects")
			}
			// The Referer would carry the URL's query (a token, perhaps) to the next host.
			req.Header.Del("Referer")
			if !allow.allows(req.URL) {
				return errors.New(notAllowed("redirect to "+Redact(req.URL.String()), req.URL))
			}
			return nil
		},
	}
	return c, nil
}

// originTransport adds the secret headers of a url entry to the requests whose origin
// (scheme, host and port, the default port made explicit) is the entry's URL's, and to no
// other: a redirect to another host, another port or from https to http goes without them.
// net/http's own rule (sensitive headers follow a redirect within the same domain, whatever
// the port or scheme) and prometheus/common's authorization round trippers (which set the
// header on every request of the client) are both too loose for secrets that the config's
// author can point anywhere.
type originTransport struct {
	origin  string
	headers http.Header // set on requests to origin only
	next    http.RoundTripper
}

func (t *originTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if len(t.headers) == 0 || origin(req.URL) != t.origin {
		return t.next.RoundTrip(req)
	}
	r := req.Clone(req.Context()) // a RoundTripper must not change the request it is given
	maps.Copy(r.Header, t.headers)
	return t.next.RoundTrip(r)
}

// CloseIdleConnections closes the idle connections of the transport underneath.
func (t *originTransport) CloseIdleConnections() {
	if c, ok := t.next.(interface{ CloseIdleConnections() }); ok {
		c.CloseIdleConnections()
	}
}

// origin is scheme://host:port of u, lower case, with the scheme's default port when u has
// none.
func origin(u *neturl.URL) string {
	host, port := hostPort(u)
	return strings.ToLower(u.Scheme) + "://" + net.JoinHostPort(host, port)
}

// read reads a file named by the config through opts.ReadFile.
func (c *client) read(opts Options, file, what string) ([]byte, error) {
	if opts.ReadFile == nil {
		return nil, fmt.Errorf("%s: cannot read %s: reading files is not enabled for url entries", what, file)
	}
	b, err := opts.ReadFile(file)
	if err != nil {
		msg := err.Error()
		if pe, ok := errors.AsType[*fs.PathError](err); ok {
			msg = pe.Err.Error()
		}
		return nil, fmt.Errorf("%s: cannot read %s: %s", what, file, c.secrets.scrub(oneLine(msg)))
	}
	return b, nil
}

// secret reads a credential from a file (surrounding blanks trimmed as Prometheus does) or
// from an environment variable, and remembers it for redaction.
func (c *client) secret(opts Options, file, env, what string) (string, error) {
	var s string
	if file != "" {
		b, err := c.read(opts, file, what)
		if err != nil {
			return "", err
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

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
