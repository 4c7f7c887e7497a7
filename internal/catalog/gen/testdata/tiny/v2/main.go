// Tiny exporter, version 2: old_bytes renamed new_bytes, queue_length gains a label,
// stage durations named in a loop.
package main

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
)

const namespace = "tiny"

var (
	requests = promauto.NewCounterVec(prometheus.CounterOpts{
		Namespace: namespace, Name: "requests_total", Help: "Requests served.",
	}, []string{"code"})
	newBytes = promauto.NewGauge(prometheus.GaugeOpts{
		Namespace: namespace, Name: "new_bytes", Help: "Bytes.",
	})
	queue = promauto.NewGaugeVec(prometheus.GaugeOpts{
		Namespace: namespace, Name: "queue_length", Help: "Queue length.",
	}, []string{"queue", "shard"})
)

var stages = []string{"parse", "write"}

func init() {
	for _, s := range stages {
		promauto.NewHistogram(prometheus.HistogramOpts{
			Namespace: namespace, Subsystem: "stage", Name: s + "_seconds", Help: "Stage duration.",
		})
	}
}

func main() {}
