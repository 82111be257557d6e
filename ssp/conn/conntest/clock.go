package conntest

import (
	"container/heap"
	"sync"
	"time"

	"github.com/goshterm/gosh/ssp/conn"
)

// Scheduler runs functions later. The Network delivers datagrams through
// one: a *Clock for step-by-step simulation, or RealTime (which inside a
// testing/synctest bubble is fake time too).
type Scheduler interface {
	Now() time.Time
	AfterFunc(d time.Duration, f func()) (stop func() bool)
}

// RealTime schedules with the time package.
type RealTime struct{}

var _ Scheduler = RealTime{}

// Now returns time.Now().
func (RealTime) Now() time.Time { return time.Now() }

// AfterFunc wraps time.AfterFunc.
func (RealTime) AfterFunc(d time.Duration, f func()) func() bool { return time.AfterFunc(d, f).Stop }

// Clock is a manual clock: time moves only in Advance and AdvanceTo,
// which run due callbacks in time order (ties in scheduling order). It is
// safe for concurrent use; callbacks run without its lock held.
type Clock struct {
	mu     sync.Mutex
	now    time.Time
	events eventHeap
	seq    uint64
}

var (
	_ conn.Clock = (*Clock)(nil)
	_ Scheduler  = (*Clock)(nil)
)

// NewClock returns a clock reading start.
func NewClock(start time.Time) *Clock { return &Clock{now: start} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// AfterFunc schedules f at Now()+d.
func (c *Clock) AfterFunc(d time.Duration, f func()) func() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.seq++
	e := &event{at: c.now.Add(d), seq: c.seq, f: f}
	heap.Push(&c.events, e)
	return func() bool {
		c.mu.Lock()
		defer c.mu.Unlock()
		if e.index < 0 {
			return false
		}
		heap.Remove(&c.events, e.index)
		return true
	}
}

// NewTimer returns a timer that fires when the clock passes Now()+d.
func (c *Clock) NewTimer(d time.Duration) conn.Timer {
	t := &timer{c: make(chan time.Time, 1)}
	t.stop = c.AfterFunc(d, func() {
		select {
		case t.c <- c.Now():
		default:
		}
	})
	return t
}

type timer struct {
	c    chan time.Time
	stop func() bool
}

func (t *timer) C() <-chan time.Time { return t.c }
func (t *timer) Stop() bool          { return t.stop() }

// Next returns the time of the earliest pending callback.
func (c *Clock) Next() (time.Time, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.events) == 0 {
		return time.Time{}, false
	}
	return c.events[0].at, true
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) { c.AdvanceTo(c.Now().Add(d)) }

// AdvanceTo moves the clock to t (never backwards), running every
// callback due on the way with the clock set to its time.
func (c *Clock) AdvanceTo(t time.Time) {
	for {
		c.mu.Lock()
		if len(c.events) == 0 || c.events[0].at.After(t) {
			if t.After(c.now) {
				c.now = t
			}
			c.mu.Unlock()
			return
		}
		e := heap.Pop(&c.events).(*event)
		if e.at.After(c.now) {
			c.now = e.at
		}
		c.mu.Unlock()
		e.f()
	}
}

type event struct {
	at    time.Time
	seq   uint64
	f     func()
	index int
}

type eventHeap []*event

func (h eventHeap) Len() int { return len(h) }
func (h eventHeap) Less(i, j int) bool {
	if !h[i].at.Equal(h[j].at) {
		return h[i].at.Before(h[j].at)
	}
	return h[i].seq < h[j].seq
}
func (h eventHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].index, h[j].index = i, j
}
func (h *eventHeap) Push(x any) {
	e := x.(*event)
	e.index = len(*h)
	*h = append(*h, e)
}
func (h *eventHeap) Pop() any {
	old := *h
	e := old[len(old)-1]
	old[len(old)-1] = nil
	e.index = -1
	*h = old[:len(old)-1]
	return e
}
