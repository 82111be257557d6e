//go:build e2e

package cli_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// TestMoshServerSessionStartsOneDaemon: gosh mosh-server with
// GOSH_SESSION and no daemon running starts one daemon, which creates the
// session and opens the endpoint. It used to ask has-session of a daemon it
// started for that, which exits at once with no session, so new-session
// raced the closing daemon and failed now and then with "connection reset
// by peer".
func TestMoshServerSessionStartsOneDaemon(t *testing.T) {
	g := newGoshEnv(t)
	t.Setenv("GOSH_SESSION", "pair")
	t.Setenv("LANG", "C.UTF-8")
	out, errs, code := g.run("mosh-server", "new", "-i", "127.0.0.1")
	if code != 0 || !strings.HasPrefix(strings.TrimSpace(out), "MOSH CONNECT ") {
		t.Fatalf("gosh mosh-server new = %q, %q, exit %d; want the connect line", out, errs, code)
	}
	if out := g.must("ls"); !strings.HasPrefix(out, "pair:") {
		t.Errorf("gosh ls = %q; want the session pair", out)
	}
	log, err := os.ReadFile(filepath.Join(g.dir, "default.log"))
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(log), "server started"); n != 1 {
		t.Errorf("%d daemons started, want 1; daemon log:\n%s", n, log)
	}
}

// TestMoshServerDefaultsToAGoshSession: without GOSH_SESSION, gosh
// mosh-server starts the daemon and creates a session when there is none,
// then puts the next mosh client in that same session rather than a new
// one; --private (before or after "new") serves a pty of its own, as
// mosh-server does, and leaves the daemon's sessions alone.
func TestMoshServerDefaultsToAGoshSession(t *testing.T) {
	g := newGoshEnv(t)
	t.Setenv("GOSH_SESSION", "")
	t.Setenv("LANG", "C.UTF-8")
	for i := range 2 {
		out, errs, code := g.run("mosh-server", "new", "-i", "127.0.0.1")
		if code != 0 || !strings.HasPrefix(strings.TrimSpace(out), "MOSH CONNECT ") {
			t.Fatalf("gosh mosh-server new #%d = %q, %q, exit %d; want the connect line", i+1, out, errs, code)
		}
		if !strings.Contains(errs, "attached to gosh session 0") {
			t.Errorf("gosh mosh-server new #%d said %q; want it attached to session 0", i+1, errs)
		}
		if out := g.must("ls"); strings.Count(out, "\n") != 1 || !strings.HasPrefix(out, "0:") {
			t.Errorf("gosh ls after mosh-server #%d = %q; want the one session 0", i+1, out)
		}
	}
	for _, args := range [][]string{{"mosh-server", "--private", "new"}, {"mosh-server", "new", "--private"}} {
		out, errs, code := g.run(append(args, "-i", "127.0.0.1", "--", "/bin/sh")...)
		if code != 0 || !strings.HasPrefix(strings.TrimSpace(out), "MOSH CONNECT ") {
			t.Fatalf("gosh %q = %q, %q, exit %d; want the connect line", args, out, errs, code)
		}
		m := regexp.MustCompile(`detached, pid = (\d+)`).FindStringSubmatch(errs)
		if m == nil {
			t.Fatalf("gosh %q said %q; want a detached private server", args, errs)
		}
		pid, _ := strconv.Atoi(m[1])
		syscall.Kill(pid, syscall.SIGKILL)
		if out := g.must("ls"); strings.Count(out, "\n") != 1 {
			t.Errorf("gosh ls after %q = %q; want still the one session", args, out)
		}
	}
}
