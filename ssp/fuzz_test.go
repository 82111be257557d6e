package ssp

import (
	"testing"
)

// FuzzOpen feeds arbitrary datagrams to a server. Garbage, forgeries and
// truncations must be dropped and counted in exactly one counter, never
// panic, and never change the remote state; an authentic datagram (the
// seeds) may.
func FuzzOpen(f *testing.F) {
	p := newWirePair(&testing.T{})
	p.c.Current().s = "seed"
	p.c.Tick(at(0))
	p.c.Tick(at(2))
	for _, d := range p.cc.sent {
		f.Add(d)
		f.Add(d[:len(d)-1])              // truncated tag
		f.Add(append(d[:8:8], d[9:]...)) // a byte cut from the middle
		forged := append([]byte(nil), d...)
		forged[12] ^= 1
		f.Add(forged)
		reflected := append([]byte(nil), d...)
		reflected[0] |= 0x80
		f.Add(reflected)
	}
	f.Add([]byte{})
	f.Add(make([]byte, 24))
	f.Add(make([]byte, MaxDatagram+1))
	f.Fuzz(func(t *testing.T, d []byte) {
		q := newWirePair(t)
		before := q.s.Stats()
		q.s.Receive(at(1), d, clientAddr)
		q.s.Tick(at(2))
		st := q.s.Stats()
		if st.Received != before.Received+1 {
			t.Fatalf("Received %d → %d", before.Received, st.Received)
		}
		dropped := st.DroppedOversize + st.DroppedShort + st.DroppedDirection + st.DroppedAuth
		if dropped == 1 {
			if q.s.RemoteNum() != 0 || q.s.Remote().s != "" {
				t.Fatal("a dropped datagram changed the remote state")
			}
			if _, ok := q.s.RemoteAddr(); ok {
				t.Fatal("a dropped datagram attached a client")
			}
			return
		}
		if dropped != 0 {
			t.Fatalf("counted in %d drop counters: %+v", dropped, st)
		}
		// Authentic (a seed): it went on to the fragment layer.
	})
}
