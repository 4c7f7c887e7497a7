package main

import (
	"archive/zip"
	"os"
	"path/filepath"
	"testing"
)

// The go-runtime reader takes the names of client_golang's per-Go-version list from the
// module cache's zip, typed by runtime/metrics where the runtime knows the metric, else by
// the name; a version whose file is missing or empty is an error, never an empty catalogue.
func TestReadGoRuntime(t *testing.T) {
	cache := t.TempDir()
	dir := filepath.Join(cache, "cache", "download", "example.com", "m", "@v")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(filepath.Join(dir, "v1.0.0.zip"))
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	add := func(name, body string) {
		w, err := zw.Create("example.com/m@v1.0.0/" + name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(body)); err != nil {
			t.Fatal(err)
		}
	}
	add("prometheus/go_collector_metrics_go199_test.go", `package prometheus

var expectedRuntimeMetrics = map[string]string{
	"/gc/cycles/automatic:gc-cycles": "go_gc_cycles_automatic_gc_cycles_total",
	"/gc/heap/goal:bytes":            "go_gc_heap_goal_bytes",
	"/no/such/metric:things":         "go_no_such_metric_things_total",
	"/no/such/gauge:things":          "go_no_such_gauge_things",
}
`)
	add("prometheus/empty_test.go", "package prometheus\n")
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	e := &ManifestExporter{Name: "go-runtime", Module: "example.com/m", Reader: readerGoRun}
	s, err := readGoRuntime(cache, e, "v1.0.0", ManifestVersion{Name: "1.99", Paths: []string{"prometheus/go_collector_metrics_go199_test.go"}})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"go_gc_cycles_automatic_gc_cycles_total": "counter",
		"go_gc_heap_goal_bytes":                  "gauge",
		"go_no_such_metric_things_total":         "counter",
		"go_no_such_gauge_things":                "untyped",
	}
	if len(s.fams) != len(want) {
		t.Errorf("families %v, want %v", s.fams, want)
	}
	for n, typ := range want {
		if f := s.fams[n]; f == nil || f.Type != typ {
			t.Errorf("%s = %+v, want type %s", n, f, typ)
		}
	}
	if _, err := readGoRuntime(cache, e, "v1.0.0", ManifestVersion{Name: "1.98", Paths: []string{"prometheus/empty_test.go"}}); err == nil {
		t.Error("a file without runtime metrics read as an empty catalogue")
	}
	if _, err := readGoRuntime(cache, e, "v1.0.0", ManifestVersion{Name: "1.97", Paths: []string{"prometheus/missing_test.go"}}); err == nil {
		t.Error("a missing file read without error")
	}
}
