package mux

import "time"

// maxFeedRounds bounds feedKeys: each round takes at least one key, and a
// client's read is at most a few KB.
const maxFeedRounds = 1 << 16

// feedKeys runs the client's keystrokes through display-panes and clock
// mode (which take a key first) and its input state machine, and carries
// out what they ask. When a binding acts, the state machine stops there
// (input.State.TakePaused): the action is carried out, then the keys that
// followed in the same read are fed again, so that they reach what the
// binding opened (copy mode, a prompt, pane numbers) as they would have
// one by one. It reports whether an action changed what the client
// shows. Runs on the client's loop.
func (c *client) feedKeys(b []byte, now time.Time) bool {
	redraw := false
	for range maxFeedRounds {
		b = c.pickPane(b)
		ctx, panes := c.inputContext()
		if c.act(c.keys.Feed(ctx, b, now), panes) {
			redraw = true
		}
		c.doneInput(ctx)
		if b = c.keys.TakePaused(); len(b) == 0 {
			break
		}
	}
	return redraw
}
