package source

import (
	"testing"

	"github.com/driftlint/driftlint/lint"
)

func TestClientDefaults(t *testing.T) {
	goFile := lint.NewSourceFile("m.go", []byte("package m\n\nimport \"github.com/prometheus/client_golang/prometheus\"\n\nvar _ = prometheus.NewRegistry\n"))
	pyFile := lint.NewSourceFile("m.py", []byte("from prometheus_client import Counter\n"))
	rsFile := lint.NewSourceFile("src/m.rs", []byte("use prometheus::IntCounter;\n"))
	withProcess := lint.NewSourceFile("Cargo.toml", []byte("[dependencies]\nprometheus = { version = \"0.13\", features = [\"process\"] }\n"))
	table := lint.NewSourceFile("Cargo.toml", []byte("[dependencies.prometheus]\nversion = \"0.14\"\nfeatures = [\"process\", \"push\"]\n\n[dependencies.tokio]\nfeatures = [\"full\"]\n"))
	without := lint.NewSourceFile("Cargo.toml", []byte("[dependencies]\nprometheus = \"0.13\"\n"))
	tests := []struct {
		name    string
		files   []*lint.SourceFile
		cargo   []*lint.SourceFile
		has     []string
		hasNone []string
	}{
		{
			"client_golang: the Go and process collectors and promhttp",
			[]*lint.SourceFile{goFile},
			nil,
			[]string{"go_goroutines", "go_gc_duration_seconds", "go_memstats_heap_alloc_bytes", "process_resident_memory_bytes", "promhttp_metric_handler_requests_total"},
			[]string{"python_info"},
		},
		{
			"prometheus_client",
			[]*lint.SourceFile{pyFile},
			nil,
			[]string{"python_info", "python_gc_objects_collected_total", "process_open_fds"},
			[]string{"go_goroutines"},
		},
		{"the Rust crate with its process feature", []*lint.SourceFile{rsFile}, []*lint.SourceFile{withProcess}, []string{"process_threads"}, nil},
		{"the Rust crate with a dependency table", []*lint.SourceFile{rsFile}, []*lint.SourceFile{table}, []string{"process_threads"}, nil},
		{"the Rust crate without it", []*lint.SourceFile{rsFile}, []*lint.SourceFile{without}, nil, []string{"process_threads"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ClientDefaults(tt.files, tt.cargo)
			for _, n := range tt.has {
				if got[n] == "" {
					t.Errorf("%s missing", n)
				}
			}
			for _, n := range tt.hasNone {
				if got[n] != "" {
					t.Errorf("%s present (%s)", n, got[n])
				}
			}
		})
	}
}
