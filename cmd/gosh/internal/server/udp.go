package server

import (
	"errors"
	"net"
	"net/netip"

	"github.com/goshterm/gosh/ssp/conn"
)

// udpConn adapts a *net.UDPConn (here: one inherited from the bootstrap
// parent as a file descriptor) to conn.PacketConn.
type udpConn struct{ c *net.UDPConn }

var _ conn.PacketConn = udpConn{}

func (u udpConn) ReadFrom(b []byte) (int, netip.AddrPort, error) {
	n, from, err := u.c.ReadFromUDPAddrPort(b)
	if errors.Is(err, net.ErrClosed) {
		err = net.ErrClosed
	}
	return n, netip.AddrPortFrom(from.Addr().Unmap(), from.Port()), err
}

func (u udpConn) WriteTo(b []byte, to netip.AddrPort) error {
	_, err := u.c.WriteToUDPAddrPort(b, to)
	return err
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
