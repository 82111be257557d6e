//go:build darwin || freebsd

package mux

import "golang.org/x/sys/unix"

// socketPeerUID is the uid of the process at the other end of the unix
// socket fd (LOCAL_PEERCRED, unix(4) on macOS and FreeBSD; Linux has
// SO_PEERCRED).
func socketPeerUID(fd int) (int, error) {
	cred, err := unix.GetsockoptXucred(fd, unix.SOL_LOCAL, unix.LOCAL_PEERCRED)
	if err != nil {
		return -1, err
	}
	return int(cred.Uid), nil
}
