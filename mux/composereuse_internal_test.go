package mux

import (
	"bytes"
	"context"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/goshterm/gosh/mux/compose"
	"github.com/goshterm/gosh/mux/input"
	"github.com/goshterm/gosh/mux/statesync"
	"github.com/goshterm/gosh/ssp"
	"github.com/goshterm/gosh/ssp/conn"
	"github.com/goshterm/gosh/vt/vttest"
)

// testClock is a settable clock for Config.Now.
type testClock struct {
	mu sync.Mutex
	at time.Time
}

func (k *testClock) now() time.Time {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.at
}

func (k *testClock) add(d time.Duration) {
	k.mu.Lock()
	k.at = k.at.Add(d)
	k.mu.Unlock()
}

// attachTestClient attaches a client to s's session named session, with
// its own transport, for a test to call compose on directly (its loop is
// not running).
func attachTestClient(tb testing.TB, s *Server, session, name string) *client {
	tb.Helper()
	udp, err := conn.ListenUDP(netip.AddrFrom4([4]byte{127, 0, 0, 1}), 0, 0)
	if err != nil {
		tb.Fatal(err)
	}
	key, _ := ssp.GenerateKey()
	tr, err := ssp.New(ssp.Config[*statesync.Frame, *statesync.UserStream]{Role: ssp.Server, Key: key, Conn: udp,
		Local: statesync.NewFrame(80, 24), Remote: statesync.NewUserStream()})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { tr.Close() })
	c := &client{s: s, tr: tr, cols: 80, rows: 24, name: name, wake: make(chan struct{}, 1),
		detachCh: make(chan struct{}), watched: map[*Pane]bool{}, keys: input.New(input.Config{})}
	s.mu.Lock()
	for _, ss := range s.sessions {
		if ss.name == session {
			c.session = ss
		}
	}
	s.nextClientID++
	c.id = s.nextClientID
	s.clients[c.id] = c
	s.activateLocked(c)
	s.mu.Unlock()
	tb.Cleanup(func() {
		for p := range c.watched {
			p.removeWatcher(c.wake)
		}
		s.removeClient(c)
	})
	return c
}

// TestComposeReuseEqualsFresh: a client composing frame after frame,
// reusing what it kept of the last one (the status line's clock text, the
// mouse option, the window list, the panes it follows, the composer's
// last frame), shows
// what a client composing each frame from nothing shows, over a scripted
// session: typing, renames, new, selected and killed windows, splits,
// swapped and moved windows, messages coming and going, the clock
// ticking within and across minutes, and the mouse option set and unset
// at each scope.
func TestComposeReuseEqualsFresh(t *testing.T) {
	clk := &testClock{at: time.Date(2026, 11, 24, 22, 14, 5, 0, time.UTC)}
	s := NewServer(Config{Shell: "/bin/sh", Env: testEnv, Now: clk.now})
	t.Cleanup(func() { s.Close() })
	run := func(argv ...string) {
		t.Helper()
		if err := s.Run(context.Background(), Client{Stdout: &bytes.Buffer{}, Cwd: "/"}, argv); err != nil {
			t.Fatalf("%q: %v", argv, err)
		}
	}
	run("new-session", "-d", "-s", "r", "-x", "80", "-y", "23", "exec cat >/dev/null")
	reused := attachTestClient(t, s, "r", "reused")
	fresh := attachTestClient(t, s, "r", "fresh")
	var pane *Pane
	s.mu.Lock()
	for _, ss := range s.sessions {
		pane = ss.current.active
	}
	s.mu.Unlock()
	// The window's automatic name follows the program: let it settle,
	// so that both clients' frames read the same.
	settled := func(p *Pane, name string) {
		t.Helper()
		eventually(t, "the pane running "+name, func() bool {
			n, err := p.proc.Load().ForegroundName()
			return err == nil && n == name
		})
	}
	settled(pane, "cat")

	skew := time.Duration(0) // the loop's clock, ahead of the wall clock's
	// frame composes both clients' frames, checks they are the same, and
	// returns the status line.
	step := 0
	frame := func(what string) string {
		t.Helper()
		step++
		now := time.Now().Add(skew)
		// The fresh client forgets everything it kept.
		fresh.composer = compose.Composer{}
		fresh.mouseWin, fresh.mouseSession = nil, nil
		fresh.wins = nil
		if _, ok := reused.compose(now); !ok {
			t.Fatalf("step %d (%s): the reused client's session is gone", step, what)
		}
		if _, ok := fresh.compose(now); !ok {
			t.Fatalf("step %d (%s): the fresh client's session is gone", step, what)
		}
		got, want := reused.tr.Current().Screen(), fresh.tr.Current().Screen()
		if !got.FrameEqual(want) {
			t.Fatalf("step %d (%s): the frame composed with reuse differs from a fresh one:\n%s\nwant\n%s",
				step, what, vttest.Dump(got), vttest.Dump(want))
		}
		return rowText(got, 23)
	}
	expect := func(status, want string) {
		t.Helper()
		if !strings.Contains(status, want) {
			t.Fatalf("step %d: status line %q, want %q in it", step, status, want)
		}
	}
	expectNot := func(status, unwanted string) {
		t.Helper()
		if strings.Contains(status, unwanted) {
			t.Fatalf("step %d: status line %q still shows %q", step, status, unwanted)
		}
	}

	st := frame("first frame")
	expect(st, "0:cat*")
	expect(st, "22:14 24-Nov-26")
	for i := range 5 {
		echoOutput(pane, i+1)
		frame("typing")
	}
	if got := rowText(reused.tr.Current().Screen(), 0); !strings.HasPrefix(got, "xxxxx") {
		t.Fatalf("row 0 = %q, want the typed keys", got)
	}

	clk.add(30 * time.Second) // 22:14:35: the same minute
	expect(frame("clock, same minute"), "22:14 24-Nov-26")
	clk.add(30 * time.Second) // 22:15:05
	st = frame("clock, next minute")
	expect(st, "22:15 24-Nov-26")
	expectNot(st, "22:14")
	clk.add(-2 * time.Minute) // the wall clock set back
	expect(frame("clock set back"), "22:13 24-Nov-26")
	clk.add(2*time.Hour + 2*time.Minute) // 00:15 the next day
	expect(frame("clock, next day"), "00:15 25-Nov-26")

	run("rename-window", "-t", "r:0", "editor")
	expect(frame("rename"), "0:editor*")
	run("new-window", "-d", "-t", "r:1", "-n", "logs", "exec cat >/dev/null")
	st = frame("new window")
	expect(st, "0:editor*")
	expect(st, "1:logs")
	run("select-window", "-t", "r:1")
	st = frame("select window")
	expect(st, "0:editor-")
	expect(st, "1:logs*")
	// Output of the panes on show wakes the client, and only theirs.
	wakes := func(p *Pane) bool {
		p.mu.Lock()
		defer p.mu.Unlock()
		_, ok := p.watchers[reused.wake]
		return ok
	}
	var logs *Pane
	s.mu.Lock()
	for _, ss := range s.sessions {
		logs = ss.current.active
	}
	s.mu.Unlock()
	if !wakes(logs) || wakes(pane) {
		t.Fatalf("after select-window, window 1's pane wakes the client: %v, window 0's: %v; want true, false",
			wakes(logs), wakes(pane))
	}
	run("split-window", "-d", "-t", "r:1", "exec cat >/dev/null")
	frame("split")
	run("rename-window", "-t", "r:1", "tail")
	expect(frame("rename the current window"), "1:tail*")
	run("select-window", "-t", "r:0")
	expect(frame("back to window 0"), "0:editor*")
	if wakes(logs) || !wakes(pane) {
		t.Fatalf("back in window 0, window 1's pane wakes the client: %v, window 0's: %v; want false, true",
			wakes(logs), wakes(pane))
	}
	run("new-window", "-d", "-t", "r:5", "-n", "five", "exec cat >/dev/null")
	st = frame("window 5")
	expect(st, "1:tail")
	expect(st, "5:five")
	run("swap-window", "-s", "r:1", "-t", "r:5")
	st = frame("swap windows 1 and 5")
	expect(st, "1:five")
	expect(st, "5:tail")
	run("move-window", "-s", "r:5", "-t", "r:3")
	st = frame("move window 5 to 3")
	expect(st, "1:five")
	expect(st, "3:tail")
	if i1, i3 := strings.Index(st, "1:five"), strings.Index(st, "3:tail"); i1 > i3 {
		t.Fatalf("status line %q: window 3 listed before window 1", st)
	}
	run("kill-window", "-t", "r:1")
	run("kill-window", "-t", "r:3")
	st = frame("kill windows")
	expectNot(st, "tail")
	expectNot(st, "five")
	expect(st, "0:editor*")

	s.mu.Lock()
	reused.showMessageLocked("hello there", 1000)
	fresh.showMessageLocked("hello there", 1000)
	s.mu.Unlock()
	expect(frame("message"), "hello there")
	echoOutput(pane, 6)
	expect(frame("typing under a message"), "hello there")
	skew += 2 * time.Second
	st = frame("message gone")
	expectNot(st, "hello there")
	expect(st, "0:editor*")

	mouse := func() bool { return reused.tr.Current().Screen().Modes().Mouse != 0 }
	frame("mouse off")
	if mouse() {
		t.Fatal("the frame asks for mouse reports with the mouse option off")
	}
	run("set-option", "-g", "mouse", "on")
	frame("mouse on")
	if !mouse() {
		t.Fatal("the frame asks for no mouse reports after set-option -g mouse on")
	}
	run("set-option", "-w", "-t", "r:0", "mouse", "off")
	frame("mouse off for the window")
	if mouse() {
		t.Fatal("the frame asks for mouse reports after set-option -w mouse off")
	}
	run("set-option", "-w", "-u", "-t", "r:0", "mouse")
	frame("window's mouse unset")
	if !mouse() {
		t.Fatal("the frame asks for no mouse reports once the window's mouse option is unset")
	}
	run("new-window", "-d", "-t", "r:2", "-n", "two", "exec cat >/dev/null")
	run("select-window", "-t", "r:2")
	frame("a new window, mouse on globally")
	if !mouse() {
		t.Fatal("a new window's frame asks for no mouse reports with mouse on globally")
	}
}

// factsHooks records the status facts its clients' sources are given.
type factsHooks struct {
	mu   sync.Mutex
	last StatusFacts
}

func (h *factsHooks) ClientStatus(f StatusFacts, _ func()) StatusSource {
	h.record(f)
	return factsSource{h}
}
func (*factsHooks) Authorize(context.Context, AuthRequest) AuthDecision {
	return AuthDecision{Verdict: AuthAllow}
}
func (*factsHooks) Answer(context.Context, AuthRequest, string, string) AuthDecision {
	return AuthDecision{Verdict: AuthAllow}
}
func (h *factsHooks) record(f StatusFacts) {
	h.mu.Lock()
	h.last = f
	h.mu.Unlock()
}
func (h *factsHooks) facts() StatusFacts {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.last
}

type factsSource struct{ h *factsHooks }

func (s factsSource) Update(f StatusFacts)              { s.h.record(f) }
func (factsSource) Status() ([]compose.Segment, string) { return nil, "" }
func (factsSource) Close()                              {}

// TestStatusFactsNameWhatHasFocus: the plugins' status facts name the
// session, window and pane the client shows ("$1", "@2", "%3"), frame
// after frame, as focus moves between windows and panes.
func TestStatusFactsNameWhatHasFocus(t *testing.T) {
	h := &factsHooks{}
	s := NewServer(Config{Shell: "/bin/sh", Env: testEnv, Hooks: h})
	t.Cleanup(func() { s.Close() })
	run := func(argv ...string) {
		t.Helper()
		if err := s.Run(context.Background(), Client{Stdout: &bytes.Buffer{}, Cwd: "/"}, argv); err != nil {
			t.Fatalf("%q: %v", argv, err)
		}
	}
	run("new-session", "-d", "-s", "f", "-x", "80", "-y", "23", "exec cat >/dev/null")
	c := attachTestClient(t, s, "f", "facts")
	check := func(what string) {
		t.Helper()
		if _, ok := c.compose(time.Now()); !ok {
			t.Fatalf("%s: the session is gone", what)
		}
		s.mu.Lock()
		ss := c.session
		want := [3]string{"$" + strconv.Itoa(ss.id), "@" + strconv.Itoa(ss.current.id), "%" + strconv.Itoa(ss.current.active.id)}
		s.mu.Unlock()
		f := h.facts()
		if got := [3]string{f.SessionID, f.WindowID, f.PaneID}; got != want {
			t.Fatalf("%s: the facts name %q, want %q", what, got, want)
		}
	}
	check("first frame")
	check("second frame")
	run("new-window", "-t", "f:1", "exec cat >/dev/null")
	check("new window")
	run("split-window", "-t", "f:1", "exec cat >/dev/null")
	check("split")
	run("select-pane", "-t", "f:1.0")
	check("other pane")
	run("select-window", "-t", "f:0")
	check("back to window 0")
}
