package source

import (
	"strings"
	"testing"

	"github.com/driftlint/driftlint/lint"
)

func TestDirectives(t *testing.T) {
	src := `package m

import (
	"os"

	"github.com/prometheus/client_golang/prometheus"
)

// driftlint:metric app_jobs_total counter job,queue
// driftlint:metric app_jobs_failed_total counter
var jobs = prometheus.NewCounterVec(prometheus.CounterOpts{
	Name: os.Getenv("JOBS"),
}, []string{"job", "queue"})

var s = "driftlint:metric not_a_directive" // inside a string: not read

// driftlint:metric app_*_bad
var other = prometheus.NewGauge(prometheus.GaugeOpts{Name: os.Getenv("OTHER")})

// driftlint:metric app_lonely_total counter
var lit = prometheus.NewCounter(prometheus.CounterOpts{Name: "app_literal_total"})
`
	f := lint.NewSourceFile("m.go", []byte(src))
	rs := loadGo([]*lint.SourceFile{f})
	e := rs[0].Exposition
	if e == nil {
		t.Fatal("no exposition")
	}
	jobs := e.Families["app_jobs_total"]
	if jobs == nil || jobs.Type != "counter" || strings.Join(jobs.Labels, ",") != "job,queue" {
		t.Errorf("app_jobs_total: %+v", jobs)
	}
	if failed := e.Families["app_jobs_failed_total"]; failed == nil || failed.Type != "counter" {
		t.Errorf("app_jobs_failed_total: %+v", failed)
	}
	if e.Families["not_a_directive"] != nil {
		t.Error("a marker inside a string was read as a directive")
	}
	if len(e.Code.Unresolved) != 1 || e.Code.Unresolved[0].At.Line != 18 {
		t.Errorf("unresolved %+v, want the OTHER gauge only (its directive is a glob)", e.Code.Unresolved)
	}
	var bad bool
	for _, p := range rs[0].Problems {
		bad = bad || (p.At.Line == 17 && strings.Contains(p.Message, `names "app_*_bad", which is not a metric name (no globs)`))
	}
	if !bad {
		t.Errorf("problems %+v, want the glob directive at line 17", rs[0].Problems)
	}
	if len(e.Code.UnusedDirectives) != 1 || e.Code.UnusedDirectives[0].Line != 20 {
		t.Errorf("unused directives %+v, want the one above the literal name at line 20", e.Code.UnusedDirectives)
	}
}
