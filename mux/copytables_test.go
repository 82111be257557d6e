package mux_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/goshterm/gosh/mux/muxtest"
)

// TestCopyModeKeyTables: bind-key -T copy-mode-vi binds keys for a pane
// in copy mode (mode-keys vi), as in tmux: x and Y, which vi copy mode
// lacks, select and copy; / bound to a command prompt replaces copy
// mode's own forward search. The text of a search, copy mode's own (?)
// or the prompt's, is read as typed even where it holds bound keys.
// With mode-keys emacs, the copy-mode table's W copies. A key that
// neither the table nor copy mode takes runs the root table's binding.
func TestCopyModeKeyTables(t *testing.T) {
	s := muxtest.NewServer(t)
	muxtest.MustRun(t, s, "set", "-g", "mode-keys", "vi")
	muxtest.MustRun(t, s, "new-session", "-d", "-s", "x", "-x", "40", "-y", "10",
		`printf 'alpha beta\ngamma xray\nlast line\n'; exec sleep 100`)
	muxtest.WaitCapture(t, s, "x", "last line")
	muxtest.MustRun(t, s, "bind", "-T", "copy-mode-vi", "x", "send", "-X", "begin-selection")
	muxtest.MustRun(t, s, "bind", "-T", "copy-mode-vi", "Y", "send", "-X", "copy-selection-and-cancel")
	c := muxtest.Attach(t, s, "x", 40, 11)
	c.WaitContains("last line")
	// copied waits for want in the newest paste buffer.
	copied := func(what, want string) {
		t.Helper()
		muxtest.Eventually(t, what, func() bool {
			out, _ := muxtest.Run(s, "list-buffers")
			first, _, _ := strings.Cut(out, "\n")
			return strings.HasSuffix(first, strconv.Quote(want))
		})
	}
	enter := func() {
		t.Helper()
		c.Type("\x02[")
		c.WaitText("the copy-mode indicator", func(rows []string) bool { return copyIndicator.MatchString(rows[0]) })
	}

	enter()
	c.Type("?xray\r")
	c.Type("x")
	c.Type("lll")
	c.Type("Y")
	copied("xray copied with x, l and Y", "xray")
	c.WaitText("copy mode left", func(rows []string) bool { return !copyIndicator.MatchString(rows[0]) })

	muxtest.MustRun(t, s, "bind", "-T", "copy-mode-vi", "/", "command-prompt", "-p", "(search up)", "send -X search-backward '%%'")
	enter()
	c.Type("/")
	c.WaitText("the search prompt", func(rows []string) bool { return strings.Contains(rows[len(rows)-1], "(search up)") })
	c.Type("xlpha\x08\x08\x08\x08\x08alpha\r")
	c.Type("xllllY")
	copied("alpha copied after the prompt's search", "alpha")

	// mode-keys emacs: the copy-mode table.
	muxtest.MustRun(t, s, "set", "-g", "mode-keys", "emacs")
	muxtest.MustRun(t, s, "bind", "-T", "copy-mode", "W", "send", "-X", "copy-selection-and-cancel")
	enter()
	c.Type("\x12gamma\r\x00\x06\x06\x06W")
	copied("gam copied with emacs keys and W", "gam")

	// A key neither the table nor copy mode's own keys take runs the
	// root table's binding, as in tmux.
	muxtest.MustRun(t, s, "bind", "-n", "F5", "new-window", "-n", "five")
	enter()
	c.Type("\x1b[15~")
	c.WaitContains("1:five*")

	if out := muxtest.MustRun(t, s, "list-keys", "-T", "copy-mode-vi"); !strings.Contains(out, " x ") || !strings.Contains(out, "command-prompt") {
		t.Errorf("list-keys -T copy-mode-vi:\n%s", out)
	}
}
