//go:build e2e

package integration

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/goshterm/gosh/cmd/gosh/internal/testenv"
	"github.com/goshterm/gosh/mux"
	"github.com/goshterm/gosh/mux/muxtest"
	"github.com/goshterm/gosh/ssp"
)

// The plugin tests run the real gosh daemon (`gosh server daemon`) with
// real plugin executables that the test builds into t.TempDir(), attach
// through the real `gosh server attach` (what sshd runs), and read the
// composite frame with an in-process SSP client over loopback UDP.

// pollDeadline bounds every wait for something the daemon or a plugin does.
const pollDeadline = 20 * time.Second

// buildPlugin builds the Go package at pkg (a module path or a ./ path
// relative to the repository root) into dir/name and returns its path.
func buildPlugin(t *testing.T, pkg, dir, name string) string {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, name)
	cmd := exec.Command("go", "build", "-o", out, pkg)
	cmd.Dir = repoRoot(t)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build %s: %v\n%s", pkg, err, b)
	}
	return out
}

// repoRoot is the module root, three levels above this package.
func repoRoot(t *testing.T) string {
	t.Helper()
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	return filepath.Clean(filepath.Join(wd, "..", "..", "..", ".."))
}

// goshDaemon is a `gosh server daemon` the test started, with its plugins
// in cfgDir ($GOSH_CONFIG_DIR).
type goshDaemon struct {
	t      *testing.T
	bin    string
	sock   string
	cfgDir string
	env    []string
	cmd    *exec.Cmd
}

// daemonEnv is the environment of the daemon and of the CLI commands:
// panes run /bin/sh with a "$ " prompt. XDG_CONFIG_HOME is testenv.Main's
// empty directory: without it the daemon would run
// $HOME/.config/gosh/gosh.conf, and muxtest.Env's HOME is the shared /tmp.
func daemonEnv(cfgDir string) []string {
	return append([]string{"GOSH_CONFIG_DIR=" + cfgDir, "SHELL=/bin/sh",
		"XDG_CONFIG_HOME=" + os.Getenv("XDG_CONFIG_HOME")}, muxtest.Env...)
}

// startGoshDaemon runs the daemon and waits for its socket. It is stopped
// with SIGTERM (which closes its plugins) when the test ends, and by
// SIGKILL if it does not exit; plugin processes left behind are killed by
// PID.
func startGoshDaemon(t *testing.T, cfgDir string) *goshDaemon {
	t.Helper()
	bin := testenv.BuildGosh(t)
	sockDir, err := os.MkdirTemp("", "gp")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(sockDir) })
	d := &goshDaemon{t: t, bin: bin, sock: filepath.Join(sockDir, "s"), cfgDir: cfgDir, env: daemonEnv(cfgDir)}
	d.cmd = exec.Command(bin, "-S", d.sock, "server", "daemon")
	d.cmd.Env = d.env
	d.cmd.Dir = "/"
	if err := d.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { d.cmd.Wait(); close(done) }()
	t.Cleanup(func() {
		kids := childPIDs(d.cmd.Process.Pid)
		d.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-done:
		case <-time.After(pollDeadline):
			d.cmd.Process.Kill()
			<-done
		}
		for _, pid := range kids {
			if !exited(pid) {
				syscall.Kill(pid, syscall.SIGKILL)
			}
		}
		if t.Failed() {
			b, _ := os.ReadFile(d.sock + ".log")
			t.Logf("daemon log:\n%s", b)
		}
	})
	waitFor(t, "the daemon's socket", func() bool {
		c, err := net.Dial("unix", d.sock)
		if err != nil {
			return false
		}
		c.Close()
		return true
	})
	return d
}

// gosh runs a gosh command against the daemon with extra environment and
// stdin; it returns stdout, stderr and the exit code.
func (d *goshDaemon) gosh(stdin string, extraEnv []string, args ...string) (string, string, int) {
	d.t.Helper()
	cmd := exec.Command(d.bin, append([]string{"-S", d.sock}, args...)...)
	cmd.Env = append(append([]string{}, d.env...), extraEnv...)
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		d.t.Fatalf("gosh %v: %v", args, err)
	}
	return out.String(), errb.String(), code
}

// newSession creates a detached session running /bin/sh in dir.
func (d *goshDaemon) newSession(name, dir string) {
	d.t.Helper()
	if _, stderr, code := d.gosh("", nil, "new-session", "-d", "-s", name, "-c", dir); code != 0 {
		d.t.Fatalf("new-session %s: exit %d: %s", name, code, stderr)
	}
}

var goshConnectRE = regexp.MustCompile(`(?m)^GOSH CONNECT (\d+) ([A-Za-z0-9/+]{22}) `)

// serverAttach runs `gosh server attach -t session` as sshd would, with
// extraEnv (SSH_CONNECTION, SSH_USER_AUTH) and stdin (a challenge's
// answer). It returns the connect line's endpoint, or the exit code and
// stderr when the attach was refused.
func (d *goshDaemon) serverAttach(session, stdin string, extraEnv ...string) (reply *mux.AttachReply, key ssp.Key, stderr string, code int) {
	d.t.Helper()
	out, stderr, code := d.gosh(stdin, extraEnv, "server", "attach", "-t", session, "-i", "127.0.0.1")
	if code != 0 {
		return nil, ssp.Key{}, stderr, code
	}
	m := goshConnectRE.FindStringSubmatch(out)
	if m == nil {
		d.t.Fatalf("server attach printed no connect line: %q (stderr %q)", out, stderr)
	}
	port, _ := strconv.Atoi(m[1])
	key, err := ssp.ParseKey(m[2])
	if err != nil {
		d.t.Fatal(err)
	}
	return &mux.AttachReply{Session: session, IP: "127.0.0.1", Port: port, Key: m[2]}, key, stderr, 0
}

// attach attaches a 100x20 test client to session and waits for its
// first frame.
func (d *goshDaemon) attach(session string, extraEnv ...string) *muxtest.Client {
	d.t.Helper()
	reply, key, stderr, code := d.serverAttach(session, "", extraEnv...)
	if reply == nil {
		d.t.Fatalf("attach %s refused: exit %d: %s", session, code, stderr)
	}
	c := muxtest.Connect(d.t, reply, key, 100, 20)
	waitFor(d.t, "the first frame", c.Connected)
	return c
}

// log returns the daemon's log so far.
func (d *goshDaemon) log() string {
	b, _ := os.ReadFile(d.sock + ".log")
	return string(b)
}

// waitFor polls cond every 20 ms until it holds or pollDeadline passes.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for end := time.Now().Add(pollDeadline); ; time.Sleep(20 * time.Millisecond) {
		if cond() {
			return
		}
		if time.Now().After(end) {
			t.Fatalf("timed out after %v waiting for %s", pollDeadline, what)
		}
	}
}

// statusRow returns the frame's last row: the status line.
func statusRow(c *muxtest.Client) string {
	rows := c.Text()
	for len(rows) < 20 {
		rows = append(rows, "")
	}
	return rows[19]
}

// screenText returns the whole frame as text.
func screenText(c *muxtest.Client) string { return strings.Join(c.Text(), "\n") }

// waitStatus waits until the status line matches re and returns it.
func waitStatus(t *testing.T, c *muxtest.Client, what string, ok func(string) bool) string {
	t.Helper()
	var last string
	for end := time.Now().Add(pollDeadline); ; time.Sleep(10 * time.Millisecond) {
		last = statusRow(c)
		if ok(last) {
			return last
		}
		if time.Now().After(end) {
			t.Fatalf("timed out after %v waiting for the status line to show %s; it shows %q\nframe:\n%s", pollDeadline, what, last, screenText(c))
		}
	}
}

// typeAndSee types a shell command and waits for want on the screen.
func typeAndSee(t *testing.T, c *muxtest.Client, command, want string) {
	t.Helper()
	c.Type(command + "\r")
	waitFor(t, fmt.Sprintf("%q on the screen after typing %q", want, command), func() bool {
		return strings.Contains(screenText(c), want)
	})
}

// childPIDs lists the processes whose parent is pid (the daemon's plugins
// and panes).
func childPIDs(pid int) []int {
	var out []int
	ents, _ := os.ReadDir("/proc")
	for _, e := range ents {
		n, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if ppid(n) == pid {
			out = append(out, n)
		}
	}
	return out
}

func ppid(pid int) int {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return -1
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return -1
	}
	f := strings.Fields(s[i+1:])
	if len(f) < 2 {
		return -1
	}
	n, _ := strconv.Atoi(f[1])
	return n
}

// pluginPID returns the PID of the daemon's child running exe, or 0.
func (d *goshDaemon) pluginPID(exe string) int {
	for _, pid := range childPIDs(d.cmd.Process.Pid) {
		if p, err := os.Readlink("/proc/" + strconv.Itoa(pid) + "/exe"); err == nil && p == exe && !exited(pid) {
			return pid
		}
	}
	return 0
}

// writeFile writes content to path, creating its directory.
func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

// connectReply connects a 100x20 test client to an attach reply.
func connectReply(t *testing.T, reply *mux.AttachReply, key ssp.Key) *muxtest.Client {
	t.Helper()
	c := muxtest.Connect(t, reply, key, 100, 20)
	waitFor(t, "the first frame", c.Connected)
	return c
}
