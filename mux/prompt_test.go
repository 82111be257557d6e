package mux_test

import (
	"strings"
	"testing"

	"github.com/goshterm/gosh/mux/muxtest"
)

func TestCommandPromptBindings(t *testing.T) {
	s := muxtest.NewServer(t)
	muxtest.MustRun(t, s, "new-session", "-d", "-s", "pr", "-n", "one", "-x", "80", "-y", "23")
	c := muxtest.Attach(t, s, "pr", 80, 24)
	c.WaitContains("[pr]")
	status := func(want string) func([]string) bool {
		return func(rows []string) bool { return len(rows) == 24 && strings.Contains(rows[23], want) }
	}

	// , asks for the window's new name, starting from the current one.
	c.Type("\x02,")
	c.WaitText("the rename-window prompt", status("(rename-window) one"))
	c.Type("\x7f\x7f\x7fed#it\r")
	c.WaitText("the renamed window", status("0:ed#it*"))
	if got := display(t, s, "pr", "#{window_name}"); got != "ed#it" {
		t.Errorf("window name %q, want ed#it", got)
	}
	// $ renames the session.
	c.Type("\x02$")
	c.WaitText("the rename-session prompt", status("(rename-session) pr"))
	c.Type("\x15work\r")
	c.WaitContains("[work]")
	// : runs a command line.
	c.Type("\x02:")
	c.WaitText("the command prompt", status(":"))
	c.Type("split-window -h\r")
	muxtest.Eventually(t, "two panes", func() bool { return display(t, s, "work", "#{window_panes}") == "2" })
	// ' selects a window by index.
	muxtest.MustRun(t, s, "new-window", "-d", "-t", "work:4")
	c.Type("\x02'4\r")
	c.WaitText("window 4 current", status("4:sh*"))
	// Escape leaves the prompt without running anything.
	c.Type("\x02:kill-server")
	c.WaitText("the typed answer", status(":kill-server"))
	c.Type("\x1b")
	c.WaitText("the prompt gone", func(rows []string) bool { return len(rows) == 24 && !strings.Contains(rows[23], "kill-server") })
	if got := display(t, s, "work", "#{session_name}"); got != "work" {
		t.Errorf("after Escape: session %q", got)
	}
	// / shows what a key does; - says there is no buffer to delete.
	c.Type("\x02/z")
	c.WaitText("list-keys for z", status("C-b z"))
	c.Type("\x02-")
	c.WaitText("delete-buffer's error", status("no buffer"))

	for argv, want := range map[string]string{
		"command-prompt":     "no current client",
		"refresh-client":     "no current client",
		"refresh -t nope":    "can't find client: nope",
		"delete-buffer -b x": "unknown buffer: x",
		"command-prompt -x":  "command command-prompt: unknown flag -x",
	} {
		if _, err := muxtest.Run(s, strings.Fields(argv)...); err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("%s: %v, want %q", argv, err, want)
		}
	}
	muxtest.MustRun(t, s, "refresh-client", "-t", "client1")
}
