package mux

import (
	"github.com/goshterm/gosh/mux/layout"
)

// Window is a set of panes laid out by a layout.Tree, with one active
// pane. Its fields are guarded by Server.mu.
type Window struct {
	id         int
	index      int
	name       string // "" with automatic-rename: the active pane's program
	session    *Session
	tree       *layout.Tree
	panes      map[int]*Pane // by id
	active     *Pane
	lastActive *Pane
	options    map[string]string
	// lastLayout is the preset select-layout last applied (0 for none):
	// next-layout steps from it, and select-layout with no name applies
	// it again.
	lastLayout layout.Preset
	// oldTree is the layout before the last select-layout, for -o.
	oldTree *layout.Tree
	// alerts are its bell and activity flags (activity.go).
	alerts windowAlerts
}

// ID returns the window's id (tmux's @n).
func (w *Window) ID() int { return w.id }

// panesLocked returns the panes in pane index order (the layout's order).
func (w *Window) panesLocked() []*Pane {
	ids := w.tree.Panes()
	out := make([]*Pane, 0, len(ids))
	for _, id := range ids {
		if p := w.panes[int(id)]; p != nil {
			out = append(out, p)
		}
	}
	return out
}

// paneIndexLocked returns p's position in pane order.
func (w *Window) paneIndexLocked(p *Pane) int {
	for i, id := range w.tree.Panes() {
		if int(id) == p.id {
			return i
		}
	}
	return -1
}

// selectPaneLocked makes p active, remembering the previous one.
func (w *Window) selectPaneLocked(p *Pane) {
	if w.active != p {
		w.lastActive = w.active
		w.active = p
	}
	if p != nil {
		s := p.server
		s.activeSeq++
		p.activeAt = s.activeSeq
	}
}

// neighborLocked is the pane select-pane -L/-R/-U/-D moves to from p, as
// tmux's window_pane_choose_best: of the panes beside p, the one active
// most recently; when none of them has been active yet, the one beside the
// middle of p's edge (layout.Tree.Neighbor).
func (w *Window) neighborLocked(p *Pane, side layout.Side) *Pane {
	var best *Pane
	var bestAt uint64
	for _, id := range w.tree.Neighbors(paneID(p), side) {
		if n := w.panes[int(id)]; n != nil && n.activeAt > bestAt {
			best, bestAt = n, n.activeAt
		}
	}
	if best != nil {
		return best
	}
	if id, ok := w.tree.Neighbor(paneID(p), side); ok {
		return w.panes[int(id)]
	}
	return nil
}

// applyLayoutLocked gives every pane the size its cell has: the zoomed pane
// the whole window, the others their place in the layout underneath.
func (w *Window) applyLayoutLocked() {
	zoomed, isZoomed := w.tree.Zoomed()
	ww, wh := w.tree.WindowSize()
	for _, r := range w.tree.LayoutRects() {
		p := w.panes[int(r.Pane)]
		if p == nil {
			continue
		}
		if isZoomed && r.Pane == zoomed {
			p.resize(ww, wh)
		} else {
			p.resize(r.W, r.H)
		}
	}
}
