package lint

import (
	"strings"
	"testing"
	"time"
)

func TestLimitsSet(t *testing.T) {
	l := DefaultLimits
	for _, kv := range []string{"max_body_size=1GiB", "promql_depth=1000", "jq_timeout=3s", "promql_bytes=128KiB"} {
		if err := l.Set(kv); err != nil {
			t.Fatalf("Set(%q): %v", kv, err)
		}
	}
	if l.MaxBodySize != 1<<30 || l.PromQLDepth != 1000 || l.JQTimeout != 3*time.Second || l.PromQLBytes != 128<<10 {
		t.Errorf("limits not set: %+v", l)
	}
	if DefaultLimits.PromQLDepth != 256 {
		t.Errorf("Set changed the defaults")
	}
	for kv, want := range map[string]string{
		"promql_dept=3":    `did you mean "promql_depth"`,
		"promql_depth":     "want NAME=VALUE",
		"promql_depth=-1":  "bad count",
		"jq_timeout=fast":  "bad duration",
		"max_memory=lots":  "bad size",
		"max_scrapes=0":    "bad count",
		"max_body_size=0B": "bad size",
	} {
		err := l.Set(kv)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Set(%q) = %v, want an error with %q", kv, err, want)
		}
	}
}

func TestSetLimits(t *testing.T) {
	l := DefaultLimits
	l.YAMLDepth = 7
	old := SetLimits(l)
	defer SetLimits(old)
	if Limit().YAMLDepth != 7 {
		t.Errorf("Limit().YAMLDepth = %d, want 7", Limit().YAMLDepth)
	}
	if old.YAMLDepth != DefaultLimits.YAMLDepth {
		t.Errorf("SetLimits returned %d, want the default", old.YAMLDepth)
	}
}
