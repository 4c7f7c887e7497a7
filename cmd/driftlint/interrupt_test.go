//go:build unix

package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/driftlint/driftlint/bench/synth"
)

// TestInterruptStopsEveryPhase runs driftlint as a subprocess, sends SIGINT or SIGTERM once
// it is inside a phase, and checks that it exits 2 saying it was interrupted, leaving no
// temporary file. The bound on the time to exit is generous: it catches a hang, not a slow
// machine.
func TestInterruptStopsEveryPhase(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a large project")
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(t.TempDir(), "driftlint")
	if err := os.Symlink(exe, bin); err != nil {
		t.Skip(err)
	}

	// A live scrape that never answers keeps the load phase busy.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() { _, _ = io.Copy(io.Discard, c) }()
		}
	}()
	hang := t.TempDir()
	writeTree(t, hang, map[string]string{
		".driftlint.yaml": fmt.Sprintf("exposition:\n  - url: http://%s/metrics\n    timeout: 4m\n", ln.Addr()),
	})

	// A large project keeps the rules phase busy.
	big := t.TempDir()
	if _, err := synth.Generate(big, synth.Options{Rules: 5000}); err != nil {
		t.Fatal(err)
	}

	// Slow jq assertions keep the jq phase busy; slow invariants the invariants phase.
	slowJQ := t.TempDir()
	var jq strings.Builder
	jq.WriteString("health: [{file: health.json}]\nhealth_invariants:\n")
	for i := range 40 {
		fmt.Fprintf(&jq, "  - name: slow-%d\n    jq: '[range(900000)] | map(. * 2) | length > %d'\n", i, i)
	}
	writeTree(t, slowJQ, map[string]string{".driftlint.yaml": jq.String(), "health.json": `{"status": "ok"}`})
	slowInv := t.TempDir()
	var inv, expo strings.Builder
	inv.WriteString("exposition: [{file: m.prom}]\ninvariants:\n")
	for i := range 40 {
		fmt.Fprintf(&inv, "  - name: slow-%d\n    expr: sum(count_over_time(app_x[10m:1s])) >= %d\n", i, i)
	}
	expo.WriteString("# HELP app_x X.\n# TYPE app_x gauge\n")
	for i := range 2000 {
		fmt.Fprintf(&expo, "app_x{i=\"%d\"} 1\n", i)
	}
	writeTree(t, slowInv, map[string]string{".driftlint.yaml": inv.String(), "m.prom": expo.String()})

	tests := []struct {
		name, phase string
		sig         syscall.Signal
		args        []string
	}{
		{"load, Ctrl-C", "load", syscall.SIGINT, []string{"check", "--allow-net", "127.0.0.1", hang}},
		{"load, SIGTERM", "load", syscall.SIGTERM, []string{"check", "--allow-net", "127.0.0.1", hang}},
		{"rules, Ctrl-C", "rules", syscall.SIGINT, []string{"check", "-j", "1", big}},
		{"rules, baseline", "rules", syscall.SIGTERM, []string{"baseline", "-j", "1", big}},
		{"jq, Ctrl-C", "jq", syscall.SIGINT, []string{"check", "-j", "1", slowJQ}},
		{"invariants, SIGTERM", "invariants", syscall.SIGTERM, []string{"check", "-j", "1", slowInv}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmd := exec.Command(bin, tt.args...)
			cmd.Env = append(os.Environ(), "DRIFTLINT_TRACE=1")
			var stdout bytes.Buffer
			cmd.Stdout = &stdout
			stderr, err := cmd.StderrPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			var rest strings.Builder
			sc := bufio.NewScanner(stderr)
			sent := time.Time{}
			for sc.Scan() {
				line := sc.Text()
				rest.WriteString(line + "\n")
				if sent.IsZero() && line == "driftlint: phase "+tt.phase {
					if err := cmd.Process.Signal(tt.sig); err != nil {
						t.Fatal(err)
					}
					sent = time.Now()
				}
			}
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			var werr error
			select {
			case werr = <-done:
			case <-time.After(60 * time.Second):
				_ = cmd.Process.Kill()
				t.Fatalf("no exit 60 s after the signal; stderr:\n%s", rest.String())
			}
			if sent.IsZero() {
				t.Fatalf("the run never entered phase %s; stderr:\n%s", tt.phase, rest.String())
			}
			code := cmd.ProcessState.ExitCode()
			if code != 2 || !strings.Contains(rest.String(), "interrupted") {
				t.Errorf("exit %d (%v), want 2 and \"interrupted\"; stderr:\n%s", code, werr, rest.String())
			}
			t.Logf("exited %v after the signal", time.Since(sent).Round(time.Millisecond))
			if left, _ := filepath.Glob(filepath.Join(big, ".*.tmp")); len(left) > 0 {
				t.Errorf("temporary files left behind: %v", left)
			}
			if _, err := os.Stat(filepath.Join(big, ".driftlint-baseline.json")); err == nil {
				t.Errorf("an interrupted baseline was written")
			}
		})
	}
}

// TestMemoryGuard runs driftlint as its own process on a project whose heap passes a low
// --max-memory (--limit max_memory): it exits 2 with one line naming the phase, instead of growing.
func TestMemoryGuard(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a large project")
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(t.TempDir(), "driftlint")
	if err := os.Symlink(exe, bin); err != nil {
		t.Skip(err)
	}
	big := t.TempDir()
	if _, err := synth.Generate(big, synth.Options{Rules: 10000}); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "check", "-q", "--max-memory", "16MiB", big).CombinedOutput()
	if code := exitCode(err); code != 2 || !strings.Contains(string(out), "past the max_memory limit of 16 MiB") {
		t.Errorf("exit %d, want 2 and the guard's line; output:\n%.2000s", code, out)
	}
	if n := strings.Count(string(out), "driftlint: the heap reached"); n != 1 {
		t.Errorf("the guard's line appears %d times", n)
	}
	// With the default limit the same project runs to the end.
	out, err = exec.Command(bin, "check", "-q", "--fail-on", "never", big).CombinedOutput()
	if code := exitCode(err); code != 0 {
		t.Errorf("default limit: exit %d; output:\n%.2000s", code, out)
	}
}

func exitCode(err error) int {
	if err == nil {
		return 0
	}
	if ee, ok := errors.AsType[*exec.ExitError](err); ok {
		return ee.ExitCode()
	}
	return -1
}
