package server

import (
	"testing"
	"time"
)

// The loop's timer wakes it when set, a new setting replaces the old one
// (a far deadline moved near fires at the near one), and close ends its
// reader. Both kinds: timerfd and the runtime fallback.
func TestLoopTimer(t *testing.T) {
	w, err := newWakeTimer()
	if err != nil {
		t.Skipf("no timerfd: %v", err)
	}
	for name, lt := range map[string]loopTimer{"timerfd": w, "runtime": &runtimeTimer{c: make(chan struct{}, 1)}} {
		t.Run(name, func(t *testing.T) {
			defer lt.close()
			expect := func(what string) {
				t.Helper()
				select {
				case <-lt.C():
				case <-time.After(10 * time.Second):
					t.Fatalf("%s: the timer never fired", what)
				}
			}
			lt.set(time.Millisecond)
			expect("set 1 ms")
			lt.set(time.Hour)
			lt.set(2 * time.Millisecond)
			expect("set 1 h, then 2 ms")
			lt.set(0)
			expect("set 0 (at once)")
			lt.disarm()
		})
	}
}
