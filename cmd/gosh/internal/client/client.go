package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/netip"
	"os"
	"os/signal"
	"runtime"
	"sync"
	"syscall"
	"time"

	"github.com/gdamore/tcell/v2"

	"github.com/goshterm/gosh/mux/statesync"
	"github.com/goshterm/gosh/predict"
	"github.com/goshterm/gosh/ssp"
	"github.com/goshterm/gosh/ssp/conn"
	"github.com/goshterm/gosh/vt"
)

// ConnectTimeout is how long the client waits for the server's first
// state before giving up (mosh-client: 15 s, mosh-protocol.md §10).
const ConnectTimeout = 15 * time.Second

// Loop timings.
const (
	// shutdownPoll is how often the loop checks the shutdown handshake.
	shutdownPoll = 50 * time.Millisecond
	// quitLimit bounds the wait for the server's shutdown ack beyond the
	// transport's own limit (16 tries or 10 s), in case the loop is
	// starved.
	quitLimit = 12 * time.Second
	// maxIdle is the longest the loop sleeps; it bounds the damage of a
	// missed wake-up.
	maxIdle = time.Second
	// maxPasteChunk: a long paste is sent in pieces of this size, so that
	// the user stream never holds one huge event.
	maxPasteChunk = 64 << 10
	// maxBatch bounds the tcell events handled before a redraw.
	maxBatch = 256
	// hupGrace is how long after being continued the client looks for
	// the SIGHUP of a hangup, in case the runtime hands the two signals
	// on out of order.
	hupGrace = 10 * time.Millisecond
)

// Errors.
var (
	// ErrNoConnection is returned (wrapped, with the address and the UDP
	// port to check) when the server never answered.
	ErrNoConnection = errors.New("client: no answer from the server")
	// ErrNotTerminal is returned when Config.In is not a terminal.
	ErrNotTerminal = errors.New("client: stdin is not a terminal")
	// ErrUncleanShutdown is returned when the server never acknowledged
	// the user's quit (mosh: "did not shut down cleanly").
	ErrUncleanShutdown = errors.New("client: the server did not acknowledge the shutdown; it may still be running")
)

// Config configures Run.
type Config struct {
	Server netip.AddrPort
	Key    ssp.Key
	// In and Out are the user's terminal. In must be a terminal unless
	// Screen is set.
	In     *os.File
	Out    io.Writer
	Logger *slog.Logger

	// Predict is the prediction mode (mosh's --predict and
	// MOSH_PREDICTION_DISPLAY); the zero value is adaptive.
	Predict predict.Mode
	// PredictOverwrite is mosh's --predict-overwrite.
	PredictOverwrite bool
	// Heuristic refines the prediction engine's decisions; nil is
	// predict.Builtin.
	Heuristic predict.Heuristic
	// Escape is the escape key; the zero value is Ctrl-^.
	Escape EscapeKey
	// ConnectTimeout overrides ConnectTimeout when positive.
	ConnectTimeout time.Duration
	// StatsFile, when set, receives the prediction statistics as JSON when
	// the client exits.
	StatsFile string

	// Screen, when set, is drawn on instead of the terminal In/Out (tests
	// pass a tcell SimulationScreen). Run calls its Init and Fini.
	Screen tcell.Screen
	// Network opens the client's sockets; nil means UDP.
	Network conn.Network
	// Local, when set, is the client's one socket: an in-memory link to
	// its endpoint in the same process (a client the daemon hosts).
	// Network is then unused (the client never hops ports), and Server
	// is only a name.
	Local *conn.LocalConn
	// Early, when set with Local, hands the client each frame its server
	// composes before the frame comes through Local, for it to draw
	// then (early.go).
	Early EarlySource
	// Notice, when set, is polled whenever the client renders; a
	// non-empty result is shown in the notice bar while the bar has
	// nothing else to say (gosh attach: "on the slower ssh fallback; open
	// UDP ports …"). It must be cheap and safe for concurrent use.
	Notice func() string
	// Clock is the transport's and the loop's clock; nil means the system
	// clock.
	Clock conn.Clock
	// Suspend is called for Ctrl-^ Ctrl-Z after the terminal has been
	// given back and returns once the user wants it again; hungUp says
	// that the terminal was hung up meanwhile, and the client then ends.
	// nil stops the process group (SIGSTOP) and returns when it is
	// continued.
	Suspend func() (hungUp bool)

	// The fields below let the daemon run the client for a local gosh
	// that passed it its terminal (cmd/gosh/internal/cli, hosted.go):
	// the process's environment and signals are then the daemon's, not
	// the user's.

	// Term is the terminal's terminfo name; "" means $TERM.
	Term string
	// Resize, when set, says that the terminal's size may have changed,
	// in place of SIGWINCH (which goes to the terminal's foreground
	// process group, not to a daemon holding the terminal).
	Resize <-chan struct{}
	// NoSignals leaves the process's signals alone: Run does not end on
	// SIGTERM, SIGINT, SIGHUP or SIGPIPE; ctx ends it.
	NoSignals bool
}

// Run connects to the server and runs the front end until the user quits
// (Ctrl-^ .), the server shuts down, the terminal goes away, a signal
// (TERM, INT, HUP, PIPE) arrives or ctx is done; each of these runs the SSP
// shutdown handshake first. The terminal is restored before Run returns,
// also when it panics.
func Run(ctx context.Context, cfg Config) error {
	scr := cfg.Screen
	// The raw loop (rawloop_linux.go) needs the terminal's and the
	// sockets' descriptors and the system clock; tests that simulate any
	// of them get the select loop, and so does every system but Linux
	// (haveRawLoop).
	var rawTTY *tty
	var rawNet *rawNetwork
	if scr == nil {
		if cfg.In == nil {
			return ErrNotTerminal
		}
		t, err := newTTY(cfg.In, cfg.Out)
		if err != nil {
			return err
		}
		t.resize = cfg.Resize
		if cfg.Network == nil && cfg.Clock == nil && haveRawLoop {
			t.external = true
			rawTTY, rawNet = t, &rawNetwork{}
			if cfg.Local == nil {
				cfg.Network = rawNet
			}
		}
		s, err := newTerminalScreen(t, cfg.Term)
		if err != nil {
			return fmt.Errorf("client: terminal: %w", err)
		}
		scr = s
	}
	if err := scr.Init(); err != nil {
		return fmt.Errorf("client: terminal: %w", err)
	}
	defer scr.Fini()
	scr.EnablePaste()
	scr.SetCursorStyle(tcell.CursorStyleDefault)

	var pc conn.PacketConn
	network := cfg.Network
	if cfg.Local != nil {
		pc, network = cfg.Local, nil
	} else {
		if network == nil {
			network = conn.UDPNetwork{}
		}
		var err error
		if pc, err = network.ListenPacket(cfg.Server); err != nil {
			return fmt.Errorf("client: %w", err)
		}
	}
	cols, rows := scr.Size()
	tr, err := ssp.New(ssp.Config[*statesync.UserStream, *statesync.Frame]{
		Role: ssp.Client, Key: cfg.Key, Conn: pc, Peer: cfg.Server, Network: network,
		Local: statesync.NewUserStream(), Remote: statesync.NewFrame(cols, rows),
		Clock: cfg.Clock, Logger: cfg.Logger,
	})
	if err != nil {
		pc.Close()
		return err
	}
	// The first thing the server learns is our size.
	tr.Current().PushResize(cols, rows)
	f := newFront(cfg, scr, tr, cols, rows)
	if rawTTY != nil {
		f.r.out = rawTTY
		err = f.runRaw(ctx, rawTTY, rawNet)
	} else {
		err = f.run(ctx)
	}
	if cfg.StatsFile != "" {
		f.guess() // keys typed just before the end count too
		if werr := writeStats(cfg.StatsFile, f.eng.Stats()); werr != nil && err == nil {
			err = werr
		}
	}
	return err
}

// writeStats writes the prediction counters as JSON, for benchmarks.
func writeStats(path string, s predict.Stats) error {
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("client: stats: %w", err)
	}
	return nil
}

// front is the client's event loop. One goroutine (run) owns the screen,
// the replica, the prediction engine and the transport: it selects on
// tcell's event queue, the transport's Inbox, signals and one timer, and
// calls the transport's Tick, ReceivePacket and WaitTime itself, so that a
// key reaches the socket, and a datagram the screen, with no hand-off to
// another goroutine.
type front struct {
	cfg   Config
	scr   tcell.Screen
	tr    *ssp.Transport[*statesync.UserStream, *statesync.Frame]
	eng   *predict.Engine
	r     *renderer
	clock conn.Clock
	log   *slog.Logger

	// The replica: the newest server frame and what came with it. fb is
	// the transport's own copy of the frame (received states are never
	// changed once they are in), so it is read-only here.
	fb        *vt.Screen
	remoteNum uint64
	echoAck   uint64
	gosh      bool // the server speaks gosh's extensions
	connected bool
	lastHeard time.Time
	start     time.Time

	cols, rows int // the size last sent to the server

	esc     escapeFilter
	mouse   mouseState
	pasting bool
	paste   []byte
	keyBuf  []byte
	sendBuf []byte
	// typed holds the keystrokes pushed since the last Tick, each send's
	// bytes ending at typedEnds, for the prediction engine: it judges
	// them after Tick has sent them (guess), so that its work is not on
	// the key's way to the server.
	typed      []byte
	typedEnds  []int
	typedFrame uint64
	sendErrors uint64
	msg        string
	msgUntil   time.Time

	dirty      bool
	lastNotice string
	quitting   bool
	quitAt     time.Time
	remoteQuit bool // the server shut down; waiting for our ack to go out
	gone       bool // the terminal is gone: draw nothing
	done       bool
	result     error

	// The early draw (early.go). loopMu is held by the raw loop except
	// while it waits; early is the last frame drawn early (nil: none,
	// or the screen has moved on), drawn after the transport had sent
	// states up to earlySent; the states from there up to earlyNum
	// hold it (0: none known).
	loopMu    sync.Mutex
	early     *vt.Screen
	earlySent uint64
	earlyNum  uint64
}

func newFront(cfg Config, scr tcell.Screen, tr *ssp.Transport[*statesync.UserStream, *statesync.Frame], cols, rows int) *front {
	clock := cfg.Clock
	if clock == nil {
		clock = conn.SystemClock{}
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	fb := vt.NewScreen(cols, rows)
	fb.SetScrollbackLimit(0)
	return &front{
		cfg: cfg, scr: scr, tr: tr, clock: clock, log: log,
		eng: predict.New(predict.Config{Mode: cfg.Predict, Overwrite: cfg.PredictOverwrite, Heuristic: cfg.Heuristic}),
		r:   newTermRenderer(scr, cfg.Term),
		fb:  fb, cols: cols, rows: rows,
		esc:   newEscapeFilter(cfg.Escape),
		start: clock.Now(),
		dirty: true,
	}
}

func (f *front) finish(err error) {
	f.done = true
	if f.result == nil {
		f.result = err
	}
}

// loopTimer is the loop's one timer, reset on every pass: with the system
// clock a reused time.Timer (Go ≥ 1.23 timers may be reset without
// draining), with another Config.Clock a fresh timer each time.
type loopTimer struct {
	clock conn.Clock // nil: sys
	sys   *time.Timer
	t     conn.Timer
}

func newLoopTimer(clock conn.Clock) *loopTimer {
	if clock != nil {
		return &loopTimer{clock: clock}
	}
	return &loopTimer{sys: time.NewTimer(maxIdle)}
}

// reset arms the timer for d from now and returns its channel.
func (lt *loopTimer) reset(d time.Duration) <-chan time.Time {
	if lt.sys != nil {
		lt.sys.Reset(d)
		return lt.sys.C
	}
	if lt.t != nil {
		lt.t.Stop()
	}
	lt.t = lt.clock.NewTimer(d)
	return lt.t.C()
}

func (lt *loopTimer) stop() {
	if lt.sys != nil {
		lt.sys.Stop()
	} else if lt.t != nil {
		lt.t.Stop()
	}
}

func (f *front) run(ctx context.Context) error {
	defer f.tr.Close() // closes the sockets and stops the Inbox's readers
	pkts := f.tr.Inbox()
	events, stopEvents := f.eventQueue()
	defer stopEvents()

	var sigs chan os.Signal
	if f.cfg.Screen == nil && !f.cfg.NoSignals {
		sigs = make(chan os.Signal, 1)
		signal.Notify(sigs, syscall.SIGTERM, syscall.SIGINT, syscall.SIGHUP, syscall.SIGPIPE)
		defer signal.Stop(sigs)
	}
	ctxDone := ctx.Done()
	timer := newLoopTimer(f.cfg.Clock)
	defer timer.stop()
	received := false

	for !f.done {
		now := f.clock.Now()
		wake, ok := f.pass(now, received)
		if !ok {
			break
		}
		received = false
		d := wake.Sub(now)
		if d <= 0 {
			d = time.Microsecond // due already: round the loop without blocking long
		}
		timerC := timer.reset(d)
		select {
		case <-ctxDone:
			ctxDone = nil
			f.quit()
		case sig := <-sigs:
			f.log.Debug("client: signal, shutting down", "signal", sig)
			f.quit()
		case ev, ok := <-events:
			if !ok {
				events = nil
				f.quit()
				break
			}
			f.event(ev)
			// Handle what else is queued (a paste, a burst of typing)
			// before sending and drawing.
		batch:
			for range maxBatch {
				select {
				case ev, ok := <-events:
					if !ok {
						events = nil
						f.quit()
						break batch
					}
					f.event(ev)
				default:
					break batch
				}
			}
		case p := <-pkts:
			f.receive(p)
			received = true
		case <-timerC:
		}
	}
	return f.result
}

// pass is one round of the loop before it waits: the transport's status,
// drawing, sending. It returns when the loop must look again, or false
// when the session is over.
func (f *front) pass(now time.Time, received bool) (time.Time, bool) {
	f.housekeeping(now)
	if f.done {
		return now, false
	}
	// Keys just pushed leave now (the transport's mindelay is 0 on a
	// fast link), before the screen is drawn; a frame just received is
	// drawn before its ack goes out.
	if received {
		f.render(now)
	}
	sent := f.tr.SentNum()
	if err := f.tr.Tick(now); err != nil {
		f.finish(fmt.Errorf("client: transport: %w", err))
		return now, false
	}
	if len(f.typed) > 0 {
		if f.cfg.Local != nil && f.tr.SentNum() != sent {
			// The keys went to the daemon's endpoint in memory, whose
			// loop runs on this P only once this goroutine stops: let
			// it take them to the pane now, and guess while the
			// program answers.
			runtime.Gosched()
		}
		f.guess()
	}
	if !received {
		f.render(now)
	}
	wake := f.nextWake(now)
	if w := f.tr.WaitTime(now); w != ssp.Forever && now.Add(w).Before(wake) {
		wake = now.Add(w)
	}
	return wake, true
}

// eventQueue returns the channel tcell's events arrive on. tcell's screens
// have an EventQ, where its input goroutine posts parsed events; reading
// it here saves the hop through a ChannelEvents goroutine, which is the
// fallback for a Screen without one.
func (f *front) eventQueue() (events <-chan tcell.Event, stop func()) {
	if q, ok := f.scr.(interface{ EventQ() chan tcell.Event }); ok {
		return q.EventQ(), func() {}
	}
	ch := make(chan tcell.Event, 64)
	quit := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		f.scr.ChannelEvents(ch, quit)
	}()
	return ch, func() {
		close(quit)
		<-done
	}
}

// receive hands a datagram, and any others already queued (a window's
// fragments), to the transport, then takes the newest frame.
func (f *front) receive(p ssp.Packet) {
	f.tr.ReceivePacket(f.clock.Now(), p)
	pkts := f.tr.Inbox()
more:
	for range maxBatch {
		select {
		case p := <-pkts:
			f.tr.ReceivePacket(f.clock.Now(), p)
		default:
			break more
		}
	}
	f.newFrame()
}

// housekeeping reads the transport's status: contact time, send errors,
// the shutdown handshake, the connect timeout.
func (f *front) housekeeping(now time.Time) {
	tr := f.tr
	// Any authentic datagram counts as contact (the bar goes at the next
	// one), not only a new state.
	lastHeard := tr.RemoteTime()
	if h := tr.LastHeard(); h.After(lastHeard) {
		lastHeard = h
	}
	sendErrors := tr.Stats().SendErrors
	switch {
	case tr.ShutdownInProgress() && tr.ShutdownAcknowledged():
		f.finish(nil)
	case tr.ShutdownInProgress() && (tr.ShutdownTimedOut(now) || now.Sub(f.quitAt) > quitLimit):
		if f.result == nil && f.connected {
			f.result = ErrUncleanShutdown
		}
		f.finish(nil)
	case tr.RemoteShutdown() && tr.RemoteShutdownAcked():
		f.finish(nil)
	case tr.RemoteShutdown():
		f.remoteQuit = true
		tr.Tick(now) // send the ack of the server's shutdown now
	case tr.RemoteNum() == 0 && !tr.ShutdownInProgress() && now.Sub(f.start) > f.connectTimeout():
		port := f.cfg.Server.Port()
		f.result = fmt.Errorf("%w: nothing came back from %s within %s; check that the server is running and that UDP port %d is not firewalled",
			ErrNoConnection, f.cfg.Server, f.connectTimeout(), port)
		tr.StartShutdown(now)
		f.finish(nil)
	}
	if f.connected {
		f.lastHeard = lastHeard
	}
	if sendErrors > f.sendErrors {
		f.sendErrors = sendErrors
		f.msg = "network error: cannot send to " + f.cfg.Server.String()
		f.msgUntil = now.Add(MessageTime)
	}
}

func (f *front) connectTimeout() time.Duration {
	if f.cfg.ConnectTimeout > 0 {
		return f.cfg.ConnectTimeout
	}
	return ConnectTimeout
}

// quit starts the shutdown handshake (bounded by the transport's 16 tries
// or 10 s, and quitLimit).
func (f *front) quit() {
	if f.quitting {
		return
	}
	f.quitting = true
	f.quitAt = f.clock.Now()
	f.dirty = true
	f.tr.StartShutdown(f.quitAt)
}

// newFrame takes the newest server state, if it is new, as the replica
// and lets the prediction engine judge its guesses against it.
func (f *front) newFrame() {
	tr := f.tr
	num := tr.RemoteNum()
	if num == 0 || num == f.remoteNum {
		return
	}
	f.guess() // keys typed before this frame came are judged against it
	fr := tr.Remote()
	pane, hasPane := fr.Pane()
	proto, _ := fr.GoshVersion()
	now := f.clock.Now()
	f.remoteNum = num
	f.fb = fr.Screen()
	f.echoAck = fr.EchoAck()
	f.gosh = proto > 0
	f.connected = true
	f.lastHeard = tr.RemoteTime()
	f.eng.SetSendInterval(tr.SendInterval())
	f.eng.SetSRTT(tr.SRTT())
	f.eng.SetPane(paneFacts(pane, hasPane, f.fb.Title()))
	f.eng.Cull(now, f.fb, f.echoAck)
	f.dirty = true
}

// paneFacts converts the frame's gosh facts for the engine; a stock
// mosh-server sends none, and the engine then behaves as mosh-client.
// title is the frame's title, which gosh's server sets to the active
// pane's.
func paneFacts(p statesync.Pane, ok bool, title string) predict.PaneFacts {
	if !ok {
		return predict.PaneFacts{}
	}
	return predict.PaneFacts{
		Known:     true,
		Rect:      predict.Rect{X: p.X, Y: p.Y, W: p.Width, H: p.Height},
		Canonical: p.ICANON,
		Echo:      p.Echo,
		Program:   p.Program,
		Title:     title,
	}
}

// event handles one tcell event.
func (f *front) event(ev tcell.Event) {
	switch ev := ev.(type) {
	case *tcell.EventKey:
		if f.pasting {
			f.paste = appendKey(f.paste, ev)
			if len(f.paste) >= maxPasteChunk {
				f.send(f.paste)
				f.paste = f.paste[:0]
			}
			return
		}
		f.key(ev)
	case *tcell.EventPaste:
		f.dirty = true
		if ev.Start() {
			if b := f.esc.cancel(); b != nil {
				f.send(b)
			}
			f.pasting = true
			f.paste = f.paste[:0]
			if f.bracketPaste() {
				f.paste = append(f.paste, "\x1b[200~"...)
			}
			return
		}
		if !f.pasting {
			return
		}
		f.pasting = false
		if f.bracketPaste() {
			f.paste = append(f.paste, "\x1b[201~"...)
		}
		f.send(f.paste)
		f.paste = f.paste[:0]
	case *tcell.EventMouse:
		modes := f.fb.Modes()
		if modes.Mouse == vt.MouseNone {
			return
		}
		b := f.mouse.appendMouse(f.keyBuf[:0], ev, modes, f.gosh)
		if len(b) > 0 {
			if c := f.esc.cancel(); c != nil {
				f.send(c)
			}
			f.send(b)
		}
		f.keyBuf = b[:0]
	case *tcell.EventFocus:
		if f.fb.Modes().FocusEvents {
			if ev.Focused {
				f.send([]byte("\x1b[I"))
			} else {
				f.send([]byte("\x1b[O"))
			}
		}
	case *tcell.EventResize:
		cols, rows := ev.Size()
		f.dirty = true
		if cols == f.cols && rows == f.rows {
			return
		}
		f.cols, f.rows = cols, rows
		f.r.invalidate()
		f.scr.Sync()
		f.guess()
		f.eng.Reset()
		if !f.quitting {
			f.tr.Current().PushResize(cols, rows)
		}
	case *tcell.EventError:
		f.log.Debug("client: terminal", "err", ev.Error())
		f.quit() // the terminal went away (mosh: stdin EOF)
	}
}

// bracketPaste reports whether a paste is wrapped in CSI 200~ … CSI 201~:
// always for gosh's server, which decides per pane; for a stock
// mosh-server, which passes bytes to the application, only when the
// application asked for it (?2004).
func (f *front) bracketPaste() bool { return f.gosh || f.fb.Modes().BracketedPaste }

// key handles a key typed outside a paste.
func (f *front) key(ev *tcell.EventKey) {
	b := appendKey(f.keyBuf[:0], ev)
	f.keyBuf = b[:0]
	if len(b) == 0 {
		return
	}
	wasWaiting := f.esc.waiting
	out, act := f.esc.filter(f.sendBuf[:0], b)
	f.sendBuf = out[:0]
	if wasWaiting != f.esc.waiting {
		f.dirty = true
	}
	switch act {
	case escQuit:
		f.dirty = true
		f.quit()
		return
	case escSuspend:
		f.suspend()
		return
	}
	if len(out) == 1 && out[0] == 0x0c { // Ctrl-L: also repaint the user's terminal
		f.scr.Sync()
		f.dirty = true
	}
	if len(out) > 0 {
		f.send(out)
	}
}

// send queues keystroke bytes for the server and shows the engine's guess
// of their effect.
func (f *front) send(b []byte) {
	if len(b) == 0 || f.quitting {
		return
	}
	f.tr.Current().PushKeys(b)
	if len(f.typed) == 0 {
		f.typedFrame = f.tr.SentNum() + 1
	}
	f.typed = append(f.typed, b...)
	f.typedEnds = append(f.typedEnds, len(f.typed))
}

// guess hands the keystrokes sent since the last guess to the prediction
// engine, each send's bytes as one input, as they were typed. It must run
// before the engine sees a newer frame or draws (newFrame, render) and
// before it is reset.
func (f *front) guess() {
	if len(f.typed) == 0 {
		return
	}
	now := f.clock.Now()
	start := 0
	for _, end := range f.typedEnds {
		f.eng.NewUserInput(now, f.typed[start:end], f.typedFrame, f.fb)
		start = end
	}
	f.typed, f.typedEnds = f.typed[:0], f.typedEnds[:0]
	// Not dirty: a guess shown makes the overlay a new view, which
	// render draws; a key nothing shows for redraws nothing.
}

// suspend gives the terminal back, stops, and takes it again when
// continued (Ctrl-^ Ctrl-Z).
func (f *front) suspend() {
	f.scr.Suspend()
	var hungUp bool
	if f.cfg.Suspend != nil {
		hungUp = f.cfg.Suspend()
	} else {
		if f.cfg.Out != nil {
			io.WriteString(f.cfg.Out, "\r\n[gosh is suspended.]\r\n")
		}
		hungUp = stopSelf()
	}
	if hungUp {
		// Continued by a hangup (SIGHUP, then SIGCONT: the window was
		// closed, or the job was sent them): taking the terminal back
		// would stop us again as a background job (SIGTTOU), or fail.
		f.gone = true
		f.quit()
		return
	}
	if err := f.scr.Resume(); err != nil {
		// The terminal went away while we were stopped (the window was
		// closed: the kernel hangs up the stopped job with SIGHUP and
		// SIGCONT). Nothing can be drawn any more (tcell's Sync would
		// spin over a screen it could not size); end the session.
		f.log.Debug("client: terminal gone after suspend", "err", err)
		f.gone = true
		f.quit()
		return
	}
	f.r.invalidate()
	f.scr.Sync()
	f.dirty = true
	// The window may have changed size while we were stopped.
	if cols, rows := f.scr.Size(); cols != f.cols || rows != f.rows {
		f.event(tcell.NewEventResize(cols, rows))
	}
}

// stopSelf stops the process group, as mosh-client does for Ctrl-^
// Ctrl-Z, and returns once it has been continued. kill(2) may return
// before the group stop has reached every thread of a Go process, so
// returning from it proves nothing; the SIGCONT that ends the stop does.
// It reports whether a SIGHUP came while stopped: a stopped job is hung
// up with SIGHUP and then SIGCONT (POSIX, "_exit": an orphaned process
// group with a stopped member), which the runtime hands on in signal
// number order, so the SIGHUP is already there when the SIGCONT is.
func stopSelf() (hungUp bool) {
	cont := make(chan os.Signal, 1)
	hup := make(chan os.Signal, 1)
	signal.Notify(cont, syscall.SIGCONT)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(cont)
	defer signal.Stop(hup)
	if syscall.Kill(0, syscall.SIGSTOP) == nil {
		<-cont
	}
	t := time.NewTimer(hupGrace)
	defer t.Stop()
	select {
	case <-hup:
		return true
	case <-t.C:
		return false
	}
}

// notice returns the notice bar's state.
func (f *front) notice() noticeState {
	return noticeState{
		Server:       f.cfg.Server,
		Start:        f.start,
		Connected:    f.connected,
		LastHeard:    f.lastHeard,
		Escape:       f.esc.key,
		Waiting:      f.esc.waiting,
		Quitting:     f.quitting,
		Message:      f.msg,
		MessageUntil: f.msgUntil,
	}
}

// render draws the replica with the prediction overlay and the notice bar
// when anything visible may have changed.
func (f *front) render(now time.Time) {
	if f.gone {
		return
	}
	notice := noticeText(now, f.notice())
	if notice == "" && f.cfg.Notice != nil {
		if n := f.cfg.Notice(); n != "" {
			notice = "gosh: " + n
		}
	}
	f.guess()
	active := f.eng.Active()
	if !f.dirty && !active && notice == f.lastNotice {
		return
	}
	if active {
		f.eng.Cull(now, f.fb, f.echoAck)
	}
	view := f.eng.Apply(f.fb)
	if !f.dirty && view == f.r.prev && notice == f.lastNotice {
		return // the very view on the screen: Show would only move the cursor about
	}
	if f.showsEarly(view, notice) {
		f.dirty = false
		return
	}
	f.r.draw(view, notice, f.connected)
	f.lastNotice = notice
	f.dirty = false
}

// nextWake is when the loop must look again with nothing else happening.
func (f *front) nextWake(now time.Time) time.Time {
	next := now.Add(maxIdle)
	earliest := func(t time.Time) {
		if !t.IsZero() && t.Before(next) {
			next = t
		}
	}
	if w := f.eng.WaitTime(now); w != predict.NoWait {
		earliest(now.Add(w))
	}
	earliest(noticeWake(now, f.notice()))
	if f.quitting || f.remoteQuit {
		earliest(now.Add(shutdownPoll))
	}
	if !f.connected {
		earliest(f.start.Add(f.connectTimeout() + time.Millisecond))
	}
	if !next.After(now) {
		next = now.Add(time.Millisecond)
	}
	return next
}
