package mux

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// recordingPane starts a session whose pane writes every byte it reads
// to a file, the terminal raw and silent (so the line discipline changes
// nothing), and attaches a client (its loop not running: the test feeds
// its keys). It returns the client and the file.
func recordingPane(t *testing.T) (*Server, *client, string) {
	t.Helper()
	file := filepath.Join(t.TempDir(), "keys")
	s := NewServer(Config{Shell: "/bin/sh", Env: []string{"PATH=/usr/local/bin:/usr/bin:/bin", "HOME=/tmp", "ENV="}})
	t.Cleanup(func() { s.Close() })
	if err := s.Run(context.Background(), Client{Cwd: "/"}, []string{"new-session", "-d", "-s", "rec", "-x", "80", "-y", "23",
		"stty raw -echo; printf ready; exec cat >" + file}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the pane's terminal set up", func() bool { return strings.Contains(runOut(t, s, "capture-pane", "-p", "-t", "rec"), "ready") })
	return s, attachTestClient(t, s, "rec", "typist"), file
}

func runOut(t *testing.T, s *Server, argv ...string) string {
	t.Helper()
	var out bytes.Buffer
	if err := s.Run(context.Background(), Client{Stdout: &out, Cwd: "/"}, argv); err != nil {
		t.Fatalf("%s: %v", strings.Join(argv, " "), err)
	}
	return out.String()
}

// waitRecorded waits until the pane has read want, all it should have
// read: a byte that should not have reached it shows up before the last.
func waitRecorded(t *testing.T, file, want string) {
	t.Helper()
	var got []byte
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		got, _ = os.ReadFile(file)
		if len(got) >= len(want) || time.Now().After(deadline) {
			break
		}
	}
	if string(got) != want {
		t.Fatalf("the pane read %q, want %q", got, want)
	}
}

// TestTypingReachesPaneAsFed types through keysIn one read at a time,
// as a client's datagrams bring them: plain keys (feedKeys' fast path)
// and keys that something else takes first — the prefix and the
// binding after it, a confirm-before prompt, copy and view mode, pane
// numbers, clock mode. The pane must read exactly the keys meant for it,
// in order.
func TestTypingReachesPaneAsFed(t *testing.T) {
	s, c, file := recordingPane(t)
	reads := []string{
		"hello",
		"\x02", "\x02", // the prefix twice sends it
		" wörld\r\x7f\x15\t",
		"\x02", "x", "n", // confirm-before kill-pane, answered no
		"\x02", "[", "k", "q", // copy mode: k moves, q leaves
		"\x02", "~", "q", // show-messages' view mode, left with q
		"\x02", "q", "0", // pane numbers: 0 picks the pane
		"\x02", "t", "z", // clock mode: a key ends it and is used up
		"\x02", "c", "new", // a new window: keys go there now…
		"\x02", "l", // …until the last window is back
		"é!",
	}
	for _, r := range reads {
		c.keysIn([]byte(r))
	}
	waitRecorded(t, file, "hello\x02 wörld\r\x7f\x15\té!")
	if n := strings.Count(runOut(t, s, "list-windows", "-t", "rec"), "\n"); n != 2 {
		t.Errorf("%d windows after prefix c, want 2", n)
	}
}

// TestReadOnlyTypingReachesNoPane: a read-only client's keys never
// reach a pane, plain ones included.
func TestReadOnlyTypingReachesNoPane(t *testing.T) {
	_, c, file := recordingPane(t)
	c.readOnly = true
	c.keysIn([]byte("ro"))
	c.readOnly = false
	c.keysIn([]byte("ok"))
	waitRecorded(t, file, "ok")
}
