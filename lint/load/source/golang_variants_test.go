package source

import (
	"go/parser"
	"go/token"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/driftlint/driftlint/lint"
)

func TestGoFileMatters(t *testing.T) {
	tests := []struct {
		name, src  string
		metricsPkg bool
		want       bool
	}{
		{"a string constant matters", "package p\n\nconst ns = \"app\"\n", false, true},
		{"a typed constant of a named type matters", "package p\n\ntype Op string\n\nconst Q Op = \"q\"\n", false, true},
		{"a variable aliasing another name matters", "package p\n\nimport \"x/consts\"\n\nvar ns = consts.App\n", false, true},
		{"a label list matters", "package p\n\nvar labels = []string{\"a\"}\n", false, true},
		{"a conversion matters", "package p\n\nconst q = Op(\"q\")\n\ntype Op string\n", false, true},
		{"numbers, iota and booleans do not", "package p\n\nconst (\n\tsize = 4096\n\tmask = 1<<12 - 1\n\tk    = iota\n\ton   = !true\n)\n", false, false},
		{"an expression of another name may be a string", "package p\n\nconst mask = size - 1\n", false, true},
		{"numeric typed variables do not", "package p\n\nvar n int64 = other * 2\n", false, false},
		{"errors and system loaders do not", "package p\n\nimport (\n\t\"errors\"\n\t\"x/windows\"\n)\n\nvar (\n\terrX = errors.New(\"x\")\n\tdll  = windows.MustLoadDLL(\"kernel32.dll\")\n)\n", false, false},
		{"functions and types do not", "package p\n\ntype T struct{}\n\nfunc F() string { return \"x\" }\n", false, false},
		{"in a package that defines metrics, functions do (helpers)", "package p\n\nfunc F() string { return \"x\" }\n", true, true},
		{"in a package that defines metrics, numbers do not", "package p\n\nvar size int64 = 1 << 20\n", true, false},
		{"a declaration without a value does not", "package p\n\nvar s string\n", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			af, err := parser.ParseFile(token.NewFileSet(), "p.go", tt.src, parser.SkipObjectResolution)
			if err != nil {
				t.Fatal(err)
			}
			if got := (&goFile{ast: af}).matters(tt.metricsPkg); got != tt.want {
				t.Errorf("matters() = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestGoVariants(t *testing.T) {
	parse := func(path, src string, oses ...bool) *goFile {
		af, err := parser.ParseFile(token.NewFileSet(), path, src, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		return &goFile{src: lint.NewSourceFile(path, []byte(src)), ast: af, oses: oses}
	}
	all := []bool{true, true, true}
	// fileutil: OS files that hold only system calls; consts: an OS-specific name; metrics and
	// main import them; other imports nothing.
	fileutil := &goPkg{dir: "fileutil", files: []*goFile{
		parse("fileutil/a.go", "package fileutil\n\nfunc F() {}\n", all...),
		parse("fileutil/mmap_unix.go", "package fileutil\n\nconst max = 1 << 40\n", true, true, false),
		parse("fileutil/mmap_windows.go", "package fileutil\n\nfunc mmap() {}\n", false, false, true),
	}}
	consts := &goPkg{dir: "consts", files: []*goFile{
		parse("consts/os_linux.go", "package consts\n\nconst OS = \"linux\"\n", true, false, false),
		parse("consts/os_other.go", "package consts\n\nconst OS = \"other\"\n", false, true, true),
	}}
	metrics := &goPkg{dir: "metrics", metrics: true, deps: []*goPkg{fileutil, consts}, files: []*goFile{parse("metrics/m.go", "package metrics\n", all...)}}
	other := &goPkg{dir: "other", metrics: true, deps: []*goPkg{fileutil}, files: []*goFile{parse("other/o.go", "package other\n", all...)}}
	tests := []struct {
		name  string
		pkgs  []*goPkg
		want  []string
		redos [][]string
	}{
		{
			name: "checks once when the files that differ hold only system calls and numbers",
			pkgs: []*goPkg{fileutil, other},
			want: []string{"linux"}, redos: [][]string{{"fileutil", "other"}},
		},
		{
			name: "checks again, for one OS of two alike, the package that differs and its importers only",
			pkgs: []*goPkg{fileutil, consts, metrics, other},
			want: []string{"linux", "darwin"}, redos: [][]string{{"fileutil", "consts", "metrics", "other"}, {"consts", "metrics"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &goSet{pkgs: tt.pkgs}
			needed := map[*goPkg]bool{}
			for _, p := range tt.pkgs {
				needed[p] = true
			}
			got, redos := s.variants(needed)
			var gotRedos [][]string
			for _, r := range redos {
				var dirs []string
				for _, p := range tt.pkgs {
					if r[p] {
						dirs = append(dirs, p.dir)
					}
				}
				gotRedos = append(gotRedos, dirs)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("variants (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.redos, gotRedos); diff != "" {
				t.Errorf("packages per OS (-want +got):\n%s", diff)
			}
		})
	}
}
