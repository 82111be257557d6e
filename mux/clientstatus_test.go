package mux_test

import (
	"strings"
	"testing"

	"github.com/goshterm/gosh/mux/muxtest"
	"github.com/goshterm/gosh/vt"
)

// The current window's name on the status line follows its active pane's
// foreground program (tmux's automatic-rename), as the pane facts do:
// compose reads the program once for both.
func TestAttachWindowNameFollowsProgram(t *testing.T) {
	s := muxtest.NewServer(t)
	muxtest.MustRun(t, s, "new-session", "-d", "-s", "names", "-x", "40", "-y", "10")
	c := muxtest.Attach(t, s, "names", 40, 10)
	status := func(want string) func(rows []string) bool {
		return func(rows []string) bool { return len(rows) == 10 && strings.Contains(rows[9], want) }
	}
	c.WaitText("the shell's name", status("0:sh*"))
	c.WaitText("the prompt", func(rows []string) bool { return len(rows) > 0 && strings.HasPrefix(rows[0], "$") })
	c.Type("cat\r")
	c.WaitText("cat started", func(rows []string) bool { return len(rows) > 1 && rows[0] == "$ cat" })
	// The name is read when a frame is composed: typing into cat makes
	// one (otherwise the status line's redraw would, within 15 s).
	for i := 0; !strings.Contains(muxtest.Rows(screen(c))[9], "0:cat*"); i++ {
		if i == 100 {
			t.Fatalf("status line never named cat: %q", muxtest.Rows(screen(c)))
		}
		c.Type("x")
		c.WaitText("the key's echo", func(rows []string) bool { return len(rows) > 1 && strings.Count(rows[1], "x") == i+1 })
	}
	if _, p := c.Screen(); p.Program != "cat" {
		t.Errorf("pane facts name %q, want cat", p.Program)
	}
	c.Type("\r\x04") // EOF: back at the shell
	c.WaitText("the shell's name again", status("0:sh*"))
}

func screen(c *muxtest.Client) *vt.Screen {
	scr, _ := c.Screen()
	return scr
}
