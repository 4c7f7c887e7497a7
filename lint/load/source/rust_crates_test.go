package source

import (
	"maps"
	"slices"
	"strings"
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

// TiKV's tikv_util::metrics::monitor_threads(namespace): the namespace reaches Opts::new(…)
// .namespace(ns) through two functions of the crate, and the only call is in another crate,
// by a path through a module that re-exports it (under a cfg, beside a dummy of the same
// name), or by a use of it in a file that names neither the client nor "metrics".
func TestLoadRustHelperNamespaceAcrossCrates(t *testing.T) {
	threads := `use prometheus::{GaugeVec, IntGaugeVec, Opts};

pub fn monitor_threads<S: Into<String>>(namespace: S) -> Result<()> {
    let tc = ThreadsCollector::new(1, namespace);
    prometheus::register(Box::new(tc))
}

struct Metrics {
    cpu: GaugeVec,
}

impl Metrics {
    fn new<S: Into<String>>(namespace: S) -> Metrics {
        let ns = namespace.into();
        let cpu = GaugeVec::new(
            Opts::new("thread_cpu_seconds_total", "CPU.").namespace(ns.clone()),
            &["name", "tid"],
        )
        .unwrap();
        Metrics { cpu }
    }
}

impl ThreadsCollector {
    fn new<S: Into<String>>(pid: u32, namespace: S) -> ThreadsCollector {
        let metrics = Metrics::new(namespace);
        ThreadsCollector { pid, metrics }
    }
}

#[cfg(test)]
mod tests {
    fn test_smoke() {
        monitor_threads("smoke").unwrap();
    }
}
`
	alloc := `use prometheus::{IntGauge, Opts};

pub fn monitor_allocator_stats<S: Into<String>>(namespace: S) -> Result<()> {
    let ns = namespace.into();
    IntGauge::with_opts(Opts::new("allocator_arena_count", "Arenas.").namespace(ns))
}
`
	util := map[string]string{
		"components/tikv_util/src/lib.rs": "pub mod metrics;\npub use self::metrics::monitor_allocator_stats;\n",
		"components/tikv_util/src/metrics/mod.rs": `#[cfg(target_os = "linux")]
mod threads_linux;
#[cfg(target_os = "linux")]
pub use self::threads_linux::monitor_threads;
#[cfg(not(target_os = "linux"))]
mod threads_dummy;
#[cfg(not(target_os = "linux"))]
pub use self::threads_dummy::monitor_threads;
mod allocator_metrics;
pub use self::allocator_metrics::monitor_allocator_stats;
`,
		"components/tikv_util/src/metrics/threads_linux.rs":     threads,
		"components/tikv_util/src/metrics/threads_dummy.rs":     "pub fn monitor_threads<S: Into<String>>(_: S) -> Result<()> { Ok(()) }\n",
		"components/tikv_util/src/metrics/allocator_metrics.rs": alloc,
	}
	with := func(extra map[string]string) map[string]string {
		m := maps.Clone(util)
		maps.Copy(m, extra)
		return m
	}
	runLoadCases(t, []loadCase{
		{
			name: "binds the namespace at a call through a module path of the other crate",
			files: with(map[string]string{
				"components/server/src/setup.rs": `pub fn initial_metric() {
    tikv_util::metrics::monitor_threads("tikv")
        .unwrap_or_else(|e| fatal!("failed to start monitor thread: {}", e));
    tikv_util::metrics::monitor_allocator_stats("tikv")
        .unwrap_or_else(|e| fatal!("failed to monitor allocator stats: {}", e));
}
`,
			}),
			want: []string{
				"components/server/src/setup.rs:2:41 tikv_thread_cpu_seconds_total gauge [name tid] absent GaugeVec::new",
				"components/server/src/setup.rs:4:49 tikv_allocator_arena_count gauge [] IntGauge::with_opts",
			},
		},
		{
			name: "binds it at a call of a used name in a file that names neither the client nor metrics",
			files: with(map[string]string{
				"cmd/src/main.rs": `use tikv_util::monitor_allocator_stats;
fn main() {
    monitor_allocator_stats("cmd");
}
`,
				"cmd/src/run.rs": `use tikv_util::metrics as m;
fn run() {
    m::monitor_threads("cmd");
}
`,
			}),
			want: []string{
				"cmd/src/main.rs:3:29 cmd_allocator_arena_count gauge [] IntGauge::with_opts",
				"cmd/src/run.rs:3:24 cmd_thread_cpu_seconds_total gauge [name tid] absent GaugeVec::new",
			},
		},
		{
			name: "leaves calls of another crate's function of the name, and of a type's function, alone",
			files: with(map[string]string{
				"components/server/src/setup.rs": `pub fn initial_metric() {
    other::metrics::monitor_threads("x");
    tikv_util::metrics::Monitor::monitor_threads("y");
}
`,
			}),
			want: []string{
				"components/tikv_util/src/metrics/allocator_metrics.rs:5:35 unresolved *allocator_arena_count gauge: the name comes from the parameter namespace",
				"components/tikv_util/src/metrics/threads_linux.rs:16:23 unresolved *thread_cpu_seconds_total gauge: the name comes from the parameter namespace",
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

// TiKV: tikv_util has a module resource_control of its own, and resource_control's tests use
// test_pd, which uses server, which calls tikv_util: only the crate's code outside its tests
// and comments names the crates it depends on, so tikv_util comes before server.
func TestRustCrateOrderIgnoresOwnModulesTestsAndComments(t *testing.T) {
	files := []*lint.SourceFile{
		lint.NewSourceFile("components/tikv_util/src/yatp_pool/mod.rs", []byte("use crate::{\n    resource_control::{TaskPriority},\n};\n// see raftstore::store::fsm\n")),
		lint.NewSourceFile("components/tikv_util/src/resource_control.rs", []byte("pub struct TaskPriority;\n")),
		lint.NewSourceFile("components/raftstore/src/lib.rs", []byte("fn f() {}\n")),
		lint.NewSourceFile("components/resource_control/src/lib.rs", []byte("use tikv_util::x;\n\n#[cfg(test)]\nmod tests {\n    use test_pd::Server;\n}\n")),
		lint.NewSourceFile("components/test_pd/src/lib.rs", []byte("use server::x;\n")),
		lint.NewSourceFile("components/server/src/lib.rs", []byte("#[cfg(test)]\nmod tests;\nfn f() { tikv_util::metrics::monitor_threads(\"tikv\"); }\n")),
	}
	keys := []string{"components/tikv_util", "components/raftstore", "components/resource_control", "components/test_pd", "components/server"}
	got := rustCrateOrder(keys, [][]int{{0, 1}, {2}, {3}, {4}, {5}}, files)
	if diff := cmp.Diff([]int{0, 1, 2, 4, 3}, got); diff != "" {
		t.Errorf("order (-want +got):\n%s", diff)
	}
}

// The crates kept for their helpers hold at most rust_crate_bytes: past it the helpers' calls
// in other crates are not read, and an input/skipped notice (not a parse problem) says so.
func TestLoadRustHelpersBound(t *testing.T) {
	files := []*lint.SourceFile{
		lint.NewSourceFile("app/src/lib.rs", []byte("fn f() { z_metrics::counter(\"app_total\"); }\n")),
		lint.NewSourceFile("z_metrics/src/lib.rs", []byte("use prometheus::IntCounter;\npub fn counter(name: &str) -> IntCounter { IntCounter::new(name, \"h\").unwrap() }\n"+
			strings.Repeat("// padding\n", 200))),
	}
	l := *lint.Limit()
	l.RustCrateBytes = 1 << 10
	old := lint.SetLimits(l)
	got := LoadSet(files)
	lint.SetLimits(old)
	if len(got.Problems) != 0 {
		t.Errorf("problems %v, want none", got.Problems)
	}
	if len(got.Skipped) != 1 || got.Skipped[0].At.File != "z_metrics/src/lib.rs" ||
		!strings.Contains(got.Skipped[0].Message, "the calls of counter in other crates are not read") ||
		!strings.Contains(got.Skipped[0].Message, "(rust_crate_bytes)") {
		t.Errorf("skipped %v, want one notice naming the helper and the limit", got.Skipped)
	}
	if whole := LoadSet(files); len(whole.Skipped) != 0 || len(whole.Expositions) != 1 || whole.Expositions[0].Families["app_total"] == nil {
		t.Errorf("within the default limit: skipped %v, expositions %v; want app_total read at its call", whole.Skipped, whole.Expositions)
	}
}

func TestRustPathHeads(t *testing.T) {
	tests := []struct {
		name, text string
		want       []string
	}{
		{"reads the heads of paths, not of paths inside paths", "use a::b::c;\nfn f() { x::y(); ::z::w(); }\n", []string{"a", "x"}},
		{"leaves out line comments", "// see raftstore::store\nuse a::b; // or c::d\n", []string{"a"}},
		{"leaves out an inline test module and what follows it", "use a::b;\n#[cfg(test)]\nmod tests {\n    use test_pd::x;\n}\n", []string{"a"}},
		{"keeps what follows a test module in its own file", "#[cfg(test)]\nmod tests;\nuse a::b;\n", []string{"a"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			heads := map[string]bool{}
			rustPathHeads(tt.text, heads)
			got := slices.Sorted(maps.Keys(heads))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("heads (-want +got):\n%s", diff)
			}
		})
	}
}
