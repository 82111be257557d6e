package ssp

import (
	"crypto/cipher"
	"crypto/subtle"
	"encoding/binary"
	"math/bits"
)

// ocb3 is OCB3 (RFC 7253 §4) over AES-128 as SSP uses it: a 96-bit nonce
// (SSP's: 4 zero bytes, then the 8 bytes on the wire), a 128-bit tag and
// no associated data. mosh calls OpenSSL's or its own OCB; a general library
// allocates a few buffers per message, where this one works in fixed-size
// arrays, so a datagram costs no garbage.
//
// It keeps the last Ktop (§4.2: the encryption of the nonce with its six
// low bits cleared), as RFC 7253 suggests: consecutive sequence numbers
// share it 64 at a time. Not safe for concurrent use.
type ocb3 struct {
	block          cipher.Block
	lStar, lDollar block16
	l              [64]block16 // L_i = double^i(L_$ doubled): enough for any message length
	ktopFor, ktop  block16     // ktop is E(ktopFor)
	haveKtop       bool
	// Scratch: in the struct, not on the stack, because what is passed
	// to block.Encrypt (an interface call) would escape to the heap.
	nonce, off, sum, tmp, pad, check block16
}

type block16 [16]byte

// double is RFC 7253's double(): a shift left by one bit in GF(2^128),
// reduced by x^128 + x^7 + x^2 + x + 1.
func (b block16) double() block16 {
	hi, lo := binary.BigEndian.Uint64(b[:8]), binary.BigEndian.Uint64(b[8:])
	carry := hi >> 63
	hi = hi<<1 | lo>>63
	lo = lo<<1 ^ carry*0x87
	var out block16
	binary.BigEndian.PutUint64(out[:8], hi)
	binary.BigEndian.PutUint64(out[8:], lo)
	return out
}

func xor16(dst, a, b *block16) {
	binary.NativeEndian.PutUint64(dst[:8], binary.NativeEndian.Uint64(a[:8])^binary.NativeEndian.Uint64(b[:8]))
	binary.NativeEndian.PutUint64(dst[8:], binary.NativeEndian.Uint64(a[8:])^binary.NativeEndian.Uint64(b[8:]))
}

func newOCB(b cipher.Block) *ocb3 {
	o := &ocb3{block: b}
	b.Encrypt(o.lStar[:], o.lStar[:]) // L_* = ENCIPHER(K, zeros(128))
	o.lDollar = o.lStar.double()
	o.l[0] = o.lDollar.double()
	for i := 1; i < len(o.l); i++ {
		o.l[i] = o.l[i-1].double()
	}
	return o
}

// offset0 sets o.off to Offset_0 for the 96-bit nonce n (RFC 7253 §4.2,
// TAGLEN 128).
func (o *ocb3) offset0(n *[12]byte) {
	// Nonce = num2str(TAGLEN mod 128, 7) ‖ zeros(120 − 96) ‖ 1 ‖ N.
	nonce := &o.nonce
	*nonce = block16{}
	nonce[3] = 1
	copy(nonce[4:], n[:])
	bottom := uint(nonce[15] & 63)
	nonce[15] &^= 63
	if !o.haveKtop || *nonce != o.ktopFor {
		o.block.Encrypt(o.ktop[:], nonce[:])
		o.ktopFor, o.haveKtop = *nonce, true
	}
	// Stretch = Ktop ‖ (Ktop[1..64] xor Ktop[9..72]); Offset_0 is its
	// bits bottom+1 .. bottom+128.
	var stretch [24]byte
	copy(stretch[:16], o.ktop[:])
	for i := range 8 {
		stretch[16+i] = o.ktop[i] ^ o.ktop[i+1]
	}
	off := &o.off
	byteShift, bitShift := bottom/8, bottom%8
	for i := range off {
		off[i] = stretch[i+int(byteShift)] << bitShift
		if bitShift != 0 {
			off[i] |= stretch[i+int(byteShift)+1] >> (8 - bitShift)
		}
	}
}

// seal appends OCB-ENCRYPT(K, nonce, "", plaintext) — the ciphertext and
// the tag — to dst. dst may alias plaintext exactly.
func (o *ocb3) seal(dst []byte, nonce *[12]byte, plaintext []byte) []byte {
	ret, out := grow(dst, len(plaintext)+tagSize)
	o.offset0(nonce)
	off, sum := &o.off, &o.sum
	*sum = block16{}
	p := plaintext
	i := 1
	for ; len(p) >= 16; i++ {
		xor16(off, off, &o.l[bits.TrailingZeros(uint(i))])
		pb := (*block16)(p[:16])
		xor16(sum, sum, pb)
		xor16(&o.tmp, pb, off)
		o.block.Encrypt(o.tmp[:], o.tmp[:])
		xor16((*block16)(out[:16]), &o.tmp, off)
		p, out = p[16:], out[16:]
	}
	if n := len(p); n > 0 {
		xor16(off, off, &o.lStar)
		o.block.Encrypt(o.pad[:], off[:])
		// Checksum with P_* ‖ 1 ‖ 0…, before out (which may be p) is
		// written.
		o.check = block16{}
		copy(o.check[:], p)
		o.check[n] = 0x80
		xor16(sum, sum, &o.check)
		subtle.XORBytes(out[:n], p, o.pad[:n])
		out = out[n:]
	}
	// Tag = ENCIPHER(K, Checksum ‖ Offset ‖ L_$) xor HASH(K, A); A is
	// empty, its HASH zero.
	xor16(sum, sum, off)
	xor16(sum, sum, &o.lDollar)
	o.block.Encrypt(out[:16], sum[:])
	return ret
}

// open appends the plaintext of sealed (ciphertext ‖ tag, at least
// tagSize bytes) to dst and reports whether the tag was authentic; on
// false nothing is appended. dst may alias sealed exactly.
func (o *ocb3) open(dst []byte, nonce *[12]byte, sealed []byte) ([]byte, bool) {
	if len(sealed) < tagSize {
		return dst, false
	}
	c, tag := sealed[:len(sealed)-tagSize], sealed[len(sealed)-tagSize:]
	ret, out := grow(dst, len(c))
	o.offset0(nonce)
	off, sum := &o.off, &o.sum
	*sum = block16{}
	i := 1
	for ; len(c) >= 16; i++ {
		xor16(off, off, &o.l[bits.TrailingZeros(uint(i))])
		xor16(&o.tmp, (*block16)(c[:16]), off)
		o.block.Decrypt(o.tmp[:], o.tmp[:])
		pb := (*block16)(out[:16])
		xor16(pb, &o.tmp, off)
		xor16(sum, sum, pb)
		c, out = c[16:], out[16:]
	}
	if n := len(c); n > 0 {
		xor16(off, off, &o.lStar)
		o.block.Encrypt(o.pad[:], off[:])
		subtle.XORBytes(out[:n], c, o.pad[:n])
		o.check = block16{}
		copy(o.check[:], out[:n])
		o.check[n] = 0x80
		xor16(sum, sum, &o.check)
	}
	xor16(sum, sum, off)
	xor16(sum, sum, &o.lDollar)
	o.block.Encrypt(o.tmp[:], sum[:])
	if subtle.ConstantTimeCompare(o.tmp[:], tag) != 1 {
		clear(ret[len(dst):])
		return dst, false
	}
	return ret, true
}

// grow returns dst extended by n bytes and the extension.
func grow(dst []byte, n int) (ret, ext []byte) {
	total := len(dst) + n
	if cap(dst) >= total {
		ret = dst[:total]
	} else {
		ret = make([]byte, total)
		copy(ret, dst)
	}
	return ret, ret[len(dst):]
}
