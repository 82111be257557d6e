package vt_test

import (
	"runtime"
	"testing"

	"github.com/goshterm/gosh/vt"
)

// allocated returns the bytes f allocated on the heap. Only the calling
// goroutine allocates in these tests, so the count is f's.
func allocated(f func()) uint64 {
	var a, b runtime.MemStats
	runtime.ReadMemStats(&a)
	f()
	runtime.ReadMemStats(&b)
	return b.TotalAlloc - a.TotalAlloc
}

// A pane that never runs a full-screen program never pays for the
// alternate screen: a new 200x60 screen allocates one grid, and the first
// switch to the alternate screen allocates the second.
func TestAltScreenAllocatedOnFirstUse(t *testing.T) {
	var s *vt.Screen
	created := allocated(func() { s = vt.NewScreen(200, 60) })
	entered := allocated(func() { s.WriteString("\x1b[?1049h") })
	if entered < created/3 {
		t.Errorf("entering the alternate screen allocated %d bytes, new screen %d: want the second grid allocated on entry, not up front", entered, created)
	}
	again := allocated(func() { s.WriteString("\x1b[?47l\x1b[?47h") })
	if again >= created/3 {
		t.Errorf("re-entering with 47 allocated %d bytes: want the kept alternate grid reused", again)
	}
}

// The alternate screen behaves the same whether or not its grid existed
// yet: resized while unused, dropped when left cleared, dropped by RIS.
func TestAltScreenLazyKeepsBehaviour(t *testing.T) {
	s := vt.NewScreen(10, 3)
	s.Resize(6, 4) // never used yet
	s.WriteString("\x1b[?47h\x1b[4;1Hbottom")
	if got := screenRows(s); len(got) != 4 || got[3] != "bottom" {
		t.Fatalf("alternate screen after a resize while unused = %q, want 4 rows ending in \"bottom\"", got)
	}
	// 1047 clears the alternate screen on exit: a later 47 entry (which
	// does not clear) shows it blank.
	s.WriteString("\x1b[?47l\x1b[?1047h\x1b[HX\x1b[?1047l\x1b[?47h")
	if got := screenRows(s); got[0] != "" || got[3] != "" {
		t.Errorf("47 entry after a 1047 exit shows %q, want a blank screen", got)
	}
	// RIS on the alternate screen returns to a blank main screen and leaves
	// the alternate one blank for the next 47 entry.
	s.WriteString("\x1b[HY\x1bc")
	if s.Modes().AltScreen {
		t.Errorf("RIS left the alternate screen active")
	}
	s.WriteString("main\x1b[?47h")
	if got := screenRows(s); got[0] != "" {
		t.Errorf("47 entry after RIS shows %q, want a blank screen", got)
	}
	s.WriteString("\x1b[?47l")
	if got := screenRows(s); got[0] != "main" {
		t.Errorf("main screen after leaving = %q, want \"main\"", got[0])
	}
	// A clone taken before the first entry is independent of the original.
	c := s.Clone()
	c.WriteString("\x1b[?47hCLONE")
	if s.Modes().AltScreen || screenRows(s)[0] != "main" {
		t.Errorf("entering the alternate screen in a clone changed the original: %q", screenRows(s))
	}
	s.WriteString("\x1b[?47h")
	if got := screenRows(s)[0]; got != "" {
		t.Errorf("original's alternate screen shows %q after the clone wrote to its own", got)
	}
}
