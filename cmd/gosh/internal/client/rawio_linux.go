package client

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

// Raw calls of the raw loop. When the daemon hosts a local client, the
// client's loop and the server's share one process, and a keystroke's
// echo is a chain of non-blocking calls on its terminal, sockets, epoll
// set and pty. Made through the runtime's syscall bookkeeping
// (entersyscall), the first of them after an idle pause wakes the
// runtime's sysmon thread, which then polls every 20 µs while the process
// is busy and may hand the P to a second thread during a call: two or
// three extra context switches on the keystroke's CPU (perf sched trace,
// docs/performance.md "Session 6"). Raw syscalls skip the bookkeeping;
// they are safe only for calls that return at once, which every call
// here does (non-blocking descriptors, a zero epoll timeout), except the
// wait for a full terminal to drain, which goes through the bookkeeping.

// rawRead is one read(2) of a non-blocking descriptor, retried on EINTR.
func rawRead(fd int, b []byte) (int, error) { return rawIO(unix.SYS_READ, fd, b) }

// rawIO is one read or write (trap) of b on fd, retried on EINTR.
func rawIO(trap uintptr, fd int, b []byte) (int, error) {
	for range eintrRetries {
		n, _, e := unix.RawSyscall(trap, uintptr(fd), uintptr(unsafe.Pointer(unsafe.SliceData(b))), uintptr(len(b)))
		if e != unix.EINTR {
			if e != 0 {
				return 0, e
			}
			return int(n), nil
		}
	}
	return 0, unix.EINTR
}

// rawEpollPoll takes ready events of the epoll set ep without waiting.
func rawEpollPoll(ep int, events []unix.EpollEvent) (int, error) {
	for range eintrRetries {
		// epoll_pwait with no signal mask is epoll_wait, on every
		// architecture (arm64 has no epoll_wait).
		n, _, e := unix.RawSyscall6(unix.SYS_EPOLL_PWAIT, uintptr(ep), uintptr(unsafe.Pointer(unsafe.SliceData(events))),
			uintptr(len(events)), 0, 0, 0)
		if e != unix.EINTR {
			if e != 0 {
				return 0, e
			}
			return int(n), nil
		}
	}
	return 0, nil // interrupted throughout: nothing taken
}

// writeOnce is one write(2) of b to fd, raw (see the top of this file).
func writeOnce(fd int, b []byte) (int, error) {
	n, _, e := unix.RawSyscall(unix.SYS_WRITE, uintptr(fd), uintptr(unsafe.Pointer(unsafe.SliceData(b))), uintptr(len(b)))
	if e != 0 {
		return 0, e
	}
	return int(n), nil
}
