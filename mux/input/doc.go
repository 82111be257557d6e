// Package input turns what an attached client's terminal sends into what
// the multiplexer does: bytes for the active pane, re-encoded for that
// pane's modes; commands from the key tables (Keys: tmux's default prefix
// table, C-b then % " arrows o z x c n p 0–9 d [ ? …; the root table of
// bind-key -n; any table bind-key -T makes, opened by switch-client -T);
// keys for copy mode; and the mouse (focus a pane, drag a border, scroll
// into the history).
//
// It is pure: no I/O, no clock, no locks. Time is an argument (Feed,
// Flush, Deadline), so that a lone ESC at the end of a read is resolved
// deterministically by the caller's timer, and tests need no sleeps. It
// imports only vt, mux/layout and the standard library.
//
// # Use
//
//	in := input.New(input.Config{Keys: keys})        // one per client
//	in.SetKeys(newKeys)                              // after bind-key or set -g prefix
//	ctx := &input.Context{Layout: tree, Active: id, Panes: states}
//	for _, a := range in.Feed(ctx, bytesFromClient, now) {
//		switch a.Kind {
//		case input.Send:       pane(a.Pane).Write(a.Bytes)
//		case input.Command:    run a.Command through mux/command for this client
//		case input.CopyMode:   enter copy mode in a.Pane (a.Command may be "copy-mode -u")
//		case input.CopyKey:    mode(a.Pane).Key(a.Key.String())
//		case input.Focus:      select pane a.Pane
//		case input.DragBorder: tree.DragBorder(a.Border, a.To); resize panes
//		case input.Wheel:      scroll a.Pane by a.Lines (copy mode)
//		case input.Detach:     detach this client
//		case input.Click:      status line: composer.WindowAt(a.X) → select-window
//		}
//	}
//	if rest := in.TakePaused(); len(rest) > 0 { feed rest again now that the actions ran }
//	if d, ok := in.Deadline(); ok { arm a timer for d, then call in.Flush(ctx, now) }
//	status line: in.Prompt() (a confirm-before question or a command prompt), in.Prefixed()
//	command-prompt: in.StartPrompt(input.CommandPrompt{Label, Input, Template})
//
// # What the client sends
//
// The client forwards its terminal's bytes (xterm encodings, see
// parse.go). The frame the client shows carries the active pane's modes
// (mux/compose), so its terminal mostly encodes keys as the pane wants
// already; input still re-encodes what may differ: cursor keys by the
// pane's DECCKM (mosh leaves the real terminal in application cursor mode,
// mosh-protocol §8.6), keypad keys by DECKPAM, bracketed paste markers
// stripped for a pane that did not set ?2004, focus reports dropped for a
// pane that did not set ?1004, and mouse reports forwarded only to a pane
// that asked (?9/1000/1002/1003), with pane-relative coordinates in the
// pane's encoding (X10, UTF-8 1005, SGR 1006, URXVT 1015).
//
// # Differences from tmux
//
// confirm-before (x, &) is a y/n question answered by the next key, shown
// through Prompt; command-prompt ($ , ' / :) edits its answer on the status
// line with BSpace, C-u and C-w only (no cursor movement or history).
// After a binding acts, Feed stops (TakePaused), where tmux would have
// run the command before reading the next key. A click that focuses another pane is also passed to that
// pane when it asked for the mouse, as tmux's default MouseDown1Pane
// binding does. A drag outside a pane's mouse mode selects nothing (tmux
// would start a copy-mode selection).
package input
