package server

import (
	"net"
	"net/netip"
)

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
