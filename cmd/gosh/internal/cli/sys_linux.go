package cli

import "golang.org/x/sys/unix"

// The termios requests (tcgetattr, tcsetattr TCSANOW and TCSADRAIN).
const (
	ioctlGetTermios      = unix.TCGETS
	ioctlSetTermios      = unix.TCSETS
	ioctlSetTermiosDrain = unix.TCSETSW
)

// canPassTerminal: a local attach may hand its terminal to the daemon
// (hosted.go), which finds the device's path in /proc/self/fd to open it
// again for the client.
const canPassTerminal = true

// fdDir lists the process's open descriptors (closeInheritedFiles).
const fdDir = "/proc/self/fd"
