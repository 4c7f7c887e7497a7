package lint

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestParseKnownMetricsEntries(t *testing.T) {
	tests := []struct {
		name      string
		src       string
		wantGlobs []string
		wantURLs  []KnownURL
		wantErr   string
	}{
		{
			name:      "reads globs and url mappings side by side",
			src:       "known_metrics:\n  - known/*.txt\n  - url: http://prom:9090/prefix\n    covers: [node_*]\n    timeout: 30s\n    headers: {X-Scope-OrgID: team-a}\n",
			wantGlobs: []string{"known/*.txt"},
			wantURLs: []KnownURL{{
				URL: "http://prom:9090/prefix", Covers: []string{"node_*"}, Timeout: 30 * time.Second,
				HTTP: HTTPOptions{MaxBodySize: DefaultMaxBodySize, Headers: []HeaderOption{{Name: "X-Scope-Orgid", Value: "team-a", At: Pos{File: ".driftlint.yaml", Line: 6, Col: 15}}}},
				At:   Pos{File: ".driftlint.yaml", Line: 3, Col: 5}, URLAt: Pos{File: ".driftlint.yaml", Line: 3, Col: 10},
			}},
		},
		{
			name:      "still takes a single glob",
			src:       "known_metrics: known.json\n",
			wantGlobs: []string{"known.json"},
		},
		{
			name: "an empty covers covers nothing",
			src:  "known_metrics: [{url: 'http://prom:9090', covers: []}]\n",
			wantURLs: []KnownURL{{
				URL: "http://prom:9090", Covers: []string{}, Timeout: 10 * time.Second,
				HTTP: HTTPOptions{MaxBodySize: DefaultMaxBodySize},
				At:   Pos{File: ".driftlint.yaml", Line: 1, Col: 17}, URLAt: Pos{File: ".driftlint.yaml", Line: 1, Col: 23},
			}},
		},
		{
			name:    "rejects a mapping without url",
			src:     "known_metrics:\n  - covers: [x_*]\n",
			wantErr: ".driftlint.yaml:2:5: a known_metrics entry given as a mapping needs url: (a Prometheus-compatible API); list files as globs",
		},
		{
			name:    "rejects an unknown key with a suggestion",
			src:     "known_metrics:\n  - url: http://prom:9090\n    cover: [x_*]\n",
			wantErr: `.driftlint.yaml:3:5: unknown key "cover" in a known_metrics entry (did you mean "covers"?)`,
		},
		{
			name:    "rejects a url that is not http",
			src:     "known_metrics: [{url: 'file:///etc/passwd'}]\n",
			wantErr: `.driftlint.yaml:1:23: url "file:///etc/passwd" must start with http:// or https://`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := ParseConfig(".driftlint.yaml", t.TempDir(), []byte(tt.src))
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("error %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tt.wantGlobs, cfg.KnownMetrics); d != "" {
				t.Errorf("globs (-want +got):\n%s", d)
			}
			if d := cmp.Diff(tt.wantURLs, cfg.KnownURLs); d != "" {
				t.Errorf("url entries (-want +got):\n%s", d)
			}
		})
	}
}
