package vt_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/goshterm/gosh/vt"
)

// screenCase is one emulator test written as data: a stream fed to a fresh
// screen, the rows expected afterwards (trailing blanks trimmed; "·" may
// stand for a space to make the picture clearer) and the cursor.
type screenCase struct {
	name       string
	cols, rows int
	in         string
	want       []string
	x, y       int
}

func runCases(t *testing.T, cases []screenCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cols, rows := tc.cols, tc.rows
			if cols == 0 {
				cols, rows = 10, 4
			}
			s := vt.NewScreen(cols, rows)
			s.WriteString(tc.in)
			got := screenRows(s)
			want := make([]string, rows)
			for i := range want {
				if i < len(tc.want) {
					want[i] = strings.TrimRight(strings.ReplaceAll(tc.want[i], "·", " "), " ")
				}
			}
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("input %q: screen\n%s\nwant\n%s", tc.in, box(got), box(want))
			}
			if c := s.Cursor(); c.X != tc.x || c.Y != tc.y {
				t.Errorf("input %q: cursor (%d,%d), want (%d,%d)", tc.in, c.X, c.Y, tc.x, tc.y)
			}
			checkInvariants(t, s)
		})
	}
}

// screenRows returns the visible rows as text, trailing blanks trimmed.
func screenRows(s *vt.Screen) []string {
	cols, rows := s.Size()
	out := make([]string, rows)
	for y := range out {
		var b strings.Builder
		for x := 0; x < cols; x++ {
			c := s.Cell(x, y)
			switch {
			case c.Width == 0:
			case c.Text == "":
				b.WriteByte(' ')
			default:
				b.WriteString(c.Text)
			}
		}
		out[y] = strings.TrimRight(b.String(), " ")
	}
	return out
}

func box(rows []string) string {
	var b strings.Builder
	for _, r := range rows {
		b.WriteString("  |" + r + "\n")
	}
	return b.String()
}

// checkInvariants asserts what must hold after any input: cursor inside
// the screen, wide cells paired, every row exactly the screen's width.
func checkInvariants(t testing.TB, s *vt.Screen) {
	t.Helper()
	cols, rows := s.Size()
	c := s.Cursor()
	if c.X < 0 || c.X >= cols || c.Y < 0 || c.Y >= rows {
		t.Fatalf("cursor (%d,%d) outside %dx%d", c.X, c.Y, cols, rows)
	}
	for y := 0; y < rows; y++ {
		width := 0
		for x := 0; x < cols; x++ {
			cell := s.Cell(x, y)
			width += cell.Width
			switch cell.Width {
			case 2:
				if x+1 >= cols || s.Cell(x+1, y).Width != 0 {
					t.Fatalf("row %d: wide cell at %d without its second half", y, x)
				}
			case 0:
				if x == 0 || s.Cell(x-1, y).Width != 2 {
					t.Fatalf("row %d: second half at %d without a wide cell", y, x)
				}
			}
		}
		if width != cols {
			t.Fatalf("row %d is %d columns wide, want %d", y, width, cols)
		}
	}
}

func TestPrinting(t *testing.T) {
	runCases(t, []screenCase{
		{name: "plain", in: "abc", want: []string{"abc"}, x: 3},
		// Deferred wrap: after the last column the cursor stays there until
		// the next character.
		{name: "pending wrap", in: "0123456789", want: []string{"0123456789"}, x: 9},
		{name: "autowrap", in: "0123456789ab", want: []string{"0123456789", "ab"}, x: 2, y: 1},
		{name: "CR cancels pending wrap", in: "0123456789\rX", want: []string{"X123456789"}, x: 1},
		{name: "no autowrap overwrites last column", in: "\x1b[?7l0123456789abc", want: []string{"012345678c"}, x: 9},
		{name: "wrap scrolls", cols: 4, rows: 2, in: "abcdefghij", want: []string{"efgh", "ij"}, x: 2, y: 1},
		{name: "wide", in: "中文", want: []string{"中文"}, x: 4},
		// A wide character at the last column wraps first.
		{name: "wide at edge wraps", in: "012345678中", want: []string{"012345678", "中"}, x: 2, y: 1},
		// Without autowrap it has nowhere to go and is dropped (as tmux does).
		{name: "wide at edge without autowrap", in: "\x1b[?7l012345678中", want: []string{"012345678"}, x: 9},
		{name: "combining joins", in: "e\u0301x", want: []string{"e\u0301x"}, x: 2},
		{name: "combining at pending wrap", in: "012345678e\u0301", want: []string{"012345678e\u0301"}, x: 9},
		{name: "zwj family is one wide cell", in: "👨\u200d👩\u200d👧x", want: []string{"👨\u200d👩\u200d👧x"}, x: 3},
		{name: "flag pair", in: "🇫🇷x", want: []string{"🇫🇷x"}, x: 3},
		{name: "overwrite half of wide", in: "中\x1b[2GX", want: []string{" X"}, x: 2},
		{name: "overwrite head of wide", in: "中\x1b[GX", want: []string{"X"}, x: 1},
		{name: "insert mode", in: "abc\r\x1b[4hXY", want: []string{"XYabc"}, x: 2},
		{name: "insert mode off", in: "abc\r\x1b[4h\x1b[4lX", want: []string{"Xbc"}, x: 1},
		{name: "invalid utf8", in: "a\xffb", want: []string{"a\ufffdb"}, x: 3},
	})
}

func TestControls(t *testing.T) {
	runCases(t, []screenCase{
		{name: "CR LF", in: "ab\r\ncd", want: []string{"ab", "cd"}, x: 2, y: 1},
		{name: "LF keeps column", in: "ab\ncd", want: []string{"ab", "  cd"}, x: 4, y: 1},
		{name: "VT and FF are LF", in: "a\x0bb\x0cc", want: []string{"a", " b", "  c"}, x: 3, y: 2},
		{name: "LNM makes LF return", in: "\x1b[20hab\ncd", want: []string{"ab", "cd"}, x: 2, y: 1},
		{name: "BS", in: "abc\x08\x08X", want: []string{"aXc"}, x: 2},
		{name: "BS stops at 0", in: "a\x08\x08\x08X", want: []string{"X"}, x: 1},
		{name: "BS at pending wrap", in: "0123456789\x08X", want: []string{"01234567X9"}, x: 9},
		{name: "HT", in: "a\tb", cols: 20, rows: 2, want: []string{"a       b"}, x: 9},
		{name: "HT stops at last column", in: "\t\t\tX", want: []string{"         X"}, x: 9},
		{name: "LF scrolls at bottom", rows: 2, cols: 5, in: "a\r\nb\r\nc", want: []string{"b", "c"}, x: 1, y: 1},
		{name: "BEL prints nothing", in: "a\x07b", want: []string{"ab"}, x: 2},
	})
}

func TestCursorMotion(t *testing.T) {
	runCases(t, []screenCase{
		{name: "CUP", in: "\x1b[3;4HX", want: []string{"", "", "   X"}, x: 4, y: 2},
		{name: "CUP defaults home", in: "abc\x1b[HX", want: []string{"Xbc"}, x: 1},
		{name: "CUP clamps", in: "\x1b[99;99HX", want: []string{"", "", "", "         X"}, x: 9, y: 3},
		{name: "HVP", in: "\x1b[2;2fX", want: []string{"", " X"}, x: 2, y: 1},
		{name: "CUU", in: "\x1b[4;5H\x1b[2AX", want: []string{"", "    X"}, x: 5, y: 1},
		{name: "CUU clamps", in: "\x1b[2;1H\x1b[9AX", want: []string{"X"}, x: 1},
		{name: "CUD", in: "\x1b[2BX", want: []string{"", "", "X"}, x: 1, y: 2},
		{name: "CUD 0 is 1", in: "\x1b[0BX", want: []string{"", "X"}, x: 1, y: 1},
		{name: "CUF", in: "\x1b[3CX", want: []string{"   X"}, x: 4},
		{name: "CUF clamps", in: "\x1b[30CX", want: []string{"         X"}, x: 9},
		{name: "CUB", in: "abcd\x1b[2DX", want: []string{"abXd"}, x: 3},
		{name: "CNL", in: "ab\x1b[2EX", want: []string{"ab", "", "X"}, x: 1, y: 2},
		{name: "CPL", in: "\x1b[3;5H\x1b[2FX", want: []string{"X"}, x: 1},
		{name: "CHA", in: "abc\x1b[2GX", want: []string{"aXc"}, x: 2},
		{name: "HPA", in: "abc\x1b[3`X", want: []string{"abX"}, x: 3},
		{name: "HPR", in: "a\x1b[2aX", want: []string{"a  X"}, x: 4},
		{name: "VPA", in: "ab\x1b[3dX", want: []string{"ab", "", "  X"}, x: 3, y: 2},
		{name: "VPR", in: "ab\x1b[2eX", want: []string{"ab", "", "  X"}, x: 3, y: 2},
		{name: "CUU stops at top margin", in: "\x1b[2;4r\x1b[3;1H\x1b[5AX", want: []string{"", "X"}, x: 1, y: 1},
		{name: "CUD stops at bottom margin", in: "\x1b[1;2r\x1b[5BX", want: []string{"", "X"}, x: 1, y: 1},
		{name: "CUD below margin goes to bottom", in: "\x1b[1;2r\x1b[3;1H\x1b[5BX", want: []string{"", "", "", "X"}, x: 1, y: 3},
	})
}

func TestErase(t *testing.T) {
	fill := "abcdefghij" + "klmnopqrst" + "uvwxyzABCD" + "EFGHIJKLM"
	runCases(t, []screenCase{
		{name: "ED 0", in: fill + "\x1b[2;3H\x1b[J", want: []string{"abcdefghij", "kl"}, x: 2, y: 1},
		{name: "ED 1", in: fill + "\x1b[2;3H\x1b[1J", want: []string{"", "   nopqrst", "uvwxyzABCD", "EFGHIJKLM"}, x: 2, y: 1},
		{name: "ED 2 keeps cursor", in: fill + "\x1b[2;3H\x1b[2J", want: nil, x: 2, y: 1},
		{name: "EL 0", in: fill + "\x1b[2;3H\x1b[K", want: []string{"abcdefghij", "kl", "uvwxyzABCD", "EFGHIJKLM"}, x: 2, y: 1},
		{name: "EL 1", in: fill + "\x1b[2;3H\x1b[1K", want: []string{"abcdefghij", "   nopqrst", "uvwxyzABCD", "EFGHIJKLM"}, x: 2, y: 1},
		{name: "EL 2", in: fill + "\x1b[2;3H\x1b[2K", want: []string{"abcdefghij", "", "uvwxyzABCD", "EFGHIJKLM"}, x: 2, y: 1},
		{name: "DECSED", in: fill + "\x1b[2;3H\x1b[?J", want: []string{"abcdefghij", "kl"}, x: 2, y: 1},
		{name: "DECSEL", in: fill + "\x1b[2;3H\x1b[?2K", want: []string{"abcdefghij", "", "uvwxyzABCD", "EFGHIJKLM"}, x: 2, y: 1},
		// DECSCA-protected text survives the selective erases but not ED/EL.
		{name: "DECSEL keeps protected", in: "ab\x1b[1\"qCD\x1b[0\"qef\x1b[?2K", want: []string{"  CD"}, x: 6},
		{name: "DECSED keeps protected", in: "\x1b[1\"qP\x1b[2\"q\r\nxy\x1b[H\x1b[?J", want: []string{"P"}, x: 0},
		{name: "EL erases protected", in: "ab\x1b[1\"qCD\x1b[2K", want: nil, x: 4},
		{name: "ECH", in: "abcdef\x1b[2G\x1b[3X", want: []string{"a   ef"}, x: 1},
		{name: "ECH past end", in: "abcdef\x1b[5G\x1b[99X", want: []string{"abcd"}, x: 4},
		{name: "EL erases whole wide char", in: "a中b\x1b[3G\x1b[1K", want: []string{"   b"}, x: 2},
	})
}

func TestInsertDelete(t *testing.T) {
	rows := "aaaa\r\nbbbb\r\ncccc\r\ndddd"
	runCases(t, []screenCase{
		{name: "ICH", in: "abcdef\x1b[3G\x1b[2@", want: []string{"ab  cdef"}, x: 2},
		{name: "ICH pushes off the edge", in: "0123456789\x1b[1G\x1b[3@", want: []string{"   0123456"}, x: 0},
		{name: "DCH", in: "abcdef\x1b[2G\x1b[2P", want: []string{"adef"}, x: 1},
		{name: "IL", in: rows + "\x1b[2;3H\x1b[L", want: []string{"aaaa", "", "bbbb", "cccc"}, x: 0, y: 1},
		{name: "IL 2", in: rows + "\x1b[2H\x1b[2L", want: []string{"aaaa", "", "", "bbbb"}, x: 0, y: 1},
		{name: "DL", in: rows + "\x1b[2;3H\x1b[M", want: []string{"aaaa", "cccc", "dddd"}, x: 0, y: 1},
		{name: "IL inside region", in: rows + "\x1b[1;3r\x1b[2H\x1b[L", want: []string{"aaaa", "", "bbbb", "dddd"}, x: 0, y: 1},
		{name: "DL inside region", in: rows + "\x1b[1;3r\x1b[1H\x1b[M", want: []string{"bbbb", "cccc", "", "dddd"}, x: 0, y: 0},
		{name: "IL outside region ignored", in: rows + "\x1b[1;2r\x1b[4H\x1b[L", want: []string{"aaaa", "bbbb", "cccc", "dddd"}, x: 0, y: 3},
	})
}

func TestScrolling(t *testing.T) {
	rows := "aaaa\r\nbbbb\r\ncccc\r\ndddd"
	runCases(t, []screenCase{
		{name: "SU", in: rows + "\x1b[2S", want: []string{"cccc", "dddd"}, x: 4, y: 3},
		{name: "SD", in: rows + "\x1b[T", want: []string{"", "aaaa", "bbbb", "cccc"}, x: 4, y: 3},
		{name: "IND at bottom", in: rows + "\x1bDX", want: []string{"bbbb", "cccc", "dddd", "    X"}, x: 5, y: 3},
		{name: "RI at top", in: rows + "\x1b[H\x1bMX", want: []string{"X", "aaaa", "bbbb", "cccc"}, x: 1, y: 0},
		{name: "RI moves up", in: rows + "\x1bMX", want: []string{"aaaa", "bbbb", "ccccX", "dddd"}, x: 5, y: 2},
		{name: "NEL", in: "ab\x1bEX", want: []string{"ab", "X"}, x: 1, y: 1},
		{name: "C1 NEL", in: "ab\u0085X", want: []string{"ab", "X"}, x: 1, y: 1},
		{name: "DECSTBM scrolls region only", in: rows + "\x1b[2;3r\x1b[3H\n\rX", want: []string{"aaaa", "cccc", "X", "dddd"}, x: 1, y: 2},
		{name: "DECSTBM homes cursor", in: "ab\x1b[2;3rX", want: []string{"Xb"}, x: 1},
		{name: "DECSTBM invalid ignored", in: "ab\x1b[3;3rX", want: []string{"abX"}, x: 3},
		{name: "SU in region", in: rows + "\x1b[2;3r\x1b[S", want: []string{"aaaa", "cccc", "", "dddd"}, x: 0, y: 0},
		{name: "RI at region top", in: rows + "\x1b[2;3r\x1b[2H\x1bM", want: []string{"aaaa", "", "bbbb", "dddd"}, x: 0, y: 1},
		{name: "DECOM positions relative to region", in: "\x1b[2;3r\x1b[?6h\x1b[2;2HX", want: []string{"", "", " X"}, x: 2, y: 2},
		{name: "DECOM confines cursor", in: "\x1b[2;3r\x1b[?6h\x1b[9;1HX", want: []string{"", "", "X"}, x: 1, y: 2},
		{name: "DECOM off homes to screen", in: "\x1b[2;3r\x1b[?6h\x1b[?6lX", want: []string{"X"}, x: 1, y: 0},
	})
}

func TestSaveRestore(t *testing.T) {
	runCases(t, []screenCase{
		{name: "DECSC DECRC", in: "ab\x1b7\x1b[3;3Hx\x1b8X", want: []string{"abX", "", "  x"}, x: 3},
		{name: "SCOSC SCORC", in: "ab\x1b[s\x1b[3;3Hx\x1b[uX", want: []string{"abX", "", "  x"}, x: 3},
		{name: "DECRC without DECSC homes", in: "ab\x1b8X", want: []string{"Xb"}, x: 1},
	})
	s := vt.NewScreen(10, 4)
	s.WriteString("\x1b[1;31m\x1b7\x1b[0m\x1b8")
	if p := s.Pen(); p.Fg != vt.IndexedColor(1) || p.Attrs != vt.Bold {
		t.Errorf("DECRC restored pen %v, want fg=1 bold", p)
	}
	s.WriteString("\x1b(0\x1b7\x1b(B\x1b8q")
	if c := s.Cell(0, 0).Text; c != "─" {
		t.Errorf("DECRC didn't restore the DEC graphics charset: printed %q", c)
	}
}

func TestTabStops(t *testing.T) {
	runCases(t, []screenCase{
		{name: "HTS", cols: 20, rows: 2, in: "\x1b[4G\x1bH\rX\tY", want: []string{"X  Y"}, x: 4},
		{name: "TBC 0", cols: 20, rows: 2, in: "\x1b[9G\x1b[g\r\tY", want: []string{"                Y"}, x: 17},
		{name: "TBC 3", cols: 20, rows: 2, in: "\x1b[3g\tY", want: []string{"                   Y"}, x: 19},
		{name: "CHT", cols: 30, rows: 2, in: "\x1b[2IY", want: []string{"                Y"}, x: 17},
		{name: "CBT", cols: 30, rows: 2, in: "\x1b[20G\x1b[2ZY", want: []string{"        Y"}, x: 9},
		{name: "CBT one", cols: 30, rows: 2, in: "\x1b[20G\x1bZ\x1b[ZY", want: []string{"                Y"}, x: 17},
	})
}

func TestCharsets(t *testing.T) {
	runCases(t, []screenCase{
		{name: "DEC graphics in G0", in: "\x1b(0lqk\x1b(Bq", want: []string{"┌─┐q"}, x: 4},
		{name: "SO SI with G1", in: "\x1b)0a\x0ex\x0fx", want: []string{"a│x"}, x: 3},
		{name: "UK", in: "\x1b(A#", want: []string{"£"}, x: 1},
		{name: "SS2", in: "\x1b*0\x1bNqq", want: []string{"─q"}, x: 2},
	})
}

func TestMisc(t *testing.T) {
	runCases(t, []screenCase{
		{name: "REP", in: "ab\x1b[3b", want: []string{"abbbb"}, x: 5},
		{name: "REP wide", in: "中\x1b[2b", want: []string{"中中中"}, x: 6},
		{name: "REP without print", in: "\x1b[3b", want: nil, x: 0},
		{name: "DECALN", cols: 3, rows: 2, in: "\x1b[2;2H\x1b#8", want: []string{"EEE", "EEE"}, x: 0},
		{name: "RIS", in: "abc\x1b[?7l\x1b[2;3r\x1bc0123456789X", want: []string{"0123456789", "X"}, x: 1, y: 1},
		{name: "DECSTR keeps text and cursor", in: "abc\x1b[4h\x1b[!pX", want: []string{"abcX"}, x: 4},
		{name: "unknown CSI ignored", in: "a\x1b[5;6~b", want: []string{"ab"}, x: 2},
	})
}

func TestAltScreen(t *testing.T) {
	for _, tc := range []struct {
		name          string
		in            string
		alt, restored []string
		x, y          int // cursor after leaving
	}{
		{"1049", "main\x1b[?1049hALT", []string{"    ALT"}, []string{"main"}, 4, 0},
		{"1047", "main\x1b[?1047hALT", []string{"    ALT"}, []string{"main"}, 7, 0},
		{"47", "main\x1b[?47hALT", []string{"    ALT"}, []string{"main"}, 7, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := vt.NewScreen(10, 2)
			s.WriteString(tc.in)
			if !s.Modes().AltScreen {
				t.Fatalf("AltScreen mode not set")
			}
			if got := screenRows(s); got[0] != tc.alt[0] {
				t.Errorf("alternate screen row 0 = %q, want %q", got[0], tc.alt[0])
			}
			s.WriteString("\x1b[?" + tc.name + "l")
			if got := screenRows(s); got[0] != tc.restored[0] {
				t.Errorf("after leaving, row 0 = %q, want %q", got[0], tc.restored[0])
			}
			if c := s.Cursor(); c.X != tc.x || c.Y != tc.y {
				t.Errorf("cursor after leaving (%d,%d), want (%d,%d)", c.X, c.Y, tc.x, tc.y)
			}
			if s.ScrollbackLen() != 0 {
				t.Errorf("alternate screen produced scrollback")
			}
		})
	}
	// 1049 clears the alternate screen on entry; 47 doesn't.
	s := vt.NewScreen(10, 2)
	s.WriteString("\x1b[?47hOLD\x1b[?47l\x1b[?47h")
	if got := screenRows(s)[0]; got != "OLD" {
		t.Errorf("47 re-entry shows %q, want the old alternate content", got)
	}
	s.WriteString("\x1b[?47l\x1b[?1049h")
	if got := screenRows(s)[0]; got != "" {
		t.Errorf("1049 entry shows %q, want a cleared screen", got)
	}
	// Lines scrolled on the alternate screen never enter the scrollback.
	s.WriteString("1\r\n2\r\n3\r\n4")
	if s.ScrollbackLen() != 0 {
		t.Errorf("scrolling the alternate screen added %d scrollback lines", s.ScrollbackLen())
	}
}

func TestModes(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want func(m vt.Modes) bool
	}{
		{"\x1b[?1h", func(m vt.Modes) bool { return m.AppCursorKeys }},
		{"\x1b[?1h\x1b[?1l", func(m vt.Modes) bool { return !m.AppCursorKeys }},
		{"\x1b=", func(m vt.Modes) bool { return m.AppKeypad }},
		{"\x1b=\x1b>", func(m vt.Modes) bool { return !m.AppKeypad }},
		{"\x1b[?9h", func(m vt.Modes) bool { return m.Mouse == vt.MouseX10 }},
		{"\x1b[?1000h", func(m vt.Modes) bool { return m.Mouse == vt.MouseNormal }},
		{"\x1b[?1002h", func(m vt.Modes) bool { return m.Mouse == vt.MouseButton }},
		{"\x1b[?1000h\x1b[?1003h", func(m vt.Modes) bool { return m.Mouse == vt.MouseAny }},
		{"\x1b[?1003h\x1b[?1003l", func(m vt.Modes) bool { return m.Mouse == vt.MouseNone }},
		{"\x1b[?1005h", func(m vt.Modes) bool { return m.MouseEncoding == vt.MouseEncodingUTF8 }},
		{"\x1b[?1006h", func(m vt.Modes) bool { return m.MouseEncoding == vt.MouseEncodingSGR }},
		{"\x1b[?1015h", func(m vt.Modes) bool { return m.MouseEncoding == vt.MouseEncodingURXVT }},
		{"\x1b[?1006h\x1b[?1006l", func(m vt.Modes) bool { return m.MouseEncoding == vt.MouseEncodingDefault }},
		{"\x1b[?1004h", func(m vt.Modes) bool { return m.FocusEvents }},
		{"\x1b[?2004h", func(m vt.Modes) bool { return m.BracketedPaste }},
		{"\x1b[?2026h", func(m vt.Modes) bool { return m.SyncOutput }},
		{"\x1b[?5h", func(m vt.Modes) bool { return m.ReverseVideo }},
		{"\x1b[4h", func(m vt.Modes) bool { return m.Insert }},
		{"\x1b[20h", func(m vt.Modes) bool { return m.NewLine }},
		{"\x1b[?6h", func(m vt.Modes) bool { return m.Origin }},
		{"\x1b[?7l", func(m vt.Modes) bool { return !m.Autowrap }},
		{"\x1b[?1h\x1b[?1000;1006;2004h", func(m vt.Modes) bool {
			return m.AppCursorKeys && m.Mouse == vt.MouseNormal && m.MouseEncoding == vt.MouseEncodingSGR && m.BracketedPaste
		}},
		{"\x1b[?2004h\x1b[4h\x1b[!p", func(m vt.Modes) bool { return m.BracketedPaste && !m.Insert }},
		{"\x1b[?1h\x1bc", func(m vt.Modes) bool { return !m.AppCursorKeys && m.Autowrap }},
	} {
		s := vt.NewScreen(10, 4)
		s.WriteString(tc.in)
		if !tc.want(s.Modes()) {
			t.Errorf("after %q: modes %+v", tc.in, s.Modes())
		}
	}
}

func TestCursorAppearance(t *testing.T) {
	for _, tc := range []struct {
		in    string
		want  vt.Cursor
		label string
	}{
		{"", vt.Cursor{Visible: true}, "initial"},
		{"\x1b[?25l", vt.Cursor{}, "DECTCEM off"},
		{"\x1b[?25l\x1b[?25h", vt.Cursor{Visible: true}, "DECTCEM on"},
		{"\x1b[1 q", vt.Cursor{Visible: true, Shape: vt.CursorBlock, Blink: true}, "blinking block"},
		{"\x1b[2 q", vt.Cursor{Visible: true, Shape: vt.CursorBlock}, "steady block"},
		{"\x1b[3 q", vt.Cursor{Visible: true, Shape: vt.CursorUnderline, Blink: true}, "blinking underline"},
		{"\x1b[4 q", vt.Cursor{Visible: true, Shape: vt.CursorUnderline}, "steady underline"},
		{"\x1b[5 q", vt.Cursor{Visible: true, Shape: vt.CursorBar, Blink: true}, "blinking bar"},
		{"\x1b[6 q", vt.Cursor{Visible: true, Shape: vt.CursorBar}, "steady bar"},
		{"\x1b[6 q\x1b[0 q", vt.Cursor{Visible: true}, "default"},
	} {
		s := vt.NewScreen(10, 4)
		s.WriteString(tc.in)
		if got := s.Cursor(); got != tc.want {
			t.Errorf("%s (%q): cursor %+v, want %+v", tc.label, tc.in, got, tc.want)
		}
	}
}

func TestOSC(t *testing.T) {
	s := vt.NewScreen(10, 2)
	s.WriteString("\x1b]0;both\x07")
	if s.Title() != "both" || s.IconName() != "both" {
		t.Errorf("OSC 0: title %q icon %q", s.Title(), s.IconName())
	}
	s.WriteString("\x1b]2;title\x1b\\\x1b]1;icon\x07")
	if s.Title() != "title" || s.IconName() != "icon" {
		t.Errorf("OSC 1/2: title %q icon %q", s.Title(), s.IconName())
	}
	s.WriteString("\x1b]52;c;aGVsbG8=\x07\x1b]52;c;?\x07")
	if sel, data := s.Clipboard(); sel != "c" || data != "aGVsbG8=" {
		t.Errorf("OSC 52: %q %q, want c aGVsbG8= (a query must not change it)", sel, data)
	}
	s.WriteString("\x1b]8;id=x1;https://example.com/\x1b\\ln\x1b]8;;\x1b\\k")
	if c := s.Cell(0, 0); c.Style.Link != "https://example.com/" || c.Style.LinkID != "x1" {
		t.Errorf("OSC 8 cell style %+v, want the link and its id", c.Style)
	}
	if c := s.Cell(2, 0); c.Style.Link != "" {
		t.Errorf("OSC 8 end: cell still linked: %+v", c.Style)
	}
	s.WriteString("\x07\x07")
	if s.BellCount() != 2 {
		t.Errorf("bell count %d, want 2", s.BellCount())
	}
}

func TestSGR(t *testing.T) {
	red, blue := vt.IndexedColor(1), vt.IndexedColor(4)
	for _, tc := range []struct {
		in   string
		want vt.Style
	}{
		{"\x1b[1m", vt.Style{Attrs: vt.Bold}},
		{"\x1b[2m", vt.Style{Attrs: vt.Dim}},
		{"\x1b[1;2;22m", vt.Style{}},
		{"\x1b[3m", vt.Style{Attrs: vt.Italic}},
		{"\x1b[3;23m", vt.Style{}},
		{"\x1b[4m", vt.Style{Underline: vt.UnderlineSingle}},
		{"\x1b[4:0m", vt.Style{}},
		{"\x1b[4:2m", vt.Style{Underline: vt.UnderlineDouble}},
		{"\x1b[4:3m", vt.Style{Underline: vt.UnderlineCurly}},
		{"\x1b[4:4m", vt.Style{Underline: vt.UnderlineDotted}},
		{"\x1b[4:5m", vt.Style{Underline: vt.UnderlineDashed}},
		{"\x1b[21m", vt.Style{Underline: vt.UnderlineDouble}},
		{"\x1b[4;24m", vt.Style{}},
		{"\x1b[5m", vt.Style{Attrs: vt.Blink}},
		{"\x1b[5;25m", vt.Style{}},
		{"\x1b[7m", vt.Style{Attrs: vt.Inverse}},
		{"\x1b[7;27m", vt.Style{}},
		{"\x1b[8m", vt.Style{Attrs: vt.Hidden}},
		{"\x1b[8;28m", vt.Style{}},
		{"\x1b[9m", vt.Style{Attrs: vt.Strikethrough}},
		{"\x1b[9;29m", vt.Style{}},
		{"\x1b[31;44m", vt.Style{Fg: red, Bg: blue}},
		{"\x1b[31;44;39;49m", vt.Style{}},
		{"\x1b[91;104m", vt.Style{Fg: vt.IndexedColor(9), Bg: vt.IndexedColor(12)}},
		{"\x1b[38;5;208m", vt.Style{Fg: vt.IndexedColor(208)}},
		{"\x1b[38:5:208m", vt.Style{Fg: vt.IndexedColor(208)}},
		{"\x1b[48;2;1;2;3m", vt.Style{Bg: vt.RGBColor(1, 2, 3)}},
		{"\x1b[48:2::1:2:3m", vt.Style{Bg: vt.RGBColor(1, 2, 3)}},
		{"\x1b[38:2:1:2:3m", vt.Style{Fg: vt.RGBColor(1, 2, 3)}},
		{"\x1b[38;2;10;20;30;1m", vt.Style{Fg: vt.RGBColor(10, 20, 30), Attrs: vt.Bold}},
		{"\x1b[58;5;3m", vt.Style{UnderlineColor: vt.IndexedColor(3)}},
		{"\x1b[58:2::9:8:7m", vt.Style{UnderlineColor: vt.RGBColor(9, 8, 7)}},
		{"\x1b[58;5;3;59m", vt.Style{}},
		{"\x1b[1;31m\x1b[m", vt.Style{}},
		{"\x1b[1;31m\x1b[0m", vt.Style{}},
		{"\x1b[38;5;300m", vt.Style{}},
	} {
		s := vt.NewScreen(10, 2)
		s.WriteString(tc.in + "x")
		if got := s.Pen(); got != tc.want {
			t.Errorf("%q: pen %v, want %v", tc.in, got, tc.want)
		}
		if got := s.Cell(0, 0).Style; got != tc.want {
			t.Errorf("%q: printed cell style %v, want %v", tc.in, got, tc.want)
		}
	}
}

func TestBackgroundColorErase(t *testing.T) {
	s := vt.NewScreen(5, 2)
	s.WriteString("abcde\x1b[41m\x1b[1;3H\x1b[K")
	if c := s.Cell(4, 0); c.Text != "" || c.Style.Bg != vt.IndexedColor(1) {
		t.Errorf("erased cell %+v, want empty with red background", c)
	}
	if c := s.Cell(1, 0); c.Text != "b" || c.Style.Bg != 0 {
		t.Errorf("cell before the erase changed: %+v", c)
	}
}

func TestReplies(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"\x1b[c", "\x1b[?62;22c"},
		{"\x1b[0c", "\x1b[?62;22c"},
		{"\x1b[>c", "\x1b[>1;10;0c"},
		{"\x1b[5n", "\x1b[0n"},
		{"\x1b[3;5H\x1b[6n", "\x1b[3;5R"},
		{"\x1b[2;4r\x1b[?6h\x1b[2;5H\x1b[6n", "\x1b[2;5R"}, // CPR relative to the margin in DECOM
		{"\x1b[3;5H\x1b[?6n", "\x1b[?3;5R"},
		{"\x1b[?1h\x1b[?1$p", "\x1b[?1;1$y"},
		{"\x1b[?1$p", "\x1b[?1;2$y"},
		{"\x1b[?2004h\x1b[?2004$p", "\x1b[?2004;1$y"},
		{"\x1b[?1049h\x1b[?1049$p", "\x1b[?1049;1$y"},
		{"\x1b[?1006h\x1b[?1006$p", "\x1b[?1006;1$y"},
		{"\x1b[?7$p", "\x1b[?7;1$y"},
		{"\x1b[?25l\x1b[?25$p", "\x1b[?25;2$y"},
		{"\x1b[?31337$p", "\x1b[?31337;0$y"},
		{"\x1b[4h\x1b[4$p", "\x1b[4;1$y"},
		{"\x1b[20$p", "\x1b[20;2$y"},
		{"\x1b[>q", "\x1bP>|gosh\x1b\\"},
		{"\x1b]52;c;?\x07\x1b]10;?\x07", ""},
	} {
		s := vt.NewScreen(10, 5)
		var out bytes.Buffer
		s.SetReplyWriter(&out)
		s.WriteString(tc.in)
		if out.String() != tc.want {
			t.Errorf("%q replied %q, want %q", tc.in, out.String(), tc.want)
		}
	}
	// Without a reply writer, queries are silently dropped.
	s := vt.NewScreen(10, 5)
	s.WriteString("\x1b[c\x1b[6n")
}

func TestRowWrapped(t *testing.T) {
	s := vt.NewScreen(5, 4)
	s.WriteString("abcdefg\r\nhi\r\n0123456789")
	// |fg   |   ("abcde", wrapped, went into the scrollback)
	// |hi   |
	// |01234|   wrapped
	// |56789|
	if !s.ScrollbackWrapped(0) {
		t.Errorf("scrollback line 0 lost its soft-wrap flag")
	}
	for y, want := range []bool{false, false, true, false} {
		if got := s.RowWrapped(y); got != want {
			t.Errorf("RowWrapped(%d) = %v, want %v", y, got, want)
		}
	}
	// Erasing to the end of a wrapped row breaks the soft wrap.
	s.WriteString("\x1b[3;3H\x1b[K")
	if s.RowWrapped(2) {
		t.Errorf("row 2 still soft-wrapped after EL")
	}
	if s.RowWrapped(-1) || s.RowWrapped(4) {
		t.Errorf("out-of-range rows report wrapped")
	}
}
