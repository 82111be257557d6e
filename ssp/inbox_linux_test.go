package ssp_test

import (
	"net"
	"net/netip"
	"syscall"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/goshterm/gosh/ssp"
	"github.com/goshterm/gosh/ssp/conn"
	"github.com/goshterm/gosh/ssp/ssptest"
)

// markedConn is a client socket whose datagrams leave with the ECN
// congestion-experienced codepoint, as if a router had marked them.
type markedConn struct{ c *net.UDPConn }

func (m markedConn) ReadFrom(b []byte) (int, netip.AddrPort, error) {
	return m.c.ReadFromUDPAddrPort(b)
}
func (m markedConn) WriteTo(b []byte, to netip.AddrPort) error {
	_, err := m.c.WriteToUDPAddrPort(b, to)
	return err
}
func (m markedConn) LocalAddr() netip.AddrPort { return m.c.LocalAddr().(*net.UDPAddr).AddrPort() }
func (m markedConn) Close() error              { return m.c.Close() }

// TestInboxCongestionMark: a datagram that a congested router marked CE
// reaches the server's Inbox with the mark, and the server counts it (and
// will echo its timestamp 500 ms older, as mosh-server does): on a bare
// UDP socket, and on the daemon's endpoints, which wrap one
// (conn.Endpoint).
func TestInboxCongestionMark(t *testing.T) {
	t.Run("udp", func(t *testing.T) { testInboxCongestionMark(t, false) })
	t.Run("endpoint", func(t *testing.T) { testInboxCongestionMark(t, true) })
}

func testInboxCongestionMark(t *testing.T, endpoint bool) {
	defer goleak.VerifyNone(t)
	udp, err := conn.ListenUDP(netip.MustParseAddr("127.0.0.1"), 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	var sc conn.PacketConn = udp
	if endpoint {
		sc = conn.NewEndpoint(udp)
	}
	raw, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	rc, _ := raw.SyscallConn()
	var serr error
	rc.Control(func(fd uintptr) { serr = syscall.SetsockoptInt(int(fd), syscall.IPPROTO_IP, syscall.IP_TOS, 0x03) })
	if serr != nil {
		t.Fatal(serr)
	}
	key, _ := ssp.GenerateKey()
	server, err := ssp.New(ssp.Config[*ssptest.Log, *ssptest.Log]{Role: ssp.Server, Key: key, Conn: sc,
		Local: ssptest.NewLog(), Remote: ssptest.NewLog()})
	if err != nil {
		t.Fatal(err)
	}
	defer server.Close()
	client, err := ssp.New(ssp.Config[*ssptest.Log, *ssptest.Log]{Role: ssp.Client, Key: key, Conn: markedConn{raw},
		Peer: sc.LocalAddr(), Local: ssptest.NewLog(), Remote: ssptest.NewLog()})
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	in := server.Inbox()
	client.Tick(time.Now()) // the client's first empty ack
	var p ssp.Packet
	select {
	case p = <-in:
	case <-time.After(time.Minute): // a hang guard, not a timing assertion
		t.Fatal("no datagram on loopback")
	}
	if !p.CE {
		t.Error("Packet.CE = false for a CE-marked datagram")
	}
	server.ReceivePacket(time.Now(), p)
	if st := server.Stats(); st.Congested != 1 || st.States != 1 {
		t.Errorf("server stats %+v, want one congested datagram and one state", st)
	}
}
