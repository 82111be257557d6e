package pty

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

// Raw calls. A keystroke's echo through the daemon reads and writes the
// pty and asks for its foreground group, name and termios; each of those
// calls is made with a raw syscall, which skips the runtime's syscall
// bookkeeping (entersyscall/exitsyscall). That bookkeeping wakes the
// runtime's sysmon thread from its idle sleep on the first syscall after
// a pause and lets it hand the P to a second thread meanwhile: two or
// three extra context switches on the keystroke's CPU (perf sched trace,
// docs/performance.md "Session 6"). Every call here returns at once (a
// non-blocking master, an ioctl, a read of /proc), which is what makes a
// raw syscall safe: the runtime never needs the P back during one.

// rawOp is one raw read or write: its buffer and result.
type rawOp struct {
	b   []byte
	n   int
	err unix.Errno
}

// eintrRetries bounds the retries of a call a signal interrupted.
const eintrRetries = 100

// rawRead is Read's callback for the master's RawConn: one read(2),
// retried on EINTR; false (wait for the poller) on EAGAIN.
func (p *Process) rawRead(fd uintptr) bool {
	r := &p.rd
	r.rawCall(unix.SYS_READ, fd)
	return r.err != unix.EAGAIN
}

// rawWrite is TryWrite's callback: one write(2), retried on EINTR, never
// waiting (EAGAIN is TryWrite's "nothing taken").
func (p *Process) rawWrite(fd uintptr) bool {
	p.wr.rawCall(unix.SYS_WRITE, fd)
	return true
}

// rawCall makes the read or write trap of fd with o's buffer.
func (o *rawOp) rawCall(trap, fd uintptr) {
	for range eintrRetries {
		n, _, e := unix.RawSyscall(trap, fd, uintptr(unsafe.Pointer(unsafe.SliceData(o.b))), uintptr(len(o.b)))
		if e != unix.EINTR {
			o.n, o.err = int(n), e
			if e != 0 {
				o.n = 0
			}
			return
		}
	}
	o.n, o.err = 0, unix.EINTR
}

// rawIoctl is ioctl(fd, req, arg) for the requests that read a value
// (TIOCGPGRP, TCGETS).
func rawIoctl(fd int, req uint, arg unsafe.Pointer) error {
	if _, _, e := unix.RawSyscall(unix.SYS_IOCTL, uintptr(fd), uintptr(req), uintptr(arg)); e != 0 {
		return e
	}
	return nil
}

// rawPreadStart is pread(2) at offset 0, of a /proc file.
func rawPreadStart(fd int, b []byte) (int, error) {
	n, _, e := unix.RawSyscall6(unix.SYS_PREAD64, uintptr(fd), uintptr(unsafe.Pointer(unsafe.SliceData(b))), uintptr(len(b)), 0, 0, 0)
	if e != 0 {
		return 0, e
	}
	return int(n), nil
}
