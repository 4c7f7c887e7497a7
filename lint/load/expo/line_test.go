package expo

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// checkFastSample reports a line that fastSample reads differently from expfmt.
func checkFastSample(t *testing.T, line string) (fast bool) {
	t.Helper()
	got, ok := fastSample(line)
	if !ok {
		return false
	}
	want, err := newLineParser().parseExpfmt(line)
	if err != nil {
		t.Errorf("fastSample read %q, which expfmt rejects: %v", line, err)
		return true
	}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(parsedSample{}), cmp.Comparer(func(a, b float64) bool { return a == b || a != a && b != b })); diff != "" {
		t.Errorf("fastSample(%q) differs from expfmt (-expfmt +fast):\n%s", line, diff)
	}
	return true
}

func TestFastSample(t *testing.T) {
	tests := []struct {
		name string
		line string
		fast bool
	}{
		{name: "reads a sample without labels", line: "up 1", fast: true},
		{name: "reads labels and a timestamp", line: `http_requests_total{code="200",method="GET"} 1027 1395066363000`, fast: true},
		{name: "reads a trailing comma in the labels", line: `x{a="1",} 2`, fast: true},
		{name: "reads empty braces", line: `x{} 2`, fast: true},
		{name: "decodes escapes in label values", line: `x{path="C:\\dir\"q\"\nz"} 3`, fast: true},
		{name: "reads NaN and infinities", line: `x{le="+Inf"} +Inf`, fast: true},
		{name: "reads exponents", line: `x 1.5e-07`, fast: true},
		{name: "reads a colon in the name", line: `job:up:sum 3`, fast: true},
		{name: "leaves blanks inside braces to expfmt", line: `x{a="1", b="2"} 1`, fast: false},
		{name: "leaves two spaces to expfmt", line: `x  1`, fast: false},
		{name: "leaves tabs to expfmt", line: "x\t1", fast: false},
		{name: "leaves quoted names to expfmt", line: `{"kafka.consumer.lag"} 1`, fast: false},
		{name: "leaves underscores in numbers to expfmt", line: `x 1_000`, fast: false},
		{name: "leaves hex floats to expfmt", line: `x 0x1p-2`, fast: false},
		{name: "leaves a trailing blank to expfmt", line: `x 1 `, fast: false},
		{name: "leaves duplicate labels to expfmt", line: `x{a="1",a="2"} 1`, fast: false},
		{name: "leaves unknown escapes to expfmt", line: `x{a="\t"} 1`, fast: false},
		{name: "leaves a bad timestamp to expfmt", line: `x 1 12.5`, fast: false},
		{name: "leaves Inf without a sign to expfmt", line: `x Inf`, fast: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := checkFastSample(t, tt.line); got != tt.fast {
				t.Errorf("fastSample(%q) ok = %v, want %v", tt.line, got, tt.fast)
			}
		})
	}
}

// TestFastSampleOnRealScrapes reads every sample line of the fixtures' and the corpora's
// scrapes both ways.
func TestFastSampleOnRealScrapes(t *testing.T) {
	var files []string
	for _, pattern := range []string{"../../../fixtures/*/*/*/*.prom", "../../../fixtures/*/*/*.prom", "../../../../shared/corpora/*/collector/fixtures/*.txt", "../../../../shared/corpora/*/derived/*.prom"} {
		m, _ := filepath.Glob(pattern)
		files = append(files, m...)
	}
	if len(files) == 0 {
		t.Skip("no scrapes found")
	}
	fast, all := 0, 0
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for line := range strings.Lines(string(src)) {
			line = strings.TrimRight(line, "\r\n")
			if line == "" || strings.HasPrefix(line, "#") {
				continue
			}
			if _, err := newLineParser().parseExpfmt(line); err != nil {
				continue
			}
			all++
			if checkFastSample(t, line) {
				fast++
			}
		}
	}
	t.Logf("%d of %d sample lines in %d files read by the fast path", fast, all, len(files))
}

// FuzzFastSample checks that whatever the fast path reads, expfmt reads the same way.
func FuzzFastSample(f *testing.F) {
	for _, s := range []string{"up 1", `x{a="1",b="\\\"\n"} 2 3`, `x{le="+Inf"} NaN`, `a:b{c=""} -1e3`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		if strings.ContainsAny(line, "\n\r") {
			return
		}
		checkFastSample(t, line)
	})
}
