// Package muxtest builds mux servers for tests: a Server running real
// /bin/sh panes in a quiet environment, helpers to run commands against it,
// and polling helpers with bounded deadlines (never timing assertions).
package muxtest

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/goshterm/gosh/mux"
)

// Env is the environment of test panes: a plain sh prompt and no rc files.
var Env = []string{"PATH=/usr/local/bin:/usr/bin:/bin", "PS1=$ ", "HOME=/tmp", "ENV=", "LANG=C.UTF-8"}

// Deadline bounds every wait; it only stops a broken test.
const Deadline = 15 * time.Second

// NewServer returns a server whose panes run /bin/sh, closed when the test
// ends.
func NewServer(t testing.TB) *mux.Server {
	t.Helper()
	// A short kill grace: the tests of SIGKILL after an ignored hangup
	// need not wait the daemon's 3 s each.
	s := mux.NewServer(mux.Config{Shell: "/bin/sh", Env: Env, KillGrace: 300 * time.Millisecond})
	t.Cleanup(func() { s.Close() })
	return s
}

// Run runs one command and returns its output and error.
func Run(s *mux.Server, argv ...string) (string, error) {
	var out bytes.Buffer
	err := s.Run(context.Background(), mux.Client{Stdout: &out, Cwd: "/"}, argv)
	return out.String(), err
}

// MustRun runs one command and fails the test on error.
func MustRun(t testing.TB, s *mux.Server, argv ...string) string {
	t.Helper()
	out, err := Run(s, argv...)
	if err != nil {
		t.Fatalf("%q: %v", argv, err)
	}
	return out
}

// Eventually polls cond until it holds or Deadline passes.
func Eventually(t testing.TB, what string, cond func() bool) {
	t.Helper()
	for end := time.Now().Add(Deadline); time.Now().Before(end); time.Sleep(10 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("timed out waiting for %s", what)
}

// WaitCapture polls capture-pane -p -t target until its text contains
// want, and returns that text.
func WaitCapture(t testing.TB, s *mux.Server, target, want string) string {
	t.Helper()
	var last string
	for end := time.Now().Add(Deadline); time.Now().Before(end); time.Sleep(10 * time.Millisecond) {
		out, err := Run(s, "capture-pane", "-p", "-t", target)
		if err == nil && strings.Contains(out, want) {
			return out
		}
		last = out
	}
	t.Fatalf("pane %s never showed %q; last capture:\n%s", target, want, last)
	return ""
}
