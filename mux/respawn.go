package mux

import (
	"errors"
	"fmt"
	"maps"
	"os"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/goshterm/gosh/mux/command"
	"github.com/goshterm/gosh/mux/pty"
)

// spawnSpec is how a pane's program was started: respawn-pane without a
// command runs it again there, as tmux keeps a pane's argv and cwd
// (spawn.c: a respawn reuses wp->argv and wp->cwd unless given new ones).
type spawnSpec struct {
	argv []string
	dir  string
	env  []string
}

// spawnPaneLocked is startPaneLocked that remembers how the pane started,
// for respawn-pane.
func (s *Server) spawnPaneLocked(argv []string, dir string, env []string, cols, rows int) (*Pane, error) {
	p, err := s.startPaneLocked(argv, dir, env, cols, rows)
	if err != nil {
		return nil, err
	}
	if s.spawns == nil {
		s.spawns = map[int]spawnSpec{}
	}
	// Forget the panes that have gone since, so that the map stays as
	// big as the model.
	for id := range s.spawns {
		if s.panes[id] == nil {
			delete(s.spawns, id)
		}
	}
	s.spawns[p.id] = spawnSpec{argv: slices.Clone(argv), dir: dir, env: slices.Clone(env)}
	return p, nil
}

// RespawnPane implements command.Respawner: respawn-pane.
func (e *env) RespawnPane(r command.Ref, o command.RespawnOptions) error {
	s := e.s
	s.mu.Lock()
	ss, w, p, err := s.lookupLocked(r)
	if err != nil {
		s.mu.Unlock()
		return err
	}
	if dead, _ := p.Dead(); !dead && !o.Kill {
		idx := w.paneIndexLocked(p) + s.optionIntLocked(w, "pane-base-index")
		s.mu.Unlock()
		return fmt.Errorf("respawn pane failed: pane %s:%d.%d still active", ss.name, w.index, idx)
	}
	s.mu.Unlock()
	if err := s.stopForRespawn(p); err != nil {
		return fmt.Errorf("respawn pane failed: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
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
	ss, w, _, err := s.lookupLocked(r)
	if err != nil {
		s.mu.Unlock()
		return err
	}
	panes := w.panesLocked()
	if !o.Kill {
		for _, p := range panes {
			if dead, _ := p.Dead(); !dead {
				s.mu.Unlock()
				return fmt.Errorf("respawn window failed: window %s:%d still active", ss.name, w.index)
			}
		}
	}
	first := panes[0]
	for _, p := range panes[1:] {
		s.removePaneLocked(p)
	}
	w.selectPaneLocked(first)
	s.mu.Unlock()
	if err := s.stopForRespawn(first); err != nil {
		return fmt.Errorf("respawn window failed: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.respawnLocked(first, o); err != nil {
		return fmt.Errorf("respawn window failed: %w", err)
	}
	return nil
}

// respawnStopWait bounds the wait for a killed program after SIGKILL.
const respawnStopWait = 5 * time.Second

// stopForRespawn ends p's program if it still runs (respawn -k) and waits
// for its read loop to finish, keeping the pane: while the program dies
// the pane counts as removed, so that paneExited records the exit without
// taking the pane out of its window. Server.mu must not be held (the read
// loop's paneExited takes it).
func (s *Server) stopForRespawn(p *Pane) error {
	if dead, _ := p.Dead(); dead {
		return nil
	}
	ch, stop := p.Watch()
	defer stop()
	s.mu.Lock()
	p.removed = true
	s.mu.Unlock()
	// Hang up the terminal, as kill does (tmux closes the pane's fd),
	// and kill a program that ignores the hangup after killGrace.
	proc := p.proc.Load()
	_ = proc.Signal(syscall.SIGHUP)
	_ = proc.Close()
	wait := func(d time.Duration) bool {
		t := time.NewTimer(d)
		defer t.Stop()
		for {
			if dead, _ := p.Dead(); dead {
				return true
			}
			select {
			case <-ch:
			case <-t.C:
				dead, _ := p.Dead()
				return dead
			}
		}
	}
	ok := wait(killGrace)
	if !ok {
		_ = proc.Signal(syscall.SIGKILL)
		ok = wait(respawnStopWait)
	}
	s.mu.Lock()
	// paneExited set dead with Server.mu held and returns right after:
	// once the lock is ours again the old read loop is done with p.
	p.removed = false
	s.mu.Unlock()
	if !ok {
		return fmt.Errorf("pane %%%d did not exit", p.id)
	}
	return nil
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
	spec, ok := s.spawns[p.id]
	if !ok {
		spec = spawnSpec{argv: s.paneArgv(nil), env: s.cfg.Env}
	}
	if o.Command != nil {
		spec.argv = s.paneArgv(o.Command)
	}
	if o.Dir != "" {
		spec.dir = o.Dir
	}
	env := setEnv(spec.env, o.Env)
	env = setEnv(env, map[string]string{
		"TERM":      s.optionLocked(nil, "default-terminal"),
		"GOSH":      s.cfg.SocketPath + "," + strconv.Itoa(os.Getpid()) + "," + strconv.Itoa(p.id),
		"GOSH_PANE": "%" + strconv.Itoa(p.id),
	})
	p.mu.Lock()
	cols, rows := p.screen.Size()
	p.mu.Unlock()
	proc, err := pty.Start(pty.Config{Path: spec.argv[0], Args: spec.argv, Env: env, Dir: spec.dir, Cols: cols, Rows: rows})
	if err != nil {
		return err
	}
	// The new command and directory are the pane's from now on, as
	// tmux's; -e is for this start only.
	s.spawns[p.id] = spawnSpec{argv: spec.argv, dir: spec.dir, env: spec.env}
	p.command = commandString(s, spec.argv)
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
	s.log.Info("pane respawned", "pane", p.id, "argv", spec.argv)
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

// setEnv returns env with each of vars set, replacing a variable already
// there (the first of duplicates is the one getenv finds).
func setEnv(env []string, vars map[string]string) []string {
	if len(vars) == 0 {
		return env
	}
	out := make([]string, 0, len(env)+len(vars))
	for _, kv := range env {
		k, _, _ := strings.Cut(kv, "=")
		if _, ok := vars[k]; !ok {
			out = append(out, kv)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(vars)) {
		out = append(out, k+"="+vars[k])
	}
	return out
}
