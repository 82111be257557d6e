package mux

import (
	"bytes"
	"context"
	"testing"
	"time"
)

// TestServerEnding: a hosted client's context says why the daemon ends,
// in tmux 3.3a's words: nothing while it runs, "server exited" after
// kill-server (which also ends the last session) or Close, "exited" when
// the last session's shell exits.
func TestServerEnding(t *testing.T) {
	run := func(s *Server, argv ...string) {
		t.Helper()
		if err := s.Run(context.Background(), Client{Stdout: &bytes.Buffer{}, Cwd: "/"}, argv); err != nil {
			t.Fatalf("%q: %v", argv, err)
		}
	}
	done := func(s *Server) {
		t.Helper()
		select {
		case <-s.Done():
		case <-time.After(testDeadline):
			t.Fatal("the server did not end")
		}
	}

	s := newTestServer(t, "new-session", "-d", "-s", "a", "cat")
	if got := ServerEnding(s.clientCtx); got != "" {
		t.Errorf("running: ServerEnding = %q, want none", got)
	}
	run(s, "kill-server")
	done(s)
	if got := ServerEnding(s.clientCtx); got != EndingServerExited {
		t.Errorf("kill-server: ServerEnding = %q, want %q", got, EndingServerExited)
	}

	s = newTestServer(t, "new-session", "-d", "-s", "a", "cat")
	run(s, "new-session", "-d", "-s", "b", "sh", "-c", "read x")
	run(s, "send-keys", "-t", "b", "x", "Enter")
	eventually(t, "session b to end", func() bool { return len(s.Sessions()) == 1 })
	if got := ServerEnding(s.clientCtx); got != "" {
		t.Errorf("one of two sessions ended: ServerEnding = %q, want none", got)
	}
	run(s, "send-keys", "-t", "a", "C-d")
	done(s)
	if got := ServerEnding(s.clientCtx); got != EndingExited {
		t.Errorf("the last shell exited: ServerEnding = %q, want %q", got, EndingExited)
	}

	s = newTestServer(t, "new-session", "-d", "-s", "a", "cat")
	s.Close()
	if got := ServerEnding(s.clientCtx); got != EndingServerExited {
		t.Errorf("Close: ServerEnding = %q, want %q", got, EndingServerExited)
	}
	if got := ServerEnding(context.Background()); got != "" {
		t.Errorf("another context: ServerEnding = %q, want none", got)
	}
}
