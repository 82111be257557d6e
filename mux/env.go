package mux

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/user"
	"strconv"
	"strings"
	"sync"

	"github.com/goshterm/gosh/mux/command"
	"github.com/goshterm/gosh/mux/layout"
)

// Client describes who runs a command: where its output goes and what the
// "current" session, window and pane are.
type Client struct {
	Stdout io.Writer
	// Cwd is the client's working directory, the default for -c.
	Cwd string
	// Pane is the pane the client runs in ($GOSH_PANE, e.g. "%3"), which
	// makes it current, as $TMUX_PANE does for tmux; "" for none.
	Pane string
	// Attach holds a terminal client's facts when it can attach
	// (attach-session, new-session without -d); nil for a client that
	// only runs commands.
	Attach *AttachRequest
	// TTY is the client's terminal device, its name in list-clients.
	TTY string

	// attached is the attached client whose key binding runs the command.
	attached *client
}

// Run executes one command (argv[0] is its name) for client c. Commands run
// one at a time.
func (s *Server) Run(ctx context.Context, c Client, argv []string) error {
	_, err := s.run(ctx, c, argv)
	return err
}

// run is Run that also returns the endpoint of a client the command
// attached.
func (s *Server) run(ctx context.Context, c Client, argv []string) (*AttachReply, error) {
	s.cmdMu.Lock()
	defer s.cmdMu.Unlock()
	if c.Stdout == nil {
		c.Stdout = io.Discard
	}
	e := &env{s: s, c: c}
	err := command.Run(ctx, e, argv)
	s.mu.Lock()
	if s.cfg.ExitEmpty && len(s.sessions) == 0 {
		s.endLocked(EndingExited)
		s.finish()
	}
	// Any command may have changed what attached clients show.
	s.wakeClientsLocked()
	s.mu.Unlock()
	return e.reply, err
}

// env implements command.Env for one command.
type env struct {
	s     *Server
	c     Client
	reply *AttachReply // set when the command attached c
}

var _ command.Env = (*env)(nil)

func (e *env) Stdout() io.Writer { return e.c.Stdout }
func (e *env) Cwd() string       { return e.c.Cwd }

func paneID(p *Pane) layout.PaneID { return layout.PaneID(p.id) }

func ref(p *Pane) command.Ref {
	w := p.window
	return command.Ref{Session: w.session.id, Window: w.id, Pane: p.id}
}

func windowRef(w *Window) command.Ref { return ref(w.active) }

func sessionRef(ss *Session) command.Ref { return windowRef(ss.current) }

// lookup turns a Ref back into objects; the objects may have gone since.
func (s *Server) lookupLocked(r command.Ref) (*Session, *Window, *Pane, error) {
	ss := s.sessions[r.Session]
	w := s.windows[r.Window]
	p := s.panes[r.Pane]
	if ss == nil {
		return nil, nil, nil, fmt.Errorf("can't find session: $%d", r.Session)
	}
	if w == nil || w.session != ss {
		return nil, nil, nil, fmt.Errorf("can't find window: @%d", r.Window)
	}
	if p == nil || p.window != w {
		return nil, nil, nil, fmt.Errorf("can't find pane: %%%d", r.Pane)
	}
	return ss, w, p, nil
}

// currentLocked returns the client's current pane: its own pane if it runs
// inside one, else the active pane of the most recently used session.
func (e *env) currentLocked() (*Pane, error) {
	if cl := e.c.attached; cl != nil && cl.session != nil && e.s.sessions[cl.session.id] == cl.session {
		return cl.session.current.active, nil
	}
	if id, ok := strings.CutPrefix(e.c.Pane, "%"); ok {
		if n, err := strconv.Atoi(id); err == nil {
			if p := e.s.panes[n]; p != nil && p.window != nil {
				return p, nil
			}
		}
	}
	ss := e.s.mostRecentLocked()
	if ss == nil {
		return nil, errors.New("no current session")
	}
	return ss.current.active, nil
}

// Find resolves a target the way tmux's cmd-find.c does for the common
// forms; see command.ParseTarget.
func (e *env) Find(target string, kind command.Kind) (command.Ref, error) {
	e.s.mu.Lock()
	defer e.s.mu.Unlock()
	p, err := e.findLocked(target, kind)
	if err != nil {
		return command.Ref{}, err
	}
	return ref(p), nil
}

func (e *env) findLocked(target string, kind command.Kind) (*Pane, error) {
	t := command.ParseTarget(target, kind)
	if t.Lone {
		cur, err := e.currentLocked()
		if kind == command.KindPane && err == nil {
			if p := e.s.findPaneLocked(cur.window, t.Pane); p != nil {
				return p, nil
			}
		}
		name := t.Window + t.Pane
		if err == nil {
			if w := e.s.findWindowLocked(cur.window.session, name); w != nil {
				return w.active, nil
			}
		}
		if ss, serr := e.s.findSessionLocked(name); serr == nil {
			return ss.current.active, nil
		}
		if kind == command.KindPane {
			return nil, fmt.Errorf("can't find pane: %s", name)
		}
		return nil, fmt.Errorf("can't find window: %s", name)
	}
	// Pane by id alone.
	if strings.HasPrefix(t.Pane, "%") && t.Session == "" && t.Window == "" {
		if p := e.s.findPaneLocked(nil, t.Pane); p != nil {
			return p, nil
		}
		return nil, fmt.Errorf("can't find pane: %s", t.Pane)
	}
	var ss *Session
	var w *Window
	switch {
	case strings.HasPrefix(t.Window, "@"):
		w = e.s.findWindowLocked(nil, t.Window)
		if w == nil {
			return nil, fmt.Errorf("can't find window: %s", t.Window)
		}
		ss = w.session
	case t.Session != "":
		var err error
		if ss, err = e.s.findSessionLocked(t.Session); err != nil {
			return nil, err
		}
	default:
		cur, err := e.currentLocked()
		if err != nil {
			return nil, err
		}
		ss = cur.window.session
		if t.Window == "" {
			if t.Pane == "" {
				return cur, nil // the client's own pane, if it runs in one
			}
			w = cur.window
		}
	}
	if w == nil {
		if t.Window == "" {
			w = ss.current
		} else if w = e.s.findWindowLocked(ss, t.Window); w == nil {
			return nil, fmt.Errorf("can't find window: %s", t.Window)
		}
	}
	if t.Pane == "" {
		return w.active, nil
	}
	if p := e.s.findPaneLocked(w, t.Pane); p != nil {
		return p, nil
	}
	return nil, fmt.Errorf("can't find pane: %s", t.Pane)
}

// findSessionLocked matches "$id", "=exact", an exact name, then a unique
// name prefix.
func (s *Server) findSessionLocked(name string) (*Session, error) {
	if id, ok := strings.CutPrefix(name, "$"); ok {
		if n, err := strconv.Atoi(id); err == nil && s.sessions[n] != nil {
			return s.sessions[n], nil
		}
		return nil, fmt.Errorf("can't find session: %s", name)
	}
	exact, isExact := strings.CutPrefix(name, "=")
	var prefixed []*Session
	for _, ss := range s.sessionsLocked() {
		if ss.name == exact {
			return ss, nil
		}
		if !isExact && strings.HasPrefix(ss.name, name) {
			prefixed = append(prefixed, ss)
		}
	}
	if len(prefixed) == 1 {
		return prefixed[0], nil
	}
	if len(prefixed) > 1 {
		return nil, fmt.Errorf("more than one session: %s", name)
	}
	return nil, fmt.Errorf("can't find session: %s", name)
}

// findWindowLocked matches "@id" (in any session when ss is nil), "+", "-",
// "!", "^", "$", an index, an exact name, then a unique name prefix.
func (s *Server) findWindowLocked(ss *Session, name string) *Window {
	if id, ok := strings.CutPrefix(name, "@"); ok {
		n, err := strconv.Atoi(id)
		if w := s.windows[n]; err == nil && w != nil && (ss == nil || w.session == ss) {
			return w
		}
		return nil
	}
	if ss == nil {
		return nil
	}
	ws := ss.windowsLocked()
	pos := 0
	for i, w := range ws {
		if w == ss.current {
			pos = i
		}
	}
	switch name {
	case "+", "{next}":
		return ws[(pos+1)%len(ws)]
	case "-", "{previous}":
		return ws[(pos+len(ws)-1)%len(ws)]
	case "!", "{last}":
		return ss.last
	case "^", "{start}":
		return ws[0]
	case "$", "{end}":
		return ws[len(ws)-1]
	}
	exact, isExact := strings.CutPrefix(name, "=")
	// An index, or "=index" (exact, as the default 0–9 bindings write it).
	if n, err := strconv.Atoi(exact); err == nil {
		return ss.windows[n]
	}
	var prefixed []*Window
	for _, w := range ws {
		if w.nameLocked() == exact {
			return w
		}
		if !isExact && strings.HasPrefix(w.nameLocked(), name) {
			prefixed = append(prefixed, w)
		}
	}
	if len(prefixed) == 1 {
		return prefixed[0]
	}
	return nil
}

// findPaneLocked matches "%id" (in any window when w is nil), "+", "-",
// "!", or an index in w.
func (s *Server) findPaneLocked(w *Window, name string) *Pane {
	if id, ok := strings.CutPrefix(name, "%"); ok {
		n, err := strconv.Atoi(id)
		if p := s.panes[n]; err == nil && p != nil && p.window != nil && (w == nil || p.window == w) {
			return p
		}
		return nil
	}
	if w == nil {
		return nil
	}
	ps := w.panesLocked()
	pos := w.paneIndexLocked(w.active)
	switch name {
	case "+", "{next}":
		return ps[(pos+1)%len(ps)]
	case "-", "{previous}":
		return ps[(pos+len(ps)-1)%len(ps)]
	case "!", "{last}":
		return w.lastActive
	}
	if n, err := strconv.Atoi(name); err == nil {
		n -= s.optionIntLocked(w, "pane-base-index")
		if n >= 0 && n < len(ps) {
			return ps[n]
		}
	}
	return nil
}

// nameLocked is the window's name: set explicitly, or the active pane's
// program (automatic-rename).
func (w *Window) nameLocked() string {
	if w.name != "" {
		return w.name
	}
	if w.active != nil {
		if n, err := w.active.proc.Load().ForegroundName(); err == nil {
			return n
		}
	}
	return "gosh"
}

var hostOnce = sync.OnceValue(func() string {
	h, _ := os.Hostname()
	return h
})

func hostname() string { return hostOnce() }

// Vars builds the format variables of tmux(1) FORMATS that gosh knows.
func (e *env) Vars(r command.Ref) command.Vars {
	e.s.mu.Lock()
	defer e.s.mu.Unlock()
	v := e.s.varsLocked(r)
	e.clientVarsLocked(v, r)
	return v
}

// clientVarsLocked adds the client_* variables of the command's client:
// the attached client running the binding, or, for a command from
// outside, the one the target session follows (the latest active, tmux's
// best client), as tmux's display-message does.
func (e *env) clientVarsLocked(v command.Vars, r command.Ref) {
	cl := e.c.attached
	if cl == nil {
		if ss := e.s.sessions[r.Session]; ss != nil {
			cl = ss.latest
		}
	}
	if cl == nil || e.s.clients[cl.id] != cl || cl.session == nil {
		return
	}
	v["client_name"], v["client_tty"], v["client_termname"] = cl.name, cl.name, cl.term
	v["client_width"], v["client_height"] = strconv.Itoa(cl.cols), strconv.Itoa(cl.rows)
	v["client_session"] = cl.session.name
	v["client_readonly"] = flag(cl.readOnly)
	v["client_created"] = strconv.FormatInt(cl.created.Unix(), 10)
}

func (s *Server) varsLocked(r command.Ref) command.Vars {
	e := &env{s: s}
	v := command.Vars{"host": hostname(), "pid": strconv.Itoa(os.Getpid()), "socket_path": e.s.cfg.SocketPath, "version": "gosh"}
	v["host_short"], _, _ = strings.Cut(v["host"], ".")
	v["uid"] = strconv.Itoa(os.Getuid())
	if u, err := user.Current(); err == nil {
		v["user"] = u.Username
	}
	ss, w, p, err := e.s.lookupLocked(r)
	if err != nil {
		return v
	}
	v["session_name"] = ss.name
	v["session_id"] = "$" + strconv.Itoa(ss.id)
	v["session_windows"] = strconv.Itoa(len(ss.windows))
	v["session_created"] = strconv.FormatInt(ss.created.Unix(), 10)
	v["session_attached"] = strconv.Itoa(e.s.attachedLocked(ss))
	v["session_width"], v["session_height"] = strconv.Itoa(ss.width), strconv.Itoa(ss.height)
	v["window_index"] = strconv.Itoa(w.index)
	v["window_id"] = "@" + strconv.Itoa(w.id)
	v["window_name"] = w.nameLocked()
	v["window_active"] = flag(ss.current == w)
	v["window_last_flag"] = flag(ss.last == w)
	v["window_panes"] = strconv.Itoa(len(w.panes))
	ww, wh := w.tree.WindowSize()
	v["window_width"], v["window_height"] = strconv.Itoa(ww), strconv.Itoa(wh)
	v["window_layout"] = w.tree.String()
	_, zoomed := w.tree.Zoomed()
	v["window_zoomed_flag"] = flag(zoomed)
	s.scanAlertsLocked(w, ss.current == w, false) // activity.go
	m := s.markedLocked()
	v["window_flags"] = windowFlagsLocked(ss, w, zoomed, m != nil && m.window == w)
	v["window_raw_flags"] = v["window_flags"]
	v["window_bell_flag"] = flag(w.alerts.bell)
	v["window_activity_flag"] = flag(w.alerts.activity)
	v["window_silence_flag"] = flag(w.alerts.silence)
	v["window_marked_flag"] = flag(m != nil && m.window == w)
	v["pane_index"] = strconv.Itoa(w.paneIndexLocked(p) + e.s.optionIntLocked(w, "pane-base-index"))
	v["pane_active"] = flag(w.active == p)
	v["pane_last"] = flag(w.lastActive == p)
	v["session_path"] = ss.cwd
	v["session_many_attached"] = flag(e.s.attachedLocked(ss) > 1)
	if ss.current != nil {
		v["active_window_index"] = strconv.Itoa(ss.current.index)
	}
	if ws := ss.windowsLocked(); len(ws) > 0 {
		// last_window_index is the session's highest index (tmux(1)).
		v["last_window_index"] = strconv.Itoa(ws[len(ws)-1].index)
		v["window_start_flag"], v["window_end_flag"] = flag(ws[0] == w), flag(ws[len(ws)-1] == w)
	}
	if rect, ok := w.tree.Rect(paneID(p)); ok {
		v["pane_left"], v["pane_top"] = strconv.Itoa(rect.X), strconv.Itoa(rect.Y)
		v["pane_right"], v["pane_bottom"] = strconv.Itoa(rect.X+rect.W-1), strconv.Itoa(rect.Y+rect.H-1)
		v["pane_at_left"], v["pane_at_top"] = flag(rect.X == 0), flag(rect.Y == 0)
		v["pane_at_right"], v["pane_at_bottom"] = flag(rect.X+rect.W >= ww), flag(rect.Y+rect.H >= wh)
	}
	s.markVarsLocked(v, p) // marks.go
	p.vars(v)
	if s.inCopyModeLocked(p) { // copycommands.go
		v["pane_in_mode"], v["pane_mode"] = "1", "copy-mode"
	}
	return v
}

func (e *env) Sessions() []command.Ref {
	e.s.mu.Lock()
	defer e.s.mu.Unlock()
	var out []command.Ref
	for _, ss := range e.s.sessionsLocked() {
		out = append(out, sessionRef(ss))
	}
	return out
}

func (e *env) Windows(r command.Ref) []command.Ref {
	e.s.mu.Lock()
	defer e.s.mu.Unlock()
	ss := e.s.sessions[r.Session]
	if ss == nil {
		return nil
	}
	var out []command.Ref
	for _, w := range ss.windowsLocked() {
		out = append(out, windowRef(w))
	}
	return out
}

func (e *env) Panes(r command.Ref) []command.Ref {
	e.s.mu.Lock()
	defer e.s.mu.Unlock()
	w := e.s.windows[r.Window]
	if w == nil {
		return nil
	}
	var out []command.Ref
	for _, p := range w.panesLocked() {
		out = append(out, ref(p))
	}
	return out
}
