package conn_test

import (
	"net"
	"net/netip"
	"testing"

	"github.com/goshterm/gosh/ssp/conn"
)

// scriptedConn hands out its datagrams in order, each from its address,
// as a network socket would; then it is closed.
type scriptedConn struct {
	data []string
	from []netip.AddrPort
}

func (c *scriptedConn) ReadFrom(b []byte) (int, netip.AddrPort, error) {
	if len(c.data) == 0 {
		return 0, netip.AddrPort{}, net.ErrClosed
	}
	n := copy(b, c.data[0])
	from := c.from[0]
	c.data, c.from = c.data[1:], c.from[1:]
	return n, from, nil
}
func (c *scriptedConn) WriteTo([]byte, netip.AddrPort) error { return nil }
func (c *scriptedConn) LocalAddr() netip.AddrPort            { return netip.MustParseAddrPort("127.0.0.1:60001") }
func (c *scriptedConn) Close() error                         { return nil }

// TestEndpointDropsNetworkInProcess: a datagram from the network that
// claims to come from InProcess (the address a recvmsg gives for a source
// of [::] port 0) never leaves the endpoint's ReadFrom or ReadFromCE: ssp
// takes a datagram from InProcess as its in-process client's, unsealed.
func TestEndpointDropsNetworkInProcess(t *testing.T) {
	remote := netip.MustParseAddrPort("192.0.2.1:5000")
	spoofed := netip.AddrPortFrom(netip.AddrFrom16([16]byte{}).Unmap(), 0) // as raw_linux.go's recvmsg builds it
	if spoofed != conn.InProcess {
		t.Fatalf("a source of [::] port 0 reads as %v, not InProcess: the test no longer tests it", spoofed)
	}
	for _, ce := range []bool{false, true} {
		ep := conn.NewEndpoint(&scriptedConn{
			data: []string{"forged", "real", "forged again"},
			from: []netip.AddrPort{spoofed, remote, spoofed},
		})
		buf := make([]byte, 64)
		read := func() (string, netip.AddrPort, error) {
			if ce {
				n, from, _, err := ep.ReadFromCE(buf)
				return string(buf[:n]), from, err
			}
			n, from, err := ep.ReadFrom(buf)
			return string(buf[:n]), from, err
		}
		if got, from, err := read(); err != nil || got != "real" || from != remote {
			t.Errorf("ce %v: read %q from %v (%v), want \"real\" from %v", ce, got, from, err, remote)
		}
		if got, from, err := read(); err == nil {
			t.Errorf("ce %v: read %q from %v, want the forgery dropped and the socket closed", ce, got, from)
		}
	}
}
