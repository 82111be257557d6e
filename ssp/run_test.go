package ssp_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"net"
	"net/netip"
	"testing"
	"testing/synctest"
	"time"

	"go.uber.org/goleak"

	"github.com/goshterm/gosh/ssp"
	"github.com/goshterm/gosh/ssp/conn"
	"github.com/goshterm/gosh/ssp/conn/conntest"
	"github.com/goshterm/gosh/ssp/ssptest"
)

type logTransport = ssptest.Transport

func newLogPair(t *testing.T, key ssp.Key, cc, sc conn.PacketConn, peer netip.AddrPort, nw conn.Network) (client, server *logTransport) {
	t.Helper()
	server, err := ssp.New(ssp.Config[*ssptest.Log, *ssptest.Log]{
		Role: ssp.Server, Key: key, Conn: sc, Local: ssptest.NewLog(), Remote: ssptest.NewLog()})
	if err != nil {
		t.Fatal(err)
	}
	client, err = ssp.New(ssp.Config[*ssptest.Log, *ssptest.Log]{
		Role: ssp.Client, Key: key, Conn: cc, Peer: peer, Network: nw, Local: ssptest.NewLog(), Remote: ssptest.NewLog()})
	if err != nil {
		t.Fatal(err)
	}
	return client, server
}

// exchange runs both loops, types on the client and writes on the
// server through Do, waits (on Changed) until each side has the other's
// text, then shuts down from the client and waits for the handshake.
func exchange(t *testing.T, ctx context.Context, client, server *logTransport) {
	t.Helper()
	ctx, cancel := context.WithCancel(ctx)
	errs := make(chan error, 2)
	go func() { errs <- client.Run(ctx) }()
	go func() { errs <- server.Run(ctx) }()
	defer func() {
		cancel()
		for range 2 {
			if err := <-errs; err != nil {
				t.Errorf("Run: %v", err)
			}
		}
		if err := client.Do(context.Background(), func() {}); !errors.Is(err, net.ErrClosed) {
			t.Errorf("Do after Run returned: %v, want net.ErrClosed", err)
		}
	}()

	var serverGot []byte
	must := func(tr *logTransport, f func()) {
		if err := tr.Do(ctx, f); err != nil {
			t.Fatalf("Do: %v", err)
		}
	}
	must(client, func() { client.Current().Append([]byte("echo hello\r")) })
	must(server, func() { server.Current().Append([]byte("$ ")) })
	for !bytes.Equal(serverGot, []byte("echo hello\r")) {
		select {
		case <-server.Changed():
			must(server, func() { serverGot = append(serverGot, rest(server.RemoteDiff())...) })
		case <-time.After(30 * time.Second):
			t.Fatalf("server got %q", serverGot)
		}
	}
	must(server, func() { server.Current().Append([]byte("echo hello\r\nhello\r\n$ ")) })
	for {
		var got string
		must(client, func() { got = string(client.Remote().Bytes()) })
		if got == "$ echo hello\r\nhello\r\n$ " {
			break
		}
		select {
		case <-client.Changed():
		case <-time.After(30 * time.Second):
			t.Fatalf("client got %q", got)
		}
	}
	must(client, func() { client.StartShutdown(time.Now()) })
	for {
		var done, peerDone bool
		must(client, func() { done = client.ShutdownAcknowledged() })
		must(server, func() { peerDone = server.RemoteShutdown() && server.RemoteShutdownAcked() })
		if done && peerDone {
			return
		}
		select {
		case <-client.Changed():
		case <-server.Changed():
		case <-time.After(30 * time.Second):
			t.Fatalf("shutdown: client acked %v, server acked %v", done, peerDone)
		}
	}
}

// rest strips ssptest.Log's diff header (the uvarint start offset).
func rest(d []byte) []byte {
	if len(d) == 0 {
		return nil
	}
	_, n := binary.Uvarint(d)
	return d[n:]
}

// TestRunSynctest runs both event loops over a lossy conntest network in
// fake time (testing/synctest).
func TestRunSynctest(t *testing.T) {
	defer goleak.VerifyNone(t)
	synctest.Test(t, func(t *testing.T) {
		nw := conntest.NewNetwork(conntest.RealTime{}, 42)
		lossy := conntest.Link{Loss: 0.3, Delay: 80 * time.Millisecond, Jitter: 40 * time.Millisecond}
		nw.SetLinks(lossy, lossy)
		key, _ := ssp.GenerateKey()
		sc := nw.Listen(60001)
		client, server := newLogPair(t, key, nw.Dial(), sc, sc.LocalAddr(), nw)
		exchange(t, t.Context(), client, server)
		if s := client.SRTT(); s < 160*time.Millisecond || s > 400*time.Millisecond {
			t.Errorf("client SRTT %v on a 160–240 ms round trip", s)
		}
	})
}

// TestRunUDP runs two Transports over real loopback UDP sockets.
func TestRunUDP(t *testing.T) {
	defer goleak.VerifyNone(t)
	for _, ip := range []string{"127.0.0.1", "::1"} {
		t.Run(ip, func(t *testing.T) {
			sc, err := conn.ListenUDP(netip.MustParseAddr(ip), 0, 0)
			if err != nil {
				t.Skipf("no %s: %v", ip, err)
			}
			cc, err := conn.UDPNetwork{}.ListenPacket(sc.LocalAddr())
			if err != nil {
				t.Fatal(err)
			}
			key, _ := ssp.GenerateKey()
			client, server := newLogPair(t, key, cc, sc, sc.LocalAddr(), conn.UDPNetwork{})
			ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
			defer cancel()
			exchange(t, ctx, client, server)
			if st := server.Stats(); st.DroppedAuth+st.DroppedDirection+st.DroppedShort != 0 || st.Received == 0 {
				t.Errorf("server stats %+v", st)
			}
		})
	}
}

// TestRunPortHop cuts the path for 25 s under Run: the client must move
// to a new source port, the server must follow it, and traffic must flow
// both ways through the new socket afterwards.
func TestRunPortHop(t *testing.T) {
	defer goleak.VerifyNone(t)
	synctest.Test(t, func(t *testing.T) {
		nw := conntest.NewNetwork(conntest.RealTime{}, 7)
		link := conntest.Link{Delay: 20 * time.Millisecond}
		nw.SetLinks(link, link)
		key, _ := ssp.GenerateKey()
		sc := nw.Listen(60001)
		first := nw.Dial()
		client, server := newLogPair(t, key, first, sc, sc.LocalAddr(), nw)
		ctx, cancel := context.WithCancel(t.Context())
		errs := make(chan error, 2)
		go func() { errs <- client.Run(ctx) }()
		go func() { errs <- server.Run(ctx) }()
		defer func() {
			cancel()
			<-errs
			<-errs
		}()
		do := func(tr *logTransport, f func()) {
			if err := tr.Do(ctx, f); err != nil {
				t.Fatal(err)
			}
		}
		do(client, func() { client.Current().Append([]byte("a")) })
		time.Sleep(time.Second)
		nw.SetLinks(conntest.Link{Down: true}, conntest.Link{Down: true})
		time.Sleep(25 * time.Second)
		nw.SetLinks(link, link)
		do(client, func() { client.Current().Append([]byte("b")) })
		do(server, func() { server.Current().Append([]byte("reply")) })
		time.Sleep(5 * time.Second)
		var hops uint64
		var remote string
		var newest netip.AddrPort
		do(client, func() {
			hops = client.Stats().PortHops
			remote = string(client.Remote().Bytes())
			cs := client.Conns()
			newest = cs[len(cs)-1].LocalAddr()
		})
		var got uint64
		var addr netip.AddrPort
		do(server, func() { got = server.Remote().End(); addr, _ = server.RemoteAddr() })
		if hops == 0 || newest == first.LocalAddr() {
			t.Fatalf("client did not hop (hops %d)", hops)
		}
		if got != 2 || remote != "reply" || addr != newest {
			t.Errorf("after the hop: server has %d bytes and sends to %v (client at %v); client has %q", got, addr, newest, remote)
		}
	})
}
