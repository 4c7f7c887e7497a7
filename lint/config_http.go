package lint

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/common/model"
	"go.yaml.in/yaml/v3"
)

// DefaultMaxBodySize is the largest response body read from a url entry.
const DefaultMaxBodySize = 64 << 20

// HTTPOptions is how a url entry of exposition or health is fetched: TLS, authentication,
// extra headers and the body size limit. It holds no secret: credentials are named by a file
// or an environment variable and read only when the URL is fetched. File paths are
// slash-separated and relative to Config.Dir, like every other path of the config.
type HTTPOptions struct {
	MaxBodySize   int64 // bytes; DefaultMaxBodySize unless max_body_size is set
	TLS           TLSOptions
	Authorization *AuthorizationOptions // nil: none
	BasicAuth     *BasicAuthOptions     // nil: none (userinfo in the URL still works)
	Headers       []HeaderOption        // extra request headers, in config order
}

// TLSOptions is a url entry's tls_config, as in Prometheus.
type TLSOptions struct {
	CAFile             string
	CertFile           string
	KeyFile            string
	ServerName         string
	InsecureSkipVerify bool
}

// AuthorizationOptions is a url entry's authorization: an Authorization header whose
// credentials come from a file or an environment variable.
type AuthorizationOptions struct {
	Type            string // default "Bearer"
	CredentialsFile string
	CredentialsEnv  string
	At              Pos // the authorization key
}

// BasicAuthOptions is a url entry's basic_auth; the password comes from a file or an
// environment variable.
type BasicAuthOptions struct {
	Username     string
	PasswordFile string
	PasswordEnv  string
	At           Pos // the basic_auth key
}

// HeaderOption is one extra request header: a literal value, or a secret read from a file or
// an environment variable.
type HeaderOption struct {
	Name  string // canonical form
	Value string
	File  string
	Env   string
	At    Pos // the header name
}

// httpKeys are the keys of a url entry that configure the HTTP client.
var httpKeys = []string{"max_body_size", "tls_config", "authorization", "basic_auth", "headers"}

// httpOption parses one of httpKeys into o.
func (cp *configParser) httpOption(o *HTTPOptions, key string, k, v *yaml.Node) error {
	var err error
	switch key {
	case "max_body_size":
		o.MaxBodySize, err = cp.byteSize(v, key)
		if ceiling := Limit().MaxBodySize; err == nil && o.MaxBodySize > ceiling {
			err = cp.errf(v, "max_body_size %s is above the ceiling of %s; %s", strings.TrimSpace(v.Value), FormatByteSize(ceiling), LimitFlagHint("max_body_size"))
		}
	case "tls_config":
		err = cp.tlsOptions(&o.TLS, v)
	case "authorization":
		o.Authorization, err = cp.authorization(k, v)
	case "basic_auth":
		o.BasicAuth, err = cp.basicAuth(k, v)
	case "headers":
		o.Headers, err = cp.headers(v)
	}
	return err
}

// checkURL validates the url of an exposition or health entry.
func (cp *configParser) checkURL(v *yaml.Node) (string, error) {
	s, err := cp.str(v, "url")
	if err != nil {
		return "", err
	}
	if !strings.HasPrefix(s, "http://") && !strings.HasPrefix(s, "https://") {
		return "", cp.errf(v, "url %q must start with http:// or https://", redactedURL(s))
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" {
		return "", cp.errf(v, "url %q is not a valid http(s) URL with a host", redactedURL(s))
	}
	return s, nil
}

// capped reads a duration that must not exceed a ceiling of lint.Limit() (limit names it).
func (cp *configParser) capped(v *yaml.Node, what string, ceiling time.Duration, limit string) (time.Duration, error) {
	d, err := cp.duration(v, what)
	if err == nil && d > ceiling {
		return 0, cp.errf(v, "%s %s is above the ceiling of %s; %s", what, strings.TrimSpace(v.Value), model.Duration(ceiling), LimitFlagHint(limit))
	}
	return d, err
}

// scrapes reads the scrapes of a url entry: a whole number from 1 to Limit().MaxScrapes.
func (cp *configParser) scrapes(v *yaml.Node) (int, error) {
	var n int
	if v.Kind != yaml.ScalarNode || v.Decode(&n) != nil || n < 1 {
		return 0, cp.errf(v, "scrapes must be a whole number from 1 to %d", Limit().MaxScrapes)
	}
	if ceiling := Limit().MaxScrapes; n > ceiling {
		return 0, cp.errf(v, "scrapes %d is above the ceiling of %d; %s", n, ceiling, LimitFlagHint("max_scrapes"))
	}
	return n, nil
}

// FormatByteSize writes a byte count the way sizes are written in the config: 64 MiB, 512 KiB,
// or a number of bytes.
func FormatByteSize(n int64) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return strconv.FormatInt(n>>30, 10) + " GiB"
	case n >= 1<<20 && n%(1<<20) == 0:
		return strconv.FormatInt(n>>20, 10) + " MiB"
	case n >= 1<<10 && n%(1<<10) == 0:
		return strconv.FormatInt(n>>10, 10) + " KiB"
	}
	return strconv.FormatInt(n, 10) + " bytes"
}

// redactedURL drops the userinfo and query values of a URL for a config error message.
func redactedURL(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		if i := strings.IndexAny(s, "@?"); i >= 0 {
			return s[:i] + "…"
		}
		return s
	}
	u.User = nil
	if u.RawQuery != "" {
		u.RawQuery = "…"
	}
	return u.String()
}

// byteSize reads a size in bytes: a whole number, or a number with a unit (B, KB, MB, GB,
// KiB, MiB, GiB; KB and friends are powers of 1000).
func (cp *configParser) byteSize(v *yaml.Node, what string) (int64, error) {
	s, err := cp.str(v, what)
	if err != nil {
		return 0, err
	}
	n, ok := ParseByteSize(s)
	if !ok {
		return 0, cp.errf(v, "bad size %q for %s (want e.g. 64MiB, 512KiB or a number of bytes)", s, what)
	}
	return n, nil
}

// ParseByteSize reads a size in bytes: a whole number, or one with a unit (B, KB, MB, GB, KiB,
// MiB, GiB; KB and friends are powers of 1000).
func ParseByteSize(s string) (int64, bool) {
	t := strings.TrimSpace(s)
	i := 0
	for i < len(t) && t[i] >= '0' && t[i] <= '9' {
		i++
	}
	n, err := strconv.ParseInt(t[:i], 10, 64)
	if err != nil || n <= 0 {
		return 0, false
	}
	units := map[string]int64{"": 1, "b": 1, "kb": 1e3, "mb": 1e6, "gb": 1e9, "kib": 1 << 10, "mib": 1 << 20, "gib": 1 << 30}
	mul, ok := units[strings.ToLower(strings.TrimSpace(t[i:]))]
	if !ok || n > (1<<62)/mul {
		return 0, false
	}
	return n * mul, true
}

func (cp *configParser) boolean(v *yaml.Node, what string) (bool, error) {
	var b bool
	if v.Kind != yaml.ScalarNode || v.Decode(&b) != nil {
		return false, cp.errf(v, "%s must be true or false", what)
	}
	return b, nil
}

func (cp *configParser) tlsOptions(t *TLSOptions, n *yaml.Node) error {
	keys := []string{"ca_file", "cert_file", "key_file", "server_name", "insecure_skip_verify"}
	err := cp.mapping(n, "tls_config", keys, func(key string, _, v *yaml.Node) error {
		var err error
		switch key {
		case "ca_file":
			t.CAFile, err = cp.secretFile(v, "ca_file")
		case "cert_file":
			t.CertFile, err = cp.secretFile(v, "cert_file")
		case "key_file":
			t.KeyFile, err = cp.secretFile(v, "key_file")
		case "server_name":
			t.ServerName, err = cp.str(v, "server_name")
		case "insecure_skip_verify":
			t.InsecureSkipVerify, err = cp.boolean(v, "insecure_skip_verify")
		}
		return err
	})
	if err != nil {
		return err
	}
	if (t.CertFile == "") != (t.KeyFile == "") {
		return cp.errf(n, "tls_config needs both cert_file and key_file for a client certificate")
	}
	return nil
}

// inlineSecretMsg explains why a secret cannot be written in the config itself.
const inlineSecretMsg = "%s would put a secret in the config file; name a file (%s_file) or an environment variable (%s_env) instead"

// envName validates an environment variable name.
func (cp *configParser) envName(v *yaml.Node, what string) (string, error) {
	s, err := cp.str(v, what)
	if err != nil {
		return "", err
	}
	for i, c := range s {
		if c != '_' && (c < 'A' || c > 'Z') && (c < 'a' || c > 'z') && (i == 0 || c < '0' || c > '9') {
			return "", cp.errf(v, "%s %q is not an environment variable name", what, s)
		}
	}
	if s == "" {
		return "", cp.errf(v, "%s must name an environment variable", what)
	}
	return s, nil
}

func (cp *configParser) authorization(k, n *yaml.Node) (*AuthorizationOptions, error) {
	a := &AuthorizationOptions{Type: "Bearer", At: cp.pos(k)}
	keys := []string{"type", "credentials", "credentials_file", "credentials_env"}
	err := cp.mapping(n, "authorization", keys, func(key string, kn, v *yaml.Node) error {
		var err error
		switch key {
		case "type":
			a.Type, err = cp.str(v, "authorization type")
			a.Type = strings.TrimSpace(a.Type)
			switch {
			case err != nil:
			case a.Type == "" || strings.ContainsAny(a.Type, " \t\r\n"):
				err = cp.errf(v, "authorization type %q must be one word such as Bearer", a.Type)
			case strings.EqualFold(a.Type, "basic"):
				err = cp.errf(v, "authorization type cannot be Basic; use basic_auth instead")
			}
		case "credentials":
			err = cp.errf(kn, inlineSecretMsg, "credentials", "credentials", "credentials")
		case "credentials_file":
			a.CredentialsFile, err = cp.secretFile(v, "credentials_file")
		case "credentials_env":
			a.CredentialsEnv, err = cp.envName(v, "credentials_env")
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	if (a.CredentialsFile == "") == (a.CredentialsEnv == "") {
		return nil, cp.errf(n, "authorization needs exactly one of credentials_file or credentials_env")
	}
	return a, nil
}

func (cp *configParser) basicAuth(k, n *yaml.Node) (*BasicAuthOptions, error) {
	b := &BasicAuthOptions{At: cp.pos(k)}
	keys := []string{"username", "password", "password_file", "password_env"}
	err := cp.mapping(n, "basic_auth", keys, func(key string, kn, v *yaml.Node) error {
		var err error
		switch key {
		case "username":
			b.Username, err = cp.str(v, "username")
		case "password":
			err = cp.errf(kn, inlineSecretMsg, "password", "password", "password")
		case "password_file":
			b.PasswordFile, err = cp.secretFile(v, "password_file")
		case "password_env":
			b.PasswordEnv, err = cp.envName(v, "password_env")
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	if b.Username == "" {
		return nil, cp.errf(n, "basic_auth needs a username")
	}
	if b.PasswordFile != "" && b.PasswordEnv != "" {
		return nil, cp.errf(n, "basic_auth takes at most one of password_file or password_env")
	}
	return b, nil
}

// reservedHeaders are set by driftlint or by the HTTP client; prometheus/common refuses them
// too.
var reservedHeaders = []string{
	"Accept-Encoding", "Authorization", "Connection", "Content-Encoding", "Content-Length",
	"Content-Type", "Host", "Keep-Alive", "Proxy-Authenticate", "Proxy-Authorization",
	"User-Agent", "Www-Authenticate", "X-Prometheus-Scrape-Timeout-Seconds",
}

func (cp *configParser) headers(n *yaml.Node) ([]HeaderOption, error) {
	if n.Kind != yaml.MappingNode {
		return nil, cp.errf(n, "headers must be a mapping of header name to value")
	}
	var out []HeaderOption
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		name := http.CanonicalHeaderKey(k.Value)
		if !validHeaderName(k.Value) {
			return nil, cp.errf(k, "%q is not a valid header name", k.Value)
		}
		for _, r := range reservedHeaders {
			if name == r {
				if name == "Authorization" {
					return nil, cp.errf(k, "header Authorization is set by authorization or basic_auth, not by headers")
				}
				return nil, cp.errf(k, "header %s cannot be set", name)
			}
		}
		if seen[name] {
			return nil, cp.errf(k, "duplicate header %s", name)
		}
		seen[name] = true
		h := HeaderOption{Name: name, At: cp.pos(k)}
		what := "header " + name
		if v.Kind == yaml.ScalarNode {
			s, err := cp.str(v, what)
			if err != nil {
				return nil, err
			}
			if strings.ContainsAny(s, "\r\n") {
				return nil, cp.errf(v, "%s must be one line", what)
			}
			h.Value = s
		} else {
			err := cp.mapping(v, what, []string{"file", "env"}, func(key string, _, v *yaml.Node) error {
				var err error
				switch key {
				case "file":
					h.File, err = cp.secretFile(v, what+" file")
				case "env":
					h.Env, err = cp.envName(v, what+" env")
				}
				return err
			})
			if err != nil {
				return nil, err
			}
			if (h.File == "") == (h.Env == "") {
				return nil, cp.errf(v, "%s needs exactly one of file or env", what)
			}
		}
		out = append(out, h)
	}
	return out, nil
}

func validHeaderName(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range []byte(s) {
		if c <= ' ' || c >= 0x7f || strings.IndexByte(`"(),/:;<=>?@[\]{}`, c) >= 0 {
			return false
		}
	}
	return true
}

// checkFileEntry rejects keys that only a url entry can use on a file or schema entry.
func (cp *configParser) checkFileEntry(it *yaml.Node, what string) error {
	for i := 0; i+1 < len(it.Content); i += 2 {
		k := it.Content[i]
		if k.Value == "timeout" || slices.Contains(httpKeys, k.Value) {
			return cp.errf(k, "%s applies to url entries only, not to a %s", k.Value, what)
		}
	}
	return nil
}
