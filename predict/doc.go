// Package predict is gosh's speculative local echo: it guesses what the
// user's keystrokes will do to the screen and draws the guess over the
// client's replica of the server's frame before the server has answered, as
// mosh-client's PredictionEngine does (Winstein & Balakrishnan, "Mosh: An
// Interactive Remote Shell for Mobile Clients", USENIX ATC 2012, §3), and
// improves on it where gosh's server tells it more: the active pane's
// rectangle, its pty's line discipline (termios ICANON and ECHO) and its
// foreground program.
//
// # Model
//
//	Engine
//	 ├─ rows     [][]cellPred    per screen row (nil when untouched): a guess per column —
//	 │                           replacement text and style, or "unknown"; the contents seen
//	 │                           when it was made; its epoch; the client state (frame) that
//	 │                           carried the key, which the echo ack must pass before judging
//	 ├─ cursors  []cursorPred    guessed cursor positions, newest last ("the cursor")
//	 ├─ epoch, confirmed         prediction epoch and the newest epoch proved right
//	 ├─ triggers                 srtt (show), flagging (underline), glitch (show after slow echo)
//	 ├─ pane     PaneFacts       the server's facts about the active pane (zero: unknown)
//	 └─ keys     keyReader       assembles UTF-8 and escape sequences across reads
//
// # Epochs
//
// Each guess belongs to an epoch. A new epoch starts whenever the engine
// meets a key whose effect it can't know (an escape sequence, a control key,
// Enter, the right edge of the line). The guesses of an epoch are tentative
// — kept but not drawn — until one of them is proved right by a server
// frame, which confirms the epoch and every one before it; from then on that
// epoch's guesses are drawn at once. So at the start of a burst mosh waits
// one round trip, and after that it echoes instantly.
//
// A guess is judged only once the server's echo ack (mosh-protocol.md §6.8)
// covers the client state that carried the key: the host application has
// then had the key for 50 ms and its echo, if any, is in the frame. A wrong
// tentative guess kills its epoch and the later ones; a wrong confirmed guess
// throws everything away. Either way the wrong text is gone from the overlay
// within one round trip of the key. Keys typed after that while earlier ones
// are still in flight are not guessed until the frame has caught up: the
// frame's cursor is behind those keys, and a guess from it would be wrong in
// turn (mosh guesses them, and on a slow link one mistake becomes a run of
// them as long as the typing).
//
// The echo ack only says that the key arrived 50 ms ago. A program slower
// than that (vim on a busy machine) leaves the cell unchanged at the ack; as
// in mosh its guess is then wrong. But when such an echo is then seen to
// come after all, the program counts as slow for a while (gosh's server
// only): guesses whose cells are still unchanged at their ack, and cursors
// not yet moved, are judged again for LateEchoGrace before they count as
// wrong.
//
// # Panes
//
// When the server sends PaneFacts, guesses stay inside the active pane:
// nothing is drawn past its right border, Enter and line wrap go to the
// pane's left column, and the bottom row is the pane's. A pane whose pty is
// canonical with echo off (a password prompt: sudo, ssh, passwd, read -s)
// gets no guess at all, whatever the mode. A cooked pane with echo on is
// echoed by the kernel's line discipline, which can't get it wrong, so its
// typing is shown at once; and at a known shell's prompt (bash, zsh, fish,
// sh, dash, ksh) the first key of a burst is shown at once, where mosh waits
// a round trip; so is the first key after Enter in a raw pane whose program
// has proved to echo what is typed (KeyContext.Proven: vim's insert mode).
// With no PaneFacts (a stock mosh-server) the engine behaves as mosh-client.
//
// # Heuristics
//
// Whether and how to guess a key is decided by a Heuristic, so that plugins
// can refine it; Builtin is the default. The engine enforces the safety
// rules (pane borders, no-echo panes) whatever the heuristic answers.
//
// # Where gosh differs from mosh-client with no pane facts
//
// The decisions (what is predicted, when it is shown, when it is withdrawn)
// are mosh's. A few edge cases are handled better, none of which draws a
// guess mosh wouldn't:
//   - a character typed into the last column leaves the guessed cursor
//     there, and both the terminal's pending wrap and a line editor's own
//     wrap to the next row count as right (mosh guesses the next row and
//     throws everything away when the terminal is in pending wrap);
//   - the cursor re-anchored after a killed epoch is a starting point, not a
//     guess: it never throws everything away when the program moves on;
//   - a shown guess re-guessed in a newer, hidden epoch stays drawn until
//     the new one is confirmed (mosh briefly shows the server's older text);
//   - an ESC alone at the end of a read is the Escape key, not the start of
//     an Alt-key sequence finished by the next read;
//   - a character vt would join to its neighbour's grapheme cluster is not
//     guessed as a cell of its own;
//   - after guesses were thrown away, keys are not guessed from a frame
//     whose cursor is behind keys still in flight.
//
// # Time and concurrency
//
// Every entry point takes the current time as an argument; the engine has no
// timers and no goroutines, and WaitTime tells the caller when to call Cull
// again. An Engine is not safe for concurrent use: the client's event loop
// owns it.
package predict
