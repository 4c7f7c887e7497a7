// Package source reads the metric definitions in an emitter's source code — Go, Rust and
// Python — into lint.Exposition facts, so that code stands in for a scrape where there is no
// running service to scrape (a pull request) and is compared with one where there is.
//
// Each source file becomes one Exposition with Source set, Target "source", no samples, and
// a Family per metric it defines: name, type, help and label names, each position being the
// definition's name expression. Families are named as the text exposition names them (a
// prometheus_client Counter("requests") is requests_total), so that Family.SeriesNames and
// Project.Lookup work unchanged.
//
// What is understood:
//
//   - Go (go/parser, go/ast, and go/types for constants): client_golang's
//     prometheus.New{Counter,Gauge,Histogram,Summary}[Vec|Func], NewUntypedFunc, their
//     promauto and promauto.With(reg) forms (and any X.NewCounterVec(prometheus.CounterOpts{…})
//     call, which covers promauto.Factory values), Opts{Namespace, Subsystem, Name, Help,
//     ConstLabels} joined as BuildFQName joins them, the label slice of the Vec constructors,
//     the V2 Vec options with UnconstrainedLabels, prometheus.NewDesc with the type taken from
//     the MustNewConstMetric/NewConstMetric/…Histogram/…Summary calls that use the same
//     descriptor (a variable, a struct field or the call itself), and names as the compiler
//     resolves them: constants of the package or of another package of the set (matched by
//     the module path of a go.mod in the set, else by the import path ending in the
//     directory), package and local variables with one initializer never assigned again
//     anywhere in the set, local variables given only constants (prefix := "a_"; if x {
//     prefix = "b_" }: one definition per value, at most 8, else one unresolved definition
//     where it is written), concatenation, prometheus.BuildFQName, fmt.Sprintf and
//     strings.Join of such values, string conversions, functions (and variables holding a
//     function literal) that return one such expression or an options literal, with their
//     parameters bound to the call's arguments, and label
//     slices as literals or append(labels, "x", more...). Helper functions and closures
//     whose parameters flow into a definition (options, names, labels, NewDesc, the
//     registerer) are evaluated at each call site with their parameters bound to the
//     call's arguments: a definition that depends on the call is one per call site, at the
//     argument the name comes from or else at the call, and one that does not (a plain
//     registerer passed in) stays where the helper writes it; a package that does not mention
//     client_golang but calls such a helper of a package that does (CloudNativePG's
//     metrics.NewQueriesCollector("cnpg", …)) is read for its calls too (golang_callers.go:
//     one import away, by syntax). A registerer wrapped by WrapRegistererWithPrefix or
//     WrapRegistererWith — given to promauto.With, to a helper, or registering metrics with
//     MustRegister, directly or through a project function that returns the wrapped
//     registerer (after a nil check) — adds its prefix and const labels, also to the
//     NewDesc descriptors a registered collector holds (Mimir's NewTSDBMetrics). A constructor whose
//     options cannot be read is still an unresolved definition. Files whose name or
//     //go:build line excludes all of linux, darwin and windows are skipped; a package whose
//     files differ by OS where it matters (a file mentioning client_golang, a string constant
//     or label list, a function of a package that defines metrics) is read again per OS with
//     the packages importing it, and the definitions are joined.
//   - Rust (a tokenizer: string literals with escapes and raw strings, byte and char
//     literals, lifetimes, nested block comments): the prometheus crate's Opts::new and
//     HistogramOpts::new with .namespace/.subsystem/.const_label(s)/.variable_label(s), opts!
//     and histogram_opts!, the Counter/IntCounter/Gauge/IntGauge/Histogram ::new and
//     ::with_opts constructors and the *Vec ::new constructors with their label array, every
//     register_*! macro (with or without _with_registry), custom collectors' Desc::new (type
//     from a MetricFamily set_name + set_field_type(MetricType::X) in the same file, else
//     untyped), the metrics crate's counter!/gauge!/histogram! with "label" => value pairs
//     and describe_*! help, let-bound options and label arrays, concat! and format! of
//     constants; prometheus-static-metric's register_static_*_vec!(Struct, name, help,
//     labels) and make_static_metric! structs (label names, and the values they create at
//     registration, so such a family is never absent; X::from(&VEC) marks VEC so too);
//     prometheus-client's registry.register/register_with_unit, named as its encoder names
//     them (Registry::with_prefix and sub_registry_with_prefix prefixes, the unit, _total
//     for counters, _info for infos), typed from the metric's constructor or declared type,
//     with a Family's labels from the fields of its EncodeLabelSet struct. The Rust files of
//     a crate are read as one set: const and static items of every module (module paths
//     from file paths: src/lib.rs and src/main.rs are the crate, src/a/b.rs and
//     src/a/b/mod.rs are crate::a::b) are reached through use declarations (aliases, globs,
//     pub use re-exports), crate::/self::/super:: paths and associated consts; and a name
//     or registry that is a function parameter is read once for each call site in the set
//     (free functions, Type::f and unique method names), up to 3 calls up. A function of
//     another crate of the set whose parameter a definition needs and that its own crate
//     never binds (Lighthouse's lighthouse_metrics::try_create_int_counter(name, help)) is
//     read at each call in the other crates — c::f(…), f(…) through use c::f or a glob of
//     c (also re-exported by a module of the calling crate), m::f(…) with use c as m — one
//     definition per call, at the argument the name comes from; crates are read in the
//     order their paths name each other, so a crate's helpers are known before its users.
//   - Python (a tokenizer: string prefixes, triple quotes, f-strings, comments, brackets,
//     indentation): prometheus_client's Counter, Gauge, Histogram, Summary, Info and Enum with
//     positional or keyword name, documentation, labelnames, namespace, subsystem and unit,
//     named as the library names them (colon names such as app:num_requests as given), the
//     *MetricFamily classes of custom collectors, and module-level string and label-list
//     constants assigned once, joined with + (lists too, and [*BASE, "x"], list(BASE)). The
//     Python files of a set are read together: module names come from the paths (folders with
//     __init__.py are packages up to the top one; without them, any dotted tail of the path),
//     and from-imports, import … as, relative imports and package re-exports are followed to
//     constants and to the client's classes, as are class attributes and self.X assignments
//     that alias a class (gauge_cls = Gauge, then self.gauge_cls(…)). The project's own
//     functions and classes (their __init__, or a base class's) that pass a parameter on to a
//     constructor or to another such wrapper are evaluated at each call site with its
//     arguments (defaults and **kwargs passed through included), one definition per call,
//     placed at the call's name argument. A call counts only when its callee resolves to a
//     prometheus_client class (collections.Counter is not a metric). A local variable
//     assigned once in a function (labelnames = [...]), or given one constant in branches and
//     None otherwise, stands for its value after the assignment; attributes are per class,
//     inherited across the set, and X[Counter] stands for Counter (self._counter_cls =
//     metric_types[Counter]). A call with the client's arguments (documentation= and a name)
//     on a callee that resolves to nothing is an unresolved definition, never silently
//     dropped. Only the files that may define a metric (they name the client, documentation=,
//     exposition text, or a class, wrapper or holder such a file binds) and the modules their
//     names are looked up in keep their tokens (python_local.go, python_set.go).
//   - In all three languages, hand-written exposition text in string literals: "# HELP" and
//     "# TYPE" lines define families, and sample lines of those families give their labels
//     (format placeholders — %s, {} and f-string fields — stand for unknown text).
//
// A name that is not a constant (a variable, a parameter, a loop over names, fmt.Sprintf,
// format! or an f-string with run-time values) is never guessed: it becomes a
// lint.UnresolvedDef with a glob of the names it can produce ("shop_*_total"), which the
// source/unresolved rule reports; the project excuses the names that glob matches
// (lint.Project.Excused), unless nothing is known of it ("*", "*_total"). A driftlint:metric
// comment next to such a definition declares what it defines (directive.go). Each source
// exposition covers the name spaces its definitions own (covers). fmt.Sprintf("%s_x", ns),
// format!("{NS}_x") and f"{NS}_x" whose every field is a constant are worked out. A
// definition whose namespace alone is computed at run time (Python namespace=, Go
// Namespace:, Rust .namespace() from the environment) takes the sources entry's prefix: as
// its namespace when the entry gives one (ApplyOptions), and is unresolved otherwise.
//
// Each family also gets a lint.CodeDef: the constructor that defines it, whether its label
// names are only partly known (a label slice in a variable), and why a scrape may lack it
// (labelled families of client_golang and the Rust crate, custom collectors, metrics crate
// macros, definitions inside a condition or a loop). The uses of the name that holds a
// metric give its label values and whether a gauge only grows: Go (golang_values.go,
// golang_grow.go); Rust, the static or let binding's uses in its crate (with_label_values
// of a literal list, inc/inc_by); Python, the module-level name's uses in the set
// (.labels(…) positional or by keyword, .inc()). A set of values is complete, and a gauge
// only grows, when every use is read and the holder is never passed on (nor, in Rust, pub in
// a library crate); a child kept from with_label_values/labels gives its values but may be
// set.
//
// How files are read: LoadFiles hands the whole Go part of the set (with any go.mod listed)
// to one reader. Only packages that mention client_golang (or hold exposition text) and the
// packages of the set they import are parsed; they are type-checked in dependency order
// (import cycles broken) with go/types, IgnoreFuncBodies, and every import outside the set
// an empty package; names in function bodies are resolved by scope afterwards. Rust files are
// read crate by crate and Python files as one set (above and below). Go _test.go files,
// Python test_*.py, *_test.py and conftest.py, and
// Rust #[cfg(test)] modules are skipped. A file whose text never mentions its client library
// (nor "# TYPE"/"# HELP") is not parsed at all, except that a Rust file is still read for the
// constants and functions other files of its crate use.
//
// Limits. Go: registration calls are followed only for wrapped registerers (a NewCounter that
// is never registered is still a definition); variables are followed only to a single
// initializer never assigned again (and reg = prometheus.WrapRegistererWith…(…, reg)); types
// are not inferred in bodies, so a method helper resolves only when its name is unique in the
// package; helper calls nest at most 10 deep (the level past it is read with its parameters
// unknown, and a helper it calls is reported) and a file evaluates at most 2000 helper call
// sites — past either bound the call site is an unresolved definition saying so; a helper
// that nobody in the set calls keeps its parameters unresolved; constants are followed
// through at most 2 levels of imports; the go.mod files in
// and above the sources' folders are read (lint/load finds them).
// Rust: there is no parser, so shapes are matched over tokens: macros are not expanded, types
// are not inferred (a Counter::new of another crate counts when the file uses the prometheus
// crate), let bindings resolve by brace scope to the latest non-mut binding before the use;
// a constant of another crate or a #[path] module is not followed, a use inside a function
// counts for its whole file, and Cargo.toml is not read (a crate is the directory holding
// src/, named by that directory with - as _). At most 4096 calls of one helper of another
// crate are read, and the crates kept for their helpers hold at most rust_crate_bytes of Rust. A
// parameter is followed through at most 16 call sites per function, 3 calls up and 64 call
// chains per definition, a name through 32 nested names and 4096 lookups: a bound that is
// hit leaves the definition unresolved with a reason that names it. A function with no call
// site in the set (a library's API) keeps its parameter unresolved. Crates are read one at a
// time, and a crate of more than rust_crate_bytes of Rust (--limit, 32 MiB by default) is
// read file by file (an input/skipped warning says so). A crate names the crates it uses by
// the path heads of its code outside comments and #[cfg(test)] modules, not its own modules.
// Python: only constants assigned once at module level (or a class attribute or self.X
// assigned once, for a class alias) resolve; names of modules outside the set, local
// variables, attributes of instances (self.name inside a wrapper) and wrappers called
// through a variable are unresolved; wrapper calls nest at most 8 deep, a set evaluates at
// most 4096 wrapper calls, and one value follows at most 10000 names — each bound that is
// hit leaves an unresolved definition that says so. Everywhere: exposition text assembled
// across several writes (a "# TYPE " literal and the name in another call) is not
// recognized, and labels added by wrappers outside the definition (the prometheus crate's
// Registry::new_custom prefix) are not seen; client_golang's are, as said above.
package source

import (
	"cmp"
	"path"
	"slices"
	"strings"

	"github.com/driftlint/driftlint/lint"
)

// Target is the target name of every source exposition.
const Target = "source"

// Result is what Load found in one file.
type Result struct {
	Exposition *lint.Exposition // nil when the file defines no metric, resolved or not
	Problems   []lint.ParseProblem
	// Skipped are notices that valid input was read with less than its whole context (a
	// Rust crate past rust_crate_bytes read file by file): rule input/skipped, a warning.
	Skipped []lint.ParseProblem
}

// Lang returns the language of a file by its extension: "go", "rust", "python", or "".
func Lang(p string) string {
	switch strings.ToLower(path.Ext(p)) {
	case ".go":
		return "go"
	case ".rs":
		return "rust"
	case ".py", ".pyi":
		return "python"
	}
	return ""
}

// Load reads the metric definitions of one file on its own (LoadFiles reads a Go file with
// the rest of the set, whose constants it may use). Files of unknown languages and Go
// test files give nothing.
func Load(f *lint.SourceFile) Result {
	switch Lang(f.Path) {
	case "go":
		if isGoTest(f.Path) {
			return Result{}
		}
		return loadGo([]*lint.SourceFile{f})[0]
	case "rust":
		return loadRustFiles([]*lint.SourceFile{f})[0]
	case "python":
		defs, probs := loadPython(f)
		return finish(f, "python", defs, probs)
	}
	return Result{}
}

// LoadFiles reads every file as LoadSet does and returns the expositions and the parse
// problems (not the Skipped notices).
func LoadFiles(files []*lint.SourceFile) ([]*lint.Exposition, []lint.ParseProblem) {
	l := LoadSet(files)
	return l.Expositions, l.Problems
}

// Loaded is what LoadSet found in a set of files.
type Loaded struct {
	Expositions []*lint.Exposition // in path order
	Problems    []lint.ParseProblem
	Skipped     []lint.ParseProblem // see Result.Skipped
}

// LoadSet reads every file, the Go files (and go.mod files) all together so that names
// resolve across files and packages, the Rust files crate by crate and the Python files as one
// set. Groups are read in parallel.
func LoadSet(files []*lint.SourceFile) Loaded {
	var groups [][]*lint.SourceFile
	goGroup := -1   // the Go files (and go.mod files) of the set are read together
	rustGroup := -1 // the Rust files are read together, crate by crate
	pyGroup := -1
	for _, f := range files {
		if f == nil {
			continue
		}
		lang := Lang(f.Path)
		if path.Base(f.Path) == "go.mod" {
			lang = "go"
		}
		switch lang {
		case "go":
			if isGoTest(f.Path) {
				continue
			}
			if goGroup < 0 {
				goGroup = len(groups)
				groups = append(groups, nil)
			}
			groups[goGroup] = append(groups[goGroup], f)
		case "rust":
			if rustGroup < 0 {
				rustGroup = len(groups)
				groups = append(groups, nil)
			}
			groups[rustGroup] = append(groups[rustGroup], f)
		case "python":
			// one group: names resolve across the modules of the set
			if pyGroup < 0 {
				pyGroup = len(groups)
				groups = append(groups, nil)
			}
			groups[pyGroup] = append(groups[pyGroup], f)
		}
	}
	results := make([][]Result, len(groups))
	parallel(len(groups), func(i int) {
		switch g := groups[i]; i {
		case goGroup:
			results[i] = loadGo(g)
		case rustGroup:
			results[i] = loadRustFiles(g)
		case pyGroup:
			results[i] = loadPythonFiles(g)
		default:
			results[i] = []Result{Load(g[0])}
		}
	})
	var l Loaded
	for _, rs := range results {
		for _, r := range rs {
			if r.Exposition != nil {
				l.Expositions = append(l.Expositions, r.Exposition)
			}
			l.Problems = append(l.Problems, r.Problems...)
			l.Skipped = append(l.Skipped, r.Skipped...)
		}
	}
	slices.SortStableFunc(l.Expositions, func(a, b *lint.Exposition) int { return cmp.Compare(a.File.Path, b.File.Path) })
	for i, e := range l.Expositions {
		e.Index = i
	}
	return l
}

func isGoTest(p string) bool { return strings.HasSuffix(p, "_test.go") }

// def is one metric definition found in code, before it becomes a family.
type def struct {
	name          value  // the full metric name as the library builds it, not yet named as exposed
	at            int    // file offset of the name expression
	typ           string // counter, gauge, histogram, summary, info, stateset, untyped
	help          string
	labels        []string
	labelsUnknown bool
	via           string
	mayBeAbsent   string
	native        bool   // a histogram with native buckets
	holder        string // Go: the variable ("v:name") or struct field ("f:name") holding it
	onlyGrows     bool   // a gauge the code only increments
	// exposed is set when name is already the exposed family name (text # TYPE lines).
	exposed bool
	lang    string
	values  *codeValues // the label values of its uses (Go), nil when not read
	// library marks a registerer handed to a library (Go): name is the prefix it adds, labels
	// the labels; it becomes a CodeFacts.Libraries entry, not a family.
	library bool
}

// familyName is the family name as a text exposition shows it.
func (d *def) familyName(n string) string {
	if d.exposed {
		return n
	}
	if d.lang != "python" {
		return n
	}
	switch d.typ {
	case "counter":
		return strings.TrimSuffix(n, "_total") + "_total"
	case "info":
		return n + "_info"
	}
	return n
}

// finish turns a file's definitions into its exposition.
func finish(f *lint.SourceFile, lang string, defs []*def, probs []lint.ParseProblem) Result {
	ds, dprobs := scanDirectives(f)
	r := Result{Problems: append(probs, dprobs...)}
	defs, unusedDirectives := applyDirectives(f, defs, ds)
	if len(defs) == 0 && len(unusedDirectives) == 0 {
		return r
	}
	slices.SortStableFunc(defs, func(a, b *def) int { return cmp.Compare(a.at, b.at) })
	e := &lint.Exposition{
		File: f, Target: Target, Source: true, Families: map[string]*lint.Family{},
		Code: &lint.CodeFacts{Lang: lang, Defs: map[string]*lint.CodeDef{}, UnusedDirectives: unusedDirectives},
	}
	for _, d := range defs {
		d.lang = lang
		at := f.Pos(d.at)
		if d.library {
			e.Code.Libraries = append(e.Code.Libraries, lint.LibraryRegisterer{Prefix: d.name.s, Labels: d.labels, LabelsUnknown: d.labelsUnknown, Via: d.via, At: at})
			continue
		}
		typ := d.typ
		if typ == "" {
			typ = "untyped"
		}
		if !d.name.known() {
			u := lint.UnresolvedDef{
				At: at, Type: typ, Via: d.via, Pattern: d.familyName(d.name.pattern()), Reason: d.name.why,
			}
			if d.name.rest != "" {
				u.Rest, u.RestDef = newFamily(d, d.familyName(d.name.rest), typ, at, e)
			}
			e.Code.Unresolved = append(e.Code.Unresolved, u)
			continue
		}
		name := d.familyName(d.name.s)
		if name == "" {
			continue
		}
		labels := sortedUnique(d.labels)
		if fam := e.Families[name]; fam != nil {
			// Defined twice in one file (in two branches, or a metrics crate macro at each
			// use): keep the first definition, completed by the others, with every label.
			cd := e.Code.Defs[name]
			fam.Labels = sortedUnique(append(fam.Labels, labels...))
			cd.LabelsUnknown = cd.LabelsUnknown || d.labelsUnknown
			if fam.Help == "" {
				fam.Help = d.help
			}
			if fam.Type == "untyped" && typ != "untyped" {
				fam.Type, fam.TypeAt = typ, at
			}
			if d.mayBeAbsent == "" {
				cd.MayBeAbsent = ""
			}
			continue
		}
		fam, cd := newFamily(d, name, typ, at, e)
		e.Families[name] = fam
		e.Order = append(e.Order, name)
		e.Code.Defs[name] = cd
	}
	if len(e.Families) == 0 && len(e.Code.Unresolved) == 0 && len(unusedDirectives) == 0 {
		return r
	}
	e.Covers = covers(e)
	r.Exposition = e
	return r
}

// newFamily returns the family a definition gives under a name, and its code facts.
func newFamily(d *def, name, typ string, at lint.Pos, e *lint.Exposition) (*lint.Family, *lint.CodeDef) {
	fam := &lint.Family{Name: name, Type: typ, Help: d.help, Labels: sortedUnique(d.labels), HelpAt: at, FirstAt: at, Expo: e}
	if typ != "untyped" {
		fam.TypeAt = at
	}
	cd := &lint.CodeDef{Via: d.via, LabelsUnknown: d.labelsUnknown, MayBeAbsent: d.mayBeAbsent, NativeHistogram: d.native, OnlyGrows: d.onlyGrows}
	cd.LabelValues, cd.ValuesComplete = d.values.result()
	return fam, cd
}

// covers returns the name spaces a source exposition is the truth for: the space of the
// first two words of each name it defines (app_http_requests_total owns app_http_*), or the
// name alone (its series) when it has two words or fewer or a colon. Not the first word: a
// library's families share it (a service's grpc_foo_total says nothing of grpc_server_*), and
// a prefixing registerer lends it to a dependency's metrics (loki_ring_* beside the service's
// loki_distributor_*). Names an unresolved definition may produce are excused by the project
// (lint.Project.Excused), not carved out of the coverage here: a definition whose name is
// wholly unknown excuses nothing.
func covers(e *lint.Exposition) []string { return Covers(e.InOrder(), true) }

// Covers returns the metric-name globs that definitions of fams are the truth for, in their
// order without repeats: the space each name owns (OwnedSpace) when spaces is set, else, and
// for names that own none, the family's series names.
func Covers(fams []*lint.Family, spaces bool) []string {
	out := []string{}
	seen := map[string]bool{}
	add := func(g string) {
		if !seen[g] {
			seen[g] = true
			out = append(out, g)
		}
	}
	for _, f := range fams {
		if lint.ColonNamespaced(f.Name) && spaces {
			// vllm:num_requests_running: the namespace before the colon marks the emitter's
			// names, all of them (nobody else exports vllm: names).
			add(GlobEscape(lint.MetricSpace(f.Name)) + "*")
			continue
		}
		if space, ok := OwnedSpace(f.Name); ok && spaces {
			add(GlobEscape(space) + "_*")
			continue
		}
		for _, s := range f.SeriesNames() {
			add(GlobEscape(s))
		}
	}
	return out
}

// OwnedSpace returns the first two words of a metric name with at least three
// (app_http_requests_total: app_http), the space its definition owns; false for shorter names
// and recording-style names with a colon, which own only themselves.
func OwnedSpace(name string) (string, bool) {
	if lint.IsRecordingName(name) {
		return "", false
	}
	first := strings.IndexByte(name, '_')
	if first <= 0 {
		return "", false
	}
	second := strings.IndexByte(name[first+1:], '_')
	if second <= 0 || first+1+second == len(name)-1 {
		return "", false
	}
	return name[:first+1+second], true
}

// GlobEscape quotes the characters path.Match treats specially.
func GlobEscape(s string) string {
	if !strings.ContainsAny(s, `*?[\`) {
		return s
	}
	var b strings.Builder
	for _, c := range s {
		if strings.ContainsRune(`*?[\`, c) {
			b.WriteByte('\\')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// sortedUnique sorts and deduplicates label names.
func sortedUnique(ls []string) []string {
	ls = slices.Clone(ls)
	slices.Sort(ls)
	return slices.Compact(ls)
}

// ApplyOptions applies the config's sources: mapping entries to the expositions of the files
// they match (the first matching entry): prefix is prepended to every name a file defines
// (and to its unresolved patterns; a definition whose namespace alone is computed at run time
// takes the prefix as its namespace), and covers replaces the name spaces its definitions own.
func ApplyOptions(expos []*lint.Exposition, opts []lint.SourceOpt) {
	for _, e := range expos {
		for _, o := range opts {
			if !lint.MatchGlob(o.Glob, e.File.Path) {
				continue
			}
			if o.Prefix != "" {
				namespaceRest(e)
				prefixNames(e, o.Prefix)
			}
			if o.Covers != nil {
				e.Covers = o.Covers
			}
			break
		}
	}
}

// namespaceRest turns each unresolved definition whose namespace alone is unknown into the
// family it gives without it, for prefixNames to add the sources entry's prefix: the prefix
// stands for the namespace the program reads at run time. A family the file already defines
// under that name keeps its definition.
func namespaceRest(e *lint.Exposition) {
	if e.Code == nil || e.Families == nil || e.Code.Defs == nil {
		return
	}
	kept := e.Code.Unresolved[:0]
	for _, u := range e.Code.Unresolved {
		if u.Rest == nil {
			kept = append(kept, u)
			continue
		}
		if e.Families[u.Rest.Name] == nil {
			e.Families[u.Rest.Name] = u.Rest
			e.Code.Defs[u.Rest.Name] = u.RestDef
			e.Order = append(e.Order, u.Rest.Name)
		}
	}
	e.Code.Unresolved = kept
	slices.SortStableFunc(e.Order, func(a, b string) int {
		pa, pb := e.Families[a].FirstAt, e.Families[b].FirstAt
		return cmp.Or(cmp.Compare(pa.Line, pb.Line), cmp.Compare(pa.Col, pb.Col))
	})
}

// prefixNames renames every family of a source exposition to prefix+name.
func prefixNames(e *lint.Exposition, prefix string) {
	fams := make(map[string]*lint.Family, len(e.Families))
	defs := make(map[string]*lint.CodeDef, len(e.Families))
	for i, name := range e.Order {
		fam := e.Families[name]
		fam.Name = prefix + name
		fams[fam.Name] = fam
		if e.Code != nil && e.Code.Defs[name] != nil {
			defs[fam.Name] = e.Code.Defs[name]
		}
		e.Order[i] = fam.Name
	}
	e.Families = fams
	if e.Code != nil {
		e.Code.Defs = defs
		for i := range e.Code.Unresolved {
			e.Code.Unresolved[i].Pattern = GlobEscape(prefix) + e.Code.Unresolved[i].Pattern
		}
	}
	e.Covers = covers(e)
}
