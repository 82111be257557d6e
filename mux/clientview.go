package mux

import (
	"strings"

	"github.com/goshterm/gosh/mux/command"
	"github.com/goshterm/gosh/mux/copymode"
	"github.com/goshterm/gosh/vt"
)

// View mode, as tmux's (window-copy's view mode): a key binding's command
// output of more than a line — list-keys (prefix ?), show-messages
// (prefix ~) — is shown over the client's active pane, browsed with the
// copy-mode keys and left with q. It is copy mode on a screen that holds
// the text instead of the pane's.

// maxViewLines bounds the lines a view keeps (the message log is at most
// maxMessageLimit; list-keys is ~100).
const maxViewLines = 5000

// showView opens text in view mode over the client's active pane; false
// when the client shows no pane. It runs on the client's loop.
func (c *client) showView(text string) bool {
	s := c.s
	s.mu.Lock()
	ss := c.session
	if ss == nil || ss.current == nil || ss.current.active == nil {
		s.mu.Unlock()
		return false
	}
	p := ss.current.active
	keys := copymode.Emacs
	if s.modeKeysLocked(p.window) == "vi" {
		keys = copymode.Vi
	}
	s.mu.Unlock()
	p.mu.Lock()
	cols, rows := p.screen.Size()
	p.mu.Unlock()

	lines := strings.Split(text, "\n")
	if len(lines) > maxViewLines {
		lines = lines[len(lines)-maxViewLines:]
	}
	scr := vt.NewScreen(cols, rows)
	scr.SetScrollbackLimit(len(lines) + rows)
	for i, l := range lines {
		if i > 0 {
			scr.WriteString("\r\n")
		}
		scr.WriteString(printable(l))
	}
	m := copymode.New(scr, copymode.Config{Keys: keys})
	s.mu.Lock() // c.copy is written with Server.mu held (pane_in_mode)
	if c.copy == nil {
		c.copy = map[*Pane]*copymode.Mode{}
	}
	c.copy[p] = m
	s.mu.Unlock()
	return true
}

// printable replaces the control characters of a line of output, so that
// the view shows text, not what escape sequences would do.
func printable(l string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\t':
			return ' '
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0):
			return '?'
		}
		return r
	}, l)
}

// isCommand reports whether name (a command name, alias or unique prefix)
// is the command called want.
func isCommand(name, want string) bool {
	c, err := command.Lookup(name)
	return err == nil && c.Name == want
}
