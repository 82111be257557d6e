package vt

import "testing"

// TestSameRow: after a clone, rows neither side wrote are the same stored
// rows, and a row either side wrote is not; an unrelated screen shares
// none.
func TestSameRow(t *testing.T) {
	a := NewScreen(10, 3)
	a.WriteString("one\r\ntwo\r\nthree")
	b := a.Clone()
	b.WriteString("\x1b[2;1Hxyz")
	a.WriteString("\x1b[3;1H!")
	for y, want := range []bool{true, false, false} {
		if got := b.SameRow(a, y); got != want {
			t.Errorf("SameRow(row %d) = %v, want %v", y, got, want)
		}
	}
	if got := b.Cell(0, 1).Text; got != "x" {
		t.Fatalf("clone's row 1 starts %q", got)
	}
	if a.SameRow(NewScreen(10, 3), 0) || a.SameRow(nil, 0) || a.SameRow(a, 3) {
		t.Error("SameRow true for an unrelated screen, nil or a row out of range")
	}
}
