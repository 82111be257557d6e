package mux

import (
	"github.com/goshterm/gosh/ssp/conn"
	"github.com/goshterm/gosh/vt"
)

// HostedLink is what the daemon gives the terminal client it runs for a
// local attach (Config.Host): the in-memory socket to the client's
// endpoint, and the early draw.
//
// The early draw is tmux's shape for the frame path. The client loop that
// composes a frame calls the hosted client's EarlyDraw with it at once, on
// its own goroutine, and the hosted client draws it on the terminal if it
// is free to (its loop is waiting, and the screen shows a server frame,
// with no prediction overlay or notice bar on it). The frame then goes
// through the transport as always: the client's replica, its prediction
// engine and its renderer see the same states as a remote client's, and
// its renderer finds that frame on the screen already. What leaves the
// echo's way is the frame's diff, its trip through the link, the apply to
// the replica and the client loop's wake-up: ~30 µs of an echo's ~80 µs
// in the daemon (docs/performance.md, session 10).
type HostedLink struct {
	*conn.LocalConn
	c *client
}

// SetEarlyDraw makes draw be called with each frame the client's loop
// composes from now on, before its transport sends it; nil stops the
// calls, and a call already under way has returned when SetEarlyDraw(nil)
// does. frame is the loop's own, valid only during the call (Clone it to
// keep it). The transport has sent states up to sent before frame: each
// later one holds frame or a newer one. draw runs on the client loop's
// goroutine, so it must not wait for anything.
func (h *HostedLink) SetEarlyDraw(draw func(frame *vt.Screen, sent uint64)) {
	h.c.earlyMu.Lock()
	h.c.early = draw
	h.c.earlyMu.Unlock()
}

// drawEarly hands the frame just composed to the hosted client's early
// draw, if there is one.
func (c *client) drawEarly() {
	c.earlyMu.Lock()
	if c.early != nil {
		c.early(c.tr.Current().Screen(), c.tr.SentNum())
	}
	c.earlyMu.Unlock()
}
