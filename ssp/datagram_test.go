package ssp

import (
	"encoding/binary"
	"net"
	"net/netip"
	"testing"
	"time"

	"github.com/goshterm/gosh/ssp/conn"
)

// recConn records what is written to it.
type recConn struct {
	addr   netip.AddrPort
	sent   [][]byte
	to     []netip.AddrPort
	closed bool
}

var _ conn.PacketConn = (*recConn)(nil)

func (c *recConn) ReadFrom([]byte) (int, netip.AddrPort, error) {
	return 0, netip.AddrPort{}, net.ErrClosed
}
func (c *recConn) WriteTo(b []byte, to netip.AddrPort) error {
	c.sent = append(c.sent, append([]byte(nil), b...))
	c.to = append(c.to, to)
	return nil
}
func (c *recConn) LocalAddr() netip.AddrPort { return c.addr }
func (c *recConn) Close() error              { c.closed = true; return nil }
func (c *recConn) last() []byte              { return c.sent[len(c.sent)-1] }

type recNetwork struct{ opened []*recConn }

func (n *recNetwork) ListenPacket(netip.AddrPort) (conn.PacketConn, error) {
	c := &recConn{addr: netip.MustParseAddrPort("10.0.0.2:7000")}
	n.opened = append(n.opened, c)
	return c, nil
}

var (
	testKey    = Key{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}
	serverAddr = netip.MustParseAddrPort("10.0.0.1:60001")
	clientAddr = netip.MustParseAddrPort("10.0.0.2:5000")
	t0         = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
)

func testLinks(t *testing.T) (c, s *link, cc, sc *recConn, cs, ss *Stats) {
	t.Helper()
	cc, sc = &recConn{addr: clientAddr}, &recConn{addr: serverAddr}
	cs, ss = new(Stats), new(Stats)
	c = &link{sendDir: toServer, recvDir: toClient, sealer: newSealer(testKey), stats: cs,
		rtt: newRTTEstimator(), sockets: []socket{{pc: cc}}, remote: serverAddr, hasRemote: true}
	s = &link{server: true, sendDir: toClient, recvDir: toServer, sealer: newSealer(testKey), stats: ss,
		rtt: newRTTEstimator(), sockets: []socket{{pc: sc}}}
	return
}

func at(ms int) time.Time { return t0.Add(time.Duration(ms) * time.Millisecond) }

// plaintextOf opens a datagram with the test key.
func plaintextOf(t *testing.T, d []byte) (seq uint64, ts, reply uint16, payload []byte) {
	t.Helper()
	n, pt, err := newSealer(testKey).open(nil, d)
	if err != nil {
		t.Fatal(err)
	}
	return n &^ (1 << 63), binary.BigEndian.Uint16(pt), binary.BigEndian.Uint16(pt[2:]), pt[4:]
}

func TestLinkRoundTripAndRTT(t *testing.T) {
	c, s, cc, sc, _, _ := testLinks(t)
	// A server without a client sends nothing.
	s.send(at(0), []byte("early"))
	if len(sc.sent) != 0 {
		t.Fatal("server sent before it knew a client")
	}
	c.send(at(0), []byte("hello"))
	d := cc.last()
	if seq, ts, reply, _ := plaintextOf(t, d); seq != 0 || ts != 0 || reply != timestampNone {
		t.Errorf("first client datagram: seq %d ts %d reply %#x", seq, ts, reply)
	}
	if len(d) != 8+4+5+16 {
		t.Errorf("datagram length %d, want %d", len(d), 8+4+5+16)
	}
	// Arrives after 50 ms; the server holds it 30 ms before replying.
	p, ok := s.receive(at(50), d, clientAddr, false)
	if !ok || string(p) != "hello" {
		t.Fatalf("receive = %q, %v", p, ok)
	}
	if a, ok := s.remote, s.hasRemote; !ok || a != clientAddr {
		t.Fatalf("server remote = %v %v", a, ok)
	}
	s.send(at(80), []byte("world"))
	_, _, reply, _ := plaintextOf(t, sc.last())
	if reply != 30 { // client's ts 0 + 30 ms hold
		t.Errorf("timestamp_reply = %d, want 30 (corrected for hold time)", reply)
	}
	if p, ok := c.receive(at(130), sc.last(), serverAddr, false); !ok || string(p) != "world" {
		t.Fatalf("client receive = %q %v", p, ok)
	}
	// R = 130 − 30 = 100: the two 50 ms path delays, not the hold.
	if c.rtt.srtt != 100 {
		t.Errorf("client SRTT = %v, want 100", c.rtt.srtt)
	}
	// The timestamp is echoed once only.
	s.send(at(90), []byte("again"))
	if _, _, reply, _ := plaintextOf(t, sc.last()); reply != timestampNone {
		t.Errorf("second reply = %d, want none", reply)
	}
	// A saved timestamp older than 1 s is not echoed.
	c.send(at(200), nil)
	s.receive(at(250), cc.last(), clientAddr, false)
	s.send(at(1250), nil)
	if _, _, reply, _ := plaintextOf(t, sc.last()); reply != timestampNone {
		t.Errorf("reply after 1 s hold = %d, want none", reply)
	}
}

// TestLinkCongestionMark: a datagram that arrived with the ECN
// congestion-experienced mark has its timestamp echoed 500 ms older, so
// the peer measures a longer round trip and slows its frame rate (mosh's
// reaction, mosh-protocol.md §2.4).
func TestLinkCongestionMark(t *testing.T) {
	c, s, cc, sc, _, ss := testLinks(t)
	c.send(at(1000), []byte("hello"))
	_, ts, _, _ := plaintextOf(t, cc.last())
	s.receive(at(1050), cc.last(), clientAddr, true)
	s.send(at(1050), []byte("world"))
	if _, _, reply, _ := plaintextOf(t, sc.last()); reply != ts-congestionPenalty {
		t.Errorf("timestamp_reply = %d, want %d (the client's %d less the penalty)", reply, ts-congestionPenalty, ts)
	}
	c.receive(at(1100), sc.last(), serverAddr, false)
	if c.rtt.srtt != 600 {
		t.Errorf("client SRTT = %v ms, want 600 (100 + the penalty)", c.rtt.srtt)
	}
	if ss.Congested != 1 {
		t.Errorf("Congested = %d, want 1", ss.Congested)
	}
}

func TestLinkDrops(t *testing.T) {
	c, s, cc, _, cs, ss := testLinks(t)
	c.send(at(0), []byte("x"))
	good := cc.last()
	// Reflection: the client gets its own datagram back.
	if _, ok := c.receive(at(1), good, serverAddr, false); ok || cs.DroppedDirection != 1 {
		t.Errorf("reflected datagram: ok %v, DroppedDirection %d", ok, cs.DroppedDirection)
	}
	if _, ok := s.receive(at(1), good[:23], clientAddr, false); ok || ss.DroppedShort != 1 {
		t.Errorf("short: ok %v count %d", ok, ss.DroppedShort)
	}
	if _, ok := s.receive(at(1), make([]byte, MaxDatagram+1), clientAddr, false); ok || ss.DroppedOversize != 1 {
		t.Errorf("oversize: ok %v count %d", ok, ss.DroppedOversize)
	}
	bad := append([]byte(nil), good...)
	bad[10] ^= 0x40
	if _, ok := s.receive(at(1), bad, clientAddr, false); ok || ss.DroppedAuth != 1 {
		t.Errorf("forged: ok %v count %d", ok, ss.DroppedAuth)
	}
	// Authentic but with less than 4 bytes of plaintext.
	tiny, _ := newSealer(testKey).seal(nil, 7, []byte{1, 2})
	if _, ok := s.receive(at(1), tiny, clientAddr, false); ok || ss.DroppedShort != 2 {
		t.Errorf("tiny plaintext: ok %v count %d", ok, ss.DroppedShort)
	}
	if s.hasRemote {
		t.Error("a dropped datagram attached a client")
	}
	if ss.Received != 4 {
		t.Errorf("Received = %d, want 4", ss.Received)
	}
}

func TestLinkReorderAndRoam(t *testing.T) {
	c, s, cc, sc, _, ss := testLinks(t)
	c.send(at(0), []byte("a"))
	old := cc.last()
	c.send(at(1), []byte("b"))
	newer := cc.last()
	if p, ok := s.receive(at(10), newer, clientAddr, false); !ok || string(p) != "b" {
		t.Fatal("newer not delivered")
	}
	roamed := netip.MustParseAddrPort("192.0.2.9:4444")
	// The older datagram arrives late from another address: still
	// delivered, but it must not move the server.
	if p, ok := s.receive(at(20), old, roamed, false); !ok || string(p) != "a" {
		t.Fatal("older datagram not delivered")
	}
	if ss.Reordered != 1 || s.remote != clientAddr || !s.lastHeard.Equal(at(10)) {
		t.Errorf("late datagram: reordered %d remote %v lastHeard %v", ss.Reordered, s.remote, s.lastHeard)
	}
	// A new datagram from the new address moves the server at once.
	c.send(at(30), []byte("c"))
	s.receive(at(40), cc.last(), roamed, false)
	if s.remote != roamed || ss.Roams != 1 {
		t.Errorf("after roam: remote %v roams %d", s.remote, ss.Roams)
	}
	s.send(at(41), []byte("r"))
	if sc.to[len(sc.to)-1] != roamed {
		t.Errorf("server replied to %v, want %v", sc.to[len(sc.to)-1], roamed)
	}
	// 40 s of silence detaches the client; the next datagram re-attaches.
	n := len(sc.sent)
	s.send(at(40+40001), []byte("void"))
	if len(sc.sent) != n || s.hasRemote {
		t.Error("server kept sending after the association timeout")
	}
	c.send(at(50000), []byte("back"))
	s.receive(at(50001), cc.last(), clientAddr, false)
	s.send(at(50002), []byte("hi"))
	if len(sc.sent) != n+1 || sc.to[len(sc.to)-1] != clientAddr {
		t.Error("server did not re-attach to the returning client")
	}
}

func TestLinkPortHop(t *testing.T) {
	c, _, cc, _, cs, _ := testLinks(t)
	nw := &recNetwork{}
	c.network = nw
	c.send(at(0), []byte("a"))
	c.send(at(9999), []byte("b"))
	if len(nw.opened) != 0 {
		t.Fatal("hopped before 10 s")
	}
	c.send(at(10000), []byte("c"))
	if len(nw.opened) != 1 || len(cc.sent) != 2 || len(nw.opened[0].sent) != 1 || cs.PortHops != 1 {
		t.Fatalf("after 10 s without a round trip: opened %d, old socket sent %d", len(nw.opened), len(cc.sent))
	}
	// A round trip succeeded recently: no hop even 10 s after the last.
	c.lastRoundtripSuccess = at(15000)
	c.send(at(20000), nil)
	if len(nw.opened) != 1 {
		t.Fatal("hopped despite a recent round trip")
	}
	// Hops continue every 10 s; the old sockets stay open (they still
	// receive late replies) until the newest is 60 s old, and never more
	// than 10 are kept.
	for ms := 30000; ms <= 150000; ms += 10000 {
		c.send(at(ms), nil)
	}
	if len(nw.opened) != 14 {
		t.Fatalf("opened %d sockets, want 14", len(nw.opened))
	}
	if len(c.sockets) != maxSockets || !cc.closed {
		t.Errorf("kept %d sockets (first closed %v), want %d", len(c.sockets), cc.closed, maxSockets)
	}
	newest := c.sockets[len(c.sockets)-1]
	c.receive(newest.opened.Add(maxOldSocketAge+time.Millisecond), []byte{}, serverAddr, false)
	if len(c.sockets) != 1 || c.sockets[0] != newest {
		t.Errorf("after 60 s: %d sockets", len(c.sockets))
	}
}
