package mux

import (
	"context"
	"sync"
	"time"

	"github.com/goshterm/gosh/mux/command"
	"github.com/goshterm/gosh/mux/compose"
	"github.com/goshterm/gosh/mux/copymode"
	"github.com/goshterm/gosh/mux/input"
	"github.com/goshterm/gosh/mux/layout"
	"github.com/goshterm/gosh/mux/statesync"
	"github.com/goshterm/gosh/ssp"
	"github.com/goshterm/gosh/vt"
)

// Timing of a client's loop.
const (
	// housekeeping is how often the loop polls a shutdown handshake's
	// progress (its ack timeout sends no Changed). Otherwise the loop
	// sleeps until the connect or idle timeout is due: a ticker here woke
	// every attached client's loop 10 times a second for nothing.
	housekeeping = 100 * time.Millisecond
	// composeInterval is the most time between two compositions the loop
	// waits for: the transport sends no faster than its frame interval
	// anyway, so composing after every 32 KB of a flood would be wasted.
	// When the transport paces faster (a fast link, small frames: 1 ms on
	// loopback), the loop composes at its pace, so that a keystroke's
	// echo is not held back here (see composeWait).
	composeInterval = 5 * time.Millisecond
	// statusInterval redraws the status line (window names follow the
	// panes' programs) when nothing else did: tmux's status-interval 15.
	statusInterval = 15 * time.Second
	// closeGrace bounds the shutdown handshake when the server closes.
	closeGrace = time.Second
)

// client is one attached terminal: its SSP endpoint, what it is attached
// to, and its input state. Fields marked (mu) are guarded by Server.mu;
// fields marked (loop) belong to the client's loop goroutine.
type client struct {
	id       int
	name     string
	s        *Server
	tr       *ssp.Transport[*statesync.Frame, *statesync.UserStream]
	term     string
	colors   int
	readOnly bool
	created  time.Time
	port     int

	session    *Session // (mu) nil once detached
	cols, rows int      // (mu) the client's terminal size
	activity   uint64   // (mu) Server.clock at its last input

	wake       chan struct{} // coalesced: the model or a shown pane changed
	detachOnce sync.Once
	detachCh   chan struct{} // closed to ask the loop to detach

	composer     compose.Composer         // (loop)
	bells        uint64                   // (loop) bells rung in the panes shown, for the frame
	seenBell     map[*Pane]uint64         // (loop) each shown pane's bell count last composed
	copy         map[*Pane]*copymode.Mode // (loop) panes this client browses in copy mode
	clipboard    string                   // (loop) base64 of the last copy, for OSC 52
	message      string                   // (loop) shown on the status line until messageUntil
	messageUntil time.Time                // (loop)
	watched      map[*Pane]bool           // (loop) panes whose output wakes us
	echo         statesync.EchoAcker      // (loop)
	keys         *input.State             // (loop)
	status       StatusSource             // (loop) Hooks' status line content; nil until the first frame
	statusFacts  StatusFacts              // (loop) the facts status last saw
	basePrograms map[string]string        // (loop) each pane's first foreground program: its shell
}

// poke wakes the loop without blocking.
func (c *client) poke() {
	select {
	case c.wake <- struct{}{}:
	default:
	}
}

// detach asks the loop to end the client (the shutdown handshake). It
// never blocks, so a command run by the client's own loop may call it.
func (c *client) detach() { c.detachOnce.Do(func() { close(c.detachCh) }) }

// do runs f on the transport's loop.
func (c *client) do(f func()) bool { return c.tr.Do(context.Background(), f) == nil }

// loop runs the client until it detaches, its session ends, it times out,
// or ctx (the server) ends.
func (c *client) loop(ctx context.Context) {
	s := c.s
	defer s.clientWG.Done()
	runCtx, stopRun := context.WithCancel(context.Background())
	runErr := make(chan error, 1)
	go func() { runErr <- c.tr.Run(runCtx) }()
	defer func() {
		stopRun()
		if err := <-runErr; err != nil {
			s.log.Warn("client transport", "client", c.name, "err", err)
		}
		for p := range c.watched {
			p.removeWatcher(c.wake)
		}
		if c.status != nil {
			c.status.Close()
		}
		s.removeClient(c)
		s.log.Info("client detached", "client", c.name)
	}()

	tick := time.NewTimer(housekeeping)
	defer tick.Stop()
	statusTimer := time.NewTimer(0)
	defer statusTimer.Stop()
	echoTimer := time.NewTimer(time.Hour)
	defer echoTimer.Stop()
	composeTimer := time.NewTimer(time.Hour)
	defer composeTimer.Stop()
	escTimer := time.NewTimer(time.Hour) // a lone ESC becomes the Escape key
	defer escTimer.Stop()
	composeArmed := false

	start := time.Now()
	var lastCompose time.Time
	composeGap := composeInterval
	dirty := true
	closing := ctx.Done()
	var closeDeadline time.Time
	detachCh := c.detachCh
	shutdown := func(why string) {
		s.log.Debug("client shutdown", "client", c.name, "why", why)
		c.do(func() { c.tr.StartShutdown(time.Now()) })
		detachCh = nil
	}
	for {
		select {
		case <-closing:
			closing = nil
			closeDeadline = time.Now().Add(closeGrace)
			shutdown("server closing")
		case <-detachCh:
			shutdown("detach")
		case <-c.wake:
			dirty = true
		case <-c.tr.Changed():
			if c.consume() {
				dirty = true
			}
		case <-echoTimer.C:
		case <-escTimer.C:
			if c.flushKeys(time.Now()) {
				dirty = true
			}
		case <-composeTimer.C:
			composeArmed = false
		case <-statusTimer.C:
			dirty = true
		case <-tick.C:
		}

		// Housekeeping: the handshake, timeouts, the echo ack.
		now := time.Now()
		var end bool
		var nextEcho, due time.Time
		var echoPending bool
		if !c.do(func() {
			tr := c.tr
			due = now.Add(housekeeping)
			if !tr.ShutdownInProgress() && !tr.RemoteShutdown() {
				if tr.RemoteNum() == 0 {
					due = start.Add(s.cfg.ClientConnectTimeout)
				} else {
					due = tr.LastHeard().Add(s.cfg.ClientIdleTimeout)
				}
			}
			composeGap = composeWait(tr.FrameInterval())
			switch {
			case tr.ShutdownInProgress() && (tr.ShutdownAcknowledged() || tr.ShutdownTimedOut(now)):
				end = true
			case !closeDeadline.IsZero() && now.After(closeDeadline):
				end = true
			case tr.RemoteShutdown() && tr.RemoteShutdownAcked():
				end = true // the client quit (mosh's Ctrl-^ .)
			case tr.RemoteShutdown():
				_ = tr.Tick(now) // ack the client's shutdown now
			case tr.ShutdownInProgress():
			case tr.RemoteNum() == 0 && now.Sub(start) > s.cfg.ClientConnectTimeout:
				s.log.Info("client never connected", "client", c.name)
				end = true
			case tr.RemoteNum() != 0 && now.Sub(tr.LastHeard()) > s.cfg.ClientIdleTimeout:
				// No handshake: a client silent this long won't answer it.
				s.log.Info("client silent too long", "client", c.name)
				end = true
			}
			if ack, changed := c.echo.Update(now); changed {
				tr.Current().SetEchoAck(ack)
			}
			nextEcho, echoPending = c.echo.Next()
		}) || end {
			return
		}
		// Strictly after due: the timeouts above compare with >.
		tick.Reset(max(time.Until(due), 0) + time.Millisecond)
		if echoPending {
			echoTimer.Reset(max(time.Until(nextEcho), 0))
		}
		if d, ok := c.keys.Deadline(); ok {
			escTimer.Reset(max(time.Until(d), 0))
		}

		if !dirty || detachCh == nil {
			continue
		}
		if wait := composeGap - now.Sub(lastCompose); wait > 0 {
			if !composeArmed {
				composeTimer.Reset(wait)
				composeArmed = true
			}
			continue
		}
		dirty = false
		lastCompose = now
		next, ok := c.compose(now)
		if !ok {
			shutdown("session ended")
			continue
		}
		statusTimer.Reset(next)
	}
}

// composeWait is the least time between two compositions when the
// transport's frame interval is frame: no more than composeInterval, and
// no more than the transport itself waits between frames.
func composeWait(frame time.Duration) time.Duration { return min(composeInterval, frame) }

// compose draws the client's frame from the model and hands it to the
// transport. It returns how long until the status line needs redrawing, and
// false when the client's session is gone.
func (c *client) compose(now time.Time) (time.Duration, bool) {
	s := c.s
	var spec compose.FrameSpec
	var facts statesync.Pane
	hasFacts := false
	show := map[*Pane]bool{}
	s.mu.Lock()
	ss := c.session
	if ss == nil || s.sessions[ss.id] != ss || ss.current == nil {
		s.mu.Unlock()
		return 0, false
	}
	cols, rows := c.cols, c.rows
	w := ss.current
	spec.Width, spec.Height = cols, rows
	spec.WindowWidth, spec.WindowHeight = w.tree.Size()
	spec.Active = -1
	var active *Pane
	var activeRect layout.Rect
	for _, r := range w.tree.Rects() {
		p := w.panes[int(r.Pane)]
		if p == nil {
			continue
		}
		show[p] = true
		if p == w.active {
			spec.Active = len(spec.Panes)
			active, activeRect = p, r.Rect
		}
		scr := c.paneScreen(p, r.W, r.H)
		c.countBells(p, scr)
		spec.Panes = append(spec.Panes, compose.Pane{Rect: r.Rect, Screen: scr})
	}
	spec.Bells = c.bells
	c.forgetRemovedLocked()
	if c.clipboard != "" {
		spec.Clipboard = compose.Clipboard{Selection: "c", Data: c.clipboard}
	}
	spec.MouseOn = isOn(s.optionLocked(w, "mouse"))
	clock := s.cfg.Now()
	spec.Status = compose.Status{Session: ss.name, Clock: clock}
	if active != nil {
		// pane_title defaults to the host name, as in tmux.
		if spec.Status.PaneTitle = active.title(); spec.Status.PaneTitle == "" {
			spec.Status.PaneTitle = hostname()
		}
	}
	if prompt := c.keys.Prompt(); prompt != "" && active != nil {
		// A confirm-before question ("kill-pane 1? (y/n)") takes the
		// status line's attention, as tmux's prompt takes the line.
		spec.Status.Marker = command.Expand(prompt, s.varsLocked(ref(active)))
	} else if now.Before(c.messageUntil) {
		spec.Status.Marker = c.message
	}
	for _, o := range ss.windowsLocked() {
		_, z := o.tree.Zoomed()
		spec.Status.Windows = append(spec.Status.Windows, compose.Window{Index: o.index, Name: o.nameLocked(),
			Current: o == w, Last: o == ss.last, Zoomed: z})
	}
	var sf StatusFacts
	if s.cfg.Hooks != nil {
		sf = c.statusFactsLocked(ss, w, active, activeRect.X, activeRect.Y, activeRect.W, activeRect.H)
	}
	if active != nil {
		hasFacts = true
		facts = statesync.Pane{X: activeRect.X, Y: activeRect.Y,
			Width: min(activeRect.W, cols-activeRect.X), Height: min(activeRect.H, rows-statusRows-activeRect.Y)}
		if tio, err := active.Termios(); err == nil {
			facts.ICANON, facts.Echo = tio.Canonical, tio.Echo
		}
		if name, err := active.proc.ForegroundName(); err == nil {
			facts.Program = name
		}
	}
	s.mu.Unlock()

	if s.cfg.Hooks != nil {
		// Plugin segments: the facts go to the source, which answers
		// from what its plugins said last and never waits for them.
		paneFactsUnlocked(&sf, active)
		c.updateStatus(sf)
		var marker string
		spec.Status.Segments, marker = c.status.Status()
		if spec.Status.Marker == "" {
			spec.Status.Marker = marker
		}
	}

	// Follow exactly the panes on show.
	for p := range c.watched {
		if !show[p] {
			p.removeWatcher(c.wake)
			delete(c.watched, p)
			delete(c.seenBell, p)
		}
	}
	for p := range show {
		if !c.watched[p] {
			p.addWatcher(c.wake)
			c.watched[p] = true
		}
	}

	c.do(func() {
		f := c.tr.Current()
		scr := f.Screen()
		if w, h := scr.Size(); w != cols || h != rows {
			scr.Resize(cols, rows)
		}
		if out := c.composer.Compose(scr, &spec); out != scr {
			// Compose allocates only for a size mismatch, ruled out above.
			s.log.Warn("compose returned a new screen", "client", c.name)
		}
		if hasFacts {
			f.SetPane(facts)
		}
	})
	// Redraw for the clock at the next minute, or the status interval.
	untilMinute := clock.Truncate(time.Minute).Add(time.Minute).Sub(clock)
	next := min(untilMinute+10*time.Millisecond, statusInterval)
	if now.Before(c.messageUntil) {
		next = min(next, c.messageUntil.Sub(now)+time.Millisecond)
	}
	return next, true
}

// countBells adds the bells p rang since the client last drew it to the
// frame's bell count, which only grows: the client's terminal rings when
// it does (mosh's bell handling).
func (c *client) countBells(p *Pane, scr *vt.Screen) {
	n := scr.BellCount()
	if c.seenBell == nil {
		c.seenBell = map[*Pane]uint64{}
	}
	if last, ok := c.seenBell[p]; ok && n > last {
		c.bells += n - last
	}
	c.seenBell[p] = n
}
