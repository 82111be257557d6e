//go:build e2e

package integration

import (
	"fmt"
	"strconv"
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
	x.Resize(100, 30)
	runUntil(t, x, "stty size", "30 100")
	step("stty size after resize")
	if proxy != nil && n.roam {
		before := proxy.SourceAddr()
		after, err := proxy.Roam()
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("roamed %v → %v", before, after)
		run(t, x, "echo after-roam", "after-roam")
		x.Resize(90, 20)
		runUntil(t, x, "stty size", "20 90")
		step("roam, echo and resize")
	}
	x.SendKeys("C-^", ".")
	waitExited(t, "client", clientPID)
	step("client exited")
	waitExited(t, "server", srv.PID)
	step("server exited")
	if proxy != nil {
		s := proxy.Stats()
		t.Logf("proxy: up %+v down %+v", s.Up, s.Down)
	}
}

// mosh-client (Debian, mosh 1.4) against gosh mosh-server.
func TestMoshClientAgainstGoshServer(t *testing.T) {
	moshClient := testenv.RequireTool(t, "mosh-client")
	testenv.RequireTool(t, "tmux")
	gosh := testenv.BuildGosh(t)
	killOwnBinary(t, gosh)
	for _, n := range networks {
		t.Run(n.name, func(t *testing.T) {
			srv := startServer(t, gosh, "mosh-server")
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
// mosh-server' (TESTING.md recipe): the user types and sees output.
func TestMoshWrapperWithGoshServer(t *testing.T) {
	mosh := testenv.RequireTool(t, "mosh")
	testenv.RequireTool(t, "mosh-client")
	gosh := testenv.BuildGosh(t)
	killOwnBinary(t, gosh)
	sshd := testenv.StartSSHD(t, dirOf(gosh))
	x := testenv.NewTmux(t)
	x.NewSession(utf8Env, 80, 24, mosh, "--ssh="+sshd.SSHCommand(), "--server=gosh mosh-server", sshd.Target())
	clientPID := x.PanePID()
	waitPrompt(t, x)
	// The login shell's prompt varies; a marker computed by the shell
	// proves the command ran remotely, not just that it was echoed.
	run(t, x, "echo hello-$((6*7))", "hello-42")
	x.Resize(100, 30)
	runUntil(t, x, "stty size", "30 100")
	x.SendKeys("C-^", ".")
	waitExited(t, "mosh", clientPID)
	if t.Failed() {
		fmt.Println(sshd.Log())
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
