// Tiny exporter, version 1.
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
	oldBytes = promauto.NewGauge(prometheus.GaugeOpts{
		Namespace: namespace, Name: "old_bytes", Help: "Bytes, under the old name.",
	})
	queue = promauto.NewGaugeVec(prometheus.GaugeOpts{
		Namespace: namespace, Name: "queue_length", Help: "Queue length.",
	}, []string{"queue"})
)

func main() {}
