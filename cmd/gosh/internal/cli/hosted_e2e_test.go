//go:build e2e

package cli_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/goshterm/gosh/cmd/gosh/internal/testenv"
)

// paneEnv is the outer terminal's environment for a local attach.
func (g *goshEnv) paneEnv(extra ...string) []string {
	return append([]string{"GOSH_SOCKET_DIR=" + g.dir, "GOSH=", "GOSH_PANE=", "SHELL=/bin/sh", "PS1=$ ", "ENV=",
		"TERM=xterm-256color", "COLORTERM="}, extra...)
}

// daemonPID reads the daemon's PID from its log ("server started … pid=N").
func (g *goshEnv) daemonPID() int {
	g.t.Helper()
	b, err := os.ReadFile(filepath.Join(g.dir, "default.log"))
	if err != nil {
		g.t.Fatal(err)
	}
	m := regexp.MustCompile(`server started.*pid=(\d+)`).FindAllSubmatch(b, -1)
	if m == nil {
		g.t.Fatalf("no daemon PID in the log:\n%s", b)
	}
	pid, _ := strconv.Atoi(string(m[len(m)-1][1]))
	return pid
}

// fdTargets lists what pid's descriptors point at (readlink of
// /proc/PID/fd/*).
func fdTargets(pid int) []string {
	dir := fmt.Sprintf("/proc/%d/fd", pid)
	entries, _ := os.ReadDir(dir)
	var out []string
	for _, e := range entries {
		if l, err := os.Readlink(filepath.Join(dir, e.Name())); err == nil {
			out = append(out, l)
		}
	}
	return out
}

// udpSockets counts the UDP sockets pid holds (its socket inodes against
// /proc/net/udp{,6}).
func udpSockets(t *testing.T, pid int) int {
	t.Helper()
	udp := map[string]bool{}
	for _, f := range []string{"/proc/net/udp", "/proc/net/udp6"} {
		b, _ := os.ReadFile(f)
		for _, line := range strings.Split(string(b), "\n")[1:] {
			if fs := strings.Fields(line); len(fs) > 9 {
				udp[fs[9]] = true
			}
		}
	}
	n := 0
	for _, l := range fdTargets(pid) {
		if ino, ok := strings.CutPrefix(l, "socket:["); ok && udp[strings.TrimSuffix(ino, "]")] {
			n++
		}
	}
	return n
}

func hasUDPSocket(t *testing.T, pid int) bool { return udpSockets(t, pid) > 0 }

// holds reports whether pid has a descriptor on path.
func holds(pid int, path string) bool {
	for _, l := range fdTargets(pid) {
		if l == path {
			return true
		}
	}
	return false
}

func statusRow(s string) bool { return strings.Contains(s, "[0] 0:sh*") }

// TestLocalAttachIsHosted: gosh alone in a terminal passes the terminal to
// the daemon, which runs the client: the gosh process holds no UDP
// socket, the daemon holds the terminal and links the client to its
// endpoint in memory. The terminal's resizes reach the
// pane, Ctrl-^ Ctrl-Z and fg give the screen back, and SIGKILL of the gosh
// process ends the daemon's client and leaves the session.
func TestLocalAttachIsHosted(t *testing.T) {
	g, x := attachHosted(t)
	stub := testenv.DescendantWithExe(t, x.PanePID(), g.bin)
	daemon := g.daemonPID()
	tty, err := os.Readlink(fmt.Sprintf("/proc/%d/fd/0", stub))
	if err != nil {
		t.Fatal(err)
	}
	if hasUDPSocket(t, stub) {
		t.Errorf("the gosh process holds a UDP socket: the client runs there, not in the daemon (fds %v)", fdTargets(stub))
	}
	if !holds(daemon, tty) {
		t.Errorf("the daemon (pid %d) does not hold the terminal %s (fds %v)", daemon, tty, fdTargets(daemon))
	}
	// The client it runs talks to its endpoint in memory: the daemon
	// holds the endpoint's socket and none for the client.
	if n := udpSockets(t, daemon); n != 1 {
		t.Errorf("the daemon holds %d UDP sockets, want 1: the endpoint's, with the hosted client linked in memory", n)
	}

	x.Resize(100, 30)
	eventually(t, "the client to take the new size", func() bool {
		out, _, _ := g.run("list-clients", "-F", "#{client_width}x#{client_height}")
		return out == "100x30\n"
	})
	x.Type("clear; stty size\n")
	x.WaitFor("29 100") // one row is the status line

	suspendHosted(t, x, stub)
	x.Type("fg\n")
	x.WaitUntil("the session back after fg", func(s string) bool {
		return statusRow(s) && strings.Contains(s, "29 100") && !strings.Contains(s, "suspended")
	})
	x.Type("echo back-$((6*7))\n")
	x.WaitFor("back-42")

	syscall.Kill(stub, syscall.SIGKILL)
	eventually(t, "the daemon's client to end", func() bool {
		out, _, _ := g.run("list-clients")
		return out == ""
	})
	eventually(t, "the daemon to let the terminal go", func() bool { return !holds(daemon, tty) })
	if out := g.must("list-sessions", "-F", "#{session_name}"); out != "0\n" {
		t.Errorf("after SIGKILL list-sessions = %q, want the session kept", out)
	}
	x.Type("echo outer-$((6*7))\n")
	x.WaitFor("outer-42")
}

// TestLocalAttachFallsBack: a daemon whose environment differs for the
// terminal library (COLORTERM here) does not host; gosh runs the client
// itself, and the attach works as before.
func TestLocalAttachFallsBack(t *testing.T) {
	g := newGoshEnv(t)
	c := exec.Command(g.bin, "new-session", "-d", "-s", "0")
	c.Env = append(os.Environ(), g.paneEnv("COLORTERM=truecolor")...)
	c.Dir = "/"
	if out, err := c.CombinedOutput(); err != nil {
		t.Fatalf("new-session -d: %v\n%s", err, out)
	}
	x := testenv.NewTmux(t)
	x.NewSession(g.paneEnv(), 80, 24, "/bin/sh")
	x.WaitFor("$")
	x.Type(testenv.ShellQuote(g.bin) + " attach-session -t 0\n")
	x.WaitUntil("the gosh status line", statusRow)
	x.Type("echo inside-$((6*7))\n")
	x.WaitFor("inside-42")
	stub := testenv.DescendantWithExe(t, x.PanePID(), g.bin)
	if !hasUDPSocket(t, stub) {
		t.Errorf("refused by the daemon, gosh holds no UDP socket: who runs the client? (fds %v)", fdTargets(stub))
	}
	x.SendKeys("C-b", "d")
	x.WaitFor("[detached (from session 0)]")
}

// TestLocalAttachSuspendedHangUp: a hosted attach suspended with Ctrl-^
// Ctrl-Z and then hung up (SIGHUP and SIGCONT, as the kernel does to a
// stopped job whose terminal goes) ends: the gosh process exits, the
// daemon's client goes, the session stays, and the outer shell keeps its
// terminal.
func TestLocalAttachSuspendedHangUp(t *testing.T) {
	g, x := attachHosted(t)
	stub := testenv.DescendantWithExe(t, x.PanePID(), g.bin)
	suspendHosted(t, x, stub)
	syscall.Kill(stub, syscall.SIGHUP)
	syscall.Kill(stub, syscall.SIGCONT)
	eventually(t, "the gosh process to exit", func() bool {
		st := procState(stub)
		return st == 0 || st == 'Z'
	})
	eventually(t, "the daemon's client to end", func() bool {
		out, _, _ := g.run("list-clients")
		return out == ""
	})
	if out := g.must("list-sessions", "-F", "#{session_name}"); out != "0\n" {
		t.Errorf("after the hang-up list-sessions = %q, want the session kept", out)
	}
	x.Type("echo outer-$((6*7))\n")
	x.WaitFor("outer-42")
}

// attachHosted starts gosh alone in an outer tmux pane and waits for its
// session.
func attachHosted(t *testing.T) (*goshEnv, *testenv.Tmux) {
	t.Helper()
	g := newGoshEnv(t)
	x := testenv.NewTmux(t)
	x.NewSession(g.paneEnv(), 80, 24, "/bin/sh")
	x.WaitFor("$")
	x.Type(testenv.ShellQuote(g.bin) + "\n")
	x.WaitUntil("the gosh status line", statusRow)
	x.Type("echo inside-$((6*7))\n")
	x.WaitFor("inside-42")
	return g, x
}

// TestLocalAttachBigPaste: a paste far bigger than one datagram reaches
// the pane whole through the hosted client's in-memory link (its
// fragments come in a burst that no socket buffer absorbs).
func TestLocalAttachBigPaste(t *testing.T) {
	_, x := attachHosted(t)
	x.Type("clear; wc -c\n")
	line := strings.Repeat("x", 99) + "\n"
	x.Paste(strings.Repeat(line, 1500)) // 150 000 bytes, lines short of the tty's 4 KB line limit
	x.SendKeys("C-d")
	x.WaitFor("150000")
}

// TestLocalAttachServerExited: kill-server while a hosted client is
// attached ends it with tmux 3.3a's words, "[server exited]", not
// "detached".
func TestLocalAttachServerExited(t *testing.T) {
	g, x := attachHosted(t)
	g.must("kill-server")
	x.WaitFor("[server exited]")
	if s := x.Capture(); strings.Contains(s, "detached") {
		t.Errorf("kill-server: the pane says detached:\n%s", s)
	}
	x.Type("echo outer-$((6*7))\n")
	x.WaitFor("outer-42")
}

// TestLocalAttachLastSessionExited: the shell of the last session exits;
// the server ends, and the attach ends as tmux 3.3a's does, "[exited]".
func TestLocalAttachLastSessionExited(t *testing.T) {
	_, x := attachHosted(t)
	x.Type("exit\n")
	x.WaitFor("[exited]")
	if s := x.Capture(); strings.Contains(s, "detached") || strings.Contains(s, "server exited") {
		t.Errorf("the last shell exited: the pane says\n%s", s)
	}
	x.Type("echo outer-$((6*7))\n")
	x.WaitFor("outer-42")
}

// TestLocalAttachDetachSaysDetached: prefix d and detach-client still end
// a hosted attach with "[detached (from session 0)]", and the server
// stays.
func TestLocalAttachDetachSaysDetached(t *testing.T) {
	g, x := attachHosted(t)
	x.SendKeys("C-b", "d")
	x.WaitFor("[detached (from session 0)]")
	x.Type("clear; " + testenv.ShellQuote(g.bin) + " attach-session -t 0\n")
	x.WaitUntil("the gosh status line again", statusRow)
	g.must("detach-client")
	x.WaitFor("[detached (from session 0)]")
	if s := x.Capture(); strings.Contains(s, "exited") {
		t.Errorf("detach-client: the pane says\n%s", s)
	}
	if out := g.must("list-sessions", "-F", "#{session_name}"); out != "0\n" {
		t.Errorf("after the detaches list-sessions = %q, want the session kept", out)
	}
}

// TestLocalAttachKillServerWhileSuspended: kill-server while the local
// gosh is stopped (Ctrl-^ Ctrl-Z) ends the daemon at once; it must not
// wait for the user to bring the job back.
func TestLocalAttachKillServerWhileSuspended(t *testing.T) {
	g, x := attachHosted(t)
	stub := testenv.DescendantWithExe(t, x.PanePID(), g.bin)
	daemon := g.daemonPID()
	suspendHosted(t, x, stub)
	g.must("kill-server")
	eventually(t, "the daemon to exit while the attach is stopped", func() bool {
		s := procState(daemon)
		return s == 0 || s == 'Z'
	})
	syscall.Kill(stub, syscall.SIGHUP)
	syscall.Kill(stub, syscall.SIGCONT)
}

// procState is the state letter of /proc/PID/stat, 0 when pid is gone.
func procState(pid int) byte {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	i := strings.LastIndexByte(string(b), ')')
	if err != nil || i < 0 || i+2 >= len(b) {
		return 0
	}
	return b[i+2]
}

// suspendHosted types Ctrl-^ Ctrl-Z and waits for the gosh process to be
// stopped.
func suspendHosted(t *testing.T, x *testenv.Tmux, stub int) {
	t.Helper()
	x.SendKeys("C-^", "C-z")
	x.WaitFor("[gosh is suspended.]")
	eventually(t, "the gosh process to stop", func() bool { return procState(stub) == 'T' })
}
