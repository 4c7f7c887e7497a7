package logql

import "testing"

func TestLooksLikeLogQL(t *testing.T) {
	tests := []struct {
		name, expr string
		want       bool
	}{
		{"recognizes a line filter after a stream selector", `{namespace="x"} |= "err"`, true},
		{"recognizes a regexp line filter", "{app=\"a\"} |~ `timeout|refused`", true},
		{"recognizes a negative line filter", `{app="a"} != "debug"`, true},
		{"recognizes a negative regexp line filter", `{app="a"} !~ "debug"`, true},
		{"recognizes a parser stage", `{app="a"} | json | level="error"`, true},
		{"recognizes a pipeline inside a metric query", `sum by (job) (rate({app="a", job=~".+"} | logfmt | unwrap duration [5m]))`, true},
		{"recognizes a label filter stage", `count_over_time({app="a"} | status >= 500 [1m])`, true},
		{"recognizes a line_format stage with a Grafana variable", `{cluster="$cluster"} | line_format "{{.msg}}"`, true},
		{"keeps a PromQL selector", `up{job="a"}`, false},
		{"keeps a PromQL comparison with a number", `{job="a"} != 0`, false},
		{"keeps a negative regexp matcher inside braces", `rate(http_requests_total{code!~"5.."}[5m])`, false},
		{"keeps a metric query without a pipeline", `count_over_time({app="a"}[5m])`, false},
		{"keeps pipes inside strings", `label_replace(up, "x", "a|=b", "job", "(.*)")`, false},
		{"keeps pipes inside a regexp matcher", `up{job=~"a|b"} or on() vector(0)`, false},
		{"keeps a comment that mentions a pipe", "up{job=\"a\"} # not |= \"this\"\n > 0", false},
		{"keeps an unterminated string", `up{job="a`, false},
		{"keeps an empty expression", ``, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := LooksLikeLogQL(tt.expr); got != tt.want {
				t.Errorf("LooksLikeLogQL(%q) = %v, want %v", tt.expr, got, tt.want)
			}
		})
	}
}

func FuzzLooksLikeLogQL(f *testing.F) {
	f.Add(`{app="a"} |= "x"`)
	f.Add(`up{job=~"a|b"}`)
	f.Fuzz(func(_ *testing.T, s string) { LooksLikeLogQL(s) })
}
