package vt

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// checkRoundTrip applies Diff(a, b) to a copy of a (resized to b's size
// first, as the contract asks) and fails unless the copy then equals b.
// It returns the diff.
func checkRoundTrip(t testing.TB, a, b *Screen) []byte {
	t.Helper()
	out := Diff(a, b)
	c := a.Clone()
	c.Resize(b.Size())
	c.Write(out)
	if b.bells > a.bells+maxDiffBells {
		// Capped by design: the receiver rings maxDiffBells times.
		if c.bells != a.bells+maxDiffBells {
			t.Fatalf("bells %d after the diff, want %d (capped)", c.bells, a.bells+maxDiffBells)
		}
		c.bells = b.bells
	}
	if !c.FrameEqual(b) {
		t.Fatalf("round trip differs: %s\ndiff: %q", frameDiff(c, b), out)
	}
	if q := findQuery(out); q != "" {
		t.Fatalf("diff contains the query %q: %q", q, out)
	}
	if e := moshUnknown(out); e != "" {
		t.Fatalf("diff contains %q, which mosh 1.4 neither implements nor ignores harmlessly: %q", e, out)
	}
	return out
}

// moshUnknown returns the first escape sequence in b outside the set the
// diff may send (what mosh 1.4 implements, plus the vt-only sequences
// that mosh ignores: SGR with ':' forms, DECSCUSR, DECSCA, DECKPAM/PNM,
// charset designation, OSC 8), or "".
func moshUnknown(b []byte) string {
	for i := 0; i < len(b); i++ {
		if b[i] != 0x1b {
			continue
		}
		if i+1 == len(b) {
			return "lone ESC"
		}
		switch b[i+1] {
		case '[':
			j := i + 2
			for j < len(b) && (b[j] < 0x40 || b[j] > 0x7e) {
				j++
			}
			if j == len(b) {
				return string(b[i:])
			}
			seq, params := b[i:j+1], b[i+2:j]
			ok := false
			switch b[j] {
			case 'A', 'B', 'C', 'D', 'G', 'H', 'd', 'X', 'K', 'J', 'S', 'T', 'r', 'h', 'l':
				ok = bytes.IndexByte(params, ':') < 0
			case 'm':
				// Colon forms only in an SGR of their own, never mixed
				// with numbers mosh would apply.
				ok = true
				if bytes.IndexByte(params, ':') >= 0 {
					for _, g := range bytes.Split(params, []byte(";")) {
						ok = ok && bytes.IndexByte(g, ':') >= 0
					}
				}
			case 'q':
				ok = bytes.HasSuffix(params, []byte(" ")) || bytes.HasSuffix(params, []byte("\""))
			}
			if !ok {
				return string(seq)
			}
			i = j
		case ']':
			j := bytes.IndexByte(b[i:], 0x07)
			if j < 0 {
				return string(b[i:])
			}
			osc := b[i+2 : i+j]
			if !bytes.HasPrefix(osc, []byte("0;")) && !bytes.HasPrefix(osc, []byte("1;")) &&
				!bytes.HasPrefix(osc, []byte("2;")) && !bytes.HasPrefix(osc, []byte("52;")) &&
				!bytes.HasPrefix(osc, []byte("8;")) {
				return string(b[i : i+j+1])
			}
			i += j
		case 'M', '=', '>':
			i++
		case '(', '*', '+':
			if i+2 < len(b) && b[i+2] == 'B' {
				i += 2
				continue
			}
			return string(b[i:min(i+3, len(b))])
		default:
			return string(b[i : i+2])
		}
	}
	return ""
}

// findQuery returns a control sequence in b that would make a receiver
// reply (DA1, DA2, DSR, CPR, DECRQM, XTVERSION, window reports, an OSC 52
// read), or "".
func findQuery(b []byte) string {
	if i := bytes.Index(b, []byte("\x1b]52;")); i >= 0 {
		if j := bytes.IndexByte(b[i:], 0x07); j >= 0 && bytes.HasSuffix(b[i:i+j], []byte(";?")) {
			return string(b[i : i+j])
		}
	}
	for i := 0; i+1 < len(b); i++ {
		if b[i] != 0x1b || b[i+1] != '[' {
			continue
		}
		j := i + 2
		for j < len(b) && (b[j] < 0x40 || b[j] > 0x7e) {
			j++
		}
		if j == len(b) {
			return "unterminated " + string(b[i:])
		}
		seq := b[i : j+1]
		switch final := b[j]; {
		case final == 'c', final == 'n', final == 't',
			final == 'p' && bytes.IndexByte(seq, '$') >= 0,
			final == 'q' && bytes.IndexByte(seq, '>') >= 0:
			return string(seq)
		}
		i = j
	}
	return ""
}

// frameDiff describes the first difference FrameEqual would find.
func frameDiff(got, want *Screen) string {
	var sb strings.Builder
	gc, gr := got.Size()
	wc, wr := want.Size()
	if gc != wc || gr != wr {
		return fmt.Sprintf("size %dx%d, want %dx%d", gc, gr, wc, wr)
	}
	if g, w := got.Cursor(), want.Cursor(); g != w {
		fmt.Fprintf(&sb, "cursor %+v, want %+v; ", g, w)
	}
	if g, w := got.Pen(), want.Pen(); g != w {
		fmt.Fprintf(&sb, "pen %+v, want %+v; ", g, w)
	}
	if g, w := got.Modes(), want.Modes(); !g.frameEqual(w) {
		fmt.Fprintf(&sb, "modes %+v, want %+v; ", g, w)
	}
	if got.Title() != want.Title() || got.IconName() != want.IconName() {
		fmt.Fprintf(&sb, "title %q/%q, want %q/%q; ", got.Title(), got.IconName(), want.Title(), want.IconName())
	}
	gs, gd := got.Clipboard()
	ws, wd := want.Clipboard()
	if gs != ws || gd != wd {
		fmt.Fprintf(&sb, "clipboard %q %q, want %q %q; ", gs, gd, ws, wd)
	}
	if got.BellCount() != want.BellCount() {
		fmt.Fprintf(&sb, "bells %d, want %d; ", got.BellCount(), want.BellCount())
	}
	for y := 0; y < wr; y++ {
		if got.RowWrapped(y) != want.RowWrapped(y) {
			fmt.Fprintf(&sb, "row %d wrapped=%v, want %v; ", y, got.RowWrapped(y), want.RowWrapped(y))
		}
		for x := 0; x < wc; x++ {
			if g, w := got.Cell(x, y), want.Cell(x, y); g != w {
				fmt.Fprintf(&sb, "cell (%d,%d) %q w%d {%v}, want %q w%d {%v}; ", x, y, g.Text, g.Width, g.Style, w.Text, w.Width, w.Style)
				if sb.Len() > 2000 {
					return sb.String()
				}
			}
		}
	}
	return sb.String()
}

func screenOf(cols, rows int, s string) *Screen {
	sc := NewScreen(cols, rows)
	sc.WriteString(s)
	return sc
}

func TestDiffSelfIsEmpty(t *testing.T) {
	a := screenOf(20, 5, "\x1b]0;t\x07hello \x1b[1;31mworld\x1b[?2004h\x1b[3 q\x1b[2;3H")
	if d := Diff(a, a); len(d) != 0 {
		t.Fatalf("Diff(a, a) = %q, want empty", d)
	}
	b := a.Clone()
	if d := Diff(a, b); len(d) != 0 {
		t.Fatalf("Diff(a, a.Clone()) = %q, want empty", d)
	}
}

// TestDiffCases checks the round trip and the bytes of specific changes.
func TestDiffCases(t *testing.T) {
	cases := []struct {
		name       string
		cols, rows int
		a, more    string // a: written to A; more: written to a clone of A to make B
		want       string // exact diff, if set
		maxLen     int    // upper bound on the diff's length, if set
		contains   []string
		excludes   []string
	}{
		{name: "typed char", cols: 80, rows: 24, a: "$ ", more: "l", want: "l"},
		{name: "typed word", cols: 80, rows: 24, a: "$ ", more: "ls -l", want: "ls -l"},
		{name: "cursor only right", cols: 80, rows: 24, a: "abc\x1b[1;1H", more: "\x1b[1;3H", maxLen: 4},
		{name: "cursor to next line start", cols: 80, rows: 24, a: "abc", more: "\r\n", want: "\r\n"},
		{name: "backspace", cols: 80, rows: 24, a: "abc", more: "\b", want: "\b"},
		{name: "colours changed", cols: 20, rows: 3, a: "hello", more: "\r\x1b[31mhel\x1b[0m", contains: []string{"31m"}},
		{name: "rgb and 256 colours", cols: 20, rows: 3, more: "\x1b[38;2;1;2;3;48;5;200mx\x1b[0m", contains: []string{"38;2;1;2;3", "48;5;200"}},
		{name: "bright colour", cols: 20, rows: 3, more: "\x1b[91mx\x1b[m", contains: []string{"91m"}},
		{name: "pen delta", cols: 20, rows: 3, a: "\x1b[1;31mab", more: "\x1b[32mc", excludes: []string{"[0"}},
		{name: "attributes off", cols: 20, rows: 3, a: "\x1b[1;2;3;4;5;7;8;9;53mab", more: "\x1b[22;23;24;25;27;28;29;55mc"},
		{name: "dim off keeps bold", cols: 20, rows: 3, a: "\x1b[1;2mab", more: "\x1b[22;1mc"},
		{name: "underline styles", cols: 20, rows: 3, more: "\x1b[4:3ma\x1b[4:2mb\x1b[21mc\x1b[4:5md\x1b[4me\x1b[24mf", excludes: []string{"4:2"}},
		{name: "underline colour", cols: 20, rows: 3, more: "\x1b[4;58:5:3ma\x1b[58:2::1:2:3mb\x1b[59mc"},
		{name: "hyperlink", cols: 20, rows: 3, more: "\x1b]8;id=x;http://e/\x07link\x1b]8;;\x07 no"},
		{name: "pen with link kept", cols: 20, rows: 3, more: "\x1b]8;;http://e/\x07\x1b[1mab"},
		{name: "erase with background", cols: 20, rows: 3, a: "abcdefghij", more: "\r\x1b[44m\x1b[K\x1b[m", contains: []string{"44m\x1b[K"}},
		{name: "erase mid row", cols: 30, rows: 3, a: strings.Repeat("x", 30), more: "\x1b[1;5H\x1b[10X", contains: []string{"\x1b[10X"}},
		{name: "clear screen", cols: 20, rows: 5, a: "a\r\nb\r\nc\r\nd", more: "\x1b[H\x1b[2J", maxLen: 30},
		{name: "wide char", cols: 10, rows: 3, more: "中文"},
		{name: "wide char at edge wraps", cols: 5, rows: 3, more: "abcd中"},
		{name: "wide char overwritten half", cols: 10, rows: 3, a: "中文", more: "\x1b[1;2Hx"},
		{name: "styled half of wide char", cols: 10, rows: 3, a: "\x1b[1;4m中文字\x1b[m", more: "\x1b[1;2Hx\x1b[1;6Hy"},
		{name: "styled empty last column", cols: 6, rows: 3, a: "\x1b[4mabcd中\x1b[m", more: "\x1b[1;5Hx"},
		{name: "combining", cols: 10, rows: 3, more: "e\u0301a\u0308"},
		{name: "emoji cluster", cols: 10, rows: 3, more: "👍🏽👨‍👩‍👧 🇫🇷"},
		{name: "regional indicators apart", cols: 10, rows: 3, more: "\x1b[1;2H🇫\x1b[1;1H🇷"},
		{name: "heart widened", cols: 10, rows: 3, more: "❤\ufe0fx"},
		{name: "heart narrow at edge", cols: 4, rows: 3, more: "abc❤\ufe0f"},
		{name: "wrap flag set", cols: 10, rows: 3, more: "0123456789abc"},
		{name: "wrap flag set on bottom row", cols: 5, rows: 3, more: "\x1b[1;2r\x1b[3;1Habcdefg"},
		{name: "wrap flag cleared", cols: 10, rows: 3, a: "0123456789abc", more: "\x1b[1;10H\x1b[K"},
		{name: "wrap after wide at edge", cols: 5, rows: 3, more: "abcd中"},
		{name: "pending wrap kept", cols: 5, rows: 3, more: "abcde"},
		{name: "bottom right cell", cols: 5, rows: 3, more: "\x1b[3;1Habcde"},
		{name: "bottom right then home", cols: 5, rows: 3, more: "\x1b[3;1Habcde\x1b[H"},
		{name: "title", cols: 10, rows: 2, more: "\x1b]0;hello\x07", want: "\x1b]0;hello\x07"},
		{name: "title and icon", cols: 10, rows: 2, more: "\x1b]1;i\x07\x1b]2;t\x07"},
		{name: "bells", cols: 10, rows: 2, more: "\x07\x07\x07", want: "\x07\x07\x07"},
		{name: "clipboard", cols: 10, rows: 2, more: "\x1b]52;c;aGk=\x07", want: "\x1b]52;c;aGk=\x07"},
		{name: "modes", cols: 10, rows: 2, more: "\x1b[?1h\x1b=\x1b[?2004h\x1b[?1004h\x1b[?1002h\x1b[?1006h\x1b[?5h\x1b[?2026h"},
		{name: "modes off", cols: 10, rows: 2, a: "\x1b[?1h\x1b=\x1b[?2004h\x1b[?1004h\x1b[?1002h\x1b[?1006h\x1b[?5h\x1b[?2026h", more: "\x1b[?1l\x1b>\x1b[?2004l\x1b[?1004l\x1b[?1002l\x1b[?1006l\x1b[?5l\x1b[?2026l"},
		{name: "mouse mode switch", cols: 10, rows: 2, a: "\x1b[?1000h\x1b[?1015h", more: "\x1b[?1003h\x1b[?1005h"},
		{name: "cursor hidden", cols: 10, rows: 2, more: "\x1b[?25l", want: "\x1b[?25l"},
		{name: "cursor shape", cols: 10, rows: 2, more: "\x1b[5 q", want: "\x1b[5 q"},
		{name: "insert mode in from", cols: 10, rows: 2, a: "abc\x1b[4h\x1b[H", more: "x"},
		{name: "origin mode in from", cols: 10, rows: 5, a: "\x1b[2;4r\x1b[?6h", more: "x"},
		{name: "autowrap off in from", cols: 5, rows: 3, a: "\x1b[?7l", more: "abcdefg"},
		{name: "DEC graphics in from", cols: 10, rows: 2, a: "\x1b(0", more: "lqqk"},
		{name: "shifted charsets in from", cols: 10, rows: 2, a: "\x1b)0\x0e", more: "abc"},
		{name: "LNM in from", cols: 10, rows: 3, a: "\x1b[20h", more: "a\nb"},
		{name: "DECSCA in from", cols: 10, rows: 3, a: "\x1b[1\"q", more: "abc"},
		{name: "alternate screen", cols: 10, rows: 3, a: "main", more: "\x1b[?1049halt"},
		{name: "scroll region in from", cols: 10, rows: 5, a: "\x1b[2;3r", more: "\x1b[5;1Hbottom"},
		{name: "one line scrolled", cols: 20, rows: 5, a: "1\r\n2\r\n3\r\n4\r\n5", more: "\r\n6", maxLen: 12},
		{name: "scrolled under status line", cols: 20, rows: 5, a: "1\r\n2\r\n3\r\n4\x1b[5;1Hstatus\x1b[1;4r\x1b[4;1H", more: "\n5"},
		{name: "reverse scroll", cols: 20, rows: 5, a: "1\r\n2\r\n3\r\n4\r\n5\x1b[H", more: "\x1bM0", maxLen: 8},
		{name: "reverse scroll in region", cols: 20, rows: 5, a: "1\r\n2\r\n3\r\n4\r\n5\x1b[1;4r\x1b[H", more: "\x1bM0\x1b[r", maxLen: 16},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := screenOf(tc.cols, tc.rows, tc.a)
			b := a.Clone()
			b.WriteString(tc.more)
			out := checkRoundTrip(t, a, b)
			if tc.want != "" && string(out) != tc.want {
				t.Errorf("diff = %q, want %q", out, tc.want)
			}
			if tc.maxLen > 0 && len(out) > tc.maxLen {
				t.Errorf("diff is %d bytes, want at most %d: %q", len(out), tc.maxLen, out)
			}
			for _, s := range tc.contains {
				if !bytes.Contains(out, []byte(s)) {
					t.Errorf("diff %q lacks %q", out, s)
				}
			}
			for _, s := range tc.excludes {
				if bytes.Contains(out, []byte(s)) {
					t.Errorf("diff %q contains %q", out, s)
				}
			}
			// Unrelated direction too: from B back to a fresh screen
			// with A's content written anew.
			a2 := screenOf(tc.cols, tc.rows, tc.a)
			for a2.BellCount() < b.BellCount() {
				a2.WriteString("\x07")
			}
			checkRoundTrip(t, b, a2)
		})
	}
}

// TestDiffWrapTrick checks mosh's way of marking a soft wrap: the row's
// last cell, then the next row's first cell with nothing but SGR numbers
// mosh knows in between (anything else would clear mosh's pending wrap).
func TestDiffWrapTrick(t *testing.T) {
	for _, tc := range []struct{ name, more, between string }{
		{"plain", "0123456789abc", "9a"},
		{"colour", "0123456789\x1b[31mabc", "9\x1b[31ma"},
		{"curly underline", "0123456789\x1b[4:3mabc", "9\x1b[4ma"},
		{"link", "0123456789\x1b]8;;http://x/\x07abc", "9a"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := NewScreen(10, 3)
			b := a.Clone()
			b.WriteString(tc.more)
			out := checkRoundTrip(t, a, b)
			if !bytes.Contains(out, []byte(tc.between)) {
				t.Errorf("diff %q lacks %q", out, tc.between)
			}
		})
	}
}

// TestDiffResize checks the full repaint after a size change.
func TestDiffResize(t *testing.T) {
	a := screenOf(20, 5, "hello\r\nworld\x1b[1;31m!")
	b := screenOf(30, 8, "\x1b[44mnew\x1b[K\r\n\x1b[mframe")
	out := checkRoundTrip(t, a, b)
	if !bytes.HasPrefix(out, []byte("\x1b[r")) || !bytes.Contains(out, []byte("\x1b[2J")) {
		t.Errorf("resize diff %q: want CSI r first and CSI 2 J", out)
	}
	checkRoundTrip(t, b, a)
}

// TestDiffScroll checks that a screen scrolled by one line is sent as a
// scroll plus the new line, not as a repaint.
func TestDiffScroll(t *testing.T) {
	lines := make([]string, 61)
	r := rand.New(rand.NewPCG(1, 2))
	for y := range lines {
		lines[y] = randWords(r, 190)
	}
	a := NewScreen(200, 60)
	a.WriteString(strings.Join(lines[:60], "\r\n"))
	b := a.Clone()
	b.WriteString("\r\n$ ls")
	out := checkRoundTrip(t, a, b)
	if len(out) > 16 {
		t.Errorf("one-line scroll of 200x60 costs %d bytes, want ≤ 16: %q", len(out), out)
	}
	// An unrelated screen with the same text (no shared rows).
	c := NewScreen(200, 60)
	c.WriteString(strings.Join(lines[1:60], "\r\n") + "\r\n")
	c.WriteString("$ ls")
	out = checkRoundTrip(t, a, c)
	if len(out) > 16 {
		t.Errorf("one-line scroll (unshared rows) costs %d bytes, want ≤ 16: %q", len(out), out)
	}
}

func randWords(r *rand.Rand, n int) string {
	var sb strings.Builder
	for sb.Len() < n {
		if sb.Len() > 0 {
			sb.WriteByte(' ')
		}
		for k := 1 + r.IntN(8); k > 0; k-- {
			sb.WriteByte(byte('a' + r.IntN(26)))
		}
	}
	return sb.String()[:n]
}

// randStream returns host output exercising what the diff must carry.
func randStream(r *rand.Rand, cols, rows, n int) []byte {
	var b []byte
	texts := []string{"a", "hello", "x y", " ", "中", "文字", "👍", "👍🏽", "e\u0301", "a\u0308\u0301", "🇫🇷", "🇫", "🇷",
		"❤\ufe0f", "❤", "\ufe0f", "\u0301", "ᄀ", "가", "\u0903", "ก\u0e31", "1\ufe0f\u20e3", "\u200d", "é", "Ω", "─", "\u3000"}
	colors := []string{"31", "42", "39", "49", "91", "103", "38;5;200", "48;5;17", "38;2;1;2;3", "48;2;250;0;9", "38:5:9", "48:2::4:5:6"}
	attrs := []string{"0", "", "1", "2", "3", "4", "5", "7", "8", "9", "21", "22", "23", "24", "4:3", "4:0", "53", "58:5:1", "58;2;1;2;3", "59", "27"}
	for i := 0; i < n; i++ {
		switch k := r.IntN(40); {
		case k < 12:
			b = append(b, texts[r.IntN(len(texts))]...)
		case k < 15:
			b = append(b, randWords(rand.New(rand.NewPCG(r.Uint64(), 0)), 1+r.IntN(2*cols))...)
		case k < 18:
			b = fmt.Appendf(b, "\x1b[%sm", colors[r.IntN(len(colors))])
		case k < 21:
			b = fmt.Appendf(b, "\x1b[%sm", attrs[r.IntN(len(attrs))])
		case k < 25:
			b = fmt.Appendf(b, "\x1b[%d;%dH", 1+r.IntN(rows), 1+r.IntN(cols))
		case k < 26:
			b = append(b, []string{"\r", "\n", "\b", "\t", "\r\n", "\x1bM", "\x1bD", "\x1bE"}[r.IntN(8)]...)
		case k < 27:
			b = fmt.Appendf(b, "\x1b[%d%c", r.IntN(4), "ABCDGd`"[r.IntN(7)])
		case k < 29:
			b = fmt.Appendf(b, "\x1b[%d%c", r.IntN(3), "JK"[r.IntN(2)])
		case k < 30:
			b = fmt.Appendf(b, "\x1b[%d%c", r.IntN(cols), "X@PLMST"[r.IntN(7)])
		case k < 31:
			t := 1 + r.IntN(rows)
			b = fmt.Appendf(b, "\x1b[%d;%dr", t, t+r.IntN(rows))
		case k < 32:
			b = append(b, []string{"\x1b[?1h", "\x1b[?1l", "\x1b=", "\x1b>", "\x1b[?2004h", "\x1b[?2004l", "\x1b[?1000h",
				"\x1b[?1002h", "\x1b[?1003l", "\x1b[?9h", "\x1b[?1006h", "\x1b[?1015h", "\x1b[?1005l", "\x1b[?1004h",
				"\x1b[?5h", "\x1b[?5l", "\x1b[?2026h", "\x1b[?2026l", "\x1b[?25l", "\x1b[?25h", "\x1b[2 q", "\x1b[5 q",
				"\x1b[0 q", "\x1b[4h", "\x1b[4l", "\x1b[?6h", "\x1b[?6l", "\x1b[?7l", "\x1b[?7h", "\x1b[20h", "\x1b[20l",
				"\x1b(0", "\x1b(B", "\x1b)0\x0e", "\x0f", "\x1bN", "\x1b[1\"q", "\x1b[0\"q", "\x1b[?1049h", "\x1b[?1049l",
				"\x1b[?47h", "\x1b7", "\x1b8", "\x1b[3b", "\x1b#8", "\x1b[!p"}[r.IntN(46)]...)
		case k < 33:
			b = append(b, []string{"\x1b]0;title\x07", "\x1b]2;t;2\x07", "\x1b]1;icon\x1b\\", "\x1b]52;c;aGk=\x07",
				"\x1b]52;p;eA==\x07", "\x1b]8;;http://x/\x07", "\x1b]8;id=1;http://y/\x07", "\x1b]8;;\x07", "\x07", "\x1b]0;\x07"}[r.IntN(10)]...)
		case k < 34:
			b = fmt.Appendf(b, "\x1b[%d;%dH%s", 1+r.IntN(rows), cols-r.IntN(2), texts[r.IntN(len(texts))])
		default:
			b = append(b, texts[r.IntN(6)]...)
		}
	}
	return b
}

// TestDiffRandom is the round-trip property on random screens: B derived
// from A by more writes, and B unrelated to A.
func TestDiffRandom(t *testing.T) {
	seed := uint64(20261124)
	iters := 3000
	if testing.Short() {
		iters = 300
	}
	t.Logf("seed %d", seed)
	r := rand.New(rand.NewPCG(seed, 0))
	for i := 0; i < iters; i++ {
		cols, rows := 2+r.IntN(14), 1+r.IntN(8)
		if r.IntN(4) == 0 {
			cols, rows = 20+r.IntN(60), 5+r.IntN(20)
		}
		sa := randStream(r, cols, rows, 1+r.IntN(40))
		a := NewScreen(cols, rows)
		a.Write(sa)
		sb := randStream(r, cols, rows, 1+r.IntN(40))
		b := a.Clone()
		b.Write(sb)
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			defer func() {
				if t.Failed() {
					t.Logf("%dx%d\nA: %q\nB = A + %q", cols, rows, sa, sb)
				}
			}()
			checkRoundTrip(t, a, b)
		})
		su := randStream(r, cols, rows, 1+r.IntN(40))
		u := NewScreen(cols, rows)
		u.Write(su)
		if n := a.BellCount(); u.BellCount() < n {
			u.WriteString("\x18" + strings.Repeat("\x07", int(n-u.BellCount())))
		}
		t.Run(fmt.Sprint(i, "u"), func(t *testing.T) {
			defer func() {
				if t.Failed() {
					t.Logf("%dx%d\nA: %q\nU: %q", cols, rows, sa, su)
				}
			}()
			checkRoundTrip(t, a, u)
		})
		if t.Failed() {
			return
		}
	}
}

// FuzzDiff: the fuzz input is split into two host output streams. A is a
// screen after the first, B the same screen after both, U a fresh screen
// after the second; Diff must carry A to B and A to U, and never contain
// a query.
func FuzzDiff(f *testing.F) {
	f.Add([]byte("\x14\x05\x40hello \x1b[1;31mworld\r\n\x1b[44mxx\x1b[K\x1b[2;3Hyy中文\x1b]0;t\x07"))
	f.Add([]byte("\x05\x03\x80abcde中\x1b[?2004h\x1b[5 q\x07e\u0301\x1b[3;1Habcdefg"))
	f.Add([]byte("\x0a\x04\x20\x1b[4:3;58:5:2mx\x1b]8;;http://x/\x07link\x1b[1;2r\x1b[2;1H\n\n1\r\n2\r\n3"))
	f.Add([]byte("\x08\x02\x60\x1b[1;4m中文字\x1b[m\x1b[1;2Hx\x1b[1;8H🇫\x1b[1;1H🇷\x1bM\x1b[?1049h"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) < 3 {
			return
		}
		cols, rows := 2+int(data[0])%40, 1+int(data[1])%14
		rest := data[3:]
		cut := int(data[2]) * len(rest) / 256
		sa, sb := rest[:cut], rest[cut:]
		a := NewScreen(cols, rows)
		a.Write(sa)
		b := a.Clone()
		b.Write(sb)
		checkRoundTrip(t, a, b)
		u := NewScreen(cols, rows)
		u.Write(sb)
		if n := a.BellCount(); u.BellCount() < n {
			// Cancel any sequence in progress, then ring up to a's count
			// (a count can't go down).
			u.WriteString("\x18" + strings.Repeat("\x07", int(n-u.BellCount())))
		}
		checkRoundTrip(t, a, u)
	})
}
