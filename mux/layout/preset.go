package layout

import (
	"fmt"
	"slices"
	"strconv"
)

// Preset is one of tmux's named arrangements (select-layout NAME), rebuilt
// from scratch over the panes in pane order. The algorithms are those of
// tmux 3.3's layout-set.c.
type Preset int

const (
	// EvenHorizontal puts every pane side by side in equal widths.
	EvenHorizontal Preset = iota + 1
	// EvenVertical stacks every pane in equal heights.
	EvenVertical
	// MainHorizontal puts the first pane across the top, main-pane-height
	// rows high, and the others side by side below it.
	MainHorizontal
	// MainVertical puts the first pane on the left, main-pane-width
	// columns wide, and stacks the others to its right.
	MainVertical
	// Tiled arranges the panes in a grid of rows and columns as nearly
	// square as tmux makes it (rows grow first).
	Tiled
)

var presetNames = [...]string{
	EvenHorizontal: "even-horizontal",
	EvenVertical:   "even-vertical",
	MainHorizontal: "main-horizontal",
	MainVertical:   "main-vertical",
	Tiled:          "tiled",
}

func (p Preset) String() string {
	if p >= EvenHorizontal && p <= Tiled {
		return presetNames[p]
	}
	return "Preset(" + strconv.Itoa(int(p)) + ")"
}

// ParsePreset reads a select-layout name.
func ParsePreset(name string) (Preset, error) {
	for p := EvenHorizontal; p <= Tiled; p++ {
		if presetNames[p] == name {
			return p, nil
		}
	}
	return 0, fmt.Errorf("layout: unknown layout %q (want even-horizontal, even-vertical, main-horizontal, main-vertical or tiled)", name)
}

// PresetOptions are tmux's window options that shape the main-* presets.
// A zero Size means tmux's default: main-pane-width 80, main-pane-height
// 24, and for the other panes whatever the main pane leaves. Percentages
// are of the window's size less one border.
type PresetOptions struct {
	MainPaneWidth, MainPaneHeight   Size
	OtherPaneWidth, OtherPaneHeight Size
}

// Apply rearranges the panes into preset p with tmux's default options.
func (t *Tree) Apply(p Preset) error { return t.ApplyWith(p, PresetOptions{}) }

// ApplyWith rearranges the panes into preset p. A single pane is left
// alone. It unzooms.
func (t *Tree) ApplyWith(p Preset, o PresetOptions) error {
	if p < EvenHorizontal || p > Tiled {
		return fmt.Errorf("layout: unknown preset %d", p)
	}
	panes := t.Panes()
	if len(panes) <= 1 {
		return nil
	}
	t.unzoom()
	var root *node
	switch p {
	case EvenHorizontal:
		root = t.even(panes, Horizontal)
	case EvenVertical:
		root = t.even(panes, Vertical)
	case MainHorizontal:
		root = t.main(panes, Vertical, o.MainPaneHeight, o.OtherPaneHeight, 24)
	case MainVertical:
		root = t.main(panes, Horizontal, o.MainPaneWidth, o.OtherPaneWidth, 80)
	case Tiled:
		root = t.tiled(panes)
	}
	t.root = root
	t.panes = make(map[PaneID]*node, len(panes))
	t.walk(root, func(n *node) { t.panes[n.pane] = n })
	t.fit()
	return nil
}

// build makes a split of kind k from children and sizes along it, with the
// given size across it.
func build(k kind, children []*node, sizes []int, across int) *node {
	n := &node{kind: k, children: slices.Clone(children)}
	total := len(children) - 1
	for i, c := range n.children {
		c.parent = n
		if k == hsplit {
			c.resize(sizes[i], across)
		} else {
			c.resize(across, sizes[i])
		}
		total += sizes[i]
	}
	if k == hsplit {
		n.w, n.h = total, across
	} else {
		n.w, n.h = across, total
	}
	return n
}

func leaves(panes []PaneID) []*node {
	out := make([]*node, len(panes))
	for i, p := range panes {
		out[i] = &node{kind: leaf, pane: p, w: 1, h: 1}
	}
	return out
}

// spread is tmux's layout_spread_cell: equal shares of size with the
// remainder to the last.
func spread(n, size int) []int {
	each := (size - (n - 1)) / n
	out := make([]int, n)
	for i := range out {
		out[i] = each
	}
	out[n-1] = size - (each+1)*(n-1)
	return out
}

func (t *Tree) even(panes []PaneID, d Dir) *node {
	n := len(panes)
	along, across := t.w, t.h
	if d == Vertical {
		along, across = t.h, t.w
	}
	along = max(along, 2*n-1)
	return build(splitKind(d), leaves(panes), spread(n, along), across)
}

// main is layout_set_main_h (d Vertical: main pane on top) and
// layout_set_main_v (d Horizontal: main pane on the left).
func (t *Tree) main(panes []PaneID, d Dir, mainOpt, otherOpt Size, def int) *node {
	n := len(panes) - 1 // the others
	along, across := t.w, t.h
	if d == Vertical {
		along, across = t.h, t.w
	}
	avail := along - 1 // one border
	mainSize := min(max(mainOpt.Of(avail, def), 0), avail)
	var other int
	if mainSize+1 >= avail {
		if avail <= 2 {
			mainSize = 1
		} else {
			mainSize = avail - 1
		}
		other = 1
	} else {
		other = min(max(otherOpt.Of(avail, 0), 0), avail)
		if other == 0 || avail-other < mainSize {
			other = avail - mainSize
		} else {
			mainSize = avail - other
		}
	}
	across = max(across, 2*n-1)
	ls := leaves(panes)
	var rest *node
	if n == 1 {
		rest = ls[1]
	} else {
		// The others run across the main pane's axis.
		rest = build(splitKind(otherDir(d)), ls[1:], spread(n, across), other)
	}
	return build(splitKind(d), []*node{ls[0], rest}, []int{mainSize, other}, across)
}

func otherDir(d Dir) Dir {
	if d == Horizontal {
		return Vertical
	}
	return Horizontal
}

// tiled is layout_set_tiled.
func (t *Tree) tiled(panes []PaneID) *node {
	n := len(panes)
	rows, cols := 1, 1
	for rows*cols < n {
		rows++
		if rows*cols < n {
			cols++
		}
	}
	width := max((t.w-(cols-1))/cols, 1)
	height := max((t.h-(rows-1))/rows, 1)
	sx := max((width+1)*cols-1, t.w)
	ls := leaves(panes)
	var rowNodes []*node
	var heights []int
	for j := 0; j < rows && len(ls) > 0; j++ {
		if len(ls) == 1 || cols == 1 {
			rowNodes = append(rowNodes, ls[0])
			ls = ls[1:]
		} else {
			k := min(cols, len(ls))
			widths := make([]int, k)
			for i := range widths {
				widths[i] = width
			}
			// The last column takes what the even columns leave.
			if used := k*(width+1) - 1; sx > used {
				widths[k-1] += sx - used
			}
			rowNodes = append(rowNodes, build(hsplit, ls[:k], widths, height))
			ls = ls[k:]
		}
		heights = append(heights, height)
	}
	if used := len(heights)*(height+1) - 1; t.h > used {
		heights[len(heights)-1] += t.h - used
	}
	return build(vsplit, rowNodes, heights, sx)
}
