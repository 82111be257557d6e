//go:build !linux

package conn

import (
	"net"
	"net/netip"
	"syscall"
)

// setSockOpts leaves the socket as the system made it: the options mosh
// sets (udp_linux.go) are Linux's.
func setSockOpts(*net.UDPConn, bool) error { return nil }

// OOBSize is 0: no control messages are asked for.
const OOBSize = 0

// Congested reports no ECN mark: the socket options that ask for it are
// Linux's.
func Congested([]byte) bool { return false }

// rawAccess gives no raw I/O: the net package's methods serve.
func rawAccess(*net.UDPConn) (syscall.RawConn, bool) { return nil, false }

func recvmsg(uintptr, []byte, []byte) (int, int, netip.AddrPort, error) {
	return 0, 0, netip.AddrPort{}, syscall.ENOSYS
}

func sendto(uintptr, []byte, netip.AddrPort, bool) error { return syscall.ENOSYS }

func rawAddr(netip.AddrPort, bool) bool { return false }
