package lint

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/driftlint/driftlint/lint/catalog"
)

func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestParseConfigErrors(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want string
	}{
		{name: "rejects an unknown key with a suggestion", src: "rules: [a.yml]\nrunbook: [x.md]\n", want: `.driftlint.yaml:2:1: unknown key "runbook" in the config (did you mean "runbooks"?)`},
		{name: "rejects a bad glob", src: "dashboards: ['grafana/[*.json']\n", want: `.driftlint.yaml:1:14: bad glob "grafana/[*.json" in dashboards`},
		{name: "rejects a missing exposition file", src: "exposition:\n  - file: scrape/nope.prom\n", want: `.driftlint.yaml:2:11: exposition file "scrape/nope.prom" does not exist`},
		{name: "rejects an exposition entry with both file and url", src: "exposition:\n  - file: m.prom\n    url: http://x/metrics\n", want: `.driftlint.yaml:2:5: an exposition entry needs exactly one of file or url`},
		{name: "rejects an unknown key in an exposition entry", src: "exposition:\n  - file: m.prom\n    scrape: 2\n", want: `.driftlint.yaml:3:5: unknown key "scrape" in an exposition entry (did you mean "scrapes"?)`},
		{name: "rejects a bad interval", src: "exposition:\n  - file: m.prom\n    interval: soon\n", want: `.driftlint.yaml:3:15: bad duration "soon" for interval (want e.g. 15s, 1m)`},
		{name: "rejects an invariant that does not parse", src: "invariants:\n  - name: x\n    expr: sum(a <= b\n", want: `.driftlint.yaml:3:11: invariant "x": 1:11: parse error: unclosed left parenthesis`},
		{name: "rejects an invariant that is not a comparison", src: "invariants:\n  - name: x\n    expr: sum(a)\n", want: `.driftlint.yaml:3:11: invariant "x" must be a comparison such as a <= b, got vector`},
		{name: "rejects a comparison only on the right of unless, which filters nothing", src: "invariants:\n  - name: x\n    expr: up unless (up > 1)\n", want: `.driftlint.yaml:3:11: invariant "x" must be a comparison such as a <= b, got vector`},
		{name: "rejects an invariant without a name", src: "invariants:\n  - expr: a <= b\n", want: `.driftlint.yaml:2:5: an invariant needs a name and an expr`},
		{name: "rejects a duplicate invariant name", src: "invariants:\n  - {name: x, expr: a <= b}\n  - {name: x, expr: a >= b}\n", want: `.driftlint.yaml:3:5: invariant "x" is defined twice`},
		{name: "rejects a bad jq program", src: "health_invariants:\n  - name: h\n    jq: '.status =='\n", want: `.driftlint.yaml:3:9: health invariant "h": bad jq: unexpected EOF`},
		{name: "rejects a bad severity", src: "checks:\n  severity: {promql/syntax: fatal}\n", want: `.driftlint.yaml:2:29: unknown severity "fatal" (want error, warning or info)`},
		{name: "rejects a list where a mapping belongs", src: "checks: [a]\n", want: `.driftlint.yaml:1:9: checks must be a mapping`},
		{name: "rejects a copies entry with one file", src: "copies: [[m.prom]]\n", want: `.driftlint.yaml:1:10: a copies entry lists at least two rule files`},
		{name: "rejects an override without paths", src: "checks:\n  overrides:\n    - disable: [metric/unknown]\n", want: `.driftlint.yaml:3:7: a checks.overrides entry needs paths`},
		{name: "rejects an override that changes nothing", src: "checks:\n  overrides:\n    - paths: [a]\n", want: `.driftlint.yaml:3:7: a checks.overrides entry needs disable or severity`},
		{name: "rejects a bad severity in an override", src: "checks:\n  overrides:\n    - {paths: [a], severity: {metric/unknown: loud}}\n", want: `.driftlint.yaml:3:47: unknown severity "loud" (want error, warning or info)`},
		{name: "rejects a suppress entry without a reason", src: "suppress:\n  - rule: metric/unknown\n    path: a.json\n", want: `.driftlint.yaml:2:5: a suppress entry needs a reason`},
		{name: "rejects a suppress entry with a blank reason", src: "suppress:\n  - {rule: metric/unknown, path: a.json, reason: '  '}\n", want: `.driftlint.yaml:2:5: a suppress entry needs a reason`},
		{name: "rejects a suppress entry that would hide a rule everywhere", src: "suppress:\n  - {rule: metric/unknown, reason: r}\n", want: `.driftlint.yaml:2:5: a suppress entry needs a path or a subject (to switch a rule off everywhere, use checks.disable)`},
		{name: "rejects an unknown subject field with a suggestion", src: "suppress:\n  - rule: metric/unknown\n    subject: {metrics: a}\n    reason: r\n", want: `.driftlint.yaml:3:15: unknown key "metrics" in subject (did you mean "metric"?)`},
		{name: "rejects a suppress entry for unused-ignore", src: "suppress:\n  - {rule: driftlint/unused-ignore, path: a.json, reason: r}\n", want: `.driftlint.yaml:2:12: a suppress entry for driftlint/unused-ignore has no effect: disable the rule instead`},
		{name: "rejects YAML that does not parse", src: "rules: [a\n", want: `.driftlint.yaml:1:1: did not find expected ',' or ']'`},
		{name: "reports byte columns after non-ASCII text", src: "# Überwachung\nrules: [a.yml]\n\"ünknown\": 1\n", want: `.driftlint.yaml:3:1: unknown key "ünknown" in the config`},
	}
	dir := writeTree(t, map[string]string{"m.prom": "up 1\n"})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseConfig(".driftlint.yaml", dir, []byte(tt.src))
			if err == nil {
				t.Fatal("no error")
			}
			if diff := cmp.Diff(tt.want, err.Error()); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseConfigValid(t *testing.T) {
	dir := writeTree(t, map[string]string{"s/m1.prom": "up 1\n", "s/m2.prom": "up 1\n", "h.json": "{}", "a.yml": "", "b.yml": ""})
	src := `rules: [monitoring/*.yml, "deploy/**/alert_rules.yml"]
runbooks: [docs/*RUNBOOK*.md]
metrics_docs: [monitoring/PROMETHEUS_METRICS.md]
dashboards: [grafana/dashboards/*.json]
exposition:
  - file: s/m1.prom
  - file: s/m2.prom
    interval: 30s
  - url: http://localhost:3002/metrics
    scrapes: 2
    covers: ["websocket_*"]
    required: false
health:
  - file: h.json
invariants:
  - name: errors-within-received
    expr: websocket_kafka_errors_total <= websocket_kafka_messages_received_total
health_invariants:
  - name: not-stuck
    jq: '.status != "reconnecting"'
runbook_urls:
  - {prefix: "https://runbooks.example.com/", path: "."}
copies: [[a.yml, b.yml]]
checks:
  disable: [docs/undocumented-metric]
  severity: {promql/ratio-zero-guard: error}
ignore: [vendor/**]
`
	c, err := ParseConfig(".driftlint.yaml", dir, []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	got := []any{
		c.Rules, c.Runbooks, c.MetricsDocs, c.Dashboards, len(c.Exposition),
		c.Exposition[1].Interval, c.Exposition[2].Scrapes, c.Exposition[2].Covers, c.Exposition[2].Required, c.Exposition[0].Required,
		c.Exposition[0].Timeout, c.Health[0].File, c.Invariants[0].At.String(), c.HealthInvariants[0].Name,
		c.RunbookURLs, c.Copies, c.Checks.Disable, c.Checks.Severity["promql/ratio-zero-guard"], c.Ignore,
	}
	want := []any{
		[]string{"monitoring/*.yml", "deploy/**/alert_rules.yml"},
		[]string{"docs/*RUNBOOK*.md"},
		[]string{"monitoring/PROMETHEUS_METRICS.md"},
		[]string{"grafana/dashboards/*.json"},
		3,
		30 * time.Second, 2,
		[]string{"websocket_*"},
		false, true,
		10 * time.Second, "h.json", ".driftlint.yaml:17:11", "not-stuck",
		[]RunbookURL{{Prefix: "https://runbooks.example.com/", Path: "."}},
		[][]string{{"a.yml", "b.yml"}},
		[]string{"docs/undocumented-metric"},
		Error,
		[]string{"vendor/**"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if err := c.ValidateRuleIDs([]string{"promql/ratio-zero-guard"}); err == nil || err.Error() != `.driftlint.yaml:25:13: unknown rule "docs/undocumented-metric"` {
		t.Errorf("ValidateRuleIDs: %v", err)
	}
}

func TestValidateRuleIDsInOverridesAndSuppress(t *testing.T) {
	ids := []string{"metric/unknown", "promql/syntax", "promql/rate-on-gauge"}
	tests := []struct {
		name string
		src  string
		want string // "" for valid
	}{
		{name: "accepts ids and categories everywhere", src: "checks:\n  disable: [promql/*]\n  severity: {metric/*: info}\n  overrides:\n    - {paths: [a], disable: [metric/unknown], severity: {promql/*: warning}}\nsuppress:\n  - {rule: promql/*, path: a, reason: r}\n"},
		{name: "rejects a category that names no rule", src: "checks:\n  disable: [docs/*]\n", want: `.driftlint.yaml:2:13: unknown rule "docs/*"`},
		{name: "rejects an unknown id in an override's disable", src: "checks:\n  overrides:\n    - paths: [a]\n      disable: [metric/unknwn]\n", want: `.driftlint.yaml:4:17: unknown rule "metric/unknwn" (did you mean "metric/unknown"?)`},
		{name: "rejects an unknown id in an override's severity", src: "checks:\n  overrides:\n    - paths: [a]\n      severity: {promql/syntx: info}\n", want: `.driftlint.yaml:4:18: unknown rule "promql/syntx" (did you mean "promql/syntax"?)`},
		{name: "rejects an unknown rule in a suppress entry", src: "suppress:\n  - rule: metric/unknow\n    path: a\n    reason: r\n", want: `.driftlint.yaml:2:11: unknown rule "metric/unknow" (did you mean "metric/unknown"?)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := ParseConfig(".driftlint.yaml", t.TempDir(), []byte(tt.src))
			if err != nil {
				t.Fatal(err)
			}
			got := ""
			if err := c.ValidateRuleIDs(ids); err != nil {
				got = err.Error()
			}
			if got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestParseConfigOverridesAndSuppress(t *testing.T) {
	src := "checks:\n  overrides:\n    - paths: [dashboards/**, ./legacy/]\n      disable: [metric/unknown]\n      severity: {promql/*: info}\nsuppress:\n  - rule: label/unknown\n    path: dashboards/k.json\n    subject: {metric: kafka_up, label: job}\n    reason: ' the sidecar adds it '\n"
	c, err := ParseConfig(".driftlint.yaml", t.TempDir(), []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	wantO := []CheckOverride{{
		Paths: []string{"dashboards/**", "legacy"}, Disable: []string{"metric/unknown"}, DisableAt: []Pos{{File: ".driftlint.yaml", Line: 4, Col: 17}},
		Severity: map[string]Severity{"promql/*": Info}, SeverityAt: map[string]Pos{"promql/*": {File: ".driftlint.yaml", Line: 5, Col: 18}},
		At: Pos{File: ".driftlint.yaml", Line: 3, Col: 7},
	}}
	if diff := cmp.Diff(wantO, c.Checks.Overrides); diff != "" {
		t.Errorf("overrides (-want +got):\n%s", diff)
	}
	wantS := []SuppressEntry{{
		Rule: "label/unknown", RuleAt: Pos{File: ".driftlint.yaml", Line: 7, Col: 11}, Path: "dashboards/k.json",
		Subject: Subject{Metric: "kafka_up", Label: "job"}, Reason: "the sidecar adds it", At: Pos{File: ".driftlint.yaml", Line: 7, Col: 5},
	}}
	if diff := cmp.Diff(wantS, c.Suppress); diff != "" {
		t.Errorf("suppress (-want +got):\n%s", diff)
	}
}

func TestParseConfigEmpty(t *testing.T) {
	for _, src := range []string{"", "# only a comment\n"} {
		c, err := ParseConfig(".driftlint.yaml", t.TempDir(), []byte(src))
		if err != nil || c.Rules != nil {
			t.Errorf("%q: got %v, %v", src, c, err)
		}
	}
}

func TestProjectPos(t *testing.T) {
	root := t.TempDir()
	inside := &Config{Path: filepath.Join(root, "ops", ".driftlint.yaml"), Dir: root}
	outside := &Config{Path: filepath.Join(t.TempDir(), "base", ".driftlint.yaml"), Dir: root}
	tests := []struct {
		name    string
		c       *Config
		in, out Pos
	}{
		{"names the config file relative to the root", inside, Pos{File: inside.Path, Line: 3, Col: 9}, Pos{File: "ops/.driftlint.yaml", Line: 3, Col: 9}},
		{"leaves other files alone", inside, Pos{File: "rules.yml", Line: 1, Col: 1}, Pos{File: "rules.yml", Line: 1, Col: 1}},
		{"keeps a config outside the root as given", outside, Pos{File: outside.Path, Line: 2, Col: 1}, Pos{File: outside.Path, Line: 2, Col: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.c.ProjectPos(tt.in); got != tt.out {
				t.Errorf("got %v, want %v", got, tt.out)
			}
		})
	}
}

func TestConfigPathsStayInsideTheRoot(t *testing.T) {
	dir := t.TempDir()
	root := filepath.Join(dir, "root")
	for name, src := range map[string]string{"root/m.prom": "up 1\n", "token": "s3cr3t\n", "root/sub/ca.pem": "x"} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink("../token", filepath.Join(root, "token-link")); err != nil {
		t.Skip(err)
	}
	url := "exposition:\n  - url: http://127.0.0.1:9/metrics\n    authorization:\n      credentials_file: %s\n"
	tests := []struct {
		name, src string
		allow     []string
		wantErr   string
	}{
		{"a file inside", "exposition: [{file: ./m.prom}]\n", nil, ""},
		{"an absolute path inside", "exposition: [{file: " + filepath.Join(root, "m.prom") + "}]\n", nil, ""},
		{"dot-dot", "exposition: [{file: sub/../../token}]\n", nil, `exposition file "sub/../../token" leaves the project root`},
		{"an absolute path outside", "health: [{file: /etc/hostname}]\n", nil, `health file "/etc/hostname" leaves the project root`},
		{"a link out", "copies: [[m.prom, token-link]]\n", nil, `rule file "token-link" leaves the project root`},
		{"an absolute glob", "rules: [/etc/*.yml]\n", nil, `glob "/etc/*.yml" in rules leaves the project root`},
		{"a secret inside", fmt.Sprintf(url, "sub/ca.pem"), nil, ""},
		{"a secret outside", fmt.Sprintf(url, "../token"), nil, `credentials_file "../token" is outside the project root`},
		{"a secret through a link out", fmt.Sprintf(url, "token-link"), nil, `credentials_file "token-link" is outside the project root`},
		{"a secret outside, allowed", fmt.Sprintf(url, "../token"), []string{filepath.Join(dir, "token")}, ""},
		{"a secret outside, its folder allowed", fmt.Sprintf(url, "../token"), []string{dir}, ""},
		{"another file allowed", fmt.Sprintf(url, "../token"), []string{filepath.Join(dir, "other")}, `is outside the project root`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseConfigWith(".driftlint.yaml", []byte(tt.src), ConfigOptions{Root: root, AllowRead: tt.allow})
			if tt.wantErr == "" && err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			if tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
				t.Fatalf("error %v, want %q", err, tt.wantErr)
			}
			if err != nil && !strings.HasPrefix(err.Error(), ".driftlint.yaml:") {
				t.Errorf("error %q has no position", err)
			}
		})
	}
}

// exporters: names and versions are checked against the catalogue; the lists of known ones
// grow with it, so only their start is compared.
func TestParseConfigExporters(t *testing.T) {
	tests := []struct{ src, want string }{
		{"exporters: [node-exportr]\n", `.driftlint.yaml:1:13: exporters: "node-exportr" is not a catalogued exporter (did you mean "node-exporter"?); known: `},
		{"exporters: [node-exporter@0.1]\n", `.driftlint.yaml:1:13: exporters: node-exporter: node-exporter has no catalogued version "0.1"; known: 0.15, 0.16, `},
		{"exporters: [etcd, etcd@3.7]\n", `.driftlint.yaml:1:19: exporters: etcd is listed twice`},
		{"exporters: node-exporter\n", `.driftlint.yaml:1:12: exporters must be a list`},
	}
	for _, tt := range tests {
		_, err := ParseConfig(".driftlint.yaml", t.TempDir(), []byte(tt.src))
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("%q: error %v, want it to start with %q", tt.src, err, tt.want)
		}
	}
	c, err := ParseConfig(".driftlint.yaml", t.TempDir(), []byte("exporters: [node-exporter@v0.16.0, etcd]\n"))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range c.Exporters {
		got = append(got, fmt.Sprintf("%s=%s@%s %d:%d", e.Name, e.Exporter, e.Version, e.At.Line, e.At.Col))
	}
	latest := ""
	if e, _, ok := catalog.Lookup("etcd"); ok {
		latest = e.Versions[len(e.Versions)-1].Name
	}
	if diff := cmp.Diff([]string{"node-exporter=node-exporter@0.16 1:13", "etcd=etcd@" + latest + " 1:36"}, got); diff != "" {
		t.Errorf("exporters (-want +got):\n%s", diff)
	}
}
