package main

import "github.com/prometheus/client_golang/prometheus/promauto"

// Tests are never read: this family must not reach the catalogue.
var _ = promauto.NewCounter(prometheus.CounterOpts{Name: "tiny_test_only_total"})
