package guard

import (
	"context"
	"errors"
	"testing"
	"time"
)

var sink [][]byte

func TestBudgetCancelsPastItsGrowth(t *testing.T) {
	ctx, cancel := Budget(context.Background(), 64<<20)
	defer cancel()
	deadline := time.Now().Add(20 * time.Second)
	for ctx.Err() == nil && time.Now().Before(deadline) {
		sink = append(sink, make([]byte, 8<<20))
		time.Sleep(5 * time.Millisecond)
	}
	grown := len(sink) * 8
	sink = nil
	be, ok := errors.AsType[*BudgetError](context.Cause(ctx))
	if !ok {
		t.Fatalf("cause %v after %d MiB, want a BudgetError", context.Cause(ctx), grown)
	}
	if be.Grown <= 64<<20 || be.Budget != 64<<20 {
		t.Errorf("%+v", be)
	}
}

func TestBudgetLeavesSmallWorkAlone(t *testing.T) {
	ctx, cancel := Budget(context.Background(), 256<<20)
	for range 10 {
		sink = append(sink, make([]byte, 1<<20))
		time.Sleep(2 * Interval / 5)
	}
	sink = nil
	if err := context.Cause(ctx); err != nil {
		t.Errorf("cancelled: %v", err)
	}
	cancel()
	if !errors.Is(context.Cause(ctx), context.Canceled) {
		t.Errorf("cause after cancel %v", context.Cause(ctx))
	}
}

func TestStartCallsBackPastMaxMemory(t *testing.T) {
	exceeded := make(chan uint64, 1)
	limit := int64(HeapObjects()) + 64<<20
	stop := Start(context.Background(), limit, func(h uint64) { exceeded <- h })
	defer stop()
	var heap uint64
	deadline := time.Now().Add(20 * time.Second)
loop:
	for time.Now().Before(deadline) {
		select {
		case heap = <-exceeded:
			break loop
		default:
			sink = append(sink, make([]byte, 8<<20))
			time.Sleep(5 * time.Millisecond)
		}
	}
	sink = nil
	if heap <= uint64(limit) {
		t.Errorf("callback heap %d, limit %d", heap, limit)
	}
}

func TestStartStaysQuietUnderMaxMemory(t *testing.T) {
	called := make(chan uint64, 1)
	stop := Start(context.Background(), int64(HeapObjects())+1<<30, func(h uint64) { called <- h })
	time.Sleep(3 * Interval)
	stop()
	select {
	case h := <-called:
		t.Errorf("called with %d", h)
	default:
	}
}

func TestPhase(t *testing.T) {
	SetPhase("loading dashboards")
	if Phase() != "loading dashboards" {
		t.Errorf("phase %q", Phase())
	}
}
