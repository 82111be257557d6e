package mux

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"
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

// TestRespawnSwapsProcessBesideTyping: a client's keys reach a pane through
// Pane.input on the client's loop, with no Server.mu, while respawn-pane -k
// hangs the program up and puts a new one in its place. The loop that typed
// last into the old program must not race with the swap (go test -race),
// and the pane ends up running the new program.
func TestRespawnSwapsProcessBesideTyping(t *testing.T) {
	s := NewServer(Config{Shell: "/bin/sh", Env: []string{"PATH=/usr/local/bin:/usr/bin:/bin", "HOME=/tmp", "ENV="}})
	t.Cleanup(func() { s.Close() })
	runCmd(t, s, "new-session", "-d", "-s", "r", "-x", "40", "-y", "8", "trap '' HUP; echo stubborn; while :; do sleep 1; done")
	var p *Pane
	s.mu.Lock()
	for _, ss := range s.sessions {
		p = ss.current.active
	}
	s.mu.Unlock()
	shows := func(want string) func() bool {
		return func() bool { return strings.Contains(runCmd(t, s, "capture-pane", "-p", "-t", "r"), want) }
	}
	waitFor(t, "the program's start", shows("stubborn"))

	// The typist stops at its first failed key (the hang-up closed the
	// terminal) and does nothing more, as a client's loop between keys.
	typed := make(chan error, 1)
	go func() {
		for range 5000 {
			if err := p.input([]byte{' '}); err != nil {
				typed <- err
				return
			}
			time.Sleep(time.Millisecond)
		}
		typed <- nil
	}()
	runCmd(t, s, "respawn-pane", "-k", "-t", "r", "echo replaced; exec sleep 100")
	waitFor(t, "the new program", shows("replaced"))
	if err := <-typed; err == nil {
		t.Fatal("typing into the hung-up program never failed")
	}
}
