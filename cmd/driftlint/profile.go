package main

import (
	"fmt"
	"os"
	"runtime/pprof"
)

// startProfile writes a CPU profile of the run to the file DRIFTLINT_CPUPROFILE names, for
// the bench harness and for anyone chasing a slow input (`go tool pprof driftlint FILE`). It
// returns the function that ends the profile.
func startProfile() func() {
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
