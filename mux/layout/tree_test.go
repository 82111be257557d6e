package layout_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/goshterm/gosh/mux/layout"
)

// draw renders the visible layout as text: each pane's cells as the last
// digit of its ID, border cells as the box-drawing glyph their arms pick
// (what the composer draws).
func draw(tr *layout.Tree) string {
	w, h := tr.Size()
	glyph := map[layout.Arms]rune{
		layout.ArmUp | layout.ArmDown:    '│',
		layout.ArmUp:                     '│',
		layout.ArmDown:                   '│',
		layout.ArmLeft | layout.ArmRight: '─',
		layout.ArmLeft:                   '─',
		layout.ArmRight:                  '─',
		layout.ArmUp | layout.ArmDown | layout.ArmRight:                  '├',
		layout.ArmUp | layout.ArmDown | layout.ArmLeft:                   '┤',
		layout.ArmLeft | layout.ArmRight | layout.ArmDown:                '┬',
		layout.ArmLeft | layout.ArmRight | layout.ArmUp:                  '┴',
		layout.ArmUp | layout.ArmDown | layout.ArmLeft | layout.ArmRight: '┼',
		layout.ArmDown | layout.ArmRight:                                 '┌', layout.ArmDown | layout.ArmLeft: '┐',
		layout.ArmUp | layout.ArmRight: '└', layout.ArmUp | layout.ArmLeft: '┘',
	}
	var b strings.Builder
	for y := range h {
		for x := range w {
			if p, ok := tr.PaneAt(x, y); ok {
				b.WriteByte(byte('0' + p%10))
			} else if a := tr.ArmsAt(x, y); a != 0 {
				b.WriteRune(glyph[a])
			} else if bd, ok := tr.BorderAt(x, y); ok && bd.Vertical {
				b.WriteRune('│')
			} else if ok {
				b.WriteRune('─')
			} else {
				b.WriteByte('?')
			}
		}
		b.WriteByte('\n')
	}
	return b.String()
}

func pic(lines ...string) string { return strings.Join(lines, "\n") + "\n" }

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func TestLayoutPictures(t *testing.T) {
	tests := []struct {
		name string
		do   func(t *testing.T, tr *layout.Tree)
		want string
	}{
		{"half split gives the left pane the extra column", func(t *testing.T, tr *layout.Tree) {
			must(t, tr.Split(0, layout.Horizontal, 1, layout.Size{}, false))
		}, pic(
			"000000│11111",
			"000000│11111",
			"000000│11111",
			"000000│11111",
			"000000│11111")},
		{"nested split draws a tee", func(t *testing.T, tr *layout.Tree) {
			must(t, tr.Split(0, layout.Horizontal, 1, layout.Size{}, false))
			must(t, tr.Split(1, layout.Vertical, 2, layout.Size{}, false))
		}, pic(
			"000000│11111",
			"000000│11111",
			"000000├─────",
			"000000│22222",
			"000000│22222")},
		{"before puts the new pane left with its size", func(t *testing.T, tr *layout.Tree) {
			must(t, tr.Split(0, layout.Horizontal, 1, layout.Cells(3), true))
		}, pic(
			"111│00000000",
			"111│00000000",
			"111│00000000",
			"111│00000000",
			"111│00000000")},
		{"percentage is of the target pane", func(t *testing.T, tr *layout.Tree) {
			must(t, tr.Split(0, layout.Horizontal, 1, layout.Size{}, false))
			must(t, tr.Split(0, layout.Vertical, 2, layout.Percent(40), false))
		}, pic(
			"000000│11111",
			"000000│11111",
			"──────┤11111",
			"222222│11111",
			"222222│11111")},
		{"removing the first pane gives its space to the next", func(t *testing.T, tr *layout.Tree) {
			must(t, tr.Split(0, layout.Horizontal, 1, layout.Size{}, false))
			must(t, tr.Split(1, layout.Vertical, 2, layout.Size{}, false))
			must(t, tr.Remove(0))
		}, pic(
			"111111111111",
			"111111111111",
			"────────────",
			"222222222222",
			"222222222222")},
		{"removing a later pane gives its space to the one before", func(t *testing.T, tr *layout.Tree) {
			must(t, tr.Split(0, layout.Horizontal, 1, layout.Cells(3), false))
			must(t, tr.Split(1, layout.Horizontal, 2, layout.Cells(1), false))
			must(t, tr.Remove(2))
		}, pic(
			"00000000│111",
			"00000000│111",
			"00000000│111",
			"00000000│111",
			"00000000│111")},
		{"full-window split spans every column", func(t *testing.T, tr *layout.Tree) {
			must(t, tr.Split(0, layout.Horizontal, 1, layout.Size{}, false))
			must(t, tr.Split(1, layout.Vertical, 2, layout.Size{}, false))
			must(t, tr.SplitWindow(layout.Vertical, 3, layout.Cells(1), false))
		}, pic(
			"000000│11111",
			"000000├─────",
			"000000│22222",
			"──────┴─────",
			"333333333333")},
		{"four-way junction", func(t *testing.T, tr *layout.Tree) {
			must(t, tr.Split(0, layout.Vertical, 2, layout.Size{}, false))
			must(t, tr.Split(0, layout.Horizontal, 1, layout.Size{}, false))
			must(t, tr.Split(2, layout.Horizontal, 3, layout.Size{}, false))
		}, pic(
			"000000│11111",
			"000000│11111",
			"──────┼─────",
			"222222│33333",
			"222222│33333")},
		{"resize-pane -R moves the right border", func(t *testing.T, tr *layout.Tree) {
			must(t, tr.Split(0, layout.Horizontal, 1, layout.Size{}, false))
			if n, err := tr.ResizePane(0, layout.Right, 3); n != 3 || err != nil {
				t.Fatalf("moved %d, %v", n, err)
			}
		}, pic(
			"000000000│11",
			"000000000│11",
			"000000000│11",
			"000000000│11",
			"000000000│11")},
		{"resize-pane -L on the last pane grows it", func(t *testing.T, tr *layout.Tree) {
			must(t, tr.Split(0, layout.Horizontal, 1, layout.Size{}, false))
			tr.ResizePane(1, layout.Left, 4)
		}, pic(
			"00│111111111",
			"00│111111111",
			"00│111111111",
			"00│111111111",
			"00│111111111")},
		{"swap exchanges places", func(t *testing.T, tr *layout.Tree) {
			must(t, tr.Split(0, layout.Horizontal, 1, layout.Cells(3), false))
			must(t, tr.Swap(0, 1))
		}, pic(
			"11111111│000",
			"11111111│000",
			"11111111│000",
			"11111111│000",
			"11111111│000")},
		{"zoom shows one pane over the window and no borders", func(t *testing.T, tr *layout.Tree) {
			must(t, tr.Split(0, layout.Horizontal, 1, layout.Size{}, false))
			must(t, tr.Zoom(1))
		}, pic(
			"111111111111",
			"111111111111",
			"111111111111",
			"111111111111",
			"111111111111")},
		{"unzoom restores the layout", func(t *testing.T, tr *layout.Tree) {
			must(t, tr.Split(0, layout.Horizontal, 1, layout.Size{}, false))
			must(t, tr.Zoom(1))
			tr.Unzoom()
		}, pic(
			"000000│11111",
			"000000│11111",
			"000000│11111",
			"000000│11111",
			"000000│11111")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr := layout.New(12, 5, 0)
			tt.do(t, tr)
			if got := draw(tr); got != tt.want {
				t.Errorf("got\n%swant\n%s%s", got, tt.want, tr)
			}
		})
	}
}

func TestPushStopsAtMinimum(t *testing.T) {
	tr := layout.New(12, 1, 0)
	must(t, tr.Split(0, layout.Horizontal, 1, layout.Cells(7), false))
	must(t, tr.Split(1, layout.Horizontal, 2, layout.Cells(3), false))
	// 0:1 │ 1:3 │ 2:6 after the splits? Check the start, then push.
	if got := draw(tr); got != "0000│111│222\n" {
		t.Fatalf("start %q", got)
	}
	if n, _ := tr.ResizePane(0, layout.Right, 100); n != 4 {
		t.Errorf("moved %d, want 4", n)
	}
	if got := draw(tr); got != "00000000│1│2\n" {
		t.Errorf("got %q", got)
	}
}

func TestErrors(t *testing.T) {
	tr := layout.New(2, 5, 0)
	if err := tr.Split(0, layout.Horizontal, 1, layout.Size{}, false); !errors.Is(err, layout.ErrNoSpace) {
		t.Errorf("split of a 2-column pane: %v", err)
	}
	if err := tr.Split(0, layout.Vertical, 0, layout.Size{}, false); !errors.Is(err, layout.ErrDuplicatePane) {
		t.Errorf("duplicate: %v", err)
	}
	if err := tr.Split(7, layout.Vertical, 1, layout.Size{}, false); !errors.Is(err, layout.ErrUnknownPane) || !strings.Contains(err.Error(), "7") {
		t.Errorf("unknown target: %v", err)
	}
	if err := tr.Remove(0); !errors.Is(err, layout.ErrLastPane) {
		t.Errorf("remove last: %v", err)
	}
	if err := tr.Zoom(0); !errors.Is(err, layout.ErrOnePane) {
		t.Errorf("zoom single: %v", err)
	}
	if tr.Len() != 1 || !tr.Has(0) {
		t.Errorf("failed operations changed the tree: %s", tr)
	}
}

func TestResizeIsProportional(t *testing.T) {
	tr := layout.New(101, 10, 0)
	must(t, tr.Split(0, layout.Horizontal, 1, layout.Percent(40), false))
	widths := func() []int {
		var w []int
		for _, r := range tr.Rects() {
			w = append(w, r.W)
		}
		return w
	}
	if got := widths(); !slices.Equal(got, []int{60, 40}) {
		t.Fatalf("after split %v", got)
	}
	tr.Resize(201, 10)
	if got := widths(); !slices.Equal(got, []int{120, 80}) {
		t.Errorf("after growing %v, want [120 80]", got)
	}
	tr.Resize(101, 10)
	if got := widths(); !slices.Equal(got, []int{60, 40}) {
		t.Errorf("after shrinking back %v, want [60 40]", got)
	}
}

func TestTooSmallWindowKeepsMinimum(t *testing.T) {
	tr := layout.New(20, 5, 0)
	must(t, tr.Split(0, layout.Horizontal, 1, layout.Size{}, false))
	must(t, tr.Split(1, layout.Horizontal, 2, layout.Size{}, false))
	tr.Resize(2, 1)
	if w, h := tr.Size(); w != 5 || h != 1 {
		t.Errorf("layout %dx%d, want 5x1 (three 1-column panes and two borders)", w, h)
	}
	if w, h := tr.WindowSize(); w != 2 || h != 1 {
		t.Errorf("window %dx%d", w, h)
	}
	tr.Resize(20, 5)
	if got := draw(tr); !strings.HasPrefix(got, "000000│111111│222222\n") {
		t.Errorf("after growing back\n%s", got)
	}
}

func TestNeighbor(t *testing.T) {
	// 000000│11111
	// 000000│11111
	// 000000├─────
	// 000000│22222
	// 000000│22222
	tr := layout.New(12, 5, 0)
	must(t, tr.Split(0, layout.Horizontal, 1, layout.Size{}, false))
	must(t, tr.Split(1, layout.Vertical, 2, layout.Size{}, false))
	tests := []struct {
		from layout.PaneID
		side layout.Side
		want layout.PaneID
		ok   bool
	}{
		{0, layout.Right, 1, true}, // middle row is a border: the first of equal overlaps
		{1, layout.Left, 0, true},
		{2, layout.Left, 0, true},
		{1, layout.Down, 2, true},
		{2, layout.Up, 1, true},
		{2, layout.Down, 1, true}, // wraps to the top
		{1, layout.Right, 0, true},
		{0, layout.Left, 1, true},
		{0, layout.Up, 0, false},
	}
	for _, tt := range tests {
		got, ok := tr.Neighbor(tt.from, tt.side)
		if got != tt.want || ok != tt.ok {
			t.Errorf("Neighbor(%d, %v) = %d, %v; want %d, %v", tt.from, tt.side, got, ok, tt.want, tt.ok)
		}
	}
	if got := tr.Neighbors(0, layout.Right); !slices.Equal(got, []layout.PaneID{1, 2}) {
		t.Errorf("Neighbors(0, right) = %v", got)
	}
	tall := layout.New(12, 9, 0)
	must(t, tall.Split(0, layout.Horizontal, 1, layout.Size{}, false))
	must(t, tall.Split(1, layout.Vertical, 2, layout.Cells(6), false))
	if got, _ := tall.Neighbor(0, layout.Right); got != 2 {
		t.Errorf("from a tall pane, right goes to the pane beside its middle: got %d", got)
	}
}

func TestDragBorder(t *testing.T) {
	tr := layout.New(12, 5, 0)
	must(t, tr.Split(0, layout.Horizontal, 1, layout.Size{}, false))
	if _, ok := tr.BorderAt(3, 3); ok {
		t.Error("a pane cell is not a border")
	}
	b, ok := tr.BorderAt(6, 2)
	if want := (layout.Border{Vertical: true, X: 6, Y: 0, Len: 5}); !ok || b != want {
		t.Fatalf("BorderAt(6,2) = %+v, %v", b, ok)
	}
	b, ok = tr.DragBorder(b, 9)
	if !ok || b.X != 9 {
		t.Fatalf("drag to 9: %+v, %v", b, ok)
	}
	b, _ = tr.DragBorder(b, 100)
	if b.X != 10 {
		t.Errorf("drag past the edge stops with 1 column left: %+v", b)
	}
	if got := draw(tr); !strings.HasPrefix(got, "0000000000│1\n") {
		t.Errorf("after drags\n%s", got)
	}
	if _, ok := tr.DragBorder(layout.Border{Vertical: true, X: 3, Y: 0, Len: 5}, 5); ok {
		t.Error("a stale border moved something")
	}
}

func TestPresetsMatchTmux(t *testing.T) {
	// Expected strings were printed by tmux 3.3a (#{window_layout}) after
	// select-layout on an 80x24 window with four panes (IDs renamed to
	// %2 %3 %4 %0 where the run used others).
	four := "80x24,0,0{20x24,0,0,2,19x24,21,0,3,19x24,41,0,4,19x24,61,0,0}"
	tests := []struct {
		preset layout.Preset
		want   string
	}{
		{layout.MainVertical, "9733,80x24,0,0{78x24,0,0,2,1x24,79,0[1x7,79,0,3,1x7,79,8,4,1x8,79,16,0]}"},
		{layout.Tiled, "79d7,80x24,0,0[80x11,0,0{39x11,0,0,2,40x11,40,0,3},80x12,0,12{39x12,0,12,4,40x12,40,12,0}]"},
		{layout.MainHorizontal, "80x24,0,0[80x22,0,0,2,80x1,0,23{26x1,0,23,3,26x1,27,23,4,26x1,54,23,0}]"},
		{layout.EvenHorizontal, "80x24,0,0{19x24,0,0,2,19x24,20,0,3,19x24,40,0,4,20x24,60,0,0}"},
		{layout.EvenVertical, "80x24,0,0[80x5,0,0,2,80x5,0,6,3,80x5,0,12,4,80x6,0,18,0]"},
	}
	for _, tt := range tests {
		t.Run(tt.preset.String(), func(t *testing.T) {
			tr, err := layout.Parse(withSum(four))
			must(t, err)
			must(t, tr.Apply(tt.preset))
			want := tt.want
			if want[4] != ',' {
				want = withSum(want)
			}
			if got := tr.String(); got != want {
				t.Errorf("got  %s\nwant %s", got, want)
			}
			if got := tr.Panes(); !slices.Equal(got, []layout.PaneID{2, 3, 4, 0}) {
				t.Errorf("pane order %v", got)
			}
		})
	}
}

// withSum prefixes a layout body with its tmux checksum, by letting Parse
// reject a wrong one and String produce the right one.
func withSum(body string) string {
	var c uint16
	for i := 0; i < len(body); i++ {
		c = (c >> 1) + ((c & 1) << 15)
		c += uint16(body[i])
	}
	const hex = "0123456789abcdef"
	return string([]byte{hex[c>>12], hex[c>>8&15], hex[c>>4&15], hex[c&15]}) + "," + body
}

func TestMainVerticalWide(t *testing.T) {
	tr, err := layout.Parse(withSum("200x50,0,0{100x50,0,0,0,99x50,101,0,1}"))
	must(t, err)
	must(t, tr.Split(1, layout.Vertical, 2, layout.Size{}, false))
	must(t, tr.Apply(layout.MainVertical))
	r, _ := tr.Rect(0)
	if r.W != 80 {
		t.Errorf("main pane %d columns, want tmux's main-pane-width 80", r.W)
	}
	must(t, tr.ApplyWith(layout.MainVertical, layout.PresetOptions{MainPaneWidth: layout.Percent(50)}))
	if r, _ := tr.Rect(0); r.W != 99 {
		t.Errorf("50%% main pane %d columns, want 99 (half of 199)", r.W)
	}
}

func TestParse(t *testing.T) {
	good := "020d,80x24,0,0{40x24,0,0,2,39x24,41,0,0}" // printed by tmux 3.3a
	tr, err := layout.Parse(good)
	must(t, err)
	if tr.String() != good {
		t.Errorf("round trip %s", tr)
	}
	if w, h := tr.WindowSize(); w != 80 || h != 24 || !slices.Equal(tr.Panes(), []layout.PaneID{2, 0}) {
		t.Errorf("parsed %dx%d %v", w, h, tr.Panes())
	}
	bad := map[string]string{
		"checksum":      "020e,80x24,0,0{40x24,0,0,2,39x24,41,0,0}",
		"no checksum":   "80x24,0,0,1",
		"gap too wide":  withSum("80x24,0,0{40x24,0,0,1,38x24,42,0,2}"),
		"short child":   withSum("80x24,0,0{40x24,0,0,1,39x23,41,0,2}"),
		"one child":     withSum("80x24,0,0{80x24,0,0,1}"),
		"duplicate":     withSum("80x24,0,0{40x24,0,0,1,39x24,41,0,1}"),
		"trailing":      withSum("80x24,0,0,1,"),
		"unclosed":      withSum("80x24,0,0{40x24,0,0,1,39x24,41,0,2"),
		"zero width":    withSum("0x24,0,0,1"),
		"huge":          withSum("99999999999x24,0,0,1"),
		"not at origin": withSum("80x24,1,0,1"),
	}
	for name, s := range bad {
		if _, err := layout.Parse(s); err == nil || !strings.HasPrefix(err.Error(), "layout: ") {
			t.Errorf("%s: Parse(%q) = %v", name, s, err)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add("020d,80x24,0,0{40x24,0,0,2,39x24,41,0,0}")
	f.Add("79d7,80x24,0,0[80x11,0,0{39x11,0,0,2,40x11,40,0,3},80x12,0,12{39x12,0,12,4,40x12,40,12,0}]")
	f.Fuzz(func(t *testing.T, s string) {
		tr, err := layout.Parse(s)
		if err != nil {
			return
		}
		back, err := layout.Parse(tr.String())
		if err != nil || back.String() != tr.String() {
			t.Fatalf("round trip of %q: %v", s, err)
		}
		tr.Resize(40, 10)
		tr.Apply(layout.Tiled)
	})
}

func TestCloneIsIndependent(t *testing.T) {
	tr := layout.New(12, 5, 0)
	must(t, tr.Split(0, layout.Horizontal, 1, layout.Size{}, false))
	c := tr.Clone()
	before := c.String()
	must(t, tr.Split(1, layout.Vertical, 2, layout.Size{}, false))
	tr.Resize(30, 10)
	if c.String() != before || c.Has(2) {
		t.Errorf("clone changed with the original: %s", c)
	}
	must(t, c.Remove(1))
	if !tr.Has(1) {
		t.Error("removing from the clone removed from the original")
	}
}

func TestResizePaneTo(t *testing.T) {
	tr := layout.New(12, 5, 0)
	must(t, tr.Split(0, layout.Horizontal, 1, layout.Size{}, false))
	must(t, tr.Split(1, layout.Vertical, 2, layout.Size{}, false))
	must(t, tr.ResizePaneTo(0, layout.Horizontal, 3)) // resize-pane -t 0 -x 3
	if r, _ := tr.Rect(0); r.W != 3 {
		t.Errorf("pane 0 is %d wide, want 3", r.W)
	}
	// Pane 2 is last in its stack, so its top border moves: -y 4 gets
	// as far as pane 1's last row allows.
	must(t, tr.ResizePaneTo(2, layout.Vertical, 4))
	if r, _ := tr.Rect(2); r.H != 3 || r.Y != 2 {
		t.Errorf("pane 2 is %+v, want 3 rows from row 2", r)
	}
	// -x on pane 2 sizes its column (the stack), as tmux does.
	must(t, tr.ResizePaneTo(2, layout.Horizontal, 10))
	if r, _ := tr.Rect(1); r.W != 10 {
		t.Errorf("the right column is %d wide, want 10", r.W)
	}
}

func TestSurroundsMarksActiveBorder(t *testing.T) {
	// 000000│11111
	// 000000├─────
	// 000000│22222
	tr := layout.New(12, 3, 0)
	must(t, tr.Split(0, layout.Horizontal, 1, layout.Size{}, false))
	must(t, tr.Split(1, layout.Vertical, 2, layout.Cells(1), false))
	r, _ := tr.Rect(1)
	var lit []int
	for _, b := range tr.Borders() {
		b.Cells(func(x, y int) {
			if r.Surrounds(x, y) {
				lit = append(lit, y*100+x)
			}
		})
	}
	// The │ beside pane 1 (rows 0-1) and the ─ below it, junction included.
	want := []int{6, 106, 107, 108, 109, 110, 111}
	if !slices.Equal(slices.Sorted(slices.Values(lit)), want) {
		t.Errorf("highlighted %v, want %v", lit, want)
	}
}
