package main

import (
	"fmt"
	"net/http"
	"runtime"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	dto "github.com/prometheus/client_model/go"
)

// clientGoDefaults gathers the families of client_golang's default registry — its Go and
// process collectors and promhttp's handler metrics — from the client_golang linked into
// the generator. lint/load/source's ClientDefaults reads them back from the catalogue, and
// its test checks them against the linked library's collectors, so the two cannot drift.
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
