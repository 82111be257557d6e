package vt

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// benchScreen fills a cols×rows screen with coloured words.
func benchScreen(seed uint64, cols, rows int) *Screen {
	r := rand.New(rand.NewPCG(seed, 7))
	s := NewScreen(cols, rows)
	var b strings.Builder
	for y := 0; y < rows; y++ {
		if y > 0 {
			b.WriteString("\r\n")
		}
		n := 0
		for n < cols-12 {
			fmt.Fprintf(&b, "\x1b[%d;%dm", 30+r.IntN(8), 40+r.IntN(8))
			w := randWords(r, 1+r.IntN(10))
			b.WriteString(w)
			n += len(w)
		}
		b.WriteString("\x1b[m")
	}
	s.WriteString(b.String())
	return s
}

// BenchmarkDiffFull is the diff of a 200x60 screen whose every row
// changed (text and colours).
func BenchmarkDiffFull(b *testing.B) {
	from, to := benchScreen(1, 200, 60), benchScreen(2, 200, 60)
	buf := to.AppendDiff(nil, from)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		buf = to.AppendDiff(buf[:0], from)
	}
	b.ReportMetric(float64(len(buf)), "bytes/diff")
}

// BenchmarkDiffScroll is the diff of a 200x60 screen scrolled by one line
// (a new prompt line at the bottom).
func BenchmarkDiffScroll(b *testing.B) {
	from := benchScreen(1, 200, 60)
	to := from.Clone()
	to.WriteString("\r\n$ make test")
	buf := to.AppendDiff(nil, from)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		buf = to.AppendDiff(buf[:0], from)
	}
	b.ReportMetric(float64(len(buf)), "bytes/diff")
}

// BenchmarkDiffTyped is the diff after one typed character.
func BenchmarkDiffTyped(b *testing.B) {
	from := benchScreen(1, 200, 60)
	to := from.Clone()
	to.WriteString("x")
	buf := to.AppendDiff(nil, from)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		buf = to.AppendDiff(buf[:0], from)
	}
	b.ReportMetric(float64(len(buf)), "bytes/diff")
}
