package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/creack/pty"
	"golang.org/x/sys/unix"

	"github.com/goshterm/gosh/mux/statesync"
	"github.com/goshterm/gosh/ssp"
	"github.com/goshterm/gosh/ssp/conn"
)

// Timeouts of a served session (mosh-protocol.md §1.6).
const (
	// NoClientTimeout: exit if no client state arrived this long after start.
	NoClientTimeout = 60 * time.Second
	// housekeeping is how often the session checks shutdown progress,
	// only while a shutdown runs: an idle or typing session has nothing to
	// poll, and a 20 Hz ticker was most of its wake-ups.
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

// session is the state of Serve's loop. Fields marked (loop) are touched
// only inside tr.Do, on the transport's goroutine.
type session struct {
	cfg SessionConfig
	tr  *ssp.Transport[*statesync.Frame, *statesync.UserStream]
	log *slog.Logger

	ptyIn chan ptyOp    // keystrokes, emulator replies and resizes, in order, for the pty writer
	done  chan struct{} // closed when the loop ends

	ptmx    *os.File            // (loop) nil until the first client state
	echo    statesync.EchoAcker // (loop)
	transl  inputTranslator     // (loop)
	started bool                // (loop)
	program string              // (loop) cached foreground program name
	progPG  int                 // (loop) its process group
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
	s := &session{cfg: cfg, tr: tr, log: log, ptyIn: make(chan ptyOp, 256), done: make(chan struct{})}
	return s.run(ctx)
}

func (s *session) run(ctx context.Context) error {
	runCtx, stopRun := context.WithCancel(context.Background())
	runErr := make(chan error, 1)
	go func() { runErr <- s.tr.Run(runCtx) }()

	ptyEOF := make(chan struct{})
	writerDone := make(chan struct{})
	started := make(chan *os.File, 1)
	go s.ptyLoops(started, ptyEOF, writerDone)

	sigs := make(chan os.Signal, 1)
	notifySignals(sigs)
	defer stopSignals(sigs)

	tick := time.NewTicker(housekeeping)
	tick.Stop() // armed when a shutdown starts (ours or the client's)
	defer tick.Stop()
	ticking := false
	startTicking := func() {
		if !ticking {
			ticking = true
			tick.Reset(housekeeping)
		}
	}
	echoTimer := time.NewTimer(time.Hour)
	defer echoTimer.Stop()
	noClient := s.cfg.NoClientTimeout
	if noClient <= 0 {
		noClient = NoClientTimeout
	}
	noClientTimer := time.NewTimer(noClient)
	defer noClientTimer.Stop()
	var result error

	do := func(f func()) bool { return s.tr.Do(context.Background(), f) == nil }
	scheduleEcho := func(next time.Time, ok bool) {
		if ok {
			echoTimer.Reset(max(time.Until(next), 0))
		}
	}
	// housekeep reports whether the session is over. While a shutdown
	// runs it is polled, since the ack timeout sends no Changed.
	housekeep := func(noClientDue bool) (done bool) {
		if !do(func() {
			now := time.Now()
			switch {
			case s.tr.ShutdownInProgress() && (s.tr.ShutdownAcknowledged() || s.tr.ShutdownTimedOut(now)):
				done = true
			case noClientDue && !s.tr.ShutdownInProgress() && s.tr.RemoteNum() == 0:
				result = errors.New("mosh-server: no connection within 60 seconds")
				done = true
			case !s.tr.ShutdownInProgress() && s.tr.RemoteShutdown() && s.tr.RemoteShutdownAcked():
				done = true
			case !s.tr.ShutdownInProgress() && s.tr.RemoteShutdown():
				s.tr.Tick(now) // send the ack of the client's shutdown now
			}
		}) {
			done = true
		}
		return done
	}
loop:
	for {
		select {
		case <-ctx.Done():
			break loop
		case <-s.tr.Changed():
			var next time.Time
			var ok, shutting bool
			if !do(func() {
				s.consumeInput(started)
				next, ok = s.echo.Next()
				shutting = s.tr.ShutdownInProgress() || s.tr.RemoteShutdown()
			}) {
				break loop
			}
			scheduleEcho(next, ok)
			if shutting {
				if housekeep(false) {
					break loop
				}
				startTicking()
			}
		case <-ptyEOF:
			s.log.Debug("program exited; shutting down")
			do(func() { s.tr.StartShutdown(time.Now()) })
			ptyEOF = nil
			startTicking()
		case <-echoTimer.C:
			var next time.Time
			var ok bool
			do(func() {
				if ack, changed := s.echo.Update(time.Now()); changed {
					s.tr.Current().SetEchoAck(ack)
				}
				s.refreshPane()
				next, ok = s.echo.Next()
			})
			scheduleEcho(next, ok)
		case sig := <-sigs:
			s.log.Debug("signal; shutting down", "signal", sig)
			do(func() { s.tr.StartShutdown(time.Now()) })
			startTicking()
		case <-noClientTimer.C:
			if housekeep(true) {
				break loop
			}
		case <-tick.C:
			if housekeep(false) {
				break loop
			}
		}
	}
	close(s.done)
	stopRun()
	if err := <-runErr; err != nil && result == nil {
		result = err
	}
	// Hang up first, so that a writer blocked on a full pty sees EIO;
	// close the pty only once the writer is done with it.
	s.hangup()
	close(s.ptyIn)
	<-writerDone
	if s.ptmx != nil {
		s.ptmx.Close()
	}
	return result
}

// ptyLoops waits for the pty to exist, then runs its writer here and its
// reader in another goroutine. The reader hands output straight to the
// transport's goroutine (tr.Do), not through Serve's loop: one goroutine
// hop fewer for every echoed keystroke. It stops when the transport has.
func (s *session) ptyLoops(started <-chan *os.File, eof chan<- struct{}, writerDone chan<- struct{}) {
	defer close(writerDone)
	var ptmx *os.File
	select {
	case ptmx = <-started:
	case <-s.done:
	}
	if ptmx == nil {
		for range s.ptyIn { // the program never ran: drop input
		}
		return
	}
	go func() {
		buf := make([]byte, 32*1024)
		for {
			n, err := ptmx.Read(buf)
			if n > 0 && s.tr.Do(context.Background(), func() { s.hostOutput(buf[:n]) }) != nil {
				return
			}
			if err != nil {
				close(eof)
				return
			}
		}
	}()
	for op := range s.ptyIn {
		if op.size != nil {
			if err := control(ptmx, func(fd int) error {
				return unix.IoctlSetWinsize(fd, unix.TIOCSWINSZ, &unix.Winsize{Row: op.size.Rows, Col: op.size.Cols})
			}); err != nil {
				s.log.Debug("pty resize", "err", err)
			}
			continue
		}
		if _, err := ptmx.Write(op.data); err != nil {
			s.log.Debug("pty write", "err", err)
		}
	}
}

// consumeInput applies the user's new events (loop).
func (s *session) consumeInput(started chan<- *os.File) {
	if s.tr.RemoteShutdown() || s.tr.ShutdownInProgress() {
		return
	}
	num := s.tr.RemoteNum()
	diff := s.tr.RemoteDiff()
	if len(diff) == 0 {
		return
	}
	var u statesync.UserStream
	if err := u.Apply(diff); err != nil {
		s.log.Debug("bad user diff", "err", err) // the transport already validated it
		return
	}
	evs, _ := u.EventsSince(0)
	if len(evs) == 0 {
		return
	}
	s.echo.Arrived(num, time.Now())
	s.refreshPane()
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
		s.startProgram(cols, rows, started)
	}
	// Events reach the pty in order. Every resize changes the emulator;
	// only the last of a run of resizes reaches the pty (one SIGWINCH),
	// as mosh-server does (§6.6).
	for i, e := range evs {
		if e.IsResize() {
			screen.Resize(clampSize(e.Width, e.Height))
			if i+1 == len(evs) || !evs[i+1].IsResize() {
				cols, rows := screen.Size()
				s.ptyIn <- ptyOp{size: &pty.Winsize{Cols: uint16(cols), Rows: uint16(rows)}}
			}
			continue
		}
		if b := s.transl.translate(e.Keys, screen.Modes().AppCursorKeys); len(b) > 0 {
			s.ptyIn <- ptyOp{data: b}
		}
	}
	if b := s.transl.flush(); len(b) > 0 {
		s.ptyIn <- ptyOp{data: b}
	}
}

// ptyOp is one thing to do to the pty, in order: write data, or set size.
type ptyOp struct {
	data []byte
	size *pty.Winsize
}

// clampSize bounds a client's window size request.
func clampSize(w, h int) (int, int) {
	return min(max(w, 1), maxWinSize), min(max(h, 1), maxWinSize)
}

// startProgram starts the command once the first client state arrived, at
// the client's size, as mosh-server releases its shell then (§1.5).
func (s *session) startProgram(cols, rows int, started chan<- *os.File) {
	s.started = true
	cmd := s.cfg.Cmd
	ptmx, err := pty.StartWithSize(cmd, &pty.Winsize{Cols: uint16(cols), Rows: uint16(rows)})
	if err != nil {
		s.log.Debug("start program", "err", err)
		s.tr.Current().Screen().Write([]byte("gosh mosh-server: " + err.Error() + "\r\n"))
		s.tr.StartShutdown(time.Now())
		started <- nil
		return
	}
	if ptmx, err = pollable(ptmx); err != nil {
		s.log.Debug("pty", "err", err)
		s.tr.Current().Screen().Write([]byte("gosh mosh-server: " + err.Error() + "\r\n"))
		s.tr.StartShutdown(time.Now())
		started <- nil
		return
	}
	s.ptmx = ptmx
	// The emulator answers DA/DSR/CPR itself, toward the program: a query
	// must never reach the client (mosh-client asserts, §7).
	s.tr.Current().Screen().SetReplyWriter(replyWriter{s.ptyIn})
	started <- ptmx
}

// hostOutput feeds program output to the screen (loop).
func (s *session) hostOutput(b []byte) {
	cur := s.tr.Current()
	cur.Screen().Write(b)
	if s.ptmx != nil {
		cols, rows := cur.Screen().Size()
		cur.SetPane(s.paneFacts(cols, rows))
	}
}

// refreshPane re-reads the pane facts without output (loop), when a key
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
	var tio *unix.Termios
	pg := 0
	_ = control(s.ptmx, func(fd int) error {
		tio, _ = unix.IoctlGetTermios(fd, unix.TCGETS)
		pg, _ = unix.IoctlGetInt(fd, unix.TIOCGPGRP)
		return nil
	})
	if tio != nil {
		p.ICANON = tio.Lflag&unix.ICANON != 0
		p.Echo = tio.Lflag&unix.ECHO != 0
	}
	if pg > 0 {
		if pg != s.progPG {
			s.progPG = pg
			b, _ := os.ReadFile("/proc/" + strconv.Itoa(pg) + "/comm")
			s.program = strings.TrimSpace(string(b))
		}
		p.Program = s.program
	}
	return p
}

// hangup ends the program's session as closing a terminal does. Run has
// returned, so nothing touches the loop fields concurrently.
func (s *session) hangup() {
	if proc := s.cfg.Cmd.Process; proc != nil {
		syscall.Kill(-proc.Pid, syscall.SIGHUP)
		go s.cfg.Cmd.Wait() // reap
	}
}

// replyWriter queues the emulator's answers for the pty writer.
type replyWriter struct{ ch chan<- ptyOp }

func (w replyWriter) Write(b []byte) (int, error) {
	w.ch <- ptyOp{data: append([]byte(nil), b...)}
	return len(b), nil
}

var _ io.Writer = replyWriter{}

// pollable returns a non-blocking duplicate of the pty master registered
// with Go's poller, and closes f. creack/pty's ioctls use File.Fd, which
// leaves the master in blocking mode: every Read then parks an OS thread
// in read(2), and the runtime's sysmon retakes its P and spins at 20 µs
// for the next millisecond, for each keystroke's echo. Measured on the
// typing benchmark as most of the server's context switches.
func pollable(f *os.File) (*os.File, error) {
	defer f.Close()
	fd, err := unix.Dup(int(f.Fd()))
	if err != nil {
		return nil, fmt.Errorf("dup pty master: %w", err)
	}
	unix.CloseOnExec(fd)
	if err := unix.SetNonblock(fd, true); err != nil {
		unix.Close(fd)
		return nil, fmt.Errorf("pty master nonblocking: %w", err)
	}
	return os.NewFile(uintptr(fd), f.Name()), nil
}

// control runs fn on f's descriptor without File.Fd, which would put the
// file back in blocking mode.
func control(f *os.File, fn func(fd int) error) error {
	rc, err := f.SyscallConn()
	if err != nil {
		return err
	}
	var ferr error
	if err := rc.Control(func(fd uintptr) { ferr = fn(int(fd)) }); err != nil {
		return err
	}
	return ferr
}
