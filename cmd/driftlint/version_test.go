package main

import (
	"runtime/debug"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestResolveBuild(t *testing.T) {
	vcs := &debug.BuildInfo{
		Main: debug.Module{Path: "github.com/driftlint/driftlint", Version: "(devel)"},
		Settings: []debug.BuildSetting{
			{Key: "vcs", Value: "git"},
			{Key: "vcs.revision", Value: "0123456789abcdef"},
			{Key: "vcs.time", Value: "2026-01-02T03:04:05Z"},
		},
	}
	goInstall := &debug.BuildInfo{Main: debug.Module{Path: "github.com/driftlint/driftlint", Version: "v1.2.3"}}
	tests := []struct {
		name                  string
		version, commit, date string
		bi                    *debug.BuildInfo
		want                  build
	}{
		{
			name:    "the release build's ldflags win over the build info",
			version: "1.4.0", commit: "abc1234", date: "2026-03-01T00:00:00Z", bi: vcs,
			want: build{Version: "1.4.0", Commit: "abc1234", Date: "2026-03-01T00:00:00Z"},
		},
		{
			name: "go install of a version stamps the module version but no commit or date",
			bi:   goInstall,
			want: build{Version: "v1.2.3", Commit: "unknown", Date: "unknown"},
		},
		{
			name: "a build in a git checkout has the revision and commit time",
			bi:   vcs,
			want: build{Version: "(devel)", Commit: "0123456789abcdef", Date: "2026-01-02T03:04:05Z"},
		},
		{
			name: "no build info at all",
			want: build{Version: "(devel)", Commit: "unknown", Date: "unknown"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := resolveBuild(tt.version, tt.commit, tt.date, tt.bi)
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("resolveBuild (-want +got):\n%s", d)
			}
		})
	}
}

func TestVersionCommandAndFlag(t *testing.T) {
	want := buildInfo().String() + "\n"
	if !strings.HasPrefix(want, "driftlint ") || !strings.Contains(want, " (commit ") {
		t.Fatalf("version line %q", want)
	}
	for _, args := range [][]string{{"version"}, {"--version"}} {
		code, stdout, stderr := runCLI(t, args...)
		if code != 0 || stdout != want || stderr != "" {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, code, stdout, stderr)
		}
	}
	// -v stays --verbose of check; the root command has no -v.
	if code, _, stderr := runCLI(t, "-v"); code != 2 || !strings.Contains(stderr, "unknown shorthand flag: 'v'") {
		t.Errorf("-v: exit %d, stderr %q", code, stderr)
	}
}

func TestCompletion(t *testing.T) {
	tests := []struct {
		shell string
		want  string // a line each generated script starts or registers with
	}{
		{shell: "bash", want: "# bash completion V2 for driftlint"},
		{shell: "zsh", want: "#compdef driftlint"},
		{shell: "fish", want: "complete -c driftlint "},
		{shell: "powershell", want: "Register-ArgumentCompleter -CommandName 'driftlint'"},
	}
	for _, tt := range tests {
		t.Run("generates a "+tt.shell+" script", func(t *testing.T) {
			code, stdout, stderr := runCLI(t, "completion", tt.shell)
			if code != 0 || stderr != "" || !strings.Contains(stdout, tt.want) {
				t.Errorf("exit %d, stderr %q, stdout starts %q", code, stderr, stdout[:min(len(stdout), 200)])
			}
		})
	}
	t.Run("the scripts' backend completes commands and flags", func(t *testing.T) {
		_, stdout, _ := runCLI(t, "__complete", "ch")
		if !strings.HasPrefix(stdout, "check\t") {
			t.Errorf("__complete ch: %q", stdout)
		}
		_, stdout, _ = runCLI(t, "__complete", "check", "--fail-")
		if !strings.Contains(stdout, "--fail-on\t") {
			t.Errorf("__complete check --fail-: %q", stdout)
		}
		_, stdout, _ = runCLI(t, "__complete", "zz")
		if strings.Contains(stdout, "check") {
			t.Errorf("__complete zz: %q", stdout)
		}
	})
	t.Run("an unknown shell is a usage error", func(t *testing.T) {
		if code, _, stderr := runCLI(t, "completion", "tcsh"); code != 2 || !strings.Contains(stderr, `invalid argument "tcsh" for "driftlint completion`) {
			t.Errorf("exit %d, stderr %q", code, stderr)
		}
	})
}
