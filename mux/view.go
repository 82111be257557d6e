package mux

import (
	"github.com/goshterm/gosh/mux/command"
	"github.com/goshterm/gosh/mux/layout"
)

// View is a consistent picture of one session for the composer of a
// client's frame (attach, later): the window list for the status line and
// the current window's layout and panes. Panes are live objects: take
// Pane.Snapshot of each to draw, and Pane.Watch to learn when to redraw.
type View struct {
	Session string
	Windows []WindowInfo
	// Layout is a copy of the current window's tree; its PaneIDs are pane
	// ids (Pane.ID).
	Layout *layout.Tree
	Panes  map[layout.PaneID]*Pane
	Active *Pane
}

// WindowInfo is one entry of a session's window list.
type WindowInfo struct {
	ID, Index int
	Name      string
	Current   bool
	Last      bool
	Zoomed    bool
}

// View returns the view of the session that target names (tmux target
// syntax; "" is the most recently used session).
func (s *Server) View(target string) (View, error) {
	s.cmdMu.Lock()
	defer s.cmdMu.Unlock()
	e := &env{s: s}
	s.mu.Lock()
	defer s.mu.Unlock()
	p, err := e.findLocked(target, command.KindSession)
	if err != nil {
		return View{}, err
	}
	ss := p.window.session
	w := ss.current
	v := View{Session: ss.name, Layout: w.tree.Clone(), Panes: map[layout.PaneID]*Pane{}, Active: w.active}
	for _, o := range ss.windowsLocked() {
		_, z := o.tree.Zoomed()
		v.Windows = append(v.Windows, WindowInfo{ID: o.id, Index: o.index, Name: o.nameLocked(),
			Current: o == w, Last: o == ss.last, Zoomed: z})
	}
	for id, pp := range w.panes {
		v.Panes[layout.PaneID(id)] = pp
	}
	return v, nil
}
