package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// tmux is a private tmux server (its own -L socket, its own config) that
// plays the user's terminal: one 80x24 pane running the client. It is the
// recipe of shared/TESTING.md; cmd/gosh/internal/testenv has the same for
// tests, but it is internal to cmd/gosh and takes a testing.TB.
type tmux struct {
	name, conf string
	serverPID  int
	panePID    int
}

// tmuxCommandTimeout bounds every tmux invocation.
const tmuxCommandTimeout = 10 * time.Second

// startTmux starts a detached session running argv with env added to the
// tmux server's environment (which the pane inherits: the session key
// stays out of every argv), and tracks the server's and pane's PIDs.
func startTmux(dir, name string, env []string, argv ...string) (*tmux, error) {
	conf := filepath.Join(dir, "tmux.conf")
	if err := os.WriteFile(conf, []byte("set -g remain-on-exit on\nset -g status off\nset -g history-limit 100\n"), 0o600); err != nil {
		return nil, err
	}
	x := &tmux{name: name, conf: conf}
	quoted := make([]string, len(argv))
	for i, a := range argv {
		quoted[i] = shellQuote(a)
	}
	ctx, cancel := context.WithTimeout(context.Background(), tmuxCommandTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "tmux", "-L", name, "-f", conf, "new-session", "-d", "-s", "main",
		"-x", "80", "-y", "24", strings.Join(quoted, " "))
	cmd.Env = append(os.Environ(), env...)
	if out, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("tmux new-session: %v: %s", err, out)
	}
	out, err := x.run("display", "-p", "-t", "main", "#{pid} #{pane_pid}")
	if err != nil {
		return x, err
	}
	f := strings.Fields(out)
	if len(f) == 2 {
		x.serverPID, _ = strconv.Atoi(f[0])
		x.panePID, _ = strconv.Atoi(f[1])
	}
	track(x.serverPID, "tmux server")
	track(x.panePID, "client in tmux pane")
	if x.serverPID == 0 || x.panePID == 0 {
		return x, fmt.Errorf("tmux: no pids in %q", out)
	}
	return x, nil
}

func (x *tmux) run(args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), tmuxCommandTimeout)
	defer cancel()
	out, err := exec.CommandContext(ctx, "tmux", append([]string{"-L", x.name}, args...)...).CombinedOutput()
	if err != nil {
		return string(out), fmt.Errorf("tmux %s: %v: %s", strings.Join(args, " "), err, out)
	}
	return string(out), nil
}

// typeText sends text literally.
func (x *tmux) typeText(s string) error {
	_, err := x.run("send-keys", "-t", "main", "-l", s)
	return err
}

// keys sends tmux key names such as Enter.
func (x *tmux) keys(k ...string) error {
	_, err := x.run(append([]string{"send-keys", "-t", "main"}, k...)...)
	return err
}

// capture is the pane's visible text, trailing spaces trimmed by tmux.
func (x *tmux) capture() string {
	out, _ := x.run("capture-pane", "-p", "-t", "main")
	return out
}

// waitScreen polls the screen every interval until ok holds or timeout
// passes; it returns the last screen seen.
func (x *tmux) waitScreen(timeout, interval time.Duration, ok func(string) bool) (string, bool) {
	var s string
	for end := time.Now().Add(timeout); ; {
		s = x.capture()
		if ok(s) {
			return s, true
		}
		if time.Now().After(end) {
			return s, false
		}
		time.Sleep(interval)
	}
}

// kill stops the tmux server through its own socket; the caller stops the
// tracked PIDs as well.
func (x *tmux) kill() { x.run("kill-server") }

// shellQuote quotes s for sh when it needs it.
func shellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./=:,+@", r))
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// hasLine reports whether some screen line ends with the output want: a
// line that ends with it and has no quote characters (the typed command
// spells the word with two single quotes inside it). A prompt may precede it when the shell printed
// the prompt after the terminal echoed the typed command.
func hasLine(screen, want string) bool {
	for _, l := range strings.Split(screen, "\n") {
		if l = strings.TrimSpace(l); strings.HasSuffix(l, want) && !strings.Contains(l, "'") {
			return true
		}
	}
	return false
}

// lastLine is the last non-blank line of the screen, trimmed.
func lastLine(screen string) string {
	ls := strings.Split(strings.TrimRight(screen, "\n "), "\n")
	return strings.TrimSpace(ls[len(ls)-1])
}
