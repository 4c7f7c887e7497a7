package rules_test

import (
	"testing"

	"github.com/driftlint/driftlint/lint"
	"github.com/driftlint/driftlint/lint/linttest"
	"github.com/driftlint/driftlint/rules"
)

// fieldRules are the rules the field fixtures expect findings of: the code as the truth
// (metric/unknown, label/unknown) and what the code itself says (source/unresolved).
func fieldRules() []*lint.Rule {
	return []*lint.Rule{rules.SourceExpositionMismatch, rules.SourceUnresolved, rules.MetricUnknown, rules.LabelUnknown}
}

// Shapes met in the Python projects of the field test (docs/field-results.md): flower's
// metrics built in a class's __init__ with prometheus_client's Counter imported under another
// name beside collections.Counter, and jupyterhub's namespace read from the environment.
func TestSourceFieldPython(t *testing.T) {
	linttest.Run(t, "../fixtures/source-field-python", fieldRules()...)
}

// jupyterhub: namespace=metrics_prefix with metrics_prefix = os.getenv(ENV, "jupyterhub"),
// and a sources entry with prefix: jupyterhub_. A namespace that is the only unknown part of a
// name is taken from the entry's prefix:, so all 17 definitions resolve (jupyterhub_…).
func TestSourceFieldEnvPrefix(t *testing.T) {
	linttest.Run(t, "../fixtures/source-field-envprefix", fieldRules()...)
}

// Shapes met in Thanos: metrics in a struct literal through promauto.With(reg), a gate whose
// options come from helper functions (reported as not read), and the mixin's drift: a
// classic histogram queried by its bare name, a label the counter lacks, a renamed counter.
func TestSourceFieldGo(t *testing.T) {
	linttest.Run(t, "../fixtures/source-field-go", fieldRules()...)
}

// Thanos' receive handler: var registerer prometheus.Registerer = nil, then set to the
// options' registry. No assignment adds a prefix, so the names are read whole (they were left
// unresolved: "the registerer registerer is assigned more than once").
func TestSourceFieldGoRegisterer(t *testing.T) {
	linttest.Run(t, "../fixtures/source-field-go-registerer", fieldRules()...)
}

// A histogram known only by a glob: its bare name is excused, its _sum/_count/_bucket series
// are reported as unknown (Thanos' receive dashboards).
func TestSourceFieldGoHistogramGlob(t *testing.T) {
	linttest.Run(t, "../fixtures/source-field-go-histglob", fieldRules()...)
}

// external-dns: the project's helper sets opts.Namespace on its parameter before the
// constructor; the reader drops the assignment and reads every name without its namespace.
func TestSourceFieldGoNamespaceAssign(t *testing.T) {
	linttest.Run(t, "../fixtures/source-field-go-nsassign", fieldRules()...)
}

// Lighthouse: every metric comes from a helper in another crate of the workspace
// (try_create_int_counter("name", "help")), read at each call site in the other crates.
func TestSourceFieldRustWrappers(t *testing.T) {
	linttest.Run(t, "../fixtures/source-field-rust-wrappers", fieldRules()...)
}

// Prometheus' tsdb/wlog: the registerer's prefix is a variable holding one of two constants;
// each alternative defines its names (it was 143 unresolved warnings for 11 metrics).
func TestSourceFieldGoPrefixVariable(t *testing.T) {
	linttest.Run(t, "../fixtures/source-field-go-prefixvar", fieldRules()...)
}

// Thanos' DNS provider: the callers wrap its registerer with a prefix through the project's own
// extprom.WrapRegistererWithPrefix, which the reader follows as the call it returns.
func TestSourceFieldGoCallSite(t *testing.T) {
	linttest.Run(t, "../fixtures/source-field-go-callsite", fieldRules()...)
}

// TiKV: the namespace of tikv_thread_cpu_seconds_total is bound by a call in another crate of
// the workspace, through a module path (tikv_util::metrics::monitor_threads("tikv")).
func TestSourceFieldRustCrossCrateNamespace(t *testing.T) {
	linttest.Run(t, "../fixtures/source-field-rust-crossns", fieldRules()...)
}
