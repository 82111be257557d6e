package statesync

import (
	"strings"
	"testing"
)

// typingFrames returns a server frame showing a shell with some history
// and the frame after one more typed character and a raised echo ack: the
// diff a server sends per keystroke (issue 3's typing workload).
func typingFrames() (old, cur *Frame) {
	old = NewFrame(80, 24)
	old.SetPane(Pane{Width: 80, Height: 24, ICANON: true, Echo: true, Program: "bash"})
	old.SetGoshVersion(ProtocolVersion, "pane")
	for i := range 20 {
		old.Screen().Write([]byte("$ ls -l " + strings.Repeat("x", i) + "\r\n"))
	}
	old.Screen().Write([]byte("$ echo hell"))
	old.SetEchoAck(41)
	cur = old.Clone()
	cur.Screen().Write([]byte("o"))
	cur.SetEchoAck(42)
	return old, cur
}

func BenchmarkFrameDiffTyping(b *testing.B) {
	old, cur := typingFrames()
	b.ReportAllocs()
	for b.Loop() {
		if len(cur.DiffFrom(old)) == 0 {
			b.Fatal("empty diff")
		}
	}
}

func BenchmarkFrameApplyTyping(b *testing.B) {
	old, cur := typingFrames()
	diff := cur.DiffFrom(old)
	f := old.Clone()
	b.ReportAllocs()
	for b.Loop() {
		if err := f.Apply(diff); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFrameDiffEchoAck is the diff of a frame whose only change is
// the echo ack: pure encoding cost, no screen work.
func BenchmarkFrameDiffEchoAck(b *testing.B) {
	old := NewFrame(80, 24)
	cur := old.Clone()
	cur.SetEchoAck(7)
	b.ReportAllocs()
	for b.Loop() {
		if len(cur.DiffFrom(old)) == 0 {
			b.Fatal("empty diff")
		}
	}
}

func BenchmarkUserStreamDiff(b *testing.B) {
	s := NewUserStream()
	s.PushKeys([]byte("echo hell"))
	old := s.Clone()
	s.PushKeys([]byte("o"))
	b.ReportAllocs()
	for b.Loop() {
		if len(s.DiffFrom(old)) == 0 {
			b.Fatal("empty diff")
		}
	}
}

func BenchmarkUserStreamApply(b *testing.B) {
	src := NewUserStream()
	src.PushKeys([]byte("o"))
	diff := src.DiffFrom(NewUserStream())
	s := NewUserStream()
	b.ReportAllocs()
	for b.Loop() {
		if err := s.Apply(diff); err != nil {
			b.Fatal(err)
		}
		if len(s.events) >= 1024 {
			s.Subtract(s.Clone())
		}
	}
}
