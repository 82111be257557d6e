package ssp

import (
	"bytes"
	"crypto/aes"
	"math/rand/v2"
	"testing"

	gocb "github.com/ProtonMail/go-crypto/ocb"
)

// TestOwnOCBVectors runs the ocb of ocb.go on the RFC 7253 and
// draft-krovetz-ocb-03 vectors without associated data (it has none).
func TestOwnOCBVectors(t *testing.T) {
	block, _ := aes.NewCipher(unhex(t, "000102030405060708090A0B0C0D0E0F"))
	o := newOCB(block)
	n := 0
	for _, v := range ocbVectors {
		if v.a != "" {
			continue
		}
		n++
		nonce := [12]byte(unhex(t, v.nonce))
		p, want := unhex(t, v.p), unhex(t, v.c)
		if got := o.seal(nil, &nonce, p); !bytes.Equal(got, want) {
			t.Errorf("seal(N=%s P=%s) = %X, want %s", v.nonce, v.p, got, v.c)
		}
		if pt, ok := o.open(nil, &nonce, want); !ok || !bytes.Equal(pt, p) {
			t.Errorf("open(N=%s C=%s) = %X, %v; want %s", v.nonce, v.c, pt, ok, v.p)
		}
	}
	if n < 5 {
		t.Fatalf("only %d vectors without associated data", n)
	}
}

// checkOCB compares ocb.go with ProtonMail/go-crypto's OCB on one message
// (sealing, opening, in place, after other nonces), and checks that a
// flipped bit anywhere fails.
func checkOCB(t *testing.T, key [16]byte, nonce [12]byte, p []byte, flip int) {
	t.Helper()
	block, _ := aes.NewCipher(key[:])
	ref, err := gocb.NewOCBWithNonceAndTagSize(block, 12, 16)
	if err != nil {
		t.Fatal(err)
	}
	o := newOCB(block)
	want := ref.Seal([]byte("prefix"), nonce[:], p, nil)
	if got := o.seal([]byte("prefix"), &nonce, p); !bytes.Equal(got, want) {
		t.Fatalf("key %X nonce %X len %d: seal = %X, want %X", key, nonce, len(p), got, want)
	}
	sealed := want[len("prefix"):]
	pt, ok := o.open([]byte("x"), &nonce, sealed)
	if !ok || !bytes.Equal(pt[1:], p) || pt[0] != 'x' {
		t.Fatalf("key %X nonce %X len %d: open = %X %v, want x%X", key, nonce, len(p), pt, ok, p)
	}
	// In place, as a receive buffer is reused.
	buf := append([]byte(nil), p...)
	if got := o.seal(buf[:0], &nonce, buf); !bytes.Equal(got, sealed) {
		t.Fatalf("in-place seal = %X, want %X", got, sealed)
	}
	buf = append([]byte(nil), sealed...)
	if got, ok := o.open(buf[:0], &nonce, buf); !ok || !bytes.Equal(got, p) {
		t.Fatalf("in-place open = %X %v, want %X", got, ok, p)
	}
	bad := append([]byte(nil), sealed...)
	bad[flip%len(bad)] ^= 1 << (flip % 8)
	if got, ok := o.open([]byte("y"), &nonce, bad); ok || !bytes.Equal(got, []byte("y")) {
		t.Fatalf("open of a corrupted message = %X %v, want y false", got, ok)
	}
	other := nonce
	other[11] ^= 0x40 // another Ktop
	if _, ok := o.open(nil, &other, sealed); ok {
		t.Fatal("open under another nonce succeeded")
	}
}

// TestOwnOCBMatchesReference: ocb.go seals and opens as go-crypto's OCB
// (which passes RFC 7253's vectors, TestOCBVectors) for every length up to
// a few blocks past a datagram's and nonces in sequence (the cached Ktop)
// and at random.
func TestOwnOCBMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	var key [16]byte
	for i := range key {
		key[i] = byte(rng.Uint32())
	}
	seq := uint64(1<<63) - 70
	for n := range 1400 {
		p := make([]byte, n%200+n/200*16)
		for i := range p {
			p[i] = byte(rng.Uint32())
		}
		var nonce [12]byte
		if n%3 == 0 {
			nonce = [12]byte{4: byte(rng.Uint32()), 11: byte(rng.Uint32())}
		} else {
			seq++
			nonce = [12]byte{4: byte(seq >> 56), 5: byte(seq >> 48), 10: byte(seq >> 8), 11: byte(seq)}
		}
		checkOCB(t, key, nonce, p, n)
	}
}

// FuzzOCB compares ocb.go with go-crypto's OCB on any key, nonce and
// message.
func FuzzOCB(f *testing.F) {
	f.Add([]byte("0123456789abcdef"), []byte("0123456789ab"), []byte("hello"), 3)
	f.Add(make([]byte, 16), make([]byte, 12), make([]byte, 48), 0)
	f.Fuzz(func(t *testing.T, k, n, p []byte, flip int) {
		if len(k) < 16 || len(n) < 12 || flip < 0 {
			return
		}
		checkOCB(t, [16]byte(k), [12]byte(n), p, flip)
	})
}
