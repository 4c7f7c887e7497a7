package inventory

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/driftlint/driftlint/lint"
)

// Formats lists the output formats of Write, for flag help and validation.
var Formats = []string{"text", "json", "markdown"}

// Write prints the inventory in one of Formats.
func Write(w io.Writer, format string, inv Inventory) error {
	switch format {
	case "text":
		return Text(w, inv)
	case "json":
		return JSON(w, inv)
	case "markdown":
		return Markdown(w, inv)
	default:
		return fmt.Errorf("unknown format %q (want one of %s)", format, strings.Join(Formats, ", "))
	}
}

// String is the one-line summary: "12 metrics: 9 exported, 7 documented, …".
func (s Summary) String() string {
	line := fmt.Sprintf("%d %s: %d exported, %d documented, %d recorded, %d used",
		s.Metrics, plural(s.Metrics, "metric"), s.Exported, s.Documented, s.Recorded, s.Used)
	line += fmt.Sprintf("; %d undocumented, %d unused, %d undefined, %d unverified", s.Undocumented, s.Unused, s.Undefined, s.Unverified)
	if s.NotPromQL > 0 {
		word := "queries"
		if s.NotPromQL == 1 {
			word = "query"
		}
		line += fmt.Sprintf("; %d %s not PromQL left unread", s.NotPromQL, word)
	}
	return line
}

// Text prints one block per metric: its name, type and notes, then one line per place it
// appears, positions aligned, and the summary last.
func Text(w io.Writer, inv Inventory) error {
	var b strings.Builder
	for i, m := range inv.Metrics {
		if i > 0 {
			b.WriteString("\n")
		}
		b.WriteString(m.Name)
		if m.Type != "" {
			b.WriteString(" " + m.Type)
		}
		if m.Builtin {
			b.WriteString(" (made by Prometheus)")
		}
		if notes := m.Notes(); len(notes) > 0 {
			b.WriteString(" [" + strings.Join(notes, ", ") + "]")
		}
		b.WriteString("\n")
		type row struct{ kind, at, what string }
		var rows []row
		for _, e := range m.Exported {
			rows = append(rows, row{"exported", e.At.String(), exportText(e)})
		}
		for _, k := range m.Known {
			rows = append(rows, row{"known", k.At.String(), knownText(k)})
		}
		if x := m.Exporter; x != nil {
			rows = append(rows, row{"exporter", x.At.String(), exporterText(x)})
		}
		for _, d := range m.Documented {
			rows = append(rows, row{"documented", d.At.String(), docText(d)})
		}
		for _, r := range m.Recorded {
			rows = append(rows, row{"recorded", r.At.String(), recordText(r)})
		}
		for _, u := range m.Used {
			rows = append(rows, row{"used", u.At.String(), useText(u)})
		}
		width := 0
		for _, r := range rows {
			width = max(width, len(r.at))
		}
		for _, r := range rows {
			line := fmt.Sprintf("  %-10s %-*s  %s", r.kind, width, r.at, r.what)
			b.WriteString(strings.TrimRight(line, " ") + "\n")
		}
	}
	if len(inv.Metrics) > 0 {
		b.WriteString("\n")
	}
	b.WriteString(inv.Summary.String() + "\n")
	_, err := io.WriteString(w, b.String())
	return err
}

func labelsText(labels []string, known bool) string {
	if !known {
		return "labels unknown"
	}
	return "{" + strings.Join(labels, ", ") + "}"
}

func exportText(e Export) string {
	var parts []string
	if e.Source {
		parts = append(parts, "source code")
	} else {
		parts = append(parts, "scrape")
	}
	if e.Target != "" && e.Target != "." && !e.Source {
		parts = append(parts, "target "+strconv.Quote(e.Target))
	}
	if e.Type != "" {
		parts = append(parts, e.Type)
	}
	parts = append(parts, labelsText(e.Labels, e.LabelsKnown))
	return strings.Join(parts, " ")
}

func exporterText(x *FromExporter) string {
	parts := []string{x.Name + " " + x.Version + " (catalogue)"}
	if x.Type != "" {
		parts = append(parts, x.Type)
	}
	parts = append(parts, labelsText(x.Labels, x.LabelsKnown))
	return strings.Join(parts, " ")
}

func knownText(k Known) string {
	parts := []string{"known_metrics"}
	if k.As != "" {
		parts = append(parts, "as "+k.As)
	}
	if k.Type != "" {
		parts = append(parts, k.Type)
	}
	return strings.Join(parts, " ")
}

func docText(d Doc) string {
	var parts []string
	if d.As != "" {
		parts = append(parts, "as "+d.As)
	}
	if d.Type != "" {
		parts = append(parts, d.Type)
	}
	if d.HasLabels {
		parts = append(parts, labelsText(d.Labels, true))
	}
	return strings.Join(parts, " ")
}

func recordText(r Record) string {
	return "group " + strconv.Quote(r.Group) + " " + labelsText(r.Labels, r.LabelsKnown)
}

func useText(u Use) string {
	s := u.What
	if u.As != "" {
		s += " as " + u.As
	}
	return s
}

// jsonInventory is the stable JSON form of an inventory (version 1).
type jsonInventory struct {
	Version int          `json:"version"`
	Metrics []jsonMetric `json:"metrics"`
	Summary jsonSummary  `json:"summary"`
}

type jsonMetric struct {
	Name       string        `json:"name"`
	Type       string        `json:"type"`
	Builtin    bool          `json:"builtin"`
	Covered    bool          `json:"covered"`
	Notes      []string      `json:"notes"`
	Exported   []jsonExport  `json:"exported"`
	Known      []jsonKnown   `json:"known"`
	Exporter   *jsonExporter `json:"exporter,omitempty"`
	Documented []jsonDoc     `json:"documented"`
	Recorded   []jsonRecord  `json:"recorded"`
	Used       []jsonUse     `json:"used"`
}

type jsonPos struct {
	File   string `json:"file"`
	Line   int    `json:"line"`
	Column int    `json:"column"`
}

func posJSON(p lint.Pos) jsonPos { return jsonPos{File: p.File, Line: p.Line, Column: p.Col} }

type jsonExport struct {
	jsonPos
	Target      string   `json:"target"`
	Source      bool     `json:"source"`
	Type        string   `json:"type"`
	Labels      []string `json:"labels"`
	LabelsKnown bool     `json:"labels_known"`
	Help        string   `json:"help"`
}

type jsonExporter struct {
	jsonPos
	Name        string   `json:"name"`
	Version     string   `json:"version"`
	Type        string   `json:"type"`
	Labels      []string `json:"labels"`
	LabelsKnown bool     `json:"labels_known"`
}

type jsonKnown struct {
	jsonPos
	As   string `json:"as,omitempty"`
	Type string `json:"type"`
}

type jsonDoc struct {
	jsonPos
	As        string   `json:"as,omitempty"`
	Type      string   `json:"type"`
	HasLabels bool     `json:"has_labels"`
	Labels    []string `json:"labels"`
}

type jsonRecord struct {
	jsonPos
	Group       string   `json:"group"`
	Labels      []string `json:"labels"`
	LabelsKnown bool     `json:"labels_known"`
}

type jsonUse struct {
	jsonPos
	Origin string `json:"origin"`
	Owner  string `json:"owner"`
	As     string `json:"as,omitempty"`
}

type jsonSummary struct {
	Metrics      int `json:"metrics"`
	Exported     int `json:"exported"`
	Documented   int `json:"documented"`
	Recorded     int `json:"recorded"`
	Used         int `json:"used"`
	Undocumented int `json:"undocumented"`
	Unused       int `json:"unused"`
	Undefined    int `json:"undefined"`
	Unverified   int `json:"unverified"`
	NotPromQL    int `json:"not_promql,omitempty"`
}

// OriginName is the stable JSON name of a query origin: alert, recording, runbook,
// runbook_alert, docs, dashboard, dashboard_variable, invariant ("query" for an unknown one).
func OriginName(o lint.Origin) string {
	switch o {
	case lint.OriginAlert:
		return "alert"
	case lint.OriginRecording:
		return "recording"
	case lint.OriginRunbook:
		return "runbook"
	case lint.OriginRunbookAlert:
		return "runbook_alert"
	case lint.OriginDocs:
		return "docs"
	case lint.OriginDashboard:
		return "dashboard"
	case lint.OriginDashboardVariable:
		return "dashboard_variable"
	case lint.OriginInvariant:
		return "invariant"
	default:
		return "query"
	}
}

// JSON prints the inventory as one indented JSON object: version 1, the metrics and the
// summary. Lists are never null.
func JSON(w io.Writer, inv Inventory) error {
	out := jsonInventory{Version: 1, Metrics: make([]jsonMetric, 0, len(inv.Metrics))}
	for _, m := range inv.Metrics {
		jm := jsonMetric{
			Name: m.Name, Type: m.Type, Builtin: m.Builtin, Covered: m.Covered, Notes: append([]string{}, m.Notes()...),
			Exported: []jsonExport{}, Known: []jsonKnown{}, Documented: []jsonDoc{}, Recorded: []jsonRecord{}, Used: []jsonUse{},
		}
		for _, e := range m.Exported {
			jm.Exported = append(jm.Exported, jsonExport{jsonPos: posJSON(e.At), Target: e.Target, Source: e.Source, Type: e.Type, Labels: nonNil(e.Labels), LabelsKnown: e.LabelsKnown, Help: e.Help})
		}
		for _, k := range m.Known {
			jm.Known = append(jm.Known, jsonKnown{jsonPos: posJSON(k.At), As: k.As, Type: k.Type})
		}
		if x := m.Exporter; x != nil {
			jm.Exporter = &jsonExporter{jsonPos: posJSON(x.At), Name: x.Name, Version: x.Version, Type: x.Type, Labels: nonNil(x.Labels), LabelsKnown: x.LabelsKnown}
		}
		for _, d := range m.Documented {
			jm.Documented = append(jm.Documented, jsonDoc{jsonPos: posJSON(d.At), As: d.As, Type: d.Type, HasLabels: d.HasLabels, Labels: nonNil(d.Labels)})
		}
		for _, r := range m.Recorded {
			jm.Recorded = append(jm.Recorded, jsonRecord{jsonPos: posJSON(r.At), Group: r.Group, Labels: nonNil(r.Labels), LabelsKnown: r.LabelsKnown})
		}
		for _, u := range m.Used {
			jm.Used = append(jm.Used, jsonUse{jsonPos: posJSON(u.At), Origin: OriginName(u.Origin), Owner: u.Owner, As: u.As})
		}
		out.Metrics = append(out.Metrics, jm)
	}
	out.Summary = jsonSummary(inv.Summary)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// Markdown prints the inventory as a GitHub-flavoured Markdown table: one row per metric,
// with every position of each kind in its cell, and a notes column.
func Markdown(w io.Writer, inv Inventory) error {
	var b strings.Builder
	b.WriteString("# Metric inventory\n\n")
	b.WriteString(inv.Summary.String() + ".\n")
	if len(inv.Metrics) > 0 {
		b.WriteString("\n| Metric | Type | Exported | Documented | Recorded | Used | Notes |\n| --- | --- | --- | --- | --- | --- | --- |\n")
	}
	for _, m := range inv.Metrics {
		var exported, documented, recorded, used []string
		for _, e := range m.Exported {
			exported = append(exported, code(e.At.String())+" "+cell(exportText(e)))
		}
		for _, k := range m.Known {
			exported = append(exported, code(k.At.String())+" "+cell(knownText(k)))
		}
		if x := m.Exporter; x != nil {
			exported = append(exported, code(x.At.String())+" "+cell(exporterText(x)))
		}
		for _, d := range m.Documented {
			documented = append(documented, strings.TrimSpace(code(d.At.String())+" "+cell(docText(d))))
		}
		for _, r := range m.Recorded {
			recorded = append(recorded, code(r.At.String())+" "+cell(recordText(r)))
		}
		for _, u := range m.Used {
			used = append(used, code(u.At.String())+" "+cell(useText(u)))
		}
		typ := cell(m.Type)
		notes := m.Notes()
		if m.Builtin {
			notes = append([]string{"made by Prometheus"}, notes...)
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %s |\n", code(m.Name), typ,
			cellList(exported), cellList(documented), cellList(recorded), cellList(used), strings.Join(notes, ", "))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func cellList(items []string) string {
	if len(items) == 0 {
		return "—"
	}
	return strings.Join(items, "<br>")
}

// cell escapes text for a table cell: pipes, HTML and Markdown punctuation render as written.
func cell(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '|', '\\', '`', '*', '_', '[', ']', '<', '>', '#', '~':
			b.WriteByte('\\')
		case '\n', '\r':
			r = ' '
		}
		b.WriteRune(r)
	}
	return b.String()
}

// code puts s in a code span that holds any backticks in s, with pipes escaped for tables.
func code(s string) string {
	fence := "`"
	for strings.Contains(s, fence) {
		fence += "`"
	}
	s = strings.ReplaceAll(s, "|", "\\|")
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		s = " " + s + " "
	}
	return fence + s + fence
}

func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}
