package lint

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
)

// BaselineFile is the baseline's file name, written in the project root by driftlint baseline.
const BaselineFile = ".driftlint-baseline.json"

// BaselineVersion is the version of the baseline file format.
const BaselineVersion = 1

// Baseline is a set of accepted findings: `check --baseline FILE` hides the findings whose
// fingerprint it holds. The same shape, {"version": 1, "findings": […]}, is the JSON report
// of check --format json, so an earlier report can serve as a baseline and a baseline as the
// earlier run of a re-audit (`report --against`).
type Baseline struct {
	Version  int             `json:"version"`
	Findings []BaselineEntry `json:"findings"`
}

// BaselineEntry is one accepted finding. A baseline file holds the fingerprint and, for the
// people who review it, the rule, severity, file, subject and message, but no line or column
// so that it does not change when lines move. Entries read from a JSON report also have a
// line, a column and related positions.
type BaselineEntry struct {
	Fingerprint string            `json:"fingerprint"`
	Rule        string            `json:"rule"`
	Severity    string            `json:"severity,omitempty"`
	File        string            `json:"file"`
	Line        int               `json:"line,omitempty"`
	Column      int               `json:"column,omitempty"`
	Subject     Subject           `json:"subject"`
	Message     string            `json:"message"`
	Related     []BaselineRelated `json:"related,omitempty"`
}

// BaselineRelated is a related position of an entry read from a JSON report.
type BaselineRelated struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Column  int    `json:"column"`
	Message string `json:"message"`
}

// NewBaseline records findings, sorted by fingerprint (then rule, file and message) so that
// the file is the same for the same findings.
func NewBaseline(fs []Finding) *Baseline {
	b := &Baseline{Version: BaselineVersion, Findings: make([]BaselineEntry, 0, len(fs))}
	for _, f := range fs {
		b.Findings = append(b.Findings, BaselineEntry{
			Fingerprint: f.Fingerprint, Rule: f.Rule, Severity: f.Severity.String(),
			File: f.Pos.File, Subject: f.Subject, Message: f.Message,
		})
	}
	slices.SortStableFunc(b.Findings, func(x, y BaselineEntry) int {
		return cmp.Or(strings.Compare(x.Fingerprint, y.Fingerprint), strings.Compare(x.Rule, y.Rule),
			strings.Compare(x.File, y.File), strings.Compare(x.Message, y.Message))
	})
	return b
}

// Marshal encodes the baseline as indented JSON with a final newline.
func (b *Baseline) Marshal() ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(b); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// ParseBaseline decodes a baseline file or a check --format json report. name is used in
// error messages.
func ParseBaseline(name string, data []byte) (*Baseline, error) {
	var doc struct {
		Version  *int             `json:"version"`
		Findings *[]BaselineEntry `json:"findings"`
		Omitted  int              `json:"omitted"` // findings a check --max-findings report left out
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil {
		if se, ok := errors.AsType[*json.SyntaxError](err); ok {
			return nil, fmt.Errorf("%s: not JSON: %s at byte %d", name, se.Error(), se.Offset)
		}
		return nil, fmt.Errorf("%s: not a driftlint baseline or JSON report: %w", name, err)
	}
	if doc.Version == nil || doc.Findings == nil {
		return nil, fmt.Errorf("%s: not a driftlint baseline or JSON report (want the output of driftlint baseline or check --format json)", name)
	}
	if *doc.Version != BaselineVersion {
		return nil, fmt.Errorf("%s: version %d is not supported (want %d)", name, *doc.Version, BaselineVersion)
	}
	if doc.Omitted > 0 {
		return nil, fmt.Errorf("%s: a report cut by --max-findings (%d findings left out) cannot serve as the earlier run; write it without --max-findings, or use driftlint baseline", name, doc.Omitted)
	}
	for i, e := range *doc.Findings {
		if e.Fingerprint == "" {
			return nil, fmt.Errorf("%s: finding %d has no fingerprint", name, i+1)
		}
	}
	return &Baseline{Version: *doc.Version, Findings: *doc.Findings}, nil
}

// ReadBaseline reads a baseline file or a check --format json report.
func ReadBaseline(path string) (*Baseline, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return ParseBaseline(path, data)
}

// Finding turns an entry back into a finding, for printing. A severity that is missing or
// unknown becomes 0.
func (e BaselineEntry) Finding() Finding {
	sev, _ := ParseSeverity(e.Severity)
	f := Finding{
		Rule: e.Rule, Severity: sev, Pos: Pos{File: e.File, Line: e.Line, Col: e.Column},
		Message: e.Message, Subject: e.Subject, Fingerprint: e.Fingerprint,
	}
	for _, r := range e.Related {
		f.Related = append(f.Related, Related{Pos: Pos{File: r.File, Line: r.Line, Col: r.Column}, Message: r.Message})
	}
	return f
}

// Comparison is a run's findings set against earlier ones: the re-audit view, and what a
// baseline hides.
type Comparison struct {
	Fixed []BaselineEntry // earlier findings no longer found, in their earlier order
	Open  []Finding       // findings found before and still found
	New   []Finding       // findings not found before
}

// Compare matches findings with earlier entries by fingerprint, one for one: two identical
// findings need two entries, so that a copy of a baselined problem is still new. A numbered
// fingerprint ("h:2", see NumberFingerprints) that no entry has exactly is matched with a
// leftover entry of its base ("h"): baselines written before fingerprints were numbered hold
// the same "h" once per copy.
func Compare(earlier []BaselineEntry, now []Finding) Comparison {
	left := map[string]int{}
	for _, e := range earlier {
		left[e.Fingerprint]++
	}
	open := make([]bool, len(now))
	for i, f := range now {
		if left[f.Fingerprint] > 0 {
			left[f.Fingerprint]--
			open[i] = true
		}
	}
	for i, f := range now {
		if base := baseFingerprint(f.Fingerprint); !open[i] && base != f.Fingerprint && left[base] > 0 {
			left[base]--
			open[i] = true
		}
	}
	var c Comparison
	for i, f := range now {
		if open[i] {
			c.Open = append(c.Open, f)
		} else {
			c.New = append(c.New, f)
		}
	}
	// The unmatched entries are fixed; with duplicates, the last ones are.
	for _, e := range slices.Backward(earlier) {
		if left[e.Fingerprint] > 0 {
			left[e.Fingerprint]--
			c.Fixed = append(c.Fixed, e)
		}
	}
	slices.Reverse(c.Fixed)
	return c
}
