package client

import (
	"bytes"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"

	"github.com/gdamore/tcell/v2"
	"github.com/gdamore/tcell/v2/terminfo"

	"github.com/goshterm/gosh/predict"
	"github.com/goshterm/gosh/vt"
)

// directTerms are the terminfo entries of tcell's database the direct
// writer draws for (xterm-like, colours, no padding): each one's
// sequences must leave the terminal as Show's would.
var directTerms = []string{
	"xterm-256color", "xterm", "xterm-88color", "xterm-direct", "xterm-kitty", "xterm-ghostty",
	"alacritty", "gnome-256color", "konsole", "rxvt-256color", "st-256color", "tmux-256color", "tmux", "xfce",
}

// rigTTY is a terminal whose size can change and which can be given
// back and taken again (tcell's Suspend/Resume stop and start it). It
// keeps what is written to it.
type rigTTY struct {
	mu         sync.Mutex
	cols, rows int
	out        bytes.Buffer
	writes     int
	stop       chan struct{}
	resize     func()
}

func newRigTTY(cols, rows int) *rigTTY {
	return &rigTTY{cols: cols, rows: rows, stop: make(chan struct{})}
}

func (t *rigTTY) Start() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.stop = make(chan struct{})
	return nil
}

func (t *rigTTY) Stop() error { return t.Drain() }

func (t *rigTTY) Drain() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	select {
	case <-t.stop:
	default:
		close(t.stop)
	}
	return nil
}

func (t *rigTTY) Close() error { return t.Drain() }

func (t *rigTTY) NotifyResize(cb func()) {
	t.mu.Lock()
	t.resize = cb
	t.mu.Unlock()
}

func (t *rigTTY) Read([]byte) (int, error) {
	t.mu.Lock()
	stop := t.stop
	t.mu.Unlock()
	<-stop
	return 0, fmt.Errorf("stopped")
}

func (t *rigTTY) Write(b []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.writes++
	return t.out.Write(b)
}

func (t *rigTTY) WindowSize() (tcell.WindowSize, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return tcell.WindowSize{Width: t.cols, Height: t.rows}, nil
}

func (t *rigTTY) setSize(cols, rows int) {
	t.mu.Lock()
	t.cols, t.rows = cols, rows
	t.mu.Unlock()
}

// winch runs tcell's resize handler (its SIGWINCH), which resizes the
// cells and redraws them all from its own goroutine; it returns once that
// draw is written.
func (t *rigTTY) winch(scr tcell.Screen) bool {
	t.mu.Lock()
	cb, n, cols, rows := t.resize, t.writes, t.cols, t.rows
	t.mu.Unlock()
	if cb == nil {
		return false
	}
	cb()
	for range 5000 {
		t.mu.Lock()
		done := t.writes > n
		t.mu.Unlock()
		if done {
			// Size takes the screen's lock, which the draw
			// holds to its end.
			c, r := scr.Size()
			return c == cols && r == rows
		}
		time.Sleep(time.Millisecond)
	}
	return false
}

func (t *rigTTY) take() []byte {
	t.mu.Lock()
	defer t.mu.Unlock()
	b := bytes.Clone(t.out.Bytes())
	t.out.Reset()
	return b
}

// blinkModel follows what sets the cursor's blinking on terminals that
// take DECSET 12 (att610) and DECSCUSR as the same switch (kitty, and
// xterm with its defaults): the last of them wins. The vt emulator keeps
// only DECSCUSR's.
type blinkModel struct{ last string }

func (m *blinkModel) feed(b []byte) {
	for i := 0; i < len(b); i++ {
		if b[i] != 0x1b || i+1 >= len(b) || b[i+1] != '[' {
			continue
		}
		rest := b[i+2:]
		switch {
		case bytes.HasPrefix(rest, []byte("?12h")):
			m.last = "blink"
		case bytes.HasPrefix(rest, []byte("?12l")):
			m.last = "steady"
		case len(rest) >= 3 && rest[0] >= '0' && rest[0] <= '6' && rest[1] == ' ' && rest[2] == 'q':
			switch n := rest[0] - '0'; {
			case n == 0:
				m.last = "default"
			case n%2 == 1:
				m.last = "blink"
			default:
				m.last = "steady"
			}
		}
	}
}

// rigSide is one renderer on its own terminal, replayed into an emulator.
type rigSide struct {
	scr   tcell.Screen
	tty   *rigTTY
	r     *renderer
	emu   *vt.Screen
	blink blinkModel
	last  []byte
	// widths, when set, makes the emulator a terminal that sees some
	// characters' widths otherwise than tcell (its own wcwidth table).
	widths *strings.Replacer
}

// otherWidths: the cursor moves two columns past ☺ (one to tcell), one
// past Ａ (two to tcell).
var otherWidths = strings.NewReplacer("☺", "☺\x1b[C", "Ａ", "A")

// rig draws the same session with the direct writer and with tcell's Show
// alone, on two terminals of one type, and compares what they show.
type rig struct {
	t      *testing.T
	term   string
	d, s   *rigSide
	notice string
	hist   []string
	// noLinks: fresh does not compare links.
	noLinks bool
}

// begin starts a step: what it does is kept for a failure's report.
func (g *rig) begin() {
	g.d.last, g.s.last = g.d.last[:0], g.s.last[:0]
}

func newRigSide(t *testing.T, ti *terminfo.Terminfo, term string, cols, rows int, direct bool) *rigSide {
	tty := newRigTTY(cols, rows)
	scr, err := tcell.NewTerminfoScreenFromTtyTerminfo(tty, ti)
	if err != nil {
		t.Fatal(err)
	}
	if err := scr.Init(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(scr.Fini)
	scr.EnablePaste()
	scr.SetCursorStyle(tcell.CursorStyleDefault)
	sd := &rigSide{scr: scr, tty: tty, r: newTermRenderer(scr, term), emu: vt.NewScreen(cols, rows)}
	if sd.r.direct == nil {
		t.Fatalf("%s: no direct writer", term)
	}
	sd.r.direct.off = !direct
	sd.feed()
	return sd
}

func (sd *rigSide) feed() {
	b := sd.tty.take()
	if sd.widths != nil {
		b = []byte(sd.widths.Replace(string(b)))
	}
	sd.emu.Write(b)
	sd.blink.feed(b)
	sd.last = append(sd.last, b...)
}

func newRig(t *testing.T, term string, cols, rows int) *rig {
	t.Helper()
	ti, err := terminfo.LookupTerminfo(term)
	if err != nil {
		t.Skip("no terminfo:", err)
	}
	return &rig{t: t, term: term,
		d: newRigSide(t, ti, term, cols, rows, true),
		s: newRigSide(t, ti, term, cols, rows, false)}
}

func (g *rig) both(f func(sd *rigSide)) {
	for _, sd := range []*rigSide{g.d, g.s} {
		f(sd)
		sd.feed()
	}
}

// draw draws view on both terminals.
func (g *rig) draw(view *vt.Screen) {
	g.both(func(sd *rigSide) { sd.r.draw(view, g.notice, true) })
}

// sync is Ctrl-L: tcell repaints everything.
func (g *rig) sync() { g.both(func(sd *rigSide) { sd.scr.Sync() }) }

// resizeTerm changes the terminals' size as the user's window does: the
// terminal first, tcell later.
func (g *rig) resizeTerm(cols, rows int) {
	for _, sd := range []*rigSide{g.d, g.s} {
		sd.emu.Resize(cols, rows)
		sd.tty.setSize(cols, rows)
	}
}

// winch is tcell's own resize handling (its goroutine redraws).
func (g *rig) winch() {
	g.both(func(sd *rigSide) {
		if !sd.tty.winch(sd.scr) {
			g.t.Fatal("tcell did not take the resize")
		}
	})
}

// resized is the client's handling of the resize event (front.event).
func (g *rig) resized() {
	g.both(func(sd *rigSide) {
		sd.r.invalidate()
		sd.scr.Sync()
	})
}

// suspend is Ctrl-^ Ctrl-Z: the terminal is given back, the user's shell
// writes to it, and it is taken again (front.suspend).
func (g *rig) suspend(shell string) {
	g.both(func(sd *rigSide) { sd.scr.Suspend() })
	for _, sd := range []*rigSide{g.d, g.s} {
		sd.emu.WriteString(shell)
		sd.blink.feed([]byte(shell))
	}
	g.both(func(sd *rigSide) {
		if err := sd.scr.Resume(); err != nil {
			g.t.Fatal(err)
		}
		sd.r.invalidate()
		sd.scr.Sync()
	})
}

// check compares the two terminals.
func (g *rig) check(step int, what string) {
	g.t.Helper()
	g.hist = append(g.hist, fmt.Sprintf("step %d %s: direct %q\n    Show %q", step, what, g.d.last, g.s.last))
	if len(g.hist) > 8 {
		g.hist = g.hist[1:]
	}
	if diff := emuDiff(g.d.emu, g.s.emu); diff != "" {
		g.t.Fatalf("%s: step %d (%s): the direct writer's terminal differs from Show's: %s\nsteps:\n  %s", g.term, step, what, diff, strings.Join(g.hist, "\n  "))
	}
	if cur := g.s.emu.Cursor(); cur.Visible && g.d.blink.last != g.s.blink.last {
		g.t.Fatalf("%s: step %d (%s): the cursor's blinking was last set to %q by the direct writer, %q by Show\nlast direct bytes %q\nlast Show bytes %q", g.term, step, what, g.d.blink.last, g.s.blink.last, g.d.last, g.s.last)
	}
	if diff := cellsDiff(g.d.scr, g.s.scr); diff != "" {
		g.t.Fatalf("%s: step %d (%s): tcell's cell buffers differ: %s", g.term, step, what, diff)
	}
}

// fresh checks the terminal against the frame itself: view drawn on a
// fresh terminal of the same size must look the same, but for combining
// marks (which tcell and the terminal may attach otherwise to a cell
// drawn before). It says nothing on a terminal that sees widths
// otherwise, or in ASCII (tcell's wide-character stand-ins).
func (g *rig) fresh(step int, view *vt.Screen) {
	g.t.Helper()
	if g.d.widths != nil || g.d.r.direct.ascii {
		return
	}
	cols, rows := g.d.emu.Size()
	ti, err := tcell.LookupTerminfo(g.term)
	if err != nil {
		g.t.Fatal(err)
	}
	sd := newRigSide(g.t, ti, g.term, cols, rows, true)
	sd.r.draw(view, g.notice, true)
	sd.feed()
	sd.scr.Fini()
	if d := emuDiff(g.comparable(g.d.emu), g.comparable(sd.emu)); d != "" {
		g.t.Fatalf("%s: step %d: the terminal differs from the frame drawn afresh: %s\nsteps:\n  %s", g.term, step, d, strings.Join(g.hist, "\n  "))
	}
}

// comparable returns s without combining marks, and without links when
// the rig ignores them.
func (g *rig) comparable(s *vt.Screen) *vt.Screen {
	c := s.Clone()
	cols, rows := c.Size()
	for y := range rows {
		for x := range cols {
			cell := c.Cell(x, y)
			t := strings.Map(func(r rune) rune {
				if unicode.Is(unicode.Mn, r) {
					return -1
				}
				return r
			}, cell.Text)
			if t != cell.Text || g.noLinks && cell.Style.Link != "" {
				cell.Text = t
				if g.noLinks {
					cell.Style.Link, cell.Style.LinkID = "", ""
				}
				c.SetCell(x, y, cell)
			}
		}
	}
	return c
}

// TestDirectCursorBlink shows a steady cursor, then draws a frame that
// moves the cursor about (so the write hides and shows it): the cursor
// must still be steady. kitty's terminfo shows the cursor with DECSET 12
// (start blinking) before DECTCEM; Show writes the cursor's style after
// it every time, the direct writer only when the style changed.
func TestDirectCursorBlink(t *testing.T) {
	for _, term := range directTerms {
		t.Run(term, func(t *testing.T) {
			g := newRig(t, term, 20, 5)
			f := vt.NewScreen(20, 5)
			f.WriteString("$ \x1b[2 q")
			g.draw(f)
			g.check(0, "steady block")
			for i, s := range []string{"a", "\x1b[3;5Hb\x1b[1;4H", "c", "\x1b[?25l", "d", "\x1b[?25h", "\x1b[4 q", "\x1b[2;2Hxy\x1b[1;6H"} {
				f = f.Clone()
				f.WriteString(s)
				g.draw(f)
				g.check(i+1, fmt.Sprintf("%q", s))
			}
		})
	}
}

// rigEchoes are what a shell echoes at the cursor: characters of every
// width, a backspace as bash and as a dumb line discipline echo it, a new
// line (which scrolls at the bottom), and the last column's wrap.
var rigEchoes = []string{
	"x", "y", "é", "中", "🙂", "e\u0301", "\u0301", "\b\x1b[K", "\b \b", "\b", "\r\n", "\x1b[C", "\x1b[D",
	// Widths tcell and a terminal may see otherwise.
	// (Not ❤️ nor ᄀ: the emulator widens a cell after a VS16, or joins
	// jamo, as a fresh draw does not, and fresh would fail on Show too.)
	"☺", "🇺🇸", "👨‍👩‍👧", "\u200b", "\u00ad", "Ａ", "☺\b", "Ａ\b",
	"\x1b[32mg\x1b[m", "\x1b[4mu\x1b[m", "abcdefghijklmnopqrstuvwxyz", "\x1b[1@", "\x1b[P",
}

// rigEffects are what a program writes besides cells: title, bell,
// clipboard, input modes, the cursor's visibility and shape.
var rigEffects = []string{
	"\x1b]2;title\x07", "\x1b]0;other\x07", "\a", "\x1b]52;c;aGk=\x07", "\x1b[?1000h", "\x1b[?1000l",
	"\x1b[?1004h", "\x1b[?1004l", "\x1b[?25l", "\x1b[?25h", "\x1b[0 q", "\x1b[1 q", "\x1b[2 q", "\x1b[4 q",
	"\x1b[5 q", "\x1b[6 q", "\x1b]8;;https://a.b/\x1b\\", "\x1b]8;;\x1b\\", "\x1b]8;;https://例え.jp/\x1b\\",
}

// rigFrame changes the frame as a session might: a random frame (frameGen),
// an echo at the cursor, an echo into the last column or the bottom
// row, an effect.
func rigFrame(g *frameGen) *vt.Screen {
	cols, rows := g.fb.Size()
	switch g.rnd.IntN(6) {
	case 0, 1:
		return g.step()
	}
	f := g.fb.Clone()
	switch g.rnd.IntN(5) {
	case 0, 1:
		f.WriteString(rigEchoes[g.rnd.IntN(len(rigEchoes))])
	case 2:
		// Into the last column (the cursor waits to wrap), then on.
		fmt.Fprintf(f, "\x1b[%d;%dH%s", 1+g.rnd.IntN(rows), cols-g.rnd.IntN(2), []string{"z", "中", "wq", "é"}[g.rnd.IntN(4)])
		if g.rnd.IntN(2) == 0 {
			f.WriteString(rigEchoes[g.rnd.IntN(len(rigEchoes))])
		}
	case 3:
		// The bottom row, scrolled by a new line or a wrap.
		fmt.Fprintf(f, "\x1b[%d;%dH%s", rows, 1+g.rnd.IntN(cols), []string{"\r\n$ ", "long line that wraps", "\n"}[g.rnd.IntN(3)])
	default:
		f.WriteString(rigEffects[g.rnd.IntN(len(rigEffects))])
	}
	for x := cols - 2; x < cols; x++ {
		// As frameGen.step: no combining mark at the bottom-right
		// corner (a tcell matter).
		if c := f.Cell(x, rows-1); len([]rune(c.Text)) > 1 && c.Width == 1 {
			fmt.Fprintf(f, "\x1b7\x1b[%d;%dH \x1b8", rows, x+1)
		}
	}
	g.fb = f
	return f
}

// TestDirectWriterStateProperty runs random sessions on every terminal
// type the direct writer draws for, interleaving frames (echoes at the
// last column, wide and combining characters, scrolling, links, colours,
// predictions shown and withdrawn, effects) with the notice bar coming
// and going, Ctrl-L (Sync), resizes (the terminal first; tcell's own
// redraw and the client's, in every order, with frames between) and
// suspend/resume; after each step the terminal (replayed into an
// emulator) must show what Show alone would have made it show, cursor and
// its blinking included, and tcell's cell buffers must agree. What the
// writer remembers of the terminal is wrong as soon as a step leaves them
// apart. Every fourth frame is also drawn afresh: what both renderers
// leave wrong (a link left open) shows there.
func TestDirectWriterStateProperty(t *testing.T) {
	for ti, term := range directTerms {
		for seed := range uint64(rigSeeds) {
			locale := "C.UTF-8"
			if seed%3 == 2 {
				locale = "C" // ASCII: other characters go to Show
			}
			t.Run(fmt.Sprintf("%s/%s/%d", term, locale, seed), func(t *testing.T) {
				t.Setenv("LC_ALL", locale)
				seed := seed + 1000*uint64(ti)
				cols, rows := 9+int(seed%5), 3+int(seed%4)
				g := newRig(t, term, cols, rows)
				if ti, _ := terminfo.LookupTerminfo(term); seed%2 == 0 && ti.DisableAutoMargin != "" {
					// (Where tcell turns autowrap off: text pushed
					// past the last column by a wider character
					// would wrap, and scroll at the bottom row.)
					g.d.widths, g.s.widths = otherWidths, otherWidths
				}
				gen := newFrameGen(seed, cols, rows)
				if seed%2 == 1 {
					gen.eng = predict.New(predict.Config{Mode: predict.Adaptive})
					gen.eng.SetSendInterval(250 * time.Millisecond)
					gen.eng.SetSRTT(300 * time.Millisecond)
				}
				rnd := gen.rnd
				var view *vt.Screen
				drawn := 0
				for i := range 250 {
					what := "frame"
					g.begin()
					switch n := rnd.IntN(100); {
					case n < 6:
						what = "notice"
						if g.notice == "" {
							g.notice = []string{"gosh: last contact 3 s ago", "gosh: 中文 bar", "x"}[rnd.IntN(3)]
						} else {
							g.notice = ""
						}
						if view != nil {
							g.draw(view)
						}
					case n < 11:
						what = "sync"
						g.sync()
					case n < 15 && view != nil:
						nc, nr := 6+rnd.IntN(10), 2+rnd.IntN(6)
						what = fmt.Sprintf("resize to %dx%d", nc, nr)
						g.resizeTerm(nc, nr)
						order := rnd.IntN(4)
						what += fmt.Sprint(" order ", order)
						switch order {
						case 0: // a frame before tcell knows
							g.draw(view)
							g.check(i, what+": frame before tcell's resize")
							g.winch()
							g.resized()
						case 1: // tcell first, then a frame before the client knows
							g.winch()
							g.check(i, what+": tcell's resize")
							g.draw(view)
							g.check(i, what+": frame before the client's resize")
							g.resized()
						case 2: // the client first (its Sync resizes), tcell's redraw later
							g.resized()
							g.check(i, what+": the client's resize")
							g.draw(view)
							g.check(i, what+": frame")
							g.winch()
						default: // no signal: the next Show finds the size
							g.draw(view)
							g.check(i, what+": frame")
							g.resized()
						}
						if rnd.IntN(2) == 0 {
							g.check(i, what+": before the server's frame")
							gen.fb = gen.fb.Clone()
							gen.fb.Resize(nc, nr)
							gen.eng.Reset()
							view = gen.view(gen.fb)
							g.draw(view)
						}
					case n < 17 && view != nil:
						what = "suspend"
						g.suspend([]string{"\x1b[31m$ fg\r\n", "\x1b[5 q\x1b[?25l", "\x1b]8;;http://x/\x1b\\open", "\x1b[10;10H\x1b[7m"}[rnd.IntN(4)])
						g.check(i, what)
						g.draw(view)
					default:
						f := rigFrame(gen)
						view = gen.view(f)
						g.draw(view)
						drawn++
					}
					g.check(i, what)
					if what == "frame" && drawn%4 == 0 {
						g.fresh(i, view)
					}
				}
				if g.d.r.direct.shown < drawn/3 {
					t.Fatalf("the direct writer drew %d of %d frames: the rest went to Show", g.d.r.direct.shown, drawn)
				}
			})
		}
	}
}

// rigSeeds is the number of random sessions per terminal type.
var rigSeeds = 4

// TestDirectEchoScenarios types at a shell prompt on every terminal type
// the direct writer draws for, as the shell echoes: into the last column
// (where the cursor waits to wrap) and past it, backspaces from there,
// wide, combining and emoji characters at the cursor, a line that scrolls
// the screen, with Ctrl-L, a resize, a suspend, the notice bar and the
// cursor's visibility and shape changing between the echoes. After each
// step the terminal must show what Show alone makes it show.
func TestDirectEchoScenarios(t *testing.T) {
	const cols, rows = 12, 4
	type step struct {
		echo   string // the shell's output
		notice string
		do     string // "sync", "resize", "suspend"
	}
	bs := "\b\x1b[K"
	scenarios := map[string][]step{
		"last column":      {{echo: "\x1b[4;1H$ 1234567"}, {echo: "8"}, {echo: "9"}, {echo: "a"}, {echo: bs}, {echo: "a"}, {echo: "b"}, {echo: "\b"}, {echo: bs}, {echo: "\x1b[K"}},
		"wide at the edge": {{echo: "\x1b[4;1H$ 12345678"}, {echo: "中"}, {echo: "x"}, {echo: "文"}, {echo: bs}, {echo: "\b\b  \b\b"}, {echo: "🙂"}, {echo: "e\u0301"}},
		"scroll":           {{echo: "\x1b[4;1H$ ls"}, {echo: "\r\na b c\r\n$ "}, {echo: "x"}, {echo: "\r\n"}, {echo: "y"}, {echo: bs}},
		"redraws between":  {{echo: "\x1b[4;1H$ "}, {echo: "a"}, {do: "sync"}, {echo: "b"}, {do: "resize"}, {echo: "c"}, {do: "suspend"}, {echo: "d"}, {echo: bs}},
		"bar and cursor":   {{echo: "\x1b[1;1H$ "}, {echo: "a", notice: "gosh: bar"}, {echo: "b", notice: "gosh: bar"}, {echo: "c"}, {echo: "\x1b[?25l"}, {echo: "d"}, {echo: "\x1b[?25h\x1b[5 q"}, {echo: "e"}, {echo: "\x1b[2 q"}, {echo: bs}},
		"other widths":     {{echo: "\x1b[2;1H$ "}, {echo: "☺"}, {echo: "x"}, {echo: "Ａ"}, {echo: "y"}, {echo: bs}, {echo: "\x1b[3;1H☺"}, {echo: "\x1b[?25l"}, {echo: "☺\b"}, {echo: "\x1b[?25h"}, {echo: "Ａ\b"}, {echo: "z"}, {echo: "\x1b[?25h"}},
		"link and title":   {{echo: "\x1b[2;1H$ "}, {echo: "\x1b]8;;https://a.b/\x1b\\x"}, {echo: "\x1b]2;t\x07\a"}, {echo: "y\x1b]8;;\x1b\\"}, {echo: "z"}, {echo: bs}},
	}
	for _, term := range directTerms {
		for name, steps := range scenarios {
			t.Run(term+"/"+name, func(t *testing.T) {
				g := newRig(t, term, cols, rows)
				if name == "other widths" {
					g.d.widths, g.s.widths = otherWidths, otherWidths
				}
				f := vt.NewScreen(cols, rows)
				for i, s := range steps {
					g.begin()
					g.notice = s.notice
					switch s.do {
					case "sync":
						g.sync()
					case "resize":
						g.resizeTerm(cols+1, rows)
						g.winch()
						g.resized()
						f = f.Clone()
						f.Resize(cols+1, rows)
						g.draw(f)
					case "suspend":
						g.suspend("\x1b[31m$ fg\r\n")
					default:
						f = f.Clone()
						f.WriteString(s.echo)
						g.draw(f)
					}
					g.check(i, fmt.Sprintf("%q %s", s.echo, s.do))
				}
				if g.d.r.direct.shown < len(steps)/2 {
					t.Errorf("the direct writer drew %d of %d steps: the rest went to Show", g.d.r.direct.shown, len(steps))
				}
			})
		}
	}
}

// TestLinkLeftOpenBySync puts a link that the direct writer does not
// record (a URL with non-ASCII bytes, which it leaves to Show) in the
// bottom-right cell, the last one tcell draws, so that a full repaint
// (Ctrl-L's Sync, tcell's resize redraw) ends inside it; the text the
// next write draws must not join the link.
func TestLinkLeftOpenBySync(t *testing.T) {
	for _, term := range []string{"xterm-256color", "xterm-kitty"} {
		t.Run(term, func(t *testing.T) {
			const cols, rows = 12, 3
			g := newRig(t, term, cols, rows)
			f := vt.NewScreen(cols, rows)
			f.WriteString("$ \x1b[3;10H\x1b]8;;https://例え.jp/\x1b\\dir\x1b]8;;\x1b\\\x1b[1;3H")
			g.draw(f)
			g.sync()
			for i, echo := range []string{"l", "s"} {
				f = f.Clone()
				f.WriteString(echo)
				g.begin()
				g.draw(f)
				for _, sd := range []*rigSide{g.d, g.s} {
					if c := sd.emu.Cell(2+i, 0); c.Text != echo || c.Style.Link != "" {
						t.Errorf("echo %q (direct writer: %v): the terminal shows %q linked to %q; bytes %q", echo, sd == g.d, c.Text, c.Style.Link, sd.last)
					}
				}
				g.check(i, fmt.Sprintf("%q", echo))
			}
		})
	}
}

// TestFrontEchoesWithRedraws types at a bash prompt through the client
// (keys, the prediction engine's guesses, the server's echo frames, the
// frames that only ack them) with Ctrl-L, a suspend (Ctrl-^ Ctrl-Z, while
// the user's shell writes to the terminal) and a line typed past the
// last column between the echoes: after each key's frames the terminal,
// replayed into an emulator, must show the server's screen.
func TestFrontEchoesWithRedraws(t *testing.T) {
	for _, m := range []struct {
		name string
		mode predict.Mode
	}{{"never", predict.Never}, {"adaptive", predict.Adaptive}, {"always", predict.Always}} {
		t.Run(m.name, func(t *testing.T) {
			s := newBenchSession(t, m.mode)
			var out bytes.Buffer
			s.tty.rec = &out
			s.f.scr.Sync()
			emu := vt.NewScreen(80, 24)
			emu.Write(out.Bytes())
			out.Reset()
			suspended := 0
			s.f.cfg.Suspend = func() bool {
				// The terminal was given back: what tcell wrote, then
				// the user's shell.
				emu.Write(out.Bytes())
				out.Reset()
				emu.WriteString("\x1b[31m[1]+ Stopped gosh\r\n$ fg\x1b[5 q\x1b]8;;http://x/\x1b\\")
				suspended++
				return false
			}
			serve := func(echo string, ack bool) {
				s.client.Tick(s.now)
				for _, d := range s.cc.take() {
					s.server.Receive(s.now, d, s.cc.addr)
				}
				s.server.RemoteConsumed()
				s.screen.WriteString(echo)
				if ack {
					s.server.Current().SetEchoAck(s.server.RemoteNum())
				}
				s.server.Tick(s.now)
				for range 10 {
					if len(s.sc.out) > 0 {
						break
					}
					s.now = s.now.Add(s.server.WaitTime(s.now))
					s.server.Tick(s.now)
				}
				for _, d := range s.sc.take() {
					s.client.Receive(s.now, d, s.sc.addr)
				}
				s.f.newFrame()
				s.f.render(s.now)
			}
			// A status line in colour on the bottom row, the prompt
			// above it: the last cell a full repaint draws is in
			// colour, and the pen is left so.
			serve("\x1b[24;1H\x1b[30;42m"+strings.Repeat("=", 80)+"\x1b[m\x1b[23;1H\x1b[2K\x1b[1;32mu@h\x1b[m:~$ ", true)
			emu.Write(out.Bytes())
			out.Reset()
			key := func(r rune) *tcell.EventKey { return tcell.NewEventKey(tcell.KeyRune, r, 0) }
			del := tcell.NewEventKey(tcell.KeyDEL, 0, 0)
			type typed struct {
				evs  []*tcell.EventKey
				echo string // bash's ("": no echo)
			}
			steps := []typed{
				{[]*tcell.EventKey{key('l')}, "l"},
				{[]*tcell.EventKey{key('s')}, "s"},
				{[]*tcell.EventKey{tcell.NewEventKey(tcell.KeyCtrlL, 0, 0)}, ""},
				{[]*tcell.EventKey{key('x')}, "x"},
				{[]*tcell.EventKey{del}, "\b\x1b[K"},
				{[]*tcell.EventKey{tcell.NewEventKey(tcell.KeyCtrlCarat, 0, 0), tcell.NewEventKey(tcell.KeyCtrlZ, 0, 0)}, ""},
				{[]*tcell.EventKey{key('é')}, "é"},
				{[]*tcell.EventKey{key('中')}, "中"},
				{[]*tcell.EventKey{del}, "\b\b\x1b[K"},
				{[]*tcell.EventKey{del}, "\b\x1b[K"},
			}
			// Then on to the last column (the prompt is 7 wide) and past it.
			for i := range 80 - 7 - 2 {
				steps = append(steps, typed{[]*tcell.EventKey{key(rune('a' + i%26))}, string(rune('a' + i%26))})
			}
			steps = append(steps,
				typed{[]*tcell.EventKey{key('Y')}, "Y"},
				typed{[]*tcell.EventKey{del}, "\b\x1b[K"},
				typed{[]*tcell.EventKey{key('Y')}, "Y"},
				typed{[]*tcell.EventKey{key('Z')}, "Z"},
				typed{[]*tcell.EventKey{tcell.NewEventKey(tcell.KeyCtrlL, 0, 0)}, ""},
				typed{[]*tcell.EventKey{key('!')}, "!"},
				typed{[]*tcell.EventKey{del}, "\b\x1b[K"},
			)
			for i, st := range steps {
				s.now = s.now.Add(150 * time.Millisecond)
				for _, ev := range st.evs {
					s.f.key(ev)
				}
				s.f.pass(s.now, false)
				s.now = s.now.Add(time.Millisecond)
				serve(st.echo, false)
				s.now = s.now.Add(70 * time.Millisecond)
				serve("", true)
				emu.Write(out.Bytes())
				b := bytes.Clone(out.Bytes())
				out.Reset()
				if d := emuDiff(emu, s.screen); d != "" {
					t.Fatalf("step %d (%q): the terminal does not show the server's screen: %s\nbytes %q", i, st.echo, d, b)
				}
			}
			if suspended != 1 {
				t.Errorf("suspended %d times, want 1", suspended)
			}
			if s.f.r.direct.shown == 0 {
				t.Error("the direct writer drew nothing")
			}
		})
	}
}

// TestDirectWriterConcurrentRedraws draws a random session while tcell's
// own goroutine repaints the whole screen again and again (what it does
// on SIGWINCH), at times the renderer does not choose: every so often, with
// no repaint under way, the terminal (every byte, in the order written)
// must show the frame last drawn, as the frame drawn afresh shows it.
// A repaint that slipped past the canary would leave the writer's next
// write at a cursor or in a pen that is no longer the terminal's.
func TestDirectWriterConcurrentRedraws(t *testing.T) {
	for _, term := range []string{"xterm-256color", "xterm-kitty", "tmux-256color"} {
		t.Run(term, func(t *testing.T) {
			const cols, rows = 14, 5
			ti, err := tcell.LookupTerminfo(term)
			if err != nil {
				t.Skip(err)
			}
			// (Links are not compared: tcell's own draws leave the
			// last link they drew open, and start from "no link",
			// so a repaint coming right after one, before the
			// renderer closes it, draws into it whatever the
			// direct writer does.)
			g := &rig{t: t, term: term, d: newRigSide(t, ti, term, cols, rows, true), noLinks: true}
			lock := g.d.scr.(sync.Locker)
			stop := make(chan struct{})
			done := make(chan struct{})
			go func() {
				defer close(done)
				for i := 0; ; i++ {
					select {
					case <-stop:
						return
					default:
					}
					g.d.tty.mu.Lock()
					cb := g.d.tty.resize
					g.d.tty.mu.Unlock()
					if cb != nil {
						cb()
					}
					time.Sleep(time.Duration(i%7) * 50 * time.Microsecond)
				}
			}()
			gen := newFrameGen(42, cols, rows)
			for i := range 400 {
				view := gen.view(rigFrame(gen))
				if gen.rnd.IntN(10) == 0 {
					g.notice = []string{"", "gosh: bar"}[gen.rnd.IntN(2)]
				}
				g.d.r.draw(view, g.notice, true)
				if i%10 == 9 {
					lock.Lock() // no repaint under way
					g.d.feed()
					lock.Unlock()
					g.fresh(i, view)
				}
			}
			close(stop)
			<-done
			if g.d.r.direct.shown == 0 {
				t.Error("the direct writer drew nothing")
			}
		})
	}
}

// TestBellDuringRepaint rings the bell (a frame's BEL) while tcell's own
// goroutine repaints the screen (as on SIGWINCH). tcell's Beep writes
// without the screen's lock, into the buffer a repaint is filling: under
// -race this is a data race, and without it a BEL (or the repaint)
// could be torn.
func TestBellDuringRepaint(t *testing.T) {
	const cols, rows = 20, 5
	ti, err := tcell.LookupTerminfo("xterm-256color")
	if err != nil {
		t.Skip(err)
	}
	sd := newRigSide(t, ti, "xterm-256color", cols, rows, true)
	f := vt.NewScreen(cols, rows)
	f.WriteString("$ ")
	sd.r.draw(f, "", true)
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			select {
			case <-stop:
				return
			default:
			}
			sd.tty.mu.Lock()
			cb := sd.tty.resize
			sd.tty.mu.Unlock()
			cb()
			time.Sleep(20 * time.Microsecond)
		}
	}()
	for range 300 {
		f = f.Clone()
		f.WriteString("\a")
		sd.r.draw(f, "", true)
	}
	close(stop)
	<-done
	sd.scr.(sync.Locker).Lock() // the last repaint is written
	b := sd.tty.take()
	sd.scr.(sync.Locker).Unlock()
	sd.emu.Write(b)
	if n := sd.emu.BellCount(); n < 300 {
		t.Errorf("the terminal rang %d times, want 300", n)
	}
}

// TestShowOnlyTerminals checks that the direct writer leaves alone the
// terminals it cannot draw for exactly as Show (padding, no cursor
// hiding, not xterm-like: vt100, vt220, linux, screen), and that on them
// an echo and the frame that only acks it still leave the terminal
// showing the frame (Show draws what changed; the ack frame writes
// nothing).
func TestShowOnlyTerminals(t *testing.T) {
	for _, term := range []string{"vt100", "vt220", "linux", "screen", "screen-256color", "rxvt-unicode-256color"} {
		t.Run(term, func(t *testing.T) {
			const cols, rows = 20, 4
			ti, err := terminfo.LookupTerminfo(term)
			if err != nil {
				t.Skip(err)
			}
			tty := newRigTTY(cols, rows)
			scr, err := tcell.NewTerminfoScreenFromTtyTerminfo(tty, ti)
			if err != nil {
				t.Fatal(err)
			}
			if err := scr.Init(); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(scr.Fini)
			r := newTermRenderer(scr, term)
			if r.direct != nil {
				t.Fatalf("%s: a direct writer", term)
			}
			emu := vt.NewScreen(cols, rows)
			f := vt.NewScreen(cols, rows)
			f.WriteString("\x1b[1;32mu@h\x1b[m:~$ ")
			for i, echo := range []string{"", "l", "s", "\b\x1b[K", "x"} {
				f = f.Clone()
				f.WriteString(echo)
				r.draw(f, "", true)
				emu.Write(tty.take())
				ack := f.Clone() // the same screen, new stored rows
				r.draw(ack, "", true)
				if b := tty.take(); len(b) > 0 && i > 0 {
					t.Errorf("echo %q: the ack frame wrote %q", echo, b)
				}
				if got, want := strings.ReplaceAll(emuText(emu), " ", "."), strings.ReplaceAll(emuText(f), " ", "."); got != want {
					t.Errorf("echo %q: the terminal shows\n%s\nwant\n%s", echo, got, want)
				}
				if c, w := emu.Cursor(), f.Cursor(); c.X != w.X || c.Y != w.Y {
					t.Errorf("echo %q: cursor at %d,%d, want %d,%d", echo, c.X, c.Y, w.X, w.Y)
				}
			}
		})
	}
}
