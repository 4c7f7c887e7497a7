package source

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/driftlint/driftlint/lint"
)

func TestLoadRustHelpersAcrossCrates(t *testing.T) {
	helpers := `pub use prometheus::{Histogram, HistogramOpts, IntCounter, IntCounterVec, Opts, Result};

pub fn try_create_int_counter(name: &str, help: &str) -> Result<IntCounter> {
    let opts = Opts::new(name, help);
    IntCounter::with_opts(opts)
}

pub fn try_create_int_counter_vec(name: &str, help: &str, labels: &[&str]) -> Result<IntCounterVec> {
    IntCounterVec::new(Opts::new(name, help), labels)
}

pub fn try_create_histogram_with_buckets(name: &str, help: &str, b: Vec<f64>) -> Result<Histogram> {
    Histogram::with_opts(HistogramOpts::new(name, help).buckets(b))
}

pub fn try_create_histogram(name: &str, help: &str) -> Result<Histogram> {
    try_create_histogram_with_buckets(name, help, vec![])
}

pub fn never_called(name: &str) -> Result<IntCounter> {
    IntCounter::new(name, "x")
}
`
	runLoadCases(t, []loadCase{
		{
			name: "evaluates another crate's helpers at each call site, through uses, globs and paths",
			files: map[string]string{
				// "a" sorts before "z": the crate that uses the helpers is listed first
				"a/src/lib.rs": `use z_metrics::*;
use z_metrics as m;
pub const NAME: &str = "app_const_total";

fn f(dynamic: &str) {
    try_create_int_counter("app_requests_total", "Requests.");
    z_metrics::try_create_int_counter_vec("app_errors_total", "Errors.", &["kind"]);
    m::try_create_histogram("app_latency_seconds", "Latency.");
    try_create_histogram_with_buckets("app_size_bytes", "Size.", vec![1.0]);
    try_create_int_counter(NAME, "Const.");
    try_create_int_counter(dynamic, "Dynamic.");
}
`,
				"a/src/sub.rs": `use crate::metrics;
fn g() {
    metrics::try_create_int_counter("app_sub_total", "Sub.");
}
`,
				"a/src/metrics.rs":     "pub use z_metrics::*;\n",
				"z-metrics/src/lib.rs": helpers,
			},
			want: []string{
				"a/src/lib.rs:6:28 app_requests_total counter [] IntCounter::with_opts",
				"a/src/lib.rs:7:43 app_errors_total counter [kind] absent IntCounterVec::new",
				"a/src/lib.rs:8:29 app_latency_seconds histogram [] Histogram::with_opts",
				"a/src/lib.rs:9:39 app_size_bytes histogram [] Histogram::with_opts",
				"a/src/lib.rs:10:28 app_const_total counter [] IntCounter::with_opts",
				"a/src/lib.rs:11:5 unresolved * counter: the name comes from the parameter dynamic",
				"a/src/sub.rs:3:37 app_sub_total counter [] IntCounter::with_opts",
				"z-metrics/src/lib.rs:21:21 unresolved * counter: the name comes from the parameter name",
			},
		},
		{
			name: "leaves a call alone when the crate has its own function of the name or does not use the helpers' crate",
			files: map[string]string{
				"a/src/lib.rs": `use prometheus::IntCounter;
fn try_create_int_counter(name: &str, help: &str) -> IntCounter { IntCounter::new(name, help).unwrap() }
fn f() { try_create_int_counter("own_total", "Own."); }
`,
				"b/src/lib.rs":         "fn f() { try_create_int_counter(\"unrelated_total\", \"x\"); }\n",
				"z_metrics/src/lib.rs": helpers,
			},
			want: []string{
				"a/src/lib.rs:2:83 own_total counter [] IntCounter::new",
				"z_metrics/src/lib.rs:4:26 unresolved * counter: the name comes from the parameter name",
				"z_metrics/src/lib.rs:9:34 unresolved * counter: the name comes from the parameter name",
				"z_metrics/src/lib.rs:13:45 unresolved * histogram: the name comes from the parameter name",
				"z_metrics/src/lib.rs:21:21 unresolved * counter: the name comes from the parameter name",
			},
		},
	})
}

func TestRustCrateOrder(t *testing.T) {
	files := []*lint.SourceFile{
		lint.NewSourceFile("app/src/lib.rs", []byte("use core_metrics::x; fn f() { util::g(); }")),
		lint.NewSourceFile("util/src/lib.rs", []byte("fn g() { core_metrics::h(); }")),
		lint.NewSourceFile("core-metrics/src/lib.rs", []byte("fn h() { app::f(); }")), // a cycle back
	}
	keys := []string{"app", "util", "core-metrics"}
	got := rustCrateOrder(keys, [][]int{{0}, {1}, {2}}, files)
	if diff := cmp.Diff([]int{2, 1, 0}, got); diff != "" {
		t.Errorf("order (-want +got):\n%s", diff)
	}
}
