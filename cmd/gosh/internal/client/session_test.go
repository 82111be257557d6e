package client

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/gdamore/tcell/v2"

	"github.com/goshterm/gosh/mux/statesync"
	"github.com/goshterm/gosh/predict"
	"github.com/goshterm/gosh/ssp"
	"github.com/goshterm/gosh/ssp/conn/conntest"
)

// The tests in this file run the whole client — tcell SimulationScreen,
// event loop, prediction engine, SSP transport — against a real server
// Transport over an in-process network with a 500 ms one-way delay, inside
// a synctest bubble: time is fake, so "at once" means "before the clock
// moved at all", and a second of round trip costs nothing.

// hostMode is what the fake host application does with keystrokes.
type hostMode int

const (
	hostEcho   hostMode = iota // writes them back, as a shell's line editor
	hostSilent                 // swallows them, as a password prompt
	hostUpper                  // echoes letters in upper case: every guess is wrong
)

// fakeHost is a server: an SSP server Transport whose frame is written by a
// scripted host application instead of a pty.
type fakeHost struct {
	tr   *ssp.Transport[*statesync.Frame, *statesync.UserStream]
	mode hostMode

	mu      sync.Mutex
	keys    []byte
	resizes [][2]int

	echo statesync.EchoAcker
}

// sessionConfig describes one session.
type sessionConfig struct {
	delay   time.Duration // one-way
	mode    predict.Mode
	host    hostMode
	pane    *statesync.Pane // nil: a stock mosh-server (no gosh facts)
	prompt  string
	noHost  bool // nothing listens: the client never connects
	timeout time.Duration
	noQueue bool // the Screen has no EventQ: events come through ChannelEvents
	// heuristic, when set, is the client's Config.Heuristic; it is given
	// the session's network, to look at what has been sent.
	heuristic func(*conntest.Network) predict.Heuristic
}

// queueless hides the simulation's EventQ (only tcell.Screen's methods
// remain), as a Screen implementation of someone else's might.
type queueless struct{ tcell.Screen }

// lockedScreen makes Show exclusive with the test's reads: tcell's
// SimulationScreen hands out its displayed cells without a copy.
type lockedScreen struct {
	tcell.SimulationScreen
	mu *sync.Mutex
}

func (l lockedScreen) Show() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.SimulationScreen.Show()
}

func (l lockedScreen) Sync() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.SimulationScreen.Sync()
}

// EventQ lets the client read the simulation's event queue directly, as
// it does a terminal's.
func (l lockedScreen) EventQ() chan tcell.Event {
	return l.SimulationScreen.(interface{ EventQ() chan tcell.Event }).EventQ()
}

// session is a running client and server.
type session struct {
	t      *testing.T
	mu     sync.Mutex // held while the client shows a frame and while the test reads it
	scr    tcell.SimulationScreen
	host   *fakeHost
	net    *conntest.Network
	done   chan error
	cancel context.CancelFunc
}

func startSession(t *testing.T, sc sessionConfig) *session {
	t.Helper()
	key, err := ssp.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	nw := conntest.NewNetwork(conntest.RealTime{}, 1)
	nw.SetLinks(conntest.Link{Delay: sc.delay}, conntest.Link{Delay: sc.delay})
	sconn := nw.Listen(60001)
	ctx, cancel := context.WithCancel(context.Background())
	s := &session{t: t, net: nw, done: make(chan error, 1), cancel: cancel}
	hostDone := make(chan struct{})
	t.Cleanup(func() {
		// Stop whatever still runs, so that a failed test ends cleanly.
		cancel()
		<-hostDone
	})

	if !sc.noHost {
		frame := statesync.NewFrame(80, 24)
		tr, err := ssp.New(ssp.Config[*statesync.Frame, *statesync.UserStream]{
			Role: ssp.Server, Key: key, Conn: sconn, Local: frame, Remote: statesync.NewUserStream(),
		})
		if err != nil {
			t.Fatal(err)
		}
		if sc.pane != nil {
			tr.Current().SetGoshVersion(statesync.ProtocolVersion)
			tr.Current().SetPane(*sc.pane)
		}
		tr.Current().Screen().Write([]byte(sc.prompt))
		s.host = &fakeHost{tr: tr, mode: sc.host}
		go func() {
			defer close(hostDone)
			s.host.run(ctx)
		}()
	} else {
		sconn.Close()
		close(hostDone)
	}

	s.scr = tcell.NewSimulationScreen("UTF-8")
	s.scr.SetSize(80, 24)
	var scr tcell.Screen = lockedScreen{s.scr, &s.mu}
	if sc.noQueue {
		scr = queueless{scr}
	}
	var h predict.Heuristic
	if sc.heuristic != nil {
		h = sc.heuristic(nw)
	}
	go func() {
		s.done <- Run(ctx, Config{
			Server: sconn.LocalAddr(), Key: key, Screen: scr, Network: nw,
			Predict: sc.mode, ConnectTimeout: sc.timeout, Heuristic: h,
			Suspend: func() bool { return false },
		})
	}()
	return s
}

// run is the fake server's loop: consume keystrokes, answer them as the
// host mode says, keep the echo ack, ack the client's shutdown.
func (h *fakeHost) run(ctx context.Context) {
	runCtx, stop := context.WithCancel(context.Background())
	runErr := make(chan error, 1)
	go func() { runErr <- h.tr.Run(runCtx) }()
	defer func() {
		stop()
		<-runErr
	}()
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-h.tr.Changed():
			h.tr.Do(ctx, h.consume)
		case <-tick.C:
			h.tr.Do(ctx, func() {
				now := time.Now()
				if ack, changed := h.echo.Update(now); changed {
					h.tr.Current().SetEchoAck(ack)
				}
				if h.tr.RemoteShutdown() {
					h.tr.Tick(now)
				}
			})
		}
	}
}

func (h *fakeHost) consume() {
	if h.tr.RemoteShutdown() {
		return
	}
	num := h.tr.RemoteNum()
	diff := h.tr.RemoteDiff()
	var u statesync.UserStream
	if len(diff) == 0 || u.Apply(diff) != nil {
		return
	}
	evs, _ := u.EventsSince(0)
	if len(evs) == 0 {
		return
	}
	h.echo.Arrived(num, time.Now())
	scr := h.tr.Current().Screen()
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, e := range evs {
		if e.IsResize() {
			scr.Resize(e.Width, e.Height)
			h.resizes = append(h.resizes, [2]int{e.Width, e.Height})
			continue
		}
		h.keys = append(h.keys, e.Keys...)
		switch h.mode {
		case hostEcho:
			scr.Write(e.Keys)
		case hostUpper:
			scr.Write([]byte(strings.ToUpper(string(e.Keys))))
		}
	}
}

func (h *fakeHost) received() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return string(h.keys)
}

// row returns the text of a row of the simulated screen.
func (s *session) row(y int) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	cells, w, _ := s.scr.GetContents()
	var b strings.Builder
	for x := range w {
		c := cells[y*w+x]
		if len(c.Runes) == 0 {
			b.WriteByte(' ')
			continue
		}
		b.WriteString(string(c.Runes))
	}
	return strings.TrimRight(b.String(), " ")
}

// cell returns the simulated screen's cell.
func (s *session) cell(x, y int) tcell.SimCell {
	s.mu.Lock()
	defer s.mu.Unlock()
	cells, w, _ := s.scr.GetContents()
	return cells[y*w+x]
}

// waitRow waits (in fake time) until row y satisfies ok.
func (s *session) waitRow(y int, what string, ok func(string) bool) {
	s.t.Helper()
	for range 200 {
		synctest.Wait()
		if ok(s.row(y)) {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	s.t.Fatalf("row %d never became %s; it is %q", y, what, s.row(y))
}

// typeText injects keystrokes and lets the client handle them without the
// clock moving.
func (s *session) typeText(text string) {
	for _, r := range text {
		s.scr.InjectKey(tcell.KeyRune, r, tcell.ModNone)
	}
	synctest.Wait()
}

// stop quits with Ctrl-^ . and waits for Run.
func (s *session) quit() error {
	s.scr.InjectKey(tcell.KeyCtrlCarat, 0, tcell.ModCtrl)
	s.scr.InjectKey(tcell.KeyRune, '.', tcell.ModNone)
	select {
	case err := <-s.done:
		s.cancel()
		return err
	case <-time.After(30 * time.Second):
		s.t.Fatal("client did not exit after Ctrl-^ .")
		return nil
	}
}

// bashPane is the facts of a shell in raw mode (readline) filling the
// screen.
var bashPane = &statesync.Pane{Width: 80, Height: 24, Echo: true, Program: "bash"}

func TestSessionTypingAppearsBeforeTheEcho(t *testing.T) {
	for _, mode := range []predict.Mode{predict.Always, predict.Adaptive} {
		t.Run(mode.String(), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				s := startSession(t, sessionConfig{delay: 500 * time.Millisecond, mode: mode, pane: bashPane, prompt: "$ "})
				s.waitRow(0, "the prompt", func(r string) bool { return r == "$" })
				time.Sleep(2 * time.Second) // let the link settle: SRTT ≈ 1 s
				synctest.Wait()
				start := time.Now()
				s.typeText("ls")
				if got := s.row(0); got != "$ ls" {
					t.Fatalf("right after typing, row 0 = %q, want %q (shown before the server's echo)", got, "$ ls")
				}
				if x, y, vis := s.scr.GetCursor(); x != 4 || y != 0 || !vis {
					t.Errorf("cursor at (%d,%d) visible=%v, want after the guess (4,0)", x, y, vis)
				}
				if time.Since(start) != 0 {
					t.Fatalf("the clock moved while typing")
				}
				if got := s.host.received(); got != "" {
					t.Fatalf("server already has %q: the guess was not local", got)
				}
				s.waitRow(0, "the echo", func(r string) bool { return r == "$ ls" && s.host.received() == "ls" })
				if err := s.quit(); err != nil {
					t.Fatalf("Run: %v", err)
				}
			})
		})
	}
}

// sentAtDecide is a heuristic that answers as Builtin and records how many
// datagrams the client had sent each time it was asked.
type sentAtDecide struct {
	nw   *conntest.Network
	mu   sync.Mutex
	sent []int
}

func (h *sentAtDecide) Decide(k predict.KeyContext) predict.Decision {
	h.mu.Lock()
	h.sent = append(h.sent, h.nw.Counters().UpSent)
	h.mu.Unlock()
	return predict.Builtin{}.Decide(k)
}

// TestSessionKeyLeavesBeforeTheGuess: a keystroke's datagram is on its way
// to the server before the prediction engine (and a predictor plugin,
// which may take milliseconds) looks at it: guessing is never on the
// key's way to the server.
func TestSessionKeyLeavesBeforeTheGuess(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var h *sentAtDecide
		// A fast link: the client sends keys at once (its mindelay is
		// 0 below a 4 ms round trip).
		s := startSession(t, sessionConfig{delay: time.Millisecond, mode: predict.Always, pane: bashPane, prompt: "$ ",
			heuristic: func(nw *conntest.Network) predict.Heuristic {
				h = &sentAtDecide{nw: nw}
				return h
			}})
		s.waitRow(0, "the prompt", func(r string) bool { return r == "$" })
		time.Sleep(time.Second)
		synctest.Wait()
		before := s.net.Counters().UpSent
		s.typeText("l")
		h.mu.Lock()
		sent := slices.Clone(h.sent)
		h.mu.Unlock()
		if len(sent) == 0 {
			t.Fatal("the heuristic was never asked about the key")
		}
		if got := sent[len(sent)-1]; got <= before {
			t.Errorf("the heuristic was asked with %d datagrams sent, as many as before the key (%d): the key waited for the guess", got, before)
		}
		if got := s.row(0); got != "$ l" {
			t.Errorf("row 0 = %q, want the guess %q", got, "$ l")
		}
		if err := s.quit(); err != nil {
			t.Fatalf("Run: %v", err)
		}
	})
}

// TestSessionScreenWithoutEventQueue: a Screen without tcell's EventQ
// still gets its keys to the server (through ChannelEvents).
func TestSessionScreenWithoutEventQueue(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := startSession(t, sessionConfig{delay: 10 * time.Millisecond, mode: predict.Never, pane: bashPane, prompt: "$ ", noQueue: true})
		s.waitRow(0, "the prompt", func(r string) bool { return r == "$" })
		s.typeText("ls")
		s.waitRow(0, "the echo", func(r string) bool { return r == "$ ls" && s.host.received() == "ls" })
		if err := s.quit(); err != nil {
			t.Fatal(err)
		}
	})
}

func TestSessionPasswordPromptShowsNothing(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		pane := &statesync.Pane{Width: 80, Height: 24, ICANON: true, Echo: false, Program: "sudo"}
		s := startSession(t, sessionConfig{delay: 500 * time.Millisecond, mode: predict.Always, host: hostSilent, pane: pane, prompt: "Password: "})
		s.waitRow(0, "the prompt", func(r string) bool { return r == "Password:" })
		time.Sleep(2 * time.Second)
		s.typeText("hunter2")
		if got := s.row(0); got != "Password:" {
			t.Fatalf("password prompt shows %q while typing", got)
		}
		time.Sleep(3 * time.Second) // the keys reached the host, which shows nothing
		synctest.Wait()
		if got := s.row(0); got != "Password:" || s.host.received() != "hunter2" {
			t.Fatalf("after the round trip row 0 = %q, host got %q", got, s.host.received())
		}
		if err := s.quit(); err != nil {
			t.Fatal(err)
		}
	})
}

func TestSessionWrongGuessIsRepaired(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := startSession(t, sessionConfig{delay: 500 * time.Millisecond, mode: predict.Always, host: hostUpper, pane: bashPane, prompt: "$ "})
		s.waitRow(0, "the prompt", func(r string) bool { return r == "$" })
		time.Sleep(2 * time.Second)
		s.typeText("x")
		if got := s.row(0); got != "$ x" {
			t.Fatalf("guess not shown: row 0 = %q", got)
		}
		typed := time.Now()
		s.waitRow(0, "the server's text", func(r string) bool { return r == "$ X" })
		// One round trip (1 s) plus the echo ack's 50 ms and frame pacing.
		if d := time.Since(typed); d > 1500*time.Millisecond {
			t.Errorf("wrong guess stayed %v", d)
		}
		if err := s.quit(); err != nil {
			t.Fatal(err)
		}
	})
}

func TestSessionMoshServerWaitsForConfirmation(t *testing.T) {
	// No gosh facts: the client behaves as mosh-client, whose first
	// keystroke of a burst waits for the server to confirm the epoch.
	synctest.Test(t, func(t *testing.T) {
		s := startSession(t, sessionConfig{delay: 500 * time.Millisecond, mode: predict.Always, prompt: "$ "})
		s.waitRow(0, "the prompt", func(r string) bool { return r == "$" })
		time.Sleep(2 * time.Second)
		s.typeText("a")
		if got := s.row(0); got != "$" {
			t.Fatalf("first key of a burst shown before confirmation: %q", got)
		}
		s.waitRow(0, "the echo", func(r string) bool { return r == "$ a" })
		time.Sleep(time.Second) // the echo ack that confirms the epoch
		s.typeText("b")         // the epoch is confirmed now: instant
		if got := s.row(0); got != "$ ab" {
			t.Fatalf("after confirmation, row 0 = %q, want %q", got, "$ ab")
		}
		if err := s.quit(); err != nil {
			t.Fatal(err)
		}
	})
}

func TestSessionEscapeKey(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := startSession(t, sessionConfig{delay: 10 * time.Millisecond, mode: predict.Never, host: hostSilent, pane: bashPane, prompt: "$ "})
		s.waitRow(0, "the prompt", func(r string) bool { return r == "$" })
		s.scr.InjectKey(tcell.KeyCtrlCarat, 0, tcell.ModCtrl)
		synctest.Wait()
		if got := s.row(0); !strings.Contains(got, `"^" gives literal Ctrl-^`) {
			t.Errorf("while the escape key waits, the bar says %q", got)
		}
		s.scr.InjectKey(tcell.KeyRune, '^', tcell.ModNone)
		s.typeText("z")
		time.Sleep(time.Second)
		synctest.Wait()
		if got := s.host.received(); got != "\x1ez" {
			t.Errorf("Ctrl-^ ^ z sent %q, want %q", got, "\x1ez")
		}
		if got := s.row(0); got != "$" {
			t.Errorf("bar still up: %q", got)
		}
		done := make(chan struct{})
		go func() {
			if err := s.quit(); err != nil {
				t.Errorf("Run after Ctrl-^ .: %v", err)
			}
			close(done)
		}()
		<-done
		if strings.Contains(s.host.received(), ".") {
			t.Errorf("the quit key reached the server: %q", s.host.received())
		}
	})
}

func TestSessionNoticeBarAfterSilence(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := startSession(t, sessionConfig{delay: 10 * time.Millisecond, mode: predict.Never, pane: bashPane, prompt: "$ "})
		s.waitRow(0, "the prompt", func(r string) bool { return r == "$" })
		s.net.SetLinks(conntest.Link{Down: true}, conntest.Link{Down: true})
		time.Sleep(5 * time.Second)
		synctest.Wait()
		if got := s.row(0); got != "$" {
			t.Fatalf("bar shown after 5 s of silence: %q", got)
		}
		time.Sleep(7 * time.Second)
		synctest.Wait()
		got := s.row(0)
		if !strings.HasPrefix(got, "gosh: last contact 1") || !strings.HasSuffix(got, " s ago — Ctrl-^ . to quit") {
			t.Fatalf("after 12 s of silence row 0 = %q", got)
		}
		if c := s.cell(0, 0); c.Style != tcell.StyleDefault.Foreground(tcell.PaletteColor(7)).Background(tcell.PaletteColor(4)).Bold(true) {
			t.Errorf("bar style %v, want bold white on blue", c.Style)
		}
		s.net.SetLinks(conntest.Link{Delay: 10 * time.Millisecond}, conntest.Link{Delay: 10 * time.Millisecond})
		s.waitRow(0, "the prompt again", func(r string) bool { return r == "$" })
		if err := s.quit(); err != nil {
			t.Fatal(err)
		}
	})
}

func TestSessionNeverConnects(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := startSession(t, sessionConfig{noHost: true, mode: predict.Adaptive})
		time.Sleep(time.Second)
		synctest.Wait()
		if got := s.row(0); !strings.HasPrefix(got, "gosh: connecting to 10.0.0.1:60001 (waiting for the server's first reply)") {
			t.Errorf("while connecting row 0 = %q", got)
		}
		err := <-s.done
		s.cancel()
		if !errors.Is(err, ErrNoConnection) || !strings.Contains(err.Error(), "UDP port 60001") {
			t.Fatalf("Run = %v, want ErrNoConnection naming UDP port 60001", err)
		}
	})
}

func TestSessionResizeReachesServer(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := startSession(t, sessionConfig{delay: 10 * time.Millisecond, mode: predict.Never, pane: bashPane, prompt: "$ "})
		s.waitRow(0, "the prompt", func(r string) bool { return r == "$" })
		s.scr.SetSize(100, 30)
		s.scr.PostEvent(tcell.NewEventResize(100, 30))
		time.Sleep(time.Second)
		synctest.Wait()
		s.host.mu.Lock()
		rs := append([][2]int(nil), s.host.resizes...)
		s.host.mu.Unlock()
		if len(rs) == 0 || rs[len(rs)-1] != [2]int{100, 30} {
			t.Fatalf("server saw resizes %v, want last 100×30", rs)
		}
		if err := s.quit(); err != nil {
			t.Fatal(err)
		}
	})
}
