package mux

import (
	"strconv"
	"sync/atomic"
	"time"
)

// Alerts, as tmux's alerts.c: a window other than its session's current
// one flags "!" when its panes ring the bell (window option monitor-bell,
// on by default), "#" when they print anything (monitor-activity, off by
// default) and "~" when they printed nothing for monitor-silence seconds
// (0, the default, for never); the flags stay until the window is current
// again. Each attached client is alerted too: its terminal's bell rings,
// or with visual-bell / visual-activity / visual-silence a message shows
// instead, as the session options bell-action (any), activity-action and
// silence-action (other) allow.
//
// Nothing of this locks a pane on the frame path, nor takes the server
// lock on the output path: the pane's reader bumps atomic counters after
// each feed (noteOutputLocked), and the server lock's holders — a client
// composing its frame, list-windows, select-window — compare them with the
// counts the window last saw (scanAlertsLocked). A background window's
// first bell or output after a frame wakes the attached clients (an atomic
// flag the frame armed), so the status line shows it at once; a timer per
// window with monitor-silence wakes them when its quiet is long enough.

// paneActivity is a pane's share of its window's alerts.
type paneActivity struct {
	output atomic.Uint64 // batches of output fed to the screen
	bells  atomic.Uint64 // bells rung: only grows

	// screenBells is the screen's BellCount at the last feed. Pane.mu.
	screenBells uint64

	// wakeBell and wakeOutput are armed by a client's frame for a pane
	// of a background window: its next bell (or output) wakes the
	// clients, once.
	wakeBell, wakeOutput atomic.Bool

	// stamp is set while the pane's window has monitor-silence: then
	// each batch stores its time (monoNow) in lastOutput.
	stamp      atomic.Bool
	lastOutput atomic.Int64

	// bellSeen and outputSeen are the counts the pane's window last saw.
	// Server.mu.
	bellSeen, outputSeen uint64
}

// noteOutputLocked counts a batch of output just fed to p's screen; p.mu
// is held. It costs an atomic add and three atomic loads per batch (and a
// clock read under monitor-silence).
func (p *Pane) noteOutputLocked() {
	a := &p.act
	a.output.Add(1)
	if a.stamp.Load() {
		a.lastOutput.Store(monoNow())
	}
	wake := a.wakeOutput.Load() && a.wakeOutput.CompareAndSwap(true, false)
	if n := p.screen.BellCount(); n != a.screenBells {
		if n > a.screenBells {
			a.bells.Add(n - a.screenBells)
			wake = wake || (a.wakeBell.Load() && a.wakeBell.CompareAndSwap(true, false))
		}
		a.screenBells = n
	}
	if wake {
		// Pane.mu comes after Server.mu in the lock order (doc.go), so
		// the reader, holding p.mu, must not take s.mu: a goroutine
		// wakes the clients. The frames re-arm the flags, so there is
		// at most one such goroutine per pane and frame.
		s := p.server
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			s.mu.Lock()
			s.wakeClientsLocked()
			s.mu.Unlock()
		}()
	}
}

// windowAlerts are a window's flags (tmux's WINLINK_BELL and
// WINLINK_ACTIVITY) and the counts each client follows for its own alerts.
// Server.mu.
type windowAlerts struct {
	bell, activity, silence bool // the flags, never set on the current window
	alertCounts

	// silenceFrom is when monitor-silence last started counting (the
	// panes' stamps count from there); silenceDue says no silence
	// alert came since the last output. silenceTimer wakes the clients
	// when monitor-silence seconds will have passed, for a frame to
	// notice.
	silenceFrom  int64
	silenceDue   bool
	silenceTimer *time.Timer

	// monBell and monAct cache monitor-bell and monitor-activity, good
	// while the options' generation and the window's session are monGen
	// and monSession (monitorsLocked).
	monBell, monAct bool
	monSilence      time.Duration
	monGen          uint64
	monSession      *Session
}

// alertCounts are what a client follows of a window's alerts.
type alertCounts struct {
	bells      uint64 // bells its panes rang with monitor-bell on
	activities uint64 // times the activity flag went up
	silences   uint64 // times the silence flag went up
}

// monitorsLocked returns w's monitor-bell and monitor-activity, looked up
// again only after a set-option or a move to another session: every frame
// asks for every window's.
func (s *Server) monitorsLocked(w *Window) (bell, activity bool) {
	a := &w.alerts
	if a.monSession != w.session || a.monGen != s.optionsGen || a.monSession == nil {
		a.monBell = isOn(s.optionLocked(w, "monitor-bell"))
		a.monAct = isOn(s.optionLocked(w, "monitor-activity"))
		a.monSilence = time.Duration(max(s.optionIntLocked(w, "monitor-silence"), 0)) * time.Second
		a.monGen, a.monSession = s.optionsGen, w.session
	}
	return a.monBell, a.monAct
}

// scanAlertsLocked brings w's alerts up to date with its panes' counts:
// what they did since the last scan raises the flags (unless w is current,
// its session's current window, whose flags it clears), as far as w's
// monitor-bell and monitor-activity let it. With arm, it also arms the
// panes' wake-ups: the next bell, and the next output while w has no
// activity flag, as far as w monitors them. Server.mu is held.
func (s *Server) scanAlertsLocked(w *Window, current, arm bool) {
	monBell, monAct := s.monitorsLocked(w)
	armBell, armOutput := arm && monBell, arm && monAct && !w.alerts.activity
	stamp := w.alerts.monSilence > 0
	var bells uint64
	var last int64 // the panes' last stamped output
	output := false
	for _, p := range w.panes {
		a := &p.act
		if stamp {
			if !a.stamp.Load() {
				a.stamp.Store(true)
			}
			last = max(last, a.lastOutput.Load())
		}
		if armBell && !a.wakeBell.Load() {
			a.wakeBell.Store(true)
		}
		if armOutput && !a.wakeOutput.Load() {
			a.wakeOutput.Store(true)
		}
		if n := a.bells.Load(); n != a.bellSeen {
			if n > a.bellSeen {
				bells += n - a.bellSeen
			}
			a.bellSeen = n
		}
		if n := a.output.Load(); n != a.outputSeen {
			output = true
			a.outputSeen = n
		}
	}
	rang := bells > 0 && monBell
	if rang {
		w.alerts.bells += bells
	}
	active := output && !current && !w.alerts.activity && monAct
	silent := s.silenceLocked(w, output, last)
	switch {
	case current:
		w.alerts.bell, w.alerts.activity, w.alerts.silence = false, false, false
	case active:
		w.alerts.activity = true
		w.alerts.activities++
	}
	if rang && !current {
		w.alerts.bell = true
	}
	if silent && !current && !w.alerts.silence {
		w.alerts.silence = true
		w.alerts.silences++
	}
}

// silenceLocked keeps w's monitor-silence clock, given whether its panes
// printed since the last scan and the time of their last stamped output:
// it reports true once when monitor-silence seconds have passed since the
// last output (or since monitoring began), and otherwise keeps the timer
// set for when they will have. A window without monitor-silence costs one
// field test.
func (s *Server) silenceLocked(w *Window, output bool, last int64) bool {
	a := &w.alerts
	if a.monSilence == 0 {
		return false
	}
	if output {
		a.silenceDue = true
	}
	if !a.silenceDue {
		return false
	}
	quiet := time.Duration(monoNow() - max(last, a.silenceFrom))
	if quiet >= a.monSilence {
		a.silenceDue = false
		return true
	}
	s.silenceTimerLocked(w, a.monSilence-quiet)
	return false
}

// monoEpoch and monoNow give the monotonic clock as an int64, for the
// panes' atomic output stamps.
var monoEpoch = time.Now()

func monoNow() int64 { return int64(time.Since(monoEpoch)) }

// silenceTimerLocked (re)starts w's timer: in d (plus a millisecond, so
// that the quiet has passed), the clients look again.
func (s *Server) silenceTimerLocked(w *Window, d time.Duration) {
	d += time.Millisecond
	if w.alerts.silenceTimer != nil {
		w.alerts.silenceTimer.Reset(d)
		return
	}
	w.alerts.silenceTimer = time.AfterFunc(d, func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		if _, ok := s.windows[w.id]; ok {
			s.wakeClientsLocked()
		}
	})
}

// silenceOptionLocked is called after monitor-silence changed: every
// window's silence counts afresh from now, as tmux's alerts_reset_all.
func (s *Server) silenceOptionLocked() {
	now := monoNow()
	for _, w := range s.windows {
		s.monitorsLocked(w)
		a := &w.alerts
		if a.monSilence > 0 {
			a.silenceFrom, a.silenceDue = now, true
			s.silenceTimerLocked(w, a.monSilence)
			continue
		}
		a.silenceDue = false
		if a.silenceTimer != nil {
			a.silenceTimer.Stop()
		}
		for _, p := range w.panes {
			p.act.stamp.Store(false)
		}
	}
}

// scanAllAlertsLocked scans every window: before a monitor option changes,
// so that only what comes after counts under the new value.
func (s *Server) scanAllAlertsLocked() {
	for _, w := range s.windows {
		s.scanAlertsLocked(w, w.session != nil && w.session.current == w, false)
	}
}

// windowSelectedLocked is called just before w becomes its session's
// current window in place of old (nil for none): what old printed while
// current raises no flag when it goes to the background, and w's flags go
// (tmux clears a winlink's flags as it becomes current).
func windowSelectedLocked(old, w *Window) {
	s := serverOf(w)
	if s == nil {
		return
	}
	if old != nil {
		s.scanAlertsLocked(old, true, false)
	}
	s.scanAlertsLocked(w, true, false)
}

// serverOf returns the server of w's panes; nil for a window without any.
func serverOf(w *Window) *Server {
	for _, p := range w.panes {
		return p.server
	}
	return nil
}

// windowFlagsLocked returns w's window_flags, in tmux's order
// (window_printable_flags: "#!~*-MZ").
func windowFlagsLocked(ss *Session, w *Window, zoomed, marked bool) string {
	flags := ""
	if w.alerts.activity {
		flags += "#"
	}
	if w.alerts.bell {
		flags += "!"
	}
	if w.alerts.silence {
		flags += "~"
	}
	if ss.current == w {
		flags += "*"
	} else if ss.last == w {
		flags += "-"
	}
	if marked {
		flags += "M"
	}
	if zoomed {
		flags += "Z"
	}
	return flags
}

// clientAlerts is a client's view of its session's alerts.
type clientAlerts struct {
	// seen holds each window's counts as this client last alerted them.
	// The client's loop, under Server.mu.
	seen map[*Window]alertCounts
	// message is a message for the status line (display-message) given
	// by another goroutine, and messageMS how long it stays. Server.mu.
	message   string
	messageMS int
	pending   bool
	// messageToKey says the message on the status line stays until a
	// key (display-time 0). The client's loop.
	messageToKey bool
}

// alertsLocked brings the flags of ss's windows up to date for a frame of
// c's, alerts c of what its windows did since its last frame (the
// terminal's bell or a message, as bell-action, activity-action,
// visual-bell and visual-activity say) and arms the wake-ups of the
// background windows' panes. wins are ss's windows (appendWindowsLocked,
// which the frame lists anyway): a slice, not the map, to go through. It
// runs on c's loop with Server.mu held.
func (c *client) alertsLocked(ss *Session, wins []*Window) {
	s, a := c.s, &c.alerts
	if a.pending {
		c.showMessageLocked(a.message, a.messageMS) // logged by DisplayMessage
		a.message, a.pending = "", false
	}
	if a.seen == nil {
		a.seen = map[*Window]alertCounts{}
	}
	for _, w := range wins {
		current := ss.current == w
		// The current window's panes wake the client anyway: only the
		// others' are armed.
		s.scanAlertsLocked(w, current, !current)
		seen, ok := a.seen[w]
		if !ok {
			a.seen[w] = w.alerts.alertCounts
			continue // new to this client: nothing to alert yet
		}
		if seen == w.alerts.alertCounts {
			continue // nothing new: most frames
		}
		a.seen[w] = w.alerts.alertCounts
		if n := w.alerts.bells - seen.bells; n > 0 && actionApplies(s.optionLocked(w, "bell-action"), current) {
			c.alertLocked(w, n, "Bell", s.optionLocked(w, "visual-bell"), current)
		}
		if w.alerts.activities != seen.activities && actionApplies(s.optionLocked(w, "activity-action"), current) {
			c.alertLocked(w, 1, "Activity", s.optionLocked(w, "visual-activity"), current)
		}
		if w.alerts.silences != seen.silences && actionApplies(s.optionLocked(w, "silence-action"), current) {
			c.alertLocked(w, 1, "Silence", s.optionLocked(w, "visual-silence"), current)
		}
	}
	if len(a.seen) > len(ss.windows) {
		for w := range a.seen {
			if ss.windows[w.index] != w {
				delete(a.seen, w)
			}
		}
	}
}

// alertLocked alerts c of n bells (or an activity) in w: the terminal's
// bell rings unless visual is "on", and a message shows when it is "on" or
// "both" (tmux's alerts_set_message).
func (c *client) alertLocked(w *Window, n uint64, what, visual string, current bool) {
	if visual != "on" {
		c.bells += n
	}
	if visual == "on" || visual == "both" {
		msg := what + " in window " + strconv.Itoa(w.index)
		if current {
			msg = what + " in current window"
		}
		c.setMessageLocked(msg, c.s.optionIntLocked(w, "display-time"))
	}
}

// actionApplies reports whether bell-action or activity-action v lets an
// alert of a window through: any window, none, only the current one, or
// only the others.
func actionApplies(v string, current bool) bool {
	switch v {
	case "any":
		return true
	case "current":
		return current
	case "other":
		return !current
	}
	return false
}
