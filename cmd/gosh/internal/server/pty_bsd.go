//go:build darwin || freebsd

package server

import (
	"io"
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"
)

// The pty calls of pty_linux.go through x/sys's wrappers: on macOS system
// calls go through libSystem, not trap numbers, and the raw calls'
// saving is a Linux latency measure (see readRaw there).

// ioctlGetTermios is tcgetattr's request; ioctlSetTermios tcsetattr's
// (TCSANOW; termios(4)).
const (
	ioctlGetTermios = unix.TIOCGETA
	ioctlSetTermios = unix.TIOCSETA
)

// readRaw waits in the poller until the pty has output and reads it. n is
// 0 and err io.EOF-like (EIO) once the program's side is closed.
func readRaw(rc syscall.RawConn, b []byte) (int, error) {
	var n int
	var rerr error
	err := rc.Read(func(fd uintptr) bool {
		for {
			r, err := unix.Read(int(fd), b)
			switch err {
			case unix.EINTR:
				continue
			case unix.EAGAIN:
				return false
			case nil:
				n, rerr = r, nil
				if n == 0 {
					rerr = io.EOF
				}
			default:
				n, rerr = 0, err
			}
			return true
		}
	})
	if err != nil {
		return 0, err
	}
	return n, rerr
}

// rawWrite is one non-blocking write(2).
func rawWrite(fd uintptr, b []byte) (int, error) {
	if len(b) == 0 {
		return 0, nil
	}
	n, err := unix.Write(int(fd), b)
	if err != nil {
		return 0, err
	}
	return n, nil
}

// rawIoctl is ioctl(fd, req, arg) for the two requests the session makes
// (tcgetattr into a unix.Termios, TIOCGPGRP into an int32), by x/sys's
// typed wrappers: x/sys has no untyped ioctl on these systems.
func rawIoctl(fd int, req uint, arg unsafe.Pointer) error {
	switch req {
	case ioctlGetTermios:
		t, err := unix.IoctlGetTermios(fd, ioctlGetTermios)
		if err != nil {
			return err
		}
		*(*unix.Termios)(arg) = *t
		return nil
	case unix.TIOCGPGRP:
		pg, err := unix.IoctlGetInt(fd, unix.TIOCGPGRP)
		if err != nil {
			return err
		}
		*(*int32)(arg) = int32(pg) // pid_t
		return nil
	}
	return unix.ENOTTY
}
