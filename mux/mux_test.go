package mux_test

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/goshterm/gosh/mux"
	"github.com/goshterm/gosh/mux/muxtest"
)

func display(t *testing.T, s *mux.Server, target, format string) string {
	t.Helper()
	return strings.TrimSuffix(muxtest.MustRun(t, s, "display-message", "-p", "-t", target, format), "\n")
}

func TestSendKeysAndCapture(t *testing.T) {
	s := muxtest.NewServer(t)
	muxtest.MustRun(t, s, "new-session", "-d", "-s", "dev", "-x", "60", "-y", "10")
	muxtest.MustRun(t, s, "send-keys", "-t", "dev", "echo h''i", "Enter")
	out := muxtest.WaitCapture(t, s, "dev", "hi\n")
	if lines := strings.Count(out, "\n"); lines != 10 {
		t.Errorf("capture has %d lines, want the pane's 10:\n%s", lines, out)
	}
	if got := display(t, s, "dev", "#{session_name} #{window_index} #{pane_index} #{pane_width}x#{pane_height} #{pane_current_command} #{pane_active}"); got != "dev 0 0 60x10 sh 1" {
		t.Errorf("display = %q", got)
	}
}

func TestSplitLayoutAndLifecycle(t *testing.T) {
	s := muxtest.NewServer(t)
	muxtest.MustRun(t, s, "new-session", "-d", "-s", "w", "-x", "81", "-y", "24")
	muxtest.MustRun(t, s, "split-window", "-h", "-t", "w")
	muxtest.MustRun(t, s, "split-window", "-v", "-p", "25", "-t", "w:0.1")
	out := muxtest.MustRun(t, s, "list-panes", "-t", "w", "-F", "#{pane_index} #{pane_width}x#{pane_height} #{pane_left},#{pane_top} #{pane_active}")
	want := "0 40x24 0,0 0\n1 40x17 41,0 0\n2 40x6 41,18 1\n"
	if out != want {
		t.Errorf("list-panes:\n%s\nwant:\n%s", out, want)
	}
	// each pane runs its own shell and shows only its own output
	for i, word := range []string{"left", "topright", "bottomright"} {
		target := "w:0." + string(rune('0'+i))
		muxtest.MustRun(t, s, "send-keys", "-t", target, "echo "+word+"-ok", "Enter")
		muxtest.WaitCapture(t, s, target, word+"-ok\n")
	}
	if out := muxtest.MustRun(t, s, "capture-pane", "-p", "-t", "w:0.0"); strings.Contains(out, "topright-ok") {
		t.Errorf("pane 0 shows pane 1's output:\n%s", out)
	}
	// select-pane by direction
	muxtest.MustRun(t, s, "select-pane", "-t", "w:0.2", "-L")
	if got := display(t, s, "w", "#{pane_index}"); got != "0" {
		t.Errorf("after select-pane -L active pane is %s, want 0", got)
	}
	// zoom
	muxtest.MustRun(t, s, "resize-pane", "-Z", "-t", "w:0.1")
	if got := display(t, s, "w:0.1", "#{window_zoomed_flag} #{pane_width}x#{pane_height}"); got != "1 81x24" {
		t.Errorf("zoomed pane = %q, want 1 81x24", got)
	}
	muxtest.MustRun(t, s, "resize-pane", "-Z", "-t", "w:0.1")
	muxtest.MustRun(t, s, "resize-pane", "-t", "w:0.0", "-R", "5")
	if got := display(t, s, "w:0.0", "#{pane_width}"); got != "45" {
		t.Errorf("after resize-pane -R 5 width = %s, want 45", got)
	}
	muxtest.MustRun(t, s, "select-layout", "-t", "w", "even-horizontal")
	if out := muxtest.MustRun(t, s, "list-panes", "-t", "w", "-F", "#{pane_width}"); out != "26\n26\n27\n" {
		t.Errorf("even-horizontal widths:\n%s", out)
	}
	// kill-pane, then the window closes with its last pane and the session with its last window
	id := display(t, s, "w:0.1", "#{pane_id}")
	muxtest.MustRun(t, s, "kill-pane", "-t", id)
	if out := muxtest.MustRun(t, s, "list-panes", "-t", "w"); strings.Count(out, "\n") != 2 || strings.Contains(out, id+" ") {
		t.Errorf("after kill-pane %s:\n%s", id, out)
	}
	muxtest.MustRun(t, s, "new-window", "-t", "w", "-n", "logs")
	if out := muxtest.MustRun(t, s, "list-windows", "-t", "w", "-F", "#{window_index}:#{window_name}#{window_flags}"); out != "0:sh-\n1:logs*\n" {
		t.Errorf("list-windows:\n%s", out)
	}
	muxtest.MustRun(t, s, "kill-window", "-t", "w:logs")
	muxtest.MustRun(t, s, "kill-pane", "-t", "w:0.0")
	muxtest.MustRun(t, s, "kill-pane", "-t", "w:0.0")
	if _, err := muxtest.Run(s, "has-session", "-t", "w"); err == nil || err.Error() != "can't find session: w" {
		t.Errorf("has-session after killing every pane: %v", err)
	}
	select {
	case <-s.Done():
	default:
		t.Error("server not done after its last session ended")
	}
}

func TestExitRemovesPaneUnlessRemainOnExit(t *testing.T) {
	s := muxtest.NewServer(t)
	muxtest.MustRun(t, s, "new-session", "-d", "-s", "a")
	muxtest.MustRun(t, s, "split-window", "-t", "a", "exit 7")
	muxtest.Eventually(t, "exited pane removed", func() bool {
		return display(t, s, "a", "#{window_panes}") == "1"
	})
	muxtest.MustRun(t, s, "set-option", "-g", "remain-on-exit", "on")
	muxtest.MustRun(t, s, "split-window", "-t", "a", "echo bye; exit 3")
	muxtest.Eventually(t, "dead pane", func() bool {
		return display(t, s, "a:0.1", "#{pane_dead}") == "1"
	})
	if got := display(t, s, "a:0.1", "#{pane_dead} #{pane_dead_status} #{window_panes}"); got != "1 3 2" {
		t.Errorf("dead pane vars = %q, want 1 3 2", got)
	}
	muxtest.WaitCapture(t, s, "a:0.1", "Pane is dead (status 3,")
	if _, err := muxtest.Run(s, "send-keys", "-t", "a:0.1", "x"); err == nil {
		t.Error("send-keys to a dead pane succeeded")
	}
	muxtest.MustRun(t, s, "kill-pane", "-t", "a:0.1")
	if got := display(t, s, "a", "#{window_panes}"); got != "1" {
		t.Errorf("after killing the dead pane: %s panes", got)
	}
}

func TestTargetsAndErrors(t *testing.T) {
	s := muxtest.NewServer(t)
	if _, err := muxtest.Run(s, "list-windows"); err == nil || err.Error() != "no current session" {
		t.Errorf("list-windows with no sessions: %v", err)
	}
	muxtest.MustRun(t, s, "new-session", "-d", "-s", "alpha")
	muxtest.MustRun(t, s, "new-session", "-d", "-s", "beta")
	if got := display(t, s, "", "#{session_name}"); got != "beta" {
		t.Errorf("current session = %s, want the most recent, beta", got)
	}
	if _, err := muxtest.Run(s, "new-session", "-d", "-s", "alpha"); err == nil || err.Error() != "duplicate session: alpha" {
		t.Errorf("duplicate: %v", err)
	}
	for _, tc := range []struct{ argv, err string }{
		{"kill-session -t foo", "can't find session: foo"},
		{"select-window -t alpha:5", "can't find window: 5"},
		{"select-pane -t alpha:0.9", "can't find pane: 9"},
		{"select-pane -t %99", "can't find pane: %99"},
		{"split-window -Q", "command split-window: unknown flag -Q"},
		{"bogus", "unknown command: bogus"},
		{"select-layout -t alpha diagonal", "invalid layout: diagonal"}, // tmux 3.3a's words
		{"set-option -g no-such-option on", "invalid option: no-such-option"},
	} {
		_, err := muxtest.Run(s, strings.Fields(tc.argv)...)
		if err == nil || !strings.HasPrefix(err.Error(), tc.err) {
			t.Errorf("%s: err %v, want %q", tc.argv, err, tc.err)
		}
	}
	// ids, prefixes and the current session
	if got := display(t, s, "$0", "#{session_name}"); got != "alpha" {
		t.Errorf("$0 = %s", got)
	}
	if got := display(t, s, "al", "#{session_name}"); got != "alpha" {
		t.Errorf("prefix al = %s", got)
	}
	if got := display(t, s, "%0", "#{session_name}:#{window_id}.#{pane_id}"); got != "alpha:@0.%0" {
		t.Errorf("%%0 = %s", got)
	}
	muxtest.MustRun(t, s, "rename-session", "-t", "alpha", "a.b")
	if out := muxtest.MustRun(t, s, "list-sessions", "-F", "#{session_name}"); out != "a_b\nbeta\n" {
		t.Errorf("list-sessions after rename:\n%s", out)
	}
	if out := muxtest.MustRun(t, s, "ls"); !strings.HasPrefix(out, "a_b: 1 windows (created ") {
		t.Errorf("ls default format: %q", out)
	}
}

func TestCursorKeysFollowDECCKM(t *testing.T) {
	s := muxtest.NewServer(t)
	// od shows the bytes the pane receives; printf turns on DECCKM first
	muxtest.MustRun(t, s, "new-session", "-d", "-s", "k", "printf '\\033[?1h'; stty -echo; od -An -c; sleep 60")
	muxtest.Eventually(t, "DECCKM on", func() bool { return display(t, s, "k", "#{keypad_cursor_flag}") == "1" })
	muxtest.MustRun(t, s, "send-keys", "-t", "k", "Up", "Enter", "C-d")
	muxtest.WaitCapture(t, s, "k", "033   O   A")
}

func TestCaptureScrollbackAndEscapes(t *testing.T) {
	s := muxtest.NewServer(t)
	muxtest.MustRun(t, s, "new-session", "-d", "-s", "c", "-x", "40", "-y", "5")
	muxtest.MustRun(t, s, "send-keys", "-t", "c", "for i in 1 2 3 4 5 6 7 8 9; do echo line$i; done; printf '\\033[1;31mred\\033[m\\n'", "Enter")
	muxtest.WaitCapture(t, s, "c", "line9\nred\n")
	out := muxtest.MustRun(t, s, "capture-pane", "-p", "-t", "c", "-S", "-", "-E", "-")
	for _, want := range []string{"line1\n", "line9\n", "red\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("full capture lacks %q:\n%s", want, out)
		}
	}
	out = muxtest.MustRun(t, s, "capture-pane", "-p", "-e", "-t", "c")
	if !strings.Contains(out, "\x1b[0;1;31mred\x1b[0m") {
		t.Errorf("capture -e lacks the SGR for bold red: %q", out)
	}
	out = muxtest.MustRun(t, s, "capture-pane", "-p", "-t", "c", "-S", "-2", "-E", "-1")
	if strings.Count(out, "\n") != 2 {
		t.Errorf("-S -2 -E -1 gave %q, want two scrollback lines", out)
	}
}

func TestClientPaneIsCurrent(t *testing.T) {
	s := muxtest.NewServer(t)
	muxtest.MustRun(t, s, "new-session", "-d", "-s", "p")
	muxtest.MustRun(t, s, "split-window", "-t", "p")
	var out strings.Builder
	// a command run from inside pane %0 targets %0, not the active pane %1
	if err := s.Run(t.Context(), mux.Client{Stdout: &out, Pane: "%0"}, []string{"display", "-p", "#{pane_id} #{pane_active}"}); err != nil {
		t.Fatal(err)
	}
	if out.String() != "%0 0\n" {
		t.Errorf("current pane from inside %%0 = %q", out.String())
	}
}

func TestViewForComposer(t *testing.T) {
	s := muxtest.NewServer(t)
	muxtest.MustRun(t, s, "new-session", "-d", "-s", "v", "-x", "40", "-y", "10")
	muxtest.MustRun(t, s, "split-window", "-h", "-t", "v", "printf 'right-side'; sleep 60")
	muxtest.MustRun(t, s, "new-window", "-d", "-t", "v", "-n", "bg")
	v, err := s.View("v")
	if err != nil {
		t.Fatal(err)
	}
	if v.Session != "v" || len(v.Windows) != 2 || !v.Windows[0].Current || v.Windows[1].Name != "bg" {
		t.Errorf("view windows = %+v", v.Windows)
	}
	if v.Layout.Len() != 2 || len(v.Panes) != 2 || v.Active.ID() != 1 {
		t.Fatalf("view layout has %d panes, map %d, active %%%d", v.Layout.Len(), len(v.Panes), v.Active.ID())
	}
	ch, stop := v.Active.Watch()
	defer stop()
	muxtest.Eventually(t, "right pane output in its snapshot", func() bool {
		scr := v.Active.Snapshot()
		return scr.Cell(0, 0).Text == "r" && scr.Cell(9, 0).Text == "e"
	})
	muxtest.MustRun(t, s, "resize-pane", "-t", "v:0.1", "-L", "3")
	select {
	case <-ch:
	default:
		t.Error("no change notification after output and a resize")
	}
	if cols, _ := v.Active.Snapshot().Size(); cols != 22 {
		t.Errorf("after resize-pane -L 3 the pane is %d wide, want 22", cols)
	}
}

func TestPaneTTYAndEdges(t *testing.T) {
	s := muxtest.NewServer(t)
	muxtest.MustRun(t, s, "new-session", "-d", "-s", "e", "-x", "81", "-y", "24")
	muxtest.MustRun(t, s, "split-window", "-h", "-t", "e")
	muxtest.MustRun(t, s, "split-window", "-v", "-t", "e:0.1")
	out := muxtest.MustRun(t, s, "list-panes", "-t", "e", "-F", "#{pane_index} #{pane_at_left}#{pane_at_right}#{pane_at_top}#{pane_at_bottom}")
	if want := "0 1011\n1 0110\n2 0101\n"; out != want {
		t.Errorf("pane edges:\n%s\nwant:\n%s", out, want)
	}
	// pane_tty is the terminal the pane's shell has, as tty(1) prints it
	tty := display(t, s, "e:0.2", "#{pane_tty}")
	if !strings.HasPrefix(tty, "/dev/pts/") {
		t.Fatalf("pane_tty = %q", tty)
	}
	muxtest.MustRun(t, s, "send-keys", "-t", "e:0.2", "echo tty=$(tty)", "Enter")
	muxtest.WaitCapture(t, s, "e:0.2", "tty="+tty+"\n")
	if other := display(t, s, "e:0.0", "#{pane_tty}"); other == tty {
		t.Errorf("two panes share pane_tty %s", tty)
	}
}

// A one-string command runs under default-shell -c, as tmux's: bash
// syntax works in a window whose default-shell is bash, and a shell that
// is not an absolute path falls back to /bin/sh.
func TestCommandRunsWithDefaultShell(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Fatalf("bash is needed (scripts/test installs it): %v", err)
	}
	s := muxtest.NewServer(t)
	muxtest.MustRun(t, s, "new-session", "-d", "-s", "sh", "-x", "60", "-y", "10")
	muxtest.MustRun(t, s, "set", "-g", "remain-on-exit", "on")
	muxtest.MustRun(t, s, "set", "-g", "default-shell", bash)
	muxtest.MustRun(t, s, "new-window", "-d", "-t", "sh:1", `echo "got [${BASH_VERSINFO[0]}]"`)
	out := muxtest.WaitCapture(t, s, "sh:1", "got [")
	if strings.Contains(out, "got []") {
		t.Errorf("the command did not run in bash:\n%s", out)
	}
	muxtest.MustRun(t, s, "set", "-g", "default-shell", "bash") // not absolute
	muxtest.MustRun(t, s, "new-window", "-d", "-t", "sh:2", `echo "sh-$((6*7))"`)
	muxtest.WaitCapture(t, s, "sh:2", "sh-42")
}
