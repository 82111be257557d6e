// Package mux is gosh's multiplexer daemon: tmux's model of sessions,
// windows and panes, each pane a child process on a pty feeding a vt.Screen,
// driven by the tmux-compatible commands of mux/command over a unix control
// socket.
//
// # Model
//
//	Server
//	 ├─ Session $0 "dev"          (ordered by name; one current window)
//	 │   ├─ Window @0 index 0      (a layout.Tree of its panes; one active pane)
//	 │   │   ├─ Pane %0            pty.Process ─read loop─▶ vt.Screen
//	 │   │   └─ Pane %1
//	 │   └─ Window @1 index 1
//	 └─ Session $1 "logs" …
//
// As in tmux, a pane whose program exits is removed (unless the
// remain-on-exit option is on, when it stays "dead" with its exit status),
// a window closes with its last pane, a session ends with its last window,
// and the server is done once no sessions remain (after the first one
// existed; an explicitly started idle server waits for kill-server).
//
// # Locking
//
// Lock order, outermost first:
//
//	Server.cmdMu   serialises commands, as tmux's single command queue does, so
//	               that a command's lookups and changes see one consistent model
//	Server.mu      guards the model: the session, window and pane maps, names,
//	               indexes, layouts, active pane/window, options, ids
//	Pane.mu        guards one pane's screen, dead flag and exit status, and
//	               its watchers
//
// An attached client's session, size and activity are guarded by
// Server.mu; the rest of its state belongs to its own loop goroutine. A
// client loop runs commands (key bindings) through Server.Run like any
// other client, so it holds no lock while it does; commands reach a client
// only through non-blocking signals (wake, detach).
//
// A pane's read loop takes only Pane.mu while it feeds the screen, so busy
// output never blocks commands; when the child exits it takes Server.mu
// (not holding Pane.mu) to remove the pane. Nothing writes to a pty while
// holding Server.mu or Pane.mu: a child that stops reading must not stall
// the daemon. Methods named …Locked require Server.mu.
//
// # Seams for attach and composition
//
// Pane.Snapshot returns a clone of the pane's screen for another goroutine,
// and Pane.Watch a channel signalled after each batch of output; the
// composer and the SSP host state build on these. Window.Layout exposes a
// copy of the window's layout.Tree.
//
// # Attached clients
//
//	terminal ── control socket: attach-session + AttachRequest ──▶ daemon
//	         ◀─ AttachReply {port, key, version} ─────────────────
//	         ══ SSP over UDP (its own port and key) ══▶ client loop
//	              UserStream: keys, resizes  ──▶ mux/input ──▶ panes, commands
//	              Frame ◀── mux/compose (panes, borders, status line),
//	                        echo ack, the active pane's facts
//
// Each attached client has its own UDP endpoint, key and ssp.Transport
// (attach.go) and one loop goroutine (client.go) that composes its frame
// when a pane it shows, the model or the status clock changes, and feeds
// its keystrokes to its own mux/input state machine (clientinput.go).
// Windows take the size of their session's most recently active client
// (tmux's window-size latest). A client detaches with the SSP shutdown
// handshake (prefix d, detach-client, or its session ending); an endpoint
// nobody connects to within ClientConnectTimeout, or a client silent for
// ClientIdleTimeout, is closed. Sessions never depend on their clients.
//
// # Control socket
//
// The daemon listens on a unix socket in a per-user directory of mode 0700
// (SocketPath) and also checks each peer's uid with SO_PEERCRED (unix(7)),
// refusing strangers with a message. Each connection carries one Request and
// one Response, framed as a 4-byte big-endian length and JSON, with a
// protocol version field (protocol.go).
package mux
