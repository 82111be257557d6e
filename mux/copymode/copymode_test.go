package copymode_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/goshterm/gosh/mux/copymode"
	"github.com/goshterm/gosh/vt"
	"github.com/goshterm/gosh/vt/vttest"
)

// numbered returns a cols×rows screen that printed "line 0" … "line n-1".
func numbered(cols, rows, n int) *vt.Screen {
	s := vt.NewScreen(cols, rows)
	for i := range n {
		if i > 0 {
			s.WriteString("\r\n")
		}
		fmt.Fprintf(s, "line %d", i)
	}
	return s
}

func keys(m *copymode.Mode, names ...string) copymode.Result {
	var r copymode.Result
	for _, k := range names {
		r = m.Key(k)
	}
	return r
}

// typed splits text into key names, as mux/input names typed characters.
func typed(text string) []string {
	var out []string
	for _, r := range text {
		if r == ' ' {
			out = append(out, "Space")
		} else {
			out = append(out, string(r))
		}
	}
	return out
}

// viewRows returns the view's rows, trailing blanks trimmed.
func viewRows(s *vt.Screen) []string {
	w, h := s.Size()
	out := make([]string, h)
	for y := range out {
		var b strings.Builder
		for x := range w {
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

func TestScrollIntoHistory(t *testing.T) {
	s := numbered(20, 4, 10) // history: line 0 … line 5; screen: line 6 … line 9
	m := copymode.New(s, copymode.Config{})
	if off, hist := m.Position(); off != 0 || hist != 6 {
		t.Fatalf("position = [%d/%d], want [0/6]", off, hist)
	}
	want := []string{"line 6              [0/6]", "line 7", "line 8", "line 9"}
	want[0] = "line 6" + strings.Repeat(" ", 9) + "[0/6]"
	if got := viewRows(m.View(20, 4)); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("initial view %q\nwant %q", got, want)
	}
	cases := []struct {
		keys []string
		top  string // the first line of the view, without the indicator
		off  int
	}{
		{[]string{"k", "k", "k"}, "line 6", 0},    // cursor moves inside the view
		{[]string{"k"}, "line 5", 1},              // then the view follows it
		{[]string{"C-b"}, "line 1", 5},            // a page up
		{[]string{"g"}, "line 0", 6},              // the top of the history
		{[]string{"C-d"}, "line 2", 4},            // half a page down
		{[]string{"G"}, "line 6", 0},              // the bottom
		{[]string{"3", "k"}, "line 6", 0},         // a count: three lines up, still in view
		{[]string{"1", "0", "k"}, "line 0", 6},    // ten lines up: clamped at the top
		{[]string{"PPage", "NPage"}, "line 4", 2}, // at the top a page up stays; then down
	}
	for _, tc := range cases {
		keys(m, tc.keys...)
		v := m.View(20, 4)
		got := strings.TrimSpace(strings.Split(viewRows(v)[0], "[")[0])
		off, _ := m.Position()
		if got != tc.top || off != tc.off {
			t.Errorf("after %v: view starts %q at offset %d, want %q at %d", tc.keys, got, off, tc.top, tc.off)
		}
		if ind := fmt.Sprintf("[%d/6]", tc.off); !strings.HasSuffix(viewRows(v)[0], ind) {
			t.Errorf("after %v: indicator missing %q in %q", tc.keys, ind, viewRows(v)[0])
		}
	}
}

func TestSearchScrollback(t *testing.T) {
	s := vt.NewScreen(30, 3)
	s.WriteString("alpha\r\nthe Needle here\r\nbeta\r\ngamma\r\nneedle again\r\ndelta\r\nepsilon\r\nzeta")
	for _, table := range []copymode.KeyTable{copymode.Vi, copymode.Emacs} {
		m := copymode.New(s, copymode.Config{Keys: table})
		back := "?"
		if table == copymode.Emacs {
			back = "C-r"
		}
		// Backward from the bottom: the nearest "needle" first.
		keys(m, append(append([]string{back}, typed("needle")...), "Enter")...)
		if l, c := m.Cursor(); l != 4 || c != 0 {
			t.Errorf("table %d: first match at (%d,%d), want (4,0)", table, l, c)
		}
		// Lower-case query: case-insensitive, finds "Needle" next.
		keys(m, "n")
		if l, c := m.Cursor(); l != 1 || c != 4 {
			t.Errorf("table %d: second match at (%d,%d), want (1,4)", table, l, c)
		}
		if got := viewRows(m.View(30, 3)); !strings.HasPrefix(got[0], "the Needle here") && !strings.Contains(strings.Join(got, "|"), "the Needle here") {
			t.Errorf("table %d: match not in view: %q", table, got)
		}
		// Reverse direction, wrapping past the end.
		keys(m, "N")
		if l, _ := m.Cursor(); l != 4 {
			t.Errorf("table %d: N went to line %d, want 4", table, l)
		}
	}
	// An upper-case letter makes the search exact.
	m := copymode.New(s, copymode.Config{})
	keys(m, append(append([]string{"/"}, typed("Needle")...), "Enter")...)
	keys(m, "n")
	if l, c := m.Cursor(); l != 1 || c != 4 {
		t.Errorf("exact search: at (%d,%d), want (1,4) again", l, c)
	}
	// A failed search says so on the bottom line.
	keys(m, append(append([]string{"/"}, typed("nothing")...), "Enter")...)
	if got := viewRows(m.View(30, 3)); !strings.Contains(got[2], "Search failed") {
		t.Errorf("no failure message: %q", got)
	}
}

func TestSelectionCopies(t *testing.T) {
	// Row 0 soft-wraps into row 1; row 2 ends with blanks; row 3 has wide
	// characters.
	s := vt.NewScreen(10, 4)
	s.WriteString("abcdefghijklmnop\r\nsecond   \r\n中文 x")
	cases := []struct {
		name  string
		table copymode.KeyTable
		keys  []string
		want  string
	}{
		{"across a wrapped line is joined", copymode.Vi, []string{"g", "0", "v", "j", "j", "$", "y"}, "abcdefghijklmnop\nsecond"},
		{"across lines has newlines, blanks trimmed", copymode.Vi, []string{"g", "0", "j", "l", "l", "v", "j", "j", "l", "Enter"}, "mnop\nsecond\n中文"},
		{"line selection", copymode.Vi, []string{"g", "j", "j", "V", "j", "y"}, "second\n中文 x"},
		{"selection backwards", copymode.Vi, []string{"g", "j", "j", "$", "v", "k", "0", "y"}, "klmnop\nsecond"},
		{"wide character from its tail", copymode.Vi, []string{"G", "0", "l", "v", "l", "l", "y"}, "中文"},
		{"emacs", copymode.Emacs, []string{"M-<", "C-a", "C-Space", "C-n", "C-n", "C-e", "M-w"}, "abcdefghijklmnop\nsecond"},
		{"no selection copies nothing", copymode.Vi, []string{"y"}, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := copymode.New(s, copymode.Config{Keys: tc.table})
			r := keys(m, tc.keys...)
			if !r.Done {
				t.Error("copy did not leave copy mode")
			}
			if r.Copy != (tc.want != "") || r.Text != tc.want {
				t.Errorf("copied %v %q, want %q", r.Copy, r.Text, tc.want)
			}
		})
	}
}

func TestWordMotion(t *testing.T) {
	s := vt.NewScreen(30, 2)
	s.WriteString("foo bar-baz  qux\r\nnext")
	m := copymode.New(s, copymode.Config{})
	keys(m, "g", "0")
	var got []string
	for range 6 {
		keys(m, "w")
		l, c := m.Cursor()
		got = append(got, fmt.Sprintf("%d:%d", l, c))
	}
	if want := "0:4 0:7 0:8 0:13 1:0 1:3"; strings.Join(got, " ") != want {
		t.Errorf("w stops %s, want %s", strings.Join(got, " "), want)
	}
	keys(m, "b", "b")
	if l, c := m.Cursor(); l != 0 || c != 13 {
		t.Errorf("b b at (%d,%d), want (0,13)", l, c)
	}
	keys(m, "0", "e")
	if _, c := m.Cursor(); c != 2 {
		t.Errorf("e at column %d, want 2", c)
	}
}

func TestLeaving(t *testing.T) {
	s := numbered(20, 4, 10)
	for _, k := range []string{"q", "C-c"} {
		if r := copymode.New(s, copymode.Config{}).Key(k); !r.Done || r.Copy {
			t.Errorf("vi %s: %+v", k, r)
		}
	}
	if r := copymode.New(s, copymode.Config{Keys: copymode.Emacs}).Key("Escape"); !r.Done {
		t.Error("emacs Escape did not leave")
	}
	// Entered by the wheel: scrolling back to the bottom leaves.
	m := copymode.New(s, copymode.Config{ExitAtBottom: true})
	if r := m.Scroll(-5); r.Done {
		t.Error("scrolling back left copy mode")
	}
	if r := m.Scroll(3); r.Done {
		t.Error("left before the bottom")
	}
	if r := m.Scroll(3); !r.Done {
		t.Error("reaching the bottom did not leave")
	}
}

func TestAltScreenHasNoHistory(t *testing.T) {
	s := numbered(20, 3, 10)
	s.WriteString("\x1b[?1049h\x1b[Hfull screen app")
	m := copymode.New(s, copymode.Config{})
	if off, hist := m.Position(); off != 0 || hist != 0 {
		t.Errorf("position [%d/%d], want [0/0]", off, hist)
	}
	if got := viewRows(m.View(20, 3))[0]; !strings.HasPrefix(got, "full screen app") {
		t.Errorf("view shows %q", got)
	}
}

func TestSnapshotIsFrozen(t *testing.T) {
	s := numbered(20, 3, 5)
	m := copymode.New(s, copymode.Config{})
	s.WriteString("\r\nnew output")
	if got := strings.Join(viewRows(m.View(20, 3)), "|"); strings.Contains(got, "new output") {
		t.Errorf("copy mode saw output after it started: %q", got)
	}
}

// TestViewGolden: selection highlighted, indicator, cursor.
func TestViewGolden(t *testing.T) {
	s := vt.NewScreen(24, 5)
	s.WriteString("\x1b[32mgreen\x1b[m text 中文\r\nsecond line\r\nthird\r\nfourth\r\nfifth\r\nsixth\r\nseventh")
	m := copymode.New(s, copymode.Config{})
	t.Run("selection", func(t *testing.T) {
		keys(m, "g", "0", "w", "w", "v", "j", "e")
		vttest.Golden(t, vttest.Dump(m.View(24, 5)))
	})
	t.Run("search prompt", func(t *testing.T) {
		keys(m, "Escape", "/", "s", "i")
		vttest.Golden(t, vttest.Dump(m.View(24, 5)))
	})
}

func TestViewKeepsTitle(t *testing.T) {
	s := numbered(20, 3, 5)
	s.WriteString("\x1b]2;vim main.go\x07")
	if got := copymode.New(s, copymode.Config{}).View(20, 3).Title(); got != "vim main.go" {
		t.Errorf("view title = %q", got)
	}
}

// FuzzKeys drives a Mode with arbitrary key sequences over a screen with
// wrapped lines, wide characters and history: no panic, the cursor stays
// on a line that exists, and a copy never invents characters.
func FuzzKeys(f *testing.F) {
	names := []string{"h", "j", "k", "l", "w", "b", "e", "0", "^", "$", "g", "G", "H", "M", "L",
		"C-u", "C-d", "C-b", "C-f", "/", "?", "n", "N", "v", "V", "o", "Space", "Escape", "y", "Enter",
		"q", "5", "x", "中", "BSpace", "C-n", "C-p", "M-v", "C-v", "C-s", "C-r", "C-Space", "M-w",
		"M-f", "M-b", "C-a", "C-e", "M-<", "M->", "PPage", "NPage", "Up", "Down", "Left", "Right"}
	f.Add([]byte{0, 3, 8, 2, 2, 24}, true)
	f.Add([]byte{19, 1, 1, 7, 20, 9, 9, 20, 1, 25}, false)
	s := vt.NewScreen(12, 4)
	s.WriteString("a 中文 long line that wraps\r\n\r\nx\ty\r\n" + strings.Repeat("word-word ", 10) + "\r\nend")
	f.Fuzz(func(t *testing.T, seq []byte, emacs bool) {
		cfg := copymode.Config{}
		if emacs {
			cfg.Keys = copymode.Emacs
		}
		m := copymode.New(s, cfg)
		for _, b := range seq {
			r := m.Key(names[int(b)%len(names)])
			if r.Copy && strings.ContainsAny(r.Text, "\x00\t") {
				t.Fatalf("copied %q", r.Text)
			}
			if l, c := m.Cursor(); l < 0 || l >= m.Lines() || c < 0 || c >= 12 {
				t.Fatalf("cursor (%d,%d) outside %d lines", l, c, m.Lines())
			}
			if int(b)%7 == 0 {
				m.View(int(b)%13+1, int(b)%5+1)
			}
			if r.Done {
				m = copymode.New(s, cfg)
			}
		}
	})
}

// TestSearchAcrossSoftWraps: a word the terminal wrapped over the pane's
// right edge is one word to search, found at its first cell; a hard line
// break still separates words.
func TestSearchAcrossSoftWraps(t *testing.T) {
	s := vt.NewScreen(10, 3)
	// "xxxxxxneed|le yyy" soft-wraps; "hay st" + CR LF + "ack" does not.
	s.WriteString("top\r\nxxxxxxneedle yyy\r\nhay st\r\nack\r\n0123456789abcdefghij0123456789wrapped-twice")
	for _, table := range []copymode.KeyTable{copymode.Vi, copymode.Emacs} {
		fwd, back := "/", "?"
		if table == copymode.Emacs {
			fwd, back = "C-s", "C-r"
		}
		m := copymode.New(s, copymode.Config{Keys: table})
		keys(m, append(append([]string{back}, typed("needle")...), "Enter")...)
		if l, c := m.Cursor(); l != 1 || c != 6 {
			t.Errorf("table %d: backward search found needle at (%d,%d), want (1,6) across the wrap", table, l, c)
		}
		// A run of three lines (two wraps): "9wrap" spans the second one.
		keys(m, append(append([]string{fwd}, typed("9wrap")...), "Enter")...)
		if l, c := m.Cursor(); l != 7 || c != 9 {
			t.Errorf("table %d: forward search found 9wrap at (%d,%d), want (7,9)", table, l, c)
		}
		// Forward again wraps around the end to the same match.
		keys(m, "n")
		if l, c := m.Cursor(); l != 7 || c != 9 {
			t.Errorf("table %d: n found 9wrap at (%d,%d), want (7,9) again", table, l, c)
		}
		keys(m, append(append([]string{fwd}, typed("stack")...), "Enter")...)
		if got := viewRows(m.View(10, 3)); !strings.Contains(strings.Join(got, "|"), "Search fai") {
			t.Errorf("table %d: stack matched across a hard line break: %q", table, got)
		}
	}
	// The copied selection of a wrapped match joins its halves.
	m := copymode.New(s, copymode.Config{Keys: copymode.Vi})
	keys(m, append(append([]string{"?"}, typed("needle")...), "Enter")...)
	keys(m, "Space", "e") // the word's end, over the wrap
	if r := keys(m, "Enter"); !r.Copy || r.Text != "needle" {
		t.Errorf("copy of the wrapped match: %+v, want needle", r)
	}
}

// TestEmacsSelectionEndsBeforeCursor: with emacs keys the selection stops
// before the cursor's cell and C-e goes past the last character, so
// C-a C-Space C-e M-w copies the whole line; vi keys include the cursor's
// cell. Each want is what tmux 3.3a copies with the same keys.
func TestEmacsSelectionEndsBeforeCursor(t *testing.T) {
	s := vt.NewScreen(30, 3)
	s.WriteString("line-11 abcdefgh\r\nline-12 abcdefgh")
	for _, tc := range []struct {
		table copymode.KeyTable
		keys  []string
		want  string
	}{
		{copymode.Emacs, []string{"M-<", "C-a", "C-Space", "Right", "Right", "Right", "M-w"}, "lin"},
		{copymode.Emacs, []string{"M-<", "C-a", "C-Space", "C-e", "M-w"}, "line-11 abcdefgh"},
		{copymode.Emacs, []string{"M-<", "C-e", "C-Space", "C-a", "M-w"}, "line-11 abcdefgh"},
		{copymode.Emacs, []string{"M-<", "C-Space", "M-w"}, ""},
		{copymode.Vi, []string{"g", "0", "v", "l", "l", "l", "y"}, "line"},
	} {
		m := copymode.New(s, copymode.Config{Keys: tc.table})
		if r := keys(m, tc.keys...); r.Text != tc.want {
			t.Errorf("%v: copied %q, want %q", tc.keys, r.Text, tc.want)
		}
	}
}
