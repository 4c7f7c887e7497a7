package source

import (
	"path"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/driftlint/driftlint/lint"
	"github.com/driftlint/driftlint/lint/catalog"
)

// Client names, as lint.Project.ClientDefaults records them.
const (
	ClientGo     = "client_golang"
	ClientPython = "prometheus_client"
	ClientRust   = "prometheus (Rust)"
)

// catalogDefaults are the family names of a client library's entry in the exporters
// catalogue (client-golang: the Go and process collectors and promhttp's handler metrics,
// gathered from the client_golang driftlint links; client-python: prometheus_client's
// default REGISTRY, read from its code): data, not lists typed here. Nil when the entry is
// missing, which the catalogue's integrity test rules out.
func catalogDefaults(name string) []string {
	e, _, ok := catalog.Lookup(name)
	if !ok {
		return nil
	}
	fams, err := e.Families("")
	if err != nil {
		return nil
	}
	out := make([]string, 0, len(fams))
	for _, f := range fams {
		out = append(out, f.Name)
	}
	return out
}

var (
	goDefaults     = sync.OnceValue(func() []string { return catalogDefaults("client-golang") })
	pythonDefaults = sync.OnceValue(func() []string { return catalogDefaults("client-python") })
)

// rustProcessDefaults are the families of the Rust prometheus crate's process collector,
// registered in its default registry when the crate's "process" feature is on.
var rustProcessDefaults = []string{
	"process_cpu_seconds_total", "process_max_fds", "process_open_fds", "process_resident_memory_bytes",
	"process_start_time_seconds", "process_threads", "process_virtual_memory_bytes",
}

// ClientDefaults returns the default families of the client libraries the source files use:
// client_golang's (Go collector, process collector, promhttp) when a Go file imports it,
// prometheus_client's when a Python file imports it, and the Rust crate's process
// collector when a Rust file uses the prometheus crate and a Cargo.toml among cargo (the
// manifests beside the sources, read by the caller) turns its "process" feature on.
// Family name → client.
func ClientDefaults(files []*lint.SourceFile, cargo []*lint.SourceFile) map[string]string {
	out := map[string]string{}
	add := func(names []string, client string) {
		for _, n := range names {
			if _, ok := out[n]; !ok {
				out[n] = client
			}
		}
	}
	used := map[string]bool{}
	for _, f := range files {
		used[defaultClient(f)] = true
	}
	if used[ClientGo] {
		add(goDefaults(), ClientGo)
	}
	if used[ClientPython] {
		add(pythonDefaults(), ClientPython)
	}
	if used[ClientRust] && slices.ContainsFunc(cargo, processFeature) {
		add(rustProcessDefaults, ClientRust)
	}
	return out
}

// processFeature reports whether a Cargo.toml depends on the prometheus crate with its
// "process" feature: `prometheus = { version = "0.13", features = ["process"] }` or a
// [dependencies.prometheus] table with such a features line.
var processRE = regexp.MustCompile(`(?m)^\s*prometheus\s*=\s*\{[^}\n]*features\s*=\s*\[[^\]]*"process"`)

func processFeature(f *lint.SourceFile) bool {
	if path.Base(f.Path) != "Cargo.toml" {
		return false
	}
	s := f.Text()
	if processRE.MatchString(s) {
		return true
	}
	_, table, ok := strings.Cut(s, "[dependencies.prometheus]")
	if !ok {
		return false
	}
	if i := strings.Index(table, "\n["); i >= 0 {
		table = table[:i]
	}
	return regexp.MustCompile(`(?m)^\s*features\s*=\s*\[[^\]]*"process"`).MatchString(table)
}

// defaultClient names the client library whose default registry a source file uses
// (ClientGo, ClientPython, ClientRust), or "".
func defaultClient(f *lint.SourceFile) string {
	s := f.Text()
	switch Lang(f.Path) {
	case "go":
		if !isGoTest(f.Path) && strings.Contains(s, "github.com/prometheus/client_golang/prometheus") {
			return ClientGo
		}
	case "python":
		if strings.Contains(s, "prometheus_client") {
			return ClientPython
		}
	case "rust":
		if strings.Contains(s, "prometheus::") {
			return ClientRust
		}
	}
	return ""
}

// UsesClient reports whether a source file uses a Prometheus client library (or holds
// exposition text): a file that defines metrics, or wraps the library for the project. Rust
// counts the other crates too (prometheus-client, metrics), which have no default registry.
func UsesClient(f *lint.SourceFile) bool {
	s := f.Text()
	return defaultClient(f) != "" || looksLikeExpositionText(s) ||
		(Lang(f.Path) == "rust" && (strings.Contains(s, "prometheus") || strings.Contains(s, "metrics::")))
}
