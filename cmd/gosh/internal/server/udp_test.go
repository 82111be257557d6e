package server

import (
	"errors"
	"net"
	"net/netip"
	"testing"
	"time"
)

// The server's socket (raw recvfrom and sendto) delivers a datagram with
// the address it came from, replies reach that address, over IPv4 and
// IPv6, and a closed socket ends a blocked read with net.ErrClosed (the
// transport's reader then stops quietly).
func TestUDPConnRoundTrip(t *testing.T) {
	for _, ip := range []string{"127.0.0.1", "::1"} {
		t.Run(ip, func(t *testing.T) {
			sock, err := listenUDP(netip.MustParseAddr(ip), 0, 0)
			if err != nil {
				t.Skipf("no %s: %v", ip, err)
			}
			u := newUDPConn(sock)
			if u.rc == nil {
				t.Fatal("no raw access to the socket")
			}
			peer, err := net.ListenUDP("udp", net.UDPAddrFromAddrPort(netip.AddrPortFrom(netip.MustParseAddr(ip), 0)))
			if err != nil {
				t.Fatal(err)
			}
			defer peer.Close()
			if _, err := peer.WriteToUDPAddrPort([]byte("ping"), u.LocalAddr()); err != nil {
				t.Fatal(err)
			}
			buf := make([]byte, 100)
			n, from, err := u.ReadFrom(buf)
			if err != nil {
				t.Fatal(err)
			}
			want := peer.LocalAddr().(*net.UDPAddr).AddrPort()
			if string(buf[:n]) != "ping" || from != want {
				t.Fatalf("read %q from %v, want \"ping\" from %v", buf[:n], from, want)
			}
			if err := u.WriteTo([]byte("pong"), from); err != nil {
				t.Fatal(err)
			}
			peer.SetReadDeadline(time.Now().Add(10 * time.Second))
			n, back, err := peer.ReadFromUDPAddrPort(buf)
			if err != nil {
				t.Fatal(err)
			}
			if string(buf[:n]) != "pong" || back.Port() != u.LocalAddr().Port() {
				t.Fatalf("peer read %q from %v, want \"pong\" from port %d", buf[:n], back, u.LocalAddr().Port())
			}

			done := make(chan error, 1)
			go func() { _, _, err := u.ReadFrom(buf); done <- err }()
			u.Close()
			if err := <-done; !errors.Is(err, net.ErrClosed) {
				t.Errorf("read on a closed socket: %v, want net.ErrClosed", err)
			}
		})
	}
}

// A server bound to the IPv6 any-address also serves IPv4 clients
// (v4-mapped), and replies to them.
func TestUDPConnDualStack(t *testing.T) {
	sock, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv6unspecified})
	if err != nil {
		t.Skipf("no IPv6: %v", err)
	}
	u := newUDPConn(sock)
	defer u.Close()
	if !u.six {
		t.Skip("not a dual-stack socket")
	}
	peer, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	defer peer.Close()
	to := netip.AddrPortFrom(netip.MustParseAddr("127.0.0.1"), u.LocalAddr().Port())
	if _, err := peer.WriteToUDPAddrPort([]byte("v4"), to); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 100)
	n, from, err := u.ReadFrom(buf)
	if err != nil {
		t.Fatal(err)
	}
	if string(buf[:n]) != "v4" || !from.Addr().Is4() || from != peer.LocalAddr().(*net.UDPAddr).AddrPort() {
		t.Fatalf("read %q from %v, want \"v4\" from %v (unmapped)", buf[:n], from, peer.LocalAddr())
	}
	if err := u.WriteTo([]byte("ok"), from); err != nil {
		t.Fatal(err)
	}
	peer.SetReadDeadline(time.Now().Add(10 * time.Second))
	if n, _, err := peer.ReadFromUDPAddrPort(buf); err != nil || string(buf[:n]) != "ok" {
		t.Fatalf("reply: %q %v", buf[:n], err)
	}
}
