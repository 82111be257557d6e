package client

import (
	"testing"
	"time"

	"github.com/goshterm/gosh/bench/cold"
	"github.com/goshterm/gosh/predict"
)

// BenchmarkEchoKey measures the client's part of a key's way out at 0 ms:
// the byte read from the terminal goes through tcell's input parser, the
// key handling (escape filter, xterm encoding), the user stream and the
// prediction engine, then the transport's Tick seals and sends the
// datagram, and the loop's render finds nothing new to draw. Between
// keys (untimed) the server acks and echoes, so each key starts from a
// settled session as typing at human speed does.
func BenchmarkEchoKey(b *testing.B) {
	for _, m := range []struct {
		name string
		mode predict.Mode
	}{{"never", predict.Never}, {"adaptive", predict.Adaptive}} {
		b.Run(m.name, func(b *testing.B) { benchEchoKey(b, m.mode) })
	}
}

func benchEchoKey(b *testing.B, mode predict.Mode) {
	s := newBenchSession(b, mode)
	in := newTTYInput(-1)
	in.setSize(80, 24)
	handle := s.f.event
	var key [1]byte
	sent := 0
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		b.StopTimer()
		s.exchange() // the last key reaches the server when it was sent
		s.now = s.now.Add(100 * time.Millisecond)
		s.screen.WriteString(string(rune('a'+(i+25)%26)) + "\b") // the last key's echo
		s.exchange()
		s.cc.take()
		s.now = s.now.Add(300 * time.Millisecond) // past any send interval
		key[0] = byte('a' + i%26)
		b.StartTimer()
		cold.Sweep(b)
		copy(in.buf, key[:])
		in.feed(s.now, 1, handle)
		s.f.pass(s.now, false)
		sent += len(s.cc.out)
	}
	b.StopTimer()
	if sent < b.N {
		b.Fatalf("%d datagrams for %d keys", sent, b.N)
	}
}
