package lint

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/bmatcuk/doublestar/v4"
	"github.com/itchyny/gojq"
	"github.com/prometheus/common/model"
	"github.com/prometheus/prometheus/promql/parser"
	"go.yaml.in/yaml/v3"

	"github.com/driftlint/driftlint/lint/catalog"
	"github.com/driftlint/driftlint/lint/safefs"
)

// ConfigFile is the default config file name, looked up in the checked folder.
const ConfigFile = ".driftlint.yaml"

// Config is a parsed, validated .driftlint.yaml.
type Config struct {
	Path string // the config file as given ("" when discovering without one)
	Dir  string // absolute folder that the config's paths are relative to

	Rules       []string
	Runbooks    []string
	MetricsDocs []string
	Dashboards  []string
	Sources     []string
	// SourceOpts holds the sources: entries given as mappings ({path, covers, prefix}), by
	// glob; a plain glob entry has none.
	SourceOpts       []SourceOpt
	Exposition       []ExpositionSource
	Health           []HealthSource
	Invariants       []Invariant
	HealthInvariants []HealthInvariant
	RunbookURLs      []RunbookURL
	Copies           [][]string
	Checks           Checks
	Suppress         []SuppressEntry
	Ignore           []string
	// KnownMetrics are globs of files naming metrics that exist although no exposition
	// shows them: a list of names (one per line, optionally followed by a type; # starts a
	// comment), or a saved Prometheus /api/v1/metadata or /api/v1/label/__name__/values
	// response. lint/load reads them into Project.KnownMetrics.
	KnownMetrics []string
	// KnownURLs are the known_metrics entries given as mappings ({url: …}): a
	// Prometheus-compatible API whose metric names, metadata and label names are read live.
	KnownURLs []KnownURL
	// TargetLabels are the labels that service discovery, relabelling or external labels put
	// on every series of a target in this deployment (target_labels:). Non-empty, they
	// replace the conventional names (cluster, namespace, pod, …) that label/unknown presumes;
	// job and instance, and labels used on three or more subsystems, stay target labels.
	TargetLabels []string
	// GlobAt holds the position of each glob of a key (rules, runbooks, metrics_docs,
	// dashboards, sources, known_metrics, ignore, covers), in the key's order.
	GlobAt map[string][]Pos
	// DocSites are folders published as a documentation site (Hugo, Docusaurus…): links in
	// their pages resolve as the site serves them.
	DocSites []DocSite
	// Exporters are the catalogued exporters (lint/catalog) whose metrics the project's
	// queries read: their families are definitions, as a scrape of them would be.
	Exporters []ExporterRef
}

// ExporterRef is one entry of exporters: a catalogued exporter (or alias), optionally at a
// version.
type ExporterRef struct {
	Name     string   // as written: node-exporter, kubelet
	Exporter string   // the catalogue's exporter (kubernetes for kubelet)
	Prefixes []string // for an alias: the name prefixes it selects
	Version  string   // the catalogued version name; the latest when not written
	At       Pos      // the entry
}

// ExpositionSource is one entry of exposition: a saved scrape or a URL.
type ExpositionSource struct {
	File     string
	URL      string
	Target   string
	Scrapes  int           // URL only; default 1
	Interval time.Duration // time between this target's scrapes; default 15s
	Covers   []string      // metric-name globs; nil: the prefixes of the families present
	Required bool          // default true: a failed scrape is exit 2
	Timeout  time.Duration // URL only; default 10s
	HTTP     HTTPOptions   // URL only: TLS, authentication, headers, body size limit
	At       Pos
	URLAt    Pos // the url value; zero for file entries
}

// HealthSource is one entry of health: a sample file, a URL or a JSON Schema.
type HealthSource struct {
	File     string
	URL      string
	Schema   string
	Required bool          // URL only; default true: a failed fetch is exit 2
	Timeout  time.Duration // URL only; default 10s
	HTTP     HTTPOptions   // URL only: TLS, authentication, headers, body size limit
	At       Pos
	URLAt    Pos // the url value; zero for other entries
}

// Invariant is a PromQL comparison that must hold over the scraped samples.
type Invariant struct {
	Name string
	Expr string
	At   Pos // the expr value
}

// HealthInvariant is a jq assertion that must be true on every health sample.
type HealthInvariant struct {
	Name string
	JQ   string
	At   Pos
}

// RunbookURL maps published runbook URLs onto a local folder. Prefix may also be a
// template that is rendered at deploy time ([[ .RunbookURL ]], {{ .Values.runbookBase }}),
// and Path a file: the anchor after the prefix is then checked in that file.
type RunbookURL struct {
	Prefix string
	Path   string
}

// DocSite is a folder published as a documentation site: a page a/b.md is served at a/b/,
// a/_index.md or a/index.md at a/. URLPrefix, when set, is the site path (or URL) that
// Root is served under; a <NAME> segment in it (<VERSION>) matches any one path segment.
type DocSite struct {
	Root      string
	URLPrefix string
}

// Checks switches rules off and changes their severity. Rule ids may be categories
// ("promql/*").
type Checks struct {
	Disable    []string
	DisableAt  []Pos
	Severity   map[string]Severity
	SeverityAt map[string]Pos
	// Overrides are per-path settings, applied to the findings whose primary file matches
	// one of their paths; a later override wins over an earlier one and over the settings
	// above.
	Overrides []CheckOverride
}

// CheckOverride is one checks.overrides entry.
type CheckOverride struct {
	Paths      []string // doublestar globs, relative to the config's folder
	Disable    []string
	DisableAt  []Pos
	Severity   map[string]Severity
	SeverityAt map[string]Pos
	At         Pos
}

// SuppressEntry is one entry of the config's suppress list: it hides the findings of Rule
// (an id or a category) in the files matching Path whose subject has every field that
// Subject sets. It does not depend on lines, so it survives a dashboard's re-export.
type SuppressEntry struct {
	Rule    string
	RuleAt  Pos
	Path    string // a doublestar glob; "" for any file
	Subject Subject
	Reason  string
	At      Pos // the entry
}

// ConfigError is a config problem at a position in the config file.
type ConfigError struct {
	At  Pos
	Msg string
}

func (e *ConfigError) Error() string { return e.At.String() + ": " + e.Msg }

// FindConfig returns the config file for dir: explicit when given, else dir/.driftlint.yaml
// when it exists, else "" (discovery).
func FindConfig(dir, explicit string) (string, error) {
	if explicit != "" {
		if _, err := os.Stat(explicit); err != nil {
			return "", fmt.Errorf("config %s: %w", explicit, err)
		}
		return explicit, nil
	}
	p := filepath.Join(dir, ConfigFile)
	if _, err := os.Stat(p); err == nil {
		return p, nil
	} else if !errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("config %s: %w", p, err)
	}
	return "", nil
}

// ConfigOptions say where a config's paths lead.
type ConfigOptions struct {
	// Root is the project root that every path of the config resolves inside; "" is the
	// config file's folder. The command line's --root sets it, so that a trusted config from
	// the base branch can lint a pull request's tree.
	Root string
	// AllowRead lists absolute paths outside the root (files, or folders and all below)
	// that secret and TLS files may name: the command line's --allow-read.
	AllowRead []string
}

// LoadConfig reads and validates a config file. Every problem is a *ConfigError naming the
// file and line.
func LoadConfig(file string, o ConfigOptions) (*Config, error) {
	src, err := safefs.ReadOutside(file, maxConfigSize)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	if o.Root == "" {
		o.Root = filepath.Dir(file)
	}
	return ParseConfigWith(file, src, o)
}

// maxConfigSize bounds the config file read.
const maxConfigSize = 4 << 20

// ParseConfig validates config source read from file; paths are relative to dir, the root.
func ParseConfig(file, dir string, src []byte) (*Config, error) {
	return ParseConfigWith(file, src, ConfigOptions{Root: dir})
}

// ParseConfigWith validates config source read from file, with its paths inside o.Root.
func ParseConfigWith(file string, src []byte, o ConfigOptions) (*Config, error) {
	dir, err := filepath.Abs(o.Root)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	c := &Config{Path: file, Dir: dir, GlobAt: map[string][]Pos{}}
	cp := &configParser{file: file, src: src, cfg: c, allowRead: o.AllowRead}
	defer cp.close()
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		return nil, &ConfigError{At: Pos{File: file, Line: YAMLErrorLine(err), Col: 1}, Msg: YAMLErrorMessage(err)}
	}
	if len(doc.Content) == 0 {
		return c, nil // an empty config is valid: every key is optional
	}
	if err := cp.top(doc.Content[0]); err != nil {
		return nil, err
	}
	return c, nil
}

// ProjectPos turns a position in the config file (which names the file as it was given on
// the command line) into one relative to the project root, as every finding's position is.
func (c *Config) ProjectPos(pos Pos) Pos {
	if c == nil || c.Path == "" || pos.File != c.Path {
		return pos
	}
	abs, err := filepath.Abs(c.Path)
	if err != nil {
		return pos
	}
	if rel, err := filepath.Rel(c.Dir, abs); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		pos.File = filepath.ToSlash(rel)
	}
	// A config outside the root (--root with a trusted config from elsewhere) keeps the
	// name it was given on the command line.
	return pos
}

// DefaultConfig is the config used when a folder has none: inputs are discovered.
func DefaultConfig(dir string) *Config { return &Config{Dir: dir} }

// ValidateRuleIDs checks that checks.disable, checks.severity, checks.overrides and
// suppress name registered rules (or categories of them).
func (c *Config) ValidateRuleIDs(ids []string) error {
	if err := validateRuleSettings(c.Checks.Disable, c.Checks.DisableAt, c.Checks.SeverityAt, ids); err != nil {
		return err
	}
	for _, o := range c.Checks.Overrides {
		if err := validateRuleSettings(o.Disable, o.DisableAt, o.SeverityAt, ids); err != nil {
			return err
		}
	}
	for _, e := range c.Suppress {
		if !RuleKnown(e.Rule, ids) {
			return &ConfigError{At: e.RuleAt, Msg: UnknownRuleMsg(e.Rule, ids)}
		}
	}
	return nil
}

// validateRuleSettings checks one disable list and one severity mapping (by the positions
// of its keys).
func validateRuleSettings(disable []string, disableAt []Pos, severityAt map[string]Pos, ids []string) error {
	for i, id := range disable {
		if !RuleKnown(id, ids) {
			return &ConfigError{At: disableAt[i], Msg: UnknownRuleMsg(id, ids)}
		}
	}
	keys := make([]string, 0, len(severityAt))
	for id := range severityAt {
		keys = append(keys, id)
	}
	sort.Strings(keys)
	for _, id := range keys {
		if !RuleKnown(id, ids) {
			return &ConfigError{At: severityAt[id], Msg: UnknownRuleMsg(id, ids)}
		}
	}
	return nil
}

// RuleKnown reports whether pattern is one of ids or a category ("promql/*") of at least
// one of them.
func RuleKnown(pattern string, ids []string) bool {
	return slices.ContainsFunc(ids, func(id string) bool { return RuleMatches(pattern, id) })
}

// RuleMatches reports whether a rule pattern (an id, or a category such as "promql/*")
// names the rule id.
func RuleMatches(pattern, id string) bool {
	if cat, ok := strings.CutSuffix(pattern, "/*"); ok {
		return strings.HasPrefix(id, cat+"/")
	}
	return pattern == id
}

// UnknownRuleMsg says that id names no rule of ids, with the closest one when there is one.
func UnknownRuleMsg(id string, ids []string) string {
	msg := fmt.Sprintf("unknown rule %q", id)
	if s := Closest(id, ids); s != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", s)
	}
	return msg
}

type configParser struct {
	file      string
	src       []byte
	cfg       *Config
	sf        *SourceFile
	root      *safefs.Root // opened on first use
	rootErr   error
	allowRead []string
}

// fsRoot opens the project root, once.
func (cp *configParser) fsRoot() (*safefs.Root, error) {
	if cp.root == nil && cp.rootErr == nil {
		cp.root, cp.rootErr = safefs.Open(cp.cfg.Dir)
	}
	return cp.root, cp.rootErr
}

func (cp *configParser) close() {
	if cp.root != nil {
		_ = cp.root.Close()
	}
}

func (cp *configParser) pos(n *yaml.Node) Pos {
	if cp.sf == nil {
		cp.sf = NewSourceFile(cp.file, cp.src)
	}
	// yaml columns count runes; report bytes like every other position.
	return Pos{File: cp.file, Line: n.Line, Col: RuneColToByte(cp.sf.Line(n.Line), n.Column)}
}

// RuneColToByte converts a 1-based rune column within line into a 1-based byte column.
func RuneColToByte(line string, col int) int {
	b := 0
	for r := 1; r < col && b < len(line); r++ {
		_, size := utf8.DecodeRuneInString(line[b:])
		b += size
	}
	return b + 1 + max(0, col-1-utf8.RuneCountInString(line))
}

func (cp *configParser) errf(n *yaml.Node, format string, args ...any) error {
	return &ConfigError{At: cp.pos(n), Msg: fmt.Sprintf(format, args...)}
}

// mapping walks a mapping node, checking each key against allowed.
func (cp *configParser) mapping(n *yaml.Node, what string, allowed []string, f func(key string, k, v *yaml.Node) error) error {
	if n.Kind != yaml.MappingNode {
		return cp.errf(n, "%s must be a mapping", what)
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if !slices.Contains(allowed, k.Value) {
			msg := fmt.Sprintf("unknown key %q in %s", k.Value, what)
			if s := Closest(k.Value, allowed); s != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", s)
			}
			return cp.errf(k, "%s", msg)
		}
		if seen[k.Value] {
			return cp.errf(k, "duplicate key %q in %s", k.Value, what)
		}
		seen[k.Value] = true
		if err := f(k.Value, k, v); err != nil {
			return err
		}
	}
	return nil
}

func (cp *configParser) str(n *yaml.Node, what string) (string, error) {
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		return "", cp.errf(n, "%s must be a string", what)
	}
	return n.Value, nil
}

// labelNames reads a list of label names.
func (cp *configParser) labelNames(n *yaml.Node, what string) ([]string, error) {
	items, err := cp.seq(n, what)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, it := range items {
		s, err := cp.str(it, what+" entry")
		if err != nil {
			return nil, err
		}
		if !model.LegacyValidation.IsValidLabelName(s) {
			return nil, cp.errf(it, "%s: %q is not a label name", what, s)
		}
		out = append(out, s)
	}
	return out, nil
}

func (cp *configParser) seq(n *yaml.Node, what string) ([]*yaml.Node, error) {
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return nil, nil
	}
	if n.Kind != yaml.SequenceNode {
		return nil, cp.errf(n, "%s must be a list", what)
	}
	return n.Content, nil
}

func (cp *configParser) globs(n *yaml.Node, what string) ([]string, error) {
	items, err := cp.seq(n, what)
	if err != nil {
		// A single glob is accepted as a one-item list.
		if n.Kind == yaml.ScalarNode {
			items = []*yaml.Node{n}
		} else {
			return nil, err
		}
	}
	var out []string
	for _, it := range items {
		s, err := cp.str(it, what+" entry")
		if err != nil {
			return nil, err
		}
		if !doublestar.ValidatePattern(s) {
			return nil, cp.errf(it, "bad glob %q in %s", s, what)
		}
		g := path.Clean(filepath.ToSlash(s))
		if path.IsAbs(g) || filepath.IsAbs(s) || g == ".." || strings.HasPrefix(g, "../") {
			return nil, cp.errf(it, "glob %q in %s leaves the project root %s; every input is inside it", s, what, cp.cfg.Dir)
		}
		out = append(out, g)
		cp.cfg.GlobAt[what] = append(cp.cfg.GlobAt[what], cp.pos(it))
	}
	return out, nil
}

// existing reads a path that must exist inside the project root (a file or a folder), as a
// cleaned slash-separated path relative to it. A path that leaves the root, itself or
// through a symbolic link, is an error: nothing outside the root is read.
func (cp *configParser) existing(n *yaml.Node, what string) (string, error) {
	s, err := cp.str(n, what)
	if err != nil {
		return "", err
	}
	root, err := cp.fsRoot()
	if err != nil {
		return "", cp.errf(n, "project root: %s", err)
	}
	rel, err := root.Clean(s)
	if err == nil {
		_, err = root.Stat(rel)
	}
	switch {
	case errors.Is(err, safefs.ErrEscapes):
		return "", cp.errf(n, "%s %q leaves the project root %s (itself or through a symbolic link); nothing outside it is read", what, s, cp.cfg.Dir)
	case err != nil:
		return "", cp.errf(n, "%s %q does not exist", what, s)
	}
	// Cleaned, as the loader names every input: ./m.prom and m.prom are one file.
	return rel, nil
}

// secretFile reads the path of a secret or TLS file: inside the project root as existing
// does, or outside it when the command line's --allow-read names it (then absolute).
func (cp *configParser) secretFile(n *yaml.Node, what string) (string, error) {
	s, err := cp.str(n, what)
	if err != nil {
		return "", err
	}
	abs := s
	if !filepath.IsAbs(abs) {
		abs = filepath.Join(cp.cfg.Dir, filepath.FromSlash(s))
	}
	if AllowedOutside(cp.allowRead, abs) {
		if _, err := os.Stat(abs); err != nil {
			return "", cp.errf(n, "%s %q does not exist", what, s)
		}
		return filepath.Clean(abs), nil
	}
	rel, err := cp.existing(n, what)
	if err != nil {
		if ce, ok := errors.AsType[*ConfigError](err); ok && strings.Contains(ce.Msg, "leaves the project root") {
			ce.Msg = fmt.Sprintf("%s %q is outside the project root %s: a secret or TLS file there is read only when the command line names it with --allow-read", what, s, cp.cfg.Dir)
		}
		return "", err
	}
	return rel, nil
}

// AllowedOutside reports whether the absolute path p is one of allow, or below one of them.
// Links in p are resolved first, so that a link cannot dress another file as an allowed one.
func AllowedOutside(allow []string, p string) bool {
	if len(allow) == 0 {
		return false
	}
	if real, err := filepath.EvalSymlinks(p); err == nil {
		p = real
	}
	for _, a := range allow {
		if real, err := filepath.EvalSymlinks(a); err == nil {
			a = real
		}
		if rel, err := filepath.Rel(a, p); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel) {
			return true
		}
	}
	return false
}

func (cp *configParser) duration(n *yaml.Node, what string) (time.Duration, error) {
	s, err := cp.str(n, what)
	if err != nil {
		return 0, err
	}
	d, err := model.ParseDuration(s)
	if err != nil || d <= 0 {
		return 0, cp.errf(n, "bad duration %q for %s (want e.g. 15s, 1m)", s, what)
	}
	return time.Duration(d), nil
}

var topKeys = []string{"rules", "runbooks", "metrics_docs", "dashboards", "exposition", "sources", "health", "invariants", "health_invariants", "runbook_urls", "doc_sites", "copies", "checks", "suppress", "ignore", "known_metrics", "target_labels", "exporters"}

func (cp *configParser) top(n *yaml.Node) error {
	c := cp.cfg
	return cp.mapping(n, "the config", topKeys, func(key string, _, v *yaml.Node) error {
		var err error
		switch key {
		case "rules":
			c.Rules, err = cp.globs(v, key)
		case "runbooks":
			c.Runbooks, err = cp.globs(v, key)
		case "metrics_docs":
			c.MetricsDocs, err = cp.globs(v, key)
		case "dashboards":
			c.Dashboards, err = cp.globs(v, key)
		case "sources":
			err = cp.sources(v)
		case "ignore":
			c.Ignore, err = cp.globs(v, key)
		case "known_metrics":
			err = cp.knownMetrics(v)
		case "target_labels":
			c.TargetLabels, err = cp.labelNames(v, key)
		case "exporters":
			err = cp.exporters(v)
		case "exposition":
			err = cp.expositions(v)
		case "health":
			err = cp.health(v)
		case "invariants":
			err = cp.invariants(v)
		case "health_invariants":
			err = cp.healthInvariants(v)
		case "runbook_urls":
			err = cp.runbookURLs(v)
		case "doc_sites":
			err = cp.docSites(v)
		case "copies":
			err = cp.copies(v)
		case "checks":
			err = cp.checks(v)
		case "suppress":
			err = cp.suppress(v)
		}
		return err
	})
}

func (cp *configParser) expositions(n *yaml.Node) error {
	items, err := cp.seq(n, "exposition")
	if err != nil {
		return err
	}
	keys := append([]string{"file", "url", "target", "scrapes", "interval", "covers", "required", "timeout"}, httpKeys...)
	for _, it := range items {
		e := ExpositionSource{Scrapes: 1, Interval: 15 * time.Second, Required: true, Timeout: 10 * time.Second, At: cp.pos(it)}
		e.HTTP.MaxBodySize = DefaultMaxBodySize
		err := cp.mapping(it, "an exposition entry", keys, func(key string, k, v *yaml.Node) error {
			var err error
			switch key {
			case "file":
				e.File, err = cp.existing(v, "exposition file")
			case "url":
				e.URL, err = cp.checkURL(v)
				e.URLAt = cp.pos(v)
			case "target":
				e.Target, err = cp.str(v, "target")
			case "scrapes":
				e.Scrapes, err = cp.scrapes(v)
			case "interval":
				e.Interval, err = cp.capped(v, "interval", Limit().MaxInterval, "max_interval")
			case "timeout":
				e.Timeout, err = cp.capped(v, "timeout", Limit().MaxTimeout, "max_timeout")
			case "covers":
				e.Covers, err = cp.globs(v, "covers")
				if e.Covers == nil {
					e.Covers = []string{}
				}
			case "required":
				e.Required, err = cp.boolean(v, "required")
			default: // mapping admits only keys, so one of httpKeys
				err = cp.httpOption(&e.HTTP, key, k, v)
			}
			return err
		})
		if err != nil {
			return err
		}
		if (e.File == "") == (e.URL == "") {
			return cp.errf(it, "an exposition entry needs exactly one of file or url")
		}
		if e.File != "" && e.Scrapes != 1 {
			return cp.errf(it, "scrapes applies to url entries only; list each saved scrape as its own file")
		}
		if e.File != "" {
			if err := cp.checkFileEntry(it, "file entry"); err != nil {
				return err
			}
		}
		c := cp.cfg
		c.Exposition = append(c.Exposition, e)
	}
	return nil
}

func (cp *configParser) health(n *yaml.Node) error {
	items, err := cp.seq(n, "health")
	if err != nil {
		return err
	}
	for _, it := range items {
		h := HealthSource{Required: true, Timeout: 10 * time.Second, At: cp.pos(it)}
		h.HTTP.MaxBodySize = DefaultMaxBodySize
		keys := append([]string{"file", "url", "schema", "required", "timeout"}, httpKeys...)
		err := cp.mapping(it, "a health entry", keys, func(key string, k, v *yaml.Node) error {
			var err error
			switch key {
			case "file":
				h.File, err = cp.existing(v, "health file")
			case "schema":
				h.Schema, err = cp.existing(v, "health schema")
			case "url":
				h.URL, err = cp.checkURL(v)
				h.URLAt = cp.pos(v)
			case "required":
				h.Required, err = cp.boolean(v, "required")
			case "timeout":
				h.Timeout, err = cp.capped(v, "timeout", Limit().MaxTimeout, "max_timeout")
			default: // mapping admits only keys, so one of httpKeys
				err = cp.httpOption(&h.HTTP, key, k, v)
			}
			return err
		})
		if err != nil {
			return err
		}
		if h.URL == "" {
			for i := 0; i+1 < len(it.Content); i += 2 {
				if k := it.Content[i]; k.Value == "required" {
					return cp.errf(k, "required applies to url entries only")
				}
			}
			if err := cp.checkFileEntry(it, "file or schema entry"); err != nil {
				return err
			}
		}
		set := 0
		for _, s := range []string{h.File, h.URL, h.Schema} {
			if s != "" {
				set++
			}
		}
		if set != 1 {
			return cp.errf(it, "a health entry needs exactly one of file, url or schema")
		}
		cp.cfg.Health = append(cp.cfg.Health, h)
	}
	return nil
}

// PromQLParser is the one PromQL parser of a run (queries, invariants and the engine that
// evaluates them); it is safe for concurrent use. Experimental functions and fill
// modifiers are enabled so that valid user queries are never rejected. Every expression
// goes through CheckPromQL first: one over the run's limits is a positioned parse error.
var PromQLParser parser.Parser = limitedParser{parser.NewParser(parser.Options{EnableExperimentalFunctions: true, EnableBinopFillModifiers: true})}

func (cp *configParser) invariants(n *yaml.Node) error {
	items, err := cp.seq(n, "invariants")
	if err != nil {
		return err
	}
	names := map[string]bool{}
	for _, it := range items {
		var inv Invariant
		var exprNode *yaml.Node
		err := cp.mapping(it, "an invariant", []string{"name", "expr"}, func(key string, _, v *yaml.Node) error {
			var err error
			switch key {
			case "name":
				inv.Name, err = cp.str(v, "invariant name")
			case "expr":
				inv.Expr, err = cp.str(v, "invariant expr")
				exprNode = v
			}
			return err
		})
		if err != nil {
			return err
		}
		if inv.Name == "" || exprNode == nil {
			return cp.errf(it, "an invariant needs a name and an expr")
		}
		if names[inv.Name] {
			return cp.errf(it, "invariant %q is defined twice", inv.Name)
		}
		names[inv.Name] = true
		inv.At = cp.pos(exprNode)
		e, err := PromQLParser.ParseExpr(inv.Expr)
		if err != nil {
			return cp.errf(exprNode, "invariant %q: %s", inv.Name, oneLine(err.Error()))
		}
		if !isComparison(e) {
			return cp.errf(exprNode, "invariant %q must be a comparison such as a <= b, got %s", inv.Name, e.Type())
		}
		cp.cfg.Invariants = append(cp.cfg.Invariants, inv)
	}
	return nil
}

// isComparison reports whether e is a filtering comparison (a <= b, count(x) >= 8), possibly
// combined with and/or/unless. As the checker (scrape.Checker) reads it, the right side of
// unless only removes series, so a comparison there alone does not make one.
func isComparison(e parser.Expr) bool {
	switch e := e.(type) {
	case *parser.ParenExpr:
		return isComparison(e.Expr)
	case *parser.BinaryExpr:
		if e.Op.IsComparisonOperator() {
			return !e.ReturnBool && (e.LHS.Type() == parser.ValueTypeVector || e.RHS.Type() == parser.ValueTypeVector)
		}
		if e.Op == parser.LUNLESS {
			return isComparison(e.LHS)
		}
		if e.Op.IsSetOperator() {
			return isComparison(e.LHS) || isComparison(e.RHS)
		}
	}
	return false
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func (cp *configParser) healthInvariants(n *yaml.Node) error {
	items, err := cp.seq(n, "health_invariants")
	if err != nil {
		return err
	}
	for _, it := range items {
		var inv HealthInvariant
		var jqNode *yaml.Node
		err := cp.mapping(it, "a health invariant", []string{"name", "jq"}, func(key string, _, v *yaml.Node) error {
			var err error
			switch key {
			case "name":
				inv.Name, err = cp.str(v, "health invariant name")
			case "jq":
				inv.JQ, err = cp.str(v, "health invariant jq")
				jqNode = v
			}
			return err
		})
		if err != nil {
			return err
		}
		if inv.Name == "" || jqNode == nil {
			return cp.errf(it, "a health invariant needs a name and a jq program")
		}
		if _, err := gojq.Parse(inv.JQ); err != nil {
			return cp.errf(jqNode, "health invariant %q: bad jq: %s", inv.Name, err)
		}
		inv.At = cp.pos(jqNode)
		cp.cfg.HealthInvariants = append(cp.cfg.HealthInvariants, inv)
	}
	return nil
}

func (cp *configParser) runbookURLs(n *yaml.Node) error {
	items, err := cp.seq(n, "runbook_urls")
	if err != nil {
		return err
	}
	for _, it := range items {
		var u RunbookURL
		err := cp.mapping(it, "a runbook_urls entry", []string{"prefix", "path"}, func(key string, _, v *yaml.Node) error {
			var err error
			switch key {
			case "prefix":
				u.Prefix, err = cp.str(v, "prefix")
			case "path":
				u.Path, err = cp.existing(v, "runbook path")
			}
			return err
		})
		if err != nil {
			return err
		}
		if u.Prefix == "" || u.Path == "" {
			return cp.errf(it, "a runbook_urls entry needs a prefix and a path")
		}
		cp.cfg.RunbookURLs = append(cp.cfg.RunbookURLs, u)
	}
	return nil
}

// exporters reads the exporters: list: NAME or NAME@VERSION of the catalogue. An unknown
// name or version is an error that lists the known ones.
func (cp *configParser) exporters(n *yaml.Node) error {
	items, err := cp.seq(n, "exporters")
	if err != nil {
		return err
	}
	seen := map[string]bool{}
	for _, it := range items {
		s, err := cp.str(it, "an exporters entry")
		if err != nil {
			return err
		}
		name, version, _ := strings.Cut(strings.TrimSpace(s), "@")
		e, prefixes, ok := catalog.Lookup(name)
		if !ok {
			var known []string
			for _, e := range catalog.Exporters() {
				known = append(known, e.Name)
				known = append(known, slices.Sorted(maps.Keys(e.Aliases))...)
			}
			slices.Sort(known)
			msg := fmt.Sprintf("exporters: %q is not a catalogued exporter", name)
			if c := Closest(name, known); c != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", c)
			}
			return cp.errf(it, "%s; known: %s (driftlint exporters lists them with their versions)", msg, strings.Join(known, ", "))
		}
		i, err := e.Resolve(version)
		if err != nil {
			return cp.errf(it, "exporters: %s: %v", name, err)
		}
		if seen[name] {
			return cp.errf(it, "exporters: %s is listed twice", name)
		}
		seen[name] = true
		cp.cfg.Exporters = append(cp.cfg.Exporters, ExporterRef{Name: name, Exporter: e.Name, Prefixes: prefixes, Version: e.Versions[i].Name, At: cp.pos(it)})
	}
	return nil
}

func (cp *configParser) docSites(n *yaml.Node) error {
	items, err := cp.seq(n, "doc_sites")
	if err != nil {
		return err
	}
	for _, it := range items {
		var d DocSite
		err := cp.mapping(it, "a doc_sites entry", []string{"root", "url_prefix"}, func(key string, _, v *yaml.Node) error {
			var err error
			switch key {
			case "root":
				d.Root, err = cp.existing(v, "doc site root")
			case "url_prefix":
				d.URLPrefix, err = cp.str(v, "url_prefix")
			}
			return err
		})
		if err != nil {
			return err
		}
		if d.Root == "" {
			return cp.errf(it, "a doc_sites entry needs a root")
		}
		cp.cfg.DocSites = append(cp.cfg.DocSites, d)
	}
	return nil
}

func (cp *configParser) copies(n *yaml.Node) error {
	items, err := cp.seq(n, "copies")
	if err != nil {
		return err
	}
	for _, it := range items {
		files, err := cp.seq(it, "a copies entry")
		if err != nil {
			return err
		}
		if len(files) < 2 {
			return cp.errf(it, "a copies entry lists at least two rule files")
		}
		var set []string
		for _, f := range files {
			s, err := cp.existing(f, "rule file")
			if err != nil {
				return err
			}
			set = append(set, s)
		}
		cp.cfg.Copies = append(cp.cfg.Copies, set)
	}
	return nil
}

func (cp *configParser) checks(n *yaml.Node) error {
	c := &cp.cfg.Checks
	return cp.mapping(n, "checks", []string{"disable", "severity", "overrides"}, func(key string, _, v *yaml.Node) error {
		var err error
		switch key {
		case "disable":
			c.Disable, c.DisableAt, err = cp.ruleList(v, "checks.disable")
		case "severity":
			c.Severity, c.SeverityAt, err = cp.severities(v, "checks.severity")
		case "overrides":
			err = cp.overrides(v)
		}
		return err
	})
}

// ruleList reads a list of rule ids, with the position of each.
func (cp *configParser) ruleList(n *yaml.Node, what string) ([]string, []Pos, error) {
	items, err := cp.seq(n, what)
	if err != nil {
		return nil, nil, err
	}
	var ids []string
	var at []Pos
	for _, it := range items {
		s, err := cp.str(it, "a rule id")
		if err != nil {
			return nil, nil, err
		}
		ids = append(ids, s)
		at = append(at, cp.pos(it))
	}
	return ids, at, nil
}

// severities reads a mapping of rule id to severity, with the position of each id.
func (cp *configParser) severities(n *yaml.Node, what string) (map[string]Severity, map[string]Pos, error) {
	if n.Kind != yaml.MappingNode {
		return nil, nil, cp.errf(n, "%s must be a mapping of rule id to severity", what)
	}
	sev := map[string]Severity{}
	at := map[string]Pos{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		s, err := ParseSeverity(val.Value)
		if err != nil {
			return nil, nil, cp.errf(val, "%s", err)
		}
		sev[k.Value] = s
		at[k.Value] = cp.pos(k)
	}
	return sev, at, nil
}

func (cp *configParser) overrides(n *yaml.Node) error {
	items, err := cp.seq(n, "checks.overrides")
	if err != nil {
		return err
	}
	c := &cp.cfg.Checks
	for _, it := range items {
		o := CheckOverride{At: cp.pos(it)}
		err := cp.mapping(it, "a checks.overrides entry", []string{"paths", "disable", "severity"}, func(key string, _, v *yaml.Node) error {
			var err error
			switch key {
			case "paths":
				o.Paths, err = cp.globs(v, "paths")
			case "disable":
				o.Disable, o.DisableAt, err = cp.ruleList(v, "disable")
			case "severity":
				o.Severity, o.SeverityAt, err = cp.severities(v, "severity")
			}
			return err
		})
		if err != nil {
			return err
		}
		if len(o.Paths) == 0 {
			return cp.errf(it, "a checks.overrides entry needs paths")
		}
		if len(o.Disable) == 0 && len(o.Severity) == 0 {
			return cp.errf(it, "a checks.overrides entry needs disable or severity")
		}
		c.Overrides = append(c.Overrides, o)
	}
	return nil
}

// subjectKeys are the fields of Subject that a suppress entry can match, as they are named in
// JSON output and baselines.
var subjectKeys = []string{"metric", "label", "field", "alert", "record", "file", "invariant", "series"}

func (cp *configParser) suppress(n *yaml.Node) error {
	items, err := cp.seq(n, "suppress")
	if err != nil {
		return err
	}
	for _, it := range items {
		e := SuppressEntry{At: cp.pos(it)}
		err := cp.mapping(it, "a suppress entry", []string{"rule", "path", "subject", "reason"}, func(key string, _, v *yaml.Node) error {
			var err error
			switch key {
			case "rule":
				e.Rule, err = cp.str(v, "rule")
				e.RuleAt = cp.pos(v)
			case "path":
				var g []string
				if g, err = cp.globs(v, "path"); err == nil {
					if len(g) != 1 {
						return cp.errf(v, "path must be one glob")
					}
					e.Path = g[0]
				}
			case "subject":
				if v.Kind == yaml.MappingNode && len(v.Content) == 0 {
					return cp.errf(v, "subject must name at least one of %s", strings.Join(subjectKeys, ", "))
				}
				err = cp.mapping(v, "subject", subjectKeys, func(key string, _, v *yaml.Node) error {
					s, err := cp.str(v, "subject."+key)
					if err == nil && s == "" {
						err = cp.errf(v, "subject.%s must not be empty", key)
					}
					*subjectField(&e.Subject, key) = s
					return err
				})
			case "reason":
				e.Reason, err = cp.str(v, "reason")
				e.Reason = strings.TrimSpace(e.Reason)
			}
			return err
		})
		if err != nil {
			return err
		}
		switch {
		case e.Rule == "":
			return cp.errf(it, "a suppress entry needs a rule")
		case e.Rule == UnusedIgnoreID:
			return &ConfigError{At: e.RuleAt, Msg: "a suppress entry for " + UnusedIgnoreID + " has no effect: disable the rule instead"}
		case e.Reason == "":
			return cp.errf(it, "a suppress entry needs a reason")
		case e.Path == "" && e.Subject == (Subject{}):
			return cp.errf(it, "a suppress entry needs a path or a subject (to switch a rule off everywhere, use checks.disable)")
		}
		cp.cfg.Suppress = append(cp.cfg.Suppress, e)
	}
	return nil
}

// subjectField is the field of s named key (one of subjectKeys).
func subjectField(s *Subject, key string) *string {
	switch key {
	case "metric":
		return &s.Metric
	case "label":
		return &s.Label
	case "field":
		return &s.Field
	case "alert":
		return &s.Alert
	case "record":
		return &s.Record
	case "file":
		return &s.File
	case "invariant":
		return &s.Invariant
	default:
		return &s.Series
	}
}

var (
	yamlLinePrefix = regexp.MustCompile(`^(?:yaml: )?(?:line \d+: )?`)
	yamlLine       = regexp.MustCompile(`^(?:yaml: )?line (\d+):`)
)

// YAMLErrorLine is the line number of a yaml.v3 error ("yaml: line 5: …", or a decode
// error's "line 5: cannot unmarshal …"), or 1 when it names none.
func YAMLErrorLine(err error) int {
	if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
		if n, e := strconv.Atoi(m[1]); e == nil && n > 0 {
			return n
		}
	}
	return 1
}

// YAMLErrorMessage is a yaml.v3 error without its "yaml: line N: " prefix, for messages that
// carry the position separately.
func YAMLErrorMessage(err error) string {
	return yamlLinePrefix.ReplaceAllString(err.Error(), "")
}

// SourceOpt is a sources: entry given as a mapping.
type SourceOpt struct {
	Glob string
	// Covers are metric-name globs that the files' definitions are the truth for, instead
	// of the name spaces they own; nil when not given.
	Covers []string
	// Prefix is prepended to every name the files define: a namespace the program adds at
	// run time (an exporter's configurable --namespace, a prefixing registry).
	Prefix string
	At     Pos
}

// sources reads the sources: list, whose entries are globs or {path: GLOB, covers: [GLOBS],
// prefix: PREFIX} mappings.
func (cp *configParser) sources(n *yaml.Node) error {
	items, err := cp.seq(n, "sources")
	if err != nil {
		if n.Kind != yaml.ScalarNode {
			return err
		}
		items = []*yaml.Node{n}
	}
	for _, it := range items {
		if it.Kind != yaml.MappingNode {
			g, err := cp.globs(it, "sources")
			if err != nil {
				return err
			}
			cp.cfg.Sources = append(cp.cfg.Sources, g...)
			continue
		}
		o := SourceOpt{At: cp.pos(it)}
		var pathNode *yaml.Node
		err := cp.mapping(it, "a sources entry", []string{"path", "covers", "prefix"}, func(key string, _, v *yaml.Node) error {
			var err error
			switch key {
			case "path":
				pathNode = v
			case "covers":
				o.Covers, err = cp.globs(v, "covers")
				if o.Covers == nil {
					o.Covers = []string{}
				}
			case "prefix":
				o.Prefix, err = cp.str(v, "prefix")
				if err == nil && (o.Prefix == "" || !model.LegacyValidation.IsValidMetricName(o.Prefix+"x")) {
					err = cp.errf(v, "prefix %q cannot start a metric name", o.Prefix)
				}
			}
			return err
		})
		if err != nil {
			return err
		}
		if pathNode == nil {
			return cp.errf(it, "a sources entry needs path: (a glob of source files)")
		}
		g, err := cp.globs(pathNode, "sources")
		if err != nil {
			return err
		}
		if len(g) != 1 {
			return cp.errf(pathNode, "path: is one glob")
		}
		o.Glob = g[0]
		cp.cfg.Sources = append(cp.cfg.Sources, o.Glob)
		cp.cfg.SourceOpts = append(cp.cfg.SourceOpts, o)
	}
	return nil
}
