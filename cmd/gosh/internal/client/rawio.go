package client

import (
	"errors"
	"io"
	"os"
	"sync/atomic"

	"golang.org/x/sys/unix"
)

// The terminal I/O the raw loop shares with the rest of the client; its
// raw calls are in rawio_linux.go (writeOnce in sys_bsd.go elsewhere).

// eintrRetries bounds the retries of a call a signal interrupted.
const eintrRetries = 100

// fullWait is how long writeAll waits in one poll(2) for a full terminal
// to take more, before it looks at stop again.
const fullWait = 100 // ms

// errTerminalClosing ends a write to a terminal that is being closed.
var errTerminalClosing = errors.New("client: terminal closing")

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

// writeAll writes b to the non-blocking descriptor fd, one writeOnce at a
// time. A terminal that doesn't take it all (a slow link under a big
// repaint) is waited for in poll(2), through the runtime's bookkeeping,
// as a blocking write would wait, until stop is set (the terminal is
// being closed).
func writeAll(fd int, b []byte, stop *atomic.Bool) (int, error) {
	done, eintr := 0, 0
	for done < len(b) {
		n, err := writeOnce(fd, b[done:])
		switch err {
		case nil:
			done += n
		case unix.EINTR:
			if eintr++; eintr > eintrRetries {
				return done, err
			}
		case unix.EAGAIN:
			if stop.Load() {
				return done, errTerminalClosing
			}
			pfd := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLOUT}}
			if _, err := unix.Poll(pfd, fullWait); err != nil && err != unix.EINTR {
				return done, err
			}
		default:
			return done, err
		}
	}
	return done, nil
}
