package ssp

import (
	"encoding/binary"
	"hash/adler32"
)

// A small zlib decoder for instructions.
//
// An instruction arrives as one zlib stream, and from gosh (deflate.go)
// and from C zlib alike a small one is a single block with the fixed
// Huffman codes, or a stored block. compress/flate decodes it well, but
// each Reset rewrites its ~4.5 KB decoder state and each stream walks
// its general tables: on the cold cache of an echo (one keystroke per
// 150 ms) more than the instruction is worth, twice per keystroke (the
// daemon reads the keystroke, the client its echo). inflateSmall decodes
// the fixed-code and stored blocks in place; anything else (a dynamic
// block, a preset dictionary, any doubt) it leaves to compress/flate,
// which also gives the verdict on a malformed stream.
// FuzzInflateSmall holds it to compress/flate's output.

// inflateSmall appends the data of the zlib stream z to dst. ok is false
// when z is not a stream it decodes (the caller then uses compress/flate)
// or the data would pass max bytes.
func inflateSmall(dst, z []byte, max int) (out []byte, ok bool) {
	if len(z) < 2+1+4 {
		return dst, false
	}
	// RFC 1950 §2.2: CM 8, CINFO ≤ 7, FCHECK, no FDICT.
	if z[0]&0x0f != 8 || z[0]>>4 > 7 || binary.BigEndian.Uint16(z)%31 != 0 || z[1]&0x20 != 0 {
		return dst, false
	}
	start := len(dst)
	r := bitReader{src: z[2:]}
	for {
		final, ok1 := r.bits(1)
		typ, ok2 := r.bits(2)
		if !ok1 || !ok2 {
			return dst, false
		}
		switch typ {
		case 0:
			dst, ok = r.stored(dst, start, max)
		case 1:
			dst, ok = r.fixed(dst, start, max)
		default:
			return dst, false
		}
		if !ok {
			return dst, false
		}
		if final == 1 {
			break
		}
	}
	// RFC 1950: the Adler-32 of the data, big-endian, byte-aligned.
	rest := r.aligned()
	if len(rest) < 4 || binary.BigEndian.Uint32(rest) != adler32.Checksum(dst[start:]) {
		return dst, false
	}
	return dst, true
}

// bitReader reads LSB-first bits (RFC 1951 §3.1.1).
type bitReader struct {
	src  []byte
	acc  uint64
	nacc uint
}

// bits reads n ≤ 16 bits as an integer.
func (r *bitReader) bits(n uint) (uint32, bool) {
	for r.nacc < n {
		if len(r.src) == 0 {
			return 0, false
		}
		r.acc |= uint64(r.src[0]) << r.nacc
		r.src = r.src[1:]
		r.nacc += 8
	}
	v := uint32(r.acc & (1<<n - 1))
	r.acc >>= n
	r.nacc -= n
	return v, true
}

// code reads n bits of a Huffman code, which is packed most significant
// bit first (RFC 1951 §3.1.1), onto c.
func (r *bitReader) code(c uint32, n uint) (uint32, bool) {
	for range n {
		b, ok := r.bits(1)
		if !ok {
			return 0, false
		}
		c = c<<1 | b
	}
	return c, true
}

// aligned drops the bits left of the current byte and returns the rest.
// bits loads a byte only while it lacks bits, so fewer than 8 are ever
// held: they are the current byte's.
func (r *bitReader) aligned() []byte {
	r.acc, r.nacc = 0, 0
	return r.src
}

// stored copies a stored block (RFC 1951 §3.2.4).
func (r *bitReader) stored(dst []byte, start, max int) ([]byte, bool) {
	b := r.aligned()
	if len(b) < 4 {
		return dst, false
	}
	n := int(binary.LittleEndian.Uint16(b))
	if binary.LittleEndian.Uint16(b[2:]) != ^uint16(n) || len(b) < 4+n || len(dst)-start+n > max {
		return dst, false
	}
	r.src = b[4+n:]
	return append(dst, b[4:4+n]...), true
}

// fixed decodes a block with the fixed Huffman codes (RFC 1951 §3.2.6).
func (r *bitReader) fixed(dst []byte, start, max int) ([]byte, bool) {
	for range 1 << 26 { // a bound: each pass writes a byte or ends
		c, ok := r.code(0, 7)
		if !ok {
			return dst, false
		}
		var sym uint32
		switch {
		case c <= 0x17: // 256–279: 7 bits
			sym = 256 + c
		default:
			if c, ok = r.code(c, 1); !ok {
				return dst, false
			}
			switch {
			case c >= 0x30 && c <= 0xbf: // 0–143: 8 bits
				sym = c - 0x30
			case c >= 0xc0 && c <= 0xc7: // 280–287: 8 bits
				sym = 280 + c - 0xc0
			default: // 144–255: 9 bits
				if c, ok = r.code(c, 1); !ok || c < 0x190 {
					return dst, false
				}
				sym = 144 + c - 0x190
			}
		}
		switch {
		case sym < 256:
			if len(dst)-start >= max {
				return dst, false
			}
			dst = append(dst, byte(sym))
			continue
		case sym == 256:
			return dst, true
		case sym > 285:
			return dst, false
		}
		k := sym - 257
		extra, ok := r.bits(uint(lenExtra[k]))
		if !ok {
			return dst, false
		}
		length := int(lenBase[k]) + int(extra)
		d, ok := r.code(0, 5)
		if !ok || d > 29 {
			return dst, false
		}
		if extra, ok = r.bits(uint(distExtra[d])); !ok {
			return dst, false
		}
		dist := int(distBase[d]) + int(extra)
		if dist > len(dst)-start || len(dst)-start+length > max {
			return dst, false
		}
		from := len(dst) - dist
		for i := range length { // overlapping copies repeat: byte by byte
			dst = append(dst, dst[from+i])
		}
	}
	return dst, false
}
