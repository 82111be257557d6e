// Package cold runs in-process echo benchmarks on a cold cache, as
// bench/echo sees them: a keystroke comes 150 ms after the last, and by
// then other work holds the caches, so each step costs several times its
// warm figure (docs/performance.md, session 6). A test binary that imports
// it has the flag -cold:
//
//	go test -bench Echo -benchtime 2000x ./mux -args -cold
//
// Give a count: the untimed sweeps don't count towards a duration, and a
// 1 s run would take minutes. It imports nothing of gosh, so the tests of
// any package may use it.
package cold

import (
	"flag"
	"testing"
)

var enabled = flag.Bool("cold", false, "evict the CPU caches before each timed step of the echo benchmarks")

var sweep []byte

// Sweep evicts the CPU caches, with b's timer stopped, when -cold is set.
func Sweep(b *testing.B) {
	if !*enabled {
		return
	}
	b.StopTimer()
	if sweep == nil {
		sweep = make([]byte, 32<<20) // past any last-level cache here
	}
	for i := 0; i < len(sweep); i += 64 {
		sweep[i]++
	}
	b.StartTimer()
}
