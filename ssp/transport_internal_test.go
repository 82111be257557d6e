package ssp

import (
	"errors"
	"net/netip"
	"slices"
	"testing"
	"time"
)

// snap is a snapshot State for white-box tests: the diff is the whole new
// value, Subtract does nothing (like a terminal frame).
type snap struct{ s string }

func (a *snap) Clone() *snap       { c := *a; return &c }
func (a *snap) Equal(b *snap) bool { return a.s == b.s }
func (a *snap) DiffFrom(old *snap) []byte {
	if a.s == old.s {
		return nil
	}
	return []byte("=" + a.s)
}
func (a *snap) Apply(d []byte) error {
	if len(d) == 0 || d[0] != '=' {
		return errors.New("snap: bad diff")
	}
	a.s = string(d[1:])
	return nil
}
func (a *snap) Subtract(*snap) {}

type wirePair struct {
	c, s   *Transport[*snap, *snap]
	cc, sc *recConn
	cSeen  int // datagrams of cc already delivered
	sSeen  int
}

func newWirePair(t *testing.T) *wirePair {
	t.Helper()
	p := &wirePair{cc: &recConn{addr: clientAddr}, sc: &recConn{addr: serverAddr}}
	var err error
	p.c, err = New(Config[*snap, *snap]{Role: Client, Key: testKey, Conn: p.cc, Peer: serverAddr, Local: &snap{}, Remote: &snap{}})
	if err != nil {
		t.Fatal(err)
	}
	p.s, err = New(Config[*snap, *snap]{Role: Server, Key: testKey, Conn: p.sc, Local: &snap{}, Remote: &snap{}})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// toServer delivers the client's new datagrams and returns their
// instructions.
func (p *wirePair) toServer(t *testing.T, now time.Time) []*instruction {
	t.Helper()
	var out []*instruction
	for ; p.cSeen < len(p.cc.sent); p.cSeen++ {
		d := p.cc.sent[p.cSeen]
		out = append(out, decodeDatagram(t, d))
		p.s.Receive(now, d, clientAddr)
	}
	return out
}

func (p *wirePair) toClient(t *testing.T, now time.Time) []*instruction {
	t.Helper()
	var out []*instruction
	for ; p.sSeen < len(p.sc.sent); p.sSeen++ {
		d := p.sc.sent[p.sSeen]
		out = append(out, decodeDatagram(t, d))
		p.c.Receive(now, d, serverAddr)
	}
	return out
}

// decodeDatagram opens a single-fragment datagram into its instruction.
func decodeDatagram(t *testing.T, d []byte) *instruction {
	t.Helper()
	_, _, _, payload := plaintextOf(t, d)
	f, err := parseFragment(payload)
	if err != nil || !f.final || f.num != 0 {
		t.Fatalf("not a single fragment: %+v %v", f, err)
	}
	inst, err := unmarshalInstruction(f.contents)
	if err != nil {
		t.Fatal(err)
	}
	return inst
}

func TestTransportWireExchange(t *testing.T) {
	p := newWirePair(t)
	// The client speaks first, at once, even with nothing to say: an
	// empty ack that consumes state number 1 and tells the server where
	// the client is.
	p.c.Tick(at(0))
	got := p.toServer(t, at(10))
	if len(got) != 1 {
		t.Fatalf("first tick sent %d instructions", len(got))
	}
	if i := got[0]; i.protocolVersion != 2 || i.oldNum != 0 || i.newNum != 1 || i.ackNum != 0 || i.throwawayNum != 0 ||
		len(i.diff) != 0 || len(i.chaff) > 16 {
		t.Errorf("first instruction %+v", i)
	}
	// An empty diff is not acked quickly; the server's first word is its
	// own heartbeat, which is due at once (it also consumes a number).
	p.s.Tick(at(10))
	got = p.toClient(t, at(20))
	if len(got) != 1 || got[0].newNum != 1 || got[0].ackNum != 1 || got[0].oldNum != 0 {
		t.Fatalf("server's first instruction %+v", got)
	}
	if p.c.RemoteNum() != 1 || p.s.RemoteNum() != 1 {
		t.Errorf("remote nums %d %d", p.c.RemoteNum(), p.s.RemoteNum())
	}
	// Now the client types. SRTT (one sample of 20 ms) gives a 20 ms
	// frame interval; mindelay is 1 ms.
	p.c.Current().s = "ls"
	p.c.Tick(at(20))
	if w := p.c.WaitTime(at(20)); w != 1*time.Millisecond {
		t.Errorf("client WaitTime after typing = %v, want 1ms (mindelay)", w)
	}
	p.c.Tick(at(21))
	got = p.toServer(t, at(31))
	if len(got) != 1 || got[0].newNum != 2 || got[0].oldNum != 1 || got[0].ackNum != 1 || string(got[0].diff) != "=ls" {
		t.Fatalf("typing instruction %+v", got)
	}
	if p.s.Remote().s != "ls" {
		t.Errorf("server remote = %q", p.s.Remote().s)
	}
	// A non-empty diff is acked within ACK_DELAY (100 ms).
	p.s.Tick(at(31))
	if w := p.s.WaitTime(at(31)); w != ackDelay {
		t.Errorf("server ack wait = %v, want 100ms", w)
	}
	p.s.Tick(at(131))
	got = p.toClient(t, at(141))
	if len(got) != 1 || got[0].ackNum != 2 || got[0].newNum != 2 || len(got[0].diff) != 0 {
		t.Fatalf("delayed ack %+v", got)
	}
	// The ack moved the client's front: throwaway_num is now 2.
	p.c.Current().s = "ls -l"
	p.c.Tick(at(200))
	p.c.Tick(at(201))
	got = p.toServer(t, at(210))
	if len(got) != 1 || got[0].throwawayNum != 2 || got[0].oldNum != 2 || got[0].newNum != 3 {
		t.Fatalf("after ack: %+v", got)
	}
	// Replaying every datagram the client ever sent changes nothing: each
	// state number is already held.
	before := p.s.Stats()
	for _, d := range p.cc.sent {
		p.s.Receive(at(300), d, clientAddr)
	}
	st := p.s.Stats()
	// (State 1 was already thrown away, so its replay also lacks its
	// reference state.)
	if st.DroppedReplay+st.DroppedUnknownRef-before.DroppedReplay-before.DroppedUnknownRef != uint64(len(p.cc.sent)) || p.s.Remote().s != "ls -l" || p.s.RemoteNum() != 3 {
		t.Errorf("replay: dropped %d of %d, remote %q #%d", st.DroppedReplay-before.DroppedReplay, len(p.cc.sent), p.s.Remote().s, p.s.RemoteNum())
	}
}

func TestTransportHeartbeat(t *testing.T) {
	p := newWirePair(t)
	p.c.Tick(at(0))
	p.toServer(t, at(0))
	p.s.Tick(at(0))
	p.toClient(t, at(0))
	if w := p.c.WaitTime(at(0)); w != ackInterval {
		t.Errorf("idle client wait = %v, want 3s", w)
	}
	if w := p.s.WaitTime(at(0)); w != ackInterval {
		t.Errorf("idle server wait = %v, want 3s", w)
	}
	n := len(p.cc.sent)
	p.c.Tick(at(2999))
	if len(p.cc.sent) != n {
		t.Error("heartbeat before 3 s")
	}
	p.c.Tick(at(3000))
	if len(p.cc.sent) != n+1 {
		t.Error("no heartbeat at 3 s")
	}
}

func TestTransportRetransmit(t *testing.T) {
	p := newWirePair(t)
	p.c.Tick(at(0))
	p.toServer(t, at(0))
	p.s.Tick(at(0))
	p.toClient(t, at(0)) // client heard the server; RTT sample 0 → RTO 50 ms
	p.s.Current().s = "frame1"
	p.s.Tick(at(300))
	lost := len(p.sc.sent)
	p.s.Tick(at(308)) // mindelay 8 ms; the server's frame interval (no RTT sample: 250 ms) has passed
	if len(p.sc.sent) != lost+1 {
		t.Fatal("server did not send frame1")
	}
	p.sSeen = len(p.sc.sent) // lost on the way
	// Not acked within RTO + ACK_DELAY (the server's SRTT is still the
	// initial 1 s → RTO 1 s): resend then, as a diff from the acked state.
	w := p.s.WaitTime(at(308))
	if w != time.Second+ackDelay {
		t.Errorf("retransmit wait = %v, want 1.1s", w)
	}
	p.s.Tick(at(308).Add(w))
	got := p.toClient(t, at(1500))
	// (The client never acked the server's heartbeat state 1 — its
	// datagrams were not delivered — so the diff is from state 0.) The
	// resend takes a new number, 3: mosh would send 2 again, which a
	// receiver that holds 2 drops without acking.
	if len(got) != 1 || got[0].oldNum != 0 || got[0].newNum != 3 || string(got[0].diff) != "=frame1" {
		t.Fatalf("retransmission %+v", *got[0])
	}
	if p.c.Remote().s != "frame1" {
		t.Errorf("client remote %q", p.c.Remote().s)
	}
}

func TestTransportShutdown(t *testing.T) {
	p := newWirePair(t)
	p.c.Tick(at(0))
	p.toServer(t, at(0))
	p.s.Tick(at(0))
	p.toClient(t, at(0))
	p.s.Current().s = "bye\r\n"
	p.s.StartShutdown(at(10))
	p.s.Current().s = "ignored"
	p.s.Tick(at(20))
	p.s.Tick(at(250)) // one frame interval after the last send
	got := p.toClient(t, at(250))
	if len(got) != 1 || got[0].newNum != ShutdownNum || string(got[0].diff) != "=bye\r\n" {
		t.Fatalf("shutdown instruction %+v", *got[0])
	}
	if !p.c.RemoteShutdown() || p.c.RemoteShutdownAcked() {
		t.Fatal("client did not see the shutdown")
	}
	// The peer acks quickly (send interval, not 100 ms or 3 s).
	if w := p.c.WaitTime(at(250)); w > SendIntervalMax {
		t.Errorf("shutdown ack wait %v", w)
	}
	p.c.Tick(at(250).Add(p.c.WaitTime(at(250))))
	got = p.toServer(t, at(300))
	if len(got) != 1 || got[0].ackNum != ShutdownNum || !p.c.RemoteShutdownAcked() {
		t.Fatalf("shutdown ack %+v", got)
	}
	if !p.s.ShutdownAcknowledged() || p.s.ShutdownTimedOut(at(300)) {
		t.Error("server did not take the ack")
	}
	if p.c.Remote().s != "bye\r\n" {
		t.Errorf("client's last frame %q", p.c.Remote().s)
	}
}

func TestTransportShutdownGivesUp(t *testing.T) {
	p := newWirePair(t)
	p.c.Tick(at(0))
	p.toServer(t, at(0))
	p.s.StartShutdown(at(0))
	now := at(0)
	for i := 0; i < 100 && !p.s.ShutdownTimedOut(now); i++ {
		p.s.Tick(now)
		now = now.Add(max(p.s.WaitTime(now), time.Millisecond))
	}
	if !p.s.ShutdownTimedOut(now) || len(p.sc.sent) != shutdownRetries {
		t.Errorf("gave up after %d sends at %v, want %d", len(p.sc.sent), now.Sub(at(0)), shutdownRetries)
	}
}

func TestTransportDrops(t *testing.T) {
	p := newWirePair(t)
	p.c.Current().s = "a"
	p.c.Tick(at(0))
	p.c.Tick(at(1))
	p.toServer(t, at(1))
	// An instruction diffed from a state the server never received.
	inst := instruction{protocolVersion: 2, oldNum: 7, newNum: 9}
	p.s.process(at(2), &inst)
	// Wrong protocol version.
	inst = instruction{protocolVersion: 3, oldNum: 0, newNum: 10}
	p.s.process(at(2), &inst)
	// A diff the State rejects.
	inst = instruction{protocolVersion: 2, oldNum: 0, newNum: 11, diff: []byte("junk")}
	p.s.process(at(2), &inst)
	st := p.s.Stats()
	if st.DroppedUnknownRef != 1 || st.DroppedVersion != 1 || st.DroppedApply != 1 || p.s.Remote().s != "a" {
		t.Errorf("stats %+v remote %q", st, p.s.Remote().s)
	}
	// throwaway_num beyond everything held keeps the newest state.
	inst = instruction{protocolVersion: 2, oldNum: 1, newNum: 12, throwawayNum: 1000, diff: []byte("=b")}
	p.s.process(at(3), &inst)
	if p.s.Remote().s != "b" || len(p.s.rcv.states) != 2 {
		t.Errorf("after huge throwaway: %q, %d states", p.s.Remote().s, len(p.s.rcv.states))
	}
	// Out of order: state 5 after 12 is kept but does not become newest.
	inst = instruction{protocolVersion: 2, oldNum: 12, newNum: 5, diff: []byte("=old")}
	if p.s.process(at(4), &inst) || p.s.Remote().s != "b" || p.s.Stats().OutOfOrder != 1 {
		t.Error("out-of-order state became the newest")
	}
}

func TestSentStatesBounded(t *testing.T) {
	p := newWirePair(t)
	now := at(0)
	// The server never acks: states pile up, but never past 32.
	for i := range 100 {
		p.c.Current().s = string(rune('a'+i%26)) + string(rune('0'+i%10))
		now = now.Add(300 * time.Millisecond)
		p.c.Tick(now)
		p.c.Tick(now.Add(2 * time.Millisecond))
	}
	if n := len(p.c.snd.sent); n > maxSentStates {
		t.Errorf("%d sent states kept", n)
	}
	if p.c.snd.sent[0].num != 0 {
		t.Error("the acked (front) state was erased")
	}
	if p.c.snd.back().num < 100 {
		t.Errorf("newest num %d", p.c.snd.back().num)
	}
}

func TestNewConfigErrors(t *testing.T) {
	if _, err := New(Config[*snap, *snap]{Role: Client, Conn: &recConn{}, Local: &snap{}, Remote: &snap{}}); err == nil {
		t.Error("client without Peer accepted")
	}
	if _, err := New(Config[*snap, *snap]{Role: Server, Local: &snap{}, Remote: &snap{}, Peer: netip.AddrPort{}}); err == nil {
		t.Error("nil Conn accepted")
	}
}

// TestTransportFastLinkEcho follows a server on a loopback-fast path: a
// keystroke's echo leaves as soon as it was written (mosh: 8 ms
// mindelay, and 20 ms after the previous frame), a second echo 1 ms
// after the first, but a change after a full-screen frame waits mosh's
// 20 ms.
func TestTransportFastLinkEcho(t *testing.T) {
	p := newWirePair(t)
	p.c.Tick(at(0))
	p.toServer(t, at(0))
	p.s.Tick(at(0))
	p.toClient(t, at(0)) // the client's RTT sample: 0 ms
	p.c.Current().s = "a"
	p.c.Tick(at(100))
	p.c.Tick(at(101))
	p.toServer(t, at(101)) // echoes the server's timestamp: its sample, 0 ms (less the hold)
	if p.s.SRTT() > time.Millisecond {
		t.Fatalf("server SRTT %v on a path without delay", p.s.SRTT())
	}
	p.s.Current().s = "a"
	if w := p.s.WaitTime(at(102)); w != 0 {
		t.Errorf("echo waits %v, want 0 (mosh: 8ms)", w)
	}
	p.s.Tick(at(102))
	if got := p.toClient(t, at(102)); len(got) != 1 || string(got[0].diff) != "=a" {
		t.Fatalf("echo %+v", got)
	}
	p.s.Current().s = "ab" // at once after the first frame
	p.s.Tick(at(102))
	if w := p.s.WaitTime(at(102)); w != time.Millisecond {
		t.Errorf("second echo waits %v, want 1ms (mosh: 20ms frame interval)", w)
	}
	p.s.Tick(at(104))
	if got := p.toClient(t, at(104)); len(got) != 1 || string(got[0].diff) != "=ab" {
		t.Fatalf("second echo %+v", got)
	}
	// A full screen: the next frame keeps mosh's 50 frames a second.
	full := make([]byte, 2000)
	for i := range full {
		full[i] = byte('a' + i*7%26) // not too compressible to matter: the diff size is what paces
	}
	p.s.Current().s = string(full)
	p.s.Tick(at(110)) // sent at once
	sent := len(p.sc.sent)
	if p.s.FrameInterval() != SendIntervalMin {
		t.Errorf("after a full screen the frame interval is %v, want %v", p.s.FrameInterval(), SendIntervalMin)
	}
	p.s.Current().s = "cleared"
	p.s.Tick(at(112))
	if w := p.s.WaitTime(at(112)); w != 18*time.Millisecond {
		t.Errorf("change after a full screen waits %v, want 18ms", w)
	}
	p.s.Tick(at(129))
	if len(p.sc.sent) != sent {
		t.Error("sent again within 20 ms of a full screen")
	}
	p.s.Tick(at(130))
	if len(p.sc.sent) == sent {
		t.Error("not sent 20 ms after the full screen")
	}
	if p.s.SendInterval() != SendIntervalMin {
		t.Errorf("SendInterval %v, want mosh's %v", p.s.SendInterval(), SendIntervalMin)
	}
}

// lostAckSetup brings a pair to the moment of docs/performance.md's resend
// storm: the server sent states 2 and 3, both lost; it resent 3's
// contents as state 4, a diff from the acked state, at 1708 ms; the
// client got it and its ack was lost. It returns the time of that resend.
func lostAckSetup(t *testing.T, p *wirePair) time.Time {
	t.Helper()
	p.c.Tick(at(0))
	p.toServer(t, at(0))
	p.s.Tick(at(0))
	p.toClient(t, at(0))
	p.s.Current().s = "f1"
	p.s.Tick(at(300))
	p.s.Tick(at(308)) // state 2 (the server has no RTT sample: RTO 1 s, send interval 250 ms)
	p.s.Current().s = "f2"
	p.s.Tick(at(600))
	p.s.Tick(at(608)) // state 3
	p.sSeen = len(p.sc.sent)
	if p.s.SentNum() != 3 {
		t.Fatalf("server sent up to state %d, want 3", p.s.SentNum())
	}
	// No ack within RTO + ACK_DELAY: 3 is resent as a diff from the
	// acked state.
	resend := at(608).Add(time.Second + ackDelay)
	if w := p.s.WaitTime(at(608)); at(608).Add(w) != resend {
		t.Fatalf("first resend at %v, want %v", at(608).Add(w).Sub(t0), resend.Sub(t0))
	}
	p.s.Tick(resend)
	got := p.toClient(t, resend)
	if len(got) != 1 || got[0].newNum != 4 || got[0].oldNum >= 2 || p.c.Remote().s != "f2" {
		t.Fatalf("resend %+v, client holds %q", got, p.c.Remote().s)
	}
	// The client acks within ACK_DELAY; that ack is lost.
	p.c.Tick(resend.Add(ackDelay))
	p.cSeen = len(p.cc.sent)
	return resend
}

// TestTransportResendBacksOff: once the newest state was resent as a
// diff from the acked one, it is on its way; the lost intermediate state
// 2 must not keep the sender resending it every send interval (mosh
// does: 12 resends in 3 s here, 60 in the benchmark's storm) while the
// peer's ack is missing. The resends back off from the send interval
// (250 ms here) to RTO + ACK_DELAY (1.1 s).
func TestTransportResendBacksOff(t *testing.T) {
	p := newWirePair(t)
	resend := lostAckSetup(t, p)
	n := len(p.sc.sent)
	var times []time.Duration
	var nums []uint64
	now := resend
	for i := 0; i < 100 && now.Before(resend.Add(3*time.Second)); i++ {
		now = now.Add(max(p.s.WaitTime(now), time.Millisecond))
		p.s.Tick(now)
		for ; n < len(p.sc.sent); n++ {
			times = append(times, now.Sub(resend))
			nums = append(nums, decodeDatagram(t, p.sc.sent[n]).newNum)
		}
	}
	// Never delivered (the path is down).
	if !slices.Equal(nums, []uint64{5, 6, 7, 8, 9}) {
		t.Errorf("resends carry states %v, want new numbers 5–9 (a stock mosh-client acks only a new one)", nums)
	}
	want := []time.Duration{250 * time.Millisecond, 750 * time.Millisecond, 1750 * time.Millisecond, 2850 * time.Millisecond, 3950 * time.Millisecond}
	if !slices.Equal(times, want) {
		t.Fatalf("server resent at %v after the first resend, want %v", times, want)
	}
	if st := p.s.Stats(); st.Resent != uint64(1+len(times)) {
		t.Errorf("Stats.Resent = %d, want %d", st.Resent, 1+len(times))
	}
}

// TestTransportReacksDuplicate: when a state the receiver already holds
// arrives again, its ack was lost; it acks again at once instead of
// leaving the sender resending until its next heartbeat 3 s later
// (mosh-protocol.md §6.5 step 3 only drops it).
func TestTransportReacksDuplicate(t *testing.T) {
	p := newWirePair(t)
	resend := lostAckSetup(t, p)
	// A stock mosh-server resends state 4 under its own number, twice
	// (each a new instruction: new chaff).
	now := resend.Add(200 * time.Millisecond)
	first := len(p.sc.sent)
	for range 2 {
		if err := p.s.sendInstruction(now, 0, 4, []byte("=f2")); err != nil {
			t.Fatal(err)
		}
	}
	dups := p.sc.sent[first:]
	p.sSeen = len(p.sc.sent)
	if p.c.Receive(now, dups[0], serverAddr) || p.c.Stats().DroppedReplay != 1 {
		t.Fatalf("client stats %+v", p.c.Stats())
	}
	if w := p.c.WaitTime(now); w != 0 {
		t.Errorf("client acks the duplicate after %v, want at once (the heartbeat is %v away)", w, ackInterval)
	}
	p.c.Tick(now)
	got := p.toServer(t, now)
	if len(got) != 1 || got[0].ackNum != 4 || len(got[0].diff) != 0 {
		t.Fatalf("re-ack %+v", got)
	}
	if !p.s.snd.front().state.Equal(&snap{"f2"}) {
		t.Error("server did not take the re-ack")
	}
	if w := p.s.WaitTime(now); w < time.Second {
		t.Errorf("server still resending (next send in %v) after the ack", w)
	}
	// Another duplicate at once is acked again, but not sooner than
	// 20 ms after the last ack: replays cannot make the client flood.
	p.c.Receive(now, dups[1], serverAddr)
	if w := p.c.WaitTime(now); w != SendIntervalMin {
		t.Errorf("second re-ack waits %v, want %v", w, SendIntervalMin)
	}
	// An empty ack from the peer that arrives twice is not acked.
	p2 := newWirePair(t)
	p2.c.Tick(at(0))
	d := p2.cc.sent[0]
	p2.s.Receive(at(0), d, clientAddr)
	p2.s.Tick(at(0))
	sent := len(p2.sc.sent)
	p2.s.Receive(at(10), d, clientAddr)
	if w := p2.s.WaitTime(at(10)); w < time.Second {
		t.Errorf("duplicate empty ack is acked after %v", w)
	}
	p2.s.Tick(at(10))
	if len(p2.sc.sent) != sent {
		t.Error("server answered a duplicate empty ack")
	}
}
