package lint

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
)

// Severity orders findings: Info < Warning < Error.
type Severity int

// The severities, from least to most serious.
const (
	Info Severity = iota + 1
	Warning
	Error
)

// String returns the lower-case name used in config and output.
func (s Severity) String() string {
	switch s {
	case Info:
		return "info"
	case Warning:
		return "warning"
	case Error:
		return "error"
	default:
		return "unknown"
	}
}

// ParseSeverity parses "error", "warning" or "info".
func ParseSeverity(s string) (Severity, error) {
	switch strings.ToLower(s) {
	case "error":
		return Error, nil
	case "warning", "warn":
		return Warning, nil
	case "info":
		return Info, nil
	default:
		return 0, fmt.Errorf("unknown severity %q (want error, warning or info)", s)
	}
}

// Subject names what a finding is about; every field is optional.
type Subject struct {
	Metric    string `json:"metric,omitempty"`
	Label     string `json:"label,omitempty"`
	Field     string `json:"field,omitempty"`
	Alert     string `json:"alert,omitempty"`
	Record    string `json:"record,omitempty"`
	File      string `json:"file,omitempty"`
	Invariant string `json:"invariant,omitempty"`
	// Series is a series the finding is about, as name{label="value", …}: one of an
	// invariant's failing series, so that each keeps its own fingerprint.
	Series string `json:"series,omitempty"`
}

// key names the subject's non-empty fields, so that adding a field later does not change
// the fingerprints of findings that do not use it.
func (s Subject) key() string {
	var parts []string
	for _, kv := range [][2]string{{"metric", s.Metric}, {"label", s.Label}, {"field", s.Field}, {"alert", s.Alert}, {"record", s.Record}, {"file", s.File}, {"invariant", s.Invariant}, {"series", s.Series}} {
		if kv[1] != "" {
			parts = append(parts, kv[0]+"="+kv[1])
		}
	}
	return strings.Join(parts, "\x00")
}

// Related is the other side of a drift: where the truth is.
type Related struct {
	Pos     Pos
	Message string
}

// Finding is one reported problem.
type Finding struct {
	Rule     string
	Severity Severity
	Pos      Pos
	Message  string
	Subject  Subject
	Related  []Related
	// Fingerprint identifies the finding across line moves and unrelated edits: a hash of
	// the rule, the file, the subject and the normalized text of the line it points at.
	Fingerprint string
}

// String formats the finding as the text printer does, without related positions.
func (f Finding) String() string {
	return fmt.Sprintf("%s: %s: %s (%s)", f.Pos, f.Severity, f.Message, f.Rule)
}

// fingerprint computes f.Fingerprint from the line text at f.Pos.
func fingerprint(f Finding, line string) string {
	// One buffer, hashed at once: rule, file, subject and the line with its runs of blanks
	// made single spaces, each followed by a zero byte.
	var stack [512]byte
	buf := stack[:0]
	for _, s := range []string{f.Rule, f.Pos.File, f.Subject.key()} {
		buf = append(buf, s...)
		buf = append(buf, 0)
	}
	first := true
	for w := range strings.FieldsSeq(line) {
		if !first {
			buf = append(buf, ' ')
		}
		buf = append(buf, w...)
		first = false
	}
	buf = append(buf, 0)
	if f.Subject == (Subject{}) {
		// Without a subject, the message tells findings on one line apart.
		buf = append(buf, f.Message...)
	}
	sum := sha256.Sum256(buf)
	return hex.EncodeToString(sum[:8])
}

// compareFindings orders findings by file, line, column, rule, then message.
func compareFindings(a, b Finding) int {
	switch {
	case a.Pos.File != b.Pos.File:
		return strings.Compare(a.Pos.File, b.Pos.File)
	case a.Pos.Line != b.Pos.Line:
		return a.Pos.Line - b.Pos.Line
	case a.Pos.Col != b.Pos.Col:
		return a.Pos.Col - b.Pos.Col
	case a.Rule != b.Rule:
		return strings.Compare(a.Rule, b.Rule)
	default:
		return strings.Compare(a.Message, b.Message)
	}
}

// SortFindings sorts findings by position and rule and drops exact duplicates.
func SortFindings(fs []Finding) []Finding {
	slices.SortStableFunc(fs, compareFindings)
	return slices.CompactFunc(fs, func(a, b Finding) bool {
		return compareFindings(a, b) == 0 && a.Severity == b.Severity && slices.Equal(a.Related, b.Related)
	})
}
