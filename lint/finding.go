package lint

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"
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
	// the rule, the file, the subject and the normalized text of the line it points at, with
	// ":2", ":3", … after it for the later findings of a run that share it
	// (NumberFingerprints), so that it is unique within a run.
	Fingerprint string
	// OnChange, when set, is the severity the finding takes when its position is on a line
	// changed since --new-from-rev, or in a file changed since --changed-since, if that is
	// more serious than its Severity (RaiseChanged): a rule whose findings are mild about old
	// code (source/naming: an established name cannot be renamed lightly) is firmer about new
	// code. Printers and baselines ignore it.
	OnChange Severity
}

// RaiseChanged raises the severity of each finding whose OnChange is more serious than its
// Severity to OnChange when changed reports the finding's position as changed. The driver
// calls it after the run, with the lines (or files) changed since the revision given, and
// then recounts the summary.
func RaiseChanged(fs []Finding, changed func(Pos) bool) {
	for i := range fs {
		if fs[i].OnChange > fs[i].Severity && changed(fs[i].Pos) {
			fs[i].Severity = fs[i].OnChange
		}
	}
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

// SortFindings sorts findings by position and rule, drops exact duplicates and numbers
// repeated fingerprints (NumberFingerprints).
func SortFindings(fs []Finding) []Finding {
	slices.SortStableFunc(fs, compareFindings)
	fs = slices.CompactFunc(fs, func(a, b Finding) bool {
		return compareFindings(a, b) == 0 && a.Severity == b.Severity && slices.Equal(a.Related, b.Related)
	})
	NumberFingerprints(fs)
	return fs
}

// NumberFingerprints makes the fingerprints of fs unique, as GitHub numbers its
// primaryLocationLineHash: in the order of fs (a run's order, by file and position), the first
// finding with a fingerprint keeps it exactly, so that existing baselines still match, and
// later ones get ":2", ":3", …. Two findings share a fingerprint when they have the same rule,
// file and subject on lines of the same text; a copy inserted above the original therefore
// takes the original's fingerprint, and the original the copy's. Empty fingerprints are left
// alone. Numbering numbered fingerprints again changes nothing.
func NumberFingerprints(fs []Finding) {
	seen := make(map[string]int, len(fs))
	for _, f := range fs {
		if f.Fingerprint != "" {
			seen[f.Fingerprint] = 1
		}
	}
	if len(seen) == len(fs) {
		return // all distinct (the usual case)
	}
	next := make(map[string]int, len(fs))
	for i := range fs {
		fp := fs[i].Fingerprint
		if fp == "" {
			continue
		}
		next[fp]++
		if next[fp] == 1 {
			continue
		}
		// Skip numbers taken by a finding that came numbered already.
		n := next[fp]
		for seen[fp+":"+strconv.Itoa(n)] == 1 {
			n++
		}
		next[fp] = n
		fs[i].Fingerprint = fp + ":" + strconv.Itoa(n)
		seen[fs[i].Fingerprint] = 1
	}
}

// baseFingerprint is a fingerprint without its occurrence number: "h" for "h:2".
func baseFingerprint(fp string) string {
	if i := strings.LastIndexByte(fp, ':'); i > 0 {
		return fp[:i]
	}
	return fp
}
