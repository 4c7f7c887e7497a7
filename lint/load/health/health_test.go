package health

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/driftlint/driftlint/lint"
)

// paths renders Paths as path → "line:col".
func paths(hs *lint.HealthSample) map[string]string {
	out := map[string]string{}
	for p, at := range hs.Paths {
		if at.File != hs.File.Path {
			out[p] = "wrong file " + at.File
			continue
		}
		out[p] = fmt.Sprintf("%d:%d", at.Line, at.Col)
	}
	return out
}

func problems(ps []lint.ParseProblem) []string {
	var out []string
	for _, p := range ps {
		out = append(out, fmt.Sprintf("%d:%d %s", p.At.Line, p.At.Col, p.Message))
	}
	return out
}

func TestLoadSample(t *testing.T) {
	tests := []struct {
		name     string
		input    string
		want     map[string]string
		problems []string
		partial  bool
	}{
		{
			name: "records members, nested objects and collapsed arrays at their keys",
			input: `{
  "status": "ok",
  "kafka": {"connected": true, "kafka-consumer": {"lag": 3}},
  "consumers": [
    {"name": "a", "lag": 1},
    {"name": "b", "offset": 2}
  ],
  "matrix": [[1]],
  "empty": []
}`,
			want: map[string]string{
				".status":                     "2:3",
				".kafka":                      "3:3",
				".kafka.connected":            "3:13",
				`.kafka."kafka-consumer"`:     "3:32",
				`.kafka."kafka-consumer".lag`: "3:51",
				".consumers":                  "4:3",
				".consumers[]":                "5:5",
				".consumers[].name":           "5:6",
				".consumers[].lag":            "5:19",
				".consumers[].offset":         "6:19",
				".matrix":                     "8:3",
				".matrix[]":                   "8:14",
				".matrix[][]":                 "8:15",
				".empty":                      "9:3",
			},
		},
		{
			name:  "writes a root array as .[]",
			input: `[{"a": 1}, {"b": {"c": 2}}]`,
			want:  map[string]string{".[]": "1:2", ".[].a": "1:3", ".[].b": "1:13", ".[].b.c": "1:19"},
		},
		{
			name:  "has no paths for a root scalar",
			input: "42\n",
			want:  map[string]string{},
		},
		{
			name:  "quotes keys that are not identifiers as jq does",
			input: `{"a\"b": 1, "x.y": 2, "": 3, "é": 4, "_ok9": 5, "9lives": 6, "tab\t": 7}`,
			want: map[string]string{
				`."a\"b"`: "1:2", `."x.y"`: "1:13", `.""`: "1:23", `."é"`: "1:30", "._ok9": "1:39",
				`."9lives"`: "1:50", `."tab\t"`: "1:63",
			},
		},
		{
			name:  "keeps the first position of a duplicate key",
			input: "{\"a\": 1,\n \"a\": 2}",
			want:  map[string]string{".a": "1:2"},
		},
		{
			name:  "tolerates a byte-order mark",
			input: "\uFEFF{\"a\": 1}",
			want:  map[string]string{".a": "1:5"},
		},
		{
			name:  "accepts invalid UTF-8 in a key as encoding/json does",
			input: "{\"k\xff\": 1}",
			want:  map[string]string{".\"k\uFFFD\"": "1:2"},
		},
		{
			name:     "reports truncated JSON at its end and keeps the paths before it",
			input:    "{\"status\": \"ok\",\n \"kafka\": {\"connected\": tr",
			want:     map[string]string{".status": "1:2", ".kafka": "2:2", ".kafka.connected": "2:12"},
			problems: []string{"2:27 unexpected end of JSON input"},
			partial:  true,
		},
		{
			name:     "reports a syntax error at the bad byte",
			input:    "{\"a\": 1,\n \"b\": }",
			want:     map[string]string{".a": "1:2", ".b": "2:2"},
			problems: []string{"2:7 invalid character '}' looking for beginning of value"},
			partial:  true,
		},
		{
			name:     "reports a second top-level value",
			input:    `{"a": 1} {"b": 2}`,
			want:     map[string]string{".a": "1:2"},
			problems: []string{"1:10 invalid character '{' after top-level value"},
			partial:  true,
		},
		{
			name:     "reports an empty file",
			input:    "",
			want:     map[string]string{},
			problems: []string{"1:1 empty health sample"},
			partial:  true,
		},
		{
			name:     "reports a blank file",
			input:    " \n\t\n",
			want:     map[string]string{},
			problems: []string{"1:1 empty health sample"},
			partial:  true,
		},
		{
			name:     "reports nesting deeper than json_depth before decoding",
			input:    `{"a": ` + strings.Repeat("[", 10000) + "]",
			want:     deepArrays(".a"),
			problems: []string{"1:518 the JSON nests [ and { deeper here, more than the limit of 512 (json_depth); the config cannot raise it; --limit json_depth=VALUE on the command line can; not read"},
			partial:  true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hs, probs := LoadSample(lint.NewSourceFile("health.json", []byte(tt.input)))
			if diff := cmp.Diff(tt.want, paths(hs)); diff != "" {
				t.Errorf("paths (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.problems, problems(probs)); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
			if hs.Partial != tt.partial {
				t.Errorf("Partial = %v, want %v", hs.Partial, tt.partial)
			}
			if tt.partial && hs.Value != nil {
				t.Errorf("Value = %v, want nil", hs.Value)
			}
		})
	}
}

// deepArrays is the paths recorded for nested arrays under parent: up to maxPathDepth levels.
func deepArrays(parent string) map[string]string {
	out := map[string]string{parent: "1:2"}
	p := parent
	for i := 1; i < maxPathDepth; i++ {
		p = Elem(p)
		out[p] = fmt.Sprintf("1:%d", 7+i)
	}
	return out
}

func TestLoadSampleValue(t *testing.T) {
	hs, probs := LoadSample(lint.NewSourceFile("h.json", []byte(`{"status": "ok", "lag": 12345678901234567890, "list": [true, null]}`)))
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	want := map[string]any{"status": "ok", "lag": json.Number("12345678901234567890"), "list": []any{true, nil}}
	if diff := cmp.Diff(any(want), hs.Value); diff != "" {
		t.Errorf("value (-want +got):\n%s", diff)
	}
}

func TestLoadSampleDeepNestingIsFastAndSafe(t *testing.T) {
	for _, src := range []string{
		strings.Repeat("[", 100000),
		strings.Repeat("[", 100000) + strings.Repeat("]", 100000),
		strings.Repeat(`{"a":`, 100000),
		strings.Repeat("[", 512) + strings.Repeat("]", 512),
	} {
		start := time.Now()
		hs, probs := LoadSample(lint.NewSourceFile("h.json", []byte(src)))
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("%d bytes took %v", len(src), d)
		}
		if len(hs.Paths) > maxPathDepth+1 {
			t.Errorf("%d paths recorded", len(hs.Paths))
		}
		if len(src) > 1024 && len(probs) != 1 {
			t.Errorf("%d bytes: problems %v, want one", len(src), problems(probs))
		}
		if len(src) == 1024 && (len(probs) != 0 || hs.Value == nil) {
			t.Errorf("512 levels: problems %v, value %v", problems(probs), hs.Value != nil)
		}
	}
}

const schema = `{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "type": "object",
  "properties": {
    "status": {"type": "string"},
    "kafka": {"$ref": "#/definitions/Kafka"},
    "consumers": {"type": "array", "items": {"$ref": "#/$defs/Consumer"}},
    "tree": {"$ref": "#/$defs/Node"},
    "tags": {"type": "array"},
    "pair": {"prefixItems": [{"properties": {"first": true}}]},
    "remote": {"$ref": "other.json#/x"}
  },
  "allOf": [{"properties": {"uptime_seconds": {"type": "number"}}}],
  "if": {"properties": {"mode": {"const": "x"}}},
  "then": {"properties": {"x-only": {}}},
  "definitions": {
    "Kafka": {"type": "object", "properties": {"connected": {"type": "boolean"}, "kafka-consumer": {"properties": {"lag": {}}}}}
  },
  "$defs": {
    "Consumer": {"anyOf": [{"properties": {"lag": {}}}, {"properties": {"offset": {}}}]},
    "Node": {"properties": {"child": {"$ref": "#/$defs/Node"}, "a~b/c": {}}}
  }
}`

func TestLoadSchema(t *testing.T) {
	tests := []struct {
		name     string
		input    string
		want     map[string]string
		problems []string
	}{
		{
			name:  "follows properties, $ref, items, allOf, anyOf, then and recursion",
			input: schema,
			want: map[string]string{
				".status":                     "5:5",
				".kafka":                      "6:5",
				".kafka.connected":            "17:48",
				`.kafka."kafka-consumer"`:     "17:82",
				`.kafka."kafka-consumer".lag`: "17:116",
				".consumers":                  "7:5",
				".consumers[]":                "7:36",
				".consumers[].lag":            "20:44",
				".consumers[].offset":         "20:73",
				".tree":                       "8:5",
				".tree.child":                 "21:29",
				".tree.child.child":           "21:29", // a recursive schema unrolls once more
				`.tree.child."a~b/c"`:         "21:64",
				`.tree."a~b/c"`:               "21:64",
				".tags":                       "9:5",
				".tags[]":                     "9:14",
				".pair":                       "10:5",
				".pair[]":                     "10:30",
				".pair[].first":               "10:46",
				".remote":                     "11:5",
				".uptime_seconds":             "13:29",
				`."x-only"`:                   "15:27",
			},
		},
		{
			name:     "reports a local $ref that resolves to nothing, at the $ref, and claims no paths",
			input:    `{"properties": {"a": {"$ref": "#/definitions/Missing"}, "b": {}}}`,
			want:     map[string]string{},
			problems: []string{`1:31 not a usable JSON Schema: json-pointer in "file:///health.schema.json#/definitions/Missing" not found`},
		},
		{
			name:  "follows a $ref to the root once",
			input: `{"properties": {"self": {"$ref": "#"}, "v": {}}}`,
			want:  map[string]string{".self": "1:17", ".self.self": "1:17", ".self.v": "1:40", ".v": "1:40"},
		},
		{
			name:  "walks tuple items and percent-encoded pointers",
			input: `{"items": [{"$ref": "#/$defs/a%20b"}], "$defs": {"a b": {"properties": {"k": {}}}}}`,
			want:  map[string]string{".[]": "1:12", ".[].k": "1:73"},
		},
		{
			name:     "reports a schema that is not JSON",
			input:    "properties:\n  a: {}\n",
			want:     map[string]string{},
			problems: []string{"1:1 invalid character 'p' looking for beginning of value"},
		},
		{
			name:     "reports an empty schema file",
			input:    "",
			want:     map[string]string{},
			problems: []string{"1:1 empty health schema"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hs, probs := LoadSchema(lint.NewSourceFile("health.schema.json", []byte(tt.input)))
			if diff := cmp.Diff(tt.want, paths(hs)); diff != "" {
				t.Errorf("paths (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.problems, problems(probs)); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
			if hs.Value != nil || hs.Partial != (len(tt.problems) > 0) {
				t.Errorf("Value = %v, Partial = %v", hs.Value, hs.Partial)
			}
		})
	}
}

func TestLoadSchemaExponentialRefsStop(t *testing.T) {
	// Each definition refers to the next one twice: 2^40 expansions without a bound.
	var b strings.Builder
	b.WriteString(`{"$ref": "#/$defs/d0", "$defs": {`)
	for i := range 40 {
		fmt.Fprintf(&b, `"d%d": {"properties": {"l": {"$ref": "#/$defs/d%d"}, "r": {"$ref": "#/$defs/d%d"}}},`, i, i+1, i+1)
	}
	b.WriteString(`"d40": {}}}`)
	start := time.Now()
	hs, probs := LoadSchema(lint.NewSourceFile("s.json", []byte(b.String())))
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %v", d)
	}
	if len(probs) != 1 || !strings.Contains(probs[0].Message, "expands to more than") || !hs.Partial {
		t.Errorf("problems = %v, partial = %v", problems(probs), hs.Partial)
	}
}

func TestKey(t *testing.T) {
	tests := []struct{ parent, key, want string }{
		{"", "status", ".status"},
		{".kafka", "connected", ".kafka.connected"},
		{"", "kafka-consumer", `."kafka-consumer"`},
		{".a[]", "b.c", `.a[]."b.c"`},
		{"", "line\nbreak\x01", `."line\nbreak\u0001"`},
	}
	for _, tt := range tests {
		if got := Key(tt.parent, tt.key); got != tt.want {
			t.Errorf("Key(%q, %q) = %q, want %q", tt.parent, tt.key, got, tt.want)
		}
	}
	if got := Elem(""); got != ".[]" {
		t.Errorf("Elem(\"\") = %q", got)
	}
}

func FuzzLoad(f *testing.F) {
	f.Add([]byte(`{"a": {"b": [1, {"c": 2}]}, "d-e": null}`))
	f.Add([]byte(schema))
	f.Add([]byte(`{"$ref": "#/a/0", "a": [{"$ref": "#"}], "items": [{"$ref": "#/a~1b"}]}`))
	f.Add([]byte("\uFEFF[[[[{\"a\":"))
	f.Add([]byte("{\"\xff\": 1} x"))
	f.Fuzz(func(t *testing.T, src []byte) {
		sf := lint.NewSourceFile("h.json", src)
		for _, load := range []func(*lint.SourceFile) (*lint.HealthSample, []lint.ParseProblem){LoadSample, LoadSchema} {
			hs, probs := load(sf)
			if hs == nil || hs.Paths == nil {
				t.Fatal("nil sample or paths")
			}
			if hs.Partial != (len(probs) > 0) {
				t.Fatalf("Partial = %v with problems %v", hs.Partial, probs)
			}
			for p, at := range hs.Paths {
				if !strings.HasPrefix(p, ".") || at.Line < 1 || at.Line > sf.LineCount() {
					t.Fatalf("path %q at %v", p, at)
				}
			}
		}
	})
}
