package predict_test

import (
	"errors"
	"testing"
	"time"

	"github.com/goshterm/gosh/predict"
	"github.com/goshterm/gosh/vt"
)

var t0 = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

func TestParseMode(t *testing.T) {
	for _, m := range []predict.Mode{predict.Adaptive, predict.Always, predict.Never, predict.Experimental} {
		got, err := predict.ParseMode(m.String())
		if err != nil || got != m {
			t.Errorf("ParseMode(%q) = %v, %v", m.String(), got, err)
		}
	}
	for _, bad := range []string{"", "Always", "sometimes", "adaptive "} {
		if _, err := predict.ParseMode(bad); !errors.Is(err, predict.ErrUnknownMode) {
			t.Errorf("ParseMode(%q) error %v, want ErrUnknownMode", bad, err)
		}
	}
}

func TestIsShell(t *testing.T) {
	for p, want := range map[string]bool{
		"bash": true, "-bash": true, "/bin/zsh": true, "fish": true, "sh": true, "dash": true, "ksh": true,
		"vim": false, "": false, "bashful": false, "python3": false,
	} {
		if got := predict.IsShell(p); got != want {
			t.Errorf("IsShell(%q) = %v", p, got)
		}
	}
}

func TestAtPrompt(t *testing.T) {
	for _, tt := range []struct {
		before, after string
		want          bool
	}{
		{"u@h:~$ ", "", true},
		{"# ", "", true},
		{"% ", "   ", true},
		{"❯ ", "", true},
		{"~/src ➜  ", "", true},
		{"$", "", true},
		{"$ ls", "", false},   // typing already
		{"$ ", "ls", false},   // text to the right: editing a line
		{"$     ", "", false}, // too far from the prompt character
		{"", "", false},       // empty row
		{"hello world", "", false},
	} {
		k := predict.KeyContext{Before: tt.before, After: tt.after}
		if got := predict.AtPrompt(k); got != tt.want {
			t.Errorf("AtPrompt(%q|%q) = %v", tt.before, tt.after, got)
		}
	}
}

func TestBuiltinDecide(t *testing.T) {
	rect := predict.Rect{W: 40, H: 4}
	unknown := predict.PaneFacts{}
	noEcho := predict.PaneFacts{Known: true, Rect: rect, Canonical: true}
	cooked := predict.PaneFacts{Known: true, Rect: rect, Canonical: true, Echo: true, Program: "cat"}
	bash := predict.PaneFacts{Known: true, Rect: rect, Program: "bash"}
	icanonEcho := predict.PaneFacts{Known: true, Rect: rect, Echo: true, Program: "cat"}
	vim := predict.PaneFacts{Known: true, Rect: rect, Program: "vim"}
	r := predict.Key{Kind: predict.KeyRune, Rune: 'x', Width: 1, Seq: "x"}
	wide := predict.Key{Kind: predict.KeyRune, Rune: '世', Width: 2, Seq: "世"}
	del := predict.Key{Kind: predict.KeyBackspace, Seq: "\x7f"}
	bs := predict.Key{Kind: predict.KeyBackspace, Seq: "\x08"}
	left := predict.Key{Kind: predict.KeyLeft, Seq: "\x1b[D"}
	enter := predict.Key{Kind: predict.KeyEnter, Seq: "\r"}
	other := predict.Key{Kind: predict.KeyOther, Seq: "\x1b[A"}
	tests := []struct {
		name string
		k    predict.KeyContext
		want predict.Decision
	}{
		{"no echo: reset", predict.KeyContext{Key: r, Pane: noEcho}, predict.Decision{Verdict: predict.Reset}},
		{"no echo: reset on any key", predict.KeyContext{Key: other, Pane: noEcho}, predict.Decision{Verdict: predict.Reset}},
		{"mosh: rune", predict.KeyContext{Key: r, Pane: unknown}, predict.Decision{Verdict: predict.Predict}},
		{"mosh: wide rune", predict.KeyContext{Key: wide, Pane: unknown}, predict.Decision{Verdict: predict.Skip}},
		{"mosh: DEL", predict.KeyContext{Key: del, Pane: unknown}, predict.Decision{Verdict: predict.Predict}},
		{"mosh: BS is a control", predict.KeyContext{Key: bs, Pane: unknown}, predict.Decision{Verdict: predict.Skip}},
		{"mosh: arrow", predict.KeyContext{Key: left, Pane: unknown}, predict.Decision{Verdict: predict.Predict}},
		{"mosh: enter", predict.KeyContext{Key: enter, Pane: unknown}, predict.Decision{Verdict: predict.Predict}},
		{"mosh: other", predict.KeyContext{Key: other, Pane: unknown}, predict.Decision{Verdict: predict.Skip}},
		{"cooked: rune at once, overwrite", predict.KeyContext{Key: r, Pane: cooked}, predict.Decision{Verdict: predict.Predict, Immediate: true, Edit: predict.EditOverwrite}},
		{"cooked: DEL with typed text", predict.KeyContext{Key: del, Pane: cooked, Typed: 2}, predict.Decision{Verdict: predict.Predict, Immediate: true, Edit: predict.EditOverwrite}},
		{"cooked: DEL over the prompt", predict.KeyContext{Key: del, Pane: cooked}, predict.Decision{Verdict: predict.Skip}},
		{"cooked: BS", predict.KeyContext{Key: bs, Pane: cooked, Typed: 2}, predict.Decision{Verdict: predict.Skip}},
		{"cooked: arrow echoes ^[[D", predict.KeyContext{Key: left, Pane: cooked}, predict.Decision{Verdict: predict.Skip}},
		{"cooked: enter", predict.KeyContext{Key: enter, Pane: cooked}, predict.Decision{Verdict: predict.Predict}},
		{"bash prompt: at once", predict.KeyContext{Key: r, Pane: bash, Before: "$ "}, predict.Decision{Verdict: predict.Predict, Immediate: true}},
		{"bash mid-line", predict.KeyContext{Key: r, Pane: bash, Before: "$ ls", After: " -l"}, predict.Decision{Verdict: predict.Predict}},
		{"bash: BS is backspace", predict.KeyContext{Key: bs, Pane: bash}, predict.Decision{Verdict: predict.Predict}},
		{"-icanon echo: rune at once", predict.KeyContext{Key: r, Pane: icanonEcho}, predict.Decision{Verdict: predict.Predict, Immediate: true, Edit: predict.EditOverwrite}},
		{"-icanon echo: DEL echoes ^?", predict.KeyContext{Key: del, Pane: icanonEcho, Typed: 3}, predict.Decision{Verdict: predict.Skip}},
		{"-icanon echo: enter", predict.KeyContext{Key: enter, Pane: icanonEcho}, predict.Decision{Verdict: predict.Skip}},
		{"vim at a $: no prompt", predict.KeyContext{Key: r, Pane: vim, Before: "$ "}, predict.Decision{Verdict: predict.Predict}},
	}
	for _, tt := range tests {
		if got := (predict.Builtin{}).Decide(tt.k); got.Verdict != tt.want.Verdict || got.Immediate != tt.want.Immediate || got.Edit != tt.want.Edit {
			t.Errorf("%s: %+v, want %+v", tt.name, got, tt.want)
		}
	}
}

// recorder is a Heuristic that records what it is asked and answers with
// a fixed function.
type recorder struct {
	seen   []predict.KeyContext
	answer func(k predict.KeyContext) predict.Decision
}

func (r *recorder) Decide(k predict.KeyContext) predict.Decision {
	k.Lines = append([]string(nil), k.Lines...)
	r.seen = append(r.seen, k)
	return r.answer(k)
}

var _ predict.Heuristic = (*recorder)(nil)

// screen returns a server frame drawn by host output.
func screen(cols, rows int, host string) *vt.Screen {
	s := vt.NewScreen(cols, rows)
	s.WriteString(host)
	return s
}

func overlayRows(e *predict.Engine, fb *vt.Screen) []string {
	text, _ := rowsOf(e.Apply(fb))
	return text
}

// TestHeuristicNoAnswer: a heuristic with no opinion (a plugin that timed
// out) gets Builtin's behaviour, and it saw the text around the cursor.
func TestHeuristicNoAnswer(t *testing.T) {
	h := &recorder{answer: func(predict.KeyContext) predict.Decision { return predict.Decision{} }}
	fb := screen(30, 4, "last login\r\nu@h:~$ ")
	pane := predict.PaneFacts{Known: true, Rect: predict.Rect{W: 30, H: 4}, Program: "bash"}
	e := predict.New(predict.Config{Mode: predict.Always, Heuristic: h})
	e.SetPane(pane)
	e.NewUserInput(t0, []byte("l"), 1, fb)
	if got := overlayRows(e, fb)[1]; got != "u@h:~$ l" {
		t.Errorf("row 1 = %q: Builtin's prompt rule should have shown the key at once", got)
	}
	if len(h.seen) != 1 {
		t.Fatalf("Decide called %d times, want 1", len(h.seen))
	}
	k := h.seen[0]
	if k.Key.Kind != predict.KeyRune || k.Key.Rune != 'l' || k.Cursor != (predict.Point{X: 7, Y: 1}) || k.Col != 7 ||
		k.Before != "u@h:~$ " || k.After != "" || k.Row != 1 || len(k.Lines) != 3 || k.Lines[0] != "last login" || k.Lines[1] != "u@h:~$ " || k.Lines[2] != "" ||
		k.Pane != pane || k.Pending {
		t.Errorf("context %+v", k)
	}
}

// TestHeuristicCells: a heuristic can supply its own cells and cursor
// (vim's x deletes the character under the cursor); cells outside the pane
// are ignored and the cursor stays in it.
func TestHeuristicCells(t *testing.T) {
	h := &recorder{answer: func(k predict.KeyContext) predict.Decision {
		if k.Key.Rune == 'x' {
			return predict.Decision{Verdict: predict.Predict, Cells: []predict.CellEdit{
				{X: k.Cursor.X, Y: k.Cursor.Y, Text: "c"}, {X: k.Cursor.X + 1, Y: k.Cursor.Y, Text: " "},
				{X: 25, Y: 0, Text: "!"}, // outside the pane
			}}
		}
		return predict.Decision{Verdict: predict.Predict, Cells: []predict.CellEdit{}, MoveCursor: true, Cursor: predict.Point{X: 99, Y: 99}}
	}}
	fb := screen(30, 3, "abc\x1b[1;21H|right\x1b[1;2H")
	e := predict.New(predict.Config{Mode: predict.Experimental, Heuristic: h})
	e.SetPane(predict.PaneFacts{Known: true, Rect: predict.Rect{W: 20, H: 3}, Program: "vim"})
	e.NewUserInput(t0, []byte("x"), 1, fb)
	if got := overlayRows(e, fb)[0]; got != "ac                  |right" {
		t.Errorf("row 0 = %q", got)
	}
	e.NewUserInput(t0, []byte("G"), 2, fb)
	if c := e.Apply(fb).Cursor(); c.X != 19 || c.Y != 2 {
		t.Errorf("cursor (%d,%d), want clamped to the pane's corner (19,2)", c.X, c.Y)
	}
}

// TestHeuristicCannotBreakSafety: whatever a heuristic says, nothing is
// shown in a no-echo pane (it isn't even asked) and nothing outside the
// pane.
func TestHeuristicCannotBreakSafety(t *testing.T) {
	h := &recorder{answer: func(k predict.KeyContext) predict.Decision {
		return predict.Decision{Verdict: predict.Predict, Immediate: true}
	}}
	fb := screen(20, 2, "Password: ")
	e := predict.New(predict.Config{Mode: predict.Always, Heuristic: h})
	e.SetSendInterval(250 * time.Millisecond)
	e.SetPane(predict.PaneFacts{Known: true, Rect: predict.Rect{W: 20, H: 2}, Canonical: true})
	e.NewUserInput(t0, []byte("secret"), 1, fb)
	if out := e.Apply(fb); !out.FrameEqual(fb) || len(h.seen) != 0 || e.Active() {
		t.Errorf("no-echo pane: overlay changed %v, heuristic asked %d times, active %v", !out.FrameEqual(fb), len(h.seen), e.Active())
	}
}

// TestHeuristicSkip: a heuristic that declines every key leaves the screen
// alone.
func TestHeuristicSkip(t *testing.T) {
	h := &recorder{answer: func(predict.KeyContext) predict.Decision { return predict.Decision{Verdict: predict.Skip} }}
	fb := screen(20, 2, "$ ")
	e := predict.New(predict.Config{Mode: predict.Experimental, Heuristic: h})
	e.NewUserInput(t0, []byte("abc"), 1, fb)
	if out := e.Apply(fb); !out.FrameEqual(fb) || e.Stats().Predicted != 0 {
		t.Errorf("skip: overlay changed %v, stats %+v", !out.FrameEqual(fb), e.Stats())
	}
}

func TestWaitTime(t *testing.T) {
	fb := screen(20, 2, "$ ")
	e := predict.New(predict.Config{})
	if w := e.WaitTime(t0); w != predict.NoWait {
		t.Errorf("idle: %v, want NoWait", w)
	}
	e.NewUserInput(t0, []byte("a"), 1, fb)
	if w := e.WaitTime(t0); w != predict.ActiveWait {
		t.Errorf("guess outstanding: %v, want %v (the glitch trigger may fire)", w, predict.ActiveWait)
	}
	// Stall for 5 s: glitch trigger at its top and underlining on; no
	// timing trigger is left to fire.
	e.Cull(t0.Add(6*time.Second), fb, 0)
	e.Cull(t0.Add(6*time.Second), fb, 0)
	if !e.Showing() || !e.Flagging() {
		t.Fatalf("after a 6 s stall: showing %v flagging %v", e.Showing(), e.Flagging())
	}
	if w := e.WaitTime(t0); w != predict.NoWait {
		t.Errorf("all triggers on: %v, want NoWait", w)
	}
	fb.WriteString("a")
	e.Cull(t0.Add(6*time.Second), fb, 1)
	if w := e.WaitTime(t0); w != predict.NoWait || e.Active() {
		t.Errorf("after the echo: %v, active %v", w, e.Active())
	}
}

// TestTriggers: the display and underline triggers follow the send
// interval with mosh's hysteresis.
func TestTriggers(t *testing.T) {
	fb := screen(20, 2, "$ ")
	e := predict.New(predict.Config{})
	steps := []struct {
		si            time.Duration
		show, flagged bool
	}{
		{20 * time.Millisecond, false, false},
		{30 * time.Millisecond, false, false},
		{31 * time.Millisecond, true, false},
		{25 * time.Millisecond, true, false}, // hysteresis: stays on above 20 ms
		{81 * time.Millisecond, true, true},
		{60 * time.Millisecond, true, true}, // stays underlined above 50 ms
		{50 * time.Millisecond, true, false},
		{20 * time.Millisecond, false, false},
	}
	for _, s := range steps {
		e.SetSendInterval(s.si)
		e.Cull(t0, fb, 0)
		if e.Showing() != s.show || e.Flagging() != s.flagged {
			t.Errorf("send interval %v: showing %v flagging %v, want %v %v", s.si, e.Showing(), e.Flagging(), s.show, s.flagged)
		}
	}
}

// TestResetOnResize: a frame of a new size throws the guesses away (their
// cells no longer mean the same place).
func TestResetOnResize(t *testing.T) {
	fb := screen(20, 2, "$ ")
	e := predict.New(predict.Config{Mode: predict.Experimental})
	e.NewUserInput(t0, []byte("abc"), 1, fb)
	if !e.Active() {
		t.Fatal("no guesses")
	}
	big := screen(30, 3, "$ ")
	e.Cull(t0, big, 0)
	if e.Active() || !e.Apply(big).FrameEqual(big) {
		t.Error("guesses survived a resize")
	}
	e.NewUserInput(t0, []byte("x"), 2, big)
	e.Reset()
	if e.Active() {
		t.Error("guesses survived Reset")
	}
}

// TestPaneSwitch: guesses belong to the pane they were typed in.
func TestPaneSwitch(t *testing.T) {
	fb := screen(40, 4, "$ ")
	e := predict.New(predict.Config{Mode: predict.Experimental})
	e.SetPane(predict.PaneFacts{Known: true, Rect: predict.Rect{W: 20, H: 4}, Program: "bash"})
	e.NewUserInput(t0, []byte("abc"), 1, fb)
	e.SetPane(predict.PaneFacts{Known: true, Rect: predict.Rect{X: 21, W: 19, H: 4}, Program: "bash"})
	if e.Active() || !e.Apply(fb).FrameEqual(fb) {
		t.Error("guesses survived the active pane's change")
	}
	// The cursor is in the old pane, not the new one: no guess.
	e.NewUserInput(t0, []byte("d"), 2, fb)
	if e.Active() || e.Stats().Predicted != 3 {
		t.Errorf("guessed with the cursor outside the active pane: %+v", e.Stats())
	}
}

// TestExperimentalRepair: experimental mode drops only the wrong cell and
// keeps the right ones of the same epoch.
func TestExperimentalRepair(t *testing.T) {
	fb := screen(20, 2, "$ ")
	e := predict.New(predict.Config{Mode: predict.Experimental})
	e.NewUserInput(t0, []byte("ab"), 1, fb)
	e.NewUserInput(t0, []byte("cd"), 2, fb)
	fb.WriteString("aX") // the first read echoed, its second key wrongly
	e.Cull(t0, fb, 1)
	if got := overlayRows(e, fb)[0]; got != "$ aXcd" {
		t.Errorf("row 0 = %q, want the echo and the still-pending guesses", got)
	}
	if s := e.Stats(); s.Resets != 0 || s.Rollbacks != 0 || s.Wrong != 1 {
		t.Errorf("stats %+v", s)
	}
}

// TestPendingWrap: a character typed into the pane's last column leaves
// the cursor either there (a terminal's pending wrap) or at the start of
// the next row (a line editor that wraps itself): both are right.
func TestPendingWrap(t *testing.T) {
	for _, echo := range []string{"abc", "abc\r\n"} {
		fb := screen(20, 3, "\x1b[1;18H")
		e := predict.New(predict.Config{Mode: predict.Experimental})
		e.SetPane(predict.PaneFacts{Known: true, Rect: predict.Rect{W: 20, H: 3}, Program: "zsh"})
		e.NewUserInput(t0, []byte("abc"), 1, fb)
		fb.WriteString(echo)
		e.Cull(t0, fb, 1)
		if s := e.Stats(); s.Resets != 0 || s.Wrong != 0 || e.Active() {
			t.Errorf("echo %q: stats %+v, active %v", echo, s, e.Active())
		}
	}
}

// TestOverlayKeepsStyles: a guessed cell is drawn with its neighbour's
// full rendition (colours, attributes, underline style and colour), the
// frame's pen and insert mode are left alone, and the cursor is placed
// right under origin mode.
func TestOverlayKeepsStyles(t *testing.T) {
	// Origin mode with a scroll region, insert mode on, a red pen: the
	// overlay must draw without shifting and put the cursor in the right
	// row, and leave the pen and modes as they were.
	fb := screen(20, 6, "\x1b[2;5r\x1b[?6h\x1b[2;3Habcd\x1b[2D\x1b[4h\x1b[31m")
	if c := fb.Cursor(); c.X != 4 || c.Y != 2 {
		t.Fatalf("setup: cursor (%d,%d)", c.X, c.Y)
	}
	e := predict.New(predict.Config{Mode: predict.Experimental})
	e.NewUserInput(t0, []byte("q"), 1, fb)
	out := e.Apply(fb)
	if got := overlayRows(e, fb)[2]; got != "  abqcd" {
		t.Errorf("row 2 = %q, want %q", got, "  abqcd")
	}
	if c := out.Cursor(); c.X != 5 || c.Y != 2 {
		t.Errorf("cursor (%d,%d), want (5,2)", c.X, c.Y)
	}
	if out.Pen() != fb.Pen() || out.Modes() != fb.Modes() {
		t.Errorf("overlay changed pen %v→%v or modes %+v→%+v", fb.Pen(), out.Pen(), fb.Modes(), out.Modes())
	}

	// A neighbour with every kind of rendition, and a hyperlink pen.
	fb2 := screen(20, 2, "\x1b[1;3;7;9;53;38;2;1;2;3;48;5;200;4:3;58;5;9m>\x1b[0m\x1b]8;id=z;http://x\x1b\\")
	e2 := predict.New(predict.Config{Mode: predict.Experimental})
	e2.NewUserInput(t0, []byte("q"), 1, fb2)
	out2 := e2.Apply(fb2)
	want := fb2.Cell(0, 0).Style
	if got := out2.Cell(1, 0); got.Text != "q" || got.Style != want {
		t.Errorf("guessed cell %+v, want style %v", got, want)
	}
	if out2.Pen() != fb2.Pen() {
		t.Errorf("overlay changed the pen (link) %v → %v", fb2.Pen(), out2.Pen())
	}
}
