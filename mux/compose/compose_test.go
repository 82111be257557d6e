package compose_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/goshterm/gosh/mux/compose"
	"github.com/goshterm/gosh/mux/layout"
	"github.com/goshterm/gosh/vt"
	"github.com/goshterm/gosh/vt/vttest"
)

var testClock = time.Date(2024, 3, 5, 14, 7, 0, 0, time.UTC)

func status() compose.Status {
	return compose.Status{
		Session:   "dev",
		Windows:   []compose.Window{{Index: 0, Name: "bash", Current: true}, {Index: 1, Name: "vim", Last: true}},
		PaneTitle: "host",
		Clock:     testClock,
	}
}

// paneScreen returns a w×h screen that has been fed in.
func paneScreen(w, h int, in string) *vt.Screen {
	s := vt.NewScreen(w, h)
	s.WriteString(in)
	return s
}

// specFor builds a FrameSpec from a layout: one screen per pane, sized to
// its rect, filled by fill(pane id).
func specFor(t *testing.T, tree *layout.Tree, cw, ch int, active layout.PaneID, fill func(layout.PaneID) string) *compose.FrameSpec {
	t.Helper()
	lw, lh := tree.Size()
	spec := &compose.FrameSpec{Width: cw, Height: ch, WindowWidth: lw, WindowHeight: lh, Active: -1, Status: status()}
	for i, pr := range tree.Rects() {
		spec.Panes = append(spec.Panes, compose.Pane{Rect: pr.Rect, Screen: paneScreen(pr.W, pr.H, fill(pr.Pane))})
		if pr.Pane == active {
			spec.Active = i
		}
	}
	return spec
}

// rows returns the frame's rows as text, wide tails skipped.
func rows(s *vt.Screen) []string {
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
		out[y] = b.String()
	}
	return out
}

func TestComposeGolden(t *testing.T) {
	label := func(p layout.PaneID) string {
		return "pane " + string(rune('0'+p)) + "\r\n$ "
	}
	t.Run("single pane", func(t *testing.T) {
		tree := layout.New(50, 5, 0)
		spec := specFor(t, tree, 50, 6, 0, label)
		vttest.Golden(t, vttest.Dump(compose.Compose(nil, spec)))
	})
	t.Run("splits with active border", func(t *testing.T) {
		//	 0 │ 1
		//	   ├───
		//	   │ 2
		tree := layout.New(51, 9, 0)
		must(t, tree.Split(0, layout.Horizontal, 1, layout.Size{}, false))
		must(t, tree.Split(1, layout.Vertical, 2, layout.Size{}, false))
		must(t, tree.Split(0, layout.Vertical, 3, layout.Size{}, false))
		spec := specFor(t, tree, 51, 10, 2, label)
		vttest.Golden(t, vttest.Dump(compose.Compose(nil, spec)))
	})
	t.Run("zoomed pane", func(t *testing.T) {
		tree := layout.New(50, 5, 0)
		must(t, tree.Split(0, layout.Horizontal, 1, layout.Size{}, false))
		spec := specFor(t, tree, 50, 6, 1, label)
		// The daemon keeps pane screens at their layout size while
		// zoomed; give pane 1 the whole window as tmux does.
		spec.Panes[1].Screen = paneScreen(50, 5, "zoomed pane 1\r\n$ ")
		spec.Zoomed = true
		spec.Status.Windows[0].Zoomed = true
		vttest.Golden(t, vttest.Dump(compose.Compose(nil, spec)))
	})
	t.Run("status content", func(t *testing.T) {
		tree := layout.New(120, 2, 0)
		spec := specFor(t, tree, 120, 3, 0, label)
		spec.Status = compose.Status{
			Session: "averylongsessionname",
			Windows: []compose.Window{
				{Index: 0, Name: "bash", Last: true},
				{Index: 1, Name: "vim", Current: true, Bell: true},
				{Index: 12, Name: "logs", Activity: true},
				{Index: 3, Name: "top"},
			},
			PaneTitle: "a title much longer than twenty-one cells",
			Clock:     testClock,
			Segments: []compose.Segment{
				{Text: "cpu 3%", Style: vt.Style{Fg: vt.IndexedColor(3), Bg: vt.IndexedColor(4)}, Align: compose.AlignRight},
				{Text: "L", Align: compose.AlignLeft},
			},
			Marker: "plugin down",
		}
		vttest.Golden(t, vttest.Dump(compose.Compose(nil, spec)))
		// Squeezed, as tmux's format_draw: the window list gives way
		// first, around the current window, with < and > where entries
		// are hidden; then the right part, which keeps the marker and its
		// clock end.
		for _, c := range []struct {
			width int
			want  string
		}{
			{85, `[averylong<h- 1:vim!* 12> Lplugin down cpu 3% "a title much longer t" 14:07 05-Mar-24`},
			{60, `[averylong Lplugin down title much longer t" 14:07 05-Mar-24`},
		} {
			spec.Width = c.width
			if got := rows(compose.Compose(nil, spec))[2]; got != c.want {
				t.Errorf("squeezed status at %d\n got %q\nwant %q", c.width, got, c.want)
			}
		}
	})
	t.Run("cursor in active pane", func(t *testing.T) {
		tree := layout.New(51, 5, 0)
		must(t, tree.Split(0, layout.Horizontal, 1, layout.Size{}, false))
		spec := specFor(t, tree, 51, 6, 1, func(p layout.PaneID) string {
			if p == 1 {
				return "ab\r\ncd\x1b[3;4H\x1b[5 q\x1b[?1h\x1b[?2004h\x1b[?1000h\x1b]2;vim\x07"
			}
			return "\x1b[?25l"
		})
		vttest.Golden(t, vttest.Dump(compose.Compose(nil, spec)))
	})
	t.Run("wide characters at pane edges", func(t *testing.T) {
		// Pane 0's screen is wider than its rect (a resize in flight):
		// the wide character straddling the rect's right edge must not
		// spill onto the border.
		tree := layout.New(13, 3, 0)
		must(t, tree.Split(0, layout.Horizontal, 1, layout.Size{}, false))
		spec := specFor(t, tree, 13, 4, 0, func(p layout.PaneID) string { return "" })
		spec.Panes[0].Screen = paneScreen(10, 3, "12345中文\r\n中文字\r\nabc")
		spec.Panes[1].Screen = paneScreen(6, 3, "x中文字\r\n中")
		vttest.Golden(t, vttest.Dump(compose.Compose(nil, spec)))
	})
	t.Run("window smaller than client", func(t *testing.T) {
		tree := layout.New(12, 3, 0)
		spec := specFor(t, tree, 50, 6, 0, label)
		vttest.Golden(t, vttest.Dump(compose.Compose(nil, spec)))
	})
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// TestComposeBordersAndCursor checks, without goldens, the things a user
// would notice first.
func TestComposeBordersAndCursor(t *testing.T) {
	tree := layout.New(21, 5, 0)
	must(t, tree.Split(0, layout.Horizontal, 1, layout.Size{}, false))
	spec := specFor(t, tree, 21, 6, 1, func(p layout.PaneID) string { return "\x1b[2;3H" })
	f := compose.Compose(nil, spec)
	r0, _ := tree.Rect(1)
	if c := f.Cursor(); c.X != r0.X+2 || c.Y != 1 || !c.Visible {
		t.Errorf("cursor = %+v, want (%d,1) visible", c, r0.X+2)
	}
	bx := r0.X - 1
	if c := f.Cell(bx, 0); c.Text != "│" || c.Style != compose.ActiveBorderStyle {
		t.Errorf("border cell = %+v, want a green │", c)
	}
	// 21 columns: the window list gives way to the clock, as in tmux.
	if got := rows(f)[5]; got != "[dev] 14:07 05-Mar-24" {
		t.Errorf("status = %q", got)
	}
	if c := f.Cell(0, 5); c.Style != compose.StatusStyle {
		t.Errorf("status style = %v", c.Style)
	}
	// Focus moves to pane 0: the border is no longer... still adjacent to
	// pane 0 too, so it stays green; the cursor moves.
	spec.Active = 0
	f = compose.Compose(f.Clone(), spec)
	if c := f.Cursor(); c.X != 2 || c.Y != 1 {
		t.Errorf("cursor after focus change = %+v", c)
	}
}

func TestWindowAt(t *testing.T) {
	tree := layout.New(60, 3, 0)
	spec := specFor(t, tree, 60, 4, 0, func(layout.PaneID) string { return "" })
	spec.Status.Windows = append(spec.Status.Windows, compose.Window{Index: 12, Name: "logs"})
	var c compose.Composer
	f := c.Compose(nil, spec)
	// [dev] 0:bash* 1:vim- 12:logs
	// 0     6       14     21
	row := rows(f)[3]
	for _, tc := range []struct {
		x    int
		want int
		ok   bool
	}{{0, 0, false}, {6, 0, true}, {12, 0, true}, {14, 1, true}, {21, 12, true}, {28, 12, true}, {40, 0, false}} {
		if got, ok := c.WindowAt(tc.x); got != tc.want || ok != tc.ok {
			t.Errorf("WindowAt(%d) = %d %v, want %d %v (status %q)", tc.x, got, ok, tc.want, tc.ok, row)
		}
	}
}

// TestComposeMouseModes: the client reports the mouse when tmux's mouse
// option is on, or when the active pane asked; always in SGR.
func TestComposeMouseModes(t *testing.T) {
	tree := layout.New(10, 3, 0)
	spec := specFor(t, tree, 10, 4, 0, func(layout.PaneID) string { return "" })
	if m := compose.Compose(nil, spec).Modes(); m.Mouse != vt.MouseNone {
		t.Errorf("mouse off, pane not asking: %v", m.Mouse)
	}
	spec.MouseOn = true
	if m := compose.Compose(nil, spec).Modes(); m.Mouse != vt.MouseButton || m.MouseEncoding != vt.MouseEncodingSGR {
		t.Errorf("mouse on: %v %v", m.Mouse, m.MouseEncoding)
	}
	spec.MouseOn = false
	spec.Panes[0].Screen.WriteString("\x1b[?1003h\x1b[?1005h")
	if m := compose.Compose(nil, spec).Modes(); m.Mouse != vt.MouseAny || m.MouseEncoding != vt.MouseEncodingSGR {
		t.Errorf("pane asks for any-motion in UTF-8: frame has %v %v", m.Mouse, m.MouseEncoding)
	}
}

// TestComposeReuseSharesRows: composing into a clone of the last frame
// leaves rows that did not change shared, and the result equals a frame
// composed from scratch.
func TestComposeReuseSharesRows(t *testing.T) {
	tree := layout.New(40, 10, 0)
	must(t, tree.Split(0, layout.Horizontal, 1, layout.Size{}, false))
	spec := specFor(t, tree, 40, 11, 0, func(layout.PaneID) string { return "$ " })
	var c compose.Composer
	prev := c.Compose(nil, spec)
	spec.Panes[1].Screen.WriteString("\x1b[5;1Hchanged")
	next := c.Compose(prev.Clone(), spec)
	fresh := compose.Compose(nil, spec)
	if !next.FrameEqual(fresh) {
		t.Errorf("reused frame differs from a fresh one:\n%s\n%s", vttest.Dump(next), vttest.Dump(fresh))
	}
	if got := rows(next)[4]; !strings.Contains(got, "changed") {
		t.Errorf("row 4 = %q", got)
	}
	if rows(prev)[4] == rows(next)[4] {
		t.Error("the previous frame was modified through the clone")
	}
}

func BenchmarkCompose(b *testing.B) {
	tree := layout.New(200, 59, 0)
	_ = tree.Split(0, layout.Horizontal, 1, layout.Size{}, false)
	_ = tree.Split(1, layout.Vertical, 2, layout.Size{}, false)
	_ = tree.Split(0, layout.Vertical, 3, layout.Size{}, false)
	lw, lh := tree.Size()
	spec := &compose.FrameSpec{Width: 200, Height: 60, WindowWidth: lw, WindowHeight: lh, Status: status()}
	for i, pr := range tree.Rects() {
		s := vt.NewScreen(pr.W, pr.H)
		for y := range pr.H {
			s.WriteString("\x1b[" + itoa(y+1) + ";1H\x1b[3" + itoa(y%8) + "m")
			s.WriteString(strings.Repeat("lorem ipsum dolor sit amet ", pr.W/27+1)[:pr.W])
		}
		spec.Panes = append(spec.Panes, compose.Pane{Rect: pr.Rect, Screen: s})
		if pr.Pane == 2 {
			spec.Active = i
		}
	}
	b.Run("into-same", func(b *testing.B) {
		var c compose.Composer
		f := c.Compose(nil, spec)
		b.ReportAllocs()
		for b.Loop() {
			f = c.Compose(f, spec)
		}
	})
	b.Run("into-clone", func(b *testing.B) {
		// The daemon's pattern: keep the last frame for the diff, compose
		// into its clone. One pane changes a row per frame.
		var c compose.Composer
		f := c.Compose(nil, spec)
		b.ReportAllocs()
		n := 0
		for b.Loop() {
			n++
			spec.Panes[0].Screen.WriteString("\x1b[1;1H" + itoa(n%10))
			f = c.Compose(f.Clone(), spec)
		}
	})
	b.Run("fresh", func(b *testing.B) {
		var c compose.Composer
		b.ReportAllocs()
		for b.Loop() {
			c.Compose(nil, spec)
		}
	})
}

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}

// TestComposeMarkedBorder: the borders around the marked pane are drawn in
// reverse video (tmux's select-pane -m), the others are not.
func TestComposeMarkedBorder(t *testing.T) {
	tree := layout.New(21, 11, 0)
	must(t, tree.Split(0, layout.Horizontal, 1, layout.Size{}, false))
	must(t, tree.Split(1, layout.Vertical, 2, layout.Size{}, false))
	spec := specFor(t, tree, 21, 12, 0, func(p layout.PaneID) string { return "" })
	r1, _ := tree.Rect(1)
	r2, _ := tree.Rect(2)
	between := func(f *vt.Screen) vt.Cell { return f.Cell(r1.X+1, r1.Y+r1.H) } // the border between 1 and 2
	left := func(f *vt.Screen) vt.Cell { return f.Cell(r1.X-1, r2.Y+1) }       // left of pane 2 only
	f := compose.Compose(nil, spec)
	if between(f).Style.Attrs&vt.Inverse != 0 || left(f).Style.Attrs&vt.Inverse != 0 {
		t.Fatalf("reverse borders with no pane marked: %+v %+v", between(f), left(f))
	}
	for i := range spec.Panes {
		spec.Panes[i].Marked = spec.Panes[i].Rect == r1
	}
	f = compose.Compose(f.Clone(), spec)
	if c := between(f); c.Style.Attrs&vt.Inverse == 0 || c.Text != "─" {
		t.Errorf("border under the marked pane = %+v, want a reverse ─", c)
	}
	if c := f.Cell(r1.X-1, r1.Y); c.Style.Attrs&vt.Inverse == 0 {
		t.Errorf("border left of the marked pane = %+v, want reverse", c)
	}
	if c := f.Cell(r1.X-1, r2.Y+1); c.Style.Attrs&vt.Inverse != 0 {
		t.Errorf("border left of the unmarked pane = %+v, want no reverse", c)
	}
}

// TestStatusMessage: a message takes the whole status line in
// MessageStyle, hiding the window list, as tmux's display-message does.
func TestStatusMessage(t *testing.T) {
	tree := layout.New(40, 5, 0)
	spec := specFor(t, tree, 40, 6, 0, func(layout.PaneID) string { return "" })
	spec.Status.Message = "hello there"
	f := compose.Compose(nil, spec)
	if got := strings.TrimRight(rows(f)[5], " "); got != "hello there" {
		t.Errorf("status line = %q, want only the message", got)
	}
	if c := f.Cell(39, 5); c.Style != compose.MessageStyle {
		t.Errorf("status line's last cell style %+v, want MessageStyle", c.Style)
	}
	spec.Status.Message = ""
	if got := rows(compose.Compose(f.Clone(), spec))[5]; !strings.HasPrefix(got, "[dev] 0:bash*") {
		t.Errorf("status line after the message = %q", got)
	}
}

// TestStatusWindowListOverflow: with more windows than fit, the status
// line keeps the current window and the clock in view and marks hidden
// entries with < and >, as tmux 3.3a does (each want line is tmux's own
// status line for the same windows, title and width). gosh used to let the
// list run over the right part, hiding the clock and, past the edge, the
// current window.
func TestStatusWindowListOverflow(t *testing.T) {
	tree := layout.New(100, 3, 0)
	spec := specFor(t, tree, 100, 4, 0, func(layout.PaneID) string { return "" })
	spec.Status = compose.Status{Session: "0", PaneTitle: "vm", Clock: time.Date(2026, 11, 24, 15, 17, 0, 0, time.UTC)}
	for i := range 10 {
		name := "bash"
		if i == 0 {
			name = "renamed-window-with-long-name"
		}
		spec.Status.Windows = append(spec.Status.Windows, compose.Window{Index: i, Name: name})
	}
	var c compose.Composer
	for _, tc := range []struct {
		current, last int
		want          string
	}{
		{9, 8, `[0] <me  1:bash  2:bash  3:bash  4:bash  5:bash  6:bash  7:bash  8:bash- 9:bash*"vm" 15:17 24-Nov-26`},
		{5, 0, `[0] <me- 1:bash  2:bash  3:bash  4:bash  5:bash* 6:bash  7:bash  8:bash  9:bash "vm" 15:17 24-Nov-26`},
		{0, 5, `[0] 0:renamed-window-with-long-name* 1:bash  2:bash  3:bash  4:bash  5:bash- 6:>"vm" 15:17 24-Nov-26`},
	} {
		for i := range spec.Status.Windows {
			spec.Status.Windows[i].Current, spec.Status.Windows[i].Last = i == tc.current, i == tc.last
		}
		f := c.Compose(nil, spec)
		if got := rows(f)[3]; got != tc.want {
			t.Errorf("current %d:\n got %q\nwant %q", tc.current, got, tc.want)
		}
		// a click on the current window's entry selects it
		x := strings.Index(tc.want, strconv.Itoa(tc.current)+":")
		if got, ok := c.WindowAt(x); !ok || got != tc.current {
			t.Errorf("current %d: WindowAt(%d) = %d %v", tc.current, x, got, ok)
		}
		if _, ok := c.WindowAt(4); tc.want[4] == '<' && ok {
			t.Errorf("current %d: the < marker selects a window", tc.current)
		}
	}
}

// TestStatusPrompt: a prompt takes the whole status line in MessageStyle
// with a reverse-video cursor cell after it, and the terminal's cursor
// goes there, as tmux 3.3a draws confirm-before's "kill-pane 0? (y/n) "
// (black on yellow, then ESC[7m space); a long answer shows its end.
func TestStatusPrompt(t *testing.T) {
	tree := layout.New(40, 5, 0)
	spec := specFor(t, tree, 40, 6, 0, func(layout.PaneID) string { return "\x1b[2;3H" })
	spec.Status.Message = "a message under the prompt"
	spec.Status.Prompt = "kill-pane 0? (y/n) "
	f := compose.Compose(nil, spec)
	if got := strings.TrimRight(rows(f)[5], " "); got != "kill-pane 0? (y/n)" {
		t.Errorf("status line = %q, want only the prompt", got)
	}
	if c := f.Cell(0, 5); c.Style != compose.MessageStyle {
		t.Errorf("prompt style %+v, want MessageStyle", c.Style)
	}
	if c := f.Cell(19, 5); c.Style.Attrs&vt.Inverse == 0 || c.Style.Bg != compose.MessageStyle.Bg {
		t.Errorf("cursor cell %+v, want MessageStyle reversed", c)
	}
	if c := f.Cursor(); c.X != 19 || c.Y != 5 || !c.Visible {
		t.Errorf("cursor %+v, want (19,5) visible", c)
	}
	spec.Status.Prompt = ":" + strings.Repeat("x", 50) + "end"
	f = compose.Compose(nil, spec)
	if got := rows(f)[5]; !strings.HasSuffix(strings.TrimRight(got, " "), "xxend") || f.Cursor().X != 39 {
		t.Errorf("long prompt: %q, cursor %+v", got, f.Cursor())
	}
	spec.Status.Prompt = ""
	f = compose.Compose(nil, spec)
	if c := f.Cursor(); c.X != 2 || c.Y != 1 {
		t.Errorf("cursor after the prompt %+v, want the pane's (2,1)", c)
	}
}

// BenchmarkComposeEcho is a client's frame while the user types in one
// 80×23 pane, as the daemon composes it: a Frozen snapshot of the pane
// after one more character, composed into the transport's current frame,
// which the transport then clones as the sent state.
func BenchmarkComposeEcho(b *testing.B) {
	pane := vt.NewScreen(80, 23)
	for y := range 22 {
		pane.WriteString("\x1b[3" + itoa(y%8) + "m" + strings.Repeat("lorem ipsum dolor sit amet ", 3)[:78] + "\x1b[m\r\n")
	}
	pane.WriteString("$ ")
	spec := &compose.FrameSpec{Width: 80, Height: 24, Active: 0, Status: status(),
		Panes: []compose.Pane{{Rect: layout.Rect{W: 80, H: 23}, Screen: pane.Clone(), Frozen: true}}}
	var c compose.Composer
	frame := c.Compose(nil, spec)
	var sent *vt.Screen
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		if n++; n%70 == 0 {
			pane.WriteString("\r\x1b[K$ ")
		}
		pane.WriteString("x")
		spec.Panes[0].Screen = pane.Clone()
		frame = c.Compose(frame, spec)
		sent = frame.Clone()
	}
	_ = sent
}
