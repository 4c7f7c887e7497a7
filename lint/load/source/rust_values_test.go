package source

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/driftlint/driftlint/lint"
)

// loadGrowing loads files and returns the families marked as only growing, sorted.
func loadGrowing(files map[string]string) []string {
	var fs []*lint.SourceFile
	for p, src := range files {
		fs = append(fs, lint.NewSourceFile(p, []byte(src)))
	}
	slices.SortFunc(fs, func(a, b *lint.SourceFile) int { return strings.Compare(a.Path, b.Path) })
	expos, _ := LoadFiles(fs)
	var got []string
	for _, e := range expos {
		for name, d := range e.Code.Defs {
			if d.OnlyGrows {
				got = append(got, name)
			}
		}
	}
	slices.Sort(got)
	return got
}

func TestRustLabelValues(t *testing.T) {
	tests := []struct {
		name    string
		files   map[string]string
		want    []string
		growing []string
	}{
		{
			name: "reads with_label_values of constants on a private static as a complete set",
			files: map[string]string{"svc/src/main.rs": `use prometheus::*;
const OK: &str = "200";
lazy_static! {
    static ref REQS: IntCounterVec = register_int_counter_vec!("svc_reqs_total", "R.", &["route", "code"]).unwrap();
}
fn f(code: &str) {
    REQS.with_label_values(&["/a", OK]).inc();
    REQS.with_label_values(&["/b", code]).inc();
    let c = REQS.with_label_values(&["/c", "500"]);
}
`},
			want: []string{"svc_reqs_total code=200,500", "svc_reqs_total route=/a,/b,/c complete"},
		},
		{
			name: "reads a holder named in a use declaration as used where it is used, not as escaping",
			files: map[string]string{
				"svc/src/main.rs": "mod metrics;\nmod routes;\nfn main() {}\n",
				"svc/src/metrics.rs": `use prometheus::*;
lazy_static! {
    pub static ref DEGRADED: IntGauge = register_int_gauge!("svc_degraded", "D.").unwrap();
    pub static ref SEARCHES: IntGauge = register_int_gauge!("svc_searches", "S.").unwrap();
    pub static ref RENAMED: IntGauge = register_int_gauge!("svc_renamed", "R.").unwrap();
    pub static ref DEPTH: IntGauge = register_int_gauge!("svc_depth", "Q.").unwrap();
}
`,
				"svc/src/routes.rs": `use crate::metrics::{
    DEGRADED, DEPTH,
    RENAMED as R,
};
use crate::metrics::SEARCHES;
pub fn f() {
    DEGRADED.inc();
    SEARCHES.inc();
    RENAMED.inc();
    R.dec();
    DEPTH.inc();
    DEPTH.set(0);
}
`,
			},
			growing: []string{"svc_degraded", "svc_searches"},
		},
		{
			name: "gives no complete set when the holder is passed on, is pub in a library, or a use is not a literal list",
			files: map[string]string{
				"a/src/main.rs": `use prometheus::*;
lazy_static! {
    static ref PASSED: IntCounterVec = register_int_counter_vec!("a_passed_total", "P.", &["k"]).unwrap();
    static ref LISTED: IntCounterVec = register_int_counter_vec!("a_listed_total", "L.", &["k"]).unwrap();
}
fn f(ls: &[&str]) {
    PASSED.with_label_values(&["x"]).inc();
    g(&PASSED);
    LISTED.with_label_values(&["y"]).inc();
    LISTED.with_label_values(ls).inc();
}
`,
				"b/src/lib.rs": `use prometheus::*;
lazy_static! {
    pub static ref PUBLIC: IntCounterVec = register_int_counter_vec!("b_public_total", "P.", &["k"]).unwrap();
    pub(crate) static ref INNER: IntCounterVec = register_int_counter_vec!("b_inner_total", "I.", &["k"]).unwrap();
}
fn f() {
    PUBLIC.with_label_values(&["x"]).inc();
    INNER.with_label_values(&["x"]).inc();
}
`,
			},
			want: []string{"a_listed_total k=y", "a_passed_total k=x", "b_inner_total k=x complete", "b_public_total k=x"},
		},
		{
			name: "marks a gauge only incremented as growing, not one decremented, set or passed on",
			files: map[string]string{"svc/src/main.rs": `use prometheus::*;
lazy_static! {
    static ref HITS: IntGauge = register_int_gauge!("svc_hits", "H.").unwrap();
    static ref DEPTH: IntGauge = register_int_gauge!("svc_depth", "D.").unwrap();
    static ref LAST: IntGauge = register_int_gauge!("svc_last", "L.").unwrap();
    static ref SHARED: IntGauge = register_int_gauge!("svc_shared", "S.").unwrap();
    static ref BY_KIND: IntGaugeVec = register_int_gauge_vec!("svc_by_kind", "K.", &["kind"]).unwrap();
}
fn f() {
    HITS.inc();
    HITS.inc_by(3);
    DEPTH.inc();
    DEPTH.dec();
    LAST.set(1);
    SHARED.inc();
    keep(&SHARED);
    BY_KIND.with_label_values(&["a"]).inc();
}
`},
			want:    []string{"svc_by_kind kind=a complete"},
			growing: []string{"svc_by_kind", "svc_hits"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, loadValues(tt.files)); diff != "" {
				t.Errorf("values (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.growing, loadGrowing(tt.files)); diff != "" {
				t.Errorf("growing (-want +got):\n%s", diff)
			}
		})
	}
}
