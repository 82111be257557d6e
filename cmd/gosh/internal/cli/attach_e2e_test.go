//go:build e2e

package cli_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/goshterm/gosh/cmd/gosh/internal/testenv"
	"github.com/goshterm/gosh/ssp"
)

// TestLocalAttachDetachReattach drives the real binary in a tmux pane, the
// user's terminal: gosh alone starts a session and attaches over loopback
// SSP, typing reaches the shell, C-b d detaches back to the outer prompt,
// and attach-session shows the earlier output again.
func TestLocalAttachDetachReattach(t *testing.T) {
	g := newGoshEnv(t)
	x := testenv.NewTmux(t)
	x.NewSession([]string{"GOSH_SOCKET_DIR=" + g.dir, "GOSH=", "GOSH_PANE=", "SHELL=/bin/sh", "PS1=$ ", "ENV=", "TERM=xterm-256color"},
		80, 24, "/bin/sh")
	x.WaitFor("$")
	x.Type(testenv.ShellQuote(g.bin) + "\n")
	// the status line of the new session "0"
	x.WaitUntil("the gosh status line", func(s string) bool { return strings.Contains(s, "[0] 0:sh*") })
	x.Type("echo inside-$((6*7))\n")
	x.WaitFor("inside-42")
	if out := g.must("list-clients", "-F", "#{session_name} #{client_width}x#{client_height}"); out != "0 80x24\n" {
		t.Errorf("list-clients = %q, want the 80x24 client of session 0", out)
	}

	x.SendKeys("C-b", "d")
	x.WaitFor("[detached (from session 0)]")
	eventually(t, "the daemon to forget the client", func() bool {
		out, _, _ := g.run("list-clients")
		return out == ""
	})
	if out := g.must("list-sessions", "-F", "#{session_name}"); out != "0\n" {
		t.Errorf("after detach list-sessions = %q", out)
	}

	x.Type("clear; " + testenv.ShellQuote(g.bin) + " attach-session -t 0\n")
	screen := x.WaitUntil("the reattached session", func(s string) bool {
		return strings.Contains(s, "inside-42") && strings.Contains(s, "[0] 0:sh*")
	})
	if strings.Contains(screen, "detached") {
		t.Errorf("reattached screen still shows the outer terminal:\n%s", screen)
	}
	// detach-client from inside the session detaches this client too
	x.Type("gosh_bin=" + testenv.ShellQuote(g.bin) + "; $gosh_bin detach-client\n")
	x.WaitFor("[detached (from session 0)]")
}

// TestServerAttachPrintsConnectLine checks the line issue 6's ssh bootstrap
// reads: GOSH CONNECT <port> <key> <version>, after creating the session.
func TestServerAttachPrintsConnectLine(t *testing.T) {
	g := newGoshEnv(t)
	out, errs, code := g.run("server", "attach", "-t", "work", "-p", "61500:61600", "-i", "127.0.0.1")
	if code != 0 {
		t.Fatalf("gosh server attach: exit %d: %s", code, errs)
	}
	m := regexp.MustCompile(`^GOSH CONNECT (\d+) (\S+) (\S+)\n$`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("stdout = %q, want one GOSH CONNECT line", out)
	}
	if m[1] < "61500" || m[1] > "61600" {
		t.Errorf("port %s outside -p 61500:61600", m[1])
	}
	if _, err := ssp.ParseKey(m[2]); err != nil {
		t.Errorf("key %q: %v", m[2], err)
	}
	if strings.Contains(errs, m[2]) {
		t.Error("the key leaked to stderr")
	}
	if out := g.must("list-sessions", "-F", "#{session_name}"); out != "work\n" {
		t.Errorf("list-sessions = %q, want the created session", out)
	}
	if out := g.must("list-clients", "-F", "#{session_name}"); out != "work\n" {
		t.Errorf("list-clients = %q, want the endpoint waiting for its client", out)
	}
	// a second attach to the same session gets its own endpoint and key
	out2, _, code := g.run("server", "attach", "-t", "work", "-i", "127.0.0.1")
	m2 := regexp.MustCompile(`^GOSH CONNECT (\d+) (\S+) `).FindStringSubmatch(out2)
	if code != 0 || m2 == nil || m2[1] == m[1] || m2[2] == m[2] {
		t.Errorf("second attach = %q (exit %d), want a new port and key", out2, code)
	}
}

// TestServerAttachLayoutCreatesSession: `gosh server attach --layout FILE`
// (what `gosh attach host --layout FILE` runs) builds a missing session from
// the file, then opens the endpoint; an existing session is left as it is.
func TestServerAttachLayoutCreatesSession(t *testing.T) {
	g := newGoshEnv(t)
	file := filepath.Join(t.TempDir(), "two.yaml")
	layout := "session: lay\nwindows:\n  - name: main\n    layout:\n      split: horizontal\n      panes:\n        - {}\n        - {}\n"
	if err := os.WriteFile(file, []byte(layout), 0o600); err != nil {
		t.Fatal(err)
	}
	out, errs, code := g.run("server", "attach", "-t", "lay", "--layout", file, "-i", "127.0.0.1")
	if code != 0 || !strings.HasPrefix(out, "GOSH CONNECT ") {
		t.Fatalf("gosh server attach --layout: exit %d, stdout %q, stderr %s", code, out, errs)
	}
	if out := g.must("list-panes", "-t", "lay:main", "-F", "#{pane_index}"); out != "0\n1\n" {
		t.Errorf("list-panes = %q, want the file's two panes", out)
	}
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	if err := os.WriteFile(bad, []byte("session: other\nwindows:\n  - nmae: x\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, errs, code = g.run("server", "attach", "-t", "other", "--layout", bad, "-i", "127.0.0.1")
	if code == 0 || !strings.Contains(errs, "bad.yaml:3") {
		t.Errorf("bad layout: exit %d, stderr %q; want non-zero naming bad.yaml:3", code, errs)
	}
}
