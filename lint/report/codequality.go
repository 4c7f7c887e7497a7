package report

import (
	"io"

	"github.com/driftlint/driftlint/lint"
)

// codeQualityIssue is one entry of a GitLab Code Quality report (the Code Climate subset
// GitLab reads: description, check_name, fingerprint, severity, location.path and
// location.lines.begin).
type codeQualityIssue struct {
	Description string              `json:"description"`
	CheckName   string              `json:"check_name"`
	Fingerprint string              `json:"fingerprint"`
	Severity    string              `json:"severity"`
	Location    codeQualityLocation `json:"location"`
}

type codeQualityLocation struct {
	Path  string           `json:"path"`
	Lines codeQualityLines `json:"lines"`
}

type codeQualityLines struct {
	Begin int `json:"begin"`
}

// CodeQuality prints the findings as a GitLab Code Quality report, so that merge requests
// show them in their Code Quality widget: errors are "major", warnings "minor", infos
// "info"; related positions follow the message. A whole-file finding is put on line 1. The
// description, shown to people, is escaped (Escape); the path is kept as it is, so that
// GitLab finds the file.
func CodeQuality(w io.Writer, res *lint.Result) error {
	issues := make([]codeQualityIssue, 0, len(res.Findings))
	for _, f := range res.Findings {
		issues = append(issues, codeQualityIssue{
			Description: withRelated(f),
			CheckName:   Escape(f.Rule),
			Fingerprint: f.Fingerprint,
			Severity:    codeQualitySeverity(f.Severity),
			Location:    codeQualityLocation{Path: f.Pos.File, Lines: codeQualityLines{Begin: max(1, f.Pos.Line)}},
		})
	}
	return writeJSON(w, issues, false)
}

func codeQualitySeverity(s lint.Severity) string {
	switch s {
	case lint.Error:
		return "major"
	case lint.Info:
		return "info"
	default:
		return "minor"
	}
}
