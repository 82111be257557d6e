package testenv

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// DefaultWait bounds every Tmux wait unless Tmux.Timeout says otherwise.
const DefaultWait = 20 * time.Second

var tmuxSeq atomic.Int64

// Tmux is a private tmux server (its own -L socket) that plays the user's
// terminal: one session, one pane, driven with send-keys and read with
// capture-pane.
type Tmux struct {
	Timeout time.Duration // bound for WaitFor/WaitUntil; DefaultWait if 0

	t    testing.TB
	bin  string
	name string // -L socket name
	conf string
}

// NewTmux prepares a private tmux server; NewSession starts it. The server
// is killed (through its own socket only) when the test ends.
func NewTmux(t testing.TB) *Tmux {
	t.Helper()
	bin := RequireTool(t, "tmux")
	dir := t.TempDir()
	conf := filepath.Join(dir, "tmux.conf")
	// remain-on-exit keeps the pane (and its last words) after the
	// program exits. (resize-window itself switches the window to a
	// manual size, so no attached client is needed.)
	err := os.WriteFile(conf, []byte("set -g remain-on-exit on\nset -g status off\nset -g history-limit 2000\n"), 0o600)
	if err != nil {
		t.Fatal(err)
	}
	x := &Tmux{t: t, bin: bin, conf: conf,
		name: fmt.Sprintf("gosh-test-%d-%d", os.Getpid(), tmuxSeq.Add(1))}
	t.Cleanup(func() { x.Kill() })
	return x
}

// NewSession starts the server with one cols×rows session running argv
// (joined into a shell command, quoted). env is added to the server's
// environment, which the pane inherits: this keeps secrets such as
// MOSH_KEY out of every argv.
func (x *Tmux) NewSession(env []string, cols, rows int, argv ...string) {
	x.t.Helper()
	quoted := make([]string, len(argv))
	for i, a := range argv {
		quoted[i] = ShellQuote(a)
	}
	cmd := exec.Command(x.bin, "-L", x.name, "-f", x.conf, "new-session", "-d", "-s", "main",
		"-x", strconv.Itoa(cols), "-y", strconv.Itoa(rows), strings.Join(quoted, " "))
	cmd.Env = append(os.Environ(), env...)
	if out, err := cmd.CombinedOutput(); err != nil {
		x.t.Fatalf("testenv: tmux new-session: %v\n%s", err, out)
	}
}

// run runs one tmux command against this server.
func (x *Tmux) run(args ...string) (string, error) {
	out, err := exec.Command(x.bin, append([]string{"-L", x.name}, args...)...).CombinedOutput()
	return string(out), err
}

func (x *Tmux) must(args ...string) string {
	x.t.Helper()
	out, err := x.run(args...)
	if err != nil {
		x.t.Fatalf("testenv: tmux %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return out
}

// SendKeys sends tmux key names ("Enter", "C-c", "Up", …).
func (x *Tmux) SendKeys(keys ...string) {
	x.t.Helper()
	x.must(append([]string{"send-keys", "-t", "main"}, keys...)...)
}

// Type sends text literally, byte for byte.
func (x *Tmux) Type(text string) {
	x.t.Helper()
	x.must("send-keys", "-t", "main", "-l", text)
}

// Paste pastes text into the pane as a terminal paste (tmux load-buffer
// and paste-buffer, bracketed when the pane's program asked for it):
// text of any size, in the bursts a terminal's paste comes in. Newlines
// arrive as carriage returns, as typed Enter keys do.
func (x *Tmux) Paste(text string) {
	x.t.Helper()
	f := filepath.Join(x.t.TempDir(), "paste")
	if err := os.WriteFile(f, []byte(text), 0o600); err != nil {
		x.t.Fatal(err)
	}
	x.must("load-buffer", "-b", "gosh-test", f)
	x.must("paste-buffer", "-p", "-d", "-b", "gosh-test", "-t", "main")
}

// Capture returns the pane's visible text, one line per row, trailing
// spaces trimmed by tmux.
func (x *Tmux) Capture() string {
	x.t.Helper()
	return x.must("capture-pane", "-p", "-t", "main")
}

// Cursor returns the pane's cursor position, 0-based.
func (x *Tmux) Cursor() (col, row int) {
	x.t.Helper()
	out := strings.Fields(x.must("display-message", "-p", "-t", "main", "#{cursor_x} #{cursor_y}"))
	if len(out) != 2 {
		x.t.Fatalf("testenv: tmux cursor: %q", out)
	}
	col, _ = strconv.Atoi(out[0])
	row, _ = strconv.Atoi(out[1])
	return col, row
}

// PaneDead reports whether the pane's program has exited, and its status
// (0 when a signal ended it). tmux sets pane_dead as soon as the pty reads
// EOF, before it has reaped the child, so the pane only counts as dead once
// its exit status or signal is known. Debian's tmux (built with
// libutempter) can miss that SIGCHLD altogether: utempter's own handler is
// in place while tmux removes the pane's utmp record on the EOF, and the
// child then stays an unreaped zombie (tmux/tmux#311). So while the pane is
// dead without a status, this server (the test's own, by its PID) is sent
// SIGCHLD to make it reap.
func (x *Tmux) PaneDead() (dead bool, status int) {
	x.t.Helper()
	out := strings.Split(strings.TrimSpace(x.must("display-message", "-p", "-t", "main", "#{pane_dead},#{pane_dead_status},#{pane_dead_signal},#{pid}")), ",")
	if len(out) != 4 || out[0] != "1" {
		return false, 0
	}
	if out[1] == "" && out[2] == "" {
		if pid, err := strconv.Atoi(out[3]); err == nil && pid > 0 {
			syscall.Kill(pid, syscall.SIGCHLD)
		}
		return false, 0
	}
	status, _ = strconv.Atoi(out[1])
	return true, status
}

// WaitFor polls the screen until it contains substr and returns it; the
// test fails with the last screen after the timeout.
func (x *Tmux) WaitFor(substr string) string {
	x.t.Helper()
	return x.WaitUntil(fmt.Sprintf("screen contains %q", substr), func(s string) bool { return strings.Contains(s, substr) })
}

// WaitUntil polls the screen until ok accepts it.
func (x *Tmux) WaitUntil(what string, ok func(screen string) bool) string {
	x.t.Helper()
	timeout := x.Timeout
	if timeout == 0 {
		timeout = DefaultWait
	}
	end := time.Now().Add(timeout)
	var screen string
	for {
		screen = x.Capture()
		if ok(screen) {
			return screen
		}
		if time.Now().After(end) {
			x.t.Fatalf("testenv: waited %v for: %s\nlast screen:\n%s", timeout, what, screen)
		}
		time.Sleep(25 * time.Millisecond)
	}
}

// TryWaitUntil is WaitUntil that reports the timeout instead of failing.
func (x *Tmux) TryWaitUntil(ok func(screen string) bool) bool {
	x.t.Helper()
	timeout := x.Timeout
	if timeout == 0 {
		timeout = DefaultWait
	}
	for end := time.Now().Add(timeout); ; time.Sleep(25 * time.Millisecond) {
		if ok(x.Capture()) {
			return true
		}
		if time.Now().After(end) {
			return false
		}
	}
}

// Resize sets the window (and so the pane) to cols×rows, as when the
// user resizes their terminal; the pane's program gets SIGWINCH.
func (x *Tmux) Resize(cols, rows int) {
	x.t.Helper()
	x.must("resize-window", "-t", "main", "-x", strconv.Itoa(cols), "-y", strconv.Itoa(rows))
}

// PanePID returns the PID of the pane's program.
func (x *Tmux) PanePID() int {
	x.t.Helper()
	pid, err := strconv.Atoi(strings.TrimSpace(x.must("display-message", "-p", "-t", "main", "#{pane_pid}")))
	if err != nil {
		x.t.Fatalf("testenv: pane pid: %v", err)
	}
	return pid
}

// Kill stops this tmux server (and so the pane's program gets SIGHUP).
// It is idempotent.
func (x *Tmux) Kill() { x.run("kill-server") }

// ShellQuote quotes s for a POSIX shell.
func ShellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_=/.,:@%+") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
