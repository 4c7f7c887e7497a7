package lint

import (
	"time"

	"go.yaml.in/yaml/v3"
)

// KnownURL is a known_metrics entry that names a Prometheus-compatible API ({url: …}): the
// metric names, metadata and label names it serves are the truth for the name spaces it owns.
// It takes the HTTP options of an exposition url entry.
type KnownURL struct {
	URL string
	// Covers are metric-name globs the API is the truth for; nil: the first word of each
	// name it serves (node_cpu_seconds_total owns node_*).
	Covers  []string
	Timeout time.Duration // per request; default 10s
	HTTP    HTTPOptions
	At      Pos // the entry
	URLAt   Pos // the url value
}

// knownMetrics reads known_metrics: globs of files, and {url: …} mappings.
func (cp *configParser) knownMetrics(n *yaml.Node) error {
	items, err := cp.seq(n, "known_metrics")
	if err != nil {
		if n.Kind != yaml.ScalarNode {
			return err
		}
		items = []*yaml.Node{n}
	}
	keys := append([]string{"url", "covers", "timeout"}, httpKeys...)
	for _, it := range items {
		if it.Kind != yaml.MappingNode {
			g, err := cp.globs(it, "known_metrics")
			if err != nil {
				return err
			}
			cp.cfg.KnownMetrics = append(cp.cfg.KnownMetrics, g...)
			continue
		}
		k := KnownURL{Timeout: 10 * time.Second, At: cp.pos(it)}
		k.HTTP.MaxBodySize = DefaultMaxBodySize
		err := cp.mapping(it, "a known_metrics entry", keys, func(key string, kn, v *yaml.Node) error {
			var err error
			switch key {
			case "url":
				k.URL, err = cp.checkURL(v)
				k.URLAt = cp.pos(v)
			case "covers":
				k.Covers, err = cp.globs(v, "covers")
				if k.Covers == nil {
					k.Covers = []string{}
				}
			case "timeout":
				k.Timeout, err = cp.capped(v, "timeout", Limit().MaxTimeout, "max_timeout")
			default: // mapping admits only keys, so one of httpKeys
				err = cp.httpOption(&k.HTTP, key, kn, v)
			}
			return err
		})
		if err != nil {
			return err
		}
		if k.URL == "" {
			return cp.errf(it, "a known_metrics entry given as a mapping needs url: (a Prometheus-compatible API); list files as globs")
		}
		cp.cfg.KnownURLs = append(cp.cfg.KnownURLs, k)
	}
	return nil
}
