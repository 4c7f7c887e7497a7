package report

import (
	"io"
	"net/url"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/driftlint/driftlint/lint"
)

// SARIF output constants. A rule's help link is RulesURL: the README's rule table, which
// has one row per rule id.
const (
	SARIFSchema      = "https://json.schemastore.org/sarif-2.1.0.json"
	InformationURI   = "https://github.com/driftlint/driftlint"
	RulesURL         = "https://github.com/driftlint/driftlint/blob/main/README.md#rules"
	FingerprintKey   = "driftlint/v1"            // the partialFingerprints key holding Finding.Fingerprint
	LineHashKey      = "primaryLocationLineHash" // GitHub code scanning's key; holds Finding.Fingerprint too
	srcRoot          = "%SRCROOT%"
	sarifVersion     = "2.1.0"
	sarifColumnKind  = "utf16CodeUnits"
	maxDescriptionCh = 1000 // GitHub truncates long rule descriptions; keep fullDescription short
)

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool               sarifTool                        `json:"tool"`
	OriginalURIBaseIDs map[string]sarifArtifactLocation `json:"originalUriBaseIds"`
	ColumnKind         string                           `json:"columnKind"`
	Results            []sarifResult                    `json:"results"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	InformationURI string      `json:"informationUri"`
	Version        string      `json:"version,omitempty"`
	Rules          []sarifRule `json:"rules"`
}

type sarifRule struct {
	ID                   string          `json:"id"`
	Name                 string          `json:"name"`
	ShortDescription     sarifMessage    `json:"shortDescription"`
	FullDescription      sarifMessage    `json:"fullDescription"`
	Help                 *sarifMessage   `json:"help,omitempty"`
	HelpURI              string          `json:"helpUri"`
	DefaultConfiguration sarifRuleConfig `json:"defaultConfiguration"`
	Properties           sarifRuleProps  `json:"properties"`
}

type sarifRuleConfig struct {
	Level string `json:"level"`
}

type sarifRuleProps struct {
	Tags []string `json:"tags"`
}

type sarifMessage struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown,omitempty"`
}

type sarifResult struct {
	RuleID              string            `json:"ruleId"`
	RuleIndex           int               `json:"ruleIndex"`
	Level               string            `json:"level"`
	Message             sarifMessage      `json:"message"`
	Locations           []sarifLocation   `json:"locations"`
	RelatedLocations    []sarifLocation   `json:"relatedLocations,omitempty"`
	PartialFingerprints map[string]string `json:"partialFingerprints,omitempty"`
}

type sarifLocation struct {
	ID               int           `json:"id,omitempty"` // related locations count from 1
	PhysicalLocation sarifPhysical `json:"physicalLocation"`
	Message          *sarifMessage `json:"message,omitempty"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifactLocation `json:"artifactLocation"`
	Region           sarifRegion           `json:"region"`
}

type sarifArtifactLocation struct {
	URI         string        `json:"uri,omitempty"`
	URIBaseID   string        `json:"uriBaseId,omitempty"`
	Description *sarifMessage `json:"description,omitempty"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn,omitempty"`
}

// SARIF prints the findings as a SARIF 2.1.0 log with one run, for GitHub code scanning.
//
// Paths are relative URIs under the %SRCROOT% base id (opts.Root when set). Every rule of
// opts.Rules is listed, then any other rule a finding names. Related positions are related
// locations, linked from the message text as [file:line:col](id) so that code scanning shows
// them. A whole-file finding (line 0) points at line 1: code scanning needs a startLine.
// Columns are UTF-16 code units when opts.Source gives the line, else bytes. Each result's
// partialFingerprints holds its fingerprint, unique within the run, under both "driftlint/v1"
// and GitHub's "primaryLocationLineHash".
func SARIF(w io.Writer, res *lint.Result, opts Options) error {
	rules, index := sarifRules(res, opts.Rules)
	run := sarifRun{
		Tool:               sarifTool{Driver: sarifDriver{Name: "driftlint", InformationURI: InformationURI, Version: opts.Version, Rules: rules}},
		OriginalURIBaseIDs: map[string]sarifArtifactLocation{srcRoot: rootLocation(opts.Root)},
		ColumnKind:         sarifColumnKind,
		Results:            []sarifResult{},
	}
	for _, f := range res.Findings {
		r := sarifResult{
			RuleID:    f.Rule,
			RuleIndex: index[f.Rule],
			Level:     sarifLevel(f.Severity),
			Locations: []sarifLocation{},
		}
		if f.Pos.File != "" {
			r.Locations = append(r.Locations, sarifLocation{PhysicalLocation: physical(f.Pos, opts.Source)})
		}
		text := f.Message
		if len(f.Related) > 0 {
			// The message embeds links to its related locations, so literal brackets in it
			// are escaped (SARIF §3.11.6).
			var b strings.Builder
			b.WriteString(escapeSARIFLinkText(f.Message))
			for _, rel := range f.Related {
				b.WriteString("\n")
				if rel.Pos.File == "" {
					b.WriteString(escapeSARIFLinkText(rel.Message))
					continue
				}
				id := len(r.RelatedLocations) + 1
				loc := sarifLocation{ID: id, PhysicalLocation: physical(rel.Pos, opts.Source)}
				if rel.Message != "" {
					loc.Message = &sarifMessage{Text: rel.Message}
				}
				r.RelatedLocations = append(r.RelatedLocations, loc)
				b.WriteString("[" + escapeSARIFLinkText(rel.Pos.String()) + "](" + strconv.Itoa(id) + ")")
				if rel.Message != "" {
					b.WriteString(": " + escapeSARIFLinkText(rel.Message))
				}
			}
			text = b.String()
		}
		r.Message = sarifMessage{Text: text}
		if f.Fingerprint != "" {
			// Both keys: code scanning reads primaryLocationLineHash and computes its own
			// when it is missing; driftlint/v1 is what baselines and --against match.
			r.PartialFingerprints = map[string]string{FingerprintKey: f.Fingerprint, LineHashKey: f.Fingerprint}
		}
		run.Results = append(run.Results, r)
	}
	return writeJSON(w, sarifLog{Schema: SARIFSchema, Version: sarifVersion, Runs: []sarifRun{run}}, false)
}

// sarifRules describes every registered rule, then the rules findings name that are not
// registered (sorted), and maps each id to its index.
func sarifRules(res *lint.Result, registry []*lint.Rule) ([]sarifRule, map[string]int) {
	out := []sarifRule{}
	index := map[string]int{}
	for _, r := range registry {
		if r == nil {
			continue
		}
		if _, dup := index[r.ID]; dup {
			continue
		}
		index[r.ID] = len(out)
		out = append(out, describeRule(r))
	}
	var extra []string
	for _, f := range res.Findings {
		if _, ok := index[f.Rule]; !ok && !slices.Contains(extra, f.Rule) {
			extra = append(extra, f.Rule)
		}
	}
	slices.Sort(extra)
	for _, id := range extra {
		index[id] = len(out)
		out = append(out, describeRule(&lint.Rule{ID: id}))
	}
	return out, index
}

func describeRule(r *lint.Rule) sarifRule {
	short := r.Summary
	if short == "" {
		short = r.ID
	}
	full := firstParagraph(r.Doc)
	if full == "" {
		full = short
	}
	sr := sarifRule{
		ID:                   r.ID,
		Name:                 ruleName(r.ID),
		ShortDescription:     sarifMessage{Text: short},
		FullDescription:      sarifMessage{Text: full},
		HelpURI:              RulesURL,
		DefaultConfiguration: sarifRuleConfig{Level: sarifLevel(r.Severity)},
		Properties:           sarifRuleProps{Tags: ruleTags(r.ID)},
	}
	if r.Doc != "" {
		sr.Help = &sarifMessage{Text: r.Doc, Markdown: "**" + escapeMarkdown(short) + "**\n\n" + docMarkdown(r.Doc)}
	}
	return sr
}

// ruleName turns a rule id into the CamelCase name SARIF suggests: promql/ratio-aggregation
// becomes PromqlRatioAggregation.
func ruleName(id string) string {
	var b strings.Builder
	upper := true
	for _, r := range id {
		if r == '/' || r == '-' || r == '_' || r == '.' {
			upper = true
			continue
		}
		if upper && r >= 'a' && r <= 'z' {
			r -= 'a' - 'A'
		}
		upper = false
		b.WriteRune(r)
	}
	if b.Len() == 0 {
		return "Rule"
	}
	return b.String()
}

// ruleTags tags a rule with driftlint and its category (the id before the slash); SARIF
// wants the tags unique.
func ruleTags(id string) []string {
	tags := []string{"driftlint"}
	if cat, _, ok := strings.Cut(id, "/"); ok && cat != "" && cat != tags[0] {
		tags = append(tags, cat)
	}
	return tags
}

// firstParagraph is the doc's first paragraph on one line, shortened for GitHub.
func firstParagraph(doc string) string {
	para, _, _ := strings.Cut(strings.TrimSpace(strings.ReplaceAll(doc, "\r\n", "\n")), "\n\n")
	s := strings.Join(strings.Fields(para), " ")
	n := 0
	for i := range s {
		if n == maxDescriptionCh-1 && utf8.RuneCountInString(s[i:]) > 1 {
			return s[:i] + "…"
		}
		n++
	}
	return s
}

func sarifLevel(s lint.Severity) string {
	switch s {
	case lint.Error:
		return "error"
	case lint.Warning:
		return "warning"
	case lint.Info:
		return "note"
	default:
		return "warning"
	}
}

// rootLocation describes the %SRCROOT% base id: the project root as a file URI when known.
func rootLocation(root string) sarifArtifactLocation {
	loc := sarifArtifactLocation{Description: &sarifMessage{Text: "the project root (the folder of the driftlint config file)"}}
	if root == "" {
		return loc
	}
	p := filepath.ToSlash(root)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p // a Windows drive: file:///C:/…
	}
	if !strings.HasSuffix(p, "/") {
		p += "/"
	}
	loc.URI = (&url.URL{Scheme: "file", Path: p}).String()
	return loc
}

func physical(pos lint.Pos, source func(string, int) string) sarifPhysical {
	region := sarifRegion{StartLine: 1}
	if pos.Line > 0 {
		region.StartLine = pos.Line
		region.StartColumn = max(1, utf16Column(pos, source))
	}
	return sarifPhysical{
		ArtifactLocation: sarifArtifactLocation{URI: relativeURI(pos.File), URIBaseID: srcRoot},
		Region:           region,
	}
}

// relativeURI escapes a slash-separated relative path as a URI reference.
func relativeURI(p string) string {
	return (&url.URL{Path: filepath.ToSlash(p)}).String()
}

// utf16Column converts pos's byte column to UTF-16 code units when the line is known.
func utf16Column(pos lint.Pos, source func(string, int) string) int {
	if source == nil || pos.Col <= 1 {
		return pos.Col
	}
	line := source(pos.File, pos.Line)
	if pos.Col-1 > len(line) {
		return pos.Col
	}
	n := 0
	for _, r := range line[:pos.Col-1] {
		n += utf16.RuneLen(r)
	}
	return n + 1
}

var sarifLinkText = strings.NewReplacer("[", `\[`, "]", `\]`)

// escapeSARIFLinkText escapes the square brackets that would otherwise read as embedded
// links in a SARIF plain-text message. Backslashes are left alone: PromQL regexes are full
// of them, and only a backslash before a bracket is an escape.
func escapeSARIFLinkText(s string) string {
	if !strings.ContainsAny(s, "[]") {
		return s
	}
	return sarifLinkText.Replace(s)
}
