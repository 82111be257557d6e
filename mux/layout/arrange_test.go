package layout_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/goshterm/gosh/mux/layout"
)

// The expected strings below were printed by tmux 3.3a (#{window_layout})
// after the same commands on an 80x24 window.

func TestRotateMatchesTmux(t *testing.T) {
	// split-window -h; split-window -v: %0 left, %1 top right, %2 below it.
	start := withSum("80x24,0,0{40x24,0,0,0,39x24,41,0[39x12,41,0,1,39x11,41,13,2]}")
	tr, err := layout.Parse(start)
	must(t, err)
	tr.Rotate(false) // rotate-window (-U)
	if got, want := tr.String(), "577f,80x24,0,0{40x24,0,0,1,39x24,41,0[39x12,41,0,2,39x11,41,13,0]}"; got != want {
		t.Errorf("rotate -U\n got  %s\n want %s", got, want)
	}
	tr.Rotate(true) // rotate-window -D undoes it
	if got := tr.String(); got != start {
		t.Errorf("rotate -D after -U\n got  %s\n want %s", got, start)
	}
	tr.Rotate(true)
	if got := tr.Panes(); !slices.Equal(got, []layout.PaneID{2, 0, 1}) {
		t.Errorf("rotate -D pane order %v, want the last pane first", got)
	}
	if r, _ := tr.Rect(2); r != (layout.Rect{X: 0, Y: 0, W: 40, H: 24}) {
		t.Errorf("rotated pane 2 sits at %+v, want the first cell", r)
	}
	must(t, tr.Zoom(1))
	tr.Rotate(false)
	if _, z := tr.Zoomed(); z {
		t.Error("rotate kept the zoom")
	}
	one := layout.New(80, 24, 7)
	one.Rotate(false)
	if got := one.Panes(); !slices.Equal(got, []layout.PaneID{7}) {
		t.Errorf("rotating one pane: %v", got)
	}
}

func TestSpreadMatchesTmux(t *testing.T) {
	// Three columns, the last split in two, the first widened: then
	// select-layout -E -t 0, then select-layout -E -t 3.
	tr, err := layout.Parse("8780,80x24,0,0{47x24,0,0,0,12x24,48,0,1,19x24,61,0[19x12,61,0,2,19x11,61,13,3]}")
	must(t, err)
	changed, err := tr.Spread(0)
	must(t, err)
	if got, want := tr.String(), "bfaa,80x24,0,0{26x24,0,0,0,26x24,27,0,1,26x24,54,0[26x12,54,0,2,26x11,54,13,3]}"; !changed || got != want {
		t.Errorf("spread -t 0 (changed %v)\n got  %s\n want %s", changed, got, want)
	}
	changed, err = tr.Spread(3)
	must(t, err)
	if got, want := tr.String(), "adea,80x24,0,0{26x24,0,0,0,26x24,27,0,1,26x24,54,0[26x11,54,0,2,26x12,54,12,3]}"; !changed || got != want {
		t.Errorf("spread -t 3 (changed %v)\n got  %s\n want %s", changed, got, want)
	}
	// Even already, all the way up: nothing to do.
	even, err := layout.Parse(withSum("80x24,0,0{19x24,0,0,4,19x24,20,0,5,19x24,40,0,6,20x24,60,0,7}"))
	must(t, err)
	if changed, err := even.Spread(5); err != nil || changed {
		t.Errorf("spread of an even layout: changed %v, %v", changed, err)
	}
	if _, err := even.Spread(99); !errors.Is(err, layout.ErrUnknownPane) {
		t.Errorf("spread of an unknown pane: %v", err)
	}
}

func TestRestore(t *testing.T) {
	tr, err := layout.Parse(withSum("80x24,0,0{19x24,0,0,4,19x24,20,0,5,19x24,40,0,6,20x24,60,0,7}"))
	must(t, err)
	old := tr.Clone()
	must(t, tr.Apply(layout.Tiled))
	must(t, tr.Restore(old))
	if got, want := tr.String(), old.String(); got != want {
		t.Errorf("restore\n got  %s\n want %s", got, want)
	}
	// The window shrank since: the saved layout is fitted to it.
	small := old.Clone()
	tr.Resize(40, 10)
	must(t, tr.Restore(small))
	if w, h := tr.Size(); w != 40 || h != 10 {
		t.Errorf("restored layout is %dx%d, want the window's 40x10", w, h)
	}
	must(t, tr.Split(7, layout.Vertical, 8, layout.Size{}, false))
	if err := tr.Restore(old); !errors.Is(err, layout.ErrLayoutMismatch) {
		t.Errorf("restore with a pane more: %v", err)
	}
}

func TestPresetCycle(t *testing.T) {
	// next-layout from a window that never had a preset starts at
	// even-horizontal; previous-layout at tiled; both wrap around.
	var p layout.Preset
	var seen []layout.Preset
	for range 6 {
		p = p.Next()
		seen = append(seen, p)
	}
	want := []layout.Preset{layout.EvenHorizontal, layout.EvenVertical, layout.MainHorizontal, layout.MainVertical, layout.Tiled, layout.EvenHorizontal}
	if !slices.Equal(seen, want) {
		t.Errorf("next cycle %v, want %v", seen, want)
	}
	if got := layout.Preset(0).Previous(); got != layout.Tiled {
		t.Errorf("previous of none = %v", got)
	}
	if got := layout.EvenHorizontal.Previous(); got != layout.Tiled {
		t.Errorf("previous of even-horizontal = %v", got)
	}
	if got := layout.Tiled.Previous(); got != layout.MainVertical {
		t.Errorf("previous of tiled = %v", got)
	}
}

func TestAdoptLayoutString(t *testing.T) {
	// select-layout with #{window_layout} of another window, as tmux
	// 3.3a: the panes take the cells in order; a third cell is closed.
	tr, err := layout.Parse(withSum("80x24,0,0{40x24,0,0,2,39x24,41,0,3}"))
	must(t, err)
	three, err := layout.Parse("9bb2,80x24,0,0{26x24,0,0,0,26x24,27,0,1,26x24,54,0,2}")
	must(t, err)
	must(t, tr.Adopt(three))
	if got, want := tr.String(), withSum("80x24,0,0{26x24,0,0,2,53x24,27,0,3}"); got != want {
		t.Errorf("adopt 3 cells for 2 panes\n got  %s\n want %s (tmux's b365 with ids 2, 3)", got, want)
	}
	// A smaller layout is fitted to the window.
	small, err := layout.Parse("3c3d,60x20,0,0[60x10,0,0,0,60x9,0,11,1]")
	must(t, err)
	must(t, tr.Adopt(small))
	if got, want := tr.String(), withSum("80x24,0,0[80x12,0,0,2,80x11,0,13,3]"); got != want {
		t.Errorf("adopt a 60x20 layout in 80x24\n got  %s\n want %s", got, want)
	}
	one := layout.New(80, 24, 9)
	must(t, one.Split(9, layout.Horizontal, 10, layout.Size{}, false))
	must(t, one.Split(10, layout.Vertical, 11, layout.Size{}, false))
	if err := one.Adopt(small); !errors.Is(err, layout.ErrLayoutMismatch) {
		t.Errorf("adopt 2 cells for 3 panes: %v", err)
	}
}

func TestReplace(t *testing.T) {
	tr, err := layout.Parse(withSum("80x24,0,0{40x24,0,0,2,39x24,41,0,3}"))
	must(t, err)
	must(t, tr.Replace(3, 9))
	if got, want := tr.String(), withSum("80x24,0,0{40x24,0,0,2,39x24,41,0,9}"); got != want {
		t.Errorf("replace\n got  %s\n want %s", got, want)
	}
	if err := tr.Replace(2, 9); !errors.Is(err, layout.ErrDuplicatePane) {
		t.Errorf("replace with a pane already there: %v", err)
	}
	if err := tr.Replace(3, 4); !errors.Is(err, layout.ErrUnknownPane) {
		t.Errorf("replace of a pane not there: %v", err)
	}
}
