package ssp_test

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/goshterm/gosh/ssp"
	"github.com/goshterm/gosh/ssp/conn/conntest"
	"github.com/goshterm/gosh/ssp/ssptest"
)

type scenario struct {
	name     string
	up, down conntest.Link
	roam     bool // the client changes address at 5 s
	pause    bool // the client is suspended, and the path dead, from 8 s to 68 s
}

var words = []string{"ls ", "-la ", "total ", "drwxr-xr-x ", "root ", "4096 ", "Jan ", "src\r\n", "$ ", "\x1b[0m", "\x1b[1;34m", "make: ", "ok\r\n"}

func scenarios() []scenario {
	var out []scenario
	for _, loss := range []float64{0, 0.1, 0.3, 0.5} {
		for _, delay := range []time.Duration{0, 50 * time.Millisecond, 250 * time.Millisecond, 1000 * time.Millisecond} {
			l := conntest.Link{Loss: loss, Delay: delay}
			out = append(out, scenario{name: fmt.Sprintf("loss%.0f%%/delay%v", loss*100, delay), up: l, down: l})
		}
	}
	jittery := conntest.Link{Loss: 0.1, Delay: 40 * time.Millisecond, Jitter: 120 * time.Millisecond, Duplicate: 0.2}
	out = append(out,
		scenario{name: "reorder+duplicate", up: jittery, down: jittery},
		scenario{name: "asymmetric", up: conntest.Link{Loss: 0.5, Delay: 10 * time.Millisecond},
			down: conntest.Link{Loss: 0.1, Delay: 400 * time.Millisecond, Jitter: 50 * time.Millisecond}},
		scenario{name: "roam", up: conntest.Link{Loss: 0.1, Delay: 30 * time.Millisecond},
			down: conntest.Link{Loss: 0.1, Delay: 30 * time.Millisecond}, roam: true},
		scenario{name: "roam+lossy", up: jittery, down: jittery, roam: true},
		scenario{name: "pause60s", up: conntest.Link{Delay: 50 * time.Millisecond},
			down: conntest.Link{Delay: 50 * time.Millisecond}, pause: true},
		scenario{name: "pause60s+lossy", up: jittery, down: jittery, pause: true, roam: true},
	)
	return out
}

// TestSimulation drives a client and a server through lossy, slow,
// reordering, duplicating, roaming and pausing networks. The client types
// one byte every 100 ms for 20 s; the server writes 100 bytes of text
// every 200 ms and, every 25th time, 4 KiB: incompressible (4 fragments)
// where loss is below 50%, text otherwise. (Terminal output compresses
// well; an incompressible backlog of 20 KB needs ~17 fragments to all
// survive 50% loss, which mosh cannot do either: it needs the whole diff
// from the acknowledged state in one instruction.) Both sides must end up
// holding exactly the other's latest state.
//
// Datagram bounds, from the timing rules (§6.3, and gosh's link pacing in
// constants.go):
//
//   - Rate: after any send at T, a retransmission is not due before
//     T + mosh's send_interval ≥ T + 20 ms, and the next ack not before
//     T + 3 s unless a new in-order data state arrives (it pulls the ack
//     to ≤ now + 100 ms, once: sending clears it). A send sooner than
//     20 ms after the last happens only on a fast link, for a new change
//     of the local state (the frame interval's floor is 1 ms there), and
//     it sends everything changed so far: at most one such send per
//     change. (mosh's bound was elapsed/20 ms + 1 + DataStates: its
//     frame interval never drops below 20 ms. Both bounds hold with room
//     on every scenario; the changes term is what lets a keystroke's echo
//     leave 1 ms after the last frame on loopback.) So a side sends at
//     most elapsed/20 ms + 1 + DataStates + changes instructions, each of
//     at most ceil(total bytes / 1214) + 1 fragments.
//   - Resends: a state on its way (sent as a diff from one the receiver
//     holds, or will) is resent after the send interval, then twice
//     that, and so on up to RTO + ACK_DELAY, and a receiver acks a state
//     it already holds at once. Measured over 20 seeds a side resends at
//     most 175 times in 20 s; the bound is one resend per 100 ms. (mosh
//     resends every send interval, down to 20 ms, while any older
//     replaced state is unacked, and a receiver whose ack was lost waits
//     for its next heartbeat: 220–250 resends in 20 s at 30–50% loss.)
//   - Lossless: the server sends each 4 KiB chunk (4 fragments) once,
//     so its datagrams exceed its instructions by at most 3 per chunk.
//     (With mosh's RTO ceiling of 1 s, on a 2 s round trip every state is
//     assumed lost before its ack returns, and the chunk travels again in
//     every frame of the next round trip.)
//   - Idle: once converged on a healed link, a side sends only the 3 s
//     heartbeat: at most 30 s / 3 s + 1 = 11 datagrams in 30 s.
func TestSimulation(t *testing.T) {
	for i, sc := range scenarios() {
		t.Run(sc.name, func(t *testing.T) {
			t.Parallel()
			seed := uint64(1000 + i)
			t.Logf("seed %d", seed)
			runScenario(t, sc, seed)
		})
	}
}

// runScenario returns the client's and the server's counters at convergence.
func runScenario(t *testing.T, sc scenario, seed uint64) (client, server ssp.Stats) {
	s := ssptest.NewSim(t, ssptest.SimConfig{Seed: seed, Up: sc.up, Down: sc.down})
	rng := rand.New(rand.NewPCG(seed, 7))
	start := s.Now()
	total := 0
	changes := map[string]uint64{} // local state changes per side
	for i := range 200 {
		s.Clock.AfterFunc(time.Duration(i)*100*time.Millisecond, func() {
			if !s.ClientPaused {
				s.Client.Current().Append([]byte{byte('a' + i%26)})
				total++
				changes["client"]++
			}
		})
	}
	bigChunks := 0
	for i := range 100 {
		n := 100
		if i%25 == 24 {
			n = 4096
			bigChunks++
		}
		chunk := make([]byte, 0, n)
		for len(chunk) < n {
			chunk = append(chunk, words[rng.IntN(len(words))]...)
		}
		chunk = chunk[:n]
		if n > 100 && sc.up.Loss < 0.5 && sc.down.Loss < 0.5 {
			for j := range chunk {
				chunk[j] = byte(rng.Uint32())
			}
		}
		s.Clock.AfterFunc(time.Duration(i)*200*time.Millisecond, func() {
			s.Server.Current().Append(chunk)
			total += n
			changes["server"]++
		})
	}
	var roamedTo, pauseSentAt41 uint64
	if sc.roam {
		s.Clock.AfterFunc(5*time.Second, func() { s.Net.Roam() })
	}
	if sc.pause {
		s.Clock.AfterFunc(8*time.Second, func() {
			s.ClientPaused = true
			s.Net.SetLinks(conntest.Link{Down: true}, conntest.Link{Down: true})
		})
		// The server notices the timeout at its next heartbeat (≤ 3 s).
		s.Clock.AfterFunc(8*time.Second+ssp.ServerAssociationTimeout+3*time.Second+time.Millisecond, func() {
			pauseSentAt41 = s.Server.Stats().Sent
			if _, ok := s.Server.RemoteAddr(); ok {
				t.Error("server still attached after 41 s of silence")
			}
		})
		s.Clock.AfterFunc(68*time.Second, func() {
			if got := s.Server.Stats().Sent; got != pauseSentAt41 {
				t.Errorf("detached server sent %d datagrams into the void", got-pauseSentAt41)
			}
			s.ClientPaused = false
			s.Net.SetLinks(sc.up, sc.down)
		})
	}
	s.RunFor(20 * time.Second)
	if sc.pause {
		s.RunFor(50 * time.Second)
	}
	if !s.RunUntil(3*time.Minute, s.Converged) {
		t.Fatalf("no convergence after %v: server got %d/%d bytes, client remote %d/%d",
			s.Now().Sub(start), s.ServerGot.End(), s.Client.Current().End(),
			s.Client.Remote().End(), s.Server.Current().End())
	}
	elapsed := s.Now().Sub(start)
	maxFrags := uint64(total/1214 + 1)
	for _, side := range []struct {
		name string
		tr   *ssptest.Transport
	}{{"client", s.Client}, {"server", s.Server}} {
		st := side.tr.Stats()
		instrBound := uint64(elapsed/ssp.SendIntervalMin) + 1 + st.DataStates + changes[side.name]
		if st.InstructionsSent > instrBound {
			t.Errorf("%s sent %d instructions in %v, bound %d", side.name, st.InstructionsSent, elapsed, instrBound)
		}
		if resendBound := uint64(elapsed / minResendInterval); st.Resent > resendBound {
			t.Errorf("%s resent a state %d times in %v, bound %d", side.name, st.Resent, elapsed, resendBound)
		}
		lossless := sc.up == (conntest.Link{Delay: sc.up.Delay}) && sc.down == (conntest.Link{Delay: sc.down.Delay}) && !sc.pause
		if extra := st.Sent - st.InstructionsSent; side.name == "server" && lossless && extra > uint64(3*bigChunks) {
			t.Errorf("server sent %d datagrams for %d instructions on a lossless path, want at most %d more (3 more fragments for each 4 KiB chunk, once)",
				st.Sent, st.InstructionsSent, 3*bigChunks)
		}
		if st.Sent > instrBound*maxFrags {
			t.Errorf("%s sent %d datagrams, bound %d", side.name, st.Sent, instrBound*maxFrags)
		}
		if st.DroppedAuth+st.DroppedApply+st.DroppedDecode+st.DroppedVersion != 0 {
			t.Errorf("%s dropped valid traffic: %+v", side.name, st)
		}
		t.Logf("%s: converged after %v, %d datagrams (%d instructions, bound %d), srtt %v, %+v",
			side.name, elapsed, st.Sent, st.InstructionsSent, instrBound, side.tr.SRTT(), st)
	}
	client, server = s.Client.Stats(), s.Server.Stats()
	if sc.roam {
		roamedTo = uint64(s.Server.Stats().Roams)
		if a, _ := s.Server.RemoteAddr(); a != s.ClientAddr() || roamedTo == 0 {
			t.Errorf("server sends to %v, client is at %v (roams %d)", a, s.ClientAddr(), roamedTo)
		}
	}
	if sc.pause && s.Client.Stats().PortHops == 0 {
		t.Error("client did not hop ports after 60 s without a round trip")
	}

	// Idle on a healed link: heartbeats only.
	s.Net.SetLinks(conntest.Link{Delay: sc.up.Delay}, conntest.Link{Delay: sc.down.Delay})
	s.RunFor(10 * time.Second)
	c0, s0 := s.Client.Stats().Sent, s.Server.Stats().Sent
	s.RunFor(30 * time.Second)
	if d := s.Client.Stats().Sent - c0; d > 11 {
		t.Errorf("idle client sent %d datagrams in 30 s, want ≤ 11 (3 s heartbeat)", d)
	}
	if d := s.Server.Stats().Sent - s0; d > 11 {
		t.Errorf("idle server sent %d datagrams in 30 s, want ≤ 11 (3 s heartbeat)", d)
	}
	if !s.Converged() {
		t.Error("states diverged while idle")
	}
	return client, server
}

// minResendInterval bounds how often a side resends on average.
const minResendInterval = 100 * time.Millisecond
