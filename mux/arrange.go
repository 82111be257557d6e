package mux

import (
	"errors"
	"fmt"

	"github.com/goshterm/gosh/mux/command"
	"github.com/goshterm/gosh/mux/layout"
)

// This file holds the command.Env methods that rearrange a window's
// panes as a whole: the layout presets and their cycle, select-layout
// -E/-o, rotate-window and break-pane.

// windowLocked looks up r's window.
func (s *Server) windowLocked(r command.Ref) (*Window, *Pane, error) {
	_, w, p, err := s.lookupLocked(r)
	return w, p, err
}

// relayoutLocked changes w's layout with f, keeping the layout before it
// for select-layout -o; when f fails the saved layout stays as it was, as
// tmux's does.
func (w *Window) relayoutLocked(f func() error) error {
	old := w.tree.Clone()
	if err := f(); err != nil {
		return err
	}
	w.oldTree = old
	w.applyLayoutLocked()
	return nil
}

func (e *env) SelectLayout(r command.Ref, name string) error {
	s := e.s
	s.mu.Lock()
	defer s.mu.Unlock()
	w, _, err := s.windowLocked(r)
	if err != nil {
		return err
	}
	preset := w.lastLayout
	if name != "" {
		if preset, err = layout.ParsePreset(name); err != nil {
			// A tmux layout string, as #{window_layout} prints it.
			shape, perr := layout.Parse(name)
			if perr != nil {
				return fmt.Errorf("invalid layout: %s", name)
			}
			return w.relayoutLocked(func() error {
				if err := w.tree.Adopt(shape); err != nil {
					return fmt.Errorf("invalid layout: %s", name)
				}
				return nil
			})
		}
	}
	if preset == 0 {
		return nil // no name and no preset yet: tmux leaves the window be
	}
	return w.relayoutLocked(func() error {
		if err := w.tree.Apply(preset); err != nil {
			return err
		}
		w.lastLayout = preset
		return nil
	})
}

func (e *env) StepLayout(r command.Ref, step int) error {
	s := e.s
	s.mu.Lock()
	defer s.mu.Unlock()
	w, _, err := s.windowLocked(r)
	if err != nil {
		return err
	}
	preset := w.lastLayout.Next()
	if step < 0 {
		preset = w.lastLayout.Previous()
	}
	return w.relayoutLocked(func() error {
		if err := w.tree.Apply(preset); err != nil {
			return err
		}
		w.lastLayout = preset
		return nil
	})
}

func (e *env) SpreadLayout(r command.Ref) error {
	s := e.s
	s.mu.Lock()
	defer s.mu.Unlock()
	w, p, err := s.windowLocked(r)
	if err != nil {
		return err
	}
	return w.relayoutLocked(func() error {
		w.tree.Unzoom()
		_, err := w.tree.Spread(paneID(p))
		return err
	})
}

func (e *env) UndoLayout(r command.Ref) error {
	s := e.s
	s.mu.Lock()
	defer s.mu.Unlock()
	w, _, err := s.windowLocked(r)
	if err != nil {
		return err
	}
	if w.oldTree == nil {
		return errors.New("no last layout")
	}
	old := w.oldTree
	return w.relayoutLocked(func() error {
		if err := w.tree.Restore(old); err != nil {
			return errors.New("invalid layout: the panes changed since")
		}
		return nil
	})
}

// RotateWindow keeps the active cell active, as tmux does: the pane that
// moves into it becomes the active pane.
func (e *env) RotateWindow(r command.Ref, down, keepZoom bool) error {
	s := e.s
	s.mu.Lock()
	defer s.mu.Unlock()
	w, _, err := s.windowLocked(r)
	if err != nil {
		return err
	}
	_, zoomed := w.tree.Zoomed()
	pos := w.paneIndexLocked(w.active)
	w.tree.Rotate(down)
	if ps := w.panesLocked(); pos >= 0 && pos < len(ps) {
		w.selectPaneLocked(ps[pos])
	}
	if zoomed && keepZoom {
		_ = w.tree.Zoom(paneID(w.active))
	}
	w.applyLayoutLocked()
	return nil
}

// takePaneLocked takes p out of w without killing it: its cell goes to
// its neighbours, and another pane becomes active if p was. The caller
// has checked that p is not w's only pane.
func (w *Window) takePaneLocked(p *Pane) {
	_ = w.tree.Remove(paneID(p))
	delete(w.panes, p.id)
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
	p.window = nil
	w.applyLayoutLocked()
}

// BreakPane moves the pane into a new window, as tmux's break-pane. A
// pane alone in its window moves with its window (name, id and options),
// as tmux moves the window to the new index.
func (e *env) BreakPane(r, dst command.Ref, o command.BreakOptions) (command.Ref, error) {
	s := e.s
	s.mu.Lock()
	defer s.mu.Unlock()
	_, sw, p, err := s.lookupLocked(r)
	if err != nil {
		return command.Ref{}, err
	}
	ds := s.sessions[dst.Session]
	if ds == nil {
		return command.Ref{}, fmt.Errorf("can't find session: $%d", dst.Session)
	}
	alone := len(sw.panes) == 1
	var keep *Window // the window that may already hold the index: it moves
	if alone {
		keep = sw
	}
	index, err := s.slotLocked(ds, keep, o.Index, o.After, o.Before, false)
	if err != nil {
		return command.Ref{}, err
	}
	if alone {
		if o.Name != "" {
			sw.name = o.Name
		}
		s.moveWindowLocked(sw, ds, index, o.Detach)
		return ref(p), nil
	}
	sw.takePaneLocked(p)
	s.nextID.window++
	nw := &Window{id: s.nextID.window - 1, index: index, name: o.Name, session: ds,
		tree: layout.New(ds.width, ds.height, paneID(p)), panes: map[int]*Pane{p.id: p}, active: p,
		options: map[string]string{}}
	p.window = nw
	s.windows[nw.id] = nw
	ds.windows[index] = nw
	if ds.current == nil {
		ds.current = nw
	}
	if !o.Detach {
		ds.selectWindowLocked(nw)
	}
	nw.applyLayoutLocked()
	return ref(p), nil
}

// unlinkWindowLocked takes w out of its session's window list without
// closing it, to link it into another session: another window becomes
// current if w was, and the session ends if w was its last window.
func (s *Server) unlinkWindowLocked(w *Window) {
	ss := w.session
	delete(ss.windows, w.index)
	if ss.last == w {
		ss.last = nil
	}
	if len(ss.windows) == 0 {
		s.removeSessionLocked(ss)
		return
	}
	if ss.current == w {
		ws := ss.windowsLocked()
		ss.current = ws[len(ws)-1]
		for _, o := range ws {
			if o.index > w.index {
				ss.current = o // tmux moves to the window after, else before
				break
			}
		}
	}
}

// shiftUpLocked frees index for a new window: the windows from index up
// to the next free index move up by one (tmux's winlink_shuffle_up).
func (ss *Session) shiftUpLocked(index int) {
	end := index
	for ss.windows[end] != nil {
		end++
	}
	for i := end; i > index; i-- {
		w := ss.windows[i-1]
		delete(ss.windows, i-1)
		w.index = i
		ss.windows[i] = w
	}
}

// slotLocked returns the index a window moving into ds takes: the next
// free one for index < 0; next to index, moving later windows up, with
// after or before; else index itself, which must be free (or hold keep,
// the window moving) unless kill closes what is there.
func (s *Server) slotLocked(ds *Session, keep *Window, index int, after, before, kill bool) (int, error) {
	switch {
	case index < 0:
		return ds.freeIndexLocked(s.optionIntLocked(nil, "base-index")), nil
	case after || before:
		if after {
			index++
		}
		ds.shiftUpLocked(index)
		return index, nil
	}
	used := ds.windows[index]
	if used == nil || used == keep {
		return index, nil
	}
	// Closing a session's only window would end the session moved into.
	if !kill || (len(ds.windows) == 1 && (keep == nil || keep.session != ds)) {
		return 0, fmt.Errorf("index %d in use", index)
	}
	s.removeWindowLocked(used)
	return index, nil
}

// moveWindowLocked links w at index in ds (slotLocked chose it), out of
// its own session, and makes it current there unless detach.
func (s *Server) moveWindowLocked(w *Window, ds *Session, index int, detach bool) {
	if w.session == ds {
		delete(ds.windows, w.index) // it stays current if it was
	} else {
		s.unlinkWindowLocked(w)
	}
	w.index, w.session = index, ds
	if ww, wh := w.tree.WindowSize(); ww != ds.width || wh != ds.height {
		w.tree.Resize(ds.width, ds.height)
	}
	ds.windows[index] = w
	if ds.current == nil {
		ds.current = w
	}
	if !detach {
		ds.selectWindowLocked(w) // tmux leaves the sessions' activity be
	}
	w.applyLayoutLocked()
}

// MoveWindow implements command.Env: move-window.
func (e *env) MoveWindow(r, dst command.Ref, o command.MoveOptions) (command.Ref, error) {
	s := e.s
	s.mu.Lock()
	defer s.mu.Unlock()
	_, w, _, err := s.lookupLocked(r)
	if err != nil {
		return command.Ref{}, err
	}
	ds := s.sessions[dst.Session]
	if ds == nil {
		return command.Ref{}, fmt.Errorf("can't find session: $%d", dst.Session)
	}
	if ds == w.session && o.Index == w.index && !o.After && !o.Before {
		return command.Ref{}, fmt.Errorf("same index: %d", o.Index) // tmux's
	}
	index, err := s.slotLocked(ds, w, o.Index, o.After, o.Before, o.Kill)
	if err != nil {
		return command.Ref{}, err
	}
	s.moveWindowLocked(w, ds, index, o.Detach)
	return windowRef(w), nil
}

// RenumberWindows implements command.Env: move-window -r.
func (e *env) RenumberWindows(r command.Ref) error {
	s := e.s
	s.mu.Lock()
	defer s.mu.Unlock()
	ss := s.sessions[r.Session]
	if ss == nil {
		return fmt.Errorf("can't find session: $%d", r.Session)
	}
	ws := ss.windowsLocked()
	ss.windows = make(map[int]*Window, len(ws))
	base := s.optionIntLocked(nil, "base-index")
	for i, w := range ws {
		w.index = base + i
		ss.windows[w.index] = w
	}
	return nil
}

// SwapWindows implements command.Env: swap-window. tmux 3.3a keeps the
// current index (so the view switches to the other window) and selects
// with -d instead, the reverse of its manual; gosh follows the manual:
// the source window, at its new place, is current unless -d.
func (e *env) SwapWindows(src, dst command.Ref, detach bool) error {
	s := e.s
	s.mu.Lock()
	defer s.mu.Unlock()
	ss, ws, _, err := s.lookupLocked(src)
	if err != nil {
		return err
	}
	sd, wd, _, err := s.lookupLocked(dst)
	if err != nil {
		return err
	}
	if ws == wd {
		return nil
	}
	ss.windows[ws.index], sd.windows[wd.index] = wd, ws
	ws.index, wd.index = wd.index, ws.index
	ws.session, wd.session = sd, ss
	if ss != sd {
		// Each session's current and last windows must be its own.
		for _, x := range []struct {
			s        *Session
			out, in_ *Window
		}{{ss, ws, wd}, {sd, wd, ws}} {
			if x.s.current == x.out {
				x.s.current = x.in_
			}
			if x.s.last == x.out {
				x.s.last = x.in_
			}
		}
		for _, w := range []*Window{ws, wd} {
			if tw, th := w.tree.WindowSize(); tw != w.session.width || th != w.session.height {
				w.tree.Resize(w.session.width, w.session.height)
				w.applyLayoutLocked()
			}
		}
	}
	if !detach {
		sd.selectWindowLocked(ws)
	}
	return nil
}
