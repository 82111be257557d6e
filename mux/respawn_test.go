package mux_test

import (
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/goshterm/gosh/mux/muxtest"
)

// TestRespawnPaneRefusesLivePane: without -k a running pane is tmux 3.3a's
// error, and the program keeps running.
func TestRespawnPaneRefusesLivePane(t *testing.T) {
	s := muxtest.NewServer(t)
	muxtest.MustRun(t, s, "new-session", "-d", "-s", "r", "-x", "40", "-y", "8", "echo alive; exec sleep 100")
	muxtest.WaitCapture(t, s, "r", "alive")
	_, err := muxtest.Run(s, "respawn-pane", "-t", "r")
	if err == nil || err.Error() != "respawn pane failed: pane r:0.0 still active" {
		t.Fatalf("respawn-pane on a live pane: %v, want tmux's \"respawn pane failed: pane r:0.0 still active\"", err)
	}
	_, err = muxtest.Run(s, "respawn-window", "-t", "r")
	if err == nil || err.Error() != "respawn window failed: window r:0 still active" {
		t.Fatalf("respawn-window on a live window: %v, want tmux's \"respawn window failed: window r:0 still active\"", err)
	}
	if got := muxtest.MustRun(t, s, "display-message", "-p", "-t", "r", "#{pane_dead}"); got != "0\n" {
		t.Errorf("pane_dead after a refused respawn = %q, want 0", got)
	}
}

// TestRespawnPaneRerunsDeadPane: a pane kept by remain-on-exit starts its
// own command again in place — same pane id and size, history kept, the
// visible screen cleared — as tmux 3.3a's respawn-pane; a new command,
// -c and -e replace the old ones.
func TestRespawnPaneRerunsDeadPane(t *testing.T) {
	s := muxtest.NewServer(t)
	muxtest.MustRun(t, s, "set-option", "-g", "remain-on-exit", "on")
	muxtest.MustRun(t, s, "new-session", "-d", "-s", "r", "-x", "120", "-y", "8",
		"seq 1 12; exit 3")
	muxtest.MustRun(t, s, "split-window", "-h", "-d", "-t", "r", "exec sleep 100")
	muxtest.WaitCapture(t, s, "r:0.0", "Pane is dead (status 3")
	vars := "#{pane_id} #{pane_width}x#{pane_height} #{pane_dead}"
	before := muxtest.MustRun(t, s, "display-message", "-p", "-t", "r:0.0", vars)
	if !strings.HasSuffix(before, " 1\n") {
		t.Fatalf("pane before respawn: %q, want dead", before)
	}
	hist := muxtest.MustRun(t, s, "display-message", "-p", "-t", "r:0.0", "#{history_size}")

	muxtest.MustRun(t, s, "respawn-pane", "-t", "r:0.0")
	muxtest.WaitCapture(t, s, "r:0.0", "Pane is dead (status 3")
	if after := muxtest.MustRun(t, s, "display-message", "-p", "-t", "r:0.0", "#{history_size}"); after == hist {
		t.Errorf("history_size after respawn = %q, as before: the second run's lines must add to the history", after)
	}
	// The first run's history (its first lines) stays; its visible lines
	// (up to 12 and the dead message) are cleared, not scrolled into the
	// history, as tmux 3.3a's screen_reinit: 12 and the message appear
	// once, from the second run.
	all := muxtest.MustRun(t, s, "capture-pane", "-p", "-t", "r:0.0", "-S", "-")
	if !strings.HasPrefix(all, "1\n2\n3\n4\n5\n") || !strings.Contains(all, "\n1\n2\n3\n") ||
		strings.Count(all, "\n12\n") != 1 || strings.Count(all, "Pane is dead") != 1 {
		t.Errorf("history after respawn, want the first run's history then the second run:\n%s", all)
	}

	muxtest.MustRun(t, s, "respawn-pane", "-t", "r:0.0", "-c", "/usr", "-e", "RUN=two", `echo "run $RUN in $(pwd)"; exec sleep 100`)
	got := muxtest.WaitCapture(t, s, "r:0.0", "run two in /usr")
	if firstLine(got) != "run two in /usr" {
		t.Errorf("respawned screen starts %q, want the new output at the top (visible screen cleared)", firstLine(got))
	}
	after := muxtest.MustRun(t, s, "display-message", "-p", "-t", "r:0.0", vars)
	if want := strings.TrimSuffix(before, "1\n") + "0\n"; after != want {
		t.Errorf("respawned pane = %q, want %q (same id and size, alive)", after, want)
	}
	if got := muxtest.MustRun(t, s, "display-message", "-p", "-t", "r:0.0", "#{pane_start_command}"); got != "echo \"run $RUN in $(pwd)\"; exec sleep 100\n" {
		t.Errorf("pane_start_command = %q, want the new command", got)
	}
}

// TestRespawnPaneKillKeepsPane: -k ends a running program and starts the
// pane's command again in the same pane, even without remain-on-exit (the
// old program's exit must not close the pane).
func TestRespawnPaneKillKeepsPane(t *testing.T) {
	s := muxtest.NewServer(t)
	muxtest.MustRun(t, s, "new-session", "-d", "-s", "r", "-x", "40", "-y", "8", `echo "started $$"; exec sleep 100`)
	first := muxtest.WaitCapture(t, s, "r", "started")
	id := muxtest.MustRun(t, s, "display-message", "-p", "-t", "r", "#{pane_id} #{pane_pid}")
	muxtest.MustRun(t, s, "respawn-pane", "-k", "-t", "r")
	var second string
	muxtest.Eventually(t, "a second start", func() bool {
		second, _ = muxtest.Run(s, "capture-pane", "-p", "-t", "r")
		return strings.Contains(second, "started") && firstLine(second) != firstLine(first)
	})
	again := muxtest.MustRun(t, s, "display-message", "-p", "-t", "r", "#{pane_id} #{pane_pid} #{pane_dead}")
	idOnly := strings.Fields(id)[0]
	if f := strings.Fields(again); f[0] != idOnly || f[1] == strings.Fields(id)[1] || f[2] != "0" {
		t.Errorf("after respawn-pane -k: %q, want pane %s alive with a new pid (was %q)", again, idOnly, id)
	}
}

// TestRespawnWindowKeepsFirstPane: respawn-window -k closes all panes but
// the first, which takes the whole window and runs again, as tmux's.
func TestRespawnWindowKeepsFirstPane(t *testing.T) {
	s := muxtest.NewServer(t)
	muxtest.MustRun(t, s, "new-session", "-d", "-s", "r", "-x", "40", "-y", "8", "exec sleep 100")
	muxtest.MustRun(t, s, "split-window", "-h", "-t", "r", "exec sleep 100")
	muxtest.MustRun(t, s, "respawn-window", "-k", "-t", "r", "echo whole; exec sleep 100")
	muxtest.WaitCapture(t, s, "r", "whole")
	if got := muxtest.MustRun(t, s, "list-panes", "-t", "r", "-F", "#{pane_index} #{pane_id} #{pane_width}x#{pane_height}"); got != "0 %0 40x8\n" {
		t.Errorf("panes after respawn-window -k = %q, want \"0 %%0 40x8\" (tmux keeps the first pane, whole window)", got)
	}
}

func firstLine(s string) string {
	l, _, _ := strings.Cut(s, "\n")
	return l
}

// TestRespawnPaneShownToClient: an attached client sees the respawned
// program's output in the same pane.
func TestRespawnPaneShownToClient(t *testing.T) {
	s := muxtest.NewServer(t)
	muxtest.MustRun(t, s, "new-session", "-d", "-s", "r", "-x", "40", "-y", "8", "echo first; exec sleep 100")
	c := muxtest.Attach(t, s, "r", 40, 9)
	c.WaitContains("first")
	muxtest.MustRun(t, s, "respawn-pane", "-k", "-t", "r", "echo second; exec sleep 100")
	c.WaitText("the respawned program", func(rows []string) bool { return rows[0] == "second" })
	muxtest.MustRun(t, s, "respawn-pane", "-k", "-t", "r", "stty -echo; echo third; exec cat")
	c.WaitText("the third program", func(rows []string) bool { return rows[0] == "third" })
	c.Type("typed\r") // the client's keys reach the new program's terminal
	c.WaitText("cat's echo of the client's keys", func(rows []string) bool { return len(rows) > 1 && rows[1] == "typed" })
}

// TestRespawnPaneLeavesCopyMode: as tmux resets a respawned pane's modes,
// a client browsing the dead pane in copy mode sees the new program.
func TestRespawnPaneLeavesCopyMode(t *testing.T) {
	s := muxtest.NewServer(t)
	muxtest.MustRun(t, s, "set-option", "-g", "remain-on-exit", "on")
	muxtest.MustRun(t, s, "new-session", "-d", "-s", "r", "-x", "60", "-y", "8", "echo first; exit 1")
	c := muxtest.Attach(t, s, "r", 60, 9)
	c.WaitContains("Pane is dead")
	muxtest.MustRun(t, s, "copy-mode", "-t", "r")
	c.WaitText("the copy-mode indicator", func(rows []string) bool { return copyIndicator.MatchString(rows[0]) })
	muxtest.MustRun(t, s, "respawn-pane", "-t", "r", "echo second; exec sleep 100")
	c.WaitText("the respawned program, out of copy mode", func(rows []string) bool {
		return rows[0] == "second" && !copyIndicator.MatchString(rows[0])
	})
}

// TestRespawnPaneKillsHangupIgnorer: -k on a program that ignores SIGHUP
// still respawns the pane (SIGKILL after the grace period), rather than
// failing, and no command waits for it meanwhile: respawn-pane returns and
// the next command answers while the old program still runs.
func TestRespawnPaneKillsHangupIgnorer(t *testing.T) {
	s := muxtest.NewServer(t)
	muxtest.MustRun(t, s, "new-session", "-d", "-s", "r", "-x", "40", "-y", "8", "trap '' HUP; echo stubborn; while :; do sleep 1; done")
	muxtest.WaitCapture(t, s, "r", "stubborn")
	old := muxtest.MustRun(t, s, "display-message", "-p", "-t", "r", "#{pane_pid}")
	muxtest.MustRun(t, s, "respawn-pane", "-k", "-t", "r", "echo replaced; exec sleep 100")
	// The old program ignores the hangup for the grace period: a command
	// that waited for it to die would see the new program here.
	if got := muxtest.MustRun(t, s, "display-message", "-p", "-t", "r", "#{pane_pid}"); got != old {
		t.Errorf("pane_pid right after respawn-pane -k = %q, want the old program's %q (the commands went on while it dies)", got, old)
	}
	if got := muxtest.MustRun(t, s, "list-panes", "-t", "r", "-F", "#{pane_id}"); got != "%0\n" {
		t.Errorf("list-panes while the respawn is pending = %q, want %%0", got)
	}
	muxtest.WaitCapture(t, s, "r", "replaced")
	if got := muxtest.MustRun(t, s, "display-message", "-p", "-t", "r", "#{pane_id} #{pane_dead}"); got != "%0 0\n" {
		t.Errorf("after respawn-pane -k of a SIGHUP ignorer: %q, want %%0 alive", got)
	}
	if got := muxtest.MustRun(t, s, "display-message", "-p", "-t", "r", "#{pane_pid}"); got == old {
		t.Errorf("pane_pid after the respawn = %q, the old program's", got)
	}
}

// TestKillPaneDuringPendingRespawn: a pane killed while its respawn -k
// waits for the old program stays gone once that program dies.
func TestKillPaneDuringPendingRespawn(t *testing.T) {
	s := muxtest.NewServer(t)
	muxtest.MustRun(t, s, "new-session", "-d", "-s", "r", "-x", "80", "-y", "8", "exec sleep 100")
	muxtest.MustRun(t, s, "split-window", "-h", "-d", "-t", "r", "trap '' HUP; echo stubborn; while :; do sleep 1; done")
	muxtest.WaitCapture(t, s, "r:0.1", "stubborn")
	pid, err := strconv.Atoi(strings.TrimSpace(muxtest.MustRun(t, s, "display-message", "-p", "-t", "r:0.1", "#{pane_pid}")))
	if err != nil {
		t.Fatal(err)
	}
	muxtest.MustRun(t, s, "respawn-pane", "-k", "-t", "r:0.1", "echo replaced; exec sleep 100")
	muxtest.MustRun(t, s, "kill-pane", "-t", "r:0.1")
	if got := muxtest.MustRun(t, s, "list-panes", "-t", "r", "-F", "#{pane_id}"); got != "%0\n" {
		t.Fatalf("panes after kill-pane = %q, want only %%0", got)
	}
	muxtest.Eventually(t, "the old program's end", func() bool { return syscall.Kill(pid, 0) == syscall.ESRCH })
	if got := muxtest.MustRun(t, s, "list-panes", "-t", "r", "-F", "#{pane_id}"); got != "%0\n" {
		t.Errorf("panes after the killed pane's old program ended = %q, want only %%0 (no respawn of a killed pane)", got)
	}
}
