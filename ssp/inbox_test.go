package ssp_test

import (
	"context"
	"net/netip"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/goshterm/gosh/ssp"
	"github.com/goshterm/gosh/ssp/conn"
)

// TestInboxOwnLoop drives the server from an application loop of its own
// (Inbox, ReceivePacket, Tick, WaitTime: what the gosh servers do), with
// the client under Run, over loopback UDP and over an in-process link to
// the server's endpoint (a client the daemon hosts): what the client
// types reaches the loop, the loop's answer reaches the client, and Close
// stops the readers (goleak).
func TestInboxOwnLoop(t *testing.T) {
	t.Run("udp", func(t *testing.T) { testInboxOwnLoop(t, loopbackLogPair) })
	t.Run("in-process", func(t *testing.T) { testInboxOwnLoop(t, linkedLogPair) })
}

func testInboxOwnLoop(t *testing.T, pair func(*testing.T) (client, server *logTransport)) {
	defer goleak.VerifyNone(t)
	client, server := pair(t)
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	clientErr := make(chan error, 1)
	go func() { clientErr <- client.Run(ctx) }()
	defer func() {
		cancel()
		if err := <-clientErr; err != nil {
			t.Errorf("client Run: %v", err)
		}
	}()
	if err := client.Do(ctx, func() { client.Current().Append([]byte("ls\r")) }); err != nil {
		t.Fatal(err)
	}

	// The application's loop: one goroutine owns the server Transport.
	in := server.Inbox()
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	answered := false
	for !answered || server.Stats().Instructions < 3 {
		now := time.Now()
		if err := server.Tick(now); err != nil {
			t.Fatal(err)
		}
		if w := server.WaitTime(now); w != ssp.Forever {
			timer.Reset(w)
		}
		select {
		case p := <-in:
			if server.ReceivePacket(time.Now(), p) && !answered && string(server.Remote().Bytes()) == "ls\r" {
				server.Current().Append([]byte("ls\r\nfile\r\n$ "))
				answered = true
			}
		case <-timer.C:
		case <-ctx.Done():
			t.Fatalf("server has %q after a minute", server.Remote().Bytes())
		}
	}
	for {
		var got string
		if err := client.Do(ctx, func() { got = string(client.Remote().Bytes()) }); err != nil {
			t.Fatal(err)
		}
		if got == "ls\r\nfile\r\n$ " {
			break
		}
		now := time.Now()
		server.Tick(now)
		select {
		case p := <-in:
			server.ReceivePacket(time.Now(), p)
		case <-time.After(10 * time.Millisecond):
		case <-ctx.Done():
			t.Fatalf("client has %q after a minute", got)
		}
	}
	if err := server.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
}

// TestInboxReusesBuffers: a datagram buffer ReceivePacket gave back
// carries a later datagram, and every datagram still arrives whole (the
// server reads each of 50 keystrokes sent one by one).
func TestInboxReusesBuffers(t *testing.T) {
	client, server := loopbackLogPair(t)
	defer client.Close()
	defer server.Close()
	in := server.Inbox()
	seen := map[*byte]bool{}
	reused := false
	want := ""
	for i := range 50 {
		k := string(rune('a' + i%26))
		want += k
		client.Current().Append([]byte(k))
		now := time.Now().Add(time.Duration(i) * time.Second) // past every pacing
		for d := range 3 {                                    // the client holds a change for its mindelay
			if err := client.Tick(now.Add(time.Duration(d) * 50 * time.Millisecond)); err != nil {
				t.Fatal(err)
			}
		}
		for string(server.Remote().Bytes()) != want {
			var p ssp.Packet
			select {
			case p = <-in:
			case <-time.After(time.Minute): // a hang guard, not a timing assertion
				t.Fatalf("key %d never arrived; server has %q", i, server.Remote().Bytes())
			}
			if len(p.Data) > 0 {
				reused = reused || seen[&p.Data[:1][0]]
				seen[&p.Data[:1][0]] = true
			}
			server.ReceivePacket(now, p)
		}
	}
	if !reused {
		t.Error("no datagram buffer was reused")
	}
}

// loopbackLogPair is a client and a server transport of byte logs on two
// real UDP sockets on 127.0.0.1.
func loopbackLogPair(t *testing.T) (client, server *logTransport) {
	t.Helper()
	sc, err := conn.ListenUDP(netip.MustParseAddr("127.0.0.1"), 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	cc, err := conn.UDPNetwork{}.ListenPacket(sc.LocalAddr())
	if err != nil {
		t.Fatal(err)
	}
	key, _ := ssp.GenerateKey()
	return newLogPair(t, key, cc, sc, sc.LocalAddr(), conn.UDPNetwork{})
}

// linkedLogPair is a client and a server transport of byte logs, the
// server on a conn.Endpoint over a real UDP socket on 127.0.0.1 and the
// client on that endpoint's in-process link.
func linkedLogPair(t *testing.T) (client, server *logTransport) {
	t.Helper()
	sc, err := conn.ListenUDP(netip.MustParseAddr("127.0.0.1"), 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	ep := conn.NewEndpoint(sc)
	cc, err := ep.Connect()
	if err != nil {
		t.Fatal(err)
	}
	key, _ := ssp.GenerateKey()
	return newLogPair(t, key, cc, ep, sc.LocalAddr(), nil)
}

// TestInboxWaitsForInProcessBurst: an in-process client's burst of more
// datagrams than the inbox holds (a big paste's fragments) all reach the
// loop: the sender waits for room, where dropping the burst's tail on
// every resend would lose the paste.
func TestInboxWaitsForInProcessBurst(t *testing.T) {
	client, server := linkedLogPair(t)
	defer client.Close()
	defer server.Close()
	in := server.Inbox()
	lc := client.Conns()[0]
	const burst = 3 * 64
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := range burst {
			lc.WriteTo([]byte{byte(i)}, netip.AddrPort{})
		}
	}()
	for i := range burst {
		select {
		case p := <-in:
			if len(p.Data) != 1 || p.Data[0] != byte(i) || p.From != conn.InProcess {
				t.Fatalf("datagram %d = %v from %v, want [%d] from the in-process client", i, p.Data, p.From, byte(i))
			}
		case <-time.After(time.Minute): // a hang guard, not a timing assertion
			t.Fatalf("datagram %d of %d never arrived", i, burst)
		}
	}
	<-done
}
