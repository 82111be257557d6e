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
	if dead, _ := p.Dead(); !dead {
		if !o.Kill {
			idx := w.paneIndexLocked(p) + s.optionIntLocked(w, "pane-base-index")
			return fmt.Errorf("respawn pane failed: pane %s:%d.%d still active", ss.name, w.index, idx)
		}
		s.respawnAfterExitLocked(p, o)
		return nil
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
	first := panes[0]
	for _, p := range panes[1:] {
		s.removePaneLocked(p)
	}
	w.selectPaneLocked(first)
	if dead, _ := first.Dead(); !dead {
		s.respawnAfterExitLocked(first, o)
		return nil
	}
	if err := s.respawnLocked(first, o); err != nil {
		return fmt.Errorf("respawn window failed: %w", err)
	}
	return nil
}

// pendingRespawn is a respawn -k of a pane whose program has been hung up
// and has not exited yet: paneExited starts it (Pane.respawn).
type pendingRespawn struct {
	o    command.RespawnOptions
	kill *time.Timer // SIGKILL for a program that ignores the hangup
}

// respawnAfterExitLocked hangs up p's running program, as kill does (tmux
// closes the pane's fd), kills it after killGrace if it ignores the
// hangup, and leaves the respawn to paneExited, so that no command waits
// for the program to die. A second respawn -k meanwhile replaces the
// pending one's options.
func (s *Server) respawnAfterExitLocked(p *Pane, o command.RespawnOptions) {
	if p.respawn != nil {
		p.respawn.o = o
		return
	}
	proc := p.proc.Load()
	p.respawn = &pendingRespawn{o: o, kill: time.AfterFunc(killGrace, func() { _ = proc.Signal(syscall.SIGKILL) })}
	_ = proc.Signal(syscall.SIGHUP)
	_ = proc.Close()
}

// startPendingRespawnLocked starts p's pending respawn, if any, now that
// its old program has exited, and reports whether the pane runs again.
// A pane removed meanwhile stays removed.
func (s *Server) startPendingRespawnLocked(p *Pane) bool {
	r := p.respawn
	if r == nil {
		return false
	}
	p.respawn = nil
	r.kill.Stop()
	if p.removed || s.closed {
		return false
	}
	if err := s.respawnLocked(p, r.o); err != nil {
		s.log.Warn("respawn pane failed", "pane", p.id, "err", err)
		return false
	}
	return true
}

// respawnLocked starts a program again in dead pane p, with its start
// command (or o.Command), directory (or o.Dir) and environment (plus
// o.Env), at the pane's size. As tmux's screen_reinit the visible screen
// is cleared and the modes reset while the history and title stay; RIS
// does exactly that to a vt.Screen.
func (s *Server) respawnLocked(p *Pane, o command.RespawnOptions) error {
	if s.closed {
		return errors.New("server exited")
	}
	if s.panes[p.id] != p || p.window == nil {
		return fmt.Errorf("can't find pane: %%%d", p.id)
	}
	if dead, _ := p.Dead(); !dead {
		return fmt.Errorf("pane %%%d still active", p.id)
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
	p.mu.Lock()
	cols, rows := p.screen.Size()
	p.mu.Unlock()
	proc, err := pty.Start(pty.Config{Path: argv[0], Args: argv, Env: s.startEnvLocked(paneEnv(s.cfg.Env, vars), p.id), Dir: dir, Cols: cols, Rows: rows})
	if err != nil {
		return err
	}
	// The new command and directory are the pane's from now on, as
	// tmux's; -e is for this start only.
	p.argv, p.dir = argv, dir
	p.command = commandString(s, argv)
	p.mu.Lock()
	// The old program's unsent input is not the new one's.
	p.in.mu.Lock()
	p.in.queue = nil
	p.proc.Store(proc)
	p.in.mu.Unlock()
	p.dead, p.status = false, pty.Status{}
	p.replies.Reset()
	p.screen.WriteString("\x1bc")
	p.notifyLocked()
	p.mu.Unlock()
	s.wg.Add(1)
	go p.readLoop()
	// tmux resets the pane's modes (window_pane_reset_mode_all): the
	// clients that browse it in copy mode leave it (copycommands.go).
	for _, c := range s.clients {
		c.copyOps = append(c.copyOps, &copyOp{kind: copyQuit, pane: p, done: make(chan bool, 1)})
		c.poke()
	}
	s.log.Info("pane respawned", "pane", p.id, "argv", argv)
	return nil
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
