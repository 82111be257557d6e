//go:build darwin || freebsd

package server

import (
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

// readOnce is one read(2) of the pty (readRaw), through x/sys's wrapper.
func readOnce(fd uintptr, b []byte) (int, error) { return unix.Read(int(fd), b) }

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
