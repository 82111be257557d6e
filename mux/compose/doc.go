// Package compose renders what one attached client sees: a frame of the
// client's size holding the current window's panes, the borders between
// them and a status line, as one vt.Screen. The multiplexer then sends the
// difference between a client's last frame and its new one (vt.Diff), as
// mosh sends the difference between two terminal states.
//
// It is pure: no locks, no I/O, no clocks (the status line's clock is a
// time.Time in the spec). It imports only vt, mux/layout and the standard
// library.
//
// # Frame model
//
//	 0                  20 21                 41
//	┌────────────────────┬────────────────────┐
//	│ pane 0 (active)    │ pane 1             │ 0   pane grids copied from their
//	│                    │                    │     rects (layout.Tree.Rects)
//	│                    ├────────────────────┤     borders: every cell of the
//	│                    │ pane 2             │     window not in a pane, drawn
//	│                    │                    │     │ ─ ├ ┤ ┬ ┴ ┼ by its arms;
//	├────────────────────┴────────────────────┤     those around the active
//	│ ...  window smaller than the client .... │     pane in green (tmux)
//	│[dev] 0:bash* 1:vim-  "host" 12:04 05-Mar-24│  status line, last row
//	└──────────────────────────────────────────┘
//
// The frame's cursor, cursor shape, modes (application cursor keys and
// keypad, bracketed paste, focus events, mouse) and title are the active
// pane's, so that the client's terminal encodes keys, pastes and mouse
// reports the way the pane's program expects (package mux/input then
// routes them).
//
// # Use
//
//	var c compose.Composer            // one per client; reuses its buffers
//	frame := c.Compose(prev.Clone(), &compose.FrameSpec{...})
//
// Compose writes into the screen it is given when that has the client's
// size (else it allocates one) and touches only rows that change, so
// composing into a Clone of the previous frame keeps unchanged rows shared
// and vt.Diff cheap. The pane screens must not be written during Compose:
// pass Pane.Snapshot clones, or hold the panes' locks.
package compose
