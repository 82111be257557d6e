package mux

import (
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// waitFor polls cond every few milliseconds for at most 10 s.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for range 2000 {
		if cond() {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("timed out waiting for %s", what)
}

// A collection followed by quiet releases once; the release's own cycle
// does not release again; the next real collection does; stop ends it.
func TestMemReleaseOncePerQuietPeriod(t *testing.T) {
	var cycles atomic.Uint64
	var mu sync.Mutex
	released := 0
	count := func() int { mu.Lock(); defer mu.Unlock(); return released }
	r := &memRelease{quiet: 20 * time.Millisecond, cycles: cycles.Load, release: func() {
		mu.Lock()
		released++
		mu.Unlock()
		cycles.Add(1)
		runtime.GC() // as debug.FreeOSMemory does: a cycle of its own
	}}
	r.arm()
	defer r.stop()

	runtime.GC() // not counted in cycles: as if nothing had been allocated
	time.Sleep(10 * r.quiet)
	if n := count(); n != 0 {
		t.Fatalf("released %d times with no counted cycle, want 0", n)
	}

	cycles.Add(1)
	runtime.GC()
	waitFor(t, "the first release", func() bool { return count() == 1 })
	time.Sleep(10 * r.quiet)
	if n := count(); n != 1 {
		t.Fatalf("released %d times after one busy period, want 1 (the release's own cycle must not trigger another)", n)
	}

	cycles.Add(1)
	runtime.GC()
	waitFor(t, "the second release", func() bool { return count() == 2 })

	r.stop()
	cycles.Add(1)
	runtime.GC()
	time.Sleep(10 * r.quiet)
	if n := count(); n != 2 {
		t.Fatalf("released %d times after stop, want 2", n)
	}
}

// With the real release, the pages a burst freed go back to the system.
// The cycle count is the test's own, so that collections of other tests'
// leftovers neither hold the release off nor fire it early, and the free
// heap returned is read across the release itself.
func TestMemReleaseReturnsFreedPages(t *testing.T) {
	released := func() int64 {
		s := []metrics.Sample{{Name: "/memory/classes/heap/released:bytes"}}
		metrics.Read(s)
		return int64(s[0].Value.Uint64())
	}
	// A heap goal far above the heap keeps the background scavenger,
	// which returns what lies above the goal, from returning the freed
	// pages itself before the release (a slow quiet period let it take
	// all but 0.5 MiB in one run of five).
	defer debug.SetGCPercent(debug.SetGCPercent(10000))
	var cycles atomic.Uint64
	gain := make(chan int64, 1)
	r := &memRelease{quiet: 20 * time.Millisecond, cycles: cycles.Load, release: func() {
		before := released()
		debug.FreeOSMemory()
		select {
		case gain <- released() - before:
		default:
		}
	}}
	r.arm()
	defer r.stop()
	var keep [][]byte
	for range 64 {
		keep = append(keep, make([]byte, 64<<10))
	}
	for i := range keep {
		keep[i][0] = 1
	}
	keep = nil
	cycles.Add(1)
	runtime.GC()
	select {
	case n := <-gain:
		// Of the 4 MiB freed, the background scavenger may have
		// returned some before the release; the rest goes now.
		if n < 512<<10 {
			t.Errorf("the release returned %d bytes to the system, want at least 512 KiB (4 MiB were freed)", n)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no release within 10 s of a collection")
	}
}

// Code pages go once per quiet spell, only while no client is attached:
// first after start-up, then again after a collection shows new work.
func TestMemReleaseShedsCodeWhenDetached(t *testing.T) {
	var mu sync.Mutex
	shed := 0
	attached := true
	shedCount := func() int { mu.Lock(); defer mu.Unlock(); return shed }
	r := startMemRelease(20*time.Millisecond, func() bool { mu.Lock(); defer mu.Unlock(); return !attached })
	r.mu.Lock()
	r.release = func() {}
	r.code = func() { mu.Lock(); shed++; mu.Unlock() }
	unshed := 0
	r.uncode = func() { mu.Lock(); unshed++; mu.Unlock() }
	unshedCount := func() int { mu.Lock(); defer mu.Unlock(); return unshed }
	r.mu.Unlock()
	defer r.stop()

	time.Sleep(10 * r.quiet)
	if n := shedCount(); n != 0 {
		t.Fatalf("shed code %d times with a client attached, want 0", n)
	}
	mu.Lock()
	attached = false
	mu.Unlock()
	waitFor(t, "code shed after the client left", func() bool { return shedCount() == 1 })
	time.Sleep(10 * r.quiet)
	if n := shedCount(); n != 1 {
		t.Fatalf("shed code %d times in one quiet spell, want 1", n)
	}
	if n := unshedCount(); n != 0 {
		t.Fatalf("shed undone %d times before any new work, want 0", n)
	}
	runtime.GC() // new work
	waitFor(t, "the shed undone after new work", func() bool { return unshedCount() == 1 })
	waitFor(t, "code shed after the next quiet spell", func() bool { return shedCount() == 2 })
}

// The collection that the release itself forces is not new work: it does
// not undo the shed that follows it; any other collection does.
func TestMemReleaseOwnCycleKeepsTheShed(t *testing.T) {
	var cycles atomic.Uint64
	undone := 0
	r := &memRelease{quiet: time.Hour, cycles: cycles.Load, release: func() {}, uncode: func() { undone++ }}
	defer r.stop()
	r.mu.Lock()
	r.ours, r.shed = cycles.Load(), true
	r.mu.Unlock()
	r.afterGC()
	if undone != 0 {
		t.Fatalf("our own release's cycle undid the shed %d times, want 0", undone)
	}
	cycles.Add(1)
	r.mu.Lock()
	r.shed = true
	r.mu.Unlock()
	r.afterGC()
	if undone != 1 {
		t.Fatalf("a collection after new work undid the shed %d times, want 1", undone)
	}
}
