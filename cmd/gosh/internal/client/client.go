package client

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/netip"
	"os"
	"os/signal"
	"syscall"
	"time"

	"golang.org/x/sys/unix"

	"github.com/goshterm/gosh/mux/statesync"
	"github.com/goshterm/gosh/ssp"
	"github.com/goshterm/gosh/ssp/conn"
	"github.com/goshterm/gosh/vt"
)

// EscapeKey is mosh's default escape key, Ctrl-^ (0x1E).
const EscapeKey = 0x1e

// ConnectTimeout is how long the client waits for the server's first
// state before giving up (mosh-client: 15 s, §10).
const ConnectTimeout = 15 * time.Second

// Terminal set-up and tear-down: the alternate screen (mosh uses terminfo
// smcup/rmcup; every terminal gosh targets knows xterm's ?1049), and
// application cursor keys, so that arrows arrive as SS3 and the server
// picks the form the application wants (mosh-protocol.md §8.5, §8.6).
const (
	termInit  = "\x1b[?1049h\x1b[?1h\x1b[H\x1b[2J"
	termReset = "\x1b[?1l\x1b[0m\x1b[?25h\x1b[?1003l\x1b[?1002l\x1b[?1001l\x1b[?1000l\x1b[?1015l\x1b[?1006l\x1b[?1005l\x1b[?2004l\x1b[?1049l"
)

// Config configures Run.
type Config struct {
	Server netip.AddrPort
	Key    ssp.Key
	In     *os.File  // the user's terminal (input); must be a tty
	Out    io.Writer // the user's terminal (output)
	Logger *slog.Logger
}

// ErrNoConnection is returned when the server never answered.
var ErrNoConnection = errors.New("client: no answer from the server")

// Run connects and runs the front end until the user quits (Ctrl-^ .), the
// server shuts down, or ctx is done. It restores the terminal before
// returning.
func Run(ctx context.Context, cfg Config) error {
	fd := int(cfg.In.Fd())
	saved, err := unix.IoctlGetTermios(fd, unix.TCGETS)
	if err != nil {
		return fmt.Errorf("client: stdin is not a terminal: %w", err)
	}
	cols, rows := winSize(fd)
	pc, err := conn.UDPNetwork{}.ListenPacket(cfg.Server)
	if err != nil {
		return fmt.Errorf("client: %w", err)
	}
	local := statesync.NewUserStream()
	tr, err := ssp.New(ssp.Config[*statesync.UserStream, *statesync.Frame]{
		Role: ssp.Client, Key: cfg.Key, Conn: pc, Peer: cfg.Server, Network: conn.UDPNetwork{},
		Local: local, Remote: statesync.NewFrame(cols, rows), Logger: cfg.Logger,
	})
	if err != nil {
		pc.Close()
		return err
	}
	// The first thing the server learns is our size.
	tr.Current().PushResize(cols, rows)

	raw := *saved
	makeRaw(&raw)
	if err := unix.IoctlSetTermios(fd, unix.TCSETS, &raw); err != nil {
		tr.Close()
		return fmt.Errorf("client: raw mode: %w", err)
	}
	io.WriteString(cfg.Out, termInit)
	defer func() {
		io.WriteString(cfg.Out, termReset)
		unix.IoctlSetTermios(fd, unix.TCSETS, saved)
	}()

	c := &front{tr: tr, out: cfg.Out, drawn: vt.NewScreen(cols, rows)}
	return c.run(ctx, cfg.In, fd)
}

type front struct {
	tr    *ssp.Transport[*statesync.UserStream, *statesync.Frame]
	out   io.Writer
	drawn *vt.Screen // what the user's terminal shows
}

func (c *front) run(ctx context.Context, in *os.File, fd int) error {
	runCtx, stopRun := context.WithCancel(context.Background())
	runErr := make(chan error, 1)
	go func() { runErr <- c.tr.Run(runCtx) }()
	defer func() {
		stopRun()
		<-runErr
	}()

	keys := make(chan []byte, 16)
	go readInput(in, keys) // ends with the process; a blocked tty read cannot be interrupted portably

	winch := make(chan os.Signal, 1)
	signal.Notify(winch, syscall.SIGWINCH)
	defer signal.Stop(winch)
	quitSigs := make(chan os.Signal, 1)
	signal.Notify(quitSigs, syscall.SIGTERM, syscall.SIGINT, syscall.SIGHUP)
	defer signal.Stop(quitSigs)

	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	start := time.Now()
	do := func(f func()) bool { return c.tr.Do(context.Background(), f) == nil }
	shutdown := func() { do(func() { c.tr.StartShutdown(time.Now()) }) }
	var esc escapeFilter
	for {
		select {
		case <-ctx.Done():
			shutdown()
		case <-quitSigs:
			shutdown()
		case b, ok := <-keys:
			if !ok { // stdin EOF
				keys = nil
				shutdown()
				continue
			}
			send, quit := esc.filter(b)
			if quit {
				shutdown()
			}
			if len(send) > 0 {
				do(func() { c.tr.Current().PushKeys(send) })
			}
		case <-winch:
			cols, rows := winSize(fd)
			do(func() { c.tr.Current().PushResize(cols, rows) })
		case <-c.tr.Changed():
			c.draw(do)
		case <-tick.C:
			var exit bool
			var err error
			c.draw(do)
			if !do(func() {
				now := time.Now()
				switch {
				case c.tr.ShutdownInProgress() && (c.tr.ShutdownAcknowledged() || c.tr.ShutdownTimedOut(now)):
					exit = true
				case c.tr.RemoteShutdown() && c.tr.RemoteShutdownAcked():
					exit = true
				case c.tr.RemoteShutdown():
					c.tr.Tick(now)
				case c.tr.RemoteNum() == 0 && now.Sub(start) > ConnectTimeout && !c.tr.ShutdownInProgress():
					err = ErrNoConnection
					c.tr.StartShutdown(now)
					exit = true
				}
			}) {
				return errors.New("client: transport stopped")
			}
			if exit {
				return err
			}
		}
	}
}

// draw repaints the user's terminal from the replica.
func (c *front) draw(do func(func()) bool) {
	var replica *vt.Screen
	do(func() {
		if c.tr.RemoteNum() > 0 {
			replica = c.tr.Remote().Screen().Clone()
		}
	})
	if replica == nil || replica.FrameEqual(c.drawn) {
		return
	}
	if b := vt.Diff(c.drawn, replica); len(b) > 0 {
		c.out.Write(b)
	}
	c.drawn = replica
}

// escapeFilter implements mosh's escape key (§10): Ctrl-^ then "." quits,
// Ctrl-^ then "^" sends Ctrl-^ itself, Ctrl-^ then anything else sends both.
type escapeFilter struct{ escaped bool }

// filter returns the bytes to send for the user's input b, and whether the
// user asked to quit.
func (f *escapeFilter) filter(b []byte) (send []byte, quit bool) {
	for _, k := range b {
		switch {
		case f.escaped:
			f.escaped = false
			switch k {
			case '.':
				quit = true
			case '^': // the "pass" key sends the escape key itself
				send = append(send, EscapeKey)
			default:
				send = append(send, EscapeKey, k)
			}
		case k == EscapeKey:
			f.escaped = true
		default:
			send = append(send, k)
		}
	}
	return send, quit
}

func readInput(in *os.File, out chan<- []byte) {
	buf := make([]byte, 4096)
	for {
		n, err := in.Read(buf)
		if n > 0 {
			out <- append([]byte(nil), buf[:n]...)
		}
		if err != nil {
			close(out)
			return
		}
	}
}

func winSize(fd int) (cols, rows int) {
	ws, err := unix.IoctlGetWinsize(fd, unix.TIOCGWINSZ)
	if err != nil || ws.Col == 0 || ws.Row == 0 {
		return 80, 24
	}
	return int(ws.Col), int(ws.Row)
}

// makeRaw is cfmakeraw(3).
func makeRaw(t *unix.Termios) {
	t.Iflag &^= unix.IGNBRK | unix.BRKINT | unix.PARMRK | unix.ISTRIP | unix.INLCR | unix.IGNCR | unix.ICRNL | unix.IXON
	t.Oflag &^= unix.OPOST
	t.Lflag &^= unix.ECHO | unix.ECHONL | unix.ICANON | unix.ISIG | unix.IEXTEN
	t.Cflag &^= unix.CSIZE | unix.PARENB
	t.Cflag |= unix.CS8
	t.Cc[unix.VMIN] = 1
	t.Cc[unix.VTIME] = 0
}
