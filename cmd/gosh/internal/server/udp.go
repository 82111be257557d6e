package server

import (
	"errors"
	"net"
	"net/netip"
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/goshterm/gosh/ssp/conn"
)

// udpConn adapts a *net.UDPConn (here: one inherited from the bootstrap
// parent as a file descriptor) to conn.PacketConn.
//
// Datagrams are read and written with raw, non-blocking recvfrom(2) and
// sendto(2) inside the socket's RawConn, so the wait for a datagram is
// still Go's poller, but the calls themselves bypass the runtime's
// syscall bookkeeping (entersyscall). That bookkeeping is what wakes the
// runtime's sysmon thread from its idle sleep, after which it polls every
// 20 µs for as long as the process is busy: on the typing benchmark, a
// third of the server's CPU time and most of its context switches. A
// non-blocking call returns at once, which is the condition for a raw
// syscall (the runtime does not need to hand the P to another thread).
type udpConn struct {
	c   *net.UDPConn
	rc  syscall.RawConn // nil: use c's methods
	six bool            // an AF_INET6 socket: IPv4 peers as v4-mapped addresses
}

var _ conn.PacketConn = udpConn{}

// newUDPConn wraps c.
func newUDPConn(c *net.UDPConn) udpConn {
	u := udpConn{c: c}
	rc, err := c.SyscallConn()
	if err != nil {
		return u
	}
	var sa unix.Sockaddr
	if cerr := rc.Control(func(fd uintptr) { sa, err = unix.Getsockname(int(fd)) }); cerr != nil || err != nil {
		return u
	}
	switch sa.(type) {
	case *unix.SockaddrInet4:
		u.rc = rc
	case *unix.SockaddrInet6:
		u.rc, u.six = rc, true
	}
	return u
}

func (u udpConn) ReadFrom(b []byte) (int, netip.AddrPort, error) {
	if u.rc == nil || len(b) == 0 {
		n, from, err := u.c.ReadFromUDPAddrPort(b)
		if errors.Is(err, net.ErrClosed) {
			err = net.ErrClosed
		}
		return n, netip.AddrPortFrom(from.Addr().Unmap(), from.Port()), err
	}
	var n int
	var from netip.AddrPort
	var rerr error
	err := u.rc.Read(func(fd uintptr) bool {
		for {
			n, from, rerr = recvfrom(fd, b)
			if rerr != unix.EINTR {
				return rerr != unix.EAGAIN
			}
		}
	})
	switch {
	case errors.Is(err, net.ErrClosed):
		return 0, netip.AddrPort{}, net.ErrClosed
	case err != nil:
		return 0, netip.AddrPort{}, err
	case rerr != nil:
		return 0, netip.AddrPort{}, &net.OpError{Op: "read", Net: "udp", Err: rerr}
	}
	return n, from, nil
}

// recvfrom is one raw, non-blocking recvfrom(2).
func recvfrom(fd uintptr, b []byte) (int, netip.AddrPort, error) {
	var rsa unix.RawSockaddrAny
	alen := uint32(unsafe.Sizeof(rsa))
	n, _, errno := unix.RawSyscall6(unix.SYS_RECVFROM, fd, uintptr(unsafe.Pointer(&b[0])), uintptr(len(b)), 0,
		uintptr(unsafe.Pointer(&rsa)), uintptr(unsafe.Pointer(&alen)))
	if errno != 0 {
		return 0, netip.AddrPort{}, errno
	}
	var from netip.AddrPort
	switch rsa.Addr.Family {
	case unix.AF_INET:
		sa := (*unix.RawSockaddrInet4)(unsafe.Pointer(&rsa))
		from = netip.AddrPortFrom(netip.AddrFrom4(sa.Addr), ntohs(sa.Port))
	case unix.AF_INET6:
		sa := (*unix.RawSockaddrInet6)(unsafe.Pointer(&rsa))
		from = netip.AddrPortFrom(netip.AddrFrom16(sa.Addr).Unmap(), ntohs(sa.Port))
	}
	return int(n), from, nil
}

func (u udpConn) WriteTo(b []byte, to netip.AddrPort) error {
	if u.rc == nil || (!u.six && !to.Addr().Unmap().Is4()) {
		_, err := u.c.WriteToUDPAddrPort(b, to)
		return err
	}
	var werr error
	err := u.rc.Write(func(fd uintptr) bool {
		for {
			werr = u.sendto(fd, b, to)
			if werr != unix.EINTR {
				return werr != unix.EAGAIN
			}
		}
	})
	if err != nil {
		return err
	}
	if werr != nil {
		return &net.OpError{Op: "write", Net: "udp", Err: werr}
	}
	return nil
}

// sendto is one raw, non-blocking sendto(2).
func (u udpConn) sendto(fd uintptr, b []byte, to netip.AddrPort) error {
	var p unsafe.Pointer
	if len(b) > 0 {
		p = unsafe.Pointer(&b[0])
	}
	var errno syscall.Errno
	if u.six {
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

func (u udpConn) LocalAddr() netip.AddrPort {
	ap := u.c.LocalAddr().(*net.UDPAddr).AddrPort()
	return netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port())
}

func (u udpConn) Close() error { return u.c.Close() }

// listenUDP binds ip (any if invalid) on the first free port of
// [low, high] in ascending order, as mosh-server does; 0:0 lets the
// kernel choose.
func listenUDP(ip netip.Addr, low, high uint16) (*net.UDPConn, error) {
	network := "udp"
	if !ip.IsValid() {
		ip = netip.IPv4Unspecified() // mosh's any-address bind on Linux is IPv4
	}
	if ip.Is4() {
		network = "udp4"
	}
	var last error
	for p := uint32(low); p <= uint32(high); p++ {
		c, err := net.ListenUDP(network, net.UDPAddrFromAddrPort(netip.AddrPortFrom(ip, uint16(p))))
		if err == nil {
			return c, nil
		}
		last = err
	}
	return nil, last
}
