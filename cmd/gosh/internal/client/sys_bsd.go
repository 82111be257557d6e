//go:build darwin || dragonfly || freebsd || netbsd || openbsd

package client

import (
	"context"

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

// writeOnce is one write(2) of b to fd, through x/sys's wrapper. Only
// the raw loop opens the descriptor writeAll writes through (tty.outFD),
// so Run never calls it here.
func writeOnce(fd int, b []byte) (int, error) { return unix.Write(fd, b) }

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
