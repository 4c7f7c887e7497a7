package promql

import (
	"github.com/driftlint/driftlint/lint"
)

// TargetLabels are attached by Prometheus to every scraped series (a saved exposition does
// not show them).
var TargetLabels = []string{"instance", "job"}

// ResolverFor returns the project's shared Resolver: its Index (see index.go), built once.
func ResolverFor(p *lint.Project) Resolver { return IndexFor(p) }
