package report

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/driftlint/driftlint/lint"
)

func TestEscape(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{name: "leaves plain text alone", in: `metric "a_b" {job=~"x\\d+"} ≠ Über`, want: `metric "a_b" {job=~"x\\d+"} ≠ Über`},
		{name: "names line breaks and tabs", in: "a\nb\r\nc\td", want: `a\nb\r\nc\td`},
		{name: "writes other C0 controls and DEL as hex", in: "\x00\x07\x1b[31m\x7f", want: `\x00\x07\x1b[31m\x7f`},
		{name: "writes C1 controls as code points", in: "a\u0085b\u009bc", want: `a\u0085b\u009bc`},
		{name: "writes bidirectional controls as code points", in: "\u202atxt\u202e\u2066\u2069\u200e\u200f\u061c", want: `\u202atxt\u202e\u2066\u2069\u200e\u200f\u061c`},
		{name: "writes line and paragraph separators as code points", in: "a\u2028b\u2029", want: `a\u2028b\u2029`},
		{name: "writes bytes that are not UTF-8 as hex", in: "a\xffb\xc3", want: `a\xffb\xc3`},
		{name: "defuses the legacy workflow command prefix", in: "x ##[error]y ###[z #[w", want: `x ##\[error]y ###\[z #[w`},
		{name: "keeps workflow commands without a line break as text", in: "::error::x", want: "::error::x"},
		{name: "leaves the empty string alone", in: "", want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Escape(tt.in); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestSafeJSONKeepsTheText(t *testing.T) {
	in := "a\x7f\u0085\u202e\u2066 ##[error]x ##[ \u2028 é"
	data, err := json.Marshal(map[string]string{"m": in})
	if err != nil {
		t.Fatal(err)
	}
	out := safeJSON(data)
	for _, bad := range []string{"\x7f", "\u0085", "\u202e", "\u2066", "##["} {
		if bytes.Contains(out, []byte(bad)) {
			t.Errorf("%q left raw in %s", bad, out)
		}
	}
	var back map[string]string
	if err := json.Unmarshal(out, &back); err != nil {
		t.Fatalf("%v in %s", err, out)
	}
	if back["m"] != in {
		t.Errorf("decoded %q, want %q", back["m"], in)
	}
	plain := []byte(`{"a": ["#", "[x]"]}`)
	if got := safeJSON(plain); !bytes.Equal(got, plain) {
		t.Errorf("changed JSON that needs nothing: %s", got)
	}
}

func TestSafeLineStart(t *testing.T) {
	tests := []struct{ in, want string }{
		{"rules/a.yml", "rules/a.yml"},
		{"_x.yml", "_x.yml"},
		{".github/x.yml", ".github/x.yml"},
		{"/abs/x.yml", "/abs/x.yml"},
		{"9.yml", "9.yml"},
		{"::error file=README.md,line=1::x.yml", "./::error file=README.md,line=1::x.yml"},
		{" ::x", "./ ::x"},
		{"-x", "./-x"},
		{"Ünï.yml", "./Ünï.yml"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := safeLineStart(tt.in); got != tt.want {
			t.Errorf("safeLineStart(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// The pieces of a forged finding: every one carries workflow commands, line breaks, a
// carriage return, an ESC sequence and a bidi override.
const (
	forgedMessage = "A\n::error file=README.md,line=1::forged\r\n::stop-commands::tok\n  ::add-mask::secret \x1b[2J\x1b]8;;http://x\x07 \u202eevil\u202c ##[error]legacy \u0085nel\tend"
	forgedFile    = "::error file=README.md,line=1::x.yml"
	forgedRelated = "\n::warning file=a,line=1::r\u202e.yml"
	forgedRule    = "x/y\n::error::rule\x1b[31m"
	forgedSource  = "  ::error file=README.md,line=2::from source \x1b[31m\u202e ##[add-mask]s"
)

func forgedFinding() lint.Finding {
	return lint.Finding{
		Rule: "metric/unknown", Severity: lint.Error,
		Pos:     lint.Pos{File: forgedFile, Line: 1, Col: 1},
		Message: forgedMessage,
		Subject: lint.Subject{Metric: "m\n::error::subject", Alert: "::stop-commands::x\x1b[0m", Label: "\u202el"},
		Related: []lint.Related{
			{Pos: lint.Pos{File: forgedRelated, Line: 2, Col: 3}, Message: "::notice::related\n::add-mask::x\x1b[1m\u202e"},
			{Pos: lint.Pos{File: "ok.yml"}, Message: ""},
			{Message: "\r::error::fileless"},
		},
		Fingerprint: "0123456789abcdef",
	}
}

func forgedResult() *lint.Result {
	f := forgedFinding()
	g := f
	g.Rule, g.Severity, g.Pos.File, g.Fingerprint = forgedRule, lint.Warning, "\n::error::"+forgedFile, "fedcba9876543210"
	g.Message = "::error::second <img src=x onerror=alert(1)> &amp; " + forgedMessage
	return &lint.Result{Findings: []lint.Finding{f, g}, Summary: lint.Summary{Files: 2, Findings: 2, Error: 1, Warning: 1}}
}

func forgedOptions() Options {
	return Options{
		Rules:  sampleRules,
		Source: func(string, int) string { return forgedSource },
		Root:   "/work",
	}
}

var githubCommandLine = regexp.MustCompile(`^::(error|warning|notice) [^:]*::[^\r\n]*$`)

// checkSafeOutput asserts what any output must hold whatever its input: no line begins (after
// blanks) with "::" except a github format's own commands, no "##[" anywhere, and none of
// ESC, the C1 controls, the bidi controls, U+2028/U+2029 or bytes that are not UTF-8 raw.
func checkSafeOutput(t *testing.T, format string, out []byte) {
	t.Helper()
	if len(out) == 0 {
		t.Fatal("no output")
	}
	if !utf8.Valid(out) {
		t.Errorf("output is not UTF-8")
	}
	for i, r := range string(out) {
		if r == '\n' || r == '\t' {
			continue
		}
		if needsEscape(r, utf8.RuneLen(r)) {
			t.Errorf("raw %U at byte %d of:\n%s", r, i, out)
			break
		}
	}
	if bytes.Contains(out, []byte("##[")) {
		t.Errorf("output holds the legacy workflow command prefix ##[:\n%s", out)
	}
	for n, line := range strings.Split(strings.TrimSuffix(string(out), "\n"), "\n") {
		trimmed := strings.TrimLeft(line, " \t")
		if !strings.HasPrefix(trimmed, "::") {
			continue
		}
		if format == "github" && githubCommandLine.MatchString(line) {
			continue
		}
		t.Errorf("line %d begins with a workflow command: %q", n+1, line)
	}
}

// TestForgedInputCannotForgeOutput prints a finding whose message, subject, rule, file names
// and source excerpt carry forged workflow commands and terminal escapes, in every format.
func TestForgedInputCannotForgeOutput(t *testing.T) {
	for _, format := range Formats {
		t.Run(format, func(t *testing.T) {
			var buf bytes.Buffer
			if err := Print(&buf, format, forgedResult(), forgedOptions()); err != nil {
				t.Fatal(err)
			}
			out := buf.Bytes()
			checkSafeOutput(t, format, out)
			switch format {
			case "json", "sarif", "codequality":
				if !json.Valid(out) {
					t.Fatalf("not valid JSON:\n%s", out)
				}
			case "checkstyle":
				var v any
				if err := xml.Unmarshal(out, &v); err != nil {
					t.Fatalf("not valid XML: %v\n%s", err, out)
				}
			}
		})
	}
}

func TestForgedTextIsVisible(t *testing.T) {
	var buf bytes.Buffer
	if err := Text(&buf, forgedResult(), Options{}); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(buf.String(), "\n")
	want := []string{
		`./::error file=README.md,line=1::x.yml:1:1: error: ` + Escape(forgedMessage) + ` (metric/unknown)`,
		`    ./\n::warning file=a,line=1::r\u202e.yml:2:3: ::notice::related\n::add-mask::x\x1b[1m\u202e`,
		`    ok.yml: `,
		`    : \r::error::fileless`,
		`./\n::error::::error file=README.md,line=1::x.yml:1:1: warning: ::error::second <img src=x onerror=alert(1)> &amp; ` + Escape(forgedMessage) + ` (x/y\n::error::rule\x1b[31m)`,
	}
	if diff := cmp.Diff(want, lines[:5]); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if !strings.Contains(Escape(forgedMessage), `##\[error]legacy`) || !strings.Contains(Escape(forgedMessage), `\x1b[2J`) {
		t.Errorf("escaped message %q", Escape(forgedMessage))
	}
}

func TestForgedTextInColourHasOnlyOurEscapes(t *testing.T) {
	var buf bytes.Buffer
	if err := Text(&buf, forgedResult(), Options{Color: true}); err != nil {
		t.Fatal(err)
	}
	out := strings.NewReplacer(red, "", yellow, "", blue, "", dim, "", reset, "").Replace(buf.String())
	if strings.Contains(out, "\x1b") {
		t.Errorf("an ESC from the input reached the output:\n%q", out)
	}
}

// TestForgedJSONKeepsTheOriginalText decodes the JSON, SARIF and Code Quality reports: JSON
// and SARIF keep every string as the input had it, Code Quality escapes the description
// people read and keeps the path GitLab matches.
func TestForgedJSONKeepsTheOriginalText(t *testing.T) {
	f := forgedFinding()
	print := func(format string) []byte {
		var buf bytes.Buffer
		if err := Print(&buf, format, forgedResult(), forgedOptions()); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	var doc struct {
		Findings []jsonFinding `json:"findings"`
	}
	if err := json.Unmarshal(print("json"), &doc); err != nil {
		t.Fatal(err)
	}
	got := doc.Findings[0]
	if got.Message != f.Message || got.File != f.Pos.File || got.Subject != f.Subject || got.Related[0].File != forgedRelated || got.Related[0].Message != f.Related[0].Message {
		t.Errorf("json changed the text: %+v", got)
	}

	var sarif struct {
		Runs []struct {
			Results []struct {
				Message   struct{ Text string } `json:"message"`
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string } `json:"artifactLocation"`
					} `json:"physicalLocation"`
				} `json:"locations"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(print("sarif"), &sarif); err != nil {
		t.Fatal(err)
	}
	r := sarif.Runs[0].Results[0]
	if !strings.HasPrefix(r.Message.Text, escapeSARIFLinkText(forgedMessage)+"\n") {
		t.Errorf("sarif message %q does not begin with the original message", r.Message.Text)
	}
	if want := relativeURI(forgedFile); r.Locations[0].PhysicalLocation.ArtifactLocation.URI != want {
		t.Errorf("sarif uri %q, want %q", r.Locations[0].PhysicalLocation.ArtifactLocation.URI, want)
	}

	var cq []codeQualityIssue
	if err := json.Unmarshal(print("codequality"), &cq); err != nil {
		t.Fatal(err)
	}
	if cq[0].Location.Path != forgedFile {
		t.Errorf("codequality path %q, want %q", cq[0].Location.Path, forgedFile)
	}
	if first, _, _ := strings.Cut(cq[0].Description, "\n"); first != Escape(forgedMessage) {
		t.Errorf("codequality description begins %q, want %q", first, Escape(forgedMessage))
	}
}

// TestForgedGitHubCommandsParse reads the github output as the runner does: one command per
// finding, whose file property and message come back (after GitHub's unescaping) as the
// escaped input.
func TestForgedGitHubCommandsParse(t *testing.T) {
	var buf bytes.Buffer
	if err := GitHub(&buf, forgedResult(), Options{}); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	if len(lines) != 2 {
		t.Fatalf("%d lines, want one per finding:\n%s", len(lines), buf.String())
	}
	unprop := strings.NewReplacer("%0D", "\r", "%0A", "\n", "%3A", ":", "%2C", ",", "%25", "%")
	undata := strings.NewReplacer("%0D", "\r", "%0A", "\n", "%25", "%")
	props, data, ok := strings.Cut(strings.TrimPrefix(lines[0], "::error "), "::")
	if !ok {
		t.Fatalf("no data in %q", lines[0])
	}
	got := map[string]string{}
	for kv := range strings.SplitSeq(props, ",") {
		k, v, _ := strings.Cut(kv, "=")
		got[k] = unprop.Replace(v)
	}
	want := map[string]string{"file": Escape(forgedFile), "line": "1", "col": "1", "title": "metric/unknown"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("properties (-want +got):\n%s", diff)
	}
	msg, _, _ := strings.Cut(undata.Replace(data), "\n")
	if msg != Escape(forgedMessage) {
		t.Errorf("message %q, want %q", msg, Escape(forgedMessage))
	}
	if want := "::warning file=" + escapeGitHubProperty(Escape("\n::error::"+forgedFile)) + ",line=1,col=1,title=" + escapeGitHubProperty(Escape(forgedRule)) + "::"; !strings.HasPrefix(lines[1], want) {
		t.Errorf("second command %q", lines[1])
	}
}

func TestForgedMarkdown(t *testing.T) {
	var buf bytes.Buffer
	if err := Markdown(&buf, forgedResult(), forgedOptions()); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{
		"\n" + `  \::error file=README.md,line=2::from source \x1b[31m\u202e ##\[add-mask]s` + "\n", // an excerpt
		"\n" + `\::error::second \<img src=x onerror=alert(1)\> \&amp; A\\n::error`,                 // a message
		"### 1. `::error file=README.md,line=1::x.yml:1:1` (error)",                                 // a position
	} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in:\n%s", want, out)
		}
	}
	if regexp.MustCompile(`(^|[^\\])[<&]`).MatchString(out) {
		t.Errorf("unescaped HTML in:\n%s", out)
	}
}

func TestForgedReaudit(t *testing.T) {
	res := forgedResult()
	fixed := forgedFinding()
	c := lint.Comparison{
		Fixed: []lint.BaselineEntry{{
			Fingerprint: "1", Rule: forgedRule, Severity: "error", File: forgedFile, Line: 1, Column: 1,
			Message: forgedMessage, Related: []lint.BaselineRelated{{File: forgedRelated, Line: 1, Column: 1, Message: fixed.Message}},
		}},
		Open: res.Findings[:1],
		New:  res.Findings[1:],
	}
	for _, format := range Formats {
		t.Run(format, func(t *testing.T) {
			var buf bytes.Buffer
			if err := Reaudit(&buf, format, "old\n::error::x.json", c, res, forgedOptions()); err != nil {
				t.Fatal(err)
			}
			checkSafeOutput(t, format, buf.Bytes())
			if format == "json" && !json.Valid(buf.Bytes()) {
				t.Errorf("not valid JSON:\n%s", buf.Bytes())
			}
		})
	}
}

func TestForgedVerbose(t *testing.T) {
	var buf bytes.Buffer
	info := VerboseInfo{
		Config:  "\n::error::.driftlint.yaml\x1b[2J",
		Timings: []lint.RuleTiming{{Rule: forgedRule, Skipped: true}, {Rule: "::add-mask::x\u202e", Disabled: true}},
		Missing: map[string]lint.Needs{},
	}
	if err := Verbose(&buf, info); err != nil {
		t.Fatal(err)
	}
	checkSafeOutput(t, "text", buf.Bytes())
}

// TestJSONStreamsAsTheWholeDocumentEncodes checks that JSON, which writes findings one at a
// time, writes byte for byte what encoding the whole report at once writes, forged text
// and all, with one finding, several, and a cap.
func TestJSONStreamsAsTheWholeDocumentEncodes(t *testing.T) {
	res := forgedResult()
	other := forgedFinding()
	other.Pos.Line++
	other.Message = "plain <b>&</b> \u2028 ##[group]"
	res.Findings = append(res.Findings, other, other)
	for _, max := range []int{0, 1, 2} {
		opts := forgedOptions()
		opts.MaxFindings = max
		opts.ProjectRoot = "svc"
		var got bytes.Buffer
		if err := JSON(&got, res, opts); err != nil {
			t.Fatal(err)
		}
		shown, omitted := capFindings(res.Findings, max)
		var want bytes.Buffer
		if err := encodeJSON(&want, jsonReport{Version: 1, Root: "svc", Findings: jsonFindings(shown), Summary: res.Summary, Omitted: omitted}); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() {
			t.Errorf("--max-findings %d: streamed\n%s\nwhole\n%s", max, got.String(), want.String())
		}
	}
}
