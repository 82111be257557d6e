package mux

import (
	"bytes"
	"net/netip"
	"testing"

	"github.com/goshterm/gosh/bench/cold"
	"github.com/goshterm/gosh/ssp"
	"github.com/goshterm/gosh/ssp/conn"
)

// newLocalEchoCycle is echoCycle over a local gosh's link: the daemon's
// transport on a conn.Endpoint, the client's on that endpoint's
// in-process conn.LocalConn, every datagram handed over by the test.
func newLocalEchoCycle(tb testing.TB) *echoCycle {
	ep := conn.NewEndpoint(&memConn{addr: netip.MustParseAddrPort("127.0.0.1:60001")})
	var up [][]byte
	ep.SetReceiver(func(b []byte, _ netip.AddrPort) { up = append(up, bytes.Clone(b)) })
	lc, err := ep.Connect()
	if err != nil {
		tb.Fatal(err)
	}
	buf := make([]byte, ssp.MaxDatagram+1)
	e := &echoCycle{upFrom: conn.InProcess, downFrom: conn.InProcess,
		takeUp: func() [][]byte {
			out := up
			up = nil
			return out
		},
		takeDown: func() (out [][]byte) {
			for {
				n, ok := lc.TryRead(buf)
				if !ok {
					return out
				}
				out = append(out, bytes.Clone(buf[:n]))
			}
		}}
	e.start(tb, ep, lc)
	return e
}

// BenchmarkDaemonEchoInProcess is BenchmarkDaemonEcho over a local gosh's
// in-process link instead of a remote client's datagrams.
func BenchmarkDaemonEchoInProcess(b *testing.B) {
	e := newLocalEchoCycle(b)
	key := []byte("x")
	b.ReportAllocs()
	for b.Loop() {
		cold.Sweep(b)
		e.key(key)
	}
}

// TestLocalEchoCycle checks BenchmarkDaemonEchoInProcess's fixture: typed
// keys reach the daemon, and the pane's echo the client's replica.
func TestLocalEchoCycle(t *testing.T) {
	e := newLocalEchoCycle(t)
	for range 3 {
		e.key([]byte("x"))
	}
	if got := e.peer.Remote().Screen().Cell(2, 0).Text; got != "x" {
		t.Errorf("replica's cell (2,0) = %q, want the third echoed x", got)
	}
	if n := e.peer.RemoteNum(); n < 3 {
		t.Errorf("client has frame %d, want at least one per key", n)
	}
}
