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
	index := o.Index
	switch {
	case index < 0:
		index = ds.freeIndexLocked(s.optionIntLocked(nil, "base-index"))
	case o.After || o.Before:
		if o.After {
			index++
		}
		ds.shiftUpLocked(index)
	default:
		if used := ds.windows[index]; used != nil && !(used == sw && alone) {
			return command.Ref{}, fmt.Errorf("index %d in use", index)
		}
	}
	var nw *Window
	if alone {
		nw = sw
		if sw.session == ds {
			delete(ds.windows, sw.index) // it stays current if it was
		} else {
			s.unlinkWindowLocked(sw)
		}
		if o.Name != "" {
			nw.name = o.Name
		}
		nw.index, nw.session = index, ds
		if w, h := nw.tree.WindowSize(); w != ds.width || h != ds.height {
			nw.tree.Resize(ds.width, ds.height)
		}
	} else {
		sw.takePaneLocked(p)
		s.nextID.window++
		nw = &Window{id: s.nextID.window - 1, index: index, name: o.Name, session: ds,
			tree: layout.New(ds.width, ds.height, paneID(p)), panes: map[int]*Pane{p.id: p}, active: p,
			options: map[string]string{}}
		p.window = nw
		s.windows[nw.id] = nw
	}
	ds.windows[index] = nw
	if ds.current == nil {
		ds.current = nw
	}
	if !o.Detach {
		ds.selectWindowLocked(nw)
		s.touchLocked(ds)
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
