package mux_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/goshterm/gosh/mux/muxtest"
)

// TestMouseDragSelectsAndCopies: with mouse on, dragging with the left
// button over a pane that did not ask for the mouse selects text and
// copies it when the button goes up (tmux's MouseDrag1Pane → copy-mode
// -M, MouseDragEnd1Pane → copy-pipe-and-cancel); the same drag in tmux
// 3.3a (emacs keys) copies the same 37 bytes. gosh did nothing on a drag.
func TestMouseDragSelectsAndCopies(t *testing.T) {
	s := muxtest.NewServer(t)
	muxtest.MustRun(t, s, "new-session", "-d", "-s", "ms", "-x", "40", "-y", "10")
	muxtest.MustRun(t, s, "set-option", "-g", "mouse", "on")
	c := muxtest.Attach(t, s, "ms", 40, 10)
	c.Type("clear; for i in 1 2 3 4 5; do echo line-$i abcdefgh; done\r")
	c.WaitText("the lines", func(rows []string) bool { return has(rows, "line-5 abcdefgh") })
	rows := c.Text()
	top := -1
	for i, r := range rows {
		if strings.HasPrefix(r, "line-1 ") {
			top = i
		}
	}
	if top < 0 {
		t.Fatalf("no line-1 on screen:\n%s", strings.Join(rows, "\n"))
	}
	// press at column 2 of line-2, drag to column 7 of line-4, release
	// (SGR reports are 1-based)
	y := func(line int) string { return strconv.Itoa(top + line) }
	c.Type("\x1b[<0;3;" + y(2) + "M\x1b[<32;4;" + y(3) + "M\x1b[<32;8;" + y(4) + "M\x1b[<0;8;" + y(4) + "m")
	want := "buffer0: 37 bytes: \"ne-2 abcdefgh\\nline-3 abcdefgh\\nline-4 \"\n"
	muxtest.Eventually(t, "the drag's copy", func() bool { return muxtest.MustRun(t, s, "list-buffers") == want })
	// copy mode ended with the copy: typing reaches the shell again
	c.Type("echo after-drag\r")
	c.WaitContains("after-drag")
}
