package mux_test

import (
	"regexp"
	"strings"
	"testing"
	"time"

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

// TestDisplayMessageOnStatusLine: display-message without -p shows on the
// attached client's status line for display-time, then goes; it lands in
// the log show-messages prints with its time; -p, or a session without a
// client, prints it instead.
func TestDisplayMessageOnStatusLine(t *testing.T) {
	s := muxtest.NewServer(t)
	muxtest.MustRun(t, s, "new-session", "-d", "-s", "m", "-x", "80", "-y", "24")
	muxtest.MustRun(t, s, "new-session", "-d", "-s", "lone", "-x", "80", "-y", "24")
	c := muxtest.Attach(t, s, "m", 80, 24)
	defer c.Stop()
	c.WaitContains("[m]")
	status := func(rows []string) string { return rows[len(rows)-1] }

	muxtest.MustRun(t, s, "set", "-g", "display-time", "1500") // long enough for a loaded machine
	if out := muxtest.MustRun(t, s, "display-message", "-t", "m", "hello #{session_name}"); out != "" {
		t.Errorf("display-message printed %q; want it on the client", out)
	}
	c.WaitText("the message", func(rows []string) bool { return strings.Contains(status(rows), "hello m") })
	c.WaitText("the message gone", func(rows []string) bool { return !strings.Contains(status(rows), "hello m") })

	if out := muxtest.MustRun(t, s, "display-message", "-p", "-t", "m", "printed"); out != "printed\n" {
		t.Errorf("display-message -p = %q", out)
	}
	if out := muxtest.MustRun(t, s, "display-message", "-t", "lone", "nobody"); out != "nobody\n" {
		t.Errorf("display-message with no client = %q, want it printed", out)
	}
	log := muxtest.MustRun(t, s, "show-messages")
	line := regexp.MustCompile(`(?m)^[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \d{4} client\d+ message: hello m$`)
	if !line.MatchString(log) || strings.Contains(log, "printed") || strings.Contains(log, "nobody") {
		t.Errorf("show-messages = %q, want only the shown message, with its time", log)
	}

	// display-time 0: until a key.
	muxtest.MustRun(t, s, "set", "-g", "display-time", "0")
	muxtest.MustRun(t, s, "display-message", "-t", "m", "press a key")
	c.WaitText("the sticky message", func(rows []string) bool { return strings.Contains(status(rows), "press a key") })
	c.Type("x")
	c.WaitText("the sticky message gone", func(rows []string) bool { return !strings.Contains(status(rows), "press a key") })

	// message-limit bounds the log, the oldest going first.
	muxtest.MustRun(t, s, "set", "-g", "message-limit", "2")
	for _, m := range []string{"first", "second", "third"} {
		muxtest.MustRun(t, s, "display-message", "-d", "10", "-t", "m", m)
	}
	log = muxtest.MustRun(t, s, "show-messages")
	if n := strings.Count(log, "\n"); n != 2 || !strings.Contains(log, "message: second\n") || !strings.HasSuffix(log, "message: third\n") {
		t.Errorf("show-messages with message-limit 2 = %q, want second and third", log)
	}
}

// TestShowMessagesView: prefix ~ shows the message log over the pane in
// view mode; q leaves it.
func TestShowMessagesView(t *testing.T) {
	s := muxtest.NewServer(t)
	muxtest.MustRun(t, s, "new-session", "-d", "-s", "v", "-x", "80", "-y", "24")
	c := muxtest.Attach(t, s, "v", 80, 24)
	defer c.Stop()
	c.WaitText("the prompt", func(rows []string) bool { return strings.HasPrefix(rows[0], "$") })
	// An empty log opens an empty view all the same.
	c.Type("\x02~")
	c.WaitText("the empty view", func(rows []string) bool {
		return !strings.HasPrefix(rows[0], "$") && strings.Contains(rows[0], "[0/0]")
	})
	c.Type("q")
	c.WaitText("the pane back", func(rows []string) bool { return strings.HasPrefix(rows[0], "$") })
	muxtest.MustRun(t, s, "display-message", "-t", "v", "logged-one")
	muxtest.MustRun(t, s, "display-message", "-t", "v", "logged-two")
	c.Type("\x02~")
	rows := c.WaitText("the log in view mode", func(rows []string) bool {
		return strings.Contains(rows[0], "message: logged-one") && strings.HasSuffix(rows[1], "message: logged-two")
	})
	if strings.HasPrefix(rows[0], "$") {
		t.Errorf("the pane shows through the view: %q", rows[0])
	}
	c.Type("q")
	c.WaitText("the pane again", func(rows []string) bool { return strings.HasPrefix(rows[0], "$") })
}

// TestPromptTakesStatusLine: prefix x's confirm-before question and prefix
// :'s command prompt take the whole status line from its left edge, as
// tmux draws them, with the frame's cursor after the question and a
// space; n answers no and the pane lives on.
func TestPromptTakesStatusLine(t *testing.T) {
	s := muxtest.NewServer(t)
	muxtest.MustRun(t, s, "new-session", "-d", "-s", "q", "-x", "60", "-y", "10")
	c := muxtest.Attach(t, s, "q", 60, 10)
	defer c.Stop()
	c.WaitContains("[q]")
	status := func(rows []string) string { return rows[len(rows)-1] }

	c.Type("\x02x")
	const question = "kill-pane 0? (y/n) "
	c.WaitText("the question", func(rows []string) bool { return strings.HasPrefix(status(rows), strings.TrimSpace(question)) })
	if cur := screen(c).Cursor(); cur.X != len(question) || cur.Y != 9 {
		t.Errorf("cursor at %d,%d during the question; want %d,9", cur.X, cur.Y, len(question))
	}
	c.Type("n")
	c.WaitText("the status line back", func(rows []string) bool { return strings.HasPrefix(status(rows), "[q]") })

	c.Type("\x02:list")
	c.WaitText("the command prompt", func(rows []string) bool { return strings.HasPrefix(status(rows), ":list") })
	c.Type("\x1b")
	c.WaitText("the status line back", func(rows []string) bool { return strings.HasPrefix(status(rows), "[q]") })
	if out := muxtest.MustRun(t, s, "list-panes", "-t", "q", "-F", "#{pane_index}"); out != "0\n" {
		t.Errorf("panes after answering n: %q", out)
	}
}

// A background window's name on the status line follows its pane's
// program too: the name is kept for up to half a second between reads
// (tmux renames on a 500 ms timer), and a frame that used a kept name
// brings another once it is due, so the change shows without more typing.
func TestBackgroundWindowNameFollowsProgram(t *testing.T) {
	s := muxtest.NewServer(t)
	muxtest.MustRun(t, s, "new-session", "-d", "-s", "bg", "-x", "60", "-y", "10")
	muxtest.MustRun(t, s, "new-window", "-d", "-t", "bg:1")
	c := muxtest.Attach(t, s, "bg", 60, 10)
	defer c.Stop()
	status := func(want string) func(rows []string) bool {
		return func(rows []string) bool { return len(rows) == 10 && strings.Contains(rows[9], want) }
	}
	c.WaitText("both windows named sh", status("0:sh* 1:sh"))
	c.WaitText("the prompt", func(rows []string) bool { return len(rows) > 0 && strings.HasPrefix(rows[0], "$") })
	c.Type("x") // a frame: the background name is read and kept
	c.WaitText("the key's echo", func(rows []string) bool { return strings.HasPrefix(rows[0], "$ x") })
	muxtest.MustRun(t, s, "send-keys", "-t", "bg:1", "exec cat", "Enter")
	for i := 0; ; i++ {
		out := muxtest.MustRun(t, s, "display-message", "-p", "-t", "bg:1", "#{pane_current_command}")
		if strings.TrimSpace(out) == "cat" {
			break
		}
		if i == 500 {
			t.Fatalf("window 1 runs %q, not cat", out)
		}
		time.Sleep(10 * time.Millisecond)
	}
	c.Type("y") // a frame soon after: it may use the kept name
	c.WaitText("the background window named cat", status("0:sh* 1:cat"))
}
