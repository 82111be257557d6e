package mux_test

import (
	"strings"
	"testing"

	"github.com/goshterm/gosh/mux/muxtest"
)

// TestSendKeysCopyModeCommands: send-keys -X drives copy mode from a
// script as tmux 3.3a's does — motions with -N, selections, copies into
// the paste buffers, cancel — and is tmux's "not in a mode" error for a
// pane no client shows in copy mode. The buffers are tmux 3.3a's after
// the same script (mode-keys emacs).
func TestSendKeysCopyModeCommands(t *testing.T) {
	s := muxtest.NewServer(t)
	muxtest.MustRun(t, s, "new-session", "-d", "-s", "x", "-x", "40", "-y", "10",
		`printf 'alpha beta\ngamma delta\nlast line\n'; exec sleep 100`)
	muxtest.WaitCapture(t, s, "x", "last line")
	notInMode := func(when string) {
		t.Helper()
		if _, err := muxtest.Run(s, "send-keys", "-t", "x", "-X", "cancel"); err == nil || err.Error() != "not in a mode" {
			t.Errorf("send-keys -X %s: %v, want tmux's \"not in a mode\"", when, err)
		}
	}
	notInMode("with no client")
	c := muxtest.Attach(t, s, "x", 40, 11)
	c.WaitContains("last line")
	notInMode("outside copy mode")

	c.Type("\x02[")
	c.WaitText("the copy-mode indicator", func(rows []string) bool { return strings.Contains(rows[0], "[0/") })
	for _, argv := range [][]string{
		{"history-top"}, {"cursor-down"}, {"begin-selection"}, {"-N", "3", "cursor-right"}, {"copy-selection"},
		{"search-backward", "beta"}, {"begin-selection"}, {"cursor-down"}, {"bogus-command"},
	} {
		args := append([]string{"send-keys", "-t", "x", "-X"}, argv...)
		if argv[0] == "-N" {
			args = append([]string{"send-keys", "-t", "x", "-N", argv[1], "-X"}, argv[2:]...)
		}
		muxtest.MustRun(t, s, args...)
	}
	muxtest.MustRun(t, s, "send-keys", "-t", "x", "-X", "copy-selection-and-cancel")
	if got, want := muxtest.MustRun(t, s, "list-buffers"), "buffer1: 11 bytes: \"beta\\ngamma \"\nbuffer0: 3 bytes: \"gam\"\n"; got != want {
		t.Errorf("list-buffers = %q, want %q (tmux 3.3a)", got, want)
	}
	c.WaitText("copy mode left", func(rows []string) bool { return !strings.Contains(rows[0], "[0/") })
	notInMode("after copy-selection-and-cancel")
}

// TestSendKeysCopyModeFromBinding: send-keys -X typed at the command
// prompt of a client in copy mode acts on that client's copy mode.
func TestSendKeysCopyModeFromBinding(t *testing.T) {
	s := muxtest.NewServer(t)
	muxtest.MustRun(t, s, "new-session", "-d", "-s", "x", "-x", "40", "-y", "10", "echo ready; exec sleep 100")
	c := muxtest.Attach(t, s, "x", 40, 11)
	c.WaitContains("ready")
	c.Type("\x02[")
	c.WaitText("the copy-mode indicator", func(rows []string) bool { return strings.Contains(rows[0], "[0/") })
	c.Type("\x02:send-keys -X cancel\r")
	c.WaitText("copy mode left", func(rows []string) bool { return !strings.Contains(rows[0], "[0/") })
}
