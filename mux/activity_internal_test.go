package mux

import (
	"strings"
	"testing"

	"github.com/goshterm/gosh/vt"
)

// alertsFixture is a session of 10 windows of 4 panes each, with no
// processes: what a frame's alerts look at.
func alertsFixture() (*Server, *Session, *client) {
	s := NewServer(Config{})
	ss := &Session{id: 1, windows: map[int]*Window{}, options: map[string]string{}}
	for i := range 10 {
		w := &Window{id: i, index: i, session: ss, panes: map[int]*Pane{}, options: map[string]string{}}
		for j := range 4 {
			id := i*4 + j
			w.panes[id] = &Pane{id: id, server: s, screen: vt.NewScreen(80, 24), window: w}
		}
		ss.windows[i] = w
	}
	ss.current = ss.windows[0]
	return s, ss, &client{s: s, session: ss}
}

// feeding runs a pane reader's work on p — 32 KB fed to its screen under
// its lock, as readLoop does — until stop is closed.
func feeding(p *Pane, stop chan struct{}, done chan struct{}) {
	defer close(done)
	buf := []byte(strings.Repeat("output line of a busy background pane\r\n", 32<<10/40))
	for {
		select {
		case <-stop:
			return
		default:
		}
		p.mu.Lock()
		p.screen.Write(buf)
		p.act.output.Add(1)
		p.mu.Unlock()
	}
}

// BenchmarkFrameAlerts is a frame's share of the alerts (activity.go):
// the flags of every window on the status line, the client's bells, the
// wake-ups armed, while the current window prints; "busy" while a
// background pane's reader feeds it a flood.
func BenchmarkFrameAlerts(b *testing.B) {
	for _, busy := range []bool{false, true} {
		b.Run(map[bool]string{false: "idle", true: "busy"}[busy], func(b *testing.B) {
			s, ss, c := alertsFixture()
			if busy {
				stop, done := make(chan struct{}), make(chan struct{})
				go feeding(ss.windows[5].panes[20], stop, done)
				defer func() { close(stop); <-done }()
			}
			typing := ss.current.panes[0]
			s.mu.Lock()
			wins := ss.appendWindowsLocked(nil)
			s.mu.Unlock()
			for b.Loop() {
				typing.act.output.Add(1)
				s.mu.Lock()
				c.alertsLocked(ss, wins)
				s.mu.Unlock()
			}
		})
	}
}

// BenchmarkFrameBellsLocking is what the frame did before for the bell
// flags alone: lock every pane of every window to read its bell count.
// "busy" as in BenchmarkFrameAlerts: the frame waits for the feed.
func BenchmarkFrameBellsLocking(b *testing.B) {
	for _, busy := range []bool{false, true} {
		b.Run(map[bool]string{false: "idle", true: "busy"}[busy], func(b *testing.B) {
			s, ss, _ := alertsFixture()
			if busy {
				stop, done := make(chan struct{}), make(chan struct{})
				go feeding(ss.windows[5].panes[20], stop, done)
				defer func() { close(stop); <-done }()
			}
			var sink uint64
			for b.Loop() {
				s.mu.Lock()
				for _, w := range ss.windows {
					var n uint64
					for _, p := range w.panes {
						p.mu.Lock()
						n += p.screen.BellCount()
						p.mu.Unlock()
					}
					sink += n
				}
				s.mu.Unlock()
			}
			_ = sink
		})
	}
}

// TestAlertsFixtureFlags checks the fixture's scan: a bell in a background
// window flags it, and its selection clears it.
func TestAlertsFixtureFlags(t *testing.T) {
	s, ss, c := alertsFixture()
	s.mu.Lock()
	defer s.mu.Unlock()
	wins := ss.appendWindowsLocked(nil)
	c.alertsLocked(ss, wins)
	w := ss.windows[3]
	w.panes[13].act.bells.Add(1)
	c.alertsLocked(ss, wins)
	if !w.alerts.bell || c.bells != 1 {
		t.Fatalf("bell flag %v, client bells %d; want the flag and one ring", w.alerts.bell, c.bells)
	}
	ss.selectWindowLocked(w)
	if w.alerts.bell {
		t.Error("selecting the window left its bell flag")
	}
}

// BenchmarkNoteOutput is what the alerts add to each batch a pane's reader
// feeds (no wake-up armed, no monitor-silence).
func BenchmarkNoteOutput(b *testing.B) {
	_, ss, _ := alertsFixture()
	p := ss.current.panes[0]
	p.mu.Lock()
	defer p.mu.Unlock()
	for b.Loop() {
		p.noteOutputLocked()
	}
}
