package source

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/driftlint/driftlint/lint"
)

// synthGoTree builds a module of n service packages, each with a constants package, a
// metrics file using a package var, a helper constructor and a wrapped registerer, and a
// file that mentions no metric library (skipped by the prefilter).
func synthGoTree(n int) []*lint.SourceFile {
	files := []*lint.SourceFile{lint.NewSourceFile("go.mod", []byte("module example.com/synth\n\ngo 1.26\n"))}
	for i := range n {
		files = append(files,
			lint.NewSourceFile(fmt.Sprintf("svc%d/consts/c.go", i), fmt.Appendf(nil, "package consts\n\nconst App = \"svc%d\"\n", i)))
		var b strings.Builder
		fmt.Fprintf(&b, `package metrics

import (
	"fmt"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"

	"example.com/synth/svc%d/consts"
)

var namespace = consts.App

var base = []string{"tenant"}

func counter(reg prometheus.Registerer, name string) *prometheus.CounterVec {
	return promauto.With(reg).NewCounterVec(prometheus.CounterOpts{Namespace: namespace, Name: name}, append(base, "code"))
}

func Setup(reg prometheus.Registerer) {
	reg = prometheus.WrapRegistererWithPrefix("x_", reg)
`, i)
		for k := range 20 {
			fmt.Fprintf(&b, "\tcounter(reg, %q)\n", fmt.Sprintf("op%d_total", k))
			fmt.Fprintf(&b, "\tpromauto.NewGauge(prometheus.GaugeOpts{Namespace: namespace, Name: fmt.Sprintf(\"g%%s\", %q)})\n", strconv.Itoa(k))
		}
		b.WriteString("}\n")
		files = append(files, lint.NewSourceFile(fmt.Sprintf("svc%d/metrics/m.go", i), []byte(b.String())))
		var o strings.Builder
		fmt.Fprintf(&o, "package other\n\nfunc F%d(x int) int {\n", i)
		for k := range 200 {
			fmt.Fprintf(&o, "\tx += %d * x\n", k)
		}
		o.WriteString("\treturn x\n}\n")
		files = append(files, lint.NewSourceFile(fmt.Sprintf("svc%d/other/o.go", i), []byte(o.String())))
	}
	return files
}

// BenchmarkLoadGo reads synthetic trees of 1×, 2× and 4× the size; the time per package
// should stay about the same.
func BenchmarkLoadGo(b *testing.B) {
	for _, n := range []int{25, 50, 100} {
		files := synthGoTree(n)
		b.Run(fmt.Sprintf("packages=%d", n), func(b *testing.B) {
			for b.Loop() {
				LoadFiles(files)
			}
		})
	}
}

func TestSynthGoTreeResolves(t *testing.T) {
	expos, probs := LoadFiles(synthGoTree(2))
	if len(probs) != 0 {
		t.Fatalf("problems: %v", probs)
	}
	var got []string
	for _, e := range expos {
		if len(e.Code.Unresolved) != 0 {
			t.Errorf("%s: unresolved %v", e.File.Path, e.Code.Unresolved)
		}
		got = append(got, e.File.Path+" "+e.Order[0]+" "+strings.Join(e.Families[e.Order[0]].Labels, ","), strconv.Itoa(len(e.Order)))
	}
	want := []string{"svc0/metrics/m.go x_svc0_op0_total code,tenant", "40", "svc1/metrics/m.go x_svc1_op0_total code,tenant", "40"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("got %v, want %v", got, want)
	}
}
