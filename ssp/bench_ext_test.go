package ssp_test

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/goshterm/gosh/ssp/conn/conntest"
	"github.com/goshterm/gosh/ssp/ssptest"
)

// BenchmarkTransport scrolls 100 KiB of text output (1 KiB every 10 ms)
// past an 80×24 Screen, over a simulated 20 ms path at several loss
// rates, and reports datagrams and wire bytes per run until the client
// shows the final screen. Like mosh's frames, the diffs are bounded by the
// screen, not by the output.
func BenchmarkTransport(b *testing.B) {
	for _, loss := range []float64{0, 0.1, 0.3} {
		b.Run(fmt.Sprintf("loss%.0f%%", loss*100), func(b *testing.B) {
			l := conntest.Link{Loss: loss, Delay: 20 * time.Millisecond}
			// Text-like output: random letters from a small alphabet
			// (compresses about 2:1, like a busy terminal).
			rng := rand.New(rand.NewPCG(3, 4))
			const alphabet = "etaoinshrdlu \r\n"
			chunks := make([][]byte, 100)
			for i := range chunks {
				chunks[i] = make([]byte, 1024)
				for j := range chunks[i] {
					chunks[i][j] = alphabet[rng.IntN(len(alphabet))]
				}
			}
			var dgrams, bytes float64
			var simulated time.Duration
			for b.Loop() {
				s := ssptest.NewSimOf(b, ssptest.SimConfig{Seed: 1, Up: l, Down: l}, ssptest.NewScreen(80*24), ssptest.NewScreen(80*24))
				s.Client.Current().Append([]byte("x")) // say hello
				s.RunUntil(5*time.Second, s.Converged)
				for i := range 100 {
					s.Clock.AfterFunc(time.Duration(i)*10*time.Millisecond, func() { s.Server.Current().Write(chunks[i]) })
				}
				s.RunFor(time.Second)
				if !s.RunUntil(10*time.Second, s.Converged) {
					b.Fatal("no convergence")
				}
				simulated += s.Now().Sub(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
				st := s.Server.Stats()
				dgrams += float64(st.Sent + s.Client.Stats().Sent)
				bytes += float64(st.SentBytes)
			}
			b.SetBytes(100 * 1024)
			b.ReportMetric(loss, "packet-loss")
			b.ReportMetric(dgrams/float64(b.N), "datagrams/op")
			b.ReportMetric(bytes/float64(b.N), "wire-bytes/op")
			b.ReportMetric(simulated.Seconds()/float64(b.N), "sim-s/op")
		})
	}
}

// BenchmarkTransportFastLink is the flood of BenchmarkTransport — 100 KiB
// of text, now 1 KiB every millisecond — on a path with no delay and no
// loss (loopback), where the frame interval follows SRTT down to 1 ms.
// The datagram count must stay near mosh's 50 frames a second: link
// pacing slows to 20 ms after a bulky frame (constants.go).
func BenchmarkTransportFastLink(b *testing.B) {
	rng := rand.New(rand.NewPCG(3, 4))
	const alphabet = "etaoinshrdlu \r\n"
	chunks := make([][]byte, 100)
	for i := range chunks {
		chunks[i] = make([]byte, 1024)
		for j := range chunks[i] {
			chunks[i][j] = alphabet[rng.IntN(len(alphabet))]
		}
	}
	var dgrams, frames float64
	for b.Loop() {
		s := ssptest.NewSimOf(b, ssptest.SimConfig{Seed: 1}, ssptest.NewScreen(80*24), ssptest.NewScreen(80*24))
		// A few keystrokes and echoes, so that both sides have measured
		// the round trip.
		for i := range 5 {
			s.Clock.AfterFunc(time.Duration(i)*200*time.Millisecond, func() {
				s.Client.Current().Append([]byte("x"))
				s.Server.Current().Write([]byte("x"))
			})
		}
		s.RunFor(time.Second)
		s.RunUntil(5*time.Second, s.Converged)
		if s.Server.FrameInterval() > 2*time.Millisecond {
			b.Fatalf("server frame interval %v on a path without delay", s.Server.FrameInterval())
		}
		sent0, inst0, c0 := s.Server.Stats().Sent, s.Server.Stats().InstructionsSent, s.Client.Stats().Sent
		for i := range 100 {
			s.Clock.AfterFunc(time.Duration(i)*time.Millisecond, func() { s.Server.Current().Write(chunks[i]) })
		}
		s.RunFor(200 * time.Millisecond)
		if !s.RunUntil(10*time.Second, s.Converged) {
			b.Fatal("no convergence")
		}
		st := s.Server.Stats()
		dgrams += float64(st.Sent - sent0 + s.Client.Stats().Sent - c0)
		frames += float64(st.InstructionsSent - inst0)
	}
	b.SetBytes(100 * 1024)
	b.ReportMetric(dgrams/float64(b.N), "datagrams/op")
	b.ReportMetric(frames/float64(b.N), "server-frames/op")
}
