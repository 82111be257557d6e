package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"runtime/debug"
	"strconv"
	"sync"
	"syscall"
	"time"

	"golang.org/x/sys/unix"

	"github.com/goshterm/gosh/cmd/gosh/internal/client"
	"github.com/goshterm/gosh/mux"
	"github.com/goshterm/gosh/ssp"
)

// Hosted local attach. A local gosh (attach-session, new-session, gosh
// alone) gets its SSP endpoint as before, then passes its terminal to the
// daemon over the control socket (SCM_RIGHTS, unix(7)) and the daemon runs
// the terminal client for it, in a goroutine, still speaking SSP to that
// endpoint, over an in-memory link (conn.Endpoint) in place of loopback
// UDP, which cost each datagram two syscalls, the kernel's UDP path and a
// reader's wake-up. A key then goes terminal → daemon → shell
// → daemon → terminal, tmux's process shape (its client passes its
// terminal to its server the same way), instead of crossing the gosh
// process twice more each way. The gosh process stays as a stub: it
// forwards its terminal's resizes, stops for Ctrl-^ Ctrl-Z (a stop belongs
// to the terminal's job, which the daemon is not), and says how the
// attach ended. A daemon that can't host (an older one, or a different
// environment for the terminal library) refuses, and the stub runs the
// client itself.
//
// After the daemon's first answer (a mux.Response, Code 0: hosted) both
// ends exchange hostMsg values on the connection until the client ends.

// Operations of hostMsg.
const (
	hostResize = "resize" // stub → daemon: the terminal's size may have changed
	hostResume = "resume" // stub → daemon: continued after a suspend
	hostHungUp = "hungup" // stub → daemon: hung up while suspended
	hostQuit   = "quit"   // stub → daemon: end the client (a signal)
	hostStop   = "suspend"
	hostExit   = "exit" // daemon → stub: the client ended; Err says why
)

// hostMsg is one message on a hosted client's connection.
type hostMsg struct {
	Op  string `json:"op"`
	Err string `json:"err,omitempty"`
	// Ending, on hostExit, says that the client ended because the daemon
	// does (mux.ServerEnding: "server exited" or "exited"); the stub
	// prints it in tmux's brackets instead of "detached".
	Ending string `json:"ending,omitempty"`
}

// hostTimeout bounds the daemon's wait for the terminal after the request
// and each write to the stub.
const hostTimeout = 30 * time.Second

// hostEnv names the variables the terminal library (tcell, and the
// runewidth tables it uses) reads from the process: colour depth,
// character set, size overrides, alternate screen, East Asian widths. A
// hosted client reads the daemon's, so the daemon hosts only when the
// stub's are the same.
var hostEnv = []string{"COLORTERM", "TCELL_TRUECOLOR", "TCELL_ALTSCREEN", "NO_COLOR",
	"LC_ALL", "LC_CTYPE", "LANG", "LINES", "COLUMNS", "RUNEWIDTH_EASTASIAN"}

// hostClients is the daemon's mux.Config.Host; run is the client it runs
// for each terminal (client.Run, or what a test wants).
func hostClients(log *slog.Logger, run func(context.Context, client.Config) error) func(context.Context, *net.UnixConn, *mux.HostRequest, *mux.HostedLink) {
	return func(ctx context.Context, c *net.UnixConn, req *mux.HostRequest, link *mux.HostedLink) {
		if link != nil {
			defer link.Close()
		}
		h := &hostConn{c: c, log: log, runClient: run}
		h.serve(ctx, req, link)
	}
}

// hostConn is the daemon's end of one hosted client.
type hostConn struct {
	c         *net.UnixConn
	log       *slog.Logger
	runClient func(context.Context, client.Config) error
	wmu       sync.Mutex
}

func (h *hostConn) send(m any) error {
	h.wmu.Lock()
	defer h.wmu.Unlock()
	_ = h.c.SetWriteDeadline(time.Now().Add(hostTimeout))
	return mux.WriteMessage(h.c, m)
}

func (h *hostConn) refuse(why string) {
	h.log.Info("not hosting a local client", "why", why)
	_ = h.send(mux.Response{Version: mux.ProtocolVersion, Code: 1, Stderr: why})
}

func (h *hostConn) serve(ctx context.Context, req *mux.HostRequest, link *mux.HostedLink) {
	tty, err := receiveTerminal(h.c)
	if err != nil {
		h.refuse(err.Error())
		return
	}
	defer tty.Close()
	if why := hostRefusal(req, os.Getenv); why != "" {
		h.refuse(why)
		return
	}
	key, err := ssp.ParseKey(req.Key)
	if err != nil {
		h.refuse(err.Error())
		return
	}
	if err := h.send(mux.Response{Version: mux.ProtocolVersion}); err != nil {
		return
	}

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	resize := make(chan struct{}, 1)
	resumed := make(chan bool, 1) // hung up
	gone := make(chan struct{})   // the stub hung up (or sent garbage)
	go func() {
		defer close(gone)
		defer cancel() // the terminal's owner is gone: so is the client
		for {
			var m hostMsg
			if err := mux.ReadMessage(h.c, &m); err != nil {
				return
			}
			switch m.Op {
			case hostResize:
				select {
				case resize <- struct{}{}:
				default:
				}
			case hostResume, hostHungUp:
				select {
				case resumed <- m.Op == hostHungUp:
				default:
				}
			case hostQuit:
				cancel()
			}
		}
	}()

	cfg := client.Config{
		Server: endpointAddr(req.IP, req.Port), Key: key, In: tty, Out: tty,
		Logger: h.log.With("hosted", req.Session),
		Term:   req.Term, Resize: resize, NoSignals: true,
		Suspend: func() bool {
			io.WriteString(tty, "\r\n[gosh is suspended.]\r\n")
			if h.send(hostMsg{Op: hostStop}) != nil {
				return true
			}
			select {
			case hungUp := <-resumed:
				return hungUp
			case <-gone:
				return true
			case <-ctx.Done():
				// kill-server while the job is stopped: the daemon
				// must not wait for the user's fg to exit.
				return true
			}
		},
	}
	if link != nil {
		cfg.Local, cfg.Early = link.LocalConn, link
	}
	err = h.run(ctx, cfg)
	msg := hostMsg{Op: hostExit}
	if ending := mux.ServerEnding(ctx); ending != "" {
		// The daemon's shutdown told the client to go (the SSP shutdown
		// carries no reason): say why, as tmux does.
		msg.Ending = ending
	} else if err != nil {
		msg.Err = err.Error()
	}
	if h.send(msg) == nil {
		// The stub reads it and exits; its hang-up ends the reader. A
		// stopped stub, or a server going down, is not waited for: the
		// message stays readable after Close (unix(7)).
		t := time.NewTimer(hostTimeout)
		defer t.Stop()
		select {
		case <-gone:
		case <-ctx.Done():
		case <-t.C:
		}
	}
	h.c.Close()
	<-gone
}

// run runs the client; a panic in it ends this client with an error and
// leaves the daemon and its sessions running (client.Run gives the
// terminal back on its way out).
func (h *hostConn) run(ctx context.Context, cfg client.Config) (err error) {
	defer func() {
		if r := recover(); r != nil {
			h.log.Error("hosted client panicked", "panic", r, "stack", string(debug.Stack()))
			err = fmt.Errorf("the client failed (%v); the session is still running", r)
		}
	}()
	return h.runClient(ctx, cfg)
}

// hostRefusal says why the daemon can't run this client for the stub, or
// "" when it can.
func hostRefusal(req *mux.HostRequest, getenv func(string) string) string {
	for _, k := range hostEnv {
		if req.Env[k] != getenv(k) {
			return "the terminal's environment differs from the server's (" + k + ")"
		}
	}
	// tcell's input parser asks $TERM about one aixterm key.
	if (req.Term == "aixterm") != (getenv("TERM") == "aixterm") {
		return "the terminal's environment differs from the server's (TERM)"
	}
	if req.Port <= 0 || req.Port > 65535 {
		return "bad endpoint port"
	}
	return ""
}

// receiveTerminal reads the one byte that carries the stub's terminal.
func receiveTerminal(c *net.UnixConn) (*os.File, error) {
	_ = c.SetReadDeadline(time.Now().Add(hostTimeout))
	defer c.SetReadDeadline(time.Time{})
	var b [1]byte
	oob := make([]byte, unix.CmsgSpace(4*4))
	n, oobn, flags, _, err := c.ReadMsgUnix(b[:], oob)
	if err != nil {
		return nil, fmt.Errorf("no terminal: %w", err)
	}
	var fds []int
	if msgs, err := unix.ParseSocketControlMessage(oob[:oobn]); err == nil {
		for i := range msgs {
			if r, err := unix.ParseUnixRights(&msgs[i]); err == nil {
				fds = append(fds, r...)
			}
		}
	}
	if n != 1 || len(fds) == 0 || flags&unix.MSG_CTRUNC != 0 {
		for _, fd := range fds {
			unix.Close(fd)
		}
		return nil, errors.New("no terminal in the message")
	}
	for _, fd := range fds[1:] {
		unix.Close(fd)
	}
	// Never inherited by a pane (net already asks for MSG_CMSG_CLOEXEC).
	unix.CloseOnExec(fds[0])
	if _, err := unix.IoctlGetTermios(fds[0], ioctlGetTermios); err != nil {
		unix.Close(fds[0])
		return nil, errors.New("not a terminal")
	}
	// The client reads through a second open of the device (client's
	// tty.go); a terminal another user owns (root attaching to this
	// user's daemon) can't be opened here, and the stub must run the
	// client itself.
	dev, err := os.Readlink("/proc/self/fd/" + strconv.Itoa(fds[0]))
	if err == nil {
		var probe int
		probe, err = unix.Open(dev, unix.O_RDONLY|unix.O_NOCTTY|unix.O_NONBLOCK|unix.O_CLOEXEC, 0)
		if err == nil {
			unix.Close(probe)
		}
	}
	if err != nil {
		unix.Close(fds[0])
		return nil, fmt.Errorf("cannot open the terminal: %w", err)
	}
	return os.NewFile(uintptr(fds[0]), dev), nil
}

// hostRequest is the stub's request for ep.
func hostRequest(ep *mux.AttachReply, getenv func(string) string) *mux.HostRequest {
	env := make(map[string]string, len(hostEnv))
	for _, k := range hostEnv {
		if v := getenv(k); v != "" {
			env[k] = v
		}
	}
	return &mux.HostRequest{IP: ep.IP, Port: ep.Port, Key: ep.Key, Session: ep.Session,
		Term: getenv("TERM"), Env: env}
}

// errLostServer ends a hosted attach whose daemon went away; "[lost
// server]" (tmux's words) is already on the terminal.
var errLostServer = &exitError{code: 1, err: errors.New("lost server"), quiet: true}

// serverEnded ends an attach whose server ended: kill-server ("server
// exited") or its last session ("exited"); runAttached prints it in
// brackets where a detach prints "detached (from session x)".
type serverEnded string

func (e serverEnded) Error() string { return string(e) }

// canHost reports whether the stub may pass its terminal: in and out are
// the same terminal, no predictor plugin waits to run in the client's
// process, and the system is Linux (canPassTerminal).
func canHost(in *os.File, out io.Writer) bool {
	of, ok := out.(*os.File)
	if !ok || !canPassTerminal {
		return false
	}
	var si, so unix.Stat_t
	if unix.Fstat(int(in.Fd()), &si) != nil || unix.Fstat(int(of.Fd()), &so) != nil {
		return false
	}
	if si.Rdev != so.Rdev || si.Mode&unix.S_IFMT != unix.S_IFCHR {
		return false
	}
	return !havePredictors()
}

// runHosted asks the daemon at path to run the client on in's terminal
// for ep and waits until it ends. hosted is false, with nothing done,
// when the daemon would not (the caller then runs the client itself).
func runHosted(ctx context.Context, path string, in *os.File, out io.Writer, ep *mux.AttachReply) (hosted bool, err error) {
	fd := int(in.Fd())
	saved, err := unix.IoctlGetTermios(fd, ioctlGetTermios)
	if err != nil {
		return false, nil
	}
	c, err := net.DialUnix("unix", nil, &net.UnixAddr{Name: path, Net: "unix"})
	if err != nil {
		return false, nil
	}
	defer c.Close()
	req := mux.Request{Version: mux.ProtocolVersion, Argv: []string{"host-client"}, Host: hostRequest(ep, os.Getenv)}
	if err := mux.WriteMessage(c, req); err != nil {
		return false, nil
	}
	if _, _, err := c.WriteMsgUnix([]byte{0}, unix.UnixRights(fd), nil); err != nil {
		return false, nil
	}
	var resp mux.Response
	if err := mux.ReadMessage(c, &resp); err != nil || resp.Code != 0 {
		return false, nil
	}

	sigs := make(chan os.Signal, 8)
	signal.Notify(sigs, syscall.SIGWINCH, syscall.SIGTERM, syscall.SIGINT, syscall.SIGHUP, syscall.SIGCONT)
	defer signal.Stop(sigs)
	msgs := make(chan hostMsg)
	readDone := make(chan struct{})
	defer close(readDone)
	go func() {
		defer close(msgs)
		for {
			var m hostMsg
			if mux.ReadMessage(c, &m) != nil {
				return
			}
			select {
			case msgs <- m:
			case <-readDone:
				return
			}
		}
	}()
	s := stub{c: c, sigs: sigs}
	done := ctx.Done()
	for {
		select {
		case <-done:
			done = nil
			s.send(hostQuit)
		case sig := <-sigs:
			s.signal(sig)
		case m, ok := <-msgs:
			if !ok {
				// The daemon died with our terminal in raw mode.
				_ = unix.IoctlSetTermios(fd, ioctlSetTermiosDrain, saved)
				fmt.Fprint(out, "\r\n[lost server]\r\n")
				return true, errLostServer
			}
			switch m.Op {
			case hostStop:
				hungUp, quit := s.suspend()
				if hungUp {
					s.send(hostHungUp)
				} else {
					s.send(hostResume)
				}
				if quit {
					s.send(hostQuit)
				}
			case hostExit:
				if m.Ending != "" {
					return true, serverEnded(m.Ending)
				}
				if m.Err != "" {
					return true, errors.New(m.Err)
				}
				return true, nil
			}
		}
	}
}

// stub is the local gosh's side of a hosted client.
type stub struct {
	c    *net.UnixConn
	sigs chan os.Signal
}

// send tells the daemon op; a daemon gone shows as the reader's end.
func (s *stub) send(op string) {
	_ = mux.WriteMessage(s.c, hostMsg{Op: op})
}

func (s *stub) signal(sig os.Signal) {
	switch sig {
	case syscall.SIGWINCH:
		s.send(hostResize)
	case syscall.SIGCONT: // continued by someone else: nothing stopped
	default: // TERM, INT, HUP: end the client, which runs its SSP shutdown
		s.send(hostQuit)
	}
}

// suspend stops the process group, as the client does itself (Ctrl-^
// Ctrl-Z, client.stopSelf), and reports whether it was hung up while
// stopped: a stopped job is hung up with SIGHUP and then SIGCONT, in
// that order (POSIX, _exit). quit says that a signal meanwhile asked
// the client to end.
func (s *stub) suspend() (hungUp, quit bool) {
	resized := false
	if syscall.Kill(0, syscall.SIGSTOP) == nil {
	wait:
		for {
			switch <-s.sigs {
			case syscall.SIGCONT:
				break wait
			case syscall.SIGHUP:
				hungUp = true
			case syscall.SIGWINCH:
				resized = true
			default:
				quit = true
			}
		}
	}
	t := time.NewTimer(hupGraceStub)
	defer t.Stop()
grace:
	for {
		select {
		case sig := <-s.sigs:
			switch sig {
			case syscall.SIGHUP:
				hungUp = true
				break grace
			case syscall.SIGWINCH:
				resized = true
			case syscall.SIGCONT:
			default:
				quit = true
			}
		case <-t.C:
			break grace
		}
	}
	if resized && !hungUp {
		s.send(hostResize)
	}
	return hungUp, quit && !hungUp
}

// hupGraceStub is how long after being continued the stub looks for the
// SIGHUP of a hangup (the client's hupGrace).
const hupGraceStub = 10 * time.Millisecond
