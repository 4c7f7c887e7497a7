package lint

import (
	"slices"
	"strconv"
	"strings"

	"github.com/itchyny/gojq"
	"github.com/prometheus/prometheus/promql/parser"
)

// Origin says where a query lives.
type Origin int

// The places a PromQL query can come from.
const (
	OriginAlert             Origin = iota + 1 // an alerting rule's expr
	OriginRecording                           // a recording rule's expr
	OriginRunbook                             // a promql block in a runbook
	OriginRunbookAlert                        // the expr of an alert copied into a runbook
	OriginDocs                                // a promql block in a metrics doc
	OriginDashboard                           // a dashboard panel target
	OriginDashboardVariable                   // a dashboard templating variable
	OriginInvariant                           // a config invariant
)

// String describes the origin in messages ("alert", "dashboard target", …).
func (o Origin) String() string {
	switch o {
	case OriginAlert:
		return "alert"
	case OriginRecording:
		return "recording rule"
	case OriginRunbook:
		return "runbook query"
	case OriginRunbookAlert:
		return "runbook alert copy"
	case OriginDocs:
		return "docs example"
	case OriginDashboard:
		return "dashboard target"
	case OriginDashboardVariable:
		return "dashboard variable"
	case OriginInvariant:
		return "invariant"
	default:
		return "query"
	}
}

// Query is a PromQL expression found in an artifact, parsed once by its loader.
type Query struct {
	Text   Span        // the expression as parsed; Grafana variables already replaced by stand-ins
	Expr   parser.Expr // nil when Err is set
	Err    error       // the parse error, usually parser.ParseErrors
	Origin Origin
	Owner  string // the alert or record name, panel title, variable name or heading it belongs to
	// Selector is true for label_values(selector, …) style queries that are a series
	// selector rather than a full expression.
	Selector bool
	// Vars is true when the text held Grafana variables (replaced by stand-ins).
	Vars bool
}

// Pos returns the file position of byte i of the query text.
func (q *Query) Pos(i int) Pos { return q.Text.Pos(i) }

// NodePos returns the file position where a parsed node starts.
func (q *Query) NodePos(n parser.Node) Pos { return q.Text.Pos(int(n.PositionRange().Start)) }

// Describe names the query for messages: alert HighErrorRate, dashboard target "Lag".
func (q *Query) Describe() string {
	switch {
	case q.Owner == "":
		return q.Origin.String()
	case q.Origin == OriginAlert || q.Origin == OriginRecording || q.Origin == OriginRunbookAlert:
		return q.Origin.String() + " " + q.Owner
	case q.Origin == OriginRunbook || q.Origin == OriginDocs:
		return q.Origin.String() + " in section " + strconv.Quote(q.Owner)
	default:
		return q.Origin.String() + " " + strconv.Quote(q.Owner)
	}
}

// KV is a label or annotation with the positions of its key and value.
type KV struct {
	Key   string
	KeyAt Pos
	Value Span
}

// RuleKind tells alerting and recording rules apart.
type RuleKind int

// The two kinds of Prometheus rule.
const (
	AlertRule RuleKind = iota + 1
	RecordingRule
)

// RuleEntry is one alerting or recording rule, from a rule file or copied into a runbook.
type RuleEntry struct {
	Kind          RuleKind
	Name          string
	NameAt        Pos
	Group         string
	File          *SourceFile
	Query         *Query
	For           string // "" when absent
	ForAt         Pos
	KeepFiringFor string
	KeepFiringAt  Pos
	Labels        []KV
	Annotations   []KV
}

// Label returns the rule label with the given key, or nil.
func (r *RuleEntry) Label(key string) *KV { return findKV(r.Labels, key) }

// Annotation returns the annotation with the given key, or nil.
func (r *RuleEntry) Annotation(key string) *KV { return findKV(r.Annotations, key) }

func findKV(kvs []KV, key string) *KV {
	for i := range kvs {
		if kvs[i].Key == key {
			return &kvs[i]
		}
	}
	return nil
}

// Heading is a Markdown heading and the anchors that link to it.
type Heading struct {
	Level  int
	Text   string
	Anchor string // GitHub-compatible slug, with -1, -2 … for duplicates, or the explicit {#id}
	At     Pos
}

// CodeBlock is a fenced code block.
type CodeBlock struct {
	Lang  string // lower-case language from the info string ("promql", "yaml", "bash")
	At    Pos    // the opening fence
	Body  Span
	Owner string // the nearest heading above
}

// Link is a Markdown link or image destination.
type Link struct {
	Target string
	At     Pos
}

// JQProgram is a jq program found in a runbook (`curl … | jq '…'`).
type JQProgram struct {
	Program Span
	Query   *gojq.Query // nil when Err is set
	Err     error
	Owner   string
}

// Markdown is one Markdown file: a runbook, a metrics doc, or both.
type Markdown struct {
	File       *SourceFile
	Runbook    bool // listed under runbooks (or discovered as one)
	MetricsDoc bool // listed under metrics_docs (or discovered as one)
	Headings   []Heading
	Anchors    map[string]Pos // every anchor a link can target: slugs, {#id}, <a name=…>
	Blocks     []CodeBlock
	Links      []Link
	JQ         []JQProgram
	// Mentions are the metric names a runbook writes as inline code in its prose
	// ("`kube_node_status_capacity_pods` counts…"), outside code blocks. Added for the field
	// test (issue #9): metric/unknown checks them, carefully, since prose names programs too.
	Mentions []Mention
	// HealthRefs are health-response fields the prose names: inline code such as
	// `.last_kafka_message_ago_seconds` in a paragraph or section about health, and the
	// first column of a table of fields under a heading about health. Each is a one-path jq
	// program, so health/unknown-field checks them like the jq programs of JQ.
	HealthRefs []JQProgram
	// IgnoresInTables are driftlint:ignore comments alone on a line between the rows of a
	// table, at the directive: such a line ends the table on GitHub (and in goldmark), so the
	// rows below it are text. The runner reports them with driftlint/unused-ignore.
	IgnoresInTables []Pos
}

// Mention is a metric name written as inline code in a runbook's prose.
type Mention struct {
	Name    string
	At      Pos
	Section string // text of the nearest heading above
}

// NoLabels reports whether a labels cell of a metrics doc says the metric has no labels:
// empty, "-", "—", "none", "n/a"… (any case, blanks around ignored).
func NoLabels(cell string) bool {
	switch strings.ToLower(strings.TrimSpace(cell)) {
	case "", "-", "—", "–", "none", "n/a", "no labels", "(none)":
		return true
	}
	return false
}

// DocEntry is a metric documented in a metrics doc (a table row or a listed name).
type DocEntry struct {
	Name      string
	At        Pos
	Type      string // normalized: counter, gauge, histogram, summary, info, stateset, untyped; "" when not given
	TypeAt    Pos
	HasLabels bool // the table has a labels column
	Labels    []string
	LabelsAt  Pos
	Doc       *Markdown
	// Prose is set for a name that a paragraph of prose begins with ("`app_mau_current`
	// records …"): it documents the metric for docs/undocumented-metric only, and is never
	// the subject of docs/stale-metric ("`app_old_total` was removed in 2.0" is not drift).
	Prose bool
}

// DashboardTarget is one query of a panel.
type DashboardTarget struct {
	Panel  string // panel title
	Query  *Query
	Legend Span // legendFormat; empty Value when absent
}

// DashboardVariable is a templating variable backed by a Prometheus query.
type DashboardVariable struct {
	Name  string
	Kind  string // label_values, query_result, metrics, label_names
	Query *Query // the selector or expression inside, nil for metrics(regex) and bare label_values(label)
	Label Span   // the label of label_values(…, label)
	Raw   Span   // the whole variable query
}

// ForeignQuery is a query that driftlint does not read because it is not PromQL: a dashboard
// target of a Loki, Elasticsearch or other datasource, a Grafana expression, or a LogQL rule
// of a Loki ruler. Such queries are counted (--verbose), never parsed.
type ForeignQuery struct {
	At       Pos
	Language string // "logql", "grafana expression", or the datasource type (elasticsearch, …)
	Owner    string // the panel title, variable or rule name
}

// Dashboard is a Grafana dashboard, from a JSON file or a ConfigMap.
type Dashboard struct {
	File      *SourceFile
	Title     string
	Targets   []DashboardTarget
	Variables []DashboardVariable
}

// Sample is one exposed sample.
type Sample struct {
	Name   string // the series name (x_bucket for a histogram bucket)
	Labels map[string]string
	Value  float64
	At     Pos
}

// Family is an exported metric family in one exposition.
type Family struct {
	Name    string // as in # TYPE (x_total for a text-format counter; x for OpenMetrics)
	Type    string // counter, gauge, histogram, summary, untyped, info, stateset, gaugehistogram, unknown
	Help    string
	Labels  []string // sorted label names over all samples, without le and quantile
	HelpAt  Pos
	TypeAt  Pos
	FirstAt Pos // first sample
	Samples []Sample
	Expo    *Exposition

	// Facts for the scrape/exposition rule, filled by the exposition loader. A family
	// without a # TYPE line has a zero TypeAt.
	//
	// Redeclared holds each # HELP or # TYPE line that repeats a declaration the family
	// already had (expfmt rejects such lines; the loader skips them instead of failing).
	// Reopened holds the first line of each later block of the family: a sample or
	// declaration of it that comes after another family's lines began.
	Redeclared []Pos
	Reopened   []Pos
}

// At returns the family's best position: its # HELP line, else # TYPE, else its first sample.
func (f *Family) At() Pos {
	switch {
	case f.HelpAt.IsValid():
		return f.HelpAt
	case f.TypeAt.IsValid():
		return f.TypeAt
	default:
		return f.FirstAt
	}
}

// AddLabels adds label names to a family defined by code or a catalogue (a registerer wrapper
// adds them to every series), or marks its labels unknown.
func (f *Family) AddLabels(labels []string, unknown bool) {
	for _, l := range labels {
		if !slices.Contains(f.Labels, l) {
			f.Labels = append(f.Labels, l)
		}
	}
	slices.Sort(f.Labels)
	if unknown && f.Expo != nil && f.Expo.Code != nil {
		if d := f.Expo.Code.Defs[f.Name]; d != nil {
			d.LabelsUnknown = true
		}
	}
}

// SeriesNames returns every series name a family exports (x_bucket, x_sum, x_count, …).
func (f *Family) SeriesNames() []string {
	n := f.Name
	switch f.Type {
	case "histogram", "gaugehistogram":
		return []string{n, n + "_bucket", n + "_sum", n + "_count", n + "_created", n + "_gsum", n + "_gcount"}
	case "summary":
		return []string{n, n + "_sum", n + "_count", n + "_created"}
	case "counter":
		base := trimSuffix(n, "_total")
		return []string{n, base + "_total", base + "_created"}
	case "info":
		return []string{n, trimSuffix(n, "_info") + "_info"}
	default:
		return []string{n}
	}
}

// ClassicHistogram reports whether a family is a histogram without native buckets, whose
// bare name is no series: a query must read x_bucket, x_sum or x_count (x_gsum, x_gcount for
// a gauge histogram). A native histogram's bare name is a series.
//
// Only a code definition can say a histogram is native (CodeDef.NativeHistogram, set from
// client_golang's HistogramOpts.NativeHistogramBucketFactor). Scrapes are
// read in the text format, which carries no native buckets, so a scraped histogram counts as
// classic: a service that adds native buckets to a classic histogram, scraped by Prometheus
// over protobuf, has a bare-name series that driftlint cannot see.
func (f *Family) ClassicHistogram() bool {
	if f.Type != "histogram" && f.Type != "gaugehistogram" {
		return false
	}
	if f.Expo != nil && f.Expo.Code != nil {
		if d := f.Expo.Code.Defs[f.Name]; d != nil && d.NativeHistogram {
			return false
		}
	}
	return true
}

func trimSuffix(s, suf string) string {
	if len(s) > len(suf) && s[len(s)-len(suf):] == suf {
		return s[:len(s)-len(suf)]
	}
	return s
}

// Exposition is one scrape of a target: a saved file or a fetched URL.
type Exposition struct {
	File     *SourceFile // nil for a URL scrape that failed
	URL      string
	Target   string // scrapes of one target share it
	Index    int    // 0-based scrape number within the target
	Families map[string]*Family
	Order    []string // family names in file order
	Covers   []string // metric-name globs this exposition is the truth for; nil means its prefixes
	// TimeMs is the scrape time in milliseconds (index × interval for saved files).
	TimeMs int64
	// Source is set for definitions read from the emitter's source code rather than a
	// scrape: families have no samples.
	Source bool
	// Code holds what a Source exposition's code says beyond its families (nil for scrapes).
	Code *CodeFacts
	// Catalog names the catalogued exporter and version whose families these are
	// ("node-exporter 1.12"), for the definitions of the config's exporters:; "" otherwise.
	Catalog string
	// Lumped is set when the families are not one scrape's but a catalogue's (every family an
	// exporter can export, maybe of several targets: the kubelet, the API server, …): that
	// one family carries a label says nothing of another's, so a label is the exporter's own
	// only on the families that carry it, and a target label elsewhere.
	Lumped bool
}

// CodeFacts are the facts of a Source exposition that are not families: how each family is
// defined, and the definitions whose metric name could not be worked out from the code.
type CodeFacts struct {
	Lang string // "go", "rust" or "python"
	// Defs holds how the code defines each family, by family name.
	Defs map[string]*CodeDef
	// Unresolved holds definitions whose name is not a constant (a variable, a loop over
	// names, fmt.Sprintf): unverifiable, never guessed.
	Unresolved []UnresolvedDef
	// UnusedDirectives are driftlint:metric comments that stand next to no definition whose
	// name is unknown: they declare nothing (driftlint/unused-ignore reports them).
	UnusedDirectives []Pos
	// Libraries are registerers the code wraps with a prefix (and labels) and hands to a
	// library outside the sources, which registers its own metrics through them (Mimir
	// passes WrapRegistererWithPrefix("cortex_", reg) to Prometheus' notifier): what the
	// library defines is not read, but a catalogued exporter's name under that prefix is
	// one of them (see Project.Excused), and its labels include the wrapper's.
	Libraries []LibraryRegisterer
}

// LibraryRegisterer is a wrapped registerer the code passes to a library.
type LibraryRegisterer struct {
	Prefix        string
	Labels        []string // the labels the wrapper adds
	LabelsUnknown bool     // the wrapper adds labels the code does not spell out
	Via           string   // the library function it is passed to: "notifier.NewManager"
	At            Pos
}

// CodeDef is how source code defines one family.
type CodeDef struct {
	Via string // the constructor, macro or text: "promauto.NewCounterVec", "register_int_counter_vec!", "# TYPE line"
	// LabelsUnknown is set when the code builds label names at run time (a label slice in a
	// variable, const labels from a map): Labels then holds only the names it spells out.
	LabelsUnknown bool
	// MayBeAbsent says why a scrape can lack the family although the code defines it (a
	// labelled family has no series until one is observed; a definition inside a condition);
	// "" when the library exports it from registration on.
	MayBeAbsent string
	// NativeHistogram is set when the code gives a histogram native buckets
	// (client_golang's HistogramOpts.NativeHistogramBucketFactor not 0), so that its bare
	// name is a series (Family.ClassicHistogram). Descs sent by NewConstNativeHistogram, and
	// the other languages' native histograms, are not recognized yet: they count as classic.
	NativeHistogram bool
	// OnlyGrows is set for a gauge that the code of the set only increments (Inc, Add; no
	// Dec, Sub or Set, and never passed elsewhere): a counter in all but its type.
	OnlyGrows bool
	// LabelValues holds, by label name, the values the code gives the label where it uses
	// the family, sorted (Go: WithLabelValues and With(prometheus.Labels{…}) on the variable
	// or field that holds a Vec; Rust: with_label_values(&[…]) on the static or let binding,
	// and make_static_metric! values; Python: .labels(…) on the module-level name; resolved
	// as names are); nil when nothing was read.
	LabelValues map[string][]string
	// ValuesComplete holds the labels whose LabelValues are every value the code can give:
	// each use of the holder gives constants, and the holder escapes nowhere (not passed on,
	// returned, curried, nor exported from an importable package).
	ValuesComplete map[string]bool
}

// UnresolvedDef is a metric definition in source code whose name is not a constant.
type UnresolvedDef struct {
	At   Pos
	Type string // as for Family.Type; "untyped" when not known
	Via  string
	// Pattern is a glob of the names the definition can produce: the constant parts kept,
	// the others * ("*" when nothing is known).
	Pattern string
	Reason  string // why the name is not known: "the name is the loop variable n"
	// Rest is set when the namespace is the only unknown part of the name (a namespace
	// read from the environment at run time): the family the definition gives with the
	// namespace left out, and its code facts. A sources entry's prefix: stands for that
	// namespace (source.ApplyOptions), which makes it a family named prefix + Rest.Name.
	Rest    *Family
	RestDef *CodeDef
}

// LabelsKnown reports whether Labels is the family's whole label set. A scraped family shows
// its labels through its samples only: declared by # HELP/# TYPE alone, it says nothing. A
// family read from source code declares them, unless the code builds them at run time.
func (f *Family) LabelsKnown() bool {
	if f.Expo != nil && f.Expo.Source {
		if f.Expo.Code != nil {
			if d := f.Expo.Code.Defs[f.Name]; d != nil {
				return !d.LabelsUnknown
			}
		}
		return true
	}
	return len(f.Samples) > 0
}

// HealthSample is one /health JSON response (or a JSON Schema of it).
type HealthSample struct {
	File  *SourceFile
	Paths map[string]Pos // jq-style paths present: ".kafka.status", ".consumers[].lag"
	Value any            // the decoded JSON, for jq assertions
	// Partial is set when the file did not parse (empty, bad JSON, nested too deep): Paths
	// then holds only what was read before the error and Value is nil, so a path missing
	// from Paths proves nothing.
	Partial bool
}

// ParseProblem is an input file that failed to parse; Project.Skipped and Project.Empty use
// it too, for inputs skipped and inputs that yield nothing.
type ParseProblem struct {
	At      Pos
	Message string
}
