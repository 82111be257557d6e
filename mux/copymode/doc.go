// Package copymode is tmux's copy mode for one pane: browse the pane's
// history and screen with vi or emacs keys, search it, select text by
// characters or lines, and copy the selection.
//
// It is pure: a Mode works on a snapshot (a vt.Screen Clone, cheap and
// copy-on-write) taken when copy mode is entered, and knows nothing of
// ptys, clients or clipboards. The daemon feeds it key names (tmux's, as
// mux/input's Key.String gives them), shows View in place of the pane's
// screen (mux/compose), and on a Result with Copy set stores Text in its
// paste buffer and sends it to the client's clipboard (OSC 52, through the
// frame's clipboard).
//
// # Coordinates
//
// Lines are numbered from the oldest line of history: 0 … H-1 are the
// scrollback (vt.Screen.ScrollbackLine), H … H+R-1 the R rows of the
// screen at the time of the snapshot. A pane on its alternate screen has
// no history, as in tmux. The view shows lines top … top+h-1; the cursor
// is a (line, column) that the view follows. The indicator in the view's
// top right corner is tmux's "[offset/history]": how many lines the view is
// scrolled back, of how many there are.
//
// # Keys
//
//	vi                  emacs               action
//	h j k l, arrows     C-b C-n C-p C-f     move the cursor
//	w b e               M-f M-b             next / previous word
//	0 ^ $               C-a M-m C-e         start, first non-blank, end of line
//	g G                 M-< M->             top of history, bottom
//	C-u C-d             M-Up M-Down         half a page up, down
//	C-b C-f, PPage NPage  M-v C-v, PPage NPage  a page up, down
//	H M L               M-r                 top, middle, bottom of the view
//	/ ?                 C-s C-r             search forward, backward (a prompt)
//	n N                 n N                 repeat the search, reversed
//	v Space, V          C-Space             start a character / line selection
//	Escape              C-g                 clear the selection
//	y Enter             M-w C-w Enter       copy the selection and leave
//	q C-c               q Escape C-c        leave
//
// vi keys take a repeat count ("5j"). Searches are plain text, smart-case
// (case-insensitive unless the query has an upper-case letter, as tmux),
// wrap around the ends, and match within one line.
package copymode
