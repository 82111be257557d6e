package ssp

import (
	"bytes"
	"testing"
)

// countingReader yields 0, 1, 2, … so that every chaff byte is known.
type countingReader struct{ next byte }

func (r *countingReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = r.next
		r.next++
	}
	return len(p), nil
}

// TestChaffFromConfigRand: a Config.Rand reader decides the chaff exactly
// as mosh does — its first byte mod 17 is the length, the next bytes the
// chaff — so tests that pass a deterministic reader see the chaff they
// expect on the wire.
func TestChaffFromConfigRand(t *testing.T) {
	cc := &recConn{addr: clientAddr}
	r := &countingReader{next: 20} // 20 mod 17 = 3: chaff 21 22 23
	c, err := New(Config[*snap, *snap]{Role: Client, Key: testKey, Conn: cc, Peer: serverAddr, Local: &snap{}, Remote: &snap{}, Rand: r})
	if err != nil {
		t.Fatal(err)
	}
	c.Tick(at(0))
	if len(cc.sent) != 1 {
		t.Fatalf("first tick sent %d datagrams, want 1", len(cc.sent))
	}
	got := decodeDatagram(t, cc.sent[0]).chaff
	if want := []byte{21, 22, 23}; !bytes.Equal(got, want) {
		t.Errorf("chaff = %v, want %v (length 20 mod 17, then the reader's bytes)", got, want)
	}
}

// TestChaffDefault: without Config.Rand every datagram carries 0–16 bytes
// of chaff whose length varies (it blurs the sizes of keystrokes), and two
// transports draw different chaff (each seeds its own generator).
func TestChaffDefault(t *testing.T) {
	a := newWirePair(t)
	b := newWirePair(t)
	lengths := map[int]bool{}
	var sameAB int
	for i := range 64 {
		now := at(i * 3000) // a heartbeat each time
		a.c.Tick(now)
		b.c.Tick(now)
		ia := a.toServer(t, now)
		ib := b.toServer(t, now)
		if len(ia) != 1 || len(ib) != 1 {
			t.Fatalf("tick %d sent %d and %d instructions, want 1 each", i, len(ia), len(ib))
		}
		if len(ia[0].chaff) > maxChaff {
			t.Fatalf("chaff of %d bytes, want at most %d", len(ia[0].chaff), maxChaff)
		}
		lengths[len(ia[0].chaff)] = true
		if bytes.Equal(ia[0].chaff, ib[0].chaff) {
			sameAB++
		}
	}
	if len(lengths) < 5 {
		t.Errorf("64 datagrams had only %d distinct chaff lengths: %v", len(lengths), lengths)
	}
	if sameAB > 16 {
		t.Errorf("two transports sent the same chaff in %d of 64 datagrams", sameAB)
	}
}
