package vt_test

import (
	"testing"

	"github.com/goshterm/gosh/vt"
)

// TestCloneStylesStayApart: a clone and its original that each add styles
// of their own after the Clone (their intern tables diverge) keep drawing
// each style as written, in either order. A style cache shared between
// the two would hand one screen the other's index for a style.
func TestCloneStylesStayApart(t *testing.T) {
	s := vt.NewScreen(10, 2)
	s.WriteString("\x1b[31mA")
	c := s.Clone()
	s.WriteString("\x1b[32mB")          // green: the original's next index
	c.WriteString("\x1b[33mC")          // yellow: the clone's same index
	s.WriteString("\x1b[33mD\x1b[32mE") // each now interns the other's first
	c.WriteString("\x1b[32mF\x1b[33mG")
	for _, tc := range []struct {
		scr  *vt.Screen
		x    int
		text string
		fg   vt.Color
	}{
		{s, 0, "A", vt.IndexedColor(1)}, {s, 1, "B", vt.IndexedColor(2)}, {s, 2, "D", vt.IndexedColor(3)}, {s, 3, "E", vt.IndexedColor(2)},
		{c, 0, "A", vt.IndexedColor(1)}, {c, 1, "C", vt.IndexedColor(3)}, {c, 2, "F", vt.IndexedColor(2)}, {c, 3, "G", vt.IndexedColor(3)},
	} {
		if got := tc.scr.Cell(tc.x, 0); got.Text != tc.text || got.Style.Fg != tc.fg {
			t.Errorf("cell %d = %q fg %v, want %q fg %v", tc.x, got.Text, got.Style.Fg, tc.text, tc.fg)
		}
	}
}
