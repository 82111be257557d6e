package ssp

import (
	"crypto/aes"
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
)

// Key is the 128-bit AES key shared by both directions of a session. It
// travels from server to client as 22 characters of base64 in the
// "MOSH CONNECT <port> <key>" line.
type Key [16]byte

// GenerateKey returns a fresh random key from crypto/rand.
func GenerateKey() (Key, error) {
	var k Key
	if _, err := rand.Read(k[:]); err != nil {
		return Key{}, fmt.Errorf("ssp: generate key: %w", err)
	}
	return k, nil
}

// ParseKey decodes the 22-character form with mosh-client's strict rules
// (§1.2): exactly 22 characters of the standard alphabet, which with "=="
// appended decode to 16 bytes and re-encode to the same text. The last
// character carries two bits, so it must be one of A, Q, g, w.
func ParseKey(s string) (Key, error) {
	if len(s) != 22 {
		return Key{}, fmt.Errorf("ssp: key must be 22 characters, got %d", len(s))
	}
	b, err := base64.StdEncoding.Strict().DecodeString(s + "==")
	if err != nil || len(b) != 16 {
		return Key{}, errors.New("ssp: key is not valid base64")
	}
	var k Key
	copy(k[:], b)
	if k.String() != s {
		return Key{}, errors.New("ssp: key does not re-encode to itself")
	}
	return k, nil
}

// String returns the 22-character base64 form (standard alphabet, the
// trailing "==" removed) that mosh prints and reads.
func (k Key) String() string {
	return base64.RawStdEncoding.EncodeToString(k[:])
}

// direction is bit 63 of the nonce: mosh's anti-reflection bit.
type direction uint64

const (
	toServer direction = 0
	toClient direction = 1 << 63
)

// sealer is AES-128-OCB3 (RFC 7253) with mosh's nonce and tag layout. The
// OCB state (ocb.go) holds per-call scratch, so a sealer belongs to one
// goroutine: the Transport's event loop.
type sealer struct {
	ocb    *ocb3
	blocks uint64   // 16-byte blocks encrypted so far (bounded by maxBlocks)
	nonce  [12]byte // the AEAD nonce: 4 zero bytes, then the wire's 8
}

func newSealer(k Key) *sealer {
	block, err := aes.NewCipher(k[:])
	if err != nil {
		panic(err) // cannot happen: the key has 16 bytes
	}
	return &sealer{ocb: newOCB(block)}
}

var errBlockLimit = errors.New("ssp: encryption limit reached for this key (2^47 blocks)")

// seal appends to dst the datagram nonce(8) ‖ OCB(plaintext) ‖ tag(16).
// The AEAD nonce is 4 zero bytes followed by the 8 wire bytes; there is no
// associated data.
func (s *sealer) seal(dst []byte, nonce uint64, plaintext []byte) ([]byte, error) {
	s.blocks += uint64(len(plaintext)+15)/16 + 1
	if s.blocks >= maxBlocks {
		return nil, errBlockLimit
	}
	binary.BigEndian.PutUint64(s.nonce[4:], nonce)
	dst = binary.BigEndian.AppendUint64(dst, nonce)
	return s.ocb.seal(dst, &s.nonce, plaintext), nil
}

var errAuth = errors.New("ssp: packet failed integrity check")

// open authenticates and decrypts a datagram, appending the plaintext to
// dst. The caller has checked len(datagram) >= minDatagram.
func (s *sealer) open(dst, datagram []byte) (nonce uint64, plaintext []byte, err error) {
	nonce = binary.BigEndian.Uint64(datagram)
	binary.BigEndian.PutUint64(s.nonce[4:], nonce)
	plaintext, ok := s.ocb.open(dst, &s.nonce, datagram[nonceSize:])
	if !ok {
		return 0, nil, errAuth
	}
	return nonce, plaintext, nil
}
