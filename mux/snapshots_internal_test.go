package mux

import (
	"fmt"
	"testing"
	"time"

	"github.com/goshterm/gosh/vt"
	"github.com/goshterm/gosh/vt/vttest"
)

// TestComposeRecyclesSnapshots: a client composing frame after frame while
// its pane prints on changing rows takes each snapshot in the memory of
// the one from two frames back (the last frame's is still the Composer's
// to compare rows with), and every frame still shows the pane as it is.
func TestComposeRecyclesSnapshots(t *testing.T) {
	_, c, p := echoFixture(t)
	now := time.Now()
	var taken []*vt.Screen
	for i := range 40 {
		p.mu.Lock()
		fmt.Fprintf(p.screen, "\x1b[%d;1Hline %d of the pane\x1b[%d;1H%c", 1+i%5, i, 6+i%3, 'a'+i%26)
		want := vttest.Dump(p.screen)
		p.mu.Unlock()
		if _, ok := c.compose(now); !ok {
			t.Fatal("compose found no session")
		}
		frame := c.tr.Current().Screen()
		for y := range 8 {
			for x := range 80 {
				if frame.Cell(x, y) != c.snaps.cur[0].Cell(x, y) {
					t.Fatalf("frame %d: cell (%d,%d) = %+v, the pane shows %+v; pane:\n%s", i, x, y, frame.Cell(x, y), c.snaps.cur[0].Cell(x, y), want)
				}
			}
		}
		if got := vttest.Dump(c.snaps.cur[0]); got != want {
			t.Fatalf("frame %d: snapshot\n%s\nwant the pane\n%s", i, got, want)
		}
		taken = append(taken, c.snaps.cur[0])
	}
	for i := 2; i < len(taken); i++ {
		if taken[i] != taken[i-2] {
			t.Fatalf("frame %d's snapshot is new memory, not the one of frame %d", i, i-2)
		}
		if taken[i] == taken[i-1] {
			t.Fatalf("frame %d's snapshot reuses the last frame's, which the Composer still holds", i)
		}
	}
}
