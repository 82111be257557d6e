package mux

import (
	"runtime"
	"runtime/debug"
	"sync"
	"time"
)

// memReleaseQuiet is how long the daemon's allocations must have stopped
// (no garbage collection cycle) before it returns its free heap pages to
// the operating system.
const memReleaseQuiet = 10 * time.Second

// memRelease returns the heap's free pages to the operating system once a
// burst of work is over. Go's collector keeps the pages a cycle freed for
// the next allocations and its background scavenger only returns what lies
// above the heap goal, which is at least 4 MiB (GOGC=100): an idle daemon
// that served a few hundred commands, or an attach, would keep ~3 MiB of
// freed pages resident for good (bench/mux measured 5.8 MiB RssAnon after
// 300 commands, 4.1 MiB after a release).
//
// It costs nothing while the daemon is quiet: there is no ticker. A
// cleanup on a sentinel object (runtime.AddCleanup) runs after each
// collection and pushes a timer back; the timer firing means no cycle ran
// for quiet, and it calls debug.FreeOSMemory once — not again until some
// other cycle shows that the heap was used since. A daemon that never
// collected (a fresh one, whose heap is below the goal) is left alone: the
// first cycle's own bookkeeping would cost more than it returns.
type memRelease struct {
	quiet   time.Duration
	release func()        // debug.FreeOSMemory; replaced in tests
	cycles  func() uint64 // completed collection cycles
	// code sheds the daemon's code pages (releaseCodePages) once per
	// quiet spell, and only while detached reports true: with a client
	// attached, the next keystroke would fault them back in from the disk
	// in its path. nil: never.
	code     func()
	detached func() bool
	// uncode undoes what code did to make the shed last (the code
	// mappings' read-around, restoreCodeReadahead) once a collection
	// shows the daemon at work again. nil: nothing to undo.
	uncode func()

	mu      sync.Mutex
	stopped bool
	timer   *time.Timer
	ours    uint64 // cycles right after our last release
	shed    bool   // code pages released since the last collection
}

// sentinel is the object whose collection marks the end of a cycle; it
// holds a pointer so that it is not a tiny allocation, whose cleanup might
// never run (runtime.AddCleanup).
type sentinel struct{ _ *int }

// startMemRelease starts watching collections; stop ends it. detached
// reports whether no client is attached, when code pages may go.
func startMemRelease(quiet time.Duration, detached func() bool) *memRelease {
	r := &memRelease{quiet: quiet, release: debug.FreeOSMemory, cycles: gcCycles, detached: detached,
		code: releaseCodePagesLast, uncode: restoreCodeReadahead}
	r.ours = r.cycles()
	r.arm()
	r.mu.Lock()
	defer r.mu.Unlock()
	// The start-up's pages go after the first quiet spell, collection or
	// not.
	r.timer = time.AfterFunc(r.quiet, r.fire)
	return r
}

func (r *memRelease) arm() {
	runtime.AddCleanup(&sentinel{}, func(r *memRelease) { r.afterGC() }, r)
}

// afterGC runs on the runtime's cleanup goroutine after a cycle.
func (r *memRelease) afterGC() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.stopped {
		return
	}
	if r.shed && r.uncode != nil && r.cycles() != r.ours { // not just our own release's cycle
		r.uncode()
	}
	r.shed = false
	if r.timer == nil {
		r.timer = time.AfterFunc(r.quiet, r.fire)
	} else {
		r.timer.Reset(r.quiet)
	}
	r.arm()
}

// fire runs quiet after the latest cycle.
func (r *memRelease) fire() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.stopped {
		return
	}
	if r.cycles() != r.ours { // else the latest cycle was our own release: nothing new to return
		r.release()
		r.ours = r.cycles()
	}
	if r.code == nil || r.shed {
		return
	}
	if !r.detached() {
		r.timer.Reset(r.quiet) // look again once the clients are gone
		return
	}
	r.code()
	r.shed = true
}

// stop ends the watch; a release in progress finishes first.
func (r *memRelease) stop() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.stopped = true
	if r.timer != nil {
		r.timer.Stop()
	}
}

// gcCycles is the number of completed collection cycles. It reads them
// with debug.ReadGCStats, which does not stop the world; runtime/metrics
// would too, but importing it costs every gosh process its description
// table (15 KiB of heap at init) and the first Read builds another.
func gcCycles() uint64 {
	var s debug.GCStats
	debug.ReadGCStats(&s)
	return uint64(s.NumGC)
}
