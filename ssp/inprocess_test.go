package ssp_test

import (
	"bytes"
	"net/netip"
	"testing"
	"time"

	"github.com/goshterm/gosh/bench/cold"
	"github.com/goshterm/gosh/ssp"
	"github.com/goshterm/gosh/ssp/conn"
	"github.com/goshterm/gosh/ssp/ssptest"
)

// echoPair is a client and a server transport of byte logs driven on one
// goroutine, every datagram handed over by the test: over a conn.Endpoint
// and its in-process client (a local gosh's link), or over two sockets
// with network addresses (a remote client's).
type echoPair struct {
	client, server *logTransport
	up, down       func() [][]byte // take what the client, the server sent
	fromClient     netip.AddrPort  // where the server sees the client's datagrams come from
	fromServer     netip.AddrPort
	now            time.Time
}

// newInProcessPair links the client to the server's endpoint in memory.
// The endpoint's socket has a network address too, as a daemon's does.
func newInProcessPair(tb testing.TB) *echoPair {
	tb.Helper()
	sc := &pipeConn{addr: netip.MustParseAddrPort("127.0.0.1:60001")}
	ep := conn.NewEndpoint(sc)
	lc, err := ep.Connect()
	if err != nil {
		tb.Fatal(err)
	}
	var up [][]byte
	// What the server's inbox would do: take the client's datagrams.
	ep.SetReceiver(func(b []byte, _ netip.AddrPort) { up = append(up, bytes.Clone(b)) })
	buf := make([]byte, ssp.MaxDatagram+1)
	p := &echoPair{fromClient: conn.InProcess, fromServer: conn.InProcess,
		up: func() [][]byte { out := up; up = nil; return out },
		down: func() (out [][]byte) {
			for {
				n, ok := lc.TryRead(buf)
				if !ok {
					return out
				}
				out = append(out, bytes.Clone(buf[:n]))
			}
		}}
	p.build(tb, lc, ep, sc.addr)
	return p
}

// newNetworkPair joins the two over sockets with network addresses.
func newNetworkPair(tb testing.TB) *echoPair {
	tb.Helper()
	sc := &pipeConn{addr: netip.MustParseAddrPort("127.0.0.1:60001")}
	cc := &pipeConn{addr: netip.MustParseAddrPort("127.0.0.1:5000")}
	p := &echoPair{fromClient: cc.addr, fromServer: sc.addr,
		up:   func() [][]byte { out := cc.out; cc.out = nil; return out },
		down: func() [][]byte { out := sc.out; sc.out = nil; return out }}
	p.build(tb, cc, sc, sc.addr)
	return p
}

func (p *echoPair) build(tb testing.TB, cc, sc conn.PacketConn, peer netip.AddrPort) {
	tb.Helper()
	key, err := ssp.GenerateKey()
	if err != nil {
		tb.Fatal(err)
	}
	p.server, err = ssp.New(ssp.Config[*ssptest.Log, *ssptest.Log]{Role: ssp.Server, Key: key, Conn: sc,
		Local: ssptest.NewLog(), Remote: ssptest.NewLog()})
	if err != nil {
		tb.Fatal(err)
	}
	p.client, err = ssp.New(ssp.Config[*ssptest.Log, *ssptest.Log]{Role: ssp.Client, Key: key, Conn: cc,
		Peer: peer, Local: ssptest.NewLog(), Remote: ssptest.NewLog()})
	if err != nil {
		tb.Fatal(err)
	}
	p.now = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for range 4 { // both sides have heard the other and measured the path
		p.echo('.')
		p.settle()
	}
}

// sent ticks t until it sends (past its pacing delays) and returns what
// it sent.
func (p *echoPair) sent(t *logTransport, take func() [][]byte) [][]byte {
	for range 10 {
		if err := t.Tick(p.now); err != nil {
			panic(err)
		}
		if out := take(); len(out) > 0 {
			return out
		}
		w := t.WaitTime(p.now)
		if w == ssp.Forever {
			break
		}
		p.now = p.now.Add(w)
	}
	return nil
}

// echo is one keystroke's way on the echo's path: the client sends the
// key, the server takes it and sends its echo, the client takes that.
func (p *echoPair) echo(k byte) {
	p.client.Current().Append([]byte{k})
	for _, d := range p.sent(p.client, p.up) {
		p.server.Receive(p.now, d, p.fromClient)
	}
	p.server.RemoteConsumed() // as the daemon, which reads the keys
	p.server.Current().Append([]byte{k})
	for _, d := range p.sent(p.server, p.down) {
		p.client.Receive(p.now, d, p.fromServer)
	}
}

// settle lets the acks go both ways until both sides are quiet, as they
// are between keys typed at human speed.
func (p *echoPair) settle() {
	for range 8 {
		p.now = p.now.Add(150 * time.Millisecond)
		_ = p.client.Tick(p.now)
		up := p.up()
		_ = p.server.Tick(p.now)
		down := p.down()
		if len(up) == 0 && len(down) == 0 {
			p.client.RemoteConsumed() // the logs stay short
			return
		}
		for _, d := range up {
			p.server.Receive(p.now, d, p.fromClient)
		}
		for _, d := range down {
			p.client.Receive(p.now, d, p.fromServer)
		}
	}
}

// TestEchoPair checks the benchmark's pairs: every key and its echo
// arrive.
func TestEchoPair(t *testing.T) {
	for name, pair := range map[string]func(testing.TB) *echoPair{"in-process": newInProcessPair, "network": newNetworkPair} {
		t.Run(name, func(t *testing.T) {
			p := pair(t)
			for i, k := range []byte("hello") {
				p.echo(k)
				if s, c := p.server.Remote(), p.client.Remote(); !bytes.HasSuffix(s.Bytes(), []byte{k}) || s.End() != uint64(5+i) ||
					!bytes.HasSuffix(c.Bytes(), []byte{k}) || c.End() != uint64(5+i) {
					t.Fatalf("after key %q: server has …%q (%d bytes), client …%q (%d)", k, s.Bytes(), s.End(), c.Bytes(), c.End())
				}
				p.settle()
			}
			// A frame of many fragments (a repaint) arrives whole.
			big := bytes.Repeat([]byte("0123456789abcdef"), 600)
			p.server.Current().Append(big)
			for _, d := range p.sent(p.server, p.down) {
				p.client.Receive(p.now, d, p.fromServer)
			}
			if c := p.client.Remote(); !bytes.HasSuffix(c.Bytes(), big) || c.End() != uint64(9+len(big)) {
				t.Errorf("client has %d bytes after a %d-byte frame, want %d", c.End(), len(big), 9+len(big))
			}
		})
	}
}

// BenchmarkEchoLink is a keystroke through two transports on one
// goroutine, what a key costs in ssp: the client's Tick that sends the
// key, the server's Receive of it, the server's Tick that sends the echo
// and the client's Receive of that (echo-ns/op: the echo's path), then
// the acks both ways until both sides are quiet (ns/op counts them too).
// "in-process" is a local gosh's link to its daemon's endpoint,
// "network" a remote client's. Run it -cold too (-benchtime 3000x ./ssp
// -args -cold): the caches are swept before each echo.
func BenchmarkEchoLink(b *testing.B) {
	for name, pair := range map[string]func(testing.TB) *echoPair{"in-process": newInProcessPair, "network": newNetworkPair} {
		b.Run(name, func(b *testing.B) {
			p := pair(b)
			var onPath time.Duration
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				cold.Sweep(b)
				start := time.Now()
				p.echo(byte('a' + i%26))
				onPath += time.Since(start)
				p.settle()
			}
			b.ReportMetric(float64(onPath.Nanoseconds())/float64(b.N), "echo-ns/op")
		})
	}
}
