package lint

import (
	"fmt"
	"maps"
	"path"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/bmatcuk/doublestar/v4"
	"github.com/prometheus/prometheus/promql/parser"
)

// Project is the model of one project: every artifact reduced to facts with positions.
// Loaders fill it; rules only read it.
type Project struct {
	Root   string // absolute folder that paths are relative to
	Config *Config

	Files         []*SourceFile
	Rules         []*RuleEntry // from rule files, in file order
	RunbookAlerts []*RuleEntry // alert copies in runbook yaml blocks
	Queries       []*Query     // every query of every artifact
	Markdown      []*Markdown
	DocEntries    []*DocEntry
	Dashboards    []*Dashboard
	Expositions   []*Exposition // in config order; scrapes of one target keep their order
	Health        []*HealthSample
	ParseProblems []ParseProblem
	// Foreign are the queries left unread because they are not PromQL (LogQL, other
	// datasources); --verbose counts them.
	Foreign []ForeignQuery
	// Skipped are inputs not read although a glob or discovery found them: links that lead
	// out of the project root, FIFOs and devices (rule input/skipped).
	Skipped []ParseProblem
	// Empty are config globs that match nothing and configured files that yield nothing of
	// their kind (rule input/empty).
	Empty []ParseProblem
	// KnownPaths holds every file path under Root (slash-separated, relative, ignored paths
	// left out), so that rules can tell whether a linked file exists without doing I/O. The
	// loader fills it with runbook.ListFiles; nil means unknown (only loaded files are known).
	KnownPaths map[string]bool
	// SiteAliases holds, for the pages of the config's doc_sites that are not loaded as
	// runbooks or docs, the aliases: of their front matter (the old URLs that redirect to
	// them), by page path; the loader reads the head of each page.
	SiteAliases map[string][]string
	// KnownMetrics are the metrics that the config's known_metrics files name: they exist
	// although no exposition shows them (a collector the saved scrape ran without, an
	// exporter of another team), so they count as defined, with unknown labels.
	KnownMetrics []KnownMetric
	// KnownCovers are metric-name globs that known_metrics url entries (and their snapshots)
	// are the truth for: a name in them that nothing defines is unknown, not unverified.
	KnownCovers []string
	// Exporters are the families of the config's exporters: entries, from the catalogue:
	// definitions as a scrape of the exporter would give, owning the exporter's name spaces.
	Exporters []*ExporterDefs
	// ClientDefaults are the families a client library's default registry exports, for the
	// clients the project's sources use (client_golang's go_*, process_*, promhttp_*;
	// prometheus_client's process_*, python_*): defined, never unknown, never asked to be
	// documented. Family name → the client.
	ClientDefaults map[string]string

	once    sync.Once
	memo    sync.Map // key → *memoEntry, see Memo
	suggest sync.Map // name → Suggest's answer
	defs    map[string]MetricDef
	names   []string
	prefix  map[string]bool
	globs   []string
	excuses []Excuse
	srcWord map[string]bool // first words of the families the sources define
	// libs are the registerers the code wraps with a prefix and hands to a library, one per
	// prefix (see collectLibraries)
	libs    []LibraryRegisterer
	records bool // some recording rule is loaded: the rules are the truth for a:b:c names
	fileIdx map[string]*SourceFile
}

// KnownMetric is a metric named by a known_metrics file.
type KnownMetric struct {
	Name string
	// Glob is set when Name is a glob (app_*_seconds): the names it matches are unverified
	// (excused), never defined.
	Glob bool
	Type string // counter, gauge, histogram, summary, …; "" when the file does not say
	At   Pos    // where the file names it
	Help string // from a live API's metadata or its snapshot; "" when not said
	// Labels are the label names of the name's series, as a live Prometheus (or its
	// snapshot) shows them, scrape-time labels included; LabelsKnown says they were read.
	Labels      []string
	LabelsKnown bool
}

// DefKind says how a metric is known to exist.
type DefKind int

// The ways a metric can be defined.
const (
	DefExported  DefKind = iota + 1 // a family in an exposition
	DefRecorded                     // a recording rule's output
	DefSynthetic                    // a series Prometheus itself creates (up, ALERTS, scrape_*)
	DefKnown                        // named by a known_metrics file
	DefClient                       // a client library's default family (go_goroutines)
	DefExporter                     // a catalogued exporter's family (config exporters:)
)

// ExporterDefs are the families of one exporters: entry, from the catalogue.
type ExporterDefs struct {
	Ref ExporterRef
	// Expo holds the selected version's families: Source set, no samples, Target
	// "exporter NAME", Covers the name spaces the exporter owns in any catalogued version.
	Expo *Exposition
	// Older are the families that only other catalogued versions export: their names are
	// defined too (a dashboard may serve several versions).
	Older []*Family
	// RenamedTo holds, for an older family renamed upstream, its new name; RenamedIn the
	// version that renamed it.
	RenamedTo, RenamedIn map[string]string
	// OlderIn says which catalogued versions export each older family: "0.15 until 0.16".
	OlderIn map[string]string
	// Excuses are globs of the names of exporter definitions the catalogue could not read;
	// ExcusesWithin the name spaces they stay in (see Excuse.Within): the exporter's own,
	// or nil for a client library's, whose unread definitions are its default collectors
	// under the project's namespace (myapp_process_cpu_seconds_total).
	Excuses, ExcusesWithin []string
}

// Origin names the exporter as a definition's origin: "node-exporter 1.12".
func (x *ExporterDefs) Origin() string { return x.Ref.Name + " " + x.Ref.Version }

// Excuse is a glob of metric names that may exist although nothing defines them exactly: the
// names an unresolved definition in the code can produce (app_*_seconds), or a glob of a
// known_metrics file. A name it matches is unverified, never unknown.
type Excuse struct {
	Glob string
	Type string // the definition's type ("" when unknown): which series suffixes it adds
	At   Pos    // the definition, or the known_metrics line
	Why  string // "an unresolved definition", "a known_metrics glob"
	// Within, when set, are the name spaces the excuse stays in: a catalogued exporter's
	// unread definition can only produce names the exporter owns, so node_exporter's
	// *_seconds (its textfile and hwmon names) excuses node_textfile_mtime_seconds, not a
	// misspelt tikv_scheduler_…_seconds of the project (TiKV: three true errors hidden).
	Within []string
}

// MetricDef is where a metric name is first defined.
type MetricDef struct {
	Kind   DefKind
	At     Pos
	Family *Family    // for DefExported and DefExporter; for DefKnown when the known_metrics file gives a type
	Rule   *RuleEntry // for DefRecorded
	// Exporter is the catalogued exporter of a DefExporter.
	Exporter *ExporterDefs
}

// syntheticSeries are created by Prometheus itself, not by any exporter.
var syntheticSeries = []string{
	"ALERTS", "ALERTS_FOR_STATE", "up", "scrape_duration_seconds", "scrape_samples_scraped",
	"scrape_samples_post_metric_relabeling", "scrape_series_added", "scrape_timeout_seconds",
	"scrape_sample_limit", "scrape_body_size_bytes",
}

func (p *Project) index() {
	p.once.Do(func() {
		p.defs = map[string]MetricDef{}
		p.prefix = map[string]bool{}
		p.srcWord = map[string]bool{}
		p.fileIdx = map[string]*SourceFile{}
		for _, f := range p.Files {
			p.fileIdx[f.Path] = f
		}
		p.globs = append(p.globs, p.KnownCovers...)
		for _, e := range p.Expositions {
			if e.Covers != nil {
				p.globs = append(p.globs, e.Covers...)
			}
			for _, name := range e.Order {
				fam := e.Families[name]
				for _, s := range fam.SeriesNames() {
					if _, ok := p.defs[s]; !ok {
						p.defs[s] = MetricDef{Kind: DefExported, At: fam.At(), Family: fam}
					}
				}
				if e.Covers == nil {
					p.prefix[MetricPrefix(name)] = true
				}
				if e.Source && !IsRecordingName(name) {
					p.srcWord[MetricPrefix(name)] = true
				}
			}
		}
		for _, x := range p.Exporters {
			p.globs = append(p.globs, x.Expo.Covers...)
			for _, fam := range slices.Concat(x.Expo.InOrder(), x.Older) {
				for _, s := range fam.SeriesNames() {
					if _, ok := p.defs[s]; !ok {
						p.defs[s] = MetricDef{Kind: DefExporter, At: x.Ref.At, Family: fam, Exporter: x}
					}
				}
			}
			for _, g := range x.Excuses {
				if !Excusing(g) {
					continue // "*" and "*_total" would excuse every name of the exporter's
				}
				p.excuses = append(p.excuses, Excuse{Glob: g, At: x.Ref.At, Why: "a definition of " + x.Ref.Name + " that the catalogue could not read", Within: x.ExcusesWithin})
			}
		}
		for _, r := range p.Rules {
			if r.Kind != RecordingRule {
				continue
			}
			p.records = true
			if _, ok := p.defs[r.Name]; !ok {
				p.defs[r.Name] = MetricDef{Kind: DefRecorded, At: r.NameAt, Rule: r}
			}
		}
		p.collectLibraries()
		for _, e := range p.Expositions {
			if e.Code == nil {
				continue
			}
			for _, u := range e.Code.Unresolved {
				if Excusing(u.Pattern) {
					p.excuses = append(p.excuses, Excuse{Glob: u.Pattern, Type: u.Type, At: u.At, Why: "an unresolved definition"})
				}
			}
		}
		for _, k := range p.KnownMetrics {
			if k.Glob {
				p.excuses = append(p.excuses, Excuse{Glob: k.Name, At: k.At, Why: "a known_metrics glob"})
				continue
			}
			fam := &Family{Name: k.Name, Type: k.Type, Help: k.Help}
			d := MetricDef{Kind: DefKnown, At: k.At}
			if k.Type != "" {
				fam.TypeAt = k.At
				d.Family = fam // typed: promql/rate-on-gauge reads the type
			}
			for _, s := range fam.SeriesNames() {
				if _, ok := p.defs[s]; !ok {
					p.defs[s] = d
				}
			}
		}
		for _, name := range slices.Sorted(maps.Keys(p.ClientDefaults)) {
			for _, s := range (&Family{Name: name, Type: clientDefaultType(name)}).SeriesNames() {
				if _, ok := p.defs[s]; !ok {
					p.defs[s] = MetricDef{Kind: DefClient}
				}
			}
		}
		for _, s := range syntheticSeries {
			if _, ok := p.defs[s]; !ok {
				p.defs[s] = MetricDef{Kind: DefSynthetic}
			}
		}
		for n, d := range p.defs {
			if d.Kind != DefSynthetic && d.Kind != DefClient {
				p.names = append(p.names, n)
			}
		}
		sort.Strings(p.names)
	})
}

// MetricPrefix is the first word of a metric name, up to its first _ or colon: what a scrape
// covers beyond the names it exports (an exporter that exports node_cpu_… covers every node_…
// name, one that exports vllm:num_requests_running every vllm: name).
func MetricPrefix(name string) string {
	if i := strings.IndexAny(name, "_:"); i > 0 {
		return name[:i]
	}
	return name
}

// MetricSpace is the first word of a metric name with the separator after it ("node_",
// "vllm:"), or the name when it has one word: how messages and globs name its space.
func MetricSpace(name string) string {
	if i := strings.IndexAny(name, "_:"); i > 0 {
		return name[:i+1]
	}
	return name
}

// Lookup returns where a metric (or one of its series: x_bucket, x_count, x_total…) is defined.
func (p *Project) Lookup(name string) (MetricDef, bool) {
	p.index()
	d, ok := p.defs[name]
	return d, ok
}

// Covered reports whether some exposition is the truth for the metric name, so that a
// missing definition is drift rather than merely unverified.
//
// A name with a colon (job:http_errors:rate5m) is a recording rule's output by Prometheus'
// naming convention, never an exporter's: an exposition covers it only through a covers:
// glob that itself has a colon, and the project's recording rules cover every such name
// once at least one is loaded.
func (p *Project) Covered(name string) bool {
	p.index()
	recorded := IsRecordingName(name)
	if recorded && p.records {
		return true
	}
	if !recorded && p.prefix[MetricPrefix(name)] {
		return true
	}
	for _, g := range p.globs {
		if recorded && !strings.Contains(g, ":") {
			continue
		}
		if ok, _ := path.Match(g, name); ok {
			return true
		}
	}
	return false
}

// IsRecordingName reports whether a metric name has a colon, which Prometheus' naming
// convention reserves for recording rules (level:metric:operations).
func IsRecordingName(name string) bool {
	return strings.Contains(name, ":") && !ColonNamespaced(name)
}

// ColonNamespaced reports whether a name puts its emitter's namespace before a colon, as
// vLLM (vllm:num_requests_running) and SGLang do: one colon, a plain lower-case word before
// it, a name with words after it. Such a name is an exporter's, not a recording rule's
// (level:metric:operations has two colons): its code and scrapes cover its name space as
// they cover app_… names. Without this, every vllm: name a dashboard misspelt was counted
// unverified and never reported.
func ColonNamespaced(name string) bool {
	i := strings.IndexByte(name, ':')
	if i <= 0 || strings.Count(name, ":") != 1 || !strings.Contains(name[i+1:], "_") {
		return false
	}
	for _, c := range name[:i] {
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}

// File returns the loaded file with the given project-relative path, or nil.
func (p *Project) File(rel string) *SourceFile {
	p.index()
	return p.fileIdx[rel]
}

// Suggest returns the defined metric name closest to name, or "" when none is close. The
// answer is remembered: a misspelt metric is often used many times.
func (p *Project) Suggest(name string) string {
	p.index()
	if s, ok := p.suggest.Load(name); ok {
		return s.(string)
	}
	s := Closest(name, p.names)
	p.suggest.Store(name, s)
	return s
}

// Closest returns the candidate closest to name by edit distance, or "" when none is within
// a fifth of the name's length (at least 2). Ties go to the alphabetically first candidate.
func Closest(name string, candidates []string) string {
	return ClosestWithin(name, candidates, max(2, len(name)/5))
}

// ClosestWithin returns the candidate closest to name by edit distance, or "" when none is
// within maxDist edits. Ties go to the alphabetically first candidate.
func ClosestWithin(name string, candidates []string, maxDist int) string {
	best, bestD := "", maxDist+1
	m := newMatcher(name)
	for _, c := range candidates {
		if c == name || abs(len(c)-len(name)) >= bestD {
			continue
		}
		d := m.distance(c, bestD)
		if d < bestD || (d == bestD && best != "" && c < best) {
			best, bestD = c, d
		}
	}
	return best
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// MetricUse is a metric name read by a query.
type MetricUse struct {
	Name     string
	Query    *Query
	Selector *parser.VectorSelector
	At       Pos
}

// MetricName returns the metric a selector reads: its __name__ equality matcher (Name is
// empty for {__name__="x"} and quoted UTF-8 names), or "" when it has none (a regex name).
func MetricName(vs *parser.VectorSelector) string {
	for _, m := range vs.LabelMatchers {
		if m.Name == "__name__" && m.Type == 0 { // labels.MatchEqual
			return m.Value
		}
	}
	return vs.Name
}

// MetricUses returns every metric name read by every parsed query, in query order. The
// list is built once per project and shared by every caller: do not modify it.
func (p *Project) MetricUses() []MetricUse {
	return p.Memo("lint.MetricUses", func() any { return slices.Clip(p.metricUses()) }).([]MetricUse)
}

func (p *Project) metricUses() []MetricUse {
	var uses []MetricUse
	for _, q := range p.Queries {
		if q.Expr == nil {
			continue
		}
		parser.Inspect(q.Expr, func(n parser.Node, _ []parser.Node) error {
			if vs, ok := n.(*parser.VectorSelector); ok {
				if name := MetricName(vs); name != "" {
					uses = append(uses, MetricUse{Name: name, Query: q, Selector: vs, At: q.NodePos(vs)})
				}
			}
			return nil
		})
	}
	return uses
}

// Excusing reports whether an unresolved definition's name pattern says anything about the
// names it produces: a pattern with no literal text but wildcards and the suffix its type
// implies ("*", "*_total") excuses nothing, so that one definition whose name is computed at
// run time cannot switch metric/unknown off for every name.
func Excusing(pattern string) bool {
	s := strings.ReplaceAll(pattern, "*", "")
	for _, suf := range []string{"_total", "_bucket", "_count", "_sum", "_info", "_created"} {
		s = strings.TrimSuffix(s, suf)
	}
	return strings.Trim(s, "_:") != ""
}

// collectLibraries fills libs: the registerers the code wraps with a prefix and hands to a
// library (CodeFacts.Libraries), one per prefix. A name that is such a prefix plus a series of
// a configured exporter's catalogue is that library's — Mimir hands
// WrapRegistererWithPrefix("cortex_", reg) to Prometheus' notifier, so
// cortex_prometheus_notifications_errors_total is Prometheus' prometheus_notifications_
// errors_total registered by Mimir — excused (unverified), not defined: which of the
// library's metrics it registers is not read. (The labels such a wrapper adds go to the
// catalogued families under its prefix when the exporters are loaded.)
func (p *Project) collectLibraries() {
	seen := map[string]bool{}
	for _, e := range p.Expositions {
		if e.Code == nil {
			continue
		}
		for _, l := range e.Code.Libraries {
			if !seen[l.Prefix] {
				seen[l.Prefix] = true
				p.libs = append(p.libs, l)
			}
		}
	}
}

// libraryExcuse returns the excuse of a name that a library registers under a prefix the code
// gives it (see collectLibraries).
func (p *Project) libraryExcuse(name string) (Excuse, bool) {
	for _, l := range p.libs {
		rest, ok := strings.CutPrefix(name, l.Prefix)
		if !ok {
			continue
		}
		if d, ok := p.defs[rest]; ok && d.Kind == DefExporter {
			return Excuse{Glob: name, At: l.At, Why: fmt.Sprintf("%s's %s, which the code registers under the prefix %q through %s", d.Exporter.Ref.Name, rest, l.Prefix, l.Via)}, true
		}
	}
	return Excuse{}, false
}

// Excused returns the excuse of a name that nothing defines but that an unresolved
// definition or a known_metrics glob may produce.
func (p *Project) Excused(name string) (Excuse, bool) {
	p.index()
	if _, defined := p.defs[name]; !defined {
		if e, ok := p.libraryExcuse(name); ok {
			return e, true
		}
	}
	for _, e := range p.excuses {
		if len(e.Within) > 0 && !slices.ContainsFunc(e.Within, func(g string) bool { ok, _ := path.Match(g, name); return ok }) {
			continue
		}
		if ok, _ := path.Match(e.Glob, name); ok {
			return e, true
		}
		// The series of a histogram or summary (x_bucket, x_sum, x_count, x_created) are
		// excused as its name is.
		for _, suf := range excusedSuffixes(e.Type) {
			if base, cut := strings.CutSuffix(name, suf); cut && base != "" {
				if ok, _ := path.Match(e.Glob, base); ok {
					return e, true
				}
			}
		}
	}
	return Excuse{}, false
}

// DocCovered reports whether a name that a metrics doc lists is checked against the
// definitions: covered as Covered says, or, since a metrics doc documents the project's own
// metrics, sharing its first word with a family the sources define; a name an unresolved
// definition may produce is not.
func (p *Project) DocCovered(name string) bool {
	p.index()
	if _, ok := p.Excused(name); ok {
		return false
	}
	return p.Covered(name) || (!IsRecordingName(name) && p.srcWord[MetricPrefix(name)])
}

// CoveredBySources reports whether some source exposition (the emitter's code) is the truth
// for the name: it lies in a name space a definition of the code owns.
func (p *Project) CoveredBySources(name string) bool {
	for _, e := range p.Expositions {
		if !e.Source {
			continue
		}
		for _, g := range e.Covers {
			if ok, _ := path.Match(g, name); ok {
				return true
			}
		}
	}
	return false
}

// Unresolved returns every definition of the sources whose name is not known, in file order.
func (p *Project) Unresolved() []UnresolvedDef {
	var out []UnresolvedDef
	for _, e := range p.Expositions {
		if e.Code != nil {
			out = append(out, e.Code.Unresolved...)
		}
	}
	return out
}

// UncheckedSpaces returns the sorted name spaces that unresolved definitions leave
// unchecked: each excusing pattern's text up to its first wildcard, as a glob (app_http_*).
func (p *Project) UncheckedSpaces() []string {
	seen := map[string]bool{}
	var out []string
	for _, u := range p.Unresolved() {
		if !Excusing(u.Pattern) {
			continue
		}
		sp := u.Pattern
		if i := strings.IndexByte(sp, '*'); i > 0 {
			sp = sp[:i+1] // app_queue_*_depth: the app_queue_* space
		}
		if !seen[sp] {
			seen[sp] = true
			out = append(out, sp)
		}
	}
	slices.Sort(out)
	return out
}

// Unverified returns the sorted metric names that queries use, that nothing defines and that
// no exposition covers: driftlint cannot tell whether they exist.
func (p *Project) Unverified() []string {
	seen := map[string]bool{}
	var out []string
	for _, u := range p.MetricUses() {
		if seen[u.Name] || IsStandIn(u.Name) {
			continue
		}
		seen[u.Name] = true
		if _, ok := p.Lookup(u.Name); ok {
			continue
		}
		if _, excused := p.Excused(u.Name); excused || !p.Covered(u.Name) {
			out = append(out, u.Name)
		}
	}
	slices.Sort(out)
	return out
}

// StandInPrefix starts every name that loaders put in place of a Grafana variable ($var)
// so that the query parses.
const StandInPrefix = "__gv_"

// IsStandIn reports whether a name holds a Grafana variable stand-in: it is one, or one is
// spliced into it (billing_${kind}_total becomes billing___gv_kind_total), so the real name
// is not known.
func IsStandIn(name string) bool { return strings.Contains(name, StandInPrefix) }

// MatchGlob reports whether a slash path matches a doublestar glob.
func MatchGlob(pattern, name string) bool {
	ok, _ := doublestar.Match(pattern, name)
	return ok
}

type memoEntry struct {
	once sync.Once
	v    any
}

// Memo returns the value that build computes for key, computing it once per project even
// when rules ask concurrently. Packages use it for indexes derived from the model (label
// sets of metrics, anchors of runbooks) so that no rule rebuilds them.
func (p *Project) Memo(key string, build func() any) any {
	e, _ := p.memo.LoadOrStore(key, &memoEntry{})
	m := e.(*memoEntry)
	m.once.Do(func() { m.v = build() })
	return m.v
}

// clientDefaultType is the type of a client library's default family, by the name's
// convention: enough for SeriesNames (go_gc_duration_seconds is a summary).
func clientDefaultType(name string) string {
	switch {
	case strings.HasSuffix(name, "_total"):
		return "counter"
	case name == "go_gc_duration_seconds":
		return "summary"
	}
	return "gauge"
}

// NearName returns a defined metric name within two edits of name, or "": a name that no
// exposition covers but that is this close to a defined one is more likely a typo than
// another exporter's metric (a typo in the first word leaves the name uncovered).
func (p *Project) NearName(name string) string {
	s := p.Suggest(name)
	if s == "" || boundedDistance(name, s, 2) > 2 {
		return ""
	}
	return s
}

// excusedSuffixes are the series suffixes a family of the type adds to its name; all of them
// when the type is not known.
func excusedSuffixes(typ string) []string {
	switch typ {
	case "histogram":
		return []string{"_bucket", "_sum", "_count", "_created"}
	case "gaugehistogram":
		return []string{"_bucket", "_gsum", "_gcount"}
	case "summary":
		return []string{"_sum", "_count", "_created"}
	case "counter":
		return []string{"_total", "_created"}
	case "gauge", "info", "stateset":
		return nil
	}
	return []string{"_bucket", "_sum", "_count", "_created", "_total", "_gsum", "_gcount"}
}

// InOrder returns the exposition's families in file order.
func (e *Exposition) InOrder() []*Family {
	out := make([]*Family, 0, len(e.Order))
	for _, n := range e.Order {
		out = append(out, e.Families[n])
	}
	return out
}

// TruthExpositions are the expositions whose families say which labels a metric carries:
// the project's scrapes and sources, then the catalogued exporters' selected versions.
func (p *Project) TruthExpositions() []*Exposition {
	if len(p.Exporters) == 0 {
		return p.Expositions
	}
	out := slices.Clip(p.Expositions)
	for _, x := range p.Exporters {
		out = append(out, x.Expo)
	}
	return out
}
