package mux_test

import (
	"regexp"
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

// copyIndicator is copy mode's position indicator, top right: [offset/history].
var copyIndicator = regexp.MustCompile(`\[\d+/\d+\]`)

// TestCopyModeCommand: copy-mode -t shows the pane in copy mode on the
// clients that show its window, so that a script can go on with
// send-keys -X as with tmux; -u starts a page up, -q leaves.
func TestCopyModeCommand(t *testing.T) {
	s := muxtest.NewServer(t)
	muxtest.MustRun(t, s, "new-session", "-d", "-s", "x", "-x", "40", "-y", "10", "seq 1 50; exec sleep 100")
	muxtest.MustRun(t, s, "new-session", "-d", "-s", "other", "-x", "40", "-y", "10", "exec sleep 100")
	muxtest.WaitCapture(t, s, "x", "50")
	c := muxtest.Attach(t, s, "x", 40, 11)
	elsewhere := muxtest.Attach(t, s, "other", 40, 11)
	c.WaitContains("50")
	inMode := func() string {
		return muxtest.MustRun(t, s, "display-message", "-p", "-t", "x", "#{pane_in_mode} #{pane_mode}")
	}
	if got := inMode(); got != "0 \n" {
		t.Errorf("pane_in_mode before copy-mode = %q, want \"0 \"", got)
	}
	muxtest.MustRun(t, s, "copy-mode", "-t", "x")
	c.WaitText("the copy-mode indicator", func(rows []string) bool { return strings.Contains(rows[0], "[0/") })
	if got := inMode(); got != "1 copy-mode\n" {
		t.Errorf("pane_in_mode pane_mode in copy mode = %q, want tmux's \"1 copy-mode\"", got)
	}
	muxtest.MustRun(t, s, "send-keys", "-t", "x", "-X", "search-backward", "17")
	muxtest.MustRun(t, s, "send-keys", "-t", "x", "-X", "select-line")
	muxtest.MustRun(t, s, "send-keys", "-t", "x", "-X", "copy-selection-and-cancel")
	if got := muxtest.MustRun(t, s, "list-buffers"); got != "buffer0: 2 bytes: \"17\"\n" {
		t.Errorf("list-buffers after copy-mode and send-keys -X = %q, want the line 17", got)
	}
	c.WaitText("copy mode left", func(rows []string) bool { return !copyIndicator.MatchString(rows[0]) })

	muxtest.MustRun(t, s, "copy-mode", "-u", "-t", "x")
	c.WaitText("a page up", func(rows []string) bool { return strings.Contains(rows[0], "[10/") })
	muxtest.MustRun(t, s, "copy-mode", "-q", "-t", "x")
	c.WaitText("copy mode left", func(rows []string) bool { return !copyIndicator.MatchString(rows[0]) })
	if _, err := muxtest.Run(s, "send-keys", "-t", "x", "-X", "cancel"); err == nil {
		t.Error("send-keys -X after copy-mode -q: no error, want \"not in a mode\"")
	}
	if got := inMode(); got != "0 \n" {
		t.Errorf("pane_in_mode after copy-mode -q = %q, want \"0 \"", got)
	}
	if rows := elsewhere.Text(); copyIndicator.MatchString(rows[0]) {
		t.Errorf("a client of another session entered copy mode: %q", rows[0])
	}
}

// TestSendKeysCopyOnceForTwoClients: send-keys -X copy-selection on a
// pane two attached clients show in copy mode stores one buffer, as
// tmux's one copy mode per pane does.
func TestSendKeysCopyOnceForTwoClients(t *testing.T) {
	s := muxtest.NewServer(t)
	muxtest.MustRun(t, s, "new-session", "-d", "-s", "x", "-x", "40", "-y", "10", "echo alpha; exec sleep 100")
	muxtest.WaitCapture(t, s, "x", "alpha")
	a := muxtest.Attach(t, s, "x", 40, 11)
	b := muxtest.Attach(t, s, "x", 40, 11)
	muxtest.MustRun(t, s, "copy-mode", "-t", "x")
	for _, c := range []*muxtest.Client{a, b} {
		c.WaitText("the copy-mode indicator", func(rows []string) bool { return copyIndicator.MatchString(rows[0]) })
	}
	for _, cmd := range []string{"history-top", "begin-selection", "end-of-line", "copy-selection"} {
		muxtest.MustRun(t, s, "send-keys", "-t", "x", "-X", cmd)
	}
	if got, want := muxtest.MustRun(t, s, "list-buffers"), "buffer0: 5 bytes: \"alpha\"\n"; got != want {
		t.Errorf("list-buffers after one copy-selection with two clients = %q, want %q", got, want)
	}
}
