package predict

import (
	"strconv"

	"github.com/goshterm/gosh/vt"
)

// Apply returns what the user should see: fb, the newest server frame, with
// the confirmed guesses drawn over it — cells replaced (underlined while
// flagging), "unknown" cells underlined, the cursor at its guessed place.
// When nothing is to be drawn it returns fb itself; otherwise a copy
// (fb.Clone), so fb is never changed. Either way the caller must treat the
// result as read-only. Call Cull with fb first.
//
// Only the frame's cells and cursor position are meant to differ: the
// copy's other state (saved cursor, insert mode, character sets) is not
// for use.
func (e *Engine) Apply(fb *vt.Screen) *vt.Screen {
	if !e.Showing() || e.mode == Never {
		return fb
	}
	cols, rows := fb.Size()
	if cols != e.cols || rows != e.rows || !e.Active() {
		return fb
	}
	b := e.bounds(fb)
	right := b.X + b.W
	fc := fb.Cursor()
	buf := append(e.buf[:0], "\x1b7\x1b[?6l\x1b[?7l\x1b[4l\x1b(B\x0f"...)
	start := len(buf)
	link := fb.Pen()
	for y, row := range e.cells {
		if e.live[y] == 0 {
			continue
		}
		for x := range row {
			p := &row[x]
			if !p.active || !b.Contains(Point{x, y}) {
				continue
			}
			g := oldGuess{text: p.text, style: p.style, unknown: p.unknown}
			switch {
			case p.epoch <= e.confirmed:
			case p.hasOld:
				g = p.old
			default:
				continue
			}
			act := fb.Cell(x, y)
			if act.Width == 2 && x+1 >= right || act.Width == 0 && act.Text == "" && x > 0 && x-1 < b.X {
				continue // drawing here would change a wide character's other half outside the pane
			}
			var text string
			var st vt.Style
			switch {
			case g.unknown:
				if !e.flagging || x == right-1 || act.Width == 0 && act.Text == "" || act.Style.Underline != vt.UnderlineNone {
					continue
				}
				text, st = act.Text, act.Style
				st.Underline = vt.UnderlineSingle
			case textEqual(act.Text, g.text) && act.Style == g.style:
				continue
			default:
				text, st = g.text, g.style
				if e.flagging && !(blankText(g.text) && blankText(act.Text)) {
					st.Underline = vt.UnderlineSingle
				}
			}
			if blankText(text) {
				text = " "
			}
			if x > 0 && !e.separate(e.shownText(x-1, y, fb), text) {
				continue
			}
			buf = append(buf, "\x1b["...)
			buf = strconv.AppendInt(buf, int64(y+1), 10)
			buf = append(buf, ';')
			buf = strconv.AppendInt(buf, int64(x+1), 10)
			buf = append(buf, 'H')
			buf = appendStyle(buf, st, &link)
			buf = append(buf, text...)
			if !p.unknown && !p.shown && p.epoch <= e.confirmed {
				p.shown = true
				e.stats.Shown++
			}
		}
	}
	cx, cy, moved := fc.X, fc.Y, false
	for i := range e.cursors {
		c := &e.cursors[i]
		if c.epoch <= e.confirmed {
			cx, cy, moved = c.x, c.y, true
			c.shown = c.shown || !c.anchor && (c.x != fc.X || c.y != fc.Y)
		}
	}
	moved = moved && (cx != fc.X || cy != fc.Y)
	if len(buf) == start && !moved {
		return fb
	}
	buf = append(buf, "\x1b8"...)
	if fb.Modes().Insert {
		buf = append(buf, "\x1b[4h"...)
	}
	if moved {
		buf = appendMove(buf, fc, cx, cy, fb.Modes().Origin)
	}
	e.buf = buf
	out := fb.Clone()
	out.Write(buf)
	return out
}

// shownText is the text the overlay puts at (x, y): a shown guess, else
// the frame's.
func (e *Engine) shownText(x, y int, fb *vt.Screen) string {
	if y < len(e.cells) && e.cells[y] != nil && x >= 0 && x < len(e.cells[y]) {
		if p := &e.cells[y][x]; p.active && !p.unknown && p.epoch <= e.confirmed {
			return p.text
		} else if p.active && p.hasOld && !p.old.unknown {
			return p.old.text
		}
	}
	return fb.Cell(x, y).Text
}

// appendMove moves the cursor from c to (x, y). Without origin mode that is
// CUP; with it CUP would be relative to the scroll region, which the frame
// doesn't expose, so the move is made with relative motions (CUU/CUD/CUF/
// CUB, ECMA-48 §8.3.22, 19, 20, 18).
func appendMove(buf []byte, c vt.Cursor, x, y int, origin bool) []byte {
	if !origin {
		buf = append(buf, "\x1b["...)
		buf = strconv.AppendInt(buf, int64(y+1), 10)
		buf = append(buf, ';')
		buf = strconv.AppendInt(buf, int64(x+1), 10)
		return append(buf, 'H')
	}
	rel := func(buf []byte, n int, pos, neg byte) []byte {
		if n == 0 {
			return buf
		}
		f := pos
		if n < 0 {
			n, f = -n, neg
		}
		buf = append(buf, "\x1b["...)
		buf = strconv.AppendInt(buf, int64(n), 10)
		return append(buf, f)
	}
	buf = rel(buf, y-c.Y, 'B', 'A')
	return rel(buf, x-c.X, 'C', 'D')
}

// appendStyle appends SGR (ECMA-48 §8.3.117, with xterm's 38/48 colour
// forms and the kitty/VTE 4:n underline styles and 58 underline colour)
// that sets the pen to st, and an OSC 8 hyperlink change when the link
// differs from *cur.
func appendStyle(buf []byte, st vt.Style, cur *vt.Style) []byte {
	if st.Link != cur.Link || st.LinkID != cur.LinkID {
		buf = append(buf, "\x1b]8;"...)
		if st.LinkID != "" {
			buf = append(buf, "id="...)
			buf = append(buf, st.LinkID...)
		}
		buf = append(buf, ';')
		buf = append(buf, st.Link...)
		buf = append(buf, "\x1b\\"...)
		cur.Link, cur.LinkID = st.Link, st.LinkID
	}
	buf = append(buf, "\x1b[0"...)
	for _, a := range attrSGR {
		if st.Attrs&a.attr != 0 {
			buf = append(buf, a.sgr...)
		}
	}
	switch st.Underline {
	case vt.UnderlineNone:
	case vt.UnderlineSingle:
		buf = append(buf, ";4"...)
	default:
		buf = append(buf, ";4:"...)
		buf = strconv.AppendInt(buf, int64(st.Underline), 10)
	}
	buf = appendColor(buf, st.Fg, 30, 90, 38)
	buf = appendColor(buf, st.Bg, 40, 100, 48)
	buf = appendColor(buf, st.UnderlineColor, 0, 0, 58)
	return append(buf, 'm')
}

var attrSGR = []struct {
	attr vt.Attr
	sgr  string
}{
	{vt.Bold, ";1"}, {vt.Dim, ";2"}, {vt.Italic, ";3"}, {vt.Blink, ";5"},
	{vt.Inverse, ";7"}, {vt.Hidden, ";8"}, {vt.Strikethrough, ";9"}, {vt.Overline, ";53"},
}

// appendColor appends one colour: the 8 basic and 8 bright colours with
// their short codes (base, bright) when given, else ext;5;n or
// ext;2;r;g;b.
func appendColor(buf []byte, c vt.Color, base, bright, ext int) []byte {
	switch {
	case c.IsIndexed():
		n := int(c.Index())
		switch {
		case base != 0 && n < 8:
			buf = append(buf, ';')
			return strconv.AppendInt(buf, int64(base+n), 10)
		case bright != 0 && n < 16:
			buf = append(buf, ';')
			return strconv.AppendInt(buf, int64(bright+n-8), 10)
		}
		buf = append(buf, ';')
		buf = strconv.AppendInt(buf, int64(ext), 10)
		buf = append(buf, ";5;"...)
		return strconv.AppendInt(buf, int64(n), 10)
	case c.IsRGB():
		r, g, b := c.RGB()
		buf = append(buf, ';')
		buf = strconv.AppendInt(buf, int64(ext), 10)
		buf = append(buf, ";2;"...)
		buf = strconv.AppendInt(buf, int64(r), 10)
		buf = append(buf, ';')
		buf = strconv.AppendInt(buf, int64(g), 10)
		buf = append(buf, ';')
		return strconv.AppendInt(buf, int64(b), 10)
	}
	return buf
}
