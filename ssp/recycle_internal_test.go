package ssp

import (
	"testing"
	"time"
)

// recSnap is a snap whose CloneInto checks, through owner, that the state
// it is given is no longer in use: not the current state, and not in the
// sender's list of sent states.
type recSnap struct {
	snap
	owner *sender[*recSnap]
	t     *testing.T
}

var recycled int

func (a *recSnap) Clone() *recSnap            { c := *a; return &c }
func (a *recSnap) Equal(b *recSnap) bool      { return a.s == b.s }
func (a *recSnap) DiffFrom(o *recSnap) []byte { return a.snap.DiffFrom(&o.snap) }
func (a *recSnap) Apply(d []byte) error       { return a.snap.Apply(d) }
func (a *recSnap) Subtract(*recSnap)          {}
func (a *recSnap) CloneInto(old *recSnap) *recSnap {
	if tr := a.owner; tr != nil && old != nil {
		if old == tr.current {
			a.t.Fatalf("CloneInto was given the current state")
		}
		for _, st := range tr.sent {
			if st.state == old {
				a.t.Fatalf("CloneInto was given sent state %d, still in the list", st.num)
			}
		}
	}
	recycled++
	*old = *a
	return old
}

// TestSenderRecyclesRetiredStates: a sender whose state is a Recycler
// clones new sent states into ones the peer acknowledged (so that a frame
// per keystroke reuses memory), and never into one it still holds.
func TestSenderRecyclesRetiredStates(t *testing.T) {
	cc, sc := &recConn{addr: clientAddr}, &recConn{addr: serverAddr}
	srv, err := New(Config[*recSnap, *snap]{Role: Server, Key: testKey, Conn: sc, Local: &recSnap{t: t}, Remote: &snap{}})
	if err != nil {
		t.Fatal(err)
	}
	cli, err := New(Config[*snap, *recSnap]{Role: Client, Key: testKey, Conn: cc, Peer: serverAddr, Local: &snap{}, Remote: &recSnap{}})
	if err != nil {
		t.Fatal(err)
	}
	srv.Current().owner = &srv.snd
	recycled = 0
	var cSeen, sSeen int
	now := at(0)
	for i := range 200 {
		if i%2 == 0 {
			srv.Current().s += "x"
		}
		for range 3 {
			srv.Tick(now)
			cli.Tick(now)
			for ; sSeen < len(sc.sent); sSeen++ {
				if i%7 != 3 { // now and then a frame is lost
					cli.Receive(now, sc.sent[sSeen], serverAddr)
				}
			}
			for ; cSeen < len(cc.sent); cSeen++ {
				srv.Receive(now, cc.sent[cSeen], clientAddr)
			}
			now = now.Add(10 * time.Millisecond)
		}
	}
	if recycled < 50 {
		t.Errorf("%d sent states were cloned into retired ones in 100 changes, want most", recycled)
	}
	if got := cli.Remote().s; got != srv.Current().s {
		t.Errorf("client holds %d x, want the server's %d", len(got), len(srv.Current().s))
	}
}
