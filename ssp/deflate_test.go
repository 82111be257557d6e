package ssp

import (
	"bytes"
	"compress/flate"
	"compress/zlib"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"testing"
)

// flateZlib is what marshal produced before deflate.go: compress/zlib at the
// default level, which ends with an empty stored block.
func flateZlib(t testing.TB, src []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := zlib.NewWriterLevel(&buf, flate.DefaultCompression)
	if err != nil {
		t.Fatal(err)
	}
	w.Write(src)
	w.Close()
	return buf.Bytes()
}

func mustInflate(t testing.TB, z []byte) []byte {
	t.Helper()
	r, err := zlib.NewReader(bytes.NewReader(z))
	if err != nil {
		t.Fatalf("zlib header: %v", err)
	}
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("inflate: %v", err)
	}
	return b
}

// terminalLike returns what a screen diff for a few keystrokes or a line of
// output looks like: cursor moves, SGR, text, with repeats.
func terminalLike(r *rand.Rand, n int) []byte {
	words := []string{"ls -l ", "#", "\x1b[?25l", "\x1b[?25h", "\x1b[0m", "\x1b[1;32m",
		"\x1b[K", "\r\n", "ssp> ", "drwxr-xr-x  2 root root 4096 ", "\x1b[24;1H", "é", "─"}
	var b []byte
	for len(b) < n {
		switch r.IntN(3) {
		case 0:
			b = append(b, words[r.IntN(len(words))]...)
		case 1:
			b = fmt.Appendf(b, "\x1b[%d;%dH", 1+r.IntN(24), 1+r.IntN(80))
		default:
			b = append(b, byte('a'+r.IntN(26)))
		}
	}
	return b[:n]
}

// keystroke is an instruction as the server sends it after one typed
// character: the diff moves the cursor and draws it.
func keystroke(n uint64) *instruction {
	return &instruction{
		protocolVersion: 2, oldNum: n, newNum: n + 1, ackNum: 40 + n, throwawayNum: n,
		diff: fmt.Appendf(nil, "\x1b[?25l\x1b[1;%dHx\x1b[?25h", 6+n), chaff: []byte{},
	}
}

func TestZlibFixedRoundTrips(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var e fixedEncoder
	check := func(name string, src []byte) {
		t.Helper()
		z := e.zlibFixed(nil, src)
		if got := mustInflate(t, z); !bytes.Equal(got, src) {
			t.Fatalf("%s (%d bytes): round trip differs", name, len(src))
		}
	}
	for _, n := range []int{0, 1, 2, 3, 4, 5, 17, 100, 258, 259, 1000, 40000, 70000} {
		random := make([]byte, n)
		for i := range random {
			random[i] = byte(r.Uint32())
		}
		check("random", random)
		check("terminal", terminalLike(r, n))
		check("zeros", make([]byte, n)) // overlapping matches, lengths up to 258
		small := make([]byte, n)
		for i := range small {
			small[i] = "ab"[r.IntN(2)]
		}
		check("two letters", small)
	}
	// Every match length and a spread of distances.
	for l := 3; l <= 258; l++ {
		src := append(append(terminalLike(r, 1+l*7), terminalLike(r, 300)...), 0)
		src = append(src, src[:l]...)
		check(fmt.Sprintf("match %d", l), src)
	}
}

func TestZlibFixedBlockIsFinal(t *testing.T) {
	var e fixedEncoder
	z := e.zlibFixed(nil, keystroke(7).marshalRaw())
	if z[0] != 0x78 || z[1] != 0x9C {
		t.Fatalf("header % x, want 78 9c", z[:2])
	}
	if z[2]&1 != 1 {
		t.Fatal("first deflate block is not BFINAL: a trailing empty block costs ~4 bytes a datagram")
	}
	if bytes.Contains(z, []byte{0x00, 0x00, 0xff, 0xff}) {
		t.Fatalf("empty stored block in % x", z)
	}
}

// The rule deflate.go relies on: up to flateAbove bytes the fixed-code
// stream is never longer than compress/flate's, so marshal skips flate.
func TestZlibFixedNotLongerThanFlate(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	var e fixedEncoder
	for trial := range 3000 {
		n := r.IntN(flateAbove + 1)
		var src []byte
		switch trial % 3 {
		case 0:
			src = terminalLike(r, n)
		case 1:
			src = make([]byte, n)
			for i := range src {
				src[i] = byte(r.Uint32())
			}
		default:
			src = keystroke(uint64(trial)).marshalRaw()
		}
		fixed, fl := e.zlibFixed(nil, src), flateZlib(t, src)
		if len(fixed) > len(fl) {
			t.Fatalf("%d-byte input: fixed %d bytes > flate %d", len(src), len(fixed), len(fl))
		}
	}
	// Above flateAbove marshal keeps the shorter of the two.
	big := &instruction{protocolVersion: 2, newNum: 1, diff: terminalLike(r, 20000)}
	if got, fl := len(big.marshal()), len(flateZlib(t, big.marshalRaw())); got > fl {
		t.Fatalf("large instruction: marshal %d bytes > flate %d", got, fl)
	}
}

// A keystroke costs mosh ~4 bytes less than compress/flate made it: the
// point of deflate.go.
func TestKeystrokeSavesEmptyBlock(t *testing.T) {
	var total, totalFlate int
	for n := range uint64(100) {
		raw := keystroke(n).marshalRaw()
		z := keystroke(n).marshal()
		if !bytes.Equal(mustInflate(t, z), raw) {
			t.Fatal("keystroke does not round-trip")
		}
		total += len(z)
		totalFlate += len(flateZlib(t, raw))
	}
	if total > totalFlate-4*100 {
		t.Fatalf("100 keystrokes: %d bytes, flate %d: want ≥ 4 bytes saved each", total, totalFlate)
	}
}

func FuzzDeflate(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"))
	f.Add(keystroke(3).marshalRaw())
	f.Add(terminalLike(rand.New(rand.NewPCG(5, 6)), 700))
	var e fixedEncoder
	f.Fuzz(func(t *testing.T, src []byte) {
		if got := mustInflate(t, e.zlibFixed(nil, src)); !bytes.Equal(got, src) {
			t.Fatalf("round trip differs for %d bytes", len(src))
		}
	})
}

func BenchmarkMarshalKeystroke(b *testing.B) {
	raw := keystroke(9).marshalRaw()
	b.Run("fixed", func(b *testing.B) {
		var e fixedEncoder
		var dst []byte
		for b.Loop() {
			dst = e.zlibFixed(dst[:0], raw)
		}
		b.ReportMetric(float64(len(dst)), "bytes/op-out")
	})
	b.Run("flate", func(b *testing.B) {
		var buf bytes.Buffer
		w := zlib.NewWriter(&buf)
		for b.Loop() {
			buf.Reset()
			w.Reset(&buf)
			w.Write(raw)
			w.Close()
		}
		b.ReportMetric(float64(buf.Len()), "bytes/op-out")
	})
}

// The encoder's table outlives its inputs: an input after many others, and
// one after the positions' base wrapped, still round-trips and finds the
// same matches as a fresh encoder (the same bytes out).
func TestZlibFixedReusedTable(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	var reused fixedEncoder
	for i := range 200 {
		src := terminalLike(rng, 1+rng.IntN(900))
		if i == 100 {
			reused.base = math.MaxInt32 - 10 // the next input wraps the base
		}
		var fresh fixedEncoder
		got, want := reused.zlibFixed(nil, src), fresh.zlibFixed(nil, src)
		if !bytes.Equal(got, want) {
			t.Fatalf("input %d: a reused encoder wrote %d bytes, a fresh one %d", i, len(got), len(want))
		}
		if back := mustInflate(t, got); !bytes.Equal(back, src) {
			t.Fatalf("input %d: round trip differs", i)
		}
	}
}
