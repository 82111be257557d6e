//go:build e2e

package cli_test

import (
	"os"
	"path/filepath"
	"strings"
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
