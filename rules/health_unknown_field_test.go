package rules

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/driftlint/driftlint/lint/jqpath"
	"github.com/driftlint/driftlint/lint/linttest"
)

func TestHealthUnknownField(t *testing.T) {
	linttest.Run(t, "../fixtures/health-unknown-field", HealthUnknownField)
}

func TestSplitLastKey(t *testing.T) {
	tests := []struct {
		name, path, parent, key string
		ok                      bool
	}{
		{"splits a root field", ".status", "", "status", true},
		{"splits a nested field", ".kafka.connected", ".kafka", "connected", true},
		{"splits a field of array elements", ".consumers[].lag", ".consumers[]", "lag", true},
		{"splits a quoted field", `.kafka."last-seen"`, ".kafka", "last-seen", true},
		{"splits a field under a quoted field", `."kafka-consumer".lag`, `."kafka-consumer"`, "lag", true},
		{"splits a quoted field holding a dot and a quote", `.a."x.\"y"`, ".a", `x."y`, true},
		{"does not split array elements", ".consumers[]", "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			parent, key, ok := splitLastKey(tt.path)
			if diff := cmp.Diff([]any{tt.parent, tt.key, tt.ok}, []any{parent, key, ok}); diff != "" {
				t.Errorf("splitLastKey(%q) (-want +got):\n%s", tt.path, diff)
			}
		})
	}
}

func TestKeyOffset(t *testing.T) {
	path := func(keys ...string) jqpath.Path {
		var p jqpath.Path
		for _, k := range keys {
			if k == "[]" {
				p = append(p, jqpath.Segment{Iter: true})
			} else {
				p = append(p, jqpath.Segment{Key: k})
			}
		}
		return p
	}
	tests := []struct {
		name string
		prog string
		path jqpath.Path
		seg  int
		want int
	}{
		{"finds a dotted key", ".kafka.status", path("kafka", "status"), 1, 7},
		{"finds the key after its parent, not an earlier one", ".status, .kafka.status", path("kafka", "status"), 1, 16},
		{"finds a quoted key at its quote", `."kafka-consumer".lagg`, path("kafka-consumer", "lagg"), 0, 1},
		{"finds a key through iteration", ".consumers[] | select(.lag > 1) | .topc", path("consumers", "[]", "topc"), 2, 35},
		{"finds a key of the object shorthand", "{status, version}", path("version"), 0, 9},
		{"does not match inside a longer name", ".uptime_seconds, .uptime", path("uptime"), 0, 18},
		{"returns 0 when the key is not written", ".a | getpath([\"b\"])", path("zzz"), 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := keyOffset(tt.prog, tt.path, tt.seg); got != tt.want {
				t.Errorf("keyOffset(%q, %s, %d) = %d, want %d", tt.prog, tt.path, tt.seg, got, tt.want)
			}
		})
	}
}

func TestPipelineStart(t *testing.T) {
	src := "intro\ncurl -s x/health \\\n  | jq '.a'\nnext | jq '.b'\n"
	tests := []struct {
		name string
		at   string
		want string
	}{
		{"goes up over continued lines", ".a", "curl -s x/health \\\n  | jq '"},
		{"stops at a line that does not continue", ".b", "next | jq '"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			end := len(src[:indexOf(src, tt.at)])
			if got := src[pipelineStart([]byte(src), end):end]; got != tt.want {
				t.Errorf("pipeline text = %q, want %q", got, tt.want)
			}
		})
	}
}

func indexOf(s, sub string) int {
	for i := range len(s) - len(sub) + 1 {
		if s[i:i+len(sub)] == sub {
			return i
		}
	}
	return -1
}
