package main

import (
	"fmt"
	"io"
	"regexp"
	"runtime/metrics"
	"strings"
)

// runtimeMetricEntry is one line of client_golang's generated expectedRuntimeMetrics map:
// "/gc/cycles/automatic:gc-cycles": "go_gc_cycles_automatic_gc_cycles_total".
var runtimeMetricEntry = regexp.MustCompile(`"(/[^"]+)":\s*"([a-zA-Z_:][a-zA-Z0-9_:]*)"`)

// readGoRuntime reads the Go runtime metrics client_golang's Go collector exports for one Go
// version (when runtime metrics are enabled: collectors.WithGoCollectorRuntimeMetrics), from
// the file client_golang generates per Go version (prometheus/go_collector_metrics_goXYZ_test.go)
// in the module go.mod pins. Types come from runtime/metrics' descriptions where the
// generator's own runtime knows the metric (a cumulative value is a counter, a histogram a
// histogram, else a gauge), else from the name (_total: a counter), else untyped.
func readGoRuntime(modCache string, e *ManifestExporter, version string, v ManifestVersion) (*snapshot, error) {
	if len(v.Paths) != 1 {
		return nil, fmt.Errorf("%s %s: reader go-runtime needs one path", e.Name, v.Name)
	}
	zr, prefix, err := openModZip(modCache, e, version)
	if err != nil {
		return nil, err
	}
	defer zr.Close()
	want := prefix + v.Paths[0]
	var src []byte
	for _, zf := range zr.File {
		if zf.Name != want {
			continue
		}
		rc, err := zf.Open()
		if err != nil {
			return nil, err
		}
		src, err = io.ReadAll(io.LimitReader(rc, maxFileSize))
		_ = rc.Close()
		if err != nil {
			return nil, err
		}
	}
	if src == nil {
		return nil, fmt.Errorf("%s %s: %s is not in the module's zip", e.Name, v.Name, v.Paths[0])
	}
	kinds := map[string]metrics.Description{}
	for _, d := range metrics.All() {
		kinds[d.Name] = d
	}
	s := &snapshot{fams: map[string]*FamilyShape{}, files: 1}
	for _, m := range runtimeMetricEntry.FindAllStringSubmatch(string(src), -1) {
		key, name := m[1], m[2]
		typ := "untyped"
		if d, ok := kinds[key]; ok {
			switch {
			case d.Kind == metrics.KindFloat64Histogram:
				typ = "histogram"
			case d.Cumulative:
				typ = "counter"
			default:
				typ = "gauge"
			}
		} else if strings.HasSuffix(name, "_total") {
			typ = "counter"
		}
		help := ""
		if d, ok := kinds[key]; ok {
			help = d.Description
		}
		mergeFamily(s.fams, name, typ, help, nil)
	}
	if len(s.fams) == 0 {
		return nil, fmt.Errorf("%s %s: %s holds no runtime metric", e.Name, v.Name, v.Paths[0])
	}
	return s, nil
}
