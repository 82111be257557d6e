//go:build e2e

package integration

import (
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/goshterm/gosh/cmd/gosh/internal/testenv"
)

// TestGoshClientSuspendedLosesItsTerminal suspends the real gosh client
// with Ctrl-^ Ctrl-Z in a shell in tmux (the user's terminal), then hangs
// it up while it is stopped: the tmux server is killed, as when the user
// closes the window (the kernel then sends the stopped job SIGHUP and
// SIGCONT), or the job is sent SIGHUP and SIGCONT while the window stays.
// The client must exit, not linger stopped or spinning on a dead terminal,
// and end the session on its way out (gosh mosh-server --private exits
// with its client).
func TestGoshClientSuspendedLosesItsTerminal(t *testing.T) {
	gosh := testenv.BuildGosh(t)
	killOwnBinary(t, gosh)
	testenv.RequireTool(t, "tmux")
	cases := []struct {
		name, shell string
		closeWindow bool
	}{
		{"sh window closed", "/bin/sh", true},
		{"bash window closed", "bash", true},
		{"sh SIGHUP", "/bin/sh", false},
	}
	for _, c := range cases {
		t.Run(strings.ReplaceAll(c.name, " ", "_"), func(t *testing.T) {
			sh := c.shell
			if !strings.HasPrefix(sh, "/") {
				sh = testenv.RequireTool(t, sh)
			}
			srv := startServer(t, gosh, "mosh-server", "--private")
			x := testenv.NewTmux(t)
			env := append([]string{"MOSH_KEY=" + srv.Key}, utf8Env...)
			x.NewSession(env, 80, 24, sh)
			waitPrompt(t, x)
			x.Type("PS1='outer> '")
			x.SendKeys("Enter")
			x.WaitUntil("the outer prompt", func(s string) bool { return hasLine(s, "outer>") })
			x.Type(testenv.ShellQuote(gosh) + " client 127.0.0.1 " + strconv.Itoa(srv.Port))
			x.SendKeys("Enter")
			// The inner shell's prompt first: typed ahead of it, the line
			// comes back after its prompt ("# inside-42"), not on a line
			// of its own.
			waitPrompt(t, x)
			run(t, x, "echo inside-$((6*7))", "inside-42")
			pid := testenv.DescendantWithExe(t, x.PanePID(), gosh)

			x.SendKeys("C-^", "C-z")
			x.WaitFor("[gosh is suspended.]")
			waitState(t, pid, 'T')
			if c.closeWindow {
				x.Kill()
			} else {
				syscall.Kill(pid, syscall.SIGHUP)
				syscall.Kill(pid, syscall.SIGCONT)
			}
			waitExited(t, "the suspended client", pid)
			waitExited(t, "the server", srv.PID)
			if !c.closeWindow {
				run(t, x, "echo still-$((6*7))", "still-42") // the outer shell kept its terminal
			}
		})
	}
}

// waitState waits until pid's state (proc(5), /proc/PID/stat field 3) is
// state.
func waitState(t *testing.T, pid int, state byte) {
	t.Helper()
	var got byte
	for end := time.Now().Add(testenv.DefaultWait); time.Now().Before(end); time.Sleep(20 * time.Millisecond) {
		b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
		if err != nil {
			t.Fatalf("pid %d: %v", pid, err)
		}
		s := string(b)
		if i := strings.LastIndexByte(s, ')'); i >= 0 && i+2 < len(s) {
			if got = s[i+2]; got == state {
				return
			}
		}
	}
	t.Fatalf("pid %d is in state %c, want %c", pid, got, state)
}
