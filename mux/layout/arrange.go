package layout

import (
	"errors"
	"fmt"
)

// ErrLayoutMismatch is returned by Restore when the saved layout no longer
// holds the tree's panes (one was added or closed since): tmux's "invalid
// layout" for select-layout -o.
var ErrLayoutMismatch = errors.New("layout: saved layout does not match the panes")

// Rotate moves every pane one cell along pane order, keeping the cells'
// sizes (tmux rotate-window). Up (rotate-window's default, -U) moves each
// pane to the cell before it and the first pane to the last cell; down
// (-D) moves each pane to the cell after it and the last to the first. It
// unzooms.
func (t *Tree) Rotate(down bool) {
	ids := t.Panes()
	if len(ids) < 2 {
		return
	}
	t.unzoom()
	if down {
		ids = append(ids[len(ids)-1:], ids[:len(ids)-1]...)
	} else {
		ids = append(ids[1:], ids[0])
	}
	i := 0
	t.walk(t.root, func(n *node) {
		n.pane = ids[i]
		t.panes[n.pane] = n
		i++
	})
}

// Spread makes the cells of the split that holds p equally large along the
// split (tmux select-layout -E, layout_spread_out): each gets (size − gaps)
// / count cells and the last the remainder. When they are equal already it
// tries the next enclosing split, up to the root. It reports whether
// anything changed. It unzooms when it does.
func (t *Tree) Spread(p PaneID) (bool, error) {
	lc, err := t.leaf(p)
	if err != nil {
		return false, err
	}
	for n := lc.parent; n != nil; n = n.parent {
		if t.spreadCell(n) {
			t.unzoom()
			t.root.place(0, 0)
			return true, nil
		}
	}
	return false, nil
}

// spreadCell evens out the children of split n; false when they are even
// already or the even sizes would break a child's minimum.
func (t *Tree) spreadCell(n *node) bool {
	d := n.kind.dir()
	count := len(n.children)
	size := n.extent(d)
	each := (size - (count - 1)) / count
	if count < 2 || each <= 0 {
		return false
	}
	sizes := make([]int, count)
	changed := false
	for i, c := range n.children {
		sizes[i] = each
		if i == count-1 {
			sizes[i] = size - (each+1)*(count-1)
		}
		if sizes[i] < c.min(d) {
			return false
		}
		if sizes[i] != c.extent(d) {
			changed = true
		}
	}
	if !changed {
		return false
	}
	for i, c := range n.children {
		c.setExtent(d, sizes[i])
	}
	return true
}

// Restore makes t the layout saved in old (a Clone taken before a change),
// fitted to t's window size: select-layout -o. The panes must be the same
// set; the zoom is dropped.
func (t *Tree) Restore(old *Tree) error {
	if old == nil || len(old.panes) != len(t.panes) {
		return ErrLayoutMismatch
	}
	for p := range t.panes {
		if old.panes[p] == nil {
			return ErrLayoutMismatch
		}
	}
	c := old.Clone()
	t.root, t.panes = c.root, c.panes
	t.unzoom()
	t.fit()
	return nil
}

// Next returns the preset after p in tmux's cycle (next-layout), from
// EvenHorizontal after the last and for no preset (0).
func (p Preset) Next() Preset {
	if p < EvenHorizontal || p >= Tiled {
		return EvenHorizontal
	}
	return p + 1
}

// Previous returns the preset before p (previous-layout): Tiled before the
// first and for no preset.
func (p Preset) Previous() Preset {
	if p <= EvenHorizontal || p > Tiled {
		return Tiled
	}
	return p - 1
}

// Adopt gives t the shape of o, a layout read by Parse (select-layout
// with a tmux layout string): t's panes take o's cells in pane order, and
// cells beyond t's panes are closed, as tmux does; fewer cells than panes
// is ErrLayoutMismatch. The shape is fitted to t's window size (tmux keeps
// the string's size and leaves the rest of the window empty). It unzooms.
func (t *Tree) Adopt(o *Tree) error {
	ids := t.Panes()
	c := o.Clone()
	cells := c.Panes()
	if len(cells) < len(ids) {
		return ErrLayoutMismatch
	}
	for i := len(cells) - 1; i >= len(ids); i-- {
		if err := c.Remove(cells[i]); err != nil {
			return err
		}
	}
	panes := make(map[PaneID]*node, len(ids))
	i := 0
	c.walk(c.root, func(n *node) {
		n.pane = ids[i]
		panes[n.pane] = n
		i++
	})
	t.root, t.panes = c.root, panes
	t.unzoom()
	t.fit()
	return nil
}

// Replace puts pane with in old's cell: old leaves the layout, with takes
// its place and size (swap-pane between two windows' layouts). with must
// not be in the layout already.
func (t *Tree) Replace(old, with PaneID) error {
	n, err := t.leaf(old)
	if err != nil {
		return err
	}
	if t.panes[with] != nil {
		return fmt.Errorf("%w: %d", ErrDuplicatePane, with)
	}
	delete(t.panes, old)
	n.pane = with
	t.panes[with] = n
	if t.zoomed && t.zoom == old {
		t.zoom = with
	}
	return nil
}
