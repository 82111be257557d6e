package ssp

import (
	"math"
	"time"
)

// rttEstimator is RFC 6298 §2 smoothed round-trip time, in milliseconds as
// doubles like mosh (src/network/network.cc), with mosh's bounds.
type rttEstimator struct {
	srtt, rttvar float64 // ms
	hit          bool    // a sample has been taken
}

func newRTTEstimator() rttEstimator {
	return rttEstimator{srtt: initialSRTT, rttvar: initialRTTVAR}
}

// sample folds in one measured round trip R (ms). Samples of 5 s or more
// are ignored: a 16-bit millisecond timestamp wraps after 65 s, and such
// an old echo says more about a sleeping peer than about the path.
func (e *rttEstimator) sample(r float64) {
	if r < 0 || r >= float64(maxRTTSample/time.Millisecond) {
		return
	}
	if !e.hit {
		// RFC 6298 (2.2): first measurement.
		e.srtt = r
		e.rttvar = r / 2
		e.hit = true
		return
	}
	// RFC 6298 (2.3) with alpha = 1/8, beta = 1/4; RTTVAR first, using
	// the old SRTT.
	const alpha, beta = 1.0 / 8, 1.0 / 4
	e.rttvar = (1-beta)*e.rttvar + beta*math.Abs(e.srtt-r)
	e.srtt = (1-alpha)*e.srtt + alpha*r
}

// rto is RFC 6298 (2.4) SRTT + 4·RTTVAR, rounded up to whole
// milliseconds, clamped to [50 ms, 1 s]. mosh's upper bound is far below
// the RFC's 60 s because a stalled interactive session should recover at
// once when the path comes back.
func (e *rttEstimator) rto() time.Duration {
	d := time.Duration(math.Ceil(e.srtt+4*e.rttvar)) * time.Millisecond
	return min(max(d, minRTO), maxRTO)
}

// resendTimeout is how long the sender waits for an ack before it
// assumes a state lost (plus ACK_DELAY): mosh's RTO, except on a path
// whose measured round trip is longer than RTO's 1 s ceiling, where it is
// the RFC 6298 value (at least SRTT + 50 ms). With mosh's value every
// state there is assumed lost before its ack can return: each is resent,
// and each later diff starts again from the acked state (mosh-protocol.md
// §6.2), so a 4 KiB change travels in every frame for a round trip. The
// ceiling stays for the first sample and for shorter paths, where it
// bounds how long a stalled session waits when the path comes back.
func (e *rttEstimator) resendTimeout() time.Duration {
	r := e.rto()
	if !e.hit || e.srtt < float64(maxRTO/time.Millisecond) {
		return r
	}
	d := time.Duration(math.Ceil(max(e.srtt+4*e.rttvar, e.srtt+float64(minRTO/time.Millisecond)))) * time.Millisecond
	return min(max(r, d), maxRTTSample)
}

// sendInterval is ceil(SRTT/2) clamped to [20, 250] ms: the frame rate.
func (e *rttEstimator) sendInterval() time.Duration {
	d := time.Duration(math.Ceil(e.srtt/2)) * time.Millisecond
	return min(max(d, SendIntervalMin), SendIntervalMax)
}

// frameInterval is the link-paced interval after a frame whose diff was
// lastDiff bytes (constants.go, "Link pacing"): mosh's ceil(SRTT/2)
// without its 20 ms floor, unless the last frame was bulky.
func (e *rttEstimator) frameInterval(lastDiff int) time.Duration {
	d := time.Duration(math.Ceil(e.srtt/2)) * time.Millisecond
	bulk := SendIntervalMin
	if lastDiff < bulkFrameBytes {
		bulk = SendIntervalMin * time.Duration(lastDiff) / bulkFrameBytes
	}
	return min(max(d, bulk, FrameIntervalMin), SendIntervalMax)
}

// minDelay is the collection delay: SRTT/4 in whole milliseconds (0 below
// a 4 ms round trip), at most limit, the role's mosh value (constants.go,
// "Link pacing").
func (e *rttEstimator) minDelay(limit time.Duration) time.Duration {
	d := time.Duration(e.srtt/4) * time.Millisecond
	return min(d, limit)
}

// SRTT returns the smoothed round-trip time.
func (e *rttEstimator) srttDuration() time.Duration {
	return time.Duration(e.srtt * float64(time.Millisecond))
}

// timestamp16 is a millisecond clock modulo 2^16 that never yields 0xFFFF
// (which means "none" on the wire). Only differences between a side's own
// timestamps are ever compared, so the epoch is arbitrary.
func timestamp16(ms int64) uint16 {
	ts := uint16(ms)
	if ts == timestampNone {
		ts = 0
	}
	return ts
}

// timestampDiff is (now − then) modulo 2^16.
func timestampDiff(now, then uint16) uint16 { return now - then }
