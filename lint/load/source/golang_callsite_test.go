package source

import "testing"

// collectorLib is a package whose constructor keeps NewDesc results in a collector struct
// and registers the struct on the registerer it is given (Mimir's NewTSDBMetrics).
const collectorLib = `package tsdb

import "github.com/prometheus/client_golang/prometheus"

type Metrics struct {
	created *prometheus.Desc
	fsync   *prometheus.Desc
}

func (m *Metrics) Describe(out chan<- *prometheus.Desc) { out <- m.created; out <- m.fsync }
func (m *Metrics) Collect(out chan<- prometheus.Metric) {
	out <- prometheus.MustNewConstMetric(m.created, prometheus.CounterValue, 1, "u")
}

func NewMetrics(r prometheus.Registerer) *Metrics {
	m := &Metrics{
		created: prometheus.NewDesc("memory_series_created_total", "Created.", []string{"user"}, nil),
		fsync:   prometheus.NewDesc("wal_fsync_duration_seconds", "Fsync.", nil, nil),
	}
	if r != nil {
		r.MustRegister(m)
	}
	return m
}
`

func TestLoadGoCallSites(t *testing.T) {
	runLoadCases(t, []loadCase{
		{
			name: "reads a collector's descriptors with the prefix of each caller's wrapped registerer",
			files: map[string]string{
				"go.mod":        resolveMod,
				"pkg/tsdb/m.go": collectorLib,
				"pkg/ingester/i.go": `package ingester

import (
	"example.com/app/pkg/tsdb"
	"github.com/prometheus/client_golang/prometheus"
)

func New(reg prometheus.Registerer) *tsdb.Metrics {
	return tsdb.NewMetrics(prometheus.WrapRegistererWithPrefix("cortex_ingester_", reg))
}
`,
				"pkg/builder/b.go": `package builder

import (
	"example.com/app/pkg/tsdb"
	"github.com/prometheus/client_golang/prometheus"
)

func New(reg prometheus.Registerer) *tsdb.Metrics {
	return tsdb.NewMetrics(prometheus.WrapRegistererWithPrefix("cortex_blockbuilder_", reg))
}
`,
			},
			want: []string{
				"pkg/builder/b.go:9:9 cortex_blockbuilder_memory_series_created_total counter [user] absent prometheus.NewDesc",
				"pkg/builder/b.go:9:9 cortex_blockbuilder_wal_fsync_duration_seconds untyped [] absent prometheus.NewDesc",
				"pkg/ingester/i.go:9:9 cortex_ingester_memory_series_created_total counter [user] absent prometheus.NewDesc",
				"pkg/ingester/i.go:9:9 cortex_ingester_wal_fsync_duration_seconds untyped [] absent prometheus.NewDesc",
			},
		},
		{
			name: "keeps a collector's descriptors where they are written when the registerer passed in is not wrapped",
			files: map[string]string{
				"go.mod":        resolveMod,
				"pkg/tsdb/m.go": collectorLib,
				"pkg/app/a.go": `package app

import (
	"example.com/app/pkg/tsdb"
	"github.com/prometheus/client_golang/prometheus"
)

func New(reg prometheus.Registerer) {
	tsdb.NewMetrics(reg)
	tsdb.NewMetrics(nil)
}
`,
			},
			want: []string{
				"pkg/tsdb/m.go:17:31 memory_series_created_total counter [user] absent prometheus.NewDesc",
				"pkg/tsdb/m.go:18:31 wal_fsync_duration_seconds untyped [] absent prometheus.NewDesc",
			},
		},
		{
			name: "prefixes the descriptors of a collector registered on a wrapped registerer in the same function",
			files: map[string]string{"shop/m.go": goHeader + `
type coll struct{ d *prometheus.Desc }

func (c *coll) Describe(out chan<- *prometheus.Desc) { out <- c.d }
func (c *coll) Collect(out chan<- prometheus.Metric)  {}

func setup(reg prometheus.Registerer) {
	c := &coll{d: prometheus.NewDesc("queue_depth", "Depth.", nil, nil)}
	prometheus.WrapRegistererWithPrefix("shop_", reg).MustRegister(c)
	plain := &coll{d: prometheus.NewDesc("shop_plain", "Plain.", nil, nil)}
	reg.MustRegister(plain)
}
`},
			want: []string{
				"shop/m.go:18:35 shop_queue_depth untyped [] absent prometheus.NewDesc",
				"shop/m.go:20:39 shop_plain untyped [] absent prometheus.NewDesc",
			},
		},
		{
			name: "prefixes a metric registered by its variable on a wrapped registerer once",
			files: map[string]string{"shop/m.go": goHeader + `
func setup(reg prometheus.Registerer) {
	c := prometheus.NewCounter(prometheus.CounterOpts{Name: "hits_total"})
	prometheus.WrapRegistererWithPrefix("shop_", reg).MustRegister(c)
	g := prometheus.NewGauge(prometheus.GaugeOpts{Name: "shop_plain"})
	reg.MustRegister(g)
}
`},
			want: []string{
				"shop/m.go:13:58 shop_hits_total counter [] prometheus.NewCounter",
				"shop/m.go:15:54 shop_plain gauge [] prometheus.NewGauge",
			},
		},
	})
}

// queriesLib is a package whose constructor returns metrics named from its parameter,
// registered later by its caller (CloudNativePG's NewQueriesCollector).
const queriesLib = `package metrics

import "github.com/prometheus/client_golang/prometheus"

type Queries struct {
	errors *prometheus.CounterVec
	last   prometheus.Gauge
}

func NewQueries(name string, db string) *Queries {
	return &Queries{
		errors: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: name, Name: "errors_total"}, []string{"query"}),
		last:   prometheus.NewGauge(prometheus.GaugeOpts{Namespace: name, Name: "last_error"}),
	}
}

func Version() string { return "1" }
`

func TestLoadGoCallersWithoutClient(t *testing.T) {
	runLoadCases(t, []loadCase{
		{
			name: "reads a helper at its call in a package that does not import client_golang",
			files: map[string]string{
				"go.mod":           resolveMod,
				"pkg/metrics/m.go": queriesLib,
				"internal/controller/c.go": `package controller

import "example.com/app/pkg/metrics"

func Start() *metrics.Queries {
	return metrics.NewQueries("cnpg", "postgres")
}
`,
			},
			want: []string{
				"internal/controller/c.go:6:9 cnpg_errors_total counter [query] absent prometheus.NewCounterVec",
				"internal/controller/c.go:6:9 cnpg_last_error gauge [] prometheus.NewGauge",
			},
		},
		{
			name: "leaves a helper unresolved when the importing package calls only other functions",
			files: map[string]string{
				"go.mod":           resolveMod,
				"pkg/metrics/m.go": queriesLib,
				"internal/controller/c.go": `package controller

import "example.com/app/pkg/metrics"

func Start() string { return metrics.Version() }
`,
			},
			want: []string{
				"pkg/metrics/m.go:12:82 unresolved *errors_total counter: the name comes from the parameter name",
				"pkg/metrics/m.go:13:75 unresolved *last_error gauge: the name comes from the parameter name",
			},
		},
	})
}
