package source

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/driftlint/driftlint/lint"
)

func TestLoadRustCrate(t *testing.T) {
	runLoadCases(t, []loadCase{
		{
			name: "takes the name of register_static macros from their second argument",
			files: map[string]string{"src/static_metrics.rs": `use prometheus::{register_int_counter_vec, IntCounterVec};
use prometheus_static_metric::{make_static_metric, register_static_int_counter_vec};

make_static_metric! {
    pub label_enum Methods { get, post: "POST" }
    pub struct AppEvents: IntCounter { "name" => { login, logout } }
    pub struct HttpRequests: IntCounter { "method" => Methods, "code" => { ok: "200", err: "500" } }
}

lazy_static! {
    pub static ref EVENTS: AppEvents = register_static_int_counter_vec!(AppEvents, "app_events", "Events.", &["name"]).unwrap();
    pub static ref DURATION: HttpDuration = register_static_histogram_vec!(HttpDuration, "app_duration_seconds", "Duration.", LABELS, vec![0.1]).unwrap();
    pub static ref REQS_VEC: IntCounterVec = register_int_counter_vec!("app_requests_total", "Requests.", &labels()).unwrap();
    pub static ref REQS: HttpRequests = HttpRequests::from(&REQS_VEC);
    pub static ref OTHER: IntCounterVec = register_int_counter_vec!("app_other_total", "Other.", &["k"]).unwrap();
}
`},
			want: []string{
				"src/static_metrics.rs:11:84 app_events counter [name] register_static_int_counter_vec!",
				"src/static_metrics.rs:12:90 app_duration_seconds histogram [] ?labels register_static_histogram_vec!",
				"src/static_metrics.rs:13:72 app_requests_total counter [code method] register_int_counter_vec!",
				"src/static_metrics.rs:15:69 app_other_total counter [k] absent register_int_counter_vec!",
			},
		},
		{
			name: "resolves consts of other modules through use declarations, paths, globs and re-exports",
			files: map[string]string{
				"svc/src/lib.rs": "pub mod consts;\npub mod metrics;\nmod other;\n",
				"svc/src/consts.rs": `pub const NS: &str = "app";
pub const SUB: &str = concat!("ht", "tp");
pub static LABELS: &[&str] = &["route", "code"];
pub mod inner {
    pub const NAME: &str = "inner_total";
}
`,
				"svc/src/metrics/mod.rs": `use prometheus::{IntCounter, IntCounterVec, IntGauge, Opts};
use crate::consts::{self, NS};
use super::consts::LABELS as L;
use crate::consts::inner::*;
pub use self::names::REQUESTS;
mod names;

pub fn register() {
    let a = IntCounterVec::new(Opts::new("requests_total", "R.").namespace(NS).subsystem(consts::SUB), L).unwrap();
    let b = IntCounter::new(NAME, "Inner.").unwrap();
    let c = IntGauge::new(crate::consts::NS.to_string() + "_up", "Up.").unwrap();
    let d = IntGauge::new(MISSING, "Missing.").unwrap();
    let e = IntGauge::new(other_crate::NAME, "Elsewhere.").unwrap();
}
`,
				"svc/src/metrics/names.rs": "pub const REQUESTS: &str = \"reqs\";\n",
				"svc/src/other.rs": `use prometheus::IntGauge;
use crate::metrics::REQUESTS;

fn f() {
    let g = IntGauge::new(format!("{}_{REQUESTS}", crate::consts::NS), "Reexported.").unwrap();
}
`,
			},
			want: []string{
				"svc/src/metrics/mod.rs:9:42 app_http_requests_total counter [code route] absent IntCounterVec::new",
				"svc/src/metrics/mod.rs:10:29 inner_total counter [] IntCounter::new",
				"svc/src/metrics/mod.rs:11:27 app_up gauge [] IntGauge::new",
				"svc/src/metrics/mod.rs:12:27 unresolved * gauge: the name comes from MISSING, which is not a constant of the crate",
				"svc/src/metrics/mod.rs:13:27 unresolved * gauge: the name comes from other_crate::NAME, which is not a constant of the crate",
				"svc/src/other.rs:5:27 app_reqs gauge [] IntGauge::new",
			},
		},
		{
			name: "reads a definition once for each call site that passes constants",
			files: map[string]string{"src/lib.rs": `use prometheus::{IntCounter, IntGauge, Opts};

pub const NS: &str = "app";

pub fn counter(ns: &str, name: &str) -> IntCounter {
    IntCounter::with_opts(Opts::new(name, "Help.").namespace(ns)).unwrap()
}

fn wrapper(ns: &str) {
    counter(ns, "wrapped_total");
}

pub fn setup(dynamic: &str) {
    counter(NS, "a_total");
    crate::counter("other", "b_total");
    wrapper("deep");
    counter(dynamic, "c_total");
    let m = Metrics::new("svc");
    m.record("queue");
}

pub struct Metrics;

impl Metrics {
    pub fn new(prefix: &str) -> Self {
        IntGauge::new(format!("{prefix}_up"), "Up.").unwrap();
        Metrics
    }
    fn record(&self, what: &str) {
        IntGauge::new(format!("{what}_depth"), "Depth.").unwrap();
    }
}

pub fn unused(ns: &str) {
    IntGauge::new(format!("{ns}_never"), "Never called.").unwrap();
}
`},
			want: []string{
				"src/lib.rs:6:37 app_a_total counter [] IntCounter::with_opts",
				"src/lib.rs:6:37 other_b_total counter [] IntCounter::with_opts",
				"src/lib.rs:6:37 deep_wrapped_total counter [] IntCounter::with_opts",
				"src/lib.rs:26:23 svc_up gauge [] IntGauge::new",
				"src/lib.rs:30:23 queue_depth gauge [] IntGauge::new",
				"src/lib.rs:6:37 unresolved *c_total counter: the name comes from the parameter dynamic",
				"src/lib.rs:35:19 unresolved *_never gauge: the name comes from the parameter ns",
			},
		},
		{
			name: "reads opts!, histogram_opts!, labels!, concat! and format! over constants of another module",
			files: map[string]string{
				"src/lib.rs":    "pub mod consts;\npub mod m;\n",
				"src/consts.rs": "pub const NS: &str = \"api\";\npub const REGION: &str = \"region\";\n",
				"src/m.rs": `use prometheus::{histogram_opts, opts, register_histogram, register_int_gauge, labels};
use crate::consts;

fn init() {
    register_int_gauge!(opts!(format!("{}_workers", consts::NS), "Workers.", labels! {consts::REGION => "eu", "zone" => "a"})).unwrap();
    register_histogram!(histogram_opts!(concat!("api", "_wait_seconds"), "Wait.", vec![0.1], prometheus::labels! {"pool" => "db"})).unwrap();
    register_int_gauge!(opts!(format!("{}_{:>4}", consts::NS, 1), "Formatted.")).unwrap();
}
`,
			},
			want: []string{
				"src/m.rs:5:31 api_workers gauge [region zone] register_int_gauge!",
				"src/m.rs:6:41 api_wait_seconds histogram [pool] register_histogram!",
				"src/m.rs:7:31 unresolved api_* gauge: the name is built by format! from values computed at run time",
			},
		},
		{
			name: "keeps crates apart: a call in one crate does not bind another crate's function",
			files: map[string]string{
				"a/src/lib.rs": "use prometheus::IntGauge;\npub fn reg(ns: &str) { IntGauge::new(format!(\"{ns}_up\"), \"x\").unwrap(); }\nfn init() { crate::reg(\"alpha\"); }\n",
				"b/src/lib.rs": "use prometheus::IntGauge;\npub fn reg(ns: &str) { IntGauge::new(format!(\"{ns}_up\"), \"x\").unwrap(); }\nfn init() { crate::reg(\"beta\"); }\n",
			},
			want: []string{
				"a/src/lib.rs:2:38 alpha_up gauge [] IntGauge::new",
				"b/src/lib.rs:2:38 beta_up gauge [] IntGauge::new",
			},
		},
		{
			name: "follows a parameter up three calls and says where it stops",
			files: map[string]string{"src/lib.rs": `use prometheus::IntGauge;

fn f1(p: &str) { IntGauge::new(p, "x").unwrap(); }
fn f2(p: &str) { f1(p); }
fn f3(p: &str) { f2(p); }
fn f4(p: &str) { f3(p); }
fn a() { f3("three_deep"); }
fn b() { f4("four_deep"); }
`},
			want: []string{
				"src/lib.rs:3:32 three_deep gauge [] IntGauge::new",
				"src/lib.rs:3:32 unresolved * gauge: the name comes from the parameter p, passed through more than 3 calls",
			},
		},
	})
}

func TestLoadRustCallSiteBound(t *testing.T) {
	var b strings.Builder
	b.WriteString("use prometheus::IntGauge;\n\nfn gauge(name: &str) { IntGauge::new(name, \"x\").unwrap(); }\n\nfn all() {\n")
	for k := range maxRustCallSites + 1 {
		fmt.Fprintf(&b, "    gauge(\"g%d\");\n", k)
	}
	b.WriteString("}\n")
	expos, _ := LoadFiles([]*lint.SourceFile{lint.NewSourceFile("src/lib.rs", []byte(b.String()))})
	if len(expos) != 1 {
		t.Fatalf("got %d expositions", len(expos))
	}
	e := expos[0]
	if len(e.Families) != maxRustCallSites {
		t.Errorf("got %d families, want one per call site read (%d)", len(e.Families), maxRustCallSites)
	}
	if e.Families["g0"] == nil || e.Families[fmt.Sprintf("g%d", maxRustCallSites)] != nil {
		t.Errorf("families %v: want the first call sites read", e.Order)
	}
	want := fmt.Sprintf("the name comes from the parameter name; the function is called in more than %d places, and only the first %d are read", maxRustCallSites, maxRustCallSites)
	if len(e.Code.Unresolved) != 1 || e.Code.Unresolved[0].Reason != want {
		t.Errorf("unresolved %+v, want one with reason %q", e.Code.Unresolved, want)
	}
}

func TestRustStaticMetric(t *testing.T) {
	s := newRustSet()
	src := []byte(`use prometheus_static_metric::make_static_metric;
make_static_metric! {
    pub label_enum Methods { get, post: "POST", }
    pub struct HttpRequests: prometheus::IntCounter {
        "method" => Methods,
        "code" => { ok: "200", err: "500", },
    }
    struct Sizes: LocalHistogram { "kind" => { small, large } }
}
`)
	toks, terr := tokenizeRust(src)
	s.add(lint.NewSourceFile("src/m.rs", src), rustToks{toks, terr})
	type got struct {
		Type   string
		Labels []string
		Values [][]string
	}
	read := func(name string) got {
		st := s.statics[name]
		if st == nil {
			return got{}
		}
		g := got{Type: st.typ, Labels: st.labels}
		for _, l := range st.labels {
			g.Values = append(g.Values, s.labelValues(st, l))
		}
		return g
	}
	tests := []struct {
		name, strct string
		want        got
	}{
		{"reads label names, enum values and renamed values", "HttpRequests", got{"counter", []string{"method", "code"}, [][]string{{"get", "POST"}, {"200", "500"}}}},
		{"reads a local histogram", "Sizes", got{"histogram", []string{"kind"}, [][]string{{"small", "large"}}}},
		{"knows nothing of a struct it did not see", "Missing", got{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, read(tt.strct)); diff != "" {
				t.Errorf("static metric (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRustModule(t *testing.T) {
	tests := []struct {
		path, crate, mod string
	}{
		{"src/lib.rs", "", "crate"},
		{"svc/src/main.rs", "svc", "crate"},
		{"svc/src/metrics/mod.rs", "svc", "crate::metrics"},
		{"svc/src/a/b.rs", "svc", "crate::a::b"},
		{"svc/src/bin/tool.rs", "svc/src/bin/tool", "crate"},
		{"loose/x.rs", "loose", "crate::x"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			crate, mod := rustModule(tt.path)
			if crate != tt.crate || strings.Join(mod, "::") != tt.mod {
				t.Errorf("rustModule(%q) = %q, %q; want %q, %q", tt.path, crate, strings.Join(mod, "::"), tt.crate, tt.mod)
			}
		})
	}
}

// FuzzLoadRustCrate checks that no file of a crate makes the set reader panic, with a
// second file that uses the first one's constants and functions.
func FuzzLoadRustCrate(f *testing.F) {
	seeds := []string{
		"pub const NS: &str = \"app\";\npub fn reg(ns: &str) { prometheus::IntGauge::new(format!(\"{ns}_up\"), \"x\"); }\n",
		"pub use self::a::*; mod a { pub const NS: &str = concat!(\"a\", super::NS); }",
		"make_static_metric! { pub label_enum E { a: \"x\" } pub struct S: IntCounter { \"l\" => E, \"m\" => { b } } }",
		"use crate::{self, super::*}; fn reg(ns: &str) { reg(ns) } impl<T> X<T> for Y where T: Z { const NS: &str = Self::NS; }",
		"mod", "use", "fn reg(", "make_static_metric! { struct", "impl", "static ref",
	}
	for _, s := range seeds {
		f.Add(s)
	}
	user := lint.NewSourceFile("svc/src/m.rs", []byte(`use prometheus::*;
use crate::{NS, reg};
use super::a::*;
pub fn go(x: &str) { reg(NS); crate::reg("lit"); reg(x); S::from(&V); }
lazy_static! { static ref V: IntCounterVec = register_int_counter_vec!(NS, "h", &["l"]).unwrap(); }
lazy_static! { static ref W: S = register_static_int_counter_vec!(S, NS, "h", L).unwrap(); }
`))
	f.Fuzz(func(t *testing.T, src string) {
		lib := lint.NewSourceFile("svc/src/lib.rs", []byte(src))
		for _, r := range loadRustFiles([]*lint.SourceFile{lib, user}) {
			for _, pr := range r.Problems {
				if strings.Contains(pr.Message, "could not read the metric definitions") {
					t.Errorf("the loader crashed: %s", pr.Message)
				}
			}
			if r.Exposition == nil {
				continue
			}
			sf := r.Exposition.File
			for _, u := range r.Exposition.Code.Unresolved {
				if u.At.Line < 1 || u.At.Line > sf.LineCount() || u.At.Col < 1 {
					t.Errorf("%s: position %s outside the file", sf.Path, u.At)
				}
			}
		}
	})
}

func TestLoadRustEvalBound(t *testing.T) {
	// Each constant doubles the work of the one before: 2^40 lookups without a budget.
	var b strings.Builder
	b.WriteString("use prometheus::IntGauge;\n")
	for k := range 40 {
		fmt.Fprintf(&b, "const C%d: &str = concat!(C%d, C%d);\n", k, k+1, k+1)
	}
	b.WriteString("const C40: &str = \"x\";\nfn f() { IntGauge::new(C0, \"x\").unwrap(); }\n")
	expos, _ := LoadFiles([]*lint.SourceFile{lint.NewSourceFile("src/lib.rs", []byte(b.String()))})
	if len(expos) != 1 || len(expos[0].Code.Unresolved) != 1 {
		t.Fatalf("got %v, want one exposition with one unresolved definition", expos)
	}
	if got := expos[0].Code.Unresolved[0].Reason; !strings.Contains(got, fmt.Sprintf("more than %d", maxRustEvalSteps)) && !strings.Contains(got, fmt.Sprintf("more than %d names deep", maxRustEvalDepth)) {
		t.Errorf("reason %q does not name the bound", got)
	}
}

func TestLoadRustPrometheusClient(t *testing.T) {
	runLoadCases(t, []loadCase{
		{
			name: "names prometheus-client families as its encoder does, with prefixes, units and label structs",
			files: map[string]string{
				"src/main.rs": `use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::{counter::Counter, family::Family, gauge::Gauge, histogram::Histogram, info::Info};
use prometheus_client::registry::{Registry, Unit};

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RequestLabels {
    pub method: String,
    #[allow(dead_code)]
    pub status: u16,
}

pub struct Metrics {
    inflight: Gauge,
}

const APP: &str = "gateway";

fn main() {
    let mut registry = <Registry>::with_prefix(APP);
    let requests = Family::<RequestLabels, Counter>::default();
    registry.register("requests", "Requests.", requests.clone());
    let latency: Family<RequestLabels, Histogram> = Family::new_with_constructor(|| Histogram::new([0.1, 1.0].into_iter()));
    registry.register_with_unit("latency", "Latency.", Unit::Seconds, latency.clone());
    let sub = registry.sub_registry_with_prefix("pool");
    sub.register("idle", "Idle connections.", Gauge::default());
    let m = Metrics { inflight: Gauge::default() };
    registry.register("inflight", "In flight.", m.inflight.clone());
    registry.register("build", "Build.", Info::new(vec![("version", "1")]));
    registry.register("mystery", "Unknown type.", make_metric());
    let mut plain = Registry::default();
    plain.register("plain_total_count", "Plain.", Counter::default());
    register_more(&mut registry);
}

fn register_more(registry: &mut Registry) {
    registry.register("more", "More.", Gauge::default());
}

pub fn library(registry: &mut Registry) {
    registry.register("lib", "Library.", Gauge::default());
}

struct State { registry: Registry }

fn stateful(state: State) {
    state.registry.register("stateful", "Stateful.", Gauge::default());
}
`,
				"src/other.rs": "use prometheus_client::metrics::counter::Counter;\nstruct Other { inflight: Counter }\n",
			},
			want: []string{
				"src/main.rs:21:23 gateway_requests_total counter [method status] absent Registry::register",
				"src/main.rs:23:33 gateway_latency_seconds histogram [method status] absent Registry::register_with_unit",
				"src/main.rs:25:18 gateway_pool_idle gauge [] Registry::register",
				"src/main.rs:27:23 gateway_inflight gauge [] Registry::register",
				"src/main.rs:28:23 gateway_build_info info [] ?labels Registry::register",
				"src/main.rs:31:20 plain_total_count_total counter [] Registry::register",
				"src/main.rs:36:23 gateway_more gauge [] Registry::register",
				"src/main.rs:29:23 unresolved gateway_mystery* untyped: the metric's type is not known, and with it the suffix the client adds (_total for a counter)",
				"src/main.rs:40:23 unresolved *lib gauge: the registry is the parameter registry",
				"src/main.rs:46:29 unresolved *stateful gauge: the registry is the field registry, whose prefix is not followed",
			},
		},
	})
}

// A crate past rust_crate_bytes is valid input read with less context: each file alone, with
// an input/skipped notice (a warning) that names the crate and the limit, never a parse
// problem (an error, which failed TiKV's gate on its 4.4 MiB main crate). Within the limit
// the same crate resolves.
func TestLoadRustSetSizeBound(t *testing.T) {
	big := "use prometheus::IntGauge;\nuse crate::consts::NS;\nfn f() { IntGauge::new(NS, \"x\").unwrap(); }\n" +
		strings.Repeat("// padding\n", 600)
	files := []*lint.SourceFile{
		lint.NewSourceFile("svc/src/lib.rs", []byte(big)),
		lint.NewSourceFile("svc/src/consts.rs", []byte("pub const NS: &str = \"svc_up\";\n")),
	}
	l := *lint.Limit()
	l.RustCrateBytes = 4 << 10
	old := lint.SetLimits(l)
	small := LoadSet(files)
	lint.SetLimits(old)
	if len(small.Problems) != 0 {
		t.Errorf("problems %v, want none: the input is valid", small.Problems)
	}
	if len(small.Skipped) != 1 || small.Skipped[0].At.File != "svc/src/lib.rs" ||
		!strings.Contains(small.Skipped[0].Message, "the files of the crate in svc are read one at a time") ||
		!strings.Contains(small.Skipped[0].Message, "more than the limit of 4 KiB (rust_crate_bytes)") ||
		!strings.Contains(small.Skipped[0].Message, "--limit rust_crate_bytes=VALUE") {
		t.Errorf("skipped %v, want one notice naming the crate, the limit and how to raise it", small.Skipped)
	}
	if len(small.Expositions) != 1 || len(small.Expositions[0].Code.Unresolved) != 1 {
		t.Fatalf("got %v, want the definition unresolved, its constant being in another file", small.Expositions)
	}
	whole := LoadSet(files)
	if len(whole.Problems)+len(whole.Skipped) != 0 || len(whole.Expositions) != 1 || whole.Expositions[0].Families["svc_up"] == nil {
		t.Errorf("within the default limit: problems %v, skipped %v, expositions %v; want svc_up read", whole.Problems, whole.Skipped, whole.Expositions)
	}
}
