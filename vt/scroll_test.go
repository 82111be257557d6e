package vt

import (
	"fmt"
	"slices"
	"testing"
)

// TestScrollbackRecordRoundTrip encodes rows of every kind the scrollback
// stores and decodes them again: every cell (code point or cluster index,
// style index, width and protection flags), the width and the wrap flag
// come back exactly, and only trailing cell{} cells are left out.
func TestScrollbackRecordRoundTrip(t *testing.T) {
	ascii := func(s string, style uint16) []cell {
		out := make([]cell, len(s))
		for i := range s {
			out[i] = cell{r: rune(s[i]), style: style}
		}
		return out
	}
	pad := func(cells []cell, width int, fill cell) []cell {
		for len(cells) < width {
			cells = append(cells, fill)
		}
		return cells
	}
	long := make([]cell, 300) // a width and style indexes past one uvarint byte
	for i := range long {
		long[i] = cell{r: rune('a' + i%26), style: uint16(i * 200)}
	}
	for _, tc := range []struct {
		name    string
		cells   []cell
		wrapped bool
		kind    byte
		stored  int // cells stored
	}{
		{"empty row", make([]cell, 100), false, recPlain, 0},
		{"seq line", pad(ascii("1234", 0), 100, cell{}), false, recPlain, 4},
		{"full plain row, wrapped", ascii("the quick brown fox jumps over the lazy dog", 0), true, recPlain, 43},
		{"interior empty cells", pad(append(ascii("a", 0), cell{}, cell{}, cell{r: 'b'}), 10, cell{}), false, recPlain, 4},
		{"one coloured run", pad(ascii("red", 7), 20, cell{}), false, recASCII, 3},
		{"several runs", pad(slices.Concat(ascii("ls ", 0), ascii("dir", 3), ascii(" file", 0), ascii("x", 4)), 30, cell{}), false, recASCII, 12},
		{"coloured trailing blanks are kept", pad(ascii("prompt", 0), 30, cell{style: 9}), false, recASCII, 30},
		{"coloured blanks then default blanks", pad(pad(ascii("x", 0), 5, cell{style: 2}), 12, cell{}), true, recASCII, 5},
		{"protected blank at the end", pad(append(ascii("p", 0), cell{flags: cellProtected}), 8, cell{}), false, recCells, 2},
		{"wide characters", pad([]cell{{r: '中', flags: cellWide}, {flags: cellTail}, {r: 'x'}, {r: '文', style: 5, flags: cellWide}, {style: 5, flags: cellTail}}, 9, cell{}), false, recCells, 5},
		{"wide padding at the end of a wrapped row", append(ascii("abcde", 0), cell{}), true, recPlain, 5},
		{"clusters", pad([]cell{{r: 70000, flags: cellCluster | cellWide, style: 1}, {style: 1, flags: cellTail}, {r: 3, flags: cellCluster}}, 6, cell{}), false, recCells, 3},
		{"emoji code point", pad([]cell{{r: 0x1F600, flags: cellWide}, {flags: cellTail}}, 4, cell{}), false, recCells, 2},
		{"long row with many styles", long, true, recASCII, 300},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// The encoding is the same whether cells are read as words
			// (little-endian machines) or field by field.
			native := littleEndian
			defer func() { littleEndian = native }()
			littleEndian = false
			slow := encodeLine(nil, tc.cells, len(tc.cells), tc.wrapped)
			littleEndian = native
			rec := encodeLine(nil, tc.cells, len(tc.cells), tc.wrapped)
			if !slices.Equal(rec, slow) {
				t.Errorf("encoded as words %x, field by field %x", rec, slow)
			}
			if len(rec) > maxRecordLen(len(tc.cells)) {
				t.Errorf("record of %d bytes, over the bound %d", len(rec), maxRecordLen(len(tc.cells)))
			}
			if kind := rec[0] & recKindMask; kind != tc.kind {
				t.Errorf("stored as kind %d, want %d", kind>>1, tc.kind>>1)
			}
			got, width, wrapped := decodeLine(rec, nil)
			if width != len(tc.cells) || wrapped != tc.wrapped {
				t.Errorf("width %d wrapped %v, want %d %v", width, wrapped, len(tc.cells), tc.wrapped)
			}
			if len(got) != tc.stored {
				t.Errorf("stored %d cells, want %d", len(got), tc.stored)
			}
			got = pad(got, width, cell{})
			if !slices.Equal(got, tc.cells) {
				t.Errorf("decoded\n%v\nwant\n%v", got, tc.cells)
			}
			// A record decodes the same when it is not at the start of
			// the buffer and other records follow.
			buf := encodeLine([]byte("xyz"), tc.cells, len(tc.cells), tc.wrapped)
			buf = encodeLine(buf, []cell{{r: 'q'}}, 1, false)
			if again, _, _ := decodeLine(buf[3:], nil); !slices.Equal(pad(again, width, cell{}), tc.cells) {
				t.Errorf("decoded from inside a buffer: %v", again)
			}
		})
	}
}

// TestScrollbackPlainLinesTakeAByteACell checks the density the issue
// asks for: a `seq` line costs a few bytes, an 80-column ASCII line about
// one byte per used cell, whatever the pane's width.
func TestScrollbackPlainLinesTakeAByteACell(t *testing.T) {
	row := make([]cell, 100)
	for i, ch := range "10000" {
		row[i] = cell{r: ch}
	}
	if n := len(encodeLine(nil, row, 100, false)); n > 8 {
		t.Errorf("a 5-character line in a 100-column row takes %d bytes, want ≤ 8", n)
	}
	for i := range 80 {
		row[i] = cell{r: rune('a' + i%26)}
	}
	if n := len(encodeLine(nil, row, 100, false)); n > 84 {
		t.Errorf("an 80-character line takes %d bytes, want ≤ 84", n)
	}
}

// TestScrollbackChunksReusedOnlyWhenUnshared fills a small scrollback
// many times over: the chunks it empties are reused (a steady state that
// allocates nothing), except those a clone may still read, whose lines
// stay intact in the clone.
func TestScrollbackChunksReusedOnlyWhenUnshared(t *testing.T) {
	s := NewScreen(40, 2)
	s.SetScrollbackLimit(200)
	line := func(i int) string { return fmt.Sprintf("line %d %s", i, "some filler text to make records longer") }
	for i := range 2000 {
		fmt.Fprintf(s, "%s\r\n", line(i))
	}
	if len(s.sb.spare) == 0 {
		t.Fatalf("no emptied chunk kept for reuse after 2000 lines through a 200-line scrollback")
	}
	c := s.Clone()
	shared := slices.Clone(c.sb.chunks)
	for i := 2000; i < 4000; i++ {
		fmt.Fprintf(s, "%s\r\n", line(i))
	}
	for _, ch := range s.sb.chunks {
		if slices.Contains(shared, ch) {
			t.Errorf("the original still holds a chunk shared with the clone after 2000 more lines")
		}
	}
	for _, sp := range s.sb.spare {
		if slices.Contains(shared, sp) {
			t.Fatalf("a chunk shared with a clone was kept for reuse")
		}
	}
	// Compare the clone's text against a screen that saw only the first
	// 2000 lines.
	ref := NewScreen(40, 2)
	ref.SetScrollbackLimit(200)
	for i := range 2000 {
		fmt.Fprintf(ref, "%s\r\n", line(i))
	}
	if c.ScrollbackLen() != ref.ScrollbackLen() {
		t.Fatalf("clone has %d lines, want %d", c.ScrollbackLen(), ref.ScrollbackLen())
	}
	for i := range ref.ScrollbackLen() {
		if a, b := c.ScrollbackLine(i), ref.ScrollbackLine(i); !slices.Equal(a, b) {
			t.Fatalf("clone's scrollback line %d changed after the original wrote on:\n%v\nwant\n%v", i, a, b)
		}
	}
}

// FuzzScrollbackRecord round-trips arbitrary rows through the scrollback's
// record encoding: every cell, the width and the wrap flag come back.
func FuzzScrollbackRecord(f *testing.F) {
	f.Add([]byte("12345"), uint16(0), false)
	f.Add([]byte{'a', 0, 'b', 0x80, 0xff, 3, 0}, uint16(300), true)
	f.Add([]byte{0xe4, 0xb8, 0xad, 9, 9, 9, 0, 0, 0, 0}, uint16(1), false)
	f.Fuzz(func(t *testing.T, data []byte, style uint16, wrapped bool) {
		// Each 3 input bytes make a cell: a code point byte (widened
		// when ≥ 0x80), a style choice and flags; then trailing blanks.
		var cells []cell
		for i := 0; i+2 < len(data) && len(cells) < MaxSize; i += 3 {
			c := cell{r: rune(data[i]), flags: data[i+2] & 0xf}
			if c.r >= 0x80 {
				c.r = c.r<<23 | rune(data[i+1])<<8 | rune(data[i+2]) // up to 31 bits
			}
			if data[i+1]&1 != 0 {
				c.style = style + uint16(data[i+1])
			}
			cells = append(cells, c)
		}
		width := len(cells) + len(data)%7
		rec := encodeLine(nil, cells, width, wrapped)
		if len(rec) > maxRecordLen(width) {
			// pushScrollback encodes into a chunk with this much room.
			t.Fatalf("record of %d bytes, over the bound %d", len(rec), maxRecordLen(width))
		}
		got, w, wr := decodeLine(rec, nil)
		if w != width || wr != wrapped || len(got) > len(cells) {
			t.Fatalf("width %d wrapped %v %d cells, want %d %v ≤ %d", w, wr, len(got), width, wrapped, len(cells))
		}
		for len(got) < len(cells) {
			got = append(got, cell{})
		}
		if !slices.Equal(got, cells) {
			t.Fatalf("decoded %v, want %v", got, cells)
		}
	})
}

// TestScrollbackSharedByClone checks that Clone copies no scrollback:
// the clone reads the original's ring and chunks until it scrolls a line
// of its own, and even then only the ring and the chunk list are copied,
// never the records.
func TestScrollbackSharedByClone(t *testing.T) {
	s := NewScreen(20, 3)
	for i := range 500 {
		fmt.Fprintf(s, "line %d\r\n", i)
	}
	c := s.Clone()
	if &c.sb.idx[0] != &s.sb.idx[0] || &c.sb.chunks[0] != &s.sb.chunks[0] {
		t.Fatalf("Clone copied the scrollback's ring or chunk list")
	}
	c.WriteString("clone\r\n\r\n\r\n") // three rows: "clone" is the third line to scroll off
	s.WriteString("orig\r\n\r\n\r\n")
	if &c.sb.idx[0] == &s.sb.idx[0] {
		t.Fatalf("the ring is still shared after both scrolled")
	}
	for i, ch := range c.sb.chunks[:len(c.sb.chunks)-1] {
		if ch != s.sb.chunks[i] {
			t.Errorf("chunk %d was copied, want it shared", i)
		}
	}
	if c.sb.chunks[len(c.sb.chunks)-1] == s.sb.chunks[len(s.sb.chunks)-1] {
		t.Errorf("the clone appended to the original's last chunk")
	}
	last := func(sc *Screen) string {
		var b []byte
		cells, _, _ := decodeLine(sc.sb.record(sc.sb.len()-1), nil)
		for _, cl := range cells {
			b = append(b, byte(cl.r))
		}
		return string(b)
	}
	if last(c) != "clone" || last(s) != "orig" {
		t.Errorf("newest lines %q and %q, want clone and orig", last(c), last(s))
	}
}
