//go:build e2e

package cli_test

import (
	"bytes"
	"cmp"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/goshterm/gosh/cmd/gosh/internal/testenv"
)

func TestMain(m *testing.M) { testenv.Main(m) }

// goshEnv runs the real binary with its own socket directory.
type goshEnv struct {
	t    *testing.T
	bin  string
	dir  string // GOSH_SOCKET_DIR
	cred *syscall.Credential
	cwd  string // where gosh runs; "" is /
}

func newGoshEnv(t *testing.T) *goshEnv {
	t.Helper()
	g := &goshEnv{t: t, bin: testenv.BuildGosh(t), dir: filepath.Join(t.TempDir(), "sockets")}
	t.Cleanup(func() {
		// kill every server this test started; a missing one is fine
		entries, _ := os.ReadDir(g.dir)
		for _, e := range entries {
			if e.Type()&os.ModeSocket != 0 {
				g.run("-S", filepath.Join(g.dir, e.Name()), "kill-server")
			}
		}
	})
	return g
}

func (g *goshEnv) run(args ...string) (stdout, stderr string, code int) {
	g.t.Helper()
	cmd := exec.Command(g.bin, args...)
	cmd.Env = append(os.Environ(), "GOSH_SOCKET_DIR="+g.dir, "GOSH=", "GOSH_PANE=", "SHELL=/bin/sh", "PS1=$ ", "ENV=")
	cmd.Dir = cmp.Or(g.cwd, "/")
	if g.cred != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: g.cred}
	}
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	// A daemon started on demand keeps no descriptor of ours, so Run
	// returns when the client does.
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		g.t.Fatalf("gosh %q: %v", args, err)
	}
	return o.String(), e.String(), code
}

func (g *goshEnv) must(args ...string) string {
	g.t.Helper()
	out, errs, code := g.run(args...)
	if code != 0 {
		g.t.Fatalf("gosh %q: exit %d: %s", args, code, errs)
	}
	return out
}

func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for end := time.Now().Add(15 * time.Second); time.Now().Before(end); time.Sleep(20 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("timed out waiting for %s", what)
}

func TestCLIDrivesDaemon(t *testing.T) {
	g := newGoshEnv(t)
	if _, errs, code := g.run("-L", "e2e", "list-sessions"); code != 1 || !strings.Contains(errs, "gosh: no server running on ") {
		t.Errorf("ls before any server: exit %d, %q", code, errs)
	}
	// new-session starts the daemon on demand
	g.must("-L", "e2e", "new-session", "-d", "-s", "dev", "-x", "80", "-y", "24")
	if fi, err := os.Stat(g.dir); err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("socket dir mode %v, %v; want 0700", fi.Mode().Perm(), err)
	}
	g.must("-L", "e2e", "split-window", "-h", "-t", "dev")
	g.must("-L", "e2e", "send-keys", "-t", "dev:0.1", "echo from-pane-$((40+2))", "Enter")
	eventually(t, "pane output", func() bool {
		out, _, _ := g.run("-L", "e2e", "capture-pane", "-p", "-t", "dev:0.1")
		return strings.Contains(out, "from-pane-42")
	})
	if out := g.must("-L", "e2e", "capture-pane", "-p", "-t", "dev:0.0"); strings.Contains(out, "from-pane-42") {
		t.Errorf("the other pane shows the output too:\n%s", out)
	}
	if out := g.must("-L", "e2e", "list-panes", "-t", "dev", "-F", "#{pane_index}:#{pane_width}x#{pane_height}:#{pane_active}"); out != "0:40x24:0\n1:39x24:1\n" {
		t.Errorf("list-panes:\n%s", out)
	}
	if out := g.must("-L", "e2e", "ls"); !strings.HasPrefix(out, "dev: 1 windows (created ") {
		t.Errorf("ls: %q", out)
	}
	if _, errs, code := g.run("-L", "e2e", "kill-session", "-t", "foo"); code != 1 || errs != "gosh: can't find session: foo\n" {
		t.Errorf("bad target: exit %d, %q", code, errs)
	}
	if _, errs, code := g.run("-L", "e2e", "split-window", "-Q"); code != 1 || !strings.HasPrefix(errs, "gosh: command split-window: unknown flag -Q\nusage: split-window ") {
		t.Errorf("bad flag: exit %d, %q", code, errs)
	}
	// a script inside a pane talks to its own server without -L, like $TMUX
	g.must("-L", "e2e", "send-keys", "-t", "dev:0.0", g.bin+" display -p 'inner=#{pane_index}' > /tmp/gosh-e2e-inner-$$; cat /tmp/gosh-e2e-inner-$$; rm /tmp/gosh-e2e-inner-$$", "Enter")
	eventually(t, "inner command output", func() bool {
		out, _, _ := g.run("-L", "e2e", "capture-pane", "-p", "-t", "dev:0.0")
		return strings.Contains(out, "\ninner=0")
	})
	g.must("-L", "e2e", "kill-server")
	sock := filepath.Join(g.dir, "e2e")
	eventually(t, "socket removed", func() bool { _, err := os.Stat(sock); return os.IsNotExist(err) })
}

func TestCLIDaemonExitsWithLastSession(t *testing.T) {
	g := newGoshEnv(t)
	g.must("-L", "last", "new-session", "-d", "-s", "one", "exit 0")
	sock := filepath.Join(g.dir, "last")
	eventually(t, "daemon exit after its only pane exited", func() bool { _, err := os.Stat(sock); return os.IsNotExist(err) })
}

// TestCLIRefusesOtherUID makes the socket reachable by everyone, as a
// careless chmod would, and checks that the daemon still refuses a client
// of another uid (SO_PEERCRED).
func TestCLIRefusesOtherUID(t *testing.T) {
	if os.Getuid() != 0 {
		t.Skip("needs root to run a client as another uid")
	}
	g := newGoshEnv(t)
	// Everything the other uid touches must be reachable by it.
	pub, err := os.MkdirTemp("", "gosh-uid-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(pub) })
	os.Chmod(pub, 0o755)
	bin := filepath.Join(pub, "gosh")
	copyFile(t, g.bin, bin)
	g.bin = bin
	sock := filepath.Join(pub, "sock")
	g.must("-S", sock, "new-session", "-d", "-s", "mine")
	t.Cleanup(func() { g.cred = nil; g.run("-S", sock, "kill-server") })
	os.Chmod(sock, 0o666)

	g.cred = &syscall.Credential{Uid: 65534, Gid: 65534}
	out, errs, code := g.run("-S", sock, "send-keys", "-t", "mine", "echo pwned", "Enter")
	if code != 1 || errs != "gosh: access denied: uid 65534 is not the server owner\n" || out != "" {
		t.Errorf("stranger: exit %d, stdout %q, stderr %q", code, out, errs)
	}
	g.cred = nil
	if out := g.must("-S", sock, "capture-pane", "-p", "-t", "mine"); strings.Contains(out, "pwned") {
		t.Errorf("the stranger's keys reached the pane:\n%s", out)
	}
}

func TestCLIRefusesUnsafeSocketDir(t *testing.T) {
	g := newGoshEnv(t)
	if err := os.MkdirAll(g.dir, 0o755); err != nil {
		t.Fatal(err)
	}
	os.Chmod(g.dir, 0o755)
	_, errs, code := g.run("new-session", "-d")
	if code != 1 || !strings.Contains(errs, "has unsafe permissions 0755 (want 0700)") {
		t.Errorf("0755 socket dir: exit %d, %q", code, errs)
	}
	if entries, _ := os.ReadDir(g.dir); len(entries) != 0 {
		t.Errorf("something was created in the unsafe dir: %v", entries)
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	in, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o755)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	out.Close()
}

func TestCLIServerStartStaysUntilKilled(t *testing.T) {
	g := newGoshEnv(t)
	g.must("-L", "st", "server", "start")
	g.must("-L", "st", "server", "start") // a second start finds it running
	// an explicitly started server waits idle for its first session
	if out, errs, code := g.run("-L", "st", "list-sessions"); code != 0 || out != "" {
		t.Errorf("ls on an idle started server: exit %d, %q, %q", code, out, errs)
	}
	g.must("-L", "st", "new-session", "-d", "-s", "a")
	if out := g.must("-L", "st", "list-sessions", "-F", "#{session_name}"); out != "a\n" {
		t.Errorf("ls = %q", out)
	}
	g.must("-L", "st", "kill-server")
	eventually(t, "server gone", func() bool {
		_, errs, code := g.run("-L", "st", "has-session")
		return code == 1 && strings.Contains(errs, "no server running")
	})
	if log, err := os.ReadFile(filepath.Join(g.dir, "st.log")); err != nil || !strings.Contains(string(log), "server started") {
		t.Errorf("daemon log beside the socket: %v %q", err, log)
	}
}
