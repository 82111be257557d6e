package ssp

import (
	"bytes"
	"encoding/binary"
	"net/netip"
	"testing"
	"time"

	"github.com/goshterm/gosh/ssp/conn"
)

// linkedWire is a server of snaps on a conn.Endpoint (its network socket
// a recConn at serverAddr) and the endpoint's in-process client, both
// driven by hand.
type linkedWire struct {
	s, c *Transport[*snap, *snap]
	sc   *recConn        // the endpoint's network socket
	lc   *conn.LocalConn // the client's socket
	up   [][]byte        // what the client sent, as the endpoint's receiver took it
}

func newLinkedWire(t *testing.T) *linkedWire {
	t.Helper()
	w := &linkedWire{sc: &recConn{addr: serverAddr}}
	ep := conn.NewEndpoint(w.sc)
	ep.SetReceiver(func(b []byte, from netip.AddrPort) {
		if from != conn.InProcess {
			t.Errorf("the endpoint took its client's datagram from %v", from)
		}
		w.up = append(w.up, bytes.Clone(b))
	})
	var err error
	if w.lc, err = ep.Connect(); err != nil {
		t.Fatal(err)
	}
	if w.s, err = New(Config[*snap, *snap]{Role: Server, Key: testKey, Conn: ep, Local: &snap{}, Remote: &snap{}}); err != nil {
		t.Fatal(err)
	}
	if w.c, err = New(Config[*snap, *snap]{Role: Client, Key: testKey, Conn: w.lc, Peer: serverAddr, Local: &snap{}, Remote: &snap{}}); err != nil {
		t.Fatal(err)
	}
	return w
}

// takeUp returns and forgets what the client sent.
func (w *linkedWire) takeUp() [][]byte {
	out := w.up
	w.up = nil
	return out
}

// takeDown returns what the server sent its in-process client.
func (w *linkedWire) takeDown() (out [][]byte) {
	buf := make([]byte, MaxDatagram+1)
	for {
		n, ok := w.lc.TryRead(buf)
		if !ok {
			return out
		}
		out = append(out, bytes.Clone(buf[:n]))
	}
}

// plainInstruction reads a plain single-fragment datagram, failing t if
// it is not one.
func plainInstruction(t *testing.T, d []byte) *instruction {
	t.Helper()
	if len(d) < nonceSize+timestampsSize+fragHeaderSize || binary.BigEndian.Uint64(d)&plainBit == 0 {
		t.Fatalf("datagram %x is not plain", d)
	}
	f, err := parseFragment(d[nonceSize+timestampsSize:])
	if err != nil || !f.final || f.num != 0 {
		t.Fatalf("not a single fragment: %+v %v", f, err)
	}
	inst, err := decodeInstruction(f.contents) // uncompressed protobuf
	if err != nil {
		t.Fatalf("fragment contents %x are not an uncompressed instruction: %v", f.contents, err)
	}
	if len(d) != nonceSize+timestampsSize+fragHeaderSize+inst.sizeRaw() {
		t.Errorf("plain datagram of %d bytes carries a %d-byte instruction: %d bytes more than the header", len(d), inst.sizeRaw(), len(d)-inst.sizeRaw())
	}
	return inst
}

// TestInProcessDatagramsArePlain: between a server on an endpoint and its
// in-process client, each way, the datagrams carry the instruction
// uncompressed and unsealed — the sequence number (with plainBit), the
// timestamps and the fragment header as over the network — and both
// sides take them: the keys reach the server, the echo the client, the
// round trip is measured, and nothing is dropped.
func TestInProcessDatagramsArePlain(t *testing.T) {
	w := newLinkedWire(t)
	w.c.Current().s = "ls"
	w.c.Tick(at(0))
	up := w.takeUp()
	if len(up) != 1 {
		t.Fatalf("client sent %d datagrams, want 1", len(up))
	}
	if inst := plainInstruction(t, up[0]); string(inst.diff) != "=ls" || inst.newNum != 1 {
		t.Errorf("client's instruction: new %d diff %q, want 1 \"=ls\"", inst.newNum, inst.diff)
	}
	if n := binary.BigEndian.Uint64(up[0]); n != plainBit {
		t.Errorf("client's first nonce %#x, want sequence number 0 toward the server, marked plain", n)
	}
	if !w.s.Receive(at(10), up[0], conn.InProcess) || w.s.Remote().s != "ls" {
		t.Fatalf("server has %q, want the keys", w.s.Remote().s)
	}
	if w.s.link.expectedSeq != 1 {
		t.Errorf("server expects sequence number %d next, want 1", w.s.link.expectedSeq)
	}
	if a, ok := w.s.RemoteAddr(); !ok || a != conn.InProcess {
		t.Fatalf("server replies to %v %v, want the in-process client", a, ok)
	}
	w.s.Current().s = "ls!"
	var down [][]byte
	for ms := 10; ms < 100 && len(down) == 0; ms++ { // past the server's mindelay
		w.s.Tick(at(ms))
		down = w.takeDown()
	}
	if len(down) == 0 {
		t.Fatal("server sent its client nothing")
	}
	for _, d := range down {
		plainInstruction(t, d)
		w.c.Receive(at(120), d, conn.InProcess)
	}
	if w.c.Remote().s != "ls!" {
		t.Fatalf("client has %q, want the echo", w.c.Remote().s)
	}
	if w.c.SRTT() >= time.Duration(initialSRTT)*time.Millisecond {
		t.Errorf("client SRTT %v: no round trip measured from the plain timestamps", w.c.SRTT())
	}
	for _, st := range []Stats{w.s.Stats(), w.c.Stats()} {
		if st.DroppedAuth+st.DroppedShort+st.DroppedDecode+st.DroppedFragment != 0 {
			t.Errorf("drops on the in-process link: %+v", st)
		}
	}
	if len(w.sc.sent) != 0 {
		t.Errorf("%d datagrams left on the endpoint's network socket", len(w.sc.sent))
	}
}

// inProcessKeys returns the in-process client's first datagram, its
// keys "ls", plain.
func inProcessKeys(t *testing.T) []byte {
	t.Helper()
	w := newLinkedWire(t)
	w.c.Current().s = "ls"
	w.c.Tick(at(0))
	up := w.takeUp()
	if len(up) != 1 {
		t.Fatalf("client sent %d datagrams, want 1", len(up))
	}
	return up[0]
}

// TestPlainDatagramOnlyFromInProcess: a server on an endpoint takes a
// plain datagram only from conn.InProcess. The same bytes from a network
// address are not authentic: dropped, counted, and nothing of them used
// (no state, no client address, no timestamp, no sequence number).
func TestPlainDatagramOnlyFromInProcess(t *testing.T) {
	d := inProcessKeys(t)
	w := newLinkedWire(t)
	if w.s.Receive(at(10), d, clientAddr) {
		t.Error("a plain datagram from the network was taken")
	}
	st := w.s.Stats()
	if st.Received != 1 || st.DroppedAuth != 1 || st.States != 0 {
		t.Errorf("plain datagram from %v: %+v, want it dropped as not authentic", clientAddr, st)
	}
	if _, ok := w.s.RemoteAddr(); ok || !w.s.LastHeard().IsZero() || w.s.link.expectedSeq != 0 || w.s.link.hasSaved {
		t.Error("a dropped plain datagram from the network touched the link")
	}
	if !w.s.Receive(at(20), d, conn.InProcess) || w.s.Remote().s != "ls" {
		t.Errorf("the same datagram from the in-process client: server has %q, want the keys", w.s.Remote().s)
	}
}

// TestPlainDatagramOverUDPIsDropped: the in-process client's plain
// datagram sent over UDP to the endpoint's port reaches the server's
// inbox from that UDP address, and the server drops it as not authentic.
func TestPlainDatagramOverUDPIsDropped(t *testing.T) {
	d := inProcessKeys(t)
	udp, err := conn.ListenUDP(netip.MustParseAddr("127.0.0.1"), 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(Config[*snap, *snap]{Role: Server, Key: testKey, Conn: conn.NewEndpoint(udp), Local: &snap{}, Remote: &snap{}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	in := s.Inbox()
	peer, err := conn.ListenUDP(netip.MustParseAddr("127.0.0.1"), 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer peer.Close()
	if err := peer.WriteTo(d, udp.LocalAddr()); err != nil {
		t.Fatal(err)
	}
	var p Packet
	select {
	case p = <-in:
	case <-time.After(time.Minute): // a hang guard, not a timing assertion
		t.Fatal("the datagram never reached the inbox")
	}
	if p.From != peer.LocalAddr() {
		t.Errorf("datagram from %v, want %v", p.From, peer.LocalAddr())
	}
	if s.ReceivePacket(at(10), p) || s.Remote().s != "" {
		t.Error("a plain datagram from UDP was taken")
	}
	if st := s.Stats(); st.DroppedAuth != 1 {
		t.Errorf("%+v, want the plain datagram from UDP dropped as not authentic", st)
	}
}

// TestPlainDatagramNeedsTheLink: a Transport whose socket is not an
// in-process link takes no plain datagram, even one that claims to come
// from conn.InProcess (as a socket of another kind could let it).
func TestPlainDatagramNeedsTheLink(t *testing.T) {
	d := inProcessKeys(t)
	p := newWirePair(t) // a server on a plain socket
	if p.s.Receive(at(10), d, conn.InProcess) {
		t.Error("a server on a network socket took a plain datagram")
	}
	if st := p.s.Stats(); st.DroppedAuth != 1 || st.States != 0 {
		t.Errorf("%+v, want the plain datagram dropped as not authentic", st)
	}
	if _, ok := p.s.RemoteAddr(); ok {
		t.Error("the plain datagram attached a client")
	}
}

// TestSealedDatagramFromInProcessIsDropped: the in-process client's
// datagrams must be plain; a sealed one from conn.InProcess (authentic,
// with the server's key) is not read as a plain one's timestamps and
// fragment: it is dropped at once and changes nothing.
func TestSealedDatagramFromInProcessIsDropped(t *testing.T) {
	p := newWirePair(t) // the same key, over the network
	p.c.Current().s = "ls"
	p.c.Tick(at(0))
	sealed := p.cc.last()
	w := newLinkedWire(t)
	if w.s.Receive(at(10), sealed, conn.InProcess) {
		t.Error("a sealed datagram from the in-process client was taken")
	}
	st := w.s.Stats()
	if st.DroppedAuth != 1 || st.DroppedFragment+st.DroppedDecode != 0 || st.States != 0 {
		t.Errorf("%+v, want the sealed datagram dropped as not authentic, before the fragment layer", st)
	}
	if _, ok := w.s.RemoteAddr(); ok || !w.s.LastHeard().IsZero() || w.s.link.expectedSeq != 0 || w.s.link.hasSaved {
		t.Error("a sealed datagram from the in-process client touched the link")
	}
	// The endpoint's network clients still speak sealed.
	if !w.s.Receive(at(20), sealed, clientAddr) || w.s.Remote().s != "ls" {
		t.Errorf("the sealed datagram from %v: server has %q, want the keys", clientAddr, w.s.Remote().s)
	}
}

// TestEndpointSealsForTheNetwork: a server on an endpoint still seals
// (and compresses) what it sends a client on the network, and opens what
// that client sends: only its in-process client's datagrams go plain.
func TestEndpointSealsForTheNetwork(t *testing.T) {
	w := newLinkedWire(t)
	p := newWirePair(t)
	p.c.Current().s = "ls"
	p.c.Tick(at(0))
	if !w.s.Receive(at(10), p.cc.last(), clientAddr) || w.s.Remote().s != "ls" {
		t.Fatalf("server has %q, want the network client's keys", w.s.Remote().s)
	}
	w.s.Current().s = "ls!"
	for ms := 10; ms < 100 && len(w.sc.sent) == 0; ms++ {
		w.s.Tick(at(ms))
	}
	if len(w.sc.sent) == 0 {
		t.Fatal("server sent its network client nothing")
	}
	for i, d := range w.sc.sent {
		if w.sc.to[i] != clientAddr {
			t.Errorf("datagram %d went to %v, want %v", i, w.sc.to[i], clientAddr)
		}
		decodeDatagram(t, d) // opens with the key, inflates
		p.c.Receive(at(120), d, serverAddr)
	}
	if p.c.Remote().s != "ls!" {
		t.Errorf("network client has %q, want the echo", p.c.Remote().s)
	}
	if len(w.takeDown()) != 0 {
		t.Error("the in-process client got the network client's datagrams")
	}
}

// TestInProcessClientCannotHop: a client on a LocalConn has no network
// socket to hop to; a Network would open one, whose datagrams nothing
// stops from claiming conn.InProcess.
func TestInProcessClientCannotHop(t *testing.T) {
	ep := conn.NewEndpoint(&recConn{addr: serverAddr})
	lc, err := ep.Connect()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := New(Config[*snap, *snap]{Role: Client, Key: testKey, Conn: lc, Peer: serverAddr, Network: &recNetwork{},
		Local: &snap{}, Remote: &snap{}}); err == nil {
		t.Error("New took a LocalConn with a Network")
	}
}

// TestFragmentsPlainOrCompressed: the same instruction cut plain and
// compressed gets two ids (their bytes differ, and mosh's receiver
// assumes one id's fragments are the same bytes), and a fragment of one
// kind never completes an instruction of the other.
func TestFragmentsPlainOrCompressed(t *testing.T) {
	inst := keystroke(3)
	var f fragmenter
	z := cloneFragments(f.cut(inst, 1214, false))
	p := cloneFragments(f.cut(inst, 1214, true))
	if z[0].id == p[0].id {
		t.Errorf("plain and compressed fragments of one instruction share id %d", z[0].id)
	}
	if got, err := decodeInstruction(p[0].contents); err != nil || !got.equal(inst) {
		t.Errorf("plain fragment's contents decode to %+v (%v), want the instruction", got, err)
	}
	if again := cloneFragments(f.cut(inst, 1214, true)); again[0].id != p[0].id || !bytes.Equal(again[0].contents, p[0].contents) {
		t.Error("an identical plain resend changed its id or bytes")
	}

	// Two fragments of one id, the first plain, the second compressed.
	long := &instruction{protocolVersion: 2, newNum: 1, diff: bytes.Repeat([]byte("ab"), 300)}
	plain := cloneFragments(f.cut(long, 200, true))
	var r reassembly
	if out, _ := r.add(plain[0]); out != nil {
		t.Fatal("one fragment of several completed an instruction")
	}
	mixed := plain[1:]
	for i := range mixed {
		mixed[i].plain = false
	}
	for _, fr := range mixed {
		if out, _ := r.add(fr); out != nil {
			t.Fatal("compressed fragments completed a plain instruction")
		}
	}
}

// FuzzInProcessReceive feeds arbitrary datagrams to a server on an
// endpoint, as from its in-process client and as from the network. From
// the network none gets past the link, whatever it is (the seeds are the
// in-process client's plain datagrams): each is dropped and counted once,
// and changes nothing. From the in-process client none panics, and one
// the link drops is counted once and changes nothing.
func FuzzInProcessReceive(f *testing.F) {
	w := newLinkedWire(&testing.T{})
	w.c.Current().s = "seed"
	w.c.Tick(at(0))
	w.c.Current().s = string(bytes.Repeat([]byte("many fragments "), 200))
	w.c.Tick(at(50))
	for _, d := range w.takeUp() {
		f.Add(d)
		f.Add(d[:len(d)-1])
		f.Add(d[:nonceSize+timestampsSize])
		unmarked := bytes.Clone(d)
		unmarked[0] &^= plainBit >> 56
		f.Add(unmarked)
		reflected := bytes.Clone(d)
		reflected[0] |= 0x80
		f.Add(reflected)
	}
	f.Add([]byte{})
	f.Add(make([]byte, nonceSize+timestampsSize-1))
	f.Add(make([]byte, MaxDatagram+1))
	f.Fuzz(func(t *testing.T, d []byte) {
		for _, from := range []netip.AddrPort{conn.InProcess, clientAddr} {
			q := newLinkedWire(t)
			q.s.Receive(at(1), d, from)
			q.s.Tick(at(2))
			st := q.s.Stats()
			if st.Received != 1 {
				t.Fatalf("from %v: Received %d", from, st.Received)
			}
			dropped := st.DroppedOversize + st.DroppedShort + st.DroppedDirection + st.DroppedAuth
			if from != conn.InProcess && dropped != 1 {
				t.Fatalf("a datagram from the network got past the link: %+v", st)
			}
			if dropped > 1 {
				t.Fatalf("from %v: counted in %d drop counters: %+v", from, dropped, st)
			}
			if dropped == 1 {
				if q.s.RemoteNum() != 0 || q.s.Remote().s != "" {
					t.Fatalf("from %v: a dropped datagram changed the remote state", from)
				}
				if _, ok := q.s.RemoteAddr(); ok {
					t.Fatalf("from %v: a dropped datagram attached a client", from)
				}
			}
		}
	})
}
