package ssp

import (
	"testing"
	"time"
)

// TestRTTEstimator checks RFC 6298 arithmetic with mosh's bounds against
// hand-computed values.
func TestRTTEstimator(t *testing.T) {
	ms := time.Millisecond
	e := newRTTEstimator()
	// Before any sample: SRTT 1000, RTTVAR 500 → RTO ceil(3000) → 1000
	// (upper bound); interval 500 → 250 (upper bound).
	if e.rto() != 1000*ms || e.sendInterval() != 250*ms || e.srttDuration() != 1000*ms {
		t.Fatalf("initial rto %v interval %v srtt %v", e.rto(), e.sendInterval(), e.srttDuration())
	}
	// First sample 100: SRTT = 100, RTTVAR = 50 → RTO 300, interval 50.
	e.sample(100)
	if e.srtt != 100 || e.rttvar != 50 || e.rto() != 300*ms || e.sendInterval() != 50*ms {
		t.Fatalf("after 100: srtt %v rttvar %v rto %v interval %v", e.srtt, e.rttvar, e.rto(), e.sendInterval())
	}
	// Sample 200: RTTVAR = ¾·50 + ¼·|100−200| = 62.5 (old SRTT);
	// SRTT = ⅞·100 + ⅛·200 = 112.5 → RTO ceil(112.5+250) = 363,
	// interval ceil(56.25) = 57.
	e.sample(200)
	if e.srtt != 112.5 || e.rttvar != 62.5 || e.rto() != 363*ms || e.sendInterval() != 57*ms {
		t.Fatalf("after 200: srtt %v rttvar %v rto %v interval %v", e.srtt, e.rttvar, e.rto(), e.sendInterval())
	}
	// A sample of 5 s or more is ignored.
	e.sample(5000)
	if e.srtt != 112.5 {
		t.Fatalf("5000 ms sample changed SRTT to %v", e.srtt)
	}
	// Fast link: SRTT 10, RTTVAR 5 → RTO 30 → 50 (lower bound), interval
	// 5 → 20 (lower bound).
	f := newRTTEstimator()
	f.sample(10)
	if f.rto() != 50*ms || f.sendInterval() != 20*ms {
		t.Fatalf("fast link: rto %v interval %v", f.rto(), f.sendInterval())
	}
	// Slow link: SRTT 600 → interval 300 → 250; RTO 600+1200 → 1000.
	s := newRTTEstimator()
	s.sample(600)
	if s.rto() != 1000*ms || s.sendInterval() != 250*ms {
		t.Fatalf("slow link: rto %v interval %v", s.rto(), s.sendInterval())
	}
}

// TestResendTimeout: the sender waits mosh's RTO for an ack, except on a
// path slower than the RTO's 1 s ceiling, where it waits for the round
// trip (an ack cannot come sooner); never longer than 5 s.
func TestResendTimeout(t *testing.T) {
	const ms = time.Millisecond
	e := newRTTEstimator()
	if e.resendTimeout() != time.Second {
		t.Errorf("before any sample: %v, want mosh's 1s", e.resendTimeout())
	}
	e.sample(600) // RTO 600 + 4·300 → 1000
	if e.resendTimeout() != time.Second {
		t.Errorf("600 ms path: %v, want 1s", e.resendTimeout())
	}
	for range 50 {
		e.sample(2000)
	}
	// SRTT ≈ 2000, RTTVAR ≈ 0: the 50 ms floor over SRTT.
	if d := e.resendTimeout(); d < 2040*ms || d > 2100*ms || e.rto() != time.Second {
		t.Errorf("2 s path: resend timeout %v, RTO %v; want ≈ 2.05s and mosh's 1s", d, e.rto())
	}
	for i := range 50 {
		e.sample(float64(3000 + i%2*1990)) // SRTT ≈ 4 s, RTTVAR ≈ 1 s
	}
	if d := e.resendTimeout(); d != 5*time.Second {
		t.Errorf("3–5 s path: %v, want the 5s ceiling", d)
	}
}

func TestTimestamp16(t *testing.T) {
	for _, c := range []struct {
		ms   int64
		want uint16
	}{{0, 0}, {1234, 1234}, {65535, 0}, {65536, 0}, {65537, 1}, {131070, 65534}} {
		if got := timestamp16(c.ms); got != c.want {
			t.Errorf("timestamp16(%d) = %d, want %d", c.ms, got, c.want)
		}
	}
	if d := timestampDiff(5, 65530); d != 11 {
		t.Errorf("wrapping diff = %d, want 11", d)
	}
}

// TestLinkPacing checks gosh's link pacing (constants.go): mosh's frame
// interval and server mindelay above a 40 ms round trip, a faster pace
// below it, and mosh's 20 ms again after a bulky frame.
func TestLinkPacing(t *testing.T) {
	ms := time.Millisecond
	for _, c := range []struct {
		srtt      float64 // ms; 0 = no sample yet (SRTT 1 s)
		lastDiff  int
		frame     time.Duration
		server    time.Duration // mindelays
		client    time.Duration
		interval  time.Duration // mosh's, unchanged
		situation string
	}{
		{0, 0, 250 * ms, 8 * ms, 1 * ms, 250 * ms, "no sample yet: mosh's start"},
		{300, 10, 150 * ms, 8 * ms, 1 * ms, 150 * ms, "slow link: mosh exactly"},
		{40, 10, 20 * ms, 8 * ms, 1 * ms, 20 * ms, "40 ms: mosh exactly"},
		{20, 10, 10 * ms, 5 * ms, 1 * ms, 20 * ms, "20 ms: SRTT/2 and SRTT/4"},
		{9, 10, 5 * ms, 2 * ms, 1 * ms, 20 * ms, "9 ms: whole milliseconds"},
		{2, 10, 1 * ms, 0, 0, 20 * ms, "LAN: no collection delay"},
		{0.4, 10, 1 * ms, 0, 0, 20 * ms, "loopback, an echo: the 1 ms floor, no delay"},
		{0.4, 512, 10 * ms, 0, 0, 20 * ms, "loopback after half a bulky frame"},
		{0.4, 4096, 20 * ms, 0, 0, 20 * ms, "loopback after a full screen: mosh's 20 ms"},
		{100, 4096, 50 * ms, 8 * ms, 1 * ms, 50 * ms, "slow link after a full screen: SRTT/2"},
	} {
		e := newRTTEstimator()
		if c.srtt > 0 {
			e.sample(c.srtt)
		}
		f, sm, cm, i := e.frameInterval(c.lastDiff), e.minDelay(ServerSendMinDelay), e.minDelay(ClientSendMinDelay), e.sendInterval()
		if f != c.frame || sm != c.server || cm != c.client || i != c.interval {
			t.Errorf("%s: frame %v mindelays %v/%v interval %v, want %v %v/%v %v", c.situation, f, sm, cm, i, c.frame, c.server, c.client, c.interval)
		}
	}
}
