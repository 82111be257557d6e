package predict_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/goshterm/gosh/predict"
	"github.com/goshterm/gosh/vt"
)

// A scenario is a scripted session: the screen the server starts with,
// then steps at given times — keys the user types, frames that arrive from
// the server (host output applied to the server's screen, and the echo
// ack), timer wake-ups — and after each step what the user would see.
type scenario struct {
	name       string
	cfg        predict.Config
	cols, rows int           // default 40×4
	si         time.Duration // send interval (default 20 ms: a fast link)
	pane       *predict.PaneFacts
	screen     string // host output that draws the starting screen
	steps      []step
	check      func(t *testing.T, e *predict.Engine) // at the end, optional
}

type step struct {
	at   time.Duration // clock, from the start of the scenario
	typ  string        // a read of keys; each read is sent in a new client state (1, 2, …)
	host string        // server output: the frame changes by this…
	ack  uint64        // …and its echo ack is this (0: unchanged)
	tick bool          // no frame: a WaitTime wake-up (Cull with the same frame)
	pane *predict.PaneFacts
	si   time.Duration // new send interval, if not 0

	want   []string // overlay rows from the top, trailing blanks trimmed; nil: not checked
	ul     []string // '_' under underlined cells, per row; nil: not checked
	cursor *predict.Point
	same   bool                               // the overlay must equal the server frame exactly
	see    func(t *testing.T, out *vt.Screen) // more checks on the overlay, optional
}

func at(x, y int) *predict.Point { return &predict.Point{X: x, Y: y} }

// rowsOf renders a screen's rows as text (blank cells as spaces, trailing
// blanks trimmed), and its underlines as '_' marks.
func rowsOf(s *vt.Screen) (text, ul []string) {
	cols, rows := s.Size()
	for y := range rows {
		var t, u strings.Builder
		for x := range cols {
			c := s.Cell(x, y)
			if c.Width == 0 && c.Text == "" && x > 0 && s.Cell(x-1, y).Width == 2 {
				continue
			}
			if c.Text == "" {
				t.WriteByte(' ')
			} else {
				t.WriteString(c.Text)
			}
			if c.Style.Underline != vt.UnderlineNone {
				u.WriteByte('_')
			} else {
				u.WriteByte(' ')
			}
		}
		text = append(text, strings.TrimRight(t.String(), " "))
		ul = append(ul, strings.TrimRight(u.String(), " "))
	}
	return text, ul
}

func runScenario(t *testing.T, sc scenario) {
	t.Helper()
	cols, rows := sc.cols, sc.rows
	if cols == 0 {
		cols, rows = 40, 4
	}
	server := vt.NewScreen(cols, rows)
	server.WriteString(sc.screen)
	e := predict.New(sc.cfg)
	si := sc.si
	if si == 0 {
		si = 20 * time.Millisecond
	}
	e.SetSendInterval(si)
	if sc.pane != nil {
		e.SetPane(*sc.pane)
	}
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	var frame, ack uint64
	e.Cull(t0, server, 0)
	for i, st := range sc.steps {
		now := t0.Add(st.at)
		if st.si != 0 {
			e.SetSendInterval(st.si)
		}
		if st.pane != nil {
			e.SetPane(*st.pane)
		}
		if st.host != "" || st.ack != 0 || st.tick {
			server.WriteString(st.host)
			ack = max(ack, st.ack)
			e.Cull(now, server, ack)
		}
		if st.typ != "" {
			frame++
			e.NewUserInput(now, []byte(st.typ), frame, server)
		}
		out := e.Apply(server)
		text, ul := rowsOf(out)
		what := func() string { return fmt.Sprintf("step %d (typ %q host %q)", i, st.typ, st.host) }
		if st.want != nil {
			for y, w := range st.want {
				if text[y] != w {
					t.Errorf("%s: row %d = %q, want %q\n%s", what(), y, text[y], w, strings.Join(text, "\n"))
				}
			}
		}
		if st.ul != nil {
			for y, w := range st.ul {
				if ul[y] != w {
					t.Errorf("%s: underline row %d = %q, want %q", what(), y, ul[y], w)
				}
			}
		}
		if st.cursor != nil {
			if c := out.Cursor(); c.X != st.cursor.X || c.Y != st.cursor.Y {
				t.Errorf("%s: cursor (%d,%d), want (%d,%d)", what(), c.X, c.Y, st.cursor.X, st.cursor.Y)
			}
		}
		if st.same && !out.FrameEqual(server) {
			st, _ := rowsOf(server)
			t.Errorf("%s: overlay differs from the server frame:\n%s\nserver:\n%s", what(), strings.Join(text, "\n"), strings.Join(st, "\n"))
		}
		if st.see != nil {
			st.see(t, out)
		}
	}
	if sc.check != nil {
		sc.check(t, e)
	}
}

var (
	ms      = time.Millisecond
	slow    = 250 * ms // send interval of a 500 ms round trip
	cooked  = &predict.PaneFacts{Known: true, Rect: predict.Rect{X: 0, Y: 0, W: 40, H: 4}, Canonical: true, Echo: true, Program: "cat"}
	noEcho  = &predict.PaneFacts{Known: true, Rect: predict.Rect{X: 0, Y: 0, W: 40, H: 4}, Canonical: true, Echo: false, Program: "sudo"}
	bashRaw = &predict.PaneFacts{Known: true, Rect: predict.Rect{X: 0, Y: 0, W: 40, H: 4}, Program: "bash"}
)

func TestScenarios(t *testing.T) {
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) { runScenario(t, sc) })
	}
}

// row0 is the top row of the right-pane scenario after typing.
var row0 = "left" + strings.Repeat(" ", 36) + "│" + strings.Repeat(" ", 35) + "xyz1"

var scenarios = []scenario{
	{
		// mosh's behaviour on a 500 ms link: the first key of the session
		// waits for its echo (epoch 1 unconfirmed); after that, keys show
		// at once, underlined until the server confirms them.
		name: "ls on a 500 ms link", si: slow, screen: "$ ",
		steps: []step{
			{at: 0, typ: "l", want: []string{"$"}, cursor: at(2, 0)},
			{at: 300 * ms, host: "l", want: []string{"$ l"}, cursor: at(3, 0)},
			{at: 550 * ms, ack: 1, want: []string{"$ l"}, ul: []string{""}},
			{at: 600 * ms, typ: "s", want: []string{"$ ls"}, ul: []string{"   _"}, cursor: at(4, 0)},
			{at: 900 * ms, host: "s", want: []string{"$ ls"}, ul: []string{""}}, // the echo is there: nothing to draw
			{at: 1150 * ms, ack: 2, want: []string{"$ ls"}, ul: []string{""}, same: true},
		},
		check: func(t *testing.T, e *predict.Engine) {
			s := e.Stats()
			if s.Confirmed != 2 || s.Wrong != 0 || s.Shown != 1 {
				t.Errorf("stats %+v: want 2 confirmed, 1 shown, 0 wrong", s)
			}
			if e.Active() {
				t.Error("guesses outstanding after every key was echoed")
			}
		},
	},
	{
		// The program shows something else than was guessed (here it
		// upper-cases): once the echo ack passes the key's client state the
		// wrong guess goes, and what the server shows stays.
		name: "wrong guess removed after the echo ack", si: slow, screen: "> ",
		steps: []step{
			{at: 0, typ: "a"},
			{at: 550 * ms, host: "a", ack: 1, want: []string{"> a"}},
			{at: 600 * ms, typ: "b", want: []string{"> ab"}, ul: []string{"   _"}},
			{at: 900 * ms, host: "B", want: []string{"> ab"}}, // not yet judged: ack 1 < 2
			{at: 1150 * ms, ack: 2, want: []string{"> aB"}, ul: []string{""}, cursor: at(4, 0), same: true},
		},
		check: func(t *testing.T, e *predict.Engine) {
			if s := e.Stats(); s.Wrong != 1 || s.WrongShown != 1 || s.Resets != 1 {
				t.Errorf("stats %+v: want 1 wrong (shown), 1 reset", s)
			}
		},
	},
	{
		// A raw-mode program that doesn't echo (a pager, a game): the guess
		// is rolled back within one round trip of the key.
		name: "raw program without echo: rolled back", si: slow, screen: ":",
		pane: &predict.PaneFacts{Known: true, Rect: predict.Rect{W: 40, H: 4}, Program: "less"},
		steps: []step{
			{at: 0, typ: "j"},
			{at: 550 * ms, host: "j", ack: 1},
			{at: 600 * ms, typ: "q", want: []string{":jq"}},
			{at: 1150 * ms, ack: 2, want: []string{":j"}, cursor: at(2, 0), same: true},
		},
	},
	{
		// Canonical mode with echo off is a password prompt: nothing
		// typed there is ever drawn, even in mode Always on a slow link.
		name: "password prompt shows nothing", si: slow, cfg: predict.Config{Mode: predict.Always},
		pane: noEcho, screen: "[sudo] password for u: ",
		steps: []step{
			{at: 0, typ: "h", same: true},
			{at: 550 * ms, ack: 1, same: true},
			{at: 600 * ms, typ: "unter2", same: true},
			{at: 1150 * ms, ack: 2, same: true},
			{at: 1200 * ms, typ: "\x7f\x1b[D", same: true},
		},
		check: func(t *testing.T, e *predict.Engine) {
			if s := e.Stats(); s.Predicted != 0 || s.Shown != 0 {
				t.Errorf("stats %+v: want nothing predicted", s)
			}
			if e.Active() {
				t.Error("guesses outstanding in a no-echo pane")
			}
		},
	},
	{
		// Guesses already on the screen disappear the moment the pane
		// turns echo off.
		name: "entering a no-echo prompt hides guesses", si: slow, cfg: predict.Config{Mode: predict.Always},
		pane: cooked, screen: "$ ",
		steps: []step{
			{at: 0, typ: "sudo x", want: []string{"$ sudo x"}},
			{at: 100 * ms, pane: noEcho, same: true},
			{at: 150 * ms, typ: "pw", same: true},
		},
	},
	{
		// Cooked mode with echo on: the kernel echoes, so what is typed is
		// shown at once — without mosh's round trip for the first key —
		// and DEL erases what was typed (BS SP BS) but not the prompt.
		name: "cooked echo: shown at once", si: slow, pane: cooked, screen: "name? ",
		steps: []step{
			{at: 0, typ: "bob", want: []string{"name? bob"}, ul: []string{"      ___"}, cursor: at(9, 0)},
			{at: 10 * ms, typ: "\x7f", want: []string{"name? bo"}, cursor: at(8, 0)},
			{at: 20 * ms, typ: "\x7f\x7f\x7f", want: []string{"name?"}, cursor: at(6, 0)},
			{at: 550 * ms, host: "bob\b \b\b \b\b \b", ack: 2, want: []string{"name?"}, cursor: at(6, 0), same: true},
		},
	},
	{
		// In cooked mode an arrow key is echoed as ^[[D by the line
		// discipline, not a move: the engine starts a new epoch.
		name: "cooked echo: arrows are not moves", si: slow, pane: cooked, screen: "> ",
		steps: []step{
			{at: 0, typ: "ab", want: []string{"> ab"}, cursor: at(4, 0)},
			{at: 10 * ms, typ: "\x1b[D", want: []string{"> ab"}, cursor: at(4, 0)},
			{at: 20 * ms, typ: "c", want: []string{"> ab"}, cursor: at(4, 0)},
		},
	},
	{
		// At a known shell's prompt the first key of a burst is shown at
		// once; mosh (the same screen with no pane facts, next scenario)
		// waits for the echo.
		name: "known shell prompt: first key at once", si: slow, pane: bashRaw, screen: "u@h:~$ ",
		steps: []step{
			{at: 0, typ: "l", want: []string{"u@h:~$ l"}, ul: []string{"       _"}, cursor: at(8, 0)},
			{at: 10 * ms, typ: "s", want: []string{"u@h:~$ ls"}, cursor: at(9, 0)},
			{at: 550 * ms, host: "ls", ack: 2, want: []string{"u@h:~$ ls"}, ul: []string{""}, same: true},
		},
		check: func(t *testing.T, e *predict.Engine) {
			if s := e.Stats(); s.Immediate != 1 || s.Confirmed != 2 {
				t.Errorf("stats %+v: want 1 immediate epoch, 2 confirmed", s)
			}
		},
	},
	{
		name: "unknown pane at a prompt: mosh waits", si: slow, screen: "u@h:~$ ",
		steps: []step{
			{at: 0, typ: "l", want: []string{"u@h:~$"}, cursor: at(7, 0)},
			{at: 10 * ms, typ: "s", want: []string{"u@h:~$"}, cursor: at(7, 0)},
			{at: 550 * ms, host: "l", ack: 1, want: []string{"u@h:~$ ls"}, cursor: at(9, 0)},
		},
	},
	{
		// Not a prompt (text to the right of the cursor): a shell's first
		// key waits as in mosh.
		name: "known shell, not at a prompt", si: slow, pane: bashRaw, screen: "$ echo hi\x1b[4D",
		steps: []step{
			{at: 0, typ: "x", want: []string{"$ echo hi"}, cursor: at(5, 0)},
		},
	},
	{
		// vim: typing in insert mode is echoed (confirmed, then shown at
		// once, pushing the rest of the line right); Escape leaves insert
		// mode, which the engine can't see, so what follows (x deletes a
		// character in normal mode) waits for the server and its wrong
		// guess is never drawn.
		name: "vim insert mode, then normal mode", si: slow, screen: "hello world\x1b[6G",
		pane: &predict.PaneFacts{Known: true, Rect: predict.Rect{W: 40, H: 4}, Program: "vim"},
		steps: []step{
			{at: 0, typ: ",", want: []string{"hello world"}},
			{at: 550 * ms, host: "\x1b[4h,\x1b[4l", ack: 1, want: []string{"hello, world"}, cursor: at(6, 0)},
			{at: 600 * ms, typ: "!", want: []string{"hello,! world"}, ul: []string{"      _______"}, cursor: at(7, 0)},
			{at: 610 * ms, typ: "\x1b"},
			{at: 620 * ms, typ: "x", want: []string{"hello,! world"}, cursor: at(7, 0)},
			{at: 1150 * ms, host: "\x1b[4h!\x1b[4l", ack: 2, want: []string{"hello,! world"}, cursor: at(7, 0)},
			{at: 1200 * ms, host: "\b\x1b[P", ack: 4, want: []string{"hello, world"}, cursor: at(6, 0), same: true},
			// x's cell still shows what it showed before: judged once
			// a late echo can no longer be expected.
			{at: 1350 * ms, tick: true, want: []string{"hello, world"}, cursor: at(6, 0), same: true},
		},
		check: func(t *testing.T, e *predict.Engine) {
			if s := e.Stats(); s.WrongShown != 0 || s.Rollbacks != 1 || s.Keys != 4 {
				t.Errorf("stats %+v: want 4 keys, 1 rollback, no wrong guess drawn", s)
			}
		},
	},
	{
		// vim insert mode across Enter (bench/echo's vim workload): the
		// line's typing was echoed as guessed and Enter's new cursor
		// position too, so once the frame has caught up the first key of
		// the new line is shown at once instead of waiting a round trip
		// (mosh waits: Enter starts an epoch). After Escape, which the
		// engine can't guess, the next key waits again: x deletes in
		// normal mode, and its wrong guess is never drawn.
		name: "vim insert mode: the first key after Enter", si: slow, screen: "",
		pane: &predict.PaneFacts{Known: true, Rect: predict.Rect{W: 40, H: 4}, Program: "vim"},
		steps: []step{
			{at: 0, typ: "a", want: []string{""}},
			{at: 550 * ms, host: "a", ack: 1, want: []string{"a"}},
			{at: 600 * ms, typ: "\r", cursor: at(1, 0)},
			{at: 1150 * ms, host: "\r\n", ack: 2, cursor: at(0, 1)},
			{at: 1300 * ms, typ: "b", want: []string{"a", "b"}, cursor: at(1, 1)},
			{at: 1850 * ms, host: "b", ack: 3, want: []string{"a", "b"}, same: true},
			{at: 1900 * ms, typ: "\x1b"},
			{at: 2450 * ms, host: "\b", ack: 4, cursor: at(0, 1)},
			{at: 2600 * ms, typ: "x", want: []string{"a", "b"}, cursor: at(0, 1)},
			{at: 3150 * ms, host: "\x1b[P", ack: 5, want: []string{"a", ""}, same: true},
		},
		check: func(t *testing.T, e *predict.Engine) {
			if s := e.Stats(); s.WrongShown != 0 || s.Immediate != 1 {
				t.Errorf("stats %+v: want one key shown at once, no wrong guess drawn", s)
			}
		},
	},
	{
		// A program slower than the server's 50 ms echo timeout (vim on a
		// busy machine: one bench/echo vim run had 15 wrong guesses). The
		// first guess is judged wrong on an unchanged cell and rolled back
		// as in mosh; its echo then comes late, so the program counts as
		// slow: later guesses still unechoed at their ack wait
		// LateEchoGrace instead of being killed one epoch after another,
		// and a drawn one stays drawn until its echo.
		name: "slow program: a late echo is not a wrong guess", si: slow, screen: "",
		pane: &predict.PaneFacts{Known: true, Rect: predict.Rect{W: 40, H: 4}, Program: "vim"},
		steps: []step{
			{at: 0, typ: "a", want: []string{""}},
			{at: 550 * ms, ack: 1, want: []string{""}, cursor: at(0, 0)},
			{at: 600 * ms, host: "a", want: []string{"a"}},
			{at: 650 * ms, typ: "b", want: []string{"a"}},
			{at: 1200 * ms, ack: 2, want: []string{"a"}},
			{at: 1250 * ms, host: "b", want: []string{"ab"}},
			{at: 1300 * ms, typ: "c", want: []string{"abc"}, cursor: at(3, 0)},
			{at: 1850 * ms, ack: 3, want: []string{"abc"}, cursor: at(3, 0)},
			{at: 1900 * ms, host: "c", want: []string{"abc"}, same: true},
		},
		check: func(t *testing.T, e *predict.Engine) {
			if s := e.Stats(); s.Rollbacks != 1 || s.Wrong != 1 || s.WrongShown != 0 || s.Resets != 0 {
				t.Errorf("stats %+v: want only the first guess wrong, none drawn", s)
			}
		},
	},
	{
		// A rollback while keys are still in flight: the frame's cursor is
		// behind them, so a key typed now is not guessed from it (it
		// would land on "a", be judged wrong, and its rollback would
		// anchor the next key wrong again: a run of wrong guesses as long
		// as the typing) until the frame has caught up.
		name: "no guess from a stale cursor after a rollback", si: slow, screen: "",
		pane: &predict.PaneFacts{Known: true, Rect: predict.Rect{W: 40, H: 4}, Program: "vim"},
		steps: []step{
			{at: 0, typ: "a"},
			{at: 100 * ms, typ: "b"},
			{at: 200 * ms, typ: "c"},
			{at: 550 * ms, ack: 1, want: []string{""}},
			{at: 650 * ms, typ: "d", want: []string{""}, cursor: at(0, 0)},
			{at: 700 * ms, host: "abc", ack: 3, want: []string{"abc"}, cursor: at(3, 0)},
			{at: 1200 * ms, host: "d", ack: 4, want: []string{"abcd"}, same: true},
			{at: 1300 * ms, typ: "e"},
			{at: 1850 * ms, host: "e", ack: 5, want: []string{"abcde"}, same: true},
		},
		check: func(t *testing.T, e *predict.Engine) {
			if s := e.Stats(); s.Wrong != 1 || s.Rollbacks != 1 || s.Predicted != 4 {
				t.Errorf("stats %+v: want 4 keys guessed (not d), only a's guess wrong", s)
			}
		},
	},
	{
		// A shown guess re-guessed in a hidden epoch stays drawn, but only
		// until the echo ack passes its own key: then the frame is the
		// better truth (here Up recalled a history line, which the engine
		// couldn't know).
		name: "a replaced guess lasts until its own key is acked", si: slow, screen: "$ ",
		steps: []step{
			{at: 0, typ: "a"},
			{at: 550 * ms, host: "a", ack: 1},
			{at: 600 * ms, typ: "b", want: []string{"$ ab"}},
			{at: 610 * ms, typ: "\x1b[A"},
			{at: 620 * ms, typ: "\x1b[D"},
			{at: 630 * ms, typ: "c", want: []string{"$ ab"}, cursor: at(4, 0)},
			{at: 1150 * ms, host: "\r\x1b[K$ ls", ack: 2, want: []string{"$ ls"}, cursor: at(4, 0), same: true},
		},
	},
	{
		// Typing past the right edge of a pane at columns 0–39 of an
		// 80-column screen: column 40 (the border) is never written; the
		// text continues at the pane's left column on the next row.
		name: "pane right edge wraps inside the pane", cols: 80, rows: 4, si: slow,
		cfg:    predict.Config{Mode: predict.Experimental},
		pane:   &predict.PaneFacts{Known: true, Rect: predict.Rect{X: 0, Y: 0, W: 40, H: 4}, Program: "vim"},
		screen: "\x1b[1;41H│right pane\x1b[2;41H│\x1b[1;36H",
		steps: []step{
			{at: 0, typ: "abcd", want: []string{strings.Repeat(" ", 35) + "abcd │right pane", strings.Repeat(" ", 40) + "│"}, cursor: at(39, 0)},
			{at: 10 * ms, typ: "efg", want: []string{strings.Repeat(" ", 35) + "abcde│right pane", "fg" + strings.Repeat(" ", 38) + "│"}, cursor: at(2, 1)},
		},
	},
	{
		// The same at the pane's left: a pane at columns 41–79 wraps to
		// column 41, and a new line from its bottom row blanks only the
		// pane's part of the row.
		name: "right pane: wrap and newline stay in the pane", cols: 80, rows: 3, si: slow,
		cfg:    predict.Config{Mode: predict.Experimental},
		pane:   &predict.PaneFacts{Known: true, Rect: predict.Rect{X: 41, Y: 0, W: 39, H: 3}, Program: "vim"},
		screen: "left\x1b[1;41H│\x1b[2;1Hleft2\x1b[2;41H│\x1b[3;1Hleft3\x1b[3;41H│old text\x1b[1;77H",
		steps: []step{
			{at: 0, typ: "xyz12", want: []string{row0, "left2" + strings.Repeat(" ", 35) + "│2"}, cursor: at(42, 1)},
			{at: 10 * ms, typ: "\r", cursor: at(41, 2), want: []string{row0, "left2" + strings.Repeat(" ", 35) + "│2", "left3" + strings.Repeat(" ", 35) + "│old text"}},
			{at: 20 * ms, typ: "\r", cursor: at(41, 2), want: []string{row0, "left2" + strings.Repeat(" ", 35) + "│2", "left3" + strings.Repeat(" ", 35) + "│"}},
		},
	},
	{
		// Backspace over guesses in insert mode closes the line up;
		// arrows move the guessed cursor (both cursor-key modes).
		name: "backspace and arrows in a line editor", si: slow, screen: "$ ",
		steps: []step{
			{at: 0, typ: "a"},
			{at: 550 * ms, host: "a", ack: 1},
			{at: 600 * ms, typ: "bcd", want: []string{"$ abcd"}, cursor: at(6, 0)},
			{at: 610 * ms, typ: "\x7f", want: []string{"$ abc"}, cursor: at(5, 0)},
			{at: 620 * ms, typ: "\x1b[D\x1bOD", cursor: at(3, 0)},
			{at: 630 * ms, typ: "\x7f", want: []string{"$ bc"}, cursor: at(2, 0)},
			{at: 640 * ms, typ: "\x1b[C", cursor: at(3, 0)},
			{at: 650 * ms, typ: "X", want: []string{"$ bXc"}, cursor: at(4, 0)},
			{at: 660 * ms, typ: "\x1bOC\x1b[C\x1b[C", cursor: at(7, 0)},
		},
	},
	{
		// Backspace at the left edge of the pane does nothing; left arrow
		// neither.
		name: "backspace at the pane's left edge", si: slow, cfg: predict.Config{Mode: predict.Experimental},
		pane:   &predict.PaneFacts{Known: true, Rect: predict.Rect{X: 10, Y: 0, W: 20, H: 4}, Program: "vim"},
		screen: "\x1b[1;11Hab",
		steps: []step{
			{at: 0, typ: "\x7f\x7f\x7f", want: []string{""}, cursor: at(10, 0)},
			{at: 10 * ms, typ: "\x1b[D", cursor: at(10, 0)},
		},
	},
	{
		// --predict-overwrite: a typed character replaces the one under
		// the cursor and backspace blanks.
		name: "overwrite mode", si: slow, cfg: predict.Config{Mode: predict.Experimental, Overwrite: true},
		screen: "hello\r",
		steps: []step{
			{at: 0, typ: "J", want: []string{"Jello"}, cursor: at(1, 0)},
			{at: 10 * ms, typ: "\x7f", want: []string{" ello"}, cursor: at(0, 0)},
		},
	},
	{
		name: "insert mode pushes the line right", si: slow, cfg: predict.Config{Mode: predict.Experimental},
		screen: "hello\r",
		steps: []step{
			{at: 0, typ: "J", want: []string{"Jhello"}, cursor: at(1, 0)},
		},
	},
	{
		// Enter starts a new epoch: the cursor's guessed move to the next
		// line is hidden until something in that epoch is confirmed.
		name: "carriage return", si: slow, screen: "$ ",
		steps: []step{
			{at: 0, typ: "a"},
			{at: 550 * ms, host: "a", ack: 1},
			{at: 600 * ms, typ: "b\r", want: []string{"$ ab"}, cursor: at(4, 0)},
			{at: 610 * ms, typ: "c", want: []string{"$ ab", ""}, cursor: at(4, 0)},
			{at: 1150 * ms, host: "b\r\nc", ack: 3, want: []string{"$ ab", "c"}, cursor: at(1, 1), same: true},
			{at: 1160 * ms, typ: "d", want: []string{"$ ab", "cd"}, cursor: at(2, 1)},
		},
	},
	{
		name: "carriage return shown in experimental mode", si: slow, cfg: predict.Config{Mode: predict.Experimental}, screen: "$ ",
		steps: []step{
			{at: 0, typ: "ab\rc", want: []string{"$ ab", "c"}, cursor: at(1, 1)},
		},
	},
	{
		// On a fast link (send interval 20 ms, a 10 ms round trip) adaptive
		// mode shows nothing: the echo is as quick as a guess.
		name: "adaptive at 10 ms shows nothing", screen: "$ ",
		steps: []step{
			{at: 0, typ: "l", same: true},
			{at: 10 * ms, host: "l", ack: 1, same: true},
			{at: 20 * ms, typ: "s", same: true},
			{at: 30 * ms, host: "s", ack: 2, same: true},
		},
	},
	{
		name: "never mode shows nothing", si: slow, cfg: predict.Config{Mode: predict.Never}, screen: "$ ",
		pane: cooked,
		steps: []step{
			{at: 0, typ: "l", same: true},
			{at: 550 * ms, host: "l", ack: 1, same: true},
			{at: 600 * ms, typ: "s", same: true},
		},
		check: func(t *testing.T, e *predict.Engine) {
			if e.Active() || e.Stats().Keys != 0 {
				t.Errorf("never mode: active %v, stats %+v", e.Active(), e.Stats())
			}
			if w := e.WaitTime(time.Time{}); w != predict.NoWait {
				t.Errorf("WaitTime = %v, want NoWait", w)
			}
		},
	},
	{
		// A paste (more than 100 bytes in one read) isn't guessed, and
		// throws away what was.
		name: "paste resets", si: slow, screen: "$ ",
		steps: []step{
			{at: 0, typ: "a"},
			{at: 550 * ms, host: "a", ack: 1},
			{at: 600 * ms, typ: "bc", want: []string{"$ abc"}},
			{at: 610 * ms, typ: strings.Repeat("x", 150), want: []string{"$ a"}, same: true},
		},
		check: func(t *testing.T, e *predict.Engine) {
			if s := e.Stats(); s.Pastes != 1 || s.Resets != 1 || e.Active() {
				t.Errorf("stats %+v active %v: want 1 paste, 1 reset, nothing outstanding", s, e.Active())
			}
		},
	},
	{
		// A link that looks fast but stalls: the glitch trigger shows
		// guesses outstanding for 250 ms, and underlines them at 5 s.
		name: "glitch trigger", screen: "$ ",
		steps: []step{
			{at: 0, typ: "a"},
			{at: 20 * ms, host: "a", ack: 1},
			{at: 100 * ms, typ: "b", same: true},
			{at: 300 * ms, tick: true, same: true},
			{at: 360 * ms, tick: true, want: []string{"$ ab"}, ul: []string{""}},
			{at: 5200 * ms, tick: true, want: []string{"$ ab"}, ul: []string{""}},     // 5 s: the trigger fires…
			{at: 5250 * ms, tick: true, want: []string{"$ ab"}, ul: []string{"   _"}}, // …and underlines from the next wake-up
		},
	},
	{
		// A multi-byte character split across two reads is assembled;
		// a wide character isn't guessed.
		name: "utf-8 across reads", si: slow, cfg: predict.Config{Mode: predict.Experimental}, screen: "> ",
		steps: []step{
			{at: 0, typ: "\xc3", want: []string{">"}},
			{at: 10 * ms, typ: "\xa9", want: []string{"> é"}, cursor: at(3, 0)},
			{at: 20 * ms, typ: "世", want: []string{"> é"}, cursor: at(3, 0)},
		},
	},
	{
		// A typed character takes the style of its left neighbour; once
		// the server echoes the first with its own colours (syntax
		// highlighting), the later guesses take those.
		name: "styles follow the echo", si: slow, screen: "\x1b[1m$\x1b[m ",
		steps: []step{
			{at: 0, typ: "e"},
			{at: 10 * ms, typ: "c"},
			{at: 550 * ms, host: "\x1b[32me", ack: 1, want: []string{"$ ec"}, ul: []string{"   _"}, see: func(t *testing.T, out *vt.Screen) {
				if got := out.Cell(3, 0).Style.Fg; got != vt.IndexedColor(2) {
					t.Errorf("guessed cell colour %v, want the echo's 2", got)
				}
				if got := out.Cell(0, 0).Style.Attrs; got != vt.Bold {
					t.Errorf("prompt attrs %v, want bold", got)
				}
			}},
		},
	},
}
