//go:build darwin || dragonfly || freebsd || netbsd || openbsd

package client

import (
	"context"
	"sync/atomic"

	"golang.org/x/sys/unix"

	"github.com/goshterm/gosh/ssp/conn"
)

// haveRawLoop: the raw loop (rawloop_linux.go) is built on epoll(7) and
// measured on Linux only. Here Run drives a real terminal with the select
// loop (run), as it does a simulated one: tcell reads the terminal, the
// transport's Inbox the sockets. It is the loop every client had before
// the raw loop, a few goroutine hand-offs per keystroke slower.
const haveRawLoop = false

// The termios requests (tcgetattr, tcsetattr TCSANOW and TCSADRAIN;
// termios(4)).
const (
	ioctlGetTermios      = unix.TIOCGETA
	ioctlSetTermios      = unix.TIOCSETA
	ioctlSetTermiosDrain = unix.TIOCSETAW
)

// rawNetwork is the raw loop's socket list; Run makes none here.
type rawNetwork struct{ conn.UDPNetwork }

// runRaw is never called here (haveRawLoop); were it, it would run the
// select loop.
func (f *front) runRaw(ctx context.Context, _ *tty, _ *rawNetwork) error { return f.run(ctx) }

// writeAll writes b to the non-blocking descriptor fd, waiting in
// poll(2) while the terminal is full until stop is set, as Linux's does
// (rawio_linux.go) but through x/sys's wrappers. Only the raw loop opens
// such a descriptor (tty.outFD), so Run never calls it here.
func writeAll(fd int, b []byte, stop *atomic.Bool) (int, error) {
	done, eintr := 0, 0
	for done < len(b) {
		n, err := unix.Write(fd, b[done:])
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

// devicePath names the terminal device behind fd: the /dev entry with its
// device number (deviceIn), falling back to the controlling terminal.
// Not /dev/tty when the device can be found: macOS's kqueue cannot poll
// that alias (kevent answers EINVAL), so Go's poller would leave the file
// blocking, and the read deadline that ends tcell's read on Suspend and
// Fini (tty.wakeReader) would never take effect; the device itself
// (/dev/ttysNNN) polls.
func devicePath(fd int) string {
	if p, ok := deviceIn("/dev", fd); ok {
		return p
	}
	return "/dev/tty"
}
