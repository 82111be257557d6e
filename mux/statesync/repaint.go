package statesync

import (
	"strconv"

	"github.com/goshterm/gosh/vt"
)

// Repaint returns bytes that draw s from scratch on an xterm-like terminal
// of s's size, whatever it showed before, using only sequences
// mosh-client's emulator understands (mosh-protocol.md §7: CUP, ED, SGR,
// DECSTBM reset, DECTCEM, ?2004, mouse modes) and never one that makes a
// terminal answer. Frames use vt.Diff, which sends only the changes; a
// full repaint is for a terminal in an unknown state (after the user's
// Ctrl-L, or a resume).
func Repaint(s *vt.Screen) []byte {
	cols, rows := s.Size()
	b := make([]byte, 0, cols*rows+64)
	b = append(b, "\x1b[r\x1b[0m\x1b[H\x1b[2J\x1b[?25l"...)
	var pen vt.Style
	for y := range rows {
		b = append(b, "\x1b["...)
		b = strconv.AppendInt(b, int64(y+1), 10)
		b = append(b, ";1H"...)
		// Trailing default blanks need not be drawn: the screen was erased.
		last := cols - 1
		for last >= 0 {
			c := s.Cell(last, y)
			if c.Text != "" || c.Width == 0 || c.Style != (vt.Style{}) {
				break
			}
			last--
		}
		for x := 0; x <= last; x++ {
			c := s.Cell(x, y)
			if c.Width == 0 {
				continue // second column of a wide cell
			}
			if c.Style != pen {
				b = appendSGR(b, c.Style)
				pen = c.Style
			}
			if c.Text == "" {
				b = append(b, ' ')
			} else {
				b = append(b, c.Text...)
			}
		}
	}
	b = appendSGR(b, vt.Style{})
	cur := s.Cursor()
	b = append(b, "\x1b["...)
	b = strconv.AppendInt(b, int64(cur.Y+1), 10)
	b = append(b, ';')
	b = strconv.AppendInt(b, int64(cur.X+1), 10)
	b = append(b, 'H')
	if cur.Visible {
		b = append(b, "\x1b[?25h"...)
	}
	m := s.Modes()
	if m.BracketedPaste {
		b = append(b, "\x1b[?2004h"...)
	} else {
		b = append(b, "\x1b[?2004l"...)
	}
	b = append(b, "\x1b[?1003l\x1b[?1002l\x1b[?1001l\x1b[?1000l"...)
	switch m.Mouse {
	case vt.MouseX10:
		b = append(b, "\x1b[?9h"...)
	case vt.MouseNormal:
		b = append(b, "\x1b[?1000h"...)
	case vt.MouseButton:
		b = append(b, "\x1b[?1002h"...)
	case vt.MouseAny:
		b = append(b, "\x1b[?1003h"...)
	}
	b = append(b, "\x1b[?1015l\x1b[?1006l\x1b[?1005l"...)
	switch m.MouseEncoding {
	case vt.MouseEncodingUTF8:
		b = append(b, "\x1b[?1005h"...)
	case vt.MouseEncodingSGR:
		b = append(b, "\x1b[?1006h"...)
	case vt.MouseEncodingURXVT:
		b = append(b, "\x1b[?1015h"...)
	}
	return b
}

// appendSGR appends a complete SGR that sets exactly st, starting from 0
// as mosh does.
func appendSGR(b []byte, st vt.Style) []byte {
	b = append(b, "\x1b[0"...)
	for _, a := range []struct {
		attr vt.Attr
		code string
	}{{vt.Bold, ";1"}, {vt.Dim, ";2"}, {vt.Italic, ";3"}, {vt.Blink, ";5"}, {vt.Inverse, ";7"}, {vt.Hidden, ";8"}, {vt.Strikethrough, ";9"}} {
		if st.Attrs&a.attr != 0 {
			b = append(b, a.code...)
		}
	}
	if st.Underline != vt.UnderlineNone {
		b = append(b, ";4"...)
	}
	b = appendColor(b, st.Fg, 30, 90, "38")
	b = appendColor(b, st.Bg, 40, 100, "48")
	return append(b, 'm')
}

func appendColor(b []byte, c vt.Color, base, bright int, ext string) []byte {
	switch {
	case c.IsIndexed() && c.Index() < 8:
		b = append(b, ';')
		b = strconv.AppendInt(b, int64(base+int(c.Index())), 10)
	case c.IsIndexed() && c.Index() < 16:
		b = append(b, ';')
		b = strconv.AppendInt(b, int64(bright+int(c.Index())-8), 10)
	case c.IsIndexed():
		b = append(b, ';')
		b = append(b, ext...)
		b = append(b, ";5;"...)
		b = strconv.AppendInt(b, int64(c.Index()), 10)
	case c.IsRGB():
		r, g, bl := c.RGB()
		b = append(b, ';')
		b = append(b, ext...)
		b = append(b, ";2;"...)
		b = strconv.AppendInt(b, int64(r), 10)
		b = append(b, ';')
		b = strconv.AppendInt(b, int64(g), 10)
		b = append(b, ';')
		b = strconv.AppendInt(b, int64(bl), 10)
	}
	return b
}
