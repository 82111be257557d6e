package mux_test

import (
	"strings"
	"testing"

	"github.com/goshterm/gosh/mux/muxtest"
)

// TestBellFlag: a background window whose pane rings the bell shows "!" in
// #{window_flags} and in an attached client's status line until selected.
func TestBellFlag(t *testing.T) {
	s := muxtest.NewServer(t)
	muxtest.MustRun(t, s, "new-session", "-d", "-s", "b", "-x", "80", "-y", "24")
	muxtest.MustRun(t, s, "new-window", "-d", "-t", "b:1")
	c := muxtest.Attach(t, s, "b", 80, 24)
	defer c.Stop()
	flags := func() string {
		return muxtest.MustRun(t, s, "list-windows", "-t", "b", "-F", "#{window_index}#{window_flags}")
	}
	if got := flags(); got != "0*\n1\n" {
		t.Fatalf("flags before bell = %q", got)
	}
	muxtest.MustRun(t, s, "send-keys", "-t", "b:1", `printf '\007'`, "Enter")
	muxtest.Eventually(t, "the bell flag", func() bool { return flags() == "0*\n1!\n" })
	if got := muxtest.MustRun(t, s, "display-message", "-p", "-t", "b:1", "#{window_bell_flag}"); got != "1\n" {
		t.Errorf("window_bell_flag = %q, want 1", got)
	}
	c.WaitText("1! in the status line", func(rows []string) bool {
		return strings.Contains(rows[len(rows)-1], "1:sh!")
	})
	muxtest.MustRun(t, s, "select-window", "-t", "b:1")
	muxtest.MustRun(t, s, "select-window", "-t", "b:0")
	if got := flags(); got != "0*\n1-\n" {
		t.Errorf("flags after select-window = %q, want the bell cleared", got)
	}
}

// TestBellFlagWithoutCommands: a background window's bell reaches an
// attached client's status line by itself — no command runs after it that
// would wake the client — and rings the client's terminal (bell-action
// any), as tmux's does.
func TestBellFlagWithoutCommands(t *testing.T) {
	s := muxtest.NewServer(t)
	muxtest.MustRun(t, s, "new-session", "-d", "-s", "w", "-x", "80", "-y", "24")
	muxtest.MustRun(t, s, "new-window", "-d", "-t", "w:1")
	c := muxtest.Attach(t, s, "w", 80, 24)
	defer c.Stop()
	c.WaitText("the window list", func(rows []string) bool { return strings.Contains(rows[len(rows)-1], "1:sh ") })
	scr, _ := c.Screen()
	bells := scr.BellCount()
	// The bell comes a while after send-keys, whose end woke the client.
	muxtest.MustRun(t, s, "send-keys", "-t", "w:1", `sleep 0.5; printf '\007'`, "Enter")
	c.WaitText("1:sh! in the status line", func(rows []string) bool {
		return strings.Contains(rows[len(rows)-1], "1:sh!")
	})
	if scr, _ := c.Screen(); scr.BellCount() <= bells {
		t.Errorf("client bell count %d, want more than %d: a background bell rings with bell-action any", scr.BellCount(), bells)
	}
}
