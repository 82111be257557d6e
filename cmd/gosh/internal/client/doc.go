// Package client is gosh's terminal front end (`gosh client IP PORT`, and
// the local `gosh` and attach paths): what the user sees and types. It
// talks to gosh's server and to a stock mosh-server alike.
//
// # Model
//
//	tcell events ──► keys.go (xterm bytes) ──► escape.go (Ctrl-^ commands)
//	                       │                          │
//	                       ▼                          ▼
//	             predict.Engine.NewUserInput    UserStream.PushKeys ──► ssp.Transport ──► server
//	                       │                                                   │
//	  replica (newest statesync.Frame) ◄── Cull(echo ack, pane facts) ◄────────┘
//	                       │
//	             Engine.Apply (overlay) ──► render.go ──► tcell.Screen (+ notice bar)
//
// One goroutine (front.run) owns the screen, the replica, the prediction
// engine and the SSP transport. It selects on tcell's event queue, the
// transport's Inbox (one reader goroutine per socket), signals and one
// timer, and drives the transport itself (ReceivePacket, Tick, WaitTime)
// instead of running ssp.Transport.Run beside it: a key is predicted,
// pushed into the user stream and sent (Tick) before the loop draws, and
// a datagram is decrypted, applied and drawn, each on that one goroutine
// with no hand-off through Do. The newest received frame is drawn as the
// transport holds it (received states are never changed), without a
// copy. Time comes from Config.Clock, so tests run the whole client under
// testing/synctest.
//
// On Linux, on a real terminal with real UDP and the system clock (every
// user's case there) the loop is the raw loop instead (rawloop_linux.go;
// other systems keep the select loop, sys_bsd.go): one epoll(7) wait
// over the terminal and the transport's sockets. The client
// reads the terminal itself and runs tcell's InputProcessor in the loop
// (tcell's own input goroutine is kept waiting: tty.Read blocks), and
// reads the sockets with recvmsg, so a key goes read → parse → predict →
// Tick → sendto, and a frame recvmsg → decrypt → apply → draw → write, on
// the thread that woke, with no goroutine hand-off. Signals, ctx and
// tcell's resize events reach it through a forwarding goroutine, which
// wakes the loop by expiring its wait's deadline, as the daemon's frames
// do when it hosts the client. One Show is one write to the terminal.
//
// # Rendering
//
// The replica frame, with the prediction engine's overlay, is put into the
// tcell.Screen cell by cell; tcell compares with what it last showed and
// writes only the changed cells. Colours (256 and 24-bit) are degraded by
// tcell to what the terminal has. The frame's cursor shape, title (OSC
// 0/2), clipboard (OSC 52) and bell are passed on; mouse tracking and focus
// events are enabled on the user's terminal only while the frame asks for
// them, bracketed paste always.
//
// # Input
//
// Keys are sent as xterm sends them (xterm ctlseqs, "PC-Style Function
// Keys"), cursor keys and Home/End in application mode (SS3) as
// mosh-client's terminal is (mosh-protocol.md §8.5; the server converts).
// Pastes are bracketed (CSI 200~ … CSI 201~), mouse events become SGR 1006
// reports. For a stock mosh-server, which hands the bytes to the
// application as they are, pastes are bracketed and mouse reports encoded
// only as the frame's modes ask.
//
// # Notice bar
//
// The top row turns into mosh's white-on-blue bar while connecting (after
// 250 ms), after 6.5 s without a server state ("gosh: last contact 12 s
// ago — Ctrl-^ . to quit"), for network errors, and while the escape key
// waits for its command (mosh-protocol.md §10).
package client
