package client

import "golang.org/x/sys/unix"

// haveRawLoop: Run drives a real terminal with the raw loop
// (rawloop_linux.go), which is built on epoll(7).
const haveRawLoop = true

// The termios requests (tcgetattr, tcsetattr TCSANOW and TCSADRAIN).
const (
	ioctlGetTermios      = unix.TCGETS
	ioctlSetTermios      = unix.TCSETS
	ioctlSetTermiosDrain = unix.TCSETSW
)
