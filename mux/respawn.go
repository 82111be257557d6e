package mux

import (
	"errors"
	"fmt"
	"maps"
	"syscall"
	"time"

	"github.com/goshterm/gosh/mux/command"
	"github.com/goshterm/gosh/mux/pty"
)

// RespawnPane implements command.Respawner: respawn-pane.
func (e *env) RespawnPane(r command.Ref, o command.RespawnOptions) error {
	s := e.s
	s.mu.Lock()
	defer s.mu.Unlock()
	ss, w, p, err := s.lookupLocked(r)
	if err != nil {
		return err
	}
	if dead, _ := p.Dead(); !dead && !o.Kill {
		idx := w.paneIndexLocked(p) + s.optionIntLocked(w, "pane-base-index")
		return fmt.Errorf("respawn pane failed: pane %s:%d.%d still active", ss.name, w.index, idx)
	}
	if err := s.respawnLocked(p, o); err != nil {
		return fmt.Errorf("respawn pane failed: %w", err)
	}
	return nil
}

// RespawnWindow implements command.Respawner: respawn-window closes
// every pane of the window but the first, which takes the whole window
// and is respawned (tmux's spawn_window with SPAWN_RESPAWN).
func (e *env) RespawnWindow(r command.Ref, o command.RespawnOptions) error {
	s := e.s
	s.mu.Lock()
	defer s.mu.Unlock()
	ss, w, _, err := s.lookupLocked(r)
	if err != nil {
		return err
	}
	panes := w.panesLocked()
	if !o.Kill {
		for _, p := range panes {
			if dead, _ := p.Dead(); !dead {
				return fmt.Errorf("respawn window failed: window %s:%d still active", ss.name, w.index)
			}
		}
	}
	// The first pane's program starts at the window's size before any
	// pane closes: a start that fails leaves the window as it was.
	first := panes[0]
	cols, rows := w.tree.Size()
	start, err := s.startRespawnLocked(first, o, cols, rows)
	if err != nil {
		return fmt.Errorf("respawn window failed: %w", err)
	}
	for _, p := range panes[1:] {
		s.removePaneLocked(p)
	}
	w.selectPaneLocked(first)
	s.installRespawnLocked(first, start)
	return nil
}

// respawnLocked starts a program again in pane p, with its start command
// (or o.Command), directory (or o.Dir) and environment (plus o.Env), at
// the pane's size. As tmux's screen_reinit the visible screen is cleared
// and the modes reset while the history and title stay; RIS does exactly
// that to a vt.Screen.
//
// A pane whose program still runs (respawn -k; the callers refuse it
// without) gets the new program at once, as tmux's spawn_pane with
// SPAWN_KILL: the old one is hung up (hangUp) and from then on is not the
// pane's — its read loop draws none of its late output (Pane.output) and
// its exit is only reaped (paneExited). The new program starts before the
// old is hung up, so that a start that fails (a missing -c directory, a
// command that can't run) returns its error with the pane as it was;
// tmux, which closes the old pty first, meets such errors only in the
// forked child.
func (s *Server) respawnLocked(p *Pane, o command.RespawnOptions) error {
	p.mu.Lock()
	cols, rows := p.screen.Size()
	p.mu.Unlock()
	start, err := s.startRespawnLocked(p, o, cols, rows)
	if err != nil {
		return err
	}
	s.installRespawnLocked(p, start)
	return nil
}

// respawnStart is a respawn's new program, started but not yet the
// pane's, and how it was started.
type respawnStart struct {
	proc *pty.Process
	argv []string
	dir  string
}

// startRespawnLocked starts the program a respawn of p runs, at cols ×
// rows; the pane is left as it is.
func (s *Server) startRespawnLocked(p *Pane, o command.RespawnOptions, cols, rows int) (respawnStart, error) {
	if s.closed {
		return respawnStart{}, errors.New("server exited")
	}
	if s.panes[p.id] != p || p.window == nil {
		return respawnStart{}, fmt.Errorf("can't find pane: %%%d", p.id)
	}
	argv, dir := p.argv, p.dir
	if o.Command != nil {
		argv = s.paneArgv(o.Command)
	}
	if o.Dir != "" {
		dir = o.Dir
	}
	// The environment is built as at the pane's start: the server's,
	// the pane's own variables (p.env), here with -e's over them.
	vars := p.env
	if len(o.Env) > 0 {
		vars = maps.Clone(o.Env)
		for k, v := range p.env {
			if _, ok := o.Env[k]; !ok {
				vars[k] = v
			}
		}
	}
	proc, err := pty.Start(pty.Config{Path: argv[0], Args: argv, Env: s.startEnvLocked(paneEnv(s.cfg.Env, vars), p.id), Dir: dir, Cols: cols, Rows: rows})
	if err != nil {
		return respawnStart{}, err
	}
	return respawnStart{proc: proc, argv: argv, dir: dir}, nil
}

// installRespawnLocked makes start's program p's.
func (s *Server) installRespawnLocked(p *Pane, start respawnStart) {
	proc, argv, dir := start.proc, start.argv, start.dir
	// The new command and directory are the pane's from now on, as
	// tmux's; -e is for this start only.
	p.argv, p.dir = argv, dir
	p.command = commandString(s, argv)
	p.mu.Lock()
	// The old program's unsent input is not the new one's.
	p.in.mu.Lock()
	p.in.queue = nil
	old := p.proc.Swap(proc)
	p.in.mu.Unlock()
	wasDead := p.dead
	p.dead, p.status = false, pty.Status{}
	p.replies.Reset()
	p.screen.WriteString("\x1bc")
	p.notifyLocked()
	p.mu.Unlock()
	if !wasDead {
		hangUp(old, s.cfg.KillGrace)
	}
	s.wg.Add(1)
	go p.readLoop(proc)
	// tmux resets the pane's modes (window_pane_reset_mode_all): the
	// clients that browse it in copy mode leave it (copycommands.go).
	for _, c := range s.clients {
		c.copyOps = append(c.copyOps, &copyOp{kind: copyQuit, pane: p, done: make(chan bool, 1)})
		c.poke()
	}
	s.log.Info("pane respawned", "pane", p.id, "argv", argv)
}

// hangUp ends proc, a program respawn -k replaced: it hangs up its
// terminal, as kill-pane does (closing the master makes the kernel send
// SIGHUP to the terminal's session; the signal reaches a child that is
// not the session's foreground too), and sends SIGKILL after grace
// to a program that ignores the hangup, so that none is left behind;
// tmux never escalates. Its read loop, which sees the master closed,
// waits for the exit and reaps it. A program that has already exited,
// its exit not yet recorded, only has its master closed.
func hangUp(proc *pty.Process, grace time.Duration) {
	_ = proc.Signal(syscall.SIGHUP)
	_ = proc.Close()
	select {
	case <-proc.Done():
		return
	default:
	}
	time.AfterFunc(grace, func() { _ = proc.Signal(syscall.SIGKILL) })
}

// commandString is pane_start_command for argv, as startPaneLocked sets
// it: the string given to "sh -c", the quoted words of a command run
// directly, "" for the default shell.
func commandString(s *Server, argv []string) string {
	switch {
	case len(argv) >= 3 && argv[1] == "-c":
		return argv[2]
	case len(argv) > 0 && argv[0] != s.cfg.Shell:
		return joinArgs(argv)
	}
	return ""
}
