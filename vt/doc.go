// Package vt is gosh's terminal emulator: it turns the bytes a program
// writes to its terminal into a Screen (grid of cells, cursor, modes,
// scrollback), the model that the multiplexer composes and that the
// network protocol synchronises.
//
// The emulator aims at what xterm and tmux do (a superset of mosh's
// emulator): ECMA-48 and VT100–VT520 controls as documented in xterm's
// ctlseqs (https://invisible-island.net/xterm/ctlseqs/ctlseqs.html) and on
// vt100.net. Parsing is done by package vt/parser (Paul Williams' DEC ANSI
// state machine); Screen implements its Performer interface. Grapheme
// clusters and widths come from Unicode UAX #29 and East Asian Width via
// github.com/rivo/uniseg.
//
// vt knows nothing of ptys, networks or real terminals: replies to host
// queries go to an io.Writer the caller provides (SetReplyWriter), and the
// title, clipboard and bell are state the caller reads.
package vt
