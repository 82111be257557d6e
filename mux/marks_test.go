package mux_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/goshterm/gosh/mux/muxtest"
	"github.com/goshterm/gosh/vt"
)

// TestMarkedPaneBorder: select-pane -m draws the marked pane's borders in
// reverse video on an attached client, and flags its window "M", as tmux
// does; select-pane -M takes both away.
func TestMarkedPaneBorder(t *testing.T) {
	s := muxtest.NewServer(t)
	muxtest.MustRun(t, s, "new-session", "-d", "-s", "mk", "-x", "80", "-y", "24")
	muxtest.MustRun(t, s, "split-window", "-h", "-t", "mk")
	c := muxtest.Attach(t, s, "mk", 80, 24)
	defer c.Stop()
	x, err := strconv.Atoi(strings.TrimSpace(muxtest.MustRun(t, s, "display-message", "-p", "-t", "mk:0.0", "#{pane_width}")))
	if err != nil {
		t.Fatal(err)
	}
	reversed := func() bool {
		scr, _ := c.Screen()
		cell := scr.Cell(x, 5)
		return cell.Text == "│" && cell.Style.Attrs&vt.Inverse != 0
	}
	c.WaitContains("[mk]")
	if reversed() {
		t.Fatal("the border is reversed with no pane marked")
	}
	muxtest.MustRun(t, s, "select-pane", "-m", "-t", "mk:0.0")
	c.WaitText("the marked pane's border in reverse", func([]string) bool { return reversed() })
	if got := muxtest.MustRun(t, s, "display-message", "-p", "-t", "mk", "#{window_flags}"); got != "*M\n" {
		t.Errorf("window_flags = %q, want *M", got)
	}
	if rows := c.Text(); !strings.Contains(rows[len(rows)-1], "0:sh*M") {
		t.Errorf("status line = %q, want 0:sh*M", rows[len(rows)-1])
	}
	muxtest.MustRun(t, s, "select-pane", "-M")
	c.WaitText("the border plain again", func([]string) bool { return !reversed() })
}
