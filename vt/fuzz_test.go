package vt_test

import (
	"testing"

	"github.com/goshterm/gosh/vt"
)

// FuzzEmulator feeds random bytes to screens of random sizes, resizing in
// between: no panic, the cursor always inside the screen, every row
// exactly the screen's width with wide cells paired, a Clone FrameEqual to
// its original, and a resize never loses the cursor.
func FuzzEmulator(f *testing.F) {
	for _, seed := range []string{
		"hello\r\nworld",
		"\x1b[2J\x1b[H\x1b[1;31mred\x1b[m",
		"中文👨\u200d👩\u200d👧e\u0301🇫🇷",
		"\x1b[?1049h\x1b[5;10r\x1b[?6h\x1b[3;3Hx\x1b[L\x1b[M\x1b[?1049l",
		"\x1b[?7l0123456789abcdef中\x1b[?7h\x1b[4h中中\x1b[1@\x1b[P",
		"\x1b(0lqqk\x1b)0\x0exx\x0f\x1b#8\x1b[3b\x1bc",
		"\x1b]8;id=1;http://x\x07link\x1b]8;;\x07\x1b]0;t\x07\x1b]52;c;YQ==\x07",
		"\x1b[38:2::1:2:3;48;5;200;58:5:1;4:3m\x1b[1\"qP\x1b[?2K",
		"\x1b[99999;99999H\x1b[99999@\x1b[99999P\x1b[99999X\x1b[99999b",
	} {
		f.Add([]byte(seed), uint8(10), uint8(4), uint8(7), uint8(3))
	}
	f.Fuzz(func(t *testing.T, data []byte, c1, r1, c2, r2 uint8) {
		s := vt.NewScreen(int(c1%100)+1, int(r1%50)+1)
		s.SetScrollbackLimit(20)
		half := len(data) / 2
		s.Write(data[:half])
		checkInvariants(t, s)
		c := s.Clone()
		if !c.FrameEqual(s) {
			t.Fatalf("clone not FrameEqual to its original")
		}
		s.Resize(int(c2%100)+1, int(r2%50)+1)
		checkInvariants(t, s)
		s.Write(data[half:])
		checkInvariants(t, s)
		// The clone was not disturbed by what happened to the original.
		checkInvariants(t, c)
		c.Write(data[half:])
		checkInvariants(t, c)
		for i := 0; i < s.ScrollbackLen(); i++ {
			if s.ScrollbackLine(i) == nil {
				t.Fatalf("scrollback line %d missing", i)
			}
		}
	})
}
