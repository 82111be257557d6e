package conn

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"strings"
	"syscall"
)

// UDPConn is a PacketConn over a real UDP socket, with mosh's socket
// options: no path MTU discovery, ECN-capable (udp_linux.go).
type UDPConn struct {
	c *net.UDPConn
}

var _ PacketConn = (*UDPConn)(nil)

// ListenUDP binds a UDP socket on ip and the first free port of
// [low, high], tried in ascending order like mosh-server -p LOW:HIGH.
// low == high == 0 lets the kernel choose. An unspecified ip (the zero
// Addr or 0.0.0.0) binds IPv4 any; "::" binds dual-stack.
func ListenUDP(ip netip.Addr, low, high uint16) (*UDPConn, error) {
	if low > high || (low == 0 && high != 0) {
		return nil, fmt.Errorf("conn: bad port range %d:%d", low, high)
	}
	network := "udp"
	if !ip.IsValid() {
		ip = netip.IPv4Unspecified()
	}
	if ip.Is4() {
		network = "udp4"
	}
	var lastErr error
	for p := uint32(low); p <= uint32(high); p++ {
		c, err := net.ListenUDP(network, net.UDPAddrFromAddrPort(netip.AddrPortFrom(ip, uint16(p))))
		if err == nil {
			if err := setSockOpts(c, !ip.Is4()); err != nil {
				c.Close()
				return nil, fmt.Errorf("conn: socket options: %w", err)
			}
			return &UDPConn{c: c}, nil
		}
		lastErr = err
		if !errors.Is(err, syscall.EADDRINUSE) && !errors.Is(err, syscall.EACCES) {
			break
		}
	}
	return nil, fmt.Errorf("conn: bind %s port %d:%d: %w", ip, low, high, lastErr)
}

// ParsePortRange parses mosh-server's -p argument: "PORT" or "LOW:HIGH".
// "0" means any port. A range must have 1 <= LOW <= HIGH.
func ParsePortRange(s string) (low, high uint16, err error) {
	lo, hi, isRange := strings.Cut(s, ":")
	l, err := strconv.ParseUint(lo, 10, 16)
	if err != nil {
		return 0, 0, fmt.Errorf("conn: bad port %q", s)
	}
	if !isRange {
		return uint16(l), uint16(l), nil
	}
	h, err := strconv.ParseUint(hi, 10, 16)
	if err != nil || l == 0 || l > h {
		return 0, 0, fmt.Errorf("conn: bad port range %q", s)
	}
	return uint16(l), uint16(h), nil
}

// ReadFrom reads one datagram.
func (u *UDPConn) ReadFrom(b []byte) (int, netip.AddrPort, error) {
	n, from, err := u.c.ReadFromUDPAddrPort(b)
	if err != nil {
		return 0, netip.AddrPort{}, err
	}
	return n, netip.AddrPortFrom(from.Addr().Unmap(), from.Port()), nil
}

// ReadFromCE is ReadFrom that also reports whether the datagram arrived
// with the ECN congestion-experienced mark (RFC 3168): a router on the
// path is congested and asks the sender to slow down. Always false where
// the system does not deliver the TOS byte.
func (u *UDPConn) ReadFromCE(b []byte) (int, netip.AddrPort, bool, error) {
	var oob [OOBSize]byte
	n, oobn, _, from, err := u.c.ReadMsgUDPAddrPort(b, oob[:])
	if err != nil {
		return 0, netip.AddrPort{}, false, err
	}
	return n, netip.AddrPortFrom(from.Addr().Unmap(), from.Port()), Congested(oob[:oobn]), nil
}

// WriteTo sends one datagram.
func (u *UDPConn) WriteTo(b []byte, to netip.AddrPort) error {
	_, err := u.c.WriteToUDPAddrPort(b, to)
	return err
}

// SyscallConn gives raw access to the socket, for an application that
// waits for several descriptors in one epoll(7) loop instead of a reader
// goroutine per socket (the client's loop: cmd/gosh/internal/client).
func (u *UDPConn) SyscallConn() (syscall.RawConn, error) { return u.c.SyscallConn() }

// LocalAddr returns the bound address.
func (u *UDPConn) LocalAddr() netip.AddrPort {
	a := u.c.LocalAddr().(*net.UDPAddr).AddrPort()
	return netip.AddrPortFrom(a.Addr().Unmap(), a.Port())
}

// Close closes the socket; a blocked ReadFrom returns net.ErrClosed.
func (u *UDPConn) Close() error {
	err := u.c.Close()
	if errors.Is(err, net.ErrClosed) {
		return nil
	}
	return err
}

// UDPNetwork opens client sockets on an OS-chosen port of the any-address
// of the remote's family.
type UDPNetwork struct{}

var _ Network = UDPNetwork{}

// ListenPacket opens a new UDP socket suitable for reaching remote.
func (UDPNetwork) ListenPacket(remote netip.AddrPort) (PacketConn, error) {
	if remote.Addr().Unmap().Is4() {
		return ListenUDP(netip.IPv4Unspecified(), 0, 0)
	}
	return ListenUDP(netip.IPv6Unspecified(), 0, 0)
}
