package main

import (
	"fmt"
	"maps"
	"net/http"
	"runtime"
	"slices"
	"strings"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	dto "github.com/prometheus/client_model/go"

	"github.com/driftlint/driftlint/lint"
	"github.com/driftlint/driftlint/lint/load/source"
)

// clientGoDefaults gathers the families of client_golang's default registry — its Go and
// process collectors and promhttp's handler metrics — from the client_golang linked into
// the generator, and checks that they are the names lint/load/source's ClientDefaults
// computes from the same library (the two must not drift apart).
func clientGoDefaults(goVersion string) (*snapshot, error) {
	if runtime.Version() != goVersion {
		return nil, fmt.Errorf("client-golang: the manifest pins the Go collector's families of %s, the generator runs on %s: run it with GOTOOLCHAIN=%s", goVersion, runtime.Version(), goVersion)
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	promhttp.InstrumentMetricHandler(reg, http.NotFoundHandler())
	mfs, err := reg.Gather()
	if err != nil {
		return nil, fmt.Errorf("client-golang: gather: %w", err)
	}
	s := &snapshot{fams: map[string]*FamilyShape{}}
	for _, mf := range mfs {
		var labels []string
		for _, m := range mf.GetMetric() {
			for _, lp := range m.GetLabel() {
				labels = append(labels, lp.GetName())
			}
		}
		mergeFamily(s.fams, mf.GetName(), dtoType(mf.GetType()), mf.GetHelp(), labels)
	}
	goFile := lint.NewSourceFile("main.go", []byte(`package main

import _ "github.com/prometheus/client_golang/prometheus"
`))
	want := slices.Sorted(maps.Keys(source.ClientDefaults([]*lint.SourceFile{goFile}, nil)))
	got := slices.Sorted(maps.Keys(s.fams))
	if !slices.Equal(got, want) {
		return nil, fmt.Errorf("client-golang: the gathered families differ from lint/load/source's client defaults:\n gathered %s\n defaults %s",
			strings.Join(got, " "), strings.Join(want, " "))
	}
	return s, nil
}

func dtoType(t dto.MetricType) string {
	switch t {
	case dto.MetricType_COUNTER:
		return "counter"
	case dto.MetricType_GAUGE:
		return "gauge"
	case dto.MetricType_SUMMARY:
		return "summary"
	case dto.MetricType_HISTOGRAM, dto.MetricType_GAUGE_HISTOGRAM:
		return "histogram"
	default:
		return "untyped"
	}
}
