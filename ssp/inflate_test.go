package ssp

import (
	"bytes"
	"compress/flate"
	"compress/zlib"
	"encoding/binary"
	"hash/adler32"
	"io"
	"math/rand/v2"
	"testing"
)

// flateInflate is the reference: compress/zlib, as unmarshal used it.
func flateInflate(z []byte, max int) ([]byte, bool) {
	r, err := zlib.NewReader(bytes.NewReader(z))
	if err != nil {
		return nil, false
	}
	out, err := io.ReadAll(io.LimitReader(r, int64(max)+1))
	if err != nil || len(out) > max {
		return nil, false
	}
	return out, true
}

// Streams from gosh's encoder (fixed codes with matches, stored blocks)
// and from compress/zlib at several levels (C zlib writes the same kinds
// of blocks) decode as compress/flate decodes them, and a dynamic block
// is left to compress/flate.
func TestInflateSmallMatchesFlate(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var e fixedEncoder
	decoded := 0
	for i := range 300 {
		src := terminalLike(rng, rng.IntN(1200))
		if i%7 == 0 {
			src = make([]byte, rng.IntN(300)) // runs: long overlapping matches
		}
		streams := [][]byte{e.zlibFixed(nil, src)}
		for _, level := range []int{zlib.NoCompression, zlib.BestSpeed, zlib.DefaultCompression} {
			var buf bytes.Buffer
			w, _ := zlib.NewWriterLevel(&buf, level)
			w.Write(src)
			w.Close()
			streams = append(streams, buf.Bytes())
		}
		for j, z := range streams {
			got, ok := inflateSmall(nil, z, maxInstruction)
			if !ok {
				if j == 0 {
					t.Fatalf("input %d: gosh's own stream (%d bytes) not decoded", i, len(z))
				}
				continue
			}
			decoded++
			if !bytes.Equal(got, src) {
				t.Fatalf("input %d stream %d: decoded %d bytes, want the %d encoded", i, j, len(got), len(src))
			}
		}
	}
	if decoded < 300 {
		t.Fatalf("only %d streams decoded in place", decoded)
	}
}

// FuzzInflateSmall: on any deflate data, in a zlib stream whose checksum
// is that of compress/flate's reading of it (so that the fast path's
// accepting side is reached, not only its checksum test), a stream
// inflateSmall decodes is one compress/flate decodes to the same bytes
// within the same bound: the fast path never accepts what the reference
// rejects.
func FuzzInflateSmall(f *testing.F) {
	var e fixedEncoder
	body := func(z []byte) []byte { return z[2 : len(z)-4] } // the deflate data of a zlib stream
	f.Add(body(e.zlibFixed(nil, []byte("hello hello hello"))))
	f.Add(body(e.zlibFixed(nil, make([]byte, 100))))
	f.Add(body(e.zlibFixed(nil, keystroke(3).marshalRaw())))
	var buf bytes.Buffer
	w, _ := zlib.NewWriterLevel(&buf, zlib.NoCompression)
	w.Write([]byte("stored block"))
	w.Close()
	f.Add(body(buf.Bytes()))
	f.Add([]byte{0x03, 0x00})
	f.Fuzz(func(t *testing.T, data []byte) {
		const max = 1 << 16
		ref, _ := io.ReadAll(io.LimitReader(flate.NewReader(bytes.NewReader(data)), max+1))
		z := append([]byte{0x78, 0x9c}, data...)
		z = binary.BigEndian.AppendUint32(z, adler32.Checksum(ref))
		got, ok := inflateSmall(nil, z, max)
		if !ok {
			return
		}
		want, wantOK := flateInflate(z, max)
		if !wantOK || !bytes.Equal(got, want) {
			t.Fatalf("inflateSmall(%x) = %q; compress/flate: %q, ok %v", z, got, want, wantOK)
		}
	})
}

func BenchmarkUnmarshalKeystroke(b *testing.B) {
	var e fixedEncoder
	z := e.zlibFixed(nil, keystroke(9).marshalRaw())
	b.Run("small", func(b *testing.B) {
		var out []byte
		for b.Loop() {
			var ok bool
			if out, ok = inflateSmall(out[:0], z, maxInstruction); !ok {
				b.Fatal("not decoded")
			}
		}
	})
	b.Run("flate", func(b *testing.B) {
		var f inflater
		for b.Loop() {
			if _, ok := f.inflateFlate(z); !ok {
				b.Fatal("not decoded")
			}
		}
	})
}
