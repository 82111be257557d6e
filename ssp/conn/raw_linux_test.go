package conn

import (
	"errors"
	"net"
	"net/netip"
	"testing"
	"time"
)

// A UDPConn (raw recvmsg and sendto) delivers a datagram with the address
// it came from, replies reach that address, over IPv4 and IPv6; TryReadFromCE
// returns at once when nothing waits; and a closed socket ends a blocked read
// with net.ErrClosed (the transport's reader then stops quietly).
func TestUDPConnRawRoundTrip(t *testing.T) {
	for _, ip := range []string{"127.0.0.1", "::1"} {
		t.Run(ip, func(t *testing.T) {
			u, err := ListenUDP(netip.MustParseAddr(ip), 0, 0)
			if err != nil {
				t.Skipf("no %s: %v", ip, err)
			}
			if u.rc == nil {
				t.Fatal("no raw access to the socket")
			}
			peer, err := net.ListenUDP("udp", net.UDPAddrFromAddrPort(netip.AddrPortFrom(netip.MustParseAddr(ip), 0)))
			if err != nil {
				t.Fatal(err)
			}
			defer peer.Close()
			buf := make([]byte, 100)
			if _, _, _, ok, err := u.TryReadFromCE(buf); ok || err != nil {
				t.Fatalf("TryReadFromCE on an empty socket: ok %v, err %v", ok, err)
			}
			if _, err := peer.WriteToUDPAddrPort([]byte("ping"), u.LocalAddr()); err != nil {
				t.Fatal(err)
			}
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
			if _, err := peer.WriteToUDPAddrPort([]byte("again"), u.LocalAddr()); err != nil {
				t.Fatal(err)
			}
			var ok bool
			for range 1000 { // loopback delivers at once; bounded anyway
				if n, from, _, ok, err = u.TryReadFromCE(buf); ok || err != nil {
					break
				}
				time.Sleep(time.Millisecond)
			}
			if !ok || err != nil || string(buf[:n]) != "again" || from != want {
				t.Fatalf("TryReadFromCE: %q from %v, ok %v, err %v", buf[:n], from, ok, err)
			}

			done := make(chan error, 1)
			go func() { _, _, err := u.ReadFrom(buf); done <- err }()
			u.Close()
			if err := <-done; !errors.Is(err, net.ErrClosed) {
				t.Errorf("read on a closed socket: %v, want net.ErrClosed", err)
			}
			if err := u.WriteTo([]byte("x"), want); !errors.Is(err, net.ErrClosed) {
				t.Errorf("write on a closed socket: %v, want net.ErrClosed", err)
			}
		})
	}
}

// A socket bound to the IPv6 any-address also serves IPv4 peers
// (v4-mapped), reports them unmapped, and replies to them.
func TestUDPConnRawDualStack(t *testing.T) {
	u, err := ListenUDP(netip.IPv6Unspecified(), 0, 0)
	if err != nil {
		t.Skipf("no IPv6: %v", err)
	}
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
	n, from, _, err := u.ReadFromCE(buf)
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

// A datagram's round trip through the raw calls allocates nothing: the
// daemon and the client send and read one per keystroke.
func TestUDPConnRawAllocs(t *testing.T) {
	a, err := ListenUDP(netip.MustParseAddr("127.0.0.1"), 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := ListenUDP(netip.MustParseAddr("127.0.0.1"), 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	msg, buf := []byte("keystroke"), make([]byte, 64)
	to := b.LocalAddr()
	allocs := testing.AllocsPerRun(100, func() {
		if err := a.WriteTo(msg, to); err != nil {
			t.Fatal(err)
		}
		if _, _, _, err := b.ReadFromCE(buf); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Errorf("%v allocations per datagram, want 0", allocs)
	}
}

func BenchmarkUDPConnRoundTrip(b *testing.B) {
	x, err := ListenUDP(netip.MustParseAddr("127.0.0.1"), 0, 0)
	if err != nil {
		b.Fatal(err)
	}
	defer x.Close()
	y, err := ListenUDP(netip.MustParseAddr("127.0.0.1"), 0, 0)
	if err != nil {
		b.Fatal(err)
	}
	defer y.Close()
	msg, buf := make([]byte, 80), make([]byte, 1500)
	to := y.LocalAddr()
	b.ReportAllocs()
	for b.Loop() {
		if err := x.WriteTo(msg, to); err != nil {
			b.Fatal(err)
		}
		if _, _, _, err := y.ReadFromCE(buf); err != nil {
			b.Fatal(err)
		}
	}
}
