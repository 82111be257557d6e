package pty

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"syscall"
	"time"
	"unsafe"

	cpty "github.com/creack/pty"
	"golang.org/x/sys/unix"
)

// Config describes the child to start.
type Config struct {
	// Path is the program to run (looked up in PATH when it has no slash)
	// and Args its full argv, Args[0] included. With Args empty, argv is
	// just Path.
	Path string
	Args []string
	// Env is the child's whole environment; nil means the caller's.
	Env []string
	// Dir is the child's working directory; "" means the caller's.
	Dir string
	// Cols and Rows are the initial window size (at least 1 each).
	Cols, Rows int
}

// Status is how a child ended.
type Status struct {
	// Code is the exit code when the child exited, or -1 when a signal
	// killed it.
	Code int
	// Signal is the signal that killed the child, or 0.
	Signal syscall.Signal
}

func (s Status) String() string {
	if s.Signal != 0 {
		return "signal " + s.Signal.String()
	}
	return "exit " + strconv.Itoa(s.Code)
}

// Termios is the part of the pty's line discipline that prediction needs.
type Termios struct {
	// Canonical is ICANON: the kernel edits the line, so typed characters
	// are echoed by the tty rather than by the program.
	Canonical bool
	// Echo is ECHO; off in canonical mode means a password prompt.
	Echo bool
}

// Process is a child running on a pty. Read and Write reach the pty master.
// All methods are safe for concurrent use; Read should have one caller.
type Process struct {
	master *os.File
	rc     syscall.RawConn // master's, for the raw calls (raw_*.go)
	cmd    *exec.Cmd
	pid    int
	tty    string // the child's terminal, /dev/pts/N

	done   chan struct{} // closed when the child has been reaped
	status Status        // valid after done

	closeOnce sync.Once
	closeErr  error

	tioMu sync.Mutex
	tio   unix.Termios // Termios reads into it

	// commFD is the open /proc/PID/comm of the foreground group's leader
	// (ForegroundName). Every frame composed for an attached client asks
	// for the name, on the keystroke's echo path; an open and a close of
	// /proc per ask was ~10 syscalls (os.Open's poller probing included)
	// and most of the composition's time. An open /proc/PID/comm is read
	// afresh by each pread, so it names the program even after the
	// leader execs another one; only ForegroundNameCached reuses a name,
	// for a bounded time.
	commMu  sync.Mutex
	commFD  int // -1: none open
	commPid int // the process commFD is of
	// commName is the last name read, returned again while it is the same
	commName string
	closed   bool // Close ran: keep no descriptor open
	// commSeen is when the group commPid was first seen in the
	// foreground, and commUntil how long its name, read once the group
	// had settled, may be reused (ForegroundNameCached); zero: not
	// reusable.
	commSeen, commUntil time.Time

	rd     rawOp // Read's call; Read has one caller
	readFn func(uintptr) bool
	wmu    sync.Mutex
	wr     rawOp // TryWrite's call, under wmu
	wrFn   func(uintptr) bool
}

// ErrNotExited is returned by Status before the child has been reaped.
var ErrNotExited = errors.New("pty: process has not exited")

// Start runs the program described by c on a new pty. The child is a
// session leader with the pty as its controlling terminal (setsid and
// TIOCSCTTY), so job control and SIGHUP on close work as in a terminal.
func Start(c Config) (*Process, error) {
	if c.Path == "" {
		return nil, errors.New("pty: no program")
	}
	args := c.Args
	if len(args) == 0 {
		args = []string{c.Path}
	}
	cmd := exec.Command(c.Path)
	cmd.Args = args
	cmd.Env = c.Env
	cmd.Dir = c.Dir
	cols, rows := max(c.Cols, 1), max(c.Rows, 1)
	master, err := cpty.StartWithSize(cmd, &cpty.Winsize{Cols: uint16(cols), Rows: uint16(rows)})
	if err != nil {
		return nil, fmt.Errorf("pty: start %s: %w", c.Path, err)
	}
	pollable, err := Pollable(master)
	if err != nil {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		return nil, err
	}
	rc, err := pollable.SyscallConn()
	if err != nil {
		pollable.Close()
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		return nil, fmt.Errorf("pty: %w", err)
	}
	p := &Process{master: pollable, rc: rc, cmd: cmd, pid: cmd.Process.Pid, done: make(chan struct{}), commFD: -1}
	p.readFn, p.wrFn = p.rawRead, p.rawWrite
	if f, ok := cmd.Stdin.(*os.File); ok { // creack/pty gives the child the slave as stdin
		p.tty = f.Name()
	}
	go p.waitLoop()
	return p, nil
}

// Pollable returns a non-blocking duplicate of the pty master f registered
// with Go's poller, and closes f. Use it on a master from creack/pty
// directly (Start does). creack/pty's ioctls call File.Fd, which leaves the
// master in blocking mode; a blocking Read can't be interrupted by Close, so
// a pane whose child ignores SIGHUP would pin its read goroutine forever.
func Pollable(f *os.File) (*os.File, error) {
	defer f.Close()
	fd, err := unix.Dup(int(f.Fd()))
	if err != nil {
		return nil, fmt.Errorf("pty: dup master: %w", err)
	}
	unix.CloseOnExec(fd)
	if err := unix.SetNonblock(fd, true); err != nil {
		unix.Close(fd)
		return nil, fmt.Errorf("pty: nonblock: %w", err)
	}
	return os.NewFile(uintptr(fd), f.Name()), nil
}

// waitLoop reaps the child once and records its status.
func (p *Process) waitLoop() {
	err := p.cmd.Wait()
	st := Status{Code: -1}
	var ee *exec.ExitError
	if err == nil || errors.As(err, &ee) {
		ws := p.cmd.ProcessState.Sys().(syscall.WaitStatus)
		switch {
		case ws.Exited():
			st.Code = ws.ExitStatus()
		case ws.Signaled():
			st.Signal = ws.Signal()
		}
	}
	p.status = st
	close(p.done)
}

// Pid returns the child's process id.
func (p *Process) Pid() int { return p.pid }

// TTY returns the path of the child's terminal (tmux's pane_tty).
func (p *Process) TTY() string { return p.tty }

// Read reads output the child wrote to the terminal. After the child and
// every process sharing the pty have closed it, Read returns an error
// (EIO on Linux); after Close it returns os.ErrClosed.
//
// It waits in Go's poller and reads with a raw read(2) (raw_linux.go;
// raw_bsd.go elsewhere).
func (p *Process) Read(b []byte) (int, error) {
	if len(b) == 0 {
		return 0, nil
	}
	r := &p.rd
	r.b = b
	err := p.rc.Read(p.readFn)
	r.b = nil
	switch {
	case err != nil:
		// The poller fails a wait only for a closed file: no deadline
		// is ever set on a master.
		return 0, &os.PathError{Op: "read", Path: p.master.Name(), Err: os.ErrClosed}
	case r.err != 0:
		return 0, &os.PathError{Op: "read", Path: p.master.Name(), Err: r.err}
	case r.n == 0:
		return 0, io.EOF
	}
	return r.n, nil
}

// Write sends input to the child as if typed.
func (p *Process) Write(b []byte) (int, error) { return p.master.Write(b) }

// TryWrite is Write that never waits: it writes what the terminal's input
// buffer takes now (perhaps nothing) and returns how much that was. A
// child that stops reading fills the buffer (about 64 KiB on Linux), and
// then Write waits until it reads; an event loop that must keep serving
// other things queues the rest instead.
func (p *Process) TryWrite(b []byte) (int, error) {
	if len(b) == 0 {
		return 0, nil
	}
	p.wmu.Lock()
	defer p.wmu.Unlock()
	w := &p.wr
	w.b = b
	err := p.rc.Write(p.wrFn)
	w.b = nil
	if err != nil {
		return 0, &os.PathError{Op: "write", Path: p.master.Name(), Err: os.ErrClosed}
	}
	if w.err == unix.EAGAIN {
		return 0, nil
	}
	if w.err != 0 {
		return 0, fmt.Errorf("pty: write: %w", w.err)
	}
	return w.n, nil
}

// Resize sets the pty's window size; the kernel sends SIGWINCH to the
// foreground process group.
func (p *Process) Resize(cols, rows int) error {
	ws := &unix.Winsize{Col: uint16(min(max(cols, 1), 0xffff)), Row: uint16(min(max(rows, 1), 0xffff))}
	if err := p.control(func(fd int) error { return unix.IoctlSetWinsize(fd, unix.TIOCSWINSZ, ws) }); err != nil {
		return fmt.Errorf("pty: resize: %w", err)
	}
	return nil
}

// Signal sends sig to the child.
func (p *Process) Signal(sig syscall.Signal) error {
	select {
	case <-p.done:
		return os.ErrProcessDone
	default:
	}
	if err := p.cmd.Process.Signal(sig); err != nil {
		return fmt.Errorf("pty: signal: %w", err)
	}
	return nil
}

// Done is closed once the child has exited and been reaped.
func (p *Process) Done() <-chan struct{} { return p.done }

// Wait blocks until the child exits and returns how it ended.
func (p *Process) Wait() Status {
	<-p.done
	return p.status
}

// Status returns how the child ended, or ErrNotExited.
func (p *Process) Status() (Status, error) {
	select {
	case <-p.done:
		return p.status, nil
	default:
		return Status{}, ErrNotExited
	}
}

// ForegroundPgrp returns the terminal's foreground process group
// (tcgetpgrp on the master).
func (p *Process) ForegroundPgrp() (int, error) {
	var pgrp int32 // pid_t
	if err := p.control(func(fd int) error { return rawIoctl(fd, unix.TIOCGPGRP, unsafe.Pointer(&pgrp)) }); err != nil {
		return 0, fmt.Errorf("pty: tcgetpgrp: %w", err)
	}
	return int(pgrp), nil
}

// ForegroundName returns the name of the terminal's foreground process
// (/proc/PGRP/comm; on macOS kinfo_proc's p_comm, as tmux's osdep-darwin.c
// reads it), which is what tmux shows as pane_current_command. It falls
// back to the child itself when the group can't be read.
//
// On Linux it costs a TIOCGPGRP ioctl and one pread of a descriptor kept
// open while the foreground group stays the same (proc_linux.go). The
// name is read afresh each time, never cached: a name read between the
// fork and the exec of a command (the child already leads the foreground
// group but still runs the shell's program) must not outlive the exec.
func (p *Process) ForegroundName() (string, error) {
	pid := p.pid
	if pg, err := p.ForegroundPgrp(); err == nil && pg > 0 {
		pid = pg
	}
	name, err := p.readComm(pid)
	if err != nil && pid != p.pid {
		name, err = p.readComm(p.pid)
	}
	if err != nil {
		return "", fmt.Errorf("pty: process name: %w", err)
	}
	return name, nil
}

// Reuse of a foreground program's name (ForegroundNameCached).
const (
	// nameSettle is how long a group must have led the foreground before
	// its name is reused: a shell forks a job, makes its group the
	// foreground and only then execs the program, so a name read in
	// that window is still the shell's.
	nameSettle = 50 * time.Millisecond
	// NameReuse is how long a settled group's name is reused. A group
	// whose leader execs another program without a new group (exec vim)
	// is named afresh at most this late; tmux renames its windows on a
	// 500 ms timer.
	NameReuse = 500 * time.Millisecond
)

// ForegroundNameCached is ForegroundName for a caller that asks with each
// frame, on a keystroke's echo path: while the same group has led the
// foreground since more than nameSettle ago, the name read then is reused
// for NameReuse, saving the pread of /proc (a TIOCGPGRP still finds out
// about a new group at once). until is when a reused name is due to be
// read again, and zero when the name was read now: a caller that was
// served a reused name looks again then. A reused name also outlives its
// group's leader by up to NameReuse (the last of a pipeline's programs
// to run may lead none), where a fresh read would fall back to the
// child's name.
func (p *Process) ForegroundNameCached(now time.Time) (name string, until time.Time, err error) {
	pg, err := p.ForegroundPgrp()
	if err != nil || pg <= 0 {
		name, err = p.ForegroundName()
		return name, time.Time{}, err
	}
	p.commMu.Lock()
	if p.commPid == pg && p.commFD >= 0 && now.Before(p.commUntil) {
		name, until = p.commName, p.commUntil
		p.commMu.Unlock()
		return name, until, nil
	}
	p.commMu.Unlock()
	name, err = p.readComm(pg)
	if err != nil && pg != p.pid {
		name, err = p.readComm(p.pid) // as ForegroundName falls back
	}
	if err != nil {
		return "", time.Time{}, fmt.Errorf("pty: process name: %w", err)
	}
	p.commMu.Lock()
	defer p.commMu.Unlock()
	if p.commPid != pg {
		return name, time.Time{}, nil
	}
	if p.commSeen.IsZero() || now.Before(p.commSeen) {
		p.commSeen = now
	}
	if now.Sub(p.commSeen) >= nameSettle {
		p.commUntil = now.Add(NameReuse)
	}
	return name, time.Time{}, nil
}

// Termios reads the pty's line discipline flags.
//
// It is read on every frame (the client predicts no echo at a password
// prompt), into a struct the Process keeps rather than one
// unix.IoctlGetTermios allocates.
func (p *Process) Termios() (Termios, error) {
	p.tioMu.Lock()
	defer p.tioMu.Unlock()
	err := p.control(func(fd int) error { return rawIoctl(fd, ioctlGetTermios, unsafe.Pointer(&p.tio)) })
	if err != nil {
		return Termios{}, fmt.Errorf("pty: tcgetattr: %w", err)
	}
	return Termios{Canonical: p.tio.Lflag&unix.ICANON != 0, Echo: p.tio.Lflag&unix.ECHO != 0}, nil
}

// control runs f on the master's descriptor (Control).
func (p *Process) control(f func(fd int) error) error { return Control(p.master, f) }

// Control runs fn on the descriptor of f (a pollable master) without
// File.Fd, which would switch the file to blocking mode and stop Close
// from interrupting Read.
func Control(f *os.File, fn func(fd int) error) error {
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

// Close closes the pty master, which hangs up the terminal: the kernel
// sends SIGHUP to the child's session. It does not wait for the child; use
// Wait. Close is idempotent.
func (p *Process) Close() error {
	p.closeOnce.Do(func() {
		p.closeErr = p.master.Close()
		p.commMu.Lock()
		p.closeCommLocked()
		p.closed = true
		p.commMu.Unlock()
	})
	return p.closeErr
}
