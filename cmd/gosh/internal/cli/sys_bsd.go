//go:build darwin || freebsd

package cli

import "golang.org/x/sys/unix"

// The termios requests (tcgetattr, tcsetattr TCSANOW and TCSADRAIN;
// termios(4)).
const (
	ioctlGetTermios      = unix.TIOCGETA
	ioctlSetTermios      = unix.TIOCSETA
	ioctlSetTermiosDrain = unix.TIOCSETAW
)

// canPassTerminal: the hosted local attach (hosted.go) is Linux's; the
// daemon reopens the passed terminal by its /proc/self/fd path, and the
// echo-latency work it exists for was done and measured on Linux. Here a
// local attach runs the client itself, as it does when a daemon refuses
// to host.
const canPassTerminal = false

// fdDir lists the process's open descriptors (closeInheritedFiles):
// fdescfs, mounted on macOS (on FreeBSD only 0-2 without it).
const fdDir = "/dev/fd"
