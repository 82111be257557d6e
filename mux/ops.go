package mux

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/goshterm/gosh/mux/command"
	"github.com/goshterm/gosh/mux/layout"
)

// This file holds the command.Env methods that change the model.

func (e *env) dir(d string, ss *Session) string {
	switch {
	case d != "":
		return d
	case ss != nil && ss.cwd != "":
		return ss.cwd
	}
	return e.c.Cwd
}

func (e *env) NewSession(o command.NewSessionOptions) (command.Ref, error) {
	s := e.s
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return command.Ref{}, ErrServerClosed
	}
	name := command.SessionName(o.Name)
	if name == "" {
		for i := 0; ; i++ {
			if _, err := s.findSessionLocked("=" + strconv.Itoa(i)); err != nil {
				name = strconv.Itoa(i)
				break
			}
		}
	} else if _, err := s.findSessionLocked("=" + name); err == nil {
		return command.Ref{}, fmt.Errorf("duplicate session: %s", name)
	}
	w, h := o.Width, o.Height
	if w <= 0 {
		w = s.cfg.Width
	}
	if h <= 0 {
		h = s.cfg.Height
	}
	w, h = min(w, layout.MaxSize), min(h, layout.MaxSize)
	s.nextID.session++
	ss := &Session{id: s.nextID.session - 1, name: name, created: s.cfg.Now(), windows: map[int]*Window{},
		options: map[string]string{}, width: w, height: h, cwd: e.dir(o.Dir, nil)}
	win, err := s.newWindowLocked(ss, s.optionIntLocked(nil, "base-index"), o.WindowName, ss.cwd, o.Command, o.Env)
	if err != nil {
		return command.Ref{}, fmt.Errorf("create window failed: %w", err)
	}
	ss.current = win
	s.sessions[ss.id] = ss
	s.hadAny = true
	s.touchLocked(ss)
	s.log.Info("session created", "name", name)
	return sessionRef(ss), nil
}

// newWindowLocked creates a window of ss's size at index with one pane.
// The caller links the session into the server.
func (s *Server) newWindowLocked(ss *Session, index int, name, dir string, cmd []string, vars map[string]string) (*Window, error) {
	p, err := s.startPaneLocked(s.paneArgv(cmd), dir, paneEnv(s.cfg.Env, vars), ss.width, ss.height)
	if err != nil {
		return nil, err
	}
	p.env = vars
	s.nextID.window++
	w := &Window{id: s.nextID.window - 1, index: index, name: name, session: ss,
		tree: layout.New(ss.width, ss.height, paneID(p)), panes: map[int]*Pane{p.id: p}, active: p,
		options: map[string]string{}}
	p.window = w
	ss.windows[index] = w
	s.windows[w.id] = w
	return w, nil
}

func (e *env) KillSession(r command.Ref) error {
	s := e.s
	s.mu.Lock()
	defer s.mu.Unlock()
	ss := s.sessions[r.Session]
	if ss == nil {
		return fmt.Errorf("can't find session: $%d", r.Session)
	}
	for _, w := range ss.windowsLocked() {
		s.removeWindowLocked(w)
	}
	s.removeSessionLocked(ss)
	return nil
}

func (e *env) RenameSession(r command.Ref, name string) error {
	s := e.s
	s.mu.Lock()
	defer s.mu.Unlock()
	name = command.SessionName(name)
	if name == "" {
		return errors.New("invalid session: ") // tmux 3.3a's words
	}
	ss := s.sessions[r.Session]
	if ss == nil {
		return fmt.Errorf("can't find session: $%d", r.Session)
	}
	if o, err := s.findSessionLocked("=" + name); err == nil && o != ss {
		return fmt.Errorf("duplicate session: %s", name)
	}
	ss.name = name
	return nil
}

func (e *env) NewWindow(r command.Ref, o command.WindowOptions) (command.Ref, error) {
	s := e.s
	s.mu.Lock()
	defer s.mu.Unlock()
	ss := s.sessions[r.Session]
	if ss == nil {
		return command.Ref{}, fmt.Errorf("can't find session: $%d", r.Session)
	}
	// -a, -b and -k as move-window's (arrange.go)
	index, err := s.slotLocked(ss, nil, o.Index, o.After, o.Before, o.Kill)
	if err != nil {
		return command.Ref{}, fmt.Errorf("create window failed: %w", err)
	}
	w, err := s.newWindowLocked(ss, index, o.Name, e.dir(o.Dir, ss), o.Command, o.Env)
	if err != nil {
		return command.Ref{}, fmt.Errorf("create window failed: %w", err)
	}
	if !o.Detach {
		ss.selectWindowLocked(w)
	}
	return windowRef(w), nil
}

func (e *env) SelectWindow(r command.Ref) error {
	s := e.s
	s.mu.Lock()
	defer s.mu.Unlock()
	ss, w, _, err := s.lookupLocked(r)
	if err != nil {
		return err
	}
	ss.selectWindowLocked(w)
	s.touchLocked(ss)
	return nil
}

func (e *env) KillWindow(r command.Ref) error {
	s := e.s
	s.mu.Lock()
	defer s.mu.Unlock()
	_, w, _, err := s.lookupLocked(r)
	if err != nil {
		return err
	}
	s.removeWindowLocked(w)
	return nil
}

func (e *env) RenameWindow(r command.Ref, name string) error {
	s := e.s
	s.mu.Lock()
	defer s.mu.Unlock()
	_, w, _, err := s.lookupLocked(r)
	if err != nil {
		return err
	}
	w.name = name
	return nil
}

func (e *env) SplitWindow(r command.Ref, o command.SplitOptions) (command.Ref, error) {
	s := e.s
	s.mu.Lock()
	defer s.mu.Unlock()
	ss, w, target, err := s.lookupLocked(r)
	if err != nil {
		return command.Ref{}, err
	}
	dir := layout.Vertical
	if o.Horizontal {
		dir = layout.Horizontal
	}
	var size layout.Size
	switch {
	case o.Size > 0:
		size = layout.Cells(o.Size)
	case o.Percent > 0:
		size = layout.Percent(o.Percent)
	}
	// Check for space on a copy first, so that no process starts for a
	// split that can't happen.
	split := func(t *layout.Tree, id layout.PaneID) error {
		if o.Full {
			return t.SplitWindow(dir, id, size, o.Before)
		}
		return t.Split(paneID(target), dir, id, size, o.Before)
	}
	probe := w.tree.Clone()
	const probeID = layout.PaneID(-1)
	if err := split(probe, probeID); err != nil {
		if errors.Is(err, layout.ErrNoSpace) {
			return command.Ref{}, errors.New("no space for new pane")
		}
		return command.Ref{}, err
	}
	rect, _ := probe.Rect(probeID)
	p, err := s.startPaneLocked(s.paneArgv(o.Command), e.dir(o.Dir, ss), paneEnv(s.cfg.Env, o.Env), rect.W, rect.H)
	if err != nil {
		return command.Ref{}, fmt.Errorf("create pane failed: %w", err)
	}
	p.env = o.Env
	if err := split(w.tree, paneID(p)); err != nil {
		s.removePaneLocked(p)
		return command.Ref{}, err
	}
	p.window = w
	w.panes[p.id] = p
	if !o.Detach {
		w.selectPaneLocked(p)
	}
	w.applyLayoutLocked()
	return ref(p), nil
}

func (e *env) SelectPane(r command.Ref) error { return e.selectPane(r, false) }

// SelectPaneKeepZoom implements command.ZoomKeeper: select-pane -Z.
func (e *env) SelectPaneKeepZoom(r command.Ref) error { return e.selectPane(r, true) }

// selectPane makes r's pane active. Selecting another pane of a zoomed
// window unzooms it, or with keepZoom zooms the new pane instead, as
// tmux's window_push_zoom/window_pop_zoom: the active pane is never one
// the zoom hides.
func (e *env) selectPane(r command.Ref, keepZoom bool) error {
	s := e.s
	s.mu.Lock()
	defer s.mu.Unlock()
	ss, w, p, err := s.lookupLocked(r)
	if err != nil {
		return err
	}
	ss.selectWindowLocked(w)
	if z, zoomed := w.tree.Zoomed(); zoomed && z != paneID(p) {
		w.tree.Unzoom()
		if keepZoom {
			_ = w.tree.Zoom(paneID(p))
		}
		w.applyLayoutLocked()
	}
	w.selectPaneLocked(p)
	s.touchLocked(ss)
	return nil
}

func side(d command.Direction) layout.Side {
	return [...]layout.Side{command.Left: layout.Left, command.Right: layout.Right, command.Up: layout.Up, command.Down: layout.Down}[d]
}

func (e *env) Neighbor(r command.Ref, d command.Direction) (command.Ref, error) {
	s := e.s
	s.mu.Lock()
	defer s.mu.Unlock()
	_, w, p, err := s.lookupLocked(r)
	if err != nil {
		return command.Ref{}, err
	}
	n := w.neighborLocked(p, side(d))
	if n == nil {
		return r, nil // tmux leaves the selection alone
	}
	return ref(n), nil
}

func (e *env) ResizePane(r command.Ref, d command.Direction, n int) error {
	s := e.s
	s.mu.Lock()
	defer s.mu.Unlock()
	_, w, p, err := s.lookupLocked(r)
	if err != nil {
		return err
	}
	if _, err := w.tree.ResizePane(paneID(p), side(d), n); err != nil {
		return err
	}
	w.applyLayoutLocked()
	return nil
}

// SetPaneTitle implements command.PaneTitler: select-pane -T.
func (e *env) SetPaneTitle(r command.Ref, title string) error {
	p, err := e.pane(r)
	if err != nil {
		return err
	}
	p.mu.Lock()
	p.screen.SetTitle(title)
	p.mu.Unlock()
	return nil
}

func (e *env) ResizePaneTo(r command.Ref, width bool, cells int) error {
	s := e.s
	s.mu.Lock()
	defer s.mu.Unlock()
	_, w, p, err := s.lookupLocked(r)
	if err != nil {
		return err
	}
	d := layout.Vertical
	if width {
		d = layout.Horizontal
	}
	if err := w.tree.ResizePaneTo(paneID(p), d, cells); err != nil {
		return err
	}
	w.applyLayoutLocked()
	return nil
}

func (e *env) ToggleZoom(r command.Ref) error {
	s := e.s
	s.mu.Lock()
	defer s.mu.Unlock()
	_, w, p, err := s.lookupLocked(r)
	if err != nil {
		return err
	}
	if _, zoomed := w.tree.Zoomed(); zoomed {
		w.tree.Unzoom()
	} else if w.tree.Len() > 1 {
		if err := w.tree.Zoom(paneID(p)); err != nil {
			return err
		}
		w.selectPaneLocked(p)
	}
	w.applyLayoutLocked()
	return nil
}

func (e *env) KillPane(r command.Ref) error {
	s := e.s
	s.mu.Lock()
	defer s.mu.Unlock()
	_, _, p, err := s.lookupLocked(r)
	if err != nil {
		return err
	}
	s.removePaneLocked(p)
	return nil
}

func (e *env) SwapPanes(src, dst command.Ref, detach bool) error {
	s := e.s
	s.mu.Lock()
	defer s.mu.Unlock()
	_, sw, sp, err := s.lookupLocked(src)
	if err != nil {
		return err
	}
	_, dw, dp, err := s.lookupLocked(dst)
	if err != nil {
		return err
	}
	if sp == dp {
		return nil
	}
	if sw != dw {
		return s.swapAcrossLocked(sp, dp) // marks.go
	}
	if err := sw.tree.Swap(paneID(sp), paneID(dp)); err != nil {
		return err
	}
	sw.applyLayoutLocked()
	if detach {
		sw.selectPaneLocked(sp)
	} else {
		sw.selectPaneLocked(dp)
	}
	return nil
}

// pane looks up a Ref's pane.
func (e *env) pane(r command.Ref) (*Pane, error) {
	e.s.mu.Lock()
	defer e.s.mu.Unlock()
	_, _, p, err := e.s.lookupLocked(r)
	return p, err
}

func (e *env) KeyModes(r command.Ref) command.KeyModes {
	p, err := e.pane(r)
	if err != nil {
		return command.KeyModes{}
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	m := p.screen.Modes()
	return command.KeyModes{AppCursor: m.AppCursorKeys, BracketedPaste: m.BracketedPaste}
}

// Send writes to the pane with no lock held, so a program that stops
// reading stalls only this command.
func (e *env) Send(r command.Ref, b []byte) error {
	p, err := e.pane(r)
	if err != nil {
		return err
	}
	if _, err := p.Write(b); err != nil {
		return err
	}
	return nil
}

func (e *env) Capture(r command.Ref, o command.CaptureOptions) (string, error) {
	p, err := e.pane(r)
	if err != nil {
		return "", err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if o.Alternate {
		// -a: tmux's "alternate screen" is the grid a full-screen
		// program hides (its saved grid), with no history; with the
		// main buffer showing there is none.
		main, ok := p.screen.HiddenMain()
		if !ok {
			if o.IgnoreMissingAlter {
				return "\n", nil // tmux 3.3a prints one empty line
			}
			return "", errors.New("no alternate screen")
		}
		return capture(main, o), nil
	}
	return capture(p.screen, o), nil
}

func (e *env) KillServer() error {
	e.s.mu.Lock()
	defer e.s.mu.Unlock()
	e.s.closed = true
	e.s.endLocked(EndingServerExited)
	for _, ss := range e.s.sessionsLocked() {
		for _, w := range ss.windowsLocked() {
			e.s.removeWindowLocked(w)
		}
	}
	e.s.finish()
	return nil
}
