package mux

import (
	"bytes"
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/goshterm/gosh/mux/pty"
)

// runCmd runs one command on s as the CLI does.
func runCmd(tb testing.TB, s *Server, argv ...string) string {
	tb.Helper()
	var out bytes.Buffer
	if err := s.Run(context.Background(), Client{Stdout: &out, Cwd: "/"}, argv); err != nil {
		tb.Fatalf("%q: %v", argv, err)
	}
	return out.String()
}

// activePane returns the active pane of s's only session.
func activePane(t *testing.T, s *Server) *Pane {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, ss := range s.sessions {
		return ss.current.active
	}
	t.Fatal("no session")
	return nil
}

// TestRespawnSwapsProcessBesideTyping: a client's keys reach a pane through
// Pane.input on the client's loop, with no Server.mu, while respawn-pane -k
// hangs the program up and puts a new one in its place. The loop that types
// on through the swap must not race with it (go test -race), and no key
// fails: the keys typed after it reach the new program (its terminal
// echoes them after its first line).
func TestRespawnSwapsProcessBesideTyping(t *testing.T) {
	s := newTestServer(t, "new-session", "-d", "-s", "r", "-x", "40", "-y", "8", "echo first; exec sleep 100")
	p := activePane(t, s)
	shows := func(want string) func() bool {
		return func() bool { return strings.Contains(runCmd(t, s, "capture-pane", "-p", "-t", "r"), want) }
	}
	waitFor(t, "the program's start", shows("first"))

	stop := make(chan struct{})
	typed := make(chan error, 1)
	go func() {
		for range 10000 { // bounded: about 10 s at most
			select {
			case <-stop:
				typed <- nil
				return
			default:
			}
			if err := p.input([]byte{'x'}); err != nil {
				typed <- err
				return
			}
			time.Sleep(time.Millisecond)
		}
		typed <- nil
	}()
	runCmd(t, s, "respawn-pane", "-k", "-t", "r", "echo replaced; exec cat")
	waitFor(t, "the new program's echo of keys typed after the swap", func() bool {
		_, after, ok := strings.Cut(runCmd(t, s, "capture-pane", "-p", "-t", "r"), "replaced\n")
		return ok && strings.Contains(after, "x")
	})
	close(stop)
	if err := <-typed; err != nil {
		t.Fatalf("typing through respawn-pane -k failed: %v", err)
	}
}

// TestReplacedProgramIsNotThePanes: after respawn-pane -k the old
// program's read loop holds a process that is not the pane's. What it
// read before the hangup closed its master is not drawn on the new
// program's screen, and its exit, recorded after the switch, is only
// reaped: with remain-on-exit on the pane does not die. The test plays
// the old loop's late steps itself, so that no timing decides.
func TestReplacedProgramIsNotThePanes(t *testing.T) {
	s := newTestServer(t, "set-option", "-g", "remain-on-exit", "on")
	runCmd(t, s, "new-session", "-d", "-s", "r", "-x", "60", "-y", "8", "echo first; exec sleep 100")
	p := activePane(t, s)
	old := p.proc.Load()
	runCmd(t, s, "respawn-pane", "-k", "-t", "r", "echo replaced; exec sleep 100")
	waitFor(t, "the new program", func() bool { return strings.Contains(runCmd(t, s, "capture-pane", "-p", "-t", "r"), "replaced") })

	if _, _, drawn := p.output(old, []byte("LATE-OUTPUT"), nil); drawn {
		t.Error("the replaced program's output was drawn")
	}
	s.paneExited(p, old, pty.Status{Code: 7})
	got := runCmd(t, s, "capture-pane", "-p", "-t", "r")
	if strings.Contains(got, "LATE-OUTPUT") || strings.Contains(got, "Pane is dead") {
		t.Errorf("pane after the replaced program's late output and exit:\n%s\nwant the new program's screen only", got)
	}
	if got := runCmd(t, s, "display-message", "-p", "-t", "r", "#{pane_dead} #{pane_pid}"); got != "0 "+strconv.Itoa(p.proc.Load().Pid())+"\n" {
		t.Errorf("pane after the replaced program's exit: %q, want alive with the new pid", got)
	}
}

// TestRespawnDropsOldInputBacklog: input a program never read (a paste
// into a program that reads nothing fills its pty and queues behind the
// writer goroutine, blocked in its write) is that program's alone. After
// respawn-pane -k the blocked write fails with the old terminal, its
// backlog is dropped, and the keys typed since reach the new program, in
// order, and nothing of the old backlog does.
func TestRespawnDropsOldInputBacklog(t *testing.T) {
	s := newTestServer(t, "new-session", "-d", "-s", "r", "-x", "40", "-y", "8", "echo first; exec sleep 100")
	p := activePane(t, s)
	waitFor(t, "the program's start", func() bool { return strings.Contains(runCmd(t, s, "capture-pane", "-p", "-t", "r"), "first") })
	if err := p.input(bytes.Repeat([]byte("o"), 512<<10)); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the writer blocked on the full terminal", func() bool {
		p.in.mu.Lock()
		defer p.in.mu.Unlock()
		return p.in.writing
	})
	runCmd(t, s, "respawn-pane", "-k", "-t", "r", "stty -echo; echo replaced; od -c; exec sleep 100")
	waitFor(t, "the new program", func() bool { return strings.Contains(runCmd(t, s, "capture-pane", "-p", "-t", "r"), "replaced") })
	if err := p.input([]byte("NEW\n\x04")); err != nil { // a line, then EOF: od prints what it read
		t.Fatal(err)
	}
	var screen string
	waitFor(t, "the new program's read of the keys typed after the swap", func() bool {
		screen = runCmd(t, s, "capture-pane", "-p", "-t", "r")
		return strings.Contains(screen, "N   E   W")
	})
	if strings.Contains(screen, "o") {
		t.Errorf("the new program read the old program's backlog:\n%s", screen)
	}
}
