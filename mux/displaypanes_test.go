package mux_test

import (
	"strings"
	"testing"

	"github.com/goshterm/gosh/mux/muxtest"
	"github.com/goshterm/gosh/vt"
)

// numbersShown reports whether the client's frame shows display-panes'
// size labels ("40x11" at the top right of each 40x11 pane).
func numbersShown(rows []string) bool {
	return len(rows) > 0 && strings.Count(rows[0], "40x11") == 2
}

func TestDisplayPanesNumbersAndPicks(t *testing.T) {
	s := muxtest.NewServer(t)
	muxtest.MustRun(t, s, "new-session", "-d", "-s", "dp", "-x", "81", "-y", "11")
	muxtest.MustRun(t, s, "split-window", "-h", "-t", "dp")
	muxtest.MustRun(t, s, "set-option", "-g", "display-panes-time", "0") // until a key
	c := muxtest.Attach(t, s, "dp", 81, 12)
	c.WaitContains("[dp]")

	c.Type("\x02q")
	c.WaitText("the pane numbers", numbersShown)
	scr, _ := c.Screen()
	// Both 40x11 panes show a big digit centred: its top bar starts 3
	// columns left of the middle, 2 rows up; the active pane (1, on the
	// right) in red, the other in blue.
	for _, tc := range []struct {
		x      int
		colour vt.Color
		what   string
	}{{17, vt.IndexedColor(4), "pane 0's 0 in blue"}, {41 + 17, vt.IndexedColor(1), "pane 1's 1 in red"}} {
		x := tc.x
		if tc.colour == vt.IndexedColor(1) {
			x += 4 // the 1 is only its right-hand stroke
		}
		if got := scr.Cell(x, 3).Style.Bg; got != tc.colour {
			t.Errorf("%s: cell (%d,3) background %v, want %v", tc.what, x, got, tc.colour)
		}
	}
	if got := scr.Cell(17+2, 3+2).Style.Bg; got == vt.IndexedColor(4) {
		t.Error("the 0's middle is filled: that is an 8")
	}

	// A digit picks that pane and is used up.
	c.Type("0")
	muxtest.Eventually(t, "pane 0 active", func() bool { return display(t, s, "dp", "#{pane_index}") == "0" })
	c.WaitText("the numbers gone", func(rows []string) bool { return !numbersShown(rows) })
	for _, p := range []string{"dp:0.0", "dp:0.1"} {
		if out := muxtest.MustRun(t, s, "capture-pane", "-p", "-t", p); strings.Contains(out, "$ 0") {
			t.Errorf("the digit reached pane %s:\n%s", p, out)
		}
	}

	// A key that names no index takes the numbers down and does what it
	// always does.
	c.Type("\x02q")
	c.WaitText("the pane numbers again", numbersShown)
	c.Type("/")
	c.WaitText("the numbers gone", func(rows []string) bool { return !numbersShown(rows) })
	muxtest.WaitCapture(t, s, "dp:0.0", "$ /")
	if got := display(t, s, "dp", "#{pane_index}"); got != "0" {
		t.Errorf("/ changed the active pane to %s", got)
	}

	// From the command line, for a client by name; without -N a digit
	// naming no pane only takes the numbers down.
	muxtest.MustRun(t, s, "display-panes", "-t", "client1")
	c.WaitText("the numbers from the CLI", numbersShown)
	c.Type("7")
	c.WaitText("the numbers gone", func(rows []string) bool { return !numbersShown(rows) })
	if out := muxtest.MustRun(t, s, "capture-pane", "-p", "-t", "dp:0.0"); strings.Contains(out, "/7") {
		t.Errorf("the 7 reached the pane:\n%s", out)
	}

	// A custom template gets the chosen pane's id for %%.
	muxtest.MustRun(t, s, "display-panes", "-t", "client1", "-d", "0", "resize-pane -Z -t '%%'")
	c.WaitText("the numbers for the template", numbersShown)
	c.Type("1")
	muxtest.Eventually(t, "pane 1 zoomed", func() bool { return display(t, s, "dp", "#{window_zoomed_flag}#{pane_index}") == "11" })

	// The numbers go by themselves after display-panes-time.
	muxtest.MustRun(t, s, "resize-pane", "-Z", "-t", "dp")
	muxtest.MustRun(t, s, "display-panes", "-t", "client1", "-d", "50")
	c.WaitText("the numbers to expire", func(rows []string) bool { return !numbersShown(rows) })

	for argv, want := range map[string]string{
		"display-panes":                     "no current client",
		"display-panes -t nope":             "can't find client: nope",
		"display-panes -d x -t nope":        "delay x invalid",
		"displayp -Q":                       "command display-panes: unknown flag -Q",
		"set -g display-panes-colour mauve": "bad colour: mauve",
	} {
		if _, err := muxtest.Run(s, strings.Fields(argv)...); err == nil || err.Error() != want && !strings.HasPrefix(err.Error(), want) {
			t.Errorf("%s: %v, want %q", argv, err, want)
		}
	}
}
