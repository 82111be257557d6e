package mux_test

import (
	"testing"

	"github.com/goshterm/gosh/mux/muxtest"
)

// TestListWindowsDefaultFormat: list-windows prints tmux 3.3a's default
// line, layout included, so scripts that parse it (or paste the layout
// into select-layout) work on gosh too.
func TestListWindowsDefaultFormat(t *testing.T) {
	s := muxtest.NewServer(t)
	muxtest.MustRun(t, s, "new-session", "-d", "-s", "w", "-x", "100", "-y", "30")
	muxtest.MustRun(t, s, "split-window", "-h", "-t", "w")
	got := muxtest.MustRun(t, s, "list-windows", "-t", "w")
	// tmux 3.3a, same commands: the layout string is checked against it
	// elsewhere (#{window_layout}); here the line around it.
	want := "0: sh* (2 panes) [100x30] [layout 6b8b,100x30,0,0{50x30,0,0,0,49x30,51,0,1}] @0 (active)\n"
	if got != want {
		t.Errorf("list-windows:\n%q\nwant (tmux 3.3a):\n%q", got, want)
	}
}
