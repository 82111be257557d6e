package compose_test

import (
	"testing"
	"time"

	"github.com/goshterm/gosh/mux/compose"
	"github.com/goshterm/gosh/mux/layout"
	"github.com/goshterm/gosh/vt"
)

// checkFrame fails when a frame breaks an invariant every vt screen keeps
// and vt.Diff relies on: each wide cell has its tail beside it, each row
// adds up to the width, and the cursor is on the screen.
func checkFrame(t *testing.T, s *vt.Screen) {
	t.Helper()
	cols, rows := s.Size()
	if c := s.Cursor(); c.X < 0 || c.X >= cols || c.Y < 0 || c.Y >= rows {
		t.Fatalf("cursor (%d,%d) outside %dx%d", c.X, c.Y, cols, rows)
	}
	for y := range rows {
		width := 0
		for x := range cols {
			c := s.Cell(x, y)
			width += c.Width
			switch c.Width {
			case 2:
				if x+1 >= cols || s.Cell(x+1, y).Width != 0 {
					t.Fatalf("row %d: wide cell at %d without its tail", y, x)
				}
			case 0:
				if x == 0 || s.Cell(x-1, y).Width != 2 {
					t.Fatalf("row %d: tail at %d without its head", y, x)
				}
			}
		}
		if width != cols {
			t.Fatalf("row %d is %d columns wide, want %d", y, width, cols)
		}
	}
}

// FuzzCompose composes arbitrary pane output (wide characters, styles,
// clusters) into layouts and client sizes that do not match, over the
// previous frame, and checks the frame's invariants and that composing
// into the previous frame gives the same frame as composing afresh.
func FuzzCompose(f *testing.F) {
	f.Add([]byte("中文字\x1b[31mred e\u0301 😀\r\nwide 中"), uint8(20), uint8(6), uint8(3))
	f.Add([]byte("\x1b[?1049h\x1b[5 q\x1b]2;t\x07abc"), uint8(3), uint8(2), uint8(0))
	f.Fuzz(func(t *testing.T, out []byte, cw, ch, shape uint8) {
		w, h := int(cw%90)+1, int(ch%30)+1
		tree := layout.New(max(w-int(shape%3), 1), max(h-1-int(shape%2), 1), 0)
		_ = tree.Split(0, layout.Horizontal, 1, layout.Size{}, false)
		if shape&4 != 0 {
			_ = tree.Split(1, layout.Vertical, 2, layout.Size{}, shape&8 != 0)
		}
		if shape&16 != 0 {
			_ = tree.Zoom(0)
		}
		lw, lh := tree.Size()
		spec := &compose.FrameSpec{Width: w, Height: h, WindowWidth: lw, WindowHeight: lh, Active: int(shape>>5) % 3,
			MouseOn: shape&1 != 0, Status: compose.Status{Session: string(out[:min(len(out), 12)]),
				Windows: []compose.Window{{Index: 0, Name: string(out[min(len(out), 5):min(len(out), 30)]), Current: true}},
				Clock:   time.Unix(int64(shape)*1000, 0), Marker: string(out[:min(len(out), 3)])}}
		for i, pr := range tree.Rects() {
			// Screens a little off their rects, as during a resize.
			s := vt.NewScreen(pr.W+i%2, max(pr.H-i%2, 1))
			s.Write(out)
			spec.Panes = append(spec.Panes, compose.Pane{Rect: pr.Rect, Screen: s, Marked: i == int(shape>>6)})
		}
		if shape&2 != 0 {
			spec.Status.Message = string(out[min(len(out), 3):min(len(out), 100)])
		}
		if shape&4 != 0 && shape&2 != 0 {
			spec.Status.Prompt = string(out[min(len(out), 1):min(len(out), 300)])
		}
		var c compose.Composer
		first := c.Compose(nil, spec)
		checkFrame(t, first)
		spec.Panes[0].Screen.Write(out)
		next := c.Compose(first.Clone(), spec)
		checkFrame(t, next)
		if fresh := compose.Compose(nil, spec); !next.FrameEqual(fresh) {
			t.Fatalf("composing over the previous frame differs from composing afresh")
		}
	})
}
