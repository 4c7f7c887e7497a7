// Command gen writes a synthetic driftlint project for benchmarks (see package synth):
//
//	go run ./bench/gen -rules 5000 -out /tmp/bench-5k
//
// It prints what it wrote, and with -rule-files the rule files one per line (for promtool).
// With -hostile MB it writes a project of hostile inputs instead (see synth.Hostile).
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/driftlint/driftlint/bench/synth"
)

func main() {
	rules := flag.Int("rules", 1000, "number of rules (rounded up to whole services)")
	out := flag.String("out", "", "folder to write the project to (must be empty or absent)")
	seed := flag.Uint64("seed", 1, "seed of the drift placement")
	drift := flag.Int("drift", 3, "percent chance of each kind of drift per service; -1 for none")
	list := flag.Bool("rule-files", false, "print the rule files, one per line, instead of the summary")
	hostile := flag.Int("hostile", 0, "write a project of hostile inputs of about this many megabytes instead")
	flag.Parse()
	if *out == "" {
		fmt.Fprintln(os.Stderr, "gen: -out is required")
		os.Exit(2)
	}
	if entries, err := os.ReadDir(*out); err == nil && len(entries) > 0 {
		fmt.Fprintf(os.Stderr, "gen: %s is not empty\n", *out)
		os.Exit(2)
	}
	if *hostile > 0 {
		n, err := synth.Hostile(*out, *hostile)
		if err != nil {
			fmt.Fprintln(os.Stderr, "gen: "+err.Error())
			os.Exit(1)
		}
		fmt.Printf("hostile bytes=%d\n", n)
		return
	}
	st, err := synth.Generate(*out, synth.Options{Rules: *rules, Seed: *seed, DriftPercent: *drift})
	if err != nil {
		fmt.Fprintln(os.Stderr, "gen: "+err.Error())
		os.Exit(1)
	}
	if *list {
		for _, f := range st.RuleFiles {
			fmt.Println(filepath.Join(*out, f))
		}
		return
	}
	fmt.Printf("services=%d files=%d rule_files=%d rules=%d dashboards=%d targets=%d doc_rows=%d runbooks=%d families=%d bytes=%d\n",
		st.Services, st.Files, len(st.RuleFiles), st.Rules, st.Dashboards, st.Targets, st.DocRows, st.Runbooks, st.Families, st.Bytes)
}
