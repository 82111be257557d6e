package vttest

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"

	"github.com/goshterm/gosh/vt"
)

// Dump renders s as stable, diffable text:
//
//	+-----+          the visible grid inside a border; an empty cell is a
//	|ab   |          space, a wide cell's text fills both its columns; a
//	|wide |          row containing non-printable text is written as a Go
//	+-----+          quoted string after the border instead
//	cursor=(2,0) visible shape=default
//	wrapped 0 3      rows that soft-wrap (only when any do)
//	attr 0 0-1 fg=1 bold       runs of styled cells: row, columns (inclusive), vt.Style.String
//	pen fg=2         the current rendition (only when not default)
//	title "t"        title, icon, clipboard, bells, modes (only when set)
func Dump(s *vt.Screen) string {
	cols, rows := s.Size()
	var b strings.Builder
	border := "+" + strings.Repeat("-", cols) + "+\n"
	b.WriteString(border)
	for y := 0; y < rows; y++ {
		var row strings.Builder
		for x := 0; x < cols; x++ {
			c := s.Cell(x, y)
			switch {
			case c.Width == 0:
			case c.Text == "":
				row.WriteByte(' ')
			default:
				row.WriteString(c.Text)
			}
		}
		line := row.String()
		if printable(line) {
			b.WriteString("|" + line + "|\n")
		} else {
			b.WriteString("|" + strings.Repeat("?", cols) + "| " + strconv.Quote(line) + "\n")
		}
	}
	b.WriteString(border)
	cur := s.Cursor()
	vis := "visible"
	if !cur.Visible {
		vis = "hidden"
	}
	fmt.Fprintf(&b, "cursor=(%d,%d) %s shape=%s", cur.X, cur.Y, vis, shapeName(cur.Shape))
	if cur.Blink {
		b.WriteString(" blink")
	}
	b.WriteByte('\n')
	var wrapped []string
	for y := 0; y < rows; y++ {
		if s.RowWrapped(y) {
			wrapped = append(wrapped, strconv.Itoa(y))
		}
	}
	if len(wrapped) > 0 {
		b.WriteString("wrapped " + strings.Join(wrapped, " ") + "\n")
	}
	b.WriteString(Attrs(s))
	if p := s.Pen().String(); p != "" {
		b.WriteString("pen " + p + "\n")
	}
	if t := s.Title(); t != "" {
		b.WriteString("title " + strconv.Quote(t) + "\n")
	}
	if t := s.IconName(); t != "" {
		b.WriteString("icon " + strconv.Quote(t) + "\n")
	}
	if sel, data := s.Clipboard(); sel != "" || data != "" {
		fmt.Fprintf(&b, "clipboard %q %q\n", sel, data)
	}
	if n := s.BellCount(); n > 0 {
		fmt.Fprintf(&b, "bells %d\n", n)
	}
	if m := modes(s.Modes()); m != "" {
		b.WriteString("modes " + m + "\n")
	}
	return b.String()
}

// Attrs lists the runs of styled cells, one per line:
// "attr ROW FIRST-LAST STYLE", columns inclusive and 0-based, STYLE as
// vt.Style.String formats it. Runs end at a style change or the row's end.
func Attrs(s *vt.Screen) string {
	_, rows := s.Size()
	var b strings.Builder
	for y := 0; y < rows; y++ {
		for _, r := range s.StyleRuns(y) {
			fmt.Fprintf(&b, "attr %d %d-%d %s\n", y, r.Start, r.End-1, r.Style)
		}
	}
	return b.String()
}

func printable(s string) bool {
	for _, r := range s {
		if unicode.IsControl(r) {
			return false
		}
	}
	return true
}

func shapeName(c vt.CursorShape) string {
	switch c {
	case vt.CursorBlock:
		return "block"
	case vt.CursorUnderline:
		return "underline"
	case vt.CursorBar:
		return "bar"
	}
	return "default"
}

// modes lists the modes that differ from a fresh screen's.
func modes(m vt.Modes) string {
	var out []string
	add := func(on bool, name string) {
		if on {
			out = append(out, name)
		}
	}
	add(m.AppCursorKeys, "appcursor")
	add(m.AppKeypad, "appkeypad")
	add(m.BracketedPaste, "bracketedpaste")
	add(m.FocusEvents, "focus")
	add(m.SyncOutput, "sync")
	add(m.ReverseVideo, "reverse")
	if m.Mouse != vt.MouseNone {
		out = append(out, fmt.Sprintf("mouse=%d", m.Mouse))
	}
	if m.MouseEncoding != vt.MouseEncodingDefault {
		out = append(out, fmt.Sprintf("mouseenc=%d", m.MouseEncoding))
	}
	add(m.Insert, "insert")
	add(m.Origin, "origin")
	add(!m.Autowrap, "noautowrap")
	add(m.NewLine, "newline")
	add(m.AltScreen, "altscreen")
	return strings.Join(out, " ")
}
