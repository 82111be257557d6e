package ssp

import (
	"math/rand/v2"
	"testing"
)

func BenchmarkSeal(b *testing.B) {
	s := newSealer(testKey)
	pt := make([]byte, MTU4-nonceSize-tagSize)
	dst := make([]byte, 0, MTU4)
	b.SetBytes(int64(len(pt)))
	var seq uint64
	for b.Loop() {
		seq++
		s.seal(dst[:0], seq, pt)
	}
}

func BenchmarkOpen(b *testing.B) {
	s := newSealer(testKey)
	d, _ := s.seal(nil, 1, make([]byte, MTU4-nonceSize-tagSize))
	dst := make([]byte, 0, MTU4)
	b.SetBytes(int64(len(d)))
	for b.Loop() {
		if _, _, err := s.open(dst[:0], d); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFragment4K compresses and fragments a 4 KiB diff of terminal-
// like text, and reassembles and inflates it again.
func BenchmarkFragment4K(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	words := []string{"\x1b[1;34m", "drwxr-xr-x ", "root ", "4096 ", "src\r\n", "\x1b[0m", "$ "}
	var diff []byte
	for len(diff) < 4096 {
		diff = append(diff, words[rng.IntN(len(words))]...)
	}
	diff = diff[:4096]
	b.SetBytes(int64(len(diff)))
	var f fragmenter
	var inf inflater
	var frags []fragment
	for b.Loop() {
		inst := instruction{protocolVersion: 2, newNum: 1, diff: diff, chaff: []byte{byte(len(frags))}}
		frags, _ = f.fragments(&inst, 1214)
		var r reassembly
		for _, fr := range frags {
			if z, _ := r.add(fr); z != nil {
				if _, err := inf.unmarshal(z); err != nil {
					b.Fatal(err)
				}
			}
		}
	}
	b.ReportMetric(float64(len(frags)), "fragments")
}

// BenchmarkSealEcho and BenchmarkOpenEcho seal and open an echo frame's
// datagram (~60 bytes of instruction), the daemon's per-keystroke case.
func BenchmarkSealEcho(b *testing.B) {
	s := newSealer(testKey)
	pt := make([]byte, 60)
	dst := make([]byte, 0, MTU4)
	var seq uint64
	b.ReportAllocs()
	for b.Loop() {
		seq++
		s.seal(dst[:0], seq, pt)
	}
}

func BenchmarkOpenEcho(b *testing.B) {
	s := newSealer(testKey)
	d, _ := s.seal(nil, 1, make([]byte, 60))
	dst := make([]byte, 0, MTU4)
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := s.open(dst[:0], d); err != nil {
			b.Fatal(err)
		}
	}
}
