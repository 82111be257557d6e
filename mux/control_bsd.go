//go:build darwin || freebsd

package mux

import (
	"net"

	"golang.org/x/sys/unix"
)

// peerUID returns the uid of the process at the other end
// (LOCAL_PEERCRED, unix(4) on macOS and FreeBSD; Linux has SO_PEERCRED).
func peerUID(c *net.UnixConn) (int, error) {
	rc, err := c.SyscallConn()
	if err != nil {
		return -1, err
	}
	var cred *unix.Xucred
	var cerr error
	if err := rc.Control(func(fd uintptr) {
		cred, cerr = unix.GetsockoptXucred(int(fd), unix.SOL_LOCAL, unix.LOCAL_PEERCRED)
	}); err != nil {
		return -1, err
	}
	if cerr != nil {
		return -1, cerr
	}
	return int(cred.Uid), nil
}
