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

// commandTimeout bounds every invocation of a multiplexer's command line.
const commandTimeout = 20 * time.Second

// muxer is one private multiplexer server, gosh or tmux, driven through
// its tmux-compatible command line: gosh takes the same command names,
// flags, targets and -L as tmux, so both run the same script. Each has its
// own socket directory under the run's temporary directory (GOSH_SOCKET_DIR,
// TMUX_TMPDIR) and its own -L name, so no user's server is ever touched.
type muxer struct {
	kind    string // "gosh" or "tmux"
	bin     string
	name    string // -L
	conf    string // tmux's -f; empty for gosh
	sockDir string
	env     []string
	pid     int // the server's, once known
}

// newMuxer prepares a server of kind (not started yet) whose files live in
// dir. Panes run /bin/sh (SHELL), in a UTF-8 locale.
func newMuxer(kind, bin, dir, name string) (*muxer, error) {
	sockDir := filepath.Join(dir, "sock-"+kind)
	if err := os.MkdirAll(sockDir, 0o700); err != nil {
		return nil, err
	}
	m := &muxer{kind: kind, bin: bin, name: name, sockDir: sockDir}
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch k {
		case "TMUX", "TMUX_PANE", "GOSH", "GOSH_PANE", "GOSH_SOCKET_DIR", "TMUX_TMPDIR", "SHELL", "LANG", "LC_ALL", "ENV":
			continue
		}
		m.env = append(m.env, kv)
	}
	m.env = append(m.env, "SHELL=/bin/sh", "LANG=C.UTF-8", "GOSH_SOCKET_DIR="+sockDir, "TMUX_TMPDIR="+sockDir)
	if kind == "tmux" {
		m.conf = filepath.Join(dir, name+".conf")
	}
	return m, nil
}

// command builds the argv of one command against this server.
func (m *muxer) command(ctx context.Context, args ...string) *exec.Cmd {
	pre := []string{"-L", m.name}
	if m.conf != "" {
		pre = append(pre, "-f", m.conf)
	}
	c := exec.CommandContext(ctx, m.bin, append(pre, args...)...)
	c.Env = m.env
	c.Dir = "/"
	return c
}

// run runs one command and returns its standard output.
func (m *muxer) run(args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), commandTimeout)
	defer cancel()
	c := m.command(ctx, args...)
	var stderr strings.Builder
	c.Stderr = &stderr
	out, err := c.Output()
	if err != nil {
		return string(out), fmt.Errorf("%s %s: %v: %s", m.kind, strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return string(out), nil
}

// start starts the server with a history-limit of history lines (tmux's
// and gosh's default is 2000) before any pane exists, and creates the
// first session. tmux reads the option from its -f file when the server
// starts; gosh has no configuration file yet, so its daemon is started
// alone and told with set-option -g before the first new-session.
func (m *muxer) start(history int, newSession ...string) error {
	var conf string
	if history > 0 {
		conf = "set -g history-limit " + strconv.Itoa(history) + "\n"
	}
	switch m.kind {
	case "tmux":
		if err := os.WriteFile(m.conf, []byte(conf), 0o600); err != nil {
			return err
		}
	case "gosh":
		if _, err := m.run("server", "start"); err != nil {
			return err
		}
		if err := m.pidFromLog(); err != nil {
			return err
		}
		if history > 0 {
			if _, err := m.run("set-option", "-g", "history-limit", strconv.Itoa(history)); err != nil {
				return err
			}
		}
	}
	if _, err := m.run(newSession...); err != nil {
		return err
	}
	return m.learnPID()
}

// learnPID asks the server for its PID (#{pid}, in tmux and gosh alike).
func (m *muxer) learnPID() error {
	out, err := m.run("display-message", "-p", "#{pid}")
	if err != nil {
		return err
	}
	pid, err := strconv.Atoi(strings.TrimSpace(out))
	if err != nil || pid <= 0 {
		return fmt.Errorf("%s: no server pid in %q", m.kind, out)
	}
	m.pid = pid
	return nil
}

// pidFromLog reads the gosh daemon's PID from the "server started" line
// of its log beside the socket (display-message needs a session).
func (m *muxer) pidFromLog() error {
	b, err := os.ReadFile(filepath.Join(m.sockDir, m.name+".log"))
	if err != nil {
		return err
	}
	for l := range strings.Lines(string(b)) {
		if !strings.Contains(l, "server started") {
			continue
		}
		for _, f := range strings.Fields(l) {
			if v, ok := strings.CutPrefix(f, "pid="); ok {
				m.pid, _ = strconv.Atoi(v)
			}
		}
	}
	if m.pid <= 0 {
		return fmt.Errorf("gosh: no server pid in %s.log", m.name)
	}
	return nil
}

// stop ends the server with kill-server, then by its PID if it is still
// alive (it may not have answered).
func (m *muxer) stop() {
	if m.pid == 0 {
		return
	}
	m.run("kill-server")
	for range 100 {
		if !alive(m.pid) {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	stopPID(m.pid)
	m.pid = 0
}

// capture returns the visible screen of target as lines.
func (m *muxer) capture(target string) ([]string, error) {
	out, err := m.run("capture-pane", "-p", "-t", target)
	if err != nil {
		return nil, err
	}
	return strings.Split(out, "\n"), nil
}

// waitLine polls target's screen every poll until a line starts with
// prefix (after trimming trailing blanks) and returns that line. The
// prefix is chosen so that the typed command line itself cannot match
// (the marker is computed by the shell: echo DONE$((N+1))).
func (m *muxer) waitLine(target, prefix string, poll, timeout time.Duration) (string, error) {
	deadline := time.Now().Add(timeout)
	for {
		lines, err := m.capture(target)
		if err != nil {
			return "", err
		}
		for _, l := range lines {
			if strings.HasPrefix(l, prefix) {
				return strings.TrimRight(l, " "), nil
			}
		}
		if time.Now().After(deadline) {
			return "", fmt.Errorf("%s: %q never appeared in pane %s within %v; screen:\n%s",
				m.kind, prefix, target, timeout, strings.Join(lines, "\n"))
		}
		time.Sleep(poll)
	}
}

// waitPrompt waits until target shows anything (the shell's prompt).
func (m *muxer) waitPrompt(target string, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		lines, err := m.capture(target)
		if err != nil {
			return err
		}
		if strings.TrimSpace(strings.Join(lines, "")) != "" {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s: pane %s still blank after %v", m.kind, target, timeout)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
