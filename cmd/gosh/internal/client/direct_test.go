package client

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/gdamore/tcell/v2"
	"github.com/gdamore/tcell/v2/terminfo"

	"github.com/goshterm/gosh/predict"
	"github.com/goshterm/gosh/vt"
)

// capTTY is a terminal of a fixed size that keeps what is written to it.
type capTTY struct {
	cols, rows int
	out        bytes.Buffer
	closed     chan struct{}
	once       sync.Once
}

func newCapTTY(cols, rows int) *capTTY {
	return &capTTY{cols: cols, rows: rows, closed: make(chan struct{})}
}

func (t *capTTY) Start() error                { return nil }
func (t *capTTY) Stop() error                 { return t.Close() }
func (t *capTTY) Drain() error                { return t.Close() }
func (t *capTTY) NotifyResize(func())         {}
func (t *capTTY) Write(b []byte) (int, error) { return t.out.Write(b) }
func (t *capTTY) Read([]byte) (int, error) {
	<-t.closed
	return 0, fmt.Errorf("closed")
}
func (t *capTTY) Close() error { t.once.Do(func() { close(t.closed) }); return nil }
func (t *capTTY) WindowSize() (tcell.WindowSize, error) {
	return tcell.WindowSize{Width: t.cols, Height: t.rows}, nil
}

// take returns and forgets what was written.
func (t *capTTY) take() []byte {
	b := bytes.Clone(t.out.Bytes())
	t.out.Reset()
	return b
}

// termScreen is a tcell terminal screen for term on a capTTY.
func termScreen(t *testing.T, term string, cols, rows int) (tcell.Screen, *capTTY) {
	t.Helper()
	ti, err := terminfo.LookupTerminfo(term)
	if err != nil {
		t.Skip("no terminfo:", err)
	}
	tty := newCapTTY(cols, rows)
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
	return scr, tty
}

// frameGen makes a random session: server frames (each a new screen, as
// the transport's are) and the prediction engine's overlay on them.
type frameGen struct {
	rnd  *rand.Rand
	fb   *vt.Screen
	eng  *predict.Engine
	now  time.Time
	sent uint64
}

func newFrameGen(seed uint64, cols, rows int) *frameGen {
	g := &frameGen{
		rnd: rand.New(rand.NewPCG(seed, 7)),
		fb:  vt.NewScreen(cols, rows),
		eng: predict.New(predict.Config{Mode: predict.Always}),
		now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
	}
	g.eng.SetSendInterval(250 * time.Millisecond)
	return g
}

var genTexts = []string{
	"a", "xyz", "hello ", "中", "文字", "e\u0301", "🙂", "é", " ", "|", "ab\tc",
	"\x1b[1mB\x1b[m", "\x1b[31mred", "\x1b[38;5;202mo", "\x1b[38;2;1;2;3;48;2;200;100;50mrgb",
	"\x1b[4:3;58;5;4mcurly", "\x1b[4mu", "\x1b[7minv", "\x1b[2;3;5;9mmix", "\x1b[8mhid",
	"\x1b[m", "\x1b[44m", "\x1b[97;100mbright",
	"\x1b]8;id=x;https://example.com/\x1b\\link\x1b]8;;\x1b\\", "\x1b]8;;https://a.b/\x1b\\L",
}

var genControls = []string{
	"\r\n", "\x1b[H", "\x1b[K", "\x1b[2J", "\x1b[?25l", "\x1b[?25h", "\x1b[3 q", "\x1b[6 q",
	"\x1b[1@", "\x1b[2P", "\x1b[L", "\x1b[M", "\b", "\x1bM", "\x1b[?5h", "\x1b[?5l",
}

// step changes the frame and returns the next server frame.
func (g *frameGen) step() *vt.Screen {
	cols, rows := g.fb.Size()
	f := g.fb.Clone()
	for range 1 + g.rnd.IntN(3) {
		switch g.rnd.IntN(10) {
		case 0, 1:
			f.WriteString(genControls[g.rnd.IntN(len(genControls))])
		case 2:
			fmt.Fprintf(f, "\x1b[%d;%dH", 1+g.rnd.IntN(rows), 1+g.rnd.IntN(cols))
		case 3:
			if g.rnd.IntN(8) == 0 {
				// The bottom-right cell, which tcell draws with an
				// insert-character dance (a combining mark there
				// lands on the cell to its left in the emulator: a
				// tcell matter, left out).
				fmt.Fprintf(f, "\x1b[%d;%dH%s", rows, cols, []string{"z", "\x1b[32mq", "中"}[g.rnd.IntN(3)])
			}
		default:
			f.WriteString(genTexts[g.rnd.IntN(len(genTexts))])
		}
	}
	for x := cols - 2; x < cols; x++ {
		// Nor a combining mark next to it, which the dance moves.
		if utf8.RuneCountInString(f.Cell(x, rows-1).Text) > 1 && f.Cell(x, rows-1).Width == 1 {
			fmt.Fprintf(f, "\x1b7\x1b[%d;%dH \x1b8", rows, x+1)
		}
	}
	g.fb = f
	return f
}

var genKeys = []string{"a", "b", "\x7f", "\x1b[D", "\x1b[C", "x", "\r", "中"}

// view returns what the client would draw for frame: sometimes after a
// key, with its guess, sometimes with the guesses judged.
func (g *frameGen) view(f *vt.Screen) *vt.Screen {
	g.now = g.now.Add(30 * time.Millisecond)
	switch g.rnd.IntN(3) {
	case 0:
		g.sent++
		g.eng.NewUserInput(g.now, []byte(genKeys[g.rnd.IntN(len(genKeys))]), g.sent, f)
	case 1:
		g.eng.Cull(g.now, f, g.sent)
	}
	return g.eng.Apply(f)
}

// TestDirectDrawIsShow checks that a frame the renderer shows itself
// (direct.go) leaves the user's terminal showing what tcell's Show would
// have left, on random sessions with predictions, notices, wide and
// combining characters, links, colours, cursor shapes and reverse video,
// with tcell's own full redraws (Ctrl-L's Sync, a resize) coming between
// frames: both renderers' bytes are replayed into emulators and compared
// cell by cell, with the cursor, after every frame, and tcell's cell
// buffers (what a later Show draws from) must agree too. The direct
// writer writes less than Show (no cursor move, pen or cursor shape that
// the terminal already has), so the bytes differ; each of its writes is
// still one synchronized update.
func TestDirectDrawIsShow(t *testing.T) {
	for _, term := range []string{"xterm-256color", "xterm", "xterm-truecolor"} {
		for seed := range uint64(12) {
			t.Run(fmt.Sprintf("%s/%d", term, seed), func(t *testing.T) {
				cols, rows := 14+int(seed%3), 5+int(seed%2)
				dscr, dtty := termScreen(t, term, cols, rows)
				sscr, stty := termScreen(t, term, cols, rows)
				dr := newTermRenderer(dscr, term)
				if dr.direct == nil {
					t.Fatalf("%s: no direct writer", term)
				}
				sr := newTermRenderer(sscr, term)
				sr.direct.off = true
				demu, semu := vt.NewScreen(cols, rows), vt.NewScreen(cols, rows)
				demu.Write(dtty.take())
				semu.Write(stty.take())
				g := newFrameGen(seed, cols, rows)
				syncs := 0
				for i := range 300 {
					f := g.step()
					view := g.view(f)
					notice := ""
					if g.rnd.IntN(12) == 0 {
						notice = "gosh: notice 中"
					}
					if g.rnd.IntN(15) == 0 {
						// tcell redraws everything behind the
						// writer's back; the pen and the cursor
						// are then wherever its last cell left
						// them. (Both: a repaint also clears
						// what incremental draws may leave that
						// tcell does not know of, a combining
						// mark after a wide character.)
						dscr.Sync()
						sscr.Sync()
						syncs++
					}
					shown := dr.direct.shown
					dr.draw(view, notice, true)
					sr.draw(view, notice, true)
					d := dtty.take()
					demu.Write(d)
					semu.Write(stty.take())
					if diff := emuDiff(demu, semu); diff != "" {
						t.Fatalf("frame %d: the direct writer's terminal differs from Show's: %s\nlast direct write %q", i, diff, d)
					}
					if dr.direct.shown > shown && len(d) > 0 && (!bytes.HasPrefix(d, []byte(xtSyncStart)) || !bytes.HasSuffix(d, []byte(xtSyncEnd))) {
						t.Fatalf("frame %d: a direct write is not one synchronized update: %q", i, d)
					}
					if diff := cellsDiff(dscr, sscr); diff != "" {
						t.Fatalf("frame %d: tcell's cell buffers differ: %s", i, diff)
					}
				}
				if dr.direct.shown == 0 {
					t.Fatal("the direct writer drew no frame: every frame went to Show")
				}
				if syncs == 0 {
					t.Fatal("no redraw came between frames")
				}
			})
		}
	}
}

// cellsDiff describes the first difference between two tcell screens'
// cell buffers: contents, and whether a cell is dirty (a later Show
// draws it), but for the direct writer's canary.
func cellsDiff(a, b tcell.Screen) string {
	ca := a.(interface{ GetCells() *tcell.CellBuffer }).GetCells()
	cb := b.(interface{ GetCells() *tcell.CellBuffer }).GetCells()
	cols, rows := ca.Size()
	for y := range rows {
		for x := range cols {
			sa, sta, wa := ca.Get(x, y)
			sb, stb, wb := cb.Get(x, y)
			if sa != sb || sta != stb || wa != wb {
				return fmt.Sprintf("cell (%d,%d): %q %v %d vs %q %v %d", x, y, sa, sta, wa, sb, stb, wb)
			}
			if (x > 0 || y > 0) && ca.Dirty(x, y) != cb.Dirty(x, y) {
				return fmt.Sprintf("cell (%d,%d): dirty %v vs %v", x, y, ca.Dirty(x, y), cb.Dirty(x, y))
			}
		}
	}
	return ""
}

// TestIncrementalDrawIsFullDraw checks that drawing a session frame by
// frame (changed rows only, by the direct writer where it can) leaves the
// user's terminal showing what drawing the frame on a fresh terminal
// shows: the terminal's bytes are replayed into an emulator and compared
// cell by cell, with the cursor.
func TestIncrementalDrawIsFullDraw(t *testing.T) {
	for seed := range uint64(12) {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			cols, rows := 12+int(seed%4), 4+int(seed%3)
			iscr, itty := termScreen(t, "xterm-256color", cols, rows)
			ir := newTermRenderer(iscr, "xterm-256color")
			iemu := vt.NewScreen(cols, rows)
			g := newFrameGen(100+seed, cols, rows)
			for i := range 200 {
				view := g.view(g.step())
				notice := ""
				if g.rnd.IntN(10) == 0 {
					notice = "gosh: bar"
				}
				ir.draw(view, notice, true)
				iemu.Write(itty.take())

				fscr, ftty := termScreen(t, "xterm-256color", cols, rows)
				newTermRenderer(fscr, "xterm-256color").draw(view, notice, true)
				femu := vt.NewScreen(cols, rows)
				femu.Write(ftty.take())
				fscr.Fini()
				if d := emuDiff(iemu, femu); d != "" {
					t.Fatalf("frame %d: incremental and full draws differ: %s", i, d)
				}
			}
		})
	}
}

// emuDiff describes the first difference between two emulated terminals.
func emuDiff(a, b *vt.Screen) string {
	cols, rows := a.Size()
	for y := range rows {
		for x := range cols {
			ca, cb := a.Cell(x, y), b.Cell(x, y)
			if ca.Text != cb.Text && !(blank(ca.Text) && blank(cb.Text)) || ca.Style != cb.Style || ca.Width != cb.Width {
				return fmt.Sprintf("cell (%d,%d): %q %+v vs %q %+v\nrows:\n%s\nvs\n%s", x, y, ca.Text, ca.Style, cb.Text, cb.Style, emuText(a), emuText(b))
			}
		}
	}
	if ca, cb := a.Cursor(), b.Cursor(); ca.Visible != cb.Visible || ca.Visible && (ca.X != cb.X || ca.Y != cb.Y || ca.Shape != cb.Shape || ca.Blink != cb.Blink) {
		return fmt.Sprintf("cursor %+v vs %+v", ca, cb)
	}
	return ""
}

func blank(s string) bool { return s == "" || s == " " }

func emuText(s *vt.Screen) string {
	cols, rows := s.Size()
	var b strings.Builder
	for y := range rows {
		for x := range cols {
			t := s.Cell(x, y).Text
			if t == "" {
				t = "."
			}
			b.WriteString(t)
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// TestEchoAckFrameWritesNothing types at a bash prompt as bench/echo does
// and follows each key through the client as the daemon-hosted one sees
// it: the key (and its guess, when the engine shows one), the server's
// frame with the echo, then, later, a frame that only acknowledges the
// echo (the screen is unchanged). The ack frame must write nothing to
// the terminal (it wrote a cursor move, hide, show and shape before); the
// echo must be the character alone in one synchronized update (no cursor
// move, pen or cursor shape the terminal already has); and the
// terminal, replayed into an emulator, must show the server's screen.
func TestEchoAckFrameWritesNothing(t *testing.T) {
	for _, m := range []struct {
		name string
		mode predict.Mode
	}{{"never", predict.Never}, {"adaptive", predict.Adaptive}, {"always", predict.Always}} {
		t.Run(m.name, func(t *testing.T) {
			s := newBenchSession(t, m.mode)
			var out bytes.Buffer
			s.tty.rec = &out
			s.f.scr.Sync() // the emulator starts from a full repaint
			emu := vt.NewScreen(80, 24)
			emu.Write(out.Bytes())
			// serve carries the client's datagrams to the server,
			// lets the shell echo, acks the keys when ack is set,
			// and hands the server's frame to the client.
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
				dgrams := s.serverSend()
				if len(dgrams) == 0 {
					t.Fatal("the server sent nothing")
				}
				for _, d := range dgrams {
					s.client.Receive(s.now, d, s.sc.addr)
				}
				s.f.newFrame()
				s.f.render(s.now)
			}
			del := tcell.NewEventKey(tcell.KeyDEL, 0, 0)
			keys := []struct {
				ev   *tcell.EventKey
				echo string // bash's
				want string // the terminal's, between CSI ? 2026 h and l; "": not checked
			}{
				{tcell.NewEventKey(tcell.KeyRune, 'l', 0), "l", ""}, // after the repaint, nothing is known of the pen
				{tcell.NewEventKey(tcell.KeyRune, 's', 0), "s", "s"},
				{tcell.NewEventKey(tcell.KeyRune, 'x', 0), "x", "x"},
				{del, "\b\x1b[K", "\b \b"},
				{tcell.NewEventKey(tcell.KeyRune, 'é', 0), "é", ""}, // a width a terminal might see otherwise: the cursor is placed
				{del, "\b\x1b[K", ""},
				{tcell.NewEventKey(tcell.KeyRune, 'y', 0), "y", "y"},
			}
			for i, k := range keys {
				key := k.echo
				s.now = s.now.Add(150 * time.Millisecond)
				out.Reset()
				s.f.key(k.ev)
				s.f.pass(s.now, false)
				keyOut := bytes.Clone(out.Bytes())
				s.now = s.now.Add(time.Millisecond)
				serve(k.echo, false)
				echoOut := append(keyOut, out.Bytes()[len(keyOut):]...)
				s.now = s.now.Add(70 * time.Millisecond)
				serve("", true)
				ackOut := out.Bytes()[len(echoOut):]
				emu.Write(out.Bytes())
				if d := emuDiff(emu, s.screen); d != "" {
					t.Fatalf("key %d %q: the terminal does not show the server's screen: %s", i, key, d)
				}
				if len(ackOut) > 0 {
					t.Errorf("key %d %q: the echo-ack frame, which changes nothing, wrote %q", i, key, ackOut)
				}
				if want := xtSyncStart + k.want + xtSyncEnd; k.want != "" && string(echoOut) != want {
					t.Errorf("key %d %q: the echo wrote %q (%d bytes), want %q", i, key, echoOut, len(echoOut), want)
				}
			}
		})
	}
}

// TestUnchangedFrameWritesNothing draws frames that show what the
// terminal already shows, as new stored rows (a server frame that only
// acks the echo), with and without the notice bar (which is put again on
// every draw), and checks that nothing is written; then that a change of
// the cursor's shape alone writes the shape and nothing else. A cell in
// colour, and the bar, are drawn by the direct writer, not left to Show.
func TestUnchangedFrameWritesNothing(t *testing.T) {
	for _, notice := range []string{"", "gosh: last contact 3 seconds ago"} {
		t.Run(fmt.Sprintf("notice=%q", notice), func(t *testing.T) {
			scr, tty := termScreen(t, "xterm-256color", 20, 4)
			r := newTermRenderer(scr, "xterm-256color")
			frame := func(s string) *vt.Screen {
				f := vt.NewScreen(20, 4)
				f.WriteString(s)
				return f
			}
			const text = "\x1b[1;31mred\x1b[m plain\r\n$ ls"
			const echo = "\x1b[32mx"
			r.draw(frame(text), notice, true)
			r.draw(frame(text+echo), notice, true) // the direct writer's first write
			if r.direct.shown != 1 {
				t.Fatalf("a green x went to Show")
			}
			emu := vt.NewScreen(20, 4)
			emu.Write(tty.take())
			for i := range 3 {
				r.draw(frame(text+echo), notice, true)
				if b := tty.take(); len(b) > 0 {
					t.Fatalf("draw %d of an unchanged frame wrote %q", i, b)
				}
			}
			shown := r.direct.shown
			r.draw(frame(text+echo+"\x1b[5 q"), notice, true)
			b := tty.take()
			if want := xtSyncStart + "\x1b[?12l\x1b[?25h\x1b[5 q" + xtSyncEnd; string(b) != want {
				t.Errorf("a cursor shape change wrote %q, want %q", b, want)
			}
			emu.Write(b)
			if r.direct.shown != shown+1 {
				t.Errorf("the cursor shape's change went to Show")
			}
			if cur := emu.Cursor(); cur.Shape != vt.CursorBar || !cur.Blink || cur.X != 5 || cur.Y != 1 {
				t.Errorf("cursor %+v, want a blinking bar at (5, 1)", cur)
			}
		})
	}
}
