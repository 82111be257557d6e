package mux_test

import (
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/goshterm/gosh/mux"
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

// pid reads #{pane_pid} of target.
func pid(t *testing.T, s *mux.Server, target string) int {
	t.Helper()
	n, err := strconv.Atoi(strings.TrimSpace(muxtest.MustRun(t, s, "display-message", "-p", "-t", target, "#{pane_pid}")))
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// alive reports whether process pid exists (a zombie not yet reaped
// counts: gone means the server reaped it).
func alive(pid int) bool { return syscall.Kill(pid, 0) != syscall.ESRCH }

// hupIgnorer is a pane program that outlives its terminal's hangup.
const hupIgnorer = "trap '' HUP; echo stubborn; while :; do sleep 1; done"

// TestRespawnPaneKillStartsAtOnce: -k on a program that ignores SIGHUP
// starts the new program in the same command, as tmux 3.3a's spawn_pane
// with SPAWN_KILL, rather than waiting for the old one to die: right
// after respawn-pane returns the pane runs a new pid while the old one is
// still alive, and the new program's output appears. The old program is
// not left behind: it gets SIGKILL after the grace period and is reaped.
func TestRespawnPaneKillStartsAtOnce(t *testing.T) {
	s := muxtest.NewServer(t)
	muxtest.MustRun(t, s, "new-session", "-d", "-s", "r", "-x", "40", "-y", "8", hupIgnorer)
	muxtest.WaitCapture(t, s, "r", "stubborn")
	old := pid(t, s, "r")
	muxtest.MustRun(t, s, "respawn-pane", "-k", "-t", "r", "echo replaced; exec sleep 100")
	if got := pid(t, s, "r"); got == old || !alive(old) {
		t.Fatalf("right after respawn-pane -k: pane_pid %d (old %d, alive %v), want a new program beside the old one still dying", got, old, alive(old))
	}
	muxtest.WaitCapture(t, s, "r", "replaced")
	if got := muxtest.MustRun(t, s, "display-message", "-p", "-t", "r", "#{pane_id} #{pane_dead}"); got != "%0 0\n" {
		t.Errorf("after respawn-pane -k of a SIGHUP ignorer: %q, want %%0 alive", got)
	}
	muxtest.Eventually(t, "the old program's end (SIGKILL after the grace period)", func() bool { return !alive(old) })
}

// TestRespawnPaneKillDropsOldOutput: once respawn-pane -k has switched
// the pane, nothing the old program writes reaches it: a program that
// keeps printing through the hangup shows none of it on the new screen.
func TestRespawnPaneKillDropsOldOutput(t *testing.T) {
	s := muxtest.NewServer(t)
	muxtest.MustRun(t, s, "new-session", "-d", "-s", "r", "-x", "40", "-y", "8",
		"trap '' HUP; while :; do echo OLD-OUTPUT; sleep 0.01; done")
	muxtest.WaitCapture(t, s, "r", "OLD-OUTPUT")
	old := pid(t, s, "r")
	muxtest.MustRun(t, s, "respawn-pane", "-k", "-t", "r", "echo replaced; exec sleep 100")
	muxtest.WaitCapture(t, s, "r", "replaced")
	muxtest.Eventually(t, "the old program's end", func() bool { return !alive(old) })
	if got := muxtest.MustRun(t, s, "capture-pane", "-p", "-t", "r"); strings.Contains(got, "OLD-OUTPUT") || firstLine(got) != "replaced" {
		t.Errorf("screen after the old program printed on through the respawn:\n%s\nwant only the new program's output", got)
	}
}

// TestRespawnPaneKillOldExitKeepsPane: the replaced program's exit is the
// pane's no longer: with remain-on-exit on, its death (SIGKILL after
// ignoring the hangup) neither marks the pane dead nor writes "Pane is
// dead"; the pane runs the new program.
func TestRespawnPaneKillOldExitKeepsPane(t *testing.T) {
	s := muxtest.NewServer(t)
	muxtest.MustRun(t, s, "set-option", "-g", "remain-on-exit", "on")
	muxtest.MustRun(t, s, "new-session", "-d", "-s", "r", "-x", "60", "-y", "8", hupIgnorer)
	muxtest.WaitCapture(t, s, "r", "stubborn")
	old := pid(t, s, "r")
	muxtest.MustRun(t, s, "respawn-pane", "-k", "-t", "r", "echo replaced; exec sleep 100")
	now := pid(t, s, "r")
	muxtest.Eventually(t, "the old program's end", func() bool { return !alive(old) })
	// The read loop records the exit a moment after the reaping; this
	// command most likely comes later (TestReplacedProgramIsNotThePanes
	// checks the same without the race).
	if got := muxtest.MustRun(t, s, "display-message", "-p", "-t", "r", "#{pane_dead} #{pane_pid}"); got != "0 "+strconv.Itoa(now)+"\n" {
		t.Errorf("after the replaced program died: %q, want \"0 %d\" (alive, the new program)", got, now)
	}
	if got := muxtest.WaitCapture(t, s, "r", "replaced"); strings.Contains(got, "Pane is dead") {
		t.Errorf("the replaced program's death marked the pane dead:\n%s", got)
	}
}

// TestRespawnKillReturnsStartErrors: -k on a live pane starts the new
// program in the command, so a start that fails is the command's error,
// as for a dead pane, and the pane keeps its program.
func TestRespawnKillReturnsStartErrors(t *testing.T) {
	s := muxtest.NewServer(t)
	muxtest.MustRun(t, s, "new-session", "-d", "-s", "r", "-x", "40", "-y", "8", "echo alive; exec sleep 100")
	muxtest.WaitCapture(t, s, "r", "alive")
	old := pid(t, s, "r")
	missing := filepath.Join(t.TempDir(), "missing")
	for _, argv := range [][]string{
		{"respawn-pane", "-k", "-t", "r", "-c", missing},
		{"respawn-pane", "-k", "-t", "r", missing, "arg"},
		{"respawn-window", "-k", "-t", "r", "-c", missing},
	} {
		want := "respawn " + strings.TrimPrefix(argv[0], "respawn-") + " failed: "
		if _, err := muxtest.Run(s, argv...); err == nil || !strings.HasPrefix(err.Error(), want) || !strings.Contains(err.Error(), "no such file or directory") {
			t.Errorf("%q: error %v, want %q and the missing file", argv, err, want)
		}
	}
	if got := muxtest.MustRun(t, s, "display-message", "-p", "-t", "r", "#{pane_dead} #{pane_pid}"); got != "0 "+strconv.Itoa(old)+"\n" {
		t.Errorf("after failed respawns: %q, want \"0 %d\" (the old program runs on)", got, old)
	}
	if !alive(old) {
		t.Error("a failed respawn -k ended the old program")
	}
}

// TestRespawnWindowKillStartsAtOnce: respawn-window -k starts the first
// pane's new program at once too, beside its dying SIGHUP ignorer.
func TestRespawnWindowKillStartsAtOnce(t *testing.T) {
	s := muxtest.NewServer(t)
	muxtest.MustRun(t, s, "new-session", "-d", "-s", "r", "-x", "40", "-y", "8", hupIgnorer)
	muxtest.MustRun(t, s, "split-window", "-h", "-d", "-t", "r", "exec sleep 100")
	muxtest.WaitCapture(t, s, "r:0.0", "stubborn")
	old := pid(t, s, "r:0.0")
	muxtest.MustRun(t, s, "respawn-window", "-k", "-t", "r", "echo whole; exec sleep 100")
	if got := pid(t, s, "r"); got == old || !alive(old) {
		t.Fatalf("right after respawn-window -k: pane_pid %d (old %d, alive %v), want a new program beside the old one still dying", got, old, alive(old))
	}
	muxtest.WaitCapture(t, s, "r", "whole")
	muxtest.Eventually(t, "the old program's end", func() bool { return !alive(old) })
	if got := muxtest.MustRun(t, s, "list-panes", "-t", "r", "-F", "#{pane_id} #{pane_dead}"); got != "%0 0\n" {
		t.Errorf("panes after the old program's end = %q, want %%0 alive", got)
	}
}

// TestKillPaneAfterRespawnKill: a pane killed right after respawn -k
// stays gone, and neither its new program nor the SIGHUP ignorer it
// replaced is left running.
func TestKillPaneAfterRespawnKill(t *testing.T) {
	s := muxtest.NewServer(t)
	muxtest.MustRun(t, s, "new-session", "-d", "-s", "r", "-x", "80", "-y", "8", "exec sleep 100")
	muxtest.MustRun(t, s, "split-window", "-h", "-d", "-t", "r", hupIgnorer)
	muxtest.WaitCapture(t, s, "r:0.1", "stubborn")
	old := pid(t, s, "r:0.1")
	muxtest.MustRun(t, s, "respawn-pane", "-k", "-t", "r:0.1", "echo replaced; exec sleep 100")
	now := pid(t, s, "r:0.1")
	muxtest.MustRun(t, s, "kill-pane", "-t", "r:0.1")
	if got := muxtest.MustRun(t, s, "list-panes", "-t", "r", "-F", "#{pane_id}"); got != "%0\n" {
		t.Fatalf("panes after kill-pane = %q, want only %%0", got)
	}
	muxtest.Eventually(t, "the end of both programs", func() bool { return !alive(old) && !alive(now) })
	if got := muxtest.MustRun(t, s, "list-panes", "-t", "r", "-F", "#{pane_id}"); got != "%0\n" {
		t.Errorf("panes after the killed pane's programs ended = %q, want only %%0", got)
	}
}

// TestRespawnWindowKillStartErrorKeepsPanes: respawn-window -k whose
// program can't start returns the error with the window as it was, every
// pane in place and running; the panes close only for a program that
// started.
func TestRespawnWindowKillStartErrorKeepsPanes(t *testing.T) {
	s := muxtest.NewServer(t)
	muxtest.MustRun(t, s, "new-session", "-d", "-s", "r", "-x", "40", "-y", "8", "echo left; exec sleep 100")
	muxtest.MustRun(t, s, "split-window", "-h", "-d", "-t", "r", "echo right; exec sleep 100")
	muxtest.WaitCapture(t, s, "r:0.1", "right")
	before := muxtest.MustRun(t, s, "list-panes", "-t", "r", "-F", "#{pane_id} #{pane_pid} #{pane_dead} #{pane_width}")
	missing := filepath.Join(t.TempDir(), "missing")
	if _, err := muxtest.Run(s, "respawn-window", "-k", "-t", "r", "-c", missing); err == nil || !strings.Contains(err.Error(), "no such file or directory") {
		t.Fatalf("respawn-window -k -c %s: error %v, want the missing directory", missing, err)
	}
	if got := muxtest.MustRun(t, s, "list-panes", "-t", "r", "-F", "#{pane_id} #{pane_pid} #{pane_dead} #{pane_width}"); got != before {
		t.Errorf("panes after a failed respawn-window -k:\n%s\nwant them as before:\n%s", got, before)
	}
	// A program that starts takes the whole window, at its size.
	muxtest.MustRun(t, s, "respawn-window", "-k", "-t", "r", "stty size; exec sleep 100")
	muxtest.WaitCapture(t, s, "r", "8 40")
	if got := muxtest.MustRun(t, s, "list-panes", "-t", "r", "-F", "#{pane_id} #{pane_width}"); got != "%0 40\n" {
		t.Errorf("panes after respawn-window -k = %q, want %%0 alone, 40 wide", got)
	}
}
