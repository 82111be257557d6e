package vt

import (
	"strings"
	"testing"
)

// rowText returns visible row y with wide tails skipped and blanks as ".".
func rowText(s *Screen, y int) string {
	var b strings.Builder
	for x := range s.cols {
		c := s.Cell(x, y)
		switch {
		case c.Width == 0:
		case c.Text == "":
			b.WriteByte('.')
		default:
			b.WriteString(c.Text)
		}
	}
	return b.String()
}

func TestSetCellWide(t *testing.T) {
	s := NewScreen(4, 1)
	red := Style{Fg: IndexedColor(1)}
	s.SetCell(0, 0, Cell{Text: "中", Width: 2, Style: red})
	s.SetCell(3, 0, Cell{Text: "文", Width: 2, Style: red}) // last column: does not fit
	if got := rowText(s, 0); got != "中.." {
		t.Fatalf("row = %q, want %q", got, "中..")
	}
	if c := s.Cell(1, 0); c.Width != 0 {
		t.Errorf("tail width = %d, want 0", c.Width)
	}
	if c := s.Cell(3, 0); c.Text != "" || c.Style != red {
		t.Errorf("unfit wide cell = %+v, want a blank in its style", c)
	}
	// Overwriting the tail blanks the head too (no orphan half).
	s.SetCell(1, 0, Cell{Text: "x", Width: 1})
	if got := rowText(s, 0); got != ".x.." {
		t.Errorf("after overwriting the tail: %q, want %q", got, ".x..")
	}
	// A multi-rune cluster round-trips.
	s.SetCell(2, 0, Cell{Text: "e\u0301", Width: 1})
	if c := s.Cell(2, 0); c.Text != "e\u0301" {
		t.Errorf("cluster = %q", c.Text)
	}
}

func TestCopyRectClipsWideAtEdges(t *testing.T) {
	src := NewScreen(6, 2)
	src.WriteString("\x1b[31ma中b中\r\n\x1b[1mhello!")
	dst := NewScreen(8, 2)
	dst.FillRect(0, 0, 8, 2, Cell{Text: "#", Width: 1})
	// Columns 2..4 of the source: the tail of 中 at 2 and the head of 中
	// at 4 are both cut.
	dst.CopyRect(1, 0, src, 2, 0, 3, 2)
	if got := rowText(dst, 0); got != "#.b.####" {
		t.Errorf("row 0 = %q, want %q", got, "#.b.####")
	}
	if got := rowText(dst, 1); got != "#llo####" {
		t.Errorf("row 1 = %q, want %q", got, "#llo####")
	}
	red := Style{Fg: IndexedColor(1)}
	if c := dst.Cell(2, 0); c.Style != red {
		t.Errorf("translated style = %v, want %v", c.Style, red)
	}
	if c := dst.Cell(3, 0); c.Style != red || c.Text != "" {
		t.Errorf("cut wide head = %+v, want a red blank", c)
	}
	if c := dst.Cell(1, 1); c.Style != (Style{Fg: IndexedColor(1), Attrs: Bold}) {
		t.Errorf("row 1 style = %v", c.Style)
	}
	// Copying a whole wide character keeps it wide.
	dst.CopyRect(0, 0, src, 0, 0, 6, 1)
	if got := rowText(dst, 0); got != "a中b中##" {
		t.Errorf("whole copy = %q", got)
	}
}

func TestCopyRectKeepsUnchangedRowsShared(t *testing.T) {
	src := NewScreen(10, 3)
	src.WriteString("one\r\ntwo\r\nthree")
	a := NewScreen(10, 3)
	a.CopyRect(0, 0, src, 0, 0, 10, 3)
	b := a.Clone()
	src.WriteString("\x1b[2;1HTWO")
	b.CopyRect(0, 0, src, 0, 0, 10, 3)
	for y, want := range []bool{true, false, true} {
		if shared := a.cur.rows[y] == b.cur.rows[y]; shared != want {
			t.Errorf("row %d shared = %v, want %v", y, shared, want)
		}
	}
	if got := rowText(b, 1); got != "TWO......." {
		t.Errorf("row 1 = %q", got)
	}
	if got := rowText(a, 1); got != "two......." {
		t.Errorf("the clone's original changed: %q", got)
	}
}

func TestPutText(t *testing.T) {
	s := NewScreen(10, 1)
	end := s.PutText(1, 0, 8, "a中\tb😀c", Style{Bg: IndexedColor(2)})
	// "a" 1, "中" 2-3, tab dropped, "b" 4, "😀" 5-6, "c" 7.
	if got := rowText(s, 0); got != ".a中b😀c.." || end != 8 {
		t.Errorf("row = %q end %d", got, end)
	}
	s = NewScreen(10, 1)
	if end := s.PutText(0, 0, 3, "ab中", Style{}); end != 2 || rowText(s, 0) != "ab........" {
		t.Errorf("wide char across maxX: end %d row %q", end, rowText(s, 0))
	}
}

func TestSetCursorModesTitle(t *testing.T) {
	s := NewScreen(5, 5)
	s.SetCursor(Cursor{X: 9, Y: 2, Visible: false, Shape: CursorBar, Blink: true})
	if c := s.Cursor(); c != (Cursor{X: 4, Y: 2, Shape: CursorBar, Blink: true}) {
		t.Errorf("cursor = %+v", c)
	}
	s.SetFrameModes(Modes{AppCursorKeys: true, BracketedPaste: true, Mouse: MouseButton, MouseEncoding: MouseEncodingSGR, Origin: true})
	m := s.Modes()
	if !m.AppCursorKeys || !m.BracketedPaste || m.Mouse != MouseButton || m.MouseEncoding != MouseEncodingSGR {
		t.Errorf("modes = %+v", m)
	}
	if m.Origin || !m.Autowrap {
		t.Errorf("SetFrameModes changed an interpretation mode: %+v", m)
	}
	s.SetTitle("vim")
	s.SetClipboard("c", "aGk=")
	s.SetBellCount(3)
	if s.Title() != "vim" || s.BellCount() != 3 {
		t.Error("title or bell not set")
	}
	if sel, d := s.Clipboard(); sel != "c" || d != "aGk=" {
		t.Errorf("clipboard = %q %q", sel, d)
	}
}

func TestTextWidth(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int
	}{{"abc", 3}, {"a中b", 4}, {"e\u0301", 1}, {"😀", 2}, {"a\tb", 2}, {"\u0301x", 1}} {
		if got := TextWidth(tc.in); got != tc.want {
			t.Errorf("TextWidth(%q) = %d, want %d", tc.in, got, tc.want)
		}
		s := NewScreen(20, 1)
		if end := s.PutText(0, 0, 20, tc.in, Style{}); end != tc.want {
			t.Errorf("PutText(%q) ended at %d, TextWidth says %d", tc.in, end, tc.want)
		}
	}
}
