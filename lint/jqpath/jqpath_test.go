package jqpath

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/itchyny/gojq"
)

func TestRead(t *testing.T) {
	tests := []struct {
		name    string
		program string
		want    []string
	}{
		// The verified cases of STYLE.md C.5, with paths written as lint/load/health does.
		{"reads a nested field", `.kafka_producer.status`, []string{".kafka_producer.status"}},
		{"follows a pipe into a comparison", `.kafka_producer | .status == "ok"`, []string{".kafka_producer.status"}},
		{"keeps the context through select", `.items[] | select(.state == "up") | .name`, []string{".items[].name", ".items[].state"}},
		{"reads the values of an object construction and turns indexes into []", `{status: .kafka_producer.status, lag: .consumers[0].lag}`, []string{".consumers[].lag", ".kafka_producer.status"}},
		{"quotes keys with dashes and reads both sides of //", `."kafka-consumer".lag // 0`, []string{`."kafka-consumer".lag`}},
		{"reads the condition and the branches of if", `if .health.ok then .health.detail else empty end`, []string{".health.detail", ".health.ok"}},
		{"runs the body of as on the input of its source", `.a as $x | .b.c`, []string{".a", ".b.c"}},

		{"reads several fields separated by commas", `.status, .kafka_status, .websocket_status`, []string{".kafka_status", ".status", ".websocket_status"}},
		{"reads a field whose length is taken", `.consumer.assigned_partitions | length`, []string{".consumer.assigned_partitions"}},
		{"reads the root identity as nothing", `.`, nil},
		{"reads an optional field", `.kafka_producer?`, []string{".kafka_producer"}},
		{"reads an optional field after iteration", `.items[]?.name`, []string{".items[].name"}},
		{"reads a key written in brackets", `.["kafka-consumer"].lag`, []string{`."kafka-consumer".lag`}},
		{"reads a quoted key after a field", `.consumer."group-id"`, []string{`.consumer."group-id"`}},
		{"turns a negative index into []", `.consumers[-1].lag`, []string{".consumers[].lag"}},
		{"turns a dotted index into []", `.consumers.[0].lag`, []string{".consumers[].lag"}},
		{"reads the elements of a root array", `.[] | .name`, []string{".[].name"}},
		{"keeps the array shape through a slice", `.consumers[1:3][] | .lag`, []string{".consumers[].lag"}},
		{"reads a variable's fields", `.consumer as $c | $c.lag`, []string{".consumer.lag"}},
		{"reads fields destructured from an object pattern", `.consumer as {lag: $l, $topic} | $l`, []string{".consumer.lag", ".consumer.topic"}},
		{"reads elements destructured from an array pattern", `.consumers as [$first] | $first.lag`, []string{".consumers[].lag"}},
		{"reads the field of the object shorthand", `{status, uptime_seconds}`, []string{".status", ".uptime_seconds"}},
		{"runs sort_by's argument on the elements and keeps the array", `.consumers | sort_by(.lag) | .[0].topic`, []string{".consumers[].lag", ".consumers[].topic"}},
		{"runs map's argument on the elements", `.consumers | map(.lag) | add`, []string{".consumers[].lag"}},
		{"keeps the elements through map(select)", `.consumers | map(select(.lag > 10)) | .[].topic`, []string{".consumers[].lag", ".consumers[].topic"}},
		{"gives max_by an element", `.consumers | max_by(.lag) | .topic`, []string{".consumers[].lag", ".consumers[].topic"}},
		{"reads string interpolations", `"status=\(.status) lag=\(.consumer.lag)"`, []string{".consumer.lag", ".status"}},
		{"reads interpolations of a format string", `@text "\(.status)"`, []string{".status"}},
		{"reads the body of try but not the catch", `try .kafka.status catch .message`, []string{".kafka.status"}},
		{"reads the source and start of reduce", `reduce .consumers[] as $c (0; . + $c.lag)`, []string{".consumers[].lag"}},
		{"drops reads from values built by the program", `[.a] | .[0].b`, []string{".a"}},
		{"drops reads from keys and to_entries", `to_entries[] | .value.x`, nil},
		{"drops reads after recursive descent", `.. | .lag?`, nil},
		{"does not count del, path and has as reads", `del(.secret) | has("token") | path(.x)`, nil},
		{"reads an index expression on the term's input", `.consumers[.current].lag`, []string{".consumers", ".current"}},
		{"runs a user-defined function on its input", `def lag: .consumer.lag; lag > 100`, []string{".consumer.lag"}},
		{"runs filter arguments of a user-defined function in the caller's context", `def pick2(f): f; .dlq | pick2(.sends)`, []string{".dlq.sends"}},
		{"binds $-parameters of a user-defined function", `def show($v): $v; show(.status)`, []string{".status"}},
		{"stops a recursive user-defined function", `def f: .a | f; f`, []string{strings.Repeat(".a", maxDepth)}},
		{"reads both sides of an update", `.a |= . + .b`, []string{".a.b"}},
		{"reads arithmetic operands", `.kafka_errors / .kafka_messages_received`, []string{".kafka_errors", ".kafka_messages_received"}},
		{"reads any's generator and condition", `any(.consumers[]; .lag > 100)`, []string{".consumers[].lag"}},
		{"reads the argument of first", `first(.consumers[]) | .topic`, []string{".consumers[].topic"}},
		{"reads through a label", `label $out | .status`, []string{".status"}},
		{"reads through parentheses", `(.consumer | .lag), (.dlq).sends`, []string{".consumer.lag", ".dlq.sends"}},
		{"reads through an if without else", `if .ok then .detail end | .code`, []string{".code", ".detail.code", ".ok"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := gojq.Parse(tt.program)
			if err != nil {
				t.Fatalf("parse %q: %v", tt.program, err)
			}
			var got []string
			for _, p := range Read(q) {
				got = append(got, p.String())
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Read(%q) (-want +got):\n%s", tt.program, diff)
			}
		})
	}
}

func TestPathString(t *testing.T) {
	tests := []struct {
		name string
		path Path
		want string
	}{
		{"writes the root as a dot", nil, "."},
		{"writes keys with dots", Path{{Key: "kafka"}, {Key: "status"}}, ".kafka.status"},
		{"writes elements as []", Path{{Key: "consumers"}, {Iter: true}, {Key: "lag"}}, ".consumers[].lag"},
		{"writes root elements as .[]", Path{{Iter: true}}, ".[]"},
		{"quotes keys that are not identifiers", Path{{Key: "kafka-consumer"}, {Key: "lag"}}, `."kafka-consumer".lag`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.path.String(); got != tt.want {
				t.Errorf("String() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestReadNil(t *testing.T) {
	if got := Read(nil); got != nil {
		t.Errorf("Read(nil) = %v, want nil", got)
	}
}

func TestReadBounded(t *testing.T) {
	tests := []struct {
		name     string
		program  string
		maxReads int
	}{
		{"bounds a doubly recursive function", `def f: (.a | f), (.b | f); f`, maxReads},
		{"bounds a chain of alternatives", strings.Repeat(`(.a, .b, .c) | `, 30) + `.z`, maxReads},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := gojq.Parse(tt.program)
			if err != nil {
				t.Fatal(err)
			}
			done := make(chan []Path)
			go func() { done <- Read(q) }()
			select {
			case got := <-done:
				if len(got) > tt.maxReads {
					t.Errorf("Read returned %d paths, want at most %d", len(got), tt.maxReads)
				}
			case <-time.After(10 * time.Second):
				t.Fatal("Read did not finish")
			}
		})
	}
}

func FuzzRead(f *testing.F) {
	for _, s := range []string{
		`.a.b`, `.items[] | select(.x) | .y`, `{a: .b, c}`, `.a as {b: $c} | $c.d`, `def f(g): g; f(.x)`,
		`reduce .a[] as $x (0; . + $x.n)`, `."a-b"[0]?`, `if .a then .b elif .c then .d end`, `"\(.a)"`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		q, err := gojq.Parse(src)
		if err != nil {
			return
		}
		for _, p := range Read(q) {
			if len(p) == 0 {
				t.Errorf("Read(%q) returned the root path", src)
			}
		}
	})
}
