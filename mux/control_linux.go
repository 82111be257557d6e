package mux

import "golang.org/x/sys/unix"

// socketPeerUID is the uid of the process at the other end of the unix
// socket fd (SO_PEERCRED, unix(7)).
func socketPeerUID(fd int) (int, error) {
	cred, err := unix.GetsockoptUcred(fd, unix.SOL_SOCKET, unix.SO_PEERCRED)
	if err != nil {
		return -1, err
	}
	return int(cred.Uid), nil
}
