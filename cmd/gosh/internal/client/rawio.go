package client

import (
	"io"
	"os"
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
func rawRead(fd int, b []byte) (int, error) {
	for {
		n, _, e := unix.RawSyscall(unix.SYS_READ, uintptr(fd), uintptr(unsafe.Pointer(unsafe.SliceData(b))), uintptr(len(b)))
		switch e {
		case 0:
			return int(n), nil
		case unix.EINTR:
			continue
		}
		return 0, e
	}
}

// rawEpollPoll takes ready events of the epoll set ep without waiting.
func rawEpollPoll(ep int, events []unix.EpollEvent) (int, error) {
	for {
		// epoll_pwait with no signal mask is epoll_wait, on every
		// architecture (arm64 has no epoll_wait).
		n, _, e := unix.RawSyscall6(unix.SYS_EPOLL_PWAIT, uintptr(ep), uintptr(unsafe.Pointer(unsafe.SliceData(events))),
			uintptr(len(events)), 0, 0, 0)
		switch e {
		case 0:
			return int(n), nil
		case unix.EINTR:
			continue
		}
		return 0, e
	}
}

// writeAll writes b to the non-blocking descriptor fd. A terminal that
// doesn't take it all (a slow link under a big repaint) is waited for in
// poll(2), through the runtime's bookkeeping, as a blocking write would
// wait.
func writeAll(fd int, b []byte) (int, error) {
	done := 0
	for done < len(b) {
		n, _, e := unix.RawSyscall(unix.SYS_WRITE, uintptr(fd), uintptr(unsafe.Pointer(&b[done])), uintptr(len(b)-done))
		switch e {
		case 0:
			done += int(n)
		case unix.EINTR:
		case unix.EAGAIN:
			pfd := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLOUT}}
			if _, err := unix.Poll(pfd, -1); err != nil && err != unix.EINTR {
				return done, err
			}
		default:
			return done, e
		}
	}
	return done, nil
}

// sameDevice reports whether out is the terminal in is: then the loop
// may write to a descriptor of its own for that device.
func sameDevice(in *os.File, out io.Writer) bool {
	f, ok := out.(*os.File)
	if !ok {
		return false
	}
	var a, b unix.Stat_t
	if unix.Fstat(int(in.Fd()), &a) != nil {
		return false
	}
	// Not f.Fd(): that would switch a non-blocking out to blocking.
	rc, err := f.SyscallConn()
	if err != nil {
		return false
	}
	var serr error
	if err := rc.Control(func(fd uintptr) { serr = unix.Fstat(int(fd), &b) }); err != nil || serr != nil {
		return false
	}
	return a.Mode&unix.S_IFMT == unix.S_IFCHR && a.Rdev == b.Rdev && b.Mode&unix.S_IFMT == unix.S_IFCHR
}
