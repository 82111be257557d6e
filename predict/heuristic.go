package predict

import (
	"strings"
	"time"
	"unicode/utf8"
)

// Heuristic decides, before each key the engine could predict, whether and
// how to predict it. Builtin is the default; a plugin may supply another
// (the plugin host wraps a remote one, over gRPC, with a deadline and falls
// back to Builtin), which is why the inputs and outputs are plain data.
//
// Decide is called from the client's event loop, once per key, and should
// return within a few milliseconds. It must not keep k.Lines after it
// returns. An implementation that has nothing to say returns the zero
// Decision (NoAnswer) and the engine asks Builtin instead.
//
// Whatever Decide answers, the engine keeps its safety rules: no guess in a
// canonical pane with echo off, nothing outside the active pane, and every
// guess is verified against the server's frames and withdrawn when wrong.
type Heuristic interface {
	Decide(k KeyContext) Decision
}

// Point is a cell position, in screen columns and rows from the top left
// (0-based).
type Point struct{ X, Y int }

// Rect is a rectangle of cells: columns X to X+W-1, rows Y to Y+H-1.
type Rect struct{ X, Y, W, H int }

// Empty reports whether r has no cells.
func (r Rect) Empty() bool { return r.W <= 0 || r.H <= 0 }

// Contains reports whether p is inside r.
func (r Rect) Contains(p Point) bool {
	return p.X >= r.X && p.X < r.X+r.W && p.Y >= r.Y && p.Y < r.Y+r.H
}

// intersect returns the cells both rectangles cover.
func (r Rect) intersect(o Rect) Rect {
	x0, y0 := max(r.X, o.X), max(r.Y, o.Y)
	x1, y1 := min(r.X+r.W, o.X+o.W), min(r.Y+r.H, o.Y+o.H)
	if x1 <= x0 || y1 <= y0 {
		return Rect{}
	}
	return Rect{x0, y0, x1 - x0, y1 - y0}
}

// PaneFacts is what gosh's server says about the active pane in its
// extension fields. The zero value means "unknown" (a stock mosh-server):
// the engine then treats the whole screen as one pane and behaves as
// mosh-client.
type PaneFacts struct {
	// Known is true when the other fields carry the server's facts.
	Known bool
	// Rect is the active pane's content area in the frame, without its
	// borders.
	Rect Rect
	// Canonical and Echo are the pane pty's termios ICANON and ECHO flags
	// (POSIX termios, "Canonical Mode Input Processing"; "Local Modes").
	Canonical, Echo bool
	// Program is the name of the pane's foreground process (group leader),
	// e.g. "bash", "zsh", "vim"; "" when unknown.
	Program string
	// Title is the active pane's title as its program set it (OSC 0/2,
	// xterm ctlseqs "Operating System Commands"), which the composite
	// frame carries as its own title; "" when none. The engine ignores it;
	// predictor plugins see it.
	Title string
}

// NoEcho reports whether the pane is in the state of a password prompt:
// canonical input with echo off. Nothing is ever predicted there.
func (f PaneFacts) NoEcho() bool { return f.Known && f.Canonical && !f.Echo }

// KeyContext is what a Heuristic sees for one key.
type KeyContext struct {
	Key Key
	// Cursor is where the engine believes the cursor is before this key
	// (its newest guess, else the server's cursor), in screen
	// coordinates.
	Cursor Point
	// Bounds is the area guesses may touch: the active pane's rectangle
	// clipped to the screen, or the whole screen when the pane is
	// unknown.
	Bounds Rect
	// Lines are the rows around the cursor (up to two above and one
	// below), each cut to Bounds' columns, with the engine's outstanding
	// guesses applied, blank cells as spaces and trailing blanks removed
	// (on the cursor's row only those right of the cursor). A wide
	// character's second column contributes nothing. Lines[Row] is the
	// cursor's row; Lines[0] is screen row Cursor.Y-Row.
	Lines []string
	Row   int
	// Before and After are the cursor's row split at the cursor:
	// Lines[Row] == Before+After.
	Before, After string
	// Col is the cursor's column within Bounds (Cursor.X - Bounds.X).
	Col int
	// Pane is the server's facts about the active pane.
	Pane PaneFacts
	// Typed counts the printable keys typed since the last Enter, reset
	// or unguessable key, less those backspaced over: a lower bound on
	// what a cooked-mode line buffer holds.
	Typed int
	// Pending is true when guesses are outstanding or the newest frame's
	// echo ack doesn't yet cover every key typed before this one: the
	// screen may not be what it will be. A Decision's Immediate is
	// ignored then.
	Pending bool
	// Proven is true when the program has echoed a guess exactly as
	// guessed and, since then, every key was guessed and no guess proved
	// wrong: it is echoing what is typed (vim in insert mode, a line
	// editor), and no unguessable key (Escape, a control key) has changed
	// its mode since. Enter and the right edge start new epochs but don't
	// end it; a wrong guess, a reset or new pane facts do.
	Proven bool
	// SRTT and SendInterval describe the link.
	SRTT, SendInterval time.Duration
	Mode               Mode
	Overwrite          bool
}

// Verdict is a Heuristic's answer.
type Verdict uint8

// Verdicts.
const (
	// NoAnswer: the heuristic has no opinion; the engine asks Builtin.
	NoAnswer Verdict = iota
	// Predict the key: with Decision.Cells and Decision.Cursor when
	// given, else with the engine's own edit for the key's kind.
	Predict
	// Skip: don't predict this key, and start a new epoch, so that what
	// is typed after it stays hidden until the server confirms it.
	Skip
	// Reset: drop every outstanding guess and don't predict this key.
	Reset
)

var verdictNames = [...]string{"no-answer", "predict", "skip", "reset"}

func (v Verdict) String() string {
	if int(v) < len(verdictNames) {
		return verdictNames[v]
	}
	return "Verdict(?)"
}

// Edit says how a printable key or a backspace changes the line.
type Edit uint8

// Edits.
const (
	// EditDefault follows Config.Overwrite.
	EditDefault Edit = iota
	// EditInsert pushes the rest of the line right (typing) or pulls it
	// left (backspace), as a line editor does.
	EditInsert
	// EditOverwrite replaces the cell under the cursor (typing) or blanks
	// the one before it (backspace), as the kernel's echo does.
	EditOverwrite
)

// CellEdit is a guessed cell a Heuristic supplies instead of the engine's
// own edit. The cell takes the style of the cell to its left.
type CellEdit struct {
	X, Y int    // screen coordinates; cells outside Bounds are ignored
	Text string // one width-1 character; "" or " " for a blank
}

// Decision is a Heuristic's answer for one key.
type Decision struct {
	Verdict Verdict
	// Immediate shows the guess without waiting for the server to
	// confirm its epoch. The engine honours it only when
	// KeyContext.Pending is false (the start of a burst).
	Immediate bool
	// Edit chooses insert or overwrite for printable keys and backspace.
	Edit Edit
	// Cells, when not nil, are the guess instead of the engine's edit.
	Cells []CellEdit
	// MoveCursor moves the guessed cursor to Cursor (kept inside Bounds)
	// when Cells is used.
	MoveCursor bool
	Cursor     Point
}

// Builtin is the default Heuristic.
//
// With PaneFacts unknown it answers as mosh-client decides: printable
// width-1 characters, DEL, CR and the left and right arrows are predicted
// (in epochs that wait for confirmation), anything else starts a new epoch.
//
// With PaneFacts known:
//   - canonical with echo off: Reset — nothing is ever shown;
//   - canonical with echo on (cooked, e.g. cat, a read prompt): the kernel
//     echoes each character and erases with BS SP BS (ECHOE), so typing and
//     DEL are predicted as overwrites and shown at once; DEL only while
//     Typed says the line buffer has something to erase; arrows are echoed
//     as ^[[D by the line discipline, not moves, so they start a new epoch;
//   - non-canonical with echo on (stty -icanon): the kernel echoes each
//     character, shown at once; DEL and arrows are echoed as ^? and ^[[D,
//     so they start a new epoch;
//   - raw (ICANON and ECHO off: readline, zle, vim) as mosh, and BS (Ctrl-H) is a
//     backspace as line editors bind it; at a known shell's prompt — the
//     text left of the cursor ends in a prompt character and the rest of
//     the row is blank — a printable key is shown at once, and so it is
//     when the program has proved to echo what is typed (KeyContext.Proven:
//     the first key of a new line in vim's insert mode, where mosh waits a
//     round trip because Enter starts an epoch).
type Builtin struct{}

var _ Heuristic = Builtin{}

// Decide implements Heuristic.
func (Builtin) Decide(k KeyContext) Decision {
	p := k.Pane
	if p.NoEcho() {
		return Decision{Verdict: Reset}
	}
	switch k.Key.Kind {
	case KeyOther:
		return Decision{Verdict: Skip}
	case KeyRune:
		if k.Key.Width != 1 {
			return Decision{Verdict: Skip}
		}
	}
	if !p.Known {
		if k.Key.Kind == KeyBackspace && k.Key.Seq != "\x7f" {
			return Decision{Verdict: Skip} // mosh: BS is a control, not a backspace
		}
		return Decision{Verdict: Predict}
	}
	if p.Canonical {
		switch k.Key.Kind {
		case KeyRune:
			return Decision{Verdict: Predict, Immediate: true, Edit: EditOverwrite}
		case KeyBackspace:
			// VERASE is DEL on every modern system (stty ek); BS erases
			// only where stty erase ^H was set, which we can't see.
			if k.Key.Seq == "\x7f" && k.Typed > 0 {
				return Decision{Verdict: Predict, Immediate: true, Edit: EditOverwrite}
			}
			return Decision{Verdict: Skip}
		case KeyLeft, KeyRight:
			return Decision{Verdict: Skip}
		}
		return Decision{Verdict: Predict}
	}
	if p.Echo {
		// Non-canonical with the kernel echoing (stty -icanon): each
		// character is echoed as typed, but DEL and arrows are echoed
		// as ^? and ^[[D, not erased or moved.
		if k.Key.Kind == KeyRune {
			return Decision{Verdict: Predict, Immediate: true, Edit: EditOverwrite}
		}
		return Decision{Verdict: Skip}
	}
	if k.Key.Kind == KeyRune && (k.Proven || IsShell(p.Program) && AtPrompt(k)) {
		return Decision{Verdict: Predict, Immediate: true}
	}
	return Decision{Verdict: Predict}
}

// shells are the programs whose prompt Builtin recognises.
var shells = map[string]bool{
	"bash": true, "zsh": true, "fish": true, "sh": true, "dash": true,
	"ksh": true, "mksh": true, "ash": true,
}

// IsShell reports whether program names a known interactive shell. A login
// shell's leading '-' and a directory are ignored ("-bash", "/bin/zsh").
func IsShell(program string) bool {
	program = strings.TrimPrefix(program, "-")
	if i := strings.LastIndexByte(program, '/'); i >= 0 {
		program = program[i+1:]
	}
	return shells[program]
}

// promptEnds are the characters shell prompts end with: sh's $ and #,
// zsh's % and >, and the arrows and chevrons of popular themes (❯ pure and
// starship, ➜ oh-my-zsh, » and λ).
const promptEnds = "$#%>❯➜»λ"

// AtPrompt reports whether the cursor in k looks like it sits at a shell
// prompt: the text left of it ends in a prompt character followed by at
// most two blanks, and nothing is to its right on the row.
func AtPrompt(k KeyContext) bool {
	if strings.TrimSpace(k.After) != "" {
		return false
	}
	trimmed := strings.TrimRight(k.Before, " ")
	if len(k.Before)-len(trimmed) > 2 || trimmed == "" {
		return false
	}
	r, _ := utf8.DecodeLastRuneInString(trimmed)
	return strings.ContainsRune(promptEnds, r)
}
