package promql

// TargetLabels are attached by Prometheus to every scraped series (a saved exposition does
// not show them).
var TargetLabels = []string{"instance", "job"}
