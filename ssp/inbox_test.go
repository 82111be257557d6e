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
// the client under Run, over loopback UDP: what the client types reaches
// the loop, the loop's answer reaches the client, and Close stops the
// readers (goleak).
func TestInboxOwnLoop(t *testing.T) {
	defer goleak.VerifyNone(t)
	sc, err := conn.ListenUDP(netip.MustParseAddr("127.0.0.1"), 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	cc, err := conn.UDPNetwork{}.ListenPacket(sc.LocalAddr())
	if err != nil {
		t.Fatal(err)
	}
	key, _ := ssp.GenerateKey()
	client, server := newLogPair(t, key, cc, sc, sc.LocalAddr(), conn.UDPNetwork{})
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
