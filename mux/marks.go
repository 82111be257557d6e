package mux

import (
	"errors"

	"github.com/goshterm/gosh/mux/command"
	"github.com/goshterm/gosh/mux/layout"
)

// This file holds tmux's marked pane (select-pane -m/-M, the m and M
// bindings), the default source of swap-pane, join-pane and swap-window,
// and the commands that move a pane between windows: join-pane and
// swap-pane across windows. gosh does not draw the mark (tmux highlights
// the marked pane's border); #{pane_marked} and #{pane_marked_set} say
// where it is.

var _ command.Marker = (*env)(nil)

// MarkPane implements command.Marker.
func (e *env) MarkPane(r command.Ref, on bool) error {
	s := e.s
	s.mu.Lock()
	defer s.mu.Unlock()
	_, _, p, err := s.lookupLocked(r)
	if err != nil {
		return err
	}
	switch {
	case !on || s.marked == p:
		s.marked = nil
	default:
		s.marked = p
	}
	return nil
}

// MarkedPane implements command.Marker.
func (e *env) MarkedPane() (command.Ref, bool) {
	s := e.s
	s.mu.Lock()
	defer s.mu.Unlock()
	if p := s.markedLocked(); p != nil {
		return ref(p), true
	}
	return command.Ref{}, false
}

// markedLocked returns the marked pane if it still is in a window.
func (s *Server) markedLocked() *Pane {
	if p := s.marked; p != nil && !p.removed && p.window != nil {
		return p
	}
	s.marked = nil
	return nil
}

// markVarsLocked adds pane_marked and pane_marked_set for p.
func (s *Server) markVarsLocked(v command.Vars, p *Pane) {
	m := s.markedLocked()
	v["pane_marked"], v["pane_marked_set"] = flag(m != nil && m == p), flag(m != nil)
}

// swapAcrossLocked exchanges two panes of different windows: each takes
// the other's cell and becomes its new window's active pane, as tmux's
// swap-pane without -d does.
func (s *Server) swapAcrossLocked(a, b *Pane) error {
	wa, wb := a.window, b.window
	if err := wa.tree.Replace(paneID(a), paneID(b)); err != nil {
		return err
	}
	if err := wb.tree.Replace(paneID(b), paneID(a)); err != nil {
		_ = wa.tree.Replace(paneID(b), paneID(a))
		return err
	}
	delete(wa.panes, a.id)
	delete(wb.panes, b.id)
	wa.panes[b.id], wb.panes[a.id] = b, a
	a.window, b.window = wb, wa
	for _, x := range []struct {
		w        *Window
		out, in_ *Pane
	}{{wa, a, b}, {wb, b, a}} {
		if x.w.lastActive == x.out {
			x.w.lastActive = nil
		}
		if x.w.active == x.out {
			x.w.active = x.in_
		} else {
			x.w.selectPaneLocked(x.in_)
		}
	}
	if s.marked == a || s.marked == b {
		s.marked = nil // tmux clears the mark once it is used
	}
	wa.applyLayoutLocked()
	wb.applyLayoutLocked()
	return nil
}

// JoinPane implements command.Env: join-pane. The source pane leaves its
// window (which closes if it was its last pane, and its session with it
// if that was the last window) and splits the target's cell.
func (e *env) JoinPane(src, dst command.Ref, o command.SplitOptions) (command.Ref, error) {
	s := e.s
	s.mu.Lock()
	defer s.mu.Unlock()
	_, sw, sp, err := s.lookupLocked(src)
	if err != nil {
		return command.Ref{}, err
	}
	ds, dw, dp, err := s.lookupLocked(dst)
	if err != nil {
		return command.Ref{}, err
	}
	if sp == dp {
		return command.Ref{}, errors.New("source and target panes must be different")
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
	// Try it on a copy first: a failed join leaves everything in place.
	probe := dw.tree.Clone()
	if sw == dw {
		_ = probe.Remove(paneID(sp))
	}
	if err := probe.Split(paneID(dp), dir, paneID(sp), size, o.Before); err != nil {
		if errors.Is(err, layout.ErrNoSpace) {
			return command.Ref{}, errors.New("no space for new pane")
		}
		return command.Ref{}, err
	}
	if len(sw.panes) == 1 {
		delete(sw.panes, sp.id)
		sp.window = nil
		s.removeWindowLocked(sw) // no pane left to kill
	} else {
		sw.takePaneLocked(sp)
	}
	if err := dw.tree.Split(paneID(dp), dir, paneID(sp), size, o.Before); err != nil {
		return command.Ref{}, err // the probe said it fits
	}
	sp.window = dw
	dw.panes[sp.id] = sp
	if !o.Detach {
		ds.selectWindowLocked(dw)
		dw.selectPaneLocked(sp)
	}
	dw.applyLayoutLocked()
	if s.marked == sp {
		s.marked = nil // tmux clears the mark once it is used
	}
	return ref(sp), nil
}
