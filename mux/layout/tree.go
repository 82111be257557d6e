package layout

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// PaneID names a pane. The caller chooses the values (the daemon uses its
// pane numbers, tmux's %N); the tree only compares them. Layout strings
// print them in decimal.
type PaneID int

// MaxSize bounds a window's width and height in cells, as tmux's
// WINDOW_MAXIMUM does; larger sizes are clamped. It also keeps every size
// product in this package far from overflow.
const MaxSize = 10000

// Errors returned by Tree methods, wrapped with the pane in question.
var (
	ErrUnknownPane   = errors.New("layout: no such pane")
	ErrDuplicatePane = errors.New("layout: pane already in layout")
	// ErrNoSpace is tmux's "no space for new pane": the target is narrower
	// (or shorter) than two 1-cell panes and a border.
	ErrNoSpace = errors.New("layout: no space for new pane")
	// ErrLastPane: a window always has at least one pane; the daemon closes
	// the window instead.
	ErrLastPane = errors.New("layout: cannot remove the last pane")
	// ErrOnePane: tmux refuses to zoom a window with a single pane.
	ErrOnePane = errors.New("layout: cannot zoom the only pane")
)

// Dir is the orientation of a split.
type Dir int

const (
	// Horizontal puts children side by side, left to right, with │ borders
	// between them (tmux split-window -h, LAYOUT_LEFTRIGHT, "{…}").
	Horizontal Dir = iota + 1
	// Vertical stacks children top to bottom with ─ borders (split-window
	// -v, LAYOUT_TOPBOTTOM, "[…]").
	Vertical
)

func (d Dir) String() string {
	switch d {
	case Horizontal:
		return "horizontal"
	case Vertical:
		return "vertical"
	}
	return "Dir(" + strconv.Itoa(int(d)) + ")"
}

// Side is a direction from a pane: select-pane and resize-pane -L/-R/-U/-D.
type Side int

const (
	Left Side = iota + 1
	Right
	Up
	Down
)

func (s Side) String() string {
	switch s {
	case Left:
		return "left"
	case Right:
		return "right"
	case Up:
		return "up"
	case Down:
		return "down"
	}
	return "Side(" + strconv.Itoa(int(s)) + ")"
}

// dir is the split orientation whose borders a move towards s crosses.
func (s Side) dir() Dir {
	if s == Left || s == Right {
		return Horizontal
	}
	return Vertical
}

// Size is a requested size along a split's axis. The zero Size means "the
// default": half for Split, an equal share of what is left for a layout
// file's unsized pane.
type Size struct {
	N       int  // cells, or a percentage when Percent is set
	Percent bool // N is a percentage of the space being divided
}

// Cells returns a Size of n cells.
func Cells(n int) Size { return Size{N: n} }

// Percent returns a Size of n percent.
func Percent(n int) Size { return Size{N: n, Percent: true} }

// IsZero reports whether s is the default size.
func (s Size) IsZero() bool { return s == Size{} }

// Of resolves s against total cells; the zero Size resolves to def.
func (s Size) Of(total, def int) int {
	switch {
	case s.IsZero():
		return def
	case s.Percent:
		return total * s.N / 100
	}
	return s.N
}

// String formats s as a layout file writes it: "60%", "30", or "" for the
// default.
func (s Size) String() string {
	switch {
	case s.IsZero():
		return ""
	case s.Percent:
		return strconv.Itoa(s.N) + "%"
	}
	return strconv.Itoa(s.N)
}

// ParseSize reads "60%" or "30" (tmux's -l argument). Zero and negative
// sizes and percentages above 100 are errors.
func ParseSize(s string) (Size, error) {
	num, pct := strings.CutSuffix(strings.TrimSpace(s), "%")
	n, err := strconv.Atoi(num)
	if err != nil || n <= 0 || n > MaxSize || (pct && n > 100) || num != strings.TrimSpace(num) || strings.HasPrefix(num, "+") {
		return Size{}, fmt.Errorf("layout: %q must be a percentage like 60%% or a cell count like 30", s)
	}
	return Size{N: n, Percent: pct}, nil
}

// Rect is an area of cells: columns X to X+W-1, rows Y to Y+H-1.
type Rect struct{ X, Y, W, H int }

// Contains reports whether the cell (x, y) is inside r.
func (r Rect) Contains(x, y int) bool {
	return x >= r.X && x < r.X+r.W && y >= r.Y && y < r.Y+r.H
}

// Surrounds reports whether (x, y) lies on the one-cell ring just outside r,
// corners included: the border cells that belong to a pane, which the
// composer draws in the active colour for the active pane (tmux's
// screen_redraw_check_is).
func (r Rect) Surrounds(x, y int) bool {
	outer := Rect{r.X - 1, r.Y - 1, r.W + 2, r.H + 2}
	return outer.Contains(x, y) && !r.Contains(x, y)
}

// PaneRect is a pane and where it is drawn.
type PaneRect struct {
	Pane PaneID
	Rect
}

type kind uint8

const (
	leaf kind = iota
	hsplit
	vsplit
)

func (k kind) dir() Dir {
	if k == hsplit {
		return Horizontal
	}
	return Vertical
}

func splitKind(d Dir) kind {
	if d == Horizontal {
		return hsplit
	}
	return vsplit
}

// node is a layout cell: a pane (leaf) or a split of two or more children.
type node struct {
	parent     *node
	kind       kind
	pane       PaneID // leaf only
	x, y, w, h int
	children   []*node
}

func (n *node) rect() Rect { return Rect{n.x, n.y, n.w, n.h} }

// extent is the node's size along d.
func (n *node) extent(d Dir) int {
	if d == Horizontal {
		return n.w
	}
	return n.h
}

func (n *node) index() int {
	for i, c := range n.parent.children {
		if c == n {
			return i
		}
	}
	panic("layout: node not among its parent's children")
}

// min is the smallest size n can take along d: 1 per pane plus the borders
// of every split running along d.
func (n *node) min(d Dir) int {
	switch {
	case n.kind == leaf:
		return 1
	case n.kind.dir() == d:
		m := len(n.children) - 1
		for _, c := range n.children {
			m += c.min(d)
		}
		return m
	}
	m := 1
	for _, c := range n.children {
		m = max(m, c.min(d))
	}
	return m
}

// resize gives n the size w x h, sharing the change among descendants in
// proportion to their current sizes and never below their minimums. The
// caller guarantees w and h are at least n's minimums. Offsets are fixed
// separately by place.
func (n *node) resize(w, h int) {
	n.w, n.h = w, h
	if n.kind == leaf {
		return
	}
	d := n.kind.dir()
	cur := make([]int, len(n.children))
	mins := make([]int, len(n.children))
	for i, c := range n.children {
		cur[i], mins[i] = c.extent(d), c.min(d)
	}
	sizes := distribute(cur, mins, n.extent(d)-(len(n.children)-1))
	for i, c := range n.children {
		if d == Horizontal {
			c.resize(sizes[i], h)
		} else {
			c.resize(w, sizes[i])
		}
	}
}

// setExtent resizes n along d only.
func (n *node) setExtent(d Dir, size int) {
	if d == Horizontal {
		n.resize(size, n.h)
	} else {
		n.resize(n.w, size)
	}
}

// place sets offsets below n from n's own, as tmux's layout_fix_offsets.
func (n *node) place(x, y int) {
	n.x, n.y = x, y
	for _, c := range n.children {
		c.place(x, y)
		if n.kind == hsplit {
			x += c.w + 1
		} else {
			y += c.h + 1
		}
	}
}

// distribute shares total cells among children whose sizes are now cur, in
// proportion to cur, giving none less than its minimum. Children whose
// proportional share would fall below their minimum are pinned to it and the
// rest re-shared; the rounding remainder goes to the largest fractions,
// earliest first (Hamilton's method), so distribute(cur, _, sum(cur))
// returns cur unchanged.
func distribute(cur, mins []int, total int) []int {
	n := len(cur)
	out := make([]int, n)
	pinned := make([]bool, n)
	for range n + 1 {
		free, weight := total, 0
		for i := range n {
			if pinned[i] {
				free -= mins[i]
			} else {
				weight += cur[i]
			}
		}
		changed := false
		for i := range n {
			if !pinned[i] && (weight == 0 || free*cur[i]/weight < mins[i]) {
				pinned[i], out[i], changed = true, mins[i], true
			}
		}
		if !changed {
			break
		}
	}
	free, weight := total, 0
	for i := range n {
		if pinned[i] {
			free -= mins[i]
		} else {
			weight += cur[i]
		}
	}
	if weight == 0 {
		// Every child is at its minimum; only possible when total is
		// exactly the sum of minimums, but never lose cells.
		out[n-1] += free
		return out
	}
	left := free
	frac := make([]int, n)
	for i := range n {
		if !pinned[i] {
			out[i] = free * cur[i] / weight
			frac[i] = free * cur[i] % weight
			left -= out[i]
		}
	}
	for ; left > 0; left-- {
		best := -1
		for i := range n {
			if !pinned[i] && (best < 0 || frac[i] > frac[best]) {
				best = i
			}
		}
		out[best]++
		frac[best] = -1
	}
	return out
}

// Tree is a window's layout. The zero Tree is not usable; call New or Parse.
type Tree struct {
	w, h   int // the window's size
	root   *node
	panes  map[PaneID]*node
	zoomed bool
	zoom   PaneID
}

// New returns the layout of a w x h window holding the single pane first.
func New(w, h int, first PaneID) *Tree {
	w, h = clampSize(w), clampSize(h)
	root := &node{kind: leaf, pane: first, w: w, h: h}
	return &Tree{w: w, h: h, root: root, panes: map[PaneID]*node{first: root}}
}

func clampSize(n int) int { return min(max(n, 1), MaxSize) }

// Clone returns an independent copy of t.
func (t *Tree) Clone() *Tree {
	c := &Tree{w: t.w, h: t.h, zoomed: t.zoomed, zoom: t.zoom, panes: make(map[PaneID]*node, len(t.panes))}
	var cp func(n, parent *node) *node
	cp = func(n, parent *node) *node {
		m := &node{parent: parent, kind: n.kind, pane: n.pane, x: n.x, y: n.y, w: n.w, h: n.h}
		if n.kind == leaf {
			c.panes[n.pane] = m
		}
		for _, ch := range n.children {
			m.children = append(m.children, cp(ch, m))
		}
		return m
	}
	c.root = cp(t.root, nil)
	return c
}

// WindowSize is the size last given to New or Resize.
func (t *Tree) WindowSize() (w, h int) { return t.w, t.h }

// Size is the layout's size: the window's, or larger along an axis where the
// window cannot fit every pane at 1 cell plus borders.
func (t *Tree) Size() (w, h int) { return t.root.w, t.root.h }

// MinSize is the smallest window that shows every pane.
func (t *Tree) MinSize() (w, h int) { return t.root.min(Horizontal), t.root.min(Vertical) }

// Len is the number of panes.
func (t *Tree) Len() int { return len(t.panes) }

// Has reports whether p is in the layout.
func (t *Tree) Has(p PaneID) bool { return t.panes[p] != nil }

// fit restores the size invariant after a structural change: the layout is
// the window's size, or its own minimum where that is larger.
func (t *Tree) fit() {
	w := max(t.w, t.root.min(Horizontal))
	h := max(t.h, t.root.min(Vertical))
	if w != t.root.w || h != t.root.h {
		t.root.resize(w, h)
	}
	t.root.place(0, 0)
}

// Resize changes the window's size. Every split shares the change in
// proportion to its children's sizes, so a 60/40 split stays 60/40 (tmux
// adds or removes cells round-robin instead); no pane shrinks below 1x1.
// Zoom is kept.
func (t *Tree) Resize(w, h int) {
	t.w, t.h = clampSize(w), clampSize(h)
	t.fit()
}

// Panes returns the panes in tmux's pane index order: depth first, left to
// right, top to bottom.
func (t *Tree) Panes() []PaneID {
	out := make([]PaneID, 0, len(t.panes))
	t.walk(t.root, func(n *node) { out = append(out, n.pane) })
	return out
}

func (t *Tree) walk(n *node, f func(*node)) {
	if n.kind == leaf {
		f(n)
		return
	}
	for _, c := range n.children {
		t.walk(c, f)
	}
}

// Rects returns where each visible pane is drawn, in pane order. A zoomed
// window shows only its zoomed pane, over the whole window.
func (t *Tree) Rects() []PaneRect {
	if t.zoomed {
		return []PaneRect{{t.zoom, Rect{0, 0, t.w, t.h}}}
	}
	return t.LayoutRects()
}

// AppendRects is Rects appending to dst, for a caller that reuses its
// slice (a client composes a frame per keystroke).
func (t *Tree) AppendRects(dst []PaneRect) []PaneRect {
	if t.zoomed {
		return append(dst, PaneRect{t.zoom, Rect{0, 0, t.w, t.h}})
	}
	return t.appendLayoutRects(dst)
}

// LayoutRects is Rects ignoring zoom: where each pane sits in the layout.
func (t *Tree) LayoutRects() []PaneRect {
	return t.appendLayoutRects(make([]PaneRect, 0, len(t.panes)))
}

func (t *Tree) appendLayoutRects(dst []PaneRect) []PaneRect {
	t.walk(t.root, func(n *node) { dst = append(dst, PaneRect{n.pane, n.rect()}) })
	return dst
}

// Rect returns where p sits in the layout (ignoring zoom).
func (t *Tree) Rect(p PaneID) (Rect, bool) {
	n := t.panes[p]
	if n == nil {
		return Rect{}, false
	}
	return n.rect(), true
}

func (t *Tree) leaf(p PaneID) (*node, error) {
	n := t.panes[p]
	if n == nil {
		return nil, fmt.Errorf("%w: %d", ErrUnknownPane, p)
	}
	return n, nil
}

// Split divides target's cell between target and newPane along dir, as
// split-window: Horizontal puts newPane to the right (to the left when
// before is set), Vertical below (above). size is newPane's size: cells, a
// percentage of target's size along dir (tmux -l N, -p N), or the zero Size
// for half, with the extra cell going to the left or top pane as tmux does.
// Sizes are clamped so that both panes keep at least one cell; a target
// smaller than 3 cells along dir gives ErrNoSpace. If target's parent
// already splits along dir, newPane becomes its sibling; otherwise a new
// split replaces target. Split unzooms.
func (t *Tree) Split(target PaneID, dir Dir, newPane PaneID, size Size, before bool) error {
	lc, err := t.leaf(target)
	if err != nil {
		return err
	}
	return t.split(lc, dir, newPane, size, before)
}

// SplitWindow splits the whole window instead of one pane, as tmux's
// split-window -f: newPane gets a full-width (or full-height) cell at the
// right (bottom), or the left (top) when before is set. A percentage is of
// the window's size.
func (t *Tree) SplitWindow(dir Dir, newPane PaneID, size Size, before bool) error {
	return t.split(t.root, dir, newPane, size, before)
}

func (t *Tree) split(lc *node, dir Dir, newPane PaneID, size Size, before bool) error {
	if dir != Horizontal && dir != Vertical {
		return fmt.Errorf("layout: bad split direction %d", dir)
	}
	if t.panes[newPane] != nil {
		return fmt.Errorf("%w: %d", ErrDuplicatePane, newPane)
	}
	if lc == t.root && lc.kind == splitKind(dir) {
		// A full-size split of a root that already runs along dir adds a
		// child at its end; the new cell takes its size from the others.
		return t.splitRootSibling(dir, newPane, size, before)
	}
	ext := lc.extent(dir)
	if ext < 3 {
		return fmt.Errorf("%w: %d", ErrNoSpace, newPane)
	}
	// The new cell's size, and the remainder for the old one; the zero
	// Size is tmux's half, which favours the left or top cell.
	var first, second int // left/top, right/bottom
	if size.IsZero() {
		second = (ext+1)/2 - 1
		first = ext - 1 - second
	} else {
		n := min(max(size.Of(ext, 0), 1), ext-2)
		if before {
			first, second = n, ext-1-n
		} else {
			first, second = ext-1-n, n
		}
	}
	// The old cell may be a split (SplitWindow) whose minimum along dir
	// exceeds what is left to it.
	oldSize := first
	if before {
		oldSize = second
	}
	if oldSize < lc.min(dir) {
		return fmt.Errorf("%w: %d", ErrNoSpace, newPane)
	}
	t.unzoom()
	nw := &node{kind: leaf, pane: newPane}
	if p := lc.parent; p != nil && p.kind == splitKind(dir) {
		i := lc.index()
		if !before {
			i++
		}
		nw.parent = p
		p.children = insert(p.children, i, nw)
	} else {
		parent := &node{parent: lc.parent, kind: splitKind(dir), x: lc.x, y: lc.y, w: lc.w, h: lc.h}
		if lc.parent == nil {
			t.root = parent
		} else {
			lc.parent.children[lc.index()] = parent
		}
		lc.parent, nw.parent = parent, parent
		parent.children = []*node{lc, nw}
		if before {
			parent.children = []*node{nw, lc}
		}
	}
	a, b := lc, nw
	if before {
		a, b = nw, lc
	}
	if dir == Horizontal {
		a.resize(first, lc.h)
		b.resize(second, lc.h)
	} else {
		a.resize(lc.w, first)
		b.resize(lc.w, second)
	}
	t.panes[newPane] = nw
	t.fit()
	return nil
}

func (t *Tree) splitRootSibling(dir Dir, newPane PaneID, size Size, before bool) error {
	r := t.root
	ext := r.extent(dir)
	n := size.Of(ext, 0)
	if size.IsZero() {
		n = (ext+1)/2 - 1
	}
	n = max(n, 1)
	rest := ext - 1 - n
	if rest < r.min(dir) {
		rest = r.min(dir)
		n = ext - 1 - rest
		if n < 1 {
			return fmt.Errorf("%w: %d", ErrNoSpace, newPane)
		}
	}
	t.unzoom()
	// Shrink the existing children proportionally into rest, then add.
	r.setExtent(dir, rest)
	nw := &node{parent: r, kind: leaf, pane: newPane}
	if dir == Horizontal {
		nw.resize(n, r.h)
	} else {
		nw.resize(r.w, n)
	}
	if before {
		r.children = insert(r.children, 0, nw)
	} else {
		r.children = append(r.children, nw)
	}
	if dir == Horizontal {
		r.w = ext
	} else {
		r.h = ext
	}
	t.panes[newPane] = nw
	t.fit()
	return nil
}

func insert(s []*node, i int, n *node) []*node {
	s = append(s, nil)
	copy(s[i+1:], s[i:])
	s[i] = n
	return s
}

// Remove closes p's cell. Its space goes to the sibling before it, or after
// it when p is first (tmux's layout_destroy_cell), and a split left with one
// child is replaced by that child. Removing the zoomed pane unzooms.
func (t *Tree) Remove(p PaneID) error {
	lc, err := t.leaf(p)
	if err != nil {
		return err
	}
	if lc.parent == nil {
		return ErrLastPane
	}
	if t.zoomed && t.zoom == p {
		t.zoomed = false
	}
	parent := lc.parent
	d := parent.kind.dir()
	i := lc.index()
	other := i - 1
	if i == 0 {
		other = 1
	}
	sib := parent.children[other]
	sib.setExtent(d, sib.extent(d)+lc.extent(d)+1)
	parent.children = append(parent.children[:i], parent.children[i+1:]...)
	delete(t.panes, p)
	if len(parent.children) == 1 {
		only := parent.children[0]
		only.parent = parent.parent
		if parent.parent == nil {
			t.root = only
		} else {
			parent.parent.children[parent.index()] = only
		}
	}
	t.fit()
	return nil
}

// Swap exchanges the cells of a and b (swap-pane). It unzooms.
func (t *Tree) Swap(a, b PaneID) error {
	na, err := t.leaf(a)
	if err != nil {
		return err
	}
	nb, err := t.leaf(b)
	if err != nil {
		return err
	}
	t.unzoom()
	na.pane, nb.pane = b, a
	t.panes[a], t.panes[b] = nb, na
	return nil
}

// Zoom shows p alone over the whole window (resize-pane -Z) until Unzoom or
// a structural change. The layout underneath keeps its sizes.
func (t *Tree) Zoom(p PaneID) error {
	if _, err := t.leaf(p); err != nil {
		return err
	}
	if len(t.panes) == 1 {
		return ErrOnePane
	}
	t.zoomed, t.zoom = true, p
	return nil
}

// Unzoom ends a zoom; it is a no-op when nothing is zoomed.
func (t *Tree) Unzoom() { t.unzoom() }

func (t *Tree) unzoom() { t.zoomed = false }

// Zoomed returns the zoomed pane, if any.
func (t *Tree) Zoomed() (PaneID, bool) { return t.zoom, t.zoomed }

// ResizePane moves one border of p by n cells towards side, as tmux's
// resize-pane -L/-R/-U/-D n: the border is the one after p's cell in the
// nearest enclosing split that runs that way, or the one before it when p's
// cell is last. Cells beyond the border shrink nearest first, down to their
// minimum, so a large n pushes further borders along (tmux's
// layout_resize_pane_grow and _shrink); the move stops where nothing can
// shrink. A pane with no such border is left alone. It returns how many
// cells the border moved. It unzooms.
func (t *Tree) ResizePane(p PaneID, side Side, n int) (int, error) {
	lc, err := t.leaf(p)
	if err != nil {
		return 0, err
	}
	if side < Left || side > Down {
		return 0, fmt.Errorf("layout: bad side %d", side)
	}
	t.unzoom()
	d := side.dir()
	for lc.parent != nil && lc.parent.kind != splitKind(d) {
		lc = lc.parent
	}
	if lc.parent == nil || n <= 0 {
		return 0, nil
	}
	i := lc.index()
	if i == len(lc.parent.children)-1 {
		i--
	}
	delta := min(n, MaxSize)
	if side == Left || side == Up {
		delta = -delta
	}
	moved := moveBorder(lc.parent, i, delta, true)
	t.root.place(0, 0)
	return moved, nil
}

// ResizePaneTo makes the cell holding p size cells along d (resize-pane -x
// or -y), by moving its border as ResizePane does. As in tmux the cell is
// that of the nearest split running along d, which is p itself unless p
// sits in a split across d.
func (t *Tree) ResizePaneTo(p PaneID, d Dir, size int) error {
	lc, err := t.leaf(p)
	if err != nil {
		return err
	}
	t.unzoom()
	for lc.parent != nil && lc.parent.kind != splitKind(d) {
		lc = lc.parent
	}
	if lc.parent == nil {
		return nil
	}
	size = min(max(size, 1), MaxSize)
	i := lc.index()
	change := size - lc.extent(d)
	if i == len(lc.parent.children)-1 {
		i--
		change = -change
	}
	moveBorder(lc.parent, i, change, true)
	t.root.place(0, 0)
	return nil
}

// moveBorder moves the border after parent's child i by delta cells
// (positive: right or down), shrinking cells beyond it nearest first, and
// returns how far child i's far edge moved. With opposite set, a positive
// move that runs out of room beyond the border grows child i from its other
// side instead, shrinking the cells before it (tmux's resize-pane does
// this; a mouse drag does not).
func moveBorder(parent *node, i, delta int, opposite bool) int {
	d := parent.kind.dir()
	cs := parent.children
	take := func(j, need int) int {
		c := cs[j]
		n := min(need, c.extent(d)-c.min(d))
		if n > 0 {
			c.setExtent(d, c.extent(d)-n)
			return n
		}
		return 0
	}
	grow := func(j, n int) { cs[j].setExtent(d, cs[j].extent(d)+n) }
	if delta < 0 {
		need := -delta
		for j := i; j >= 0 && need > 0; j-- {
			need -= take(j, need)
		}
		grow(i+1, -delta-need)
		return -delta - need
	}
	need := delta
	for j := i + 1; j < len(cs) && need > 0; j++ {
		need -= take(j, need)
	}
	moved := delta - need
	for j := i - 1; opposite && j >= 0 && need > 0; j-- {
		need -= take(j, need)
	}
	grow(i, delta-need)
	return moved
}

// PaneAt returns the visible pane drawn at (x, y), if any.
func (t *Tree) PaneAt(x, y int) (PaneID, bool) {
	for _, r := range t.Rects() {
		if r.Contains(x, y) {
			return r.Pane, true
		}
	}
	return 0, false
}

// Border is the one-cell gap between two adjacent children of a split: a
// vertical line (│) at column X between side-by-side children, or a
// horizontal line (─) at row Y between stacked ones. It starts at (X, Y) and
// is Len cells long.
type Border struct {
	Vertical bool
	X, Y     int
	Len      int
}

// Cells calls f for each cell of b.
func (b Border) Cells(f func(x, y int)) {
	for i := range b.Len {
		if b.Vertical {
			f(b.X, b.Y+i)
		} else {
			f(b.X+i, b.Y)
		}
	}
}

// Borders returns every border line of the visible layout, outermost splits
// first; together they cover exactly the cells that are in no pane. A zoomed
// window has none.
func (t *Tree) Borders() []Border {
	if t.zoomed {
		return nil
	}
	var out []Border
	var rec func(n *node)
	rec = func(n *node) {
		for i, c := range n.children {
			if i < len(n.children)-1 {
				out = append(out, gap(n, c))
			}
		}
		for _, c := range n.children {
			rec(c)
		}
	}
	rec(t.root)
	return out
}

// gap is the border just after child c of n.
func gap(n, c *node) Border {
	if n.kind == hsplit {
		return Border{Vertical: true, X: c.x + c.w, Y: n.y, Len: n.h}
	}
	return Border{X: n.x, Y: c.y + c.h, Len: n.w}
}

// IsBorder reports whether (x, y) is a border cell of the visible layout.
func (t *Tree) IsBorder(x, y int) bool {
	_, _, ok := t.borderAt(x, y)
	return ok && !t.zoomed
}

// Arms says which of a border cell's four neighbours are border cells too,
// which picks its line-drawing glyph (│ ─ ├ ┤ ┬ ┴ ┼).
type Arms uint8

const (
	ArmUp Arms = 1 << iota
	ArmDown
	ArmLeft
	ArmRight
)

// ArmsAt returns the arms of the border cell at (x, y), or 0 when (x, y) is
// not a border cell.
func (t *Tree) ArmsAt(x, y int) Arms {
	if !t.IsBorder(x, y) {
		return 0
	}
	var a Arms
	if t.IsBorder(x, y-1) {
		a |= ArmUp
	}
	if t.IsBorder(x, y+1) {
		a |= ArmDown
	}
	if t.IsBorder(x-1, y) {
		a |= ArmLeft
	}
	if t.IsBorder(x+1, y) {
		a |= ArmRight
	}
	return a
}

// borderAt finds the split whose gap holds (x, y) and the child before it.
func (t *Tree) borderAt(x, y int) (*node, int, bool) {
	n := t.root
	if !n.rect().Contains(x, y) {
		return nil, 0, false
	}
	for n.kind != leaf {
		next := -1
		for i, c := range n.children {
			if c.rect().Contains(x, y) {
				next = i
				break
			}
		}
		if next < 0 {
			for i, c := range n.children[:len(n.children)-1] {
				b := gap(n, c)
				if (b.Vertical && x == b.X) || (!b.Vertical && y == b.Y) {
					return n, i, true
				}
			}
			return nil, 0, false
		}
		n = n.children[next]
	}
	return nil, 0, false
}

// BorderAt returns the border line that the cell (x, y) belongs to, for a
// mouse press that starts a drag.
func (t *Tree) BorderAt(x, y int) (Border, bool) {
	if t.zoomed {
		return Border{}, false
	}
	n, i, ok := t.borderAt(x, y)
	if !ok {
		return Border{}, false
	}
	return gap(n, n.children[i]), true
}

// DragBorder moves border b (from BorderAt or a previous DragBorder) so
// that it sits at column to (a vertical border) or row to (a horizontal
// one), as far as the panes' minimums allow, and returns where b now is.
// It reports false when b no longer names a border.
func (t *Tree) DragBorder(b Border, to int) (Border, bool) {
	if t.zoomed {
		return b, false
	}
	n, i, ok := t.borderAt(b.X, b.Y)
	if !ok || gap(n, n.children[i]) != b {
		return b, false
	}
	pos := b.Y
	if b.Vertical {
		pos = b.X
	}
	moveBorder(n, i, max(min(to-pos, MaxSize), -MaxSize), false)
	t.root.place(0, 0)
	return gap(n, n.children[i]), true
}

// Neighbors returns, in pane order, the panes that select-pane -L/-R/-U/-D
// considers from p: those whose far edge meets p's near edge across one
// border and whose span overlaps p's. Like tmux it wraps: from a pane at the
// left edge, Left looks at the panes touching the right edge. Zoom is
// ignored: the daemon unzooms (or moves the zoom) as tmux does.
func (t *Tree) Neighbors(p PaneID, side Side) []PaneID {
	lc := t.panes[p]
	if lc == nil {
		return nil
	}
	r := lc.rect()
	var out []PaneID
	lw, lh := t.Size()
	t.walk(t.root, func(n *node) {
		if n == lc {
			return
		}
		q := n.rect()
		var touch, overlap bool
		switch side {
		case Left:
			touch = q.X+q.W+1 == r.X || (r.X == 0 && q.X+q.W == lw)
		case Right:
			touch = q.X == r.X+r.W+1 || (r.X+r.W == lw && q.X == 0)
		case Up:
			touch = q.Y+q.H+1 == r.Y || (r.Y == 0 && q.Y+q.H == lh)
		case Down:
			touch = q.Y == r.Y+r.H+1 || (r.Y+r.H == lh && q.Y == 0)
		}
		if side == Left || side == Right {
			overlap = q.Y < r.Y+r.H && r.Y < q.Y+q.H
		} else {
			overlap = q.X < r.X+r.W && r.X < q.X+q.W
		}
		if touch && overlap {
			out = append(out, n.pane)
		}
	})
	return out
}

// Neighbor picks the pane that select-pane -L/-R/-U/-D moves to from p: of
// Neighbors, the one beside the middle of p's edge, else the one sharing
// most of it. (tmux prefers the most recently active candidate; a caller
// that tracks activity can choose among Neighbors itself.)
func (t *Tree) Neighbor(p PaneID, side Side) (PaneID, bool) {
	cands := t.Neighbors(p, side)
	if len(cands) == 0 {
		return 0, false
	}
	r := t.panes[p].rect()
	best, bestOverlap := cands[0], -1
	for _, c := range cands {
		q := t.panes[c].rect()
		var lo, hi, mid int
		if side == Left || side == Right {
			lo, hi, mid = max(q.Y, r.Y), min(q.Y+q.H, r.Y+r.H), r.Y+(r.H-1)/2
			if q.Y <= mid && mid < q.Y+q.H {
				return c, true
			}
		} else {
			lo, hi, mid = max(q.X, r.X), min(q.X+q.W, r.X+r.W), r.X+(r.W-1)/2
			if q.X <= mid && mid < q.X+q.W {
				return c, true
			}
		}
		if hi-lo > bestOverlap {
			best, bestOverlap = c, hi-lo
		}
	}
	return best, true
}
