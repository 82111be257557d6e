package mux_test

import (
	"context"
	"strings"
	"testing"

	"github.com/goshterm/gosh/mux"
	"github.com/goshterm/gosh/mux/muxtest"
	"github.com/goshterm/gosh/ssp"
)

// TestNewWindowBeforeAndKill: new-window -b inserts before the index,
// moving the windows from there up, and -k replaces the window at the
// index, as tmux 3.3a (the want lines are tmux's list-windows after the
// same commands). gosh accepted both flags and ignored them.
func TestNewWindowBeforeAndKill(t *testing.T) {
	s := muxtest.NewServer(t)
	muxtest.MustRun(t, s, "new-session", "-d", "-s", "nw", "-n", "A")
	list := func() string {
		return strings.Join(strings.Fields(muxtest.MustRun(t, s, "list-windows", "-t", "nw", "-F", "#{window_index}#{window_name}#{window_flags}")), " ")
	}
	for _, c := range []struct{ args, want string }{
		{"-t nw:1 -n B", "0A- 1B*"},
		{"-t nw:2 -n C", "0A 1B- 2C*"},
		{"-b -t nw:1 -n D", "0A 1D* 2B 3C-"},
		{"-b -t nw:0 -n E", "0E* 1A 2D- 3B 4C"},
		{"-k -t nw:2 -n F", "0E- 1A 2F* 3B 4C"},
	} {
		muxtest.MustRun(t, s, append([]string{"new-window"}, strings.Fields(c.args)...)...)
		if got := list(); got != c.want {
			t.Errorf("new-window %s: windows %s, want %s", c.args, got, c.want)
		}
	}
	if _, err := muxtest.Run(s, "new-window", "-t", "nw:2"); err == nil || err.Error() != "create window failed: index 2 in use" {
		t.Errorf("new-window on a used index: %v, want tmux's error", err)
	}
}

// TestNextWindowAlertAndSelectToggle: next-window -a goes to the window
// with an alert (here a bell), wrapping, and select-window -T on the
// current window goes to the last one, as tmux 3.3a. gosh always said "no
// next window" and ignored -T.
func TestNextWindowAlertAndSelectToggle(t *testing.T) {
	s := muxtest.NewServer(t)
	muxtest.MustRun(t, s, "new-session", "-d", "-s", "al")
	muxtest.MustRun(t, s, "new-window", "-t", "al:")
	muxtest.MustRun(t, s, "new-window", "-t", "al:")
	if _, err := muxtest.Run(s, "next-window", "-a", "-t", "al"); err == nil || err.Error() != "no next window" {
		t.Errorf("next-window -a with no alert: %v", err)
	}
	muxtest.MustRun(t, s, "send-keys", "-t", "al:0", `printf '\a'`, "Enter")
	muxtest.Eventually(t, "window 0's bell flag", func() bool { return display(t, s, "al:0", "#{window_bell_flag}") == "1" })
	muxtest.MustRun(t, s, "next-window", "-a", "-t", "al")
	if got := display(t, s, "al", "#{window_index}"); got != "0" {
		t.Errorf("next-window -a went to window %s, want the bell's 0", got)
	}
	muxtest.MustRun(t, s, "select-window", "-T", "-t", "al:0")
	if got := display(t, s, "al", "#{window_index}"); got != "2" {
		t.Errorf("select-window -T on the current window went to %s, want the last, 2", got)
	}
	muxtest.MustRun(t, s, "select-window", "-T", "-t", "al:0")
	if got := display(t, s, "al", "#{window_index}"); got != "0" {
		t.Errorf("select-window -T on another window went to %s, want 0", got)
	}
}

// TestNewSessionAttachesWithA: new-session -A -s NAME attaches NAME when
// it exists instead of failing with "duplicate session" (tmux's `new -A -s
// main`, attach or create), and creates it when it doesn't.
func TestNewSessionAttachesWithA(t *testing.T) {
	s := muxtest.NewServer(t)
	muxtest.MustRun(t, s, "new-session", "-d", "-s", "main")
	muxtest.MustRun(t, s, "send-keys", "-t", "main", "echo was-here", "Enter")
	muxtest.WaitCapture(t, s, "main", "was-here\n")
	resp := s.Handle(context.Background(), mux.Request{Version: mux.ProtocolVersion, Argv: []string{"new-session", "-A", "-s", "main"},
		Attach: &mux.AttachRequest{Cols: 60, Rows: 12, Term: "xterm-256color"}})
	if resp.Code != 0 || resp.Attach == nil {
		t.Fatalf("new-session -A -s main: code %d: %s", resp.Code, resp.Stderr)
	}
	key, err := ssp.ParseKey(resp.Attach.Key)
	if err != nil {
		t.Fatal(err)
	}
	muxtest.Connect(t, resp.Attach, key, 60, 12).WaitContains("was-here")
	if out := muxtest.MustRun(t, s, "list-sessions", "-F", "#S"); out != "main\n" {
		t.Errorf("sessions after new-session -A: %q, want only main", out)
	}
	// without a terminal, as tmux
	if _, err := muxtest.Run(s, "new-session", "-A", "-s", "main"); err == nil || err.Error() != "open terminal failed: not a terminal" {
		t.Errorf("new-session -A without a terminal: %v", err)
	}
	muxtest.MustRun(t, s, "new-session", "-A", "-d", "-s", "other")
	muxtest.MustRun(t, s, "has-session", "-t", "other")
}

// TestEmptySessionName: an empty -s or new name is refused with tmux's
// message; gosh made a numbered session for an empty new-session -s.
func TestEmptySessionName(t *testing.T) {
	s := muxtest.NewServer(t)
	muxtest.MustRun(t, s, "new-session", "-d", "-s", "a")
	for _, argv := range [][]string{{"new-session", "-d", "-s", ""}, {"rename-session", "-t", "a", ""}} {
		if _, err := muxtest.Run(s, argv...); err == nil || err.Error() != "invalid session: " {
			t.Errorf("%q: %v, want tmux's \"invalid session: \"", argv, err)
		}
	}
	if out := muxtest.MustRun(t, s, "list-sessions", "-F", "#S"); out != "a\n" {
		t.Errorf("sessions: %q", out)
	}
}

// TestMoveWindowSameIndex: moving a window onto its own index is an
// error, as tmux's "same index: N"; -a still moves it after itself.
func TestMoveWindowSameIndex(t *testing.T) {
	s := muxtest.NewServer(t)
	muxtest.MustRun(t, s, "new-session", "-d", "-s", "mw")
	muxtest.MustRun(t, s, "new-window", "-t", "mw:")
	for _, argv := range [][]string{{"move-window", "-s", "mw:0", "-t", "mw:0"}, {"move-window", "-k", "-s", "mw:1", "-t", "mw:1"}} {
		if _, err := muxtest.Run(s, argv...); err == nil || !strings.HasPrefix(err.Error(), "same index: ") {
			t.Errorf("%q: %v, want tmux's same index error", argv, err)
		}
	}
	muxtest.MustRun(t, s, "move-window", "-a", "-s", "mw:0", "-t", "mw:0")
	if got := strings.Fields(muxtest.MustRun(t, s, "list-windows", "-t", "mw", "-F", "#I")); strings.Join(got, " ") != "1 2" {
		t.Errorf("after move-window -a onto itself: windows %v, want 1 2 as tmux", got)
	}
}

// TestBindingNewSessionStartsInSessionDir: new-session run from a key
// binding (prefix :) starts in the client's session's directory, as tmux;
// gosh started it in /.
func TestBindingNewSessionStartsInSessionDir(t *testing.T) {
	dir := t.TempDir()
	s := muxtest.NewServer(t)
	muxtest.MustRun(t, s, "new-session", "-d", "-s", "a", "-c", dir)
	c := muxtest.Attach(t, s, "a", 80, 24)
	c.Type("\x02:new-session -d -s b\r")
	muxtest.Eventually(t, "session b", func() bool { _, err := muxtest.Run(s, "has-session", "-t", "b"); return err == nil })
	if got := display(t, s, "b", "#{session_path}"); got != dir {
		t.Errorf("session b's directory %q, want a's %q", got, dir)
	}
}

// TestNewWindowNamedTarget: new-window -t S:NAME takes the named window's
// index, so -a and -b go next to it and without them the index is in use;
// a missing name is an error. The want lines are tmux 3.3a's. gosh
// ignored the name: the window went to the next free index (or next to
// the current window with -a).
func TestNewWindowNamedTarget(t *testing.T) {
	s := muxtest.NewServer(t)
	muxtest.MustRun(t, s, "new-session", "-d", "-s", "nn", "-n", "ed")
	muxtest.MustRun(t, s, "new-window", "-t", "nn:", "-n", "logs")
	for argv, want := range map[string]string{
		"new-window -t nn:nosuch": "can't find window: nosuch",
		"new-window -t nn:ed":     "create window failed: index 0 in use",
	} {
		if _, err := muxtest.Run(s, strings.Fields(argv)...); err == nil || err.Error() != want {
			t.Errorf("%s: %v, want %q", argv, err, want)
		}
	}
	muxtest.MustRun(t, s, "new-window", "-a", "-t", "nn:ed", "-n", "mid")
	muxtest.MustRun(t, s, "new-window", "-b", "-t", "nn:ed", "-n", "first")
	if got := strings.Join(strings.Fields(muxtest.MustRun(t, s, "list-windows", "-t", "nn", "-F", "#I#W")), " "); got != "0first 1ed 2mid 3logs" {
		t.Errorf("windows %s, want 0first 1ed 2mid 3logs", got)
	}
}

// TestAttachWithNoSessions: attach-session on a server without sessions
// says "no sessions", as tmux, rather than "no current session".
func TestAttachWithNoSessions(t *testing.T) {
	s := muxtest.NewServer(t)
	resp := s.Handle(context.Background(), mux.Request{Version: mux.ProtocolVersion, Argv: []string{"attach-session"},
		Attach: &mux.AttachRequest{Cols: 40, Rows: 10}})
	if resp.Code == 0 || resp.Stderr != "no sessions" {
		t.Errorf("attach-session with no sessions: code %d, %q", resp.Code, resp.Stderr)
	}
}
