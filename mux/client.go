package mux

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/goshterm/gosh/mux/command"
	"github.com/goshterm/gosh/mux/compose"
	"github.com/goshterm/gosh/mux/copymode"
	"github.com/goshterm/gosh/mux/input"
	"github.com/goshterm/gosh/mux/layout"
	"github.com/goshterm/gosh/mux/pty"
	"github.com/goshterm/gosh/mux/statesync"
	"github.com/goshterm/gosh/ssp"
	"github.com/goshterm/gosh/ssp/conn"
	"github.com/goshterm/gosh/vt"
)

// Timing of a client's loop.
const (
	// housekeeping is how often the loop polls a shutdown handshake's
	// progress. Otherwise the loop sleeps until the next of its own
	// deadlines or the transport's (WaitTime) is due: a ticker here woke
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
	// echoAckHold is how long a new echo ack (statesync.EchoAcker) waits
	// for a composed frame to ride with before it goes in a frame of its
	// own: mosh's least frame interval, ssp.SendIntervalMin. While the user
	// types, each key's echo carries the ack of the keys of 50 ms before.
	// Sent alone at once, the ack took the transport's frame slot just
	// before the next key's echo, which then waited a frame interval (1 ms
	// on loopback, 50 ms at a 100 ms round trip) behind it.
	echoAckHold = ssp.SendIntervalMin
)

// client is one attached terminal: its SSP endpoint, what it is attached
// to, and its input state. Fields marked (mu) are guarded by Server.mu;
// fields marked (loop) belong to the client's loop goroutine.
type client struct {
	id       int
	name     string
	s        *Server
	tr       *ssp.Transport[*statesync.Frame, *statesync.UserStream] // (loop)
	term     string
	colors   int
	readOnly bool
	created  time.Time
	port     int
	ep       *conn.Endpoint // the transport's socket
	key      ssp.Key

	session    *Session // (mu) nil once detached
	cols, rows int      // (mu) the client's terminal size
	activity   uint64   // (mu) Server.clock at its last input

	wake       chan struct{} // coalesced: the model or a shown pane changed
	detachOnce sync.Once
	detachCh   chan struct{} // closed to ask the loop to detach

	composer     compose.Composer         // (loop)
	bells        uint64                   // (loop) bells the client's terminal rang, for the frame
	alerts       clientAlerts             // (loop, mu) bells and activity of its windows (activity.go)
	copy         map[*Pane]*copymode.Mode // (loop, written with mu) panes this client browses in copy mode
	copyOps      []*copyOp                // (mu) send-keys -X commands for the loop to run (copycommands.go)
	clipboard    string                   // (loop) base64 of the last copy, for OSC 52
	message      string                   // (loop) shown on the status line until messageUntil
	messageUntil time.Time                // (loop)
	watched      map[*Pane]bool           // (loop) panes whose output wakes us
	echo         statesync.EchoAcker      // (loop)
	consumed     uint64                   // (loop) the position in the client's input stream read up to
	keys         *input.State             // (loop)
	input        inputScratch             // (loop) inputContext's, reused
	status       StatusSource             // (loop) Hooks' status line content; nil until the first frame
	statusFacts  StatusFacts              // (loop) the facts status last saw
	basePrograms map[string]string        // (loop) each pane's first foreground program: its shell
	factIDs      factIDs                  // (loop, mu) statusFactsLocked's id strings

	// (loop) compose's scratch, reused from frame to frame
	rects       []layout.PaneRect
	wins        []*Window
	bgNames     map[*Window]windowName // background windows' automatic names (backgroundNameLocked)
	specPanes   []compose.Pane
	specWindows []compose.Window
	showing     []*Pane   // the panes of the frame being composed (watchShowing)
	snaps       snapshots // the panes' snapshots, recycled (paneScreen)
	// mouse caches the "mouse" option of mouseWin (in mouseSession) as
	// of Server.optionsGen mouseGen, so that a frame looks it up only
	// after a set-option.
	mouse        bool
	mouseWin     *Window
	mouseSession *Session
	mouseGen     uint64

	earlyMu sync.Mutex
	early   func(*vt.Screen, uint64) bool // (earlyMu) the hosted client's early draw (hostedlink.go)
	carried func(uint64)                  // (earlyMu)
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

// clientLoop is the state of a client's loop between two events.
type clientLoop struct {
	c             *client
	start         time.Time // the endpoint opened: the connect timeout counts from here
	dirty         bool      // the frame needs composing
	lastCompose   time.Time // the last composition, for the pacing (composeWait)
	statusDue     time.Time // redraw then for the clock or a message; zero: none
	closeDeadline time.Time // the server is closing: end by then; zero: not closing
	ackDue        time.Time // a new echo ack goes out alone then (echoAckHold); zero: none waiting
	detaching     bool      // the shutdown handshake started
	drewEarly     bool      // the hosted client drew the last frame composed
}

// loop runs the client until it detaches, its session ends, it times out,
// or ctx (the server) ends.
//
// The loop owns the transport (no ssp Run, no Do): it selects on the
// transport's Inbox beside its own events, and after each event does
// everything the event calls for on this one goroutine — a datagram's
// keystrokes are written to their pane right after Receive, and a pane's
// output is composed into the frame and sent by Tick right after its wake.
// A keystroke's echo thus costs two goroutine hand-offs in the daemon
// (the socket reader's, the pane reader's), where Run and Do cost eight or
// more: each is a futex wake-up, and on an idle daemon a wake-up of the
// runtime's sysmon too. One timer serves every deadline: the transport's
// (WaitTime), the timeouts, the echo ack, a lone ESC, the compose pacing
// and the status line's redraw.
func (c *client) loop(ctx context.Context) {
	s, tr := c.s, c.tr
	defer s.clientWG.Done()
	pkts := tr.Inbox()
	defer func() {
		if err := tr.Close(); err != nil {
			s.log.Debug("client transport close", "client", c.name, "err", err)
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

	l := &clientLoop{c: c, start: time.Now(), dirty: true}
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	closing := ctx.Done()
	detachCh := c.detachCh
	for {
		select {
		case <-closing:
			closing = nil
			l.closeDeadline = time.Now().Add(closeGrace)
			l.shutdown("server closing")
			detachCh = nil
		case <-detachCh:
			l.shutdown("detach")
			detachCh = nil
		case <-c.wake:
			l.dirty = true
		case p := <-pkts:
			now := time.Now()
			if tr.ReceivePacket(now, p) && c.consume(now) {
				l.dirty = true
			}
		case <-timer.C:
		}
		next, ok := l.step()
		if !ok {
			return
		}
		// Go 1.23 timers: Reset discards a value not yet received.
		timer.Reset(max(time.Until(next), 0))
	}
}

// shutdown starts the transport's shutdown handshake.
func (l *clientLoop) shutdown(why string) {
	if l.detaching {
		return
	}
	l.c.s.log.Debug("client shutdown", "client", l.c.name, "why", why)
	l.c.tr.StartShutdown(time.Now())
	l.detaching = true
}

// step does what is due after an event: a lone ESC's timeout, the
// handshake and timeouts, the echo ack, the composition, and the
// transport's sends. It returns when the loop must next wake, or false
// when the client is done.
func (l *clientLoop) step() (time.Time, bool) {
	c, tr := l.c, l.c.tr
	now := time.Now()
	if d, ok := c.keys.Deadline(); ok && !now.Before(d) && c.flushKeys(now) {
		l.dirty = true
	}
	due, end := l.housekeep(now)
	if end {
		return time.Time{}, false
	}
	statusOnly := false // the status line's redraw alone asks for a frame
	if !l.statusDue.IsZero() && !now.Before(l.statusDue) {
		l.statusDue = time.Time{}
		statusOnly = !l.dirty
		l.dirty = true
	}
	var composeAt time.Time
	composed := false
	if l.dirty && !l.detaching {
		// The pacing counts from the last composition for output or
		// input; a keystroke alone does not compose (keysIn), so its
		// echo finds the gap passed and goes out now, without a timer.
		// Nor does the status line's redraw count: it is timed (a
		// reused program name is due, the clock), so it may fall just
		// before an echo, which would then wait a whole interval (1 ms
		// on loopback: 4 keys in 160 in bench/echo, each ~1.1 ms late).
		if at := l.lastCompose.Add(composeWait(tr.FrameInterval())); now.Before(at) {
			composeAt = at
		} else {
			l.dirty = false
			if !statusOnly {
				l.lastCompose = now
			}
			composed = true
			if wait, ok := c.compose(now); ok {
				l.statusDue = now.Add(wait)
				l.drewEarly = c.drawEarly()
			} else {
				l.shutdown("session ended")
			}
			now = time.Now()
		}
	}
	if !l.ackDue.IsZero() && (composed || !now.Before(l.ackDue)) {
		tr.Current().SetEchoAck(c.echo.Ack())
		l.ackDue = time.Time{}
	}
	sent := tr.SentNum()
	if err := tr.Tick(now); err != nil {
		c.s.log.Warn("client transport", "client", c.name, "err", err)
		return time.Time{}, false
	}
	if l.drewEarly && tr.SentNum() != sent && !tr.ShutdownInProgress() {
		// A state went out with the screen drawn early, unchanged
		// since: at once, held back by the transport's pacing, or
		// later with only a new echo ack.
		c.sentEarly(tr.SentNum())
	}
	next := due
	if w := tr.WaitTime(now); w != ssp.Forever {
		next = earliest(next, now.Add(w))
	}
	if d, ok := c.keys.Deadline(); ok {
		next = earliest(next, d)
	}
	if at, ok := c.echo.Next(); ok {
		next = earliest(next, at)
	}
	if !composeAt.IsZero() {
		next = earliest(next, composeAt)
	}
	if !l.ackDue.IsZero() {
		next = earliest(next, l.ackDue)
	}
	if !l.statusDue.IsZero() && !l.detaching {
		next = earliest(next, l.statusDue)
	}
	return next, true
}

// housekeep runs the shutdown handshake and the timeouts, and schedules a
// new echo ack (echoAckHold).
// It returns when it must next run, and whether the client is done.
func (l *clientLoop) housekeep(now time.Time) (due time.Time, end bool) {
	c, tr, cfg := l.c, l.c.tr, &l.c.s.cfg
	due = now.Add(housekeeping)
	if !tr.ShutdownInProgress() && !tr.RemoteShutdown() {
		if tr.RemoteNum() == 0 {
			due = l.start.Add(cfg.ClientConnectTimeout)
		} else {
			due = tr.LastHeard().Add(cfg.ClientIdleTimeout)
		}
		// Strictly after: the timeouts below compare with >.
		due = due.Add(time.Millisecond)
	}
	if !l.closeDeadline.IsZero() {
		due = earliest(due, l.closeDeadline.Add(time.Millisecond))
	}
	switch {
	case tr.ShutdownInProgress() && (tr.ShutdownAcknowledged() || tr.ShutdownTimedOut(now)):
		return due, true
	case !l.closeDeadline.IsZero() && now.After(l.closeDeadline):
		return due, true
	case tr.RemoteShutdown() && tr.RemoteShutdownAcked():
		return due, true // the client quit (mosh's Ctrl-^ .)
	case tr.RemoteShutdown(), tr.ShutdownInProgress():
		// The next Tick acks the client's shutdown, or sends ours.
	case tr.RemoteNum() == 0 && now.Sub(l.start) > cfg.ClientConnectTimeout:
		c.s.log.Info("client never connected", "client", c.name)
		return due, true
	case tr.RemoteNum() != 0 && now.Sub(tr.LastHeard()) > cfg.ClientIdleTimeout:
		// No handshake: a client silent this long won't answer it.
		c.s.log.Info("client silent too long", "client", c.name)
		return due, true
	}
	if _, changed := c.echo.Update(now); changed && l.ackDue.IsZero() {
		l.ackDue = now.Add(echoAckHold)
	}
	return due, false
}

func earliest(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

// composeWait is the least time between two compositions when the
// transport's frame interval is frame: no more than composeInterval, and
// no more than the transport itself waits between frames.
func composeWait(frame time.Duration) time.Duration { return min(composeInterval, frame) }

// watchShowing follows exactly the panes on show (showing): their output
// wakes the loop. The same panes as the last frame's, as while typing,
// are followed already (watched).
func (c *client) watchShowing() {
	same := len(c.showing) == len(c.watched)
	for _, p := range c.showing {
		if !same {
			break
		}
		same = c.watched[p]
	}
	if same {
		return
	}
	for p := range c.watched {
		if !slices.Contains(c.showing, p) {
			p.removeWatcher(c.wake)
			delete(c.watched, p)
		}
	}
	for _, p := range c.showing {
		if !c.watched[p] {
			p.addWatcher(c.wake)
			c.watched[p] = true
		}
	}
}

// mouseLocked is w's "mouse" option, looked up again only after a
// set-option (Server.optionsGen) or for another window or session.
// Requires Server.mu; runs on the loop.
func (c *client) mouseLocked(w *Window) bool {
	s := c.s
	if c.mouseWin != w || c.mouseSession != w.session || c.mouseGen != s.optionsGen {
		c.mouse = isOn(s.optionLocked(w, "mouse"))
		c.mouseWin, c.mouseSession, c.mouseGen = w, w.session, s.optionsGen
	}
	return c.mouse
}

// compose draws the client's frame from the model and hands it to the
// transport. It returns how long until the status line needs redrawing, and
// false when the client's session is gone.
func (c *client) compose(now time.Time) (time.Duration, bool) {
	s := c.s
	var spec compose.FrameSpec
	var facts statesync.Pane
	hasFacts := false
	s.mu.Lock()
	c.runCopyOpsLocked() // send-keys -X from outside the loop (copycommands.go)
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
	var activeScr *vt.Screen // the active pane's snapshot, when not in copy mode
	// The frame's slices are the client's, reused: a frame per
	// keystroke allocates as little as it can.
	c.snaps.next()
	c.rects = w.tree.AppendRects(c.rects[:0])
	spec.Panes = c.specPanes[:0]
	spec.Status.Windows = c.specWindows[:0]
	if !ss.windowsStillLocked(c.wins) {
		c.wins = ss.appendWindowsLocked(c.wins[:0])
	}
	c.showing = c.showing[:0]
	for _, r := range c.rects {
		p := w.panes[int(r.Pane)]
		if p == nil {
			continue
		}
		c.showing = append(c.showing, p)
		scr, frozen := c.paneScreen(p, r.W, r.H)
		if p == w.active {
			spec.Active = len(spec.Panes)
			active, activeRect = p, r.Rect
			if frozen {
				activeScr = scr
			}
		}
		spec.Panes = append(spec.Panes, compose.Pane{Rect: r.Rect, Screen: scr, Frozen: frozen, Marked: p == s.marked}) // marks.go
	}
	c.alertsLocked(ss, c.wins) // activity.go: window flags, bells, messages
	spec.Bells = c.bells
	c.drawNumbersLocked(&spec, w, now) // display-panes
	c.forgetRemovedLocked()
	if c.clipboard != "" {
		spec.Clipboard = compose.Clipboard{Selection: "c", Data: c.clipboard}
	}
	spec.MouseOn = c.mouseLocked(w)
	clock := s.cfg.Now()
	spec.Status = compose.Status{Session: ss.name, Clock: clock, Windows: spec.Status.Windows}
	if active != nil {
		// pane_title defaults to the host name, as in tmux. The
		// snapshot's title is the pane's, as of a moment ago, without
		// taking the pane's lock again.
		if activeScr != nil {
			spec.Status.PaneTitle = activeScr.Title()
		} else {
			spec.Status.PaneTitle = active.title()
		}
		if spec.Status.PaneTitle == "" {
			spec.Status.PaneTitle = hostname()
		}
	}
	if prompt := c.keys.Prompt(); prompt != "" && active != nil {
		// A confirm-before question ("kill-pane 1? (y/n) ") or the
		// command prompt takes the whole status line, as tmux's does.
		spec.Status.Prompt = command.Expand(prompt, s.varsLocked(ref(active)))
		if c.keys.Confirming() {
			spec.Status.Prompt += " "
		}
	} else if now.Before(c.messageUntil) {
		spec.Status.Message = c.message // the whole line, as tmux
	}
	// The active pane's foreground program is both the pane facts' and
	// the current window's automatic name (nameLocked): one look per
	// frame, not two. A settled foreground group's name is reused for up
	// to pty.NameReuse (a TIOCGPGRP per frame still sees a new group at
	// once), and the frame is composed again when it is due.
	// Likewise its termios: one TCGETS per frame serves the frame's pane
	// facts and the plugins' (paneFactsUnlocked). It is read afresh for
	// every frame, never cached: the client predicts no echo once the
	// pane is in canonical mode with echo off (a password prompt), and
	// the echo frame must carry the line discipline as it is then.
	program, programOK := "", false
	var tio pty.Termios
	tioOK := false
	var recheck time.Time // a name served from a cache: read it again then
	if active != nil {
		if name, until, err := active.proc.Load().ForegroundNameCached(now); err == nil {
			program, programOK, recheck = name, true, until
		}
		if t, err := active.Termios(); err == nil {
			tio, tioOK = t, true
		}
	}
	windowName := ""
	for _, o := range c.wins {
		_, z := o.tree.Zoomed()
		var name string
		switch {
		case o == w && o.name == "" && o.active == active && programOK:
			name = program
		case o != w:
			var due time.Time
			name, due = c.backgroundNameLocked(o, now)
			if !due.IsZero() && (recheck.IsZero() || due.Before(recheck)) {
				recheck = due
			}
		default:
			name = o.nameLocked()
		}
		if o == w {
			windowName = name
		}
		spec.Status.Windows = append(spec.Status.Windows, compose.Window{Index: o.index, Name: name,
			Current: o == w, Last: o == ss.last, Zoomed: z, Bell: o.alerts.bell, Activity: o.alerts.activity,
			Silence: o.alerts.silence, Marked: s.marked != nil && s.marked.window == o}) // marks.go
	}
	var sf StatusFacts
	if s.cfg.Hooks != nil {
		sf = c.statusFactsLocked(ss, w, windowName, active, activeRect.X, activeRect.Y, activeRect.W, activeRect.H)
	}
	if active != nil {
		hasFacts = true
		facts = statesync.Pane{X: activeRect.X, Y: activeRect.Y,
			Width: min(activeRect.W, cols-activeRect.X), Height: min(activeRect.H, rows-statusRows-activeRect.Y)}
		if tioOK {
			facts.ICANON, facts.Echo = tio.Canonical, tio.Echo
		}
		facts.Program = program
	}
	s.mu.Unlock()

	if s.cfg.Hooks != nil {
		// Plugin segments: the facts go to the source, which answers
		// from what its plugins said last and never waits for them.
		paneFactsUnlocked(&sf, active, frameFacts{program: program, programOK: programOK, tio: tio, tioOK: tioOK})
		c.updateStatus(sf)
		var marker string
		spec.Status.Segments, marker = c.status.Status()
		if spec.Status.Marker == "" {
			spec.Status.Marker = marker
		}
	}

	c.watchShowing()

	c.specPanes, c.specWindows = spec.Panes, spec.Status.Windows

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
	// Redraw for the clock at the next minute, or the status interval.
	untilMinute := clock.Truncate(time.Minute).Add(time.Minute).Sub(clock)
	next := min(untilMinute+10*time.Millisecond, statusInterval)
	if now.Before(c.messageUntil) {
		next = min(next, c.messageUntil.Sub(now)+time.Millisecond)
	}
	if !recheck.IsZero() {
		next = min(next, recheck.Sub(now)+time.Millisecond)
	}
	return next, true
}

// nameRefresh is how long a background window's automatic name is kept
// before its pane's program is read again. Each read is a TIOCGPGRP and a
// pread of /proc, ~14 µs on the cold cache of an echo, and every frame of
// an echo paid it once per background window. It is the current
// window's bound too (pty.NameReuse): tmux renames windows on a 500 ms
// timer.
const nameRefresh = pty.NameReuse

// windowName is a background window's automatic name as read at at, from
// the pane then active in it.
type windowName struct {
	pane *Pane
	name string
	at   time.Time
}

// backgroundNameLocked is nameLocked for a window the client doesn't show:
// an automatic name read less than nameRefresh ago is reused, and due says
// when to compose again to read it afresh (zero: read now, nothing due).
// The current window's name is read with every frame (compose), as the
// pane facts need its program then.
func (c *client) backgroundNameLocked(o *Window, now time.Time) (name string, due time.Time) {
	if o.name != "" || o.active == nil {
		return o.nameLocked(), time.Time{}
	}
	if e, ok := c.bgNames[o]; ok && e.pane == o.active && !now.Before(e.at) && now.Sub(e.at) < nameRefresh {
		return e.name, e.at.Add(nameRefresh)
	}
	name = o.nameLocked()
	if c.bgNames == nil {
		c.bgNames = map[*Window]windowName{}
	}
	if len(c.bgNames) >= len(c.wins) {
		// Forget windows that are gone (or of another session).
		for k := range c.bgNames {
			if !slices.Contains(c.wins, k) {
				delete(c.bgNames, k)
			}
		}
	}
	c.bgNames[o] = windowName{pane: o.active, name: name, at: now}
	return name, time.Time{}
}
