// Package conn holds the seams an ssp.Transport runs over: datagram
// sockets (PacketConn), a way to open more of them (Network, used by a
// client to hop source ports), and a Clock. UDPConn and UDPNetwork are the
// real implementations. Endpoint and LocalConn link a server's socket to
// one client in the same process (the daemon's hosted client) without
// the kernel. Package conntest provides an in-process network with loss,
// delay, reordering, duplication, MTU limits and roaming, driven by a
// fake clock.
//
// conn imports nothing else of gosh.
package conn
