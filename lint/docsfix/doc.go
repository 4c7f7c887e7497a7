// Package docsfix is the metrics-documentation side of driftlint: it compares what the
// metrics docs say (lint.DocEntry) with what the expositions export, and repairs the docs.
//
// Index (For) is the comparison the docs/* rules share: exported families merged over all
// expositions, which of them the docs document (Resolve understands series names such as
// x_bucket and a counter's x / x_total), suggestions for renamed metrics, LabelDiff and
// TypesAgree. Fix rewrites the metric tables of the metrics docs so that those rules report
// nothing, keeping every description, the column layout and the prose byte for byte, and
// Diff shows a change as a unified diff, for `driftlint docs fix --diff`.
package docsfix
