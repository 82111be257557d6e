package ssp

import (
	"encoding/binary"
	"hash/adler32"
	"math"
	"math/bits"
)

// A small zlib encoder for instructions.
//
// Go's compress/flate ends every stream with a separate empty final
// stored block (RFC 1951 §3.2.4: BFINAL=1, BTYPE=00, LEN=0, NLEN=0xFFFF,
// 4–5 bytes) after the data block, where C zlib, which mosh uses, marks the
// data block itself final. An instruction for one keystroke compresses to
// about 40 bytes, so that block alone made gosh's datagrams ~10% larger
// than mosh's. Resetting a flate writer also clears ~640 KB of tables,
// more work than compressing a keystroke.
//
// zlibFixed writes one BFINAL block with the fixed Huffman codes
// (RFC 1951 §3.2.6) and greedy LZ77 matches found through a small hash
// table, inside an RFC 1950 wrapper (78 9C, ..., Adler-32), or one stored
// block when that is shorter. For instruction-sized inputs the fixed codes
// beat a dynamic block, whose code-length header alone costs tens of bytes.

const (
	fixedHashBits = 12
	fixedMinMatch = 3 // hashed prefix
	fixedMaxMatch = 258
	fixedWindow   = 32768
	storedMax     = 65535 // one stored block's LEN
)

// fixedCode is a fixed Huffman code, bit-reversed for LSB-first output.
type fixedCode struct {
	code uint16
	len  uint8
}

var (
	fixedLit  [286]fixedCode // literals 0–255, end of block 256, lengths 257–285
	lenSym    [259]uint16    // match length 3–258 → symbol 257–285
	lenBase   = [29]uint16{3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258}
	lenExtra  = [29]uint8{0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0}
	distBase  = [30]uint16{1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577}
	distExtra = [30]uint8{0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13}
)

func init() {
	rev := func(code uint16, n uint8) fixedCode {
		return fixedCode{bits.Reverse16(code) >> (16 - n), n}
	}
	for s := range fixedLit {
		switch {
		case s < 144:
			fixedLit[s] = rev(uint16(0x30+s), 8)
		case s < 256:
			fixedLit[s] = rev(uint16(0x190+s-144), 9)
		case s < 280:
			fixedLit[s] = rev(uint16(s-256), 7)
		default:
			fixedLit[s] = rev(uint16(0xC0+s-280), 8)
		}
	}
	for i := range lenBase {
		hi := uint16(fixedMaxMatch)
		if i+1 < len(lenBase) {
			hi = lenBase[i+1] - 1
		}
		for l := lenBase[i]; l <= hi; l++ {
			lenSym[l] = uint16(257 + i)
		}
	}
	lenSym[258] = 285 // 258 has its own code, not 284 with extra bits 31
}

// bitWriter appends LSB-first bits to a byte slice (RFC 1951 §3.1.1).
type bitWriter struct {
	out  []byte
	acc  uint64
	nacc uint
}

func (w *bitWriter) bits(v uint32, n uint8) {
	w.acc |= uint64(v) << w.nacc
	w.nacc += uint(n)
	for w.nacc >= 8 {
		w.out = append(w.out, byte(w.acc))
		w.acc >>= 8
		w.nacc -= 8
	}
}

func (w *bitWriter) sym(c fixedCode) { w.bits(uint32(c.code), c.len) }

func (w *bitWriter) flush() []byte {
	if w.nacc > 0 {
		w.out = append(w.out, byte(w.acc))
	}
	w.acc, w.nacc = 0, 0
	return w.out
}

// fixedEncoder keeps its hash table between calls. Position i of an
// input is stored as base+i+1, and base moves past every input, so an
// entry of an earlier input (≤ base) reads as empty: the 16 KB table is
// not cleared per input. For a keystroke's ~40 bytes that clear was most
// of the encoder's work, and on a cold cache 256 lines written per
// keystroke and per echo frame.
type fixedEncoder struct {
	head [1 << fixedHashBits]int32
	base int32
}

func fixedHash(b []byte) uint32 {
	v := uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16
	return (v * 0x1e35a7bd) >> (32 - fixedHashBits)
}

// zlibFixed appends the zlib stream of src to dst.
func (e *fixedEncoder) zlibFixed(dst, src []byte) []byte {
	dst = append(dst, 0x78, 0x9C) // CM=8, CINFO=7, FLEVEL=2; (0x789C % 31 == 0)
	start := len(dst)
	dst = e.deflate(dst, src)
	if stored := 5 + len(src); len(src) <= storedMax && len(dst)-start > stored {
		dst = dst[:start]
		n := uint16(len(src))
		dst = append(dst, 0x01, byte(n), byte(n>>8), byte(^n), byte(^n>>8))
		dst = append(dst, src...)
	}
	return binary.BigEndian.AppendUint32(dst, adler32.Checksum(src))
}

// deflate appends one final fixed-Huffman block holding src. Matches are
// lazy (RFC 1951 §4): a match is deferred by one byte when the next
// position has a longer one, and taken only when its fixed codes cost fewer
// bits than the literals it replaces.
func (e *fixedEncoder) deflate(dst, src []byte) []byte {
	if len(src) >= math.MaxInt32-int(e.base) {
		clear(e.head[:])
		e.base = 0
	}
	w := bitWriter{out: dst}
	w.bits(1|1<<1, 3) // BFINAL=1, BTYPE=01 (fixed)
	i := 0
	n, d := e.find(src, i)
	for i < len(src) {
		if n == 0 {
			w.sym(fixedLit[src[i]])
			i++
			n, d = e.find(src, i)
			continue
		}
		n2, d2 := e.find(src, i+1)
		if n2 > n {
			w.sym(fixedLit[src[i]])
			i++
			n, d = n2, d2
			continue
		}
		w.match(n, d)
		for j := i + 2; j < i+n; j++ { // i and i+1 are hashed already
			e.insert(src, j)
		}
		i += n
		n, d = e.find(src, i)
	}
	w.sym(fixedLit[256])
	e.base += int32(len(src)) // this input's entries read as empty from now on
	return w.flush()
}

// find hashes position i and returns the match there worth taking (length
// 0 if none) against the previous position with the same 3-byte prefix.
func (e *fixedEncoder) find(src []byte, i int) (length, dist int) {
	if i+fixedMinMatch > len(src) {
		return 0, 0
	}
	h := fixedHash(src[i:])
	v := e.head[h]
	e.head[h] = e.base + int32(i+1)
	if v <= e.base {
		return 0, 0 // empty, or an earlier input's
	}
	cand := int(v-e.base) - 1
	if i-cand > fixedWindow {
		return 0, 0
	}
	n := matchLen(src[cand:], src[i:])
	if n < fixedMinMatch || matchBits(n, i-cand) >= literalBits(src[i:i+n]) {
		return 0, 0
	}
	return n, i - cand
}

func (e *fixedEncoder) insert(src []byte, i int) {
	if i+fixedMinMatch <= len(src) {
		e.head[fixedHash(src[i:])] = e.base + int32(i+1)
	}
}

func literalBits(b []byte) int {
	n := 0
	for _, c := range b {
		n += int(fixedLit[c].len)
	}
	return n
}

func matchBits(length, dist int) int {
	k := lenSym[length] - 257
	return int(fixedLit[257+k].len) + int(lenExtra[k]) + 5 + int(distExtra[distCode(dist)])
}

func distCode(dist int) int {
	d := 0
	for d+1 < len(distBase) && int(distBase[d+1]) <= dist {
		d++
	}
	return d
}

func matchLen(a, b []byte) int {
	n := min(len(a), len(b), fixedMaxMatch)
	for i := range n {
		if a[i] != b[i] {
			return i
		}
	}
	return n
}

// match writes a length/distance pair (RFC 1951 §3.2.5).
func (w *bitWriter) match(length, dist int) {
	s := lenSym[length]
	w.sym(fixedLit[s])
	k := s - 257
	if lenExtra[k] > 0 {
		w.bits(uint32(length)-uint32(lenBase[k]), lenExtra[k])
	}
	d := distCode(dist)
	w.bits(uint32(bits.Reverse8(uint8(d))>>3), 5) // distance codes are plain 5-bit codes
	if distExtra[d] > 0 {
		w.bits(uint32(dist)-uint32(distBase[d]), distExtra[d])
	}
}
