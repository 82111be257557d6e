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

// A matured ack waits for a datagram to ride on, or for the pace: it is
// published at once when one goes anyway, after pace when none does, and
// never before it matured.
func TestEchoAckerPaced(t *testing.T) {
	t0 := time.Unix(1000, 0)
	const pace = 20 * time.Millisecond
	asked := 0
	no := func() bool { asked++; return false }
	yes := func() bool { asked++; return true }

	var e EchoAcker
	e.Arrived(5, t0)
	if ack, changed := e.UpdatePaced(t0.Add(49*time.Millisecond), pace, yes); ack != 0 || changed {
		t.Fatalf("before maturing, riding: ack %d changed %v", ack, changed)
	}
	if asked != 0 {
		t.Errorf("riding asked %d times before anything matured", asked)
	}
	if ack, changed := e.UpdatePaced(t0.Add(55*time.Millisecond), pace, no); ack != 0 || changed {
		t.Fatalf("matured, nothing to ride on, within pace: ack %d changed %v, want it held", ack, changed)
	}
	if at, ok := e.NextPaced(pace); !ok || !at.Equal(t0.Add(EchoTimeout+pace)) {
		t.Fatalf("NextPaced = %v %v, want t0+70ms", at, ok)
	}
	if ack, changed := e.UpdatePaced(t0.Add(56*time.Millisecond), pace, yes); ack != 5 || !changed {
		t.Fatalf("matured, riding: ack %d changed %v, want 5 true", ack, changed)
	}

	// Nothing to ride on: published once the pace has passed.
	e.Arrived(6, t0.Add(100*time.Millisecond))
	e.Arrived(7, t0.Add(110*time.Millisecond))
	if _, changed := e.UpdatePaced(t0.Add(169*time.Millisecond), pace, no); changed {
		t.Fatal("published before the pace passed")
	}
	if ack, changed := e.UpdatePaced(t0.Add(170*time.Millisecond), pace, no); ack != 7 || !changed {
		t.Fatalf("after the pace: ack %d changed %v, want 7 (all matured) true", ack, changed)
	}
	if _, ok := e.NextPaced(pace); ok {
		t.Error("nothing pending, but NextPaced reports a wake-up")
	}
}
