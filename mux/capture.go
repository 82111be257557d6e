package mux

import (
	"strconv"
	"strings"

	"github.com/goshterm/gosh/mux/command"
	"github.com/goshterm/gosh/vt"
)

// capture renders lines of a screen and its scrollback as capture-pane -p
// does. Line 0 is the top visible row; -1 the newest scrollback line.
func capture(scr *vt.Screen, o command.CaptureOptions) string {
	cols, rows := scr.Size()
	hist := scr.ScrollbackLen()
	start, end := 0, rows-1
	if o.HasStart {
		start = o.Start
		if o.StartHistory {
			start = -hist
		}
	}
	if o.HasEnd {
		end = o.End
		if o.EndVisible {
			end = rows - 1
		}
	}
	// tmux clamps both ends into the history and screen, then orders them.
	start = min(max(start, -hist), rows-1)
	end = min(max(end, -hist), rows-1)
	if end < start {
		start, end = end, start
	}
	var b strings.Builder
	// One row buffer for every visible row: a fresh one per row made a
	// 200x60 capture allocate ~0.7 MiB of garbage, which an idle daemon
	// (whose heap is below the collector's 4 MiB minimum goal) kept
	// resident.
	var row []vt.Cell
	for l := start; l <= end; l++ {
		var cells []vt.Cell
		var wrapped bool
		if l < 0 {
			cells = scr.ScrollbackLine(hist + l)
			wrapped = scr.ScrollbackWrapped(hist + l)
		} else {
			if row == nil {
				row = make([]vt.Cell, cols)
			}
			cells = row
			for x := range cols {
				cells[x] = scr.Cell(x, l)
			}
			wrapped = scr.RowWrapped(l)
		}
		join := o.Join && wrapped && l < end
		writeLine(&b, cells, o.Escapes, o.Join || o.PreserveTrailing)
		if !join {
			b.WriteByte('\n')
		}
	}
	return b.String()
}

// writeLine writes one row's text; blank cells are spaces, and trailing
// ones are dropped — with keepTrailing (-N, -J) only those never written
// (Text ""), so that the spaces a program wrote stay, as tmux's
// grid_string_cells stops at the line's used cells. With escapes each
// change of style is an SGR sequence (ECMA-48 §8.3.117), reset at the end
// of the line.
func writeLine(b *strings.Builder, cells []vt.Cell, escapes, keepTrailing bool) {
	last := len(cells)
	for last > 0 && (cells[last-1].Text == "" || (!keepTrailing && cells[last-1].Text == " ")) && (!escapes || cells[last-1].Style.Bg.IsDefault()) {
		last--
	}
	var cur vt.Style
	prevWide := false
	for _, c := range cells[:last] {
		if prevWide && c.Width == 0 {
			prevWide = false // the second column of a wide character
			continue
		}
		prevWide = c.Width == 2
		if escapes && c.Style != cur {
			b.WriteString(sgr(c.Style))
			cur = c.Style
		}
		if c.Text == "" {
			b.WriteByte(' ')
		} else {
			b.WriteString(c.Text)
		}
	}
	if escapes && cur != (vt.Style{}) {
		b.WriteString("\x1b[0m")
	}
}

// sgr returns the SGR sequence that sets exactly style st.
func sgr(st vt.Style) string {
	p := []string{"0"}
	for _, a := range []struct {
		attr vt.Attr
		code string
	}{{vt.Bold, "1"}, {vt.Dim, "2"}, {vt.Italic, "3"}, {vt.Blink, "5"}, {vt.Inverse, "7"}, {vt.Hidden, "8"}, {vt.Strikethrough, "9"}, {vt.Overline, "53"}} {
		if st.Attrs&a.attr != 0 {
			p = append(p, a.code)
		}
	}
	switch st.Underline {
	case vt.UnderlineNone:
	case vt.UnderlineSingle:
		p = append(p, "4")
	default:
		p = append(p, "4:"+strconv.Itoa(int(st.Underline)))
	}
	p = append(p, color(st.Fg, 30, 90, "38")...)
	p = append(p, color(st.Bg, 40, 100, "48")...)
	return "\x1b[" + strings.Join(p, ";") + "m"
}

func color(c vt.Color, base, bright int, ext string) []string {
	switch {
	case c.IsDefault():
		return nil
	case c.IsRGB():
		r, g, b := c.RGB()
		return []string{ext, "2", strconv.Itoa(int(r)), strconv.Itoa(int(g)), strconv.Itoa(int(b))}
	case c.Index() < 8:
		return []string{strconv.Itoa(base + int(c.Index()))}
	case c.Index() < 16:
		return []string{strconv.Itoa(bright + int(c.Index()) - 8)}
	}
	return []string{ext, "5", strconv.Itoa(int(c.Index()))}
}
