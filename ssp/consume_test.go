package ssp_test

import (
	"net"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/goshterm/gosh/ssp"
	"github.com/goshterm/gosh/ssp/ssptest"
)

// pipeConn keeps what is sent on it for the test to deliver by hand.
type pipeConn struct {
	addr netip.AddrPort
	out  [][]byte
}

func (c *pipeConn) ReadFrom([]byte) (int, netip.AddrPort, error) {
	return 0, netip.AddrPort{}, net.ErrClosed
}
func (c *pipeConn) WriteTo(b []byte, _ netip.AddrPort) error {
	c.out = append(c.out, append([]byte(nil), b...))
	return nil
}
func (c *pipeConn) LocalAddr() netip.AddrPort { return c.addr }
func (c *pipeConn) Close() error              { return nil }

// TestRemoteConsumed: a server that reads each new remote state itself
// and then calls RemoteConsumed gets every byte the client typed exactly
// once, in order, and its received states forget what was consumed (the
// newest state holds only the unacknowledged tail, not the whole input).
func TestRemoteConsumed(t *testing.T) {
	key, _ := ssp.GenerateKey()
	sc := &pipeConn{addr: netip.MustParseAddrPort("127.0.0.1:60001")}
	cc := &pipeConn{addr: netip.MustParseAddrPort("127.0.0.1:5000")}
	server, err := ssp.New(ssp.Config[*ssptest.Log, *ssptest.Log]{Role: ssp.Server, Key: key, Conn: sc,
		Local: ssptest.NewLog(), Remote: ssptest.NewLog()})
	if err != nil {
		t.Fatal(err)
	}
	client, err := ssp.New(ssp.Config[*ssptest.Log, *ssptest.Log]{Role: ssp.Client, Key: key, Conn: cc,
		Peer: sc.addr, Local: ssptest.NewLog(), Remote: ssptest.NewLog()})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var typed, got strings.Builder
	var consumed uint64
	held := 0
	for i := range 200 {
		now = now.Add(30 * time.Millisecond)
		k := string(rune('a' + i%26))
		typed.WriteString(k)
		client.Current().Append([]byte(k))
		_ = client.Tick(now)
		for _, d := range cc.out {
			if server.Receive(now, d, cc.addr) {
				rem := server.Remote()
				data := rem.Bytes()
				off := rem.End() - uint64(len(data))
				got.Write(data[consumed-off:])
				consumed = rem.End()
				server.RemoteConsumed()
				held = max(held, len(server.Remote().Bytes()))
			}
		}
		cc.out = nil
		_ = server.Tick(now)
		for _, d := range sc.out {
			client.Receive(now, d, sc.addr)
		}
		sc.out = nil
		_ = client.Tick(now)
	}
	if got.String() != typed.String() {
		t.Fatalf("server read %q, want %q", got.String(), typed.String())
	}
	if held > 20 {
		t.Errorf("the newest received state held %d bytes after consumption; consumed input is not forgotten", held)
	}
}
