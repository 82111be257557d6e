package client

import (
	"os"
	"strings"

	"github.com/gdamore/tcell/v2"
	"github.com/gdamore/tcell/v2/terminfo"
)

// deckpam is DECKPAM (ESC =), the application keypad mode that terminfo's
// smkx sets beside DECCKM on xterm-like terminals.
const deckpam = "\x1b="

// newTerminalScreen is tcell's screen for term ("": $TERM) on t, except that it never
// puts the user's terminal in application keypad mode. tcell sends smkx on
// Init and Resume, and in DECKPAM the numeric keypad sends SS3 sequences
// (ESC O q for 1, ESC O M for Enter) that tcell turns into other keys or
// drops, so the keypad's digits never reached the pane. In numeric mode
// the keypad sends what its keys say, as under tmux with a pane that has
// not asked for the keypad. Cursor keys stay in DECCKM, which tcell's
// key table expects.
func newTerminalScreen(t tcell.Tty, term string) (tcell.Screen, error) {
	if term == "" {
		term = os.Getenv("TERM")
	}
	ti, err := tcell.LookupTerminfo(term)
	if err != nil {
		return tcell.NewTerminfoScreenFromTty(t)
	}
	return tcell.NewTerminfoScreenFromTtyTerminfo(t, numericKeypad(ti))
}

// numericKeypad returns a copy of ti whose smkx leaves out DECKPAM.
func numericKeypad(ti *terminfo.Terminfo) *terminfo.Terminfo {
	c := *ti
	c.EnterKeypad = strings.ReplaceAll(c.EnterKeypad, deckpam, "")
	return &c
}
