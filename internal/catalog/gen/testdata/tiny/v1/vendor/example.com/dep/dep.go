package dep

import "github.com/prometheus/client_golang/prometheus/promauto"

// Vendored code is never read.
var _ = promauto.NewCounter(prometheus.CounterOpts{Name: "tiny_vendored_total"})
