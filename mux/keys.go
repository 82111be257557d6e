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
	if c.sendPlain(b, now) {
		return false
	}
	redraw := false
	for range maxFeedRounds {
		b = c.pickPane(b)
		c.syncKeys() // the binding that ran may have changed them
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

// sendPlain is feedKeys' fast path for typing. When the input state
// machine would only pass b on to the active pane (input.State.Plain: no
// prefix key, no key the root table binds, no other table open) and
// nothing takes keys before it (display-panes, clock mode or a chooser:
// the overlays; copy or view mode on the pane), b is written to the pane
// at once: no Context (which locks every pane of the window for its
// modes), no pane map, no action list. The pane gets the bytes the slow
// way would give it (none for a read-only client: writePane). It reports
// whether it took them. Runs on the client's loop.
func (c *client) sendPlain(b []byte, now time.Time) bool {
	// First what bind-key, set-option prefix or switch-client -T changed
	// (bind.go), for whichever way the keys came.
	c.syncKeys()
	if c.s.overlays.Load() || !c.keys.Plain(b, now) {
		return false
	}
	p := c.activePane()
	if p == nil || c.inCopyMode(p) {
		return false
	}
	c.writePane(p, b)
	return true
}

// activePane is the active pane of the client's current window, which
// its keys go to, or nil.
func (c *client) activePane() *Pane {
	s := c.s
	s.mu.Lock()
	defer s.mu.Unlock()
	ss := c.session
	if ss == nil || s.sessions[ss.id] != ss || ss.current == nil {
		return nil
	}
	w := ss.current
	if p := w.active; p != nil && w.panes[p.id] == p {
		return p
	}
	return nil
}
