package lint

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/bmatcuk/doublestar/v4"
	"github.com/google/go-cmp/cmp"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"go.yaml.in/yaml/v3"

	"github.com/driftlint/driftlint/lint/catalog"
)

// schemaFile is the JSON Schema of .driftlint.yaml that editors use to complete and validate
// the config.
const schemaFile = "../schema/driftlint.schema.json"

// schemaRaw returns the schema file decoded as plain JSON values.
func schemaRaw(t *testing.T) map[string]any {
	t.Helper()
	src, err := os.ReadFile(schemaFile)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(src, &doc); err != nil {
		t.Fatalf("%s: %v", schemaFile, err)
	}
	return doc
}

// schemaCompile compiles the schema, checking it against the draft 2020-12 meta-schema.
func schemaCompile(t *testing.T) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open(schemaFile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatalf("%s: %v", schemaFile, err)
	}
	id, _ := doc.(map[string]any)["$id"].(string)
	c := jsonschema.NewCompiler()
	if err := c.AddResource(id, doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile(id)
	if err != nil {
		t.Fatalf("%s does not compile: %v", schemaFile, err)
	}
	return sch
}

// schemaYAMLValue decodes YAML into the plain values a JSON Schema validates, as an editor's
// YAML language server sees the file. ok is false for an empty document.
func schemaYAMLValue(src []byte) (v any, ok bool, err error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		return nil, false, err
	}
	if len(doc.Content) == 0 {
		return nil, false, nil
	}
	var raw any
	if err := doc.Content[0].Decode(&raw); err != nil {
		return nil, false, err
	}
	return schemaJSONValue(raw), true, nil
}

// schemaJSONValue turns yaml.v3's generic values into JSON values: maps with string keys,
// and timestamps or other scalars as strings.
func schemaJSONValue(v any) any {
	switch v := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, e := range v {
			out[k] = schemaJSONValue(e)
		}
		return out
	case map[any]any:
		out := make(map[string]any, len(v))
		for k, e := range v {
			out[fmt.Sprint(k)] = schemaJSONValue(e)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = schemaJSONValue(e)
		}
		return out
	case nil, bool, string, int, int64, uint64, float64:
		return v
	default:
		return fmt.Sprint(v)
	}
}

func TestSchemaAcceptsEveryFixtureConfig(t *testing.T) {
	sch := schemaCompile(t)
	files, err := doublestar.Glob(os.DirFS(".."), "fixtures/**/"+ConfigFile)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 10 {
		t.Fatalf("found %d fixture configs, want at least 10: %v", len(files), files)
	}
	for _, f := range files {
		t.Run(f, func(t *testing.T) {
			file := filepath.Join("..", filepath.FromSlash(f))
			if _, err := LoadConfig(file, ConfigOptions{}); err != nil {
				t.Fatalf("driftlint rejects the fixture config: %v", err)
			}
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			v, ok, err := schemaYAMLValue(src)
			if err != nil {
				t.Fatal(err)
			}
			if !ok {
				return
			}
			if err := sch.Validate(v); err != nil {
				t.Errorf("the schema rejects a config driftlint accepts:\n%v", err)
			}
		})
	}
}

// schemaProps returns the sorted property names of the schema object at the JSON pointer.
func schemaProps(t *testing.T, doc map[string]any, pointer string) []string {
	t.Helper()
	var cur any = doc
	for part := range strings.SplitSeq(strings.TrimPrefix(pointer, "/"), "/") {
		m, ok := cur.(map[string]any)
		if !ok {
			t.Fatalf("%s: %q is not an object", pointer, part)
		}
		cur = m[part]
	}
	m, ok := cur.(map[string]any)
	if !ok {
		t.Fatalf("%s is not an object", pointer)
	}
	props, ok := m["properties"].(map[string]any)
	if !ok {
		t.Fatalf("%s has no properties", pointer)
	}
	var out []string
	for k := range props {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func TestSchemaListsTheKeysTheConfigAccepts(t *testing.T) {
	doc := schemaRaw(t)
	sorted := func(s ...[]string) []string {
		out := slices.Concat(s...)
		sort.Strings(out)
		return out
	}
	tests := []struct {
		name    string
		pointer string
		want    []string
	}{
		{name: "the top level has every config key", want: sorted(topKeys)},
		{name: "an exposition entry has its own keys and the http client keys", pointer: "/$defs/expositionEntry", want: sorted([]string{"file", "url", "target", "scrapes", "interval", "covers", "required", "timeout"}, httpKeys)},
		{name: "a health entry has its own keys and the http client keys", pointer: "/$defs/healthEntry", want: sorted([]string{"file", "url", "schema", "required", "timeout"}, httpKeys)},
		{name: "a known_metrics url entry has its own keys and the http client keys", pointer: "/$defs/knownMetricsURL", want: sorted([]string{"url", "covers", "timeout"}, httpKeys)},
		{name: "tls_config has the Prometheus keys", pointer: "/$defs/tlsConfig", want: sorted([]string{"ca_file", "cert_file", "key_file", "server_name", "insecure_skip_verify"})},
		{name: "checks has disable, severity and overrides", pointer: "/$defs/checks", want: []string{"disable", "overrides", "severity"}},
		{name: "an override has paths, disable and severity", pointer: "/$defs/checkOverride", want: []string{"disable", "paths", "severity"}},
		{name: "a suppress entry has rule, path, subject and reason", pointer: "/$defs/suppressEntry", want: []string{"path", "reason", "rule", "subject"}},
		{name: "a suppress subject has the fields of lint.Subject", pointer: "/$defs/suppressEntry/properties/subject", want: sorted(subjectKeys)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			if tt.pointer == "" {
				got = schemaProps(t, map[string]any{"x": doc}, "/x")
			} else {
				got = schemaProps(t, doc, tt.pointer)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("schema keys (-config +schema):\n%s", diff)
			}
		})
	}
}

func TestSchemaAgreesWithTheConfigParser(t *testing.T) {
	sch := schemaCompile(t)
	dir := t.TempDir()
	for _, name := range []string{"m.prom", "m2.prom", "h.json", "h.schema.json", "a.yml", "b.yml", "ca.pem", "cert.pem", "key.pem", "token", "runbooks/x.md"} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// schema and config say whether each accepts the config. They differ only where the
	// config parser checks more than a schema can: files that must exist, PromQL and jq
	// that must parse, globs that must be valid, names that must be unique.
	tests := []struct {
		name   string
		src    string
		schema bool
		config bool
	}{
		{name: "accepts an empty config", src: "# nothing yet\n", schema: true, config: true},
		{name: "accepts target_labels as a list of label names", src: "target_labels: [tenant, shard]\n", schema: true, config: true},
		{name: "rejects a target label that is not a label name", src: "target_labels: [tenant-id]\n", schema: false, config: false},
		{name: "rejects target_labels given as one string", src: "target_labels: tenant\n", schema: false, config: false},
		{name: "accepts a known_metrics url entry beside globs", src: "known_metrics:\n  - known/*.json\n  - url: http://prom:9090\n    covers: [node_*]\n    timeout: 5s\n    authorization: {credentials_file: token}\n", schema: true, config: true},
		{name: "rejects a known_metrics mapping without url", src: "known_metrics: [{covers: [node_*]}]\n", schema: false, config: false},
		{name: "rejects a known_metrics url entry with an exposition key", src: "known_metrics: [{url: 'http://prom:9090', scrapes: 2}]\n", schema: false, config: false},
		{name: "accepts every list key as a list, a single glob or null", src: "rules: [a.yml]\nrunbooks: runbooks/*.md\nmetrics_docs:\ndashboards: []\nsources: ['src/**/*.go']\nignore: [vendor/**]\nknown_metrics: [known/*.txt]\n", schema: true, config: true},
		{name: "accepts the full example of the design", src: `rules: [a.yml]
exposition:
  - file: m.prom
  - file: m2.prom
    interval: 15s
    target: web
    covers: ["web_*"]
    required: false
  - url: http://localhost:3002/metrics
    scrapes: 2
    interval: 1m30s
    timeout: 5s
    covers: []
health:
  - file: h.json
  - schema: h.schema.json
  - url: https://example.com/health
    required: no
invariants:
  - name: errors-within-total
    expr: errors_total <= requests_total
health_invariants:
  - name: ok
    jq: '.status == "ok"'
runbook_urls:
  - prefix: https://runbooks.example.com/
    path: runbooks
copies: [[a.yml, b.yml]]
checks:
  disable: [metric/unknown]
  severity: {promql/syntax: warning, metric/unknown: INFO, docs/stale-metric: Warn}
`, schema: true, config: true},
		{name: "accepts every http client key on a url entry", src: `exposition:
  - url: https://example.com/metrics
    max_body_size: 512KiB
    tls_config: {ca_file: ca.pem, cert_file: cert.pem, key_file: key.pem, server_name: example.com, insecure_skip_verify: true}
    authorization: {type: Token, credentials_file: token}
    headers:
      X-Tenant: 42
      X-Api-Key: {env: API_KEY}
      X-Other: {file: token}
health:
  - url: https://example.com/health
    max_body_size: 1048576
    basic_auth: {username: me, password_env: HEALTH_PASSWORD}
`, schema: true, config: true},
		{name: "accepts basic_auth without a password", src: "health:\n  - url: http://h/health\n    basic_auth: {username: me}\n", schema: true, config: true},
		{name: "rejects an unknown top-level key", src: "rulez: [a.yml]\n", schema: false, config: false},
		{name: "rejects a top level that is a list", src: "- rules\n", schema: false, config: false},
		{name: "rejects rules given as a mapping", src: "rules: {a: b}\n", schema: false, config: false},
		{name: "rejects an exposition entry with both file and url", src: "exposition:\n  - {file: m.prom, url: http://x/metrics}\n", schema: false, config: false},
		{name: "rejects an exposition entry with neither file nor url", src: "exposition:\n  - {target: web}\n", schema: false, config: false},
		{name: "rejects an exposition entry that is not a mapping", src: "exposition:\n  - m.prom\n", schema: false, config: false},
		{name: "rejects several scrapes of a file", src: "exposition:\n  - {file: m.prom, scrapes: 2}\n", schema: false, config: false},
		{name: "accepts one scrape of a file", src: "exposition:\n  - {file: m.prom, scrapes: 1}\n", schema: true, config: true},
		{name: "rejects scrapes out of range", src: "exposition:\n  - {url: http://x/metrics, scrapes: 101}\n", schema: false, config: false},
		{name: "rejects scrapes written as a string", src: "exposition:\n  - {url: http://x/metrics, scrapes: '2'}\n", schema: false, config: false},
		{name: "rejects a duration without a unit", src: "exposition:\n  - {file: m.prom, interval: 15}\n", schema: false, config: false},
		{name: "rejects a zero duration", src: "exposition:\n  - {file: m.prom, interval: 0s}\n", schema: false, config: false},
		{name: "rejects durations in the wrong order", src: "exposition:\n  - {file: m.prom, interval: 30s1m}\n", schema: false, config: false},
		{name: "rejects a timeout on a file entry", src: "exposition:\n  - {file: m.prom, timeout: 5s}\n", schema: false, config: false},
		{name: "rejects headers on a file entry", src: "exposition:\n  - file: m.prom\n    headers: {X-A: b}\n", schema: false, config: false},
		{name: "rejects required that is not a boolean", src: "exposition:\n  - {url: http://x/metrics, required: maybe}\n", schema: false, config: false},
		{name: "rejects a url without http", src: "exposition:\n  - url: ftp://x/metrics\n", schema: false, config: false},
		{name: "rejects a url without a host", src: "exposition:\n  - url: http:///metrics\n", schema: false, config: false},
		{name: "rejects a health entry with two sources", src: "health:\n  - {file: h.json, schema: h.schema.json}\n", schema: false, config: false},
		{name: "rejects required on a health file", src: "health:\n  - {file: h.json, required: true}\n", schema: false, config: false},
		{name: "rejects a bad body size", src: "health:\n  - {url: http://x/health, max_body_size: 64 lots}\n", schema: false, config: false},
		{name: "rejects a zero body size", src: "health:\n  - {url: http://x/health, max_body_size: 0}\n", schema: false, config: false},
		{name: "rejects an inline bearer token", src: "health:\n  - url: http://x/health\n    authorization: {credentials: s3cret}\n", schema: false, config: false},
		{name: "rejects authorization with two credential sources", src: "health:\n  - url: http://x/health\n    authorization: {credentials_file: token, credentials_env: TOKEN}\n", schema: false, config: false},
		{name: "rejects authorization of type basic", src: "health:\n  - url: http://x/health\n    authorization: {type: basic, credentials_env: TOKEN}\n", schema: false, config: false},
		{name: "rejects an environment variable name with a dash", src: "health:\n  - url: http://x/health\n    authorization: {credentials_env: MY-TOKEN}\n", schema: false, config: false},
		{name: "rejects an inline password", src: "health:\n  - url: http://x/health\n    basic_auth: {username: me, password: s3cret}\n", schema: false, config: false},
		{name: "rejects basic_auth without a username", src: "health:\n  - url: http://x/health\n    basic_auth: {password_env: P}\n", schema: false, config: false},
		{name: "rejects two password sources", src: "health:\n  - url: http://x/health\n    basic_auth: {username: me, password_env: P, password_file: token}\n", schema: false, config: false},
		{name: "rejects a client certificate without its key", src: "health:\n  - url: http://x/health\n    tls_config: {cert_file: cert.pem}\n", schema: false, config: false},
		{name: "rejects an Authorization header", src: "health:\n  - url: http://x/health\n    headers: {authorization: Bearer x}\n", schema: false, config: false},
		{name: "rejects a reserved header in any case", src: "health:\n  - url: http://x/health\n    headers: {USER-AGENT: me}\n", schema: false, config: false},
		{name: "rejects a header name with a colon", src: "health:\n  - url: http://x/health\n    headers: {'X:A': b}\n", schema: false, config: false},
		{name: "rejects a header with two secret sources", src: "health:\n  - url: http://x/health\n    headers: {X-A: {file: token, env: A}}\n", schema: false, config: false},
		{name: "rejects a multi-line header value", src: "health:\n  - url: http://x/health\n    headers: {X-A: \"a\\nb\"}\n", schema: false, config: false},
		{name: "rejects an invariant without a name", src: "invariants:\n  - expr: a <= b\n", schema: false, config: false},
		{name: "rejects an invariant with an empty name", src: "invariants:\n  - {name: '', expr: a <= b}\n", schema: false, config: false},
		{name: "rejects an invariant without a comparison", src: "invariants:\n  - {name: x, expr: sum(a)}\n", schema: false, config: false},
		{name: "rejects a health invariant without jq", src: "health_invariants:\n  - name: x\n", schema: false, config: false},
		{name: "rejects a runbook_urls entry without a prefix", src: "runbook_urls:\n  - path: runbooks\n", schema: false, config: false},
		{name: "rejects a copies set of one file", src: "copies: [[a.yml]]\n", schema: false, config: false},
		{name: "rejects checks given as null", src: "checks:\n", schema: false, config: false},
		{name: "rejects an unknown severity", src: "checks:\n  severity: {metric/unknown: fatal}\n", schema: false, config: false},
		{name: "rejects an unknown key in checks", src: "checks:\n  enable: [x]\n", schema: false, config: false},
		{name: "accepts per-path overrides and suppress entries", src: `checks:
  disable: [promql/*]
  overrides:
    - paths: [dashboards/**]
      disable: [metric/unknown]
    - paths: legacy
      severity: {label/*: info}
suppress:
  - rule: metric/unknown
    path: dashboards/kafka.json
    subject: {metric: kafka_up, label: job}
    reason: exported by the sidecar
  - rule: promql/*
    subject: {alert: Old}
    reason: removed next release
`, schema: true, config: true},
		{name: "rejects an override without paths", src: "checks:\n  overrides:\n    - disable: [metric/unknown]\n", schema: false, config: false},
		{name: "rejects an override that changes nothing", src: "checks:\n  overrides:\n    - paths: [a.yml]\n", schema: false, config: false},
		{name: "rejects an unknown key in an override", src: "checks:\n  overrides:\n    - {paths: [a.yml], enable: [x]}\n", schema: false, config: false},
		{name: "rejects a suppress entry without a reason", src: "suppress:\n  - {rule: metric/unknown, path: a.json}\n", schema: false, config: false},
		{name: "rejects a suppress entry without a rule", src: "suppress:\n  - {path: a.json, reason: r}\n", schema: false, config: false},
		{name: "rejects a suppress entry with neither path nor subject", src: "suppress:\n  - {rule: metric/unknown, reason: r}\n", schema: false, config: false},
		{name: "rejects an unknown subject field", src: "suppress:\n  - {rule: metric/unknown, subject: {metrik: a}, reason: r}\n", schema: false, config: false},
		{name: "rejects an empty subject", src: "suppress:\n  - {rule: metric/unknown, subject: {}, reason: r}\n", schema: false, config: false},
		{name: "leaves a missing file to driftlint", src: "exposition:\n  - file: nope.prom\n", schema: true, config: false},
		{name: "leaves an invariant that does not parse to driftlint", src: "invariants:\n  - {name: x, expr: 'sum(a <= b'}\n", schema: true, config: false},
		{name: "leaves a bad jq program to driftlint", src: "health_invariants:\n  - {name: x, jq: '.a |'}\n", schema: true, config: false},
		{name: "leaves a bad glob to driftlint", src: "rules: ['[a']\n", schema: true, config: false},
		{name: "leaves duplicate invariant names to driftlint", src: "invariants:\n  - {name: x, expr: a < b}\n  - {name: x, expr: a > b}\n", schema: true, config: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseConfig(ConfigFile, dir, []byte(tt.src))
			if got := err == nil; got != tt.config {
				t.Errorf("driftlint accepts: %v, want %v (error: %v)", got, tt.config, err)
			}
			v, ok, err := schemaYAMLValue([]byte(tt.src))
			if err != nil {
				t.Fatal(err)
			}
			var verr error
			if ok {
				verr = sch.Validate(v)
			}
			if got := verr == nil; got != tt.schema {
				t.Errorf("the schema accepts: %v, want %v (error: %v)", got, tt.schema, verr)
			}
		})
	}
}

// The schema's exporters pattern names every catalogued exporter and alias, and no other.
func TestSchemaListsTheCatalogue(t *testing.T) {
	doc := schemaRaw(t)
	props, _ := doc["properties"].(map[string]any)
	ex, _ := props["exporters"].(map[string]any)
	items, _ := ex["items"].(map[string]any)
	pattern, _ := items["pattern"].(string)
	inner, ok := strings.CutPrefix(pattern, "^(")
	if !ok {
		t.Fatalf("exporters pattern %q does not start with ^(", pattern)
	}
	inner, _, ok = strings.Cut(inner, ")")
	if !ok {
		t.Fatalf("exporters pattern %q has no closing parenthesis", pattern)
	}
	var want []string
	for _, e := range catalog.Exporters() {
		want = append(want, e.Name)
		want = append(want, slices.Collect(maps.Keys(e.Aliases))...)
	}
	sort.Strings(want)
	if diff := cmp.Diff(want, strings.Split(inner, "|")); diff != "" {
		t.Errorf("exporter names (-catalogue +schema):\n%s", diff)
	}
	re := regexp.MustCompile(pattern)
	for _, s := range []string{"node-exporter", "node-exporter@1.8", "etcd@v3.5.0"} {
		if !re.MatchString(s) {
			t.Errorf("pattern rejects %q", s)
		}
	}
	if re.MatchString("node-exportr") {
		t.Error("pattern accepts node-exportr")
	}
}
