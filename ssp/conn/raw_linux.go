package conn

import (
	"net"
	"net/netip"
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"
)

// Raw datagram I/O. A UDPConn reads and writes with raw, non-blocking
// recvmsg(2) and sendto(2) inside the socket's RawConn: waiting for the
// socket is still Go's poller, but the calls themselves skip the
// runtime's syscall bookkeeping (entersyscall/exitsyscall). That
// bookkeeping wakes the runtime's sysmon thread from its idle sleep on a
// process's first syscall after a pause, and sysmon then polls every
// 20 µs for as long as the process stays busy, and may hand the P to a
// second thread while the first is in the call: on a keystroke's echo
// through the local daemon, two or three context switches on the
// keystroke's CPU (perf sched trace, docs/performance.md "Session 6").
// A call on a non-blocking socket returns at once, which is what makes a
// raw syscall safe: the runtime never needs the P back meanwhile.

// rawAccess returns the socket's RawConn and whether it is an AF_INET6
// socket (whose IPv4 peers are v4-mapped addresses), or a nil RawConn when
// the socket is not one raw I/O knows.
func rawAccess(c *net.UDPConn) (syscall.RawConn, bool) {
	rc, err := c.SyscallConn()
	if err != nil {
		return nil, false
	}
	var sa unix.Sockaddr
	if cerr := rc.Control(func(fd uintptr) { sa, err = unix.Getsockname(int(fd)) }); cerr != nil || err != nil {
		return nil, false
	}
	switch sa.(type) {
	case *unix.SockaddrInet4:
		return rc, false
	case *unix.SockaddrInet6:
		return rc, true
	}
	return nil, false
}

// recvmsg is one raw recvmsg(2): the datagram into b, its control
// messages into oob (may be empty).
func recvmsg(fd uintptr, b, oob []byte) (n, oobn int, from netip.AddrPort, err error) {
	var rsa unix.RawSockaddrAny
	iov := unix.Iovec{Base: unsafe.SliceData(b)}
	iov.SetLen(len(b))
	msg := unix.Msghdr{Name: (*byte)(unsafe.Pointer(&rsa)), Namelen: uint32(unsafe.Sizeof(rsa)), Iov: &iov, Iovlen: 1}
	if len(oob) > 0 {
		msg.Control = &oob[0]
		msg.SetControllen(len(oob))
	}
	r, _, errno := unix.RawSyscall(unix.SYS_RECVMSG, fd, uintptr(unsafe.Pointer(&msg)), 0)
	if errno != 0 {
		return 0, 0, netip.AddrPort{}, errno
	}
	switch rsa.Addr.Family {
	case unix.AF_INET:
		sa := (*unix.RawSockaddrInet4)(unsafe.Pointer(&rsa))
		from = netip.AddrPortFrom(netip.AddrFrom4(sa.Addr), ntohs(sa.Port))
	case unix.AF_INET6:
		sa := (*unix.RawSockaddrInet6)(unsafe.Pointer(&rsa))
		from = netip.AddrPortFrom(netip.AddrFrom16(sa.Addr).Unmap(), ntohs(sa.Port))
	}
	return int(r), int(msg.Controllen), from, nil
}

// sendto is one raw sendto(2) of b to to; six: the socket is AF_INET6.
// The caller checked that to fits the socket (rawAddr).
func sendto(fd uintptr, b []byte, to netip.AddrPort, six bool) error {
	p := unsafe.Pointer(unsafe.SliceData(b))
	var errno syscall.Errno
	if six {
		sa := unix.RawSockaddrInet6{Family: unix.AF_INET6, Port: htons(to.Port()), Addr: to.Addr().As16()}
		_, _, errno = unix.RawSyscall6(unix.SYS_SENDTO, fd, uintptr(p), uintptr(len(b)), 0,
			uintptr(unsafe.Pointer(&sa)), unsafe.Sizeof(sa))
	} else {
		sa := unix.RawSockaddrInet4{Family: unix.AF_INET, Port: htons(to.Port()), Addr: to.Addr().Unmap().As4()}
		_, _, errno = unix.RawSyscall6(unix.SYS_SENDTO, fd, uintptr(p), uintptr(len(b)), 0,
			uintptr(unsafe.Pointer(&sa)), unsafe.Sizeof(sa))
	}
	if errno != 0 {
		return errno
	}
	return nil
}

// rawAddr reports whether sendto can reach to from a socket of this
// family: an IPv4 socket reaches IPv4 peers only, and a zoned IPv6
// address (link-local) needs the scope the net package resolves.
func rawAddr(to netip.AddrPort, six bool) bool {
	if six {
		return to.Addr().Zone() == ""
	}
	return to.Addr().Unmap().Is4()
}

// ntohs and htons convert a sockaddr's port, which is in network byte
// order in memory, to and from a host integer.
func ntohs(p uint16) uint16 {
	b := (*[2]byte)(unsafe.Pointer(&p))
	return uint16(b[0])<<8 | uint16(b[1])
}

func htons(p uint16) uint16 {
	var v uint16
	b := (*[2]byte)(unsafe.Pointer(&v))
	b[0], b[1] = byte(p>>8), byte(p)
	return v
}
