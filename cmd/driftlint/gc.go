package main

import (
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
)

// The collector's pacing for a run, unless the user set GOGC or GOMEMLIMIT (theirs win):
//
//   - No collection until the heap reaches gcFreeHeap. A check of a typical project
//     allocates less than that in all and exits, so collecting along the way only cost time
//     (about a fifth of the CPU of a check of a real project went to the collector).
//   - Then GOGC=200 under a soft memory limit of gcSoftLimit: a project of up to about
//     10,000 rules uses that budget instead of collecting early, and peaks near 145 MB rather
//     than at twice its live heap (about 200 MB at 10,000 rules with Go's defaults), in no
//     more time than the defaults take.
//   - Once the live heap passes gcGiveUp, Go's defaults come back (GOGC=100, no limit): a
//     bigger project cannot fit under the limit, and a collector that runs again and again
//     to hold it would multiply the time. Just below that point the run costs up to about 15%
//     more time than with the defaults.
const (
	gcFreeHeap  = 64 << 20
	gcSoftLimit = 128 << 20
	gcGiveUp    = 96 << 20
)

// pacedGC sets the pacing above and keeps it up to date after every collection.
func pacedGC() {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	debug.SetGCPercent(-1)
	debug.SetMemoryLimit(gcFreeHeap)
	afterNextGC(func(live uint64) bool {
		if live > gcGiveUp {
			debug.SetGCPercent(100)
			debug.SetMemoryLimit(math.MaxInt64)
			return false
		}
		debug.SetGCPercent(200)
		debug.SetMemoryLimit(gcSoftLimit)
		return true
	})
}

// afterNextGC calls f with the live heap after the next collection, and again after each
// later one for as long as f returns true. A finalizer on an unreachable object runs once
// a collection has found it unreachable, so it marks the end of each cycle.
func afterNextGC(f func(live uint64) bool) {
	type sentinel struct{ _ [16]byte } // 16 bytes: not in the tiny allocator, which delays finalizers
	runtime.SetFinalizer(&sentinel{}, func(*sentinel) {
		sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
		metrics.Read(sample)
		if f(sample[0].Value.Uint64()) {
			afterNextGC(f)
		}
	})
}
