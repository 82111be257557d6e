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

// TestCellEqualIsCellCompare checks CellEqual against comparing the two
// Cells, on screens that share intern tables (a clone written to) and on
// screens that don't (written apart), with styles, links, wide and
// combining characters.
func TestCellEqualIsCellCompare(t *testing.T) {
	texts := []string{"a", "中", "e\u0301", "\x1b[31m", "\x1b[1;4m", "\x1b[m", "\x1b]8;;u\x1b\\", "\x1b]8;;\x1b\\", " ", "\x1b[K", "\r\n", "\x1b[H", "\x1b[38;2;1;2;3m"}
	for seed := range 20 {
		a := NewScreen(10, 4)
		for i := range 30 {
			a.WriteString(texts[(seed*7+i*3)%len(texts)])
		}
		b := a.Clone()
		c := NewScreen(10, 4)
		for i := range 40 {
			b.WriteString(texts[(seed*5+i)%len(texts)])
			c.WriteString(texts[(seed*3+i*5)%len(texts)])
		}
		equal := 0
		for _, o := range []*Screen{a, b, c} {
			for y := -1; y <= 4; y++ {
				for x := -1; x <= 10; x++ {
					want := a.Cell(x, y) == o.Cell(x, y)
					if got := a.CellEqual(o, x, y); got != want {
						t.Fatalf("seed %d (%d,%d): CellEqual %v, cells %+v %+v", seed, x, y, got, a.Cell(x, y), o.Cell(x, y))
					}
					if want {
						equal++
					}
				}
			}
		}
		if equal == 0 {
			t.Fatal("no equal cells compared")
		}
	}
	if NewScreen(2, 2).CellEqual(nil, 0, 0) {
		t.Error("a cell equals a missing screen's")
	}
}
