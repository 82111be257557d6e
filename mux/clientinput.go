package mux

import (
	"bytes"
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/goshterm/gosh/mux/input"
	"github.com/goshterm/gosh/mux/layout"
)

// consume takes the client's new input events from the transport and acts
// on them, on the loop right after the datagram that carried them. It
// reports whether the frame needs redrawing; keys that only went to a pane
// don't: the pane's output will wake the loop, and a composition now, before
// the echo, would only make the echo's wait for the pacing (composeWait).
func (c *client) consume(now time.Time) bool {
	tr := c.tr
	if tr.RemoteShutdown() || tr.ShutdownInProgress() {
		return false
	}
	// The new events are read straight from the newest state, from where
	// the last read ended (positions are absolute, so the transport's
	// forgetting what is consumed does not move them).
	evs, end := tr.Remote().EventsSince(c.consumed)
	c.consumed = end
	tr.RemoteConsumed()
	if len(evs) == 0 {
		return false
	}
	num := tr.RemoteNum()
	redraw := false
	for _, e := range evs {
		if e.IsResize() {
			c.resize(e.Width, e.Height)
			redraw = true
			continue
		}
		if c.keysIn(e.Keys) {
			redraw = true
		}
	}
	// The keystrokes have reached their panes: in 50 ms the client may
	// trust that their echo is on the screen (mosh-protocol.md §6.8).
	c.echo.Arrived(num, time.Now())
	s := c.s
	s.mu.Lock()
	if c.session != nil && c.session.latest != c {
		s.activateLocked(c)
		redraw = true
	} else {
		s.clock++
		c.activity = s.clock
	}
	s.mu.Unlock()
	return redraw
}

// resize records the client's new terminal size; its session's windows
// follow when it is the most recent client.
func (c *client) resize(w, h int) {
	s := c.s
	s.mu.Lock()
	defer s.mu.Unlock()
	c.cols, c.rows = clampClientSize(w, h)
	s.activateLocked(c)
}

// runCommand runs a command line for a key binding, as the client. Its
// error, or else its output, shows on the client's status line for a
// moment (display-time), as tmux shows them — unless the output has more
// than one line, or the command is show-messages: that opens in view mode
// over the active pane (showView), as in tmux.
func (c *client) runCommand(argv []string) error {
	var out bytes.Buffer
	// The client's directory is its session's, as tmux's new-session
	// from an attached client starts in c->session->cwd.
	cwd := "/"
	c.s.mu.Lock()
	if ss := c.session; ss != nil && ss.cwd != "" {
		cwd = ss.cwd
	}
	c.s.mu.Unlock()
	err := c.s.Run(context.Background(), Client{Stdout: &out, Cwd: cwd, attached: c}, argv)
	switch {
	case err != nil:
		c.s.log.Debug("binding failed", "client", c.name, "argv", strings.Join(argv, " "), "err", err)
		msg, _, _ := strings.Cut(err.Error(), "\n")
		c.showMessage(msg)
	case out.Len() > 0 || isCommand(argv[0], "show-messages"):
		// show-messages opens its view even on an empty log, so that
		// prefix ~ visibly does something.
		text := strings.TrimSuffix(out.String(), "\n")
		if (strings.Contains(text, "\n") || isCommand(argv[0], "show-messages")) && c.showView(text) {
			break
		}
		if msg, _, _ := strings.Cut(text, "\n"); msg != "" {
			c.showMessage(msg)
		}
	}
	return err
}

// showMessage puts msg on the client's status line for display-time, and
// in the server's message log (messages.go). It runs on the client's loop.
func (c *client) showMessage(msg string) {
	s := c.s
	s.mu.Lock()
	defer s.mu.Unlock()
	var w *Window
	if ss := c.session; ss != nil {
		w = ss.current
	}
	c.setMessageLocked(msg, s.optionIntLocked(w, "display-time"))
}

// writePane sends bytes to p without waiting for it (Pane.input): a
// program that stops reading stalls neither the client's loop nor its
// transport.
func (c *client) writePane(p *Pane, b []byte) {
	if p == nil || len(b) == 0 || c.readOnly {
		return
	}
	if err := p.input(b); err != nil {
		c.s.log.Debug("pane write", "pane", p.id, "err", err)
	}
}

// inputScratch is inputContext's Context and pane map, reused from key to
// key: a keystroke allocates neither. busy while the actions of one Feed
// are carried out; a nested inputContext then gets fresh ones.
type inputScratch struct {
	ctx   input.Context
	panes map[layout.PaneID]*Pane
	win   *Window             // the window ctx describes
	load  func() *layout.Tree // ctx's LoadLayout: win's layout, copied
	busy  bool
}

// inputContext describes the client's current window to the input state
// machine, and returns the window's panes by id. Pass the Context to
// doneInput once its actions are carried out.
func (c *client) inputContext() (*input.Context, map[layout.PaneID]*Pane) {
	s := c.s
	s.mu.Lock()
	defer s.mu.Unlock()
	ss := c.session
	if ss == nil || s.sessions[ss.id] != ss || ss.current == nil {
		return &input.Context{}, nil
	}
	w := ss.current
	// The layout is copied only for a mouse report that needs it (most
	// input is keys): from the same window, as it is then.
	var ctx *input.Context
	var panes map[layout.PaneID]*Pane
	if sc := &c.input; !sc.busy {
		if sc.load == nil {
			sc.panes = map[layout.PaneID]*Pane{}
			sc.load = func() *layout.Tree { return s.cloneLayout(sc.win) }
		}
		clear(sc.panes)
		sc.win, sc.busy = w, true
		sc.ctx = input.Context{Active: paneID(w.active), LoadLayout: sc.load, Panes: sc.ctx.Panes[:0]}
		ctx, panes = &sc.ctx, sc.panes
	} else {
		ctx = &input.Context{Active: paneID(w.active), LoadLayout: func() *layout.Tree { return s.cloneLayout(w) }}
		panes = make(map[layout.PaneID]*Pane, len(w.panes))
	}
	for id, p := range w.panes {
		p.mu.Lock()
		modes := p.screen.Modes()
		p.mu.Unlock()
		ctx.Panes = append(ctx.Panes, input.PaneState{ID: layout.PaneID(id), Modes: modes, CopyMode: c.inCopyMode(p)})
		panes[layout.PaneID(id)] = p
	}
	return ctx, panes
}

// cloneLayout copies w's layout as it is now, for a mouse report.
func (s *Server) cloneLayout(w *Window) *layout.Tree {
	s.mu.Lock()
	defer s.mu.Unlock()
	return w.tree.Clone()
}

// doneInput gives back what inputContext returned, once the actions of
// the Feed it served are carried out.
func (c *client) doneInput(ctx *input.Context) {
	if sc := &c.input; ctx == &sc.ctx {
		sc.busy, sc.win = false, nil
	}
}

// keysIn feeds the client's keystroke bytes to its input state machine and
// carries out what comes back. It reports whether the frame needs
// redrawing: when an action changed what the client shows, or a prompt
// (confirm-before) appeared or went. Keys sent to a pane redraw nothing by
// themselves.
func (c *client) keysIn(b []byte) bool {
	prompt := c.keys.Prompt()
	gone := c.keyPressed()              // messages.go: display-time 0
	redraw := c.feedKeys(b, time.Now()) // keys.go
	return redraw || gone || c.keys.Prompt() != prompt
}

// flushKeys resolves a lone ESC whose escape time has passed.
func (c *client) flushKeys(now time.Time) bool {
	c.syncKeys()
	ctx, panes := c.inputContext()
	defer c.doneInput(ctx)
	prompt := c.keys.Prompt() // Escape may have cancelled a prompt
	return c.act(c.keys.Flush(ctx, now), panes) || c.keys.Prompt() != prompt
}

// act carries out input actions. A read-only client may only detach.
func (c *client) act(actions []input.Action, panes map[layout.PaneID]*Pane) bool {
	redraw := false
	for _, a := range actions {
		if c.readOnly && a.Kind != input.Detach {
			continue
		}
		switch a.Kind {
		case input.Send:
			c.writePane(panes[a.Pane], a.Bytes)
		case input.Command:
			c.runBinding(a.Command)
			redraw = true
		case input.Focus:
			if p := panes[a.Pane]; p != nil {
				_ = c.runCommand([]string{"select-pane", "-t", "%" + strconv.Itoa(p.id)})
				redraw = true
			}
		case input.DragBorder:
			c.dragBorder(a.Border, a.To)
			redraw = true
		case input.CopyMode, input.CopyKey, input.Wheel, input.SelectStart, input.SelectMove, input.SelectEnd:
			if c.copyAction(a, panes) {
				redraw = true
			}
		case input.Detach:
			c.detach()
		case input.Click:
			// A click on a window-list entry of the status line selects
			// that window, as in tmux.
			c.s.mu.Lock()
			statusRow := c.rows - statusRows
			c.s.mu.Unlock()
			if idx, ok := c.composer.WindowAt(a.X); ok && a.Y == statusRow {
				_ = c.runCommand([]string{"select-window", "-t", ":=" + strconv.Itoa(idx)})
				redraw = true
			}
		}
	}
	return redraw
}

// dragBorder moves a border of the client's current window (a mouse drag).
func (c *client) dragBorder(b layout.Border, to int) {
	s := c.s
	s.mu.Lock()
	defer s.mu.Unlock()
	ss := c.session
	if ss == nil || s.sessions[ss.id] != ss || ss.current == nil {
		return
	}
	w := ss.current
	if _, ok := w.tree.DragBorder(b, to); ok {
		w.applyLayoutLocked()
		s.wakeClientsLocked()
	}
}

// title is the pane's screen title (OSC 0/2).
func (p *Pane) title() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.screen.Title()
}
