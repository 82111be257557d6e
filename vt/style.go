package vt

import (
	"fmt"
	"strings"
)

// String formats a colour stably: "default", an index "n" (0–255), or
// "#rrggbb".
func (c Color) String() string {
	switch {
	case c.IsIndexed():
		return fmt.Sprint(c.Index())
	case c.IsRGB():
		r, g, b := c.RGB()
		return fmt.Sprintf("#%02x%02x%02x", r, g, b)
	}
	return "default"
}

var underlineNames = [...]string{"none", "single", "double", "curly", "dotted", "dashed"}

// String returns the underline style's name.
func (u UnderlineStyle) String() string {
	if int(u) < len(underlineNames) {
		return underlineNames[u]
	}
	return fmt.Sprintf("UnderlineStyle(%d)", u)
}

var attrNames = []struct {
	a    Attr
	name string
}{
	{Bold, "bold"}, {Dim, "dim"}, {Italic, "italic"}, {Blink, "blink"},
	{Inverse, "inverse"}, {Hidden, "hidden"}, {Strikethrough, "strike"},
	{Overline, "overline"},
}

// String formats a style as space-separated tokens in this fixed order,
// each present only when it differs from the default:
//
//	fg=C bg=C bold dim italic blink inverse hidden strike overline ul=KIND ulc=C link=URI linkid=ID
//
// where C is a colour as Color.String formats it and KIND an underline
// style name (single, double, curly, dotted, dashed). The default style
// is "". This format is stable: `gosh debug vt --attrs` and vttest.Dump
// print it, and bug reports and golden files depend on it.
func (st Style) String() string {
	var b strings.Builder
	tok := func(s string) {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(s)
	}
	if st.Fg != 0 {
		tok("fg=" + st.Fg.String())
	}
	if st.Bg != 0 {
		tok("bg=" + st.Bg.String())
	}
	for _, an := range attrNames {
		if st.Attrs&an.a != 0 {
			tok(an.name)
		}
	}
	if st.Underline != UnderlineNone {
		tok("ul=" + st.Underline.String())
	}
	if st.UnderlineColor != 0 {
		tok("ulc=" + st.UnderlineColor.String())
	}
	if st.Link != "" {
		tok("link=" + st.Link)
	}
	if st.LinkID != "" {
		tok("linkid=" + st.LinkID)
	}
	return b.String()
}

// StyleRun is a run of cells in one row that share a style.
type StyleRun struct {
	Start, End int // columns, End exclusive
	Style      Style
}

// StyleRuns returns the runs of non-default styles in visible row y, left
// to right (nil for an unstyled row).
func (s *Screen) StyleRuns(y int) []StyleRun {
	if y < 0 || y >= s.rows {
		return nil
	}
	var runs []StyleRun
	cells := s.cur.rows[y].cells
	for x := 0; x < len(cells); {
		st := cells[x].style
		end := x + 1
		for end < len(cells) && cells[end].style == st {
			end++
		}
		if st != 0 {
			runs = append(runs, StyleRun{Start: x, End: end, Style: s.tab.styles[st]})
		}
		x = end
	}
	return runs
}
