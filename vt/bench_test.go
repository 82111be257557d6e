package vt_test

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/goshterm/gosh/vt"
)

const benchSize = 4 << 20

// Benchmark inputs: 4 MiB each, deterministic.

func plainASCII() []byte {
	var b bytes.Buffer
	for i := 0; b.Len() < benchSize; i++ {
		fmt.Fprintf(&b, "%6d the quick brown fox jumps over the lazy dog; lorem ipsum dolor sit amet\r\n", i)
	}
	return b.Bytes()[:benchSize]
}

// sgrHeavy looks like `ls --color` and syntax-highlighted code: a colour
// change every few characters, with 16, 256 and 24-bit colours.
func sgrHeavy() []byte {
	var b bytes.Buffer
	words := []string{"func", "main", "return", "if", "err", "nil", "x", ":=", "for", "range"}
	for i := 0; b.Len() < benchSize; i++ {
		switch i % 4 {
		case 0:
			fmt.Fprintf(&b, "\x1b[1;3%dm", i%8)
		case 1:
			fmt.Fprintf(&b, "\x1b[38;5;%dm", i%256)
		case 2:
			fmt.Fprintf(&b, "\x1b[38;2;%d;%d;%dm", i%256, (i*7)%256, (i*13)%256)
		case 3:
			b.WriteString("\x1b[0m")
		}
		b.WriteString(words[i%len(words)])
		b.WriteByte(' ')
		if i%12 == 11 {
			b.WriteString("\x1b[m\r\n")
		}
	}
	return b.Bytes()[:benchSize]
}

// mixedUnicode mixes CJK, emoji (some ZWJ sequences), accented Latin and
// ASCII.
func mixedUnicode() []byte {
	var b bytes.Buffer
	parts := []string{"日本語のテキスト", " hello ", "中文字符", "😀", "👨\u200d👩\u200d👧", " café ", "e\u0301", "한국어", "🇯🇵"}
	for i := 0; b.Len() < benchSize; i++ {
		b.WriteString(parts[i%len(parts)])
		if i%9 == 8 {
			b.WriteString("\r\n")
		}
	}
	return b.Bytes()[:benchSize-benchSize%4]
}

// fullScreen is a synthetic full-screen program stream (htop/vim style):
// cursor positioning, colour changes, partial redraws, erases, a scroll
// region.
func fullScreen() []byte {
	var b bytes.Buffer
	r := rand.New(rand.NewPCG(1, 2))
	b.WriteString("\x1b[?1049h\x1b[?25l")
	for frame := 0; b.Len() < benchSize; frame++ {
		b.WriteString("\x1b[H\x1b[7m  PID USER      PRI  NI  VIRT   RES   SHR S CPU% MEM%   TIME+  Command\x1b[K\x1b[m")
		for row := 2; row <= 23; row++ {
			fmt.Fprintf(&b, "\x1b[%d;1H\x1b[3%dm%5d\x1b[m root      20   0 %5dM %5dM  %4d S \x1b[1m%4.1f\x1b[m %4.1f  0:%02d.%02d /usr/bin/prog%d\x1b[K",
				row, r.IntN(8), r.IntN(99999), r.IntN(9999), r.IntN(9999), r.IntN(999), r.Float64()*100, r.Float64()*10, r.IntN(60), r.IntN(100), row)
		}
		if frame%10 == 0 {
			b.WriteString("\x1b[5;20r\x1b[20;1H\n\n\x1b[r\x1b[24;1H\x1b[2K~")
		}
	}
	return b.Bytes()[:benchSize]
}

func benchWrite(b *testing.B, in []byte) {
	s := vt.NewScreen(80, 24)
	// Warm up: fill the scrollback, intern the styles, and let the
	// scrollback's reuse of emptied chunks settle.
	s.Write(in)
	s.Write(in)
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		s.Write(in)
	}
}

func BenchmarkWritePlainASCII(b *testing.B)   { benchWrite(b, plainASCII()) }
func BenchmarkWriteSGRHeavy(b *testing.B)     { benchWrite(b, sgrHeavy()) }
func BenchmarkWriteMixedUnicode(b *testing.B) { benchWrite(b, mixedUnicode()) }
func BenchmarkWriteFullScreen(b *testing.B)   { benchWrite(b, fullScreen()) }

// BenchmarkScrollbackBytesPerCell reports the heap the scrollback uses:
// per ASCII cell for 10,000 full 80-column lines ("bytes/cell", the
// issue's measure), and per line at 100 columns (a ~100x29 pane of a
// 200x60 window split in four) for `seq 1 10000` output ("B/line-seq")
// and for 80-column text lines, a quarter of them coloured
// ("B/line-text").
func BenchmarkScrollbackBytesPerCell(b *testing.B) {
	for b.Loop() {
		b.ReportMetric(scrollbackBytesPerCell(), "bytes/cell")
		b.ReportMetric(scrollbackBytesPerLine(100, seqLine), "B/line-seq")
		b.ReportMetric(scrollbackBytesPerLine(100, textLine), "B/line-text")
	}
}

const sbLines = 10000

// scrollbackHeap returns the heap growth from writing lines+rows lines of
// line(i) into a cols×24 screen, whose scrollback then holds the first
// lines of them.
func scrollbackHeap(cols int, line func(i int) string) float64 {
	const rows = 24
	in := make([][]byte, sbLines+rows)
	for i := range in {
		in[i] = []byte(line(i))
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	s := vt.NewScreen(cols, rows)
	for _, l := range in {
		s.Write(l)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	if s.ScrollbackLen() != sbLines {
		panic(fmt.Sprintf("scrollback has %d lines, want %d", s.ScrollbackLen(), sbLines))
	}
	runtime.KeepAlive(s)
	runtime.KeepAlive(in)
	return float64(after.HeapAlloc) - float64(before.HeapAlloc)
}

// scrollbackBytesPerCell is the heap per cell of 10,000 full 80-column
// lines of ASCII (rows soft-wrapped into each other).
func scrollbackBytesPerCell() float64 {
	const cols = 80
	x := strings.Repeat("x", cols)
	return scrollbackHeap(cols, func(int) string { return x }) / (sbLines * cols)
}

// scrollbackBytesPerLine is the heap per line of 10,000 lines.
func scrollbackBytesPerLine(cols int, line func(i int) string) float64 {
	return scrollbackHeap(cols, line) / sbLines
}

// seqLine is line i of `seq 1 N`: 1–5 characters.
func seqLine(i int) string { return strconv.Itoa(i+1) + "\r\n" }

// textLine is an 80-column line of text; every fourth is cut into words
// in 16-, 256- and 24-bit colours (as bench/mux's text fill).
func textLine(i int) string {
	const words = "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore et dolore magna aliqua "
	t := words[i%len(words):] + words
	t = t[:80]
	if i%4 != 3 {
		return t + "\r\n"
	}
	var b strings.Builder
	for j, w := range strings.SplitAfter(t, " ") {
		switch j % 3 {
		case 0:
			fmt.Fprintf(&b, "\x1b[3%dm", j%8)
		case 1:
			fmt.Fprintf(&b, "\x1b[38;5;%dm", (i+j)%256)
		case 2:
			fmt.Fprintf(&b, "\x1b[38;2;%d;%d;%dm", i%256, j%256, (i*j)%256)
		}
		b.WriteString(w)
	}
	b.WriteString("\x1b[m\r\n")
	return b.String()
}

// TestScrollbackCompact holds the scrollback to at most 12 bytes per ASCII
// cell of full lines (the budget), and to what a compact store
// makes of short and coloured lines at 100 columns: a `seq` line must not
// cost its row's width (800 B of cells), an 80-column text line about a
// byte per used cell.
func TestScrollbackCompact(t *testing.T) {
	if got := scrollbackBytesPerCell(); got > 12 {
		t.Errorf("scrollback uses %.1f bytes per ASCII cell, want ≤ 12", got)
	} else {
		t.Logf("scrollback: %.2f bytes per ASCII cell of full 80-column lines", got)
	}
	for _, tc := range []struct {
		name string
		line func(int) string
		max  float64
	}{
		{"seq", seqLine, 32},
		{"80-column text", textLine, 120},
	} {
		if got := scrollbackBytesPerLine(100, tc.line); got > tc.max {
			t.Errorf("%s: scrollback uses %.1f bytes per line at 100 columns, want ≤ %.0f", tc.name, got, tc.max)
		} else {
			t.Logf("%s: %.1f bytes per scrollback line at 100 columns", tc.name, got)
		}
	}
}

// TestWriteSteadyStateAllocFree checks that once the scrollback is full
// and styles are interned, writing allocates nothing.
func TestWriteSteadyStateAllocFree(t *testing.T) {
	for name, in := range map[string][]byte{
		"ascii":      bytes.Repeat([]byte("hello world, some text\r\n"), 2000),
		"sgr":        bytes.Repeat([]byte("\x1b[1;31mred\x1b[38;5;100m idx \x1b[38;2;1;2;3mrgb\x1b[m\r\n"), 2000),
		"fullscreen": fullScreen()[:1<<16],
	} {
		s := vt.NewScreen(80, 24)
		s.SetScrollbackLimit(100)
		s.Write(in)
		if n := testing.AllocsPerRun(5, func() { s.Write(in) }); n != 0 {
			t.Errorf("%s: %.0f allocations per write in the steady state, want 0", name, n)
		}
	}
}
