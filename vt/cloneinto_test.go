package vt_test

import (
	"testing"

	"github.com/goshterm/gosh/vt"
	"github.com/goshterm/gosh/vt/vttest"
)

// TestCloneIntoLeavesOtherClonesAlone: CloneInto a retired clone gives a
// copy equal to the original, and neither building it nor writing to it
// afterwards changes the original or another clone that shares rows with
// the retired one (rows are shared copy-on-write; only the retired
// screen's own struct and slices are reused).
func TestCloneIntoLeavesOtherClonesAlone(t *testing.T) {
	s := vt.NewScreen(12, 4)
	s.WriteString("\x1b[31mred\r\nsecond\r\nthird")
	retired := s.Clone()
	kept := s.Clone()
	keptWant := vttest.Dump(kept)

	s.WriteString("\x1b[H\x1b[32mGREEN\x1b[3;1Hx")
	c := s.CloneInto(retired)
	if c != retired {
		t.Fatalf("CloneInto allocated a new screen instead of reusing the retired one")
	}
	if got, want := vttest.Dump(c), vttest.Dump(s); got != want {
		t.Errorf("CloneInto copy:\n%s\nwant the original:\n%s", got, want)
	}
	if got := vttest.Dump(kept); got != keptWant {
		t.Errorf("another clone changed when a retired one was reused:\n%s\nwant\n%s", got, keptWant)
	}

	sWant := vttest.Dump(s)
	c.WriteString("\x1b[2;1H\x1b[1mbold over\x1b[4;1Hnew")
	if got := vttest.Dump(s); got != sWant {
		t.Errorf("writing the CloneInto copy changed the original:\n%s\nwant\n%s", got, sWant)
	}
	if got := vttest.Dump(kept); got != keptWant {
		t.Errorf("writing the CloneInto copy changed another clone:\n%s\nwant\n%s", got, keptWant)
	}
	s.WriteString("\x1b[4;1Horig")
	if got := c.Cell(0, 3).Text; got != "n" {
		t.Errorf("the copy's row 3 starts %q after the original wrote its own row 3, want its own n", got)
	}
}

// TestCloneIntoFreshState: what the retired screen held besides rows —
// an alternate buffer in use, tab stops, a different size — does not leak
// into the copy: it switches to a blank alternate screen, tabs to the
// original's stops, and has the original's size.
func TestCloneIntoFreshState(t *testing.T) {
	old := vt.NewScreen(20, 6)
	old.WriteString("\x1b[?1049hALT SCREEN\x1b[3g\x1b[1;15H\x1bH") // alternate screen, one tab stop at 15

	s := vt.NewScreen(16, 3)
	s.WriteString("main")
	c := s.CloneInto(old)
	if cols, rows := c.Size(); cols != 16 || rows != 3 {
		t.Fatalf("copy is %dx%d, want the original's 16x3", cols, rows)
	}
	if got, want := vttest.Dump(c), vttest.Dump(s); got != want {
		t.Errorf("copy:\n%s\nwant\n%s", got, want)
	}
	c.WriteString("\r\n\tT")
	if x := c.Cursor().X; x != 9 {
		t.Errorf("tab then T left the cursor at %d, want 9 (tab stops every 8, not the retired screen's)", x)
	}
	c.WriteString("\x1b[?47h") // 47 shows the alternate buffer as it is (1049 would clear it)
	for x := range 16 {
		if got := c.Cell(x, 0).Text; got != "" {
			t.Fatalf("the copy's alternate screen shows %q at (%d,0), want it blank (the retired screen's alternate rows leaked)", got, x)
		}
	}
}

// TestCloneIntoKeepsScrollback: a copy made by CloneInto has the
// original's scrollback, and the original keeps adding to it without the
// copy seeing the new lines.
func TestCloneIntoKeepsScrollback(t *testing.T) {
	s := vt.NewScreen(10, 2)
	s.WriteString("one\r\ntwo\r\nthree")
	old := s.Clone()
	old.WriteString("\r\nold's own\r\nmore")
	c := s.CloneInto(old)
	if n := c.ScrollbackLen(); n != 1 {
		t.Fatalf("copy's scrollback has %d lines, want the original's 1", n)
	}
	s.WriteString("\r\nfour")
	if n, m := s.ScrollbackLen(), c.ScrollbackLen(); n != 2 || m != 1 {
		t.Errorf("scrollback lengths original %d copy %d, want 2 and 1", n, m)
	}
	if got := c.ScrollbackLine(0)[0].Text; got != "o" {
		t.Errorf("copy's scrollback starts %q, want the o of one", got)
	}
}
