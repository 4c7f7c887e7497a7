package source

import (
	"fmt"
	"net/http"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/driftlint/driftlint/lint"
	"github.com/driftlint/driftlint/lint/catalog"
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

// The client_golang defaults come from the catalogue: they must be the families of the
// client_golang driftlint links (its Go and process collectors and promhttp's handler), so
// that a client_golang upgrade without regenerating the catalogue fails here. The Go
// collector's families depend on the Go toolchain, which the catalogue pins.
func TestClientGoDefaultsAreTheLinkedLibrarys(t *testing.T) {
	e, _, ok := catalog.Lookup("client-golang")
	if !ok {
		t.Fatal("client-golang is not catalogued")
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	promhttp.InstrumentMetricHandler(reg, http.NotFoundHandler())
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	var linked []string
	for _, mf := range mfs {
		linked = append(linked, mf.GetName())
	}
	slices.Sort(linked)
	got := goDefaults()
	if !slices.Equal(got, linked) {
		msg := fmt.Sprintf("client-golang %s in the catalogue:\n %v\nlinked client_golang on %s:\n %v", e.Versions[len(e.Versions)-1].Name, got, runtime.Version(), linked)
		if !strings.HasPrefix(runtime.Version(), "go1.26.") {
			t.Skipf("another Go toolchain than the catalogue's: %s", msg)
		}
		t.Errorf("regenerate the catalogue (go generate ./lint/catalog): %s", msg)
	}
	if py := pythonDefaults(); !slices.Contains(py, "python_info") || !slices.Contains(py, "process_open_fds") {
		t.Errorf("client-python defaults %v lack python_info or process_open_fds", py)
	}
}
