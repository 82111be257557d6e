//go:build e2e

package integration

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/goshterm/gosh/cmd/gosh/internal/testenv"
	"github.com/goshterm/gosh/ssp/conn/impair"
)

// network says how the client reaches the server in one interop case.
type network struct {
	name  string
	link  impair.Link // both directions; zero = no proxy
	proxy bool
	roam  bool
}

var networks = []network{
	{name: "direct"},
	{name: "impaired", proxy: true, link: impair.Link{Delay: 50 * time.Millisecond, Loss: 0.2}},
	{name: "impaired-roam", proxy: true, roam: true, link: impair.Link{Delay: 50 * time.Millisecond, Loss: 0.2}},
}

// via starts the proxy for n (if any) in front of port and returns the
// port the client should use.
func via(t *testing.T, n network, port int) (int, *impair.Proxy) {
	t.Helper()
	if !n.proxy {
		return port, nil
	}
	seed := uint64(time.Now().UnixNano())
	t.Logf("impair seed %d", seed)
	p, err := impair.New(impair.Config{Listen: "127.0.0.1:0", Server: "127.0.0.1:" + strconv.Itoa(port),
		Up: n.link, Down: n.link, Seed: seed})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return p.Port(), p
}

// session drives one client in tmux against a started server: type, see
// output, resize and see the shell follow, optionally roam, then quit with
// Ctrl-^ . and check that both sides exit.
func session(t *testing.T, n network, srv server, clientArgv []string) {
	port, proxy := via(t, n, srv.Port)
	x := testenv.NewTmux(t)
	env := append([]string{"MOSH_KEY=" + srv.Key}, utf8Env...)
	x.NewSession(env, 80, 24, append(clientArgv, "127.0.0.1", strconv.Itoa(port))...)
	clientPID := x.PanePID()
	noKeyInArgv(t, srv.Key)

	start := time.Now()
	step := func(what string) { t.Logf("%-8v %s", time.Since(start).Round(time.Millisecond), what) }
	waitPrompt(t, x)
	step("prompt")
	run(t, x, "echo hello", "hello")
	step("echo hello")
	resized(t, x, srv, 100, 30)
	step("stty size after resize")
	if proxy != nil && n.roam {
		before := proxy.SourceAddr()
		after, err := proxy.Roam()
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("roamed %v → %v", before, after)
		run(t, x, "echo after-roam", "after-roam")
		resized(t, x, srv, 90, 20)
		step("roam, echo and resize")
	}
	x.SendKeys("C-^", ".")
	waitExited(t, "client", clientPID)
	step("client exited")
	if srv.Daemon == nil {
		waitExited(t, "server", srv.PID)
		step("server exited")
	} else if out := srv.Daemon.run(t, "ls"); !strings.HasPrefix(out, "0:") {
		// Quitting the client leaves the session, as a detach does.
		t.Errorf("gosh ls after the client quit = %q; want the session 0", out)
	}
	if proxy != nil {
		s := proxy.Stats()
		t.Logf("proxy: up %+v down %+v", s.Up, s.Down)
	}
}

// resized resizes the outer terminal to cols×rows and waits for the
// shell's stty size to follow. In a gosh session the pane is one row
// shorter than the terminal (the status line takes the bottom row): stty
// must equal the daemon's pane size, and the status line must show.
func resized(t *testing.T, x *testenv.Tmux, srv server, cols, rows int) {
	t.Helper()
	x.Resize(cols, rows)
	if srv.Daemon == nil {
		runUntil(t, x, "stty size", fmt.Sprintf("%d %d", rows, cols))
		return
	}
	want := fmt.Sprintf("%d %d", rows-1, cols)
	runUntil(t, x, "stty size", want)
	if got := strings.TrimSpace(srv.Daemon.run(t, "display-message", "-p", "-t", "0", "#{pane_height} #{pane_width}")); got != want {
		t.Errorf("stty size in the pane is %q but the pane is %q", want, got)
	}
	lines := strings.Split(strings.TrimRight(x.Capture(), "\n"), "\n")
	if len(lines) != rows || !strings.Contains(lines[rows-1], "[0]") {
		t.Errorf("the gosh status line is not the bottom row of the %d-row terminal:\n%s", rows, strings.Join(lines, "\n"))
	}
}

// sessionDaemon is a gosh daemon of the test's own (a private socket
// directory), stopped when the test ends.
type sessionDaemon struct{ gosh, dir string }

func newSessionDaemon(t *testing.T, gosh string) *sessionDaemon {
	t.Helper()
	d := &sessionDaemon{gosh: gosh, dir: filepath.Join(t.TempDir(), "sockets")}
	if err := os.Mkdir(d.dir, 0o700); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.command("kill-server").Run() })
	return d
}

// env is the environment that reaches this daemon (started on demand with
// /bin/sh as its shell).
func (d *sessionDaemon) env() []string { return []string{"GOSH_SOCKET_DIR=" + d.dir, "SHELL=/bin/sh"} }

func (d *sessionDaemon) command(args ...string) *exec.Cmd {
	cmd := exec.Command(d.gosh, args...)
	cmd.Env = append(os.Environ(), d.env()...)
	return cmd
}

// run runs a gosh command against the daemon and returns its stdout.
func (d *sessionDaemon) run(t *testing.T, args ...string) string {
	t.Helper()
	out, err := d.command(args...).Output()
	if err != nil {
		t.Errorf("gosh %s: %v", strings.Join(args, " "), err)
	}
	return string(out)
}

// mosh-client (Debian, mosh 1.4) against gosh mosh-server, which puts it
// in a session of the gosh daemon (the default, as through the mosh
// wrapper).
func TestMoshClientAgainstGoshServer(t *testing.T) {
	moshClient := testenv.RequireTool(t, "mosh-client")
	testenv.RequireTool(t, "tmux")
	gosh := testenv.BuildGosh(t)
	killOwnBinary(t, gosh)
	for _, n := range networks {
		t.Run(n.name, func(t *testing.T) {
			d := newSessionDaemon(t, gosh)
			srv := startServerEnv(t, d.env(), gosh, "mosh-server")
			srv.Daemon = d
			session(t, n, srv, []string{moshClient})
		})
	}
}

// gosh client against Debian's mosh-server.
func TestGoshClientAgainstMoshServer(t *testing.T) {
	moshServer := testenv.RequireTool(t, "mosh-server")
	testenv.RequireTool(t, "tmux")
	gosh := testenv.BuildGosh(t)
	killOwnBinary(t, gosh)
	for _, n := range networks {
		t.Run(n.name, func(t *testing.T) {
			srv := startServer(t, moshServer)
			session(t, n, srv, []string{gosh, "client"})
		})
	}
}

// The stock mosh wrapper, through a real sshd, with --server='gosh
// mosh-server' (TESTING.md recipe) and no GOSH_SESSION: the user types and
// sees output, in a session of the host's gosh daemon (its status line
// shows, and stty size is the pane's, one row less than the terminal).
// h.server is gosh with a private socket directory for the test.
func TestMoshWrapperWithGoshServer(t *testing.T) {
	mosh := testenv.RequireTool(t, "mosh")
	testenv.RequireTool(t, "mosh-client")
	h := newRemoteHost(t)
	x := testenv.NewTmux(t)
	x.NewSession(utf8Env, 80, 24, mosh, "--ssh="+h.sshd.SSHCommand(), "--server="+h.server+" mosh-server", h.sshd.Target())
	clientPID := x.PanePID()
	waitPrompt(t, x)
	// The login shell's prompt varies; a marker computed by the shell
	// proves the command ran remotely, not just that it was echoed.
	run(t, x, "echo hello-$((6*7))", "hello-42")
	x.WaitUntil("the gosh status line of session 0 on the bottom row", func(s string) bool {
		lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
		return len(lines) == 24 && strings.Contains(lines[23], "[0]")
	})
	x.Resize(100, 30)
	runUntil(t, x, "stty size", "29 100")
	x.SendKeys("C-^", ".")
	waitExited(t, "mosh", clientPID)
	if t.Failed() {
		fmt.Println(h.sshd.Log())
	}
}

func dirOf(path string) string {
	for i := len(path) - 1; i >= 0; i-- {
		if path[i] == '/' {
			return path[:i]
		}
	}
	return "."
}
