package server

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"sync"
	"syscall"
	"time"
	"unsafe"

	"github.com/creack/pty"
	"golang.org/x/sys/unix"

	muxpty "github.com/goshterm/gosh/mux/pty"
	"github.com/goshterm/gosh/mux/statesync"
	"github.com/goshterm/gosh/ssp"
	"github.com/goshterm/gosh/ssp/conn"
)

// Timeouts of a served session (mosh-protocol.md §1.6).
const (
	// NoClientTimeout: exit if no client state arrived this long after start.
	NoClientTimeout = 60 * time.Second
	// housekeeping is how often the session wakes to check a shutdown's
	// time-based give-up, only while one runs: an idle or typing session
	// has nothing to poll, and a 20 Hz ticker was most of its wake-ups.
	housekeeping = 50 * time.Millisecond
	// maxWinSize bounds a client's resize request.
	maxWinSize = 4096
)

// SessionConfig configures Serve.
type SessionConfig struct {
	Conn conn.PacketConn // bound UDP socket; Serve closes it
	Key  ssp.Key
	// Cmd is the program to run on the pty. Its Env and Dir are used as
	// given; Stdin/Stdout/Stderr and SysProcAttr are set by Serve.
	Cmd *exec.Cmd
	// NoClientTimeout overrides NoClientTimeout when positive.
	NoClientTimeout time.Duration
	Logger          *slog.Logger // nil discards
}

// session is the state of Serve's loop. One goroutine owns the transport
// and everything here (the pty writer and reader have their own
// goroutines, see pty.go).
type session struct {
	cfg SessionConfig
	tr  *ssp.Transport[*statesync.Frame, *statesync.UserStream]
	log *slog.Logger

	ptmx  *os.File      // nil until the first client state
	pw    *ptyWriter    // with ptmx
	out   chan ptyChunk // pty reader → loop
	free  chan []byte   // loop → pty reader: drawn buffers
	done  chan struct{} // closed when the loop ends
	ptyWG sync.WaitGroup

	echo      statesync.EchoAcker
	consumed  uint64 // input stream position up to which events reached the pty
	forgotten uint64 // position at the last RemoteDiff
	transl    inputTranslator
	started   bool
	program   string // cached foreground program name
	progPG    int    // its process group
}

// Serve runs Cmd on a pty and synchronises its screen to one SSP client
// until the program exits (then the shutdown handshake runs), the client
// shuts down, no client appears within NoClientTimeout, or ctx is done.
func Serve(ctx context.Context, cfg SessionConfig) error {
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	frame := statesync.NewFrame(80, 24)
	tr, err := ssp.New(ssp.Config[*statesync.Frame, *statesync.UserStream]{
		Role: ssp.Server, Key: cfg.Key, Conn: cfg.Conn,
		Local: frame, Remote: statesync.NewUserStream(), Logger: log,
	})
	if err != nil {
		cfg.Conn.Close()
		return err
	}
	// State 0 is the blank frame both sides start from; the version
	// announcement is a change, so the first diff carries it.
	tr.Current().SetGoshVersion(statesync.ProtocolVersion)
	s := &session{cfg: cfg, tr: tr, log: log,
		out: make(chan ptyChunk), free: make(chan []byte, ptyReadBufs), done: make(chan struct{})}
	return s.run(ctx)
}

// run is the session's one event loop, mosh-server's select: datagrams
// (Inbox), program output, signals and one timer. Each event is handled
// to the end on this goroutine — a keystroke is decrypted, written to the
// pty and acked here, an echo is drawn and sent here — and then Tick sends
// what is due. One goroutine and one reusable timer: every hop between
// goroutines was a wake-up, and on an otherwise idle process each wake-up
// also wakes the runtime's sysmon, which then polls at 20 µs for a while;
// on the typing benchmark those were most of the server's CPU. The timer
// is a timerfd for the same reason (wake.go).
func (s *session) run(ctx context.Context) error {
	pkts := s.tr.Inbox()
	sigs := make(chan os.Signal, 1)
	notifySignals(sigs)
	defer stopSignals(sigs)

	noClient := s.cfg.NoClientTimeout
	if noClient <= 0 {
		noClient = NoClientTimeout
	}
	noClientAt := time.Now().Add(noClient)
	timer := newLoopTimer()
	defer timer.close()
	var armed time.Time // the timer's deadline; zero when disarmed or expired
	var result error
	ctxDone := ctx.Done()
loop:
	for {
		now := time.Now()
		over, err := s.settle(now, noClientAt)
		if over {
			result = err
			break
		}
		if at := s.wakeAt(now, noClientAt); !at.Equal(armed) {
			if at.IsZero() {
				timer.disarm()
			} else {
				timer.set(at.Sub(now))
			}
			armed = at
		}
		select {
		case <-ctxDone:
			break loop
		case p := <-pkts:
			s.receive(p, pkts)
		case c := <-s.out:
			if c.eof {
				s.log.Debug("program exited; shutting down")
				s.tr.StartShutdown(time.Now())
				s.out = nil
				continue
			}
			s.hostOutput(c.b)
			s.free <- c.b
		case sig := <-sigs:
			s.log.Debug("signal; shutting down", "signal", sig)
			s.tr.StartShutdown(time.Now())
		case <-timer.C():
			armed = time.Time{}
		}
	}
	close(s.done)
	s.tr.Close()
	// Hang up first, so that the program sees the terminal go away, then
	// close the pty: a read or a write waiting in the poller ends.
	s.hangup()
	if s.ptmx != nil {
		s.ptmx.Close()
		s.pw.close()
	}
	s.ptyWG.Wait()
	return result
}

// receive handles a datagram and any others already waiting (a window's
// fragments, a burst), then the keys they brought.
func (s *session) receive(p ssp.Packet, pkts <-chan ssp.Packet) {
	now := time.Now()
	fresh := s.tr.ReceivePacket(now, p)
	for range inboxDrain {
		select {
		case p := <-pkts:
			fresh = s.tr.ReceivePacket(now, p) || fresh
			continue
		default:
		}
		break
	}
	if fresh {
		s.consumeInput(now)
	}
}

// forgetEvery is how many input events may pass between two RemoteDiff
// calls: each received state copies the events its predecessor holds, a
// few hundred bytes at most, where RemoteDiff costs a protobuf encoding.
const forgetEvery = 64

// inboxDrain bounds the datagrams handled in one go before Tick.
const inboxDrain = 64

// settle runs after every event: it publishes the echo ack if it is time,
// lets the transport send what is due, and reports whether the session is
// over (and why, if that is an error).
func (s *session) settle(now time.Time, noClientAt time.Time) (over bool, err error) {
	s.publishEcho(now)
	if err := s.tr.Tick(now); err != nil {
		return true, err
	}
	switch {
	case s.tr.ShutdownInProgress():
		return s.tr.ShutdownAcknowledged() || s.tr.ShutdownTimedOut(now), nil
	case s.tr.RemoteShutdown():
		return s.tr.RemoteShutdownAcked(), nil
	case s.tr.RemoteNum() == 0 && !now.Before(noClientAt):
		return true, errors.New("mosh-server: no connection within 60 seconds")
	}
	return false, nil
}

// wakeAt returns when the loop must wake without an event (zero: never):
// the transport's next send, the echo ack's latest time, the no-client
// deadline, and a poll while a shutdown runs (its give-up is time-based).
func (s *session) wakeAt(now time.Time, noClientAt time.Time) time.Time {
	var at time.Time
	earliest := func(t time.Time) {
		if at.IsZero() || t.Before(at) {
			at = t
		}
	}
	if w := s.tr.WaitTime(now); w != ssp.Forever {
		earliest(now.Add(w))
	}
	if next, ok := s.echo.NextPaced(s.echoPace()); ok {
		earliest(next)
	}
	shutting := s.tr.ShutdownInProgress() || s.tr.RemoteShutdown()
	if shutting {
		earliest(now.Add(housekeeping))
	} else if s.tr.RemoteNum() == 0 {
		earliest(noClientAt)
	}
	return at
}

// echoPace is how long a matured echo ack may wait for a datagram to
// ride on: mosh's send interval, ceil(SRTT/2) in [20, 250] ms, but at
// least EchoTimeout. On a fast link mosh's 20 ms would let about half the
// acks of steady typing (keys 20–50 ms apart) go alone, because the next
// echo but one comes 40–100 ms after a key; with 50 ms nearly all ride on
// it. An ack then reaches the client at most 100 ms after its key reached
// the server plus the one-way delay: well inside the 250 ms after which a
// client's prediction engine counts a guess as glitched (mosh-protocol.md
// §9), and on a slow link (SRTT ≥ 100 ms) it is mosh's send interval.
func (s *session) echoPace() time.Duration { return max(s.tr.SendInterval(), statesync.EchoTimeout) }

// publishEcho puts the echo ack into the frame when it can ride on a
// datagram that goes anyway — the transport's WaitTime is 0: a screen
// change, an ack or a retransmission is due — or once it has waited
// echoPace (statesync.EchoAcker.UpdatePaced says why). A screen change
// made before its frame leaves (the mindelay) carries the ack too: the
// ack is published when that frame's send comes due.
func (s *session) publishEcho(now time.Time) {
	ack, changed := s.echo.UpdatePaced(now, s.echoPace(), func() bool { return s.tr.WaitTime(now) == 0 })
	if !changed {
		return
	}
	s.tr.Current().SetEchoAck(ack)
	s.refreshPane()
}

// consumeInput applies the user's new events.
func (s *session) consumeInput(now time.Time) {
	if s.tr.RemoteShutdown() || s.tr.ShutdownInProgress() {
		return
	}
	num := s.tr.RemoteNum()
	evs, end := s.tr.Remote().EventsSince(s.consumed)
	s.consumed = end
	if end-s.forgotten >= forgetEvery {
		// RemoteDiff lets the received states forget the events the
		// client knows we hold; without it every received state would
		// copy the whole input history. The diff itself is not needed:
		// the events came from EventsSince, without a protobuf round trip.
		s.tr.RemoteDiff()
		s.forgotten = end
	}
	if len(evs) == 0 {
		return
	}
	screen := s.tr.Current().Screen()
	if !s.started {
		// The program starts at the size the client announced first,
		// before any keystroke is written (mosh releases its shell on the
		// first client state, §1.5); keystrokes typed before then wait in
		// the pty's input queue, as typeahead does.
		for _, e := range evs {
			if !e.IsResize() {
				break
			}
			screen.Resize(clampSize(e.Width, e.Height))
		}
		cols, rows := screen.Size()
		s.startProgram(cols, rows)
	}
	s.echo.Arrived(num, now)
	if s.pw == nil {
		return
	}
	// Events reach the pty in order. Every resize changes the emulator;
	// only the last of a run of resizes reaches the pty (one SIGWINCH),
	// as mosh-server does (§6.6).
	for i, e := range evs {
		if e.IsResize() {
			screen.Resize(clampSize(e.Width, e.Height))
			if i+1 == len(evs) || !evs[i+1].IsResize() {
				cols, rows := screen.Size()
				s.pw.write(ptyOp{size: &pty.Winsize{Cols: uint16(cols), Rows: uint16(rows)}})
			}
			continue
		}
		if b := s.transl.translate(e.Keys, screen.Modes().AppCursorKeys); len(b) > 0 {
			s.pw.write(ptyOp{data: b})
		}
	}
	if b := s.transl.flush(); len(b) > 0 {
		s.pw.write(ptyOp{data: b})
	}
	s.refreshPane()
}

// clampSize bounds a client's window size request.
func clampSize(w, h int) (int, int) {
	return min(max(w, 1), maxWinSize), min(max(h, 1), maxWinSize)
}

// startProgram starts the command once the first client state arrived, at
// the client's size, as mosh-server releases its shell then (§1.5), and
// the pty's reader.
func (s *session) startProgram(cols, rows int) {
	s.started = true
	fail := func(what string, err error) {
		s.log.Debug(what, "err", err)
		s.tr.Current().Screen().Write([]byte("gosh mosh-server: " + err.Error() + "\r\n"))
		s.tr.StartShutdown(time.Now())
	}
	cmd := s.cfg.Cmd
	ptmx, err := pty.StartWithSize(cmd, &pty.Winsize{Cols: uint16(cols), Rows: uint16(rows)})
	if err != nil {
		fail("start program", err)
		return
	}
	if ptmx, err = muxpty.Pollable(ptmx); err != nil {
		fail("pty", err)
		return
	}
	pw, err := newPtyWriter(ptmx, s.log)
	if err != nil {
		ptmx.Close()
		fail("pty", err)
		return
	}
	s.ptmx, s.pw = ptmx, pw
	// The emulator answers DA/DSR/CPR itself, toward the program: a query
	// must never reach the client (mosh-client asserts, §7).
	s.tr.Current().Screen().SetReplyWriter(replyWriter{pw})
	for range ptyReadBufs {
		s.free <- make([]byte, 32*1024)
	}
	s.ptyWG.Add(1)
	go func() {
		defer s.ptyWG.Done()
		readPty(ptmx, s.out, s.free, s.done)
	}()
}

// hostOutput feeds program output to the screen.
func (s *session) hostOutput(b []byte) {
	cur := s.tr.Current()
	cur.Screen().Write(b)
	if s.ptmx != nil {
		cols, rows := cur.Screen().Size()
		cur.SetPane(s.paneFacts(cols, rows))
	}
}

// refreshPane re-reads the pane facts without output, when a key
// arrives and when its echo ack is due: a program can turn echo off and
// wait for input without writing anything (`stty -echo; cat`), and the
// client must learn it, or it goes on predicting keys that are never
// echoed. Output re-reads them too (hostOutput). Two ioctls; a frame goes
// out only when a fact changed.
func (s *session) refreshPane() {
	if s.ptmx == nil {
		return
	}
	cur := s.tr.Current()
	cols, rows := cur.Screen().Size()
	cur.SetPane(s.paneFacts(cols, rows))
}

// paneFacts reads the pty's line discipline and foreground program.
func (s *session) paneFacts(cols, rows int) statesync.Pane {
	p := statesync.Pane{Width: cols, Height: rows}
	var tio unix.Termios
	var pg int32
	var terr error
	_ = muxpty.Control(s.ptmx, func(fd int) error {
		terr = rawIoctl(fd, ioctlGetTermios, unsafe.Pointer(&tio))
		rawIoctl(fd, unix.TIOCGPGRP, unsafe.Pointer(&pg))
		return nil
	})
	if terr == nil {
		p.ICANON = tio.Lflag&unix.ICANON != 0
		p.Echo = tio.Lflag&unix.ECHO != 0
	}
	if pg > 0 {
		if int(pg) != s.progPG {
			s.progPG = int(pg)
			s.program = programName(s.progPG)
		}
		p.Program = s.program
	}
	return p
}

// hangup ends the program's session as closing a terminal does.
func (s *session) hangup() {
	if proc := s.cfg.Cmd.Process; proc != nil {
		syscall.Kill(-proc.Pid, syscall.SIGHUP)
		go s.cfg.Cmd.Wait() // reap
	}
}

// replyWriter hands the emulator's answers to the pty writer, in order
// with the keystrokes.
type replyWriter struct{ w *ptyWriter }

func (r replyWriter) Write(b []byte) (int, error) {
	r.w.write(ptyOp{data: append([]byte(nil), b...)})
	return len(b), nil
}

var _ io.Writer = replyWriter{}
