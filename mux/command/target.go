package command

import "strings"

// Kind is what a target names: the commands that act on a session, a
// window or a pane resolve "-t" differently (tmux cmd-find.c).
type Kind int

// Target kinds.
const (
	KindSession Kind = iota
	KindWindow
	KindPane
)

// Target is a parsed "-t" or "-s" value. Empty parts mean "the current
// one". Each part is kept as written ("$1", "=dev", "dev", "2", "@3",
// "%4", "+", "-", "!"); the multiplexer interprets it, because only it knows
// names and indexes.
type Target struct {
	Session, Window, Pane string
	// Lone reports that the target was one bare token with no ':' or '.':
	// for a window target it is tried as a window and then a session, and
	// for a pane target as a pane, a window and then a session, as tmux
	// does (so "-t dev" finds session dev and "-t 1" pane 1).
	Lone bool
}

// ParseTarget splits a tmux target of the given kind into its parts:
//
//	session            $id, name, =exact-name
//	session:window     window: index, name, @id, +, -, !
//	session:window.pane   pane: index, %id, +, -, !
//	window.pane, %id, @id
//
// Session names cannot contain ':' or '.' (tmux replaces them with '_'),
// so the split is unambiguous.
func ParseTarget(s string, kind Kind) Target {
	var t Target
	switch {
	case s == "":
		return t
	case s[0] == '%':
		t.Pane = s
		return t
	case s[0] == '@':
		t.Window, t.Pane = splitPane(s, kind)
		return t
	}
	sess, rest, colon := strings.Cut(s, ":")
	if colon {
		t.Session = sess
		if kind != KindSession {
			t.Window, t.Pane = splitPane(rest, kind)
		}
		return t
	}
	switch kind {
	case KindSession:
		t.Session = s
	case KindWindow:
		if s[0] == '$' {
			t.Session = s
		} else {
			t.Window, t.Lone = s, true
		}
	case KindPane:
		if s[0] == '$' {
			t.Session = s
		} else if strings.Contains(s, ".") {
			t.Window, t.Pane = splitPane(s, kind)
		} else {
			t.Pane, t.Lone = s, true
		}
	}
	return t
}

// splitPane splits "window.pane" at the last '.'; for window targets the
// pane part is dropped.
func splitPane(s string, kind Kind) (window, pane string) {
	if i := strings.LastIndexByte(s, '.'); i >= 0 {
		window, pane = s[:i], s[i+1:]
	} else {
		window = s
	}
	if kind != KindPane {
		pane = ""
	}
	return window, pane
}

// SessionName makes a name usable as a session name, as tmux's
// session_check_name does: ':' and '.' would make targets ambiguous.
func SessionName(s string) string {
	return strings.NewReplacer(":", "_", ".", "_").Replace(s)
}
