package mux_test

import (
	"strings"
	"testing"

	"github.com/goshterm/gosh/mux/muxtest"
)

func TestChooseTreeAndClient(t *testing.T) {
	s := muxtest.NewServer(t)
	for _, n := range []string{"a", "b"} {
		muxtest.MustRun(t, s, "new-session", "-d", "-s", n, "-x", "80", "-y", "23")
	}
	muxtest.MustRun(t, s, "new-window", "-d", "-t", "b:3", "-n", "three")
	c := muxtest.Attach(t, s, "a", 80, 24)
	c.WaitContains("[a]")
	has := func(want ...string) func([]string) bool {
		return func(rows []string) bool {
			text := strings.Join(rows, "\n")
			for _, w := range want {
				if !strings.Contains(text, w) {
					return false
				}
			}
			return true
		}
	}

	// s lists the sessions, the current one selected; j then Enter
	// switches to the next.
	c.Type("\x02s")
	c.WaitText("the session list", has("(0) a: 1 windows (attached)", "(1) b: 2 windows"))
	scr, _ := c.Screen()
	if bg := scr.Cell(0, 0).Style.Bg; bg.IsDefault() {
		t.Error("the current session's line is not highlighted")
	}
	c.Type("j\r")
	c.WaitContains("[b]")
	c.WaitText("the list gone", func(rows []string) bool { return !has("(0) a:")(rows) })

	// w lists windows too; an item's digit picks it at once.
	c.Type("\x02w")
	c.WaitText("the window list", has("(0) a: 1 windows", "(1) └─> 0: sh* (1 panes)", "(2) b: 2 windows (attached)", "(3) ├─> 0: sh*", "(4) └─> 3: three (1 panes)"))
	c.Type("4")
	c.WaitContains("3:three*")
	// q leaves without choosing; keys reach no pane meanwhile.
	c.Type("\x02w")
	c.WaitText("the window list again", has("└─> 3: three"))
	c.Type("xyq")
	c.WaitText("the list gone", func(rows []string) bool { return !has("└─> 3:")(rows) })
	if out := muxtest.MustRun(t, s, "capture-pane", "-p", "-t", "b:3"); strings.Contains(out, "xy") {
		t.Errorf("keys typed in the chooser reached the pane:\n%s", out)
	}
	// = with no buffers opens nothing; D lists clients, Enter detaches
	// the chosen one (choose-client's default).
	c.Type("\x02=")
	c.Type("\x02D")
	c.WaitText("the client list", has("(0) client1: b [80x24 xterm-256color]"))
	c.Type("\r")
	muxtest.Eventually(t, "the detach", c.ServerShutdown)

	for argv, want := range map[string]string{
		"choose-tree":    "no current client",
		"choose-tree -x": "command choose-tree: unknown flag -x",
	} {
		if _, err := muxtest.Run(s, strings.Fields(argv)...); err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("%s: %v, want %q", argv, err, want)
		}
	}
}

func TestFindWindow(t *testing.T) {
	s := muxtest.NewServer(t)
	muxtest.MustRun(t, s, "new-session", "-d", "-s", "a", "-x", "80", "-y", "23")
	muxtest.MustRun(t, s, "new-window", "-d", "-t", "a:1", "-n", "logs")
	muxtest.MustRun(t, s, "new-window", "-d", "-t", "a:2", "-n", "build")
	muxtest.MustRun(t, s, "send-keys", "-t", "a:2", "echo NEEDLE-IN-BUILD", "Enter")
	muxtest.WaitCapture(t, s, "a:2", "NEEDLE-IN-BUILD\n")
	c := muxtest.Attach(t, s, "a", 80, 24)
	c.WaitContains("[a]")

	// f asks for the text; the chooser lists only the windows that match
	// (here by content, ignoring the windows named otherwise).
	c.Type("\x02f")
	c.WaitText("the find-window prompt", func(rows []string) bool { return len(rows) == 24 && strings.Contains(rows[23], "(find-window)") })
	c.Type("needle-in\r")
	if got := c.Text(); strings.Contains(strings.Join(got, "\n"), "1: logs") {
		t.Errorf("a window without the text is listed:\n%s", strings.Join(got, "\n"))
	}
	// Case matters without -i: "needle-in" is not "NEEDLE-IN".
	c.WaitText("the no-match message", func(rows []string) bool {
		return len(rows) == 24 && strings.Contains(rows[23], "no windows matching: needle-in")
	})
	c.Type("\x02f")
	c.WaitText("the prompt again", func(rows []string) bool { return len(rows) == 24 && strings.Contains(rows[23], "(find-window)") })
	c.Type("NEEDLE\r")
	c.WaitText("the match", func(rows []string) bool {
		text := strings.Join(rows, "\n")
		return strings.Contains(text, "(0) a: 3 windows") && strings.Contains(text, "(1) └─> 2: build") && !strings.Contains(text, "logs (1 panes)")
	})
	c.Type("\r")
	c.WaitContains("2:build*")
	if _, err := muxtest.Run(s, "find-window"); err == nil || !strings.HasPrefix(err.Error(), "command find-window: too few arguments") {
		t.Errorf("find-window without text: %v", err)
	}
}

func TestMenus(t *testing.T) {
	s := muxtest.NewServer(t)
	muxtest.MustRun(t, s, "new-session", "-d", "-s", "m", "-n", "first", "-x", "80", "-y", "23")
	c := muxtest.Attach(t, s, "m", 80, 24)
	c.WaitContains("[m]")
	shows := func(want ...string) func([]string) bool {
		return func(rows []string) bool {
			text := strings.Join(rows, "\n")
			for _, w := range want {
				if !strings.Contains(text, w) {
					return false
				}
			}
			return true
		}
	}
	// > is the pane menu: with one pane, swapping and zooming are off.
	c.Type("\x02>")
	c.WaitText("the pane menu", shows("0 (%0)", "Horizontal Split", "(h)", "Swap Up", "Zoom"))
	c.Type("h") // an item's key runs it
	muxtest.Eventually(t, "the split", func() bool { return display(t, s, "m", "#{window_panes}") == "2" })
	c.WaitText("the menu gone", func(rows []string) bool { return !shows("Horizontal Split")(rows) })
	c.Type("\x02>")
	c.WaitText("the pane menu again", shows("Vertical Split"))
	c.Type("\x1b[B\x1b[B\x1b[B\r") // Down three times (over the separator), Enter: Swap Down
	muxtest.Eventually(t, "the swap", func() bool { return display(t, s, "m:0.0", "#{pane_id}") == "%1" })
	c.Type("\x02>z")
	muxtest.Eventually(t, "the zoom", func() bool { return display(t, s, "m", "#{window_zoomed_flag}") == "1" })
	c.Type("\x02>")
	c.WaitText("Unzoom offered", shows("Unzoom"))
	c.Type("q")
	c.WaitText("the menu gone", func(rows []string) bool { return !shows("Unzoom")(rows) })

	// < is the window menu.
	c.Type("\x02<W")
	c.WaitContains("1:sh*")
	c.Type("\x02<")
	c.WaitText("the window menu", shows("1:sh", "Swap Left", "New After"))
	c.Type("l") // swap left: the window moves to 0 and stays current
	c.WaitContains("0:sh* 1:first")
	c.Type("\x02<n")
	c.WaitText("the rename prompt", shows("(rename-window) sh"))
	c.Type("\x15renamed\r")
	c.WaitContains("0:renamed*")

	for argv, want := range map[string]string{
		"display-menu Foo f kill-server": "no current client",
		"display-menu":                   "command display-menu: too few arguments",
		"swap-window -t m:9":             "can't find window: 9",
	} {
		if _, err := muxtest.Run(s, strings.Fields(argv)...); err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("%s: %v, want %q", argv, err, want)
		}
	}
}
