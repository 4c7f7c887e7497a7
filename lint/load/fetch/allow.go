package fetch

import (
	"cmp"
	"errors"
	"fmt"
	"net"
	"net/netip"
	neturl "net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/driftlint/driftlint/lint"
)

// AllowNetEnv is the environment variable that allows hosts like --allow-net, for runs (such
// as pre-commit hooks) whose command line cannot easily be changed.
const AllowNetEnv = "DRIFTLINT_ALLOW_NET"

// AllowNet is the set of hosts that url entries may fetch from, as the command line gave it.
// The zero AllowNet allows nothing: a config alone can never make driftlint use the network.
type AllowNet struct {
	any   bool        // * : every host, every port
	hosts []allowHost // in the order given
}

// allowHost is one HOST[:PORT] of --allow-net; port "" allows every port of the host.
type allowHost struct {
	host string // normalized (see normHost)
	port string
}

// ParseAllowNet reads the values of --allow-net (and DRIFTLINT_ALLOW_NET): each is a
// comma-separated list of HOST[:PORT]. HOST alone allows every port of the host; * allows
// every host and port. Host names are compared without regard to case; an IPv6 address is
// written in brackets ([::1], [::1]:9100). Host names are not resolved: allowing localhost
// does not allow 127.0.0.1. Blanks around an item are ignored; an empty value allows nothing.
func ParseAllowNet(specs []string) (AllowNet, error) {
	var a AllowNet
	for _, spec := range specs {
		if strings.TrimSpace(spec) == "" {
			continue
		}
		for item := range strings.SplitSeq(spec, ",") {
			item = strings.TrimSpace(item)
			h, err := parseAllowItem(item)
			if err != nil {
				return AllowNet{}, fmt.Errorf("--allow-net %q: %w (want HOST[:PORT][,…], e.g. localhost:9100,metrics.internal or [::1]:9100, or * for every host)", spec, err)
			}
			if h.host == "*" && h.port == "" {
				a.any = true
				continue
			}
			if !slices.Contains(a.hosts, h) {
				a.hosts = append(a.hosts, h)
			}
		}
	}
	return a, nil
}

// MergeAllowNet parses the --allow-net values and the value of DRIFTLINT_ALLOW_NET (env, ""
// when unset) together: a host allowed by either is allowed. An error names the source.
func MergeAllowNet(flags []string, env string) (AllowNet, error) {
	a, err := ParseAllowNet(flags)
	if err != nil {
		return AllowNet{}, err
	}
	b, err := ParseAllowNet([]string{env})
	if err != nil {
		return AllowNet{}, fmt.Errorf("%s: %w", AllowNetEnv, err)
	}
	a.any = a.any || b.any
	for _, h := range b.hosts {
		if !slices.Contains(a.hosts, h) {
			a.hosts = append(a.hosts, h)
		}
	}
	return a, nil
}

func parseAllowItem(item string) (allowHost, error) {
	if item == "" {
		return allowHost{}, errors.New("empty host")
	}
	if strings.Contains(item, "://") || strings.ContainsAny(item, "/@?# \t") {
		return allowHost{}, fmt.Errorf("%q is not a host: give the host name, without scheme or path", item)
	}
	host, port := item, ""
	switch {
	case strings.HasPrefix(item, "["):
		end := strings.IndexByte(item, ']')
		if end < 0 {
			return allowHost{}, fmt.Errorf("%q: missing ] after the IPv6 address", item)
		}
		host = item[1:end]
		rest := item[end+1:]
		if rest != "" {
			if !strings.HasPrefix(rest, ":") {
				return allowHost{}, fmt.Errorf("%q: want [IPv6]:PORT", item)
			}
			port = rest[1:]
			if port == "" {
				return allowHost{}, fmt.Errorf("%q: empty port", item)
			}
		}
		a, err := netip.ParseAddr(host)
		if err != nil || !a.Is6() {
			return allowHost{}, fmt.Errorf("%q: %q is not an IPv6 address", item, host)
		}
	case strings.Count(item, ":") > 1:
		return allowHost{}, fmt.Errorf("%q: write an IPv6 address in brackets, as [%s]", item, item)
	case strings.Contains(item, ":"):
		host, port, _ = strings.Cut(item, ":")
		if port == "" {
			return allowHost{}, fmt.Errorf("%q: empty port", item)
		}
	}
	if port != "" {
		if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 || port[0] == '0' {
			return allowHost{}, fmt.Errorf("%q: bad port %q (want 1 to 65535)", item, port)
		}
	}
	if host == "*" {
		return allowHost{host: "*", port: port}, nil
	}
	if !strings.HasPrefix(item, "[") {
		if host == "" {
			return allowHost{}, fmt.Errorf("%q: empty host", item)
		}
		if !hostName(host) {
			return allowHost{}, fmt.Errorf("%q is not a host name", host)
		}
	}
	return allowHost{host: normHost(host), port: port}, nil
}

// hostName reports whether h is a host name or an IPv4 address: labels of letters, digits,
// - and _, separated by dots, with at most one final dot.
func hostName(h string) bool {
	for label := range strings.SplitSeq(strings.TrimSuffix(h, "."), ".") {
		if label == "" {
			return false
		}
		for _, c := range []byte(label) {
			if c != '-' && c != '_' && (c < '0' || c > '9') && (c < 'a' || c > 'z') && (c < 'A' || c > 'Z') {
				return false
			}
		}
	}
	return true
}

// normHost is how hosts are compared: lower case, without a final dot, and IP addresses in
// their canonical form (so [0::1] and [::1] are one host).
func normHost(h string) string {
	h = strings.TrimSuffix(strings.ToLower(h), ".")
	if a, err := netip.ParseAddr(h); err == nil {
		return a.String()
	}
	return h
}

// hostPort returns the normalized host of u and its port, the scheme's default port when
// the URL names none.
func hostPort(u *neturl.URL) (host, port string) {
	port = u.Port()
	if port == "" {
		switch strings.ToLower(u.Scheme) {
		case "https":
			port = "443"
		default:
			port = "80"
		}
	}
	return normHost(u.Hostname()), port
}

// allows reports whether a request to u may be made.
func (a AllowNet) allows(u *neturl.URL) bool {
	if a.any {
		return true
	}
	host, port := hostPort(u)
	for _, h := range a.hosts {
		if (h.host == "*" || h.host == host) && (h.port == "" || h.port == port) {
			return true
		}
	}
	return false
}

// IsZero reports whether a allows no host at all.
func (a AllowNet) IsZero() bool { return !a.any && len(a.hosts) == 0 }

// String gives a in the syntax of --allow-net ("" when nothing is allowed).
func (a AllowNet) String() string {
	var parts []string
	if a.any {
		parts = append(parts, "*")
	}
	for _, h := range a.hosts {
		parts = append(parts, flagHost(h.host, h.port))
	}
	return strings.Join(parts, ",")
}

// flagHost writes host and port as --allow-net takes them.
func flagHost(host, port string) string {
	if port == "" {
		if strings.Contains(host, ":") {
			return "[" + host + "]"
		}
		return host
	}
	return net.JoinHostPort(host, port)
}

// notAllowed is the message for a URL (displayed form) whose host a does not allow. It
// suggests the host with the URL's explicit port, or the host alone when the URL has none.
func notAllowed(what string, u *neturl.URL) string {
	host, _ := hostPort(u)
	return fmt.Sprintf("%s is not allowed: pass --allow-net %s (or set %s) to fetch it", what, flagHost(host, u.Port()), AllowNetEnv)
}

// CheckAllowed checks every url entry of cfg against allow, before anything is fetched. The
// error, for the first entry in the config file that is not allowed, is a *lint.ConfigError
// at the entry's url: ".driftlint.yaml:12:10: url http://attacker.example/ is not allowed:
// pass --allow-net attacker.example (or set DRIFTLINT_ALLOW_NET) to fetch it".
func CheckAllowed(cfg *lint.Config, allow AllowNet) error {
	var errs []*lint.ConfigError
	check := func(raw string, at lint.Pos) {
		u, err := neturl.Parse(raw)
		if err != nil || u.Host == "" {
			errs = append(errs, &lint.ConfigError{At: cfg.ProjectPos(at), Msg: "url " + Redact(raw) + " is not a valid http(s) URL with a host"})
			return
		}
		if !allow.allows(u) {
			errs = append(errs, &lint.ConfigError{At: cfg.ProjectPos(at), Msg: notAllowed("url "+Redact(raw), u)})
		}
	}
	for _, e := range cfg.Exposition {
		if e.URL != "" {
			check(e.URL, cmp.Or(e.URLAt, e.At))
		}
	}
	for _, h := range cfg.Health {
		if h.URL != "" {
			check(h.URL, cmp.Or(h.URLAt, h.At))
		}
	}
	for _, k := range cfg.KnownURLs {
		check(k.URL, cmp.Or(k.URLAt, k.At))
	}
	if len(errs) == 0 {
		return nil
	}
	return slices.MinFunc(errs, func(a, b *lint.ConfigError) int {
		return cmp.Or(cmp.Compare(a.At.Line, b.At.Line), cmp.Compare(a.At.Col, b.At.Col))
	})
}
