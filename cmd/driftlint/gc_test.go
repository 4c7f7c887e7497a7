package main

import (
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

func TestAfterNextGCRunsAfterEachCollectionUntilTold(t *testing.T) {
	calls := make(chan uint64, 10)
	n := 0
	afterNextGC(func(live uint64) bool {
		n++
		calls <- live
		return n < 2
	})
	// The finalizer runs on its own goroutine after a collection, and registers the next
	// one only then: collect until it has been called.
	waitCall := func(i int) {
		deadline := time.Now().Add(10 * time.Second)
		for time.Now().Before(deadline) {
			runtime.GC()
			select {
			case live := <-calls:
				if live == 0 {
					t.Errorf("call %d: live heap 0", i)
				}
				return
			case <-time.After(10 * time.Millisecond):
			}
		}
		t.Fatalf("no call %d", i)
	}
	waitCall(1)
	waitCall(2)
	for range 5 {
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
	}
	select {
	case <-calls:
		t.Error("called again after it returned false")
	default:
	}
}

func TestPacedGCLeavesTheUsersSettingsAlone(t *testing.T) {
	t.Setenv("GOGC", "150")
	before := debug.SetGCPercent(150)
	defer debug.SetGCPercent(before)
	pacedGC()
	if got := debug.SetGCPercent(150); got != 150 {
		t.Errorf("GOGC set by the user: pacedGC changed the percent to %d", got)
	}
	if got := debug.SetMemoryLimit(-1); got != math.MaxInt64 && os.Getenv("GOMEMLIMIT") == "" {
		t.Errorf("GOGC set by the user: pacedGC set a memory limit of %d", got)
	}
}
