package testenv

import "strings"

// Display expands a tmux format for the pane (display-message -p), e.g.
// "#{alternate_on}" to learn whether the program left the alternate
// screen.
func (x *Tmux) Display(format string) string {
	x.t.Helper()
	return strings.TrimSpace(x.must("display-message", "-p", "-t", "main", format))
}
