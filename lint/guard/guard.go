// Package guard enforces the run's ceilings that no parser enforces by itself: cheap depth
// scans of PromQL, JSON, YAML and Markdown text that run before the parser (depth.go), and
// a heap watchdog (this file) that cancels one jq program or PromQL evaluation past its
// heap budget and stops the process past its memory ceiling.
//
// The watchdog reads runtime/metrics every Interval. The number it watches is
// /memory/classes/heap/objects:bytes, the heap's objects live or not yet swept: it follows
// every allocation at once, whatever the collector's pacing (cmd/driftlint/gc.go turns
// the collector off below 64 MiB and runs it at GOGC=200 or 100 above), whereas
// /gc/heap/live:bytes only changes at the end of a collection. Because that number also
// holds garbage, crossing a ceiling is confirmed by a collection (runtime.GC) and
// /gc/heap/live:bytes before anything is cancelled: only a heap that is really live past
// the ceiling stops work. Confirmations are at most one per ConfirmEvery per watcher.
//
// The residual: a single library call that allocates its result at once ("x" * 1e9 in
// jq, one huge slice in the PromQL engine) cannot be interrupted between the check and the
// allocation; the watchdog sees it only after it returns. Static checks before evaluation
// (the jq amplifier check, invariant step counts) are what stop those.
package guard

import (
	"context"
	"fmt"
	"runtime"
	"runtime/metrics"
	"sync"
	"sync/atomic"
	"time"
)

const (
	// Interval is how often the watchdog reads the heap.
	Interval = 50 * time.Millisecond
	// ConfirmEvery is the least time between two collections one watcher forces to
	// confirm that a ceiling is crossed.
	ConfirmEvery = 500 * time.Millisecond
	// ProgramBudget is the heap one jq program or one PromQL evaluation may grow by.
	ProgramBudget = 512 << 20
)

const (
	heapObjects = "/memory/classes/heap/objects:bytes"
	heapLive    = "/gc/heap/live:bytes"
)

// HeapObjects returns the bytes of heap objects, live or not yet swept.
func HeapObjects() uint64 { return read(heapObjects) }

func read(name string) uint64 {
	s := []metrics.Sample{{Name: name}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return s[0].Value.Uint64()
}

// watcher polls the heap until over returns true or stop is closed.
type watcher struct {
	limit       uint64 // the heap (objects) above which a collection confirms
	lastConfirm time.Time
}

// check reads the heap and reports whether it is past the limit, confirmed by a
// collection, with the live heap it confirmed.
func (w *watcher) check() (uint64, bool) {
	if HeapObjects() <= w.limit {
		return 0, false
	}
	if time.Since(w.lastConfirm) < ConfirmEvery {
		return 0, false
	}
	runtime.GC()
	w.lastConfirm = time.Now()
	live := read(heapLive)
	return live, live > w.limit
}

// poll calls w.check every Interval until it reports a crossing (then calls f), ctx ends
// or done is closed.
func (w *watcher) poll(ctx context.Context, done <-chan struct{}, f func(heap uint64)) {
	t := time.NewTicker(Interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-done:
			return
		case <-t.C:
			if heap, over := w.check(); over {
				f(heap)
				return
			}
		}
	}
}

// Start runs the process guard until ctx ends or stop is called: once the live heap is
// past maxMemory, it calls onExceed once with the heap, from its own goroutine. main then
// prints one line naming Phase() and exits 2. stop waits for the guard to end.
func Start(ctx context.Context, maxMemory int64, onExceed func(heap uint64)) (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		w := &watcher{limit: uint64(max(maxMemory, 0))}
		w.poll(ctx, done, onExceed)
	})
	var once sync.Once
	return func() {
		once.Do(func() { close(done) })
		wg.Wait()
	}
}

var phase atomic.Pointer[string]

// OnPhase is called, when set (before the run starts), with each phase SetPhase enters
// that differs from the one before: cmd/driftlint traces phases with it.
var OnPhase func(name string)

// SetPhase names what the run is doing ("load", "rules", "jq", "invariants"), for the
// process guard's message.
func SetPhase(name string) {
	if old := phase.Swap(&name); OnPhase != nil && (old == nil || *old != name) {
		OnPhase(name)
	}
}

// Enter sets the phase for the duration of one program (a jq assertion, an invariant) and
// returns the function that restores the phase it interrupted.
func Enter(name string) (leave func()) {
	prev := Phase()
	SetPhase(name)
	return func() { SetPhase(prev) }
}

// Phase returns the name SetPhase last set, or "".
func Phase() string {
	if p := phase.Load(); p != nil {
		return *p
	}
	return ""
}

// BudgetError is the cause of a context Budget cancelled.
type BudgetError struct {
	Budget, Grown uint64
}

func (e *BudgetError) Error() string {
	return fmt.Sprintf("the heap grew by %d MiB while it ran, more than its budget of %d MiB", e.Grown>>20, e.Budget>>20)
}

// Budget returns a context that is cancelled, with a *BudgetError as its cause
// (context.Cause), once the live heap has grown by more than bytes since the call: one
// jq program's or one PromQL evaluation's share. The heap is the process's, so work
// running alongside counts too. cancel releases the watcher; call it when the work ends.
func Budget(ctx context.Context, bytes int64) (context.Context, context.CancelFunc) {
	ctx, cancelCause := context.WithCancelCause(ctx)
	base := HeapObjects() // at least the live heap now: growth past it is real growth
	w := &watcher{limit: base + uint64(max(bytes, 0))}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		w.poll(ctx, done, func(heap uint64) {
			cancelCause(&BudgetError{Budget: uint64(bytes), Grown: heap - base})
		})
	})
	var once sync.Once
	return ctx, func() {
		once.Do(func() { close(done) })
		wg.Wait()
		cancelCause(context.Canceled)
	}
}
