package server

import "time"

// loopTimer is what the session loop needs of a timer.
type loopTimer interface {
	C() <-chan struct{}
	set(d time.Duration)
	disarm()
	close() error
}

// newLoopTimer returns a wakeTimer, or a runtime timer where timerfd(2)
// is unavailable.
func newLoopTimer() loopTimer {
	if w, err := newWakeTimer(); err == nil {
		return w
	}
	return &runtimeTimer{c: make(chan struct{}, 1)}
}

// runtimeTimer is the fallback: a fresh runtime timer per setting (a
// stopped one leaves the runtime's heap before the process sleeps; one
// moved later would not).
type runtimeTimer struct {
	t *time.Timer
	c chan struct{}
}

func (r *runtimeTimer) C() <-chan struct{} { return r.c }

func (r *runtimeTimer) set(d time.Duration) {
	r.disarm()
	r.t = time.AfterFunc(d, func() {
		select {
		case r.c <- struct{}{}:
		default:
		}
	})
}

func (r *runtimeTimer) disarm() {
	if r.t != nil {
		r.t.Stop()
		r.t = nil
	}
}

func (r *runtimeTimer) close() error {
	r.disarm()
	return nil
}
