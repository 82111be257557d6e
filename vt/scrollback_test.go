package vt_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/goshterm/gosh/vt"
)

func sbText(s *vt.Screen, i int) string {
	var b strings.Builder
	for _, c := range s.ScrollbackLine(i) {
		if c.Width == 0 {
			continue
		}
		if c.Text == "" {
			b.WriteByte(' ')
		} else {
			b.WriteString(c.Text)
		}
	}
	return strings.TrimRight(b.String(), " ")
}

func TestScrollbackCollectsLinesScrolledOffTheTop(t *testing.T) {
	s := vt.NewScreen(10, 3)
	s.WriteString("l1\r\nl2\r\nl3\r\nl4\r\nl5")
	if n := s.ScrollbackLen(); n != 2 {
		t.Fatalf("scrollback has %d lines, want 2", n)
	}
	if a, b := sbText(s, 0), sbText(s, 1); a != "l1" || b != "l2" {
		t.Errorf("scrollback = %q, %q; want l1, l2 (oldest first)", a, b)
	}
	if got := screenRows(s); got[0] != "l3" || got[2] != "l5" {
		t.Errorf("screen = %q", got)
	}
	if s.ScrollbackLine(2) != nil || s.ScrollbackLine(-1) != nil {
		t.Errorf("out-of-range scrollback lines are not nil")
	}
}

func TestScrollbackBounded(t *testing.T) {
	s := vt.NewScreen(10, 2)
	s.SetScrollbackLimit(5)
	for i := 0; i < 20; i++ {
		fmt.Fprintf(s, "line%d\r\n", i)
	}
	if n := s.ScrollbackLen(); n != 5 {
		t.Fatalf("scrollback has %d lines, want the limit 5", n)
	}
	// 20 lines written, the cursor on an empty 21st: line0–line18 scrolled
	// off, the last 5 of them are kept.
	for i := 0; i < 5; i++ {
		if got, want := sbText(s, i), fmt.Sprintf("line%d", 14+i); got != want {
			t.Errorf("scrollback line %d = %q, want %q", i, got, want)
		}
	}
	s.SetScrollbackLimit(2)
	if n := s.ScrollbackLen(); n != 2 || sbText(s, 1) != "line18" {
		t.Errorf("after lowering the limit: %d lines, newest %q", n, sbText(s, 1))
	}
	s.SetScrollbackLimit(0)
	s.WriteString("a\r\nb\r\nc\r\n")
	if n := s.ScrollbackLen(); n != 0 {
		t.Errorf("limit 0 kept %d lines", n)
	}
}

func TestScrollbackOnlyFromTopRegionOfMainScreen(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   string
		want int
	}{
		{"full screen", "a\r\nb\r\nc\r\nd\r\ne", 1},
		{"region from the top", "\x1b[1;3r\x1b[3Ha\nb\nc", 2},
		{"region lower down", "\x1b[2;4r\x1b[4Ha\nb\nc", 0},
		{"alternate screen", "\x1b[?1049ha\r\nb\r\nc\r\nd\r\ne\r\nf", 0},
		{"SU at the top", "x\x1b[2S", 2},
		{"DL never", "x\x1b[H\x1b[2M", 0},
		{"ED 3 clears", "a\r\nb\r\nc\r\nd\r\ne\x1b[3J", 0},
	} {
		s := vt.NewScreen(5, 4)
		s.WriteString(tc.in)
		if n := s.ScrollbackLen(); n != tc.want {
			t.Errorf("%s: scrollback %d lines, want %d", tc.name, n, tc.want)
		}
	}
}

func TestScrollbackKeepsStyles(t *testing.T) {
	s := vt.NewScreen(5, 1)
	s.WriteString("\x1b[31mred\x1b[m\r\n")
	line := s.ScrollbackLine(0)
	if len(line) != 5 || line[0].Text != "r" || line[0].Style.Fg != vt.IndexedColor(1) {
		t.Errorf("scrollback line %+v, want red text", line)
	}
}

func TestResizeReflow(t *testing.T) {
	for _, tc := range []struct {
		name           string
		cols, rows     int
		in             string
		ncols, nrows   int
		want           []string
		x, y, sbLen    int
		wantWrappedRow int // a row expected to be soft-wrapped, or -1
	}{
		{
			name: "narrow rewraps a long line", cols: 10, rows: 4, in: "0123456789abc\r\nnext",
			ncols: 5, nrows: 4,
			// The 13 characters become three rows; with "next" that is 4.
			want: []string{"01234", "56789", "abc", "next"}, x: 4, y: 3, wantWrappedRow: 0,
		},
		{
			name: "widen joins a wrapped line", cols: 5, rows: 4, in: "0123456789ab",
			ncols: 12, nrows: 4,
			want: []string{"0123456789ab"}, x: 11, y: 0, wantWrappedRow: -1,
		},
		{
			name: "hard newlines are not joined", cols: 10, rows: 3, in: "ab\r\ncd",
			ncols: 20, nrows: 3,
			want: []string{"ab", "cd"}, x: 2, y: 1, wantWrappedRow: -1,
		},
		{
			name: "cursor follows its character", cols: 10, rows: 3, in: "0123456789abc\x1b[1;4H",
			ncols: 4, nrows: 6,
			want: []string{"0123", "4567", "89ab", "c"}, x: 3, y: 0, wantWrappedRow: 2,
		},
		{
			name: "shrinking height drops blank rows below the cursor first", cols: 5, rows: 5, in: "a\r\nb",
			ncols: 5, nrows: 2,
			want: []string{"a", "b"}, x: 1, y: 1, wantWrappedRow: -1,
		},
		{
			name: "shrinking height pushes rows into the scrollback", cols: 5, rows: 4, in: "a\r\nb\r\nc\r\nd",
			ncols: 5, nrows: 2,
			want: []string{"c", "d"}, x: 1, y: 1, sbLen: 2, wantWrappedRow: -1,
		},
		{
			name: "growing height pulls lines back from the scrollback", cols: 5, rows: 2, in: "a\r\nb\r\nc\r\nd",
			ncols: 5, nrows: 4,
			want: []string{"a", "b", "c", "d"}, x: 1, y: 3, wantWrappedRow: -1,
		},
		{
			name: "wide character moves whole to the next row", cols: 6, rows: 3, in: "abc中文",
			ncols: 4, nrows: 3,
			want: []string{"abc", "中文"}, x: 3, y: 1, wantWrappedRow: 0,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := vt.NewScreen(tc.cols, tc.rows)
			s.WriteString(tc.in)
			s.Resize(tc.ncols, tc.nrows)
			if c, r := s.Size(); c != tc.ncols || r != tc.nrows {
				t.Fatalf("size %dx%d, want %dx%d", c, r, tc.ncols, tc.nrows)
			}
			checkInvariants(t, s)
			got := screenRows(s)
			want := make([]string, tc.nrows)
			copy(want, tc.want)
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("screen\n%s\nwant\n%s", box(got), box(want))
			}
			if c := s.Cursor(); c.X != tc.x || c.Y != tc.y {
				t.Errorf("cursor (%d,%d), want (%d,%d)", c.X, c.Y, tc.x, tc.y)
			}
			if n := s.ScrollbackLen(); n != tc.sbLen {
				t.Errorf("scrollback %d lines, want %d", n, tc.sbLen)
			}
			if tc.wantWrappedRow >= 0 && !s.RowWrapped(tc.wantWrappedRow) {
				t.Errorf("row %d is not marked soft-wrapped", tc.wantWrappedRow)
			}
		})
	}
}

func TestResizeRoundTripKeepsText(t *testing.T) {
	s := vt.NewScreen(20, 5)
	s.WriteString("the quick brown fox jumps over the lazy dog\r\n$ ")
	before := screenRows(s)
	s.Resize(7, 5)
	s.Resize(20, 5)
	if got := screenRows(s); strings.Join(got, "\n") != strings.Join(before, "\n") {
		t.Errorf("narrow then widen changed the text:\n%s\nwant\n%s", box(got), box(before))
	}
	if c := s.Cursor(); c.X != 2 || c.Y != 3 {
		t.Errorf("cursor (%d,%d), want (2,3) after the prompt", c.X, c.Y)
	}
}

func TestResizeAltScreenClipsWithoutReflow(t *testing.T) {
	s := vt.NewScreen(10, 3)
	s.WriteString("main line that wraps")
	s.WriteString("\x1b[?1049h\x1b[H0123456789\x1b[3;1Hbottom")
	s.Resize(5, 3)
	if got := screenRows(s); got[0] != "01234" || got[2] != "botto" || s.RowWrapped(0) {
		t.Errorf("alternate screen after narrowing = %q, want clipped rows", got)
	}
	s.Resize(8, 2) // shrinking drops the top row so the cursor's row stays
	if got := screenRows(s); got[1] != "botto" {
		t.Errorf("alternate screen after shortening = %q, want the cursor's row kept", got)
	}
	s.WriteString("\x1b[?1049l")
	// The main screen was reflowed to 8 columns meanwhile; its first row
	// went into the scrollback to keep the cursor's row on the 2-row screen.
	if got := screenRows(s); got[0] != "e that w" || got[1] != "raps" || sbText(s, s.ScrollbackLen()-1) != "main lin" {
		t.Errorf("main screen after leaving = %q", got)
	}
	checkInvariants(t, s)
}

func TestResizeClampsAndKeepsCursorInside(t *testing.T) {
	s := vt.NewScreen(10, 10)
	s.WriteString("\x1b[10;10Hx")
	for _, sz := range [][2]int{{3, 3}, {1, 1}, {0, -5}, {200, 1}, {1, 200}, {vt.MaxSize + 10, 2}} {
		s.Resize(sz[0], sz[1])
		checkInvariants(t, s)
	}
}

func TestCloneIsIndependent(t *testing.T) {
	s := vt.NewScreen(10, 3)
	s.WriteString("\x1b[1mhello\x1b]2;t\x07")
	c := s.Clone()
	if !c.FrameEqual(s) || !s.FrameEqual(c) {
		t.Fatalf("a fresh clone is not FrameEqual to its original")
	}
	s.WriteString("\x1b[Hj\x1b[31mX")
	if c.Cell(0, 0).Text != "h" {
		t.Errorf("writing the original changed the clone: %q", c.Cell(0, 0).Text)
	}
	if c.FrameEqual(s) {
		t.Errorf("FrameEqual true after the original changed")
	}
	c.WriteString("\x1b[Hj\x1b[31mX")
	if !c.FrameEqual(s) {
		t.Errorf("the same bytes applied to both did not make them FrameEqual")
	}
	c.WriteString("\x1b[2;1Hz")
	if s.Cell(0, 1).Text != "" {
		t.Errorf("writing the clone changed the original")
	}
}

func TestFrameEqualFields(t *testing.T) {
	for _, in := range []string{
		"x", "\x1b[31m", "\x1b[2;2H", "\x1b[?25l", "\x1b[5 q", "\x1b]2;t\x07", "\x1b]1;i\x07",
		"\x1b]52;c;eA==\x07", "\x07", "\x1b[?1h", "\x1b=", "\x1b[?2004h", "\x1b[?1004h",
		"\x1b[?2026h", "\x1b[?5h", "\x1b[?1000h", "\x1b[?1006h", "0123456789ab",
	} {
		a, b := vt.NewScreen(10, 3), vt.NewScreen(10, 3)
		b.WriteString(in)
		if a.FrameEqual(b) {
			t.Errorf("FrameEqual ignores the effect of %q", in)
		}
	}
	// Not compared: scrollback, margins, insert mode, tab stops.
	a, b := vt.NewScreen(10, 3), vt.NewScreen(10, 3)
	b.WriteString("\x1b[4h\x1b[2;3r\x1b[H\x1b[3g")
	if !a.FrameEqual(b) {
		t.Errorf("FrameEqual compares state a frame doesn't carry")
	}
	// Styles interned in different orders still compare by value.
	a.WriteString("\x1b[32mA\x1b[31mB")
	b.WriteString("\x1b[31m\x1b[32mA\x1b[31mB")
	if !a.FrameEqual(b) {
		t.Errorf("equal cells with differently interned styles are not FrameEqual")
	}
}

// scrollbackStream is random host output made of what can end up in the
// scrollback: ASCII, wide characters, combining and ZWJ clusters, colours
// (16, 256, 24-bit, with attributes and hyperlinks), coloured blanks
// erased to the end of a line, erased characters inside a line, DECSCA
// protected text, CR LF, lines long enough to soft-wrap. Nothing moves
// the cursor up, so a screen tall enough never scrolls on it, and the pen
// has the default background whenever it may scroll, by a line feed or
// an autowrap (a scroll fills the new row with the pen's background, a
// move to a blank row does not): background colours come only from
// erasing (EL, ECH), which makes the coloured blanks to check.
func scrollbackStream(r *rand.Rand, n int) string {
	parts := []string{
		"hello ", "x", "0123456789", "the quick brown fox ", "中文", "日本語", "e\u0301",
		"👨\u200d👩\u200d👧", "🇯🇵", "😀", "a\u0308\u0323",
		"\x1b[31m", "\x1b[1;4:3;38;5;200m", "\x1b[38;2;1;2;3;58;5;9m", "\x1b[7m", "\x1b[m",
		"\x1b[44m\x1b[K\x1b[49m", "\x1b[42m\x1b[3X\x1b[49m", "\x1b[K", "\x1b[5X", "\x1b[1\"q", "\x1b[0\"q",
		"\x1b]8;id=7;http://example.com\x07", "\x1b]8;;\x07", "\t", " ",
		"\r\n", "\r\n", "\r\n", "\r\n", "\r\n\r\n",
	}
	var b strings.Builder
	for range n {
		b.WriteString(parts[r.IntN(len(parts))])
	}
	return b.String()
}

// allLines returns the scrollback followed by the visible rows down to
// the cursor's, each as full cells, and the wrap flags.
func allLines(s *vt.Screen) ([][]vt.Cell, []bool) {
	var lines [][]vt.Cell
	var wrapped []bool
	for i := range s.ScrollbackLen() {
		lines = append(lines, s.ScrollbackLine(i))
		wrapped = append(wrapped, s.ScrollbackWrapped(i))
	}
	cols, _ := s.Size()
	for y := 0; y <= s.Cursor().Y; y++ {
		row := make([]vt.Cell, cols)
		for x := range row {
			row[x] = s.Cell(x, y)
		}
		lines = append(lines, row)
		wrapped = append(wrapped, s.RowWrapped(y))
	}
	return lines, wrapped
}

func cellsText(cells []vt.Cell) string {
	var b strings.Builder
	for _, c := range cells {
		switch {
		case c.Width == 0:
		case c.Text == "":
			b.WriteByte(' ')
		default:
			b.WriteString(c.Text)
		}
	}
	return b.String()
}

// TestScrollbackExactAgainstTallScreen writes the same random output to a
// short screen, whose lines go into the scrollback, and to a screen so
// tall that nothing scrolls off: the short screen's scrollback followed by
// its rows must be the tall screen's rows, cell for cell (text, width,
// style with colours, attributes and links) with the same soft-wrap flags,
// also after resizes that reflow the scrollback. The tall screen keeps
// every line as a row, so it is the uncompacted reference.
func TestScrollbackExactAgainstTallScreen(t *testing.T) {
	for seed := range uint64(12) {
		r := rand.New(rand.NewPCG(seed, 99))
		cols := 4 + r.IntN(40)
		in := scrollbackStream(r, 300)
		short := vt.NewScreen(cols, 3+r.IntN(4))
		short.SetScrollbackLimit(vt.MaxSize)
		tall := vt.NewScreen(cols, vt.MaxSize)
		short.WriteString(in)
		tall.WriteString(in)
		if tall.ScrollbackLen() != 0 {
			t.Fatalf("seed %d: the reference screen scrolled", seed)
		}
		if short.ScrollbackLen() < 10 {
			t.Fatalf("seed %d: only %d scrollback lines: the test exercises little", seed, short.ScrollbackLen())
		}
		compare := func(step string) {
			t.Helper()
			got, gotWrap := allLines(short)
			want, wantWrap := allLines(tall)
			if len(got) != len(want) {
				t.Fatalf("seed %d %s: %d lines (scrollback %d), reference %d", seed, step, len(got), short.ScrollbackLen(), len(want))
			}
			for i := range want {
				if !slices.Equal(got[i], want[i]) || gotWrap[i] != wantWrap[i] {
					t.Fatalf("seed %d %s: line %d (scrollback has %d)\n got %q wrapped %v\n%+v\nwant %q wrapped %v\n%+v",
						seed, step, i, short.ScrollbackLen(), cellsText(got[i]), gotWrap[i], got[i], cellsText(want[i]), wantWrap[i], want[i])
				}
			}
		}
		compare("after writing")
		for _, w := range []int{cols/2 + 2, cols + 7, 3, cols} {
			short.Resize(w, 3+r.IntN(4))
			tall.Resize(w, vt.MaxSize)
			checkInvariants(t, short)
			compare(fmt.Sprintf("after resizing to %d columns", w))
		}
		// More output after the reflow goes on matching.
		more := scrollbackStream(r, 100)
		short.WriteString(more)
		tall.WriteString(more)
		compare("after writing on")
	}
}

// TestScrollbackCloneIndependent clones a screen with a full scrollback
// and writes different output to both at once (run with -race): each
// keeps exactly the scrollback a screen fed only its own output has.
func TestScrollbackCloneIndependent(t *testing.T) {
	const limit = 300
	feed := func(s *vt.Screen, tag string, from, to int) {
		for i := from; i < to; i++ {
			fmt.Fprintf(s, "\x1b[3%dm%s %d\x1b[m 中文 text text text\r\n", i%8, tag, i)
		}
	}
	orig := vt.NewScreen(30, 4)
	orig.SetScrollbackLimit(limit)
	feed(orig, "common", 0, 1000)
	clone := orig.Clone()
	done := make(chan struct{})
	go func() {
		defer close(done)
		feed(clone, "clone", 1000, 1150)
	}()
	feed(orig, "orig", 1000, 3000)
	<-done

	for _, tc := range []struct {
		name string
		got  *vt.Screen
		feed func(*vt.Screen)
	}{
		{"original", orig, func(s *vt.Screen) { feed(s, "common", 0, 1000); feed(s, "orig", 1000, 3000) }},
		{"clone", clone, func(s *vt.Screen) { feed(s, "common", 0, 1000); feed(s, "clone", 1000, 1150) }},
	} {
		ref := vt.NewScreen(30, 4)
		ref.SetScrollbackLimit(limit)
		tc.feed(ref)
		if tc.got.ScrollbackLen() != limit || ref.ScrollbackLen() != limit {
			t.Fatalf("%s: %d scrollback lines, want %d", tc.name, tc.got.ScrollbackLen(), limit)
		}
		for i := range limit {
			if a, b := tc.got.ScrollbackLine(i), ref.ScrollbackLine(i); !slices.Equal(a, b) {
				t.Fatalf("%s: scrollback line %d = %q, want %q", tc.name, i, cellsText(a), cellsText(b))
			}
		}
	}
}

// TestScrollbackLineKeepsWidthAndTrailingBlanks checks what callers see
// of a stored line: as long as the row was (capture-pane -N keeps the
// trailing blanks), trailing coloured blanks in their colour, and the
// default blanks after them as empty cells.
func TestScrollbackLineKeepsWidthAndTrailingBlanks(t *testing.T) {
	s := vt.NewScreen(20, 2)
	s.WriteString("ab\x1b[41m\x1b[5X\x1b[m\r\n1\r\n\r\n")
	line := s.ScrollbackLine(0)
	if len(line) != 20 {
		t.Fatalf("scrollback line has %d cells, want the row's 20", len(line))
	}
	for x, c := range line {
		want := vt.Cell{Width: 1}
		switch {
		case x < 2:
			want.Text = string(rune('a' + x))
		case x < 7:
			want.Style.Bg = vt.IndexedColor(1)
		}
		if c != want {
			t.Errorf("cell %d = %+v, want %+v", x, c, want)
		}
	}
	if got := sbText(s, 1); got != "1" || len(s.ScrollbackLine(1)) != 20 {
		t.Errorf("second line %q of %d cells, want \"1\" of 20", got, len(s.ScrollbackLine(1)))
	}
}

// TestScrollbackLimitRaisedAfterWrapping raises the limit of a full
// scrollback whose ring has wrapped: the kept lines stay in order and new
// ones are added up to the new limit.
func TestScrollbackLimitRaisedAfterWrapping(t *testing.T) {
	s := vt.NewScreen(10, 2)
	s.SetScrollbackLimit(5)
	for i := range 23 {
		fmt.Fprintf(s, "line%d\r\n", i)
	}
	s.SetScrollbackLimit(8)
	for i := 23; i < 26; i++ {
		fmt.Fprintf(s, "line%d\r\n", i)
	}
	// line0–line24 scrolled off: 17–21 were kept at the limit 5, then
	// 22–24 joined them.
	if n := s.ScrollbackLen(); n != 8 {
		t.Fatalf("scrollback has %d lines, want 8", n)
	}
	for i := range 8 {
		if got, want := sbText(s, i), fmt.Sprintf("line%d", 17+i); got != want {
			t.Errorf("scrollback line %d = %q, want %q", i, got, want)
		}
	}
}
