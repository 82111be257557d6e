package vt

import (
	"fmt"
	"testing"
	"unsafe"
)

// TestCollectTables fills the style table past its limit: unused styles
// are collected, the cells on screen and in the scrollback keep theirs, and
// a clone taken before keeps rendering correctly.
func TestCollectTables(t *testing.T) {
	defer func(n int) { maxStyles = n }(maxStyles)
	maxStyles = 16
	s := NewScreen(10, 2)
	s.WriteString("\x1b[31mA\x1b[m\r\n\x1b[32mB\x1b[m\r\n") // A scrolls into the scrollback
	c := s.Clone()
	for i := 0; i < 100; i++ {
		fmt.Fprintf(s, "\x1b[38;5;%dmx\b", 100+i)
	}
	if len(s.tab.styles) > maxStyles {
		t.Fatalf("style table has %d entries, limit %d", len(s.tab.styles), maxStyles)
	}
	if got := s.ScrollbackLine(0)[0].Style.Fg; got != IndexedColor(1) {
		t.Errorf("scrollback cell colour %v after collection, want 1", got)
	}
	if got := s.Cell(0, 0).Style.Fg; got != IndexedColor(2) {
		t.Errorf("screen cell colour %v after collection, want 2", got)
	}
	if got := s.Cell(0, 1).Style.Fg; got != IndexedColor(199) {
		t.Errorf("last written cell colour %v, want 199", got)
	}
	if got := c.Cell(0, 0).Style.Fg; got != IndexedColor(2) {
		t.Errorf("clone's cell colour %v, want 2", got)
	}
}

// TestCellSize keeps the internal cell at 8 bytes (the scrollback budget
// depends on it).
func TestCellSize(t *testing.T) {
	if got := int(sizeofCell()); got != 8 {
		t.Errorf("cell is %d bytes, want 8", got)
	}
}

func sizeofCell() uintptr { return unsafe.Sizeof(cell{}) }
