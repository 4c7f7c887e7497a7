package report

import (
	"io"
	"strconv"
	"strings"

	"github.com/driftlint/driftlint/lint"
)

// GitHub prints one GitHub Actions workflow command per finding, which the Actions runner
// turns into an annotation on the file and line:
//
//	::error file=rules.yml,line=5,col=15,title=metric/unknown::metric "x" is …%0Am.prom:1:1: defined here
//
// Warnings are ::warning and info ::notice. Related positions follow the message, one per
// line. A whole-file finding (line 0) annotates the file without a line. Text from inputs is
// escaped (Escape) before GitHub's own escapes, so that every line is one of these commands.
// With opts.MaxFindings, the first findings are printed and a ::notice counts the rest.
func GitHub(w io.Writer, res *lint.Result, opts Options) error {
	var b strings.Builder
	shown, omitted := capFindings(res.Findings, opts.MaxFindings)
	for _, f := range shown {
		b.WriteString("::" + githubCommand(f.Severity))
		var props []string
		if f.Pos.File != "" {
			props = append(props, "file="+escapeGitHubProperty(Escape(f.Pos.File)))
			if f.Pos.Line > 0 {
				props = append(props, "line="+strconv.Itoa(f.Pos.Line))
				if f.Pos.Col > 0 {
					props = append(props, "col="+strconv.Itoa(f.Pos.Col))
				}
			}
		}
		props = append(props, "title="+escapeGitHubProperty(Escape(f.Rule)))
		b.WriteString(" " + strings.Join(props, ","))
		b.WriteString("::" + escapeGitHubData(withRelated(f)) + "\n")
	}
	if omitted > 0 {
		b.WriteString("::notice title=driftlint::" + count(omitted, "more finding") + " not shown (--max-findings " + strconv.Itoa(opts.MaxFindings) + ")\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func githubCommand(s lint.Severity) string {
	switch s {
	case lint.Error:
		return "error"
	case lint.Info:
		return "notice"
	default:
		return "warning"
	}
}

// The escapes of workflow commands, as the Actions toolkit writes them.
var (
	githubData     = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")
	githubProperty = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C")
)

// escapeGitHubData escapes a workflow command's message as the Actions toolkit does.
func escapeGitHubData(s string) string {
	return githubData.Replace(s)
}

// escapeGitHubProperty escapes a workflow command property value as the Actions toolkit
// does: the message escapes plus ':' and ','.
func escapeGitHubProperty(s string) string {
	return githubProperty.Replace(s)
}

// withRelated is the finding's message followed by its related positions, one per line:
// "file:line:col: message" (the message alone for a related note without a file, the
// position alone for one without a message). Text from inputs is escaped (Escape), so the
// only line breaks are the ones between the parts.
func withRelated(f lint.Finding) string {
	if len(f.Related) == 0 {
		return Escape(f.Message)
	}
	var b strings.Builder
	b.WriteString(Escape(f.Message))
	for _, r := range f.Related {
		b.WriteString("\n")
		pos := r.Pos
		pos.File = Escape(pos.File)
		switch {
		case r.Pos.File == "":
			b.WriteString(Escape(r.Message))
		case r.Message == "":
			b.WriteString(pos.String())
		default:
			b.WriteString(pos.String() + ": " + Escape(r.Message))
		}
	}
	return b.String()
}
