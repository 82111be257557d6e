package mux

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/goshterm/gosh/mux/pty"
	"github.com/goshterm/gosh/vt"
)

// KillGrace is how long a killed pane's child may ignore SIGHUP before it
// gets SIGKILL (Config.KillGrace), so that a shell trapping HUP can't keep
// the daemon from exiting. tmux never escalates; it also never waits for
// its children.
const KillGrace = 3 * time.Second

// Pane is one child process on a pty and the screen its output draws.
type Pane struct {
	id     int
	server *Server
	// proc is the pane's program on its pty. respawn-pane puts another
	// in its place while the clients' loops type into the pane with no
	// Server.mu held (input), so it is atomic: each use loads it once.
	// A respawn stores it with Server.mu, mu and in.mu held, together
	// with dropping the old program's input backlog; holding any of the
	// three, a read loop tells whether its process is still the pane's
	// (output, paneExited). A replaced program may still run for up to
	// Config.KillGrace (respawn-pane -k): it is the pane's no longer.
	proc    atomic.Pointer[pty.Process]
	command string // the start command, for pane_start_command
	// argv and dir are how the program started: respawn-pane without a
	// command runs it again there, as tmux keeps wp->argv and wp->cwd
	// (a respawn's new command or -c replace them). Server.mu.
	argv []string
	dir  string
	// env holds the variables added to the server's environment when the
	// pane started (layout file env, -e), so that save-layout can write
	// them back; the inherited ones are not the file's to repeat.
	env     map[string]string
	window  *Window // guarded by Server.mu; nil once removed
	removed bool    // guarded by Server.mu
	// activeAt is Server.activeSeq when the pane last became its
	// window's active pane (tmux's active_point): select-pane -L/-R/-U/-D
	// goes to the most recently active of the panes beside it. Server.mu.
	activeAt uint64

	mu       sync.Mutex // guards the fields below
	screen   *vt.Screen
	replies  bytes.Buffer // DA/DSR answers collected during Write, sent after unlock
	dead     bool
	status   pty.Status
	watchers map[chan struct{}]struct{}

	in paneInput // a client's keys on their way to the pty

	act paneActivity // output and bells, for the window's flags (activity.go)

	killOnce sync.Once
	killed   chan struct{}
}

// paneInput holds the input a client's loop gave the pane that the pty did
// not take at once; a goroutine of its own writes it, in order.
type paneInput struct {
	mu      sync.Mutex
	queue   []byte
	writing bool // the writer goroutine runs
}

// maxInputBacklog bounds the input waiting for a pane's program: a paste
// this big into a program that reads nothing is cut there.
const maxInputBacklog = 1 << 20

// ID returns the pane's id (tmux's %n).
func (p *Pane) ID() int { return p.id }

// Snapshot returns a copy of the pane's screen that the caller may use from
// any one goroutine.
func (p *Pane) Snapshot() *vt.Screen {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.screen.Clone()
}

// SnapshotInto is Snapshot built in old's memory (vt.Screen.CloneInto):
// old is a snapshot the caller has retired, which no one uses again; nil
// old is Snapshot.
func (p *Pane) SnapshotInto(old *vt.Screen) *vt.Screen {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.screen.CloneInto(old)
}

// Watch returns a channel that receives a value (coalesced, never blocking
// the pane) after each batch of output or size change, and a function that
// stops the watch.
func (p *Pane) Watch() (<-chan struct{}, func()) {
	ch := make(chan struct{}, 1)
	p.mu.Lock()
	if p.watchers == nil {
		p.watchers = map[chan struct{}]struct{}{}
	}
	p.watchers[ch] = struct{}{}
	p.mu.Unlock()
	return ch, func() {
		p.mu.Lock()
		delete(p.watchers, ch)
		p.mu.Unlock()
	}
}

// addWatcher and removeWatcher register a channel of the caller's with
// Watch's semantics, so that one attached client can wait for any of the
// panes it shows on one channel.
func (p *Pane) addWatcher(ch chan struct{}) {
	p.mu.Lock()
	if p.watchers == nil {
		p.watchers = map[chan struct{}]struct{}{}
	}
	p.watchers[ch] = struct{}{}
	p.mu.Unlock()
}

func (p *Pane) removeWatcher(ch chan struct{}) {
	p.mu.Lock()
	delete(p.watchers, ch)
	p.mu.Unlock()
}

// notifyLocked signals the watchers; p.mu must be held.
func (p *Pane) notifyLocked() {
	for ch := range p.watchers {
		poke(ch)
	}
}

// watchersLocked appends the watchers to dst; p.mu must be held.
func (p *Pane) watchersLocked(dst []chan struct{}) []chan struct{} {
	for ch := range p.watchers {
		dst = append(dst, ch)
	}
	return dst
}

// notify signals each of chs without blocking.
func notify(chs []chan struct{}) {
	for _, ch := range chs {
		poke(ch)
	}
}

// poke sends a coalesced signal on ch without blocking.
func poke(ch chan struct{}) {
	select {
	case ch <- struct{}{}:
	default:
	}
}

// Dead reports whether the pane's program has exited, and how.
func (p *Pane) Dead() (bool, pty.Status) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.dead, p.status
}

// Termios reads the pty's line discipline, for prediction.
func (p *Pane) Termios() (pty.Termios, error) { return p.proc.Load().Termios() }

// Write sends input to the pane's program.
func (p *Pane) Write(b []byte) (int, error) {
	if dead, _ := p.Dead(); dead {
		return 0, fmt.Errorf("mux: pane %%%d is dead", p.id)
	}
	return p.proc.Load().Write(b)
}

// input sends a client's input to the pane's program without ever
// waiting for it: a keystroke goes straight to the pty from the client's
// loop (no hand-off on the way to its echo), and what the pty's input
// buffer does not take — a big paste into a program that reads nothing —
// waits for a writer goroutine, so the client's loop keeps answering its
// client and drawing the other panes. Input keeps its order: while some
// waits, new input queues behind it.
func (p *Pane) input(b []byte) error {
	if dead, _ := p.Dead(); dead {
		return fmt.Errorf("mux: pane %%%d is dead", p.id)
	}
	in := &p.in
	in.mu.Lock()
	defer in.mu.Unlock()
	if !in.writing {
		n, err := p.proc.Load().TryWrite(b)
		if err != nil {
			return err
		}
		b = b[n:]
		if len(b) == 0 {
			return nil
		}
	}
	if room := maxInputBacklog - len(in.queue); len(b) > room {
		p.server.log.Warn("pane input backlog full: input dropped", "pane", p.id, "bytes", len(b)-max(room, 0))
		b = b[:max(room, 0)]
	}
	in.queue = append(in.queue, b...)
	if !in.writing && len(in.queue) > 0 {
		in.writing = true
		go p.writeInput()
	}
	return nil
}

// writeInput writes the queued input until none is left, or the pty is
// gone (the pane was killed: its master is closed).
func (p *Pane) writeInput() {
	in := &p.in
	for {
		in.mu.Lock()
		b := in.queue
		in.queue = nil
		if len(b) == 0 {
			in.writing = false
			in.mu.Unlock()
			return
		}
		// The process this backlog was queued for: a respawn swaps
		// the process and drops the backlog under in.mu.
		proc := p.proc.Load()
		in.mu.Unlock()
		if _, err := proc.Write(b); err != nil {
			p.server.log.Debug("pane write", "pane", p.id, "err", err)
			in.mu.Lock()
			if p.proc.Load() != proc {
				// respawn-pane -k hung up the program this was for
				// (the error) and dropped its backlog: what queued
				// since is the new program's.
				in.mu.Unlock()
				continue
			}
			in.queue, in.writing = nil, false
			in.mu.Unlock()
			return
		}
	}
}

// startPaneLocked starts argv in dir on a new pty of cols×rows, with env
// and the variables naming its terminal and pane (startEnvLocked), and
// its read loop.
func (s *Server) startPaneLocked(argv []string, dir string, env []string, cols, rows int) (*Pane, error) {
	s.nextID.pane++
	id := s.nextID.pane - 1
	proc, err := pty.Start(pty.Config{Path: argv[0], Args: argv, Env: s.startEnvLocked(env, id), Dir: dir, Cols: cols, Rows: rows})
	if err != nil {
		return nil, err
	}
	scr := vt.NewScreen(cols, rows)
	if n := s.optionIntLocked(nil, "history-limit"); n >= 0 {
		scr.SetScrollbackLimit(n)
	}
	p := &Pane{id: id, server: s, screen: scr, killed: make(chan struct{}), argv: argv, dir: dir, command: commandString(s, argv)}
	p.proc.Store(proc)
	scr.SetReplyWriter(&p.replies)
	s.panes[id] = p
	s.wg.Add(1)
	go p.readLoop(proc)
	return p, nil
}

// startEnvLocked is a pane's program's environment: env and then the
// variables that tell it its terminal and its pane (TERM, GOSH,
// GOSH_PANE); a later duplicate wins (os/exec keeps the last).
func (s *Server) startEnvLocked(env []string, id int) []string {
	return append(env[:len(env):len(env)],
		"TERM="+s.optionLocked(nil, "default-terminal"),
		"GOSH="+s.cfg.SocketPath+","+strconv.Itoa(os.Getpid())+","+strconv.Itoa(id),
		"GOSH_PANE=%"+strconv.Itoa(id))
}

// paneArgv turns a command's arguments into argv as tmux does: none runs
// the default shell as a login shell, one is given to "sh -c", more are
// executed directly.
func (s *Server) paneArgv(cmd []string) []string {
	switch len(cmd) {
	case 0:
		return []string{s.cfg.Shell}
	case 1:
		// One string is a shell command line: tmux runs it with
		// default-shell -c, falling back to /bin/sh for a shell that
		// is not an absolute path.
		sh := s.cfg.Shell
		if !filepath.IsAbs(sh) {
			sh = "/bin/sh"
		}
		return []string{sh, "-c", cmd[0]}
	}
	return cmd
}

func joinArgs(a []string) string {
	out := ""
	for i, s := range a {
		if i > 0 {
			out += " "
		}
		out += strconv.Quote(s)
	}
	return out
}

// readLoop feeds proc's output to the screen until the child is gone,
// then reports the exit to the server. It serves one process, the one the
// pane has as it starts (given, not loaded: two quick respawns may both
// have stored theirs before either loop runs); a respawn starts another
// read loop for the next one, and this one goes on only to reap proc.
func (p *Pane) readLoop(proc *pty.Process) {
	defer p.server.wg.Done()
	buf := make([]byte, 32*1024)
	var wake []chan struct{}
	for {
		n, err := proc.Read(buf)
		if n > 0 {
			var reply []byte
			var ok bool
			if wake, reply, ok = p.output(proc, buf[:n], wake[:0]); !ok {
				break // replaced: its master is closed, nothing more comes
			}
			// Wake the watchers once the screen is unlocked: a client's
			// loop woken here goes straight for the screen (Snapshot),
			// and would otherwise find it still locked and sleep again.
			notify(wake)
			if reply != nil {
				_, _ = proc.Write(reply)
			}
		}
		if err != nil {
			break
		}
	}
	var st pty.Status
	select {
	case <-proc.Done():
		st = proc.Wait()
	case <-p.killed:
		select {
		case <-proc.Done():
		case <-time.After(p.server.cfg.KillGrace):
			_ = proc.Signal(syscall.SIGKILL)
		}
		st = proc.Wait()
	}
	p.server.paneExited(p, proc, st)
}

// output draws b, read from proc's terminal, on the pane's screen, and
// returns the watchers to wake (appended to wake) and the screen's
// answers for proc. It draws nothing and reports false once proc is not
// the pane's program: respawn-pane -k put another in its place, and the
// old one's last bytes (read before its master was closed) must not land
// on the new program's screen, which tmux guarantees by freeing the old
// fd's bufferevent before it forks (spawn.c).
func (p *Pane) output(proc *pty.Process, b []byte, wake []chan struct{}) ([]chan struct{}, []byte, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.proc.Load() != proc {
		return wake, nil, false
	}
	p.screen.Write(b)
	p.noteOutputLocked() // activity.go
	var reply []byte
	if p.replies.Len() > 0 {
		reply = bytes.Clone(p.replies.Bytes())
		p.replies.Reset()
	}
	return p.watchersLocked(wake), reply, true
}

// resize sets the pane's screen and pty size.
func (p *Pane) resize(cols, rows int) {
	p.mu.Lock()
	c, r := p.screen.Size()
	if c != cols || r != rows {
		p.screen.Resize(cols, rows)
		p.notifyLocked()
	}
	p.mu.Unlock()
	if c != cols || r != rows {
		_ = p.proc.Load().Resize(cols, rows)
	}
}

// kill hangs up the pane's terminal: closing the master sends SIGHUP to
// the child's session, as closing a terminal window does. The read loop
// escalates to SIGKILL after Config.KillGrace.
func (p *Pane) kill() {
	p.killOnce.Do(func() {
		close(p.killed)
		proc := p.proc.Load()
		_ = proc.Signal(syscall.SIGHUP)
		_ = proc.Close()
	})
}

// paneExited records the exit of proc, p's program, and, unless
// remain-on-exit keeps the pane, removes it (and so perhaps its window and
// session). The exit of a program that respawn-pane -k replaced is only
// reaped: the pane runs the new one.
func (s *Server) paneExited(p *Pane, proc *pty.Process, st pty.Status) {
	s.mu.Lock()
	defer s.mu.Unlock()
	_ = proc.Close()
	if p.proc.Load() != proc {
		s.log.Debug("replaced pane program exited", "pane", p.id, "pid", proc.Pid(), "status", st.String())
		return
	}
	p.mu.Lock()
	p.dead, p.status = true, st
	p.notifyLocked()
	p.mu.Unlock()
	if p.removed || s.closed {
		return
	}
	defer s.wakeClientsLocked()
	if isOn(s.optionLocked(p.window, "remain-on-exit")) {
		msg := fmt.Sprintf("Pane is dead (status %d, %s)", st.Code, s.cfg.Now().Format("Mon Jan _2 15:04:05 2006"))
		if st.Signal != 0 {
			msg = fmt.Sprintf("Pane is dead (signal %d, %s)", int(st.Signal), s.cfg.Now().Format("Mon Jan _2 15:04:05 2006"))
		}
		p.mu.Lock()
		p.screen.WriteString("\r\n\x1b[1m" + msg + "\x1b[m")
		p.notifyLocked()
		p.mu.Unlock()
		return
	}
	s.log.Info("pane exited", "pane", p.id, "status", st.String())
	s.removePaneLocked(p)
}

// removePaneLocked takes p out of the model and kills it; its window
// closes if it was the last pane.
func (s *Server) removePaneLocked(p *Pane) {
	if p.removed {
		return
	}
	p.removed = true
	delete(s.panes, p.id)
	p.kill()
	w := p.window
	p.window = nil
	if w == nil {
		return
	}
	delete(w.panes, p.id)
	if len(w.panes) == 0 {
		s.removeWindowLocked(w)
		return
	}
	_ = w.tree.Remove(paneID(p))
	if w.lastActive == p {
		w.lastActive = nil
	}
	if w.active == p {
		next := w.lastActive
		if next == nil {
			next = w.panesLocked()[0]
		}
		w.active, w.lastActive = next, nil
	}
	w.applyLayoutLocked()
}

// removeWindowLocked closes w and its panes; its session ends if it was
// the last window.
func (s *Server) removeWindowLocked(w *Window) {
	ss := w.session
	if _, ok := s.windows[w.id]; !ok {
		return
	}
	delete(s.windows, w.id)
	delete(ss.windows, w.index)
	for _, p := range w.panes {
		p.window = nil
		s.removePaneLocked(p)
	}
	if ss.last == w {
		ss.last = nil
	}
	if ss.current == w {
		next := ss.last
		if next == nil {
			// tmux moves to the window after (or else before) the closed one.
			for _, o := range ss.windowsLocked() {
				next = o
				if o.index > w.index {
					break
				}
			}
		}
		ss.current, ss.last = next, nil
	}
	if len(ss.windows) == 0 {
		s.removeSessionLocked(ss)
	}
}

// paneVars are a pane's own format variables.
func (p *Pane) vars(v map[string]string) {
	p.mu.Lock()
	cur := p.screen.Cursor()
	cols, rows := p.screen.Size()
	modes := p.screen.Modes()
	title := p.screen.Title()
	hist := p.screen.ScrollbackLen()
	histBytes := p.screen.HistoryBytes() // list-panes' ", N bytes"
	// The pane's own limit, fixed when it started, as tmux's grid
	// hlimit: history-limit changes only new panes.
	histLimit := p.screen.ScrollbackLimit()
	dead, st := p.dead, p.status
	p.mu.Unlock()
	proc := p.proc.Load()
	v["pane_id"] = "%" + strconv.Itoa(p.id)
	v["pane_tty"] = proc.TTY()
	v["pane_width"], v["pane_height"] = strconv.Itoa(cols), strconv.Itoa(rows)
	v["cursor_x"], v["cursor_y"] = strconv.Itoa(cur.X), strconv.Itoa(cur.Y)
	v["cursor_flag"] = flag(cur.Visible)
	v["keypad_cursor_flag"] = flag(modes.AppCursorKeys)
	v["keypad_flag"] = flag(modes.AppKeypad)
	v["alternate_on"] = flag(modes.AltScreen)
	v["mouse_any_flag"] = flag(modes.Mouse != vt.MouseNone)
	v["history_size"] = strconv.Itoa(hist)
	v["history_bytes"] = strconv.Itoa(histBytes)
	v["history_limit"] = strconv.Itoa(histLimit)
	v["pane_pid"] = strconv.Itoa(proc.Pid())
	v["pane_start_command"] = p.command
	v["pane_dead"] = flag(dead)
	v["pane_in_mode"] = "0"
	if dead {
		v["pane_dead_status"] = strconv.Itoa(st.Code)
		if st.Signal != 0 {
			v["pane_dead_status"] = ""
			v["pane_dead_signal"] = strconv.Itoa(int(st.Signal))
		}
	}
	if title == "" {
		title = hostname()
	}
	v["pane_title"] = title
	if !dead {
		if name, err := proc.ForegroundName(); err == nil {
			v["pane_current_command"] = name
		}
		if d, err := proc.Cwd(); err == nil {
			v["pane_current_path"] = d
		}
	} else {
		v["pane_current_command"] = filepath.Base(p.command)
	}
}

func flag(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

func isOn(v string) bool { return v == "on" || v == "1" || v == "yes" || v == "true" }
