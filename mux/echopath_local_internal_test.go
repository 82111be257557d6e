package mux

import (
	"bytes"
	"net/netip"
	"testing"
	"time"

	"github.com/goshterm/gosh/bench/cold"
	"github.com/goshterm/gosh/mux/statesync"
	"github.com/goshterm/gosh/ssp"
	"github.com/goshterm/gosh/ssp/conn"
)

// localEchoCycle is echoCycle over a local gosh's link: the daemon's
// transport on a conn.Endpoint, the client's on that endpoint's
// in-process conn.LocalConn, every datagram handed over by the test.
type localEchoCycle struct {
	c    *client
	p    *Pane
	peer *ssp.Transport[*statesync.UserStream, *statesync.Frame]
	lc   *conn.LocalConn
	up   [][]byte // what the client sent, as the endpoint's receiver took it
	buf  []byte
	now  time.Time
	keys int
}

func newLocalEchoCycle(tb testing.TB) *localEchoCycle {
	_, c, p := echoFixture(tb)
	key, _ := ssp.GenerateKey()
	e := &localEchoCycle{c: c, p: p, now: time.Now(), buf: make([]byte, ssp.MaxDatagram+1)}
	addr := netip.MustParseAddrPort("127.0.0.1:60001")
	ep := conn.NewEndpoint(&memConn{addr: addr})
	ep.SetReceiver(func(b []byte, _ netip.AddrPort) { e.up = append(e.up, bytes.Clone(b)) })
	var err error
	if e.lc, err = ep.Connect(); err != nil {
		tb.Fatal(err)
	}
	c.tr.Close()
	c.tr, err = ssp.New(ssp.Config[*statesync.Frame, *statesync.UserStream]{Role: ssp.Server, Key: key, Conn: ep,
		Local: statesync.NewFrame(80, 24), Remote: statesync.NewUserStream()})
	if err != nil {
		tb.Fatal(err)
	}
	e.peer, err = ssp.New(ssp.Config[*statesync.UserStream, *statesync.Frame]{Role: ssp.Client, Key: key, Conn: e.lc,
		Peer: addr, Local: statesync.NewUserStream(), Remote: statesync.NewFrame(80, 24)})
	if err != nil {
		tb.Fatal(err)
	}
	e.peer.Current().PushResize(80, 24)
	for range 4 {
		e.key(nil)
	}
	return e
}

func (e *localEchoCycle) takeUp() [][]byte {
	out := e.up
	e.up = nil
	return out
}

// toPeer hands the client what the daemon sent it, and reports how many.
func (e *localEchoCycle) toPeer() int {
	n := 0
	for {
		m, ok := e.lc.TryRead(e.buf)
		if !ok {
			return n
		}
		n++
		e.peer.Receive(e.now, e.buf[:m], conn.InProcess)
	}
}

// deliver hands each side what the other sent, until both are quiet.
func (e *localEchoCycle) deliver() {
	for range 8 {
		in := e.takeUp()
		for _, d := range in {
			if e.c.tr.Receive(e.now, d, conn.InProcess) && e.c.consume(e.now) {
				e.c.compose(e.now)
			}
		}
		_ = e.c.tr.Tick(e.now)
		out := e.toPeer()
		_ = e.peer.Tick(e.now)
		if len(in) == 0 && out == 0 {
			return
		}
	}
}

// key is echoCycle.key: the client sends the key, the daemon receives it
// and writes it to the pane, the pane's echo is composed and sent, and
// the acks go back and forth. A nil key only exchanges acks.
func (e *localEchoCycle) key(k []byte) {
	e.now = e.now.Add(25 * time.Millisecond)
	if k != nil {
		e.peer.Current().PushKeys(k)
	}
	_ = e.peer.Tick(e.now)
	for _, d := range e.takeUp() {
		if e.c.tr.Receive(e.now, d, conn.InProcess) {
			e.c.consume(e.now)
		}
	}
	if k != nil {
		e.keys++
		echoOutput(e.p, e.keys)
	}
	e.c.compose(e.now)
	_ = e.c.tr.Tick(e.now)
	e.now = e.now.Add(time.Millisecond)
	e.deliver()
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
