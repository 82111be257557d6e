package layout

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// invariants checks everything a composer relies on: the layout is the
// window's size (or its minimum), the panes and borders tile it exactly with
// one-cell borders, every pane is at least 1x1, the structure is sound, and
// the layout string round-trips.
func invariants(tr *Tree) error {
	w, h := tr.Size()
	mw, mh := tr.MinSize()
	ww, wh := tr.WindowSize()
	if w != max(ww, mw) || h != max(wh, mh) {
		return fmt.Errorf("layout %dx%d, window %dx%d, min %dx%d", w, h, ww, wh, mw, mh)
	}
	if err := sound(tr.root, nil); err != nil {
		return err
	}
	if err := check(tr.root); err != nil {
		return err
	}
	grid := make([]byte, w*h)
	rects := tr.LayoutRects()
	if len(rects) != tr.Len() || len(rects) != len(tr.panes) {
		return fmt.Errorf("%d rects for %d panes", len(rects), tr.Len())
	}
	for _, r := range rects {
		if r.W < 1 || r.H < 1 || r.X < 0 || r.Y < 0 || r.X+r.W > w || r.Y+r.H > h {
			return fmt.Errorf("pane %d rect %+v outside %dx%d", r.Pane, r.Rect, w, h)
		}
		if tr.panes[r.Pane] == nil || tr.panes[r.Pane].pane != r.Pane {
			return fmt.Errorf("pane %d not indexed", r.Pane)
		}
		for y := r.Y; y < r.Y+r.H; y++ {
			for x := r.X; x < r.X+r.W; x++ {
				if grid[y*w+x] != 0 {
					return fmt.Errorf("pane %d overlaps at %d,%d", r.Pane, x, y)
				}
				grid[y*w+x] = 'p'
			}
		}
	}
	if z, ok := tr.Zoomed(); ok {
		if !tr.Has(z) {
			return fmt.Errorf("zoomed pane %d missing", z)
		}
		return nil
	}
	for _, b := range tr.Borders() {
		var err error
		b.Cells(func(x, y int) {
			if err == nil && (x < 0 || y < 0 || x >= w || y >= h || grid[y*w+x] != 0) {
				err = fmt.Errorf("border %+v cell %d,%d overlaps or is outside", b, x, y)
				return
			}
			if err == nil {
				grid[y*w+x] = 'b'
			}
		})
		if err != nil {
			return err
		}
	}
	if i := slices.Index(grid, 0); i >= 0 {
		return fmt.Errorf("cell %d,%d is neither pane nor border", i%w, i/w)
	}
	back, err := Parse(tr.String())
	if err != nil {
		return fmt.Errorf("parse(%s): %v", tr, err)
	}
	if back.String() != tr.String() {
		return fmt.Errorf("string round trip: %s != %s", back, tr)
	}
	return nil
}

func sound(n, parent *node) error {
	if n.parent != parent {
		return fmt.Errorf("bad parent pointer at %+v", n.rect())
	}
	if n.kind == leaf {
		if len(n.children) != 0 {
			return fmt.Errorf("leaf with children")
		}
		return nil
	}
	if len(n.children) < 2 {
		return fmt.Errorf("split with %d children", len(n.children))
	}
	for _, c := range n.children {
		if err := sound(c, n); err != nil {
			return err
		}
	}
	return nil
}

// ops drives a tree from a byte stream: each operation takes a few bytes.
// Used by the property test (random bytes) and the fuzz target.
type ops struct {
	b     []byte
	next  PaneID
	saved *Tree // a clone for Restore and Adopt
}

func (o *ops) byte() int {
	if len(o.b) == 0 {
		return 0
	}
	c := o.b[0]
	o.b = o.b[1:]
	return int(c)
}

// step applies one operation and describes it for failure messages.
func (o *ops) step(tr *Tree) string {
	panes := tr.Panes()
	pick := func() PaneID { return panes[o.byte()%len(panes)] }
	switch op := o.byte() % 15; op {
	case 0, 1, 2:
		p, d := pick(), Dir(o.byte()%2+1)
		var size Size
		switch s := o.byte(); s % 3 {
		case 1:
			size = Cells(s / 3)
		case 2:
			size = Percent(s%100 + 1)
		}
		before := o.byte()%2 == 1
		o.next++
		err := tr.Split(p, d, o.next, size, before)
		return fmt.Sprintf("Split(%d, %v, %d, %v, %v) = %v", p, d, o.next, size, before, err)
	case 3:
		d := Dir(o.byte()%2 + 1)
		o.next++
		err := tr.SplitWindow(d, o.next, Cells(o.byte()%20), o.byte()%2 == 1)
		return fmt.Sprintf("SplitWindow(%v, %d) = %v", d, o.next, err)
	case 4, 5:
		p := pick()
		err := tr.Remove(p)
		return fmt.Sprintf("Remove(%d) = %v", p, err)
	case 6:
		w, h := o.byte()%120+1, o.byte()%60+1
		tr.Resize(w, h)
		return fmt.Sprintf("Resize(%d, %d)", w, h)
	case 7:
		p, s, n := pick(), Side(o.byte()%4+1), o.byte()%40
		moved, err := tr.ResizePane(p, s, n)
		return fmt.Sprintf("ResizePane(%d, %v, %d) = %d, %v", p, s, n, moved, err)
	case 8:
		a, b := pick(), pick()
		return fmt.Sprintf("Swap(%d, %d) = %v", a, b, tr.Swap(a, b))
	case 9:
		p := pick()
		if o.byte()%2 == 0 {
			tr.Unzoom()
			return "Unzoom()"
		}
		return fmt.Sprintf("Zoom(%d) = %v", p, tr.Zoom(p))
	case 10:
		p := Preset(o.byte()%5 + 1)
		return fmt.Sprintf("Apply(%v) = %v", p, tr.Apply(p))
	case 12:
		down := o.byte()%2 == 1
		tr.Rotate(down)
		return fmt.Sprintf("Rotate(%v)", down)
	case 13:
		p := pick()
		changed, err := tr.Spread(p)
		return fmt.Sprintf("Spread(%d) = %v, %v", p, changed, err)
	case 14:
		switch c := o.byte() % 3; {
		case c == 0 || o.saved == nil:
			o.saved = tr.Clone()
			return "save"
		case c == 1:
			return fmt.Sprintf("Restore(%s) = %v", o.saved, tr.Restore(o.saved))
		default:
			return fmt.Sprintf("Adopt(%s) = %v", o.saved, tr.Adopt(o.saved))
		}
	default:
		w, h := tr.Size()
		x, y, to := o.byte()%max(w, 1), o.byte()%max(h, 1), o.byte()%max(w, h, 1)
		b, ok := tr.BorderAt(x, y)
		if ok {
			b, ok = tr.DragBorder(b, to)
		}
		if p := pick(); o.byte()%2 == 0 {
			tr.ResizePaneTo(p, Dir(o.byte()%2+1), o.byte()%50)
		}
		return fmt.Sprintf("Drag(%d,%d → %d) = %+v, %v", x, y, to, b, ok)
	}
}

func runOps(t *testing.T, data []byte) {
	t.Helper()
	o := &ops{b: data}
	tr := New(o.byte()%100+1, o.byte()%50+1, 0)
	var log []string
	for i := 0; len(o.b) > 0 && i < 200; i++ {
		log = append(log, o.step(tr))
		if err := invariants(tr); err != nil {
			t.Fatalf("after %v:\n%s\n%s", log, err, tr)
		}
		if tr.Len() < 1 {
			t.Fatal("no panes")
		}
	}
	for tr.Len() > 1 {
		if err := tr.Remove(tr.Panes()[tr.Len()-1]); err != nil {
			t.Fatal(err)
		}
		if err := invariants(tr); err != nil {
			t.Fatalf("after removing down to %d panes: %v", tr.Len(), err)
		}
	}
	if err := tr.Remove(tr.Panes()[0]); err == nil || tr.Len() != 1 {
		t.Fatalf("removing the last pane: %v, %d left", err, tr.Len())
	}
}

// TestRandomOperations is the property test: random sequences of every
// mutating operation keep the invariants. The seed is logged.
func TestRandomOperations(t *testing.T) {
	seed := rand.Uint64()
	t.Logf("seed %d", seed)
	r := rand.New(rand.NewPCG(seed, 0))
	for range 150 {
		data := make([]byte, 400)
		for i := range data {
			data[i] = byte(r.UintN(256))
		}
		runOps(t, data)
	}
}

func FuzzLayoutOps(f *testing.F) {
	f.Add([]byte{80, 24, 0, 0, 1, 0, 0, 0, 1, 1, 1, 0, 4, 1, 6, 20, 10})
	f.Add([]byte{3, 3, 0, 0, 1, 0, 0, 0, 0, 2, 1, 0, 10, 4, 7, 1, 3, 30})
	f.Add([]byte{200, 60, 3, 1, 5, 0, 10, 4, 9, 1, 1, 11, 40, 3, 50, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		runOps(t, data)
	})
}

// TestSaveRoundTripRandom saves random trees to YAML and builds them
// again at the same size: the layout string must be identical.
func TestSaveRoundTripRandom(t *testing.T) {
	seed := rand.Uint64()
	t.Logf("seed %d", seed)
	r := rand.New(rand.NewPCG(seed, 2))
	for range 200 {
		data := make([]byte, 120)
		for i := range data {
			data[i] = byte(r.UintN(256))
		}
		o := &ops{b: data}
		tr := New(o.byte()%100+1, o.byte()%50+1, 0)
		for len(o.b) > 0 {
			o.step(tr)
		}
		w := SaveWindow("w", tr, func(p PaneID) PaneSpec { return PaneSpec{Command: fmt.Sprint("echo ", p)} })
		out, err := MarshalFile(&File{Sessions: []SessionSpec{{Name: "s", Windows: []WindowSpec{w}}}})
		if err != nil {
			t.Fatal(err)
		}
		f, err := ParseFile("saved.yaml", out)
		if err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		ids := tr.Panes()
		i := -1
		lw, lh := tr.Size()
		back, specs, err := f.Sessions[0].Windows[0].Build(lw, lh, func() PaneID { i++; return ids[i] })
		if err != nil {
			t.Fatalf("build %s: %v\n%s", tr, err, out)
		}
		if back.String() != tr.String() {
			t.Fatalf("rebuilt %s\nfrom    %s\nvia\n%s", back, tr, out)
		}
		for _, p := range ids {
			if specs[p].Command != fmt.Sprint("echo ", p) {
				t.Fatalf("pane %d spec %+v", p, specs[p])
			}
		}
	}
}
