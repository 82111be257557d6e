package ssp

import (
	"bytes"
	"crypto/aes"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/ProtonMail/go-crypto/ocb"
)

func unhex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// ocbVector is one (A, P, C) triple of RFC 7253 Appendix A or of
// draft-krovetz-ocb-03 Appendix A (the vectors mosh's ocb-aes test runs),
// both with K = 000102…0F and a 128-bit tag.
type ocbVector struct{ nonce, a, p, c string }

var ocbVectors = []ocbVector{
	// RFC 7253 Appendix A.
	{"BBAA99887766554433221100", "", "", "785407BFFFC8AD9EDCC5520AC9111EE6"},
	{"BBAA99887766554433221101", "0001020304050607", "0001020304050607", "6820B3657B6F615A5725BDA0D3B4EB3A257C9AF1F8F03009"},
	{"BBAA99887766554433221102", "0001020304050607", "", "81017F8203F081277152FADE694A0A00"},
	{"BBAA99887766554433221103", "", "0001020304050607", "45DD69F8F5AAE72414054CD1F35D82760B2CD00D2F99BFA9"},
	{"BBAA99887766554433221104", "000102030405060708090A0B0C0D0E0F", "000102030405060708090A0B0C0D0E0F", "571D535B60B277188BE5147170A9A22C3AD7A4FF3835B8C5701C1CCEC8FC3358"},
	{"BBAA99887766554433221105", "000102030405060708090A0B0C0D0E0F", "", "8CF761B6902EF764462AD86498CA6B97"},
	{"BBAA99887766554433221106", "", "000102030405060708090A0B0C0D0E0F", "5CE88EC2E0692706A915C00AEB8B2396F40E1C743F52436BDF06D8FA1ECA343D"},
	// draft-krovetz-ocb-03 Appendix A (mosh src/tests/ocb-aes.cc).
	{"000102030405060708090A0B", "", "", "197B9C3C441D3C83EAFB2BEF633B9182"},
	{"000102030405060708090A0B", "0001020304050607", "0001020304050607", "92B657130A74B85A16DC76A46D47E1EAD537209E8A96D14E"},
	{"000102030405060708090A0B", "0001020304050607", "", "98B91552C8C009185044E30A6EB2FE21"},
	{"000102030405060708090A0B", "", "0001020304050607", "92B657130A74B85A971EFFCAE19AD4716F88E87B871FBEED"},
	{"000102030405060708090A0B", "000102030405060708090A0B0C0D0E0F", "", "7DDB8E6CEA6814866212509619B19CC6"},
	{"000102030405060708090A0B", "000102030405060708090A0B0C0D0E0F1011121314151617", "", "282026DA3068BC9FA118681D559F10F6"},
	{"000102030405060708090A0B", "", "000102030405060708090A0B0C0D0E0F1011121314151617", "BEA5E8798DBE7110031C144DA0B26122FCFCEE7A2A8D4D486EF2F52587FDA0ED97DC7EEDE241DF68"},
}

func TestOCBVectors(t *testing.T) {
	block, _ := aes.NewCipher(unhex(t, "000102030405060708090A0B0C0D0E0F"))
	aead, err := ocb.NewOCBWithNonceAndTagSize(block, 12, 16)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range ocbVectors {
		n, a, p, want := unhex(t, v.nonce), unhex(t, v.a), unhex(t, v.p), unhex(t, v.c)
		got := aead.Seal(nil, n, p, a)
		if !bytes.Equal(got, want) {
			t.Errorf("Seal(N=%s A=%s P=%s) = %X, want %s", v.nonce, v.a, v.p, got, v.c)
		}
		pt, err := aead.Open(nil, n, want, a)
		if err != nil || !bytes.Equal(pt, p) {
			t.Errorf("Open(N=%s C=%s) = %X, %v; want %s", v.nonce, v.c, pt, err, v.p)
		}
	}
}

// TestOCBIterative is RFC 7253 Appendix A's iterated test for
// AEAD_AES_128_OCB_TAGLEN128: K = zeros(120) ‖ num2str(128, 8).
func TestOCBIterative(t *testing.T) {
	key := make([]byte, 16)
	key[15] = 128
	block, _ := aes.NewCipher(key)
	aead, _ := ocb.NewOCBWithNonceAndTagSize(block, 12, 16)
	nonce := func(i int) []byte {
		n := make([]byte, 12)
		n[10], n[11] = byte(i>>8), byte(i)
		return n
	}
	var c []byte
	for i := 0; i < 128; i++ {
		s := make([]byte, i)
		c = aead.Seal(c, nonce(3*i+1), s, s)
		c = aead.Seal(c, nonce(3*i+2), s, nil)
		c = aead.Seal(c, nonce(3*i+3), nil, s)
	}
	got := aead.Seal(nil, nonce(385), nil, c)
	if want := unhex(t, "67E944D23256C5E0B6C61FA22FDF1EA2"); !bytes.Equal(got, want) {
		t.Errorf("iterated tag = %X, want %X", got, want)
	}
}

// TestSealNonceLayout checks mosh's datagram nonce: the 8 clear bytes are
// direction<<63 | seq big-endian, and the AEAD nonce is 4 zero bytes
// followed by them (so an RFC 7253 nonce BBAA99…00 is not expressible;
// a hand-built one is).
func TestSealNonceLayout(t *testing.T) {
	k := Key(unhex(t, "000102030405060708090A0B0C0D0E0F"))
	s := newSealer(k)
	d, err := s.seal(nil, uint64(toClient)|5, []byte("hi"))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := d[:8], unhex(t, "8000000000000005"); !bytes.Equal(got, want) {
		t.Errorf("wire nonce = %X, want %X", got, want)
	}
	block, _ := aes.NewCipher(k[:])
	aead, _ := ocb.NewOCBWithNonceAndTagSize(block, 12, 16)
	want := aead.Seal(nil, unhex(t, "00000000 8000000000000005"), []byte("hi"), nil)
	if !bytes.Equal(d[8:], want) {
		t.Errorf("sealed = %X, want %X", d[8:], want)
	}
	if len(d) != 8+2+16 {
		t.Errorf("len = %d, want 26", len(d))
	}
	n, pt, err := s.open(nil, d)
	if err != nil || n != uint64(toClient)|5 || string(pt) != "hi" {
		t.Errorf("open = %x %q %v", n, pt, err)
	}
	d[len(d)-1] ^= 1
	if _, _, err := s.open(nil, d); err == nil {
		t.Error("open accepted a corrupted tag")
	}
}

func TestKeyText(t *testing.T) {
	k := Key(unhex(t, "c5b6f0f6af9f1e3397798c65954a9c46"))
	if got, want := k.String(), "xbbw9q+fHjOXeYxllUqcRg"; got != want {
		t.Errorf("String = %q, want %q", got, want)
	}
	back, err := ParseKey(k.String())
	if err != nil || back != k {
		t.Errorf("ParseKey(String()) = %x, %v", back, err)
	}
	// The example from a real mosh-server's MOSH CONNECT line.
	if _, err := ParseKey("xbbw9q+4HjOXeYxlmVKcRg"); err != nil {
		t.Errorf("ParseKey(real mosh key): %v", err)
	}
	for _, bad := range []string{
		"",
		"xbbw9q+4HjOXeYxlmVKcR",    // 21
		"xbbw9q+4HjOXeYxlmVKcRgA",  // 23
		"xbbw9q+4HjOXeYxlmVKcRg==", // padded
		"xbbw9q+4HjOXeYxlmVKcRh",   // low bits of the last char set
		"xbbw9q-4HjOXeYxlmVKcRg",   // URL alphabet
		"xbbw9q 4HjOXeYxlmVKcRg",
	} {
		if _, err := ParseKey(bad); err == nil {
			t.Errorf("ParseKey(%q) accepted a malformed key", bad)
		}
	}
	// All 256 values of the last byte survive the round trip (mosh's
	// base64 test).
	for i := 0; i < 256; i++ {
		k[15] = byte(i)
		if back, err := ParseKey(k.String()); err != nil || back != k {
			t.Fatalf("last byte %#x: %v", i, err)
		}
	}
	g1, _ := GenerateKey()
	g2, _ := GenerateKey()
	if g1 == g2 || g1 == (Key{}) {
		t.Error("GenerateKey returned a repeated or zero key")
	}
}
