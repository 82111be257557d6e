package vt_test

import (
	"testing"

	"github.com/goshterm/gosh/vt"
)

// TestFirstWriteSplitSequences: a new screen's (or clone's) first Write
// runs on a lent parser; a sequence, string or character cut off at its
// end still continues with the next Write, as on any screen.
func TestFirstWriteSplitSequences(t *testing.T) {
	for _, tc := range []struct {
		name, a, b string
		check      func(s *vt.Screen) bool
	}{
		{"csi", "\x1b[3", "1mX", func(s *vt.Screen) bool {
			c := s.Cell(0, 0)
			return c.Text == "X" && c.Style.Fg == vt.IndexedColor(1)
		}},
		{"osc", "\x1b]2;ti", "tle\x07", func(s *vt.Screen) bool { return s.Title() == "title" }},
		{"osc st", "\x1b]2;title\x1b", "\\X", func(s *vt.Screen) bool { return s.Title() == "title" && s.Cell(0, 0).Text == "X" }},
		{"utf-8", "\xc3", "\xa9", func(s *vt.Screen) bool { return s.Cell(0, 0).Text == "é" }},
	} {
		for _, clone := range []bool{false, true} {
			s := vt.NewScreen(10, 2)
			if clone {
				s.WriteString("q\r")
				s = s.Clone()
			}
			s.WriteString(tc.a)
			// Another new screen's first Write in between takes a parser
			// from the pool too.
			other := vt.NewScreen(10, 2)
			other.WriteString("\x1b]2;other\x07plain")
			s.WriteString(tc.b)
			if !tc.check(s) {
				t.Errorf("%s (clone %v): split across two writes, got cell %+v title %q", tc.name, clone, s.Cell(0, 0), s.Title())
			}
			if other.Title() != "other" || other.Cell(0, 0).Text != "p" {
				t.Errorf("%s: the other screen shows title %q cell %q", tc.name, other.Title(), other.Cell(0, 0).Text)
			}
		}
	}
}

// TestLentParserStartsClean: a screen whose first Write ends idle gives
// its parser back; the next screen to get it starts from the ground state,
// with no leftover of the last string it parsed.
func TestLentParserStartsClean(t *testing.T) {
	for range 20 {
		a := vt.NewScreen(10, 2)
		a.WriteString("\x1b]2;first\x07\x1b[1m")
		b := vt.NewScreen(10, 2)
		b.WriteString("\x07\x1b]2;b\x07Z") // a BEL alone (no string is open), then a title
		if b.Title() != "b" || b.Cell(0, 0).Text != "Z" || b.Cell(0, 0).Style != (vt.Style{}) {
			t.Fatalf("second screen: title %q cell %+v, want title b and a plain Z", b.Title(), b.Cell(0, 0))
		}
	}
}
