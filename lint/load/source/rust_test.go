package source

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestLoadRust(t *testing.T) {
	runLoadCases(t, []loadCase{
		{
			name: "reads register macros in their name and options forms",
			files: map[string]string{"src/m.rs": `use prometheus::*;

const NS: &str = "shop";
const LABELS: &[&str] = &["route", "code"];

lazy_static! {
    static ref A: IntCounterVec = register_int_counter_vec!("shop_orders_total", "Orders.", &["status"]).unwrap();
    static ref B: HistogramVec = register_histogram_vec!(
        HistogramOpts::new("latency_seconds", "Latency.").namespace(NS).subsystem("http"),
        LABELS
    ).unwrap();
    static ref C: IntGauge = register_int_gauge!(opts!("shop_items", "Items.", labels! {"region" => "eu",})).unwrap();
    static ref D: Histogram = register_histogram!("shop_size_bytes", "Size.", vec![1.0, 2.0]).unwrap();
    static ref E: GaugeVec = register_gauge_vec_with_registry!("shop_temp", "Temp.", &["room"], REGISTRY).unwrap();
    static ref F: Counter = register_counter!(Opts::new("f_total", "F.").namespace(NS).const_label("svc", "a")).unwrap();
}
`},
			want: []string{
				"src/m.rs:7:61 shop_orders_total counter [status] absent register_int_counter_vec!",
				"src/m.rs:9:28 shop_http_latency_seconds histogram [code route] absent register_histogram_vec!",
				"src/m.rs:12:56 shop_items gauge [region] register_int_gauge!",
				"src/m.rs:13:51 shop_size_bytes histogram [] register_histogram!",
				"src/m.rs:14:64 shop_temp gauge [room] absent register_gauge_vec_with_registry!",
				"src/m.rs:15:57 shop_f_total counter [svc] register_counter!",
			},
		},
		{
			name: "reads constructors with options held in let bindings",
			files: map[string]string{"src/m.rs": `use prometheus::{IntCounterVec, IntGauge, Histogram, HistogramOpts, Opts};

pub fn new(prefix: &str) {
    let opts = Opts::new("errors_total", "Errors.").namespace("shop").variable_label("ignored_by_vec");
    let errors = IntCounterVec::new(opts, &["kind"]).unwrap();
    let g = IntGauge::new(concat!("shop_", "up"), "Up.").unwrap();
    let h = Histogram::with_opts(HistogramOpts::new("shop_wait_seconds", "Wait.")).unwrap();
    let mut dyn_opts = Opts::new("shop_dyn", "Dyn.");
    dyn_opts = dyn_opts.namespace(prefix);
    let d = IntGauge::with_opts(dyn_opts).unwrap();
}
`},
			want: []string{
				"src/m.rs:4:26 shop_errors_total counter [kind] absent IntCounterVec::new",
				"src/m.rs:6:27 shop_up gauge [] IntGauge::new",
				"src/m.rs:7:53 shop_wait_seconds histogram [] Histogram::with_opts",
				"src/m.rs:10:33 unresolved * gauge: the options are not a literal the code shows",
			},
		},
		{
			name: "works out constant format! and reports run-time names",
			files: map[string]string{"src/m.rs": `use prometheus::IntCounter;

const PREFIX: &str = "shop";

pub fn register(queue: &str) {
    let a = IntCounter::new(format!("{PREFIX}_a_total"), "A.").unwrap();
    let b = IntCounter::new(format!("{}_{}_total", PREFIX, "b"), "B.").unwrap();
    for stage in ["x", "y"] {
        let c = IntCounter::new(format!("{PREFIX}_{stage}_total"), "C.").unwrap();
    }
    let d = IntCounter::new(format!("shop_{}_{:?}", queue, 1), "D.").unwrap();
    let e = IntCounter::new(String::from("shop_") + queue, "E.").unwrap();
}
`},
			want: []string{
				"src/m.rs:6:29 shop_a_total counter [] IntCounter::new",
				"src/m.rs:7:29 shop_b_total counter [] IntCounter::new",
				"src/m.rs:9:33 unresolved shop_*_total counter: the name comes from the loop variable stage",
				"src/m.rs:11:29 unresolved shop_*_* counter: the name comes from the parameter queue",
				"src/m.rs:12:29 unresolved shop_* counter: the name comes from the parameter queue",
			},
		},
		{
			name: "types custom collector descriptors from the MetricFamily the code builds",
			files: map[string]string{"src/c.rs": `use prometheus::core::{Collector, Desc};
use prometheus::proto::{MetricFamily, MetricType};
use std::collections::HashMap;

fn descs() -> Vec<Desc> {
    vec![
        Desc::new("shop_up".to_string(), "Up.".to_string(), vec![], HashMap::new()).unwrap(),
        Desc::new("shop_errors_total".into(), "Errors.".into(), vec!["kind".to_owned()], labels).unwrap(),
    ]
}

fn collect() -> Vec<MetricFamily> {
    let mut m = MetricFamily::default();
    m.set_name("shop_up".to_string());
    m.set_field_type(MetricType::GAUGE);
    let mut other = Thing::default();
    other.set_name("not_a_metric");
    vec![m]
}
`},
			want: []string{
				"src/c.rs:7:19 shop_up gauge [] absent Desc::new",
				"src/c.rs:8:19 shop_errors_total untyped [kind] ?labels absent Desc::new",
			},
		},
		{
			name: "reads the metrics crate macros with their labels and help",
			files: map[string]string{"src/m.rs": `use metrics::{counter, describe_counter, gauge, histogram};

pub fn record(route: &str, labels: &[metrics::Label]) {
    describe_counter!("http.requests", "Requests served.");
    counter!("http.requests", "route" => route.to_string(), "code" => "200").increment(1);
    counter!("http.requests", "method" => "GET").increment(1);
    metrics::gauge!("queue_depth").set(3.0);
    histogram!("http_latency_seconds", labels).record(0.2);
    increment_counter!("legacy_total", "kind" => "a");
}
`},
			want: []string{
				"src/m.rs:5:14 http_requests counter [code method route] absent metrics::counter!",
				"src/m.rs:7:21 queue_depth gauge [] absent metrics::gauge!",
				"src/m.rs:8:16 http_latency_seconds histogram [] ?labels absent metrics::histogram!",
				"src/m.rs:9:24 legacy_total counter [kind] absent metrics::increment_counter!",
			},
		},
		{
			name: "reads hand-written text in plain, raw and format strings",
			files: map[string]string{"src/h.rs": `use prometheus::TextEncoder;
use std::fmt::Write;

fn metrics(out: &mut String, ok: u64, name: &str) {
    out.push_str("# HELP shop_msgs_total Messages.\n# TYPE shop_msgs_total counter\n");
    writeln!(out, "shop_msgs_total{{status=\"ok\"}} {}", ok).unwrap();
    out.push_str(r#"# TYPE shop_raw gauge
shop_raw{a="1",b="{x}"} 2
"#);
    write!(out, "# TYPE {} gauge\n", name).unwrap();
}
`},
			want: []string{
				"src/h.rs:5:26 shop_msgs_total counter [status] # TYPE line",
				"src/h.rs:7:28 shop_raw gauge [a b] # TYPE line",
				"src/h.rs:10:25 unresolved * gauge: the name in a # TYPE line is filled in at run time",
			},
		},
		{
			name: "does not read comments, test modules, or metric names in char and lifetime contexts",
			files: map[string]string{"src/m.rs": `use prometheus::IntGauge;

// let a = IntGauge::new("commented_out", "x");
/* let b = IntGauge::new("block", "x"); /* nested */ IntGauge::new("still_comment", "x"); */
fn f<'a>(s: &'a str) -> char {
    let q = '"';
    let g = IntGauge::new("shop_real", "Real.").unwrap();
    if s.is_empty() { let h = IntGauge::new("shop_maybe", "Maybe.").unwrap(); }
    '\''
}

impl Collector for X {
    fn collect(&self) { let i = IntGauge::new("shop_in_impl", "In impl.").unwrap(); }
}

#[cfg(test)]
mod tests {
    fn t() { let x = IntGauge::new("test_only", "x"); }
}
`},
			want: []string{
				"src/m.rs:7:27 shop_real gauge [] IntGauge::new",
				"src/m.rs:8:45 shop_maybe gauge [] absent IntGauge::new",
				"src/m.rs:13:47 shop_in_impl gauge [] IntGauge::new",
			},
		},
		{
			name:     "reports an unterminated string and keeps what came before",
			files:    map[string]string{"src/m.rs": "use prometheus::IntGauge;\nfn f() { IntGauge::new(\"shop_ok\", \"Ok.\"); let s = \"open\n"},
			want:     []string{"src/m.rs:2:24 shop_ok gauge [] IntGauge::new"},
			problems: []string{"src/m.rs:2:51: rust: unterminated string literal"},
		},
		{
			name:  "reads nothing from a file that uses neither crate",
			files: map[string]string{"src/m.rs": "fn counter() { let c = Counter::new(\"x\", \"y\"); counter!(\"z\"); }\n"},
		},
	})
}

func TestTokenizeRust(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string
	}{
		{"splits paths, macros and arrows", `a::b!(x => "y")`, []string{"a", "::", "b", "!", "(", "x", "=>", `"y"`, ")"}},
		{"reads raw strings with hashes", `r#"a "quoted" b"# r"c" br##"d"#e"##`, []string{`r#"a "quoted" b"#`, `r"c"`, `br##"d"#e"##`}},
		{"tells chars from lifetimes", `'a' 'b: loop {} '\n' b'x' &'static`, []string{`'a'`, `'b`, ":", "loop", "{", "}", `'\n'`, `b'x'`, "&", `'static`}},
		{"reads raw identifiers", `r#type`, []string{"type"}},
		{"skips nested block comments and line comments", "a /* b /* c */ d */ e // f\ng", []string{"a", "e", "g"}},
		{"keeps ranges apart from numbers", `0..10 1.5 0x1F_u8`, []string{"0", ".", ".", "10", "1.5", "0x1F_u8"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			toks, err := tokenizeRust([]byte(tt.src))
			if err != nil {
				t.Fatalf("error at %d: %s", err.off, err.msg)
			}
			var got []string
			for _, tk := range toks {
				got = append(got, tk.text)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("tokens (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRustStringDecoding(t *testing.T) {
	tests := []struct {
		name, src, want string
		offs            []int
	}{
		{"decodes escapes and keeps each byte's offset", `"a\n\"b"`, "a\n\"b", []int{1, 2, 4, 6, 7}},
		{"joins a continued line without its indentation", "\"a\\\n    b\"", "ab", []int{1, 8, 9}},
		{"decodes unicode escapes", `"\u{e9}"`, "é", []int{1, 1, 7}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			toks, err := tokenizeRust([]byte(tt.src))
			if err != nil || len(toks) != 1 {
				t.Fatalf("got %d tokens, error %v", len(toks), err)
			}
			if diff := cmp.Diff(tt.want, toks[0].str.s); diff != "" {
				t.Errorf("value (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.offs, toks[0].str.offs); diff != "" {
				t.Errorf("offsets (-want +got):\n%s", diff)
			}
		})
	}
}
