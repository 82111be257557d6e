//go:build darwin || dragonfly || freebsd || netbsd || openbsd

package pty

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

// The calls of raw_linux.go, through x/sys's wrappers. On macOS a program
// makes system calls through libSystem rather than by trap numbers (the
// numbers are not a stable interface there), and the runtime bookkeeping
// raw_linux.go avoids is a Linux latency measure, not a need; these are
// the same calls made the portable way.

// rawOp is one read or write: its buffer and result.
type rawOp struct {
	b   []byte
	n   int
	err unix.Errno
}

// eintrRetries bounds the retries of a call a signal interrupted.
const eintrRetries = 100

// ioctlGetTermios is tcgetattr's request on the BSDs and macOS (termios(4);
// Linux's is TCGETS).
const ioctlGetTermios = unix.TIOCGETA

// rawRead is Read's callback for the master's RawConn: one read(2),
// retried on EINTR; false (wait for the poller) on EAGAIN.
func (p *Process) rawRead(fd uintptr) bool {
	r := &p.rd
	r.call(unix.Read, fd)
	return r.err != unix.EAGAIN
}

// rawWrite is TryWrite's callback: one write(2), retried on EINTR, never
// waiting (EAGAIN is TryWrite's "nothing taken").
func (p *Process) rawWrite(fd uintptr) bool {
	p.wr.call(unix.Write, fd)
	return true
}

// call makes the read or write (op) of fd with o's buffer.
func (o *rawOp) call(op func(int, []byte) (int, error), fd uintptr) {
	for range eintrRetries {
		n, err := op(int(fd), o.b)
		if err == unix.EINTR {
			continue
		}
		o.n, o.err = max(n, 0), errnoOf(err)
		if o.err != 0 {
			o.n = 0
		}
		return
	}
	o.n, o.err = 0, unix.EINTR
}

// errnoOf is err's Errno (EIO for an error that is none, which x/sys's
// wrappers never return).
func errnoOf(err error) unix.Errno {
	if err == nil {
		return 0
	}
	if e, ok := err.(unix.Errno); ok {
		return e
	}
	return unix.EIO
}

// rawIoctl is ioctl(fd, req, arg) for the two requests pty.go makes
// (TIOCGPGRP into an int32, tcgetattr into a unix.Termios), by x/sys's
// typed wrappers: x/sys has no untyped ioctl on these systems.
func rawIoctl(fd int, req uint, arg unsafe.Pointer) error {
	switch req {
	case unix.TIOCGPGRP:
		pg, err := unix.IoctlGetInt(fd, unix.TIOCGPGRP)
		if err != nil {
			return err
		}
		*(*int32)(arg) = int32(pg) // pid_t
		return nil
	case ioctlGetTermios:
		t, err := unix.IoctlGetTermios(fd, ioctlGetTermios)
		if err != nil {
			return err
		}
		*(*unix.Termios)(arg) = *t
		return nil
	}
	return unix.ENOTTY
}
