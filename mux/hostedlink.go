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
// composes a frame hands it at once, on its own goroutine, to the hosted
// client's draw (SetEarlyDraw), which puts it on the terminal if it is
// free to (its loop is waiting, and the screen shows a server frame, with
// no prediction overlay or notice bar on it). The frame then goes through
// the transport as always: the client's replica, its prediction engine
// and its renderer see the same states as a remote client's, and the
// loop says which states hold the frame drawn, so the renderer takes them
// as shown. What leaves the echo's way is the frame's diff, its trip
// through the link, the apply to the replica and the client loop's
// wake-up: ~30 µs of an echo's ~76 µs in the daemon (docs/performance.md,
// session 10).
type HostedLink struct {
	*conn.LocalConn
	c *client
}

// SetEarlyDraw makes draw be called with each frame the client's loop
// composes from now on, before its transport sends it, and carried with
// the number of the state that holds a frame draw drew, once the
// transport has sent it; nil stops the calls, and a call already under
// way has returned when SetEarlyDraw(nil, nil) does.
//
// frame is the loop's own, valid only during the call (Clone it to keep
// it). The transport has sent states up to sent before frame: each later
// one holds frame or a newer one. draw reports whether it drew the frame.
// Both run on the client loop's goroutine, so they must not wait for
// anything.
func (h *HostedLink) SetEarlyDraw(draw func(frame *vt.Screen, sent uint64) bool, carried func(num uint64)) {
	h.c.earlyMu.Lock()
	h.c.early, h.c.carried = draw, carried
	h.c.earlyMu.Unlock()
}

// drawEarly hands the frame just composed to the hosted client's early
// draw, if there is one, and reports whether it drew the frame.
func (c *client) drawEarly() bool {
	c.earlyMu.Lock()
	defer c.earlyMu.Unlock()
	return c.early != nil && c.early(c.tr.Current().Screen(), c.tr.SentNum())
}

// sentEarly tells the hosted client that the state just sent, num, holds
// the frame it drew early: the frame's replica then needs no comparing.
func (c *client) sentEarly(num uint64) {
	c.earlyMu.Lock()
	defer c.earlyMu.Unlock()
	if c.carried != nil {
		c.carried(num)
	}
}
