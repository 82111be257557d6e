package impair

import (
	"bytes"
	"encoding/binary"
	"net"
	"testing"
	"time"
)

// deadline bounds every wait in these tests; nothing asserts on time.
const deadline = 10 * time.Second

// echoServer is a UDP server on loopback that records each datagram's
// payload and source, and echoes it back.
type echoServer struct {
	c   *net.UDPConn
	got chan received
}

type received struct {
	b    []byte
	from *net.UDPAddr
}

func newEchoServer(t *testing.T) *echoServer {
	t.Helper()
	c, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	s := &echoServer{c: c, got: make(chan received, 4096)}
	done := make(chan struct{})
	go func() {
		defer close(done)
		buf := make([]byte, 2048)
		for {
			n, from, err := c.ReadFromUDP(buf)
			if err != nil {
				return
			}
			b := append([]byte(nil), buf[:n]...)
			s.got <- received{b, from}
			c.WriteToUDP(b, from)
		}
	}()
	t.Cleanup(func() { c.Close(); <-done })
	return s
}

func newProxy(t *testing.T, srv *echoServer, cfg Config) *Proxy {
	t.Helper()
	cfg.Listen = "127.0.0.1:0"
	cfg.Server = srv.c.LocalAddr().String()
	t.Logf("seed %d", cfg.Seed)
	p, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}

func dialProxy(t *testing.T, p *Proxy) *net.UDPConn {
	t.Helper()
	c, err := net.DialUDP("udp", nil, p.Addr())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func numbered(i int) []byte { return binary.BigEndian.AppendUint32(nil, uint32(i)) }

// waitStats polls until ok holds for the proxy's counters.
func waitStats(t *testing.T, p *Proxy, ok func(Stats) bool) Stats {
	t.Helper()
	end := time.Now().Add(deadline)
	for {
		s := p.Stats()
		if ok(s) {
			return s
		}
		if time.Now().After(end) {
			t.Fatalf("stats never settled: %+v", s)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// receive collects n datagrams at the server, failing after the deadline.
func (s *echoServer) receive(t *testing.T, n int) []received {
	t.Helper()
	var out []received
	timeout := time.After(deadline)
	for len(out) < n {
		select {
		case r := <-s.got:
			out = append(out, r)
		case <-timeout:
			t.Fatalf("server got %d of %d datagrams", len(out), n)
		}
	}
	return out
}

func TestNoLossPassesEverythingBothWays(t *testing.T) {
	srv := newEchoServer(t)
	p := newProxy(t, srv, Config{Up: Link{Delay: 5 * time.Millisecond}, Down: Link{Delay: 5 * time.Millisecond}})
	c := dialProxy(t, p)
	const n = 100
	for i := range n {
		if _, err := c.Write(numbered(i)); err != nil {
			t.Fatal(err)
		}
	}
	got := srv.receive(t, n)
	// Without jitter the order is kept.
	for i, r := range got {
		if v := binary.BigEndian.Uint32(r.b); v != uint32(i) {
			t.Fatalf("datagram %d carries %d: reordered without jitter", i, v)
		}
	}
	// The echoes come back to the client through the down direction.
	c.SetReadDeadline(time.Now().Add(deadline))
	buf := make([]byte, 64)
	for i := range n {
		if _, err := c.Read(buf); err != nil {
			t.Fatalf("echo %d: %v", i, err)
		}
	}
	s := waitStats(t, p, func(s Stats) bool { return s.Down.Sent == n })
	if s.Up.Sent != n || s.Down.Sent != n || s.Up.Lost+s.Down.Lost != 0 {
		t.Errorf("stats = %+v, want %d sent each way and no loss", s, n)
	}
}

func TestFullLossPassesNothing(t *testing.T) {
	srv := newEchoServer(t)
	p := newProxy(t, srv, Config{Up: Link{Loss: 1}})
	c := dialProxy(t, p)
	const n = 50
	for i := range n {
		c.Write(numbered(i))
	}
	waitStats(t, p, func(s Stats) bool { return s.Up.Received == n })
	// Every datagram has been judged; let a marker through and check it
	// is the first and only thing the server ever saw.
	p.SetUp(Link{})
	c.Write([]byte("marker"))
	got := srv.receive(t, 1)
	if string(got[0].b) != "marker" {
		t.Errorf("server received %q through a 100%% loss link", got[0].b)
	}
	if s := p.Stats(); s.Up.Lost != n {
		t.Errorf("lost = %d, want %d", s.Up.Lost, n)
	}
}

func TestLossIsDeterministicPerSeed(t *testing.T) {
	run := func() map[uint32]bool {
		srv := newEchoServer(t)
		p := newProxy(t, srv, Config{Seed: 42, Up: Link{Loss: 0.3}})
		c := dialProxy(t, p)
		const n = 200
		for i := range n {
			c.Write(numbered(i))
		}
		s := waitStats(t, p, func(s Stats) bool { return s.Up.Received == n && s.Up.Lost+s.Up.Sent == n })
		if s.Up.Lost == 0 || s.Up.Lost == n {
			t.Fatalf("30%% loss lost %d of %d", s.Up.Lost, n)
		}
		set := map[uint32]bool{}
		for _, r := range srv.receive(t, int(s.Up.Sent)) {
			set[binary.BigEndian.Uint32(r.b)] = true
		}
		return set
	}
	a, b := run(), run()
	if len(a) != len(b) {
		t.Fatalf("same seed passed %d then %d datagrams", len(a), len(b))
	}
	for k := range a {
		if !b[k] {
			t.Fatalf("datagram %d passed once and was lost once with the same seed", k)
		}
	}
}

func TestRateCapOverflowsBoundedQueue(t *testing.T) {
	srv := newEchoServer(t)
	// 1 KB/s with room for 5 datagrams: a burst of 100 × 100 bytes
	// cannot fit. (Small datagrams, so the burst fits the proxy's
	// socket buffer and every one is judged by the proxy.)
	p := newProxy(t, srv, Config{Up: Link{Rate: 1000, Limit: 5}})
	c := dialProxy(t, p)
	const n = 100
	payload := make([]byte, 100)
	for range n {
		c.Write(payload)
	}
	s := waitStats(t, p, func(s Stats) bool { return s.Up.Received == n })
	if s.Up.Overflow < n-10 {
		t.Errorf("overflow = %d of a %d-datagram burst into a 5-datagram queue", s.Up.Overflow, n)
	}
	// The queue head still gets through.
	srv.receive(t, 1)
}

func TestRoamChangesSourceSeenByServer(t *testing.T) {
	srv := newEchoServer(t)
	p := newProxy(t, srv, Config{})
	c := dialProxy(t, p)
	c.Write([]byte("before"))
	before := srv.receive(t, 1)[0].from
	if !before.IP.Equal(p.SourceAddr().IP) || before.Port != p.SourceAddr().Port {
		t.Fatalf("server saw %v, proxy says its source is %v", before, p.SourceAddr())
	}
	addr, err := p.Roam()
	if err != nil {
		t.Fatal(err)
	}
	c.Write([]byte("after"))
	after := srv.receive(t, 1)[0].from
	if after.String() != addr.String() || after.IP.Equal(before.IP) {
		t.Errorf("after roam the server saw %v (before %v, roamed to %v)", after, before, addr)
	}
	if !after.IP.Equal(net.IPv4(127, 0, 0, 2)) {
		t.Errorf("first roam went to %v, want 127.0.0.2", after.IP)
	}
	// Replies to the new source still reach the client.
	c.SetReadDeadline(time.Now().Add(deadline))
	buf := make([]byte, 64)
	for {
		n, err := c.Read(buf)
		if err != nil {
			t.Fatalf("no echo after roam: %v", err)
		}
		if string(buf[:n]) == "after" {
			break
		}
	}
}

func TestCloseIsIdempotentAndRoamAfterCloseFails(t *testing.T) {
	srv := newEchoServer(t)
	p := newProxy(t, srv, Config{Up: Link{Delay: time.Hour}})
	c := dialProxy(t, p)
	c.Write([]byte("stuck in the queue"))
	waitStats(t, p, func(s Stats) bool { return s.Up.Received == 1 })
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Roam(); err != ErrClosed {
		t.Errorf("Roam after Close = %v, want ErrClosed", err)
	}
}

// TestHoldDeliversNothingUntilReleasedThenAllInOrder: datagrams sent
// while a direction is held never reach the server (a marker sent the
// other way proves the proxy is alive meanwhile), and all of them arrive,
// in order, once the hold is cleared.
func TestHoldDeliversNothingUntilReleasedThenAllInOrder(t *testing.T) {
	srv := newEchoServer(t)
	p := newProxy(t, srv, Config{Up: Link{Hold: true}})
	c := dialProxy(t, p)
	const n = 20
	for i := range n {
		c.Write(numbered(i))
	}
	waitStats(t, p, func(s Stats) bool { return s.Up.Received == n })
	if s := p.Stats(); s.Up.Sent != 0 || s.Up.Lost != 0 {
		t.Fatalf("held direction delivered or lost datagrams: %+v", s)
	}
	select {
	case r := <-srv.got:
		t.Fatalf("server received %x while the way to it was held", r.b)
	default:
	}
	p.SetUp(Link{})
	got := srv.receive(t, n)
	for i, r := range got {
		if !bytes.Equal(r.b, numbered(i)) {
			t.Fatalf("datagram %d after release = %x, want %x", i, r.b, numbered(i))
		}
	}
}
