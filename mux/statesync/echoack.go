package statesync

import "time"

// EchoTimeout is how long a keystroke must have been with the host
// application before the server vouches that its echo, if any, is on the
// screen: mosh's ECHO_TIMEOUT (completeterminal.h, mosh-protocol.md §6.8).
const EchoTimeout = 50 * time.Millisecond

// echoHistoryMax bounds the arrival history. Entries mature after 50 ms, so
// only a flood of client states inside one 50 ms window could reach it;
// then the oldest are acked early, which is harmless (it only makes the
// client's predictions be judged a little sooner).
const echoHistoryMax = 1024

// EchoAcker computes the echo-ack number a server puts in its Frame
// (mosh's Terminal::Complete::set_echo_ack): the newest client state number
// whose events have all reached the application at least EchoTimeout ago.
// The number only grows (mosh-client asserts it never decreases). Time is
// an input, so tests drive it directly. The zero value is ready to use.
type EchoAcker struct {
	hist  []echoArrival // arrival order, so nums and times both increase
	acked uint64
}

type echoArrival struct {
	num uint64
	at  time.Time
}

// Arrived records that client state num, carrying at least one event, was
// received (and its events written to the application) at time at.
func (e *EchoAcker) Arrived(num uint64, at time.Time) {
	if num <= e.acked || (len(e.hist) > 0 && num <= e.hist[len(e.hist)-1].num) {
		return
	}
	if len(e.hist) == echoHistoryMax {
		e.acked = e.hist[0].num
		e.hist = append(e.hist[:0], e.hist[1:]...)
	}
	e.hist = append(e.hist, echoArrival{num, at})
}

// Update returns the echo ack as of now, and whether it changed since the
// previous call. Entries it has accounted for are pruned.
func (e *EchoAcker) Update(now time.Time) (ack uint64, changed bool) {
	old := e.acked
	cutoff := now.Add(-EchoTimeout)
	i := 0
	for i < len(e.hist) && !e.hist[i].at.After(cutoff) {
		e.acked = e.hist[i].num
		i++
	}
	// Moved down rather than resliced, so that the history keeps its
	// capacity: a keystroke's Arrived then allocates nothing. A flood's
	// large history is let go once it has drained.
	e.hist = append(e.hist[:0], e.hist[i:]...)
	if len(e.hist) == 0 && cap(e.hist) > 64 {
		e.hist = nil
	}
	return e.acked, e.acked != old
}

// Ack is the echo ack as of the last Update.
func (e *EchoAcker) Ack() uint64 { return e.acked }

// Next returns when Update will next change the ack, so the server's event
// loop can wake for it (mosh's wait_time includes this); ok is false when
// nothing is pending.
func (e *EchoAcker) Next() (at time.Time, ok bool) {
	if len(e.hist) == 0 {
		return time.Time{}, false
	}
	return e.hist[0].at.Add(EchoTimeout), true
}

// UpdatePaced is Update for a server that paces acks which change nothing
// else in the frame: an ack that has matured is published at once only if
// riding reports that a datagram goes to the client anyway (a screen
// change, a transport ack, a retransmission), so that it rides on it, and
// otherwise once it has waited pace after maturing. A server that sends
// screen changes at a fast link's pace (1 ms) has sent a keystroke's echo
// long before its ack matures, so every ack would cost a datagram of its
// own; mosh-server sends at most one frame per send interval (20 ms or
// more, mosh-protocol.md §6.3), and there the ack mostly rides with the
// next keystroke's echo. With pace about mosh's send interval, an ack
// reaches the client about as soon as from mosh-server, so predictions
// are confirmed as promptly (§9.1). riding is called only when an ack has
// matured.
func (e *EchoAcker) UpdatePaced(now time.Time, pace time.Duration, riding func() bool) (ack uint64, changed bool) {
	next, ok := e.Next()
	if !ok || now.Before(next) {
		return e.acked, false
	}
	if now.Before(next.Add(pace)) && !riding() {
		return e.acked, false
	}
	return e.Update(now)
}

// NextPaced returns when UpdatePaced will publish an ack without a
// datagram to ride on; ok is false when nothing is pending.
func (e *EchoAcker) NextPaced(pace time.Duration) (at time.Time, ok bool) {
	next, ok := e.Next()
	if !ok {
		return time.Time{}, false
	}
	return next.Add(pace), true
}
