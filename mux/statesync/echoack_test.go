package statesync

import (
	"testing"
	"time"
)

func TestEchoAckerWaitsEchoTimeout(t *testing.T) {
	t0 := time.Unix(1000, 0)
	var e EchoAcker
	e.Arrived(3, t0)
	e.Arrived(4, t0.Add(30*time.Millisecond))
	if ack, changed := e.Update(t0.Add(49 * time.Millisecond)); ack != 0 || changed {
		t.Fatalf("before 50 ms: ack %d changed %v", ack, changed)
	}
	if next, ok := e.Next(); !ok || !next.Equal(t0.Add(EchoTimeout)) {
		t.Fatalf("Next = %v %v, want t0+50ms", next, ok)
	}
	if ack, changed := e.Update(t0.Add(50 * time.Millisecond)); ack != 3 || !changed {
		t.Fatalf("at 50 ms: ack %d changed %v, want 3 true", ack, changed)
	}
	if _, changed := e.Update(t0.Add(60 * time.Millisecond)); changed {
		t.Fatal("changed without a new arrival maturing")
	}
	if ack, _ := e.Update(t0.Add(80 * time.Millisecond)); ack != 4 {
		t.Fatalf("at 80 ms: ack %d, want 4", ack)
	}
	if _, ok := e.Next(); ok {
		t.Error("nothing pending, but Next reports a wake-up")
	}
}

func TestEchoAckerNeverDecreases(t *testing.T) {
	t0 := time.Unix(1000, 0)
	var e EchoAcker
	e.Arrived(10, t0)
	e.Update(t0.Add(time.Second))
	// A reordered, older client state arriving late must not lower it.
	e.Arrived(7, t0.Add(time.Second))
	e.Arrived(9, t0.Add(time.Second))
	if ack, _ := e.Update(t0.Add(2 * time.Second)); ack != 10 {
		t.Errorf("ack = %d after late older states, want 10", ack)
	}
}

func TestEchoAckerBoundedHistory(t *testing.T) {
	t0 := time.Unix(1000, 0)
	var e EchoAcker
	for i := range uint64(3 * echoHistoryMax) {
		e.Arrived(i+1, t0)
	}
	if len(e.hist) > echoHistoryMax {
		t.Fatalf("history grew to %d", len(e.hist))
	}
	if ack, _ := e.Update(t0.Add(EchoTimeout)); ack != 3*echoHistoryMax {
		t.Errorf("ack = %d, want %d", ack, 3*echoHistoryMax)
	}
}
