package vt_test

import (
	"testing"

	"github.com/goshterm/gosh/vt"
)

// TestHiddenMain: while a full-screen program has the alternate screen
// the main buffer is still there to read, without scrollback, and the
// screen itself is unchanged; with the main buffer showing there is no
// hidden one.
func TestHiddenMain(t *testing.T) {
	s := vt.NewScreen(10, 3)
	s.WriteString("h1\r\nh2\r\nm1\r\nm2")
	if _, ok := s.HiddenMain(); ok {
		t.Fatal("HiddenMain on the main buffer: ok, want none")
	}
	s.WriteString("\x1b[?1049h\x1b[Halt")
	m, ok := s.HiddenMain()
	if !ok {
		t.Fatal("HiddenMain on the alternate screen: none")
	}
	var got, want []string
	for y := range 3 {
		got = append(got, m.Cell(0, y).Text+m.Cell(1, y).Text)
	}
	want = []string{"h2", "m1", "m2"}
	for y := range want {
		if got[y] != want[y] {
			t.Fatalf("hidden main rows = %q, want %q", got, want)
		}
	}
	if n := m.ScrollbackLen(); n != 0 {
		t.Errorf("hidden main has %d scrollback lines, want 0 (tmux's saved grid has no history)", n)
	}
	if m.Modes().AltScreen {
		t.Error("hidden main says it is the alternate screen")
	}
	if c := s.Cell(0, 0).Text; c != "a" || !s.Modes().AltScreen || s.ScrollbackLen() != 1 {
		t.Errorf("the screen changed: cell %q, alt %v, scrollback %d", c, s.Modes().AltScreen, s.ScrollbackLen())
	}
	s.WriteString("\x1b[?1049l")
	if _, ok := s.HiddenMain(); ok {
		t.Error("HiddenMain after leaving the alternate screen: ok, want none")
	}
}

// TestHistoryBytes: the figure counts the visible rows and grows as lines
// go into the scrollback.
func TestHistoryBytes(t *testing.T) {
	s := vt.NewScreen(20, 5)
	empty := s.HistoryBytes()
	if empty < 20*5 {
		t.Fatalf("HistoryBytes of an empty 20x5 screen = %d, want at least its cells", empty)
	}
	for range 50 {
		s.WriteString("0123456789\r\n")
	}
	if got := s.HistoryBytes(); got < empty+45*10 {
		t.Errorf("HistoryBytes with 45 history lines of 10 characters = %d, want at least %d", got, empty+45*10)
	}
}
