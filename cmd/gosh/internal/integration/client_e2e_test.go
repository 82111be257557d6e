//go:build e2e

package integration

import (
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/goshterm/gosh/cmd/gosh/internal/testenv"
	"github.com/goshterm/gosh/ssp/conn/impair"
)

// TestGoshClientFrontEnd runs the real gosh client from a shell in tmux
// (the user's terminal) against gosh's server and Debian's mosh-server,
// through an impairment proxy: typing works, a resize of the outer window
// reaches the server, with gosh's server typed characters show while the
// link is cut (only the local prediction can draw them), and Ctrl-^ .
// exits and gives the outer shell its terminal back exactly as it was.
func TestGoshClientFrontEnd(t *testing.T) {
	gosh := testenv.BuildGosh(t)
	killOwnBinary(t, gosh)
	servers := []struct {
		name string
		argv func(t *testing.T) []string
		gosh bool
	}{
		// --private: a pty of its own that exits with the client, as
		// Debian's mosh-server does, so both cases end the same way.
		{"gosh-server", func(*testing.T) []string { return []string{gosh, "mosh-server", "--private"} }, true},
		{"mosh-server", func(t *testing.T) []string { return []string{testenv.RequireTool(t, "mosh-server")} }, false},
	}
	for _, sv := range servers {
		t.Run(sv.name, func(t *testing.T) {
			testenv.RequireTool(t, "tmux")
			srv := startServer(t, sv.argv(t)...)
			link := impair.Link{Delay: 60 * time.Millisecond}
			proxy, err := impair.New(impair.Config{Listen: "127.0.0.1:0", Server: "127.0.0.1:" + strconv.Itoa(srv.Port),
				Up: link, Down: link, Seed: 1})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { proxy.Close() })

			x := testenv.NewTmux(t)
			env := append([]string{"MOSH_KEY=" + srv.Key}, utf8Env...)
			x.NewSession(env, 80, 24, "/bin/sh")
			waitPrompt(t, x)
			x.Type("PS1='outer> '")
			x.SendKeys("Enter")
			x.WaitUntil("the outer prompt", func(s string) bool { return hasLine(s, "outer>") })
			saved := testenv.ShellQuote(filepath.Join(t.TempDir(), "stty.before"))
			run(t, x, "stty -g > "+saved+"; echo saved", "saved")
			x.Type(testenv.ShellQuote(gosh) + " client --predict always 127.0.0.1 " + strconv.Itoa(proxy.Port()))
			x.SendKeys("Enter")
			waitPrompt(t, x)
			if on := x.Display("#{alternate_on}"); on != "1" {
				t.Errorf("client is not on the alternate screen (alternate_on=%s)", on)
			}
			run(t, x, "echo hello-$((6*7))", "hello-42")
			// The keypad's keys reach the pane as what they say: the
			// client leaves the user's terminal in numeric keypad mode.
			if kp := x.Display("#{keypad_flag}"); kp != "0" {
				t.Errorf("client left the terminal in application keypad mode (keypad_flag=%s)", kp)
			}
			x.Type("echo kp-")
			x.SendKeys("KP4", "KP2", "KPEnter")
			x.WaitUntil("keypad digits echoed", func(s string) bool { return hasLine(s, "kp-42") })
			x.Resize(100, 30)
			runUntil(t, x, "stty size", "30 100")

			if sv.gosh {
				// Let the echo ack of the last command arrive, so that
				// the next key starts a burst (a key typed while the
				// server's echo is pending waits for confirmation).
				time.Sleep(500 * time.Millisecond)
				// Cut the way to the server: whatever shows now was
				// drawn by the client's prediction alone.
				proxy.SetUp(impair.Link{Loss: 1})
				x.Type("zq")
				x.WaitUntil("the prediction of zq", func(s string) bool {
					for l := range strings.SplitSeq(s, "\n") {
						if strings.HasSuffix(strings.TrimRight(l, " "), "$ zq") || strings.HasSuffix(strings.TrimRight(l, " "), "# zq") {
							return true
						}
					}
					return false
				})
				proxy.SetUp(link)
				x.SendKeys("C-u")
				run(t, x, "echo after-cut", "after-cut")
			}

			// Ctrl-^ Ctrl-Z gives the outer shell its terminal; fg
			// brings the session back, redrawn.
			x.SendKeys("C-^", "C-z")
			x.WaitFor("[gosh is suspended.]")
			x.WaitUntil("the outer prompt", func(s string) bool { return hasLine(s, "outer>") })
			x.Type("fg")
			x.SendKeys("Enter")
			run(t, x, "echo resumed", "resumed")

			x.SendKeys("C-^", ".")
			screen := x.WaitFor("[gosh is exiting.]")
			if strings.Contains(screen, "hello-42") {
				t.Errorf("the remote screen is still shown after exit:\n%s", screen)
			}
			waitExited(t, "server", srv.PID)
			if on := x.Display("#{alternate_on}"); on != "0" {
				t.Errorf("alternate screen still on after exit")
			}
			// Type only at the outer shell's prompt: keys typed before it
			// are echoed as typeahead and the output then follows the
			// prompt on its line.
			x.WaitUntil("the outer prompt after exit", func(s string) bool { return hasLine(s, "outer>") })
			run(t, x, "stty -g | cmp -s - "+saved+" && echo tty-restored", "tty-restored")
		})
	}
}
