package fetch

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/driftlint/driftlint/lint"
)

// redactedValue stands for a query value or password left out of a displayed URL.
const redactedValue = "xxxxx"

// Redact returns the URL as driftlint shows it: without userinfo and fragment, and with every
// query value replaced by xxxxx, so that neither a password nor a token passed in the query
// string is ever printed. The query keys stay, in their order.
func Redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		// Unparsable: keep the scheme and host part only.
		s := raw
		if i := strings.IndexAny(s, "?#"); i >= 0 {
			s = s[:i]
		}
		if i := strings.LastIndexByte(s, '@'); i >= 0 {
			if j := strings.Index(s, "://"); j >= 0 && j < i {
				s = s[:j+3] + s[i+1:]
			} else {
				s = s[i+1:]
			}
		}
		return s
	}
	u.User = nil
	u.Fragment, u.RawFragment = "", ""
	if u.RawQuery != "" || u.ForceQuery {
		parts := strings.Split(u.RawQuery, "&")
		for i, p := range parts {
			if k, _, ok := strings.Cut(p, "="); ok {
				parts[i] = k + "=" + redactedValue
			}
		}
		u.RawQuery = strings.Join(parts, "&")
	}
	return u.String()
}

// names holds the displayed name of every url entry: the redacted URL, with " (2)", " (3)"…
// appended when two different URLs redact to the same text, so that they never share a
// default target or a file name.
type names struct {
	expo   []string // by cfg.Exposition index; "" for file entries
	health []string // by cfg.Health index
	// paths are the virtual file names: the name and the fetch number of that name in
	// the run ("http://localhost:3002/metrics#2"), by entry and scrape.
	expoPaths   [][]string
	healthPaths []string
}

func newNames(cfg *lint.Config) *names {
	n := &names{
		expo:        make([]string, len(cfg.Exposition)),
		health:      make([]string, len(cfg.Health)),
		expoPaths:   make([][]string, len(cfg.Exposition)),
		healthPaths: make([]string, len(cfg.Health)),
	}
	rawOf := map[string]string{} // display name → the raw URL that owns it
	name := func(raw string) string {
		base := Redact(raw)
		for i := 1; ; i++ {
			s := base
			if i > 1 {
				s = fmt.Sprintf("%s (%d)", base, i)
			}
			if owner, ok := rawOf[s]; !ok || owner == raw {
				rawOf[s] = raw
				return s
			}
		}
	}
	count := map[string]int{}
	path := func(name string) string {
		count[name]++
		return fmt.Sprintf("%s#%d", name, count[name])
	}
	for i, e := range cfg.Exposition {
		if e.URL == "" {
			continue
		}
		n.expo[i] = name(e.URL)
		for range max(e.Scrapes, 1) {
			n.expoPaths[i] = append(n.expoPaths[i], path(n.expo[i]))
		}
	}
	for i, h := range cfg.Health {
		if h.URL == "" {
			continue
		}
		n.health[i] = name(h.URL)
		n.healthPaths[i] = path(n.health[i])
	}
	return n
}

// redactor replaces secrets that could have slipped into an error text.
type redactor []string

// add records a secret; very short strings are left out, since replacing them would mangle
// messages without protecting anything.
func (r *redactor) add(secrets ...string) {
	for _, s := range secrets {
		if len(s) >= 3 {
			*r = append(*r, s)
		}
	}
}

// addURL records the password and the query values of a URL.
func (r *redactor) addURL(raw string) {
	u, err := url.Parse(raw)
	if err != nil {
		return
	}
	if p, ok := u.User.Password(); ok {
		r.add(p, url.QueryEscape(p))
	}
	if u.User != nil {
		r.add(u.User.String())
	}
	for p := range strings.SplitSeq(u.RawQuery, "&") {
		if _, v, ok := strings.Cut(p, "="); ok && len(v) >= 4 {
			r.add(v)
			if uv, err := url.QueryUnescape(v); err == nil {
				r.add(uv)
			}
		}
	}
}

func (r redactor) scrub(s string) string {
	for _, secret := range r {
		s = strings.ReplaceAll(s, secret, redactedValue)
	}
	return s
}
