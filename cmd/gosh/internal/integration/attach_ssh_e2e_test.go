//go:build e2e

package integration

import (
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/goshterm/gosh/cmd/gosh/internal/testenv"
	"github.com/goshterm/gosh/ssp"
	"github.com/goshterm/gosh/ssp/conn/impair"
)

// remoteHost is a gosh "host" for gosh attach: a real OpenSSH sshd on
// loopback (testenv.StartSSHD) whose remote PATH has the gosh just built.
type remoteHost struct {
	gosh   string // the built binary (the client runs it too)
	sshd   *testenv.SSHD
	server string // --server: a wrapper giving the host's daemon a private socket directory
	dir    string
}

// newRemoteHost starts sshd and writes the --server wrapper. The wrapper
// keeps this test's daemon apart from any other on the machine
// (GOSH_SOCKET_DIR) and stops it when the test ends; it also records the
// bootstrap's stdout when asked to, so the test can learn a session key and
// look for it in every argv.
func newRemoteHost(t *testing.T) *remoteHost {
	t.Helper()
	gosh := testenv.BuildGosh(t)
	killOwnBinary(t, gosh)
	h := &remoteHost{gosh: gosh, sshd: testenv.StartSSHD(t, dirOf(gosh)), dir: t.TempDir()}
	sockets := filepath.Join(h.dir, "sockets")
	h.server = filepath.Join(h.dir, "gosh-server")
	wrapper := fmt.Sprintf(`#!/bin/sh
export GOSH_SOCKET_DIR=%s
if [ "$1 $2" = "server attach" ]; then
	out=%s
	%s "$@" | tee -a "$out"
	exit $?
fi
exec %s "$@"
`, testenv.ShellQuote(sockets), testenv.ShellQuote(filepath.Join(h.dir, "bootstrap.out")),
		testenv.ShellQuote(gosh), testenv.ShellQuote(gosh))
	if err := os.WriteFile(h.server, []byte(wrapper), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd := exec.Command(gosh, "kill-server")
		cmd.Env = append(os.Environ(), "GOSH_SOCKET_DIR="+sockets)
		cmd.Run()
	})
	return h
}

// attachArgv is the gosh attach command line a user would type.
func (h *remoteHost) attachArgv(extra ...string) []string {
	return append([]string{h.gosh, "attach", h.sshd.Target(), "--ssh", h.sshd.SSHCommand(), "--server", h.server}, extra...)
}

// keys returns the session keys the bootstrap printed so far.
func (h *remoteHost) keys(t *testing.T) []string {
	t.Helper()
	b, _ := os.ReadFile(filepath.Join(h.dir, "bootstrap.out"))
	var keys []string
	for _, m := range regexp.MustCompile(`GOSH CONNECT \d+ (\S+) `).FindAllStringSubmatch(string(b), -1) {
		keys = append(keys, m[1])
	}
	return keys
}

// capture is the session's whole history and screen as the host's gosh
// daemon holds it (gosh capture-pane -p -S - run on the host).
func (h *remoteHost) capture(t *testing.T, session string) string {
	t.Helper()
	cmd := exec.Command(h.gosh, "capture-pane", "-p", "-S", "-", "-t", session)
	cmd.Env = append(os.Environ(), "GOSH_SOCKET_DIR="+filepath.Join(h.dir, "sockets"))
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("gosh capture-pane on the host: %v", err)
	}
	return string(out)
}

// missingLines returns which of the lines prefix1 … prefixN text lacks;
// it also reports a line that comes out of order or twice.
func missingLines(text, prefix string, n int) []string {
	var bad []string
	next := 1
	for l := range strings.SplitSeq(text, "\n") {
		l = strings.TrimSpace(l)
		if !strings.HasPrefix(l, prefix) {
			continue
		}
		i, err := strconv.Atoi(strings.TrimPrefix(l, prefix))
		if err != nil {
			continue
		}
		for ; next < i && next <= n; next++ {
			bad = append(bad, prefix+strconv.Itoa(next))
		}
		if i != next {
			bad = append(bad, "out of order: "+l)
			continue
		}
		next++
	}
	for ; next <= n; next++ {
		bad = append(bad, prefix+strconv.Itoa(next))
	}
	return bad
}

// shellTmux is the user's terminal with a plain shell in it, from which
// gosh commands are typed.
func shellTmux(t *testing.T) *testenv.Tmux {
	t.Helper()
	x := testenv.NewTmux(t)
	x.NewSession([]string{"SHELL=/bin/sh", "PS1=$ ", "ENV=", "TERM=xterm-256color", "GOSH=", "GOSH_PANE=", "LANG=C.UTF-8"}, 80, 24, "/bin/sh")
	x.WaitFor("$")
	return x
}

func quoteArgv(argv []string) string {
	q := make([]string, len(argv))
	for i, a := range argv {
		q[i] = testenv.ShellQuote(a)
	}
	return strings.Join(q, " ")
}

// goshRun runs the gosh binary to completion (not in a terminal).
func goshRun(t *testing.T, argv ...string) (stdout, stderr string, code int) {
	t.Helper()
	cmd := exec.Command(argv[0], argv[1:]...)
	var o, e strings.Builder
	cmd.Stdout, cmd.Stderr = &o, &e
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("%s: %v", argv[0], err)
	}
	return o.String(), e.String(), code
}

// TestAttachOverSSH is issue 6's everyday path through a real sshd:
// gosh attach creates the session, typing works, C-b d detaches, gosh ls
// lists the session over ssh, gosh attach -t picks it up again with the
// earlier output, a second client at once sees the same output, and the
// key is in no process's argv.
func TestAttachOverSSH(t *testing.T) {
	h := newRemoteHost(t)
	x := shellTmux(t)
	x.Type(quoteArgv(h.attachArgv("-t", "work")) + "\n")
	x.WaitFor("[work]") // the session's status line: attached
	waitPrompt(t, x)
	run(t, x, "echo hello-$((6*7))", "hello-42")

	keys := h.keys(t)
	if len(keys) != 1 {
		t.Fatalf("bootstrap printed %d keys", len(keys))
	}
	if _, err := ssp.ParseKey(keys[0]); err != nil {
		t.Fatalf("bootstrap key %q: %v", keys[0], err)
	}
	noKeyInArgv(t, keys[0])

	// More than a screenful, so that hello-42 is in the scrollback only.
	run(t, x, "i=0; while [ $i -lt 40 ]; do i=$((i+1)); echo line-$i; done; echo printed-$((6*7))", "printed-42")

	x.SendKeys("C-b", "d")
	x.WaitFor("[detached from " + h.sshd.Target() + "]")

	out, errs, code := goshRun(t, h.gosh, "ls", h.sshd.Target(), "--ssh", h.sshd.SSHCommand(), "--server", h.server)
	if code != 0 || !strings.HasPrefix(out, "work:") {
		t.Errorf("gosh ls host = %q, %q, exit %d; want the session work", out, errs, code)
	}

	x.Type("clear; " + quoteArgv(h.attachArgv("-t", "work")) + "\n")
	x.WaitUntil("the reattached session with its earlier output", func(s string) bool {
		return hasLine(s, "line-40") && hasLine(s, "printed-42") && !strings.Contains(s, "detached")
	})
	// The scrollback came along: the session's history on the host holds
	// every line, and copy mode in the reattached client scrolls back to
	// the output that left the screen before the detach.
	if missing := missingLines(h.capture(t, "work"), "line-", 40); len(missing) > 0 {
		t.Errorf("the session's scrollback lacks %v", missing)
	}
	x.SendKeys("C-b", "[")
	x.WaitFor("[0/") // copy mode's position indicator
	x.SendKeys("PPage", "PPage", "PPage")
	x.WaitUntil("hello-42 and line-1 in copy mode", func(s string) bool { return hasLine(s, "hello-42") && hasLine(s, "line-1") })
	x.SendKeys("q")
	x.WaitUntil("copy mode left", func(s string) bool { return hasLine(s, "printed-42") && !hasLine(s, "hello-42") })

	// A second client attached at the same time sees what the first types.
	y := shellTmux(t)
	y.Type(quoteArgv(h.attachArgv("-t", "work")) + "\n")
	y.WaitFor("printed-42")
	run(t, x, "echo both-$((40+2))", "both-42")
	y.WaitUntil("the command's output on the second client", func(s string) bool { return hasLine(s, "both-42") })
	for _, k := range h.keys(t) {
		noKeyInArgv(t, k)
	}
	y.SendKeys("C-b", "d")
	y.WaitFor("[detached from")
	// Closing one client affects no other.
	run(t, x, "echo still-$((1+1))", "still-2")
	if t.Failed() {
		t.Log(h.sshd.Log())
	}
}

// freeUDPPort returns a UDP port free at the moment on 127.0.0.1.
func freeUDPPort(t *testing.T) int {
	t.Helper()
	c, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	return c.LocalAddr().(*net.UDPAddr).Port
}

// TestAttachRoamsAndFallsBackToSSH sends the session's UDP through the
// user-space impairment proxy (the hidden --udp-via flag points the client
// at it; -p fixes the server's port so the proxy knows where to forward):
// a roam (the proxy rebinds its server-facing socket) keeps the session,
// then "UDP blocked" is simulated by the proxy dropping every datagram in
// both directions: the session goes on through `gosh server relay` over
// ssh, the notice bar says so, and when the proxy lets datagrams through
// again the client returns to UDP.
func TestAttachRoamsAndFallsBackToSSH(t *testing.T) {
	h := newRemoteHost(t)
	port := freeUDPPort(t)
	seed := uint64(time.Now().UnixNano())
	t.Logf("impair seed %d", seed)
	p, err := impair.New(impair.Config{Listen: "127.0.0.1:0", Server: "127.0.0.1:" + strconv.Itoa(port), Seed: seed})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })

	x := shellTmux(t)
	x.Type(quoteArgv(h.attachArgv("-t", "roam", "-p", strconv.Itoa(port), "--udp-via", p.Addr().String())) + "\n")
	x.WaitFor("[roam]")
	waitPrompt(t, x)
	run(t, x, "echo udp-$((6*7))", "udp-42")
	if p.Stats().Down.Sent == 0 {
		t.Fatal("the session did not go through the proxy")
	}

	if _, err := p.Roam(); err != nil {
		t.Fatal(err)
	}
	run(t, x, "echo roamed-$((6*7))", "roamed-42")

	blocked := impair.Link{Loss: 1}
	p.SetUp(blocked)
	p.SetDown(blocked)
	start := time.Now()
	run(t, x, "echo relayed-$((6*7))", "relayed-42")
	t.Logf("UDP blocked: output through the ssh relay after %v", time.Since(start).Round(time.Millisecond))
	start = time.Now()
	run(t, x, "echo again-$((6*7))", "again-42")
	t.Logf("on the relay: a command's output in %v", time.Since(start).Round(time.Millisecond))
	screen := x.WaitFor("ssh fallback")
	if !strings.Contains(screen, "open UDP "+strconv.Itoa(port)+" to") {
		t.Errorf("the notice bar does not say which port to open:\n%s", screen)
	}

	p.SetUp(impair.Link{})
	p.SetDown(impair.Link{})
	start = time.Now()
	x.WaitUntil("the notice bar gone (back on UDP)", func(s string) bool { return !strings.Contains(s, "ssh fallback") })
	t.Logf("UDP open again: back on UDP after %v", time.Since(start).Round(time.Millisecond))
	sent := p.Stats().Down.Sent
	run(t, x, "echo back-$((6*7))", "back-42")
	if p.Stats().Down.Sent <= sent {
		t.Error("the output did not come back over UDP")
	}
	if t.Failed() {
		t.Log(h.sshd.Log())
	}
}

// TestAttachFailuresSayWhatToDo covers the bootstrap's failure paths: each
// is one line with the fix and a non-zero exit.
func TestAttachFailuresSayWhatToDo(t *testing.T) {
	h := newRemoteHost(t)
	key, _ := ssp.GenerateKey()
	fake := func(version string) string {
		p := filepath.Join(t.TempDir(), "gosh")
		os.WriteFile(p, []byte("#!/bin/sh\necho 'GOSH CONNECT 60001 "+key.String()+" "+version+"'\n"), 0o755)
		return p
	}
	// A UDP port the test holds on the any-address the endpoint binds.
	busy, err := net.ListenUDP("udp4", &net.UDPAddr{})
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	busyPort := strconv.Itoa(busy.LocalAddr().(*net.UDPAddr).Port)
	for _, c := range []struct {
		name string
		argv []string
		want string
	}{
		{"UDP port range in use", h.attachArgv("-p", busyPort), "no UDP port free in " + busyPort + ":" + busyPort},
		{"missing remote gosh", []string{h.gosh, "attach", h.sshd.Target(), "--ssh", h.sshd.SSHCommand(), "--server", "/nonexistent/gosh"},
			"gosh attach --install " + h.sshd.Target()},
		{"server too old", []string{h.gosh, "attach", h.sshd.Target(), "--ssh", h.sshd.SSHCommand(), "--server", fake("0.0.1")},
			"upgrade gosh on " + h.sshd.Target()},
		{"server too new", []string{h.gosh, "attach", h.sshd.Target(), "--ssh", h.sshd.SSHCommand(), "--server", fake("99.0.0")},
			"upgrade gosh on this machine"},
		{"ssh auth failure", []string{h.gosh, "attach", h.sshd.Target(), "--ssh", strings.Replace(h.sshd.SSHCommand(), h.sshd.UserKey, h.sshd.Dir+"/hostkey", 1)},
			"ssh to " + h.sshd.Target() + " failed"},
		{"unknown host", []string{h.gosh, "attach", "root@no-such-host.invalid", "--ssh", h.sshd.SSHCommand()},
			"no-such-host.invalid"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, errs, code := goshRun(t, c.argv...)
			if code == 0 || !strings.Contains(errs, c.want) {
				t.Errorf("exit %d, stderr %q; want non-zero and %q", code, errs, c.want)
			}
			if lines := strings.Count(strings.TrimSpace(lastGoshLine(errs)), "\n"); lines != 0 {
				t.Errorf("message spans lines: %q", errs)
			}
		})
	}
}

// lastGoshLine is gosh's own message (ssh's diagnostics come before it).
func lastGoshLine(s string) string {
	i := strings.LastIndex(s, "gosh: ")
	if i < 0 {
		return s
	}
	return s[i:]
}

// TestAttachInstallsMissingGosh: with --install, a host without gosh gets
// this very binary in ~/.local/bin (HOME is a temporary directory here,
// set by an ssh wrapper on the remote command line), verified by SHA-256
// there, and the session starts with it.
func TestAttachInstallsMissingGosh(t *testing.T) {
	h := newRemoteHost(t)
	home := t.TempDir()
	sockets := filepath.Join(h.dir, "sockets")
	wrapper := filepath.Join(h.dir, "ssh-home")
	// The remote command line is ssh's last argument, the only one with
	// a blank in it; ssh -G calls pass through untouched.
	script := fmt.Sprintf(`#!/bin/sh
for a do
	shift
	case "$a" in *" "*) a="HOME=%s GOSH_SOCKET_DIR=%s $a";; esac
	set -- "$@" "$a"
done
exec %s "$@"
`, home, sockets, h.sshd.SSHCommand())
	if err := os.WriteFile(wrapper, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	x := shellTmux(t)
	x.Type(quoteArgv([]string{h.gosh, "attach", h.sshd.Target(), "--ssh", wrapper, "--server", "/nonexistent/gosh", "--install", "-t", "inst"}) + "\n")
	x.WaitFor("[inst]") // the session's status line: attached
	waitPrompt(t, x)
	run(t, x, "echo installed-$((6*7))", "installed-42")
	got, err := os.ReadFile(filepath.Join(home, ".local/bin/gosh"))
	if err != nil {
		t.Fatalf("nothing installed: %v", err)
	}
	want, _ := os.ReadFile(h.gosh)
	if string(got) != string(want) {
		t.Error("the installed binary differs from this one")
	}
	x.SendKeys("C-b", "d")
	x.WaitFor("[detached from")
}

// TestAttachSurvivesStoppedClient stops the client (SIGSTOP, as a laptop
// sleeps) for 60 s while the session keeps printing, with its UDP through
// the user-space impairment proxy (delay) and two roams (the proxy rebinds
// its server-facing socket): one while output scrolls past, one while the
// client is stopped (it wakes up on another network). After SIGCONT the
// screen shows the tail of the output, the session's scrollback holds
// every line produced meanwhile (more than a screenful), in copy mode too,
// typing works, and the client stayed on UDP (the silence was its own, not
// the network's).
func TestAttachSurvivesStoppedClient(t *testing.T) {
	h := newRemoteHost(t)
	port := freeUDPPort(t)
	seed := uint64(time.Now().UnixNano())
	t.Logf("impair seed %d", seed)
	link := impair.Link{Delay: 30 * time.Millisecond}
	p, err := impair.New(impair.Config{Listen: "127.0.0.1:0", Server: "127.0.0.1:" + strconv.Itoa(port),
		Up: link, Down: link, Seed: seed})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	x := shellTmux(t)
	// Under a non-interactive sh (that does not exec it), so that the
	// outer shell's job control does not take the terminal back when the
	// client stops (TESTING.md).
	argv := h.attachArgv("-t", "sleepy", "-p", strconv.Itoa(port), "--udp-via", p.Addr().String())
	x.Type("sh -c '\"$@\"; :' sh " + quoteArgv(argv) + "\n")
	x.WaitFor("[sleepy]")
	waitPrompt(t, x)
	run(t, x, "echo awake-$((6*7))", "awake-42")
	if p.Stats().Down.Sent == 0 {
		t.Fatal("the session did not go through the proxy")
	}
	pid := testenv.DescendantWithExe(t, x.PanePID(), h.gosh)

	const ticks = 60 // 30 s of output, 2½ screens
	x.Type("clear; i=0; while [ $i -lt " + strconv.Itoa(ticks) + " ]; do i=$((i+1)); echo tick-$i; sleep 0.5; done; echo all-$((6*7))\n")
	x.WaitFor("tick-3")
	if _, err := p.Roam(); err != nil {
		t.Fatal(err)
	}
	x.WaitFor("tick-8") // output goes on after the roam
	if err := syscall.Kill(pid, syscall.SIGSTOP); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Roam(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(60 * time.Second) // the user's laptop sleeps
	if err := syscall.Kill(pid, syscall.SIGCONT); err != nil {
		t.Fatal(err)
	}
	screen := x.WaitUntil("the end of the output", func(s string) bool { return hasLine(s, "all-42") })
	// The screen shows the tail: consecutive ticks up to the last.
	var shown []string
	for l := range strings.SplitSeq(screen, "\n") {
		if l = strings.TrimSpace(l); strings.HasPrefix(l, "tick-") {
			shown = append(shown, l)
		}
	}
	if len(shown) < 15 || shown[len(shown)-1] != "tick-"+strconv.Itoa(ticks) {
		t.Errorf("the screen does not show the tail of the output:\n%s", screen)
	} else if first, _ := strconv.Atoi(strings.TrimPrefix(shown[0], "tick-")); first <= 8 {
		t.Errorf("the screen starts at %s; want only the tail:\n%s", shown[0], screen)
	} else if missing := missingLines(strings.Join(shown, "\n"), "tick-", ticks); len(missing) != first-1 {
		t.Errorf("the screen's tail has gaps (missing %v):\n%s", missing[first-1:], screen)
	}
	// Nothing is lost from the scrollback, on the host and in the client.
	if missing := missingLines(h.capture(t, "sleepy"), "tick-", ticks); len(missing) > 0 {
		t.Errorf("the session's scrollback lacks %v", missing)
	}
	x.SendKeys("C-b", "[")
	x.WaitFor("[0/") // copy mode's position indicator
	x.SendKeys("PPage", "PPage", "PPage", "PPage")
	x.WaitUntil("tick-1 in copy mode", func(s string) bool {
		// The top row also holds copy mode's position indicator.
		top, _, _ := strings.Cut(s, "\n")
		return strings.HasPrefix(top, "tick-1 ") && hasLine(s, "tick-2")
	})
	x.SendKeys("q")
	x.WaitUntil("copy mode left", func(s string) bool { return hasLine(s, "all-42") })

	run(t, x, "echo resumed-$((6*7))", "resumed-42")
	if strings.Contains(x.Capture(), "ssh fallback") {
		t.Errorf("a stopped client moved to the ssh fallback:\n%s", x.Capture())
	}
	s := p.Stats()
	t.Logf("proxy: up %+v down %+v", s.Up, s.Down)
}

// TestMoshWrapperLandsInGoshSession: the stock mosh wrapper and
// mosh-client, with GOSH_SESSION on the remote command line, land in that
// gosh session of the daemon: what they type shows up for a gosh attach
// client of the same session, and gosh ls lists it.
func TestMoshWrapperLandsInGoshSession(t *testing.T) {
	mosh := testenv.RequireTool(t, "mosh")
	testenv.RequireTool(t, "mosh-client")
	h := newRemoteHost(t)
	x := shellTmux(t)
	x.Type(quoteArgv([]string{mosh, "--ssh=" + h.sshd.SSHCommand(), "--server=GOSH_SESSION=pair " + h.server + " mosh-server", h.sshd.Target()}) + "\n")
	waitPrompt(t, x)
	run(t, x, "echo via-mosh-$((6*7))", "via-mosh-42")
	x.WaitFor("[pair]") // the gosh status line: this is a gosh session

	out, errs, code := goshRun(t, h.gosh, "ls", h.sshd.Target(), "--ssh", h.sshd.SSHCommand(), "--server", h.server)
	if code != 0 || !strings.HasPrefix(out, "pair:") {
		t.Errorf("gosh ls host = %q, %q, exit %d; want the session pair", out, errs, code)
	}
	y := shellTmux(t)
	y.Type(quoteArgv(h.attachArgv("-t", "pair")) + "\n")
	y.WaitUntil("the mosh client's output in gosh attach", func(s string) bool { return hasLine(s, "via-mosh-42") })
	x.SendKeys("C-^", ".")
	x.WaitFor("$")
}

// TestAttachToHostOnlySSHReaches: a host name that does not resolve on
// the client, reached by ssh through a jump host (ProxyCommand ssh -W, as
// ProxyJump does; the jump host is the same sshd), gets a session on the
// ssh relay alone, and the notice bar says why. (A bash /dev/tcp proxy
// with a background cat kept each connection, and an sshd process, alive
// whenever ssh's last packet was lost as it hung the proxy up.)
func TestAttachToHostOnlySSHReaches(t *testing.T) {
	h := newRemoteHost(t)
	proxy := "ProxyCommand=" + h.sshd.SSHCommand() + " -W " + h.sshd.Addr() + " " + h.sshd.Target()
	sshCmd := h.sshd.SSHCommand() + " -o " + testenv.ShellQuote(proxy)
	x := shellTmux(t)
	x.Type(quoteArgv([]string{h.gosh, "attach", h.sshd.User + "@inner.invalid", "--ssh", sshCmd, "--server", h.server, "-t", "inner"}) + "\n")
	x.WaitFor("[inner]")
	// The notice bar covers the top row, where the first prompt is.
	x.WaitFor("inner.invalid does not resolve here")
	run(t, x, "echo jumped-$((6*7))", "jumped-42")
}

// TestAttachWithLocalLayout: gosh attach --layout names a file on the
// client, given here relative to the client's directory, where the host's
// login shell (in its home directory) would not find it: its content goes
// over ssh and the new session has the file's windows. An existing
// session is attached as it is.
func TestAttachWithLocalLayout(t *testing.T) {
	h := newRemoteHost(t)
	local := t.TempDir()
	layout := "session: laid\nwindows:\n  - name: editor\n    focus: true\n  - name: logs\n"
	if err := os.WriteFile(filepath.Join(local, "laid.yaml"), []byte(layout), 0o600); err != nil {
		t.Fatal(err)
	}
	x := shellTmux(t)
	x.Type("cd " + testenv.ShellQuote(local) + " && " + quoteArgv(h.attachArgv("-t", "laid", "--layout", "laid.yaml")) + "\n")
	x.WaitFor("[laid]")
	x.WaitUntil("both windows of the layout on the status line", func(s string) bool {
		return strings.Contains(s, "0:editor") && strings.Contains(s, "1:logs")
	})
	waitPrompt(t, x)
	run(t, x, "echo laid-$((6*7))", "laid-42")
	windows := func() string {
		cmd := exec.Command(h.gosh, "list-windows", "-t", "laid", "-F", "#{window_name}")
		cmd.Env = append(os.Environ(), "GOSH_SOCKET_DIR="+filepath.Join(h.dir, "sockets"))
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("gosh list-windows on the host: %v", err)
		}
		return string(out)
	}
	if got := windows(); got != "editor\nlogs\n" {
		t.Errorf("the session's windows on the host = %q; want editor and logs", got)
	}
	x.SendKeys("C-b", "d")
	x.WaitFor("[detached from")

	// A layout file that is missing here is the client's error, before ssh.
	_, errs, code := goshRun(t, h.attachArgv("-t", "other", "--layout", filepath.Join(local, "missing.yaml"))...)
	if code == 0 || !strings.Contains(errs, "missing.yaml: no such file") {
		t.Errorf("missing local layout: exit %d, stderr %q", code, errs)
	}
	// The session exists: attaching with the layout again keeps it as it is.
	os.WriteFile(filepath.Join(local, "laid.yaml"), []byte("session: laid\nwindows:\n  - name: other\n"), 0o600)
	x.Type(quoteArgv(h.attachArgv("-t", "laid", "--layout", "laid.yaml")) + "\n")
	x.WaitFor("1:logs")
	if got := windows(); got != "editor\nlogs\n" {
		t.Errorf("the existing session's windows = %q; want them unchanged", got)
	}
	x.SendKeys("C-b", "d")
	x.WaitFor("[detached from")
}

// TestAttachLayoutThenChallenge: with --layout, ssh's stdin carries the
// local layout's bytes and then the user's typing; an authorizer's TOTP
// challenge (the auth-allowlist plugin) is still answered at the user's
// terminal, and the session has the layout's windows.
func TestAttachLayoutThenChallenge(t *testing.T) {
	u, err := user.Current()
	if err != nil {
		t.Fatal(err)
	}
	h := newRemoteHost(t)
	cfg := t.TempDir()
	buildPlugin(t, "./examples/plugins/auth-allowlist", filepath.Join(cfg, "bin"), "gosh-plugin-auth-allowlist")
	b, _ := json.Marshal(map[string]any{
		"sessions":     map[string]any{"laid": map[string]any{"allow": []string{u.Username}, "totp": true}},
		"totp_secrets": map[string]string{u.Username: totpSecret},
	})
	writeFile(t, filepath.Join(cfg, "allowlist.json"), string(b))
	writeFile(t, filepath.Join(cfg, "config.yaml"), "plugins:\n  - name: allowlist\n    path: bin/gosh-plugin-auth-allowlist\n    kind: authorizer\n    args: [\"-config\", \""+filepath.Join(cfg, "allowlist.json")+"\"]\n")
	// newRemoteHost's wrapper, with the plugin's configuration.
	server := filepath.Join(h.dir, "gosh-server-auth")
	writeFile(t, server, "#!/bin/sh\nexport GOSH_CONFIG_DIR="+testenv.ShellQuote(cfg)+"\nexec "+testenv.ShellQuote(h.server)+" \"$@\"\n")
	if err := os.Chmod(server, 0o755); err != nil {
		t.Fatal(err)
	}
	layout := filepath.Join(t.TempDir(), "laid.yaml")
	writeFile(t, layout, "session: laid\nwindows:\n  - name: editor\n    focus: true\n  - name: logs\n")

	x := shellTmux(t)
	x.Type(quoteArgv([]string{h.gosh, "attach", h.sshd.Target(), "--ssh", h.sshd.SSHCommand(), "--server", server, "-t", "laid", "--layout", layout}) + "\n")
	x.WaitFor("TOTP code for " + u.Username)
	x.Type(totpCode(t, time.Now()) + "\n")
	x.WaitFor("[laid]")
	x.WaitUntil("both windows of the layout on the status line", func(s string) bool {
		return strings.Contains(s, "0:editor") && strings.Contains(s, "1:logs")
	})
	waitPrompt(t, x)
	run(t, x, "echo laid-$((6*7))", "laid-42")
	if t.Failed() {
		t.Log(h.sshd.Log())
	}
}
