package main

import (
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
)

// startProfile writes a CPU profile of the run to the file DRIFTLINT_CPUPROFILE names, for
// the bench harness and for anyone chasing a slow input (`go tool pprof driftlint FILE`). It
// returns the function that ends the profile.
//
// DRIFTLINT_MEMPROFILE names a file for a heap profile written when the rules have run (see
// writeHeapProfile).
func startProfile() func() {
	stopCPU := startCPUProfile()
	return stopCPU
}

// writeHeapProfile writes the heap profile DRIFTLINT_MEMPROFILE asks for. check calls it
// when the rules have run and before the report: the project and every finding are live
// then, which is the run's peak (at the end of the run they are gone, and a profile there
// showed two megabytes of package state). It is taken after a collection, so inuse_space
// is what the run holds; alloc_space is everything it allocated up to there.
func writeHeapProfile() {
	path := os.Getenv("DRIFTLINT_MEMPROFILE")
	if path == "" {
		return
	}
	f, err := os.Create(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, "driftlint: DRIFTLINT_MEMPROFILE:", err)
		return
	}
	runtime.GC()
	if err := pprof.WriteHeapProfile(f); err != nil {
		fmt.Fprintln(os.Stderr, "driftlint: DRIFTLINT_MEMPROFILE:", err)
	}
	_ = f.Close()
}

func startCPUProfile() func() {
	path := os.Getenv("DRIFTLINT_CPUPROFILE")
	if path == "" {
		return func() {}
	}
	f, err := os.Create(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, "driftlint: DRIFTLINT_CPUPROFILE:", err)
		return func() {}
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		fmt.Fprintln(os.Stderr, "driftlint: DRIFTLINT_CPUPROFILE:", err)
		_ = f.Close()
		return func() {}
	}
	return func() {
		pprof.StopCPUProfile()
		_ = f.Close()
	}
}
