// Package expo loads saved scrapes, in the Prometheus text format or in OpenMetrics, into
// lint.Exposition facts with a position for every family and sample.
//
// expfmt's TextParser is the judge of what is valid, but it gives no positions, so the
// loader works line by line:
//
//  1. Each line is classified (blank, comment, # HELP, # TYPE, # UNIT, # EOF, sample) and the
//     names in # HELP and # TYPE lines are read, quoted UTF-8 names included.
//  2. OpenMetrics is converted line for line into the text format (see convertOpenMetrics),
//     so the line numbers stay the same.
//  3. The whole text is parsed by expfmt. A parse error names one line: that line becomes a
//     problem, is left out, and the text is parsed again, so that one typo does not blank
//     out the rest of the scrape. After maxRecoveries errors the rest of the file is ignored.
//  4. Each sample line that expfmt accepted is parsed again on its own by the same parser,
//     which gives its series name, labels and value exactly as expfmt reads them. The
//     sample is then folded onto its family with the parser's rules (setOrCreateCurrentMF
//     for the text format: _sum/_count onto a summary, _bucket/_sum/_count onto a histogram;
//     the OpenMetrics rules for OpenMetrics: _total/_created onto a counter, _info onto an
//     info, _gsum/_gcount onto a gauge histogram). Samples therefore come from the lines, in
//     file order, one per line; identical series twice give two samples.
package expo

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/driftlint/driftlint/lint"
)

// maxRecoveries is how many bad lines the loader skips before it ignores the rest of a file.
const maxRecoveries = 16

// maxLabels is the most labels a sample line may have; a line with more is a problem.
const maxLabels = 128

const bom = "\uFEFF"

// kind is what a line of an exposition is.
type kind uint8

const (
	kindBlank kind = iota
	kindComment
	kindHelp
	kindType
	kindUnit
	kindEOF
	kindSample
)

// line is one line of the file.
type line struct {
	kind kind
	text string // the line as expfmt sees it: no BOM, no trailing \r, OpenMetrics converted
	name string // # HELP, # TYPE, # UNIT: the family name, unquoted
	arg  string // # HELP: the raw help text; # TYPE: the type word as written
	bad  bool   // expfmt rejected the line
	drop bool   // ignored: after # EOF, or after too many errors
}

// loader holds the state of one Load call.
type loader struct {
	f        *lint.SourceFile
	expo     *lint.Exposition
	om       bool
	lines    []line
	errs     map[int]string // line number → expfmt's message for a bad line
	problems []lint.ParseProblem
	seen     map[*lint.Family]bool
	cur      *lint.Family
}

// Load parses a saved scrape in the Prometheus text format or in OpenMetrics (a file with a
// `# EOF` or `# UNIT` line, or named *.om or *.openmetrics). It returns the exposition with
// its families in file order (Target, Index, TimeMs and Covers are left for the caller) and
// the lines that do not parse. A UTF-8 byte-order mark and CRLF line ends are tolerated.
func Load(f *lint.SourceFile) (*lint.Exposition, []lint.ParseProblem) {
	return LoadAs(f, false)
}

// LoadAs is Load for a scrape whose format is known to be OpenMetrics when openMetrics is
// set (a response's content type said so), whatever its lines and name: OpenMetrics without
// its # EOF line is then read as OpenMetrics (timestamps in seconds, counters named x with
// x_total samples) and the missing # EOF is the one problem, instead of a text-format
// reading that fails on every timestamp.
func LoadAs(f *lint.SourceFile, openMetrics bool) (*lint.Exposition, []lint.ParseProblem) {
	l := &loader{
		om:   openMetrics,
		f:    f,
		expo: &lint.Exposition{File: f, Families: map[string]*lint.Family{}},
		errs: map[int]string{},
		seen: map[*lint.Family]bool{},
	}
	l.split()
	if l.om {
		l.convertOpenMetrics()
	}
	l.validate()
	l.build()
	slices.SortStableFunc(l.problems, func(a, b lint.ParseProblem) int {
		return cmp.Or(cmp.Compare(a.At.Line, b.At.Line), cmp.Compare(a.At.Col, b.At.Col))
	})
	return l.expo, l.problems
}

// LooksLikeExposition reports whether src looks like a scrape: it has a # HELP or # TYPE
// line, or its first lines that are not comments all parse as samples. A file named *.prom,
// *.om or *.openmetrics with nothing but blank lines and comments counts too.
func LooksLikeExposition(name string, src []byte) bool {
	const maxBytes, maxSamples = 64 << 10, 20
	text := string(src[:min(len(src), maxBytes)])
	text = strings.TrimPrefix(text, bom)
	lines := strings.Split(text, "\n")
	if len(src) > maxBytes {
		lines = lines[:len(lines)-1] // the last line may be cut
	}
	p := newLineParser()
	samples := 0
	for _, s := range lines {
		s = strings.TrimLeft(strings.TrimSuffix(s, "\r"), " \t")
		k, _, _ := classify(s, true)
		switch k {
		case kindBlank, kindEOF, kindUnit, kindComment:
			continue
		case kindHelp, kindType:
			return true
		case kindSample:
		}
		if samples == maxSamples {
			break
		}
		if _, err := p.parse(s); err != nil {
			if _, err := p.parse(convertSample(s)); err != nil {
				return false
			}
		}
		samples++
	}
	if samples > 0 {
		return true
	}
	switch strings.ToLower(path.Ext(name)) {
	case ".prom", ".om", ".openmetrics":
		return true
	}
	return false
}

// split cuts the file into classified lines and detects OpenMetrics.
func (l *loader) split() {
	text := strings.TrimPrefix(l.f.Text(), bom)
	raw := strings.Split(text, "\n")
	l.lines = make([]line, len(raw))
	ext := strings.ToLower(path.Ext(l.f.Path))
	l.om = l.om || ext == ".om" || ext == ".openmetrics"
	for i, s := range raw {
		s = strings.TrimSuffix(s, "\r")
		k, name, arg := classify(s, true)
		l.lines[i] = line{kind: k, text: s, name: name, arg: arg}
		if k == kindEOF || k == kindUnit {
			l.om = true
		}
	}
	if !l.om {
		// # UNIT and # EOF are plain comments in the text format.
		for i := range l.lines {
			if k := l.lines[i].kind; k == kindUnit || k == kindEOF {
				l.lines[i].kind = kindComment
			}
		}
	}
}

// classify tells what a line is, as expfmt reads it: leading blanks are skipped, a comment
// whose first word is HELP or TYPE (or, with om, UNIT) declares the family named next, and
// `# EOF` ends an OpenMetrics exposition. For declarations it returns the unquoted family
// name and the rest of the line.
func classify(s string, om bool) (k kind, name, arg string) {
	t := strings.TrimLeft(s, " \t")
	switch {
	case t == "":
		return kindBlank, "", ""
	case t[0] != '#':
		return kindSample, "", ""
	}
	if strings.TrimRight(t, " \t") == "# EOF" {
		return kindEOF, "", ""
	}
	t = strings.TrimLeft(t[1:], " \t")
	i := strings.IndexAny(t, " \t")
	if i < 0 {
		return kindComment, "", ""
	}
	switch t[:i] {
	case "HELP":
		k = kindHelp
	case "TYPE":
		k = kindType
	case "UNIT":
		if !om {
			return kindComment, "", ""
		}
		k = kindUnit
	default:
		return kindComment, "", ""
	}
	t = strings.TrimLeft(t[i:], " \t")
	if t == "" {
		return kindComment, "", "" // expfmt ignores a declaration without a name
	}
	name, n, ok := readName(t)
	switch {
	case !ok:
		return k, "", "" // expfmt rejects the line
	case n == len(t):
		return kindComment, "", "" // `# HELP name` and nothing after: expfmt ignores it
	case t[n] != ' ' && t[n] != '\t':
		return k, "", ""
	}
	return k, name, strings.TrimLeft(t[n:], " \t")
}

// readName reads a metric name at the start of s: a bare name, or a quoted UTF-8 name with
// the escapes \\, \" and \n. It returns the name and how many bytes it took.
func readName(s string) (string, int, bool) {
	if s == "" {
		return "", 0, false
	}
	if s[0] != '"' {
		i := 0
		for i < len(s) && isNameByte(s[i], i == 0) {
			i++
		}
		return s[:i], i, i > 0
	}
	v, n, ok := labelValue(s[1:]) // a quoted name is escaped as a label value is
	return v, n + 1, ok && v != ""
}

func isNameByte(c byte, first bool) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == ':' || !first && c >= '0' && c <= '9'
}

// validate runs expfmt over the whole text. Each error marks its line bad, and the text is
// parsed again without it, up to maxRecoveries times; then the rest of the file is dropped.
func (l *loader) validate() {
	// expfmt checks a sample's labels for duplicates with a new map per label, which takes
	// time quadratic in the number of labels (minutes for a few lines of 10,000 labels); real
	// samples have a few dozen at most.
	for i := range l.lines {
		if ln := &l.lines[i]; ln.kind == kindSample {
			if n := strings.Count(ln.text, `="`); n > maxLabels {
				ln.bad = true
				l.errs[i+1] = fmt.Sprintf("the sample has %d labels, more than the limit of %d, and was not read", n, maxLabels)
			}
		}
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	var b strings.Builder
	for attempt := 1; ; attempt++ {
		b.Reset()
		b.Grow(len(l.f.Src) + len(l.lines))
		for i := range l.lines {
			if ln := &l.lines[i]; !ln.bad && !ln.drop {
				b.WriteString(ln.text)
			}
			b.WriteByte('\n')
		}
		_, err := p.TextToMetricFamilies(strings.NewReader(b.String()))
		if err == nil {
			return
		}
		pe, ok := errors.AsType[expfmt.ParseError](err)
		if !ok {
			l.problems = append(l.problems, lint.ParseProblem{At: lint.Pos{File: l.f.Path}, Message: err.Error()})
			l.dropFrom(0)
			return
		}
		n := min(max(pe.Line, 1), len(l.lines))
		ln := &l.lines[n-1]
		l.errs[n] = pe.Msg
		if attempt == maxRecoveries || ln.bad || ln.drop || ln.kind == kindBlank {
			if l.dropFrom(n) {
				l.errs[n] += "; the rest of the file is ignored"
			}
			ln.bad = true
			return
		}
		ln.bad = true
	}
}

// dropFrom ignores line n (1-based) and every line after it. It reports whether a line
// after n had content.
func (l *loader) dropFrom(n int) bool {
	more := false
	for i := max(n-1, 0); i < len(l.lines); i++ {
		if i >= n && l.lines[i].kind != kindBlank && !l.lines[i].drop {
			more = true
		}
		l.lines[i].drop = true
	}
	return more
}

// build turns the accepted lines into families and samples.
func (l *loader) build() {
	p := newLineParser()
	for i := range l.lines {
		ln := &l.lines[i]
		n := i + 1
		at := lint.Pos{File: l.f.Path, Line: n, Col: 1}
		msg, isBad := l.errs[n]
		if ln.drop && !isBad {
			continue
		}
		switch ln.kind {
		case kindHelp, kindType:
			if ln.bad {
				if !l.redeclared(ln, at) || ln.drop {
					l.problem(at, msg)
				}
				continue
			}
			l.declare(ln, at)
		case kindSample:
			if ln.bad {
				l.problem(at, msg)
				continue
			}
			s, err := p.parse(ln.text)
			if err != nil {
				l.problem(at, err.Error())
				continue
			}
			l.addSample(s, at)
		case kindBlank, kindComment, kindUnit, kindEOF:
			if isBad {
				l.problem(at, msg)
			}
		}
	}
	for _, name := range l.expo.Order {
		fam := l.expo.Families[name]
		if fam.Type == "" {
			fam.Type = l.defaultType()
		}
		fam.Labels = familyLabels(fam)
	}
}

func (l *loader) problem(at lint.Pos, msg string) {
	l.problems = append(l.problems, lint.ParseProblem{At: at, Message: msg})
}

func (l *loader) defaultType() string {
	if l.om {
		return "unknown"
	}
	return "untyped"
}

// redeclared records a # HELP or # TYPE line that expfmt rejected because the family
// already had one, and reports whether it was that.
func (l *loader) redeclared(ln *line, at lint.Pos) bool {
	if ln.name == "" {
		return false
	}
	fam := l.lookup(ln.name, false)
	if fam == nil {
		return false
	}
	if ln.kind == kindHelp && fam.HelpAt.IsValid() || ln.kind == kindType && fam.TypeAt.IsValid() {
		fam.Redeclared = append(fam.Redeclared, at)
		l.touch(fam, at)
		return true
	}
	return false
}

// declare applies an accepted # HELP or # TYPE line.
func (l *loader) declare(ln *line, at lint.Pos) {
	if ln.name == "" {
		return
	}
	fam := l.lookup(ln.name, true)
	l.touch(fam, at)
	switch {
	case ln.kind == kindHelp && fam.HelpAt.IsValid(), ln.kind == kindType && fam.TypeAt.IsValid():
		fam.Redeclared = append(fam.Redeclared, at)
	case ln.kind == kindHelp:
		fam.HelpAt = at
		fam.Help = unescapeHelp(ln.arg)
	default:
		fam.TypeAt = at
		fam.Type = l.typeName(ln.arg)
	}
}

// typeName normalizes the word of a # TYPE line.
func (l *loader) typeName(word string) string {
	if l.om {
		return word
	}
	t := strings.ToLower(word)
	if t == "gauge_histogram" {
		return "gaugehistogram"
	}
	return t
}

// addSample folds a parsed sample onto its family.
func (l *loader) addSample(s parsedSample, at lint.Pos) {
	var fam *lint.Family
	if l.om {
		var msg string
		fam, msg = l.lookupOpenMetricsSample(s.name)
		if fam == nil {
			l.problem(at, msg)
			return
		}
	} else {
		fam = l.lookup(s.name, true)
	}
	l.touch(fam, at)
	if fam.Type == "" {
		fam.Type = l.defaultType()
	}
	if !fam.FirstAt.IsValid() {
		fam.FirstAt = at
	}
	fam.Samples = append(fam.Samples, lint.Sample{Name: s.name, Labels: s.labels, Value: s.value, At: at})
}

// touch notes that the line at is the family's, and records a later block of it.
func (l *loader) touch(fam *lint.Family, at lint.Pos) {
	if fam != l.cur && l.seen[fam] {
		fam.Reopened = append(fam.Reopened, at)
	}
	l.seen[fam] = true
	l.cur = fam
}

// lookup finds the family a name belongs to. In the text format that is expfmt's rule: the
// family of that name, else the summary it is the _sum or _count of, else the histogram it
// is the _bucket, _sum or _count of. In OpenMetrics, declarations name their family exactly.
// With create, a missing family is created.
func (l *loader) lookup(name string, create bool) *lint.Family {
	fams := l.expo.Families
	if fam := fams[name]; fam != nil {
		return fam
	}
	if !l.om {
		for _, suf := range []string{"_count", "_sum", "_bucket"} {
			base, ok := strings.CutSuffix(name, suf)
			if !ok || base == "" {
				continue
			}
			fam := fams[base]
			if fam == nil {
				continue
			}
			if fam.Type == "summary" && suf != "_bucket" || fam.Type == "histogram" || fam.Type == "gaugehistogram" {
				return fam
			}
		}
	}
	if !create {
		return nil
	}
	return l.newFamily(name)
}

func (l *loader) newFamily(name string) *lint.Family {
	fam := &lint.Family{Name: name, Expo: l.expo}
	l.expo.Families[name] = fam
	l.expo.Order = append(l.expo.Order, name)
	return fam
}

// openMetricsSuffixes are the series-name suffixes an OpenMetrics family can have.
var openMetricsSuffixes = [...]string{"_total", "_created", "_bucket", "_count", "_sum", "_gcount", "_gsum", "_info"}

// lookupOpenMetricsSample finds the OpenMetrics family of a series name, creating an unknown
// family when none matches. It returns nil and a message for a series that its family's
// type does not allow (a bare x for a counter x).
func (l *loader) lookupOpenMetricsSample(name string) (*lint.Family, string) {
	fams := l.expo.Families
	exact := fams[name]
	if exact != nil && openMetricsMatch(exact, name) {
		return exact, ""
	}
	for _, suf := range openMetricsSuffixes {
		if base, ok := strings.CutSuffix(name, suf); ok && base != "" {
			if fam := fams[base]; fam != nil && openMetricsMatch(fam, name) {
				return fam, ""
			}
		}
	}
	if exact != nil {
		return nil, fmt.Sprintf("sample %q missing required suffix for type %s", name, exact.Type)
	}
	return l.newFamily(name), ""
}

// openMetricsMatch reports whether series name belongs to the OpenMetrics family fam.
func openMetricsMatch(fam *lint.Family, name string) bool {
	suf, ok := strings.CutPrefix(name, fam.Name)
	if !ok {
		return false
	}
	switch fam.Type {
	case "counter":
		return suf == "_total" || suf == "_created"
	case "summary":
		return suf == "" || suf == "_count" || suf == "_sum" || suf == "_created"
	case "histogram":
		return suf == "_bucket" || suf == "_count" || suf == "_sum" || suf == "_created"
	case "gaugehistogram":
		return slices.Contains([]string{"_bucket", "_gcount", "_gsum", "_count", "_sum", "_created"}, suf)
	case "info":
		return suf == "_info"
	default: // gauge, stateset, unknown, and families only declared by # HELP so far
		return suf == ""
	}
}

// familyLabels is the sorted union of the label names of a family's samples, without the
// le of histogram buckets and the quantile of summaries (the labels expfmt keeps).
func familyLabels(fam *lint.Family) []string {
	set := map[string]bool{}
	for _, s := range fam.Samples {
		for k := range s.Labels {
			switch {
			case k == model.BucketLabel && (fam.Type == "histogram" || fam.Type == "gaugehistogram"):
			case k == model.QuantileLabel && fam.Type == "summary":
			default:
				set[k] = true
			}
		}
	}
	if len(set) == 0 {
		return nil
	}
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// unescaper decodes the escapes of a # HELP text; escaper writes a quoted metric name's.
var (
	unescaper = strings.NewReplacer(`\\`, `\`, `\n`, "\n", `\"`, `"`)
	escaper   = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)
)

// unescapeHelp decodes the escapes of a # HELP text: \\, \n and \".
func unescapeHelp(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	return unescaper.Replace(s)
}

// convertOpenMetrics rewrites each OpenMetrics line into its text-format equivalent, line
// for line, so that expfmt can validate it and parse its samples:
//   - # TYPE x counter and its # HELP name the family x_total, as the text format does;
//     info families are x_info gauges, statesets gauges, unknown untyped;
//   - # UNIT and # EOF lines become blank; content after # EOF is a problem and ignored, and
//     a missing # EOF is a problem;
//   - samples lose their exemplar, and their timestamp turns from seconds into milliseconds.
//
// The family names and types the loader reports stay OpenMetrics ones (x counter, x info).
// OpenMetrics rules the text format lacks (no interleaved families, counters need _total)
// are not checked here: interleaving is recorded in Family.Reopened.
func (l *loader) convertOpenMetrics() {
	types := map[string]string{}
	for _, ln := range l.lines {
		if ln.kind == kindType && ln.name != "" {
			if _, ok := types[ln.name]; !ok {
				types[ln.name] = ln.arg
			}
		}
	}
	eof := false
	content := false
	for i := range l.lines {
		ln := &l.lines[i]
		if eof {
			if ln.kind != kindBlank {
				l.problem(lint.Pos{File: l.f.Path, Line: i + 1, Col: 1}, "unexpected content after # EOF")
				l.dropFrom(i + 1)
				return
			}
			continue
		}
		if ln.kind != kindBlank {
			content = true
		}
		switch ln.kind {
		case kindEOF:
			eof = true
			ln.text = ""
		case kindUnit:
			ln.text = ""
		case kindHelp, kindType:
			if ln.name == "" {
				continue
			}
			name := ln.name
			switch types[name] {
			case "counter":
				name += "_total"
			case "info":
				name += "_info"
			}
			if ln.kind == kindHelp {
				ln.text = "# HELP " + quoteName(name) + " " + ln.arg
				continue
			}
			word := ln.arg
			switch word {
			case "info", "stateset":
				word = "gauge"
			case "unknown":
				word = "untyped"
			}
			ln.text = "# TYPE " + quoteName(name) + " " + word
		case kindSample:
			ln.text = convertSample(ln.text)
		case kindBlank, kindComment:
		}
	}
	if !eof && content {
		l.problem(l.f.Pos(len(l.f.Src)), "openmetrics exposition does not end with # EOF")
	}
}

// quoteName writes a metric name for a # HELP or # TYPE line: bare when it is a classic
// name, else quoted.
func quoteName(name string) string {
	if model.LegacyValidation.IsValidMetricName(name) {
		return name
	}
	return `"` + escaper.Replace(name) + `"`
}

// convertSample turns an OpenMetrics sample line into a text-format one: the exemplar
// (from a " # " after the value) is dropped and a timestamp in seconds becomes milliseconds.
// Anything it does not understand is left for expfmt to reject.
func convertSample(s string) string {
	end := seriesEnd(s)
	fields := strings.FieldsFunc(s[end:], func(r rune) bool { return r == ' ' || r == '\t' })
	var b strings.Builder
	b.WriteString(s[:end])
	for i, fld := range fields {
		if strings.HasPrefix(fld, "#") {
			break
		}
		if i == 1 {
			fld = millis(fld)
		}
		b.WriteByte(' ')
		b.WriteString(fld)
	}
	return b.String()
}

// seriesEnd returns the offset just after the series name and label set at the start of a
// sample line.
func seriesEnd(s string) int {
	i := 0
	for i < len(s) && isNameByte(s[i], i == 0) {
		i++
	}
	j := i
	for j < len(s) && (s[j] == ' ' || s[j] == '\t') {
		j++
	}
	if j == len(s) || s[j] != '{' {
		return i
	}
	quoted := false
	for k := j + 1; k < len(s); k++ {
		switch {
		case quoted && s[k] == '\\':
			k++
		case s[k] == '"':
			quoted = !quoted
		case !quoted && s[k] == '}':
			return k + 1
		}
	}
	return len(s)
}

// millis converts an OpenMetrics timestamp in seconds to the text format's milliseconds.
// What does not parse is returned as it is.
func millis(ts string) string {
	f, err := strconv.ParseFloat(ts, 64)
	if err != nil || math.IsNaN(f) || math.Abs(f) > 9e15 {
		return ts
	}
	return strconv.FormatInt(int64(math.Round(f*1000)), 10)
}
