package rulefile

import (
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/prometheus/common/model"
	"github.com/prometheus/prometheus/model/rulefmt"

	"github.com/driftlint/driftlint/lint"
)

// upstreamPosition matches the "line:col: " prefixes rulefmt puts in its messages.
var upstreamPosition = regexp.MustCompile(`^(?:\d+:\d+: )+`)

// upstreamMessages returns the messages of rulefmt.Parse (which runs RuleGroups.Validate)
// that validate is meant to give too: not PromQL errors, not missing fields, not YAML
// errors, without positions; sorted.
func upstreamMessages(src string) []string {
	_, errs := rulefmt.Parse([]byte(src), false, model.UTF8Validation, lint.PromQLParser, slog.New(slog.DiscardHandler))
	var out []string
	for _, err := range errs {
		msg := err.Error()
		if re, ok := errors.AsType[*rulefmt.Error](err); ok {
			msg = re.Err.Error()
			if strings.Contains(msg, "could not parse expression") || strings.Contains(msg, "parse error") {
				continue
			}
		}
		msg = upstreamPosition.ReplaceAllString(msg, "")
		if rest, ok := strings.CutPrefix(msg, "yaml: unmarshal errors:\n"); ok {
			first := strings.TrimSpace(strings.SplitN(rest, "\n", 2)[0]) // the loader keeps the first
			if !strings.Contains(first, " not found in type") {          // unknown keys: the loader's own check, which knows other rulers' keys
				out = append(out, first)
			}
			continue
		}
		if strings.Contains(msg, "must be set") || strings.HasPrefix(msg, "yaml:") || strings.Contains(msg, "field ") && strings.Contains(msg, " not found in type") {
			continue
		}
		out = append(out, msg)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// ownMessages returns the messages of the problems Load reports that upstreamMessages can
// give, sorted.
func ownMessages(src string) []string {
	res := Load(lint.NewSourceFile("r.yml", []byte(src)))
	var out []string
	for _, p := range res.Problems {
		if strings.HasPrefix(p.Message, "unknown key") || strings.HasPrefix(p.Message, "bad ") || strings.Contains(p.Message, "needs an alert") || strings.Contains(p.Message, "has no expr") {
			continue // the loader's own checks
		}
		out = append(out, p.Message)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func TestValidateAgreesWithRulefmt(t *testing.T) {
	rule := func(body string) string { return "groups:\n  - name: a\n    rules:\n" + body }
	tests := []struct {
		name string
		src  string
	}{
		{name: "accepts a valid file", src: rule("      - alert: A\n        expr: up == 0\n        labels:\n          severity: page\n        annotations:\n          summary: '{{ $labels.job }} is down ({{ $value | humanize }})'\n")},
		{name: "reports an unclosed action", src: rule("      - alert: A\n        expr: up == 0\n        annotations:\n          summary: '{{ $labels.x '\n")},
		{name: "reports an undefined function", src: rule("      - alert: A\n        expr: up == 0\n        annotations:\n          summary: '{{ humanise $value }}'\n")},
		{name: "reports an undefined variable", src: rule("      - alert: A\n        expr: up == 0\n        annotations:\n          summary: '{{ $label.job }}'\n")},
		{name: "accepts every Prometheus template function", src: rule("      - alert: A\n        expr: up == 0\n        annotations:\n          a: '{{ with query \"up\" }}{{ . | first | value | humanizePercentage }}{{ end }}'\n          b: '{{ $labels.instance | stripPort | toUpper | title | safeHtml }}{{ reReplaceAll \"a\" \"b\" \"c\" }}'\n          c: '{{ externalURL }}{{ pathPrefix }}{{ graphLink \"up\" }}{{ tableLink \"up\" }}{{ \"1h\" | parseDuration | humanizeDuration }}'\n          d: '{{ $value | humanize1024 }}{{ $value | humanizeTimestamp }}{{ now | toTime }}{{ args 1 2 }}{{ match \"a\" \"b\" }}{{ stripDomain \"a.b\" }}{{ toLower \"A\" }}'\n          e: '{{ range query \"up\" | sortByLabel \"job\" }}{{ label \"job\" . }}{{ strvalue . }}{{ end }}{{ $externalLabels.cluster }}{{ $externalURL }}{{ printf \"%d\" 1 }}{{ index $labels \"job\" }}{{ len $labels }}'\n")},
		{name: "reports bad templates in labels and annotations alike", src: rule("      - alert: A\n        expr: up == 0\n        labels:\n          severity: '{{ if }}'\n        annotations:\n          summary: '{{ end }}'\n          description: '{{ template \"x\" }}{{ nope }}'\n")},
		{name: "reports annotations and for on a recording rule", src: rule("      - record: job:up:sum\n        expr: sum by (job) (up)\n        for: 5m\n        keep_firing_for: 1m\n        annotations:\n          summary: x\n")},
		{name: "reports braces in a recording rule name", src: rule("      - record: job:up{x}\n        expr: up\n")},
		{name: "reports bad label names", src: rule("      - alert: A\n        expr: up\n        labels:\n          __name__: x\n          \"\": y\n")},
		{name: "reports a repeated and an empty group name", src: "groups:\n  - name: a\n    rules: []\n  - name: a\n    rules: []\n  - name: \"\"\n    rules: []\n"},
		{name: "reports bad group labels", src: "groups:\n  - name: a\n    labels:\n      __name__: x\n    rules:\n      - record: r\n        expr: up\n"},
		{name: "reports a value that is not a duration", src: "groups:\n  - name: a\n    interval: soon\n    rules:\n      - record: r\n        expr: up\n"},
		{name: "reports a list where labels belong", src: rule("      - alert: A\n        expr: up\n        labels: [a, b]\n")},
		{name: "accepts templates in a recording rule's labels unparsed", src: rule("      - record: r\n        expr: up\n        labels:\n          x: '{{ nope'\n")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(upstreamMessages(tt.src), ownMessages(tt.src)); diff != "" {
				t.Errorf("messages (-rulefmt +driftlint):\n%s", diff)
			}
		})
	}
}

// TestValidateAgreesWithRulefmtOnCorpora compares the two on every rule file of the
// fixtures and of shared/corpora (when present).
func TestValidateAgreesWithRulefmtOnCorpora(t *testing.T) {
	var files []string
	for _, pattern := range []string{"../../../fixtures/*/*/*.yml", "../../../fixtures/*/*/*/*.yml", "../../../../shared/corpora/*/derived/rules/*.yaml", "../../../../shared/corpora/*/examples/alerts/*.yaml"} {
		m, _ := filepath.Glob(pattern)
		files = append(files, m...)
	}
	if len(files) == 0 {
		t.Skip("no rule files found")
	}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(src), "groups:") {
			continue
		}
		if diff := cmp.Diff(upstreamMessages(string(src)), ownMessages(string(src))); diff != "" {
			t.Errorf("%s: messages (-rulefmt +driftlint):\n%s", f, diff)
		}
	}
}
