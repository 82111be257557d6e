package ssp

import (
	crand "crypto/rand"
	"io"
	"math/rand/v2"
	"time"
)

// never is a deadline that does not come.
var never = time.Unix(1<<62, 0)

type sentState[L any] struct {
	at  time.Time // when it was (last) sent
	num uint64
	ref uint64 // old_num of that send: the state the diff started from
	// resends counts sends of this state after the first.
	resends int
	state   L
}

// sender is the outgoing half of SSP (§6.2–§6.4, mosh's TransportSender):
// it numbers the application's local state, decides what the receiver is
// assumed to hold, and when to send a diff, an ack or a heartbeat.
//
//	sent: [ front = newest state the peer acked | … | back = newest sent ]
//	                 ^ assumed: newest state sent less than RTO+ACK_DELAY ago
//
// Every state ever sent keeps its number, so a diff "old_num → new_num" is
// idempotent at the receiver and retransmissions are harmless.
type sender[L State[L]] struct {
	current L
	sent    []sentState[L]
	assumed int // index into sent
	// backHeld: the back state is assumed to arrive (updateAssumed),
	// until backHeldUntil.
	backHeld      bool
	backHeldUntil time.Time

	nextAck, nextSend time.Time
	mindelayAt        time.Time // first unsent change; zero = none
	pendingDataAck    bool
	reack             bool // the peer resent a state we hold: our ack was lost
	lastDiff          int  // bytes of the last data frame's diff (pacing)

	ackNum    uint64    // newest remote state received in order
	lastHeard time.Time // arrival of that state; zero = never

	shuttingDown  bool
	shutdownTries int
	shutdownStart time.Time

	chaff    io.Reader
	chaffBuf [1 + maxChaff]byte // makeChaff's result

	// recycle: L is a Recycler; spare holds sent states dropped since
	// (acked, or erased from a long list), which no one else refers to,
	// for cloneCurrent to clone into.
	recycle bool
	spare   []L

	// diffBufs hold the diffs of one Tick (the diff from the assumed
	// state and the prospective resend's), for a DiffAppender state.
	diffBufs [2][]byte
}

// maxSpare bounds the retired states a sender keeps: an ack usually
// retires one or two states, and each send takes one back.
const maxSpare = 4

func newSender[L State[L]](initial L, chaff io.Reader) sender[L] {
	_, recycle := any(initial).(Recycler[L])
	return sender[L]{
		current: initial,
		sent:    []sentState[L]{{num: 0, state: initial.Clone()}},
		chaff:   chaff,
		recycle: recycle,
	}
}

// cloneCurrent clones the current state for the sent list, into a
// retired state when there is one.
func (s *sender[L]) cloneCurrent() L {
	n := len(s.spare)
	if n == 0 {
		return s.current.Clone()
	}
	old := s.spare[n-1]
	var zero L
	s.spare[n-1] = zero
	s.spare = s.spare[:n-1]
	if rc, ok := any(s.current).(Recycler[L]); ok { // (L an interface: SetCurrent may change the type)
		return rc.CloneInto(old)
	}
	return s.current.Clone()
}

// diffFrom is current.DiffFrom(old), into diffBufs[i] for a DiffAppender
// state: valid until the next diffFrom with the same i.
func (s *sender[L]) diffFrom(i int, old L) []byte {
	da, ok := any(s.current).(DiffAppender[L])
	if !ok {
		return s.current.DiffFrom(old)
	}
	d := da.AppendDiffFrom(s.diffBufs[i][:0], old)
	if cap(d) <= maxKeptDiff {
		s.diffBufs[i] = d
	} else {
		s.diffBufs[i] = nil // a full repaint's: not kept
	}
	return d
}

// maxKeptDiff bounds the diff buffers a sender keeps: typing and its
// echo take tens of bytes, a full repaint of a large screen tens of KB.
const maxKeptDiff = 16 << 10

// retire takes a state dropped from the sent list, for cloneCurrent.
func (s *sender[L]) retire(st L) {
	if s.recycle && len(s.spare) < maxSpare {
		s.spare = append(s.spare, st)
	}
}

// pacing is what the link says about when to send (timing.go): the
// frame interval before a new change goes out, mosh's send interval
// (which paces retransmissions and the shutdown handshake) and the
// mindelay that collects changes.
type pacing struct {
	frame, mosh, mindelay time.Duration
}

func (s *sender[L]) front() *sentState[L] { return &s.sent[0] }
func (s *sender[L]) back() *sentState[L]  { return &s.sent[len(s.sent)-1] }

func (s *sender[L]) heardRecently(now time.Time) bool {
	return !s.lastHeard.IsZero() && now.Sub(s.lastHeard) < activeRetryTimeout
}

// updateAssumed walks forward from the acked state over states sent less
// than RTO + ACK_DELAY ago: those may still be in flight and are assumed
// to arrive; an older unacked one is assumed lost (mosh, §6.2). Diffs
// start from the assumed state, so every diff sent after a loss starts
// from the acked state and needs nothing else to apply.
//
// It also works out whether the newest sent state is on its way (backHeld):
// sent less than RTO + ACK_DELAY ago as a diff from a state the receiver
// holds or is itself on its way. mosh's walk stops at the first lost
// state even when the newest was resent since as a diff from the acked
// one, which replaced it: the assumed state then stays behind, and the
// "retransmit at frame rate" rule resends the same state every send
// interval until an ack comes — 60 resends when the peer's ack rides on
// its next 3 s heartbeat (docs/performance.md, "Where gosh loses", 4).
// With backHeld, calculateTimers backs off instead: the send interval,
// twice that, and so on up to RTO + ACK_DELAY. Neither changes the wire.
func (s *sender[L]) updateAssumed(now time.Time, rto time.Duration) {
	s.assumed = 0
	for i := 1; i < len(s.sent); i++ {
		if now.Sub(s.sent[i].at) >= rto+ackDelay {
			break
		}
		s.assumed = i
	}
	// held[i]: state i is assumed to arrive until heldUntil[i].
	var held [maxSentStates + 1]bool
	var heldUntil [maxSentStates + 1]time.Time
	held[0], heldUntil[0] = true, never
	acked := s.sent[0].num
	for i := 1; i < len(s.sent) && i < len(held); i++ {
		st := &s.sent[i]
		until := st.at.Add(rto + ackDelay)
		if !now.Before(until) {
			continue
		}
		// A reference at or below the acked state was held when the diff
		// was sent (mosh's walk trusts these too).
		ok := st.ref <= acked
		for j := i - 1; j > 0 && !ok; j-- {
			if s.sent[j].num == st.ref {
				ok = held[j]
				until = earlier(until, heldUntil[j])
				break
			}
		}
		held[i], heldUntil[i] = ok, until
	}
	last := len(s.sent) - 1
	s.backHeld, s.backHeldUntil = held[last], heldUntil[last]
}

// rationalize removes what the peer acknowledged from every state, for
// log-like states (Subtract is a no-op for snapshots). The front goes last
// because it is the prefix itself.
func (s *sender[L]) rationalize() {
	prefix := s.sent[0].state
	s.current.Subtract(prefix)
	for i := len(s.sent) - 1; i >= 0; i-- {
		s.sent[i].state.Subtract(prefix)
	}
}

// calculateTimers is mosh's calculate_timers (§6.3), with the frame
// interval and mindelay that p gives.
func (s *sender[L]) calculateTimers(now time.Time, rto time.Duration, p pacing) {
	s.updateAssumed(now, rto)
	s.rationalize()
	if s.pendingDataAck && s.nextAck.After(now.Add(ackDelay)) {
		s.nextAck = now.Add(ackDelay)
	}
	back := s.back()
	if s.reack {
		// Ack again at once, but not sooner than mosh's shortest frame
		// interval after our last send: replayed datagrams must not
		// make us send faster than that.
		s.nextAck = earlier(s.nextAck, later(now, back.at.Add(SendIntervalMin)))
	}
	switch {
	case !s.current.Equal(back.state):
		// New data: wait mindelay for more to accumulate, and keep to
		// the frame rate.
		if s.mindelayAt.IsZero() {
			s.mindelayAt = now
		}
		s.nextSend = later(s.mindelayAt.Add(p.mindelay), back.at.Add(p.frame))
	case !s.current.Equal(s.sent[s.assumed].state) && !s.backHeld && s.heardRecently(now):
		// The assumed state is older than what we sent: a state was
		// lost, retransmit at frame rate — mosh's, never the fast link
		// pace: this repeats until an ack comes, and a resend sooner
		// than 20 ms after the last would only duplicate one still in
		// flight (on a link fast enough for the fast pace, the first
		// resend arrives within a millisecond or is lost with it).
		s.nextSend = back.at.Add(p.mosh)
		if !s.mindelayAt.IsZero() {
			s.nextSend = later(s.nextSend, s.mindelayAt.Add(p.mindelay))
		}
	case !s.current.Equal(s.front().state) && s.heardRecently(now):
		// Sent but unacked: resend if no ack comes within RTO (of this
		// send, or of the one that sent the state it is a diff from).
		s.nextSend = back.at.Add(rto + ackDelay)
		if s.backHeld {
			s.nextSend = s.backHeldUntil
			if back.resends > 0 {
				// Once resent, it goes again after mosh's send
				// interval, then twice that, and so on up to the RTO:
				// one or two losses in a row are repaired as fast as
				// mosh does, but a lost ack no longer costs a resend
				// every interval until the peer's next heartbeat.
				s.nextSend = earlier(s.nextSend, back.at.Add(p.mosh<<min(back.resends-1, 8)))
			}
		}
	default:
		s.nextSend = never
	}
	if s.shuttingDown || s.ackNum == ShutdownNum {
		// Hurry the shutdown handshake along, at mosh's pace: 16 tries
		// must span several round trips.
		s.nextAck = back.at.Add(p.mosh)
	}
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func earlier(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// addSent appends a sent state. Past 32 states, the 16th from the end is
// erased: the oldest are kept because the peer's ack will name one of
// them, the newest because they are in flight.
func (s *sender[L]) addSent(now time.Time, num, ref uint64, state L) {
	s.sent = append(s.sent, sentState[L]{at: now, num: num, ref: ref, state: state})
	if len(s.sent) > maxSentStates {
		i := len(s.sent) - 16
		s.retire(s.sent[i].state)
		last := len(s.sent) - 1
		copy(s.sent[i:], s.sent[i+1:])
		s.sent[last] = sentState[L]{}
		s.sent = s.sent[:last]
		if s.assumed >= i {
			s.assumed = max(s.assumed-1, 0)
		}
	}
}

// processAck drops sent states older than the acked one, if the ack names
// a state we hold. It reports whether it did.
func (s *sender[L]) processAck(ack uint64) bool {
	for i := range s.sent {
		if s.sent[i].num == ack {
			if i > 0 {
				for j := range i {
					s.retire(s.sent[j].state)
				}
				clear(s.sent[:i])
				s.sent = append(s.sent[:0], s.sent[i:]...)
				s.assumed = max(s.assumed-i, 0)
			}
			return true
		}
	}
	return false
}

// makeChaff returns 0–16 random bytes: the length is a random byte mod
// 17, as mosh does, to blur the sizes of keystrokes.
// The chaff is valid until the next call (the fragmenter copies what it
// keeps).
func (s *sender[L]) makeChaff() []byte {
	b := &s.chaffBuf
	if _, err := io.ReadFull(s.chaff, b[:1]); err != nil {
		return b[:0]
	}
	n := int(b[0]) % (maxChaff + 1)
	io.ReadFull(s.chaff, b[1:1+n])
	return b[1 : 1+n]
}

// newChaffSource returns the chaff generator of one Transport: ChaCha8
// (math/rand/v2) seeded once from crypto/rand. Chaff travels inside the
// sealed payload, so it only has to be unpredictable enough to blur the
// sizes of keystrokes, as mosh's PRNG does; ChaCha8 is a CSPRNG all the
// same. Reading crypto/rand per datagram cost two getrandom calls on
// every send (docs/performance.md, session 8); ChaCha8 costs none.
func newChaffSource() io.Reader {
	var seed [32]byte
	crand.Read(seed[:]) // never fails (crypto/rand, Go 1.24+)
	return rand.NewChaCha8(seed)
}
