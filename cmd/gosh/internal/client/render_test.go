package client

import (
	"encoding/base64"
	"strings"
	"testing"

	"github.com/gdamore/tcell/v2"

	"github.com/goshterm/gosh/vt"
)

// recScreen records what a SimulationScreen doesn't keep.
type recScreen struct {
	tcell.SimulationScreen
	beeps  int
	shapes []tcell.CursorStyle
	mouse  []tcell.MouseFlags // 0 = disabled
	focus  []bool
}

func (r *recScreen) Beep() error { r.beeps++; return nil }
func (r *recScreen) SetCursorStyle(cs tcell.CursorStyle, _ ...tcell.Color) {
	r.shapes = append(r.shapes, cs)
}
func (r *recScreen) EnableMouse(f ...tcell.MouseFlags) { r.mouse = append(r.mouse, f[0]) }
func (r *recScreen) DisableMouse()                     { r.mouse = append(r.mouse, 0) }
func (r *recScreen) EnableFocus()                      { r.focus = append(r.focus, true) }
func (r *recScreen) DisableFocus()                     { r.focus = append(r.focus, false) }

func newSim(t *testing.T, cols, rows int) *recScreen {
	t.Helper()
	s := tcell.NewSimulationScreen("UTF-8")
	if err := s.Init(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Fini)
	s.SetSize(cols, rows)
	return &recScreen{SimulationScreen: s}
}

func simCell(s tcell.SimulationScreen, x, y int) tcell.SimCell {
	cells, w, _ := s.GetContents()
	return cells[y*w+x]
}

func TestRenderFrame(t *testing.T) {
	scr := newSim(t, 20, 5)
	f := vt.NewScreen(20, 5)
	f.WriteString("\x1b[1;31mR\x1b[0m\x1b[38;5;202mI\x1b[38;2;1;2;3;48;2;4;5;6mG\x1b[0m" + // bold red, 256, 24-bit
		"\x1b[2;3;5;7;9mA\x1b[0m" + // dim italic blink reverse strike
		"\x1b[4:3;58;5;4mU\x1b[0m" + // curly underline, coloured
		"\x1b]8;id=x;https://example.com/\x1b\\L\x1b]8;;\x1b\\" +
		"中e\u0301\x1b[8mH\x1b[0m" +
		"\r\n\x1b[4 q\x1b]2;the title\x07\x1b]52;c;" + base64.StdEncoding.EncodeToString([]byte("copied")) + "\x07\x07" +
		"\x1b[?1002h\x1b[?1004h" + "ab")
	r := newRenderer(scr)
	r.draw(f, "", true)

	want := []struct {
		x     int
		text  string
		style tcell.Style
	}{
		{0, "R", tcell.StyleDefault.Foreground(tcell.PaletteColor(1)).Bold(true)},
		{1, "I", tcell.StyleDefault.Foreground(tcell.PaletteColor(202))},
		{2, "G", tcell.StyleDefault.Foreground(tcell.NewRGBColor(1, 2, 3)).Background(tcell.NewRGBColor(4, 5, 6))},
		{3, "A", tcell.StyleDefault.Dim(true).Italic(true).Blink(true).Reverse(true).StrikeThrough(true)},
		{4, "U", tcell.StyleDefault.Underline(tcell.UnderlineStyleCurly, tcell.PaletteColor(4))},
		{5, "L", tcell.StyleDefault.Url("https://example.com/").UrlId("x")},
		{6, "中", tcell.StyleDefault},
		{8, "e\u0301", tcell.StyleDefault},
		{9, " ", tcell.StyleDefault}, // hidden text is blank
	}
	for _, w := range want {
		c := simCell(scr, w.x, 0)
		if string(c.Runes) != w.text || c.Style != w.style {
			t.Errorf("cell %d: %q %v, want %q %v", w.x, string(c.Runes), c.Style, w.text, w.style)
		}
	}
	if c := simCell(scr, 8, 0); len(c.Runes) != 2 {
		t.Errorf("combining mark lost: %q", c.Runes)
	}
	if x, y, vis := scr.GetCursor(); x != 2 || y != 1 || !vis {
		t.Errorf("cursor (%d,%d) visible %v, want (2,1) visible", x, y, vis)
	}
	if len(scr.shapes) == 0 || scr.shapes[len(scr.shapes)-1] != tcell.CursorStyleSteadyUnderline {
		t.Errorf("cursor shapes %v, want steady underline last", scr.shapes)
	}
	if scr.GetTitle() != "the title" {
		t.Errorf("title %q", scr.GetTitle())
	}
	if string(scr.GetClipboardData()) != "copied" {
		t.Errorf("clipboard %q", scr.GetClipboardData())
	}
	if len(scr.mouse) != 1 || scr.mouse[0] != tcell.MouseDragEvents || len(scr.focus) != 1 || !scr.focus[0] {
		t.Errorf("mouse %v focus %v, want drag events and focus on", scr.mouse, scr.focus)
	}
	if scr.beeps != 0 {
		t.Errorf("the first frame rang %d bells (bells from before are history)", scr.beeps)
	}

	// The next frame: a bell, the cursor hidden, the mouse off, a row changed.
	g := f.Clone()
	g.WriteString("\x07\x1b[?25l\x1b[?1002l\x1b[H\x1b[2Kxyz")
	r.draw(g, "", true)
	if scr.beeps != 1 {
		t.Errorf("bell rang %d times, want 1", scr.beeps)
	}
	if _, _, vis := scr.GetCursor(); vis {
		t.Errorf("cursor still visible after ?25l")
	}
	if scr.mouse[len(scr.mouse)-1] != 0 {
		t.Errorf("mouse still on: %v", scr.mouse)
	}
	if c := simCell(scr, 6, 0); string(c.Runes) != " " {
		t.Errorf("wide character not erased: %q", string(c.Runes))
	}
	if c := simCell(scr, 0, 0); string(c.Runes) != "x" || c.Style != tcell.StyleDefault {
		t.Errorf("cell 0 = %q %v", string(c.Runes), c.Style)
	}
}

func TestRenderNoticeBar(t *testing.T) {
	scr := newSim(t, 30, 3)
	f := vt.NewScreen(30, 3)
	f.WriteString("hello")
	r := newRenderer(scr)
	r.draw(f, "gosh: last contact 9 s ago", true)
	bar := tcell.StyleDefault.Foreground(tcell.PaletteColor(7)).Background(tcell.PaletteColor(4)).Bold(true)
	for x := range 30 {
		if c := simCell(scr, x, 0); c.Style != bar {
			t.Fatalf("bar cell %d style %v", x, c.Style)
		}
	}
	if c := simCell(scr, 6, 0); string(c.Runes) != "l" {
		t.Errorf("bar text at 5: %q", string(c.Runes))
	}
	if _, _, vis := scr.GetCursor(); vis {
		t.Errorf("cursor shown under the bar")
	}
	r.draw(f, "", true)
	if c := simCell(scr, 0, 0); string(c.Runes) != "h" || c.Style != tcell.StyleDefault {
		t.Errorf("after the bar: %q %v", string(c.Runes), c.Style)
	}
}

func TestRenderSmallerFrameAndReverseVideo(t *testing.T) {
	scr := newSim(t, 10, 3)
	f := vt.NewScreen(5, 2)
	f.WriteString("abcde\x1b[?5h")
	r := newRenderer(scr)
	r.draw(f, "", true)
	if c := simCell(scr, 0, 0); string(c.Runes) != "a" || c.Style != tcell.StyleDefault.Reverse(true) {
		t.Errorf("reverse video cell %q %v", string(c.Runes), c.Style)
	}
	if c := simCell(scr, 8, 2); string(c.Runes) != " " {
		t.Errorf("outside the frame: %q", string(c.Runes))
	}
}

func BenchmarkRender(b *testing.B) {
	s := tcell.NewSimulationScreen("UTF-8")
	s.Init()
	defer s.Fini()
	s.SetSize(200, 60)
	f := vt.NewScreen(200, 60)
	for i := range 60 {
		f.WriteString("\x1b[3" + string(rune('0'+i%8)) + "mthe quick brown fox jumps over the lazy dog 0123456789 ")
	}
	r := newRenderer(s)
	b.ReportAllocs()
	for b.Loop() {
		r.invalidate() // every cell, not only changed rows
		r.draw(f, "", true)
	}
}

// TestRenderChangedRowsOnly follows a frame through the changes a session
// makes: a new frame that changed one row (only that row is put again:
// what the user's terminal showed elsewhere stays), reverse video (every
// row), and a larger window (the new area blank).
func TestRenderChangedRowsOnly(t *testing.T) {
	scr := newSim(t, 10, 3)
	f1 := vt.NewScreen(10, 3)
	f1.WriteString("one\r\ntwo\r\n$ ")
	r := newRenderer(scr)
	r.draw(f1, "", true)
	scr.Put(9, 0, "#", tcell.StyleDefault) // not in any frame: only a full draw removes it

	f2 := f1.Clone()
	f2.WriteString("ls")
	r.draw(f2, "", true)
	if got := simRow(scr, 2); got != "$ ls" {
		t.Errorf("the changed row shows %q, want %q", got, "$ ls")
	}
	if got := simRow(scr, 0); got != "one      #" {
		t.Errorf("an unchanged row was put again: %q", got)
	}

	f3 := f2.Clone()
	f3.WriteString("\x1b[?5h")
	r.draw(f3, "", true)
	for y, want := range []string{"one", "two", "$ ls"} {
		if got := simRow(scr, y); got != want {
			t.Errorf("reverse video: row %d = %q, want %q", y, got, want)
		}
		if c := simCell(scr, 5, y); c.Style != tcell.StyleDefault.Reverse(true) {
			t.Errorf("reverse video: row %d style %v", y, c.Style)
		}
	}

	scr.SetSize(12, 4)
	r.draw(f3, "", true)
	if c := simCell(scr, 11, 3); string(c.Runes) != " " || c.Style != tcell.StyleDefault.Reverse(true) {
		t.Errorf("new area after a resize: %q %v", string(c.Runes), c.Style)
	}
}

// simRow is row y's text, trailing blanks removed.
func simRow(s tcell.SimulationScreen, y int) string {
	cells, w, _ := s.GetContents()
	var b []rune
	for x := range w {
		c := cells[y*w+x]
		if len(c.Runes) == 0 {
			b = append(b, ' ')
			continue
		}
		b = append(b, c.Runes...)
	}
	return strings.TrimRight(string(b), " ")
}
