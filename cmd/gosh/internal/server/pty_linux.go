package server

import (
	"os"
	"strconv"
	"strings"
	"unsafe"

	"golang.org/x/sys/unix"
)

// ioctlGetTermios is tcgetattr's request; ioctlSetTermios tcsetattr's
// (TCSANOW).
const (
	ioctlGetTermios = unix.TCGETS
	ioctlSetTermios = unix.TCSETS
)

// readOnce is one raw read(2) of the pty (readRaw). A raw system call
// skips the runtime's syscall bookkeeping (entersyscall), which wakes the
// runtime's sysmon thread from its idle sleep, after which it polls every
// 20 µs for as long as the process is busy: on the typing benchmark that
// was a third of the server's CPU time. A raw call must not block; the
// descriptor is non-blocking (pollable), so it returns EAGAIN instead and
// the wait is the poller's.
func readOnce(fd uintptr, b []byte) (int, error) {
	r, _, errno := unix.RawSyscall(unix.SYS_READ, fd, uintptr(unsafe.Pointer(&b[0])), uintptr(len(b)))
	if errno != 0 {
		return 0, errno
	}
	return int(r), nil
}

// rawWrite is one raw, non-blocking write(2) (see readRaw).
func rawWrite(fd uintptr, b []byte) (int, error) {
	if len(b) == 0 {
		return 0, nil
	}
	r, _, errno := unix.RawSyscall(unix.SYS_WRITE, fd, uintptr(unsafe.Pointer(&b[0])), uintptr(len(b)))
	if errno != 0 {
		return 0, errno
	}
	return int(r), nil
}

// rawIoctl is a raw ioctl(2) that only reads the tty's state (see
// readRaw): it never blocks.
func rawIoctl(fd int, req uint, arg unsafe.Pointer) error {
	if _, _, errno := unix.RawSyscall(unix.SYS_IOCTL, uintptr(fd), uintptr(req), uintptr(arg)); errno != 0 {
		return errno
	}
	return nil
}

// programName is the name of process pid (/proc/PID/comm), or "".
func programName(pid int) string {
	b, _ := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/comm")
	return strings.TrimSpace(string(b))
}
